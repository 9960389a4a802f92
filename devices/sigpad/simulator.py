"""A signature pad on a pseudo-terminal that speaks the real wire protocol.

ISDV4: answers ``0`` (stop), ``*`` (query: maxima and version) and ``1`` (start: replays a
generated signature at the pad's report rate, then stays quiet, pen out of proximity, until
the next ``0``/``1``). It only understands commands sent at its own baud rate (read from the
terminal settings the driver applied), so a driver's baud fallback is exercised for real.
Topaz: streams 5-byte packets without any initialisation, replaying every few seconds.

The port is a symlink that survives an unplug: the ``unplug`` fault closes the pseudo-
terminal mid-signature and plugs in a fresh one under the same name a second later, as a
USB adaptor coming back under its udev name would.

Faults: ``noise`` (stray bytes between packets), ``partial`` (packets cut short),
``unplug`` (see above), ``silent`` (never answers); ``set_fault`` changes it while running.
A trainer pulls the cable with ``unplug()`` (the port vanishes until ``replug()``).
"""

from __future__ import annotations

import collections
import contextlib
import os
import random
import select
import shutil
import tempfile
import termios
import threading
import time
import tty
from pathlib import Path

from devices.sigpad import isdv4, topaz
from devices.sigpad.handwriting import generate_signature

FAULTS = ("noise", "partial", "unplug", "silent")
DEFAULT_PAD = isdv4.QueryReply(
    max_x=26202, max_y=16325, max_pressure=1023, max_tilt_x=127, max_tilt_y=127, version=1029
)
_BAUD_CONSTANTS = {9600: termios.B9600, 19200: termios.B19200, 38400: termios.B38400,
                   57600: termios.B57600, 115200: termios.B115200}


class PadSimulator:
    """In-process simulator: ``start()``, then open ``.port`` with any serial driver."""

    def __init__(
        self,
        *,
        protocol: str = "isdv4",
        baud: int | None = None,
        fault: str | None = None,
        seed: int = 1,
        pad: isdv4.QueryReply = DEFAULT_PAD,
        rate_hz: float = 133.0,
        start_delay_s: float = 0.25,
        unplug_after_s: float = 0.6,
        replug_after_s: float = 1.0,
        loop_interval_s: float = 3.0,
    ) -> None:
        if protocol not in ("isdv4", "topaz"):
            raise ValueError(f"unknown pad protocol {protocol!r}")
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
        self.protocol = protocol
        self.baud = baud or (38400 if protocol == "isdv4" else topaz.BAUD)
        if self.baud not in _BAUD_CONSTANTS:
            raise ValueError(f"unsupported baud rate {self.baud}")
        self.fault = fault
        self.pad = pad
        self.rate_hz = rate_hz
        self.start_delay_s = start_delay_s
        self.unplug_after_s = unplug_after_s
        self.replug_after_s = replug_after_s
        self.loop_interval_s = loop_interval_s
        self._seed = seed
        self._rng = random.Random(seed)
        self._dir: Path | None = None
        self._master = -1
        self._slave = -1
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._schedule: collections.deque[tuple[float, bytes, bool]] = collections.deque()
        self._streaming = False
        self._stream_started = 0.0
        self._replug_at: float | None = None
        self._unplugged_once = False
        self._next_loop_at: float | None = None
        self._cable_in = True  # False between unplug() and replug() (a trainer's hand)
        # Counters for tests and the CLI.
        self.replays = 0
        self.packets_sent = 0
        self.queries_answered = 0
        self.ignored_commands = 0
        self.unplugs = 0

    @property
    def port(self) -> str:
        if self._dir is None:
            raise RuntimeError("the simulator is not started")
        return str(self._dir / "ttySIGPAD0")

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> PadSimulator:
        if self._thread is not None:
            return self
        self._dir = Path(tempfile.mkdtemp(prefix="sigpad-sim-"))
        self._plug()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sigpad-simulator", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._unplug_now()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
            self._dir = None

    def set_fault(self, fault: str | None) -> None:
        if fault is not None and fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}; choose from {', '.join(FAULTS)}")
        self.fault = fault

    def unplug(self, timeout: float = 5.0) -> None:
        """Pull the cable: the port vanishes and stays away until ``replug()``."""
        self._cable_in = False
        self._wait_plugged(False, timeout)

    def replug(self, timeout: float = 5.0) -> None:
        self._cable_in = True
        self._wait_plugged(True, timeout)

    @property
    def plugged(self) -> bool:
        return self._master >= 0

    def _wait_plugged(self, plugged: bool, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while self.plugged != plugged:
            if time.monotonic() > deadline or self._thread is None:
                raise TimeoutError("the pad simulator did not change its plug state")
            time.sleep(0.01)

    def __enter__(self) -> PadSimulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # pty management --------------------------------------------------------------------
    def _plug(self) -> None:
        assert self._dir is not None
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)  # until the driver configures it: no echo, no line editing
        os.set_blocking(self._master, False)  # nobody reading: drop data as a wire would
        tmp_link = self._dir / "ttySIGPAD0.new"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        tmp_link.symlink_to(os.ttyname(self._slave))
        tmp_link.replace(self.port)
        self._streaming = False
        self._schedule.clear()
        self._replug_at = None
        if self.protocol == "topaz":
            self._next_loop_at = time.monotonic() + self.start_delay_s

    def _unplug_now(self) -> None:
        for fd in (self._master, self._slave):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._master = self._slave = -1
        if self._dir is not None:
            with contextlib.suppress(FileNotFoundError):
                Path(self.port).unlink()
        self._streaming = False
        self._schedule.clear()

    # main loop -------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            if not self._cable_in:
                if self._master >= 0:
                    self.unplugs += 1
                    self._unplug_now()
                self._replug_at = None
                self._stop.wait(0.02)
                continue
            if self._master < 0 and self._replug_at is None:
                self._replug_at = now  # the cable went back in
            if self._master < 0:
                if self._replug_at is not None and now >= self._replug_at:
                    self._plug()
                else:
                    self._stop.wait(0.02)
                continue
            timeout = 0.05
            if self._schedule:
                timeout = max(0.0, min(timeout, self._schedule[0][0] - now))
            try:
                readable, _, _ = select.select([self._master], [], [], timeout)
                if readable:
                    self._on_bytes(os.read(self._master, 256))
            except OSError:
                pass  # nobody has the port open; keep waiting
            self._emit_due()
            self._maybe_unplug()
            self._maybe_loop()

    def _maybe_unplug(self) -> None:
        if (
            self.fault == "unplug" and not self._unplugged_once and self._streaming
            and time.monotonic() - self._stream_started >= self.unplug_after_s
        ):
            self._unplugged_once = True
            self.unplugs += 1
            self._unplug_now()
            self._replug_at = time.monotonic() + self.replug_after_s

    def _maybe_loop(self) -> None:
        if self.protocol != "topaz" or self._next_loop_at is None or self._schedule:
            return
        if time.monotonic() >= self._next_loop_at:
            self._begin_replay(0.0)
            self._next_loop_at = None

    def _line_baud_matches(self) -> bool:
        try:
            attrs = termios.tcgetattr(self._master)  # the slave's settings, as the driver set them
        except termios.error:
            return True
        return attrs[5] == _BAUD_CONSTANTS[self.baud]

    def _on_bytes(self, data: bytes) -> None:
        if self.fault == "silent" or self.protocol == "topaz":
            self.ignored_commands += len(data)
            return
        if not self._line_baud_matches():
            # Sent at the wrong rate, the command arrives as garbage: no answer, some junk.
            self.ignored_commands += len(data)
            self._write(bytes(self._rng.randrange(0, 0x80) for _ in range(len(data))))
            return
        for byte in data:
            command = bytes((byte,))
            if command == isdv4.CMD_STOP:
                self._streaming = False
                self._schedule.clear()
            elif command == isdv4.CMD_QUERY:
                self._schedule.append((time.monotonic(), isdv4.encode_query_reply(self.pad), False))
                self.queries_answered += 1
            elif command == isdv4.CMD_START:
                if not self._streaming:
                    self._begin_replay(self.start_delay_s)
            else:
                self.ignored_commands += 1

    def _begin_replay(self, delay_s: float) -> None:
        self._streaming = True
        self._stream_started = time.monotonic()
        self.replays += 1
        due = time.monotonic() + delay_s
        frames = generate_signature(seed=self._seed + self.replays, rate_hz=self.rate_hz)
        pad = self.pad
        for frame in frames:
            due += frame.dt_s
            if self.protocol == "topaz":
                raw = topaz.encode(
                    round(frame.x * topaz.MAX_COORDINATE), round(frame.y * topaz.MAX_COORDINATE),
                    frame.in_proximity, frame.tip,
                )
            else:
                raw = isdv4.encode_pen(isdv4.PenPacket(
                    x=round(frame.x * pad.max_x), y=round(frame.y * pad.max_y),
                    pressure=round(frame.pressure * pad.max_pressure) if frame.tip else 0,
                    in_proximity=frame.in_proximity, tip=frame.tip,
                    tilt_x=round(frame.tilt_x * pad.max_tilt_x),
                    tilt_y=round(frame.tilt_y * pad.max_tilt_y),
                ))
            self._schedule.append((due, raw, True))
        if self.protocol == "topaz":
            self._next_loop_at = due + self.loop_interval_s

    def _emit_due(self) -> None:
        now = time.monotonic()
        while self._schedule and self._schedule[0][0] <= now and self._master >= 0:
            _, raw, is_pen = self._schedule.popleft()
            if self.fault == "noise" and self._rng.random() < 0.15:
                # At most 4 stray bytes: never enough to frame a whole fake pen packet.
                raw = bytes(self._rng.randrange(256) for _ in range(self._rng.randint(1, 4))) + raw
            if self.fault == "partial" and is_pen and self._rng.random() < 0.1:
                raw = raw[: self._rng.randint(1, len(raw) - 1)]
            self._write(raw)
            if is_pen:
                self.packets_sent += 1

    def _write(self, data: bytes) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._master, data)
