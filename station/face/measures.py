"""Simple geometric measures on the 478-point face mesh (pixels), shared by photo and liveness."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Eye contours as used by public liveness code: p1 (outer/inner corner), p2, p3 (upper lid),
# p4 (other corner), p5, p6 (lower lid). "Left" and "right" are the person's.
RIGHT_EYE = (33, 160, 158, 133, 153, 144)
LEFT_EYE = (362, 385, 387, 263, 373, 380)
# Lips: inner upper/lower mid points and the mouth corners.
UPPER_LIP_INNER = 13
LOWER_LIP_INNER = 14
MOUTH_LEFT_CORNER = 291
MOUTH_RIGHT_CORNER = 61
RIGHT_IRIS_CENTRE = 468
LEFT_IRIS_CENTRE = 473
CHIN = 152


def _distance(points: np.ndarray, a: int, b: int) -> float:
    return float(np.linalg.norm(points[a, :2] - points[b, :2]))


def eye_aspect_ratio(points: np.ndarray, eye: Sequence[int]) -> float:
    """(|p2-p6| + |p3-p5|) / (2 |p1-p4|): about 0.25-0.35 open, below ~0.2 closed."""
    p1, p2, p3, p4, p5, p6 = eye
    width = _distance(points, p1, p4)
    if width <= 0:
        return 0.0
    return (_distance(points, p2, p6) + _distance(points, p3, p5)) / (2.0 * width)


def eye_aspect_ratios(points: np.ndarray) -> tuple[float, float]:
    """(right eye, left eye) aspect ratios (the person's right and left)."""
    return eye_aspect_ratio(points, RIGHT_EYE), eye_aspect_ratio(points, LEFT_EYE)


def mean_eye_aspect_ratio(points: np.ndarray) -> float:
    right, left = eye_aspect_ratios(points)
    return (right + left) / 2.0


def mouth_opening_ratio(points: np.ndarray) -> float:
    """Gap between the inner lips divided by the mouth width: ~0 closed, > ~0.1 open."""
    width = _distance(points, MOUTH_LEFT_CORNER, MOUTH_RIGHT_CORNER)
    if width <= 0:
        return 0.0
    return _distance(points, UPPER_LIP_INNER, LOWER_LIP_INNER) / width


def eye_mid_to_chin(points: np.ndarray) -> float:
    """OFIQ's normaliser T: distance from the midpoint of the iris centres to the chin."""
    mid = (points[RIGHT_IRIS_CENTRE, :2] + points[LEFT_IRIS_CENTRE, :2]) / 2.0
    return float(np.linalg.norm(points[CHIN, :2] - mid))


def eye_openings(points: np.ndarray) -> tuple[float, float]:
    """(right, left) lid openings as OFIQ normalises them: mean lid gap / eye-mid-to-chin."""
    scale = eye_mid_to_chin(points) or 1.0
    openings = []
    for _p1, p2, p3, _p4, p5, p6 in (RIGHT_EYE, LEFT_EYE):
        gap = (_distance(points, p2, p6) + _distance(points, p3, p5)) / 2.0
        openings.append(gap / scale)
    return openings[0], openings[1]
