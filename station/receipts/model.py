"""What a receipt shows: the lead's workflow fills one ``ReceiptData`` per committed case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

RECEIPT_KINDS = ("individual", "organisation", "elicence_photo", "manual_review")
DOCUMENT_TYPES = (
    "resident_id",
    "hk_mo_tw_residence_permit",
    "foreign_permanent_resident",
    "passport",
    "manual",
)
SCANNED_DOCUMENT_KINDS = (
    "business_licence",
    "power_of_attorney",
    "agent_id_front",
    "agent_id_back",
    "id_front",
    "id_back",
)


@dataclass(frozen=True)
class ReceiptData:
    case_number: str
    kind: str                      # "individual" | "organisation" | "elicence_photo" | "manual_review"
    station_code: str
    station_name: str
    office: str
    clerk_name: str                # or "自助终端"/kiosk label
    created_at: datetime           # timezone-aware
    committed_at: datetime
    applicant_name: str
    document_type: str             # "resident_id" | "hk_mo_tw_residence_permit" | ... | "manual"
    id_number: str                 # full; the receipt masks it
    phone: str | None              # full; the receipt masks it
    organisation_name: str | None = None
    credit_code: str | None = None
    photo_jpeg: bytes | None = None
    signature_png: bytes | None = None
    agreement_version: str | None = None
    review_required: bool = False
    review_reasons: tuple[str, ...] = ()   # human-readable reason texts (already translated)
    due_at: datetime | None = None
    face_match_score: float | None = None  # 0-100
    documents: tuple[str, ...] = ()        # scanned document kinds (SCANNED_DOCUMENT_KINDS)
    language: str = "zh_CN"
    # what was signed: "user_agreement" (the applicant) or "power_of_attorney" (the agent, for
    # the organisation); None when nothing was signed (F3, F4): no signature block is printed
    agreement_kind: str | None = None
    signed_at: datetime | None = None      # when the signature was taken
    legal_representative: str | None = None  # named in the power of attorney (organisation)
    decision: str | None = None            # "approved" | "rejected" | "returned" once reviewed
    decided_at: datetime | None = None
    reprinted_at: datetime | None = None   # set on a reprint from the case list
    # the applicant's status page (<office's status address>/s/<token>) the QR code opens;
    # None: no status address is configured and the QR code holds the case number
    status_url: str | None = None
