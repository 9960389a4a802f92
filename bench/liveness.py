"""Liveness rates on what can be tested without people: photo attacks and scripted responses.

python -m bench.liveness [--json] [--seconds 4] [--shaken N] [--seeds N]

* stills: every image under the faces folder replayed unchanged as the camera -> must be refused.
* shaken: a photo held up to a camera: each still re-rendered per frame with a small hand
  shake, a tilt of the print (perspective, up to 30 degrees either way) and sensor noise
  (first N stills; they run until the challenge time limit, so they cost more).
* scripted: landmark sequences made from real faces (station.liveness.synthetic): cooperative
  responses must pass; wrong order, late, half-hearted responses and a face swap must fail.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

from station.biometrics import ImageUnreadable, read_image
from station.face import FaceLandmarker, FaceLandmarks
from station.liveness import ChallengeKind, LivenessSession, random_challenges
from station.liveness.replay import run_session, still_frames
from station.liveness.synthetic import Action, respond, scripted_sequence

FACES_DIR = Path(__file__).resolve().parent.parent.parent / "shared/data/faces"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}
SCRIPTED_FACES = (
    "portraits/ppp_frontal_white_bg.jpg",
    "verification/obama/obama.jpg",
    "verification/John_Salley/000179_02159509.jpg",
    "verification/rose_leslie/img2.jpg",
)


def shaken_frames(image: np.ndarray, seconds: float, fps: float, seed: int) -> Iterator[
    tuple[float, np.ndarray]
]:
    """A printed photo held in front of a camera: hand shake, tilting, sensor noise."""
    rng = np.random.default_rng(seed)
    height, width = image.shape[:2]
    scale = min(1.0, 640 / max(height, width))
    base = cv2.resize(image, None, fx=scale, fy=scale) if scale < 1.0 else image
    if base.ndim == 2:
        base = cv2.cvtColor(base, cv2.COLOR_GRAY2BGR)
    base = base[:, :, :3]
    height, width = base.shape[:2]
    focal = float(width)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    for index in range(int(seconds * fps)):
        t = index / fps
        tilt = math.radians(30.0 * math.sin(2 * math.pi * t / 3.0))  # print turned side to side
        nod = math.radians(10.0 * math.sin(2 * math.pi * t / 4.0 + 1.0))
        projected = []
        for x, y in corners:
            px, py, pz = x - width / 2, y - height / 2, 0.0
            px, pz = px * math.cos(tilt), -px * math.sin(tilt)
            py, pz = py * math.cos(nod) - pz * math.sin(nod), py * math.sin(nod) + pz * math.cos(nod)
            depth = focal * 1.5 + pz
            projected.append((px * focal * 1.5 / depth + width / 2, py * focal * 1.5 / depth + height / 2))
        shake = rng.normal(0.0, 0.01 * width, 2)
        target = np.array(projected, np.float32) + shake.astype(np.float32)
        warp = cv2.getPerspectiveTransform(corners, target)
        frame = cv2.warpPerspective(base, warp, (width, height), borderMode=cv2.BORDER_REPLICATE)
        noisy = frame.astype(np.float32) + rng.normal(0.0, 3.0, frame.shape)
        yield t, np.clip(noisy, 0, 255).astype(np.uint8)


def stills(faces_dir: Path) -> list[Path]:
    return sorted(
        p for p in faces_dir.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
    )


def attack_runs(files: list[Path], frames_of, landmarker: FaceLandmarker) -> dict:
    reasons: Counter[str] = Counter()
    passed_challenges: Counter[str] = Counter()
    accepted: list[str] = []
    frames = 0
    started = time.perf_counter()
    for index, path in enumerate(files):
        try:
            image = read_image(path)
        except ImageUnreadable:
            reasons["unreadable"] += 1
            continue
        counted = _counting(frames_of(image, index))
        verdict = run_session(counted, random_challenges(3, index), landmarker=landmarker)
        frames += counted.count
        if verdict.live:
            accepted.append(str(path))
        reasons[str(verdict.reason)] += 1
        passed_challenges.update(str(c.kind) for c in verdict.challenges if c.passed)
    elapsed = time.perf_counter() - started
    return {
        "stills": len(files),
        "refused": len(files) - len(accepted),
        "refusal_rate": (len(files) - len(accepted)) / len(files) if files else None,
        "accepted": accepted,
        "reasons": dict(reasons),
        # Single challenges an attack got through before it was stopped (never all of them).
        "challenges_passed_by_attacks": dict(passed_challenges),
        "frames": frames,
        "ms_per_frame": round(1000 * elapsed / frames, 1) if frames else None,
    }


class _counting:
    def __init__(self, frames: Iterator) -> None:
        self.frames, self.count = frames, 0

    def __iter__(self):
        for item in self.frames:
            self.count += 1
            yield item


def scripted_runs(bases: list[FaceLandmarks], seeds: int) -> dict:
    outcomes: dict[str, Counter[str]] = {
        name: Counter() for name in ("real", "wrong_order", "late", "half_hearted", "face_swap")
    }
    feed_ms: list[float] = []
    for base_index, base in enumerate(bases):
        for seed in range(seeds):
            challenges = random_challenges(3, 1000 * base_index + seed)
            kinds = [c.kind for c in challenges]
            scripts = {
                "real": respond(kinds),
                "wrong_order": respond(_wrong(kinds)),
                "late": respond(kinds, first_at_s=challenges[0].time_limit_s + 2.0),
                "half_hearted": [
                    Action(a.kind, a.start_s, a.duration_s, strength=0.45) for a in respond(kinds)
                ],
            }
            for name, actions in scripts.items():
                session = LivenessSession(challenges)
                verdict = _feed(session, scripted_sequence(base, actions, seconds=16, seed=seed),
                                feed_ms)
                outcomes[name][str(verdict.reason) if not verdict.live else "live"] += 1
            other = bases[(base_index + 1) % len(bases)]
            session = LivenessSession(challenges)
            own = scripted_sequence(base, respond(kinds), seconds=16, seed=seed)
            swapped = scripted_sequence(other, respond(kinds), seconds=16, seed=seed + 1)
            mixed = (a if a[0] < 2.0 + 0.3 * seed else b for a, b in zip(own, swapped, strict=True))
            verdict = _feed(session, mixed, feed_ms)
            outcomes["face_swap"][str(verdict.reason) if not verdict.live else "live"] += 1
    runs = len(bases) * seeds
    result = {name: {"runs": runs, "outcomes": dict(c)} for name, c in outcomes.items()}
    result["real"]["pass_rate"] = outcomes["real"]["live"] / runs
    for name in ("wrong_order", "late", "half_hearted", "face_swap"):
        result[name]["fail_rate"] = 1 - outcomes[name]["live"] / runs
    result["session_ms_per_frame"] = round(float(np.mean(feed_ms)), 3) if feed_ms else None
    return result


def _wrong(kinds: list[ChallengeKind]) -> list[ChallengeKind]:
    """The same actions answered in another order (or a turn the wrong way round)."""
    opposite = {ChallengeKind.TURN_LEFT: ChallengeKind.TURN_RIGHT,
                ChallengeKind.TURN_RIGHT: ChallengeKind.TURN_LEFT}
    poses = [k for k in kinds if k in opposite]
    if poses:
        return [opposite.get(k, k) for k in kinds]
    return list(reversed(kinds)) if kinds[0] != kinds[-1] else [ChallengeKind.TURN_LEFT, *kinds]


def _feed(session: LivenessSession, frames, timings: list[float]):
    for timestamp, faces in frames:
        started = time.perf_counter()
        state = session.feed(timestamp, faces)
        timings.append((time.perf_counter() - started) * 1000)
        if state.finished:
            return state.verdict
    return session.end_of_input()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.liveness")
    parser.add_argument("--dir", type=Path, default=FACES_DIR)
    parser.add_argument("--seconds", type=float, default=4.0, help="replay length of a still")
    parser.add_argument("--fps", type=float, default=8.0)
    parser.add_argument("--shaken", type=int, default=8, help="stills also run as held photos")
    parser.add_argument("--seeds", type=int, default=5, help="scripted runs per face and case")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if not args.dir.is_dir():
        print(f"error: {args.dir} not found", file=sys.stderr)
        return 2
    os.environ.setdefault("GLOG_minloglevel", "2")
    files = stills(args.dir)
    with FaceLandmarker(static_images=False, max_faces=2) as landmarker:
        replayed = attack_runs(
            files, lambda image, _i: still_frames(image, args.seconds, args.fps), landmarker
        )
        # A held photo must outlast the first challenge's limit to be judged on the challenge.
        shaken = attack_runs(
            files[:: max(1, len(files) // max(1, args.shaken))][: args.shaken],
            lambda image, i: shaken_frames(image, 9.0, args.fps, i),
            landmarker,
        )
    with FaceLandmarker(static_images=True) as landmarker:
        bases = []
        for name in SCRIPTED_FACES:
            faces = landmarker.detect(read_image(args.dir / name), max_side=640)
            if faces:
                bases.append(faces[0])
    report = {
        **{k: replayed[k] for k in ("stills", "refused", "refusal_rate")},
        "replayed_stills": replayed,
        "shaken_photos": shaken,
        "scripted": scripted_runs(bases, args.seeds),
        "challenge_example": [str(c.kind) for c in random_challenges(3, 0)],
    }
    print(json.dumps(report, ensure_ascii=False) if args.json else json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

