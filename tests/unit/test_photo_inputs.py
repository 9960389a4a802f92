"""Awkward inputs: corrupt, empty, huge, RGBA, EXIF-rotated, grayscale and 16-bit images."""

from __future__ import annotations

import io
from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from station.photo.analysis import PhotoAnalyser
from station.photo.images import ImageLoadError, load_image


@pytest.fixture(scope="module")
def analyser() -> Iterator[PhotoAnalyser]:
    with PhotoAnalyser() as instance:
        yield instance


def _jpeg(image: Image.Image, **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **kwargs)
    return buffer.getvalue()


def _portrait(faces_dir) -> Image.Image:
    image = Image.open(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg")
    return image.resize((864, 648))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"hello, not an image", "not a readable image"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not a readable image"),
    ],
)
def test_unreadable_bytes_give_a_clear_result(analyser, data, reason):
    report = analyser.analyse_file(data, "cn-driving-licence")
    assert not report.compliant
    (check,) = report.checks
    assert check.name == "readable" and reason in str(check.value)
    assert check.message_zh != check.message_en


def test_missing_file(analyser, tmp_path):
    report = analyser.analyse_file(tmp_path / "nope.jpg", "cn-driving-licence")
    assert report.checks[0].name == "readable" and "cannot read" in str(report.checks[0].value)


def test_truncated_jpeg(analyser, faces_dir):
    data = (faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").read_bytes()
    report = analyser.analyse_file(data[: len(data) // 3], "cn-driving-licence")
    assert report.checks[0].name == "readable" and not report.checks[0].passed


@pytest.mark.parametrize("side", [9_000, 12_000, 14_000])
def test_huge_images_are_refused_before_decoding(side, tmp_path):
    path = tmp_path / "huge.png"
    Image.new("1", (side, side)).save(path)  # tiny file, enormous pixel count
    with pytest.raises(ImageLoadError, match="too large"):
        load_image(path)


def test_rgba_is_composited_on_white(faces_dir):
    loaded = load_image(faces_dir / "portraits" / "fr_rgba_32bit.png")
    assert loaded.had_alpha and loaded.bgr.shape[2] == 3
    transparent = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    buffer = io.BytesIO()
    transparent.save(buffer, format="PNG")
    assert int(load_image(buffer.getvalue()).bgr.min()) == 255


def test_exif_rotation_is_applied(analyser, faces_dir):
    upright = _portrait(faces_dir)
    stored = upright.rotate(90, expand=True)  # pixels lie on their side ...
    exif = Image.Exif()
    exif[0x0112] = 6  # ... and EXIF says: rotate 90 degrees clockwise to display
    loaded = load_image(_jpeg(stored, exif=exif.tobytes(), quality=92))
    assert loaded.exif_rotated
    assert loaded.bgr.shape[:2] == (648, 864)
    report = analyser.analyse(loaded, "cn-driving-licence", mode="capture")
    assert report.check("face_count").passed
    assert abs(report.check("roll").value) < 5


def test_grayscale_fails_only_the_colour_check(analyser, faces_dir):
    gray = Image.open(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg").convert("L")
    loaded = load_image(_jpeg(gray, quality=92))
    assert not loaded.is_colour
    # ICAO: this portrait ends too close below the chin for a GA 482 crop (see the verdicts).
    report = analyser.analyse(loaded, "icao-9303", mode="capture")
    assert {check.name for check in report.failed} == {"colour"}


def test_sixteen_bit_png(faces_dir, tmp_path):
    gray = np.asarray(_portrait(faces_dir).convert("L"), dtype=np.uint16) * 257
    path = tmp_path / "deep.png"
    cv2.imwrite(str(path), gray)
    loaded = load_image(path)
    assert loaded.bgr.dtype == np.uint8 and loaded.bgr.shape == (648, 864, 3)


def test_tiny_and_odd_arrays(analyser):
    assert analyser.analyse(np.zeros((4, 4, 3), np.uint8), "icao-9303").checks[0].name == "readable"
    blank = analyser.analyse(np.full((720, 1280), 200, np.uint8), "icao-9303")
    assert blank.checks[0].name == "face_count" and not blank.compliant
    bgra = analyser.analyse(np.zeros((100, 100, 4), np.uint8), "icao-9303")
    assert bgra.checks[0].name == "face_count"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_load_image_never_escapes(data):
    try:
        loaded = load_image(data)
    except ImageLoadError as exc:
        assert str(exc)
    else:
        assert loaded.bgr.ndim == 3
