"""Writing events in the transaction that caused them, and reading them back for replay.

Event schema ``counter-station.event/1`` (JSON; documented in docs/events.schema.json):
``{"schema", "seq", "topic", "occurred_at", "case": {...}, "decision": {...} | null}``.
``seq`` is the consumer's position and the idempotency key: a consumer that has seen a seq
ignores it again. No personal data travels in events: systems that need the person fetch
the case through the API with their own credential.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from central.db import table_of
from central.models import EventRecord, WebhookDelivery

SCHEMA = "counter-station.event/1"
TOPICS = ("case.received", "case.decided")


def case_summary(*, case_id: str, number: str, kind: str, source: str, origin: str,
                 reference: str, review_state: str, due_at: datetime | None,
                 received_at: datetime) -> dict[str, Any]:
    return {"case_id": case_id, "number": number, "kind": kind, "source": source,
            "origin": origin, "reference": reference, "review_state": review_state,
            "due_at": due_at.isoformat() if due_at else None,
            "received_at": received_at.isoformat()}


def record_event(db: Session | Connection, topic: str, case: dict[str, Any], now: datetime,
                 decision: dict[str, Any] | None = None, *, callback: tuple[str, str] | None = None,
                 ) -> int:
    """Add one event (and, for a platform case with a callback URL, its webhook delivery)
    to the caller's transaction; returns its seq."""
    assert topic in TOPICS, topic
    events = table_of(EventRecord)
    body = {"schema": SCHEMA, "topic": topic, "occurred_at": now.isoformat(), "case": case,
            "decision": decision}
    seq = int(db.execute(insert(events).values(topic=topic, case_id=case["case_id"], body=body,
                                               created_at=now).returning(events.c.seq)
                         ).scalar_one())
    if callback is not None:
        client_id, url = callback
        db.execute(insert(table_of(WebhookDelivery)).values(
            event_seq=seq, client_id=client_id, url=url, state="pending", attempts=0,
            next_attempt_at=now))
    return seq


def record_events(db: Session | Connection, topic: str, cases: list[dict[str, Any]],
                  now: datetime) -> None:
    """Several events without callbacks in one statement (a station's batch delivery)."""
    if cases:
        db.execute(insert(table_of(EventRecord)), [
            {"topic": topic, "case_id": case["case_id"], "created_at": now,
             "body": {"schema": SCHEMA, "topic": topic, "occurred_at": now.isoformat(),
                      "case": case, "decision": None}} for case in cases])


def message(seq: int, body: dict[str, Any]) -> dict[str, Any]:
    """The event as consumers see it: the stored body with its position."""
    return {"schema": body.get("schema", SCHEMA), "seq": seq,
            **{k: v for k, v in body.items() if k != "schema"}}


def read_events(session: Session, after: int, limit: int,
                topic: str | None = None) -> list[dict[str, Any]]:
    """Events after a position, in order: a consumer's replay (or catch-up after downtime)."""
    query = select(EventRecord.seq, EventRecord.body).where(EventRecord.seq > after)
    if topic:
        query = query.where(EventRecord.topic == topic)
    return [message(seq, body) for seq, body in
            session.execute(query.order_by(EventRecord.seq).limit(limit))]
