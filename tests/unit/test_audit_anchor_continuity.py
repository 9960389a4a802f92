"""Issue 21 item 2: with seq 16 anchored, the central service refuses every head that does not
extend it — a rewrite continued at 17, a truncation to 15, a wipe back to 3, a renumbered
chain, a head without proof — and keeps an audit row of each refusal; the station's own
``station.audit verify`` finds deleted newest entries, a recomputed chain and a renumbered
one by comparing with the last anchor."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, text

from station import audit
from station.db.database import Database
from station.db.models import AuditEvent, Station
from station.sync.client import CentralClient, CentralError
from tests.helpers.central import PASSWORD, Clock, RunningCentral, running_central

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def central(tmp_path: Path) -> Iterator[RunningCentral]:
    with running_central(tmp_path / "c", {"admin1": "admin"}, Clock(),
                         stations=("ST-A",)) as running:
        yield running


@pytest.fixture
def station_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'station.sqlite3'}", tmp_path / "data.key")
    yield db
    db.close()


def add_entries(db: Database, count: int, tag: str = "step") -> None:
    db.write(lambda s: [audit.record(s, "clerk1", f"case.{tag}", details={"i": i})
                        for i in range(count)])


def head(db: Database) -> tuple[int, str]:
    with db.session() as session:
        row = session.execute(select(AuditEvent.seq, AuditEvent.hash)
                              .order_by(AuditEvent.seq.desc()).limit(1)).one()
    return int(row[0]), str(row[1])


def proof(db: Database, after: int) -> list[dict[str, Any]]:
    with db.session() as session:
        return audit.continuity_proof(session, after)


def copy_of(tmp_path: Path, name: str) -> Database:
    """Another copy of the station database (the backup API reads through the WAL)."""
    source = sqlite3.connect(tmp_path / "station.sqlite3")
    target = sqlite3.connect(tmp_path / name)
    source.backup(target)
    source.close()
    target.close()
    return Database(f"sqlite:///{tmp_path / name}", tmp_path / "data.key")


def rehash_from(db: Database, first_seq: int) -> None:
    """What someone with the database does to hide an edit: recompute every later hash."""
    def work(session: Any) -> None:
        prev = session.get(AuditEvent, first_seq - 1).hash if first_seq > 1 else audit.GENESIS
        for entry in session.scalars(select(AuditEvent).where(AuditEvent.seq >= first_seq)
                                     .order_by(AuditEvent.seq)):
            entry.prev_hash = prev
            entry.hash = audit.entry_hash(entry.seq, entry.at, entry.actor, entry.action,
                                          entry.case_id, entry.details, prev)
            prev = entry.hash
    db.write(work)


def refusal(client: CentralClient, seq: int, hash_hex: str,
            entries: list[dict[str, Any]] | None = None) -> str:
    with pytest.raises(CentralError) as refused:
        client.anchor_audit(seq, hash_hex, entries)
    assert refused.value.status == 409 and refused.value.code == "audit_anchor_mismatch"
    return str(refused.value.body["reason"])


def refusal_audits(central: RunningCentral) -> int:
    engine = central.server.app.state.central.engine
    with engine.connect() as conn:
        return int(conn.execute(text(
            "SELECT count(*) FROM audit_log WHERE action = 'audit.anchor_refused'")).scalar_one())


def test_heads_that_do_not_extend_the_anchor_are_refused_and_audited(
        central: RunningCentral, station_db: Database, tmp_path: Path) -> None:
    client = CentralClient(central.base_url, central.credentials["ST-A"])
    add_entries(station_db, 16)
    seq, digest = head(station_db)
    assert seq == 16
    assert client.anchor_audit(seq, digest, proof(station_db, 0))["seq"] == 16
    # the head alone proves nothing: refused
    add_entries(station_db, 1, "more")
    seq17, hash17 = head(station_db)
    assert refusal(client, seq17, hash17) == "unproven"

    # rewrite: entry 10 edited, the chain recomputed from there and continued at 17
    rewritten = copy_of(tmp_path, "rewritten.sqlite3")
    rewritten.write(lambda s: s.execute(text(
        "UPDATE audit_events SET details = '{\"i\": 99}' WHERE seq = 10")))
    rehash_from(rewritten, 10)
    forged_seq, forged_hash = head(rewritten)
    assert refusal(client, forged_seq, forged_hash, proof(rewritten, 16)) == "rewritten"
    assert refusal(client, forged_seq, forged_hash, proof(rewritten, 9)) == "unproven"
    # truncation and a wipe: shorter than anchored
    with rewritten.session() as session:
        hash15 = session.get(AuditEvent, 15).hash
        hash3 = session.get(AuditEvent, 3).hash
    assert refusal(client, 15, hash15) == "shorter"
    assert refusal(client, 3, hash3) == "shorter"
    # the same seq with another hash
    assert refusal(client, 16, forged_hash) == "rewritten"
    rewritten.close()
    assert refusal_audits(central) == 6

    # renumbered: an entry taken out and the rest moved up by one, re-hashed
    other = copy_of(tmp_path, "renumbered.sqlite3")
    other.write(lambda s: s.execute(text("DELETE FROM audit_events WHERE seq = 17")))
    add_entries(other, 2, "renumbered")  # seq 17, 18 from the original 16
    other.write(lambda s: s.execute(text("DELETE FROM audit_events WHERE seq = 5")))
    other.write(lambda s: s.execute(text("UPDATE audit_events SET seq = seq - 1 WHERE seq > 5")))
    rehash_from(other, 5)
    renumbered_proof = proof(other, 16)
    assert refusal(client, *head(other), renumbered_proof) == "rewritten"
    other.close()

    # the real continuation is accepted, and so is a repeat of it
    assert client.anchor_audit(seq17, hash17, proof(station_db, 16))["seq"] == 17
    assert client.anchor_audit(seq17, hash17, proof(station_db, 16))["seq"] == 17
    latest = client.latest_audit_anchor()
    assert latest is not None and (latest["seq"], latest["hash"]) == (17, hash17)
    assert refusal_audits(central) == 7
    client.close()


def test_re_enrolment_starts_a_new_chain(central: RunningCentral, station_db: Database) -> None:
    client = CentralClient(central.base_url, central.credentials["ST-A"])
    add_entries(station_db, 5)
    assert client.anchor_audit(*head(station_db), proof(station_db, 0))["seq"] == 5
    client.close()
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        token = http.post("/v1/auth/login", json={"username": "admin1",
                                                  "password": PASSWORD}).json()["token"]
        code = http.post("/v1/admin/enrolment-codes", json={"station_code": "ST-A"},
                         headers={"Authorization": f"Bearer {token}"}).json()["code"]
        credential = http.post("/v1/stations/enrol", json={
            "code": code, "station_code": "ST-A"}).json()["credential"]
    station_db.write(lambda s: s.execute(text("DELETE FROM audit_events")))  # a wiped station
    add_entries(station_db, 2)
    with CentralClient(central.base_url, credential) as fresh:
        assert fresh.anchor_audit(*head(station_db), proof(station_db, 0))["seq"] == 2


def verify(tmp_path: Path, *extra: str) -> dict[str, Any]:
    env = {**os.environ, "STATION__STORAGE__DATA_DIR": str(tmp_path),
           "STATION__STATION__CODE": "ST-A"}
    done = subprocess.run([sys.executable, "-m", "station.audit", "verify", *extra], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    result: dict[str, Any] = json.loads(done.stdout)
    assert done.returncode == (0 if result["ok"] else 1)
    return result


@pytest.mark.parametrize("attack", ["delete_newest", "recompute", "renumber"])
def test_verify_compares_the_chain_with_the_last_anchor(
        central: RunningCentral, tmp_path: Path, attack: str) -> None:
    from app.sync import SyncRuntime  # the sync worker anchors as a station does
    from station.config import load_settings
    from station.events import EventBus

    settings = load_settings(environ={
        "STATION__STORAGE__DATA_DIR": str(tmp_path), "STATION__STATION__CODE": "ST-A",
        "STATION__CENTRAL__URL": central.base_url, "STATION__CENTRAL__SYNC_INTERVAL_S": "60"})
    db = Database(settings.storage.resolved_database_url(), tmp_path / "data.key")
    db.write(lambda s: s.add(Station(code="ST-A", name="ST-A", central_url=central.base_url,
                                     central_credential=central.credentials["ST-A"])))
    add_entries(db, 8)
    runtime = SyncRuntime(settings, db, EventBus())
    runtime.start()
    try:
        assert runtime.worker is not None and runtime.worker.anchor_audit()
    finally:
        runtime.stop()
    assert verify(tmp_path)["ok"]
    if attack == "delete_newest":
        db.write(lambda s: s.execute(text("DELETE FROM audit_events WHERE seq > 6")))
    elif attack == "recompute":
        db.write(lambda s: s.execute(text(
            "UPDATE audit_events SET actor = 'someone' WHERE seq = 4")))
        rehash_from(db, 4)
    else:
        db.write(lambda s: s.execute(text("DELETE FROM audit_events WHERE seq = 2")))
        db.write(lambda s: s.execute(text("UPDATE audit_events SET seq = seq - 1 WHERE seq > 2")))
        rehash_from(db, 2)
    db.close()
    found = verify(tmp_path)
    assert not found["ok"]
    assert set(found["anchors"]) == {"central", "local"}
    assert {p["problem"] for p in found["problems"]} <= {"anchored_entry_missing",
                                                          "differs_from_anchor"}
    assert not verify(tmp_path, "--offline")["ok"]  # this station's copy tells it too
