"""Demo mode's simulated live person for the kiosk's liveness check.

The demo camera shows a picture of a person; a picture cannot blink, so the real liveness check
refuses it (as it must refuse a replayed still). When the trainer selects the simulated live
person on the training console, the check is answered by ``SimulatedLivePerson``: the real
LivenessSession, with its real identity checks on the camera's frames, fed per camera frame
with the landmarks of that person (station.liveness.synthetic.LiveFace, found once on the
camera's picture) answering the challenges the session asks, as they are asked.

``demo_liveness_factory`` builds what the kiosk runs per attempt: the simulated live person
only on a demo station whose camera shows the simulated person, and only while the console
says so; the real engine otherwise. Its verdicts say ``simulated``, and so does the case.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from station.demo import person_at_camera
from station.face import FaceLandmarker
from station.liveness import random_challenges
from station.liveness.challenges import Challenge, ChallengeKind
from station.liveness.engine import EngineFactory, LivenessEngine, default_engine, shared_identity
from station.liveness.identity import MatcherIdentity
from station.liveness.runner import ANALYSIS_MAX_SIDE
from station.liveness.session import LivenessSession, Phase, SessionState
from station.liveness.synthetic import Action, LiveFace

REACTION_S = 0.6  # from reading an instruction to starting to move
PAUSE_S = 0.4  # back to looking straight before the next movement


class SimulatedLivePerson:
    """A LivenessEngine (station.liveness.engine) for demo stations; see the module docstring."""

    def __init__(self, challenges: Sequence[Challenge], *, identity: MatcherIdentity,
                 seed: int = 0) -> None:
        self.session = LivenessSession(challenges, identity=identity)
        self.identity = identity
        self._seed = seed
        self._landmarker = FaceLandmarker(static_images=True, max_faces=2)
        self._face: LiveFace | None = None
        self._started = 0.0
        self._actions: list[Action] = []
        self._answered = -1
        self._free_from = 0.0

    def process(self, frame: np.ndarray, timestamp: float | None = None) -> SessionState:
        now = time.monotonic() if timestamp is None else float(timestamp)
        if self._face is None:  # where the person is: once, on the camera's picture
            faces = self._landmarker.detect(frame, max_side=ANALYSIS_MAX_SIDE)
            if not faces:
                return self.session.feed(now, [], frame)
            self._face = LiveFace(faces[0], seed=self._seed)
            self._started = now
        t = now - self._started
        self._answer(self.session.state, t)
        state = self.session.feed(now, [self._face.at(t, self._actions)], frame)
        if state.verdict is not None:
            state.verdict.simulated = True
        return state

    def _answer(self, state: SessionState, t: float) -> None:
        """A new challenge on the screen: do it after reading it (one movement at a time)."""
        if state.phase is not Phase.CHALLENGE or state.challenge_index <= self._answered:
            return
        self._answered = state.challenge_index
        kind = self.session.challenges[state.challenge_index].kind
        length = 0.35 if kind is ChallengeKind.BLINK else 1.0
        start = max(t + REACTION_S, self._free_from)
        self._actions.append(Action(kind, start, length))
        self._free_from = start + length + PAUSE_S

    def poll(self, now: float | None = None) -> SessionState:
        return self.session.poll(now)

    def confirm_same_person(self, frame: np.ndarray) -> bool:
        """The kept frame shows the person who started the session (the real check)."""
        reference = self.session.reference_embedding
        faces = self._landmarker.detect(frame, max_side=ANALYSIS_MAX_SIDE)
        if reference is None or not faces:
            return False
        probe = self.identity.embed(frame, faces[0])
        return probe is not None and self.identity.same_person(reference, probe)

    def close(self) -> None:
        self._landmarker.close()


def demo_liveness_factory(runtime: Any) -> EngineFactory | None:
    """What a kiosk runs per liveness attempt: None (the station's default) unless this is a
    demo station with the simulated person at its camera; then the simulated live person
    while the training console selects it, else the real engine on the camera's picture."""
    if not person_at_camera(runtime.settings):
        return None
    from app.demo import DemoControls

    controls = DemoControls.for_runtime(runtime)

    def engine() -> LivenessEngine:
        if controls.live_person:
            return SimulatedLivePerson(random_challenges(3), identity=shared_identity())
        return default_engine()

    return engine
