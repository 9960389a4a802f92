"""One active-liveness attempt on a camera's frames, on a thread of its own (Qt-free).

The camera thread only drops frames into a one-frame mailbox (stale frames are replaced,
never queued). The worker thread builds the liveness engine itself (MediaPipe graphs are
thread-confined; station/liveness/engine.py), analyses the newest frame and reports the
session state after each one; at the end it reports the verdict with the frontal frame kept
as the live photo (JPEG). Reports go through ``deliver(callback, value)``: the UI passes its
GUI-thread relay (ui.workers.post), a test or a tool may pass ``lambda f, v: f(v)``. After
``stop()`` nothing more is reported.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from devices.camera.device import Frame, LatestFrame
from station.liveness import FailReason, LivenessVerdict, Phase, SessionState
from station.liveness.engine import EngineFactory, LivenessEngine, default_engine
from station.scans.page import encode_jpeg

log = logging.getLogger(__name__)
Deliver = Callable[[Callable[[Any], None], Any], None]


@dataclass(frozen=True)
class LivenessOutcome:
    verdict: LivenessVerdict
    live_jpeg: bytes | None  # the live photo; None unless the person passed
    captured_at: datetime | None = None  # when the camera took the live photo's frame
    camera: dict[str, Any] | None = None  # which camera took it (CameraIdentity.to_json)


class LivenessWorker:
    def __init__(self, camera: Any, engine_factory: EngineFactory | None, *,
                 deliver: Deliver, on_state: Callable[[SessionState], None],
                 on_finished: Callable[[LivenessOutcome], None],
                 on_failed: Callable[[str], None]) -> None:
        self._camera = camera
        self._factory = engine_factory or default_engine
        self._deliver = deliver
        self._on_state, self._on_finished, self._on_failed = on_state, on_finished, on_failed
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

    def _report(self, callback: Callable[[Any], None], value: Any) -> None:
        def unless_stopped(report: Any) -> None:
            if not self._stop.is_set():
                callback(report)

        self._deliver(unless_stopped, value)

    def _on_frame(self, frame: Frame) -> None:
        self._mailbox.put(frame)  # camera thread: hand over only

    def _run(self) -> None:
        engine: LivenessEngine | None = None
        try:
            engine = self._factory()
            best: Frame | None = None
            while not self._stop.is_set():
                frame = self._mailbox.take(timeout=0.2)
                if frame is None:
                    state = engine.poll(time.monotonic())
                else:
                    state = engine.process(frame.image, frame.timestamp)
                    if state.phase in (Phase.FINAL, Phase.DONE) or best is None:
                        best = frame  # the last frontal frame is the live photo
                if self._stop.is_set():
                    return
                self._report(self._on_state, state)
                if state.verdict is not None:
                    self._finish(engine, state.verdict, best)
                    return
        except Exception as exc:
            log.exception("kiosk liveness worker failed")
            self._report(self._on_failed, str(exc))
        finally:
            if engine is not None:
                engine.close()

    def _finish(self, engine: LivenessEngine, verdict: LivenessVerdict,
                frame: Frame | None) -> None:
        image = frame.image if frame is not None else None
        if verdict.live and image is not None and not engine.confirm_same_person(image):
            verdict = LivenessVerdict(False, FailReason.FACE_CHANGED, verdict.challenges,
                                      verdict.identity_checked, verdict.duration_s,
                                      verdict.simulated)
        if not verdict.live or frame is None or image is None:
            self._report(self._on_finished, LivenessOutcome(verdict, None))
            return
        camera = frame.camera.to_json() if frame.camera is not None else None
        self._report(self._on_finished, LivenessOutcome(
            verdict, encode_jpeg(image, 90), captured_at=frame.captured_at, camera=camera))
