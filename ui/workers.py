"""Running work off the GUI thread, and the one way results come back onto it.

``post(callback, value)`` is the station's single GUI-thread relay: any thread may call it;
``callback(value)`` then runs on the GUI thread, in the order things were posted. Everything
that crosses over uses it: ``run_async`` (work on a pool of Python worker threads),
``watch_future`` (a concurrent.futures.Future, e.g. from Database.submit or a DbOp), the
EventBridge (core events), the review pages' network calls (ui/review/backend.py).
Posts are queued and drained in batches: one queued Qt signal per batch, not per item (a
signature pad sends a hundred samples a second), and a flood cannot starve the event loop
(what arrives during a drain waits for the next turn of the loop).

Why not QThreadPool for the work: its threads outlive the Python thread state PySide creates
for each task. pybind11 extensions (dlib, mediapipe) remember a thread's state and, when the
same OS thread comes back with a new one, wait for a GIL the thread already holds: the whole
process hangs (seen in the face match). Python's own pool threads keep one thread state for
their life.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; ``post`` from anywhere, callbacks run there."""

    _wake = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._queue: deque[tuple[Callable[[Any], Any], Any]] = deque()
        self._scheduled = False
        # queued even from the GUI thread: a drain never runs inside the code that posted
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def post(self, callback: Callable[[Any], Any], value: Any) -> None:
        with self._lock:
            self._queue.append((callback, value))
            if self._scheduled:
                return
            self._scheduled = True
        try:
            self._wake.emit()
        except RuntimeError:  # the application is shutting down and the relay is gone
            log.debug("result dropped: the GUI relay no longer exists")

    def _drain(self) -> None:
        with self._lock:
            batch = list(self._queue)
            self._queue.clear()
        for callback, value in batch:
            if not _receiver_alive(callback):
                continue  # a page closed while its work ran: its widget is gone
            try:
                callback(value)
            except Exception:  # one failing receiver must not stop the others
                log.exception("GUI callback %s failed", getattr(callback, "__qualname__", callback))
        with self._lock:
            again = bool(self._queue)
            self._scheduled = again
        if again:
            self._wake.emit()  # the rest after the events that arrived meanwhile


def _receiver_alive(callback: Callable[..., Any]) -> bool:
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


_relay_lock = threading.Lock()
_relay: _Relay | None = None


def _gui_relay() -> _Relay:
    global _relay
    with _relay_lock:
        if _relay is None or not shiboken6.isValid(_relay):
            _relay = _Relay()
            app = QCoreApplication.instance()
            if app is not None and _relay.thread() is not app.thread():
                _relay.moveToThread(app.thread())  # first used from a worker thread
        return _relay


def post(callback: Callable[[Any], Any], value: Any = None) -> None:
    """Run ``callback(value)`` on the GUI thread (dropped if its widget has been deleted)."""
    _gui_relay().post(callback, value)


_gui_relay()  # made while importing, on the GUI thread


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
    """``on_result(value)`` or ``on_error(exception)`` on the GUI thread when ``future`` is
    done; an error nobody handles is logged."""

    def finished(done: Future[Any]) -> None:
        error = done.exception()
        if error is None:
            if on_result is not None:
                post(on_result, done.result())
        elif on_error is not None:
            post(on_error, error)
        else:
            log.error("background task failed: %r", error)

    future.add_done_callback(finished)
