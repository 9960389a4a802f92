"""Which reviewed cases a queue request means: its filter, as SQL conditions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVarTuple

from sqlalchemy import Select, and_, literal_column, or_

from central.models import Case

Columns = TypeVarTuple("Columns")


def claimed_now(now: datetime) -> Any:
    # the state as a literal, not a parameter: PostgreSQL then matches ix_cases_claimed's
    # predicate in prepared (generic) plans too
    return and_(Case.review_state == literal_column("'pending'"), Case.claimed_by.is_not(None),
                Case.lease_until >= now)


def free_now(now: datetime) -> Any:
    return and_(Case.review_state == "pending",
                or_(Case.claimed_by.is_(None), Case.lease_until < now))


def state_condition(state: str, now: datetime) -> Any:
    if state == "claimed":
        return claimed_now(now)
    if state == "pending":
        return free_now(now)
    if state == "open":
        return Case.review_state == "pending"
    return Case.review_state == state


@dataclass
class QueueFilter:
    kind: str | None = None
    reason: str | None = None
    station: str | None = None
    clerk: str | None = None
    state: str | None = None
    min_age_minutes: float | None = None
    max_age_minutes: float | None = None
    due_before: datetime | None = None
    overdue: bool | None = None


SORTS = {
    "due_at": Case.due_at, "received_at": Case.received_at, "kind": Case.kind,
    "station": Case.station_code, "clerk": Case.clerk, "number": Case.number,
}


def apply_filter(query: Select[*Columns], flt: QueueFilter, now: datetime,
                 with_state: bool = True) -> Select[*Columns]:
    """The query (any columns) narrowed to the cases the filter matches."""
    if flt.kind:
        query = query.where(Case.kind == flt.kind)
    if flt.reason:
        query = query.where(Case.flags_text.like(f"%,{_escape_like(flt.reason)},%", escape="\\"))
    if flt.station:
        query = query.where(Case.station_code == flt.station)
    if flt.clerk:
        query = query.where(Case.clerk == flt.clerk)
    if flt.min_age_minutes is not None:
        query = query.where(Case.received_at <= now - timedelta(minutes=flt.min_age_minutes))
    if flt.max_age_minutes is not None:
        query = query.where(Case.received_at >= now - timedelta(minutes=flt.max_age_minutes))
    if flt.due_before is not None:
        query = query.where(Case.due_at <= flt.due_before)
    if flt.overdue is not None:
        late = and_(Case.review_state == "pending", Case.due_at < now)
        query = query.where(late if flt.overdue else ~late)
    if with_state:
        query = query.where(state_condition(flt.state, now) if flt.state
                            else Case.review_state != "not_required")
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")

