"""Head geometry from landmarks, the person mask and the full-resolution image: crown, chin,
head width, and the export crop planned jointly within the standard's ranges.

All coordinates are pixels of the analysed (source) image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import cv2
import numpy as np

from station.face import FaceLandmarks
from station.photo.profiles import GeometrySpec, HeadTop, PhotoProfile

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
# ISO/IEC 19794-5 measures chin to crown with the crown "ignoring any hair": the top of the
# skull, estimated from the eyes-to-chin distance (the eyes sit close to the middle of the
# head). Calibrated on the bald and close-cropped CFD portraits (see bench.photo_accuracy).
SKULL_RATIO = 1.87  # (chin - skull top) / (chin - eye line)
HEAD_WIDTH_FALLBACK = 1.15  # head width (with ears/hair) / cheek-to-cheek mesh width
HEAD_WIDTH_MIN, HEAD_WIDTH_MAX = 1.0, 1.3
# A row of the band above the head counts as hair when this fraction of its pixels differs
# from the background (fine strands against a plain background).
HAIR_ROW_FRACTION = 0.04
HAIR_COLOUR_DISTANCE = 14.0  # Lab distance from the background colour (8-bit Lab units)
# The hair runs out of the frame when, in the top rows (this share of the frame height, at
# least 2 rows), more than HAIR_EDGE_FRACTION of the pixels above the head differ from the
# background: a hair mass cut by the edge (CFD: 2.1-77 %) hides where the head ends, a stray
# strand reaching it (0.1 %) does not.
TOP_EDGE_SHARE = 0.002
HAIR_EDGE_FRACTION = 0.005

@dataclass(frozen=True)
class HeadGeometry:
    crown_y: float  # top of the hair
    chin_y: float
    forehead_y: float
    centre_x: float
    head_left: float
    head_right: float
    eye_y: float
    inter_eye: float
    crown_from_mask: bool
    crown_at_top_edge: bool  # the hair reaches the top edge: the real crown may be above
    skull_y: float = math.nan  # top of the head ignoring hair (ISO/IEC 19794-5 "crown")

    @property
    def head_length(self) -> float:
        """Chin to the top of the hair."""
        return self.chin_y - self.crown_y

    def top(self, kind: HeadTop) -> float:
        if kind == "skull" and math.isfinite(self.skull_y):
            return self.skull_y
        return self.crown_y

    def length(self, kind: HeadTop) -> float:
        return self.chin_y - self.top(kind)

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
    skull_y = chin_y - SKULL_RATIO * max(1.0, chin_y - eye_y)

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
        # Widest run of the mask through the face centre between the forehead and the nose tip
        # (ears and side hair included), as the standards measure head width.
        top_row = round(float(p[FOREHEAD, 1]) * fy)
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
            head_span = min(max(best, HEAD_WIDTH_MIN * mesh_width), HEAD_WIDTH_MAX * mesh_width)
            middle = (best_left + best_right) / 2
            head_left, head_right = middle - head_span / 2, middle + head_span / 2
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
        skull_y=float(min(skull_y, chin_y - 1.0)),
    )


def refine_crown(bgr: np.ndarray, head: HeadGeometry) -> HeadGeometry:
    """The top of the hair at full resolution, fine strands included.

    The person mask is coarse (320 px) and soft at the hair; this scans a narrow band above
    the mask's crown, row by row, for pixels that differ from the plain background above.
    """
    if not head.crown_from_mask:
        return head
    height, width = bgr.shape[:2]
    face = max(8.0, head.chin_y - head.forehead_y)
    half = 0.3 * max(head.head_width, 8.0)
    x0, x1 = max(0, round(head.centre_x - half)), min(width, round(head.centre_x + half))
    y0 = max(0, round(head.crown_y - 0.2 * face))
    y1 = min(height, round(head.crown_y + 0.08 * face))
    if x1 - x0 < 4 or y1 - y0 < 4:
        return head
    step = max(1, (x1 - x0) // 64)  # columns sampled; every row is kept
    band = cv2.cvtColor(np.ascontiguousarray(bgr[y0:y1, x0:x1:step]), cv2.COLOR_BGR2Lab)
    lab = cv2.blur(band, (3, 1)).astype(np.float32)  # along rows only: keeps the row precision
    # The background colour just above the band (or the frame's top rows over three head
    # widths when the band starts at the top: mostly background even where hair reaches it).
    rows = max(2, round(0.02 * face))
    if y0 >= rows:
        reference = bgr[y0 - rows : y0, x0:x1:step]
    else:
        wide0 = max(0, round(head.centre_x - 3 * half))
        wide1 = min(width, round(head.centre_x + 3 * half))
        reference = bgr[:rows, wide0:wide1 : max(1, (wide1 - wide0) // 240)]
    background = np.median(cv2.cvtColor(np.ascontiguousarray(reference), cv2.COLOR_BGR2Lab)
                           .reshape(-1, 3).astype(np.float32), axis=0)  # fmt: skip
    distance = np.linalg.norm(lab - background, axis=2)
    hair = (distance > HAIR_COLOUR_DISTANCE).mean(axis=1) >= HAIR_ROW_FRACTION
    # From the mask's crown, climb while the rows are hair (gaps of a few rows between fine
    # strands allowed): hair connected to the head, not a mark somewhere above it.
    row = min(len(hair) - 1, max(0, round(head.crown_y) - y0))
    below = np.flatnonzero(hair[row:])
    if not below.size or below[0] > 0.08 * face:
        return head
    row += int(below[0])
    gap_limit = max(2, round(0.012 * face))
    top, gap = row, 0
    while row > 0:
        row -= 1
        if hair[row]:
            top, gap = row, 0
        else:
            gap += 1
            if gap > gap_limit:
                break
    crown = float(y0 + top)
    return _with_crown(head, crown, hair_at_top_edge(bgr, head.centre_x, head.head_width))


def hair_at_top_edge(bgr: np.ndarray, centre_x: float, head_width: float) -> bool:
    """Whether the hair is cut by the frame's top edge (the real top of the head may be above
    it), judged at full resolution on the top rows above the head (a 0.6 head-width band)
    against the colour of the frame's top rows over three times that width."""
    height, width = bgr.shape[:2]
    rows = max(2, round(TOP_EDGE_SHARE * height))
    half = 0.3 * max(head_width, 8.0)
    x0, x1 = max(0, round(centre_x - half)), min(width, round(centre_x + half))
    wide0, wide1 = max(0, round(centre_x - 3 * half)), min(width, round(centre_x + 3 * half))
    if x1 - x0 < 4 or wide1 - wide0 < 4:
        return False
    reference = bgr[:rows, wide0:wide1 : max(1, (wide1 - wide0) // 240)]
    background = np.median(cv2.cvtColor(np.ascontiguousarray(reference), cv2.COLOR_BGR2Lab)
                           .reshape(-1, 3).astype(np.float32), axis=0)  # fmt: skip
    band = cv2.cvtColor(np.ascontiguousarray(bgr[:rows, x0:x1]), cv2.COLOR_BGR2Lab)
    distance = np.linalg.norm(band.astype(np.float32) - background, axis=2)
    return float((distance > HAIR_COLOUR_DISTANCE).mean()) > HAIR_EDGE_FRACTION


def _with_crown(head: HeadGeometry, crown_y: float, at_top: bool) -> HeadGeometry:
    # The full-resolution look at the top rows replaces the coarse mask's (a 320 px mask
    # reaching its first row may still leave clear background above fine hair).
    return replace(head, crown_y=crown_y, crown_at_top_edge=at_top,
                   skull_y=max(head.skull_y, crown_y))  # fmt: skip


@dataclass(frozen=True)
class CropPlan:
    """How the export maps the source into the profile's output image."""

    scale: float  # output pixels per source pixel
    left: float
    top: float
    width: float  # in source pixels
    height: float
    fits: bool = True  # the crop lies inside the source frame (no pixel would be invented)
    # Only a plan at the standard's very limits fits (no allowance for measurement error).
    at_limit: bool = False

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


# The planner aims this far inside the standard's limits (a share of each range), so that
# re-measuring the exported photo (resampling, JPEG, a soft mask) stays inside them; where
# the frame does not allow that, it still keeps MEASUREMENT_ALLOWANCE inside them, and only
# plans at the limit itself when nothing else fits (a finished photo being re-checked).
PLAN_SAFETY = 0.15
MEASUREMENT_ALLOWANCE = 0.06
# A crop may touch the frame edge within this many source pixels (rounding); it is then
# clamped inside: no pixel is ever taken from outside the frame.
EDGE_TOLERANCE_PX = 0.5
_SCALE_STEPS = 16


def _shrunk(low: float, high: float, share: float) -> tuple[float, float]:
    margin = (high - low) * share
    return low + margin, high - margin


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


@dataclass(frozen=True)
class _Candidate:
    cost: float
    scale: float
    margin: float  # output px from the top edge to the head top
    centre: float  # face centre as a fraction of the output width
    excess: float  # source px the crop leaves the frame by (0 when it fits)


def plan_crop(
    head: HeadGeometry, profile: PhotoProfile, image_size: tuple[int, int] | None = None
) -> CropPlan:
    """Choose scale, top margin and horizontal position together, each within the standard's
    range (aiming inside it by PLAN_SAFETY), so that the crop stays inside the frame; never
    enlarges when the ranges allow a scale <= 1. When no choice fits, the plan that leaves
    the frame least, split evenly between opposite sides, is returned with ``fits=False``."""
    geometry = profile.geometry
    output = profile.output
    out_w, out_h = float(output.width_px), float(output.height_px)
    kind: HeadTop = geometry.head_top
    top_y = head.top(kind)
    length = max(1.0, head.chin_y - top_y)
    width = max(1.0, head.head_width)
    hair_above = max(0.0, top_y - head.crown_y)  # hair above the measured top (skull)

    # Each sized dimension: (its source length, the standard's output range).
    sized: list[tuple[float, tuple[float, float]]] = []
    if geometry.head_length_px is not None:
        sized.append((length, geometry.head_length_px))
    if geometry.head_width_px is not None:
        sized.append((width, geometry.head_width_px))
    scale_low = max(low / size for size, (low, _high) in sized)
    scale_high = min(high / size for size, (_low, high) in sized)
    if scale_low > scale_high:  # length and width disagree: aim at the middle of both
        scale_low = scale_high = (scale_low + scale_high) / 2
    safe_low = max(max(_shrunk(*r, PLAN_SAFETY)[0] / size for size, r in sized), scale_low)
    safe_high = min(min(_shrunk(*r, PLAN_SAFETY)[1] / size for size, r in sized), scale_high)
    preferred = _clamp((safe_low + safe_high) / 2 if safe_low <= safe_high else
                       (scale_low + scale_high) / 2, scale_low, scale_high)  # fmt: skip
    if scale_low <= 1.0:  # never enlarge when the standard's range allows it
        scale_high = min(scale_high, 1.0)
        preferred = min(preferred, 1.0)

    margins = geometry.crown_margin_px
    centres = geometry.face_centre_x
    scales = {preferred, scale_low, scale_high}
    first = _place(head, geometry, top_y, hair_above, preferred, (out_w, out_h), image_size,
                   margins, centres)  # fmt: skip
    if first.excess <= 0.0 and first.cost < 2.0 and all(
            _tier_cost(size * preferred, *r) == 0.0 for size, r in sized):  # fmt: skip
        scales = {preferred}  # the ideal scale fits well inside every range: nothing to search
    elif scale_high > scale_low:
        step = (scale_high - scale_low) / _SCALE_STEPS
        scales.update(scale_low + i * step for i in range(_SCALE_STEPS + 1))
    span = max(scale_high - scale_low, 1e-9)
    best: _Candidate | None = None
    for scale in sorted(scales):
        placed = _place(head, geometry, top_y, hair_above, scale, (out_w, out_h), image_size,
                        margins, centres)  # fmt: skip
        cost = placed.cost + abs(scale - preferred) / span
        cost += sum(_tier_cost(size * scale, *r) for size, r in sized)
        candidate = _Candidate(cost + 1000.0 * placed.excess, scale, placed.margin,
                               placed.centre, placed.excess)  # fmt: skip
        if best is None or candidate.cost < best.cost:
            best = candidate
    assert best is not None
    scale = best.scale
    crop_w, crop_h = out_w / scale, out_h / scale
    left = head.centre_x - best.centre * crop_w
    top = top_y - best.margin / scale
    fits = best.excess <= 0.0
    tiers = [_tier_cost(size * scale, *r) for size, r in sized]
    tiers += [_tier_cost(best.margin, *margins), _tier_cost(best.centre, *centres)]
    at_limit = max(tiers) >= 10.0
    if fits and image_size is not None:
        # Inside within EDGE_TOLERANCE_PX: clamp exactly inside the frame (a crop a fraction
        # of a pixel larger than the frame takes the frame's own size).
        image_width, image_height = image_size
        if crop_w > image_width or crop_h > image_height:
            scale = max(scale, out_w / image_width, out_h / image_height)
            crop_w, crop_h = out_w / scale, out_h / scale
            left = head.centre_x - best.centre * crop_w
            top = top_y - best.margin / scale
        left = _clamp(left, 0.0, max(0.0, image_width - crop_w))
        top = _clamp(top, 0.0, max(0.0, image_height - crop_h))
    return CropPlan(scale=scale, left=left, top=top, width=crop_w, height=crop_h, fits=fits,
                    at_limit=at_limit)  # fmt: skip


def _tier_cost(value: float, low: float, high: float) -> float:
    """0 well inside [low, high]; 2 inside the allowance; 10 within the limit itself."""
    span = high - low
    safe = _shrunk(low, high, PLAN_SAFETY)
    tight = _shrunk(low, high, MEASUREMENT_ALLOWANCE)
    if safe[0] - 1e-9 <= value <= safe[1] + 1e-9:
        return 0.0
    if tight[0] - 1e-9 <= value <= tight[1] + 1e-9 or span <= 0:
        return 2.0
    return 10.0


def _interval_choice(low: float, high: float, ideal: float, limits: tuple[float, float],
                     span: float) -> tuple[float, float]:  # fmt: skip
    """The value of [low, high] with the lowest cost: as far inside ``limits`` as the
    interval allows, then closest to ``ideal``."""
    best_value, best_cost = low, math.inf
    safe = _shrunk(*limits, PLAN_SAFETY)
    tight = _shrunk(*limits, MEASUREMENT_ALLOWANCE)
    for target in (_clamp(ideal, *safe), _clamp(ideal, *tight), ideal):
        value = _clamp(target, low, high)
        cost = _tier_cost(value, *limits) + abs(value - ideal) / max(span, 1e-9)
        if cost < best_cost:
            best_value, best_cost = value, cost
    return best_value, best_cost


def _place(head: HeadGeometry, geometry: GeometrySpec, top_y: float, hair_above: float,
           scale: float, out: tuple[float, float], image_size: tuple[int, int] | None,
           margins: tuple[float, float], centres: tuple[float, float]) -> _Candidate:  # fmt: skip
    """Top margin and horizontal position for one scale: inside the frame if possible."""
    out_w, out_h = out
    m_low, m_high = margins
    c_low, c_high = centres
    m_ideal = (m_low + m_high) / 2
    if geometry.hair_inside:  # rather show the hair above ICAO's skull crown, if it fits
        m_ideal = _clamp(max(m_ideal, hair_above * scale + 2.0), m_low, m_high)
    if geometry.eye_line_min_above_bottom_px is not None:
        cap = out_h - geometry.eye_line_min_above_bottom_px - (head.eye_y - top_y) * scale
        m_high = _clamp(cap, m_low, m_high)
        m_ideal = min(m_ideal, m_high)
    if image_size is None:
        margin, m_cost = _interval_choice(m_low, m_high, m_ideal, margins, margins[1] - margins[0])
        centre, c_cost = _interval_choice(c_low, c_high, 0.5, centres, c_high - c_low)
        return _Candidate(m_cost + c_cost, scale, margin, centre, 0.0)
    image_width, image_height = image_size
    tol = EDGE_TOLERANCE_PX * scale
    # Top edge inside: margin <= top_y * scale; bottom edge inside:
    # margin >= out_h - (image_height - top_y) * scale.
    fit_low = out_h - (image_height - top_y) * scale - tol
    fit_high = top_y * scale + tol
    lo, hi = max(m_low, fit_low), min(m_high, fit_high)
    if lo <= hi:
        margin, m_cost = _interval_choice(lo, hi, m_ideal, margins, margins[1] - margins[0])
    else:  # what is missing is split evenly between top and bottom, within the range
        margin, m_cost = _clamp((fit_low + fit_high) / 2, m_low, m_high), 0.0
    # Left edge inside: centre <= centre_x * scale / out_w; right edge inside:
    # centre >= 1 - (image_width - centre_x) * scale / out_w.
    cf_low = 1.0 - ((image_width - head.centre_x) * scale + tol) / out_w
    cf_high = (head.centre_x * scale + tol) / out_w
    lo, hi = max(c_low, cf_low), min(c_high, cf_high)
    if lo <= hi:
        centre, c_cost = _interval_choice(lo, hi, 0.5, centres, c_high - c_low)
    else:
        centre, c_cost = _clamp((cf_low + cf_high) / 2, c_low, c_high), 0.0
    # Source pixels by which the crop would leave the frame.
    excess = (max(0.0, margin - fit_high) + max(0.0, fit_low - margin)
              + (max(0.0, centre - cf_high) + max(0.0, cf_low - centre)) * out_w) / scale  # fmt: skip
    return _Candidate(m_cost + c_cost, scale, margin, centre, excess)
