"""Frame sources: a real camera through OpenCV, and replay sources for demo mode and tests.

A source opens (reporting the format it was granted), reads one frame at a time and closes.
Losing the device raises DeviceDisconnected; the CameraDevice worker then reopens it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from devices.base import DeviceDisconnected, DeviceError

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff"}
VIDEO_SUFFIXES = {".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v", ".mjpg", ".mjpeg"}


def quiet_opencv() -> None:
    """OpenCV logs every failed probe of a missing camera; we report those ourselves."""
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    with contextlib.suppress(AttributeError):  # builds without the logging module
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


@dataclass(frozen=True)
class GrantedFormat:
    """What the source actually delivers (cameras may refuse the requested format)."""

    width: int
    height: int
    fps: float
    backend: str
    name: str

    def describe(self) -> str:
        return f"{self.width}x{self.height} @ {self.fps:g} fps ({self.backend})"


class FrameSource(Protocol):
    name: str
    simulated: bool
    paced: bool  # True: the worker must pace reads to ``fps`` (replays); cameras block

    def open(self) -> GrantedFormat: ...

    def read(self) -> np.ndarray: ...

    def close(self) -> None: ...


class OpenCVCamera:
    """A webcam by index or device path (V4L2 on Linux), asking for MJPG at the set size."""

    simulated = False
    paced = False

    def __init__(self, *, index: int | None = None, device: str | None = None,
                 width: int = 1280, height: int = 720, fps: int = 30) -> None:  # fmt: skip
        if index is None and device is None:
            raise ValueError("a camera needs an index or a device path")
        self.index = index
        self.device = device
        self.width, self.height, self.fps = width, height, fps
        self.name = device if device is not None else f"camera {index}"
        self._capture: cv2.VideoCapture | None = None
        self._failures = 0

    def open(self) -> GrantedFormat:
        quiet_opencv()
        if self.device is not None and not Path(self.device).exists():
            raise DeviceDisconnected("camera_absent", f"{self.device} not found",
                                     f"未找到摄像头 {self.device}")  # fmt: skip
        target: str | int = self.device if self.device is not None else (self.index or 0)
        backend = cv2.CAP_V4L2 if os.name == "posix" and Path("/dev").is_dir() else cv2.CAP_ANY
        capture = cv2.VideoCapture(target, backend)
        if not capture.isOpened():
            capture.release()
            raise DeviceDisconnected("camera_absent", f"cannot open {self.name}",
                                     f"无法打开摄像头 {self.name}")  # fmt: skip
        capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        capture.set(cv2.CAP_PROP_FPS, self.fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, not a backlog
        ok, frame = capture.read()
        if not ok or frame is None:
            capture.release()
            raise DeviceDisconnected("camera_no_frames", f"{self.name} gives no picture",
                                     f"摄像头 {self.name} 没有画面")  # fmt: skip
        self._capture = capture
        self._failures = 0
        fps = capture.get(cv2.CAP_PROP_FPS) or float(self.fps)
        granted = GrantedFormat(width=frame.shape[1], height=frame.shape[0], fps=float(fps),
                                backend=capture.getBackendName(), name=self.name)  # fmt: skip
        if granted.width * granted.height < self.width * self.height:
            log.warning("%s granted %s, asked for %dx%d", self.name, granted.describe(),
                        self.width, self.height)  # fmt: skip
        return granted

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise DeviceDisconnected("camera_closed", "camera is not open", "摄像头未打开")
        ok, frame = self._capture.read()
        if not ok or frame is None:
            self._failures += 1
            if self._failures >= 3 or (self.device and not Path(self.device).exists()):
                raise DeviceDisconnected("camera_lost", f"{self.name} stopped sending frames",
                                         f"摄像头 {self.name} 已断开")  # fmt: skip
            return self.read()
        self._failures = 0
        return frame

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class VideoFileSource:
    """Plays a video file at its own frame rate, looping; the file vanishing is an unplug."""

    simulated = True
    paced = True

    def __init__(self, path: str | Path, *, fps: float | None = None, loop: bool = True) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.loop = loop
        self._fps = fps
        self.fps = fps or 30.0
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> GrantedFormat:
        quiet_opencv()
        if not self.path.is_file():
            raise DeviceDisconnected("replay_absent", f"{self.path} not found",
                                     f"未找到回放文件 {self.path}")  # fmt: skip
        capture = cv2.VideoCapture(str(self.path))
        ok, frame = capture.read() if capture.isOpened() else (False, None)
        if not ok or frame is None:
            capture.release()
            raise DeviceError("replay_unreadable", f"{self.path} is not a readable video",
                              f"回放文件 {self.path} 无法读取")  # fmt: skip
        capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
        self.fps = self._fps or capture.get(cv2.CAP_PROP_FPS) or 30.0
        self._capture = capture
        return GrantedFormat(width=frame.shape[1], height=frame.shape[0], fps=float(self.fps),
                             backend="video file", name=self.name)  # fmt: skip

    def read(self) -> np.ndarray:
        if self._capture is None or not self.path.exists():
            raise DeviceDisconnected("replay_lost", f"{self.path} vanished",
                                     f"回放文件 {self.path} 已消失")  # fmt: skip
        ok, frame = self._capture.read()
        if not ok and self.loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        if not ok or frame is None:
            raise DeviceDisconnected("replay_ended", f"{self.path} ended", f"回放 {self.path} 结束")
        return frame

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class StillImagesSource:
    """Still images repeated as a stream at ``fps``; each shown ``seconds_per_image`` (then the
    next, cycling). A folder gives its images in name order. Files or folder vanishing is an
    unplug; they coming back is a replug."""

    simulated = True
    paced = True

    def __init__(self, paths: str | Path | Sequence[str | Path], *, fps: float = 30.0,
                 seconds_per_image: float = 3.0) -> None:  # fmt: skip
        self.paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
        self.fps = fps
        self.seconds_per_image = seconds_per_image
        self.name = ", ".join(str(p) for p in self.paths[:3])
        self._frames: list[np.ndarray] = []
        self._files: list[Path] = []
        self._started = 0.0
        self._checked = 0.0

    def _image_files(self) -> list[Path]:
        files: list[Path] = []
        for path in self.paths:
            if path.is_dir():
                files += sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
            elif path.is_file():
                files.append(path)
        return files

    def open(self) -> GrantedFormat:
        files = self._image_files()
        frames = [f for f in (cv2.imread(str(p), cv2.IMREAD_COLOR) for p in files) if f is not None]
        if not frames:
            raise DeviceDisconnected("replay_absent", f"no images in {self.name}",
                                     f"{self.name} 中没有图像")  # fmt: skip
        self._frames, self._files = frames, files
        self._started = self._checked = time.monotonic()
        height, width = frames[0].shape[:2]
        return GrantedFormat(width=width, height=height, fps=float(self.fps),
                             backend="still images", name=self.name)  # fmt: skip

    def read(self) -> np.ndarray:
        now = time.monotonic()
        if now - self._checked >= 0.2:  # cheap presence check, a few times a second
            self._checked = now
            if not all(path.exists() for path in self.paths):
                raise DeviceDisconnected("replay_lost", f"{self.name} vanished",
                                         f"回放图像 {self.name} 已消失")  # fmt: skip
        if not self._frames:
            raise DeviceDisconnected("replay_closed", "replay is not open", "回放未打开")
        slot = int((now - self._started) / self.seconds_per_image) if self.seconds_per_image else 0
        return self._frames[slot % len(self._frames)]

    def close(self) -> None:
        self._frames = []


class ArraySource:
    """Frames held in memory (e.g. the demo portrait), repeated at ``fps``."""

    simulated = True
    paced = True

    def __init__(self, frames: Sequence[np.ndarray], *, fps: float = 30.0,
                 name: str = "demo portrait") -> None:  # fmt: skip
        if not frames:
            raise ValueError("ArraySource needs at least one frame")
        self.frames = list(frames)
        self.fps = fps
        self.name = name
        self._position = 0

    def open(self) -> GrantedFormat:
        height, width = self.frames[0].shape[:2]
        return GrantedFormat(width=width, height=height, fps=float(self.fps),
                             backend="memory", name=self.name)  # fmt: skip

    def read(self) -> np.ndarray:
        frame = self.frames[self._position % len(self.frames)]
        self._position += 1
        return frame

    def close(self) -> None:
        self._position = 0


def replay_source(paths: Sequence[str | Path], *, fps: float = 30.0) -> FrameSource:
    """A video file (one path with a video suffix) or still images (files and/or folders)."""
    if len(paths) == 1 and Path(paths[0]).suffix.lower() in VIDEO_SUFFIXES:
        return VideoFileSource(paths[0])
    return StillImagesSource(paths, fps=fps)


def demo_portrait(width: int = 1280, height: int = 720) -> np.ndarray:
    """scikit-image's public-domain astronaut portrait on a light canvas of the camera size."""
    from skimage import data

    portrait = cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)
    canvas = np.full((height, width, 3), 235, np.uint8)
    scale = min(height / portrait.shape[0], width / portrait.shape[1])
    size = (round(portrait.shape[1] * scale), round(portrait.shape[0] * scale))
    resized = cv2.resize(portrait, size, interpolation=cv2.INTER_AREA)
    x = (width - size[0]) // 2
    y = (height - size[1]) // 2
    canvas[y : y + size[1], x : x + size[0]] = resized
    return canvas
