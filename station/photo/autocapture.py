"""Auto-capture: when every check passes for a steady period, capture the best frame.

One instance per camera stream, fed with (timestamp, report, frame) by whoever analyses the
frames; it decides, the UI shows. Plain Python, no threads of its own.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import numpy as np

from station.photo.report import PhotoReport


class CaptureState(enum.StrEnum):
    SEARCHING = "searching"  # some check fails
    STEADY = "steady"  # all checks pass; waiting for the steady period
    CAPTURED = "captured"  # best frame chosen; feed() ignores frames until reset()


@dataclass(frozen=True)
class CapturedFrame:
    frame: np.ndarray
    report: PhotoReport
    timestamp: float
    tag: Any = None  # what the caller fed with the frame (e.g. its capture time and camera)


class AutoCapture:
    """``feed()`` every analysed frame; it returns the captured frame once, when all checks
    have passed for ``steady_seconds`` without a gap longer than ``max_gap_seconds``."""

    def __init__(self, *, steady_seconds: float = 1.0, max_gap_seconds: float = 0.5) -> None:
        self.steady_seconds = steady_seconds
        self.max_gap_seconds = max_gap_seconds
        self.state = CaptureState.SEARCHING
        self._since: float | None = None
        self._last: float | None = None
        self._best: CapturedFrame | None = None
        self.captured: CapturedFrame | None = None

    def reset(self) -> None:
        """Start again (retake)."""
        self.state = CaptureState.SEARCHING
        self._since = self._last = None
        self._best = None
        self.captured = None

    @property
    def progress(self) -> float:
        """0-1: how far through the steady period (for a progress ring)."""
        if self.state == CaptureState.CAPTURED:
            return 1.0
        if self._since is None or self._last is None:
            return 0.0
        return min(1.0, (self._last - self._since) / self.steady_seconds)

    def feed(self, timestamp: float, report: PhotoReport, frame: np.ndarray,
             tag: Any = None) -> CapturedFrame | None:
        if self.state == CaptureState.CAPTURED:
            return None
        gap_too_long = self._last is not None and timestamp - self._last > self.max_gap_seconds
        if not report.compliant or gap_too_long:
            self.state = CaptureState.SEARCHING
            self._since = None
            self._best = None
            if not report.compliant:
                self._last = timestamp
                return None
        self._last = timestamp
        if self._since is None:
            self._since = timestamp
        self.state = CaptureState.STEADY
        if self._best is None or report.quality_score > self._best.report.quality_score:
            self._best = CapturedFrame(frame=frame, report=report, timestamp=timestamp, tag=tag)
        if timestamp - self._since >= self.steady_seconds:
            self.state = CaptureState.CAPTURED
            self.captured = self._best
            return self.captured
        return None
