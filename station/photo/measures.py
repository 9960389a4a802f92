"""Image measures on the face and the background (cheap: small ROIs, downscaled)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from station.face import FaceLandmarks
from station.face.measures import eye_openings, mouth_opening_ratio

FACE_NORMAL_WIDTH = 128  # face ROI width for scale-free texture measures
BACKGROUND_NORMAL_WIDTH = 160
MOUTH_LEFT, MOUTH_RIGHT, UPPER_LIP, LOWER_LIP = 291, 61, 13, 14
RIGHT_IRIS, LEFT_IRIS = 468, 473
NOSE_TIP = 1
RIGHT_EYE_RING = (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246)
LEFT_EYE_RING = (263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466)
RIGHT_CHEEK = (50, 101, 118, 117, 123, 147, 187, 205, 36)
LEFT_CHEEK = (280, 330, 347, 346, 352, 376, 411, 425, 266)


@dataclass(frozen=True)
class FaceMeasures:
    eye_opening: float  # smaller of the two (OFIQ normalisation)
    mouth_opening: float
    smile_index: float
    lightness: float  # mean L* of the face
    clipped: float  # fraction of face pixels at 0-3 or 252-255
    dynamic_range: float  # gray 1st-99th percentile span
    illumination_imbalance: float
    sharpness: float
    chroma: float
    hue_deg: float
    glare: float
    eye_brightness_ratio: float


@dataclass(frozen=True)
class BackgroundMeasures:
    lightness: float  # median L*
    chroma: float
    unevenness: float  # L* 5th-95th percentile span after smoothing
    clutter: float  # edge-pixel fraction
    pixels: int


def smile_index(points: np.ndarray) -> float:
    """> 1 looks like a smile: mouth corners raised above the lip centre, or a mouth much wider
    than usual relative to the eyes. Neutral faces measured 0.1-0.8 on reference portraits."""
    inter_eye = float(np.linalg.norm(points[RIGHT_IRIS, :2] - points[LEFT_IRIS, :2])) or 1.0
    lip_centre_y = (points[UPPER_LIP, 1] + points[LOWER_LIP, 1]) / 2
    corners_y = (points[MOUTH_LEFT, 1] + points[MOUTH_RIGHT, 1]) / 2
    lift = float(lip_centre_y - corners_y) / inter_eye
    mouth_width = float(np.linalg.norm(points[MOUTH_LEFT, :2] - points[MOUTH_RIGHT, :2]))
    width_ratio = mouth_width / inter_eye
    return max(lift / 0.08, (width_ratio - 0.55) / 0.45)


def _region_box(points: np.ndarray, grow_x: float, grow_y: float) -> tuple[int, int, int, int]:
    x0, y0 = points.min(axis=0)
    x1, y1 = points.max(axis=0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w = max(2.0, (x1 - x0) * grow_x / 2)
    half_h = max(2.0, (y1 - y0) * grow_y / 2)
    return int(cx - half_w), int(cy - half_h), int(cx + half_w) + 1, int(cy + half_h) + 1


def _crop(image: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    x0, y0, x1, y1 = box
    h, w = image.shape[:2]
    return image[max(0, y0) : min(h, y1), max(0, x0) : min(w, x1)]


def face_measures(bgr: np.ndarray, face: FaceLandmarks) -> FaceMeasures:
    p = face.points
    xy = p[:, :2]
    opening = min(eye_openings(p))
    mouth = mouth_opening_ratio(p)
    smile = smile_index(p)

    # Face ROI normalised to a fixed width so texture measures do not depend on distance.
    x0, y0, x1, y1 = _region_box(xy, 1.0, 1.0)
    height, width = bgr.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
    if x1 - x0 < 8 or y1 - y0 < 8:
        raise ValueError("face region is too small")
    factor = FACE_NORMAL_WIDTH / (x1 - x0)
    size = (FACE_NORMAL_WIDTH, max(8, round((y1 - y0) * factor)))
    interpolation = cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR
    roi = cv2.resize(bgr[y0:y1, x0:x1], size, interpolation=interpolation)
    local = (xy - np.array([x0, y0], dtype=np.float32)) * factor
    hull = cv2.convexHull(local.astype(np.int32))
    face_mask = np.zeros(roi.shape[:2], np.uint8)
    cv2.fillConvexPoly(face_mask, hull, 255)
    inside = face_mask > 0
    gray = cv2.cvtColor(roi, cv2.COLOR_BGR2GRAY)
    lab = cv2.cvtColor(roi, cv2.COLOR_BGR2Lab).astype(np.float32)
    lightness = lab[..., 0] * (100.0 / 255.0)
    face_gray = gray[inside]
    if face_gray.size < 20:
        raise ValueError("face region is too small")
    clipped = float(np.mean((face_gray <= 3) | (face_gray >= 252)))
    low, high = np.percentile(face_gray, [1, 99])
    a_mean = float(lab[..., 1][inside].mean() - 128.0)
    b_mean = float(lab[..., 2][inside].mean() - 128.0)

    def region_mean(indices: tuple[int, ...]) -> float:
        box = _region_box(local[list(indices)], 1.0, 1.0)
        values = _crop(lightness, box)
        return float(values.mean()) if values.size else 0.0

    right_cheek, left_cheek = region_mean(RIGHT_CHEEK), region_mean(LEFT_CHEEK)
    cheeks = (right_cheek + left_cheek) / 2
    imbalance = abs(right_cheek - left_cheek) / max(cheeks, 1.0)

    sharp = float(cv2.Laplacian(gray, cv2.CV_64F).var())

    glare_pixels = 0
    eye_pixels = 0
    eye_lightness: list[float] = []
    hsv = cv2.cvtColor(roi, cv2.COLOR_BGR2HSV)
    for ring in (RIGHT_EYE_RING, LEFT_EYE_RING):
        box = _region_box(local[list(ring)], 1.5, 2.4)
        region = _crop(hsv, box)
        if region.size:
            bright = (region[..., 2] >= 245) & (region[..., 1] <= 40)
            glare_pixels += int(bright.sum())
            eye_pixels += bright.size
            eye_lightness.append(float(_crop(lightness, box).mean()))
    glare = glare_pixels / eye_pixels if eye_pixels else 0.0
    eye_ratio = (sum(eye_lightness) / len(eye_lightness)) / max(cheeks, 1.0) if eye_lightness else 1.0

    return FaceMeasures(
        eye_opening=float(opening),
        mouth_opening=float(mouth),
        smile_index=float(smile),
        lightness=float(lightness[inside].mean()),
        clipped=clipped,
        dynamic_range=float(high - low),
        illumination_imbalance=float(imbalance),
        sharpness=sharp,
        chroma=math.hypot(a_mean, b_mean),
        hue_deg=math.degrees(math.atan2(b_mean, a_mean)),
        glare=float(glare),
        eye_brightness_ratio=float(eye_ratio),
    )


def background_measures(
    bgr: np.ndarray, person_mask: np.ndarray | None, box: tuple[int, int, int, int]
) -> BackgroundMeasures | None:
    """Measures of the background inside ``box`` (x0, y0, x1, y1), person excluded."""
    region = _crop(bgr, box)
    if region.shape[0] < 8 or region.shape[1] < 8:
        return None
    factor = min(1.0, BACKGROUND_NORMAL_WIDTH / region.shape[1])
    size = (max(8, round(region.shape[1] * factor)), max(8, round(region.shape[0] * factor)))
    small = cv2.resize(region, size, interpolation=cv2.INTER_AREA)
    if person_mask is not None:
        height, width = bgr.shape[:2]
        my, mx = person_mask.shape[0] / height, person_mask.shape[1] / width
        x0, y0, x1, y1 = box
        mask_box = (
            round(max(0, x0) * mx),
            round(max(0, y0) * my),
            round(min(width, x1) * mx),
            round(min(height, y1) * my),
        )
        mask_region = _crop(person_mask, mask_box)
        if mask_region.size == 0:
            person = np.zeros(small.shape[:2], bool)
        else:
            person = cv2.resize(mask_region.astype(np.float32), size) > 0.25
    else:
        person = np.zeros(small.shape[:2], bool)
    # Keep well away from the person's outline (hair edges, soft mask).
    grow = max(3, round(0.03 * size[0]))
    kernel = np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)
    background = cv2.dilate(person.astype(np.uint8), kernel) == 0
    edge = max(1, round(0.01 * size[0]))  # the crop border itself is not a mark
    background[:edge, :] = background[-edge:, :] = False
    background[:, :edge] = background[:, -edge:] = False
    count = int(background.sum())
    if count < 50:
        return None
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2Lab).astype(np.float32)
    lightness = lab[..., 0] * (100.0 / 255.0)
    a = lab[..., 1] - 128.0
    b = lab[..., 2] - 128.0
    smooth = cv2.blur(lightness, (5, 5))
    low, high = np.percentile(smooth[background], [5, 95])
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    edges = cv2.Canny(cv2.GaussianBlur(gray, (3, 3), 0), 30, 90) > 0
    return BackgroundMeasures(
        lightness=float(np.median(lightness[background])),
        chroma=math.hypot(float(np.median(a[background])), float(np.median(b[background]))),
        unevenness=float(high - low),
        clutter=float(edges[background].mean()),
        pixels=count,
    )


def overlay_marks(bgr: np.ndarray, box: tuple[int, int, int, int], chin_y: float) -> float:
    """Thin dark strokes (text, watermarks, stamps) over bright areas below the chin.

    Black-hat morphology keeps features narrower than the kernel; clothing folds and shading
    are broad and stay out. Returns the fraction of the examined area covered by strokes.
    """
    region = _crop(bgr, box)
    if region.shape[0] < 16 or region.shape[1] < 16:
        return 0.0
    factor = 260.0 / region.shape[1]
    size = (260, max(16, round(region.shape[0] * factor)))
    gray = cv2.cvtColor(cv2.resize(region, size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY)
    start = max(0, round((chin_y - max(0, box[1])) * factor) + 10)
    if start >= gray.shape[0] - 4:
        return 0.0
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    strokes = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)[start:] > 35
    bright = cv2.blur(gray, (15, 15))[start:] > 150
    return float((strokes & bright).mean())
