"""Chip photos of simulated cards, and the demo decoder that stands in for the vendor library.

A real card's 1024-byte photo block is WLT, a proprietary wavelet format only a vendor library
decodes. A simulated card needs a photo block of the same size that really carries its
picture, so the simulator packs the 102x126 chip picture as WebP (a lossy wavelet-like codec
that fits 1024 bytes at a quality close to a chip photo's) behind a marker no real WLT block
starts with:

    b"SIMWLT" | version 1 | length (2 bytes, big-endian) | WebP | zero padding to 1024

``DemoWltDecoder`` is the stand-in decoder (station.identity.chip_photo.PhotoDecoder): it
recognises only that marker and returns a 24-bit BMP as a vendor library does. Only the
factory of demo mode's simulated reader hands it to the reader; photos it decodes carry
``PhotoStatus.SIMULATED``.
"""

from __future__ import annotations

import cv2
import numpy as np

from station.i18n import both
from station.identity.chip_photo import (
    PHOTO_HEIGHT,
    PHOTO_WIDTH,
    WLT_SIZE,
    PhotoDecodeError,
    PhotoStatus,
)

MARKER = b"SIMWLT\x01"
_HEADER = len(MARKER) + 2
_ROOM = WLT_SIZE - _HEADER


def encode_chip_photo(image: np.ndarray) -> bytes:
    """The 1024-byte photo block of a simulated card holding ``image`` (BGR, resized to
    102x126): the best WebP quality that fits."""
    if image.shape[:2] != (PHOTO_HEIGHT, PHOTO_WIDTH):
        image = cv2.resize(image, (PHOTO_WIDTH, PHOTO_HEIGHT), interpolation=cv2.INTER_AREA)
    for quality in range(90, 0, -5):
        ok, encoded = cv2.imencode(".webp", image, [cv2.IMWRITE_WEBP_QUALITY, quality])
        if ok and len(encoded) <= _ROOM:
            data = encoded.tobytes()
            block = MARKER + len(data).to_bytes(2, "big") + data
            return block + bytes(WLT_SIZE - len(block))
    raise ValueError("the chip picture does not fit a 1024-byte photo block")


class DemoWltDecoder:
    """Decodes simulated cards' photo blocks into 102x126 24-bit BMP files."""

    def recognises(self, wlt: bytes) -> bool:
        return len(wlt) == WLT_SIZE and wlt.startswith(MARKER)

    def decode(self, wlt: bytes) -> bytes:
        if not self.recognises(wlt):
            raise PhotoDecodeError(PhotoStatus.DECODE_FAILED, both(
                "ChipPhoto", "This is not a simulated card's photo."))
        length = int.from_bytes(wlt[len(MARKER) : _HEADER], "big")
        data = np.frombuffer(wlt[_HEADER : _HEADER + length], np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_COLOR) if 0 < length <= _ROOM else None
        if image is None or image.shape[:2] != (PHOTO_HEIGHT, PHOTO_WIDTH):
            raise PhotoDecodeError(PhotoStatus.DECODE_FAILED, both(
                "ChipPhoto", "The simulated card's photo is damaged."))
        ok, bmp = cv2.imencode(".bmp", image)
        if not ok:
            raise PhotoDecodeError(PhotoStatus.DECODE_FAILED, both(
                "ChipPhoto", "The simulated card's photo is damaged."))
        return bmp.tobytes()
