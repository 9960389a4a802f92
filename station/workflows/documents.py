"""One shape for an identity document, whether read from an ID card, a passport chip or typed."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
        chip_photo_status="" if image else (chip_photo.status.value if chip_photo else "missing"),
        checks=tuple(c.to_json() for c in checks),
        fields=card.to_json(),
    )
