"""Find a document page in a camera frame, flatten it, and judge whether it is readable.

Used for business licences, powers of attorney and ID-card photos (front and back). The page
is the largest convex quadrilateral that stands out from its surroundings; if none is found
the whole frame is kept (a flat-bed scan or an imported file) and the clerk is told.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image

from station.i18n import both

MIN_PAGE_AREA = 0.15  # of the frame: smaller quadrilaterals are noise, not the page
SHARPNESS_MIN = 60.0  # variance of the Laplacian on the flattened page at 1000 px width
OUTPUT_LONG_SIDE = 1600
ID_CARD_ASPECT = 85.6 / 54.0  # ISO/IEC 7810 ID-1, the size of the resident identity card
ID_CARD_TOLERANCE = 0.07  # relative: a margin left around the card; A4 (1.41) is well outside
CARD_SCAN_KINDS = ("id_front", "id_back")  # F4: photos of the ID card itself


@dataclass(frozen=True)
class PageResult:
    image: np.ndarray  # flattened page (BGR)
    corners: np.ndarray | None  # 4x2 corners in the source frame, None when not detected
    sharpness: float
    sharp_enough: bool
    messages: list[dict[str, str]] = field(default_factory=list)

    def quality(self) -> dict[str, object]:
        return {
            "page_detected": self.corners is not None,
            "sharpness": round(self.sharpness, 1),
            "sharp_enough": self.sharp_enough,
            "messages": self.messages,
        }


def _order_corners(points: np.ndarray) -> np.ndarray:
    """Top-left, top-right, bottom-right, bottom-left."""
    pts = points.reshape(4, 2).astype(np.float32)
    s, d = pts.sum(axis=1), np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]],
                    dtype=np.float32)


def find_page(frame: np.ndarray) -> np.ndarray | None:
    """Corners of the page in ``frame`` (BGR), or None."""
    height, width = frame.shape[:2]
    scale = 800.0 / max(height, width)
    small = cv2.resize(frame, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else frame
    scale = min(scale, 1.0)
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(gray, 50, 150), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    min_area = MIN_PAGE_AREA * small.shape[0] * small.shape[1]
    for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        if cv2.contourArea(contour) < min_area:
            break
        approx = cv2.approxPolyDP(contour, 0.02 * cv2.arcLength(contour, True), True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return _order_corners(approx / scale)
    return None


def flatten(frame: np.ndarray, corners: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = corners
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(frame, matrix, (width, height))


def sharpness(image: np.ndarray) -> float:
    """Variance of the Laplacian at a fixed width, so the figure does not depend on resolution."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    scale = 1000.0 / gray.shape[1]
    gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(gray, cv2.CV_64F).var())


def capture_page(frame: np.ndarray) -> PageResult:
    if frame is None or frame.size == 0 or frame.ndim not in (2, 3):
        raise ValueError("empty or malformed frame")
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    messages: list[dict[str, str]] = []
    corners = find_page(frame)
    page = flatten(frame, corners) if corners is not None else frame
    if corners is None:
        messages.append(both("Scans", "No page edges found: the whole picture is kept."))
    long_side = max(page.shape[:2])
    if long_side > OUTPUT_LONG_SIDE:
        factor = OUTPUT_LONG_SIDE / long_side
        page = cv2.resize(page, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    value = sharpness(page)
    sharp_enough = value >= SHARPNESS_MIN
    if not sharp_enough:
        messages.append(both("Scans", "The page is blurred: hold it still and retake."))
    return PageResult(page, corners, value, sharp_enough, messages)


@dataclass(frozen=True)
class CardShape:
    """Whether a captured or imported picture looks like an ID card (ID-1 proportions, page
    edges found); anything else is kept only with the clerk's reason."""

    page_detected: bool
    aspect: float  # long side / short side of what was kept
    looks_like_card: bool
    messages: list[dict[str, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"page_detected": self.page_detected, "aspect": round(self.aspect, 3),
                "expected_aspect": round(ID_CARD_ASPECT, 3),
                "looks_like_card": self.looks_like_card, "messages": self.messages}


def card_shape(page: PageResult) -> CardShape:
    height, width = page.image.shape[:2]
    aspect = max(width, height) / max(1, min(width, height))
    proportions = abs(aspect - ID_CARD_ASPECT) / ID_CARD_ASPECT <= ID_CARD_TOLERANCE
    detected = page.corners is not None
    messages: list[dict[str, str]] = []
    if not detected:
        messages.append(both("Scans", "No card edges were found in the picture."))
    if not proportions:
        messages.append(both("Scans", "The picture does not have an ID card's proportions "
                                      "(85.6 × 54 mm)."))
    return CardShape(detected, aspect, detected and proportions, messages)


def encode_jpeg(image: np.ndarray, quality: int = 85) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("could not encode the page as JPEG")
    return data.tobytes()


MAX_IMPORT_PIXELS = 40_000_000  # larger is refused from the header, before decoding
DECODE_PIXELS = 16_000_000  # a larger JPEG is decoded at 1/2, 1/4 or 1/8: plenty for a page
_REDUCED = ((2, cv2.IMREAD_REDUCED_COLOR_2), (4, cv2.IMREAD_REDUCED_COLOR_4),
            (8, cv2.IMREAD_REDUCED_COLOR_8))


def decode_image(data: bytes) -> np.ndarray:
    """Decode an imported file (JPEG, PNG, ...) with a bound on the memory it takes; a clear
    ValueError when it is not an image or is too large."""
    size = _header_size(data)
    if size is not None and size[0] * size[1] > MAX_IMPORT_PIXELS:
        raise ValueError(f"the image is too large ({size[0]}x{size[1]} pixels)")
    flags = cv2.IMREAD_COLOR
    pixels = size[0] * size[1] if size is not None else 0
    if pixels > DECODE_PIXELS and data[:2] == b"\xff\xd8":  # JPEG decodes at a fraction
        flags = next((reduced for factor, reduced in _REDUCED
                      if pixels / factor**2 <= DECODE_PIXELS), cv2.IMREAD_REDUCED_COLOR_8)
    array = np.frombuffer(data, np.uint8)
    image = cv2.imdecode(array, flags) if array.size else None
    if image is None:
        raise ValueError("the file is not an image this station can read")
    return image


def _header_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the file's header, without decoding it (None: not known)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                return probe.size
    except Image.DecompressionBombError:
        return (MAX_IMPORT_PIXELS, 2)  # past PIL's own bound: too large either way
    except Exception:  # not a format PIL knows: OpenCV decides
        return None
