"""Shared face analysis: MediaPipe landmarks, head pose and simple measures (Qt-free)."""

from station.face.landmarks import FaceLandmarker, FaceLandmarks, head_pose
from station.face.measures import (
    eye_aspect_ratio,
    eye_aspect_ratios,
    mean_eye_aspect_ratio,
    mouth_opening_ratio,
)

__all__ = [
    "FaceLandmarker",
    "FaceLandmarks",
    "eye_aspect_ratio",
    "eye_aspect_ratios",
    "head_pose",
    "mean_eye_aspect_ratio",
    "mouth_opening_ratio",
]
