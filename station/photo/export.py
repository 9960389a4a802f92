"""Crop, scale and encode a frame to a profile exactly; the result is verified in final mode.

The export never invents pixels: the crop must lie inside the frame (capture mode refuses
otherwise), and a clerk's forced export moves or tightens the crop rather than filling.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from station.photo.analysis import PhotoAnalyser
from station.photo.geometry import CropPlan
from station.photo.images import LoadedImage
from station.photo.profiles import PhotoProfile, load_profile
from station.photo.render import fit_inside, render
from station.photo.report import CheckResult, PhotoReport


class ExportError(RuntimeError):
    """The image cannot become a compliant photo; ``checks`` are the failing checks."""

    def __init__(self, message: str, checks: list[CheckResult], report: PhotoReport) -> None:
        super().__init__(message)
        self.checks = checks
        self.report = report


@dataclass(frozen=True)
class ExportResult:
    jpeg: bytes
    quality: int  # JPEG quality used
    report: PhotoReport  # final-mode report of the exported file
    source_report: PhotoReport  # capture-mode report of the source frame

    @property
    def compliant(self) -> bool:
        return self.report.compliant


def encode_jpeg(bgr: np.ndarray, profile: PhotoProfile) -> tuple[bytes, int]:
    """JPEG at the highest quality (>= the profile's minimum) that fits the file-size range."""
    output = profile.output
    image = Image.fromarray(np.ascontiguousarray(bgr[..., ::-1]), mode="RGB")
    low_kb, high_kb = output.file_size_kb or (0.0, float("inf"))
    # "KB" read both ways: at least low x 1024 bytes and at most high x 1000 bytes, so the file
    # is inside the range whichever kilobyte a checker uses.
    high_kb = high_kb * 1000 / 1024

    def encode(quality: int) -> bytes:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality, dpi=(output.dpi, output.dpi),
                   subsampling=0 if quality >= 90 else 2, optimize=True)  # fmt: skip
        return buffer.getvalue()

    best: tuple[bytes, int] | None = None
    for quality in range(95, output.jpeg_quality_min - 1, -3):
        data = encode(quality)
        size_kb = len(data) / 1024
        if size_kb <= high_kb:
            if size_kb >= low_kb:
                return data, quality
            best = (data, quality)
            break
        best = (data, quality)
    if best is not None and len(best[0]) / 1024 < low_kb:
        # Small, plain images compress very well: go up in quality to reach the minimum size.
        for quality in range(96, 101):
            data = encode(quality)
            if len(data) / 1024 >= low_kb:
                return data, quality
    assert best is not None
    return best


def export_photo(
    analyser: PhotoAnalyser,
    image: np.ndarray | LoadedImage,
    profile: PhotoProfile | str,
    *,
    force: bool = False,
) -> ExportResult:
    """Export ``image`` to ``profile``. Raises ExportError with the failing checks when the
    source cannot make a compliant photo (``force=True``: export anyway if a face was found,
    for a clerk's recorded override) or when the exported file fails final mode."""
    profile = load_profile(profile) if isinstance(profile, str) else profile
    source_report = analyser.analyse(image, profile, mode="capture")
    if source_report.crop is None or source_report.scale is None:
        raise ExportError("no face to export", source_report.failed, source_report)
    if not source_report.compliant and not force:
        raise ExportError("the image cannot make a compliant photo", source_report.failed,
                          source_report)  # fmt: skip
    left, top, width, height = source_report.crop
    plan = CropPlan(scale=source_report.scale, left=left, top=top, width=width, height=height)
    bgr = image.bgr if isinstance(image, LoadedImage) else image
    if bgr.ndim == 2:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_GRAY2BGR)
    elif bgr.shape[2] == 4:
        bgr = cv2.cvtColor(bgr, cv2.COLOR_BGRA2BGR)
    if force:  # the clerk's override still uses only pixels the camera saw
        plan = fit_inside(plan, bgr.shape[1], bgr.shape[0])
    rendered = render(bgr, plan, (profile.output.width_px, profile.output.height_px))
    jpeg, quality = encode_jpeg(rendered, profile)
    final = analyser.analyse_file(jpeg, profile, mode="final")
    if not final.compliant and not force:
        raise ExportError("the exported photo fails the standard", final.failed, final)
    return ExportResult(jpeg=jpeg, quality=quality, report=final, source_report=source_report)
