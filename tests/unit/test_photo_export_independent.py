"""Exports checked by means independent of the engine: dlib's 68-point landmarks for the chin
and the face, a plain scan of the image for the hair and the background, the file's own
headers; and a pixel comparison proving every exported pixel comes from the source frame."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from station.photo.analysis import PhotoAnalyser
from station.photo.export import ExportError, export_photo
from station.photo.images import load_image
from station.photo.profiles import load_profile

# (source relative to ../shared/data/faces, profile)
SOURCES = [
    ("../../demo/demo_person_white.jpg", "cn-driving-licence"),
    ("portraits/ppp_full_body_hires.jpg", "cn-driving-licence"),
    ("portraits/ppp_full_body_hires.jpg", "icao-9303"),
    ("cfd/CFD-AM-213-056-N.jpg", "icao-9303"),
    ("cfd/CFD-BM-239-136-N.jpg", "icao-9303"),
    ("cfd/CFD-LF-219-223-N.jpg", "icao-9303"),
    # one more of each group not above, women and men (acceptance must not depend on who)
    ("cfd/CFD-IF-609-408-N.jpg", "icao-9303"),
    ("cfd/CFD-MM-319-052-N.jpg", "icao-9303"),
    ("cfd/CFD-WF-209-052-N.jpg", "icao-9303"),
    ("cfd/CFD-AF-216-106-N.jpg", "icao-9303"),
]
# dlib puts the chin (point 8) on the jaw outline, MediaPipe (152) a little lower or higher:
# head length is checked to this many pixels of landmark disagreement.
CHIN_TOLERANCE_PX = 4.0


@pytest.fixture(scope="module")
def analyser() -> Iterator[PhotoAnalyser]:
    with PhotoAnalyser() as instance:
        yield instance


@pytest.fixture(scope="module")
def dlib_landmarks():  # type: ignore[no-untyped-def]
    dlib = pytest.importorskip("dlib")
    models = pytest.importorskip("face_recognition_models")
    detector = dlib.get_frontal_face_detector()
    predictor = dlib.shape_predictor(
        str(Path(models.__file__).parent / "models" / "shape_predictor_68_face_landmarks.dat"))

    def landmarks(bgr: np.ndarray) -> np.ndarray:
        rgb = np.ascontiguousarray(bgr[..., ::-1])
        faces = detector(rgb, 1)
        assert len(faces) == 1, f"dlib found {len(faces)} faces"
        shape = predictor(rgb, faces[0])
        return np.array([(shape.part(i).x, shape.part(i).y) for i in range(68)], float)

    return landmarks


def _background_distance(bgr: np.ndarray) -> np.ndarray:
    """Lab distance of every pixel from the colour of the image's top corners."""
    lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2Lab).astype(np.float32)
    corners = np.concatenate([lab[:6, :12].reshape(-1, 3), lab[:6, -12:].reshape(-1, 3)])
    return np.linalg.norm(lab - np.median(corners, axis=0), axis=2)


def _hair_top(bgr: np.ndarray, centre_x: int, half: int) -> int:
    """First row from the top where the head (hair) starts in a band around the face centre."""
    distance = _background_distance(bgr)[:, max(0, centre_x - half) : centre_x + half]
    rows = (distance > 14).mean(axis=1) >= 0.04
    runs = rows[:-2] & rows[1:-1] & rows[2:]
    return int(np.flatnonzero(runs)[0])


def _silhouette_width(bgr: np.ndarray, rows: range, centre_x: int) -> int:
    """Widest run of non-background pixels through the centre in ``rows`` (ears, side hair)."""
    distance = _background_distance(bgr)
    best = 0
    for row in rows:
        line = cv2.blur(distance[row : row + 1], (5, 1))[0] > 14
        if not line[centre_x]:
            continue
        gaps_left = np.flatnonzero(~line[:centre_x])
        gaps_right = np.flatnonzero(~line[centre_x:])
        left = gaps_left[-1] + 1 if gaps_left.size else 0
        right = centre_x + gaps_right[0] if gaps_right.size else line.size
        best = max(best, int(right - left))
    return best


@pytest.mark.parametrize(("source", "profile_name"), SOURCES)
def test_export_is_exactly_the_profile(faces_dir, analyser, dlib_landmarks, source, profile_name):
    profile = load_profile(profile_name)
    result = export_photo(analyser, load_image(faces_dir / source), profile)
    image = Image.open(io.BytesIO(result.jpeg))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.size == (profile.output.width_px, profile.output.height_px)
    assert image.info["dpi"] == pytest.approx((profile.output.dpi, profile.output.dpi))
    if profile.output.file_size_kb:
        low, high = profile.output.file_size_kb
        assert low * 1024 <= len(result.jpeg) <= high * 1000
    bgr = cv2.imdecode(np.frombuffer(result.jpeg, np.uint8), cv2.IMREAD_COLOR)
    points = dlib_landmarks(bgr)
    chin_y = points[8, 1]
    centre_x = round(float(points[27, 0]))  # nose bridge
    face_width = float(np.linalg.norm(points[16] - points[0]))  # jaw outline at the ears
    geometry = profile.geometry
    # Face centred (ISO/IEC 19794-5 8.3.2 / GA 482 "居中"): the nose bridge within the range.
    low, high = geometry.face_centre_x
    assert low <= points[27, 0] / bgr.shape[1] <= high
    lab = cv2.cvtColor(bgr, cv2.COLOR_BGR2Lab).astype(np.float32)
    corners = np.concatenate([lab[:8, :8].reshape(-1, 3), lab[:8, -8:].reshape(-1, 3)])
    lightness = float(np.median(corners[:, 0])) * 100 / 255
    chroma = float(np.hypot(*(np.median(corners[:, 1:], axis=0) - 128)))
    assert lightness >= profile.background.min_lightness
    if profile.background.tint_hue_deg is None:
        assert chroma <= profile.background.max_chroma
    if geometry.head_top == "hair":
        # GA 482: top of the hair 10-20 px below the edge, hair to chin 224-260 px, head
        # (ears included) 165-189 px wide, on white.
        hair = _hair_top(bgr, centre_x, int(face_width * 0.3))
        m_low, m_high = geometry.crown_margin_px
        assert m_low <= hair <= m_high, hair
        assert geometry.head_length_px is not None
        l_low, l_high = geometry.head_length_px
        assert l_low - CHIN_TOLERANCE_PX <= chin_y - hair <= l_high + CHIN_TOLERANCE_PX
        if geometry.head_width_px is not None:
            w_low, w_high = geometry.head_width_px
            eye_row = int(points[36:48, 1].mean())
            width = _silhouette_width(bgr, range(eye_row, int(points[33, 1])), centre_x)
            assert w_low - 3 <= width <= w_high + 3, width
            assert face_width < w_high  # the jaw outline lies inside the ears
    else:
        # ICAO: chin to crown 70-80 % of the height; the dlib eye line (pupils' midpoint)
        # halfway up the head puts the skull crown at 2 x (chin - eyes) above the chin, and
        # the hair, when it is in the picture, starts above that crown.
        eye_y = float(points[36:48, 1].mean())
        length = (chin_y - eye_y) * 2.0
        assert geometry.head_length_px is not None
        l_low, l_high = geometry.head_length_px
        assert 0.95 * l_low <= length <= 1.05 * l_high, length
        assert _hair_top(bgr, centre_x, int(face_width * 0.3)) < chin_y - length * 0.9


@pytest.mark.parametrize(("source", "profile_name"), SOURCES[:3] + SOURCES[4:5])
def test_every_exported_pixel_comes_from_the_source(faces_dir, analyser, source, profile_name):
    profile = load_profile(profile_name)
    loaded = load_image(faces_dir / source)
    result = export_photo(analyser, loaded, profile)
    left, top, width, height = result.source_report.crop or (0, 0, 0, 0)
    frame_h, frame_w = loaded.bgr.shape[:2]
    assert left >= -0.5 and top >= -0.5
    assert left + width <= frame_w + 0.5 and top + height <= frame_h + 0.5
    _assert_same_pixels(loaded.bgr, result.jpeg, (left, top, width, height))


def _assert_same_pixels(source: np.ndarray, jpeg: bytes,
                        box: tuple[float, float, float, float]) -> None:  # fmt: skip
    """Every row of the export matches the source region resampled (JPEG noise only): a
    mirrored, stretched or filled strip would not."""
    exported = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR).astype(np.float32)
    left, top, width, height = box
    x0, y0 = round(left), round(top)
    x1, y1 = round(left + width), round(top + height)
    assert 0 <= x0 < x1 <= source.shape[1] and 0 <= y0 < y1 <= source.shape[0]
    region = cv2.resize(source[y0:y1, x0:x1], exported.shape[1::-1], interpolation=cv2.INTER_AREA)
    row_error = np.abs(region.astype(np.float32) - exported).mean(axis=(1, 2))
    assert float(row_error.max()) < 8.0, float(row_error.max())
    # ... and the check can fail: a mirrored bottom strip is far off.
    mirrored = exported.copy()
    strip = max(8, exported.shape[0] // 8)
    mirrored[-strip:] = mirrored[-2 * strip : -strip][::-1]
    assert float(np.abs(region - mirrored).mean(axis=(1, 2)).max()) > 8.0


def test_a_frame_cut_at_the_collar_is_never_filled(faces_dir, analyser):
    # CFD portraits end at the collar: a GA 482 crop needs the chest below the chin.
    loaded = load_image(faces_dir / "cfd" / "CFD-WM-222-057-N.jpg")
    with pytest.raises(ExportError) as refused:
        export_photo(analyser, loaded, "cn-driving-licence")
    assert "crop_margins" in {check.name for check in refused.value.checks}
    report = refused.value.report
    assert report.crop_overflow.get("bottom", 0.0) > 0.05
    # A clerk's forced export uses a crop inside the frame (the head larger than the
    # standard), never invented pixels: final mode then says what is wrong.
    forced = export_photo(analyser, loaded, "cn-driving-licence", force=True)
    assert not forced.compliant
    decoded = cv2.imdecode(np.frombuffer(forced.jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape == (378, 260, 3)
    from station.photo.geometry import CropPlan
    from station.photo.render import fit_inside

    left, top, width, height = report.crop or (0, 0, 0, 0)
    assert report.scale is not None
    plan = fit_inside(CropPlan(scale=report.scale, left=left, top=top, width=width,
                               height=height), loaded.bgr.shape[1], loaded.bgr.shape[0])  # fmt: skip
    _assert_same_pixels(loaded.bgr, forced.jpeg, plan.box)


def test_a_finished_photo_passes_capture_mode_again(faces_dir, analyser):
    # Re-checking (or re-exporting) a compliant photo must not fail on a fraction of a pixel.
    loaded = load_image(faces_dir.parent.parent / "demo" / "demo_person_white.jpg")
    first = export_photo(analyser, loaded, "cn-driving-licence")
    again = analyser.analyse_file(first.jpeg, "cn-driving-licence", mode="capture")
    assert again.compliant, [(c.name, c.value) for c in again.failed]
    assert again.scale == pytest.approx(1.0)
    second = export_photo(analyser, load_image(first.jpeg), "cn-driving-licence")
    assert second.compliant
