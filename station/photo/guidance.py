"""The single most important instruction for the person in front of the camera."""

from __future__ import annotations

from station.i18n import both
from station.photo.report import PhotoReport

Instruction = dict[str, str]


def _instructions() -> list[tuple[str, Instruction]]:
    """(failing check, instruction) in priority order: fix the first problem first."""
    return [
        ("readable", both("PhotoGuidance", "Camera picture unavailable, please wait")),
        ("face_count", both("PhotoGuidance", "Only one person in front of the camera, please")),
        ("face_in_frame", both("PhotoGuidance", "Please move into the middle of the picture")),
        ("resolution", both("PhotoGuidance", "Please come a little closer")),
        ("inter_eye_distance", both("PhotoGuidance", "Please come a little closer")),
        ("crop_margins", both("PhotoGuidance", "Please step back a little")),
        ("head_covering", both("PhotoGuidance", "Please take off your hat")),
        ("dark_lenses", both("PhotoGuidance", "Please take off your glasses")),
        ("glasses_glare", both("PhotoGuidance", "Please take off your glasses")),
        ("yaw", both("PhotoGuidance", "Please look straight at the camera")),
        ("pitch", both("PhotoGuidance", "Please keep your head level")),
        ("roll", both("PhotoGuidance", "Please hold your head straight")),
        ("eyes_open", both("PhotoGuidance", "Please open your eyes")),
        ("expression", both("PhotoGuidance", "Please keep a neutral expression, no smiling")),
        ("mouth_closed", both("PhotoGuidance", "Please close your mouth")),
        ("head_width", both("PhotoGuidance", "Please look straight at the camera")),
        ("sharpness", both("PhotoGuidance", "Please hold still")),
        ("exposure", both("PhotoGuidance", "Lighting problem: please ask the clerk")),
        ("clipping", both("PhotoGuidance", "Lighting problem: please ask the clerk")),
        ("dynamic_range", both("PhotoGuidance", "Lighting problem: please ask the clerk")),
        ("illumination", both("PhotoGuidance", "Lighting problem: please ask the clerk")),
        ("background_lightness", both("PhotoGuidance", "Please stand in front of the white background")),
        ("background_colour", both("PhotoGuidance", "Please stand in front of the white background")),
        ("background_uniformity", both("PhotoGuidance", "Please stand in front of the white background")),
        ("background_marks", both("PhotoGuidance", "Please stand in front of the white background")),
        ("image_marks", both("PhotoGuidance", "Please remove objects from the picture")),
        ("colour", both("PhotoGuidance", "Camera colour problem: please ask the clerk")),
    ]  # fmt: skip


_CACHE: list[tuple[str, Instruction]] = []


def instruction_for(report: PhotoReport) -> Instruction | None:
    """The instruction for the highest-priority failing check; None when nothing to fix.

    ``{"zh": "请正视镜头", "en": "Please look straight at the camera", "check": "yaw"}``
    """
    if not _CACHE:
        _CACHE.extend(_instructions())
    failing = {check.name for check in report.failed}
    if not failing:
        return None
    for name, instruction in _CACHE:
        if name in failing:
            if name == "crop_margins":
                return {**_crop_instruction(report), "check": name}
            return {**instruction, "check": name}
    first = report.failed[0]
    return {"zh": first.message_zh, "en": first.message_en, "check": first.name}


def _crop_instruction(report: PhotoReport) -> Instruction:
    """The crop needs pixels the frame lacks: say which way to move (never fill them in)."""
    overflow = report.crop_overflow
    vertical = max(overflow.get("top", 0.0), overflow.get("bottom", 0.0))
    sideways = max(overflow.get("left", 0.0), overflow.get("right", 0.0))
    if sideways > vertical:
        return both("PhotoGuidance", "Please move into the middle of the picture")
    if overflow.get("bottom", 0.0) > overflow.get("top", 0.0):
        return both("PhotoGuidance", "Please step back a little, or lower the camera")
    return both("PhotoGuidance", "Please step back a little")


def ready_instruction() -> Instruction:
    return {**both("PhotoGuidance", "Hold still, taking the photo"), "check": ""}
