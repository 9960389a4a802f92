"""Network work of the review pages, off the GUI thread.

One ``ReviewBackend`` per page owns a small thread pool and the authenticated client (made
lazily by the page's ``client_factory`` on a worker, since signing in is network too).
``call(work, on_result, on_error)`` runs ``work(client)`` on a worker and delivers the result
or the exception on the GUI thread through the station's one GUI-thread relay
(ui/workers.post). After ``shutdown()`` no callback runs any more, so a page that goes away
never receives a late answer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject

from station.sync.client import CentralClient
from ui.workers import post

log = logging.getLogger(__name__)
ClientFactory = Callable[[], CentralClient]
ResultHandler = Callable[[Any], None]
ErrorHandler = Callable[[BaseException], None]


class ReviewBackend(QObject):
    def __init__(self, client_factory: ClientFactory, parent: QObject | None = None,
                 workers: int = 2) -> None:
        super().__init__(parent)
        self._factory = client_factory
        self._client: CentralClient | None = None
        self._client_lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="review")
        self._closed = False
        self._pending: set[Future[Any]] = set()

    def client(self) -> CentralClient:
        """The authenticated client; call on a worker thread only."""
        with self._client_lock:
            if self._client is None:
                self._client = self._factory()
            return self._client

    def call(self, work: Callable[[CentralClient], Any],
             on_result: ResultHandler | None = None,
             on_error: ErrorHandler | None = None) -> Future[Any] | None:
        if self._closed:
            return None
        future = self._pool.submit(lambda: work(self.client()))
        self._pending.add(future)

        def finished(done: Future[Any]) -> None:
            error = done.exception()
            if error is not None:
                post(self._deliver, (on_error, error, True))
            else:
                post(self._deliver, (on_result, done.result(), False))

        future.add_done_callback(finished)
        return future

    def _deliver(self, answer: tuple[Callable[[Any], None] | None, Any, bool]) -> None:
        handler, value, is_error = answer
        self._pending = {f for f in self._pending if not f.done()}
        if self._closed:
            return
        if handler is not None:
            handler(value)
        elif is_error:
            log.warning("review request failed: %r", value)

    def abandon(self, last_work: Callable[[CentralClient], Any] | None = None) -> None:
        """The owning page is being destroyed: run ``last_work`` (e.g. release a lease) on a
        worker, deliver nothing more, and let the workers end on their own. Touches only
        Python state, so it is safe from the page's ``destroyed`` signal."""
        if self._closed:
            return
        self._closed = True
        if last_work is not None:
            self._pool.submit(lambda: last_work(self.client()))
        self._pool.shutdown(wait=False)

    def busy(self) -> bool:
        return any(not f.done() for f in self._pending)

    def shutdown(self, wait: bool = True) -> None:
        """Stop delivering answers; let queued work (e.g. releasing a lease) finish."""
        self._closed = True
        self._pool.shutdown(wait=wait)
        if not wait:
            return  # queued work still needs the client
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None
