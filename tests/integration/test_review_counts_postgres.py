"""Review counts on real PostgreSQL: the per-group snapshot shared by API processes sums to the
same figures as a live count, a refresh is left to whoever holds the advisory lock, leases
that expire move their case back to pending without any write, and two server processes
agree on the counts after claims, expiries and decisions made through either of them."""

from __future__ import annotations

import hashlib
import random
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from central.db import make_engine, migrate, session_factory
from central.models import Case, ReviewCountSnapshot, Station
from central.review import counts as review_counts
from central.review.counts import ReviewCounts, state_counts
from central.review.filters import QueueFilter
from central.testing import ServerProcess, _conninfo, scratch_database, seed

pytestmark = pytest.mark.postgres
PASSWORD = "password-123"
HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash(PASSWORD)
FILTERS = [QueueFilter(), QueueFilter(kind="organisation"), QueueFilter(reason="LOW_FACE_MATCH"),
           QueueFilter(station="ST-B"), QueueFilter(clerk="clerk2"),
           QueueFilter(kind="individual", reason="PHOTO_OVERRIDE", station="ST-A"),
           QueueFilter(overdue=True), QueueFilter(overdue=False, kind="organisation"),
           QueueFilter(overdue=True, reason="DOCUMENT_EXPIRED")]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {timeout} s")
        time.sleep(0.05)


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    with scratch_database(postgres_url, "review_counts") as url:
        engine = make_engine(url, pool_size=4)
        migrate(engine)
        yield engine
        engine.dispose()


# this process's copies of the counts, as an API process's app owns them
PROCESS_COUNTS = ReviewCounts()


@pytest.fixture(autouse=True)
def fresh_process_copies() -> Iterator[None]:
    PROCESS_COUNTS.changed()
    yield
    PROCESS_COUNTS.changed()


def add_cases(engine: Engine, count: int, rng: random.Random, now: datetime,
              state: str = "pending") -> list[str]:
    """Cases written the way another process's ingest leaves them: straight to the table,
    without this process hearing about it."""
    ids = []
    with session_factory(engine).begin() as session:
        stations = {s.code: s.id for s in session.query(Station)}
        for code in ("ST-A", "ST-B"):
            if code not in stations:
                station = Station(code=code, name=code)
                session.add(station)
                session.flush()
                stations[code] = station.id
        for _ in range(count):
            code = rng.choice(("ST-A", "ST-B"))
            flags = rng.sample(("LOW_FACE_MATCH", "PHOTO_OVERRIDE", "DOCUMENT_EXPIRED"),
                               rng.choice((1, 2)))
            case_id = secrets.token_hex(16)
            session.add(Case(
                id=case_id, station_id=stations[code], station_code=code,
                idempotency_key=secrets.token_hex(8), payload_sha256="0" * 64,
                number=secrets.token_hex(6), kind=rng.choice(("individual", "organisation")),
                clerk=rng.choice(("clerk1", "clerk2", "clerk3")),
                flags_text="," + "".join(f"{f}," for f in flags), payload={}, receipt={},
                received_at=now - timedelta(minutes=rng.uniform(0, 600)),
                due_at=now + timedelta(hours=rng.choice((-2, 3, 30))), review_state=state))
            ids.append(case_id)
    return ids


def counts(engine: Engine, flt: QueueFilter, now: datetime) -> dict[str, int]:
    with session_factory(engine).begin() as session:
        return PROCESS_COUNTS.queue_counts(session, flt, now)


def live(engine: Engine, flt: QueueFilter, now: datetime) -> dict[str, int]:
    with session_factory(engine).begin() as session:
        return state_counts(session, flt, now)


def age_snapshot(engine: Engine, seconds: float) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE review_count_snapshots SET taken_at = clock_timestamp() - "
                          "make_interval(secs => :s)"), {"s": seconds})
    PROCESS_COUNTS.changed()  # and forget this process's copy, as another process would


def snapshot_taken_at(engine: Engine) -> datetime | None:
    with session_factory(engine)() as session:
        row = session.get(ReviewCountSnapshot, 1)
        return row.taken_at if row else None


def claim(engine: Engine, case_id: str, who: str, until: datetime) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET claimed_by = :who, lease_token = 't', "
                          "lease_until = :until WHERE id = :id"),
                     {"who": who, "until": until, "id": case_id})


def test_snapshot_sums_match_a_live_count_for_every_filter(engine: Engine) -> None:
    rng = random.Random(9)
    now = datetime.now(UTC)
    ids = add_cases(engine, 120, rng, now)
    add_cases(engine, 15, rng, now, state="approved")
    add_cases(engine, 7, rng, now, state="not_required")
    claim(engine, ids[0], "sup1", now + timedelta(minutes=5))
    claim(engine, ids[1], "sup2", now + timedelta(minutes=5))
    claim(engine, ids[2], "sup3", now - timedelta(seconds=1))  # expired: pending again
    for flt in FILTERS:
        assert counts(engine, flt, now) == live(engine, flt, now), flt
    assert counts(engine, QueueFilter(), now)["claimed"] == 2
    assert snapshot_taken_at(engine) is not None
    # other filters on time are counted on their own, with the same result
    for flt in (QueueFilter(min_age_minutes=120), QueueFilter(max_age_minutes=300, kind="individual"),
                QueueFilter(due_before=now + timedelta(hours=5))):
        assert counts(engine, flt, now) == live(engine, flt, now), flt
    # and "overdue" too when the request's clock is not the database's (the snapshot's
    # overdue flags hold for the moment it was taken)
    tomorrow = now + timedelta(days=1)
    assert counts(engine, QueueFilter(overdue=True), tomorrow) \
        == live(engine, QueueFilter(overdue=True), tomorrow)
    assert counts(engine, QueueFilter(overdue=True), tomorrow) \
        != counts(engine, QueueFilter(overdue=True), now)


def test_claims_and_expiries_show_at_once_while_the_snapshot_stands(engine: Engine) -> None:
    now = datetime.now(UTC)
    ids = add_cases(engine, 10, random.Random(3), now)
    assert counts(engine, QueueFilter(), now)["pending"] == 10
    taken = snapshot_taken_at(engine)
    claim(engine, ids[0], "sup1", now + timedelta(seconds=30))
    assert counts(engine, QueueFilter(), now) == {
        "pending": 9, "claimed": 1, "approved": 0, "rejected": 0, "returned": 0}
    later = now + timedelta(seconds=31)  # the lease ran out: nobody wrote anything
    assert counts(engine, QueueFilter(), later)["claimed"] == 0
    assert counts(engine, QueueFilter(), later)["pending"] == 10
    assert snapshot_taken_at(engine) == taken  # all of that without a recount


def test_only_the_lock_holder_recounts_and_a_too_old_snapshot_waits_for_it(
        engine: Engine) -> None:
    now = datetime.now(UTC)
    rng = random.Random(5)
    add_cases(engine, 4, rng, now)
    assert counts(engine, QueueFilter(), now)["pending"] == 4
    add_cases(engine, 3, rng, now)  # another process's ingest
    conninfo = _conninfo(engine.url.render_as_string(hide_password=False))
    with psycopg.connect(conninfo, autocommit=True) as other:
        # another API process is recounting: a recently stale snapshot answers meanwhile
        other.execute("SELECT pg_advisory_lock(%s)", (review_counts.SNAPSHOT_LOCK,))
        age_snapshot(engine, (review_counts.COUNTS_TTL_S + review_counts.COUNTS_MAX_AGE_S) / 2)
        assert counts(engine, QueueFilter(), now)["pending"] == 4
        # one too old to show waits for that count instead of showing stale figures
        age_snapshot(engine, 10 * review_counts.COUNTS_MAX_AGE_S)
        answers: list[int] = []
        waiter = threading.Thread(target=lambda: answers.append(
            counts(engine, QueueFilter(), now)["pending"]))
        waiter.start()
        wait_for(lambda: other.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
            "WHERE l.locktype = 'advisory' AND NOT l.granted AND l.objid = %s "
            "AND d.datname = current_database()", (review_counts.SNAPSHOT_LOCK,)
        ).fetchone() == (1,), "waiting for the lock")
        assert answers == []
        other.execute("SELECT pg_advisory_unlock(%s)", (review_counts.SNAPSHOT_LOCK,))
        waiter.join()
    assert answers == [7]


def test_a_recently_stale_snapshot_is_recounted_in_the_background(engine: Engine) -> None:
    now = datetime.now(UTC)
    rng = random.Random(6)
    add_cases(engine, 5, rng, now)
    assert counts(engine, QueueFilter(), now)["pending"] == 5
    add_cases(engine, 2, rng, now)
    age_snapshot(engine, (review_counts.COUNTS_TTL_S + review_counts.COUNTS_MAX_AGE_S) / 2)
    before = snapshot_taken_at(engine)
    assert counts(engine, QueueFilter(), now)["pending"] == 5  # answered from the snapshot
    wait_for(lambda: snapshot_taken_at(engine) != before, "recounted")
    PROCESS_COUNTS.changed()
    assert counts(engine, QueueFilter(), now)["pending"] == 7


# --- two server processes -----------------------------------------------------------------


def deliver(base_url: str, token: str, count: int, prefix: str) -> list[str]:
    ids = []
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"},
                      timeout=10) as client:
        for index in range(count):
            photo = b"\xff\xd8\xff" + random.Random(f"{prefix}{index}").randbytes(500)
            sha = hashlib.sha256(photo).hexdigest()
            assert client.put(f"/v1/parts/{sha}", content=photo).status_code in (200, 201)
            response = client.post(
                "/v1/cases", headers={"Idempotency-Key": f"{prefix}-{index:04d}"},
                json={"number": f"{prefix}-{index}", "kind": "individual" if index % 3
                      else "organisation", "flags": ["PHOTO_OVERRIDE"], "parts": [
                          {"sha256": sha, "role": "photo", "media_type": "image/jpeg",
                           "size": len(photo)}]})
            assert response.status_code == 201, response.text
            ids.append(response.json()["case_id"])
    return ids


def test_two_processes_agree_on_counts_through_claims_expiry_and_decisions(
        postgres_url: str, tmp_path: Path) -> None:
    with scratch_database(postgres_url, "review_counts_http") as db_url:
        credentials = seed(db_url, {"sup1": "supervisor", "sup2": "supervisor"}, HASH,
                           stations=("PG-ST",))
        servers = [ServerProcess(db_url, data_dir=tmp_path, extra=(
            "--no-dispatch", "--lease-seconds", "3")) for _ in range(2)]
        try:
            for server in servers:
                server.start()
            tokens = {name: httpx.post(f"{servers[0].base_url}/v1/auth/login", json={
                "username": name, "password": PASSWORD}).json()["token"]
                for name in ("sup1", "sup2")}

            def get(server: ServerProcess, path: str, **params: Any) -> Any:
                response = httpx.get(f"{server.base_url}{path}", params=params,
                                     headers={"Authorization": f"Bearer {tokens['sup1']}"})
                assert response.status_code == 200, response.text
                return response.json()

            def post(server: ServerProcess, who: str, path: str, **body: Any) -> Any:
                response = httpx.post(f"{server.base_url}{path}", json=body or None,
                                      headers={"Authorization": f"Bearer {tokens[who]}"})
                assert response.status_code in (200, 201), response.text
                return response.json()

            def everywhere(expected: dict[str, int], **params: Any) -> Callable[[], bool]:
                def check() -> bool:
                    return all(get(s, "/v1/review/counts", **params) == expected
                               and get(s, "/v1/review/queue", **params)["counts"] == expected
                               for s in servers)
                return check

            ids = deliver(servers[0].base_url, credentials["PG-ST"], 6, "two")
            empty = {"approved": 0, "rejected": 0, "returned": 0}
            wait_for(everywhere({"pending": 6, "claimed": 0, **empty}), "6 pending everywhere")
            wait_for(everywhere({"pending": 2, "claimed": 0, **empty}, kind="organisation"),
                     "2 organisation cases everywhere")
            # a claim on one process shows on the other at once (counted live)
            lease = post(servers[0], "sup1", f"/v1/review/cases/{ids[0]}/claim")
            assert everywhere({"pending": 5, "claimed": 1, **empty})()
            # ... and when its lease runs out nothing is written, yet it is pending again
            until = datetime.fromisoformat(lease["lease_until"])
            time.sleep(max(0.0, (until - datetime.now(UTC)).total_seconds()) + 0.2)
            assert everywhere({"pending": 6, "claimed": 0, **empty})()
            # a decision on the other process reaches both within about a second
            lease = post(servers[1], "sup2", f"/v1/review/cases/{ids[1]}/claim")
            post(servers[1], "sup2", f"/v1/review/cases/{ids[1]}/decision",
                 decision="approve", lease_token=lease["lease_token"])
            wait_for(everywhere({"pending": 5, "claimed": 0, **empty, "approved": 1}),
                     "the decision counted everywhere")
            page = get(servers[0], "/v1/review/queue", state="pending")
            assert page["total"] == 5 and len(page["items"]) == 5
            assert ids[1] not in {item["case_id"] for item in page["items"]}
        finally:
            for server in servers:
                server.kill()


def test_concurrent_listings_on_two_engines_refresh_the_snapshot_once(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two engines stand for two processes: racing listings on a stale snapshot count it
    once between them (the advisory lock), and every answer is right."""
    now = datetime.now(UTC)
    add_cases(engine, 30, random.Random(8), now)
    other = make_engine(engine.url.render_as_string(hide_password=False), pool_size=4)
    try:
        assert counts(engine, QueueFilter(), now)["pending"] == 30
        age_snapshot(engine, 10 * review_counts.COUNTS_MAX_AGE_S)
        add_cases(engine, 5, random.Random(10), now)
        results: list[int] = []
        calls: list[int] = []
        original = review_counts._count_into_snapshot

        def counted(connection: Any) -> None:
            calls.append(1)
            original(connection)

        monkeypatch.setattr(review_counts, "_count_into_snapshot", counted)
        barrier = threading.Barrier(6)

        def lister(index: int) -> None:
            barrier.wait()
            results.append(counts((engine, other)[index % 2], QueueFilter(), now)["pending"])

        threads = [threading.Thread(target=lister, args=(i,)) for i in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(calls) == 1
        assert set(results) <= {30, 35} and 35 in results
        PROCESS_COUNTS.changed()
        assert counts(other, QueueFilter(), now)["pending"] == 35
    finally:
        other.dispose()


def test_a_snapshot_from_the_future_is_counted_again(engine: Engine) -> None:
    """After the database clock went back, a snapshot seemingly taken later than now must
    not pass for fresh until the clock catches up."""
    now = datetime.now(UTC)
    rng = random.Random(11)
    add_cases(engine, 2, rng, now)
    assert counts(engine, QueueFilter(), now)["pending"] == 2
    add_cases(engine, 1, rng, now)
    age_snapshot(engine, -3600)
    assert counts(engine, QueueFilter(), now)["pending"] == 3
    taken = snapshot_taken_at(engine)
    assert taken is not None and taken < datetime.now(UTC) + timedelta(seconds=5)
