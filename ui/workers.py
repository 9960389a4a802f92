"""Running work off the GUI thread and getting the result back on it.

``run_async`` puts a callable on the global QThreadPool; ``watch_future`` adapts a
concurrent.futures.Future (e.g. from Database.submit) to Qt. Either way the callbacks run on
the GUI thread, delivered by a queued signal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

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


class _Task(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work, self._relay = work, relay

    def run(self) -> None:
        try:
            value = self._work()
        except BaseException as exc:  # delivered to the GUI thread, never lost
            _emit(self._relay.failed, exc)
        else:
            _emit(self._relay.done, value)


def _emit(signal: Any, value: object) -> None:
    try:
        signal.emit(value)
    except RuntimeError:  # the application is shutting down and the relay is gone
        log.debug("result dropped: its receiver no longer exists")


def run_async(
    work: Callable[[], Any],
    on_result: Callable[[Any], None] | None = None,
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    QThreadPool.globalInstance().start(_Task(work, _Relay(on_result, on_error)))


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
