"""Keeps the lease of an open case: renews it on a timer (on a worker), releases it on close.

The server's clock rules the lease; the renew interval is a third of the lease the server
granted (measured on our clock at claim time), so two renewals may fail before it lapses. When
the clocks disagree too much to measure it, a default interval is used.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from station.sync.client import CentralClient, CentralError, CentralUnavailable
from ui.review.backend import ReviewBackend
from ui.review.format import parse_time

MIN_INTERVAL_MS, MAX_INTERVAL_MS, DEFAULT_INTERVAL_MS = 2_000, 120_000, 60_000


class LeaseKeeper(QObject):
    renewed = Signal(dict)  # the new lease
    lost = Signal(str)  # the case is no longer ours; message for the user
    trouble = Signal(str)  # a renewal could not reach the server (will retry)

    def __init__(self, backend: ReviewBackend, lease: dict[str, Any],
                 parent: QObject | None = None, interval_ms: int | None = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self.lease = dict(lease)
        self.case_id = str(lease["case_id"])
        self.active = True
        self.interval_ms = interval_ms or self._interval_for(lease)
        self._timer = QTimer(self)
        self._timer.setInterval(self.interval_ms)
        self._timer.timeout.connect(self.renew)
        self._timer.start()

    @staticmethod
    def _interval_for(lease: dict[str, Any]) -> int:
        until = parse_time(lease.get("lease_until"))
        seconds = (until - datetime.now(UTC)).total_seconds() if until else -1.0
        if not 3 <= seconds <= 3600:  # the clocks disagree: do not trust the estimate
            return DEFAULT_INTERVAL_MS
        return int(min(MAX_INTERVAL_MS, max(MIN_INTERVAL_MS, seconds * 1000 / 3)))

    def renew(self) -> None:
        if not self.active:
            return
        case_id, token = self.case_id, self.lease["lease_token"]
        self._backend.call(lambda client: client.renew(case_id, token), self._renewed,
                           self._renew_failed)

    def _renewed(self, lease: dict[str, Any]) -> None:
        if self.active:
            self.lease = dict(lease)
            self.renewed.emit(self.lease)

    def _renew_failed(self, error: BaseException) -> None:
        if not self.active:
            return
        if isinstance(error, CentralUnavailable) or not isinstance(error, CentralError):
            message = error.message if isinstance(error, CentralError) else str(error)
            self.trouble.emit(message)
            return
        self.stop()
        self.lost.emit(error.message)

    def stop(self) -> None:
        """No more renewals (the case was decided or the lease is lost)."""
        self.active = False
        self._timer.stop()

    def release(self, then: Callable[[], None] | None = None) -> None:
        """Give the case back to the queue (best effort: an expiring lease does it too);
        ``then`` runs on the GUI thread once the server has answered."""
        if not self.active:
            if then is not None:
                then()
            return
        self.stop()
        case_id, token = self.case_id, self.lease["lease_token"]

        def give_back(client: CentralClient) -> None:
            client.release(case_id, token)

        def done(_outcome: object) -> None:
            if then is not None:
                then()

        self._backend.call(give_back, done, done)
