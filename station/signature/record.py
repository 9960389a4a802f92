"""The signature record: an ISO/IEC 19794-7-style time series plus a rendered PNG, bound to
the case and the exact agreement text it signs.

Binding: ``binding_sha256 = SHA-256(case id, agreement version, SHA-256(agreement text),
signer role)`` and ``content_sha256 = SHA-256(binding, time series, PNG, creation time)``.
The case id itself is not stored, only its hash inside the binding, so :func:`verify` proves
that a record belongs to a given case and text, and detects edited points or a swapped
image. Store ``content_sha256`` outside the record too (Signature.content_sha256 and the
audit chain) so a record rebuilt wholesale for another case is caught as well.

Bytes layout (all integers big-endian)::

    "CSSR" | u8 format version | u32 n + JSON header (n bytes, UTF-8)
           | u32 n + time series (n bytes) | u32 n + PNG (n bytes)

Time series (19794-7-style, one row per point)::

    "SDI\\0" | "CS01" | u16 channel mask | u32 max X | u32 max Y | u32 max F | u8 max TX
           | u8 max TY | u32 point count
           | per point: u16 X, u16 Y, u32 T (microseconds from the first point), u16 F,
             u8 S (bit 0 pen down, bit 1 first point of a stroke), u8 TX, u8 TY
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from station.i18n import both
from station.signature.model import InputDevice, PenPoint, SignatureData
from station.signature.render import render_png

MAGIC = b"CSSR"
FORMAT_VERSION = 1
SERIES_MAGIC = b"SDI\x00CS01"
# Channel inclusion bits in 19794-7 order (X, Y, Z, VX, VY, AX, AY, T, DT, F, S, TX, TY, ...).
CH_X, CH_Y, CH_T, CH_F, CH_S, CH_TX, CH_TY = 0x8000, 0x4000, 0x0100, 0x0040, 0x0020, 0x0010, 0x0008
CHANNELS = CH_X | CH_Y | CH_T | CH_F | CH_S | CH_TX | CH_TY
_SERIES_HEAD = struct.Struct(">8sHIIIBBI")
_POINT = struct.Struct(">HHIHBBB")
_MAX_SECTION = 64 * 1024 * 1024


class SignatureRecordError(ValueError):
    """Bytes that are not a valid signature record (truncated, corrupt, wrong format)."""


def _sha256(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(struct.pack(">I", len(data)))  # length-prefixed: no ambiguous joins
        digest.update(data)
    return digest.hexdigest()


def agreement_sha256(agreement_text: str) -> str:
    return hashlib.sha256(agreement_text.encode("utf-8")).hexdigest()


def binding_sha256(
    case_id: str, agreement_text: str, agreement_version: str, signer_role: str
) -> str:
    return _sha256(
        "counter-station/signature-binding/1", case_id, agreement_version,
        agreement_sha256(agreement_text), signer_role,
    )


def encode_series(signature: SignatureData) -> bytes:
    dev = signature.device
    points = signature.points()
    for name, limit in (("max_x", dev.max_x), ("max_y", dev.max_y)):
        if not 0 < limit <= 0xFFFF:
            raise ValueError(f"device {name} {limit} does not fit the time series")
    out = bytearray(_SERIES_HEAD.pack(
        SERIES_MAGIC, CHANNELS, dev.max_x, dev.max_y, dev.max_pressure,
        min(dev.max_tilt_x, 255), min(dev.max_tilt_y, 255), len(points),
    ))
    t0 = points[0].t_ns if points else 0
    for stroke in signature.strokes:
        for index, p in enumerate(stroke):
            out += _POINT.pack(
                min(max(p.x, 0), 0xFFFF), min(max(p.y, 0), 0xFFFF),
                min(max(0, (p.t_ns - t0) // 1000), 0xFFFFFFFF),
                min(max(p.pressure, 0), 0xFFFF),
                1 | (2 if index == 0 else 0),
                min(max(p.tilt_x, 0), 255), min(max(p.tilt_y, 0), 255),
            )
    return bytes(out)


def decode_series(data: bytes, source: str = "", version: int = 0, name: str = "") -> SignatureData:
    if len(data) < _SERIES_HEAD.size:
        raise SignatureRecordError("time series is truncated")
    magic, channels, max_x, max_y, max_p, max_tx, max_ty, count = _SERIES_HEAD.unpack_from(data)
    if magic != SERIES_MAGIC or channels != CHANNELS:
        raise SignatureRecordError("time series has an unknown format")
    if len(data) != _SERIES_HEAD.size + count * _POINT.size:
        raise SignatureRecordError("time series length does not match its point count")
    if not (0 < max_x <= 0xFFFF and 0 < max_y <= 0xFFFF):  # what encode_series can write
        raise SignatureRecordError("time series has an impossible pad size")
    device = InputDevice(source, max_x, max_y, max_p, max_tx, max_ty, version, name)
    strokes: list[tuple[PenPoint, ...]] = []
    current: list[PenPoint] = []
    for x, y, t_us, f, s, tx, ty in _POINT.iter_unpack(data[_SERIES_HEAD.size:]):
        if s & 2 and current:
            strokes.append(tuple(current))
            current = []
        elif not s & 2 and not current:
            raise SignatureRecordError("time series does not start with a stroke")
        current.append(PenPoint(x, y, f, t_us * 1000, tx, ty))
    if current:
        strokes.append(tuple(current))
    return SignatureData(device, tuple(strokes))


@dataclass(frozen=True)
class SignatureRecord:
    signature: SignatureData  # time relative to the first point, microsecond resolution
    png: bytes
    agreement_kind: str
    agreement_version: str
    agreement_sha256: str
    signer_role: str
    created_at: str  # ISO 8601 UTC
    binding_sha256: str
    series_sha256: str
    png_sha256: str
    content_sha256: str
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. capture quality summary

    def to_bytes(self) -> bytes:
        dev = self.signature.device
        header = {
            "format": "counter-station/signature", "version": FORMAT_VERSION,
            "agreement_kind": self.agreement_kind, "agreement_version": self.agreement_version,
            "agreement_sha256": self.agreement_sha256, "signer_role": self.signer_role,
            "created_at": self.created_at, "binding_sha256": self.binding_sha256,
            "series_sha256": self.series_sha256, "png_sha256": self.png_sha256,
            "content_sha256": self.content_sha256,
            "device": {"source": dev.source, "version": dev.version, "name": dev.name},
            "extra": self.extra,
        }
        parts = [
            json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8"),
            encode_series(self.signature),
            self.png,
        ]
        out = bytearray(MAGIC + bytes([FORMAT_VERSION]))
        for part in parts:
            out += struct.pack(">I", len(part)) + part
        return bytes(out)


def _content_sha256(
    binding: str, series: str, png: str, created_at: str, kind: str, device: InputDevice,
    extra: dict[str, Any],
) -> str:
    """The seal over everything the record says (device metadata and notes included)."""
    metadata = json.dumps(
        {"agreement_kind": kind, "device": [device.source, device.version, device.name],
         "extra": extra},
        ensure_ascii=False, sort_keys=True,
    )
    return _sha256(
        "counter-station/signature-content/1", binding, series, png, created_at, metadata
    )


def create_record(
    signature: SignatureData,
    case_id: str,
    agreement_text: str,
    agreement_version: str,
    *,
    signer_role: str = "applicant",
    agreement_kind: str = "user_agreement",
    created_at: datetime | None = None,
    extra: dict[str, Any] | None = None,
) -> SignatureRecord:
    """Seal a captured signature to the case and the exact text shown to the signer."""
    if signature.point_count == 0:
        raise ValueError("cannot make a record of an empty signature")
    relative = signature.relative_time()
    series = encode_series(relative)
    png = render_png(relative)
    when = (created_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="milliseconds")
    binding = binding_sha256(case_id, agreement_text, agreement_version, signer_role)
    series_hash = hashlib.sha256(series).hexdigest()
    png_hash = hashlib.sha256(png).hexdigest()
    extra = dict(extra or {})
    return SignatureRecord(
        signature=relative, png=png, agreement_kind=agreement_kind,
        agreement_version=agreement_version, agreement_sha256=agreement_sha256(agreement_text),
        signer_role=signer_role, created_at=when, binding_sha256=binding,
        series_sha256=series_hash, png_sha256=png_hash,
        content_sha256=_content_sha256(
            binding, series_hash, png_hash, when, agreement_kind, relative.device, extra
        ),
        extra=extra,
    )


def record_from_bytes(data: bytes) -> SignatureRecord:
    """Parse bytes made by :meth:`SignatureRecord.to_bytes`; SignatureRecordError otherwise."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise SignatureRecordError("a signature record is bytes")
    data = bytes(data)
    if len(data) < 5 or data[:4] != MAGIC:
        raise SignatureRecordError("not a signature record")
    if data[4] != FORMAT_VERSION:
        raise SignatureRecordError(f"unsupported signature record version {data[4]}")
    parts: list[bytes] = []
    offset = 5
    for _ in range(3):
        if offset + 4 > len(data):
            raise SignatureRecordError("signature record is truncated")
        (size,) = struct.unpack_from(">I", data, offset)
        offset += 4
        if size > _MAX_SECTION or offset + size > len(data):
            raise SignatureRecordError("signature record is truncated")
        parts.append(data[offset : offset + size])
        offset += size
    if offset != len(data):
        raise SignatureRecordError("signature record has trailing bytes")
    try:
        header = json.loads(parts[0].decode("utf-8"))
        device = header["device"]
        signature = decode_series(
            parts[1], str(device["source"]), int(device["version"]), str(device["name"])
        )
        fields = {
            key: str(header[key])
            for key in (
                "agreement_kind", "agreement_version", "agreement_sha256", "signer_role",
                "created_at", "binding_sha256", "series_sha256", "png_sha256", "content_sha256",
            )
        }
        extra = header.get("extra", {})
        if not isinstance(extra, dict):
            raise TypeError("extra is not an object")
        json.dumps(extra, sort_keys=True)  # must be re-encodable to be sealed
    except SignatureRecordError:
        raise
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise SignatureRecordError(f"signature record header is invalid: {exc}") from exc
    return SignatureRecord(signature=signature, png=parts[2], extra=extra, **fields)


@dataclass(frozen=True)
class Verification:
    ok: bool
    # codes: agreement_version | agreement_text | case | points | image | seal
    problems: tuple[str, ...]

    def __bool__(self) -> bool:
        return self.ok

    def messages(self) -> list[dict[str, str]]:
        texts = {
            "agreement_version": both(
                "SignatureRecord",
                "The signature was given for another version of the agreement.",
            ),
            "agreement_text": both(
                "SignatureRecord",
                "The agreement text differs from the text that was signed.",
            ),
            "case": both(
                "SignatureRecord",
                "The signature belongs to another case.",
            ),
            "points": both(
                "SignatureRecord",
                "The signature's pen data were altered after signing.",
            ),
            "image": both(
                "SignatureRecord",
                "The signature image was altered after signing.",
            ),
            "seal": both(
                "SignatureRecord",
                "The signature record's seal does not match its contents.",
            ),
        }
        return [texts[p] for p in self.problems]


def verify(
    record: SignatureRecord,
    case_id: str,
    agreement_text: str,
    agreement_version: str,
    expected_content_sha256: str | None = None,
) -> Verification:
    """Prove the record signs this case and this exact text, and was not edited since.

    ``expected_content_sha256`` (from the database row or the audit chain) also catches a
    record rebuilt wholesale: anyone can recompute unkeyed hashes, but not the anchored one.
    """
    problems: list[str] = []
    if record.agreement_version != agreement_version:
        problems.append("agreement_version")
    if record.agreement_sha256 != agreement_sha256(agreement_text):
        problems.append("agreement_text")
    expected_binding = binding_sha256(
        case_id, agreement_text, agreement_version, record.signer_role
    )
    if record.binding_sha256 != expected_binding and not problems:
        problems.append("case")
    if hashlib.sha256(encode_series(record.signature)).hexdigest() != record.series_sha256:
        problems.append("points")
    if hashlib.sha256(record.png).hexdigest() != record.png_sha256:
        problems.append("image")
    content = _content_sha256(
        record.binding_sha256, record.series_sha256, record.png_sha256, record.created_at,
        record.agreement_kind, record.signature.device, record.extra,
    )
    if content != record.content_sha256 or (
        expected_content_sha256 is not None and expected_content_sha256 != record.content_sha256
    ):
        problems.append("seal")
    return Verification(not problems, tuple(problems))
