"""Photo profiles: data files in resources/photo_profiles/ (TOML), validated by pydantic.

Adding a profile is adding a file; no code changes. All geometry is in pixels of the exported
image (the standard's millimetres times its dpi).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PROFILES_DIR = Path(__file__).resolve().parents[2] / "resources" / "photo_profiles"

Range = tuple[float, float]
# What "crown" means: the top of the hair (GA 461/482: 头顶) or the top of the head ignoring
# any hair (ISO/IEC 19794-5's definition of the crown, used by ICAO 9303).
HeadTop = Literal["hair", "skull"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _ordered(value: Range | None, name: str) -> None:
    if value is not None and not (0 <= value[0] <= value[1]):
        raise ValueError(f"{name} must be [low, high] with 0 <= low <= high")


class OutputSpec(_Model):
    width_px: int = Field(gt=0, le=4000)
    height_px: int = Field(gt=0, le=4000)
    dpi: int = Field(default=300, gt=0)
    jpeg_quality_min: int = Field(default=70, ge=1, le=100)
    file_size_kb: Range | None = None
    colour: bool = True

    @model_validator(mode="after")
    def _check(self) -> OutputSpec:
        _ordered(self.file_size_kb, "file_size_kb")
        return self


class GeometrySpec(_Model):
    head_length_px: Range | None = None  # crown to chin
    head_width_px: Range | None = None  # widest part of the head at ear level
    head_top: HeadTop = "hair"  # the crown that head_length_px and crown_margin_px measure to
    crown_margin_px: Range  # the crown (head_top) below the top edge
    hair_inside: bool = False  # with head_top "skull": prefer margins that keep the hair in
    face_centre_x: Range = (0.45, 0.55)  # fraction of the width
    eye_line_min_above_bottom_px: float | None = None
    min_inter_eye_px: float | None = None

    @model_validator(mode="after")
    def _check(self) -> GeometrySpec:
        if self.head_length_px is None and self.head_width_px is None:
            raise ValueError("a profile needs head_length_px or head_width_px")
        for name in ("head_length_px", "head_width_px", "crown_margin_px", "face_centre_x"):
            _ordered(getattr(self, name), name)
        return self


class BackgroundSpec(_Model):
    kind: Literal["white", "light"] = "white"
    min_lightness: float = Field(default=82.0, ge=0, le=100)
    max_chroma: float = Field(default=10.0, ge=0)
    # A tinted background the standard also allows (ICAO: light blue): its a*b* hue range and
    # the lightness and chroma limits that then apply instead.
    tint_hue_deg: Range | None = None
    tint_min_lightness: float = Field(default=55.0, ge=0, le=100)
    tint_max_chroma: float = Field(default=50.0, ge=0)
    max_unevenness: float = Field(default=6.0, gt=0)  # L* of shadows near the head
    max_clutter: float = Field(default=0.04, gt=0)  # fraction of edge pixels in the background
    max_marks: float = Field(default=0.03, gt=0)  # thin dark strokes (text) below the chin


class PoseSpec(_Model):
    max_yaw_deg: float = Field(default=8.0, gt=0)
    max_pitch_deg: float = Field(default=10.0, gt=0)
    max_roll_deg: float = Field(default=8.0, gt=0)


class FaceSpec(_Model):
    min_eye_opening: float = 0.022  # OFIQ-normalised lid gap (lid gap / eye-to-chin)
    max_mouth_opening: float = 0.08  # inner lip gap / mouth width
    max_smile_index: float = 1.85
    min_sharpness: float = 120.0  # Laplacian variance of the face at 128 px wide
    max_illumination_imbalance: float = 0.75  # |log2| left/right cheek luminance ratio (stops)
    face_lightness: Range = (30.0, 88.0)  # mean face L*
    max_clipped_fraction: float = 0.04  # face pixels at 0 or 255
    min_dynamic_range: float = 90.0  # face 1st-99th percentile gray-level span
    max_glare_fraction: float = 0.02  # saturated pixels in the eye regions
    min_eye_region_brightness: float = 0.45  # eye region vs. cheek luminance (dark lenses)
    max_crown_ratio: float = 1.75  # (chin - crown) / (chin - forehead): hats and hoods


class PhotoProfile(_Model):
    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title_zh: str
    title_en: str
    output: OutputSpec
    geometry: GeometrySpec
    background: BackgroundSpec = BackgroundSpec()
    pose: PoseSpec = PoseSpec()
    face: FaceSpec = FaceSpec()

    def target_head_length(self) -> float | None:
        if self.geometry.head_length_px is None:
            return None
        low, high = self.geometry.head_length_px
        return (low + high) / 2


class ProfileError(ValueError):
    """The profile name is unknown or its file is invalid."""


def profile_names(directory: Path = PROFILES_DIR) -> list[str]:
    return sorted(path.stem for path in directory.glob("*.toml"))


def load_profile_file(path: Path) -> PhotoProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        profile = PhotoProfile.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as exc:
        raise ProfileError(f"invalid photo profile {path.name}: {exc}") from exc
    if profile.name != path.stem:
        raise ProfileError(f"profile {path.name} names itself {profile.name!r}")
    return profile


def load_profile(name: str, directory: Path | None = None) -> PhotoProfile:
    """The profile called ``name`` (file ``<name>.toml``); ProfileError if unknown/invalid.
    ``directory`` None: the configuration in force (a published profile, else the built-in
    one; station.published)."""
    if directory is None:
        from station import published  # published builds on this module

        return published.active().profile(name)
    return _load_profile_in(name, directory)


@lru_cache(maxsize=32)
def _load_profile_in(name: str, directory: Path) -> PhotoProfile:
    path = directory / f"{name}.toml"
    if not path.is_file():
        known = ", ".join(profile_names(directory)) or "none"
        raise ProfileError(f"unknown photo profile {name!r} (known: {known})")
    return load_profile_file(path)
