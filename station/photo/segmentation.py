"""Person masks (MediaPipe selfie segmentation): in the caller's thread for stills, or in a
helper thread for a camera stream so segmentation overlaps the landmark pass. On a stream the
helper also counts the faces in the frame (the tracking face mesh follows only one) and runs
the frame's background job (what does not need this frame's landmarks)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

SEGMENTATION_MAX_SIDE = 320


class PersonSegmenter:
    """Synchronous; confined to the thread that created it (MediaPipe graphs are)."""

    def __init__(self, *, landscape: bool = False) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        import mediapipe as mp

        # The landscape model (144x256 input) is faster and enough for a 16:9 camera frame.
        self._model = mp.solutions.selfie_segmentation.SelfieSegmentation(
            model_selection=1 if landscape else 0
        )

    def mask(self, bgr: np.ndarray) -> np.ndarray | None:
        """Person probability (float32, 0-1) for a copy no larger than 320 px."""
        if self._model is None:
            raise RuntimeError("segmenter is closed")
        height, width = bgr.shape[:2]
        factor = min(1.0, SEGMENTATION_MAX_SIDE / max(height, width))
        small = bgr
        if factor < 1.0:
            size = (max(1, round(width * factor)), max(1, round(height * factor)))
            small = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
        rgb = np.ascontiguousarray(cv2.cvtColor(small, cv2.COLOR_BGR2RGB))
        result = self._model.process(rgb).segmentation_mask
        return None if result is None else np.asarray(result, dtype=np.float32)

    def close(self) -> None:
        if self._model is not None:
            self._model.close()
            self._model = None


# How much nicer (Linux nice steps) the stream's helper runs than the analysis thread.
HELPER_NICE_STEPS = 5


def _yield_cores() -> None:
    """Lower this thread's priority (Linux: per thread; the threads it starts inherit it),
    so that the helper's work fills the time the analysis thread and the face mesh leave
    and does not delay them: on two cores it made a frame's landmarks 1.5 ms slower."""
    if not hasattr(os, "setpriority"):
        return
    tid = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + HELPER_NICE_STEPS))
    except OSError:  # not permitted here: run at the same priority
        pass


class FaceCounter:
    """How many faces a frame holds (MediaPipe's short-range face detector, about 1 ms on a
    640 px frame); confined to the thread that created it."""

    def __init__(self) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")
        import mediapipe as mp

        self._model = mp.solutions.face_detection.FaceDetection(
            model_selection=0, min_detection_confidence=0.5
        )

    def count(self, bgr: np.ndarray) -> int:
        rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        return len(self._model.process(rgb).detections or [])

    def close(self) -> None:
        self._model.close()


# The frame's own job: called in the helper thread with the frame and its mask.
FrameJob = Callable[[np.ndarray, "np.ndarray | None"], Any]


@dataclass(frozen=True)
class StreamResult:
    """What the helper made of one frame."""

    shape: tuple[int, ...]
    mask: np.ndarray | None
    faces: int | None  # faces the detector found (None: not counted)
    job_result: Any = None  # what the frame's job returned (None without one)


class BackgroundSegmenter:
    """Segments the newest submitted frame in its own thread (and, with ``count_faces``,
    counts its faces; with a job, runs it on the frame and its mask).

    ``mask(frame)`` / ``result(frame)`` hand the frame over (replacing any frame not yet
    started: no backlog) and return the newest finished result for frames of that shape, at
    most a few frames old; only the first call waits for one. ``every``: only every n-th
    submitted frame is taken (a person's outline and the background change slowly; the
    cores are better left to the face mesh, which follows blinks and the mouth).
    """

    def __init__(self, *, landscape: bool = True, first_wait: float = 2.0,
                 count_faces: bool = False, every: int = 1) -> None:  # fmt: skip
        self._landscape = landscape
        self._first_wait = first_wait
        self._count_faces = count_faces
        self._every = max(1, every)
        self._seen = 0
        self._condition = threading.Condition()
        self._pending: tuple[np.ndarray, FrameJob | None] | None = None
        self._submitted: np.ndarray | None = None
        self._result: StreamResult | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="photo-segmentation", daemon=True)
        self._thread.start()

    def submit(self, bgr: np.ndarray, job: FrameJob | None = None) -> None:
        """Start on ``bgr`` as soon as the helper is free (call early, fetch later)."""
        with self._condition:
            self._submitted = bgr
            self._seen += 1
            fresh = self._result is None or self._result.shape != bgr.shape
            if fresh or self._seen % self._every == 0:
                self._pending = (bgr, job)
                self._condition.notify_all()

    def mask(self, bgr: np.ndarray) -> np.ndarray | None:
        result = self.result(bgr)
        return None if result is None else result.mask

    def result(self, bgr: np.ndarray) -> StreamResult | None:
        with self._condition:
            if self._error is not None:
                raise RuntimeError("segmentation failed") from self._error
            if bgr is not self._submitted:
                self._submitted = bgr
                self._pending = (bgr, None)
                self._condition.notify_all()
            if self._result is None or self._result.shape != bgr.shape:
                self._condition.wait_for(
                    lambda: (
                        (self._result is not None and self._result.shape == bgr.shape)
                        or self._error is not None
                        or self._closed
                    ),
                    self._first_wait,
                )
            if self._result is None or self._result.shape != bgr.shape:
                return None
            return self._result

    def _run(self) -> None:
        _yield_cores()  # before the graphs start their threads: they inherit it
        segmenter = PersonSegmenter(landscape=self._landscape)
        counter = FaceCounter() if self._count_faces else None
        try:
            while True:
                with self._condition:
                    self._condition.wait_for(lambda: self._pending is not None or self._closed)
                    if self._closed:
                        return
                    pending, self._pending = self._pending, None
                assert pending is not None
                frame, job = pending
                mask = segmenter.mask(frame)
                faces = counter.count(frame) if counter is not None else None
                done = job(frame, mask) if job is not None else None
                with self._condition:
                    self._result = StreamResult(frame.shape, mask, faces, done)
                    self._condition.notify_all()
        except BaseException as exc:  # reported to the caller on its next mask() call
            with self._condition:
                self._error = exc
                self._condition.notify_all()
        finally:
            segmenter.close()
            if counter is not None:
                counter.close()

    def close(self, timeout: float = 5.0) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        self._thread.join(timeout)
