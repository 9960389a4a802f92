"""The central service's data model (portable between PostgreSQL and SQLite)."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, overload

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def aware(moment: datetime) -> datetime: ...
@overload
def aware(moment: None) -> None: ...
@overload
def aware(moment: datetime | None) -> datetime | None: ...


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}  # noqa: RUF012


class Role(enum.StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    STATION = "station"


class ReviewState(enum.StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"


class Station(Base):
    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128), default="")
    office: Mapped[str] = mapped_column(String(128), default="")
    credential_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # "station" (a counter or kiosk) or "platform" (the 12123 app's intake client)
    kind: Mapped[str] = mapped_column(String(16), default="station", server_default="station")
    webhook_secret: Mapped[str | None] = mapped_column(Text)  # sealed; platform clients only
    feed_seq: Mapped[int] = mapped_column(BigInteger, default=0)  # last feed entry number
    enrolled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # set by an administrator: the credential is refused (403 station_disabled) until enabled
    disabled_at: Mapped[datetime | None]
    disabled_by: Mapped[str | None] = mapped_column(String(64))
    # what the station reported at its last sync round (monitoring, `stations list`)
    last_seen_at: Mapped[datetime | None]
    backlog_pending: Mapped[int | None] = mapped_column(Integer)
    backlog_failed: Mapped[int | None] = mapped_column(Integer)
    config_version: Mapped[int | None] = mapped_column(Integer)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    station_code: Mapped[str] = mapped_column(String(32))
    station_name: Mapped[str] = mapped_column(String(128), default="")
    office: Mapped[str] = mapped_column(String(128), default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginGuard(Base):
    """Sign-in attempts counted per user name (known or not: the answers must not tell) and
    per client address. An attempt is counted before its password is checked, so parallel
    guesses on several API processes cannot run past the limit; a success takes it back."""

    __tablename__ = "login_guards"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # user:NAME | address:IP
    failures: Mapped[int] = mapped_column(Integer, default=0)  # wrong or still being checked
    locked_until: Mapped[datetime | None]
    counting_since: Mapped[datetime] = mapped_column(default=utcnow)  # the first one counted


class ApiToken(Base):
    __tablename__ = "api_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class Blob(Base):
    """Content-addressed binary part (photo, signature record, scan), verified by SHA-256."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    sealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PartUpload(Base):
    """A chunked upload in progress, one per station and part: resumable from
    ``received_size``; the bytes so far are sealed (``Sealer.seal_upload``). Unfinished ones
    expire (CentralConfig.upload_expiry_hours)."""

    __tablename__ = "part_uploads"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"),
                                            primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    total_size: Mapped[int] = mapped_column(Integer)
    received_size: Mapped[int] = mapped_column(Integer, default=0)
    received: Mapped[bytes] = mapped_column(LargeBinary, default=b"")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class SmsQuota(Base):
    """SMS counted per window for one key: ``number:<keyed hash>`` or ``sender:<station id>``
    (central.sms.SmsLimits)."""

    __tablename__ = "sms_quotas"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(default=utcnow)


class PartOwner(Base):
    """A station that uploaded a part (its bytes, not just its hash): a case may name only
    parts its own station uploaded, and a station learns only of its own parts."""

    __tablename__ = "part_owners"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id", ondelete="CASCADE"),
                                            primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256", ondelete="CASCADE"),
                                        primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("station_id", "idempotency_key", name="uq_cases_station_key"),
        # the queue's sort order (due time, then oldest first): listings and claim-next stop
        # after a page instead of sorting every case that shares a due time
        Index("ix_cases_queue", "review_state", "due_at", "received_at", "id"),
        # only cases with a reviewer's name on them: the live count of claimed cases
        Index("ix_cases_claimed", "lease_until",
              postgresql_where=sql_text("review_state = 'pending' AND claimed_by IS NOT NULL"),
              sqlite_where=sql_text("review_state = 'pending' AND claimed_by IS NOT NULL")),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    station_code: Mapped[str] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(64))
    payload_sha256: Mapped[str] = mapped_column(String(64))
    number: Mapped[str] = mapped_column(String(48), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    clerk: Mapped[str] = mapped_column(String(64), default="")
    flags_text: Mapped[str] = mapped_column(String(512), default=",")  # ",code1,code2," for LIKE
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    committed_at: Mapped[datetime | None]  # station clock: informative only
    received_at: Mapped[datetime] = mapped_column(default=utcnow)  # server clock
    due_at: Mapped[datetime | None]
    review_state: Mapped[str] = mapped_column(String(16))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_token: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    receipt: Mapped[dict[str, Any]] = mapped_column(JSON)
    status_token: Mapped[str | None] = mapped_column(String(32), unique=True)
    person_digest: Mapped[str | None] = mapped_column(String(64), index=True)  # central.persons


class ReviewCountSnapshot(Base):
    """Counts of reviewed cases per (state, kind, station, clerk, flags), shared by the API
    processes: one row, refreshed at most about once a second (central.review.counts)."""

    __tablename__ = "review_count_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    taken_at: Mapped[datetime]
    groups: Mapped[list[Any]] = mapped_column(JSON)


class CasePart(Base):
    __tablename__ = "case_parts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    role: Mapped[str] = mapped_column(String(32))  # photo | signature_record | scan ...
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Decision(Base):
    __tablename__ = "decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    reason_code: Mapped[str | None] = mapped_column(String(48))
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditAnchor(Base):
    """The newest hash of a station's local audit chain, sent at each sync: a station whose
    chain is later rewritten cannot reproduce an anchored (seq, hash) pair."""

    __tablename__ = "audit_anchors"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedEntry(Base):
    """What a station pulls: numbered per station under the station row's lock (gap-free)."""

    __tablename__ = "feed_entries"

    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    case_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                    autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(48))
    case_id: Mapped[str | None] = mapped_column(String(32), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PhoneVerification(Base):
    """A one-time SMS code for a mobile number: only its hash is kept, a few tries allowed."""

    __tablename__ = "phone_verifications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    station_id: Mapped[str] = mapped_column(ForeignKey("stations.id"), index=True)
    phone: Mapped[str] = mapped_column(String(32))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    verified_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """SMS outbox: written in the decision's transaction, sent by the dispatcher later."""

    __tablename__ = "notifications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    phone: Mapped[str] = mapped_column(String(32))
    template: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class EventRecord(Base):
    """The event stream's transactional outbox: written in the transaction that received or
    decided the case, numbered in commit order, published to AMQP and webhooks afterwards.
    Consumers replay from a position (``GET /v1/events?after=seq``)."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_unpublished", "seq",
                            postgresql_where=sql_text("published_at IS NULL"),
                            sqlite_where=sql_text("published_at IS NULL")),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=True)
    topic: Mapped[str] = mapped_column(String(32))  # case.received | case.decided
    case_id: Mapped[str] = mapped_column(String(32), index=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]  # accepted by the AMQP broker (publisher confirm)


class WebhookDelivery(Base):
    """One event owed to a platform client's callback URL, retried with backoff."""

    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    event_seq: Mapped[int] = mapped_column(ForeignKey("events.seq", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(ForeignKey("stations.id"))
    url: Mapped[str] = mapped_column(String(512))
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]


class ConfigVersion(Base):
    """A published configuration bundle (routing rules, agreement texts, photo profiles,
    working-day calendar) that stations fetch at sync; versions only ever go up."""

    __tablename__ = "config_versions"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sha256: Mapped[str] = mapped_column(String(64))
    files: Mapped[dict[str, Any]] = mapped_column(JSON)  # relative path -> text
    note: Mapped[str] = mapped_column(String(256), default="")
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class UpstreamHandover(Base):
    """An approved case owed to the traffic-management system (central.upstream.handover):
    written in the transaction that approved it, at most one per case (its id is the
    hand-over's idempotency key), retried with backoff until the system acknowledges it."""

    __tablename__ = "upstream_handovers"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                         unique=True)
    result: Mapped[str] = mapped_column(String(32))  # account_verified | licence_photo
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    ack: Mapped[str | None] = mapped_column(String(64))  # the system's reference
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
