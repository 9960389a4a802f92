"""OFIQ-style mappings of raw measures to 0-100 scores (ISO/IEC 29794-5 / OFIQ conventions).

A check passes by comparing its raw value with the profile's threshold; the score is centred so
that the threshold maps to 50 and grows towards 100 as the value gets safely better.
"""

from __future__ import annotations

import math


def sigmoid(x: float, x0: float, width: float) -> float:
    z = (x - x0) / width if width else 0.0
    z = max(-60.0, min(60.0, z))
    return 1.0 / (1.0 + math.exp(-z))


def at_least(value: float, threshold: float, width: float) -> float:
    """Score for "value >= threshold" (50 at the threshold)."""
    return 100.0 * sigmoid(value, threshold, width)


def at_most(value: float, threshold: float, width: float) -> float:
    """Score for "value <= threshold" (50 at the threshold)."""
    return 100.0 * (1.0 - sigmoid(value, threshold, width))


def within(value: float, low: float, high: float, width: float) -> float:
    """Score for low <= value <= high: the worse of the two sides."""
    return min(at_least(value, low, width), at_most(value, high, width))


def pose_score(angle_deg: float) -> float:
    """OFIQ head pose: 100 * max(0, cos(angle))^2."""
    return 100.0 * max(0.0, math.cos(math.radians(angle_deg))) ** 2
