"""How the station starts sync in demo mode: embedded central + enrolment + worker."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from app.sync import SyncRuntime
from station.config import Settings
from station.db.database import Database
from station.db.models import Operator, OutboxItem, OutboxState, Role, Station
from station.demo import demo_person
from station.events import CaseChanged, DeviceStatusEvent, EventBus, SyncStatusChanged
from tests.unit.test_sync_outbox import make_case

HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("password-123")


def test_demo_runtime_starts_embedded_central_and_delivers(
    settings: Settings, database: Database, tmp_path: Path,
) -> None:
    database.write(lambda s: s.add(Operator(username="sup1", display_name="主管",
                                            role=Role.SUPERVISOR, password_hash=HASH)))
    bus = EventBus()
    events: list[Any] = []
    bus.subscribe(SyncStatusChanged, events.append)
    bus.subscribe(DeviceStatusEvent, events.append)
    settings.central.sync_interval_s = 0.2
    runtime = SyncRuntime(settings, database, bus)
    runtime.start_in_background().result(timeout=30)
    try:
        assert runtime.uses_embedded and runtime.worker is not None
        assert (Path(settings.storage.data_dir) / "central" / "central.sqlite3").exists()
        with database.session() as session:
            station = session.query(Station).filter_by(code=settings.station.code).one()
            assert station.central_url == runtime.base_url and station.central_credential
        settings.central.sync_interval_s = 60  # only the event below can make it prompt
        runtime.worker.interval_s = 60
        case_id = make_case(database, "RT-1")
        bus.publish(CaseChanged(case_id=case_id, state="committed"))
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with database.session() as session:
                if session.query(OutboxItem).filter_by(state=OutboxState.DELIVERED).count():
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the case was not delivered")
        review = runtime.review_client()
        assert review.login("sup1", "password-123")["role"] == "supervisor"
        assert review.list_queue().total == 1
        # the demo's traffic system: the case's number has no photo there, a demo person has
        case_id = review.list_queue().items[0].case_id
        assert review.photo_on_file(case_id)["state"] == "not_found"
        number = demo_person().resident.id_number
        assert runtime.traffic_system.lookups == ["11010519491231002X"]
        on_file = runtime.embedded.app.state.central.upstream.photo_on_file(number)
        assert on_file is not None and on_file.photo[:2] == b"\xff\xd8"  # a JPEG
        review.close()
        assert any(isinstance(e, SyncStatusChanged) and e.online for e in events)
        assert any(isinstance(e, DeviceStatusEvent) and e.status.kind == "central"
                   for e in events)
    finally:
        runtime.stop()


def test_without_enrolment_the_station_says_so(settings: Settings, database: Database) -> None:
    settings.central.embedded = False
    settings.central.url = "http://127.0.0.1:9"
    settings.profile = "default"
    bus = EventBus()
    events: list[Any] = []
    bus.subscribe(SyncStatusChanged, events.append)
    runtime = SyncRuntime(settings, database, bus)
    runtime.start()
    assert runtime.worker is None
    assert events and not events[0].online
    assert events[0].detail in ("本工作站尚未在中心服务注册。",
                                "This station is not enrolled with the central service yet.")
    runtime.stop()


def test_a_committed_case_is_sent_at_once_without_waiting_for_the_next_round(
    settings: Settings,
) -> None:
    """cases.commit_case announces the commit and the runtime's database publishes it after
    the transaction: the worker wakes whichever screen (counter, kiosk, tool) committed."""
    from app.runtime import StationRuntime
    from station.workflows import cases
    from tests.unit.test_workflow_cases import JPEG, card_document, individual_until_signature

    settings.central.sync_interval_s = 60
    runtime = StationRuntime.open(settings, start_devices=False)
    try:
        runtime.extras["sync_started"].result(timeout=30)
        worker = runtime.sync.worker
        deadline = time.monotonic() + 20
        while worker.rounds < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker.rounds >= 1  # the next round is a minute away
        case_id = individual_until_signature(runtime.db, card_document(chip_image=JPEG), True)
        runtime.db.write(lambda s: cases.commit_case(s, case_id, "kiosk"))
        while time.monotonic() < deadline:
            with runtime.db.session() as session:
                if session.query(OutboxItem).filter_by(
                        case_id=case_id, state=OutboxState.DELIVERED).count():
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the committed case waited for the next sync round")
    finally:
        runtime.close()
