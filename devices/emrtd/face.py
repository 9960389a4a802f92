"""The DG2 portrait: find the image in an ISO/IEC 19794-5 record and decode it.

The image type is taken from the magic bytes, never from the record's type field (chips
label JPEG 2000 images as JPEG and the other way round).
"""

from __future__ import annotations

import io

from PIL import Image, UnidentifiedImageError

from station.identity.passport import FaceImage

MAGIC = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", "jp2"),
    (b"\x00\x00\x00\x0cjP", "jp2"),
    (b"\xff\x4f\xff\x51", "j2k"),
)
_RECORD_HEADER = 14  # 'FAC\0', version, record length (4), number of images (2)
_FACE_INFO = 20
_FEATURE_POINT = 8
_IMAGE_INFO = 12
Image.MAX_IMAGE_PIXELS = 40_000_000  # portraits are small; refuse decompression bombs


class FaceImageError(ValueError):
    """No decodable portrait in the record."""


def image_format(data: bytes) -> str | None:
    return next((name for magic, name in MAGIC if data.startswith(magic)), None)


def _image_offset(record: bytes) -> int | None:
    """Offset of the first image in a 19794-5 record, from its headers."""
    if not record.startswith(b"FAC\x00") or len(record) < _RECORD_HEADER + _FACE_INFO:
        return None
    info = _RECORD_HEADER
    feature_points = int.from_bytes(record[info + 4 : info + 6], "big")
    offset = info + _FACE_INFO + feature_points * _FEATURE_POINT + _IMAGE_INFO
    return offset if offset < len(record) else None


def extract_image(record: bytes) -> tuple[str, bytes]:
    """(format, image bytes) from a biometric data block."""
    offset = _image_offset(record)
    if offset is not None and image_format(record[offset:]):
        data = record[offset:]
    else:
        # Headers that do not add up: look for the first known magic instead.
        hits = [(record.find(magic), name) for magic, name in MAGIC if record.find(magic) >= 0]
        if not hits:
            raise FaceImageError("no JPEG or JPEG 2000 image in the biometric data block")
        data = record[min(hits)[0] :]
    found = image_format(data)
    assert found is not None
    return found, data


def decode_face(record: bytes) -> FaceImage:
    """Decode the portrait fully (so a truncated image is caught here, not in the UI)."""
    kind, data = extract_image(record)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError) as exc:
        raise FaceImageError(f"the {kind} portrait cannot be decoded: {exc}") from exc
    return FaceImage(kind, data, width, height)


def to_rgb_array(face: FaceImage) -> object:
    """The portrait as an RGB numpy array (height x width x 3)."""
    import numpy as np

    with Image.open(io.BytesIO(face.data)) as image:
        return np.asarray(image.convert("RGB"))
