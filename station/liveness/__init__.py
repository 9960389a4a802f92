"""Active liveness: random challenges checked on face landmarks, frame by frame (Qt-free)."""

from station.liveness.challenges import Challenge, ChallengeKind, instruction, random_challenges
from station.liveness.session import (
    ChallengeResult,
    FailReason,
    IdentityVerifier,
    LivenessConfig,
    LivenessSession,
    LivenessVerdict,
    Phase,
    SessionState,
)

__all__ = [
    "Challenge",
    "ChallengeKind",
    "ChallengeResult",
    "FailReason",
    "IdentityVerifier",
    "LivenessConfig",
    "LivenessSession",
    "LivenessVerdict",
    "Phase",
    "SessionState",
    "instruction",
    "random_challenges",
]
