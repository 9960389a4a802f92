"""The running station without its UI: settings, events, database, devices, central link.

``StationRuntime.open(settings)`` is what main.py, the tests and command-line tools use; the Qt
UI only adds windows on top. Everything here is Qt-free.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import select

from devices.manager import DeviceManager
from station import enrolment, i18n, published
from station.config import Settings
from station.db.database import Database
from station.db.models import Station
from station.events import EventBus
from station.security.files import private_dir
from station.signin import OperatorAccounts
from station.sync.client import CentralClient
from station.sync.connection import open_client
from station.workflows import rules

log = logging.getLogger(__name__)


@dataclass
class StationRuntime:
    settings: Settings
    bus: EventBus
    db: Database
    devices: DeviceManager
    extras: dict[str, Any] = field(default_factory=dict)  # central, sync worker, ...

    @classmethod
    def open(
        cls, settings: Settings, start_devices: bool = True, start_sync: bool = True
    ) -> StationRuntime:
        data_dir = Path(settings.storage.data_dir)
        private_dir(data_dir)
        i18n.set_language(settings.ui.language)
        rules.built_in_rules()  # a broken routing rules file stops the start, not a commit
        bus = EventBus()
        # the central service's published configuration kept here (station.published)
        published.install_store(published.ConfigStore(data_dir / "config"))
        db = Database(settings.storage.resolved_database_url(), data_dir / "data.key", bus)
        db.write(lambda session: _ensure_station(session, settings))
        devices = DeviceManager(settings, bus)
        runtime = cls(settings=settings, bus=bus, db=db, devices=devices)
        if start_devices:
            devices.start()
        if start_sync:
            from app.sync import SyncRuntime

            sync = SyncRuntime(settings, db, bus)
            runtime.extras["sync"] = sync
            # the embedded central service migrates and starts while the window opens
            runtime.extras["sync_started"] = sync.start_in_background()
        log.info("station %s opened (profile %s)", settings.station.code, settings.profile)
        return runtime

    @cached_property
    def accounts(self) -> OperatorAccounts:
        """Operator sign-in: at the central service once enrolled, locally before."""
        return OperatorAccounts(self.settings, self.db)

    @property
    def sync(self) -> Any:
        """The SyncRuntime (app.sync), or None when sync was not started."""
        return self.extras.get("sync")

    def enrol(self, code: str, url: str | None = None) -> enrolment.EnrolmentResult:
        """Worker thread: enrol with the central service (and start syncing when sync runs).
        Raises CentralAddressError, EnrolmentRefused or CentralUnavailable."""
        if self.sync is not None:
            return self.sync.enrol(code, url)
        return enrolment.enrol(self.settings, self.db, code, url)

    def probe_central(self, url: str | None = None) -> enrolment.LinkProbe:
        """Worker thread: does the service at ``url`` answer, does it accept this station?"""
        if self.sync is not None:
            return self.sync.probe(url)
        with self.db.session() as session:
            stored = enrolment.read_enrolment(session, self.settings.station.code)
        target = (url or stored.url or self.settings.central.url or "").strip().rstrip("/")
        credential = stored.credential if stored.url == target else None
        return enrolment.probe_central(self.settings, target, credential)

    def review_client(self) -> CentralClient:
        """A fresh unauthenticated client of the central service (review pages, sign-out)."""
        if self.sync is not None:
            return self.sync.review_client()
        with self.db.session() as session:
            stored = enrolment.read_enrolment(session, self.settings.station.code)
        return open_client(self.settings.central, stored.url or self.settings.central.url)

    def link_status(self) -> dict[str, Any]:
        """Worker thread: what `python -m station status` reports, without asking the service."""
        return enrolment.link_status(self.settings, self.db, probe=False)

    def operators_changed(self) -> None:
        """Call after adding an operator (off the GUI thread): the demo's embedded central
        service gets the same accounts."""
        if self.sync is not None:
            self.sync.mirror_operators()

    def close(self) -> None:
        started = self.extras.pop("sync_started", None)
        if started is not None:
            try:
                started.result(timeout=60)  # never stop a service half-way through its start
            except Exception:
                log.warning("sync had not started cleanly", exc_info=True)
        for extra in reversed(list(self.extras.values())):
            stop = getattr(extra, "stop", None)
            if callable(stop):
                try:
                    stop()
                except Exception:
                    log.exception("stopping %s failed", type(extra).__name__)
        self.devices.stop()
        self.db.close()
        published.install_store(None)


def _ensure_station(session: Any, settings: Settings) -> None:
    station = session.scalar(select(Station).where(Station.code == settings.station.code))
    if station is None:
        session.add(
            Station(
                code=settings.station.code, name=settings.station.name,
                office=settings.station.office, mode=settings.station.mode,
                central_url=settings.central.url,
            )
        )
    else:
        station.name, station.office = settings.station.name, settings.station.office
        station.mode = settings.station.mode
