"""CameraDevice: one worker thread per camera; frames go to subscribers, newest only.

The worker opens its source, reports the granted format, reads frames (pacing replays to their
frame rate), and hands each frame to every subscriber on the camera thread. Subscribers must
return quickly: hand the frame to a ``LatestFrame`` slot (or similar) and process elsewhere, so
a slow consumer only ever sees the newest frame and never builds a queue. When the source goes
away the device reports ABSENT and keeps trying to reopen it.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from devices.base import DeviceDisconnected, DeviceError
from devices.camera.sources import FrameSource, GrantedFormat
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent, EventBus
from station.i18n import current_language

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CameraIdentity:
    """Which camera took a frame, as recorded with every captured photo (evidence)."""

    name: str  # device path, index or replay file, as configured
    model: str  # what the device calls itself (the V4L2 card name); "" when it does not say
    backend: str
    width: int
    height: int
    fps: float
    simulated: bool

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "model": self.model, "backend": self.backend,
                "format": f"{self.width}x{self.height}@{self.fps:g}", "simulated": self.simulated}


@dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR uint8, shared: consumers must not modify it in place
    sequence: int  # 0, 1, 2, ... since the device started (gaps = frames this consumer missed)
    timestamp: float  # time.monotonic() when captured
    source: str = field(default="")
    captured_at: datetime = field(default_factory=lambda: datetime.now(UTC))  # wall clock
    camera: CameraIdentity | None = None
    stream: int = 0  # which opening of the camera delivered it (a reconnect starts a new one)


def v4l2_model(name: str) -> str:
    """The card name Linux reports for /dev/videoN (or camera index N); "" elsewhere."""
    match = re.fullmatch(r"(?:/dev/video|camera )(\d+)", name)
    if match is None:
        return ""
    try:
        return Path(f"/sys/class/video4linux/video{match.group(1)}/name").read_text(
            encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


FrameCallback = Callable[[Frame], None]


class LatestFrame:
    """A one-frame mailbox: ``put`` replaces, ``take`` waits for a frame newer than the last."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._frame: Frame | None = None
        self._taken = -1
        self.dropped = 0

    def put(self, frame: Frame) -> None:
        with self._condition:
            if self._frame is not None and self._frame.sequence > self._taken:
                self.dropped += 1  # the consumer never saw it: stale, replaced
            self._frame = frame
            self._condition.notify_all()

    def take(self, timeout: float | None = None) -> Frame | None:
        with self._condition:
            ready = self._condition.wait_for(
                lambda: self._frame is not None and self._frame.sequence > self._taken, timeout
            )
            if not ready or self._frame is None:
                return None
            self._taken = self._frame.sequence
            return self._frame

    def peek(self) -> Frame | None:
        with self._condition:
            return self._frame


class CameraDevice:
    """The station's Camera (devices.base.Camera protocol) over any FrameSource."""

    kind = "camera"

    def __init__(
        self,
        source: FrameSource,
        bus: EventBus | None = None,
        *,
        retry_interval: float = 1.0,
    ) -> None:
        self._source = source
        self._bus = bus
        self._retry_interval = retry_interval
        self._lock = threading.Lock()
        self._subscribers: list[FrameCallback] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = DeviceStatus("camera", DeviceState.CONNECTING, "", source.simulated,
                                    source.name)  # fmt: skip
        self._granted: GrantedFormat | None = None
        self._identity: CameraIdentity | None = None
        self._opening = 0
        self._sequence = 0
        self.frames_delivered = 0

    # -- Device protocol ---------------------------------------------------------------

    @property
    def status(self) -> DeviceStatus:
        return self._status

    @property
    def source(self) -> FrameSource:
        """What the worker reads (a simulator's controls live there in demo mode)."""
        return self._source

    @property
    def stream(self) -> int:
        """The current opening of the camera: frames of an earlier one are not live."""
        return self._opening

    @property
    def identity(self) -> CameraIdentity | None:
        """The camera as it was last opened (None until it opened)."""
        return self._identity

    @property
    def granted(self) -> GrantedFormat | None:
        """The format the source granted (None until it opened)."""
        return self._granted

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="camera", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        self._thread = None

    def subscribe_frames(self, callback: FrameCallback) -> Callable[[], None]:
        with self._lock:
            self._subscribers.append(callback)

        def unsubscribe() -> None:
            with self._lock:
                if callback in self._subscribers:
                    self._subscribers.remove(callback)

        return unsubscribe

    # -- worker ------------------------------------------------------------------------

    def _set_state(self, state: DeviceState, detail: str = "", *, force: bool = False) -> None:
        status = DeviceStatus("camera", state, detail, self._source.simulated, self._source.name)
        if status == self._status and not force:
            return
        self._status = status
        log.info("camera %s: %s %s", self._source.name, state.value, detail)
        if self._bus is not None:
            self._bus.publish(DeviceStatusEvent(status=status))

    def _run(self) -> None:
        self._set_state(DeviceState.CONNECTING, force=True)
        try:
            while not self._stop.is_set():
                try:
                    self._granted = self._source.open()
                except DeviceDisconnected as exc:
                    self._set_state(DeviceState.ABSENT, _in_language(exc))
                    self._stop.wait(self._retry_interval)
                    continue
                except DeviceError as exc:
                    self._set_state(DeviceState.ERROR, _in_language(exc))
                    self._stop.wait(self._retry_interval)
                    continue
                except Exception as exc:  # a broken driver must not kill the thread silently
                    log.exception("camera open failed")
                    self._set_state(DeviceState.ERROR, str(exc))
                    self._stop.wait(self._retry_interval)
                    continue
                granted = self._granted
                self._opening += 1
                self._identity = CameraIdentity(
                    name=self._source.name, model=v4l2_model(self._source.name),
                    backend=granted.backend, width=granted.width, height=granted.height,
                    fps=granted.fps, simulated=self._source.simulated)
                self._set_state(DeviceState.READY, granted.describe())
                try:
                    self._stream()
                except DeviceDisconnected as exc:
                    self._set_state(DeviceState.ABSENT, _in_language(exc))
                except Exception as exc:
                    log.exception("camera stream failed")
                    self._set_state(DeviceState.ERROR, str(exc))
                finally:
                    self._source.close()
                if not self._stop.is_set():
                    self._stop.wait(self._retry_interval)
        finally:
            self._source.close()
            self._set_state(DeviceState.DISABLED, "stopped")

    def _stream(self) -> None:
        period = 1.0 / self._granted.fps if self._granted and self._granted.fps > 0 else 0.0
        next_due = time.monotonic()
        while not self._stop.is_set():
            if self._source.paced and period:
                delay = next_due - time.monotonic()
                if delay > 0 and self._stop.wait(delay):
                    return
                next_due = max(next_due + period, time.monotonic() - period)
            image = self._source.read()
            frame = Frame(image=image, sequence=self._sequence, timestamp=time.monotonic(),
                          source=self._source.name, captured_at=datetime.now(UTC),
                          camera=self._identity, stream=self._opening)  # fmt: skip
            self._sequence += 1
            with self._lock:
                subscribers = list(self._subscribers)
            for callback in subscribers:
                try:
                    callback(frame)
                except Exception:  # one bad consumer must not stop the camera
                    log.exception("frame subscriber failed")
            self.frames_delivered += 1


def _in_language(error: DeviceError) -> str:
    """The failure in the interface's language (the status bar, the kiosk's staff line)."""
    return error.message_zh if current_language() == "zh_CN" else error.message_en
