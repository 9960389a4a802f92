"""Command APDUs (short form only: extended length fails on many readers) and status words."""

from __future__ import annotations

from dataclasses import dataclass

SW_OK = 0x9000
SW_END_OF_FILE = 0x6282  # fewer bytes than Le: end of the file reached
SW_SECURITY_NOT_SATISFIED = 0x6982
SW_AUTH_FAILED = 0x6300
SW_FILE_NOT_FOUND = 0x6A82
SW_WRONG_LENGTH = 0x6700
SW_WRONG_OFFSET = 0x6B00
SW_SM_MISSING = 0x6987
SW_SM_INCORRECT = 0x6988


@dataclass(frozen=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None  # None: no Le; 256 is encoded as 00

    def to_bytes(self) -> bytes:
        if len(self.data) > 255:
            raise ValueError("short APDUs carry at most 255 data bytes")
        out = bytes([self.cla, self.ins, self.p1, self.p2])
        if self.data:
            out += bytes([len(self.data)]) + self.data
        if self.le is not None:
            out += bytes([self.le & 0xFF])
        return out

    def with_le(self, le: int | None) -> CommandApdu:
        return CommandApdu(self.cla, self.ins, self.p1, self.p2, self.data, le)


def parse_command(raw: bytes) -> CommandApdu:
    """Decode a short command APDU (cases 1-4)."""
    if len(raw) < 4:
        raise ValueError("command APDU shorter than its header")
    cla, ins, p1, p2 = raw[:4]
    body = raw[4:]
    if not body:
        return CommandApdu(cla, ins, p1, p2)
    if len(body) == 1:
        return CommandApdu(cla, ins, p1, p2, b"", body[0] or 256)
    lc = body[0]
    if lc == 0 or len(body) not in (1 + lc, 2 + lc):
        raise ValueError("inconsistent Lc")
    data = bytes(body[1 : 1 + lc])
    le = (body[1 + lc] or 256) if len(body) == 2 + lc else None
    return CommandApdu(cla, ins, p1, p2, data, le)


def sw_text(sw: int) -> str:
    return f"{sw:04X}"
