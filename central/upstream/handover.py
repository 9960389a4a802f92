"""Approved results handed over to the traffic-management system, each exactly once.

The transaction that approves a case (a supervisor's approval, or a station's case that
needed no review) adds its ``upstream_handovers`` row: the outbox. A background thread
(``HandoverDispatcher``) takes due rows with FOR UPDATE SKIP LOCKED (several API processes
share the work, none sends a row another is sending), sends each with the case id as its
idempotency key and marks it delivered once acknowledged. A crash between the system's
answer and that commit sends it again; the system answers a known id with its first
acknowledgement, so each result is stored once. Unreachable, slow or busy: retried after
5 s, doubling up to 15 min, for as long as it takes. Refused (the system said no): kept as
``refused`` with its reason and logged as an error for an administrator.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from central.db import table_of
from central.models import Blob, Case, CasePart, UpstreamHandover, aware, utcnow
from central.persons import document_number
from central.sealing import Sealer
from central.upstream.protocol import (
    HandOver,
    TrafficSystem,
    UpstreamRefused,
    UpstreamUnavailable,
)
from station.wire import PartKind

log = logging.getLogger(__name__)
MAX_BACKOFF_S = 900


def result_of(kind: str) -> str:
    """What an approved case of ``kind`` gives the traffic system."""
    return "licence_photo" if kind == "elicence_photo" else "account_verified"


def owe_handovers(db: Session | Connection, cases: list[tuple[str, str]],
                  now: datetime) -> None:
    """Add the hand-overs of approved cases [(case id, kind)] to the caller's transaction."""
    if cases:
        db.execute(insert(table_of(UpstreamHandover)), [
            {"case_id": case_id, "result": result_of(kind), "state": "pending", "attempts": 0,
             "next_attempt_at": now, "created_at": now} for case_id, kind in cases])


def _hand_over_of(session: Session, sealer: Sealer, handover: UpstreamHandover,
                  case: Case) -> HandOver:
    payload = sealer.open_payload(case.id, case.payload)
    number = document_number(payload.get("fields") or {})
    if not number:
        raise UpstreamRefused("NO_ID_NUMBER", "the case names no identity document number")
    photo = media_type = None
    if handover.result == "licence_photo":
        row = session.execute(
            select(Blob.sha256, Blob.data, Blob.sealed, CasePart.media_type)
            .join(CasePart, CasePart.sha256 == Blob.sha256)
            .where(CasePart.case_id == case.id, CasePart.role == PartKind.PHOTO_ELICENCE.value)
            .order_by(CasePart.id).limit(1)).first()
        if row is None:
            raise UpstreamRefused("NO_PHOTO", "the e-licence case has no e-licence photo")
        photo, media_type = sealer.open_part(row[0], row[1], row[2]), row[3]
    decided = aware(case.decided_at) or aware(case.received_at)
    return HandOver(handover_id=case.id, case_number=case.number, kind=case.kind,
                    result=handover.result, id_number=number,
                    decided_at=decided.isoformat() if decided else "",
                    phone=payload.get("notify_phone"), photo=photo, media_type=media_type)


def deliver_handovers(sessions: sessionmaker[Session], sealer: Sealer, system: TrafficSystem,
                      batch: int = 20, clock: Callable[[], datetime] = utcnow) -> int:
    """Hand over the due rows; returns how many the system acknowledged. The first
    unreachable answer ends the round (the rest would wait out the same timeout)."""
    delivered = 0
    with sessions.begin() as session:
        now = clock()
        rows = session.execute(
            select(UpstreamHandover, Case).join(Case, Case.id == UpstreamHandover.case_id)
            .where(UpstreamHandover.state == "pending", UpstreamHandover.next_attempt_at <= now)
            .order_by(UpstreamHandover.id).limit(batch)
            .with_for_update(skip_locked=True, of=UpstreamHandover)).all()
        for handover, case in rows:
            handover.attempts += 1
            try:
                ack = system.hand_over(_hand_over_of(session, sealer, handover, case))
            except UpstreamUnavailable as exc:
                handover.last_error = str(exc)[:500]
                handover.next_attempt_at = now + timedelta(
                    seconds=min(MAX_BACKOFF_S, 5 * 2 ** min(handover.attempts - 1, 16)))
                log.warning("hand-over of case %s waits (attempt %d): %s", case.number,
                            handover.attempts, exc)
                break
            except UpstreamRefused as exc:
                handover.state, handover.last_error = "refused", str(exc)[:500]
                log.error("the traffic system refused the hand-over of case %s: %s",
                          case.number, exc)
                continue
            handover.state, handover.ack, handover.delivered_at = "delivered", ack.ack, now
            handover.last_error = None
            delivered += 1
    return delivered


class HandoverDispatcher:
    """Background thread of one API process: hands over due approved results."""

    def __init__(self, sessions: sessionmaker[Session], sealer_of: Callable[[], Sealer],
                 system: TrafficSystem, interval_s: float = 1.0,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.sessions, self.sealer_of, self.system = sessions, sealer_of, system
        self.interval_s, self.clock = interval_s, clock
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="upstream-handover",
                                        daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                deliver_handovers(self.sessions, self.sealer_of(), self.system,
                                  clock=self.clock)
            except Exception:  # the database may be down; the next round tries again
                log.warning("hand-over round failed", exc_info=True)
            self._wake.wait(self.interval_s)
            self._wake.clear()


def handover_states(session: Session, case_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The hand-over of each case (for the case view and tests)."""
    rows = session.scalars(select(UpstreamHandover)
                           .where(UpstreamHandover.case_id.in_(case_ids))).all()
    return {row.case_id: {"state": row.state, "attempts": row.attempts, "ack": row.ack,
                          "last_error": row.last_error} for row in rows}


def open_handovers(session: Session) -> list[dict[str, Any]]:
    """Hand-overs not delivered (waiting or refused), oldest first, for an administrator."""
    rows = session.execute(
        select(UpstreamHandover, Case.number).join(Case, Case.id == UpstreamHandover.case_id)
        .where(UpstreamHandover.state != "delivered").order_by(UpstreamHandover.id)).all()
    return [{"case_id": row.case_id, "number": number, "result": row.result,
             "state": row.state, "attempts": row.attempts,
             "next_attempt_at": (aware(row.next_attempt_at) or row.next_attempt_at).isoformat(),
             "last_error": row.last_error} for row, number in rows]


def retry_refused(session: Session, now: datetime, number: str | None = None) -> list[str]:
    """Send refused hand-overs again (all, or the one of case ``number``) once what the
    system objected to is put right; returns the case ids."""
    query = select(UpstreamHandover).join(Case, Case.id == UpstreamHandover.case_id) \
        .where(UpstreamHandover.state == "refused")
    if number is not None:
        query = query.where(Case.number == number)
    rows = session.scalars(query.with_for_update(of=UpstreamHandover)).all()
    for row in rows:
        row.state, row.next_attempt_at = "pending", now
    return [row.case_id for row in rows]
