"""Liveness state machine on scripted landmark sequences made from real faces."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.face import FaceLandmarker, FaceLandmarks
from station.liveness import (
    Challenge,
    ChallengeKind,
    FailReason,
    LivenessSession,
    Phase,
    instruction,
    random_challenges,
)
from station.liveness.challenges import EXPRESSIONS
from station.liveness.synthetic import Action, respond, scripted_sequence

K = ChallengeKind


@pytest.fixture(scope="module")
def landmarker() -> Iterator[FaceLandmarker]:
    with FaceLandmarker(static_images=True, max_faces=2) as instance:
        yield instance


def _face(landmarker: FaceLandmarker, path: Path) -> FaceLandmarks:
    faces = landmarker.detect(cv2.imread(str(path)), max_side=640)
    assert faces, path
    return faces[0]


@pytest.fixture(scope="module")
def frontal(landmarker: FaceLandmarker) -> FaceLandmarks:
    from tests.conftest import FACES_DIR

    if not FACES_DIR.is_dir():
        pytest.skip("face images not present")
    return _face(landmarker, FACES_DIR / "portraits/ppp_frontal_white_bg.jpg")


def _run(session: LivenessSession, frames) -> object:
    for timestamp, faces in frames:
        state = session.feed(timestamp, faces)
        if state.finished:
            return state.verdict
    return session.end_of_input()


@pytest.mark.parametrize("seed", range(4))
def test_cooperative_person_passes(frontal: FaceLandmarks, seed: int) -> None:
    challenges = random_challenges(3, seed)
    session = LivenessSession(challenges)
    kinds = [c.kind for c in challenges]
    verdict = _run(session, scripted_sequence(frontal, respond(kinds), seconds=10, seed=seed))
    assert verdict.live, verdict.to_json()
    assert all(result.passed for result in verdict.challenges)


def test_every_challenge_kind_passes_on_a_chip_sized_face(
    landmarker: FaceLandmarker, faces_dir: Path
) -> None:
    chip = _face(landmarker, faces_dir / "verification/John_Savage/000264_01099001.jpg")
    kinds = list(ChallengeKind)
    session = LivenessSession([Challenge(kind) for kind in kinds])
    verdict = _run(session, scripted_sequence(chip, respond(kinds), seconds=12, seed=3))
    assert verdict.live, verdict.to_json()


def test_wrong_order_fails(frontal: FaceLandmarks) -> None:
    asked = [K.TURN_LEFT, K.BLINK, K.TURN_RIGHT]
    done = [K.TURN_RIGHT, K.BLINK, K.TURN_LEFT]
    verdict = _run(
        LivenessSession([Challenge(k) for k in asked]),
        scripted_sequence(frontal, respond(done), seconds=10),
    )
    assert not verdict.live
    assert verdict.reason is FailReason.WRONG_RESPONSE
    assert verdict.challenges[0].reason is FailReason.WRONG_RESPONSE


def test_late_response_fails(frontal: FaceLandmarks) -> None:
    kinds = [K.OPEN_MOUTH, K.NOD]
    late = respond(kinds, first_at_s=9.0)  # the first limit (6 s) is long over
    verdict = _run(
        LivenessSession([Challenge(k, 6.0) for k in kinds]),
        scripted_sequence(frontal, late, seconds=14),
    )
    assert not verdict.live
    assert verdict.reason is FailReason.TIMEOUT
    assert not verdict.challenges[0].passed


def test_half_hearted_turn_is_not_enough(frontal: FaceLandmarks) -> None:
    verdict = _run(
        LivenessSession([Challenge(K.TURN_RIGHT, 4.0)]),
        scripted_sequence(frontal, [Action(K.TURN_RIGHT, 1.6, 1.0, strength=0.4)], seconds=8),
    )
    assert verdict.reason is FailReason.TIMEOUT


def test_frozen_landmarks_are_a_still_image(frontal: FaceLandmarks) -> None:
    session = LivenessSession(random_challenges(3, 1))
    frames = ((i / 10, [frontal]) for i in range(100))
    verdict = _run(session, frames)
    assert verdict.reason is FailReason.STATIC_IMAGE


def test_identical_camera_frames_are_a_still_image(frontal: FaceLandmarks) -> None:
    """Landmarks that wobble (a tracker) but pixels that never change: a replayed file."""
    image = np.full((480, 640, 3), 128, np.uint8)
    session = LivenessSession(random_challenges(3, 2))
    for timestamp, faces in scripted_sequence(frontal, [], seconds=3):
        state = session.feed(timestamp, faces, image)
        if state.finished:
            break
    assert state.verdict is not None
    assert state.verdict.reason is FailReason.STATIC_IMAGE


def test_face_swap_mid_session_fails(landmarker: FaceLandmarker, frontal: FaceLandmarks,
                                     faces_dir: Path) -> None:
    other = _face(landmarker, faces_dir / "verification/obama/obama.jpg")
    kinds = [K.BLINK, K.TURN_LEFT, K.OPEN_MOUTH]
    session = LivenessSession([Challenge(k) for k in kinds])
    first = scripted_sequence(frontal, respond(kinds), seconds=10, seed=1)
    second = scripted_sequence(other, respond(kinds), seconds=10, seed=2)
    frames = [f if t < 2.5 else g for (t, _), f, g in
              zip(scripted_sequence(frontal, [], seconds=10), first, second, strict=True)]
    verdict = _run(session, frames)
    assert not verdict.live
    assert verdict.reason is FailReason.FACE_CHANGED


def test_several_faces_and_no_face(frontal: FaceLandmarks) -> None:
    crowd = LivenessSession(random_challenges(2, 0))
    for i in range(20):
        crowd.feed(i / 10, [frontal, frontal])
    assert crowd.verdict is not None and crowd.verdict.reason is FailReason.SEVERAL_FACES

    empty = LivenessSession(random_challenges(2, 0))
    for i in range(20):
        empty.feed(i / 10, [])
    assert empty.verdict is not None and empty.verdict.reason is FailReason.NO_FACE


def test_poll_times_out_when_frames_stop(frontal: FaceLandmarks) -> None:
    clock = iter([100.0])
    session = LivenessSession(random_challenges(2, 0), clock=lambda: next(clock))
    session.feed(0.0, [frontal])
    state = session.poll(now=30.0)
    assert state.finished and not state.verdict.live


def test_state_tells_the_ui_what_to_show(frontal: FaceLandmarks) -> None:
    session = LivenessSession([Challenge(K.BLINK, 5.0)])
    state = session.feed(0.0, [frontal])
    assert state.phase is Phase.NEUTRAL
    assert state.instruction["zh"] == "请正视摄像头"
    for timestamp, faces in scripted_sequence(frontal, [], seconds=1.5, seed=4):
        state = session.feed(timestamp, faces)
    assert state.phase is Phase.CHALLENGE
    assert state.instruction == instruction(K.BLINK)
    assert state.instruction["zh"] == "请眨眼"
    assert state.remaining_s is not None and 0 < state.remaining_s <= 5.0


def test_random_challenges_are_seedable_and_well_formed() -> None:
    assert random_challenges(4, 7) == random_challenges(4, 7)
    rng = random.Random(11)
    for _ in range(200):
        sequence = [c.kind for c in random_challenges(3, rng)]
        assert any(kind in EXPRESSIONS for kind in sequence)
        assert all(a is not b for a, b in itertools.pairwise(sequence))
    with pytest.raises(ValueError):
        random_challenges(0)
