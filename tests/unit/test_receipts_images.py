"""Photo and signature bytes for printing: anything unreadable gives None, never an exception."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from station.receipts.images import decode_image


def encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def test_transparent_signature_is_laid_on_white() -> None:
    image = Image.new("RGBA", (20, 10), (0, 0, 0, 0))
    image.putpixel((5, 5), (10, 20, 90, 255))
    decoded = decode_image(encoded(image, "PNG"), "signature")
    assert decoded is not None and decoded.mode == "RGB"
    assert decoded.getpixel((0, 0)) == (255, 255, 255)
    assert decoded.getpixel((5, 5)) == (10, 20, 90)


def test_grey_and_palette_images_become_rgb() -> None:
    assert decode_image(encoded(Image.new("L", (8, 8), 128), "JPEG"), "photo").mode == "RGB"  # type: ignore[union-attr]
    assert decode_image(encoded(Image.new("P", (8, 8)), "GIF"), "photo").mode == "RGB"  # type: ignore[union-attr]


def test_absurdly_large_image_is_refused_without_decoding() -> None:
    huge = encoded(Image.new("1", (7000, 7000)), "PNG")  # 49 Mpx, a few kB on disk
    assert decode_image(huge, "photo") is None


def test_nothing_gives_none() -> None:
    assert decode_image(None, "photo") is None
    assert decode_image(b"", "photo") is None


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = decode_image(data, "photo")
    assert result is None or result.mode == "RGB"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=400), st.data())
def test_damaged_jpeg_never_raises(cut: int, data: st.DataObject) -> None:
    jpeg = encoded(Image.new("RGB", (40, 30), (200, 30, 30)), "JPEG")
    position = data.draw(st.integers(min_value=0, max_value=len(jpeg) - 1))
    damaged = jpeg[:position] + bytes([jpeg[position] ^ 0xFF]) + jpeg[position + 1:][:-cut]
    result = decode_image(damaged, "photo")
    assert result is None or result.size == (40, 30)
