"""Apply review decisions from the central feed to local cases (idempotent by central id)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station import audit
from station.db.models import Case, CaseState, ReviewDecision, ReviewStatus, SyncCursor

log = logging.getLogger(__name__)
FEED_CURSOR = "decisions"
STATUS_OF = {"approved": ReviewStatus.APPROVED, "rejected": ReviewStatus.REJECTED,
             "returned": ReviewStatus.RETURNED}


def read_cursor(session: Session) -> int:
    row = session.get(SyncCursor, FEED_CURSOR)
    try:
        return int(row.cursor) if row and row.cursor else 0
    except ValueError:
        return 0


def _parse(entry: Any) -> tuple[str, dict[str, Any], ReviewStatus, datetime] | None:
    """(idempotency key, decision, status, decided_at) of a well-formed decision entry."""
    if not isinstance(entry, dict) or entry.get("kind") != "decision":
        return None
    decision, key = entry.get("decision"), entry.get("idempotency_key")
    if not isinstance(decision, dict) or not isinstance(key, str):
        return None
    status = STATUS_OF.get(str(decision.get("decision")))
    central_id = decision.get("id")
    if status is None or not isinstance(central_id, str) or not central_id:
        return None
    try:
        decided_at = datetime.fromisoformat(str(decision.get("decided_at")))
    except ValueError:
        return None
    for name in ("reason_code", "note"):
        if decision.get(name) is not None and not isinstance(decision[name], str):
            return None
    return key, decision, status, decided_at


def apply_feed_page(session: Session, entries: list[dict[str, Any]], cursor: int) -> list[str]:
    """Store the page's decisions and advance the cursor in one transaction. Returns the ids
    of local cases that changed."""
    changed: list[str] = []
    for entry in entries:
        parsed = _parse(entry)
        if parsed is None:
            log.warning("ignored a malformed decisions-feed entry")
            continue
        key, decision, status, decided_at = parsed
        case = session.scalar(select(Case).where(Case.idempotency_key == key))
        if case is None:
            continue
        if session.scalar(select(ReviewDecision.id).where(
                ReviewDecision.central_id == decision["id"])) is not None:
            continue
        session.add(ReviewDecision(
            case_id=case.id, central_id=decision["id"], decision=status,
            reason_code=(decision.get("reason_code") or None) and decision["reason_code"][:48],
            note=decision.get("note"),
            reviewer=str(decision.get("reviewer", ""))[:64], decided_at=decided_at,
            received_at=datetime.now(UTC),
        ))
        case.review_status = status
        if case.state in (CaseState.COMMITTED, CaseState.SYNCED):
            case.state = CaseState.DECIDED
        audit.record(session, "central", "review.decision_received", case.id,
                     {"decision": status.value, "reason_code": decision.get("reason_code"),
                      "central_id": decision["id"]})
        changed.append(case.id)
    row = session.get(SyncCursor, FEED_CURSOR)
    if row is None:
        session.add(SyncCursor(name=FEED_CURSOR, cursor=str(cursor)))
    else:
        row.cursor = str(cursor)
    return changed
