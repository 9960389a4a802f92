"""Running work off the GUI thread and getting the result back on it.

``run_async`` puts a callable on a pool of Python worker threads; ``watch_future`` adapts a
concurrent.futures.Future (e.g. from Database.submit) to Qt. Either way the callbacks run on
the GUI thread, delivered by a queued signal.

Why not QThreadPool: its threads outlive the Python thread state PySide creates for each task.
pybind11 extensions (dlib, mediapipe) remember a thread's state and, when the same OS thread
comes back with a new one, wait for a GIL the thread already holds: the whole process hangs
(seen in the face match). Python's own pool threads keep one thread state for their life.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)
_live: set[_Relay] = set()  # keep relays alive until their result is delivered


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_result: Callable[[Any], None] | None, on_error: Callable[[BaseException], None] | None
    ) -> None:
        super().__init__()
        self._on_result, self._on_error = on_result, on_error
        self.done.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)
        _live.add(self)

    def _deliver_result(self, value: object) -> None:
        _live.discard(self)
        if self._on_result is not None and _receiver_alive(self._on_result):
            self._on_result(value)

    def _deliver_error(self, error: object) -> None:
        _live.discard(self)
        if self._on_error is not None and _receiver_alive(self._on_error):
            self._on_error(error)  # type: ignore[arg-type]
        else:
            log.error("background task failed: %r", error)


def _receiver_alive(callback: Callable[..., Any]) -> bool:
    """A page closed while its work ran: a result for its deleted widget is dropped."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def _emit(signal: Any, value: object) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the application is shutting down and the relay is gone
        log.debug("result dropped: its receiver no longer exists")


_pool = ThreadPoolExecutor(max_workers=max(4, os.cpu_count() or 1), thread_name_prefix="ui-work")
_pending: set[Future[Any]] = set()
_pending_lock = threading.Lock()


def run_async(
    work: Callable[[], Any],
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    future = _pool.submit(work)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(_forget)
    watch_future(future, on_result, on_error)


def _forget(future: Future[Any]) -> None:
    with _pending_lock:
        _pending.discard(future)


def wait_for_background(timeout_s: float = 10.0) -> bool:
    """Wait until the work started with ``run_async`` has finished (tests, shutdown)."""
    with _pending_lock:
        futures = list(_pending)
    _done, not_done = wait(futures, timeout=timeout_s)
    return not not_done


def watch_future(
    future: Future[Any],
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    relay = _Relay(on_result, on_error)

    def finished(fut: Future[Any]) -> None:
        exc = fut.exception()
        if exc is not None:
            _emit(relay.failed, exc)
        else:
            _emit(relay.done, fut.result())

    future.add_done_callback(finished)
