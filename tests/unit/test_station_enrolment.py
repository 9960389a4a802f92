"""`python -m station enrol` / `status` against a running central service (the embedded one,
on SQLite): the credential is stored sealed, wrong, used and expired codes exit non-zero
with a message, an unreachable or refused address says so; and the address rules."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Protocol

import pytest

from central import accounts, schemas
from central.db import make_engine, session_factory
from central.embedded import EmbeddedCentral
from central.models import utcnow
from station.config import load_settings
from station.db.database import Database
from station.enrolment import enrol, link_status, read_enrolment
from station.sync.connection import CentralAddressError, check_central_url
from tests.helpers.processes import run_module


class HasDatabase(Protocol):
    db_url: str


@pytest.fixture
def central(tmp_path: Path) -> Iterator[EmbeddedCentral]:
    service = EmbeddedCentral(f"sqlite:///{tmp_path / 'central' / 'c.sqlite3'}",
                              tmp_path / "central")
    service.start()
    yield service
    service.stop()


def write_settings(path: Path, data_dir: Path, url: str, code: str = "GZ-TJ-0101",
                   extra: str = "") -> Path:
    path.write_text(
        f'[station]\ncode = "{code}"\nname = "天河 1 号窗口"\n'
        f'[storage]\ndata_dir = "{data_dir}"\n'
        f'[central]\nurl = "{url}"\ntimeout_s = 3\n{extra}'
        '[ui]\nlanguage = "en"\n', encoding="utf-8")
    return path


def station_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return run_module("station", *args)


def issue_code(central: HasDatabase, station_code: str, hours_ago: float = 0.0) -> str:
    """A one-time code as the central administrator gets it (issued ``hours_ago``, valid
    for 72 hours)."""
    if not hours_ago:
        result = run_module("central", "enrolment-code", "--db", central.db_url, station_code,
                            "--name", "天河 1 号窗口")
        assert result.returncode == 0, result.stderr
        return result.stdout.split()[0]
    engine = make_engine(central.db_url, pool_size=1)
    with session_factory(engine).begin() as session:
        issued = accounts.issue_enrolment_code(
            session, schemas.EnrolmentCodeIn(station_code=station_code), None,
            utcnow() - timedelta(hours=hours_ago), 72.0)
    engine.dispose()
    return issued.code


def test_enrol_stores_the_credential_sealed_and_status_reports_it(
        central: EmbeddedCentral, tmp_path: Path) -> None:
    data_dir = tmp_path / "station"
    config = write_settings(tmp_path / "station.toml", data_dir, central.base_url or "")

    before = station_cli("status", "--config", str(config), "--json")
    assert before.returncode == 0, before.stderr
    report = json.loads(before.stdout)
    assert report["enrolled"] is False and report["central"] == "reachable"
    assert report["station_code"] == "GZ-TJ-0101" and report["pending_cases"] == 0
    assert report["last_sync"] is None
    assert not (data_dir / "station.sqlite3").exists()  # status creates nothing

    code = issue_code(central, "GZ-TJ-0101")
    done = station_cli("enrol", "--config", str(config), "--code", code.lower())
    assert done.returncode == 0, done.stderr
    assert "GZ-TJ-0101" in done.stdout and central.base_url in done.stdout

    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(), data_dir / "data.key")
    with database.session() as session:
        stored = read_enrolment(session, "GZ-TJ-0101")
    database.close()
    assert stored.enrolled and stored.url == central.base_url and stored.credential
    raw = sqlite3.connect(data_dir / "station.sqlite3").execute(
        "select central_credential from stations").fetchone()[0]
    assert stored.credential not in str(raw)  # sealed, not in clear

    after = json.loads(station_cli("status", "--config", str(config), "--json").stdout)
    assert after["enrolled"] is True and after["central"] == "reachable"
    assert after["central_url"] == central.base_url and after["enrolled_at"]

    used = station_cli("enrol", "--config", str(config), "--code", code)
    assert used.returncode == 3 and "has been used already" in used.stderr
    assert stored_credential(config) == stored.credential  # a refusal keeps the credential


def stored_credential(config: Path) -> str | None:
    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(),
                        Path(settings.storage.data_dir) / "data.key")
    with closing(database), database.session() as session:
        return read_enrolment(session, settings.station.code).credential


def test_wrong_expired_and_foreign_codes_exit_non_zero_with_a_message(
        central: EmbeddedCentral, tmp_path: Path) -> None:
    config = write_settings(tmp_path / "station.toml", tmp_path / "station",
                            central.base_url or "")
    wrong = station_cli("enrol", "--config", str(config), "--code", "AAAA-BBBB-CCCC-DDDD")
    assert wrong.returncode == 3 and "enrolment code is wrong" in wrong.stderr
    expired = station_cli("enrol", "--config", str(config), "--code",
                          issue_code(central, "GZ-TJ-0101", hours_ago=73))
    assert expired.returncode == 3 and "has expired" in expired.stderr
    foreign = station_cli("enrol", "--config", str(config), "--code",
                          issue_code(central, "GZ-TJ-0999"))
    assert foreign.returncode == 3 and "another station than GZ-TJ-0101" in foreign.stderr
    assert stored_credential(config) is None


def test_unreachable_and_refused_addresses(tmp_path: Path) -> None:
    down = write_settings(tmp_path / "down.toml", tmp_path / "s1", "http://127.0.0.1:9")
    result = station_cli("enrol", "--config", str(down), "--code", "AAAA-BBBB-CCCC-DDDD")
    assert result.returncode == 4 and "cannot be reached" in result.stderr
    status = json.loads(station_cli("status", "--config", str(down), "--json").stdout)
    assert status["central"] == "unreachable" and status["enrolled"] is False

    plain = write_settings(tmp_path / "plain.toml", tmp_path / "s2", "http://10.20.30.40:8600")
    result = station_cli("enrol", "--config", str(plain), "--code", "AAAA-BBBB-CCCC-DDDD")
    assert result.returncode == 2 and "https://" in result.stderr

    none = tmp_path / "none.toml"
    none.write_text(f'[storage]\ndata_dir = "{tmp_path / "s3"}"\n', encoding="utf-8")
    status = json.loads(station_cli("status", "--config", str(none), "--json").stdout)
    assert status["central"] == "not configured" and status["enrolled"] is False


@pytest.mark.parametrize(("url", "allowed"), [
    ("https://central.example.gov.cn", True),
    ("https://10.0.0.5:8443/", True),
    ("http://127.0.0.1:8600", True),
    ("http://localhost:8600", True),
    ("http://[::1]:8600", True),
    ("http://central.example.gov.cn", False),
    ("http://10.0.0.5:8600", False),
    ("ftp://central.example.gov.cn", False),
    ("https://user:secret@central.example.gov.cn", False),
    ("https://", False),
    ("https://host:port", False),
    ("", False),
])
def test_central_address_rules(url: str, allowed: bool) -> None:
    if allowed:
        assert check_central_url(url) == url.rstrip("/")
    else:
        with pytest.raises(CentralAddressError):
            check_central_url(url)


def test_plain_http_to_another_host_only_when_explicitly_allowed() -> None:
    assert check_central_url("http://10.0.0.5:8600", allow_insecure_http=True)
    with pytest.raises(CentralAddressError, match="allow_insecure_http"):
        check_central_url("http://10.0.0.5:8600")


def test_a_running_station_starts_syncing_once_enrolled_from_the_command_line(
        central: EmbeddedCentral, tmp_path: Path) -> None:
    from app.sync import SyncRuntime
    from station.events import EventBus, SyncStatusChanged

    config = write_settings(tmp_path / "station.toml", tmp_path / "station",
                            central.base_url or "", extra="sync_interval_s = 0.3\n")
    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(),
                        tmp_path / "station" / "data.key")
    bus = EventBus()
    events: list[SyncStatusChanged] = []
    bus.subscribe(SyncStatusChanged, events.append)
    runtime = SyncRuntime(settings, database, bus)
    runtime.start()
    try:
        assert runtime.worker is None and events[-1].link == "not_enrolled"
        done = station_cli("enrol", "--config", str(config), "--code",
                           issue_code(central, "GZ-TJ-0101"))
        assert done.returncode == 0, done.stderr
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(e.online for e in events):
            time.sleep(0.1)
        assert runtime.worker is not None and any(e.online for e in events)
        status = json.loads(station_cli("status", "--config", str(config), "--json").stdout)
        assert status["last_sync"] and status["credential"] == "active"  # asked the service
    finally:
        runtime.stop()
        database.close()


def wait_until(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


@pytest.mark.error_logs_expected(r"central refused the station credential")
def test_a_disabled_station_keeps_its_cases_and_says_so_until_enabled(
        central: EmbeddedCentral, tmp_path: Path) -> None:
    from app.sync import SyncRuntime
    from central import stations
    from station.db.models import OutboxItem, OutboxState
    from station.events import EventBus, SyncStatusChanged
    from tests.unit.test_sync_outbox import make_case

    config = write_settings(tmp_path / "station.toml", tmp_path / "station",
                            central.base_url or "", code="ST-T", extra="sync_interval_s = 0.2\n")
    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(),
                        tmp_path / "station" / "data.key")
    enrol(settings, database, issue_code(central, "ST-T"))
    bus = EventBus()
    events: list[SyncStatusChanged] = []
    bus.subscribe(SyncStatusChanged, events.append)
    runtime = SyncRuntime(settings, database, bus)
    runtime.start()
    engine = make_engine(central.db_url, pool_size=1)

    def set_disabled(disabled: bool) -> None:
        with session_factory(engine).begin() as session:
            stations.set_disabled(session, "ST-T", disabled, None, utcnow())

    def outbox_states() -> list[str]:
        with database.session() as session:
            return [str(item.state) for item in session.query(OutboxItem)]

    try:
        wait_until(lambda: any(e.online for e in events))
        set_disabled(True)
        make_case(database, "DIS-1")
        assert runtime.worker is not None
        runtime.worker.wake()
        wait_until(lambda: bool(events) and events[-1].link == "disabled")
        assert "disabled" in events[-1].detail or "停用" in events[-1].detail
        assert outbox_states() == [OutboxState.PENDING.value]  # kept, never refused as dead
        status = link_status(settings, database)
        assert status["credential"] == "disabled" and status["pending_cases"] == 1

        set_disabled(False)
        runtime.worker.wake()
        wait_until(lambda: outbox_states() == [OutboxState.DELIVERED.value])
        wait_until(lambda: events[-1].online and events[-1].link == "")
        with session_factory(engine)() as session:
            listed = {row.code: row for row in stations.list_stations(session)}
        assert listed["ST-T"].state == "active" and listed["ST-T"].last_seen_at is not None
    finally:
        runtime.stop()
        database.close()
        engine.dispose()
