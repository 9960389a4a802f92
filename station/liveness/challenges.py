"""The actions a person is asked to perform, their instructions, and random sequences."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

from station.i18n import both


class ChallengeKind(StrEnum):
    BLINK = "blink"
    TURN_LEFT = "turn_left"  # the person's own left (positive yaw in station.face)
    TURN_RIGHT = "turn_right"
    OPEN_MOUTH = "open_mouth"
    NOD = "nod"


# Expressions deform the face; a photo moved in front of the camera cannot perform them.
EXPRESSIONS = (ChallengeKind.BLINK, ChallengeKind.OPEN_MOUTH)
POSES = (ChallengeKind.TURN_LEFT, ChallengeKind.TURN_RIGHT, ChallengeKind.NOD)


@dataclass(frozen=True)
class Challenge:
    kind: ChallengeKind
    time_limit_s: float = 6.0


def instruction(kind: ChallengeKind | None) -> dict[str, str]:
    """What to tell the person, {"zh", "en"}; ``None`` = look straight at the camera."""
    if kind is ChallengeKind.BLINK:
        return both("Liveness", "Please blink")
    if kind is ChallengeKind.TURN_LEFT:
        return both("Liveness", "Please turn your head to the left")
    if kind is ChallengeKind.TURN_RIGHT:
        return both("Liveness", "Please turn your head to the right")
    if kind is ChallengeKind.OPEN_MOUTH:
        return both("Liveness", "Please open your mouth")
    if kind is ChallengeKind.NOD:
        return both("Liveness", "Please nod")
    return both("Liveness", "Please look straight at the camera")


def random_challenges(
    count: int = 3,
    rng: random.Random | int | None = None,
    *,
    time_limit_s: float = 6.0,
) -> list[Challenge]:
    """``count`` challenges in random order, never the same twice in a row, always at least
    one expression (blink / open mouth) and, from two challenges on, at least one pose change.

    ``rng`` may be a seed (tests, reproducible benches) or a Random; None uses the system's
    entropy so a replayed recording cannot know the order.
    """
    if count < 1:
        raise ValueError("at least one challenge")
    generator = (
        rng if isinstance(rng, random.Random) else random.Random(rng)
        if rng is not None else random.SystemRandom()
    )
    kinds = list(ChallengeKind)
    while True:
        sequence: list[ChallengeKind] = []
        for _ in range(count):
            choices = [k for k in kinds if not sequence or k is not sequence[-1]]
            sequence.append(generator.choice(choices))
        has_expression = any(k in EXPRESSIONS for k in sequence)
        has_pose = count < 2 or any(k in POSES for k in sequence)
        if has_expression and has_pose:
            return [Challenge(kind, time_limit_s) for kind in sequence]
