"""The quality report: one result per check, with a raw value, a 0-100 score, the profile's
threshold, a verdict and a message in Chinese and English."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

from station.photo.messages import check_message


@dataclass(frozen=True)
class CheckResult:
    name: str
    value: float | str | None
    score: int  # 0-100, higher is better (OFIQ-style mapping)
    threshold: str  # the profile's limit, human-readable (e.g. "<= 0.08", "[224, 260]")
    passed: bool
    message_zh: str
    message_en: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def make_check(
    name: str, value: float | str | None, score: float, threshold: str, passed: bool
) -> CheckResult:
    message = check_message(name, passed)
    if isinstance(value, float):
        value = round(value, 4) if math.isfinite(value) else None
    return CheckResult(
        name=name,
        value=value,
        score=round(max(0.0, min(100.0, score))),
        threshold=threshold,
        passed=bool(passed),
        message_zh=message["zh"],
        message_en=message["en"],
    )


@dataclass(frozen=True)
class Overlay:
    """Where things are in the analysed image (pixels), for the live view's overlay."""

    face_box: tuple[int, int, int, int] | None = None
    crop_box: tuple[int, int, int, int] | None = None  # the export crop
    target_head: tuple[int, int, int, int] | None = None  # ellipse box the head should fill
    eye_line: tuple[tuple[int, int], tuple[int, int]] | None = None
    crown_y: int | None = None
    chin_y: int | None = None


@dataclass(frozen=True)
class PhotoReport:
    profile: str
    mode: str  # "capture" | "final"
    image_size: tuple[int, int] | None
    checks: list[CheckResult]
    overlay: Overlay = field(default_factory=Overlay)
    # Source-pixel crop the export would use (left, top, width, height) and its scale factor.
    crop: tuple[float, float, float, float] | None = None
    scale: float | None = None
    # Capture mode, crop not inside the frame: how far it leaves each side (fraction of the
    # crop), for guidance; empty when it fits.
    crop_overflow: dict[str, float] = field(default_factory=dict)

    @property
    def compliant(self) -> bool:
        return bool(self.checks) and all(check.passed for check in self.checks)

    @property
    def failed(self) -> list[CheckResult]:
        return [check for check in self.checks if not check.passed]

    def check(self, name: str) -> CheckResult | None:
        return next((c for c in self.checks if c.name == name), None)

    @property
    def quality_score(self) -> float:
        """Mean score of all checks, to rank frames (the best frame is exported)."""
        if not self.checks:
            return 0.0
        return sum(c.score for c in self.checks) / len(self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile,
            "mode": self.mode,
            "image_size": list(self.image_size) if self.image_size else None,
            "compliant": self.compliant,
            "quality_score": round(self.quality_score, 1),
            "checks": [check.to_dict() for check in self.checks],
        }
