"""Scripted landmark sequences made from a real face, for tests and the liveness bench.

A real frontal FaceLandmarks is transformed frame by frame: the 3D points are rotated for
head turns and nods, the eyelids are closed for a blink, the lower lip and jaw drop for an
open mouth, and every frame gets natural jitter (sub-pixel noise, slow drift, tiny head sway).
Pose and bounding box are recomputed with station.face.head_pose, as the landmarker does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from station.face import FaceLandmarks, head_pose
from station.liveness.challenges import ChallengeKind

RIGHT_EYE_CONTOUR = (7, 33, 133, 144, 145, 153, 154, 155, 157, 158, 159, 160, 161, 163, 173, 246)
LEFT_EYE_CONTOUR = (249, 263, 362, 373, 374, 380, 381, 382, 384, 385, 386, 387, 388, 390, 398, 466)
UPPER_LIP_INNER, LOWER_LIP_INNER, CHIN = 13, 14, 152
MOUTH_CORNERS = (61, 291)


def rebuild(base: FaceLandmarks, points: np.ndarray) -> FaceLandmarks:
    """A FaceLandmarks for new points: bbox and pose measured as the landmarker does."""
    points = points.astype(np.float32)
    x0, y0 = np.floor(points[:, :2].min(axis=0)).astype(int)
    x1, y1 = np.ceil(points[:, :2].max(axis=0)).astype(int)
    yaw, pitch, roll = head_pose(points)
    return FaceLandmarks(
        points=points,
        bbox=(int(x0), int(y0), int(x1 - x0), int(y1 - y0)),
        yaw=yaw,
        pitch=pitch,
        roll=roll,
        image_size=base.image_size,
    )


def rotate(points: np.ndarray, yaw_deg: float = 0.0, pitch_deg: float = 0.0) -> np.ndarray:
    """Turn the head about its centre. Positive yaw = the person's left (nose to image right),
    positive pitch = chin up, as in station.face.landmarks."""
    centre = points.mean(axis=0)
    p = (points - centre).astype(np.float64)
    # Image axes: x right, y down, z away from the camera.
    a = math.radians(yaw_deg)
    # Nose (z < 0, towards the camera) must move to +x for positive yaw.
    yaw_matrix = np.array(
        [[math.cos(a), 0.0, -math.sin(a)], [0.0, 1.0, 0.0], [math.sin(a), 0.0, math.cos(a)]]
    )
    b = math.radians(pitch_deg)
    # Chin up: the nose (z < 0) moves to -y.
    pitch_matrix = np.array(
        [[1.0, 0.0, 0.0], [0.0, math.cos(b), math.sin(b)], [0.0, -math.sin(b), math.cos(b)]]
    )
    return (p @ (pitch_matrix @ yaw_matrix).T + centre).astype(np.float32)


def close_eyes(points: np.ndarray, amount: float) -> np.ndarray:
    """amount 0 = as is, 1 = lids closed: eye contour points move to the eye's centre line."""
    result = points.copy()
    for contour in (RIGHT_EYE_CONTOUR, LEFT_EYE_CONTOUR):
        index = list(contour)
        centre_y = points[index, 1].mean()
        result[index, 1] = centre_y + (points[index, 1] - centre_y) * (1.0 - 0.9 * amount)
    return result


def open_mouth(points: np.ndarray, amount: float) -> np.ndarray:
    """amount 1 = the lower lip and jaw dropped by 0.6 mouth widths (a wide-open mouth);
    the drop fades from the lower lip to the chin region and stays zero above the lips."""
    result = points.copy()
    width = float(np.linalg.norm(points[MOUTH_CORNERS[0], :2] - points[MOUTH_CORNERS[1], :2]))
    lip_y = float(points[UPPER_LIP_INNER, 1] + points[LOWER_LIP_INNER, 1]) / 2.0
    below = points[:, 1] > lip_y
    result[below, 1] += amount * 0.6 * width
    return result


@dataclass(frozen=True)
class Action:
    """One scripted response: what, when (seconds from the start), for how long."""

    kind: ChallengeKind
    start_s: float
    duration_s: float = 1.0
    strength: float = 1.0  # 1 = a clear response; 0.5 = a half-hearted one


def pose_of(action: Action, t: float) -> tuple[float, float, float, float]:
    """(yaw, pitch, eyes closed, mouth open) contributed by ``action`` at time t."""
    phase = (t - action.start_s) / action.duration_s
    if not 0.0 <= phase <= 1.0:
        return 0.0, 0.0, 0.0, 0.0
    bump = math.sin(math.pi * phase)  # 0 -> 1 -> 0
    s = action.strength
    if action.kind is ChallengeKind.TURN_LEFT:
        return 32.0 * s * bump, 0.0, 0.0, 0.0
    if action.kind is ChallengeKind.TURN_RIGHT:
        return -32.0 * s * bump, 0.0, 0.0, 0.0
    if action.kind is ChallengeKind.NOD:
        return 0.0, -22.0 * s * bump, 0.0, 0.0
    if action.kind is ChallengeKind.BLINK:
        return 0.0, 0.0, s * min(1.0, 1.6 * bump), 0.0
    return 0.0, 0.0, 0.0, s * bump


class LiveFace:
    """A live face's landmarks moment by moment: ``base`` doing the actions under way at time
    ``t``, never perfectly still (slow sway, drift, sub-pixel jitter). Ask for increasing ``t``;
    the actions may grow between calls (a simulated person answering as they are asked)."""

    def __init__(self, base: FaceLandmarks, *, seed: int = 0, jitter_px: float = 0.35) -> None:
        rng = random.Random(seed)
        self.base = base
        self.jitter_px = jitter_px
        self._noise = np.random.default_rng(seed)
        self._points = base.points.astype(np.float32)
        self._drift = np.zeros(2)
        self._sway = (rng.uniform(0, 6.28), rng.uniform(0, 6.28))

    def at(self, t: float, actions: Sequence[Action]) -> FaceLandmarks:
        yaw = 1.2 * math.sin(0.9 * t + self._sway[0])  # a live head is never perfectly still
        pitch = 0.8 * math.sin(0.7 * t + self._sway[1])
        eyes = mouth = 0.0
        for action in actions:
            a_yaw, a_pitch, a_eyes, a_mouth = pose_of(action, t)
            yaw, pitch = yaw + a_yaw, pitch + a_pitch
            eyes, mouth = max(eyes, a_eyes), max(mouth, a_mouth)
        moved = open_mouth(close_eyes(self._points, eyes), mouth)
        moved = rotate(moved, yaw, pitch)
        self._drift += self._noise.normal(0.0, 0.15, 2)
        moved[:, :2] += self._drift.astype(np.float32)
        moved[:, :2] += self._noise.normal(0.0, self.jitter_px, (len(moved), 2)).astype(np.float32)
        return rebuild(self.base, moved)


def scripted_sequence(
    base: FaceLandmarks,
    actions: Sequence[Action],
    *,
    seconds: float,
    fps: float = 15.0,
    seed: int = 0,
    jitter_px: float = 0.35,
) -> Iterator[tuple[float, list[FaceLandmarks]]]:
    """(timestamp, [face]) frames of a person performing ``actions`` with natural jitter."""
    face = LiveFace(base, seed=seed, jitter_px=jitter_px)
    for frame_index in range(int(seconds * fps)):
        t = frame_index / fps
        yield t, [face.at(t, actions)]


def respond(
    challenges: Sequence[ChallengeKind],
    *,
    first_at_s: float = 1.6,
    gap_s: float = 0.6,
    duration_s: float = 1.0,
) -> list[Action]:
    """The actions of a cooperative person answering ``challenges`` in order."""
    actions = []
    start = first_at_s
    for kind in challenges:
        length = 0.35 if kind is ChallengeKind.BLINK else duration_s
        actions.append(Action(kind, start, length))
        start += length + gap_s
    return actions
