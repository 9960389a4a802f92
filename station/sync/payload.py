"""Turn a committed local case into the central ingest request plus its binary parts.

Parts travel separately, named by SHA-256; the request lists them. The body is built from
the stored case alone, so every retry sends the same bytes (same idempotency key, same body).
The request's shape is ``station.wire.CaseIn`` (what the central service accepts).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from station.db.models import Case, Operator, ReviewStatus
from station.wire import (
    MAX_FLAGS,
    MOBILE_PATTERN,
    STATUS_TOKEN,
    CaseIn,
    PartKind,
    PartRef,
    part_media_type,
    photo_part_kind,
)

_MOBILE = re.compile(MOBILE_PATTERN)


class PayloadError(ValueError):
    """A stored case cannot become a valid delivery (the message says what is wrong); the
    central service would refuse it every time."""


@dataclass(frozen=True)
class Part:
    sha256: str
    data: bytes
    role: PartKind
    media_type: str
    meta: dict[str, Any] = field(default_factory=dict)

    def ref(self) -> PartRef:
        return PartRef(sha256=self.sha256, role=self.role,
                       media_type=part_media_type(self.media_type),
                       size=len(self.data), meta=self.meta)


@dataclass(frozen=True)
class CasePayload:
    idempotency_key: str
    body: CaseIn
    parts: list[Part]


def media_type_of(data: bytes, fallback: str = "application/octet-stream") -> str:
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF"):
        return "application/pdf"
    return fallback


def _part(data: bytes, role: PartKind, meta: dict[str, Any], fallback: str = "") -> Part:
    return Part(sha256=hashlib.sha256(data).hexdigest(), data=data, role=role,
                media_type=media_type_of(data, fallback or "application/octet-stream"),
                meta=meta)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    aware = _aware(moment)
    return aware.isoformat() if aware is not None else None


def build_case_payload(session: Session, case: Case, office: str = "") -> CasePayload:
    """The delivery of ``case``; PayloadError when the stored case cannot make one."""
    try:
        return _build(session, case, office)
    except (ValidationError, ValueError) as exc:
        raise PayloadError(f"case {case.number}: {exc}") from exc


def _build(session: Session, case: Case, office: str) -> CasePayload:
    parts: list[Part] = []
    people: list[dict[str, Any]] = []
    for person in case.people:
        documents = []
        for doc in person.documents:
            entry: dict[str, Any] = {
                "doc_type": doc.doc_type, "source": doc.source, "number": doc.number,
                "issuing_authority": doc.issuing_authority, "valid_from": doc.valid_from,
                "valid_to": doc.valid_to, "chip_photo_status": doc.chip_photo_status,
                "fields": doc.fields, "validation": doc.validation,
            }
            if doc.chip_photo_raw:
                raw = _part(doc.chip_photo_raw, PartKind.CHIP_PHOTO_RAW, {"document": doc.id},
                            "application/x-wlt")
                parts.append(raw)
                entry["chip_photo_raw"] = raw.sha256
            if doc.chip_photo_image:
                image = _part(doc.chip_photo_image, PartKind.CHIP_PHOTO, {"document": doc.id})
                parts.append(image)
                entry["chip_photo"] = image.sha256
            documents.append(entry)
        people.append({
            "role": person.role, "name": person.name, "name_en": person.name_en,
            "sex": person.sex, "nation": person.nation, "birth_date": person.birth_date,
            "address": person.address, "phone": person.phone, "documents": documents,
        })
    for photo in case.photos:
        if photo.image:
            parts.append(_part(photo.image, photo_part_kind(photo.purpose), {
                "purpose": photo.purpose, "profile": photo.profile,
                "compliant": photo.compliant, "quality_report": photo.quality_report,
                "override_reason": photo.override_reason, "match_score": photo.match_score,
                "match_threshold": photo.match_threshold, "sha256_local": photo.sha256,
                "captured_at": _iso(photo.captured_at), "camera": photo.camera,
            }))
    for signature in case.signatures:
        meta = {"signer_role": signature.signer_role,
                "content_sha256": signature.content_sha256,
                "agreement_version": signature.agreement_version}
        if signature.record:
            parts.append(_part(signature.record, PartKind.SIGNATURE_RECORD, meta))
        if signature.image_png:
            parts.append(_part(signature.image_png, PartKind.SIGNATURE_IMAGE, meta))
    for scan in case.scans:
        if scan.image:
            parts.append(_part(scan.image, PartKind.DOCUMENT_SCAN,
                               {"kind": scan.kind, "quality": scan.quality}))
    operator = session.get(Operator, case.operator_id) if case.operator_id else None
    phone = next((p.phone for p in case.people if p.role == "applicant" and p.phone), None)
    phone = phone or (case.personal or {}).get("phone")
    unique_parts = list({part.sha256: part for part in parts}.values())
    body = CaseIn(
        number=case.number,
        kind=case.kind.value,
        clerk=operator.username if operator else "",
        committed_at=_aware(case.committed_at),
        review_required=case.review_status == ReviewStatus.PENDING,
        flags=list(case.flags or [])[:MAX_FLAGS],
        fields={
            "station_code": case.station_code, "station_case_id": case.id,
            "office": office,
            "details": {k: v for k, v in (case.details or {}).items() if k != STATUS_TOKEN},
            "personal": case.personal, "agreement_version": case.agreement_version,
            "people": people,
        },
        parts=[part.ref() for part in parts],
        notify_phone=phone if isinstance(phone, str) and _MOBILE.match(phone) else None,
        status_token=(case.details or {}).get(STATUS_TOKEN),
    )
    # the server lists a part once per reference; the upload needs each blob once
    return CasePayload(idempotency_key=case.idempotency_key, body=body, parts=unique_parts)
