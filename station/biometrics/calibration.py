"""The match threshold and the distance -> score mapping, as data (resources/biometrics)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CALIBRATION_FILE = (
    Path(__file__).resolve().parent.parent.parent / "resources" / "biometrics" / "calibration.json"
)


@dataclass(frozen=True)
class Calibration:
    distance_threshold: float
    review_low: float
    review_high: float
    pass_score: float
    score_scale: float

    def score(self, distance: float) -> float:
        """0-100 similarity; exactly ``pass_score`` at the threshold, monotone in distance.

        A logistic curve: about 97 for a typical genuine pair (0.35), about 5 for a typical
        impostor (0.8), so the clerk reads it like a school mark where 60 passes.
        """
        offset = self.score_scale * math.log(self.pass_score / (100.0 - self.pass_score))
        z = (self.distance_threshold + offset - distance) / self.score_scale
        return round(100.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z)))), 1)

    def is_borderline(self, distance: float) -> bool:
        return self.review_low <= distance <= self.review_high


def parse_calibration(data: dict) -> Calibration:
    threshold = float(data["distance_threshold"])
    low, high = (float(v) for v in data.get("review_band", (threshold, threshold)))
    score = data.get("score", {})
    calibration = Calibration(
        distance_threshold=threshold,
        review_low=low,
        review_high=high,
        pass_score=float(score.get("pass_score", 60)),
        score_scale=float(score.get("scale", 0.06)),
    )
    if not (0.0 < threshold < 2.0 and low <= threshold <= high):
        raise ValueError(f"calibration threshold {threshold} outside its review band")
    if not (0.0 < calibration.pass_score < 100.0 and calibration.score_scale > 0.0):
        raise ValueError("calibration score parameters out of range")
    return calibration


@lru_cache(maxsize=4)
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration:
    return parse_calibration(json.loads(Path(path).read_text(encoding="utf-8")))
