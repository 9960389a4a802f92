"""The local outbox: one row per committed case, delivered with the case's idempotency key."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station.db.models import Case, CaseState, OutboxItem, OutboxState
from station.wire import STATUS_TOKEN, Receipt


def enqueue_case(session: Session, case: Case) -> OutboxItem:
    """Call inside the transaction that commits ``case``: the case and its delivery order
    are saved together or not at all. Enqueuing twice is harmless."""
    existing = session.scalar(
        select(OutboxItem).where(OutboxItem.idempotency_key == case.idempotency_key))
    if existing is not None:
        return existing
    if case.id is None:
        session.flush()
    item = OutboxItem(case_id=case.id, idempotency_key=case.idempotency_key,
                      state=OutboxState.PENDING, attempts=0, next_attempt_at=_now())
    session.add(item)
    return item


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def backoff_seconds(attempts: int, base: float = 2.0, cap: float = 300.0,
                    rng: random.Random | None = None) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, so a fleet of
    stations coming back after an outage does not retry in lock step."""
    ceiling = min(cap, base * 2 ** max(0, attempts - 1))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def due_item_ids(session: Session, now: datetime, limit: int = 20) -> list[str]:
    return list(session.scalars(
        select(OutboxItem.id).where(OutboxItem.state == OutboxState.PENDING,
                                    OutboxItem.next_attempt_at <= now)
        .order_by(OutboxItem.next_attempt_at, OutboxItem.created_at).limit(limit)))


def next_due_at(session: Session) -> datetime | None:
    moment = session.scalar(select(func.min(OutboxItem.next_attempt_at))
                            .where(OutboxItem.state == OutboxState.PENDING))
    return _aware(moment) if moment else None


def counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(OutboxItem.state, func.count()).group_by(OutboxItem.state))
    result = {state.value: 0 for state in OutboxState}
    for state, count in rows:
        result[str(state)] = count
    return result


def mark_delivered(session: Session, item_id: str, receipt: Receipt,
                   now: datetime) -> Case | None:
    item = session.get(OutboxItem, item_id)
    if item is None or item.state == OutboxState.DELIVERED:
        return None
    item.state = OutboxState.DELIVERED
    item.delivered_at = now
    item.attempts += 1
    item.last_error = None
    item.central_receipt = receipt.model_dump(mode="json")
    case = session.get(Case, item.case_id)
    if case is not None and case.state == CaseState.COMMITTED:
        case.state = CaseState.SYNCED
        case.synced_at = now
        if receipt.due_at is not None and case.due_at is None:
            case.due_at = receipt.due_at
    if case is not None and receipt.status_token and not (case.details or {}).get(STATUS_TOKEN):
        # committed before stations made the token: a reprint's QR code takes the service's
        case.details = {**(case.details or {}), STATUS_TOKEN: receipt.status_token}
    return case


def mark_retry(session: Session, item_id: str, error: str, now: datetime,
               rng: random.Random | None = None, base: float = 2.0, cap: float = 300.0) -> None:
    item = session.get(OutboxItem, item_id)
    if item is None or item.state != OutboxState.PENDING:
        return
    item.attempts += 1
    item.last_error = error[:1000]
    item.next_attempt_at = now + timedelta(
        seconds=backoff_seconds(item.attempts, base=base, cap=cap, rng=rng))


def mark_dead(session: Session, item_id: str, error: str) -> None:
    item = session.get(OutboxItem, item_id)
    if item is None:
        return
    item.attempts += 1
    item.state = OutboxState.DEAD
    item.last_error = error[:1000]


def requeue_dead(session: Session, item_id: str) -> None:
    """An operator fixed the cause: try again now."""
    item = session.get(OutboxItem, item_id)
    if item is not None and item.state == OutboxState.DEAD:
        item.state = OutboxState.PENDING
        item.next_attempt_at = _now()


def due_now(session: Session) -> int:
    """The clerk pressed "sync now": every pending case is due at once, whatever its backoff
    (a refused one stays refused until an operator requeues it). Returns how many."""
    items = list(session.scalars(select(OutboxItem).where(
        OutboxItem.state == OutboxState.PENDING)))
    for item in items:
        item.next_attempt_at = _now()
    return len(items)


def case_sync_state(session: Session, case_id: str) -> dict[str, Any]:
    """What the UI shows per case: queued / delivered / failed, attempts, last error."""
    item = session.scalar(select(OutboxItem).where(OutboxItem.case_id == case_id))
    case = session.get(Case, case_id)
    if item is None:
        return {"state": "local", "case_state": str(case.state) if case else None}
    return {
        "state": str(item.state), "case_state": str(case.state) if case else None,
        "attempts": item.attempts, "last_error": item.last_error,
        "next_attempt_at": _aware(item.next_attempt_at).isoformat(),
        "delivered_at": _aware(item.delivered_at).isoformat() if item.delivered_at else None,
        "central_case_id": (item.central_receipt or {}).get("case_id"),
        "review_status": str(case.review_status) if case else None,
    }
