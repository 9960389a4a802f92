"""The wire contract between stations and the central service, in one place.

The station builds these (``station.sync.payload``), sends and reads them
(``station.sync.client``), and the central service accepts and answers with the same classes
(``central.schemas`` imports them), so a field is named once. Pydantic models: they validate
on both ends and make the OpenAPI document.

``fields`` of a case stays an open object: its shape belongs to the station that fills it
(``build_case_payload``) and the case view that shows it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
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

from station.i18n import current_language

MAX_BATCH_CASES = 50
MAX_FLAGS = 20
MAX_PARTS = 50
MOBILE_PATTERN = r"^1[3-9]\d{9}$"  # a mainland mobile number (SMS)
Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
CaseKindName = Literal["individual", "organisation", "elicence_photo", "manual_review"]


MAX_JSON_DEPTH = 32  # nesting of the free-form JSON a station sends (fields, part notes)
# what a part may be: served back to reviewers as exactly this type (never text/html)
PartMediaType = Literal["image/jpeg", "image/png", "application/pdf", "application/x-wlt",
                        "application/octet-stream"]
PART_MEDIA_TYPES: tuple[str, ...] = get_args(PartMediaType)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


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


def not_too_deep(value: Any) -> Any:
    """A ``mode="before"`` check: refuse JSON nested deeper than MAX_JSON_DEPTH."""
    if not json_depth_within(value):
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    return value


# --- parts ----------------------------------------------------------------------------------


class PartKind(StrEnum):
    """What a binary part of a case is; its label is in station/vocabulary/part_kinds.toml."""

    CHIP_PHOTO_RAW = "chip_photo_raw"  # the chip's encoded photo as read (e.g. 1024-byte WLT)
    CHIP_PHOTO = "chip_photo"  # the chip photo decoded to an image
    PHOTO = "photo"  # the live photo taken at the counter or kiosk
    PHOTO_ELICENCE = "photo_elicence"  # the electronic driving licence photo
    PHOTO_SUBMITTED = "photo_submitted"  # a photo as the 12123 app sent it, before the crop
    PHOTO_LIVENESS = "photo_liveness"  # a frame of the 12123 app's liveness check
    SIGNATURE_RECORD = "signature_record"  # pen data sealed with the agreement and case
    SIGNATURE_IMAGE = "signature_image"
    DOCUMENT_SCAN = "document_scan"  # business licence, power of attorney, ID card sides


# photo purpose at the station (station.db.models.Photo.purpose) -> the part it travels as
PHOTO_PART_KINDS: dict[str, PartKind] = {
    "live": PartKind.PHOTO,
    "elicence": PartKind.PHOTO_ELICENCE,
}
# the photos a supervisor compares with the chip photo, in the order the case view prefers
PORTRAIT_PART_KINDS = (PartKind.PHOTO, PartKind.PHOTO_ELICENCE)
IMAGE_PART_KINDS = frozenset({PartKind.CHIP_PHOTO, *PORTRAIT_PART_KINDS,
                              PartKind.PHOTO_SUBMITTED, PartKind.PHOTO_LIVENESS,
                              PartKind.SIGNATURE_IMAGE, PartKind.DOCUMENT_SCAN})


def photo_part_kind(purpose: str) -> PartKind:
    """The part kind a photo of ``purpose`` is sent as; ValueError for an unknown purpose."""
    try:
        return PHOTO_PART_KINDS[purpose]
    except KeyError:
        raise ValueError(f"no part kind for photos of purpose {purpose!r} "
                         f"(known: {', '.join(PHOTO_PART_KINDS)})") from None


class PartRef(Strict):
    """A part a case names; its bytes travel separately (or inline in a batch)."""

    sha256: Sha256
    role: PartKind
    media_type: PartMediaType
    size: int = Field(ge=0, le=100_000_000)
    meta: dict[str, Any] = Field(default_factory=dict)


class InlinePart(Strict):
    """A part's bytes sent along with the cases that name it (base64)."""

    sha256: Sha256
    data: Base64Bytes


# --- delivering cases -------------------------------------------------------------------------


STATUS_TOKEN = "status_token"  # the key in a station case's details, and the CaseIn field
STATUS_TOKEN_PATTERN = r"^[A-Za-z0-9_-]{22,32}$"  # secrets.token_urlsafe(16) and longer


class CaseIn(Strict):
    """A committed case as the station delivers it (the body of POST /v1/cases)."""

    number: str = Field(min_length=1, max_length=48)
    kind: CaseKindName
    clerk: str = Field(default="", max_length=64)
    committed_at: datetime | None = None
    review_required: bool = False
    flags: list[str] = Field(default_factory=list, max_length=MAX_FLAGS)  # vocabulary flags
    fields: dict[str, Any] = Field(default_factory=dict)
    parts: list[PartRef] = Field(default_factory=list, max_length=MAX_PARTS)
    notify_phone: str | None = Field(default=None, pattern=MOBILE_PATTERN)
    # the token of the applicant's status page (/s/{token}) the station printed on the
    # receipt before delivery; unique across cases (None: the central service makes one)
    status_token: str | None = Field(default=None, pattern=STATUS_TOKEN_PATTERN)

    @model_validator(mode="before")
    @classmethod
    def _depth(cls, data: Any) -> Any:
        return not_too_deep(data)


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
    """The central service's answer to a delivered case (the first one, on a repeat)."""

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

    def settled_receipt(self) -> Receipt | None:
        """The receipt that settles the delivery: the one stored, or, when the key was used
        for a different body, the first delivery's (the first stands)."""
        if self.receipt is not None:
            return self.receipt
        first = (self.error or {}).get("receipt")
        if (self.error or {}).get("code") == "idempotency_conflict" and isinstance(first, dict):
            return Receipt.model_validate(first)
        return None


class BatchOut(BaseModel):
    results: list[BatchOutcome]


# --- the review queue -------------------------------------------------------------------------


class QueueItem(BaseModel):
    case_id: str
    number: str
    kind: str
    station_code: str
    clerk: str
    flags: list[str]  # vocabulary flags, in the order the routing rules raised them
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


# --- the vocabulary (station/vocabulary: data files, served by GET /v1/vocabulary) ----------


class Texts(BaseModel):
    """One text in each language of the station."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def text(self, language: str | None = None) -> str:
        return self.en if (language or current_language()) == "en" else self.zh


class Term(BaseModel):
    """A code of the vocabulary with its label for people."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,47}$")
    label: Texts


class FlagTerm(Term):
    """A routing flag: why a case went to review; the explanation is for the case view."""

    explanation: Texts


class Vocabulary(BaseModel):
    flags: list[FlagTerm]
    decision_reasons: list[Term]
    part_kinds: list[Term]
