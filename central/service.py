"""What the API does, on a SQLAlchemy session: ingest, feed, review queue, leases, decisions.

Everything that must be safe with several API processes on one database is one atomic
statement (conditional UPDATE, unique constraint, row-locking UPDATE ... RETURNING), so no
process needs to trust another's memory or clock: the server's clock rules leases and due
times, the stations' clocks are only informative.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import astuple, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, insert, literal_column, or_, select, text, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.orm import Session

from central import schemas
from central.errors import ApiError
from central.models import (
    AuditAnchor,
    AuditEntry,
    Blob,
    Case,
    CasePart,
    Decision,
    FeedEntry,
    Notification,
    PartUpload,
    PhoneVerification,
    ReviewState,
    Station,
    aware,
    new_id,
)
from central.sealing import Sealer
from central.sms import KIND_NAMES, mask_phone, render
from station.i18n import both
from station.workdays import CHINA, WorkdayCalendar

log = logging.getLogger("central")
DECISION_STATES = {"approve": "approved", "reject": "rejected", "return": "returned"}


@dataclass(frozen=True)
class Principal:
    kind: str  # "user" | "station"
    id: str
    name: str  # username or station code
    role: str


def audit(session: Session, who: Principal | None, action: str, case_id: str | None = None,
          **details: Any) -> None:
    session.add(AuditEntry(
        actor=who.name if who else "system", role=who.role if who else "system",
        action=action, case_id=case_id, details=details,
    ))


def canonical_sha256(body: dict[str, Any]) -> str:
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def receipt_of(case: Case, replayed: bool = False) -> dict[str, Any]:
    return {**case.receipt, "replayed": replayed}


# --- ingest -------------------------------------------------------------------------------


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
) -> list[IngestOutcome]:
    """Store each case once, in one transaction, with the parts that came along with them.

    One outcome per case, in order: a case is refused on its own (parts missing or corrupt,
    key reused for another case) without holding up the others. A key delivered twice at the
    same moment (a retry racing its first attempt) meets the unique constraint through
    ON CONFLICT DO NOTHING and is answered from the row that won, so nothing is stored twice
    and no error escapes. Core statements, not the ORM unit of work: this is the hot path of
    every station. The keys must differ (the request schema sees to it)."""
    queue_changed()
    corrupt = {sha for sha, data in inline_parts.items() if hashlib.sha256(data).hexdigest() != sha}
    good_parts = {sha: data for sha, data in inline_parts.items() if sha not in corrupt}
    if good_parts:
        db.execute(_upsert(db, Blob.__table__).on_conflict_do_nothing(index_elements=["sha256"]),
                   [{"sha256": sha, "size": len(data), "data": sealer.seal_part(sha, data),
                     "sealed": True, "created_at": now} for sha, data in good_parts.items()])
    keys = [key for key, _body in cases]
    existing = {row[0]: (row[1], row[2]) for row in db.execute(
        select(Case.idempotency_key, Case.payload_sha256, Case.receipt)
        .where(Case.station_id == station.id, Case.idempotency_key.in_(keys)))}
    wanted = {part.sha256 for _key, body in cases for part in body.parts} - set(good_parts)
    present = set(db.scalars(select(Blob.sha256).where(Blob.sha256.in_(wanted)))) \
        if wanted else set()
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
        row = _case_row(station, key, body, payload, payload_sha, now, calendar, sealer)
        rows.append(row)
        bodies[key] = body
        outcome.receipt = {**row["receipt"], "replayed": False}
    if not rows:
        return outcomes
    stored = set(db.scalars(
        _upsert(db, Case.__table__)
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
        {"case_id": row["id"], "sha256": part.sha256, "role": part.role,
         "media_type": part.media_type, "size": part.size, "meta": part.meta}
        for row in rows if row["idempotency_key"] in stored
        for part in bodies[row["idempotency_key"]].parts
    ]
    if parts:
        db.execute(insert(CasePart.__table__), parts)
    return outcomes


def _answer_from_stored(outcome: IngestOutcome, stored_sha: str, receipt: dict[str, Any],
                        payload_sha: str) -> None:
    outcome.receipt, outcome.error = None, None
    try:
        outcome.receipt, outcome.replayed = _replay(stored_sha, receipt, payload_sha), True
    except ApiError as refusal:
        outcome.error = refusal


def _case_row(station: Principal, key: str, body: schemas.CaseIn, payload: dict[str, Any],
              payload_sha: str, now: datetime, calendar: WorkdayCalendar,
              sealer: Sealer) -> dict[str, Any]:
    needs_review = body.review_required or bool(body.flags)
    case_id = secrets.token_hex(16)
    due_at = calendar.due_time(now) if needs_review else None
    review_state = ReviewState.PENDING if needs_review else ReviewState.NOT_REQUIRED
    receipt = {
        "case_id": case_id, "idempotency_key": key, "number": body.number,
        "received_at": now.isoformat(), "due_at": due_at.isoformat() if due_at else None,
        "review_state": str(review_state),
    }
    return dict(
        id=case_id, station_id=station.id, station_code=station.name, idempotency_key=key,
        payload_sha256=payload_sha, number=body.number, kind=body.kind, clerk=body.clerk,
        flags_text="," + "".join(f"{flag}," for flag in body.flags),
        payload=sealer.seal_payload(case_id, payload),
        committed_at=body.committed_at, received_at=now, due_at=due_at,
        review_state=str(review_state), receipt=receipt,
    )


def _upsert(db: Any, table: Any) -> Any:
    """INSERT that can say ON CONFLICT, in the database's own dialect."""
    if dialect_name(db) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)


def dialect_name(db: Any) -> str:
    """Works for a Session and for a Core Connection."""
    return db.dialect.name if hasattr(db, "dialect") else db.get_bind().dialect.name


# --- parts --------------------------------------------------------------------------------


def part_status(session: Session, sha: str) -> schemas.PartStatus:
    blob_size = session.scalar(select(Blob.size).where(Blob.sha256 == sha))
    if blob_size is not None:
        return schemas.PartStatus(sha256=sha, complete=True, offset=blob_size, size=blob_size)
    row = session.execute(
        select(func.length(PartUpload.received), PartUpload.total_size)
        .where(PartUpload.sha256 == sha)
    ).first()
    if row is None:
        return schemas.PartStatus(sha256=sha, complete=False, offset=0)
    return schemas.PartStatus(sha256=sha, complete=False, offset=row[0] or 0, size=row[1])


def store_blob(session: Session | Connection, sha: str, data: bytes, now: datetime,
               sealer: Sealer) -> bool:
    """Verify and keep a whole part; returns False when it was already there.

    On PostgreSQL the blob's commit does not wait for the WAL flush: the case that names it
    commits later with a synchronous flush, which writes this earlier WAL too; if the
    database crashed in between, ingest reports the part missing and the station resends."""
    if hashlib.sha256(data).hexdigest() != sha:
        raise ApiError(422, "hash_mismatch", both(
            "CentralApi", "The uploaded content does not match its SHA-256 hash."))
    if dialect_name(session) == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))
    result = session.execute(
        _upsert(session, Blob.__table__)
        .values(sha256=sha, size=len(data), data=sealer.seal_part(sha, data), sealed=True,
                created_at=now)
        .on_conflict_do_nothing(index_elements=["sha256"])
    )
    return bool(result.rowcount)


def append_chunk(session: Session, sha: str, offset: int, total: int, chunk: bytes,
                 now: datetime, sealer: Sealer) -> schemas.PartStatus:
    """Resumable upload: the chunk must start where the stored bytes end (else 409 with the
    offset to resume from); the last chunk verifies the hash and publishes the blob."""
    if session.get(Blob, sha) is not None:
        return schemas.PartStatus(sha256=sha, complete=True, offset=total, size=total)
    upload = session.get(PartUpload, sha, with_for_update=True)
    if upload is None:
        if offset != 0:
            raise ApiError(409, "upload_offset", both(
                "CentralApi", "The upload must continue from the offset the server holds."),
                offset=0)
        upload = PartUpload(sha256=sha, total_size=total, received=b"", updated_at=now)
        session.add(upload)
    if upload.total_size != total:  # a different declared size: restart cleanly
        upload.total_size, upload.received = total, b""
        if offset != 0:
            raise ApiError(409, "upload_offset", both(
                "CentralApi", "The upload must continue from the offset the server holds."),
                offset=0)
    held = len(upload.received)
    if offset != held:
        raise ApiError(409, "upload_offset", both(
            "CentralApi", "The upload must continue from the offset the server holds."),
            offset=held)
    data = upload.received + chunk
    if len(data) > total:
        upload.received = b""
        raise ApiError(422, "upload_too_long", both(
            "CentralApi", "More bytes were sent than the declared size; the upload restarts."),
            offset=0)
    upload.updated_at = now
    if len(data) < total:
        upload.received = data
        return schemas.PartStatus(sha256=sha, complete=False, offset=len(data), size=total)
    session.delete(upload)
    if hashlib.sha256(data).hexdigest() != sha:
        session.flush()
        raise ApiError(422, "hash_mismatch", both(
            "CentralApi", "The uploaded content does not match its SHA-256 hash."), offset=0)
    session.add(Blob(sha256=sha, size=len(data), data=sealer.seal_part(sha, data), sealed=True))
    return schemas.PartStatus(sha256=sha, complete=True, offset=total, size=total)


# --- feed ---------------------------------------------------------------------------------


def next_feed_seq(session: Session, station_id: str) -> int:
    """Row-locking increment: entries of one station commit in seq order, so a cursor never
    skips an entry that commits late."""
    return session.execute(
        update(Station).where(Station.id == station_id)
        .values(feed_seq=Station.feed_seq + 1).returning(Station.feed_seq)
    ).scalar_one()


def read_feed(session: Session, station: Principal, cursor: int, limit: int) -> schemas.FeedPage:
    rows = session.scalars(
        select(FeedEntry).where(FeedEntry.station_id == station.id, FeedEntry.seq > cursor)
        .order_by(FeedEntry.seq).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    entries = [schemas.FeedItem(seq=row.seq, **row.body) for row in rows]
    return schemas.FeedPage(entries=entries, cursor=rows[-1].seq if rows else cursor, more=more)


CODE_LIFETIME = timedelta(minutes=5)
CODE_ATTEMPTS = 5


def _code_hash(verification_id: str, code: str) -> str:
    return hashlib.sha256(f"{verification_id}:{code}".encode()).hexdigest()


def queue_sms(session: Session, sealer: Sealer, case_id: str, phone: str, template: str,
              text: str, now: datetime) -> None:
    """Put an SMS in the outbox (sent by the dispatcher), its number and text sealed."""
    row_id = new_id()
    session.add(Notification(id=row_id, case_id=case_id, phone=mask_phone(phone),
                             template=template, next_attempt_at=now,
                             text=sealer.seal_message(row_id, phone, text)))


def start_phone_verification(session: Session, station: Principal,
                             body: schemas.PhoneVerificationIn, now: datetime,
                             sealer: Sealer) -> schemas.PhoneVerificationOut:
    """Make a 6-digit code, keep only its hash, and queue the SMS (sent by the dispatcher)."""
    code = f"{secrets.randbelow(10**6):06d}"
    row = PhoneVerification(station_id=station.id, phone=mask_phone(body.phone), code_hash="",
                            attempts=0, expires_at=now + CODE_LIFETIME, created_at=now)
    session.add(row)
    session.flush()
    row.code_hash = _code_hash(row.id, code)
    queue_sms(session, sealer, "", body.phone, "verification", render("verification", {
        "code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}), now)
    audit(session, station, "phone.code_sent", None, verification=row.id)
    return schemas.PhoneVerificationOut(id=row.id, expires_at=aware(row.expires_at))


def check_phone_code(session: Session, station: Principal, verification_id: str,
                     body: schemas.PhoneCodeIn, now: datetime) -> schemas.PhoneCodeOut:
    row = session.get(PhoneVerification, verification_id, with_for_update=True)
    if row is None or row.station_id != station.id:
        raise ApiError(404, "verification_not_found", both(
            "CentralApi", "No such verification code request."))
    if row.verified_at is not None:
        return schemas.PhoneCodeOut(verified=True, attempts_left=CODE_ATTEMPTS - row.attempts)
    if aware(row.expires_at) < now or row.attempts >= CODE_ATTEMPTS:
        return schemas.PhoneCodeOut(verified=False, attempts_left=0)
    row.attempts += 1
    ok = secrets.compare_digest(row.code_hash, _code_hash(row.id, body.code))
    if ok:
        row.verified_at = now
    audit(session, station, "phone.code_checked", None, verification=row.id, ok=ok)
    return schemas.PhoneCodeOut(verified=ok, attempts_left=CODE_ATTEMPTS - row.attempts)


def record_audit_anchor(session: Session, station: Principal, body: schemas.AuditAnchorIn,
                        now: datetime) -> schemas.AuditAnchorOut:
    """Keep the station's newest audit hash. The same seq with another hash means the
    station's chain was rewritten after it was anchored: refused and audited."""
    existing = session.get(AuditAnchor, (station.id, body.seq))
    if existing is not None and existing.hash != body.hash:
        audit(session, station, "audit.anchor_mismatch", seq=body.seq)
        raise ApiError(409, "audit_anchor_mismatch", both(
            "CentralApi", "This audit entry was anchored earlier with a different hash: the "
            "station's audit log has been altered."))
    if existing is None:
        existing = AuditAnchor(station_id=station.id, seq=body.seq, hash=body.hash,
                               received_at=now)
        session.add(existing)
        session.flush()
    return schemas.AuditAnchorOut(seq=existing.seq, hash=existing.hash,
                                  received_at=aware(existing.received_at))


def latest_audit_anchor(session: Session, station: Principal) -> schemas.AuditAnchorOut | None:
    row = session.scalar(select(AuditAnchor).where(AuditAnchor.station_id == station.id)
                         .order_by(AuditAnchor.seq.desc()).limit(1))
    if row is None:
        return None
    return schemas.AuditAnchorOut(seq=row.seq, hash=row.hash, received_at=aware(row.received_at))


# --- review queue -------------------------------------------------------------------------


def _claimed_now(now: datetime) -> Any:
    # the state as a literal, not a parameter: PostgreSQL then matches ix_cases_claimed's
    # predicate in prepared (generic) plans too
    return and_(Case.review_state == literal_column("'pending'"), Case.claimed_by.is_not(None),
                Case.lease_until >= now)


def _free_now(now: datetime) -> Any:
    return and_(Case.review_state == "pending",
                or_(Case.claimed_by.is_(None), Case.lease_until < now))


def state_condition(state: str, now: datetime) -> Any:
    if state == "claimed":
        return _claimed_now(now)
    if state == "pending":
        return _free_now(now)
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


def apply_filter(query: Select[Any], flt: QueueFilter, now: datetime,
                 with_state: bool = True) -> Select[Any]:
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


def queue_item(case: Case | Row[Any], now: datetime) -> schemas.QueueItem:
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


# Counts per state are the costly part of a listing (a scan of every reviewed case), so they
# come from counts per group (state, kind, station, clerk, flags) taken at most about
# COUNTS_TTL_S ago, from which any filter on those columns is summed; the claimed ones are
# counted live from the small ix_cases_claimed index, since a lease ends by the clock.
# On PostgreSQL the groups are one row shared by all API processes (review_count_snapshots):
# whichever process finds it stale refreshes it under an advisory lock while the others keep
# reading the previous one, so one scan a second serves every reviewer. New cases and
# decisions show within about a second. A stale snapshot is recounted by a background thread
# while listings go on with it, up to COUNTS_MAX_AGE_S. The groups also say which open cases
# were overdue when counted, for the overdue filter; the other filters on time (age, due
# before) are counted by a query of their own, kept COUNTS_TTL_S per process.
COUNTS_TTL_S = 1.0
COUNTS_MAX_AGE_S = 2 * COUNTS_TTL_S  # older: the listing waits for a new count
REVIEW_STATES = ("pending", "claimed", "approved", "rejected", "returned")
TIME_FILTERS = ("min_age_minutes", "max_age_minutes", "due_before", "overdue")
SNAPSHOT_LOCK = 72_010_009  # pg_advisory_xact_lock key: one process refreshes at a time
_counts_lock = threading.Lock()
_counts_cache: dict[tuple[Any, ...], tuple[float, int, dict[str, int]]] = {}
_counts_generation = [0]
# state (pending = open), kind, station, clerk, flags_text, overdue at taken_at, count
GroupRow = Sequence[Any]


@dataclass
class ReviewGroups:
    """Counts per group as of ``taken_at`` (database clock; None when counted in-process)."""

    taken_at: datetime | None
    rows: list[GroupRow]
    valid_until: float  # time.monotonic(): trusted until then, then looked at again
    usable_until: float  # ... and shown meanwhile while one thread of the process looks
    generation: int = -1
    age: float = 0.0  # seconds, when read
    _sums: dict[tuple[str | bool | None, ...], dict[str, int]] = field(default_factory=dict)

    def sums(self, flt: QueueFilter) -> dict[str, int]:
        """Cases per state matching the filter's kind/reason/station/clerk/overdue;
        "pending" holds every open case, claimed or not."""
        key = (flt.kind, flt.reason, flt.station, flt.clerk, flt.overdue)
        hit = self._sums.get(key)
        if hit is not None:
            return hit
        mark = f",{flt.reason}," if flt.reason else None
        sums: dict[str, int] = {}
        for state, kind, station, clerk, flags, late, count in self.rows:
            if (flt.kind and kind != flt.kind) or (flt.station and station != flt.station) \
                    or (flt.clerk and clerk != flt.clerk) or (mark and mark not in flags) \
                    or (flt.overdue is not None and bool(late) != flt.overdue):
                continue
            sums[state] = sums.get(state, 0) + count
        if len(self._sums) > 1000:  # filters are free text: keep the memo bounded
            self._sums.clear()
        self._sums[key] = sums
        return sums


def queue_changed() -> None:
    """A case came or was decided in this process: drop this process's copies at once."""
    with _counts_lock:
        _counts_generation[0] += 1
        _counts_cache.clear()


def queue_counts(session: Session, flt: QueueFilter, now: datetime) -> dict[str, int]:
    """Cases per state for the filter (its ``state`` ignored), as listings show them."""
    counts = dict.fromkeys(REVIEW_STATES, 0)
    groups = None
    if all(getattr(flt, name) is None for name in TIME_FILTERS if name != "overdue"):
        groups = review_groups(session)
        # "overdue" as of the snapshot: only when it was taken by the clock the request uses
        if flt.overdue is not None and (groups.taken_at is None or abs(
                (now - groups.taken_at).total_seconds()) > COUNTS_MAX_AGE_S):
            groups = None
    counts.update(groups.sums(flt) if groups is not None
                  else _cached_state_totals(session, flt, now))
    claimed = _claimed_count(session, flt, now)
    counts["claimed"] = claimed
    counts["pending"] = max(0, counts.get("pending", 0) - claimed)
    return counts


def _claimed_count(session: Session, flt: QueueFilter, now: datetime) -> int:
    claimed = QueueFilter(**{**flt.__dict__, "state": "claimed"})
    return int(session.scalar(apply_filter(select(func.count()).select_from(Case), claimed,
                                           now)) or 0)


def _group_rows(session: Session | Connection) -> list[GroupRow]:
    """Reviewed cases per group, counted here (embedded use; PostgreSQL counts into the
    shared snapshot). No overdue flags: the overdue filter is then counted on its own."""
    return [(state, kind, station, clerk, flags, False, int(count))
            for state, kind, station, clerk, flags, count in session.execute(
                select(Case.review_state, Case.kind, Case.station_code, Case.clerk,
                       Case.flags_text, func.count())
                .where(Case.review_state != "not_required")
                .group_by(Case.review_state, Case.kind, Case.station_code, Case.clerk,
                          Case.flags_text))]


_groups_cache: dict[int, ReviewGroups] = {}
_looking: set[int] = set()  # engines whose snapshot a thread of this process is fetching


def review_groups(session: Session) -> ReviewGroups:
    key = id(session.get_bind())
    postgres = dialect_name(session) == "postgresql"
    with _counts_lock:
        generation = _counts_generation[0]
        known = _groups_cache.get(key)
        moment = time.monotonic()
        if known is not None and known.generation == generation and moment < known.valid_until:
            return known
        if postgres and known is not None and key in _looking and moment < known.usable_until:
            return known  # one thread fetches the new snapshot; the others need not wait
        _looking.add(key)
    try:
        if postgres:
            groups = _shared_groups(session, known)
        else:  # embedded (SQLite): a single process, so its own copy is the only one
            groups = ReviewGroups(None, _group_rows(session), moment + COUNTS_TTL_S,
                                  moment + COUNTS_TTL_S)
    finally:
        with _counts_lock:
            _looking.discard(key)
    with _counts_lock:
        if _counts_generation[0] == generation:
            groups.generation = generation
            _groups_cache[key] = groups
    return groups


_READ_SNAPSHOT = text(
    "SELECT taken_at, EXTRACT(EPOCH FROM clock_timestamp() - taken_at) AS age, "
    "CASE WHEN taken_at IS DISTINCT FROM CAST(:known AS timestamptz) THEN groups END AS groups "
    "FROM review_count_snapshots WHERE id = 1")
# One statement counts and stores: the groups never travel through Python on the way in.
# Its start time is the snapshot's time (its MVCC snapshot is taken just after it).
_COUNT_INTO_SNAPSHOT = text(
    "INSERT INTO review_count_snapshots (id, taken_at, groups) "
    "SELECT 1, statement_timestamp(), coalesce(json_agg(json_build_array("
    "g.review_state, g.kind, g.station_code, g.clerk, g.flags_text, g.late, g.n)), "
    "CAST('[]' AS json)) "
    "FROM (SELECT review_state, kind, station_code, clerk, flags_text, "
    "coalesce(review_state = 'pending' AND due_at < statement_timestamp(), false) AS late, "
    "count(*) AS n FROM cases WHERE review_state <> 'not_required' "
    "GROUP BY 1, 2, 3, 4, 5, 6) AS g "
    "ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, groups = excluded.groups")


def _shared_groups(session: Session, known: ReviewGroups | None) -> ReviewGroups:
    current = _read_snapshot(session, known)
    if current is not None and current.age < COUNTS_TTL_S:
        return current
    if current is not None and current.age < COUNTS_MAX_AGE_S:
        # stale but recent: answer with it and let one thread count anew, so no listing waits
        # for the scan while reviewers keep the snapshot warm
        _refresh_in_background(session.get_bind())
        return current
    # missing or too old to show (nobody listed for a while): wait for whoever is counting
    fresh = _refresh_apart(session.get_bind(), known, wait=True)
    assert fresh is not None  # it waited for the lock
    return fresh


def _refresh_apart(bind: Any, known: ReviewGroups | None, wait: bool) -> ReviewGroups | None:
    """_refresh_snapshot in a transaction of its own, whatever the caller's: the lock lasts
    until its commit, and listings read in autocommit."""
    with bind.connect() as connection:
        connection.execution_options(isolation_level="READ COMMITTED")
        with connection.begin():
            return _refresh_snapshot(connection, known, wait)


def _read_snapshot(session: Session | Connection,
                   known: ReviewGroups | None) -> ReviewGroups | None:
    row = session.execute(_READ_SNAPSHOT, {"known": known.taken_at if known else None}).first()
    if row is None:
        return None
    taken_at, age, groups = row
    age, moment = float(age), time.monotonic()
    if age < 0:  # taken "later than now": the database clock went back; count again
        age = COUNTS_MAX_AGE_S
    valid, usable = moment + max(0.0, COUNTS_TTL_S - age), moment + max(0.0, COUNTS_MAX_AGE_S - age)
    if groups is None and known is not None:  # unchanged: keep the parsed rows and their sums
        return ReviewGroups(taken_at, known.rows, valid, usable, age=age, _sums=known._sums)
    return ReviewGroups(taken_at, groups or [], valid, usable, age=age)


def _count_into_snapshot(connection: Connection) -> None:
    connection.execute(text("SET LOCAL synchronous_commit = off"))  # a cache: a crash loses nothing
    connection.execute(_COUNT_INTO_SNAPSHOT)


def _refresh_snapshot(connection: Connection, known: ReviewGroups | None,
                      wait: bool = False) -> ReviewGroups | None:
    """Count the groups into the snapshot, unless another process has just done it. Another
    process counting right now: None, or with ``wait`` its count once it is done. Returns
    the snapshot only when it waited (the background refresh needs none)."""
    if wait:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SNAPSHOT_LOCK})
    elif not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"),
                               {"key": SNAPSHOT_LOCK}):
        return None
    current = _read_snapshot(connection, known)  # it may have been refreshed since the look
    if current is not None and current.age < COUNTS_TTL_S:
        return current if wait else None
    _count_into_snapshot(connection)
    return _read_snapshot(connection, None) if wait else None


_refreshing: set[int] = set()  # engines whose snapshot this process is refreshing


def _refresh_in_background(bind: Any) -> None:
    engine = bind.engine  # an Engine, or the engine of a Connection
    with _counts_lock:
        if id(engine) in _refreshing:
            return
        _refreshing.add(id(engine))

    def work() -> None:
        try:
            _refresh_apart(engine, None, wait=False)
        except Exception:  # the next listing tries again; a failure must not go unseen
            log.exception("refreshing the review counts failed")
        finally:
            with _counts_lock:
                _refreshing.discard(id(engine))

    threading.Thread(target=work, name="review-counts", daemon=True).start()


def _cached_state_totals(session: Session, flt: QueueFilter, now: datetime) -> dict[str, int]:
    """Reviewed cases per state ("pending": every open case) for a filter on time, counted
    on its own and kept COUNTS_TTL_S in this process. The time filters read columns of
    ix_cases_queue, so an overdue count is a range of that index."""
    key = (id(session.get_bind()), *astuple(flt))
    with _counts_lock:
        generation = _counts_generation[0]
        hit = _counts_cache.get(key)
        if hit is not None and hit[1] == generation and time.monotonic() - hit[0] < COUNTS_TTL_S:
            return hit[2]
    totals = {state: int(count) for state, count in session.execute(apply_filter(
        select(Case.review_state, func.count()).group_by(Case.review_state), flt, now,
        with_state=False).where(Case.review_state != "not_required"))}
    with _counts_lock:
        if _counts_generation[0] == generation:
            if len(_counts_cache) > 1000:  # ages and times are free values: keep it bounded
                _counts_cache.clear()
            _counts_cache[key] = (time.monotonic(), generation, totals)
    return totals


def _total_from_counts(counts: dict[str, int], state: str | None) -> int:
    if state is None:
        return sum(counts.values())
    if state == "open":
        return counts.get("pending", 0) + counts.get("claimed", 0)
    return counts.get(state, 0)


def state_counts(session: Session, flt: QueueFilter, now: datetime) -> dict[str, int]:
    """Cases per state for the filter, counted now (a scan of the matching reviewed cases)."""
    counts = dict.fromkeys(REVIEW_STATES, 0)
    claimed = _claimed_now(now)
    query = apply_filter(
        select(Case.review_state, claimed.label("claimed"), func.count())
        .group_by(Case.review_state, claimed), flt, now, with_state=False,
    ).where(Case.review_state != "not_required")
    for review_state, is_claimed, count in session.execute(query):
        key = "claimed" if review_state == "pending" and is_claimed else review_state
        counts[key] = counts.get(key, 0) + count
    return counts


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


def list_queue(session: Session, flt: QueueFilter, sort: str, offset: int, limit: int,
               now: datetime) -> schemas.QueuePage:
    base = apply_filter(select(*_QUEUE_COLUMNS), flt, now)  # plain rows: no ORM bookkeeping
    counts = queue_counts(session, flt, now)
    rows = session.execute(base.order_by(*sort_order(sort)).offset(offset).limit(limit)).all()
    return schemas.QueuePage(
        total=_total_from_counts(counts, flt.state), offset=offset, limit=limit,
        items=[queue_item(c, now) for c in rows], counts=counts,
    )


def _not_found() -> ApiError:
    return ApiError(404, "case_not_found", both("CentralApi", "No such case."))


def _claim_refusal(session: Session, case_id: str, now: datetime) -> ApiError:
    case = session.get(Case, case_id)
    if case is None:
        return _not_found()
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
    if result.rowcount != 1:
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
    if result.rowcount != 1:
        raise _lease_lost(session, case_id)
    return schemas.Lease(case_id=case_id, lease_token=lease_token, lease_until=until,
                         claimed_by=who.name)


def _lease_lost(session: Session, case_id: str) -> ApiError:
    if session.get(Case, case_id) is None:
        return _not_found()
    return ApiError(409, "lease_lost", both(
        "CentralApi", "You no longer hold this case; claim it again."))


def release(session: Session, who: Principal, case_id: str, lease_token: str) -> None:
    result = session.execute(
        update(Case).where(
            Case.id == case_id, Case.claimed_by == who.name, Case.lease_token == lease_token,
        ).values(claimed_by=None, lease_token=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _lease_lost(session, case_id)
    audit(session, who, "review.released", case_id)


def load_reason_codes() -> dict[str, dict[str, str]]:
    from central.sms import DATA_DIR

    return json.loads((DATA_DIR / "reason_codes.json").read_text(encoding="utf-8"))


def decide(session: Session, who: Principal, case_id: str, body: schemas.DecideIn,
           now: datetime, sealer: Sealer) -> schemas.DecisionOut:
    queue_changed()
    reasons = load_reason_codes()
    if body.decision == "reject" and not body.reason_code:
        raise ApiError(422, "reason_required", both(
            "CentralApi", "A rejection needs a reason code."))
    if body.decision == "return" and not (body.note or "").strip():
        raise ApiError(422, "note_required", both(
            "CentralApi", "Say what information is missing in the note."))
    if body.reason_code and body.reason_code not in reasons:
        raise ApiError(422, "unknown_reason", both("CentralApi", "Unknown reason code."))
    state = DECISION_STATES[body.decision]
    result = session.execute(
        update(Case).where(
            Case.id == case_id, Case.review_state == "pending", Case.claimed_by == who.name,
            Case.lease_token == body.lease_token, Case.lease_until >= now,
        ).values(review_state=state, decided_at=now, claimed_by=None, lease_token=None,
                 lease_until=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise _lease_lost(session, case_id)
    case = session.get(Case, case_id)
    assert case is not None
    session.refresh(case)
    decision = Decision(case_id=case_id, decision=state, reason_code=body.reason_code,
                        note=body.note, reviewer=who.name, decided_at=now)
    decision.id = secrets.token_hex(16)
    session.add(decision)
    out = schemas.DecisionOut(id=decision.id, decision=state, reason_code=body.reason_code,
                              note=body.note, reviewer=who.name, decided_at=now)
    seq = next_feed_seq(session, case.station_id)
    session.add(FeedEntry(
        station_id=case.station_id, seq=seq, case_id=case.id, kind="decision", created_at=now,
        body={"case_id": case.id, "idempotency_key": case.idempotency_key,
              "number": case.number, "kind": "decision", "review_state": state,
              "decision": out.model_dump(mode="json")},
    ))
    payload = sealer.open_payload(case.id, case.payload)
    phone = payload.get("notify_phone")
    if phone:
        submitted = (aware(case.received_at) or now).astimezone(CHINA)
        reason = reasons.get(body.reason_code or "", {}).get("zh", "") or (body.note or "")
        office = payload.get("fields", {}).get("office", "") or "车管所"
        queue_sms(session, sealer, case.id, phone, state, render(state, {
            "name": payload.get("fields", {}).get("salutation", ""),
            "submitted": f"{submitted.month}月{submitted.day}日", "office": office,
            "kind": KIND_NAMES.get(case.kind, case.kind), "reason": reason,
        }), now)
    audit(session, who, "review.decided", case_id, decision=state,
          reason_code=body.reason_code)
    return out


# --- detail and statistics ----------------------------------------------------------------


def case_detail(session: Session, case_id: str, now: datetime,
                sealer: Sealer) -> schemas.CaseDetail:
    case = session.get(Case, case_id)
    if case is None:
        raise _not_found()
    parts = session.scalars(select(CasePart).where(CasePart.case_id == case_id)
                            .order_by(CasePart.id)).all()
    decisions = session.scalars(select(Decision).where(Decision.case_id == case_id)
                                .order_by(Decision.decided_at)).all()
    trail = session.scalars(select(AuditEntry).where(AuditEntry.case_id == case_id)
                            .order_by(AuditEntry.id)).all()
    photo = next((p for p in parts if p.role == "photo" and p.meta), None)
    match = photo.meta.get("match_score") if photo else None
    payload = sealer.open_payload(case.id, case.payload)
    return schemas.CaseDetail(
        case=queue_item(case, now), idempotency_key=case.idempotency_key,
        committed_at=aware(case.committed_at),
        review_required=bool(payload.get("review_required")),
        fields=payload.get("fields", {}),
        quality_report=photo.meta.get("quality_report") if photo else None,
        match_score=float(match) if isinstance(match, int | float) else None,
        parts=[schemas.PartOut(sha256=p.sha256, role=p.role, media_type=p.media_type,
                               size=p.size, meta=p.meta,
                               url=f"/v1/cases/{case_id}/parts/{p.sha256}") for p in parts],
        decisions=[schemas.DecisionOut(id=d.id, decision=d.decision, reason_code=d.reason_code,
                                       note=d.note, reviewer=d.reviewer,
                                       decided_at=aware(d.decided_at) or now)
                   for d in decisions],
        audit=[schemas.AuditItem(at=aware(a.at) or now, actor=a.actor, role=a.role,
                                 action=a.action, details=a.details or {}) for a in trail],
    )


def part_of_case(session: Session, case_id: str, sha: str,
                 sealer: Sealer) -> tuple[bytes, str]:
    row = session.execute(
        select(Blob.data, Blob.sealed, CasePart.media_type).join(CasePart, CasePart.sha256 == Blob.sha256)
        .where(CasePart.case_id == case_id, CasePart.sha256 == sha).limit(1)
    ).first()
    if row is None:
        raise ApiError(404, "part_not_found", both("CentralApi", "No such part in this case."))
    return sealer.open_part(sha, row[0], row[1]), row[2]


def stats(session: Session, since: datetime, now: datetime) -> schemas.Stats:
    """Dashboard figures since ``since``: every registration, and the ones sent for review."""
    rows = session.execute(
        select(Case.kind, Case.clerk, Case.station_code, Case.flags_text, Case.review_state,
               Case.received_at, Case.decided_at, Case.due_at, Case.claimed_by,
               Case.lease_until)
        .where(Case.received_at >= since)
    ).all()
    per: dict[str, dict[str, int]] = {name: {} for name in (
        "state", "kind", "clerk", "station", "reason", "reg_kind", "reg_clerk", "reg_day")}

    def bump(table: str, key: str) -> None:
        per[table][key] = per[table].get(key, 0) + 1

    durations: list[float] = []
    overdue = reviewed = 0
    for kind, clerk, station, flags, state, received, decided, due, claimed_by, lease in rows:
        received = aware(received)
        bump("reg_kind", kind)
        bump("reg_clerk", clerk or "?")
        bump("reg_day", received.astimezone(CHINA).date().isoformat())  # type: ignore[union-attr]
        if state == "not_required":
            continue
        reviewed += 1
        lease = aware(lease)
        shown = "claimed" if state == "pending" and claimed_by and lease and lease >= now \
            else state
        for table, value in (("state", shown), ("kind", kind), ("clerk", clerk or "?"),
                             ("station", station)):
            bump(table, value)
        for flag in filter(None, flags.split(",")):
            bump("reason", flag)
        if decided is not None:
            durations.append((aware(decided) - received).total_seconds() / 60)  # type: ignore[operator]
        elif state == "pending" and due is not None and aware(due) < now:  # type: ignore[operator]
            overdue += 1
    return schemas.Stats(
        since=since, total=reviewed, per_state=per["state"], per_kind=per["kind"],
        per_clerk=per["clerk"], per_station=per["station"], per_reason=per["reason"],
        decided=len(durations),
        median_decision_minutes=round(statistics.median(durations), 2) if durations else None,
        overdue=overdue, registrations=len(rows), registrations_per_kind=per["reg_kind"],
        registrations_per_clerk=per["reg_clerk"], registrations_per_day=per["reg_day"],
    )
