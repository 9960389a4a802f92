"""The same person's other cases: found by a keyed hash of the identity number, so a clerk
hears of an open case before submitting a new one and the reviewer sees the history."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from central.models import Case, aware

RECENT = timedelta(days=30)
OPEN_STATES = ("pending", "claimed", "returned")


def document_number(fields: dict[str, Any]) -> str | None:
    """The applicant's (or an organisation's agent's) identity document number."""
    for person in fields.get("people") or []:
        if person.get("role") in ("applicant", "agent"):
            for document in person.get("documents") or []:
                number = str(document.get("number") or "").strip()
                if number:
                    return number
    return None


def other_cases(session: Session, digest: str, now: datetime,
                exclude: str | None = None) -> list[dict[str, Any]]:
    """Open cases of this person, and any received in the last 30 days (newest first)."""
    query = (select(Case.id, Case.number, Case.kind, Case.review_state, Case.received_at,
                    Case.station_code)
             .where(Case.person_digest == digest,
                    or_(Case.review_state.in_(OPEN_STATES), Case.received_at >= now - RECENT))
             .order_by(Case.received_at.desc()).limit(20))
    return [{"case_id": row.id, "number": row.number, "kind": row.kind,
             "review_state": row.review_state, "origin": row.station_code,
             "received_at": (aware(row.received_at) or now).isoformat()}
            for row in session.execute(query) if row.id != exclude]
