"""The error-rate arithmetic of bench.biometrics (the numbers the threshold is judged by)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.biometrics import equal_error_rate, rates


def test_rates_count_matches_at_or_below_the_threshold() -> None:
    genuine = np.array([0.3, 0.4, 0.56])
    impostor = np.array([0.55, 0.7, 0.9, 1.0])
    fmr, fnmr = rates(genuine, impostor, 0.55)
    assert fmr == pytest.approx(1 / 4)
    assert fnmr == pytest.approx(1 / 3)


def test_equal_error_rate_of_separated_and_overlapping_sets() -> None:
    eer, threshold = equal_error_rate(np.array([0.2, 0.4]), np.array([0.6, 0.8]))
    assert eer == 0.0 and threshold == pytest.approx(0.5)
    eer, _ = equal_error_rate(np.array([0.2, 0.5, 0.7]), np.array([0.4, 0.8, 0.9]))
    assert 0.0 < eer < 0.5
