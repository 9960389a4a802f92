"""Starting sync from the station runtime: the embedded central service (demo) and the worker.

    runtime = SyncRuntime(settings, database, bus)
    runtime.start_in_background()   # from the GUI thread (start() itself blocks ~1-2 s in demo)
    # cases.commit_case announces CaseChanged(state="committed"): the worker wakes at once
    client = runtime.review_client(); client.login(user, password)   # review-queue UI
    runtime.stop()

Demo (``settings.central.embedded`` or no ``central.url`` in demo mode): an EmbeddedCentral on
SQLite in ``<data_dir>/central`` is started; the station is registered with it, and the local
operators are mirrored (same argon2 hashes), so supervisors sign in to the review queue with
their station password. Otherwise the station uses ``settings.central.url`` and the
credential it obtained by enrolment (``runtime.enrol(code)``), stored encrypted in the
``stations`` row.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.config import Settings
from station.db.database import Database
from station.db.models import Operator, Station
from station.events import (
    CaseChanged,
    DeviceState,
    DeviceStatus,
    DeviceStatusEvent,
    EventBus,
    SyncStatusChanged,
)
from station.i18n import tr
from station.sync.client import CentralClient
from station.sync.worker import SyncWorker

log = logging.getLogger(__name__)


class SyncRuntime:
    def __init__(self, settings: Settings, database: Database, bus: EventBus) -> None:
        self.settings = settings
        self.database = database
        self.bus = bus
        self.embedded: Any = None  # central.embedded.EmbeddedCentral in demo mode
        self.worker: SyncWorker | None = None
        self.base_url: str | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def uses_embedded(self) -> bool:
        central = self.settings.central
        return central.embedded or (self.settings.demo and not central.url)

    def start(self) -> None:
        if self.uses_embedded:
            self._start_embedded()
        else:
            self.base_url = self.settings.central.url
        _url, credential = self._stored_credential()
        if not self.base_url or not credential:
            self._report_not_enrolled()
            return
        self._start_worker(credential)

    def _start_embedded(self) -> None:
        from central.embedded import EmbeddedCentral  # only demo needs it

        data_dir = Path(self.settings.storage.data_dir) / "central"
        self.embedded = EmbeddedCentral(f"sqlite:///{data_dir / 'central.sqlite3'}", data_dir)
        self.base_url = self.embedded.start()
        code = self.settings.station.code
        demo = self.embedded.bootstrap_demo(code, self.settings.station.name, self._seeds())
        self._store_credential(self.base_url, demo.credential)

    def _seeds(self) -> list[Any]:
        from central.embedded import SeedOperator

        with self.database.session() as session:
            return [SeedOperator(op.username, op.display_name, str(op.role), op.password_hash)
                    for op in session.query(Operator).filter_by(active=True)]

    def mirror_operators(self) -> None:
        """Demo only: copy the station's operators (and password hashes) to the embedded
        central service again, e.g. after the administrator added someone."""
        if self.embedded is not None:
            self.embedded.bootstrap_operators(self._seeds())

    def _stored_credential(self) -> tuple[str | None, str | None]:
        with self.database.session() as session:
            station = session.query(Station).filter_by(code=self.settings.station.code) \
                .one_or_none()
            if station is None:
                return None, None
            return station.central_url, station.central_credential

    def _store_credential(self, url: str, credential: str) -> None:
        station_settings = self.settings.station

        def store(session: Any) -> None:
            station = session.query(Station).filter_by(code=station_settings.code).one_or_none()
            if station is None:
                station = Station(code=station_settings.code, name=station_settings.name,
                                  office=station_settings.office, mode=station_settings.mode)
                session.add(station)
            station.central_url = url
            station.central_credential = credential
            station.enrolled_at = datetime.now(UTC)

        self.database.write(store)

    def enrol(self, code: str) -> None:
        """Enrol with the configured central service using an admin's one-time code, then
        start syncing. Raises CentralError / CentralUnavailable with a message to show."""
        if not self.base_url:
            self.base_url = self.settings.central.url
        if not self.base_url:
            raise ValueError(tr("Sync", "No central service address is configured."))
        with CentralClient(self.base_url, timeout=self.settings.central.timeout_s) as client:
            result = client.enrol(code, self.settings.station.code)
        self._store_credential(self.base_url, result["credential"])
        if self.worker is None:
            self._start_worker(result["credential"])

    def _start_worker(self, credential: str) -> None:
        assert self.base_url is not None
        client = CentralClient(self.base_url, token=credential,
                               timeout=self.settings.central.timeout_s)
        self.worker = SyncWorker(self.database, client, self.bus,
                                 interval_s=self.settings.central.sync_interval_s,
                                 office=self.settings.station.office)
        self.worker.start()
        # a workflow publishing CaseChanged(state="committed") gets the case sent right away
        self._unsubscribe = self.bus.subscribe(CaseChanged, self._on_case_changed)

    def _on_case_changed(self, event: CaseChanged) -> None:
        if event.state == "committed" and self.worker is not None:
            self.worker.wake()

    def start_in_background(self) -> Future[None]:
        """``start`` on a helper thread (it migrates and waits for /health in demo mode), for
        callers on the GUI thread; the Future carries any start-up error."""
        future: Future[None] = Future()

        def run() -> None:
            try:
                self.start()
            except Exception as exc:  # handed to the caller through the Future
                log.exception("sync start failed")
                future.set_exception(exc)
            else:
                future.set_result(None)

        threading.Thread(target=run, name="sync-start", daemon=True).start()
        return future

    def _report_not_enrolled(self) -> None:
        detail = tr("Sync", "This station is not enrolled with the central service yet.")
        self.bus.publish(SyncStatusChanged(pending=0, failed=0, online=False, detail=detail))
        self.bus.publish(DeviceStatusEvent(status=DeviceStatus(
            kind="central", state=DeviceState.DISABLED, detail=detail, name=self.base_url or "")))

    def _station_client(self) -> CentralClient:
        url, credential = self._stored_credential()
        if not (self.base_url or url) or not credential:
            raise ValueError(tr("Sync", "This station is not enrolled with the central service yet."))
        return CentralClient(self.base_url or url or "", token=credential,
                             timeout=self.settings.central.timeout_s)

    def start_verification(self, phone: str) -> str:
        """Worker thread: have the central service text a code to ``phone``; returns the
        request id to check the code against (the station never sees the code)."""
        with self._station_client() as client:
            return str(client.start_phone_verification(phone)["id"])

    def check_verification(self, verification_id: str, code: str) -> bool:
        with self._station_client() as client:
            return bool(client.check_phone_code(verification_id, code)["verified"])

    def review_client(self) -> CentralClient:
        """A fresh client for the review-queue UI (sign in with ``client.login``)."""
        if not self.base_url:
            raise ValueError(tr("Sync", "No central service address is configured."))
        return CentralClient(self.base_url, timeout=self.settings.central.timeout_s)

    def stop(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self.worker is not None:
            self.worker.stop()
            self.worker.client.close()
            self.worker = None
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None
