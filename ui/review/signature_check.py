"""Binding check of a delivered signature record (Qt-free, runs on a worker).

The record seals the signer's pen data and image to the case and the exact agreement text
(station.signature.record). Here each part of that seal is checked on the bytes the central
service holds: the record decodes; points, image and seal are unaltered; the seal equals the
``content_sha256`` the station sent separately; the agreement version and text are a known
text; and, when the delivered case names the station's own case id, that the record belongs
to that case (without it the case binding cannot be checked and is reported as such).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from station.signature.agreements import AgreementError, load_agreement
from station.signature.record import (
    SignatureRecordError,
    agreement_sha256,
    binding_sha256,
    encode_series,
    record_from_bytes,
    verify,
)

CHECKS = ("decoded", "points", "image", "seal", "anchored", "agreement", "case")


@dataclass
class BindingResult:
    # check -> True (passed), False (failed) or None (could not be checked)
    checks: dict[str, bool | None] = field(default_factory=dict)
    signer_role: str = ""
    agreement_version: str = ""
    created_at: str = ""
    png: bytes = b""  # the signature image sealed in the record

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(v is not False for v in self.checks.values()) \
            and self.checks.get("decoded") is True


def _agreement_texts(kind: str, version: str) -> list[str]:
    texts = []
    for language in ("zh_CN", "en"):
        try:
            texts.append(load_agreement(kind, language, version).text)
        except (AgreementError, OSError, KeyError, ValueError):
            continue  # a template or an unknown version: cannot be compared here
    return texts


def check_signature(record_bytes: bytes, meta: dict[str, Any],
                    station_case_id: str | None) -> BindingResult:
    result = BindingResult()
    try:
        record = record_from_bytes(record_bytes)
    except SignatureRecordError:
        result.checks["decoded"] = False
        return result
    result.checks["decoded"] = True
    result.signer_role = record.signer_role
    result.agreement_version = record.agreement_version
    result.created_at = record.created_at
    result.png = record.png
    result.checks["points"] = (hashlib.sha256(encode_series(record.signature)).hexdigest()
                               == record.series_sha256)
    result.checks["image"] = hashlib.sha256(record.png).hexdigest() == record.png_sha256
    # verify() recomputes the seal; with any text it reports "seal" only for the seal itself
    sealed = "seal" not in verify(record, "", "", record.agreement_version).problems
    result.checks["seal"] = sealed
    anchored = meta.get("content_sha256")
    result.checks["anchored"] = (anchored == record.content_sha256) if anchored else None
    texts = _agreement_texts(record.agreement_kind, record.agreement_version)
    matching = [t for t in texts if agreement_sha256(t) == record.agreement_sha256]
    result.checks["agreement"] = bool(matching) if texts else None
    if matching and station_case_id:
        result.checks["case"] = binding_sha256(
            station_case_id, matching[0], record.agreement_version, record.signer_role,
        ) == record.binding_sha256
    else:
        result.checks["case"] = None
    return result
