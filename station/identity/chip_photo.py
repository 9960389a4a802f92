"""The chip photo: 1024 bytes of WLT, decodable only by a vendor library (ctypes).

No open WLT decoder exists. We always keep the raw WLT; when
``settings.devices.idcard.wlt_decoder_library`` names a vendor library we decode through it
into a 102x126 24-bit BMP, otherwise the photo's status says why there is no image so the flow
can flag the case for review instead of failing.

Two vendor entry points are supported:
- ``int unpack(char *wlt, char *out, int save)`` (libwlt2bmp.so / libwltu.so) returning 1 on
  success; ``out`` receives either a whole BMP file or its bottom-up pixel rows (102 x 3
  bytes padded to 308) which we wrap in a BMP header;
- ``int GetBmp(char *wlt_path, int interface)`` (WltRS / termb style) which writes the
  ``.bmp`` next to the ``.wlt`` file and returns 1 on success.

A demo station's simulated reader serves chip photos that a stand-in decoder (the
``PhotoDecoder`` protocol, devices.idcard.simphoto) decodes instead; those photos say
``status == SIMULATED`` everywhere they go. Real readers never get a stand-in.
"""

from __future__ import annotations

import ctypes
import enum
import struct
import tempfile
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from station.i18n import both, current_language
from station.identity.checks import fmt

WLT_SIZE = 1024
PHOTO_WIDTH = 102
PHOTO_HEIGHT = 126
_ROW = (PHOTO_WIDTH * 3 + 3) // 4 * 4
_PIXELS = _ROW * PHOTO_HEIGHT
_OUT_BUFFER = 65536


class PhotoStatus(enum.StrEnum):
    DECODED = "decoded"
    SIMULATED = "simulated"  # a demo card's photo, decoded by the demo stand-in decoder
    DECODER_NOT_CONFIGURED = "decoder_not_configured"
    DECODER_UNAVAILABLE = "decoder_unavailable"
    DECODE_FAILED = "decode_failed"
    MISSING = "missing"


@dataclass(frozen=True)
class ChipPhoto:
    wlt: bytes
    status: PhotoStatus
    reason: dict[str, str] = field(default_factory=dict)  # why not decoded; empty when decoded
    bmp: bytes | None = None  # BMP file (102x126, 24-bit) when decoded

    @property
    def decoded(self) -> bool:
        return self.bmp is not None

    @property
    def simulated(self) -> bool:
        """A demo card's photo (decoded by the demo decoder, not by a vendor library)."""
        return self.status is PhotoStatus.SIMULATED

    @property
    def message(self) -> str:
        if not self.reason:
            return ""
        return self.reason["en"] if current_language() == "en" else self.reason["zh"]

    def info(self) -> dict[str, Any]:
        """Photo facts for JSON: format, size, decoded, status, reason."""
        data: dict[str, Any] = {
            "format": "wlt",
            "size": len(self.wlt),
            "decoded": self.decoded,
            "status": self.status.value,
        }
        if self.decoded:
            data.update(decoded_format="bmp", width=PHOTO_WIDTH, height=PHOTO_HEIGHT)
            data["simulated"] = self.simulated
        else:
            data["reason"] = self.reason
        return data


class PhotoDecodeError(RuntimeError):
    def __init__(self, status: PhotoStatus, reason: dict[str, str]) -> None:
        super().__init__(reason["en"])
        self.status = status
        self.reason = reason


class PhotoDecoder(Protocol):
    """A stand-in for the vendor library (demo mode): decodes the WLTs it recognises."""

    def recognises(self, wlt: bytes) -> bool: ...

    def decode(self, wlt: bytes) -> bytes:
        """A 102x126 24-bit BMP file; PhotoDecodeError when it cannot."""
        ...


def bmp_from_rows(rows: bytes) -> bytes:
    """Wrap bottom-up BGR rows (padded to 4 bytes) of a 102x126 image in a BMP header."""
    header = struct.pack("<2sIHHI", b"BM", 54 + _PIXELS, 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, PHOTO_WIDTH, PHOTO_HEIGHT, 1, 24, 0, _PIXELS,
                       2835, 2835, 0, 0)
    return header + info + rows[:_PIXELS]


class WltDecoder:
    """A loaded vendor decoder. Calls are serialised: vendor libraries are rarely re-entrant."""

    def __init__(self, library: Path) -> None:
        try:
            self._lib = ctypes.CDLL(str(library))
        except OSError as exc:
            raise PhotoDecodeError(PhotoStatus.DECODER_UNAVAILABLE, fmt(both(
                "ChipPhoto", "The photo decoder library {path} could not be loaded."),
                path=str(library))) from exc
        self._lock = threading.Lock()
        if hasattr(self._lib, "unpack"):
            self._entry = "unpack"
        elif hasattr(self._lib, "GetBmp"):
            self._entry = "GetBmp"
        else:
            raise PhotoDecodeError(PhotoStatus.DECODER_UNAVAILABLE, fmt(both(
                "ChipPhoto", "The library {path} has no known photo decoding function."),
                path=str(library)))

    def decode(self, wlt: bytes) -> bytes:
        with self._lock:
            bmp = self._unpack(wlt) if self._entry == "unpack" else self._get_bmp(wlt)
        if len(bmp) < 54 + _PIXELS or not bmp.startswith(b"BM"):
            raise PhotoDecodeError(PhotoStatus.DECODE_FAILED, both(
                "ChipPhoto", "The photo decoder returned no usable image."))
        return bmp

    def _failed(self, code: int) -> PhotoDecodeError:
        return PhotoDecodeError(PhotoStatus.DECODE_FAILED, fmt(both(
            "ChipPhoto", "The photo decoder failed (code {code})."), code=code))

    def _unpack(self, wlt: bytes) -> bytes:
        source = ctypes.create_string_buffer(wlt, WLT_SIZE)
        out = ctypes.create_string_buffer(_OUT_BUFFER)
        code = self._lib.unpack(source, out, 0)
        if code != 1:
            raise self._failed(code)
        raw = out.raw
        if raw.startswith(b"BM"):
            size = int.from_bytes(raw[2:6], "little")
            return raw[: min(size, _OUT_BUFFER)]
        return bmp_from_rows(raw)

    def _get_bmp(self, wlt: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="wlt-") as folder:
            path = Path(folder) / "zp.wlt"
            path.write_bytes(wlt)
            code = self._lib.GetBmp(str(path).encode(), 2)
            if code != 1:
                raise self._failed(code)
            out = path.with_suffix(".bmp")
            return out.read_bytes() if out.exists() else b""


@lru_cache(maxsize=4)
def _decoder(library: str) -> WltDecoder:
    return WltDecoder(Path(library))


def decode_chip_photo(wlt: bytes, library: Path | str | None, *,
                      stand_in: PhotoDecoder | None = None) -> ChipPhoto:
    """Decode when a library is configured; otherwise (or on failure) keep the WLT and say why.
    ``stand_in`` (demo mode's simulated reader only) decodes the simulated cards' photos; any
    other photo takes the library path as usual."""
    if len(wlt) != WLT_SIZE:
        return ChipPhoto(wlt, PhotoStatus.MISSING, fmt(both(
            "ChipPhoto", "The card returned no chip photo ({size} bytes)."), size=len(wlt)))
    if stand_in is not None and stand_in.recognises(wlt):
        try:
            return ChipPhoto(wlt, PhotoStatus.SIMULATED, {}, stand_in.decode(wlt))
        except PhotoDecodeError as exc:
            return ChipPhoto(wlt, exc.status, exc.reason)
    if not library:
        return ChipPhoto(wlt, PhotoStatus.DECODER_NOT_CONFIGURED, both(
            "ChipPhoto",
            "Chip photo not available: no photo decoder is configured. "
            "The case will be checked by a supervisor."))
    try:
        bmp = _decoder(str(library)).decode(wlt)
    except PhotoDecodeError as exc:
        return ChipPhoto(wlt, exc.status, exc.reason)
    return ChipPhoto(wlt, PhotoStatus.DECODED, {}, bmp)
