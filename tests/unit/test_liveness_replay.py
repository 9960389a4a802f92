"""Liveness on real images: replayed stills are refused, identity is checked with dlib."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.biometrics import read_image
from station.face import FaceLandmarker
from station.liveness import Challenge, ChallengeKind, FailReason, LivenessSession
from station.liveness.challenges import random_challenges
from station.liveness.identity import MatcherIdentity
from station.liveness.replay import run_session, still_frames, video_frames
from station.liveness.synthetic import respond, scripted_sequence
from tests.helpers.processes import run_module

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STILLS = (
    "portraits/ppp_frontal_white_bg.jpg",
    "portraits/fr_obama_smile.jpg",
    "portraits/fr_two_faces.jpg",
    "portraits/dlib_no_human_face.jpg",
    "verification/John_Schneider/000288_00925786.jpg",
)


@pytest.fixture(scope="module")
def tracker() -> Iterator[FaceLandmarker]:
    with FaceLandmarker(static_images=False, max_faces=2) as instance:
        yield instance


@pytest.fixture(scope="module")
def identity() -> MatcherIdentity:
    return MatcherIdentity()


@pytest.mark.parametrize("still", STILLS)
def test_replayed_still_is_refused(tracker: FaceLandmarker, faces_dir: Path, still: str) -> None:
    image = read_image(faces_dir / still)
    verdict = run_session(
        still_frames(image, seconds=3, fps=8), random_challenges(3, 5), landmarker=tracker
    )
    assert not verdict.live
    assert verdict.reason in {
        FailReason.STATIC_IMAGE, FailReason.NO_FACE, FailReason.SEVERAL_FACES
    }


def _chip_session(
    faces_dir: Path, identity: MatcherIdentity, start: str, end: str
) -> LivenessSession:
    """Scripted landmarks of one chip face; the camera frames are real chip photos."""
    first = read_image(faces_dir / "verification" / start)
    last = read_image(faces_dir / "verification" / end)
    with FaceLandmarker(static_images=True) as landmarker:
        base = landmarker.detect(first)[0]
    kinds = [ChallengeKind.BLINK, ChallengeKind.TURN_RIGHT]
    session = LivenessSession([Challenge(k) for k in kinds], identity=identity)
    noise_source = np.random.default_rng(0)
    for timestamp, faces in scripted_sequence(base, respond(kinds), seconds=8, seed=9):
        frame = first if timestamp < 2.0 else last
        # Sensor noise, so the frames are not byte-identical (a real camera).
        noise = noise_source.normal(0.0, 2.0, frame.shape)
        noisy = np.clip(frame + noise, 0, 255).astype(np.uint8)
        if session.feed(timestamp, faces, noisy).finished:
            break
    return session


def test_same_person_at_start_and_end_is_live(faces_dir: Path, identity: MatcherIdentity) -> None:
    session = _chip_session(
        faces_dir, identity, "John_Salley/000179_02159509.jpg", "John_Salley/000192_02159531.jpg"
    )
    assert session.verdict is not None
    assert session.verdict.live, session.verdict.to_json()
    assert session.verdict.identity_checked
    assert session.reference_embedding is not None


def test_other_person_at_the_end_is_refused(faces_dir: Path, identity: MatcherIdentity) -> None:
    session = _chip_session(
        faces_dir, identity, "John_Salley/000179_02159509.jpg", "John_Savage/000264_01099001.jpg"
    )
    assert session.verdict is not None
    assert not session.verdict.live
    assert session.verdict.reason is FailReason.FACE_CHANGED
    # Caught mid-session (re-identification after the blink), not only at the end.
    assert session.verdict.challenges[0].passed
    assert session.verdict.challenges[1].reason is FailReason.FACE_CHANGED


def test_video_of_a_still_is_refused(tracker: FaceLandmarker, faces_dir: Path,
                                     tmp_path: Path) -> None:
    image = cv2.resize(read_image(faces_dir / "portraits/ppp_frontal_white_bg.jpg"), (640, 480))
    path = tmp_path / "still.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (640, 480))
    for _ in range(30):
        writer.write(image)
    writer.release()
    verdict = run_session(video_frames(path), random_challenges(3, 1), landmarker=tracker)
    assert not verdict.live
    assert verdict.reason is FailReason.STATIC_IMAGE


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("station.liveness", *args)


def test_cli_json(faces_dir: Path, tmp_path: Path) -> None:
    done = _cli("check", "--image", str(faces_dir / "portraits/ppp_frontal_white_bg.jpg"),
                "--seconds", "3", "--json", "--no-identity")
    assert done.returncode == 1
    verdict = json.loads(done.stdout)
    assert verdict["live"] is False
    assert verdict["reason"] == "static_image"
    assert len(verdict["challenges"]) == 3
    assert {"zh", "en"} <= verdict["message"].keys()

    missing = _cli("check", "--video", str(tmp_path / "none.mp4"), "--json")
    assert missing.returncode == 2
    assert json.loads(missing.stdout)["error"] == "input_unreadable"


def test_runner_on_a_noisy_still_and_capture_identity(faces_dir: Path) -> None:
    """A photo in front of a camera (sensor noise): not live (no challenge can be met), but
    the reference face was taken, so the capture check tells the same face from another."""
    from station.liveness.runner import LivenessRunner

    image = read_image(faces_dir / "verification/obama/obama.jpg")
    noise = np.random.default_rng(1)
    with LivenessRunner([Challenge(ChallengeKind.BLINK, 3.0)]) as runner:
        for timestamp, frame in still_frames(image, seconds=6, fps=8):
            noisy = np.clip(frame + noise.normal(0.0, 3.0, frame.shape), 0, 255).astype(np.uint8)
            if runner.process(noisy, timestamp).finished:
                break
        assert runner.verdict is not None and not runner.verdict.live
        assert runner.session.reference_embedding is not None
        assert runner.confirm_same_person(image)
        assert not runner.confirm_same_person(read_image(faces_dir / "verification/biden/biden2.jpg"))
