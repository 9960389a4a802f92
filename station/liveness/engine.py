"""What runs one active-liveness attempt on camera frames, and the station's default.

A ``LivenessEngine`` is fed frames on one worker thread (MediaPipe graphs are
thread-confined) and reports the session state after each; ``LivenessRunner`` (landmarks +
LivenessSession + identity) is the real one. Anything else with these four methods can
stand in for it, e.g. a simulated person in demo mode or a scripted one in tests: pass its
factory to the kiosk (ui/kiosk/window.py ``KioskWindow(liveness_factory=...)``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

import numpy as np

from station.liveness.identity import MatcherIdentity
from station.liveness.session import SessionState


class LivenessEngine(Protocol):
    def process(self, frame: np.ndarray, timestamp: float | None = None) -> SessionState: ...

    def poll(self, now: float | None = None) -> SessionState: ...

    def confirm_same_person(self, frame: np.ndarray) -> bool: ...

    def close(self) -> None: ...


EngineFactory = Callable[[], LivenessEngine]
_identity_lock = threading.Lock()
_identity: MatcherIdentity | None = None


def shared_identity() -> MatcherIdentity:
    """One dlib identity verifier for every attempt (loading the models takes a while)."""
    global _identity
    with _identity_lock:
        if _identity is None:
            _identity = MatcherIdentity()
        return _identity


def default_engine() -> LivenessEngine:
    from station.liveness import random_challenges
    from station.liveness.runner import LivenessRunner

    return LivenessRunner(random_challenges(3), identity=shared_identity())
