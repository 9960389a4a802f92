"""A generated, handwriting-like signature for the simulator: a capital loop, cursive loops
(a prolate trochoid with drifting amplitude) and an underline flourish, sampled at the pad's
report rate with pressure rising and falling along each stroke and a slightly wavering tilt.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PenFrame:
    """One report of the replay, coordinates normalised to 0..1 of the pad."""

    dt_s: float  # delay after the previous frame
    x: float
    y: float
    pressure: float  # 0..1
    tip: bool
    in_proximity: bool
    tilt_x: float  # 0..1 of the tilt range
    tilt_y: float


def _stroke_points(kind: str, rng: random.Random, n: int) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    phase = rng.random() * 2 * math.pi  # once per stroke: the loops vary smoothly
    for i in range(n):
        s = i / (n - 1)
        if kind == "capital":  # a tall loop with a tail to the right
            a = 2 * math.pi * s * 1.15
            x = 0.12 + 0.07 * math.sin(a) + 0.10 * s
            pts.append((x, 0.50 - 0.17 * math.cos(a) * (1 - 0.3 * s)))
        elif kind == "cursive":  # loops moving right: x = r t - d sin t, y = -d cos t
            t = 2 * math.pi * 3.5 * s
            d = 0.06 * (1 + 0.3 * math.sin(1.7 * t / 3.5 + phase))
            pts.append((0.27 + 0.42 * s - 0.8 * d * math.sin(t), 0.50 + d * math.cos(t) - 0.05 * s))
        else:  # underline flourish
            pts.append((0.10 + 0.72 * s, 0.70 + 0.03 * math.sin(math.pi * s) - 0.05 * s * s))
    return pts


def generate_signature(seed: int = 1, rate_hz: float = 133.0) -> list[PenFrame]:
    """Frames of one signature, hover in and out of proximity between strokes included."""
    rng = random.Random(seed)
    dt = 1.0 / rate_hz
    plan = [("capital", 0.55), ("cursive", 1.25), ("flourish", 0.45)]
    frames: list[PenFrame] = []
    tilt_x, tilt_y = 0.35 + 0.1 * rng.random(), 0.55 + 0.1 * rng.random()
    shift_x, shift_y = rng.uniform(-0.03, 0.03), rng.uniform(-0.03, 0.03)
    last: tuple[float, float] | None = None
    for kind, seconds in plan:
        n = max(8, round(seconds * rate_hz * rng.uniform(0.9, 1.1)))
        pts = [(x + shift_x, y + shift_y) for x, y in _stroke_points(kind, rng, n)]
        start = pts[0]
        hover_from = last or (start[0] - 0.05, start[1] - 0.05)
        for k in range(8):  # approach the paper in proximity, tip up
            f = (k + 1) / 9
            frames.append(PenFrame(
                dt, hover_from[0] + (start[0] - hover_from[0]) * f,
                hover_from[1] + (start[1] - hover_from[1]) * f, 0.0, False, True, tilt_x, tilt_y,
            ))
        for i, (x, y) in enumerate(pts):
            s = i / (n - 1)
            envelope = min(1.0, s / 0.08, (1 - s) / 0.10 + 0.05)
            pressure = max(0.02, envelope * (0.55 + 0.25 * math.sin(5 * s + rng.random() * 0.3)))
            frames.append(PenFrame(
                dt * rng.uniform(0.95, 1.05),
                x + rng.gauss(0, 0.0004), y + rng.gauss(0, 0.0004), pressure, True, True,
                tilt_x + rng.gauss(0, 0.01), tilt_y + rng.gauss(0, 0.01),
            ))
        last = pts[-1]
        frames.append(PenFrame(dt, last[0], last[1] - 0.01, 0.0, False, True, tilt_x, tilt_y))
        pause = 0.12 * rng.uniform(0.8, 1.2)  # the hand moves on before the next stroke
        frames.append(PenFrame(pause, last[0], last[1] - 0.02, 0.0, False, True, tilt_x, tilt_y))
    frames.append(PenFrame(dt, last[0] if last else 0.5, 0.4, 0.0, False, False, tilt_x, tilt_y))
    return [
        PenFrame(f.dt_s, min(1.0, max(0.0, f.x)), min(1.0, max(0.0, f.y)),
                 min(1.0, max(0.0, f.pressure)), f.tip, f.in_proximity,
                 min(1.0, max(0.0, f.tilt_x)), min(1.0, max(0.0, f.tilt_y)))
        for f in frames
    ]
