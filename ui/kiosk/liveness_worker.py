"""Runs an active-liveness check on camera frames in a worker thread; results by signal.

The camera thread only drops frames into a one-frame mailbox (stale frames are replaced,
never queued). The worker thread builds the liveness engine itself (MediaPipe graphs are
thread-confined), analyses the newest frame, and emits the state after each one.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from devices.camera.device import Frame, LatestFrame
from station.liveness import LivenessVerdict, Phase
from station.liveness.engine import EngineFactory, LivenessEngine, default_engine
from station.scans.page import encode_jpeg

__all__ = ["EngineFactory", "LivenessWorker"]

log = logging.getLogger(__name__)


class LivenessWorker(QObject):
    """``state(SessionState)`` after each analysed frame; ``finished(verdict, jpeg)`` once,
    with the frontal frame kept as the live photo, as JPEG (None when the check failed)."""

    state = Signal(object)
    finished = Signal(object, object)  # LivenessVerdict, bytes | None
    failed = Signal(str)

    def __init__(self, camera: Any, engine_factory: EngineFactory | None = None) -> None:
        super().__init__()
        self._camera = camera
        self._factory = engine_factory or default_engine
        self._mailbox = LatestFrame()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def start(self) -> None:
        self._stop.clear()
        if self._camera is not None:
            self._unsubscribe = self._camera.subscribe_frames(self._on_frame)
        self._thread = threading.Thread(target=self._run, name="kiosk-liveness", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _on_frame(self, frame: Frame) -> None:
        self._mailbox.put(frame)  # camera thread: hand over only

    def _run(self) -> None:
        engine: LivenessEngine | None = None
        try:
            engine = self._factory()
            best: np.ndarray | None = None
            while not self._stop.is_set():
                frame = self._mailbox.take(timeout=0.2)
                if frame is None:
                    state = engine.poll(time.monotonic())
                else:
                    state = engine.process(frame.image, frame.timestamp)
                    if state.phase in (Phase.FINAL, Phase.DONE) or best is None:
                        best = frame.image  # the last frontal frame is the live photo
                if self._stop.is_set():
                    return
                self.state.emit(state)
                if state.verdict is not None:
                    self._finish(engine, state.verdict, best)
                    return
        except Exception as exc:
            log.exception("kiosk liveness worker failed")
            self.failed.emit(str(exc))
        finally:
            if engine is not None:
                engine.close()

    def _finish(self, engine: LivenessEngine, verdict: LivenessVerdict,
                frame: np.ndarray | None) -> None:
        if verdict.live and frame is not None and not engine.confirm_same_person(frame):
            from station.liveness import FailReason

            verdict = LivenessVerdict(False, FailReason.FACE_CHANGED, verdict.challenges,
                                      verdict.identity_checked, verdict.duration_s)
        live = verdict.live and frame is not None
        self.finished.emit(verdict, encode_jpeg(frame, 90) if live and frame is not None else None)
