"""Topaz-style 5-byte serial pen packets (19200 8O1, no initialisation, no pressure).

Byte 0: bit 7 sync, bit 6 pen near (proximity), bit 0 pen down. X and Y are 12-bit, low seven
bits first: ``X = (b2 & 0x1F) << 7 | (b1 & 0x7F)``, ``Y = (b4 & 0x1F) << 7 | (b3 & 0x7F)``.
"""

from __future__ import annotations

from devices.sigpad.isdv4 import DecoderStats, PenPacket

PACKET_LEN = 5
SYNC_BIT = 0x80
NEAR_BIT = 0x40
DOWN_BIT = 0x01
MAX_COORDINATE = 0xFFF
BAUD = 19200


def encode(x: int, y: int, near: bool, down: bool) -> bytes:
    if not (0 <= x <= MAX_COORDINATE and 0 <= y <= MAX_COORDINATE):
        raise ValueError(f"coordinates out of range: {x}, {y}")
    status = SYNC_BIT | (NEAR_BIT if near else 0) | (DOWN_BIT if down else 0)
    return bytes((status, x & 0x7F, (x >> 7) & 0x1F, y & 0x7F, (y >> 7) & 0x1F))


class TopazDecoder:
    """Resynchronising decoder of 5-byte packets; pressure is reported as 1 while down."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.stats = DecoderStats()

    def feed(self, data: bytes) -> list[PenPacket]:
        packets: list[PenPacket] = []
        for byte in data:
            if byte & SYNC_BIT:
                if self._buffer:
                    self.stats.broken_packets += 1
                    self.stats.discarded_bytes += len(self._buffer)
                self._buffer = bytearray((byte,))
            elif not self._buffer:
                self.stats.discarded_bytes += 1
                continue
            else:
                self._buffer.append(byte)
            if len(self._buffer) == PACKET_LEN:
                b = bytes(self._buffer)
                self._buffer.clear()
                self.stats.packets += 1
                down = bool(b[0] & DOWN_BIT)
                packets.append(
                    PenPacket(
                        x=((b[2] & 0x1F) << 7) | (b[1] & 0x7F),
                        y=((b[4] & 0x1F) << 7) | (b[3] & 0x7F),
                        pressure=1 if down else 0,
                        in_proximity=bool(b[0] & NEAR_BIT) or down,
                        tip=down,
                    )
                )
        return packets
