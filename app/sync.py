"""Starting sync from the station runtime: the embedded central service (demo) and the worker.

    runtime = SyncRuntime(settings, database, bus)
    runtime.start_in_background()   # from the GUI thread (start() itself blocks ~1-2 s in demo)
    # cases.commit_case announces CaseChanged(state="committed"): the worker wakes at once
    client = runtime.review_client(); client.login(user, password)   # review-queue UI
    runtime.stop()

Demo (``settings.central.embedded`` or no ``central.url`` in demo mode): an EmbeddedCentral on
SQLite in ``<data_dir>/central`` is started; the station is registered with it, and the local
operators are mirrored (same argon2 hashes), so supervisors sign in to the review queue with
their station password. Otherwise the station uses the credential it obtained by enrolment
(``runtime.enrol(code)`` or ``python -m station enrol``), stored sealed in the ``stations``
row with the address it is valid for (station.enrolment); until then it says it is not
enrolled and looks for a credential once per sync interval.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any

from station import enrolment
from station.config import Settings
from station.db.database import Database
from station.db.models import Operator
from station.events import (
    CaseChanged,
    DeviceState,
    DeviceStatus,
    EventBus,
    SyncStatusChanged,
)
from station.i18n import tr
from station.sync.client import CentralClient
from station.sync.connection import CentralAddressError, open_client
from station.sync.worker import SyncWorker

log = logging.getLogger(__name__)


class SyncRuntime:
    def __init__(self, settings: Settings, database: Database, bus: EventBus) -> None:
        self.settings = settings
        self.database = database
        self.bus = bus
        self.embedded: Any = None  # central.embedded.EmbeddedCentral in demo mode
        self.traffic_system: Any = None  # its simulated traffic-management system (demo)
        self._upstream: dict[str, Any] = {}  # the central service's settings to reach it
        # the embedded service's clock, which a demo's training console can move forward
        self.central_clock: Callable[[], datetime] | None = None
        self.worker: SyncWorker | None = None
        self.base_url: str | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._worker_lock = threading.RLock()  # starting, replacing and stopping the worker
        self._stopped = threading.Event()
        self._watcher: threading.Thread | None = None

    @property
    def uses_embedded(self) -> bool:
        return enrolment.uses_embedded(self.settings)

    def start(self) -> None:
        self._stopped.clear()
        if self.uses_embedded:
            self._start_embedded()
        stored = self.stored_enrolment()
        self.base_url = enrolment.central_url_for(self.settings, stored) if not self.embedded \
            else self.base_url
        if not stored.enrolled or not stored.credential:
            self._report_not_enrolled()
            self._watch_for_enrolment()
            return
        self._start_worker(self.base_url or stored.url or "", stored.credential)

    def _start_embedded(self) -> None:
        from central.embedded import EmbeddedCentral  # only demo needs it
        from central.models import utcnow

        data_dir = Path(self.settings.storage.data_dir) / "central"
        if self.settings.demo and self.central_clock is None:
            from app.demo import CentralClock

            self.central_clock = CentralClock()
        if self.settings.demo and self.traffic_system is None:
            from app.demo_upstream import start_demo_traffic_system

            self.traffic_system, self._upstream = start_demo_traffic_system()
        upstream = self._upstream if self.traffic_system is not None else {}
        self.embedded = EmbeddedCentral(f"sqlite:///{data_dir / 'central.sqlite3'}", data_dir,
                                        clock=self.central_clock or utcnow, **upstream)
        self.base_url = self.embedded.start()
        code = self.settings.station.code
        demo = self.embedded.bootstrap_demo(code, self.settings.station.name, self._seeds())
        url = self.base_url
        self.database.write(lambda s: enrolment.store_enrolment(
            s, self.settings.station, url, demo.credential))

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

    def stored_enrolment(self) -> enrolment.StoredEnrolment:
        with self.database.session() as session:
            return enrolment.read_enrolment(session, self.settings.station.code)

    def enrol(self, code: str, url: str | None = None) -> enrolment.EnrolmentResult:
        """Worker thread: enrol with the central service at ``url`` (default: the settings'
        central.url) using an administrator's one-time code, then sync with the new
        credential. Raises CentralAddressError, EnrolmentRefused or CentralUnavailable with
        a message to show."""
        result = enrolment.enrol(self.settings, self.database, code, url)
        stored = self.stored_enrolment()
        with self._worker_lock:
            self.base_url = result.central_url
            self._stop_worker()
            if stored.credential and not self._stopped.is_set():
                self._start_worker(result.central_url, stored.credential)
        return result

    def probe(self, url: str | None = None) -> enrolment.LinkProbe:
        """Worker thread: does the service at ``url`` (default: the current one) answer, and
        does it accept this station's credential (when the station enrolled there)?"""
        stored = self.stored_enrolment()
        target = (url or self.base_url or self.settings.central.url or "").strip().rstrip("/")
        credential = stored.credential if stored.url and stored.url == target else None
        return enrolment.probe_central(self.settings, target, credential)

    def _start_worker(self, url: str, credential: str) -> None:
        with self._worker_lock:
            if self.worker is not None or self._stopped.is_set():
                return
            try:
                client = open_client(self.settings.central, url, token=credential)
            except CentralAddressError as exc:
                self._report_not_enrolled(str(exc))
                return
            self.worker = SyncWorker(self.database, client, self.bus,
                                     interval_s=self.settings.central.sync_interval_s,
                                     office=self.settings.station.office,
                                     station_code=self.settings.station.code,
                                     on_refused=self._credential_refused)
            # a real central service holds the operators; the demo's mirrors the station's
            self.worker.roster = not self.uses_embedded
            self.worker.start()
            if self._unsubscribe is None:
                # a workflow publishing CaseChanged(state="committed") gets the case sent at once
                self._unsubscribe = self.bus.subscribe(CaseChanged, self._on_case_changed)

    def _credential_refused(self, _exc: Exception) -> None:
        """Worker thread, after the service refused the credential: if the station was
        enrolled again meanwhile (e.g. with `python -m station enrol`), use the new one."""
        worker = self.worker
        stored = self.stored_enrolment()
        if worker is None or not stored.credential or not stored.url:
            return
        if stored.credential == worker.client.token and \
                stored.url == worker.client.base_url:
            return
        try:
            client = open_client(self.settings.central, stored.url, token=stored.credential)
        except CentralAddressError:
            log.exception("the newly enrolled central address is refused")
            return
        old, worker.client = worker.client, client
        self.base_url = stored.url
        old.close()
        log.info("picked up the station's new credential for %s", stored.url)
        worker.wake()

    def _watch_for_enrolment(self) -> None:
        """Not enrolled: look for a credential stored by `python -m station enrol` once per
        sync interval, and start syncing when one appears."""
        if self._watcher is not None and self._watcher.is_alive():
            return

        def watch() -> None:
            while not self._stopped.wait(self.settings.central.sync_interval_s):
                if self.worker is not None:
                    return
                stored = self.stored_enrolment()
                if stored.enrolled and stored.credential and stored.url:
                    self.base_url = stored.url
                    self._start_worker(stored.url, stored.credential)
                    return

        self._watcher = threading.Thread(target=watch, name="sync-enrolment-watch", daemon=True)
        self._watcher.start()

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

    def _report_not_enrolled(self, detail: str = "") -> None:
        detail = detail or tr("Sync", "This station is not enrolled with the central service yet.")
        self.bus.publish(SyncStatusChanged(
            status=DeviceStatus(kind="central", state=DeviceState.DISABLED, detail=detail,
                                name=self.base_url or ""),
            pending=0, failed=0, online=False, detail=detail, link="not_enrolled"))

    def _station_client(self) -> CentralClient:
        stored = self.stored_enrolment()
        url = self.base_url or stored.url
        if not url or not stored.credential:
            raise ValueError(tr("Sync", "This station is not enrolled with the central service yet."))
        return open_client(self.settings.central, url, token=stored.credential)

    def start_verification(self, phone: str) -> str:
        """Worker thread: have the central service text a code to ``phone``; returns the
        request id to check the code against (the station never sees the code)."""
        with self._station_client() as client:
            return str(client.start_phone_verification(phone)["id"])

    def check_verification(self, verification_id: str, code: str) -> bool:
        with self._station_client() as client:
            return bool(client.check_phone_code(verification_id, code)["verified"])

    def other_cases(self, id_number: str) -> dict[str, Any]:
        """Worker thread: the person's other open or recent cases at the central service
        (before a clerk submits); raises when it cannot be reached or the station is not
        enrolled."""
        with self._station_client() as client:
            return client.lookup_person(id_number)

    def review_client(self) -> CentralClient:
        """A fresh client for the review-queue UI (sign in with ``client.login``)."""
        if not self.base_url:
            raise ValueError(tr("Sync", "No central service address is configured."))
        return open_client(self.settings.central, self.base_url)

    def _stop_worker(self) -> None:
        with self._worker_lock:
            if self.worker is not None:
                self.worker.stop()
                self.worker.client.close()
                self.worker = None

    def stop(self) -> None:
        self._stopped.set()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._stop_worker()
        if self._watcher is not None:
            self._watcher.join(timeout=5)
            self._watcher = None
        if self.embedded is not None:
            self.embedded.stop()
            self.embedded = None
        if self.traffic_system is not None:
            self.traffic_system.stop()
            self.traffic_system = None
