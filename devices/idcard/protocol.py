"""GA 467 "SAMV" frame codec: building frames, scanning a noisy byte stream for them, checks.

Request:  AA AA AA 96 69 | LEN(2, BE) | CMD PARA DATA... | CHK
Response: AA AA AA 96 69 | LEN(2, BE) | SW1 SW2 SW3 DATA... | CHK
LEN counts everything after itself (CHK included); CHK is the XOR of LEN..DATA.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import reduce

PREAMBLE = b"\xaa\xaa\xaa\x96\x69"
HEADER_SIZE = len(PREAMBLE) + 2
# The longest real answer (text + photo + fingerprint) has LEN 0x090A; anything far above
# that is noise that happens to contain a preamble.
MAX_LENGTH = 0x1000
MIN_LENGTH = 3  # a request without data: CMD PARA CHK


@dataclass(frozen=True)
class Command:
    name: str
    cmd: int
    para: int

    def frame(self, data: bytes = b"") -> bytes:
        return build_frame(bytes((self.cmd, self.para)) + data)


RESET_SAM = Command("reset_sam", 0x10, 0xFF)
SAM_STATUS = Command("sam_status", 0x11, 0xFF)
READ_SAM_ID = Command("read_sam_id", 0x12, 0xFF)
FIND_CARD = Command("find_card", 0x20, 0x01)
SELECT_CARD = Command("select_card", 0x20, 0x02)
READ_TEXT_PHOTO = Command("read_text_photo", 0x30, 0x01)
READ_TEXT_PHOTO_FINGERPRINT = Command("read_text_photo_fingerprint", 0x30, 0x10)
SET_MAX_RF_BYTE = Command("set_max_rf_byte", 0x61, 0xFF)  # data: one byte, e.g. 0x50

COMMANDS: dict[tuple[int, int], Command] = {
    (c.cmd, c.para): c
    for c in (RESET_SAM, SAM_STATUS, READ_SAM_ID, FIND_CARD, SELECT_CARD, READ_TEXT_PHOTO,
              READ_TEXT_PHOTO_FINGERPRINT, SET_MAX_RF_BYTE)
}


class Status(enum.IntEnum):
    """SW3 of a response."""

    OK = 0x90
    FIND_OK = 0x9F
    NO_CONTENT = 0x91
    CHECKSUM_ERROR = 0x10
    LENGTH_ERROR = 0x11
    COMMAND_ERROR = 0x21
    NOT_PERMITTED = 0x23
    UNKNOWN_ERROR = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    INFO_VERIFY_ERROR = 0x33
    FINGERPRINT_VERIFY_ERROR = 0x37
    INFO_LENGTH_ERROR = 0x3F
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELF_TEST_FAILED = 0x60
    SAM_NOT_AUTHORISED = 0x66
    FIND_FAILED = 0x80
    SELECT_FAILED = 0x81


def xor(data: bytes | bytearray) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def build_frame(payload: bytes) -> bytes:
    """Preamble, LEN and CHK around ``payload`` (CMD PARA DATA, or SW1 SW2 SW3 DATA)."""
    length = (len(payload) + 1).to_bytes(2, "big")
    return PREAMBLE + length + payload + bytes((xor(length + payload),))


def build_response(status: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    return build_frame(bytes((sw1, sw2, status)) + data)


@dataclass(frozen=True)
class Frame:
    """A frame whose length and checksum were right; ``payload`` excludes LEN and CHK."""

    payload: bytes

    # as a request
    @property
    def command(self) -> tuple[int, int]:
        return (self.payload[0], self.payload[1]) if len(self.payload) >= 2 else (-1, -1)

    # as a response
    @property
    def status(self) -> int:
        return self.payload[2] if len(self.payload) >= 3 else -1

    @property
    def data(self) -> bytes:
        """DATA of a response (after SW1 SW2 SW3), or of a request (after CMD PARA)."""
        return self.payload[3:]

    @property
    def request_data(self) -> bytes:
        return self.payload[2:]


class FaultKind(enum.StrEnum):
    CHECKSUM = "checksum"
    LENGTH = "length"


@dataclass(frozen=True)
class FrameFault:
    """Something that began like a frame but failed its length or checksum check."""

    kind: FaultKind
    length: int


class FrameScanner:
    """Finds frames in a byte stream that may carry noise, truncated or corrupted frames.

    ``feed`` never raises: it returns the frames and faults it completed. A candidate that
    fails a check is skipped by one byte so a real frame hidden inside it is still found.
    """

    def __init__(self, max_length: int = MAX_LENGTH, min_length: int = MIN_LENGTH) -> None:
        self._buffer = bytearray()
        self._max = max_length
        self._min = min_length
        self.discarded = 0  # noise bytes dropped, for diagnostics

    @property
    def pending(self) -> bool:
        """True while a candidate frame (at least a preamble) waits for more bytes."""
        return self._buffer.startswith(PREAMBLE)

    def reset(self) -> None:
        self.discarded += len(self._buffer)
        self._buffer.clear()

    def feed(self, data: bytes) -> list[Frame | FrameFault]:
        self._buffer += data
        return self._scan()

    def drop_pending(self) -> list[Frame | FrameFault]:
        """Give up on the waiting candidate (its bytes stopped coming) and rescan after it."""
        if not self._buffer:
            return []
        del self._buffer[:1]
        self.discarded += 1
        return self._scan()

    def _scan(self) -> list[Frame | FrameFault]:
        out: list[Frame | FrameFault] = []
        buf = self._buffer
        while True:
            start = buf.find(PREAMBLE)
            if start < 0:
                keep = _partial_preamble_suffix(buf)
                self.discarded += len(buf) - keep
                del buf[: len(buf) - keep]
                return out
            if start:
                self.discarded += start
                del buf[:start]
            if len(buf) < HEADER_SIZE:
                return out
            length = int.from_bytes(buf[5:7], "big")
            if not self._min <= length <= self._max:
                out.append(FrameFault(FaultKind.LENGTH, length))
                del buf[:1]
                self.discarded += 1
                continue
            total = HEADER_SIZE + length
            if len(buf) < total:
                return out
            if xor(buf[5 : total - 1]) != buf[total - 1]:
                out.append(FrameFault(FaultKind.CHECKSUM, length))
                del buf[:1]
                self.discarded += 1
                continue
            out.append(Frame(bytes(buf[HEADER_SIZE : total - 1])))
            del buf[:total]


def _partial_preamble_suffix(buf: bytearray) -> int:
    """Length of the longest tail of ``buf`` that could be the start of a preamble."""
    for size in range(min(len(PREAMBLE) - 1, len(buf)), 0, -1):
        if buf.endswith(PREAMBLE[:size]):
            return size
    return 0
