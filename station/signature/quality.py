"""Minimum-quality rules for a signature, kept as data (rules.toml) and checked here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from station.i18n import both
from station.signature.model import SignatureData

RULES_FILE = Path(__file__).resolve().parent / "rules.toml"


class QualityRules(BaseModel):
    """Refuse a signature below any of these (extent as a fraction of the input area)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_points: int = Field(30, ge=1)
    min_strokes: int = Field(1, ge=1)
    min_width_fraction: float = Field(0.15, ge=0, le=1)
    min_height_fraction: float = Field(0.04, ge=0, le=1)
    min_duration_ms: float = Field(300, ge=0)


def load_rules(profile: str = "default", path: Path = RULES_FILE) -> QualityRules:
    """Rules of one profile ("default", "kiosk", ...) from the TOML file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    if profile not in data:
        raise ValueError(f"no signature quality profile {profile!r} in {path}")
    try:
        return QualityRules.model_validate(data[profile])
    except ValidationError as exc:
        raise ValueError(f"invalid signature quality profile {profile!r}: {exc}") from exc


@dataclass(frozen=True)
class QualityProblem:
    code: str  # empty | too_few_points | too_few_strokes | too_small | too_quick
    message: dict[str, str]  # {"zh": ..., "en": ...}


def check(signature: SignatureData, rules: QualityRules) -> list[QualityProblem]:
    """Every rule the signature breaks; an empty list means it is acceptable."""
    if signature.point_count == 0:
        return [QualityProblem("empty", both("SignatureQuality", "Please sign before accepting."))]
    problems: list[QualityProblem] = []
    if signature.point_count < rules.min_points:
        problems.append(QualityProblem(
            "too_few_points",
            both(
                "SignatureQuality",
                "The signature is too short. Please sign your full name.",
            ),
        ))
    if signature.stroke_count < rules.min_strokes:
        problems.append(QualityProblem(
            "too_few_strokes",
            both(
                "SignatureQuality",
                "The signature has too few strokes. Please sign your full name.",
            ),
        ))
    width, height = signature.extent_fraction()
    if width < rules.min_width_fraction or height < rules.min_height_fraction:
        problems.append(QualityProblem(
            "too_small",
            both(
                "SignatureQuality",
                "The signature is too small. Please sign larger, along the line.",
            ),
        ))
    if signature.duration_ms < rules.min_duration_ms:
        problems.append(QualityProblem(
            "too_quick",
            both(
                "SignatureQuality",
                "The signature was too quick. Please sign your name properly.",
            ),
        ))
    return problems
