"""A small BER-TLV reader for the LDS data groups (ISO 7816-4 / ICAO 9303-10).

Data groups are nested tag-length-value objects; this parser never raises anything but
TlvError on bad input (it is fuzzed), and never reads past the buffer.
"""

from __future__ import annotations

from dataclasses import dataclass


class TlvError(ValueError):
    """The bytes are not well-formed BER-TLV."""


@dataclass(frozen=True)
class Tlv:
    tag: int
    value: bytes
    end: int  # offset just past this object in the buffer it was read from

    @property
    def constructed(self) -> bool:
        first = self.tag
        while first > 0xFF:
            first >>= 8
        return bool(first & 0x20)

    def children(self) -> list[Tlv]:
        return parse_all(self.value)

    def find(self, tag: int) -> Tlv | None:
        """The first child with ``tag`` (direct children only)."""
        return next((c for c in self.children() if c.tag == tag), None)


def read_tag(data: bytes, offset: int) -> tuple[int, int]:
    """(tag, offset after the tag)."""
    if offset >= len(data):
        raise TlvError("truncated tag")
    first = data[offset]
    tag = first
    offset += 1
    if first & 0x1F == 0x1F:
        while True:
            if offset >= len(data):
                raise TlvError("truncated multi-byte tag")
            byte = data[offset]
            tag = (tag << 8) | byte
            offset += 1
            if not byte & 0x80:
                break
            if tag > 0xFFFFFF:
                raise TlvError("tag longer than three bytes")
    return tag, offset


def read_length(data: bytes, offset: int) -> tuple[int, int]:
    """(length, offset after the length); definite lengths only."""
    if offset >= len(data):
        raise TlvError("truncated length")
    first = data[offset]
    offset += 1
    if first < 0x80:
        return first, offset
    count = first & 0x7F
    if count == 0 or count > 4:
        raise TlvError("unsupported length form")
    if offset + count > len(data):
        raise TlvError("truncated length")
    return int.from_bytes(data[offset : offset + count], "big"), offset + count


def header_size_and_length(data: bytes) -> tuple[int, int]:
    """(header size, value length) of the object at the start of ``data``."""
    _tag, offset = read_tag(data, 0)
    length, offset = read_length(data, offset)
    return offset, length


def parse_one(data: bytes, offset: int = 0) -> Tlv:
    tag, offset = read_tag(data, offset)
    length, offset = read_length(data, offset)
    end = offset + length
    if end > len(data):
        raise TlvError(f"object {tag:X} claims {length} bytes, only {len(data) - offset} left")
    return Tlv(tag, bytes(data[offset:end]), end)


def parse_all(data: bytes) -> list[Tlv]:
    """Every object in ``data`` in order (trailing 00/FF padding is skipped)."""
    items: list[Tlv] = []
    offset = 0
    while offset < len(data):
        if data[offset] in (0x00, 0xFF):
            offset += 1
            continue
        item = parse_one(data, offset)
        items.append(item)
        offset = item.end
    return items


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def encode(tag: int, value: bytes) -> bytes:
    tag_bytes = tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")
    return tag_bytes + encode_length(len(value)) + value
