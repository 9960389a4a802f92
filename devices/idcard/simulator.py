"""A GA 467 reader on a pseudo-terminal, with a card that can be placed, removed and changed.

It answers the real wire protocol (same frames as the hardware), so the driver under test is
the production one. Faults: ``noise`` (garbage and fake frame starts around answers),
``badsum`` (the first read answer of each placement has a wrong checksum), ``pull`` (the card
leaves the field in the middle of the first read of each placement) and ``samerr`` (the SAM
fails its self-test until the fault is cleared); ``noselect`` (a card is found but can never
be selected, like a damaged chip); ``readfail`` (every read is refused: the SAM cannot
authenticate the card, status 0x32). ``place_card(..., fault="pull" | "readfail")`` gives one
card its own fault (pulled in the middle of its first read; a card that cannot be read),
whatever the reader's fault. ``unplug()`` / ``replug()`` make the port vanish and come back
(at the same ``link_path`` when one is given).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import select
import threading
import time
import tty
from dataclasses import dataclass, field
from pathlib import Path

from devices.idcard.protocol import (
    COMMANDS,
    FIND_CARD,
    PREAMBLE,
    READ_SAM_ID,
    READ_TEXT_PHOTO,
    READ_TEXT_PHOTO_FINGERPRINT,
    RESET_SAM,
    SAM_STATUS,
    SELECT_CARD,
    SET_MAX_RF_BYTE,
    FaultKind,
    Frame,
    FrameScanner,
    Status,
    build_response,
)
from station.identity.card import IdentityCard
from station.identity.layout import encode_text
from station.identity.samples import sample_wlt

log = logging.getLogger(__name__)

FAULTS = ("noise", "badsum", "pull", "samerr", "noselect", "readfail")
CARD_FAULTS = ("pull", "readfail")  # faults one placed card can carry
SAM_ID_FIELDS = (5, 1, 20101025, 12345678, 1234567890)


def _sam_id_bytes() -> bytes:
    sizes = (2, 2, 4, 4, 4)
    return b"".join(v.to_bytes(n, "little") for v, n in zip(SAM_ID_FIELDS, sizes, strict=True))


@dataclass
class _Placement:
    card: IdentityCard
    photo: bytes
    fingerprint: bytes
    in_field: bool = True
    pulled_at: float | None = None
    pull_done: bool = False
    enters_at: float | None = None  # out of the field until then (a card swap)
    badsum_done: bool = False
    fault: str | None = None  # this card's own fault (CARD_FAULTS)


@dataclass
class SimulatorStats:
    commands: list[str] = field(default_factory=list)
    corrupted_requests: int = 0


class ReaderSimulator:
    """In-process simulator: ``start()``, then open ``port`` with pyserial; ``stop()`` at the end."""

    def __init__(
        self,
        card: IdentityCard | None = None,
        *,
        fault: str | None = None,
        link_path: Path | str | None = None,
        read_delay_s: float = 0.02,
        pull_return_after_s: float | None = None,
        swap_gap_s: float = 0.6,
        seed: int = 467,
    ) -> None:
        self._check_fault(fault)
        self._lock = threading.Lock()
        self._fault = fault
        self._placement: _Placement | None = None
        self._link = Path(link_path) if link_path else None
        self.read_delay_s = read_delay_s
        self.pull_return_after_s = pull_return_after_s
        self.swap_gap_s = swap_gap_s  # a card replacing another is out of the field this long
        self._random = random.Random(seed)
        self._master: int | None = None
        self._slave: int | None = None
        self._pts = ""
        self._want_plugged = True
        self._plug_changed = threading.Event()
        self._wake_r, self._wake_w = os.pipe()
        self._running = False
        self._thread: threading.Thread | None = None
        self._answers = 0
        self.stats = SimulatorStats()
        if card is not None:
            self.place_card(card)

    # --- control (any thread) --------------------------------------------------------------
    @staticmethod
    def _check_fault(fault: str | None) -> None:
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")

    @property
    def port(self) -> str:
        """The path to open: the stable link when configured, else the pty's /dev/pts/N."""
        return str(self._link) if self._link else self._pts

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def card(self) -> IdentityCard | None:
        with self._lock:
            return self._placement.card if self._placement else None

    def place_card(self, card: IdentityCard, photo: bytes | None = None,
                   fingerprint: bytes | None = None, *, fault: str | None = None) -> None:
        """Put ``card`` on the reader: a new placement. Replacing a card takes a hand
        movement, so the new card enters the field ``swap_gap_s`` later. ``fault`` is the
        card's own (CARD_FAULTS): pulled mid-read once, or never readable."""
        if fault is not None and fault not in CARD_FAULTS:
            raise ValueError(f"unknown card fault {fault!r}; choose from {', '.join(CARD_FAULTS)}")
        placement = _Placement(
            card=card,
            photo=sample_wlt(card) if photo is None else photo,
            fingerprint=fingerprint if fingerprint is not None else _fingerprint(card),
            fault=fault,
        )
        encode_text(card)  # fail here, in the caller, if the card does not fit the layout
        with self._lock:
            if self._placement is not None and self.swap_gap_s > 0:
                placement.in_field = False
                placement.enters_at = time.monotonic() + self.swap_gap_s
            self._placement = placement

    def remove_card(self) -> None:
        with self._lock:
            self._placement = None

    def set_fault(self, fault: str | None) -> None:
        self._check_fault(fault)
        with self._lock:
            self._fault = fault

    @property
    def fault(self) -> str | None:
        with self._lock:
            return self._fault

    @property
    def plugged(self) -> bool:
        """The port exists (False between ``unplug()`` and ``replug()``)."""
        return self._master is not None

    @property
    def card_in_field(self) -> bool:
        with self._lock:
            return self._placement is not None and self._placement.in_field

    def start(self) -> ReaderSimulator:
        self._open_pty()
        self._running = True
        self._thread = threading.Thread(target=self._run, name="idcard-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._running = False
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self._close_pty()
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def unplug(self, timeout: float = 5.0) -> None:
        """Make the port disappear (like pulling the USB cable)."""
        self._set_plugged(False, timeout)

    def replug(self, timeout: float = 5.0) -> None:
        """Bring the port back (a new pty; the same ``link_path`` when one is configured)."""
        self._set_plugged(True, timeout)

    def __enter__(self) -> ReaderSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the pty ---------------------------------------------------------------------------
    def _set_plugged(self, plugged: bool, timeout: float) -> None:
        self._plug_changed.clear()
        self._want_plugged = plugged
        self._wake()
        if not self._plug_changed.wait(timeout):
            raise TimeoutError("the simulator did not change its plug state")

    def _wake(self) -> None:
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"x")

    def _open_pty(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        os.set_blocking(master, False)
        self._master, self._slave = master, slave
        self._pts = os.ttyname(slave)
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
            self._link.symlink_to(self._pts)

    def _close_pty(self) -> None:
        if self._link is not None:
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
        for fd in (self._master, self._slave):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = None

    # --- the worker thread -----------------------------------------------------------------
    def _run(self) -> None:
        scanner = FrameScanner()
        while self._running:
            if self._want_plugged != (self._master is not None):
                if self._want_plugged:
                    self._open_pty()
                else:
                    self._close_pty()
                scanner.reset()
                self._plug_changed.set()
            fds = [self._wake_r] + ([self._master] if self._master is not None else [])
            try:
                readable, _, _ = select.select(fds, [], [], 0.2)
            except (OSError, ValueError):
                break
            if self._wake_r in readable:
                with contextlib.suppress(OSError):
                    os.read(self._wake_r, 64)
            if self._master is None or self._master not in readable:
                continue
            try:
                data = os.read(self._master, 4096)
            except BlockingIOError:
                continue
            except OSError:
                time.sleep(0.05)  # EIO while nobody holds the slave side: wait
                continue
            for item in scanner.feed(data):
                if isinstance(item, Frame):
                    answer = self._answer(item)
                else:
                    self.stats.corrupted_requests += 1
                    status = (Status.CHECKSUM_ERROR if item.kind is FaultKind.CHECKSUM
                              else Status.LENGTH_ERROR)
                    answer = build_response(status)
                self._send(answer)

    def _send(self, answer: bytes) -> None:
        with self._lock:
            fault = self._fault
        if fault == "noise":
            answer = self._noise() + answer + self._noise(fake_frames=False)
        self._answers += 1
        master = self._master
        deadline = time.monotonic() + 1.0
        while answer and master is not None and time.monotonic() < deadline:
            try:
                written = os.write(master, answer)
                answer = answer[written:]
            except BlockingIOError:
                select.select([], [master], [], 0.05)
            except OSError:
                return

    def _noise(self, fake_frames: bool = True) -> bytes:
        rnd = self._random
        junk = bytes(rnd.randrange(256) for _ in range(rnd.randrange(3, 24)))
        junk = junk.replace(PREAMBLE, b"\x00")
        if fake_frames and self._answers % 3 == 0:
            # A fake frame start whose length is plausible but whose bytes never all come.
            junk += PREAMBLE + bytes((0x00, rnd.randrange(0x20, 0x60))) + junk[:3]
        elif fake_frames and self._answers % 3 == 1:
            junk += PREAMBLE[:3]  # a partial preamble
        return junk

    def _answer(self, frame: Frame) -> bytes:
        command = COMMANDS.get(frame.command)
        name = command.name if command else f"unknown_{frame.command[0]:02X}{frame.command[1]:02X}"
        self.stats.commands.append(name)
        with self._lock:
            fault = self._fault
            placement = self._placement
            if placement is not None and placement.enters_at is not None and (
                    time.monotonic() >= placement.enters_at):
                placement.in_field, placement.enters_at = True, None
            if placement is not None and placement.pulled_at is not None:
                back = self.pull_return_after_s
                if back is not None and time.monotonic() - placement.pulled_at >= back:
                    placement.in_field, placement.pulled_at = True, None
            present = placement is not None and placement.in_field
        sam_failed = fault == "samerr"
        if command in (RESET_SAM, SAM_STATUS):
            return build_response(Status.SAM_SELF_TEST_FAILED if sam_failed else Status.OK)
        if command is READ_SAM_ID:
            if sam_failed:
                return build_response(Status.SAM_SELF_TEST_FAILED)
            return build_response(Status.OK, _sam_id_bytes())
        if command is SET_MAX_RF_BYTE:
            return build_response(Status.OK)
        if command in (FIND_CARD, SELECT_CARD, READ_TEXT_PHOTO, READ_TEXT_PHOTO_FINGERPRINT):
            if sam_failed:
                return build_response(Status.SAM_NOT_AUTHORISED)
            if command is FIND_CARD:
                return (build_response(Status.FIND_OK, bytes(4)) if present
                        else build_response(Status.FIND_FAILED))
            if command is SELECT_CARD:
                return (build_response(Status.OK, bytes(8)) if present and fault != "noselect"
                        else build_response(Status.SELECT_FAILED))
            assert placement is not None or not present
            if not present or placement is None:
                return build_response(Status.READ_FAILED)
            return self._read_answer(placement, command is READ_TEXT_PHOTO_FINGERPRINT, fault)
        return build_response(Status.COMMAND_ERROR)

    def _read_answer(self, placement: _Placement, fingerprint: bool, fault: str | None) -> bytes:
        time.sleep(self.read_delay_s)  # the chip read takes a moment
        with self._lock:
            if "readfail" in (fault, placement.fault):
                return build_response(Status.SAM_AUTH_CARD_FAILED)
            if "pull" in (fault, placement.fault) and not placement.pull_done:
                placement.pull_done = True
                placement.in_field = False
                placement.pulled_at = time.monotonic()
                return build_response(Status.OK)  # the reader answers with no data
            corrupt = fault == "badsum" and not placement.badsum_done
            placement.badsum_done = placement.badsum_done or corrupt
        text = encode_text(placement.card)
        blocks = [text, placement.photo] + ([placement.fingerprint] if fingerprint else [])
        sizes = b"".join(len(block).to_bytes(2, "big") for block in blocks)
        answer = build_response(Status.OK, sizes + b"".join(blocks))
        if corrupt:
            answer = answer[:-1] + bytes((answer[-1] ^ 0x5A,))
        return answer


def _fingerprint(card: IdentityCard) -> bytes:
    import hashlib

    return hashlib.shake_256(b"fp:" + card.id_number.encode()).digest(1024)
