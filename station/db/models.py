"""The station's local data model.

Personal data (names, identity numbers, addresses, phone numbers, photos, signatures, scans)
is stored in Encrypted* columns; lookups use keyed hashes, never the clear value.
"""

from __future__ import annotations

import enum
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from station.db.types import EncryptedBytes, EncryptedJSON, EncryptedText


def new_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Role(enum.StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class CaseKind(enum.StrEnum):
    INDIVIDUAL = "individual"  # 个人面签注册
    ORGANISATION = "organisation"  # 单位面签注册
    ELICENCE_PHOTO = "elicence_photo"  # 电子驾驶证照片
    MANUAL_REVIEW = "manual_review"  # 人工审核 (face recognition failed)


class CaseState(enum.StrEnum):
    DRAFT = "draft"  # steps in progress, resumable after a crash
    COMMITTED = "committed"  # complete locally, waiting in the outbox
    SYNCED = "synced"  # the central service confirmed receipt
    DECIDED = "decided"  # a review decision came back
    CANCELLED = "cancelled"  # abandoned; personal data wiped


class ReviewStatus(enum.StrEnum):
    NOT_REQUIRED = "not_required"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"  # more information needed


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"  # refused permanently (4xx): needs an operator


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Operator(Base):
    __tablename__ = "operators"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(128))
    role: Mapped[Role] = mapped_column(_enum(Role))
    password_hash: Mapped[str] = mapped_column(String(256))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # local: created at this station (first-start administrator, demo); central: an account
    # of the central service, signed in there and mirrored here by the roster at each sync
    source: Mapped[str] = mapped_column(String(16), default="local", server_default="local")
    # central accounts: an argon2 hash of the password last accepted by the central service,
    # sealed, for signing in while the service cannot be reached (within the grace period)
    offline_verifier: Mapped[str | None] = mapped_column(EncryptedText)
    verified_at: Mapped[datetime | None]  # when the central service last accepted it
    central_locked_until: Mapped[datetime | None]  # a lock the central service reported


class Station(Base):
    """This station's identity and its enrolment with the central service."""

    __tablename__ = "stations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    office: Mapped[str] = mapped_column(String(128), default="")
    mode: Mapped[str] = mapped_column(String(16), default="counter")
    central_url: Mapped[str | None] = mapped_column(String(256))
    central_credential: Mapped[str | None] = mapped_column(EncryptedText)
    enrolled_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sync_at: Mapped[datetime | None]  # the last round the central service answered
    # what the central service last said of this station's credential: active | disabled |
    # refused (unknown or replaced); None before the first answer
    central_state: Mapped[str | None] = mapped_column(String(16))


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    number: Mapped[str] = mapped_column(String(48), unique=True)  # shown on the receipt
    kind: Mapped[CaseKind] = mapped_column(_enum(CaseKind))
    state: Mapped[CaseState] = mapped_column(_enum(CaseState), default=CaseState.DRAFT, index=True)
    step: Mapped[str] = mapped_column(String(32), default="start")  # resume point of a draft
    station_code: Mapped[str] = mapped_column(String(32))
    operator_id: Mapped[str | None] = mapped_column(ForeignKey("operators.id"))
    review_status: Mapped[ReviewStatus] = mapped_column(
        _enum(ReviewStatus), default=ReviewStatus.NOT_REQUIRED
    )
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)  # review reason codes
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # non-personal step data
    personal: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)  # phone, org name...
    agreement_version: Mapped[str | None] = mapped_column(String(32))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True, default=new_id)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    committed_at: Mapped[datetime | None]
    synced_at: Mapped[datetime | None]
    due_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]

    people: Mapped[list[Person]] = relationship(back_populates="case", cascade="all, delete-orphan")
    photos: Mapped[list[Photo]] = relationship(back_populates="case", cascade="all, delete-orphan")
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    scans: Mapped[list[DocumentScan]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[ReviewDecision]] = relationship(
        back_populates="case", cascade="all, delete-orphan"
    )


class Person(Base):
    """An applicant (individual) or an agent (organisation) within one case."""

    __tablename__ = "people"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="applicant")  # applicant | agent
    name: Mapped[str | None] = mapped_column(EncryptedText)
    name_en: Mapped[str | None] = mapped_column(EncryptedText)
    sex: Mapped[str | None] = mapped_column(String(8))
    nation: Mapped[str | None] = mapped_column(String(32))
    birth_date: Mapped[str | None] = mapped_column(EncryptedText)
    address: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)

    case: Mapped[Case] = relationship(back_populates="people")
    documents: Mapped[list[IdentityDocument]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )


class IdentityDocument(Base):
    __tablename__ = "identity_documents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    doc_type: Mapped[str] = mapped_column(String(48))  # resident_id, passport, ...
    source: Mapped[str] = mapped_column(String(16))  # reader | emrtd | manual
    number: Mapped[str | None] = mapped_column(EncryptedText)
    number_digest: Mapped[str | None] = mapped_column(String(64), index=True)  # keyed hash
    issuing_authority: Mapped[str | None] = mapped_column(String(128))
    valid_from: Mapped[str | None] = mapped_column(String(16))
    valid_to: Mapped[str | None] = mapped_column(String(16))  # ISO date or 长期
    chip_photo_raw: Mapped[bytes | None] = mapped_column(EncryptedBytes)  # e.g. 1024-byte WLT
    chip_photo_image: Mapped[bytes | None] = mapped_column(EncryptedBytes)  # decoded PNG/JPEG
    chip_photo_status: Mapped[str | None] = mapped_column(String(64))  # why it is missing
    fields: Mapped[dict[str, Any] | None] = mapped_column(EncryptedJSON)  # full parsed record
    validation: Mapped[dict[str, Any]] = mapped_column(default=dict)  # check -> result, reason
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="documents")


class Photo(Base):
    __tablename__ = "photos"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(32))  # live | elicence | id_front | id_back
    profile: Mapped[str | None] = mapped_column(String(48))
    image: Mapped[bytes | None] = mapped_column(EncryptedBytes)
    sha256: Mapped[str] = mapped_column(String(64))
    compliant: Mapped[bool | None]
    quality_report: Mapped[dict[str, Any]] = mapped_column(default=dict)
    override_reason: Mapped[str | None] = mapped_column(EncryptedText)  # free text: may name people
    match_score: Mapped[float | None] = mapped_column(Float)
    match_threshold: Mapped[float | None] = mapped_column(Float)
    # evidence: when the camera took the frame, and which camera (name, model, format)
    captured_at: Mapped[datetime | None]
    camera: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="photos")


class Signature(Base):
    __tablename__ = "signatures"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    signer_role: Mapped[str] = mapped_column(String(16), default="applicant")
    record: Mapped[bytes | None] = mapped_column(EncryptedBytes)  # ISO 19794-7-style series
    image_png: Mapped[bytes | None] = mapped_column(EncryptedBytes)
    content_sha256: Mapped[str] = mapped_column(String(64))  # binds to case + agreement text
    agreement_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="signatures")


class DocumentScan(Base):
    __tablename__ = "document_scans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))  # business_licence | power_of_attorney | ...
    image: Mapped[bytes | None] = mapped_column(EncryptedBytes)
    sha256: Mapped[str] = mapped_column(String(64))
    quality: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="scans")


class ReviewDecision(Base):
    __tablename__ = "review_decisions"
    __table_args__ = (UniqueConstraint("central_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    central_id: Mapped[str | None] = mapped_column(String(64))  # decision id on the server
    decision: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus))
    reason_code: Mapped[str | None] = mapped_column(String(48))
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(64))
    decided_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="decisions")


class AuditEvent(Base):
    """Hash-chained: each entry's hash covers its content and the previous entry's hash."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))  # operator username, "system", "kiosk"
    action: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str | None] = mapped_column(String(32), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # never personal data in clear
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    anchored_at: Mapped[datetime | None]  # when the central service acknowledged this hash


class OutboxItem(Base):
    __tablename__ = "outbox"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[OutboxState] = mapped_column(
        _enum(OutboxState), default=OutboxState.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    central_receipt: Mapped[dict[str, Any] | None]  # the server's answer to the first delivery


class SyncCursor(Base):
    """Where this station is in the central service's decisions feed."""

    __tablename__ = "sync_cursors"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    cursor: Mapped[str] = mapped_column(String(128), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
