"""The station's case list for the clerk: who each case is for (name, masked identity number),
where it stands (sent or not, reviewed, returned with the supervisor's note), search by
identity number, name or case number, what has not reached the central service yet, and the
clerk's count for today (Beijing time).

Names and numbers are encrypted at rest: a number is found through its keyed digest, a name
or a case number by reading the station's cases (a station keeps weeks of cases, not years).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from station.beijing import beijing_day_bounds, beijing_today
from station.db.models import (
    Case,
    CaseKind,
    CaseState,
    IdentityDocument,
    OutboxItem,
    OutboxState,
    Person,
    ReviewStatus,
)
from station.receipts.masking import mask_id_number
from station.workflows.documents import number_digest

LISTED = (CaseState.COMMITTED, CaseState.SYNCED, CaseState.DECIDED)  # not drafts, not cancelled


@dataclass(frozen=True)
class CaseRow:
    id: str
    number: str
    kind: CaseKind
    state: CaseState
    review: ReviewStatus
    flags: tuple[str, ...]
    applicant: str  # the applicant's (or the agent's) name
    masked_id: str
    organisation: str | None
    created_at: datetime
    committed_at: datetime | None
    note: str  # the supervisor's latest note, in full
    decision_reason: str | None
    decided_at: datetime | None
    resubmitted_as: str | None
    resubmission_of: str | None
    operator_id: str | None
    outbox: OutboxState | None  # None: nothing queued (e.g. purged after delivery)
    send_error: str | None  # why the last delivery failed, while it has not gone through

    @property
    def unsent(self) -> bool:
        return self.outbox in (OutboxState.PENDING, OutboxState.DEAD)


def _row(case: Case, outbox: OutboxItem | None) -> CaseRow:
    people = {p.role: p for p in case.people}
    person = people.get("agent") or people.get("applicant")
    doc = person.documents[0] if person and person.documents else None
    decision = max(case.decisions, key=lambda d: d.decided_at, default=None)
    details = case.details or {}
    return CaseRow(
        id=case.id, number=case.number, kind=case.kind, state=case.state,
        review=case.review_status, flags=tuple(case.flags or ()),
        applicant=(person.name or person.name_en or "") if person else "",
        masked_id=mask_id_number(doc.number or "") if doc and doc.number else "",
        organisation=(case.personal or {}).get("organisation_name"),
        created_at=case.created_at, committed_at=case.committed_at,
        note=(decision.note or "") if decision else "",
        decision_reason=decision.reason_code if decision else None,
        decided_at=decision.decided_at if decision else None,
        resubmitted_as=details.get("resubmitted_as"),
        resubmission_of=(details.get("resubmission_of") or {}).get("number"),
        operator_id=case.operator_id,
        outbox=outbox.state if outbox else None,
        send_error=outbox.last_error if outbox and outbox.state != OutboxState.DELIVERED
        else None,
    )


def _matches(row: CaseRow, query: str) -> bool:
    text = query.casefold()
    return text in row.number.casefold() or text in row.applicant.casefold() or bool(
        row.organisation and text in row.organisation.casefold())


def list_cases(session: Session, station_code: str, query: str = "", *, only: str = "all",
               digest_key: bytes | None = None, limit: int = 500) -> list[CaseRow]:
    """Newest first. ``query``: a full identity number (found by digest), or part of a name,
    an organisation's name or a case number. ``only``: all | unsent | returned | review."""
    statement = (select(Case).where(Case.station_code == station_code, Case.state.in_(LISTED))
                 .options(selectinload(Case.people).selectinload(Person.documents),
                          selectinload(Case.decisions))
                 .order_by(Case.created_at.desc()))
    query = query.strip()
    if only == "returned":
        statement = statement.where(Case.review_status == ReviewStatus.RETURNED)
    elif only == "review":
        statement = statement.where(Case.review_status == ReviewStatus.PENDING)
    cases = list(session.scalars(statement))
    outboxes = {item.case_id: item for item in session.scalars(
        select(OutboxItem).where(OutboxItem.case_id.in_([c.id for c in cases])))}
    rows = [_row(case, outboxes.get(case.id)) for case in cases]
    if query:
        from station.workflows.cases import find_by_number_key

        key = digest_key or find_by_number_key()  # the whole identity or passport number
        holders = set(session.scalars(
            select(Person.case_id).join(IdentityDocument)
            .where(IdentityDocument.number_digest == number_digest(query, key))))
        rows = [row for row in rows if row.id in holders or _matches(row, query)]
    if only == "unsent":
        rows = [row for row in rows if row.unsent]
    return rows[:limit]


def unsent_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(OutboxItem).where(
        OutboxItem.state.in_((OutboxState.PENDING, OutboxState.DEAD)))) or 0


def count_today(session: Session, operator_id: str, now: datetime | None = None) -> int:
    """The cases this clerk submitted today, the office's (Beijing) day."""
    start, end = beijing_day_bounds(beijing_today(now))
    return session.scalar(select(func.count()).select_from(Case).where(
        Case.operator_id == operator_id, Case.state.in_(LISTED),
        Case.committed_at >= start, Case.committed_at < end)) or 0
