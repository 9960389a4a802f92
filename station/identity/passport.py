"""What an eMRTD read produces: holder data, the chip photo and the passive-authentication verdict."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date

# Verdict values of PassiveAuthResult fields.
VALID = "valid"
INVALID = "invalid"
NOT_CHECKED = "not_checked"


@dataclass(frozen=True)
class HolderData:
    """From DG1 (the chip's MRZ), with DG11/DG12 details when the chip has them."""

    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    optional_data: str
    mrz_lines: tuple[str, ...]
    full_name: str | None = None  # DG11 5F0E
    personal_number: str | None = None  # DG11 5F10
    full_birth_date: str | None = None  # DG11 5F2B (YYYYMMDD, may be partial)
    place_of_birth: str | None = None  # DG11 5F11
    address: str | None = None  # DG11 5F42
    telephone: str | None = None
    profession: str | None = None
    issuing_authority: str | None = None  # DG12 5F19
    date_of_issue: str | None = None  # DG12 5F26 (YYYYMMDD)

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, value in self.__dict__.items():
            if isinstance(value, date):
                out[key] = value.isoformat()
            elif isinstance(value, tuple):
                out[key] = list(value)
            else:
                out[key] = value
        return out


@dataclass(frozen=True)
class FaceImage:
    """The DG2 portrait as stored on the chip, with its decoded size."""

    format: str  # "jpeg" | "jp2" | "j2k" (by magic bytes)
    data: bytes
    width: int
    height: int

    @property
    def mime_type(self) -> str:
        return {"jpeg": "image/jpeg", "jp2": "image/jp2", "j2k": "image/j2k"}[self.format]

    def to_json(self, *, include_data: bool = False) -> dict[str, object]:
        out: dict[str, object] = {
            "format": self.format, "bytes": len(self.data),
            "width": self.width, "height": self.height,
        }
        if include_data:
            out["data_base64"] = base64.b64encode(self.data).decode("ascii")
        return out


@dataclass(frozen=True)
class DataGroupCheck:
    number: int  # 1..16
    status: str  # VALID (hash matches EF.SOD) | INVALID | NOT_CHECKED (not read / no hash)
    detail: str = ""


@dataclass(frozen=True)
class PassiveAuthResult:
    """Exactly what was verified. ``verdict``:

    - "passed": every read data group matches EF.SOD, the SOD signature verifies and the
      document signer chains to a configured CSCA;
    - "hashes_only": hashes and SOD signature verified but no CSCA is configured (or none
      matches), so the signer's authority is unproven;
    - "failed": a hash, the signature or the chain is wrong, or EF.SOD is missing/unusable.
    """

    sod_present: bool
    hash_algorithm: str | None
    data_groups: tuple[DataGroupCheck, ...]
    signature: str  # VALID | INVALID | NOT_CHECKED
    chain: str  # VALID | INVALID | NOT_CHECKED
    signer_subject: str | None = None
    signer_issuer: str | None = None
    csca_subject: str | None = None
    signed_hashes_for: tuple[int, ...] = ()  # every DG number EF.SOD lists
    revocation: str = NOT_CHECKED  # CRLs are not consulted
    notes: tuple[str, ...] = ()

    @property
    def hashes_valid(self) -> bool:
        read = [c for c in self.data_groups if c.status != NOT_CHECKED]
        return bool(read) and all(c.status == VALID for c in read)

    @property
    def verdict(self) -> str:
        if not self.sod_present or not self.hashes_valid or self.signature == INVALID:
            return "failed"
        if self.chain == INVALID or any(c.status == INVALID for c in self.data_groups):
            return "failed"
        if self.signature == VALID and self.chain == VALID:
            return "passed"
        return "hashes_only"

    def to_json(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "sod_present": self.sod_present,
            "hash_algorithm": self.hash_algorithm,
            "data_group_hashes": {f"DG{c.number}": c.status for c in self.data_groups},
            "data_group_details": {
                f"DG{c.number}": c.detail for c in self.data_groups if c.detail
            },
            "sod_signature": self.signature,
            "certificate_chain": self.chain,
            "revocation": self.revocation,
            "signer_subject": self.signer_subject,
            "signer_issuer": self.signer_issuer,
            "csca_subject": self.csca_subject,
            "sod_lists_data_groups": list(self.signed_hashes_for),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class EmrtdResult:
    """A complete read (a failed read raises EmrtdError instead)."""

    holder: HolderData
    face: FaceImage | None
    passive_auth: PassiveAuthResult
    access_control: str  # "PACE" | "BAC"
    pace_offered: bool  # EF.CardAccess present
    data_groups_present: tuple[int, ...]  # from EF.COM
    data_groups_read: tuple[int, ...]
    access_protocol: str = ""  # e.g. "PACE ECDH-GM AES-128 brainpoolP256r1", "BAC 3DES"
    raw_files: dict[str, bytes] = field(default_factory=dict, repr=False)  # "COM","DG1",.."SOD"
    reader: str = ""

    def to_json(self, *, include_photo: bool = False) -> dict[str, object]:
        return {
            "reader": self.reader,
            "access_control": self.access_control,
            "access_protocol": self.access_protocol,
            "pace_offered": self.pace_offered,
            "data_groups_present": list(self.data_groups_present),
            "data_groups_read": list(self.data_groups_read),
            "holder": self.holder.to_json(),
            "face": self.face.to_json(include_data=include_photo) if self.face else None,
            "passive_authentication": self.passive_auth.to_json(),
        }
