"""Key rotation, retention purge, station wipe and the audit CLI, on a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from station.db.database import Database
from station.db.models import Case, CaseKind, CaseState, Person, Photo
from station.security import maintenance
from station.security.crypto import load_or_create_keyring

ROOT = Path(__file__).resolve().parents[2]


def add_case(db: Database, state: CaseState, synced_days_ago: float | None) -> str:
    def work(session):  # type: ignore[no-untyped-def]
        case = Case(number=f"N-{os.urandom(3).hex()}", kind=CaseKind.INDIVIDUAL, station_code="S",
                    state=state, personal={"phone": "13812345678"})
        if synced_days_ago is not None:
            case.synced_at = datetime.now(UTC) - timedelta(days=synced_days_ago)
        case.people.append(Person(name="王五", phone="13812345678"))
        case.photos.append(Photo(purpose="live", image=b"jpeg", sha256="0" * 64))
        session.add(case)
        session.flush()
        return case.id

    return db.write(work)


def test_rotation_re_encrypts_every_value_under_the_new_key(tmp_path: Path) -> None:
    key_file = tmp_path / "data.key"
    db = Database(f"sqlite:///{tmp_path / 's.sqlite3'}", key_file)
    add_case(db, CaseState.COMMITTED, None)
    count = db.write(lambda s: maintenance.rotate_key(s, key_file, "admin"))
    assert count >= 4  # name, phone, personal, photo
    ring = load_or_create_keyring(key_file)
    assert ring.current_id == 2
    with db.session() as session:
        blobs = [row[0] for row in session.execute(text("select name from people"))]
        blobs += [row[0] for row in session.execute(text("select image from photos"))]
        assert all(blob[0] == 2 for blob in blobs)
        assert session.scalar(select(Person.name)) == "王五"
    db.close()


def test_retention_purge_keeps_unsynced_and_recent_cases(database: Database) -> None:
    old = add_case(database, CaseState.SYNCED, synced_days_ago=40)
    recent = add_case(database, CaseState.SYNCED, synced_days_ago=2)
    unsynced = add_case(database, CaseState.COMMITTED, synced_days_ago=None)
    purged = database.write(lambda s: maintenance.purge_expired(s, timedelta(days=30)))
    assert purged == [old]
    with database.session() as session:
        assert session.get(Case, old).people == [] and session.get(Case, old).personal is None
        assert session.get(Case, recent).people and session.get(Case, unsynced).people
        assert session.execute(text(
            "select count(*) from audit_events where action = 'retention.purged'")).scalar_one() == 1


def test_wipe_and_audit_cli(tmp_path: Path) -> None:
    env = {**os.environ, "STATION__STORAGE__DATA_DIR": str(tmp_path)}
    db = Database(f"sqlite:///{tmp_path / 'station.sqlite3'}", tmp_path / "data.key")
    add_case(db, CaseState.COMMITTED, None)
    from station import audit

    db.write(lambda s: audit.record(s, "clerk", "case.started"))
    db.close()
    verify = subprocess.run([sys.executable, "-m", "station.audit", "verify"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr
    assert json.loads(verify.stdout)["ok"] is True
    refused = subprocess.run([sys.executable, "-m", "station.security", "wipe"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    wiped = subprocess.run([sys.executable, "-m", "station.security", "wipe", "--yes"], cwd=ROOT,
                           env=env, capture_output=True, text=True, timeout=120)
    assert wiped.returncode == 0
    assert not (tmp_path / "data.key").exists() and not (tmp_path / "station.sqlite3").exists()


def _ring_json(path: str) -> str:
    from station.security.crypto import load_or_create_shared_keyring

    return load_or_create_shared_keyring(Path(path)).to_json()


def test_processes_starting_together_agree_on_one_shared_key(tmp_path: Path) -> None:
    import multiprocessing

    key_file = tmp_path / "central" / "data-key.json"
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        rings = pool.map(_ring_json, [str(key_file)] * 12)
    assert len(set(rings)) == 1
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in key_file.parent.iterdir()] == ["data-key.json"]  # no leftovers
