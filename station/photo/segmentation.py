"""Person masks (MediaPipe selfie segmentation): in the caller's thread for stills, or in a
helper thread for a camera stream so segmentation overlaps the landmark pass."""

from __future__ import annotations

import os
import threading

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


class BackgroundSegmenter:
    """Segments the newest submitted frame in its own thread.

    ``mask(frame)`` hands the frame over (replacing any frame not yet started: no backlog) and
    returns the newest finished mask for frames of that shape, at most a frame or two old; only
    the first call waits for one.
    """

    def __init__(self, *, landscape: bool = True, first_wait: float = 2.0) -> None:
        self._landscape = landscape
        self._first_wait = first_wait
        self._condition = threading.Condition()
        self._pending: np.ndarray | None = None
        self._submitted: np.ndarray | None = None
        self._result: tuple[tuple[int, ...], np.ndarray | None] | None = None
        self._error: BaseException | None = None
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="photo-segmentation", daemon=True)
        self._thread.start()

    def submit(self, bgr: np.ndarray) -> None:
        """Start segmenting ``bgr`` as soon as the helper is free (call early, fetch later)."""
        with self._condition:
            self._pending = self._submitted = bgr
            self._condition.notify_all()

    def mask(self, bgr: np.ndarray) -> np.ndarray | None:
        with self._condition:
            if self._error is not None:
                raise RuntimeError("segmentation failed") from self._error
            if bgr is not self._submitted:
                self._pending = self._submitted = bgr
                self._condition.notify_all()
            if self._result is None or self._result[0] != bgr.shape:
                self._condition.wait_for(
                    lambda: (
                        (self._result is not None and self._result[0] == bgr.shape)
                        or self._error is not None
                        or self._closed
                    ),
                    self._first_wait,
                )
            if self._result is None or self._result[0] != bgr.shape:
                return None
            return self._result[1]

    def _run(self) -> None:
        segmenter = PersonSegmenter(landscape=self._landscape)
        try:
            while True:
                with self._condition:
                    self._condition.wait_for(lambda: self._pending is not None or self._closed)
                    if self._closed:
                        return
                    frame, self._pending = self._pending, None
                assert frame is not None
                mask = segmenter.mask(frame)
                with self._condition:
                    self._result = (frame.shape, mask)
                    self._condition.notify_all()
        except BaseException as exc:  # reported to the caller on its next mask() call
            with self._condition:
                self._error = exc
                self._condition.notify_all()
        finally:
            segmenter.close()

    def close(self, timeout: float = 5.0) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify_all()
        self._thread.join(timeout)
