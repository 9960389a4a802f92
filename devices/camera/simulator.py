"""The demo's simulated camera: a simulated person standing at the counter, live.

``counter_scene`` places a portrait as a person stands before a counter camera: 1280x720, the
head upright near the middle at the size a counter camera sees it (large enough for the photo
profiles without enlarging), the shoulders running out of the bottom of the frame, a white
backdrop behind. ``SimulatedPersonCamera`` streams that scene at the camera's rate with what
makes a camera picture live: the person sways, breathes and tilts a little (smooth, never
repeating exactly) and every frame has its own sensor noise. It is a FrameSource like the
replay sources, so the CameraDevice worker and everything after it are the production ones.

Trainer controls (any thread): ``set_scene`` (another person steps up), ``unplug`` /
``replug`` (the camera's cable: the worker reports ABSENT, then reopens).
"""

from __future__ import annotations

import math
import threading

import cv2
import numpy as np

from devices.base import DeviceDisconnected
from devices.camera.sources import GrantedFormat
from station.i18n import current_language

# what the camera's status calls it, in the interface's language
_SIMULATED = ("模拟人员", "simulated person")

WIDTH, HEIGHT = 1280, 720
# Crown (top of hair) to chin in the frame: the skull-to-chin length must give ICAO 9303 at
# least 1 source pixel per output pixel; the crown high enough that the licence photo's crop
# (head about 64 % of its height, shoulders below) stays inside the frame. Measured with the
# photo engine: 440-450 px and a crown at 70-90 px pass both profiles on every frame.
HEAD_LENGTH_PX = 445
CROWN_Y = 78
CENTRE_X = 628  # people rarely stand exactly in the middle
BODY_LEVEL = 200  # darker than this (any channel) is the person, not the white backdrop
NOISE_SIGMA = 2.2  # grey levels; a webcam at office light
FEATHER_PX = 24  # the portrait's own background fades into the backdrop over this width
NOISE_SLACK = 1 << 16  # spare noise samples: the per-frame offsets range over them
MOTION_EVERY = 3  # frames per movement step (10 steps a second at 30 fps; warping is costly)


def _falloff(width: int, height: int) -> np.ndarray:
    """Light falls off a little towards the corners of the lens."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    r2 = ((xs - width / 2) / (width / 2)) ** 2 + ((ys - height / 2) / (height / 2)) ** 2
    return (1.0 - 0.015 * r2)[..., None]


def counter_scene(portrait: np.ndarray, head: tuple[float, float, float], *,
                  width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """``portrait`` (a head-and-shoulders picture on a white background, ``head`` = its
    crown y, chin y and face centre x) placed in a counter camera's frame."""
    crown, chin, centre = head
    scale = HEAD_LENGTH_PX * height / HEIGHT / max(1.0, chin - crown)
    person = cv2.resize(portrait, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ph, pw = person.shape[:2]
    top = round(CROWN_Y * height / HEIGHT - crown * scale)
    left = round(CENTRE_X * width / WIDTH - centre * scale)
    colour = np.median(portrait[: max(1, portrait.shape[0] // 20)].reshape(-1, 3), axis=0)
    canvas = np.empty((height, width, 3), np.float32)
    canvas[:] = colour  # the white wall behind the person

    # The portrait widened to the frame by mirroring its sides: where the shoulders run out of
    # the portrait, the mirrored suit continues them.
    right = width - left - pw
    wide = cv2.copyMakeBorder(person, 0, 0, max(0, left), max(0, right), cv2.BORDER_REFLECT)
    wide = wide[:, max(0, -left) : max(0, -left) + width]
    body = (wide.min(axis=2) < BODY_LEVEL).astype(np.float32)
    alpha = np.zeros(wide.shape[:2], np.float32)
    x0, x1 = max(0, left), min(width, left + pw)
    alpha[:, x0:x1] = _feathered(ph, x1 - x0)
    alpha = np.maximum(alpha, body * _shoulder_band(person, wide.shape[0], x0, x1, width))
    alpha = cv2.GaussianBlur(alpha, (0, 0), 1.2)

    y0, y1 = max(0, top), min(height, top + ph)
    part = wide[y0 - top : y1 - top].astype(np.float32)
    a = alpha[y0 - top : y1 - top, :, None]
    canvas[y0:y1] = part * a + canvas[y0:y1] * (1.0 - a)
    return np.clip(canvas * _falloff(width, height) + 0.5, 0, 255).astype(np.uint8)


def _feathered(height: int, width: int) -> np.ndarray:
    """1 inside, ramping to 0 at the top, left and right edges (the bottom leaves the frame)."""
    ys = np.minimum(np.arange(height, dtype=np.float32) / FEATHER_PX, 1.0)
    xs = np.arange(width, dtype=np.float32)
    xs = np.minimum(np.minimum(xs, width - 1 - xs) / FEATHER_PX, 1.0)
    return ys[:, None] * xs[None, :]


def _shoulder_band(person: np.ndarray, rows: int, x0: int, x1: int, width: int) -> np.ndarray:
    """Where the body is fully opaque: from the row where it reaches the portrait's side, the
    portrait's width and, beside it, the mirrored body widening downwards like shoulders."""
    band = np.zeros((rows, width), np.float32)
    dark = person.min(axis=2) < BODY_LEVEL
    at_side = np.flatnonzero(dark[:, :3].all(axis=1) | dark[:, -3:].all(axis=1))
    if not at_side.size:
        return band
    first = int(at_side[0])
    for row in range(first, rows):
        spread = round(2.5 * (row - first) + 6.0 * math.sqrt(row - first))
        band[row, max(0, x0 - spread) : min(width, x1 + spread)] = 1.0
    return band


class SimulatedPersonCamera:
    """FrameSource of a simulated person at the counter (see the module docstring)."""

    simulated = True
    paced = True

    def __init__(self, scene: np.ndarray, *, fps: float = 30.0, name: str = "demo camera",
                 seed: int = 17) -> None:  # fmt: skip
        self.fps = fps
        self.name = name
        self._lock = threading.Lock()
        self._plugged = True
        self._rng = np.random.default_rng(seed)
        self._phases = self._rng.uniform(0.0, 2 * math.pi, 8)
        self._index = 0
        noise = np.rint(self._rng.normal(0.0, NOISE_SIGMA, scene.size + NOISE_SLACK))
        # unsigned halves, so adding noise is two saturating uint8 operations; each frame
        # takes a contiguous run of them from a random offset
        self._noise_up = np.clip(noise, 0, 255).astype(np.uint8)
        self._noise_down = np.clip(-noise, 0, 255).astype(np.uint8)
        self._scene = scene
        self._roi = _person_box(scene)
        self._posed: np.ndarray | None = None  # the scene at the current movement step

    # -- trainer controls (any thread) -----------------------------------------------------

    def set_scene(self, scene: np.ndarray) -> None:
        """Another person (or the same one again) stands at the counter."""
        if scene.shape != self._scene.shape:
            raise ValueError(f"scene of {scene.shape}, the camera delivers {self._scene.shape}")
        roi = _person_box(scene)
        with self._lock:
            self._scene, self._roi, self._posed = scene, roi, None

    @property
    def plugged(self) -> bool:
        with self._lock:
            return self._plugged

    def unplug(self) -> None:
        with self._lock:
            self._plugged = False

    def replug(self) -> None:
        with self._lock:
            self._plugged = True

    # -- FrameSource -----------------------------------------------------------------------

    def open(self) -> GrantedFormat:
        if not self.plugged:
            raise DeviceDisconnected("camera_absent", f"{self.name} is unplugged",
                                     f"摄像头 {self.name} 未连接")  # fmt: skip
        height, width = self._scene.shape[:2]
        return GrantedFormat(width=width, height=height, fps=float(self.fps),
                             backend=_SIMULATED[current_language() == "en"],
                             name=self.name)  # fmt: skip

    def read(self) -> np.ndarray:
        with self._lock:
            plugged, scene, roi, posed = self._plugged, self._scene, self._roi, self._posed
        if not plugged:
            raise DeviceDisconnected("camera_lost", f"{self.name} was unplugged",
                                     f"摄像头 {self.name} 已断开")  # fmt: skip
        if posed is None or self._index % MOTION_EVERY == 0:
            posed = self._pose(scene, roi, self._index / self.fps)
            with self._lock:
                if self._scene is scene:
                    self._posed = posed
        self._index += 1
        up, down = (int(v) for v in self._rng.integers(0, NOISE_SLACK, 2))
        frame = cv2.add(posed, self._noise_up[up : up + posed.size].reshape(posed.shape))
        cv2.subtract(frame, self._noise_down[down : down + posed.size].reshape(posed.shape),
                     dst=frame)
        return frame

    def close(self) -> None:
        pass

    def _pose(self, scene: np.ndarray, roi: tuple[int, int, int, int], t: float) -> np.ndarray:
        x0, y0, x1, y1 = roi
        posed = scene.copy()
        posed[y0:y1, x0:x1] = cv2.warpAffine(
            scene[y0:y1, x0:x1], self._motion(t, (x1 - x0) / 2, y1 - y0), (x1 - x0, y1 - y0),
            flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return posed

    def _motion(self, t: float, pivot_x: float, pivot_y: float) -> np.ndarray:
        """Sway (a few px), breathing (up and down, scale) and a slight tilt about the base of
        the neck; sums of slow sines with unrelated periods never quite repeat."""
        p = self._phases
        dx = 3.0 * math.sin(2 * math.pi * 0.23 * t + p[0]) + 1.4 * math.sin(2 * math.pi * 0.61 * t + p[1])
        dy = 1.2 * math.sin(2 * math.pi * 0.27 * t + p[2]) + 0.8 * math.sin(2 * math.pi * 0.71 * t + p[3])
        angle = 0.6 * math.sin(2 * math.pi * 0.13 * t + p[4]) + 0.25 * math.sin(2 * math.pi * 0.47 * t + p[5])
        scale = 1.0 + 0.004 * math.sin(2 * math.pi * 0.27 * t + p[2])
        matrix = cv2.getRotationMatrix2D((pivot_x, pivot_y), angle, scale)
        matrix[:, 2] += np.array((dx, dy))
        return matrix


def _person_box(scene: np.ndarray, margin: int = 12) -> tuple[int, int, int, int]:
    """The part of the scene that differs from the backdrop (x0, y0, x1, y1), with a margin
    for the movement: only that part is warped per frame."""
    grey = cv2.cvtColor(scene, cv2.COLOR_BGR2GRAY)
    ys, xs = np.nonzero(grey < 235)
    if not xs.size:
        return 0, 0, scene.shape[1], scene.shape[0]
    x0, y0 = max(0, int(xs.min()) - margin), max(0, int(ys.min()) - margin)
    x1, y1 = min(scene.shape[1], int(xs.max()) + margin), min(scene.shape[0], int(ys.max()) + 1)
    return x0, y0, x1, y1
