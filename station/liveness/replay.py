"""Run a liveness session on recorded input: a still image replayed as a camera, or a video."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from station.face import FaceLandmarker
from station.liveness.challenges import Challenge
from station.liveness.session import IdentityVerifier, LivenessSession, LivenessVerdict

ANALYSIS_MAX_SIDE = 640  # what a kiosk camera delivers; keeps MediaPipe fast on big photos


def still_frames(image: np.ndarray, seconds: float, fps: float = 10.0) -> Iterator[tuple[float, np.ndarray]]:
    """The same image as a camera would deliver it, ``fps`` times a second."""
    for index in range(max(1, int(seconds * fps))):
        yield index / fps, image


def video_frames(path: str | Path, seconds: float | None = None) -> Iterator[tuple[float, np.ndarray]]:
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise OSError(f"cannot open video {path}")
    fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
    index = 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                return
            timestamp = index / fps
            if seconds is not None and timestamp > seconds:
                return
            yield timestamp, frame
            index += 1
    finally:
        capture.release()


def run_session(
    frames: Iterable[tuple[float, np.ndarray]],
    challenges: list[Challenge],
    *,
    landmarker: FaceLandmarker,
    identity: IdentityVerifier | None = None,
) -> LivenessVerdict:
    """Feed every frame through ``landmarker`` into a new session; not live if input ends."""
    session = LivenessSession(challenges, identity=identity)
    last = 0.0
    for timestamp, frame in frames:
        last = timestamp
        state = session.feed(timestamp, landmarker.detect(frame, max_side=ANALYSIS_MAX_SIDE), frame)
        if state.verdict is not None:
            return state.verdict
    return session.end_of_input(last)
