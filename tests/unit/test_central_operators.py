"""Operators live at the central service: an enrolled station signs them in there, keeps a
sealed offline verifier for outages (with a grace period), and mirrors the roster at each sync,
so disabling or locking an operator centrally reaches the station within one sync interval.
A station that is not enrolled keeps its first-start local administrator."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.sync import SyncRuntime
from central import accounts, roster, stations
from central.db import make_engine, session_factory
from central.embedded import EmbeddedCentral
from central.models import utcnow
from station.config import Settings, load_settings
from station.db.database import Database
from station.db.models import Operator, Role
from station.enrolment import enrol
from station.events import EventBus, OperatorsRevoked
from station.operators import AccountError, create_operator
from station.signin import OperatorAccounts
from tests.unit.test_station_enrolment import issue_code, write_settings

HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("clerk-pass-1")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Station:
    settings: Settings
    database: Database
    accounts: OperatorAccounts
    clock: Clock
    central: EmbeddedCentral

    def central_write(self, work) -> None:  # type: ignore[no-untyped-def]
        engine = make_engine(self.central.db_url, pool_size=1)
        with session_factory(engine).begin() as session:
            work(session)
        engine.dispose()

    def operator(self, username: str) -> Operator | None:
        with self.database.session() as session:
            return session.scalar(select(Operator).where(Operator.username == username))


@pytest.fixture
def central(tmp_path: Path) -> Iterator[EmbeddedCentral]:
    service = EmbeddedCentral(f"sqlite:///{tmp_path / 'central' / 'c.sqlite3'}",
                              tmp_path / "central", dispatch_notifications=False)
    service.start()
    yield service
    service.stop()


@pytest.fixture
def station(central: EmbeddedCentral, tmp_path: Path) -> Iterator[Station]:
    config = write_settings(tmp_path / "station.toml", tmp_path / "station",
                            central.base_url or "", code="ST-OP",
                            extra="sync_interval_s = 0.3\n")
    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(), tmp_path / "station" / "k")
    clock = Clock()
    rig = Station(settings, database, OperatorAccounts(settings, database, clock), clock, central)
    rig.central_write(lambda s: [accounts.upsert_user_hash(s, name, f"{name} 警官", role, HASH)
                                 for name, role in (("clerk1", "clerk"), ("sup1", "supervisor"))])
    enrol(settings, database, issue_code(central, "ST-OP"))
    yield rig
    database.close()


def test_an_enrolled_station_signs_operators_in_at_the_central_service(station: Station) -> None:
    assert station.accounts.central_mode() and not station.accounts.first_run()
    signed = station.accounts.sign_in("clerk1", "clerk-pass-1")
    assert not signed.offline and signed.token and signed.operator.role == Role.CLERK
    assert signed.operator.display_name == "clerk1 警官"
    op = station.operator("clerk1")
    assert op is not None and op.source == "central" and op.offline_verifier
    raw = sqlite3.connect(str(station.settings.storage.resolved_database_url()).split("///")[1]) \
        .execute("select offline_verifier, password_hash from operators").fetchone()
    assert "argon2" not in str(raw[0]) and raw[1] == "!central"  # sealed; no local password

    with pytest.raises(AccountError, match=r"Wrong user name or password|用户名或密码错误"):
        station.accounts.sign_in("clerk1", "wrong-password")
    with pytest.raises(AccountError):
        station.accounts.create_first_admin("admin", "管理员", "admin-pass-1")


def test_offline_sign_in_within_the_grace_period_only(station: Station) -> None:
    station.accounts.sign_in("clerk1", "clerk-pass-1")
    station.central.stop()  # the central service goes away
    try:
        signed = station.accounts.sign_in("clerk1", "clerk-pass-1")
        assert signed.offline and signed.token is None
        with pytest.raises(AccountError, match=r"Wrong|错误"):
            station.accounts.sign_in("clerk1", "wrong-password")
        with pytest.raises(AccountError, match=r"not signed in at this station|未在本工作站"):
            station.accounts.sign_in("sup1", "clerk-pass-1")  # never signed in here
        station.clock.now += timedelta(hours=station.settings.security.offline_grace_hours + 1)
        with pytest.raises(AccountError, match=r"too long ago|过久"):
            station.accounts.sign_in("clerk1", "clerk-pass-1")
    finally:
        station.central.start()


def test_repeated_wrong_offline_passwords_lock_the_account(station: Station) -> None:
    station.accounts.sign_in("clerk1", "clerk-pass-1")
    station.central.stop()
    try:
        for _ in range(station.settings.security.max_failed_logins):
            with pytest.raises(AccountError):
                station.accounts.sign_in("clerk1", "wrong-password")
        with pytest.raises(AccountError, match=r"locked|锁定"):
            station.accounts.sign_in("clerk1", "clerk-pass-1")
    finally:
        station.central.start()


def test_a_central_lock_also_refuses_the_offline_sign_in(station: Station) -> None:
    station.accounts.sign_in("clerk1", "clerk-pass-1")
    for _ in range(5):  # the central service's limit
        with pytest.raises(AccountError):
            station.accounts.sign_in("clerk1", "wrong-password")
    with pytest.raises(AccountError, match=r"locked|锁定"):
        station.accounts.sign_in("clerk1", "clerk-pass-1")
    op = station.operator("clerk1")
    assert op is not None and op.central_locked_until is not None
    station.central.stop()
    try:
        with pytest.raises(AccountError, match=r"locked|锁定"):
            station.accounts.sign_in("clerk1", "clerk-pass-1")
    finally:
        station.central.start()


def test_a_disabled_station_signs_nobody_in(station: Station) -> None:
    station.central_write(lambda s: stations.set_disabled(s, "ST-OP", True, None, utcnow()))
    with pytest.raises(AccountError, match=r"disabled this station|停用"):
        station.accounts.sign_in("clerk1", "clerk-pass-1")


def test_disabling_an_operator_reaches_the_station_within_one_sync_interval(
        station: Station) -> None:
    station.accounts.sign_in("clerk1", "clerk-pass-1")
    bus = EventBus()
    revoked: list[OperatorsRevoked] = []
    bus.subscribe(OperatorsRevoked, revoked.append)
    runtime = SyncRuntime(station.settings, station.database, bus)
    runtime.start()
    try:
        assert runtime.worker is not None and runtime.worker.roster
        deadline = time.monotonic() + 10
        while station.operator("sup1") is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the roster mirrors operators who never signed in here too
        assert station.operator("sup1") is not None

        worker = runtime.worker
        worker.stop()  # rounds by hand from here: one round is one sync interval
        station.central_write(lambda s: roster.set_active(s, "clerk1", False, None, utcnow()))
        worker.run_once()
        assert [event.usernames for event in revoked] == [("clerk1",)]
        op = station.operator("clerk1")
        assert op is not None and not op.active and op.offline_verifier is None
    finally:
        runtime.stop()
    station.central.stop()  # and no offline sign-in is left either
    try:
        with pytest.raises(AccountError):
            station.accounts.sign_in("clerk1", "clerk-pass-1")
    finally:
        station.central.start()


def test_an_unenrolled_station_keeps_its_first_start_administrator(tmp_path: Path) -> None:
    config = write_settings(tmp_path / "s.toml", tmp_path / "s", "https://central.example.cn")
    settings = load_settings(config)
    database = Database(settings.storage.resolved_database_url(), tmp_path / "s" / "k")
    try:
        station_accounts = OperatorAccounts(settings, database)
        assert not station_accounts.central_mode() and station_accounts.first_run()
        signed = station_accounts.create_first_admin("admin", "管理员", "admin-pass-1")
        assert signed.operator.role == Role.ADMIN and signed.token is None
        assert not station_accounts.first_run()
        assert station_accounts.sign_in("admin", "admin-pass-1").operator.username == "admin"
    finally:
        database.close()


def test_an_enrolled_kiosk_takes_its_administrator_from_the_central_service(
        station: Station) -> None:
    from station.db.models import AuditEvent

    station.central_write(lambda s: accounts.upsert_user_hash(s, "admin1", "王管理员", "admin",
                                                              HASH))
    kiosk = station.accounts
    assert not kiosk.kiosk_admin_ready()  # nobody here could leave kiosk mode yet
    with pytest.raises(AccountError, match=r"enrolled|已注册"):
        kiosk.create_kiosk_admin("local", "本地管理员", "Kiosk-admin-77", "kiosk")
    with pytest.raises(AccountError, match=r"Only an administrator|管理员"):
        kiosk.adopt_kiosk_admin("clerk1", "clerk-pass-1")
    assert not kiosk.kiosk_admin_ready()
    assert kiosk.adopt_kiosk_admin("admin1", "clerk-pass-1").role == Role.ADMIN
    assert kiosk.kiosk_admin_ready()

    with pytest.raises(AccountError, match=r"not accepted|不正确|不被接受"):
        kiosk.unlock_kiosk("some-other-pass", "kiosk")
    assert kiosk.unlock_kiosk("clerk-pass-1", "kiosk").username == "admin1"
    with station.database.session() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert "kiosk.admin_refused" in actions


def test_a_kiosk_that_is_not_enrolled_creates_its_administrator(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 's.sqlite3'}", tmp_path / "k")
    try:
        kiosk = OperatorAccounts(Settings(), database)
        database.write(lambda s: create_operator(s, "clerk", "李警官", Role.CLERK,
                                                 "Clerk-pass-41"))
        assert not kiosk.central_mode() and not kiosk.kiosk_admin_ready()  # a clerk is not enough
        with pytest.raises(AccountError, match=r"8|至少"):
            kiosk.create_kiosk_admin("admin", "管理员", "short", "kiosk")  # the password policy
        assert not kiosk.kiosk_admin_ready()
        kiosk.create_kiosk_admin("admin", "王管理员", "Kiosk-admin-77", "kiosk")
        assert kiosk.kiosk_admin_ready()
        with pytest.raises(AccountError):
            kiosk.create_kiosk_admin("admin2", "又一个", "Kiosk-admin-78", "kiosk")
        with pytest.raises(AccountError):
            kiosk.unlock_kiosk("Clerk-pass-41", "kiosk")  # a clerk's password opens nothing
        assert kiosk.unlock_kiosk("Kiosk-admin-77", "kiosk").display_name == "王管理员"
    finally:
        database.close()
