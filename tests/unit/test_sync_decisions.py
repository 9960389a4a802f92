"""Applying the decisions feed: idempotent, and malformed entries never raise."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.db.database import Database
from station.db.models import Case, CaseState, ReviewDecision, ReviewStatus
from station.sync import decisions
from tests.unit.test_sync_outbox import make_case


def entry(key: str, central_id: str, verdict: str = "approved") -> dict[str, Any]:
    return {"seq": 1, "case_id": "c" * 32, "idempotency_key": key, "number": "N",
            "kind": "decision", "review_state": verdict,
            "decision": {"id": central_id, "decision": verdict, "reason_code": None,
                         "note": None, "reviewer": "sup1",
                         "decided_at": "2026-11-25T01:00:00+00:00"}}


def test_decision_applies_once_and_moves_the_cursor(database: Database) -> None:
    case_id = make_case(database, "D-1")
    with database.session() as session:
        key = session.get(Case, case_id).idempotency_key
    page = [entry(key, "d" * 32, "rejected")]
    assert database.write(lambda s: decisions.apply_feed_page(s, page, 7)) == [case_id]
    assert database.write(lambda s: decisions.apply_feed_page(s, page, 7)) == []
    with database.session() as session:
        case = session.get(Case, case_id)
        assert (case.state, case.review_status) == (CaseState.DECIDED, ReviewStatus.REJECTED)
        assert session.query(ReviewDecision).count() == 1
        assert decisions.read_cursor(session) == 7


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                  max_size=4),
    max_leaves=10,
)
entries = st.one_of(
    json_values,
    st.builds(lambda key, cid, verdict, when: {**entry(key, cid, verdict),
                                               "decision": {**entry(key, cid)["decision"],
                                                            "decided_at": when,
                                                            "decision": verdict}},
              st.text(max_size=10), st.text(max_size=40),
              st.sampled_from(["approved", "rejected", "returned", "bogus"]),
              st.text(max_size=30)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.lists(entries, max_size=5))
def test_malformed_feed_entries_are_skipped_not_raised(database: Database,
                                                       page: list[Any]) -> None:
    database.write(lambda s: decisions.apply_feed_page(s, page, 3))
