"""One command at a time over an open serial port: send, wait for the answer, retry.

A corrupted answer (checksum or length) or the reader's own "checksum/length error" status
makes the command go again, a few times, before it fails. Port failures become
IdCardDisconnected so the worker can reopen the port.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Protocol

import serial

from devices.idcard import errors
from devices.idcard.errors import IdCardDisconnected
from devices.idcard.protocol import (
    FIND_CARD,
    READ_SAM_ID,
    READ_TEXT_PHOTO,
    READ_TEXT_PHOTO_FINGERPRINT,
    RESET_SAM,
    SAM_STATUS,
    SELECT_CARD,
    SET_MAX_RF_BYTE,
    Command,
    FaultKind,
    Frame,
    FrameFault,
    FrameScanner,
    Status,
)

log = logging.getLogger(__name__)

try:  # POSIX: pyserial lets termios.error (not an OSError) escape from tcflush on a dead fd
    import termios

    _TERMIOS_ERRORS: tuple[type[BaseException], ...] = (termios.error,)
except ImportError:  # Windows
    _TERMIOS_ERRORS = ()
# pyserial raises TypeError when the fd vanished under it
PORT_ERRORS: tuple[type[BaseException], ...] = (
    serial.SerialException, OSError, TypeError, *_TERMIOS_ERRORS)

TEXT_SIZE = 256
PHOTO_SIZE = 1024


class SerialLike(Protocol):
    def write(self, data: bytes) -> int | None: ...

    def read(self, size: int = 1) -> bytes: ...

    @property
    def in_waiting(self) -> int: ...

    def reset_input_buffer(self) -> None: ...


@dataclass(frozen=True)
class RawCard:
    text: bytes
    photo: bytes
    fingerprint: bytes | None = None


@dataclass
class SessionStats:
    commands: int = 0
    retries: int = 0
    faults: int = 0


class ReaderSession:
    """Commands of the reference table over ``port`` (a pyserial Serial with a short timeout)."""

    def __init__(self, port: SerialLike, *, timeout_s: float = 5.0, retries: int = 3,
                 gap_s: float = 0.15) -> None:
        self._port = port
        self.timeout_s = timeout_s
        self.retries = retries
        self.gap_s = gap_s  # silence after which a half-received frame is given up
        self._scanner = FrameScanner()
        self.stats = SessionStats()

    # --- transport -------------------------------------------------------------------------
    def transact(self, command: Command, data: bytes = b"") -> Frame:
        """Send ``command`` and return its answer frame (any status); retry corrupted answers."""
        request = command.frame(data)
        for attempt in range(self.retries + 1):
            if attempt:
                self.stats.retries += 1
                log.info("retrying %s (attempt %d)", command.name, attempt + 1)
            self._discard_input()
            self._write(request)
            self.stats.commands += 1
            answer = self._await_answer()
            if isinstance(answer, Frame):
                if answer.status in (Status.CHECKSUM_ERROR, Status.LENGTH_ERROR):
                    continue  # the reader got our frame corrupted
                return answer
            self.stats.faults += 1
            log.warning("%s: corrupted answer (%s)", command.name, answer.kind)
        raise errors.garbled(self.retries + 1)

    def _discard_input(self) -> None:
        try:
            self._port.reset_input_buffer()
        except PORT_ERRORS as exc:
            raise IdCardDisconnected(str(exc)) from exc
        self._scanner.reset()

    def _write(self, data: bytes) -> None:
        try:
            self._port.write(data)
        except PORT_ERRORS as exc:
            raise IdCardDisconnected(str(exc)) from exc

    def _read_some(self) -> bytes:
        try:
            waiting = self._port.in_waiting
            return self._port.read(max(1, min(waiting, 4096)))
        except PORT_ERRORS as exc:
            raise IdCardDisconnected(str(exc)) from exc

    def _await_answer(self) -> Frame | FrameFault:
        """The first good frame; a fault only once the line stays quiet after it."""
        now = time.monotonic()
        deadline = now + self.timeout_s
        last_byte = now
        fault: FrameFault | None = None
        while True:
            chunk = self._read_some()
            now = time.monotonic()
            items: list[Frame | FrameFault] = []
            if chunk:
                last_byte = now
                items = self._scanner.feed(chunk)
            elif self._scanner.pending and now - last_byte > self.gap_s:
                # The candidate stopped short: noise that looked like a preamble, or a frame
                # cut off. Look for a real frame inside it.
                fault = FrameFault(FaultKind.LENGTH, 0)
                items = self._scanner.drop_pending()
            for item in items:
                if isinstance(item, Frame):
                    return item
                if item.kind is FaultKind.CHECKSUM:
                    fault = item
            quiet = now - last_byte
            if fault is not None and quiet > self.gap_s and not self._scanner.pending:
                return fault
            if now > deadline:
                if fault is not None:
                    return fault
                raise errors.no_response(self.timeout_s)

    # --- commands --------------------------------------------------------------------------
    def _expect_ok(self, command: Command, data: bytes = b"") -> Frame:
        answer = self.transact(command, data)
        if answer.status != Status.OK:
            raise errors.status_error(answer.status)
        return answer

    def reset_sam(self) -> None:
        self._expect_ok(RESET_SAM)

    def sam_status(self) -> None:
        self._expect_ok(SAM_STATUS)

    def sam_id(self) -> str:
        """The SAM id as vendors print it: 05.01-20101025-0012345678-1234567890."""
        data = self._expect_ok(READ_SAM_ID).data
        if len(data) < 16:
            raise errors.bad_answer(f"SAM id of {len(data)} bytes")
        parts = [int.from_bytes(data[a:b], "little") for a, b in ((0, 2), (2, 4), (4, 8),
                                                                     (8, 12), (12, 16))]
        return "{:02d}.{:02d}-{:08d}-{:010d}-{:010d}".format(*parts)

    def set_max_rf_byte(self, value: int = 0x50) -> None:
        self._expect_ok(SET_MAX_RF_BYTE, bytes((value,)))

    def find_card(self) -> bool:
        answer = self.transact(FIND_CARD)
        if answer.status == Status.FIND_OK:
            return True
        if answer.status == Status.FIND_FAILED:
            return False
        raise errors.status_error(answer.status)

    def select_card(self) -> bool:
        answer = self.transact(SELECT_CARD)
        if answer.status == Status.OK:
            return True
        if answer.status == Status.SELECT_FAILED:
            return False
        raise errors.status_error(answer.status)

    def read_card(self, fingerprint: bool = False) -> RawCard:
        """Text and photo (and fingerprint); IdCardError ``card_removed`` when the card left."""
        command = READ_TEXT_PHOTO_FINGERPRINT if fingerprint else READ_TEXT_PHOTO
        answer = self.transact(command)
        if not answer.data and answer.status in (Status.OK, Status.READ_FAILED):
            raise errors.card_removed()
        if answer.status != Status.OK:
            raise errors.status_error(answer.status)
        return split_card_data(answer.data, fingerprint)


def split_card_data(data: bytes, fingerprint: bool) -> RawCard:
    """Split the DATA of a read answer: lengths (2 bytes BE each), then the blocks."""
    count = 3 if fingerprint else 2
    if len(data) < 2 * count:
        raise errors.bad_answer(f"read answer of {len(data)} bytes")
    sizes = [int.from_bytes(data[2 * i : 2 * i + 2], "big") for i in range(count)]
    body = data[2 * count :]
    if sum(sizes) != len(body):
        raise errors.bad_answer(f"block sizes {sizes} do not match {len(body)} bytes")
    text = body[: sizes[0]]
    photo = body[sizes[0] : sizes[0] + sizes[1]]
    prints = body[sizes[0] + sizes[1] :] if fingerprint else None
    if len(text) != TEXT_SIZE:
        raise errors.bad_answer(f"card text of {len(text)} bytes")
    return RawCard(text=text, photo=photo, fingerprint=prints or None)
