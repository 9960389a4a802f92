"""Each non-geometric measure fails when its defect is painted onto a compliant portrait."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest

from station.photo.analysis import PhotoAnalyser
from station.photo.report import PhotoReport

# The portrait ends too close below the chin for a GA 482 crop; every defect below is one any
# profile refuses, so they are painted onto a portrait that passes ICAO.
PROFILE = "icao-9303"


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
    report = analyser.analyse(portrait, PROFILE)
    assert report.compliant, _failed(report)


def test_sunglasses_hide_the_eyes(analyser, portrait, points):
    image = portrait.copy()
    for outer, inner in ((33, 133), (362, 263)):
        centre = ((points[outer, :2] + points[inner, :2]) / 2).astype(int)
        radius = int(np.linalg.norm(points[outer, :2] - points[inner, :2]) * 0.85)
        cv2.ellipse(image, tuple(int(v) for v in centre), (radius, int(radius * 0.75)), 0, 0, 360,
                    (20, 20, 20), -1)  # fmt: skip
    assert "dark_lenses" in _failed(analyser.analyse(image, PROFILE))


def test_glare_on_the_eyes(analyser, portrait, points):
    image = portrait.copy()
    for iris in (468, 473):
        x, y = (int(v) for v in points[iris, :2])
        cv2.ellipse(image, (x + 8, y - 4), (22, 12), 20, 0, 360, (255, 255, 255), -1)
    assert "glasses_glare" in _failed(analyser.analyse(image, PROFILE))


def test_a_hat_raises_the_crown(analyser, portrait, points):
    image = portrait.copy()
    x, y = int(points[168, 0]), int(points[10, 1])
    face_w = int(points[454, 0] - points[234, 0])
    face_h = int(points[152, 1] - points[10, 1])
    cv2.rectangle(image, (x - int(face_w * 0.7), y - int(face_h * 1.2)),
                  (x + int(face_w * 0.7), y - int(face_h * 0.1)), (40, 30, 120), -1)  # fmt: skip
    cv2.rectangle(image, (x - face_w, y - int(face_h * 0.25)), (x + face_w, y - int(face_h * 0.1)),
                  (40, 30, 120), -1)  # fmt: skip
    report = analyser.analyse(image, PROFILE)
    assert "head_covering" in _failed(report)


def test_blur(analyser, portrait):
    blurred = cv2.GaussianBlur(portrait, (0, 0), 6)
    assert "sharpness" in _failed(analyser.analyse(blurred, PROFILE))


def test_underexposure(analyser, portrait):
    dark = (portrait.astype(np.float32) * 0.25).astype(np.uint8)
    assert {"exposure", "dynamic_range"} <= _failed(analyser.analyse(dark, PROFILE))


def test_overexposure(analyser, portrait):
    bright = np.clip(portrait.astype(np.float32) * 2.2 + 40, 0, 255).astype(np.uint8)
    failed = _failed(analyser.analyse(bright, PROFILE))
    assert failed & {"exposure", "clipping"}


def _relit(image: np.ndarray, gain: np.ndarray) -> np.ndarray:
    """Multiply the light falling on ``image`` by ``gain`` (per column), in linear light."""
    linear = (image.astype(np.float32) / 255.0) ** 2.2
    return np.clip((linear * gain[None, :, None]) ** (1 / 2.2) * 255.0, 0, 255).astype(np.uint8)


def _half_shadow(width: int, points: np.ndarray, stops: float) -> np.ndarray:
    """A lamp from one side: the far half of the face gets ``stops`` less light."""
    x = np.arange(width, dtype=np.float32)
    centre, face_width = float(points[168, 0]), float(points[454, 0] - points[234, 0])
    t = np.clip((x - (centre - 0.1 * face_width)) / (0.2 * face_width), 0, 1)
    return 1.0 - (1.0 - 2.0**-stops) * t * t * (3 - 2 * t)


def test_light_from_one_side(analyser, portrait, points):
    # Calibration (bench.photo_accuracy): even studio light measures <= 0.6 stops between the
    # cheeks on every CFD group; a 1.5-stop side light is refused whichever side it comes from.
    for gain in (_half_shadow(portrait.shape[1], points, 1.5),
                 _half_shadow(portrait.shape[1], points, 1.5)[::-1].copy()):  # fmt: skip
        assert "illumination" in _failed(analyser.analyse(_relit(portrait, gain), PROFILE))


def test_illumination_does_not_depend_on_skin_tone(analyser, portrait):
    # The same even light on a darker skin (reflectance x 0.3) keeps the lighting ratio.
    darker = _relit(portrait, np.full(portrait.shape[1], 0.3, np.float32))
    even = analyser.analyse(portrait, PROFILE).check("illumination")
    dark = analyser.analyse(darker, PROFILE).check("illumination")
    assert even.passed and dark.passed
    assert abs(even.value - dark.value) < 0.15


def test_coloured_lens_reflections_count_as_glare(analyser, portrait, points):
    image = portrait.copy()
    for iris in (468, 473):
        x, y = int(points[iris, 0]), int(points[iris, 1])
        cv2.ellipse(image, (x + 6, y - 3), (20, 11), 20, 0, 360, (120, 235, 60), -1)  # green
    assert "glasses_glare" in _failed(analyser.analyse(image, PROFILE))


def test_a_shadow_beside_the_head_is_refused_but_a_vignette_is_not(analyser, faces_dir):
    image = cv2.imread(str(faces_dir / "cfd" / "CFD-WM-222-057-N.jpg")).astype(np.float32)
    height, width = image.shape[:2]
    assert analyser.analyse(image.astype(np.uint8), PROFILE).check("background_uniformity").passed
    shade = np.ones((height, width), np.float32)
    cv2.ellipse(shade, (int(width * 0.78), int(height * 0.45)), (int(width * 0.09),
                int(height * 0.3)), 0, 0, 360, 0.8, -1)  # fmt: skip
    shade = cv2.GaussianBlur(shade, (0, 0), width * 0.02)
    shadowed = analyser.analyse((image * shade[..., None]).astype(np.uint8), PROFILE)
    assert "background_uniformity" in _failed(shadowed)
    y = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    x = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    vignette = np.clip(image * (1 - 0.18 * (x**2 + y**2))[..., None], 0, 255).astype(np.uint8)
    assert analyser.analyse(vignette, PROFILE).check("background_uniformity").passed


def test_colour_cast(analyser, portrait):
    blue = portrait.copy()
    blue[..., 0] = np.clip(blue[..., 0].astype(np.int16) + 90, 0, 255).astype(np.uint8)
    blue[..., 2] = (blue[..., 2] * 0.5).astype(np.uint8)
    assert "colour" in _failed(analyser.analyse(blue, PROFILE))


def test_turned_and_tilted_heads(analyser, portrait):
    height, width = portrait.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), 15, 1.0)
    tilted = cv2.warpAffine(portrait, matrix, (width, height), borderValue=(255, 255, 255))
    assert "roll" in _failed(analyser.analyse(tilted, PROFILE))


@pytest.mark.parametrize("rgb", [(173, 216, 230), (135, 206, 250), (67, 142, 219)])
def test_icao_accepts_a_light_blue_background_the_licence_does_not(analyser, faces_dir, rgb):
    image = cv2.imread(str(faces_dir / "cfd" / "CFD-WM-222-057-N.jpg"))
    backdrop = cv2.GaussianBlur((image.min(axis=2) >= 245).astype(np.float32), (0, 0), 2)[..., None]
    blue = np.array(rgb[::-1], np.float32)
    tinted = (image * (1 - backdrop) + blue * backdrop).astype(np.uint8)
    icao = analyser.analyse(tinted, "icao-9303")
    assert icao.check("background_colour").passed and icao.check("background_lightness").passed
    licence = analyser.analyse(tinted, "cn-driving-licence")
    assert not (licence.check("background_colour").passed
                and licence.check("background_lightness").passed)  # fmt: skip
