"""Measurements that must follow the standard whoever sits in front of the camera: head level
(pitch) from the ear-to-eye line, hair cut by the top edge, loose hair beside the head."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from station.face.landmarks import head_pose, level_pitch
from station.liveness.synthetic import rotate
from station.photo.analysis import PhotoAnalyser
from station.photo.geometry import hair_at_top_edge
from station.photo.measures import background_measures

_points: dict[str, np.ndarray] = {}


@pytest.fixture
def frontal_points(faces_dir) -> np.ndarray:
    if "frontal" not in _points:
        image = cv2.imread(str(faces_dir / "portraits" / "ppp_frontal_white_bg.jpg"))
        with PhotoAnalyser() as analyser:
            _points["frontal"] = analyser._faces(image)[0].points
    return _points["frontal"]


@pytest.mark.parametrize("nod", [-12.0, -6.0, 6.0, 12.0])
def test_level_pitch_follows_a_nod_degree_for_degree(frontal_points, nod):
    before = level_pitch(frontal_points)
    after = level_pitch(rotate(frontal_points, pitch_deg=nod))
    assert after - before == pytest.approx(nod, abs=0.6)


@pytest.mark.parametrize("turn", [-15.0, 8.0, 15.0])
def test_level_pitch_ignores_a_turn(frontal_points, turn):
    # The two ears move oppositely when the head turns; their mean stays level.
    turned = rotate(frontal_points, yaw_deg=turn)
    assert level_pitch(turned) == pytest.approx(level_pitch(frontal_points), abs=1.0)


def test_level_pitch_does_not_move_with_the_jaw(frontal_points):
    # Drop the jaw and push it forward (a longer chin, a smile's raised cheeks pulling the
    # mouth): the forehead-to-chin line tilts, the ears and the eye corners stay.
    points = frontal_points.copy()
    mouth_y = float(points[[61, 291], 1].mean())
    face_length = float(points[152, 1] - points[10, 1])
    below = points[:, 1] > mouth_y
    points[below, 1] += 0.06 * face_length
    points[below, 2] -= 0.08 * face_length
    assert abs(head_pose(points)[1] - head_pose(frontal_points)[1]) > 2.0
    assert level_pitch(points) == pytest.approx(level_pitch(frontal_points), abs=0.2)


def _head_top_image(hair_top: int, strand: bool) -> np.ndarray:
    """A studio-sized frame (1400 px high, a 600 px wide head) with the hair's top at
    ``hair_top`` (negative: above the frame)."""
    image = np.full((1400, 1400, 3), 245, np.uint8)
    cv2.ellipse(image, (700, hair_top + 400), (300, 400), 0, 0, 360, (40, 35, 30), -1)
    if strand:  # one fine strand from the hair up to the edge
        cv2.line(image, (690, hair_top + 5), (686, 0), (40, 35, 30), 1)
    return image


def test_hair_cut_by_the_top_edge_hides_the_top_of_the_head():
    assert hair_at_top_edge(_head_top_image(-60, strand=False), 700.0, 600.0)
    assert hair_at_top_edge(_head_top_image(0, strand=False), 700.0, 600.0)


def test_a_stray_strand_reaching_the_edge_does_not():
    assert not hair_at_top_edge(_head_top_image(10, strand=True), 700.0, 600.0)
    assert not hair_at_top_edge(_head_top_image(10, strand=False), 700.0, 600.0)


def _portrait_with(draw: str) -> tuple[np.ndarray, np.ndarray]:
    """A head on white, its person mask, and loose strands or an object beside it."""
    image = np.full((531, 413, 3), 250, np.uint8)
    mask = np.zeros((531, 413), np.float32)
    cv2.ellipse(image, (206, 250), (120, 160), 0, 0, 360, (120, 140, 170), -1)
    cv2.ellipse(mask, (206, 250), (120, 160), 0, 0, 360, 1.0, -1)
    rng = np.random.default_rng(7)
    if draw == "strands":  # thin curls hanging from the hair, 10-45 px out
        for angle in rng.uniform(0, 2 * np.pi, 150):
            start = np.array([206 + 118 * np.cos(angle), 250 + 158 * np.sin(angle)])
            length = rng.uniform(10, 45)
            bend = rng.uniform(-0.6, 0.6)
            end = start + length * np.array([np.cos(angle + bend), np.sin(angle + bend)])
            cv2.line(image, tuple(int(v) for v in start), tuple(int(v) for v in end),
                     (40, 35, 30), 1)  # fmt: skip
    elif draw == "object":  # a poster on the wall beside the head, touching the hair
        cv2.rectangle(image, (4, 10), (96, 200), (60, 60, 60), 2)
        for y in range(18, 195, 9):
            cv2.line(image, (10, y), (90, y), (90, 90, 90), 1)
    return image, mask


def test_loose_hair_beside_the_head_is_not_a_background_mark():
    plain, mask = _portrait_with("none")
    strands, _ = _portrait_with("strands")
    box = (0, 0, 413, 531)
    clean = background_measures(plain, mask, box)
    hairy = background_measures(strands, mask, box)
    assert clean is not None and hairy is not None
    assert clean.clutter < 0.005
    # Counted as edges, these strands measure 0.039, at the profiles' limit (0.04).
    assert hairy.clutter < 0.02


def test_an_object_on_the_background_still_is():
    framed, mask = _portrait_with("object")
    measures = background_measures(framed, mask, (0, 0, 413, 531))
    assert measures is not None and measures.clutter > 0.04
