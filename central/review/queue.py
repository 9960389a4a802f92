"""A page of the review queue: its items in the order asked for, with the counts per state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from central import schemas
from central.models import Case, aware
from central.review.counts import ReviewCounts, total_from_counts
from central.review.filters import SORTS, QueueFilter, apply_filter


def queue_item(case: Case | Row[*tuple[Any, ...]], now: datetime) -> schemas.QueueItem:
    """From a Case, or from a row of its _QUEUE_COLUMNS."""
    received, due, lease = aware(case.received_at), aware(case.due_at), aware(case.lease_until)
    assert received is not None
    claimed = case.review_state == "pending" and case.claimed_by and lease and lease >= now
    return schemas.QueueItem(
        case_id=case.id, number=case.number, kind=case.kind, station_code=case.station_code,
        clerk=case.clerk, flags=[f for f in case.flags_text.split(",") if f],
        received_at=received, due_at=due,
        overdue=bool(case.review_state == "pending" and due and due < now),
        age_minutes=round((now - received).total_seconds() / 60, 2),
        state="claimed" if claimed else case.review_state,
        claimed_by=case.claimed_by if claimed else None,
        lease_until=lease if claimed else None,
    )


# what a queue item shows: the JSON payload and receipt stay in the database
_QUEUE_COLUMNS = (Case.id, Case.number, Case.kind, Case.station_code, Case.clerk,
                  Case.flags_text, Case.received_at, Case.due_at, Case.review_state,
                  Case.claimed_by, Case.lease_until)


def sort_order(sort: str) -> list[Any]:
    """The sort column, then ties in the same direction (due time: oldest first, as claim-next
    takes them), so that an index in that order serves a page without sorting."""
    name = sort.lstrip("-")
    keys = [SORTS[name], *([Case.received_at] if name == "due_at" else []), Case.id]
    return [key.desc() if sort.startswith("-") else key.asc() for key in keys]


def list_queue(session: Session, counted: ReviewCounts, flt: QueueFilter, sort: str,
               offset: int, limit: int, now: datetime) -> schemas.QueuePage:
    base = apply_filter(select(*_QUEUE_COLUMNS), flt, now)  # plain rows: no ORM bookkeeping
    counts = counted.queue_counts(session, flt, now)
    rows = session.execute(base.order_by(*sort_order(sort)).offset(offset).limit(limit)).all()
    return schemas.QueuePage(
        total=total_from_counts(counts, flt.state), offset=offset, limit=limit,
        items=[queue_item(c, now) for c in rows], counts=counts,
    )

