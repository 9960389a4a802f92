"""The newest audit hash is anchored at the central service at each sync; a rewritten chain
can no longer match an anchor and the central service refuses it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app.sync import SyncRuntime
from station import audit
from station.config import Settings
from station.db.database import Database
from station.events import EventBus
from station.sync.client import CentralClient, CentralError


def test_audit_hash_is_anchored_and_a_rewrite_is_refused(settings: Settings,
                                                          database: Database) -> None:
    database.write(lambda s: [audit.record(s, "clerk", "case.step", details={"i": i})
                              for i in range(3)])
    settings.central.sync_interval_s = 60
    runtime = SyncRuntime(settings, database, EventBus())
    runtime.start_in_background().result(timeout=30)
    try:
        worker = runtime.worker
        assert worker is not None
        worker.anchor_audit()
        with database.session() as session:
            seq, digest = session.execute(text(
                "select seq, hash from audit_events order by seq desc limit 1")).one()
            assert audit.newest_unanchored(session) is None  # marked as anchored
        latest = worker.client.latest_audit_anchor()
        assert latest is not None and (latest["seq"], latest["hash"]) == (seq, digest)
        assert not worker.anchor_audit()  # nothing new to anchor

        # someone rewrites the newest entry (and would re-hash the chain to hide it)
        client: CentralClient = worker.client
        with pytest.raises(CentralError) as refused:
            client.anchor_audit(seq, "f" * 64)
        assert refused.value.status == 409 and refused.value.code == "audit_anchor_mismatch"
        with database.session() as session:
            assert audit.matches_anchor(session, latest["seq"], latest["hash"])
            assert not audit.matches_anchor(session, latest["seq"], "f" * 64)
    finally:
        runtime.stop()
