"""Turn an EmrtdResult into the registration flow's DocumentInput (source "emrtd").

The checks say what the chip read proved: MRZ check digits, validity on the day, and the
passive-authentication verdict, so review-routing rules can flag what was not verified.
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from PIL import Image

from devices.emrtd.result import EmrtdResult
from station.i18n import both


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


def to_document_input(result: EmrtdResult, today: date | None = None) -> Any:
    from station.workflows.documents import DocumentInput

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
