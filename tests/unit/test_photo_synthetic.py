"""Each non-geometric measure fails when its defect is painted onto a compliant portrait."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from station.photo.analysis import PhotoAnalyser
from station.photo.report import PhotoReport


@pytest.fixture(scope="module")
def analyser() -> Iterator[PhotoAnalyser]:
    with PhotoAnalyser() as instance:
        yield instance


_cache: dict[str, np.ndarray] = {}


@pytest.fixture
def portrait(faces_dir) -> np.ndarray:
    if "portrait" not in _cache:
        image = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"))
        _cache["portrait"] = cv2.resize(image, (1296, 972), interpolation=cv2.INTER_AREA)
    return _cache["portrait"]


@pytest.fixture
def points(analyser, portrait) -> np.ndarray:
    return analyser._faces(portrait)[0].points


def _failed(report: PhotoReport) -> set[str]:
    return {check.name for check in report.failed}


def test_the_unmodified_portrait_passes(analyser, portrait):
    report = analyser.analyse(portrait, "cn-driving-licence")
    assert report.compliant, _failed(report)


def test_sunglasses_hide_the_eyes(analyser, portrait, points):
    image = portrait.copy()
    for outer, inner in ((33, 133), (362, 263)):
        centre = ((points[outer, :2] + points[inner, :2]) / 2).astype(int)
        radius = int(np.linalg.norm(points[outer, :2] - points[inner, :2]) * 0.85)
        cv2.ellipse(image, tuple(int(v) for v in centre), (radius, int(radius * 0.75)), 0, 0, 360,
                    (20, 20, 20), -1)  # fmt: skip
    assert "dark_lenses" in _failed(analyser.analyse(image, "cn-driving-licence"))


def test_glare_on_the_eyes(analyser, portrait, points):
    image = portrait.copy()
    for iris in (468, 473):
        x, y = (int(v) for v in points[iris, :2])
        cv2.ellipse(image, (x + 8, y - 4), (22, 12), 20, 0, 360, (255, 255, 255), -1)
    assert "glasses_glare" in _failed(analyser.analyse(image, "cn-driving-licence"))


def test_a_hat_raises_the_crown(analyser, portrait, points):
    image = portrait.copy()
    x, y = int(points[168, 0]), int(points[10, 1])
    face_w = int(points[454, 0] - points[234, 0])
    face_h = int(points[152, 1] - points[10, 1])
    cv2.rectangle(image, (x - int(face_w * 0.7), y - int(face_h * 1.2)),
                  (x + int(face_w * 0.7), y - int(face_h * 0.1)), (40, 30, 120), -1)  # fmt: skip
    cv2.rectangle(image, (x - face_w, y - int(face_h * 0.25)), (x + face_w, y - int(face_h * 0.1)),
                  (40, 30, 120), -1)  # fmt: skip
    report = analyser.analyse(image, "cn-driving-licence")
    assert "head_covering" in _failed(report)


def test_blur(analyser, portrait):
    blurred = cv2.GaussianBlur(portrait, (0, 0), 6)
    assert "sharpness" in _failed(analyser.analyse(blurred, "cn-driving-licence"))


def test_underexposure(analyser, portrait):
    dark = (portrait.astype(np.float32) * 0.25).astype(np.uint8)
    assert {"exposure", "dynamic_range"} <= _failed(analyser.analyse(dark, "cn-driving-licence"))


def test_overexposure(analyser, portrait):
    bright = np.clip(portrait.astype(np.float32) * 2.2 + 40, 0, 255).astype(np.uint8)
    failed = _failed(analyser.analyse(bright, "cn-driving-licence"))
    assert failed & {"exposure", "clipping"}


def test_light_from_one_side(analyser, portrait):
    ramp = np.linspace(0.3, 1.0, portrait.shape[1], dtype=np.float32)[None, :, None]
    side_lit = np.clip(portrait * ramp, 0, 255).astype(np.uint8)
    assert "illumination" in _failed(analyser.analyse(side_lit, "cn-driving-licence"))


def test_colour_cast(analyser, portrait):
    blue = portrait.copy()
    blue[..., 0] = np.clip(blue[..., 0].astype(np.int16) + 90, 0, 255).astype(np.uint8)
    blue[..., 2] = (blue[..., 2] * 0.5).astype(np.uint8)
    assert "colour" in _failed(analyser.analyse(blue, "cn-driving-licence"))


def test_turned_and_tilted_heads(analyser, portrait):
    height, width = portrait.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), 15, 1.0)
    tilted = cv2.warpAffine(portrait, matrix, (width, height), borderValue=(255, 255, 255))
    assert "roll" in _failed(analyser.analyse(tilted, "cn-driving-licence"))
