"""Case intake from stations: each delivered case stored once, with the parts it names."""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from central import schemas
from central.audit import Principal
from central.db import table_of, upsert
from central.errors import ApiError
from central.events.outbox import case_summary, record_event, record_events
from central.models import Case, CasePart, ReviewState
from central.persons import document_number
from central.sealing import Sealer
from central.sync.parts import keep_blobs, owned_parts
from central.upstream.handover import owe_handovers
from station.i18n import both
from station.workdays import WorkdayCalendar


def canonical_sha256(body: dict[str, Any]) -> str:
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()



def _replay(stored_sha: str, receipt: dict[str, Any], payload_sha: str) -> dict[str, Any]:
    if stored_sha != payload_sha:  # the first delivery stands; say what it was
        raise ApiError(409, "idempotency_conflict", both(
            "CentralApi", "This idempotency key was already used for a different case."),
            receipt={**receipt, "replayed": True})
    return {**receipt, "replayed": True}


@dataclass
class IngestOutcome:
    """What became of one delivered case: a receipt (stored or replayed) or a refusal."""

    idempotency_key: str
    receipt: dict[str, Any] | None = None
    replayed: bool = False
    error: ApiError | None = None

    @property
    def status(self) -> int:
        if self.error is not None:
            return self.error.status
        return 200 if self.replayed else 201


def ingest_case(
    session: Session | Connection, station: Principal, key: str, body: schemas.CaseIn,
    now: datetime, calendar: WorkdayCalendar, sealer: Sealer,
) -> tuple[dict[str, Any], bool]:
    """Store one case once. Returns (receipt, replayed); raises the refusal as an ApiError."""
    outcome = ingest_cases(session, station, [(key, body)], {}, now, calendar, sealer)[0]
    if outcome.error is not None:
        raise outcome.error
    assert outcome.receipt is not None
    return outcome.receipt, outcome.replayed


def ingest_cases(
    db: Session | Connection, station: Principal, cases: list[tuple[str, schemas.CaseIn]],
    inline_parts: dict[str, bytes], now: datetime, calendar: WorkdayCalendar, sealer: Sealer,
    receipt_extra: dict[str, Any] | None = None,
) -> list[IngestOutcome]:
    """Store each case once, in one transaction, with the parts that came along with them.

    One outcome per case, in order: a case is refused on its own (parts missing or corrupt,
    key reused for another case) without holding up the others. A key delivered twice at the
    same moment (a retry racing its first attempt) meets the unique constraint through
    ON CONFLICT DO NOTHING and is answered from the row that won, so nothing is stored twice
    and no error escapes. Core statements, not the ORM unit of work: this is the hot path of
    every station. The keys must differ (the request schema sees to it)."""
    corrupt = {sha for sha, data in inline_parts.items() if hashlib.sha256(data).hexdigest() != sha}
    good_parts = {sha: data for sha, data in inline_parts.items() if sha not in corrupt}
    keep_blobs(db, station, good_parts, now, sealer)
    keys = [key for key, _body in cases]
    existing = {row[0]: (row[1], row[2]) for row in db.execute(
        select(Case.idempotency_key, Case.payload_sha256, Case.receipt)
        .where(Case.station_id == station.id, Case.idempotency_key.in_(keys)))}
    wanted = {part.sha256 for _key, body in cases for part in body.parts} - set(good_parts)
    present = owned_parts(db, station, wanted)  # this station's parts only
    tokens = [body.status_token for key, body in cases if body.status_token and key not in existing]
    taken = set(db.scalars(select(Case.status_token).where(Case.status_token.in_(tokens)))) \
        if tokens else set()
    outcomes: list[IngestOutcome] = []
    rows: list[dict[str, Any]] = []
    bodies: dict[str, schemas.CaseIn] = {}
    shas: dict[str, str] = {}
    for key, body in cases:
        outcome = IngestOutcome(key)
        outcomes.append(outcome)
        payload = body.model_dump(mode="json")
        shas[key] = payload_sha = canonical_sha256(payload)
        if key in existing:
            _answer_from_stored(outcome, *existing[key], payload_sha)
            continue
        refs = {part.sha256 for part in body.parts}
        if refs & corrupt:
            outcome.error = ApiError(422, "hash_mismatch", both(
                "CentralApi", "The uploaded content does not match its SHA-256 hash."),
                parts=sorted(refs & corrupt))
            continue
        missing = sorted(refs - set(good_parts) - present)
        if missing:
            outcome.error = ApiError(409, "parts_missing", both(
                "CentralApi", "Some parts of this case have not been uploaded yet."),
                missing=missing)
            continue
        if body.status_token and body.status_token in taken:
            outcome.error = ApiError(409, "status_token_taken", both(
                "CentralApi", "This status page token belongs to another case."))
            continue
        if body.status_token:
            taken.add(body.status_token)  # a second case of this batch with it is refused
        row = _case_row(station, key, body, payload, payload_sha, now, calendar, sealer,
                        receipt_extra or {})
        rows.append(row)
        bodies[key] = body
        outcome.receipt = {**row["receipt"], "replayed": False}
    if not rows:
        return outcomes
    stored = set(db.scalars(
        upsert(db, Case)
        .on_conflict_do_nothing(index_elements=["station_id", "idempotency_key"])
        .returning(Case.idempotency_key), rows))
    lost_races = [row["idempotency_key"] for row in rows if row["idempotency_key"] not in stored]
    if lost_races:
        winners = {row[0]: (row[1], row[2]) for row in db.execute(
            select(Case.idempotency_key, Case.payload_sha256, Case.receipt)
            .where(Case.station_id == station.id, Case.idempotency_key.in_(lost_races)))}
        for outcome in outcomes:
            key = outcome.idempotency_key
            if key in winners and outcome.receipt is not None and not outcome.replayed:
                _answer_from_stored(outcome, *winners[key], shas[key])
    parts = [
        {"case_id": row["id"], "sha256": part.sha256, "role": part.role.value,
         "media_type": part.media_type, "size": part.size,
         "meta": sealer.seal_meta(row["id"], part.sha256, part.role.value, part.meta)}
        for row in rows if row["idempotency_key"] in stored
        for part in bodies[row["idempotency_key"]].parts
    ]
    if parts:
        db.execute(insert(table_of(CasePart)), parts)
    kept = [row for row in rows if row["idempotency_key"] in stored]
    _announce(db, station, kept, bodies, now)
    # approved at the counter (no review needed): owed to the traffic system now
    owe_handovers(db, [(row["id"], row["kind"]) for row in kept
                       if row["review_state"] == ReviewState.NOT_REQUIRED], now)
    return outcomes


def _announce(db: Session | Connection, who: Principal, rows: list[dict[str, Any]],
              bodies: dict[str, schemas.CaseIn], now: datetime) -> None:
    """One case.received event per stored case, in the same transaction (the outbox)."""
    summaries = []
    for row in rows:
        summary = case_summary(
            case_id=row["id"], number=row["number"], kind=row["kind"], source=who.kind,
            origin=who.name, reference=row["idempotency_key"], review_state=row["review_state"],
            due_at=row["due_at"], received_at=now)
        callback = bodies[row["idempotency_key"]].fields.get("intake", {}).get("callback_url") \
            if who.kind == "platform" else None
        if callback:
            record_event(db, "case.received", summary, now, callback=(who.id, callback))
        else:
            summaries.append(summary)
    record_events(db, "case.received", summaries, now)


def _answer_from_stored(outcome: IngestOutcome, stored_sha: str, receipt: dict[str, Any],
                        payload_sha: str) -> None:
    outcome.receipt, outcome.error = None, None
    try:
        outcome.receipt, outcome.replayed = _replay(stored_sha, receipt, payload_sha), True
    except ApiError as refusal:
        outcome.error = refusal


def _case_row(station: Principal, key: str, body: schemas.CaseIn, payload: dict[str, Any],
              payload_sha: str, now: datetime, calendar: WorkdayCalendar,
              sealer: Sealer, receipt_extra: dict[str, Any]) -> dict[str, Any]:
    needs_review = body.review_required or bool(body.flags)
    case_id = secrets.token_hex(16)
    # the applicant's status page (/s/{token}): unguessable, and no personal data in the URL;
    # a station prints it on the receipt before delivery and sends it with the case
    status_token = body.status_token or secrets.token_urlsafe(16)
    due_at = calendar.due_time(now) if needs_review else None
    review_state = ReviewState.PENDING if needs_review else ReviewState.NOT_REQUIRED
    receipt = {
        "case_id": case_id, "idempotency_key": key, "number": body.number,
        "received_at": now.isoformat(), "due_at": due_at.isoformat() if due_at else None,
        "review_state": str(review_state), "status_token": status_token, **receipt_extra,
    }
    return dict(
        id=case_id, station_id=station.id, station_code=station.name, idempotency_key=key,
        payload_sha256=payload_sha, number=body.number, kind=body.kind, clerk=body.clerk,
        flags_text="," + "".join(f"{flag}," for flag in body.flags),
        payload=sealer.seal_payload(case_id, payload),
        committed_at=body.committed_at, received_at=now, due_at=due_at,
        review_state=str(review_state), receipt=receipt, status_token=status_token,
        person_digest=sealer.lookup_digest(number) if (number := document_number(body.fields))
        else None,
    )


