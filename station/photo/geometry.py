"""Head geometry from landmarks and the person mask: crown, chin, head width, and the export crop.

All coordinates are pixels of the analysed (source) image.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from station.face import FaceLandmarks
from station.photo.profiles import PhotoProfile

FOREHEAD = 10
CHIN = 152
NOSE_BRIDGE = 168
NOSE_TIP = 1
RIGHT_CHEEK_EDGE = 234
LEFT_CHEEK_EDGE = 454
RIGHT_IRIS = 468
LEFT_IRIS = 473

# Typical (chin - crown) / (chin - forehead landmark) when no person mask is usable; measured
# 1.28-1.60 on reference portraits.
CROWN_RATIO_FALLBACK = 1.38
HEAD_WIDTH_FALLBACK = 1.15  # head width (with ears/hair) / cheek-to-cheek mesh width
HEAD_WIDTH_MIN, HEAD_WIDTH_MAX = 1.0, 1.3


@dataclass(frozen=True)
class HeadGeometry:
    crown_y: float
    chin_y: float
    forehead_y: float
    centre_x: float
    head_left: float
    head_right: float
    eye_y: float
    inter_eye: float
    crown_from_mask: bool
    crown_at_top_edge: bool  # the hair reaches the top edge: the real crown may be above

    @property
    def head_length(self) -> float:
        return self.chin_y - self.crown_y

    @property
    def head_width(self) -> float:
        return self.head_right - self.head_left

    @property
    def crown_ratio(self) -> float:
        face = self.chin_y - self.forehead_y
        return self.head_length / face if face > 0 else 0.0


def head_geometry(face: FaceLandmarks, mask: np.ndarray | None) -> HeadGeometry:
    """Estimate crown and head width from the person mask (float 0-1, any size)."""
    p = face.points
    width, height = face.image_size
    forehead_y = float(p[FOREHEAD, 1])
    chin_y = float(p[CHIN, 1])
    centre_x = float(p[NOSE_BRIDGE, 0])
    mesh_width = float(abs(p[LEFT_CHEEK_EDGE, 0] - p[RIGHT_CHEEK_EDGE, 0]))
    face_length = max(1.0, chin_y - forehead_y)
    eye_y = float((p[RIGHT_IRIS, 1] + p[LEFT_IRIS, 1]) / 2)
    inter_eye = face.inter_eye_distance

    crown_y = chin_y - CROWN_RATIO_FALLBACK * face_length
    from_mask = False
    at_top = crown_y <= 0
    head_left = centre_x - mesh_width * HEAD_WIDTH_FALLBACK / 2
    head_right = centre_x + mesh_width * HEAD_WIDTH_FALLBACK / 2
    if mask is not None and mask.size:
        person = mask > 0.5
        fy = mask.shape[0] / height
        fx = mask.shape[1] / width
        band_half = max(1, round(0.15 * mesh_width * fx))
        col = round(centre_x * fx)
        band = person[:, max(0, col - band_half) : min(mask.shape[1], col + band_half + 1)]
        if band.size:
            row = min(mask.shape[0] - 1, max(0, round(forehead_y * fy)))
            covered = band.mean(axis=1) > 0.5
            if covered[row]:
                above = np.flatnonzero(~covered[: row + 1])
                top_row = int(above[-1]) + 1 if above.size else 0
                candidate = top_row / fy
                ratio = (chin_y - candidate) / face_length
                if 1.1 <= ratio <= 2.3:
                    crown_y, from_mask, at_top = candidate, True, top_row == 0
        # Widest run of the mask through the face centre between the eyes and the nose tip
        # (ears and side hair included), as the standards measure head width.
        top_row = round(float(min(p[RIGHT_IRIS, 1], p[LEFT_IRIS, 1])) * fy)
        bottom_row = round(float(p[NOSE_TIP, 1]) * fy)
        best, best_left, best_right = 0.0, 0.0, 0.0
        if 0 <= col < mask.shape[1]:
            for row in range(max(0, top_row), min(mask.shape[0], bottom_row + 1)):
                line = person[row]
                if not line[col]:
                    continue
                gaps_left = np.flatnonzero(~line[:col])
                gaps_right = np.flatnonzero(~line[col:])
                left = (int(gaps_left[-1]) + 1) if gaps_left.size else 0
                right = (col + int(gaps_right[0])) if gaps_right.size else mask.shape[1]
                if (right - left) / fx > best:
                    best = (right - left) / fx
                    best_left, best_right = left / fx, right / fx
        if 0.95 * mesh_width <= best <= 2.2 * mesh_width:
            # Hair may spread far beyond the ears; the standards mean the head itself, so the
            # hair's share is capped (ears add about 10-25 % to the cheek-to-cheek width).
            head_width = min(max(best, HEAD_WIDTH_MIN * mesh_width), HEAD_WIDTH_MAX * mesh_width)
            middle = (best_left + best_right) / 2
            head_left, head_right = middle - head_width / 2, middle + head_width / 2
    return HeadGeometry(
        crown_y=float(crown_y),
        chin_y=chin_y,
        forehead_y=forehead_y,
        centre_x=centre_x,
        head_left=float(head_left),
        head_right=float(head_right),
        eye_y=eye_y,
        inter_eye=inter_eye,
        crown_from_mask=from_mask,
        crown_at_top_edge=bool(at_top),
    )


@dataclass(frozen=True)
class CropPlan:
    """How the export maps the source into the profile's output image."""

    scale: float  # output pixels per source pixel
    left: float
    top: float
    width: float  # in source pixels
    height: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (self.left, self.top, self.width, self.height)

    def overflow(self, image_width: int, image_height: int) -> dict[str, float]:
        """How far the crop leaves the image on each side, as a fraction of the crop size."""
        return {
            "top": max(0.0, -self.top / self.height),
            "left": max(0.0, -self.left / self.width),
            "right": max(0.0, (self.left + self.width - image_width) / self.width),
            "bottom": max(0.0, (self.top + self.height - image_height) / self.height),
        }


def _mid(low: float, high: float) -> float:
    return (low + high) / 2


def plan_crop(
    head: HeadGeometry, profile: PhotoProfile, image_size: tuple[int, int] | None = None
) -> CropPlan:
    """Scale so the head size hits the middle of the standard's range (length first, then
    width as far as both allow), the crown sits mid-margin and the face is centred."""
    geometry = profile.geometry
    output = profile.output
    length = max(1.0, head.head_length)
    width = max(1.0, head.head_width)
    low, high = 0.0, float("inf")
    if geometry.head_length_px is not None:
        low, high = geometry.head_length_px[0] / length, geometry.head_length_px[1] / length
        scale = _mid(*geometry.head_length_px) / length
    else:
        assert geometry.head_width_px is not None
        scale = _mid(*geometry.head_width_px) / width
    if geometry.head_width_px is not None:
        w_low, w_high = geometry.head_width_px[0] / width, geometry.head_width_px[1] / width
        both_low, both_high = max(low, w_low), min(high, w_high)
        if both_low <= both_high:
            scale = min(max(scale, both_low), both_high)
    margin = _mid(*geometry.crown_margin_px)
    crop_width = output.width_px / scale
    crop_height = output.height_px / scale
    left = head.centre_x - crop_width / 2
    if image_size is not None:
        # Use the slack the standard allows (kept 2 px / 1.5 % inside its limits, for
        # measurement error) to keep the crop inside the frame.
        image_width, image_height = image_size
        m_low, m_high = geometry.crown_margin_px[0] + 2, geometry.crown_margin_px[1] - 2
        if m_low <= m_high:
            fit_top = head.crown_y * scale  # largest margin with the crop top inside
            fit_bottom = (head.crown_y + crop_height - image_height / 1.0) * scale
            if head.crown_y - margin / scale < 0:
                margin = max(m_low, min(margin, fit_top))
            elif head.crown_y - margin / scale + crop_height > image_height:
                margin = min(m_high, max(margin, fit_bottom), max(m_low, fit_top))
        c_low, c_high = geometry.face_centre_x
        slack = max(0.0, min(0.5 - c_low, c_high - 0.5) - 0.015) * crop_width
        if left < 0:
            left = min(0.0, left + slack)
        elif left + crop_width > image_width:
            left = max(image_width - crop_width, left - slack)
    return CropPlan(
        scale=scale,
        left=left,
        top=head.crown_y - margin / scale,
        width=crop_width,
        height=crop_height,
    )
