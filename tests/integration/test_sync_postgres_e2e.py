"""Station outbox against a real central process on PostgreSQL that is killed and restarted:
every case arrives exactly once, and review decisions come back to the station."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from central.db import make_engine
from central.testing import ServerProcess, scratch_database, seed
from station.db.database import Database
from station.db.models import Case, CaseState, OutboxItem, OutboxState, ReviewDecision
from station.events import EventBus, SyncStatusChanged
from station.sync.client import CentralClient
from station.sync.worker import SyncWorker
from tests.unit.test_sync_outbox import make_case

pytestmark = pytest.mark.postgres
HASH = PasswordHasher(time_cost=1, memory_cost=1024).hash("password-123")


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not reached in time")


@pytest.fixture
def central_db() -> Iterator[str]:
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        pytest.skip("TEST_DATABASE_URL not set: run the suite through scripts/run-tests.sh")
    with scratch_database(server_url, "test_sync") as url:
        yield url


def test_cases_delivered_exactly_once_while_server_is_killed(
    central_db: str, database: Database, tmp_path: Path,
) -> None:
    credentials = seed(central_db, {"sup1": "supervisor"}, HASH, stations=("ST-T",))
    server = ServerProcess(central_db, data_dir=tmp_path / "central", extra=("--no-dispatch",))
    server.start()
    bus = EventBus()
    statuses: list[SyncStatusChanged] = []
    bus.subscribe(SyncStatusChanged, statuses.append)
    client = CentralClient(server.base_url, token=credentials["ST-T"], timeout=3)
    worker = SyncWorker(database, client, bus, interval_s=0.3, rng=random.Random(3),
                        backoff_base_s=0.2, backoff_cap_s=1.5)
    worker.start()
    try:
        for index in range(4):
            make_case(database, f"PG-{index}", seed=index)
            worker.wake()
        server.kill()  # possibly in the middle of a delivery
        for index in range(4, 8):
            make_case(database, f"PG-{index}", seed=index)
            worker.wake()
        wait_for(lambda: any(not s.online for s in statuses), timeout=30)
        server.start()
        with database.session() as session:
            def delivered() -> bool:
                session.expire_all()
                return session.query(OutboxItem).filter_by(
                    state=OutboxState.DELIVERED).count() == 8
        wait_for(delivered)
        engine = make_engine(central_db, pool_size=1)
        with engine.connect() as conn:
            rows, distinct = conn.execute(
                text("SELECT count(*), count(DISTINCT number) FROM cases")).one()
        engine.dispose()
        assert (rows, distinct) == (8, 8)
        # the status follows the delivery at the end of the worker's round
        wait_for(lambda: statuses[-1].online and statuses[-1].pending == 0, timeout=30)

        review = CentralClient(server.base_url)
        review.login("sup1", "password-123")
        for _ in range(3):
            lease = review.claim_next()
            assert lease is not None
            review.decide(lease["case_id"], "reject", lease["lease_token"],
                          reason_code="face_mismatch", note="人像不一致")
        review.close()

        def decided() -> bool:
            with database.session() as session:
                return session.query(ReviewDecision).count() == 3
        wait_for(decided, timeout=30)
        with database.session() as session:
            states = sorted(str(c.state) for c in session.query(Case))
        assert states.count(str(CaseState.DECIDED)) == 3
        assert states.count(str(CaseState.SYNCED)) == 5
    finally:
        worker.stop()
        client.close()
        server.kill()
