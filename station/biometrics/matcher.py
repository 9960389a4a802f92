"""Offline 1:1 face matching with dlib's ResNet face descriptor (face_recognition_models).

Pipeline per image: normalise to RGB -> find faces (HOG; on failure the same image padded,
for faces cut by the border; then dlib's CNN detector) -> keep the largest face -> 5-point
landmarks -> 128-d descriptor. Two descriptors are compared by Euclidean distance against
the calibrated threshold in resources/biometrics/calibration.json.

Thread safety: a ``FaceMatcher`` may be shared between threads. The dlib models are loaded
once per process and every dlib call runs under one process-wide lock (dlib objects are not
documented as re-entrant), so concurrent calls are serialised, not parallel.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from station.biometrics.calibration import Calibration, load_calibration
from station.biometrics.images import to_rgb8
from station.i18n import both

# Small images (chip photos are 102x126) are enlarged to this shorter side before detection:
# dlib's HOG detector finds faces from about 80 px, the chip's face is ~70 px wide.
MIN_WORKING_SIDE = 200
# Large photos are reduced for detection only (speed); landmarks use full resolution.
MAX_DETECTION_SIDE = 1024
CNN_MAX_SIDE = 480
EDGE_PADDING = 0.25
SMALL_FACE_PX = 60

_DLIB_LOCK = threading.RLock()

Box = tuple[int, int, int, int]  # left, top, right, bottom in the caller's image pixels


class FaceNotFound(Exception):
    """No usable face; ``message`` holds the explanation in both languages."""

    def __init__(self, message: dict[str, str] | None = None, which: str | None = None) -> None:
        self.message = message or both("Biometrics", "No face was found in the image.")
        self.which = which
        super().__init__(self.message["en"] + (f" (image {which})" if which else ""))


@dataclass(frozen=True)
class FaceEmbedding:
    vector: np.ndarray  # (128,) float64
    box: Box
    faces: int  # faces the detector saw; the largest one was used
    notes: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class MatchResult:
    score: float  # 0-100, pass_score (60) at the threshold
    distance: float
    threshold: float
    match: bool
    borderline: bool  # inside the review band: a supervisor should look
    faces_a: int
    faces_b: int
    box_a: Box | None = None
    box_b: Box | None = None
    notes: tuple[dict[str, str], ...] = ()
    elapsed_ms: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "threshold": self.threshold,
            "match": self.match,
            "distance": round(self.distance, 4),
            "borderline": self.borderline,
            "faces_a": self.faces_a,
            "faces_b": self.faces_b,
            "box_a": list(self.box_a) if self.box_a else None,
            "box_b": list(self.box_b) if self.box_b else None,
            "notes": list(self.notes),
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


@lru_cache(maxsize=1)
def _models() -> tuple[Any, Any, Any]:
    import dlib
    import face_recognition_models as model_files

    with _DLIB_LOCK:
        return (
            dlib.get_frontal_face_detector(),
            dlib.shape_predictor(model_files.pose_predictor_five_point_model_location()),
            dlib.face_recognition_model_v1(model_files.face_recognition_model_location()),
        )


@lru_cache(maxsize=1)
def _cnn_detector() -> Any:
    import dlib
    import face_recognition_models as model_files

    with _DLIB_LOCK:
        return dlib.cnn_face_detection_model_v1(model_files.cnn_face_detector_model_location())


class FaceMatcher:
    """Compare two face images, or embed one image for later comparisons."""

    def __init__(
        self,
        calibration: Calibration | None = None,
        *,
        use_cnn_fallback: bool = True,
        jitters: int = 1,
    ) -> None:
        self.calibration = calibration or load_calibration()
        self.use_cnn_fallback = use_cnn_fallback
        self.jitters = max(1, int(jitters))
        _models()  # load now, not on the first frame

    @property
    def threshold(self) -> float:
        return self.calibration.distance_threshold

    def embed(self, image: np.ndarray, *, channel_order: str = "bgr") -> FaceEmbedding:
        """Descriptor of the largest face in ``image`` (BGR like OpenCV unless told 'rgb')."""
        rgb = to_rgb8(image, channel_order)
        height, width = rgb.shape[:2]
        enlarge = max(1.0, MIN_WORKING_SIDE / min(height, width))
        working = (
            cv2.resize(rgb, None, fx=enlarge, fy=enlarge, interpolation=cv2.INTER_CUBIC)
            if enlarge > 1.0
            else rgb
        )
        with _DLIB_LOCK:
            rects = self._detect(working)
            if not rects:
                raise FaceNotFound()
            largest = max(rects, key=lambda r: (r[2] - r[0]) * (r[3] - r[1]))
            vector = self._describe(working, largest)
        box = _clip(tuple(round(v / enlarge) for v in largest), (height, width))
        notes: list[dict[str, str]] = []
        if len(rects) > 1:
            notes.append(
                both("Biometrics", "Several faces were found; the largest face was used.")
            )
        if min(box[2] - box[0], box[3] - box[1]) < SMALL_FACE_PX / 2 or (
            enlarge == 1.0 and largest[2] - largest[0] < SMALL_FACE_PX
        ):
            notes.append(both("Biometrics", "The face is very small; the result is less reliable."))
        return FaceEmbedding(vector=vector, box=box, faces=len(rects), notes=tuple(notes))

    def compare(
        self, image_a: np.ndarray, image_b: np.ndarray, *, channel_order: str = "bgr"
    ) -> MatchResult:
        """1:1 comparison; raises FaceNotFound (``which`` = "a" or "b") if a face is missing."""
        started = time.perf_counter()
        try:
            first = self.embed(image_a, channel_order=channel_order)
        except FaceNotFound as error:
            raise FaceNotFound(
                both("Biometrics", "No face was found in the first image."), "a"
            ) from error
        try:
            second = self.embed(image_b, channel_order=channel_order)
        except FaceNotFound as error:
            raise FaceNotFound(
                both("Biometrics", "No face was found in the second image."), "b"
            ) from error
        result = self.compare_embeddings(first, second)
        elapsed = (time.perf_counter() - started) * 1000.0
        return MatchResult(**{**result.__dict__, "elapsed_ms": elapsed})

    def compare_embeddings(self, first: FaceEmbedding, second: FaceEmbedding) -> MatchResult:
        """Compare stored descriptors (e.g. the chip photo once, many live frames)."""
        distance = float(np.linalg.norm(first.vector - second.vector))
        calibration = self.calibration
        return MatchResult(
            score=calibration.score(distance),
            distance=distance,
            threshold=calibration.distance_threshold,
            match=distance <= calibration.distance_threshold,
            borderline=calibration.is_borderline(distance),
            faces_a=first.faces,
            faces_b=second.faces,
            box_a=first.box,
            box_b=second.box,
            notes=first.notes + second.notes,
        )

    def distance(self, first: FaceEmbedding, second: FaceEmbedding) -> float:
        return float(np.linalg.norm(first.vector - second.vector))

    # -- internals (called with _DLIB_LOCK held) ---------------------------------------------

    def _detect(self, rgb: np.ndarray) -> list[Box]:
        """Face boxes in ``rgb`` coordinates; several passes, cheapest first."""
        hog, _, _ = _models()
        height, width = rgb.shape[:2]
        shrink = min(1.0, MAX_DETECTION_SIDE / max(height, width))
        small = (
            cv2.resize(rgb, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
            if shrink < 1.0
            else rgb
        )
        upsample = 1 if max(small.shape[:2]) <= 640 else 0
        boxes = [_rect_box(r) for r in hog(small, upsample)]
        if not boxes:
            # A face cut by the image border: give HOG a margin to see the whole window.
            pad = int(EDGE_PADDING * max(small.shape[:2]))
            padded = cv2.copyMakeBorder(small, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
            boxes = [
                _shift(_rect_box(r), -pad) for r in hog(padded, upsample)
            ]
        if not boxes and self.use_cnn_fallback and max(small.shape[:2]) <= CNN_MAX_SIDE:
            # Only small images (chip photos, crops): there HOG is weakest and the CNN cheap;
            # on a big photo it would cost seconds for the rare face HOG misses.
            boxes = self._detect_cnn(small)
        return [tuple(round(v / shrink) for v in box) for box in boxes]

    def _detect_cnn(self, rgb: np.ndarray) -> list[Box]:
        height, width = rgb.shape[:2]
        scale = min(1.0, CNN_MAX_SIDE / max(height, width))
        image = cv2.resize(rgb, None, fx=scale, fy=scale) if scale < 1.0 else rgb
        found = _cnn_detector()(image, 0)
        # MMOD confidences below ~0.5 are mostly non-faces (dlib's example uses 0 as
        # the detection threshold; we want fewer false faces for a verification step).
        boxes = [_rect_box(d.rect) for d in found if d.confidence > 0.5]
        return [tuple(round(v / scale) for v in b) for b in boxes]

    def _describe(self, rgb: np.ndarray, box: Box) -> np.ndarray:
        import dlib

        _, shape_predictor, recogniser = _models()
        rect = dlib.rectangle(*box)
        shape = shape_predictor(rgb, rect)
        descriptor = recogniser.compute_face_descriptor(rgb, shape, self.jitters)
        return np.asarray(descriptor, dtype=np.float64)


def _rect_box(rect: Any) -> Box:
    return (int(rect.left()), int(rect.top()), int(rect.right()), int(rect.bottom()))


def _clip(box: Box, shape: tuple[int, ...]) -> Box:
    height, width = shape[0], shape[1]
    left, top, right, bottom = box
    return (max(0, left), max(0, top), min(width - 1, right), min(height - 1, bottom))


def _shift(box: Box, offset: int) -> Box:
    """Move a box found in a padded image back; it may extend past the border (dlib's
    chip extraction fills the outside with black, which the descriptor tolerates)."""
    left, top, right, bottom = box
    return (left + offset, top + offset, right + offset, bottom + offset)
