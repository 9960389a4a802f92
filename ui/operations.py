"""Database work from a screen, after Anki's aqt/operations: a small operation object run
off the GUI thread, with success and failure callbacks on it.

    DbOp(runtime.db, lambda s: cases.commit_case(s, case_id, actor)) \\
        .success(self._committed).failure(self._not_saved).run()

The work runs on the database's writer thread inside one transaction; ``success(result)``
or ``failure(error)`` then runs on the GUI thread (dropped when the widget it belongs to was
deleted meanwhile). A failure without a handler is logged.

What the work changed is not the screen's to tell: the core announces it
(station.db.database.announce, e.g. cases.commit_case) and the database publishes it on the
station's EventBus once the transaction committed. Views hear it through the EventBridge
(ui/event_bridge.py): that is the one "something changed" hook, whoever ran the work.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from station.db.database import Database
from ui.workers import watch_future

log = logging.getLogger(__name__)
T = TypeVar("T")


class DbOp(Generic[T]):
    def __init__(self, database: Database, work: Callable[[Session], T]) -> None:
        self._database = database
        self._work = work
        self._on_success: Callable[[T], Any] | None = None
        self._on_failure: Callable[[BaseException], Any] | None = None

    def success(self, callback: Callable[[T], Any]) -> DbOp[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], Any]) -> DbOp[T]:
        self._on_failure = callback
        return self

    def run(self) -> Future[T] | None:
        """Queue the work; returns its Future, or None when the database is already closed:
        the station is shutting down and nobody is left to answer (a self-service draft
        left behind is cancelled at the next start)."""
        try:
            future = self._database.submit(self._work)
        except RuntimeError as exc:  # the writer was shut down
            log.warning("database work refused while shutting down: %s", exc)
            return None
        watch_future(future, self._on_success, self._on_failure or _log_failure)
        return future


def _log_failure(error: BaseException) -> None:
    log.error("database work failed: %s", error)
