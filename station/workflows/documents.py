"""One shape for an identity document, whether read from an ID card, a passport chip or typed."""

from __future__ import annotations

import hashlib
import hmac
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PIL import Image

from station.i18n import both
from station.identity.passport import EmrtdResult

LONG_TERM = "长期"


@dataclass(frozen=True, kw_only=True)
class DocumentInput:
    source: str  # "reader" | "emrtd" | "manual"
    doc_type: str  # resident_id | hk_mo_tw_residence_permit | foreign_permanent_resident | passport
    number: str
    name: str = ""
    name_en: str = ""
    sex: str = ""
    nation: str = ""
    birth_date: date | None = None
    address: str = ""
    issuing_authority: str = ""
    valid_from: date | None = None
    valid_to: date | None = None  # None: no expiry (长期)
    chip_photo_raw: bytes | None = None  # e.g. the 1024-byte WLT block
    chip_photo_image: bytes | None = None  # encoded JPEG/PNG, when decoded
    chip_photo_status: str = ""  # why it is missing, when it is
    checks: tuple[dict[str, Any], ...] = ()  # {"check", "ok", "code", "reason": {zh, en}}
    fields: dict[str, Any] = field(default_factory=dict)  # the full parsed record

    @property
    def display_name(self) -> str:
        return self.name or self.name_en

    def failed_checks(self) -> list[dict[str, Any]]:
        return [c for c in self.checks if not c.get("ok", False)]

    def days_to_expiry(self, today: date | None = None) -> int | None:
        if self.valid_to is None:
            return None
        return (self.valid_to - (today or date.today())).days

    def valid_now(self, today: date | None = None) -> bool:
        today = today or date.today()
        if self.valid_from is not None and self.valid_from > today:
            return False
        return self.valid_to is None or self.valid_to >= today


def number_digest(number: str, key: bytes) -> str:
    """Keyed hash of a document number, for lookups without storing it in clear."""
    return hmac.new(key, number.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


def _photo_status(chip_photo: Any) -> str:
    """"" for a photo decoded by the vendor library; otherwise why there is none, or
    "simulated" for a demo card's photo (decoded by the demo decoder) so the case says so."""
    if chip_photo is None:
        return "missing"
    status = str(chip_photo.status.value)
    return "" if status == "decoded" else status


def from_identity_card(card: Any, chip_photo: Any, checks: list[Any]) -> DocumentInput:
    """From station.identity's IdentityCard, ChipPhoto and CheckResults (reader path)."""
    image = chip_photo.bmp if chip_photo is not None else None
    return DocumentInput(
        source="reader",
        doc_type=card.card_type.value,
        number=card.id_number,
        name=card.name,
        name_en=card.name_en,
        sex=card.sex,
        nation=card.nation,
        birth_date=card.birth_date,
        address=card.address,
        issuing_authority=card.issuing_authority,
        valid_from=card.valid_from,
        valid_to=card.valid_to,
        chip_photo_raw=chip_photo.wlt if chip_photo is not None else None,
        chip_photo_image=image,
        chip_photo_status=_photo_status(chip_photo),
        checks=tuple(c.to_json() for c in checks),
        fields=card.to_json(),
    )

def _check(check: str, ok: bool, code: str, reason: dict[str, str]) -> dict[str, Any]:
    return {"check": check, "ok": ok, "code": code, "reason": reason}


def document_checks(result: EmrtdResult, today: date | None = None) -> list[dict[str, Any]]:
    today = today or date.today()
    checks = []
    expiry = result.holder.expiry_date
    if expiry is None:
        checks.append(_check("expiry", False, "expiry_unknown", both(
            "EmrtdDocument", "The chip gives no usable expiry date.")))
    elif expiry < today:
        checks.append(_check("expiry", False, "expired", both(
            "EmrtdDocument", "The document has expired.")))
    else:
        checks.append(_check("expiry", True, "valid", both(
            "EmrtdDocument", "The document is within its validity.")))
    verdict = result.passive_auth.verdict
    if verdict == "passed":
        checks.append(_check("passive_authentication", True, "passed", both(
            "EmrtdDocument",
            "Chip data verified: hashes, signature and issuing country's certificate.")))
    elif verdict == "hashes_only":
        checks.append(_check("passive_authentication", False, "issuer_not_verified", both(
            "EmrtdDocument",
            "Chip data is intact and signed, but the issuing country's certificate (CSCA) "
            "is not configured, so the signer is not verified.")))
    else:
        checks.append(_check("passive_authentication", False, "failed", both(
            "EmrtdDocument",
            "Chip data failed verification: it may have been altered. Check the document.")))
    return checks


def portrait_for_storage(result: EmrtdResult) -> bytes | None:
    """The chip portrait as JPEG (JPEG 2000 is converted; JPEG is kept byte for byte)."""
    if result.face is None:
        return None
    if result.face.format == "jpeg":
        return result.face.data
    with Image.open(io.BytesIO(result.face.data)) as image:
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def from_passport(result: EmrtdResult, today: date | None = None) -> DocumentInput:
    """From an eMRTD chip read (passport reader path); the checks say what the chip proved."""
    holder = result.holder
    image = portrait_for_storage(result)
    return DocumentInput(
        source="emrtd",
        doc_type="passport" if holder.document_code.startswith("P") else "travel_document",
        number=holder.document_number,
        name_en=f"{holder.surname} {holder.given_names}".strip(),
        sex={"M": "1", "F": "2", "X": "9"}.get(holder.sex, "0"),  # GB/T 2261.1 codes as the ID path
        birth_date=holder.birth_date,
        issuing_authority=holder.issuing_authority or holder.issuing_state,
        valid_to=holder.expiry_date,
        chip_photo_raw=result.face.data if result.face else None,
        chip_photo_image=image,
        chip_photo_status="" if image else "missing",
        checks=tuple(document_checks(result, today)),
        fields=result.to_json(),
    )
