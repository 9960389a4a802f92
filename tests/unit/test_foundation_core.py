"""Events, logging redaction, field encryption, the audit chain, operators and the database."""

from __future__ import annotations

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from station import audit, operators
from station.db.database import Database
from station.db.models import Case, CaseKind, Person, Role
from station.events import CaseChanged, Event, EventBus
from station.logs import configure_logging, redact
from station.security.crypto import CryptoError, KeyRing, load_or_create_keyring


@pytest.mark.error_logs_expected(r"event handler failed for CaseChanged")
def test_event_bus_delivers_by_type_and_survives_a_bad_handler() -> None:
    bus = EventBus()
    got: list[Event] = []
    bus.subscribe(CaseChanged, lambda e: (_ for _ in ()).throw(RuntimeError("boom")))
    off = bus.subscribe(CaseChanged, got.append)
    bus.subscribe(Event, got.append)
    bus.publish(CaseChanged(case_id="c1", state="draft"))
    assert len(got) == 2
    off()
    bus.publish(CaseChanged(case_id="c2", state="draft"))
    assert len(got) == 3


def test_redaction_masks_personal_numbers() -> None:
    line = redact("id 11010519491231002X phone 13812345678 uscc 91350100M000100Y43 ok")
    assert "11010519491231002X" not in line and "13812345678" not in line
    assert "91350100M000100Y43" not in line
    assert "110105********002X" in line and "138****5678" in line


def test_json_log_lines_are_redacted(tmp_path: Path) -> None:
    log_file = configure_logging(tmp_path, "INFO")
    logging.getLogger("test").info("reading card %s", "11010519491231002X")
    for handler in logging.getLogger().handlers:
        handler.flush()
    entry = json.loads(log_file.read_text(encoding="utf-8").strip().splitlines()[-1])
    assert entry["msg"] == "reading card 110105********002X"
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "_station", False):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_keyring_round_trip_rotation_and_tamper(tmp_path: Path) -> None:
    key_file = tmp_path / "data.key"
    ring = load_or_create_keyring(key_file)
    assert key_file.stat().st_mode & 0o777 == 0o600
    blob = ring.encrypt(b"11010519491231002X")
    assert b"1101051949" not in blob
    rotated = ring.with_new_key()
    assert rotated.decrypt(blob) == b"11010519491231002X" and rotated.needs_rotation(blob)
    tampered = bytearray(blob)
    tampered[-1] ^= 1
    with pytest.raises(CryptoError):
        ring.decrypt(bytes(tampered))
    with pytest.raises(CryptoError):
        KeyRing({9: b"k" * 32}).decrypt(blob)


def test_personal_data_is_encrypted_in_the_database(database: Database) -> None:
    def add(session):  # type: ignore[no-untyped-def]
        case = Case(number="T-1", kind=CaseKind.INDIVIDUAL, station_code="S1")
        case.people.append(Person(name="张三", address="北京市海淀区"))
        session.add(case)
        session.flush()
        return case.id

    case_id = database.write(add)
    with database.session() as session:
        raw = session.execute(text("select name from people")).scalar_one()
        assert "张三".encode() not in raw
        person = session.scalar(select(Person).where(Person.case_id == case_id))
        assert person is not None and person.name == "张三"


def test_writes_run_on_the_single_writer_thread(database: Database) -> None:
    names = {database.write(lambda _s: threading.current_thread().name) for _ in range(5)}
    assert len(names) == 1 and names.pop().startswith("db-writer")


def test_audit_chain_detects_edits_and_removals(database: Database) -> None:
    def add(session):  # type: ignore[no-untyped-def]
        for i in range(5):
            audit.record(session, "clerk1", "case.step", case_id=f"c{i}", details={"step": i})

    database.write(add)
    with database.session() as session:
        assert audit.verify_chain(session) == []
    database.write(lambda s: s.execute(text(
        "update audit_events set details = '{\"step\": 99}' where seq = 3")))
    with database.session() as session:
        assert [p.problem for p in audit.verify_chain(session)] == ["edited"]
    database.write(lambda s: s.execute(text("delete from audit_events where seq = 2")))
    with database.session() as session:
        assert {p.problem for p in audit.verify_chain(session)} == {"edited", "missing_or_reordered"}


def test_operator_login_lockout_and_roles(database: Database) -> None:
    database.write(lambda s: operators.create_operator(s, "admin", "管理员", Role.ADMIN, "correct horse"))
    with pytest.raises(operators.AccountError):
        database.write(lambda s: operators.create_operator(s, "admin", "x", Role.CLERK, "12345678"))
    with pytest.raises(operators.AccountError):
        database.write(lambda s: operators.create_operator(s, "short", "x", Role.CLERK, "123"))
    lock = timedelta(minutes=15)
    info = database.write(lambda s: operators.authenticate(s, "admin", "correct horse", 3, lock))
    assert info.role == Role.ADMIN
    for _ in range(3):
        with pytest.raises(operators.AccountError):
            database.write(lambda s: operators.authenticate(s, "admin", "wrong", 3, lock))
    with pytest.raises(operators.AccountError, match=r"locked|锁定"):
        database.write(lambda s: operators.authenticate(s, "admin", "correct horse", 3, lock))
    later = datetime.now(UTC) + timedelta(minutes=16)
    assert database.write(
        lambda s: operators.authenticate(s, "admin", "correct horse", 3, lock, now=later)
    ).username == "admin"
    with database.session() as session:
        actions = [e.action for e in session.scalars(select(audit.AuditEvent))]
    assert "login.lockout" in actions and actions.count("login.ok") == 2


def test_migrations_reach_head_and_are_idempotent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    Database(url, tmp_path / "k").close()
    db = Database(url, tmp_path / "k")  # second start: nothing to do, no error
    with db.session() as session:
        version = session.execute(text("select version_num from alembic_version")).scalar_one()
        mode = session.execute(text("pragma journal_mode")).scalar_one()
        photo_columns = {row[1] for row in session.execute(text("pragma table_info(photos)"))}
    db.close()
    from alembic.script import ScriptDirectory

    from station.db.database import alembic_config

    heads = ScriptDirectory.from_config(alembic_config(url)).get_heads()
    assert len(heads) == 1, f"the station's migrations branch: {heads}"
    assert version == heads[0] and mode == "wal"
    assert {"captured_at", "camera"} <= photo_columns  # the models' columns exist
