"""Active liveness as a pure state machine: frames (time, landmarks, image) in, instructions
and a verdict out. No camera, no thread, no clock of its own unless given one.

Phases: NEUTRAL (look at the camera: learn this person's eye/mouth/pose baseline, refuse a
frozen image) -> one phase per challenge -> FINAL (look at the camera again: the face at the
end must be the face at the start). Any phase can fail: timeout, no face, several faces,
face changed, static image suspected, wrong response.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import cv2
import numpy as np

from station.face import FaceLandmarks
from station.i18n import both
from station.liveness.challenges import Challenge, ChallengeKind, instruction
from station.liveness.signals import FaceSignals, motion_between, nonrigid_residual


class FailReason(StrEnum):
    TIMEOUT = "timeout"
    NO_FACE = "no_face"
    SEVERAL_FACES = "several_faces"
    FACE_CHANGED = "face_changed"
    STATIC_IMAGE = "static_image"
    WRONG_RESPONSE = "wrong_response"


def reason_message(reason: FailReason | None) -> dict[str, str]:
    if reason is FailReason.TIMEOUT:
        return both("Liveness", "The action was not completed in time.")
    if reason is FailReason.NO_FACE:
        return both("Liveness", "No face is visible; please face the camera.")
    if reason is FailReason.SEVERAL_FACES:
        return both("Liveness", "Several faces are visible; only one person may be in view.")
    if reason is FailReason.FACE_CHANGED:
        return both("Liveness", "The face changed during the check.")
    if reason is FailReason.STATIC_IMAGE:
        return both("Liveness", "A still image is suspected, not a live person.")
    if reason is FailReason.WRONG_RESPONSE:
        return both("Liveness", "A different action was performed than the one asked for.")
    return both("Liveness", "Liveness check passed.")


class Phase(StrEnum):
    NEUTRAL = "neutral"
    CHALLENGE = "challenge"
    FINAL = "final"
    DONE = "done"


class IdentityVerifier(Protocol):
    """Face identity from a camera frame (see station.liveness.identity.MatcherIdentity)."""

    def embed(self, frame: np.ndarray, face: FaceLandmarks) -> Any | None: ...

    def same_person(self, reference: Any, probe: Any) -> bool: ...


@dataclass(frozen=True)
class LivenessConfig:
    neutral_s: float = 0.8  # baseline phase length once a frontal face is seen
    neutral_min_frames: int = 5
    neutral_time_limit_s: float = 6.0
    final_time_limit_s: float = 4.0
    max_missing_face_s: float = 1.0
    max_several_faces_s: float = 0.4
    frontal_deg: float = 15.0  # |yaw|, |pitch| accepted as "looking at the camera"
    neutral_yaw_deg: float = 10.0  # back to neutral between challenges (relative)
    neutral_pitch_deg: float = 8.0
    turn_deg: float = 20.0
    nod_deg: float = 12.0
    wrong_turn_deg: float = 22.0
    blink_closed_ratio: float = 0.6  # of the baseline eye aspect ratio
    blink_open_ratio: float = 0.85
    mouth_open_gain: float = 0.18  # mouth opening ratio above the baseline
    mouth_open_min: float = 0.3
    hold_frames: int = 2
    # Below this largest landmark movement (eye spans) over the whole baseline phase the
    # "camera" shows a frozen image: sensor noise alone moves MediaPipe points more.
    static_motion: float = 0.003
    min_nonrigid: float = 0.0005
    # A camera never delivers two identical frames (sensor noise); a replayed file does.
    # Mean absolute difference of consecutive 160-px grey thumbnails, in grey levels.
    static_pixel_diff: float = 0.05
    identity_retry_s: float = 0.5  # after a frame where dlib found no face
    max_jump_face_widths: float = 0.6
    max_size_change: float = 0.35
    geometry_tolerance: float = 0.25
    geometry_band_deg: float = 6.0  # compare proportions only this close to the baseline pose


@dataclass
class ChallengeResult:
    kind: ChallengeKind
    passed: bool = False
    reason: FailReason | None = None
    elapsed_s: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "instruction": instruction(self.kind),
            "passed": self.passed,
            "reason": str(self.reason) if self.reason else None,
            "elapsed_s": None if self.elapsed_s is None else round(self.elapsed_s, 2),
        }


@dataclass
class LivenessVerdict:
    live: bool
    reason: FailReason | None
    challenges: list[ChallengeResult]
    identity_checked: bool = False
    duration_s: float = 0.0
    simulated: bool = False  # answered by demo mode's simulated live person, not a camera's

    @property
    def message(self) -> dict[str, str]:
        return reason_message(self.reason)

    def to_json(self) -> dict[str, Any]:
        return {
            "live": self.live,
            "reason": str(self.reason) if self.reason else None,
            "message": self.message,
            "challenges": [c.to_json() for c in self.challenges],
            "identity_checked": self.identity_checked,
            "duration_s": round(self.duration_s, 2),
            **({"simulated": True} if self.simulated else {}),
        }


@dataclass(frozen=True)
class SessionState:
    """What a UI shows after each frame."""

    phase: Phase
    instruction: dict[str, str]
    challenge_index: int  # 0-based; == total in FINAL/DONE
    total: int
    remaining_s: float | None
    verdict: LivenessVerdict | None = None

    @property
    def finished(self) -> bool:
        return self.verdict is not None


@dataclass
class _Baseline:
    eye_ratio: float
    mouth_ratio: float
    yaw: float
    pitch: float
    geometry: np.ndarray


@dataclass
class _Progress:
    """Per-challenge detector state."""

    armed: bool = False
    closed_seen: bool = False
    down_seen: bool = False
    hold: int = 0
    notes: list[str] = field(default_factory=list)


class LivenessSession:
    """Feed frames with :meth:`feed`; read :attr:`state` / :attr:`verdict`.

    Thread-confined: one session per camera worker, fed from that worker's thread.
    ``identity`` (optional) embeds a frontal frame at the start, re-checks it after every
    challenge and after the face was lost, and at the end; a different person fails the
    session (reason face_changed).
    """

    def __init__(
        self,
        challenges: Sequence[Challenge],
        clock: Callable[[], float] = time.monotonic,
        *,
        config: LivenessConfig | None = None,
        identity: IdentityVerifier | None = None,
    ) -> None:
        if not challenges:
            raise ValueError("a liveness session needs at least one challenge")
        self.challenges = list(challenges)
        self.config = config or LivenessConfig()
        self.identity = identity
        self._clock = clock
        self._results = [ChallengeResult(c.kind) for c in self.challenges]
        self._phase = Phase.NEUTRAL
        self._index = 0
        self._started_at: float | None = None
        self._phase_started_at: float | None = None
        self._neutral: list[FaceSignals] = []
        self._baseline: _Baseline | None = None
        self._progress = _Progress(armed=True)
        self._previous: FaceSignals | None = None
        self._first: FaceSignals | None = None
        self._max_motion = 0.0
        self._max_nonrigid = 0.0
        self._missing_since: float | None = None
        self._several_since: float | None = None
        self._recheck_identity = False
        self._reference: Any | None = None
        self._identity_checked = False
        self._verdict: LivenessVerdict | None = None
        self._last_time: float | None = None
        self._thumbnail: np.ndarray | None = None
        self._identity_retry_at = float("-inf")
        self._frame_diffs: list[float] = []

    # -- public ---------------------------------------------------------------------------

    @property
    def verdict(self) -> LivenessVerdict | None:
        return self._verdict

    @property
    def reference_embedding(self) -> Any | None:
        """The identity embedding taken at the start (for the capture check by the kiosk)."""
        return self._reference

    @property
    def state(self) -> SessionState:
        now = self._last_time
        if self._verdict is not None:
            return SessionState(
                Phase.DONE, self._verdict.message, len(self.challenges),
                len(self.challenges), None, self._verdict,
            )
        kind = self.challenges[self._index].kind if self._phase is Phase.CHALLENGE else None
        limit = self._phase_limit()
        remaining = (
            None if now is None or self._phase_started_at is None
            else max(0.0, limit - (now - self._phase_started_at))
        )
        index = self._index if self._phase is not Phase.FINAL else len(self.challenges)
        return SessionState(self._phase, instruction(kind), index, len(self.challenges), remaining)

    def feed(
        self,
        timestamp: float | None,
        faces: Sequence[FaceLandmarks],
        frame: np.ndarray | None = None,
    ) -> SessionState:
        """One camera frame: its time (seconds, monotonic; None = the session's clock), the
        faces the landmarker found in it (largest first) and the image (for identity)."""
        if self._verdict is not None:
            return self.state
        now = self._clock() if timestamp is None else float(timestamp)
        if self._started_at is None:
            self._started_at = self._phase_started_at = now
        self._last_time = now
        self._step(now, list(faces), frame)
        return self.state

    def poll(self, now: float | None = None) -> SessionState:
        """Check time limits without a frame (the camera stalled)."""
        if self._verdict is None and self._started_at is not None:
            now = self._clock() if now is None else now
            self._last_time = now
            self._check_time(now)
            if self._missing_since is not None and self._verdict is None and (
                now - self._missing_since > self.config.max_missing_face_s
            ):
                self._fail(FailReason.NO_FACE, now)
        return self.state

    def end_of_input(self, now: float | None = None) -> LivenessVerdict:
        """The camera stream ended (or the kiosk gave up) before a verdict: not live."""
        if self._verdict is None:
            now = self._clock() if now is None else now
            self._fail(FailReason.STATIC_IMAGE if self._frozen() else FailReason.TIMEOUT, now)
        assert self._verdict is not None
        return self._verdict

    # -- the machine ------------------------------------------------------------------------

    def _step(self, now: float, faces: list[FaceLandmarks], frame: np.ndarray | None) -> None:
        config = self.config
        if not faces:
            if self._missing_since is None:
                self._missing_since = now
            self._recheck_identity = True
            if now - self._missing_since > config.max_missing_face_s:
                self._fail(FailReason.NO_FACE, now)
            else:
                self._check_time(now)
            return
        self._missing_since = None
        if len(faces) > 1:
            if self._several_since is None:
                self._several_since = now
            if now - self._several_since > config.max_several_faces_s:
                self._fail(FailReason.SEVERAL_FACES, now)
            else:
                self._check_time(now)
            return
        self._several_since = None

        if frame is not None:
            self._track_pixels(frame)
        face = faces[0]
        signals = FaceSignals.of(now, face)
        if self._tracking_broken(signals):
            self._fail(FailReason.FACE_CHANGED, now)
            return
        self._track_motion(signals)
        self._previous = signals
        if self._check_time(now):
            return
        if self._baseline is not None and self._is_frontal_neutral(signals):
            if self._is_close_to_baseline(signals) and self._geometry_changed(signals):
                self._fail(FailReason.FACE_CHANGED, now)
                return
            if self._recheck_identity and frame is not None and self._identity_differs(
                frame, face
            ):
                self._fail(FailReason.FACE_CHANGED, now)
                return

        if self._phase is Phase.NEUTRAL:
            self._neutral_step(now, signals, face, frame)
        elif self._phase is Phase.CHALLENGE:
            self._challenge_step(now, signals)
        elif self._phase is Phase.FINAL:
            self._final_step(now, signals, face, frame)

    def _neutral_step(
        self, now: float, signals: FaceSignals, face: FaceLandmarks, frame: np.ndarray | None
    ) -> None:
        config = self.config
        if abs(signals.yaw) > config.frontal_deg or abs(signals.pitch) > config.frontal_deg:
            self._neutral.clear()
            return
        self._neutral.append(signals)
        span = now - self._neutral[0].timestamp
        if span < config.neutral_s or len(self._neutral) < config.neutral_min_frames:
            return
        if self._looks_static():
            self._fail(FailReason.STATIC_IMAGE, now)
            return
        self._baseline = _Baseline(
            eye_ratio=float(np.median([s.eye_ratio for s in self._neutral])),
            mouth_ratio=float(np.median([s.mouth_ratio for s in self._neutral])),
            yaw=float(np.median([s.yaw for s in self._neutral])),
            pitch=float(np.median([s.pitch for s in self._neutral])),
            geometry=np.median([s.geometry() for s in self._neutral], axis=0),
        )
        if self.identity is not None and frame is not None:
            # The reference must exist before any challenge: without it the end-of-session
            # identity check could not run. Stay in this phase until dlib sees the face.
            if now < self._identity_retry_at:
                return
            self._reference = self.identity.embed(frame, face)
            if self._reference is None:
                self._identity_retry_at = now + self.config.identity_retry_s
                return
        self._recheck_identity = False
        self._start_challenge(now, armed=True)

    def _start_challenge(self, now: float, *, armed: bool) -> None:
        self._phase = Phase.CHALLENGE
        self._phase_started_at = now
        self._progress = _Progress(armed=armed)

    def _challenge_step(self, now: float, signals: FaceSignals) -> None:
        config = self.config
        baseline = self._baseline
        assert baseline is not None
        progress = self._progress
        if not progress.armed:
            # Coming back from the previous action: wait for a neutral face first, so the
            # end of one action is never taken as (or against) the next one.
            progress.armed = self._is_neutral(signals)
            return
        kind = self.challenges[self._index].kind
        yaw = signals.yaw - baseline.yaw
        pitch = signals.pitch - baseline.pitch
        done = False
        wrong = False
        if kind in (ChallengeKind.TURN_LEFT, ChallengeKind.TURN_RIGHT):
            direction = 1.0 if kind is ChallengeKind.TURN_LEFT else -1.0
            progress.hold = progress.hold + 1 if yaw * direction >= config.turn_deg else 0
            done = progress.hold >= config.hold_frames
            wrong = yaw * direction <= -config.wrong_turn_deg
        elif kind is ChallengeKind.NOD:
            if pitch <= -config.nod_deg:
                progress.down_seen = True
            done = progress.down_seen and pitch >= -config.nod_deg / 3.0
            wrong = abs(yaw) >= config.wrong_turn_deg
        elif kind is ChallengeKind.BLINK:
            if signals.eye_ratio <= config.blink_closed_ratio * baseline.eye_ratio:
                progress.closed_seen = True
            done = progress.closed_seen and (
                signals.eye_ratio >= config.blink_open_ratio * baseline.eye_ratio
            )
            wrong = abs(yaw) >= config.wrong_turn_deg
        elif kind is ChallengeKind.OPEN_MOUTH:
            target = max(baseline.mouth_ratio + config.mouth_open_gain, config.mouth_open_min)
            progress.hold = progress.hold + 1 if signals.mouth_ratio >= target else 0
            done = progress.hold >= config.hold_frames
            wrong = abs(yaw) >= config.wrong_turn_deg
        if wrong:
            self._fail(FailReason.WRONG_RESPONSE, now)
            return
        if done:
            result = self._results[self._index]
            result.passed = True
            assert self._phase_started_at is not None
            result.elapsed_s = now - self._phase_started_at
            self._index += 1
            # Re-identify on the next frontal frame: one dlib check per challenge.
            self._recheck_identity = True
            if self._index < len(self.challenges):
                self._start_challenge(now, armed=False)
            else:
                self._phase = Phase.FINAL
                self._phase_started_at = now

    def _final_step(
        self, now: float, signals: FaceSignals, face: FaceLandmarks, frame: np.ndarray | None
    ) -> None:
        if not self._is_neutral(signals):
            return
        if self.identity is not None and self._reference is not None and frame is not None:
            if now < self._identity_retry_at:
                return
            probe = self.identity.embed(frame, face)
            if probe is None:
                self._identity_retry_at = now + self.config.identity_retry_s
                return  # try a later frame
            self._identity_checked = True
            if not self.identity.same_person(self._reference, probe):
                self._fail(FailReason.FACE_CHANGED, now)
                return
        if self._max_nonrigid < self.config.min_nonrigid:
            self._fail(FailReason.STATIC_IMAGE, now)
            return
        self._finish(now, live=True, reason=None)

    # -- checks -----------------------------------------------------------------------------

    def _phase_limit(self) -> float:
        if self._phase is Phase.NEUTRAL:
            return self.config.neutral_time_limit_s
        if self._phase is Phase.FINAL:
            return self.config.final_time_limit_s
        return self.challenges[min(self._index, len(self.challenges) - 1)].time_limit_s

    def _check_time(self, now: float) -> bool:
        if self._verdict is not None:
            return True
        if self._phase_started_at is None or now - self._phase_started_at <= self._phase_limit():
            return False
        self._fail(FailReason.STATIC_IMAGE if self._frozen() else FailReason.TIMEOUT, now)
        return True

    def _track_motion(self, signals: FaceSignals) -> None:
        if self._first is None:
            self._first = signals
            return
        self._max_motion = max(self._max_motion, motion_between(self._first, signals))
        if self._previous is not None:
            self._max_nonrigid = max(
                self._max_nonrigid, nonrigid_residual(self._previous, signals)
            )

    def _looks_static(self) -> bool:
        first = self._neutral[0]
        motion = max(motion_between(first, s) for s in self._neutral[1:])
        if motion < self.config.static_motion:
            return True
        recent = self._frame_diffs[-len(self._neutral) :]
        return len(recent) >= 2 and float(np.median(recent)) < self.config.static_pixel_diff

    def _track_pixels(self, frame: np.ndarray) -> None:
        thumbnail = _thumbnail(frame)
        if self._thumbnail is not None and self._thumbnail.shape == thumbnail.shape:
            self._frame_diffs.append(float(np.abs(thumbnail - self._thumbnail).mean()))
        self._thumbnail = thumbnail

    def _frozen(self) -> bool:
        if self._first is not None and self._max_motion < self.config.static_motion:
            return True
        return len(self._frame_diffs) >= 2 and (
            float(np.median(self._frame_diffs)) < self.config.static_pixel_diff
        )

    def _tracking_broken(self, signals: FaceSignals) -> bool:
        """A different face appearing from one frame to the next (jump in place or size)."""
        previous = self._previous
        if previous is None or signals.timestamp - previous.timestamp > 0.5:
            return False
        jump = float(np.hypot(
            signals.centre[0] - previous.centre[0], signals.centre[1] - previous.centre[1]
        ))
        size_change = abs(signals.width - previous.width) / previous.width
        return (
            jump > self.config.max_jump_face_widths * previous.width
            or size_change > self.config.max_size_change
        )

    def _is_frontal_neutral(self, signals: FaceSignals) -> bool:
        baseline = self._baseline
        assert baseline is not None
        return (
            self._is_neutral(signals)
            and signals.mouth_ratio < baseline.mouth_ratio + self.config.mouth_open_gain / 2
        )

    def _is_close_to_baseline(self, signals: FaceSignals) -> bool:
        baseline = self._baseline
        assert baseline is not None
        band = self.config.geometry_band_deg
        return abs(signals.yaw - baseline.yaw) <= band and abs(signals.pitch - baseline.pitch) <= band

    def _is_neutral(self, signals: FaceSignals) -> bool:
        baseline = self._baseline
        assert baseline is not None
        return (
            abs(signals.yaw - baseline.yaw) <= self.config.neutral_yaw_deg
            and abs(signals.pitch - baseline.pitch) <= self.config.neutral_pitch_deg
        )

    def _geometry_changed(self, signals: FaceSignals) -> bool:
        baseline = self._baseline
        assert baseline is not None
        relative = np.abs(signals.geometry() - baseline.geometry) / np.maximum(
            baseline.geometry, 1e-6
        )
        return bool(relative.max() > self.config.geometry_tolerance)

    def _identity_differs(self, frame: np.ndarray, face: FaceLandmarks) -> bool:
        if self.identity is None or self._reference is None:
            self._recheck_identity = False
            return False
        now = self._last_time or 0.0
        if now < self._identity_retry_at:
            return False
        probe = self.identity.embed(frame, face)
        if probe is None:
            self._identity_retry_at = now + self.config.identity_retry_s
            return False  # ask again on a later frontal frame
        self._recheck_identity = False
        return not self.identity.same_person(self._reference, probe)

    def _fail(self, reason: FailReason, now: float) -> None:
        if self._phase is Phase.CHALLENGE and self._index < len(self._results):
            result = self._results[self._index]
            result.reason = reason
            if self._phase_started_at is not None:
                result.elapsed_s = now - self._phase_started_at
        self._finish(now, live=False, reason=reason)

    def _finish(self, now: float, *, live: bool, reason: FailReason | None) -> None:
        self._phase = Phase.DONE
        self._verdict = LivenessVerdict(
            live=live,
            reason=reason,
            challenges=self._results,
            identity_checked=self._identity_checked,
            duration_s=now - (now if self._started_at is None else self._started_at),
        )


def _thumbnail(frame: np.ndarray) -> np.ndarray:
    grey = frame if frame.ndim == 2 else cv2.cvtColor(frame[:, :, :3], cv2.COLOR_BGR2GRAY)
    height, width = grey.shape[:2]
    size = (160, max(1, round(160 * height / max(width, 1))))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA).astype(np.float32)
