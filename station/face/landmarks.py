"""Face landmarks (MediaPipe Face Mesh, 478 points with iris) and head pose, offline.

Shared by the photo-compliance engine, liveness and face matching. MediaPipe 0.10.14 bundles
its models in the wheel, so nothing is downloaded at run time.

Head-pose sign convention (camera view, image not mirrored):

* ``yaw``  > 0: the person turns their head to THEIR left (nose moves to the image's right).
* ``pitch`` > 0: the person lifts their chin / looks up (nose moves up in the image).
* ``roll`` > 0: the head tilts towards the person's LEFT shoulder (their left eye, on the
  image's right, drops lower in the image).

Angles are in degrees, 0 for a frontal face. Mirroring an image negates yaw and roll.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

# Landmark indices (MediaPipe canonical face mesh) used for the face frame.
RIGHT_EYE_OUTER = 33  # the person's right eye, outer corner (image left)
LEFT_EYE_OUTER = 263  # the person's left eye, outer corner (image right)
FOREHEAD_TOP = 10  # top of the mesh on the forehead (below the hairline)
CHIN = 152
NOSE_TIP = 1
NUM_POINTS = 478

# The forehead->chin line of a frontal face leans back a little in MediaPipe's relative depth;
# the median pitch measured on frontal reference portraits was about -5 degrees.
FRONTAL_PITCH_OFFSET_DEG = 5.0
# Head level (see level_pitch): the eye corners and the face outline beside the ears (near
# the tragion), the two ends of a line close to the Frankfurt plane.
EYE_CORNERS = (33, 133, 362, 263)
EAR_OUTLINE = (234, 454)
# Seen from the side, in the mesh of a level head the eye corners sit this far above the ear
# points (median of the 60 neutral Chicago Face Database portraits 17.1 deg, mean 17.2).
LEVEL_EYES_ABOVE_EARS_DEG = 17.1


@dataclass(frozen=True)
class FaceLandmarks:
    """One face. ``points`` is (478, 3) float32: x, y in pixels of the analysed image, z
    relative depth in MediaPipe's scale multiplied by the image width (smaller = nearer)."""

    points: np.ndarray
    bbox: tuple[int, int, int, int]  # x, y, w, h in pixels, from the landmarks
    yaw: float
    pitch: float
    roll: float
    image_size: tuple[int, int]  # (width, height)

    @property
    def level_pitch(self) -> float:
        """Pitch (degrees, > 0 chin up) of the head level: see ``level_pitch``."""
        return level_pitch(self.points)

    @property
    def inter_eye_distance(self) -> float:
        """Distance between the iris centres (points 468 and 473) in pixels."""
        return float(np.linalg.norm(self.points[468, :2] - self.points[473, :2]))

    def scaled(self, factor: float) -> FaceLandmarks:
        """The same face in an image scaled by ``factor`` (pose is unchanged)."""
        width, height = self.image_size
        x, y, w, h = self.bbox
        return FaceLandmarks(
            points=(self.points * np.float32(factor)).astype(np.float32),
            bbox=(round(x * factor), round(y * factor), round(w * factor), round(h * factor)),
            yaw=self.yaw,
            pitch=self.pitch,
            roll=self.roll,
            image_size=(round(width * factor), round(height * factor)),
        )


def head_pose(points: np.ndarray) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees from the 3D landmarks, by the convention above.

    Builds an orthonormal face frame: x along the eye corners (image-left to image-right eye),
    y from forehead to chin (down), z = x cross y pointing into the head; the face's forward
    direction (towards the camera) is -z.
    """
    p = points.astype(np.float64)
    x_axis = p[LEFT_EYE_OUTER] - p[RIGHT_EYE_OUTER]
    x_axis /= np.linalg.norm(x_axis) or 1.0
    y_axis = p[CHIN] - p[FOREHEAD_TOP]
    y_axis -= x_axis * float(np.dot(x_axis, y_axis))
    y_axis /= np.linalg.norm(y_axis) or 1.0
    forward = -np.cross(x_axis, y_axis)
    yaw = np.degrees(np.arctan2(forward[0], -forward[2]))
    pitch = np.degrees(np.arctan2(-forward[1], np.hypot(forward[0], forward[2])))
    roll = np.degrees(np.arctan2(x_axis[1], x_axis[0]))
    return float(yaw), float(pitch + FRONTAL_PITCH_OFFSET_DEG), float(roll)


def level_pitch(points: np.ndarray) -> float:
    """Up/down rotation of the head from the line between the ears and the eye corners, as
    anthropometry levels a head (the Frankfurt plane, ear to lower orbit), > 0 chin up.

    ``head_pose``'s pitch follows the forehead-to-chin line, whose depth the mesh models
    poorly and which moves with the jaw: a closed-mouth smile shifts it by up to 10 deg and
    chin shapes spread it by +/-4 deg (1 s.d.) on frontal portraits. The ear-to-eye line is
    long in depth and short in height, so the image's precise vertical positions carry it;
    neither jaw nor expression moves its ends (spread 2.7 deg, smiles within 4.3 deg).
    """
    p = points.astype(np.float64)
    eyes = p[list(EYE_CORNERS)].mean(axis=0)
    ears = p[list(EAR_OUTLINE)].mean(axis=0)
    across = p[LEFT_EYE_OUTER, :2] - p[RIGHT_EYE_OUTER, :2]
    angle = -np.arctan2(across[1], across[0])  # undo the roll first
    cos, sin = np.cos(angle), np.sin(angle)
    rise = sin * (ears[0] - eyes[0]) + cos * (ears[1] - eyes[1])  # image y down, roll removed
    depth = ears[2] - eyes[2]  # the ears lie behind the eyes
    return float(np.degrees(np.arctan2(rise, depth)) - LEVEL_EYES_ABOVE_EARS_DEG)


def _to_rgb(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


class FaceLandmarker:
    """MediaPipe Face Mesh with iris refinement.

    ``static_images=True`` runs face detection on every image; ``False`` tracks the face from
    frame to frame (faster on a video stream). One instance per thread: MediaPipe graphs are
    not thread-safe, and calls from another thread raise ``RuntimeError``.
    """

    def __init__(self, *, static_images: bool = True, max_faces: int = 2) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ log quiet
        import mediapipe as mp  # heavy import, only when a landmarker is made

        self._owner = threading.get_ident()
        self._mesh = mp.solutions.face_mesh.FaceMesh(
            static_image_mode=static_images,
            max_num_faces=max_faces,
            refine_landmarks=True,
            min_detection_confidence=0.5,
            min_tracking_confidence=0.5,
        )

    def detect(self, bgr: np.ndarray, *, max_side: int | None = None) -> list[FaceLandmarks]:
        """Faces in a BGR (or gray / BGRA) uint8 image, largest first; [] when none.

        ``max_side`` analyses a downscaled copy (faster); points are still returned in pixels
        of ``bgr``.
        """
        if threading.get_ident() != self._owner:
            raise RuntimeError("FaceLandmarker is confined to the thread that created it")
        if self._mesh is None:
            raise RuntimeError("FaceLandmarker is closed")
        if bgr is None or bgr.ndim not in (2, 3) or bgr.size == 0:
            return []
        height, width = bgr.shape[:2]
        analysed = bgr
        if max_side and max(width, height) > max_side:
            factor = max_side / max(width, height)
            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            analysed = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
        rgb = np.ascontiguousarray(_to_rgb(analysed.astype(np.uint8, copy=False)))
        result = self._mesh.process(rgb)
        faces: list[FaceLandmarks] = []
        for face in result.multi_face_landmarks or []:
            normalised = np.array([(lm.x, lm.y, lm.z) for lm in face.landmark], dtype=np.float32)
            points = normalised * np.array([width, height, width], dtype=np.float32)
            faces.append(_face_from_points(points, (width, height)))
        faces.sort(key=lambda f: f.bbox[2] * f.bbox[3], reverse=True)
        return faces

    def close(self) -> None:
        if self._mesh is not None:
            self._mesh.close()
            self._mesh = None

    def __enter__(self) -> FaceLandmarker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _face_from_points(points: np.ndarray, image_size: tuple[int, int]) -> FaceLandmarks:
    x0, y0 = np.floor(points[:, :2].min(axis=0)).astype(int)
    x1, y1 = np.ceil(points[:, :2].max(axis=0)).astype(int)
    yaw, pitch, roll = head_pose(points)
    return FaceLandmarks(
        points=points,
        bbox=(int(x0), int(y0), int(x1 - x0), int(y1 - y0)),
        yaw=yaw,
        pitch=pitch,
        roll=roll,
        image_size=image_size,
    )
