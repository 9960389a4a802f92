"""Serial signature pad driver (Wacom ISDV4, or Topaz-style 5-byte pads) on its own thread.

ISDV4 start-up: ``0`` (stop), wait 250 ms, flush, ``*`` (query), read the 11-byte reply;
38400 baud first, then 19200 (or only the configured rate). Sampling (``1``) runs only while
a capture is open, so a signature never starts half-way through. While idle the driver
re-queries the pad every few seconds to notice a pad that went silent; an unplug shows up as
a port error. Either way it reports the state, closes the port and reconnects with backoff.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time

import serial

from devices.base import DeviceDisconnected, DeviceError
from devices.sigpad import isdv4, topaz
from devices.sigpad.events import CaptureStateChanged, PadInfo, PenSample, StrokeFinished
from devices.sigpad.simulator import PadSimulator
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent, EventBus
from station.i18n import both, current_language
from station.signature.model import InputDevice, StrokeBuilder, StrokeChange

log = logging.getLogger(__name__)

ISDV4_BAUDS = (38400, 19200)
READ_TIMEOUT_S = 0.03
STOP_SETTLE_S = 0.25  # the protocol's wait after "0" before flushing


def _error(code: str, english_key: str) -> DeviceError:
    text = _MESSAGES[english_key]
    return DeviceError(code, text["en"], text["zh"])


def _disconnected(code: str, english_key: str) -> DeviceDisconnected:
    text = _MESSAGES[english_key]
    return DeviceDisconnected(code, text["en"], text["zh"])


_MESSAGES = {
    "port": both("SignaturePad", "The signature pad's port cannot be opened. Check the cable."),
    "unplugged": both("SignaturePad", "The signature pad was unplugged. Reconnecting…"),
    "no_answer": both(
        "SignaturePad",
        "The signature pad does not answer. Check the cable, the port and the baud rate.",
    ),
    "stopped_answering": both("SignaturePad", "The signature pad stopped answering. Reconnecting…"),
    "ready": both("SignaturePad", "Signature pad ready."),
    "capturing": both("SignaturePad", "Waiting for the signature on the pad."),
}


class SerialPenPad:
    """SignaturePad over a serial port. With ``simulator`` it owns that simulator's life."""

    kind = "sigpad"

    def __init__(
        self,
        port: str | None,
        bus: EventBus,
        *,
        protocol: str = "isdv4",
        baud: int | None = None,
        simulator: PadSimulator | None = None,
        query_timeout_s: float = 0.5,
        idle_check_s: float = 3.0,
        reconnect_delay_s: float = 0.5,
        max_reconnect_delay_s: float = 5.0,
    ) -> None:
        if protocol not in ("isdv4", "topaz"):
            raise ValueError(f"the serial driver does not speak {protocol!r}")
        if port is None and simulator is None:
            raise ValueError("a serial pad needs a port or a simulator")
        self._port = port
        self._bus = bus
        self.protocol = protocol
        self._bauds = (baud,) if baud else (ISDV4_BAUDS if protocol == "isdv4" else (topaz.BAUD,))
        self._simulator = simulator
        self._query_timeout_s = query_timeout_s
        self._idle_check_s = idle_check_s
        self._reconnect_delay_s = reconnect_delay_s
        self._max_reconnect_delay_s = max_reconnect_delay_s
        self._lock = threading.Lock()
        self._status = DeviceStatus(
            "sigpad", DeviceState.CONNECTING, simulated=simulator is not None, name=port or ""
        )
        self._commands: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._capturing = False
        self._info: PadInfo | None = None
        self._builder: StrokeBuilder | None = None
        self._stroke_index = 0
        self.decoder_stats = isdv4.DecoderStats()
        self.last_error: DeviceError | None = None  # the latest failure, both languages

    # SignaturePad protocol ---------------------------------------------------------------
    @property
    def status(self) -> DeviceStatus:
        with self._lock:
            return self._status

    @property
    def pad_info(self) -> PadInfo | None:
        with self._lock:
            return self._info

    @property
    def port(self) -> str:
        return self._port or ""

    @property
    def simulator(self) -> PadSimulator | None:
        """The simulator this driver talks to (demo mode), for a trainer's controls."""
        return self._simulator

    def start(self) -> None:
        if self._thread is not None:
            return
        if self._simulator is not None:
            self._simulator.start()
            self._port = self._simulator.port
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sigpad", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._simulator is not None:
            self._simulator.stop()

    def begin_capture(self) -> None:
        """Start sampling; samples and strokes are published until end_capture()."""
        with self._lock:
            self._capturing = True
        self._commands.put("start")

    def end_capture(self) -> None:
        with self._lock:
            self._capturing = False
        self._commands.put("stop")

    # worker ------------------------------------------------------------------------------
    def _set_state(self, state: DeviceState, detail: str = "") -> None:
        with self._lock:
            if self._status.state == state and self._status.detail == detail:
                return
            self._status = DeviceStatus(
                "sigpad", state, detail, simulated=self._simulator is not None, name=self.port
            )
            status = self._status
        self._bus.publish(DeviceStatusEvent(status=status))

    def _run(self) -> None:
        delay = self._reconnect_delay_s
        while not self._stop.is_set():
            try:
                self._session()
                delay = self._reconnect_delay_s
            except DeviceDisconnected as exc:
                self.last_error = exc
                log.info("signature pad unavailable: %s", exc.code)
                self._set_state(DeviceState.ABSENT, exc.message_zh if _zh() else exc.message_en)
            except DeviceError as exc:
                self.last_error = exc
                log.warning("signature pad error: %s", exc.code)
                self._set_state(DeviceState.ERROR, exc.message_zh if _zh() else exc.message_en)
            except Exception:  # a driver bug must not kill the thread silently
                log.exception("signature pad worker failed")
                self._set_state(DeviceState.ERROR, "internal error")
            self._finish_stroke(time.monotonic_ns())
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self._max_reconnect_delay_s)
        self._finish_stroke(time.monotonic_ns())

    def _session(self) -> None:
        self._set_state(DeviceState.CONNECTING)
        link = self._open()
        try:
            decoder: isdv4.Isdv4Decoder | topaz.TopazDecoder
            if self.protocol == "isdv4":
                reply, baud = self._handshake(link)
                decoder = isdv4.Isdv4Decoder(limits=reply)
                info = PadInfo(
                    protocol="isdv4", port=self.port, baud=baud, max_x=reply.max_x,
                    max_y=reply.max_y, max_pressure=reply.max_pressure,
                    max_tilt_x=reply.max_tilt_x, max_tilt_y=reply.max_tilt_y,
                    version=reply.version, simulated=self._simulator is not None,
                )
            else:
                decoder = topaz.TopazDecoder()
                info = PadInfo(
                    protocol="topaz", port=self.port, baud=link.baudrate,
                    max_x=topaz.MAX_COORDINATE, max_y=topaz.MAX_COORDINATE, max_pressure=0,
                    simulated=self._simulator is not None,
                )
            with self._lock:
                self._info = info
                self._builder = StrokeBuilder(info.input_device())
            self._bus.publish(info)
            self._pump(link, decoder)
        finally:
            with contextlib.suppress(Exception):
                link.close()

    def _open(self) -> serial.Serial:
        try:
            return serial.Serial(
                self.port, self._bauds[0], timeout=READ_TIMEOUT_S, write_timeout=1.0,
                parity=serial.PARITY_ODD if self.protocol == "topaz" else serial.PARITY_NONE,
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise _disconnected("port_unavailable", "port") from exc

    def _write(self, link: serial.Serial, data: bytes) -> None:
        try:
            link.write(data)
        except (serial.SerialException, OSError) as exc:
            raise _disconnected("unplugged", "unplugged") from exc

    def _read(self, link: serial.Serial) -> bytes:
        try:
            return link.read(max(1, link.in_waiting))
        except (serial.SerialException, OSError) as exc:
            raise _disconnected("unplugged", "unplugged") from exc

    def _handshake(self, link: serial.Serial) -> tuple[isdv4.QueryReply, int]:
        for baud in self._bauds:
            try:
                link.baudrate = baud
            except (serial.SerialException, OSError, ValueError) as exc:
                raise _disconnected("unplugged", "unplugged") from exc
            for _attempt in range(1):
                self._write(link, isdv4.CMD_STOP)
                if self._stop.wait(STOP_SETTLE_S):
                    raise _disconnected("stopped", "unplugged")
                try:
                    link.reset_input_buffer()
                except (serial.SerialException, OSError) as exc:
                    raise _disconnected("unplugged", "unplugged") from exc
                self._write(link, isdv4.CMD_QUERY)
                reply = self._await_reply(link)
                if reply is not None and reply.max_x > 0 and reply.max_y > 0:
                    log.info("signature pad answered at %d baud, version %d", baud, reply.version)
                    return reply, baud
        raise _error("no_answer", "no_answer")

    def _await_reply(self, link: serial.Serial) -> isdv4.QueryReply | None:
        decoder = isdv4.Isdv4Decoder()
        deadline = time.monotonic() + self._query_timeout_s
        while time.monotonic() < deadline and not self._stop.is_set():
            for packet in decoder.feed(self._read(link)):
                if isinstance(packet, isdv4.QueryReply):
                    return packet
        return None

    def _pump(self, link: serial.Serial, decoder: isdv4.Isdv4Decoder | topaz.TopazDecoder) -> None:
        with self._lock:
            capturing = self._capturing
        if capturing:  # reconnected during a capture: sampling resumes
            self._commands.put("start")
        else:
            self._set_state(DeviceState.READY, _text("ready"))
        last_rx = time.monotonic()
        probe_sent: float | None = None
        while not self._stop.is_set():
            self._drain_commands(link)
            data = self._read(link)
            now_ns = time.monotonic_ns()
            now = now_ns / 1e9
            if data:
                last_rx = now
            for packet in decoder.feed(data):
                if isinstance(packet, isdv4.QueryReply):
                    probe_sent = None
                elif isinstance(packet, isdv4.PenPacket):
                    self._on_pen(packet, now_ns)
            self._count(decoder.stats)
            with self._lock:
                capturing = self._capturing
            if self.protocol != "isdv4" or capturing:
                probe_sent = None
                continue
            if probe_sent is None and now - last_rx > self._idle_check_s:
                self._write(link, isdv4.CMD_QUERY)  # is the pad still there?
                probe_sent = now
            elif probe_sent is not None and now - probe_sent > max(1.0, 3 * self._query_timeout_s):
                raise _error("stopped_answering", "stopped_answering")

    def _count(self, stats: isdv4.DecoderStats) -> None:
        self.decoder_stats = isdv4.DecoderStats(
            stats.packets, stats.discarded_bytes, stats.broken_packets, stats.implausible_packets
        )

    def _drain_commands(self, link: serial.Serial) -> None:
        while True:
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            if command == "start":
                with self._lock:
                    if self._builder is not None:
                        self._builder.clear()
                    self._stroke_index = 0
                if self.protocol == "isdv4":
                    self._write(link, isdv4.CMD_START)
                self._set_state(DeviceState.BUSY, _text("capturing"))
                self._bus.publish(CaptureStateChanged(capturing=True))
            elif command == "stop":
                if self.protocol == "isdv4":
                    self._write(link, isdv4.CMD_STOP)
                self._finish_stroke(time.monotonic_ns())
                self._set_state(DeviceState.READY, _text("ready"))
                self._bus.publish(CaptureStateChanged(capturing=False))

    def _on_pen(self, packet: isdv4.PenPacket, t_ns: int) -> None:
        with self._lock:
            capturing = self._capturing
            builder = self._builder
        if not capturing or builder is None:
            return
        self._bus.publish(PenSample(
            x=packet.x, y=packet.y, pressure=packet.pressure, tip=packet.tip,
            in_proximity=packet.in_proximity, t_ns=t_ns, tilt_x=packet.tilt_x,
            tilt_y=packet.tilt_y, side_switch=packet.side_switch, eraser=packet.eraser,
        ))
        tip = packet.tip and packet.in_proximity and not packet.eraser
        change = builder.add(
            packet.x, packet.y, packet.pressure, tip, t_ns, packet.tilt_x, packet.tilt_y
        )
        if change is StrokeChange.FINISHED:
            self._publish_stroke(builder)

    def _finish_stroke(self, t_ns: int) -> None:
        with self._lock:
            builder = self._builder
        if builder is not None and builder.pen_up(t_ns) is StrokeChange.FINISHED:
            self._publish_stroke(builder)

    def _publish_stroke(self, builder: StrokeBuilder) -> None:
        stroke = builder.last_finished
        if stroke is None:
            return
        with self._lock:
            index = self._stroke_index
            self._stroke_index += 1
        self._bus.publish(StrokeFinished(index=index, points=stroke))

    @property
    def input_device(self) -> InputDevice | None:
        info = self.pad_info
        return info.input_device() if info else None


def _zh() -> bool:
    return current_language() == "zh_CN"


def _text(key: str) -> str:
    return _MESSAGES[key]["zh"] if _zh() else _MESSAGES[key]["en"]
