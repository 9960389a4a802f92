"""Wacom ISDV4 serial pen protocol: packet layout, a resynchronising stream decoder and the
encoders the simulator uses (so both sides share one definition of the bit layout).

Framing: the first byte of every packet has bit 7 set, every later byte has bit 7 clear, so a
decoder that meets a header byte mid-packet knows the packet was cut short and starts over.
"""

from __future__ import annotations

from dataclasses import dataclass

# Commands (one ASCII byte each).
CMD_STOP = b"0"
CMD_START = b"1"
CMD_QUERY = b"*"
CMD_TOUCH_QUERY = b"%"

PEN_PACKET_LEN = 9
QUERY_REPLY_LEN = 11
TOUCH_PACKET_LEN = 5

HEADER_BIT = 0x80
CONTROL_BIT = 0x40
PROXIMITY_BIT = 0x20
TOUCH_BIT = 0x10
TIP_BIT = 0x01
SIDE_SWITCH_BIT = 0x02
ERASER_BIT = 0x04

MAX_COORDINATE = 0xFFFF  # 16 bits: 7 + 7 + 2
MAX_PRESSURE_VALUE = 0x3FF  # 10 bits: 3 + 7
MAX_TILT_VALUE = 0x7F


@dataclass(frozen=True)
class PenPacket:
    """One pen report in device units."""

    x: int
    y: int
    pressure: int
    in_proximity: bool
    tip: bool
    side_switch: bool = False
    eraser: bool = False
    tilt_x: int = 0
    tilt_y: int = 0


@dataclass(frozen=True)
class QueryReply:
    """The pad's answer to ``*``: its coordinate and pressure ranges and firmware version."""

    max_x: int
    max_y: int
    max_pressure: int
    max_tilt_x: int
    max_tilt_y: int
    version: int
    data_id: int = 0


@dataclass(frozen=True)
class TouchPacket:
    """A finger report (touch-capable pads); signatures ignore it, the decoder skips it."""

    raw: bytes


Packet = PenPacket | QueryReply | TouchPacket


def _pack_xyp(buf: bytearray, x: int, y: int, p: int) -> None:
    """Spread X, Y (16 bit) and P (10 bit) over bytes 1-6 as the pen packet does."""
    buf[1] = (x >> 9) & 0x7F
    buf[2] = (x >> 2) & 0x7F
    buf[3] = (y >> 9) & 0x7F
    buf[4] = (y >> 2) & 0x7F
    buf[5] = p & 0x7F
    buf[6] = ((x & 0x03) << 5) | ((y & 0x03) << 3) | ((p >> 7) & 0x07)


def _unpack_xyp(b: bytes) -> tuple[int, int, int]:
    x = ((b[1] & 0x7F) << 9) | ((b[2] & 0x7F) << 2) | ((b[6] & 0x60) >> 5)
    y = ((b[3] & 0x7F) << 9) | ((b[4] & 0x7F) << 2) | ((b[6] & 0x18) >> 3)
    p = ((b[6] & 0x07) << 7) | (b[5] & 0x7F)
    return x, y, p


def _check_ranges(x: int, y: int, p: int) -> None:
    if not (0 <= x <= MAX_COORDINATE and 0 <= y <= MAX_COORDINATE):
        raise ValueError(f"coordinates out of range: {x}, {y}")
    if not 0 <= p <= MAX_PRESSURE_VALUE:
        raise ValueError(f"pressure out of range: {p}")


def encode_pen(packet: PenPacket) -> bytes:
    _check_ranges(packet.x, packet.y, packet.pressure)
    buf = bytearray(PEN_PACKET_LEN)
    buf[0] = (
        HEADER_BIT
        | (PROXIMITY_BIT if packet.in_proximity else 0)
        | (TIP_BIT if packet.tip else 0)
        | (SIDE_SWITCH_BIT if packet.side_switch else 0)
        | (ERASER_BIT if packet.eraser else 0)
    )
    _pack_xyp(buf, packet.x, packet.y, packet.pressure)
    buf[7] = packet.tilt_x & MAX_TILT_VALUE
    buf[8] = packet.tilt_y & MAX_TILT_VALUE
    return bytes(buf)


def decode_pen(b: bytes) -> PenPacket:
    if len(b) != PEN_PACKET_LEN:
        raise ValueError(f"a pen packet has {PEN_PACKET_LEN} bytes, got {len(b)}")
    x, y, p = _unpack_xyp(b)
    return PenPacket(
        x=x,
        y=y,
        pressure=p,
        in_proximity=bool(b[0] & PROXIMITY_BIT),
        tip=bool(b[0] & TIP_BIT),
        side_switch=bool(b[0] & SIDE_SWITCH_BIT),
        eraser=bool(b[0] & ERASER_BIT),
        tilt_x=b[7] & MAX_TILT_VALUE,
        tilt_y=b[8] & MAX_TILT_VALUE,
    )


def encode_query_reply(reply: QueryReply) -> bytes:
    _check_ranges(reply.max_x, reply.max_y, reply.max_pressure)
    if not 0 <= reply.version <= 0x3FFF:
        raise ValueError(f"version out of range: {reply.version}")
    buf = bytearray(QUERY_REPLY_LEN)
    buf[0] = HEADER_BIT | CONTROL_BIT | (reply.data_id & 0x3F)
    _pack_xyp(buf, reply.max_x, reply.max_y, reply.max_pressure)
    buf[7] = reply.max_tilt_x & MAX_TILT_VALUE
    buf[8] = reply.max_tilt_y & MAX_TILT_VALUE
    buf[9] = (reply.version >> 7) & 0x7F
    buf[10] = reply.version & 0x7F
    return bytes(buf)


def decode_query_reply(b: bytes) -> QueryReply:
    if len(b) != QUERY_REPLY_LEN:
        raise ValueError(f"a query reply has {QUERY_REPLY_LEN} bytes, got {len(b)}")
    x, y, p = _unpack_xyp(b)
    return QueryReply(
        max_x=x,
        max_y=y,
        max_pressure=p,
        max_tilt_x=b[7] & MAX_TILT_VALUE,
        max_tilt_y=b[8] & MAX_TILT_VALUE,
        version=((b[9] & 0x7F) << 7) | (b[10] & 0x7F),
        data_id=b[0] & 0x3F,
    )


def _packet_length(header: int) -> int:
    if header & CONTROL_BIT:
        return QUERY_REPLY_LEN
    if header & TOUCH_BIT:
        return TOUCH_PACKET_LEN
    return PEN_PACKET_LEN


@dataclass
class DecoderStats:
    packets: int = 0
    discarded_bytes: int = 0  # bytes outside any packet (noise) or in cut-short packets
    broken_packets: int = 0  # packets cut short by the next header byte
    implausible_packets: int = 0  # well-framed pen packets outside the pad's ranges


class Isdv4Decoder:
    """Turns a byte stream into packets, resynchronising on noise and cut-short packets.

    ``feed`` never raises on bad input: stray bytes are counted and dropped. When the pad's
    maxima are known (``limits``), pen packets outside them are dropped as corrupt.
    """

    def __init__(self, limits: QueryReply | None = None) -> None:
        self._buffer = bytearray()
        self.limits = limits
        self.stats = DecoderStats()

    def reset(self) -> None:
        self.stats.discarded_bytes += len(self._buffer)
        self._buffer.clear()

    def feed(self, data: bytes) -> list[Packet]:
        packets: list[Packet] = []
        for byte in data:
            if byte & HEADER_BIT:
                if self._buffer:  # a new header before the last packet was complete
                    self.stats.broken_packets += 1
                    self.stats.discarded_bytes += len(self._buffer)
                self._buffer = bytearray((byte,))
            elif not self._buffer:
                self.stats.discarded_bytes += 1  # data byte with no header: noise
                continue
            else:
                self._buffer.append(byte)
            if len(self._buffer) == _packet_length(self._buffer[0]):
                packet = self._complete(bytes(self._buffer))
                self._buffer.clear()
                if packet is not None:
                    packets.append(packet)
        return packets

    def _complete(self, raw: bytes) -> Packet | None:
        header = raw[0]
        if header & CONTROL_BIT:
            packet: Packet = decode_query_reply(raw)
        elif header & TOUCH_BIT:
            packet = TouchPacket(raw)
        else:
            pen = decode_pen(raw)
            if self.limits is not None and not self._plausible(pen):
                self.stats.implausible_packets += 1
                return None
            packet = pen
        self.stats.packets += 1
        return packet

    def _plausible(self, pen: PenPacket) -> bool:
        limits = self.limits
        assert limits is not None
        return (
            pen.x <= limits.max_x
            and pen.y <= limits.max_y
            and (limits.max_pressure == 0 or pen.pressure <= limits.max_pressure)
        )
