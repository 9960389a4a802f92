"""Leases on cases under review: claim (one reviewer wins), renew, release.

Each is one conditional UPDATE, so several API processes need not trust each other's memory;
the server's clock rules the lease."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal, audit
from central.db import dialect_name, rows_matched
from central.errors import ApiError
from central.models import Case, aware
from central.review.filters import QueueFilter, apply_filter
from central.review.queue import sort_order
from station.i18n import both


def not_found() -> ApiError:
    return ApiError(404, "case_not_found", both("CentralApi", "No such case."))


def _claim_refusal(session: Session, case_id: str, now: datetime) -> ApiError:
    case = session.get(Case, case_id)
    if case is None:
        return not_found()
    if case.review_state != "pending":
        return ApiError(409, "case_not_pending", both(
            "CentralApi", "This case is not waiting for review."), state=case.review_state)
    return ApiError(409, "case_claimed", both(
        "CentralApi", "Another reviewer is working on this case."),
        claimed_by=case.claimed_by, lease_until=(aware(case.lease_until) or now).isoformat())


def claim(session: Session, who: Principal, case_id: str, now: datetime,
          lease_seconds: int) -> schemas.Lease:
    """Atomic conditional UPDATE: of two reviewers racing for one case exactly one wins."""
    token = secrets.token_hex(12)
    until = now + timedelta(seconds=lease_seconds)
    result = session.execute(
        update(Case).where(
            Case.id == case_id, Case.review_state == "pending",
            or_(Case.claimed_by.is_(None), Case.lease_until < now, Case.claimed_by == who.name),
        ).values(claimed_by=who.name, lease_token=token, lease_until=until)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        raise _claim_refusal(session, case_id, now)
    audit(session, who, "review.claimed", case_id, lease_until=until.isoformat())
    return schemas.Lease(case_id=case_id, lease_token=token, lease_until=until,
                         claimed_by=who.name)


def claim_next(session: Session, who: Principal, flt: QueueFilter, now: datetime,
               lease_seconds: int) -> schemas.Lease | None:
    """The most urgent free case. On PostgreSQL candidates are locked with SKIP LOCKED so
    concurrent reviewers take different cases instead of queueing on one row."""
    flt = QueueFilter(**{**flt.__dict__, "state": "pending"})
    for _ in range(5):
        query = apply_filter(select(Case.id), flt, now).order_by(*sort_order("due_at")).limit(1)
        if dialect_name(session) == "postgresql":
            query = query.with_for_update(skip_locked=True)
        case_id = session.scalar(query)
        if case_id is None:
            return None
        try:
            return claim(session, who, case_id, now, lease_seconds)
        except ApiError:
            continue  # someone else took it between the read and the update
    return None


def renew(session: Session, who: Principal, case_id: str, lease_token: str, now: datetime,
          lease_seconds: int) -> schemas.Lease:
    until = now + timedelta(seconds=lease_seconds)
    result = session.execute(
        update(Case).where(
            Case.id == case_id, Case.review_state == "pending", Case.claimed_by == who.name,
            Case.lease_token == lease_token,
        ).values(lease_until=until).execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        raise lease_lost(session, case_id)
    return schemas.Lease(case_id=case_id, lease_token=lease_token, lease_until=until,
                         claimed_by=who.name)


def lease_lost(session: Session, case_id: str) -> ApiError:
    if session.get(Case, case_id) is None:
        return not_found()
    return ApiError(409, "lease_lost", both(
        "CentralApi", "You no longer hold this case; claim it again."))


def release(session: Session, who: Principal, case_id: str, lease_token: str) -> None:
    result = session.execute(
        update(Case).where(
            Case.id == case_id, Case.claimed_by == who.name, Case.lease_token == lease_token,
        ).values(claimed_by=None, lease_token=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if rows_matched(result) != 1:
        raise lease_lost(session, case_id)
    audit(session, who, "review.released", case_id)

