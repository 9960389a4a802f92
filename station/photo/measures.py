"""Image measures on the face and the background (cheap: small ROIs, downscaled)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from station.face import FaceLandmarks
from station.face.measures import eye_openings, mouth_opening_ratio

# Face ROI width for scale-free texture measures (sharpness, dynamic range): about the face
# width of a finished ID photo (GA 482's 165-189 px head is a ~150 px face), so a compliant
# small photo is measured at its own resolution, not enlarged.
FACE_NORMAL_WIDTH = 128
BACKGROUND_NORMAL_WIDTH = 160
MOUTH_LEFT, MOUTH_RIGHT, UPPER_LIP, LOWER_LIP = 291, 61, 13, 14
RIGHT_IRIS, LEFT_IRIS = 468, 473
NOSE_TIP = 1
RIGHT_EYE_RING = (33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246)
LEFT_EYE_RING = (263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466)
# Cheekbone areas below the eyes, away from the face outline (hair) and the beard zone.
RIGHT_CHEEK = (116, 117, 118, 119, 100, 101, 50, 123)
LEFT_CHEEK = (345, 346, 347, 348, 329, 330, 280, 352)
UPPER_LIP_OUTER, LOWER_LIP_OUTER = 0, 17
CHIN = 152


@dataclass(frozen=True)
class FaceMeasures:
    eye_opening: float  # smaller of the two (OFIQ normalisation)
    mouth_opening: float
    smile_index: float
    lightness: float  # mean L* of the face
    clipped: float  # fraction of face pixels at 0-3 or 252-255
    dynamic_range: float  # gray 1st-99th percentile span
    illumination_imbalance: float  # |log2| of the left/right cheek luminance ratio (stops)
    sharpness: float
    chroma: float
    hue_deg: float
    glare: float
    eye_brightness_ratio: float


@dataclass(frozen=True)
class BackgroundMeasures:
    lightness: float  # median L*
    chroma: float
    hue_deg: float  # CIE a*b* hue angle of the median colour, 0-360
    unevenness: float  # L* depth of shadows near the head below a smooth background model
    clutter: float  # edge-pixel fraction
    pixels: int


def smile_index(points: np.ndarray) -> float:
    """How far the mouth is drawn into a smile, even a closed-mouth one (lip-corner puller):
    the corners rise towards the eyes and the mouth widens. Sum of the mouth corners' height
    between the eye line and the chin (neutral about 0.62, in units of 0.035) and the mouth
    width over the inter-eye distance (neutral about 0.80, in units of 0.12). Calibration in
    bench.photo_accuracy: neutral CFD portraits of groups A, B, I, L, M measured up to 1.6,
    closed-mouth smiles 2.1 and above (the W group was held out)."""
    inter_eye = float(np.linalg.norm(points[RIGHT_IRIS, :2] - points[LEFT_IRIS, :2])) or 1.0
    eye_y = float(points[RIGHT_IRIS, 1] + points[LEFT_IRIS, 1]) / 2
    eye_to_chin = max(1.0, float(points[CHIN, 1]) - eye_y)
    corners_y = float(points[MOUTH_LEFT, 1] + points[MOUTH_RIGHT, 1]) / 2
    corner_height = (corners_y - eye_y) / eye_to_chin
    mouth_width = float(np.linalg.norm(points[MOUTH_LEFT, :2] - points[MOUTH_RIGHT, :2]))
    return (mouth_width / inter_eye - 0.80) / 0.12 + (0.62 - corner_height) / 0.035


def visible_mouth_gap(bgr: np.ndarray, points: np.ndarray) -> float:
    """Share of the inner-lip line (landmarks 13-14) that shows a dark mouth cavity or teeth
    rather than lip. The mesh alone parts full lips that are closed; the image decides."""
    xy = points[:, :2]
    left, right = xy[MOUTH_RIGHT], xy[MOUTH_LEFT]
    width = float(np.linalg.norm(right - left))
    if width < 6:
        return 1.0
    top, bottom = xy[UPPER_LIP_OUTER], xy[LOWER_LIP_OUTER]
    x0 = int(min(left[0], right[0]))
    x1 = int(max(left[0], right[0])) + 1
    y0, y1 = int(top[1]) - 1, int(bottom[1]) + 2
    height, image_width = bgr.shape[:2]
    if x0 < 0 or y0 < 0 or x1 > image_width or y1 > height or y1 - y0 < 4:
        return 1.0
    factor = 64.0 / (x1 - x0)
    region = cv2.resize(bgr[y0:y1, x0:x1], (64, max(4, round((y1 - y0) * factor))),
                        interpolation=cv2.INTER_AREA if factor < 1 else cv2.INTER_LINEAR)  # fmt: skip
    gray = cv2.cvtColor(region, cv2.COLOR_BGR2GRAY).astype(np.float32)
    upper = (xy[UPPER_LIP] - [x0, y0]) * factor
    lower = (xy[LOWER_LIP] - [x0, y0]) * factor
    g0 = max(0, int(min(upper[1], lower[1])))
    g1 = min(gray.shape[0], int(max(upper[1], lower[1])) + 1)
    cx = int((upper[0] + lower[0]) / 2)
    if g1 - g0 < 2:
        return 0.0
    segment = gray[g0:g1, max(0, cx - 4) : cx + 5]
    lips = np.concatenate([gray[: max(1, g0), max(0, cx - 8) : cx + 9].ravel(),
                           gray[g1:, max(0, cx - 8) : cx + 9].ravel()])  # fmt: skip
    lip = float(np.median(lips)) if lips.size else float(np.median(gray))
    opened = (segment < 0.6 * lip) | (segment > lip + 70)
    return float(opened.mean())


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


def face_shape_measures(bgr: np.ndarray, face: FaceLandmarks) -> dict[str, float]:
    """The measures that follow the face from frame to frame (blinks, the mouth): eye
    opening, visible mouth opening and smile index, as FaceMeasures fields."""
    p = face.points
    mouth = mouth_opening_ratio(p) * min(1.0, visible_mouth_gap(bgr, p) / MOUTH_GAP_SHARE)
    return {"eye_opening": float(min(eye_openings(p))), "mouth_opening": float(mouth),
            "smile_index": float(smile_index(p))}  # fmt: skip


def face_measures(bgr: np.ndarray, face: FaceLandmarks) -> FaceMeasures:
    p = face.points
    xy = p[:, :2]
    shape = face_shape_measures(bgr, face)

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

    def cheek(indices: tuple[int, ...], values: np.ndarray) -> np.ndarray:
        polygon = np.zeros(values.shape[:2], np.uint8)
        cv2.fillConvexPoly(polygon, cv2.convexHull(local[list(indices)].astype(np.int32)), 1)
        inside_region = values[polygon > 0]
        return inside_region if inside_region.size else values.ravel()

    right_cheek = float(cheek(RIGHT_CHEEK, lightness).mean())
    left_cheek = float(cheek(LEFT_CHEEK, lightness).mean())
    cheeks = (right_cheek + left_cheek) / 2
    # Lighting ratio in linear light: skin reflectance cancels, so the same lamp gives the
    # same value on a dark and on a light face (an L* difference or an L*-relative one does
    # not: both depend on the skin's own lightness).
    luminance = _linear_luminance(roi)
    right_y = float(np.median(cheek(RIGHT_CHEEK, luminance)))
    left_y = float(np.median(cheek(LEFT_CHEEK, luminance)))
    imbalance = abs(math.log2(max(right_y, 1e-4) / max(left_y, 1e-4)))

    sharp = float(cv2.Laplacian(gray, cv2.CV_64F).var())

    glare_pixels = 0
    eye_pixels = 0
    eye_lightness: list[float] = []
    hsv = cv2.cvtColor(roi, cv2.COLOR_BGR2HSV)
    for ring in (RIGHT_EYE_RING, LEFT_EYE_RING):
        box = _region_box(local[list(ring)], 1.5, 2.4)
        region = _crop(hsv, box)
        if region.size:
            hue, saturation, value = region[..., 0], region[..., 1], region[..., 2]
            # White specular glare, or a coloured reflection of a lens coating (green, blue,
            # violet: hues skin and eyes' whites do not have), both far brighter than skin.
            white = (value >= 245) & (saturation <= 40)
            tinted = (value >= 190) & (saturation >= 60) & (hue >= 35) & (hue <= 160)
            bright = white | tinted
            glare_pixels += int(bright.sum())
            eye_pixels += bright.size
            eye_lightness.append(float(_crop(lightness, box).mean()))
    glare = glare_pixels / eye_pixels if eye_pixels else 0.0
    eye_ratio = (sum(eye_lightness) / len(eye_lightness)) / max(cheeks, 1.0) if eye_lightness else 1.0

    return FaceMeasures(
        **shape,
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


def _linear_luminance(bgr: np.ndarray) -> np.ndarray:
    """Relative luminance Y (0-1) of sRGB pixels."""
    linear = _SRGB_TO_LINEAR[bgr]
    return linear[..., 0] * 0.0722 + linear[..., 1] * 0.7152 + linear[..., 2] * 0.2126


_steps = np.arange(256, dtype=np.float64) / 255.0
_SRGB_TO_LINEAR = np.where(_steps <= 0.04045, _steps / 12.92,
                           ((_steps + 0.055) / 1.055) ** 2.4).astype(np.float32)  # fmt: skip
SHADOW_MAX_TEXTURE = 2.5  # local L* standard deviation (3x3 at 160 px) of a smooth shadow
# Visible gap share at which the inner-lip distance counts in full (below it, in proportion).
MOUTH_GAP_SHARE = 0.35


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
            probability = np.zeros(small.shape[:2], np.float32)
        else:
            probability = cv2.resize(mask_region.astype(np.float32), size)
    else:
        probability = np.zeros(small.shape[:2], np.float32)
    person = probability > 0.25
    # Keep well away from the person's outline (hair edges, soft mask).
    grow = max(3, round(0.03 * size[0]))
    kernel = np.ones((2 * grow + 1, 2 * grow + 1), np.uint8)
    background = cv2.dilate(person.astype(np.uint8), kernel) == 0
    edge = max(1, round(0.01 * size[0]))  # the crop border itself is not a mark
    background[:edge, :] = background[-edge:, :] = False
    background[:, :edge] = background[:, -edge:] = False
    # Shadows fall right beside the person: for them, only the mask's core and a thin rim
    # are left out.
    core = probability > 0.5
    rim = max(2, grow // 2)
    beside = cv2.dilate(core.astype(np.uint8), np.ones((2 * rim + 1, 2 * rim + 1), np.uint8)) == 0
    beside[:edge, :] = beside[-edge:, :] = False
    beside[:, :edge] = beside[:, -edge:] = False
    count = int(background.sum())
    if count < 50:
        return None
    lab = cv2.cvtColor(small, cv2.COLOR_BGR2Lab).astype(np.float32)
    lightness = lab[..., 0] * (100.0 / 255.0)
    a = lab[..., 1] - 128.0
    b = lab[..., 2] - 128.0
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    edges = cv2.Canny(cv2.GaussianBlur(gray, (3, 3), 0), 30, 90) > 0
    a_median, b_median = float(np.median(a[background])), float(np.median(b[background]))
    return BackgroundMeasures(
        lightness=float(np.median(lightness[background])),
        chroma=math.hypot(a_median, b_median),
        hue_deg=math.degrees(math.atan2(b_median, a_median)) % 360.0,
        unevenness=_shadow_depth(lightness, beside, core),
        clutter=float((edges & ~_loose_hair(edges, person, size[0]))[background].mean()),
        pixels=count,
    )


# Loose hair hangs this far (share of the region's width) from the person's outline.
LOOSE_HAIR_REACH = 0.12


def _loose_hair(edges: np.ndarray, person: np.ndarray, width: int) -> np.ndarray:
    """Edge pixels of strands that hang from the head: connected to the person and no
    farther from its outline than LOOSE_HAIR_REACH. Flyaway hair is the person, not a mark on
    the background (ISO/IEC 19794-5 7.2.8 asks the background to be plain); an object or a
    pattern is not attached to the head, or reaches beyond the hair."""
    if not person.any():
        return np.zeros_like(edges)
    reach = max(3, round(LOOSE_HAIR_REACH * width))
    near = cv2.dilate(person.astype(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    joined = ((edges & near) | person).astype(np.uint8)
    count, labels = cv2.connectedComponents(joined, connectivity=8)
    attached = np.zeros(count, bool)
    attached[np.unique(labels[person])] = True
    attached[0] = False
    return attached[labels] & edges


def _least_squares(terms: tuple[np.ndarray, ...], values: np.ndarray,
                   keep: np.ndarray) -> np.ndarray:  # fmt: skip
    """Coefficients of the terms fitting ``values`` where ``keep`` (6x6 normal equations:
    element-wise sums, no BLAS threads for a tiny problem)."""
    kept = [t[keep] for t in terms]
    target = values[keep]
    gram = np.array([[float((a * b).sum()) for b in kept] for a in kept])
    rhs = np.array([float((a * target).sum()) for a in kept])
    try:
        return np.linalg.solve(gram + np.eye(len(kept)) * 1e-9, rhs)
    except np.linalg.LinAlgError:
        return np.zeros(len(kept))


def _shadow_depth(lightness: np.ndarray, background: np.ndarray, person: np.ndarray) -> float:
    """How much darker than a smooth background the background next to the head is (L*).

    A smooth fall-off of the light (vignette, a lamp's gradient) fits a quadratic surface and
    is not a defect; a shadow cast by the head, or a fold or object beside it, is a broad dip
    below that surface. Stray hair strands are thin and textured and are left out.
    Measured in a band around the person, where shadows fall.
    """
    height, width = lightness.shape
    ys, xs = np.nonzero(background)
    if ys.size < 50:
        return 0.0
    if ys.size > 800:  # a smooth surface needs few samples
        pick = np.linspace(0, ys.size - 1, 800).astype(np.intp)
        ys, xs = ys[pick], xs[pick]
    u, v = xs / width - 0.5, ys / height - 0.5
    terms = (np.ones_like(u), u, v, u * u, u * v, v * v)
    values = lightness[ys, xs].astype(np.float64)
    keep = np.ones(values.shape, bool)
    coef = np.zeros(6)
    for _ in range(2):  # refit without the dips, so a shadow does not bend the surface
        coef = _least_squares(terms, values, keep)
        fitted = sum(c * t for c, t in zip(coef, terms, strict=True))
        keep = values - fitted > -2.0
        if keep.sum() < 30:
            break
    # A shadow is smooth; hair strands and curls are textured: leave textured pixels out.
    mean = cv2.blur(lightness, (3, 3))
    texture = np.sqrt(np.maximum(cv2.blur(lightness * lightness, (3, 3)) - mean * mean, 0.0))
    reach = max(3, round(0.12 * width))
    near = cv2.dilate(person.astype(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
    band_y, band_x = np.nonzero(near & background & (texture < SHADOW_MAX_TEXTURE))
    if band_y.size < 20:
        return 0.0
    u, v = band_x / width - 0.5, band_y / height - 0.5
    surface = sum(c * t for c, t in zip(coef, (1.0, u, v, u * u, u * v, v * v), strict=True))
    # The 3x3 mean: a shadow covers many pixels, a stray strand only a few.
    residual = mean[band_y, band_x] - surface
    return float(max(0.0, -np.percentile(residual, 1)))


def overlay_marks(bgr: np.ndarray, box: tuple[int, int, int, int], chin_y: float,
                  person_mask: np.ndarray | None = None) -> float:  # fmt: skip
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
    found = strokes & bright
    if person_mask is not None and person_mask.size:
        # Loose hair strands beside the shoulders are thin dark lines too; they hang along
        # the person's outline, whereas text or a watermark lies on the shirt or the open
        # background: strokes near the outline are left out.
        height, width = bgr.shape[:2]
        fy, fx = person_mask.shape[0] / height, person_mask.shape[1] / width
        x0, y0, x1, y1 = box
        mask_box = (round(max(0, x0) * fx), round(max(0, y0) * fy),
                    round(min(width, x1) * fx), round(min(height, y1) * fy))  # fmt: skip
        region_mask = _crop(person_mask, mask_box)
        if region_mask.size:
            person = (cv2.resize(region_mask.astype(np.float32), size) > 0.5).astype(np.uint8)
            reach = max(3, round(0.05 * size[0]))
            kernel = np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)
            outline = cv2.dilate(person, kernel) - cv2.erode(person, kernel)
            found = found & (outline[start:] == 0)
    return float(found.mean())
