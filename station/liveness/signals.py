"""Per-frame measurements of one face that the liveness rules read."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from station.face import FaceLandmarks, mean_eye_aspect_ratio, mouth_opening_ratio

# Points that expressions barely move (eye corners, nose, face sides, forehead): used for
# "is it still the same face" geometry and for the still-image test.
RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_INNER, LEFT_EYE_OUTER = 33, 133, 362, 263
NOSE_TIP, NOSE_BOTTOM, NOSE_BRIDGE, FOREHEAD = 1, 2, 168, 10
FACE_RIGHT_SIDE, FACE_LEFT_SIDE = 234, 454
STABLE_POINTS = (
    RIGHT_EYE_OUTER, RIGHT_EYE_INNER, LEFT_EYE_INNER, LEFT_EYE_OUTER,
    NOSE_TIP, NOSE_BOTTOM, NOSE_BRIDGE, FOREHEAD, FACE_RIGHT_SIDE, FACE_LEFT_SIDE,
)
# Long distances only (short ones drown in landmark jitter). Measured on the verification
# photos, MediaPipe's mesh proportions differ between people about as much as between photos
# of one person, so this only catches gross changes; identity proper is the dlib check.
GEOMETRY_PAIRS = (
    (RIGHT_EYE_INNER, LEFT_EYE_INNER),
    (NOSE_BRIDGE, NOSE_TIP),
    (FACE_RIGHT_SIDE, FACE_LEFT_SIDE),
    (FOREHEAD, NOSE_BRIDGE),
)


@dataclass(frozen=True)
class FaceSignals:
    timestamp: float
    eye_ratio: float
    mouth_ratio: float
    yaw: float
    pitch: float
    centre: tuple[float, float]
    width: float  # face box width in pixels
    eye_span: float  # outer eye corners, pixels: the face's own unit of length
    points: np.ndarray  # (478, 2) pixels

    @classmethod
    def of(cls, timestamp: float, face: FaceLandmarks) -> FaceSignals:
        x, y, w, h = face.bbox
        xy = np.asarray(face.points[:, :2], dtype=np.float64)
        span = float(np.linalg.norm(xy[LEFT_EYE_OUTER] - xy[RIGHT_EYE_OUTER])) or 1.0
        return cls(
            timestamp=timestamp,
            eye_ratio=mean_eye_aspect_ratio(face.points),
            mouth_ratio=mouth_opening_ratio(face.points),
            yaw=float(face.yaw),
            pitch=float(face.pitch),
            centre=(x + w / 2.0, y + h / 2.0),
            width=float(max(w, 1)),
            eye_span=span,
            points=xy,
        )

    def geometry(self) -> np.ndarray:
        """Pose-sensitive but expression-stable proportions (use on near-frontal frames)."""
        return np.array(
            [np.linalg.norm(self.points[a] - self.points[b]) / self.eye_span
             for a, b in GEOMETRY_PAIRS]
        )


def motion_between(first: FaceSignals, second: FaceSignals) -> float:
    """Largest landmark displacement between two frames, in eye spans (0 for a frozen image)."""
    return float(np.abs(second.points - first.points).max() / first.eye_span)


def nonrigid_residual(first: FaceSignals, second: FaceSignals) -> float:
    """RMS landmark residual after the best similarity transform (move, turn, zoom) from
    ``first`` to ``second``, in eye spans: what a rigidly moved photograph cannot produce."""
    a = first.points - first.points.mean(axis=0)
    b = second.points - second.points.mean(axis=0)
    # Orthogonal Procrustes with scale (Umeyama) in 2D.
    u, s, vt = np.linalg.svd(a.T @ b)
    d = np.sign(np.linalg.det(u @ vt)) or 1.0
    correction = np.diag([1.0, d])
    rotation = u @ correction @ vt
    scale = float((s * np.diag(correction)).sum() / (a**2).sum()) if (a**2).sum() else 1.0
    residual = b - scale * a @ rotation
    return float(np.sqrt((residual**2).sum(axis=1).mean()) / second.eye_span)
