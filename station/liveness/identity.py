"""Face identity across a liveness session, with the dlib matcher of station.biometrics."""

from __future__ import annotations

import numpy as np

from station.biometrics import FaceEmbedding, FaceMatcher, FaceNotFound
from station.face import FaceLandmarks

# Crop around the landmark box before embedding: the matcher then searches a small image
# (a 640x480 frame costs several times more) and cannot pick another face in the room.
CROP_MARGIN = 0.5


class MatcherIdentity:
    """IdentityVerifier for LivenessSession: same thread rules as FaceMatcher (thread-safe)."""

    def __init__(self, matcher: FaceMatcher | None = None) -> None:
        # No CNN fallback: a frame without a HOG-visible face is simply retried later, and a
        # camera worker must not stall for a second on the slow detector.
        self.matcher = matcher or FaceMatcher(use_cnn_fallback=False)

    def embed(self, frame: np.ndarray, face: FaceLandmarks) -> FaceEmbedding | None:
        x, y, w, h = face.bbox
        margin_x, margin_y = int(w * CROP_MARGIN), int(h * CROP_MARGIN)
        height, width = frame.shape[:2]
        crop = frame[
            max(0, y - margin_y) : min(height, y + h + margin_y),
            max(0, x - margin_x) : min(width, x + w + margin_x),
        ]
        if crop.size == 0:
            return None
        try:
            return self.matcher.embed(crop)
        except FaceNotFound:
            return None

    def same_person(self, reference: FaceEmbedding, probe: FaceEmbedding) -> bool:
        return self.matcher.compare_embeddings(reference, probe).match
