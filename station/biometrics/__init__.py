"""Offline 1:1 face matching (live photo vs ID-card chip photo) with a calibrated threshold."""

from station.biometrics.calibration import Calibration, load_calibration
from station.biometrics.images import ImageUnreadable, read_image, to_rgb8
from station.biometrics.matcher import FaceEmbedding, FaceMatcher, FaceNotFound, MatchResult

__all__ = [
    "Calibration",
    "FaceEmbedding",
    "FaceMatcher",
    "FaceNotFound",
    "ImageUnreadable",
    "MatchResult",
    "load_calibration",
    "read_image",
    "to_rgb8",
]
