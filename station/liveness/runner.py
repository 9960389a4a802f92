"""A liveness check for a camera worker: landmarker + session + identity in one object.

Use it on ONE thread (the camera worker's): MediaPipe graphs are thread-confined.

    runner = LivenessRunner(random_challenges(3))
    for frame in camera:                       # BGR numpy frames, on the worker thread
        state = runner.process(frame, timestamp)
        emit(state)                            # UI: state.instruction["zh"], remaining_s ...
        if state.finished:
            break
    runner.confirm_same_person(capture_frame)  # the photo kept is the person who passed
    runner.close()
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from station.face import FaceLandmarker
from station.liveness.challenges import Challenge
from station.liveness.identity import MatcherIdentity
from station.liveness.session import (
    LivenessConfig,
    LivenessSession,
    LivenessVerdict,
    SessionState,
)

ANALYSIS_MAX_SIDE = 640


class LivenessRunner:
    def __init__(
        self,
        challenges: Sequence[Challenge],
        *,
        config: LivenessConfig | None = None,
        identity: MatcherIdentity | None = None,
        landmarker: FaceLandmarker | None = None,
    ) -> None:
        self._own_landmarker = landmarker is None
        self.landmarker = landmarker or FaceLandmarker(static_images=False, max_faces=2)
        self.identity = identity or MatcherIdentity()
        self.session = LivenessSession(challenges, config=config, identity=self.identity)

    def process(self, frame: np.ndarray, timestamp: float | None = None) -> SessionState:
        """Analyse one BGR frame (timestamp in seconds, monotonic; None = now)."""
        faces = self.landmarker.detect(frame, max_side=ANALYSIS_MAX_SIDE)
        return self.session.feed(timestamp, faces, frame)

    def poll(self, now: float | None = None) -> SessionState:
        """Call on a timer when frames stop coming: enforces the time limits."""
        return self.session.poll(now)

    @property
    def verdict(self) -> LivenessVerdict | None:
        return self.session.verdict

    def confirm_same_person(self, frame: np.ndarray) -> bool:
        """Is the largest face in ``frame`` (e.g. the captured photo) the person whose face
        started the session? False when no face is found or the session had no reference."""
        reference = self.session.reference_embedding
        if reference is None:
            return False
        faces = self.landmarker.detect(frame, max_side=ANALYSIS_MAX_SIDE)
        if not faces:
            return False
        probe = self.identity.embed(frame, faces[0])
        return probe is not None and self.identity.same_person(reference, probe)

    def close(self) -> None:
        if self._own_landmarker:
            self.landmarker.close()

    def __enter__(self) -> LivenessRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
