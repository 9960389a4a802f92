"""Request and response bodies (they make the OpenAPI document).

What stations and the central service exchange about cases (the case payload, its parts,
receipts, queue items, the vocabulary) is the shared contract in ``station.wire``; it is
imported here, not repeated.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from station.audit import MAX_PROOF_ENTRIES
from station.wire import (  # noqa: F401  (the service names them schemas.X)
    MAX_BATCH_CASES,
    MAX_JSON_DEPTH,
    PART_MEDIA_TYPES,
    BatchCase,
    BatchOut,
    BatchOutcome,
    CaseBatchIn,
    CaseIn,
    CaseKindName,
    InlinePart,
    PartMediaType,
    PartRef,
    QueueItem,
    QueuePage,
    Receipt,
    RefusedCase,
    Strict,
    Vocabulary,
    json_depth_within,
    not_too_deep,
    part_media_type,
)

StateName = Literal["not_required", "pending", "claimed", "approved", "rejected", "returned",
                    "open"]  # open: waiting for a decision, free or claimed


class ErrorDetail(BaseModel):
    code: str
    message_zh: str
    message_en: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str
    database: str
    time: datetime


class LoginIn(Strict):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class LoginOut(BaseModel):
    token: str
    username: str
    display_name: str
    role: str
    expires_at: datetime


class UserIn(Strict):
    username: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str = Field(default="", max_length=128)
    role: Literal["clerk", "supervisor", "admin"]
    password: str = Field(min_length=8, max_length=256)


class UserChangeIn(Strict):
    """An account's name or role (what is left out stays as it is)."""

    display_name: str | None = Field(default=None, min_length=1, max_length=128)
    role: Literal["clerk", "supervisor", "admin"] | None = None


class PasswordIn(Strict):
    password: str = Field(min_length=1, max_length=256)  # the policy says why it is refused


class UserOut(BaseModel):
    username: str
    display_name: str
    role: str


class EnrolmentCodeIn(Strict):
    station_code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    station_name: str = Field(default="", max_length=128)
    office: str = Field(default="", max_length=128)


class EnrolmentCodeOut(BaseModel):
    code: str
    station_code: str
    expires_at: datetime


class EnrolIn(Strict):
    code: str = Field(min_length=4, max_length=32)
    station_code: str = Field(min_length=1, max_length=32)


class EnrolOut(BaseModel):
    station_id: str
    station_code: str
    credential: str


class StationOut(BaseModel):
    """A station as the central administrator sees it (``stations list``, /v1/admin/stations)."""

    code: str
    kind: str  # station | platform (the 12123 app's intake client)
    name: str
    office: str
    state: Literal["active", "disabled", "not_enrolled"]
    enrolled_at: datetime | None
    disabled_at: datetime | None
    disabled_by: str | None
    last_seen_at: datetime | None
    backlog_pending: int | None
    backlog_failed: int | None
    config_version: int | None


class OperatorEntry(BaseModel):
    """An operator account as stations mirror it and administrators list it."""

    username: str
    display_name: str
    role: str
    active: bool
    locked_until: datetime | None  # signing in is refused until then (wrong passwords)


class OperatorRoster(BaseModel):
    operators: list[OperatorEntry]


class PublishedConfigOut(BaseModel):
    """A published configuration version: its files (relative path -> UTF-8 text)."""

    version: int
    sha256: str
    note: str
    published_by: str
    published_at: datetime
    files: dict[str, str]


class StationHeartbeatIn(Strict):
    """What a station reports at each sync round (its outbox, the configuration it runs)."""

    pending: int = Field(ge=0, le=10_000_000)
    failed: int = Field(ge=0, le=10_000_000)
    config_version: int | None = Field(default=None, ge=0)


class PartStatus(BaseModel):
    sha256: str
    complete: bool
    offset: int
    size: int | None = None


class DecisionOut(BaseModel):
    id: str
    decision: str
    reason_code: str | None
    note: str | None
    reviewer: str
    decided_at: datetime


class FeedItem(BaseModel):
    seq: int
    case_id: str
    idempotency_key: str
    number: str
    kind: str
    review_state: str
    decision: DecisionOut | None = None


class PhoneVerificationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(pattern=r"^1[3-9]\d{9}$")


class PhoneVerificationOut(BaseModel):
    id: str
    expires_at: datetime


class PhoneCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^\d{6}$")


class PhoneCodeOut(BaseModel):
    verified: bool
    attempts_left: int


MAX_ANCHOR_ENTRIES = MAX_PROOF_ENTRIES  # what a station sends with one anchor at most


class AuditEntryProof(Strict):
    """One entry of the station's audit chain, as hashed (station.audit.entry_hash)."""

    seq: int = Field(ge=1, le=2**62)
    at: datetime
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    case_id: str | None = Field(default=None, max_length=32)
    details: dict[str, Any] = Field(default_factory=dict)
    prev_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class AuditAnchorIn(BaseModel):
    """A new head of the station's audit chain, with the entries after the last anchored one
    (after the start of the chain for the first anchor): the proof that it extends it."""

    model_config = ConfigDict(extra="forbid")
    seq: int = Field(ge=1, le=2**62)
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    entries: list[AuditEntryProof] = Field(default_factory=list, max_length=MAX_ANCHOR_ENTRIES)

    @model_validator(mode="before")
    @classmethod
    def _depth(cls, data: Any) -> Any:
        return not_too_deep(data)


class AuditAnchorOut(BaseModel):
    seq: int
    hash: str
    received_at: datetime


class FeedPage(BaseModel):
    entries: list[FeedItem]
    cursor: int
    more: bool


class Lease(BaseModel):
    case_id: str
    lease_token: str
    lease_until: datetime
    claimed_by: str


class LeaseIn(Strict):
    lease_token: str = Field(min_length=1, max_length=32)


class DecideIn(Strict):
    decision: Literal["approve", "reject", "return"]
    lease_token: str = Field(min_length=1, max_length=32)
    reason_code: str | None = Field(default=None, max_length=48)
    note: str | None = Field(default=None, max_length=2000)


class PartOut(BaseModel):
    sha256: str
    role: str  # a station.wire.PartKind (kept as stored)
    media_type: str
    size: int
    meta: dict[str, Any]
    url: str


class AuditItem(BaseModel):
    at: datetime
    actor: str
    role: str
    action: str
    details: dict[str, Any]


class CaseDetail(BaseModel):
    case: QueueItem
    idempotency_key: str
    committed_at: datetime | None
    review_required: bool
    fields: dict[str, Any]
    quality_report: dict[str, Any] | None
    match_score: float | None
    parts: list[PartOut]
    decisions: list[DecisionOut]
    audit: list[AuditItem] = Field(default_factory=list)  # the case's audit trail, oldest first
    # the same person's other open or recent cases (central.persons), newest first
    other_cases: list[dict[str, Any]] = Field(default_factory=list)


PhotoOnFileState = Literal["found", "not_found", "unavailable", "refused", "not_configured",
                           "no_document"]


class PhotoOnFileOut(BaseModel):
    """The applicant's photo in the traffic-management system, fetched when a reviewer asks
    (never stored by the central service). ``state`` says why there is none."""

    state: PhotoOnFileState
    photo_b64: str | None = None  # the image, base64
    media_type: str | None = None
    taken_on: str | None = None  # the date the photo was taken, as the system records it
    detail: str = ""  # why it is unavailable or refused (for the administrator)


class PersonLookupIn(Strict):
    id_number: str = Field(min_length=5, max_length=32)


class PersonLookupOut(BaseModel):
    """Before submitting: the person's open cases and those of the last 30 days."""

    open_cases: int
    cases: list[dict[str, Any]]


class ReasonCode(BaseModel):
    code: str
    zh: str
    en: str


class Stats(BaseModel):
    """``total`` and the per_* tables count cases sent for review; registrations_* count every
    case received (per_day keys are Beijing dates)."""

    since: datetime
    total: int
    per_state: dict[str, int]
    per_kind: dict[str, int]
    per_clerk: dict[str, int]
    per_station: dict[str, int]
    per_reason: dict[str, int]
    decided: int
    median_decision_minutes: float | None
    overdue: int
    registrations: int
    registrations_per_kind: dict[str, int]
    registrations_per_clerk: dict[str, int]
    registrations_per_day: dict[str, int]
