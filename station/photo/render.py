"""Cut the planned crop out of the frame and scale it to the profile's pixel size.

Only pixels the camera saw are used: a crop that leaves the frame is refused (the capture
check asks the person to step back instead). Nothing is mirrored, stretched or filled.
"""

from __future__ import annotations

import cv2
import numpy as np

from station.photo.geometry import EDGE_TOLERANCE_PX, CropPlan


class CropOutsideFrame(ValueError):
    """The crop needs pixels the frame does not have."""


def crop_box(plan: CropPlan, width: int, height: int) -> tuple[int, int, int, int]:
    """The crop as whole source pixels (x0, y0, x1, y1), inside the frame; CropOutsideFrame
    when it leaves the frame by more than EDGE_TOLERANCE_PX."""
    tol = EDGE_TOLERANCE_PX
    if (plan.left < -tol or plan.top < -tol or plan.left + plan.width > width + tol
            or plan.top + plan.height > height + tol):  # fmt: skip
        raise CropOutsideFrame(
            f"crop ({plan.left:.1f}, {plan.top:.1f}, {plan.width:.1f}x{plan.height:.1f}) "
            f"leaves the {width}x{height} frame"
        )
    x0 = min(max(0, round(plan.left)), width - 1)
    y0 = min(max(0, round(plan.top)), height - 1)
    x1 = max(x0 + 1, min(width, round(plan.left + plan.width)))
    y1 = max(y0 + 1, min(height, round(plan.top + plan.height)))
    return x0, y0, x1, y1


def render(bgr: np.ndarray, plan: CropPlan, size: tuple[int, int]) -> np.ndarray:
    """The crop of ``plan`` scaled to ``size`` (width, height)."""
    height, width = bgr.shape[:2]
    x0, y0, x1, y1 = crop_box(plan, width, height)
    region = bgr[y0:y1, x0:x1]
    shrinking = region.shape[1] >= size[0] and region.shape[0] >= size[1]
    interpolation = cv2.INTER_AREA if shrinking else cv2.INTER_CUBIC
    if region.shape[1] == size[0] and region.shape[0] == size[1]:
        return np.ascontiguousarray(region)
    return cv2.resize(region, size, interpolation=interpolation)


def fit_inside(plan: CropPlan, width: int, height: int) -> CropPlan:
    """For a clerk's forced export: the nearest crop that lies inside the frame (moved, and
    made smaller in the source, i.e. the head larger, if it must). Real pixels only; the
    geometry may then miss the standard, which the final report says."""
    scale = max(plan.scale, plan.width * plan.scale / width, plan.height * plan.scale / height)
    crop_w, crop_h = plan.width * plan.scale / scale, plan.height * plan.scale / scale
    centre_x = plan.left + plan.width / 2
    centre_y = plan.top + plan.height / 2
    left = min(max(0.0, centre_x - crop_w / 2), max(0.0, width - crop_w))
    top = min(max(0.0, centre_y - crop_h / 2), max(0.0, height - crop_h))
    return CropPlan(scale=scale, left=left, top=top, width=crop_w, height=crop_h, fits=True)
