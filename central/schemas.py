"""Request and response bodies (they make the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    Base64Bytes,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from station.audit import MAX_PROOF_ENTRIES

MAX_BATCH_CASES = 50
Sha256 = Field(pattern=r"^[0-9a-f]{64}$")
CaseKindName = Literal["individual", "organisation", "elicence_photo", "manual_review"]
StateName = Literal["not_required", "pending", "claimed", "approved", "rejected", "returned",
                    "open"]  # open: waiting for a decision, free or claimed


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


MAX_JSON_DEPTH = 32  # nesting of the free-form JSON a station sends (fields, part notes)
# what a part may be: served back to reviewers as exactly this type (never text/html)
PartMediaType = Literal["image/jpeg", "image/png", "application/pdf", "application/x-wlt",
                        "application/octet-stream"]
PART_MEDIA_TYPES: tuple[str, ...] = get_args(PartMediaType)


def part_media_type(value: str) -> PartMediaType:
    """``value`` as an allowed part type (ValueError if it is not one)."""
    for allowed in get_args(PartMediaType):
        if value == allowed:
            return allowed
    raise ValueError(f"not an allowed part type: {value!r}")


def json_depth_within(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """Is ``value`` nested at most ``limit`` levels deep? (Without recursion: a hostile
    value may be nested hundreds of levels.)"""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


def _not_too_deep(value: Any) -> Any:
    if not json_depth_within(value):
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    return value


class PartRef(Strict):
    sha256: str = Sha256
    role: str = Field(min_length=1, max_length=32)
    media_type: PartMediaType
    size: int = Field(ge=0, le=100_000_000)
    meta: dict[str, Any] = Field(default_factory=dict)


class CaseIn(Strict):
    number: str = Field(min_length=1, max_length=48)
    kind: CaseKindName
    clerk: str = Field(default="", max_length=64)
    committed_at: datetime | None = None
    review_required: bool = False
    flags: list[str] = Field(default_factory=list, max_length=20)
    fields: dict[str, Any] = Field(default_factory=dict)
    parts: list[PartRef] = Field(default_factory=list, max_length=50)
    notify_phone: str | None = Field(default=None, pattern=r"^1[3-9]\d{9}$")

    @model_validator(mode="before")
    @classmethod
    def _depth(cls, data: Any) -> Any:
        return _not_too_deep(data)


class RefusedCase(BaseModel):
    """A case of a batch that is not valid: refused on its own (422), the others go on."""

    problems: list[dict[str, Any]]


def _refused_alone(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    try:
        return handler(value)
    except ValidationError as exc:
        return RefusedCase(problems=[
            {"loc": [str(p) for p in err.get("loc", ())], "msg": err.get("msg", ""),
             "type": err.get("type", "")} for err in exc.errors(include_url=False)])


class InlinePart(Strict):
    """A part's bytes sent along with the cases that name it (base64)."""

    sha256: str = Sha256
    data: Base64Bytes


class BatchCase(Strict):
    idempotency_key: str = Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    # an invalid case is answered 422 in its own result, not by refusing the whole batch
    case: Annotated[CaseIn | SkipJsonSchema[RefusedCase], WrapValidator(_refused_alone)]


class CaseBatchIn(Strict):
    cases: list[BatchCase] = Field(min_length=1, max_length=MAX_BATCH_CASES)
    parts: list[InlinePart] = Field(default_factory=list, max_length=4 * MAX_BATCH_CASES)

    @model_validator(mode="after")
    def _distinct(self) -> CaseBatchIn:
        keys = [item.idempotency_key for item in self.cases]
        if len(set(keys)) != len(keys):
            raise ValueError("each idempotency_key may appear only once in a batch")
        return self


class Receipt(BaseModel):
    case_id: str
    idempotency_key: str
    number: str
    received_at: datetime
    due_at: datetime | None
    review_state: str
    status_token: str | None = None  # the applicant's status page: /s/{status_token}
    replayed: bool = False


class BatchOutcome(BaseModel):
    """status 201: stored; 200: a repeated delivery (the first receipt); 409/422: refused,
    with ``error`` saying why (as in an error response)."""

    idempotency_key: str
    status: int
    receipt: Receipt | None = None
    error: dict[str, Any] | None = None


class BatchOut(BaseModel):
    results: list[BatchOutcome]


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
        return _not_too_deep(data)


class AuditAnchorOut(BaseModel):
    seq: int
    hash: str
    received_at: datetime


class FeedPage(BaseModel):
    entries: list[FeedItem]
    cursor: int
    more: bool


class QueueItem(BaseModel):
    case_id: str
    number: str
    kind: str
    station_code: str
    clerk: str
    flags: list[str]
    received_at: datetime
    due_at: datetime | None
    overdue: bool
    age_minutes: float
    state: str
    claimed_by: str | None
    lease_until: datetime | None


class QueuePage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[QueueItem]
    counts: dict[str, int]


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
    role: str
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
