"""Decoders of the LDS files a station needs: EF.COM, DG1, DG2, DG11, DG12."""

from __future__ import annotations

from dataclasses import dataclass

from devices.emrtd.tlv import Tlv, TlvError, parse_all, parse_one
from station.identity.passport import HolderData
from station.mrz import MrzError, parse_mrz

# LDS tag of each data group's file, and back.
DG_TAGS = {
    1: 0x61, 2: 0x75, 3: 0x63, 4: 0x76, 5: 0x65, 6: 0x66, 7: 0x67, 8: 0x68,
    9: 0x69, 10: 0x6A, 11: 0x6B, 12: 0x6C, 13: 0x6D, 14: 0x6E, 15: 0x6F, 16: 0x70,
}
TAG_TO_DG = {tag: number for number, tag in DG_TAGS.items()}
COM_TAG = 0x60
SOD_TAG = 0x77


class LdsError(ValueError):
    """A data group is not in the ICAO 9303-10 format."""


def _top(data: bytes, tag: int, name: str) -> Tlv:
    try:
        top = parse_one(data)
    except TlvError as exc:
        raise LdsError(f"{name}: {exc}") from exc
    if top.tag != tag:
        raise LdsError(f"{name}: expected tag {tag:02X}, found {top.tag:X}")
    return top


def _children(top: Tlv, name: str) -> list[Tlv]:
    try:
        return top.children()
    except TlvError as exc:
        raise LdsError(f"{name}: {exc}") from exc


@dataclass(frozen=True)
class EfCom:
    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def parse_ef_com(data: bytes) -> EfCom:
    top = _top(data, COM_TAG, "EF.COM")
    lds = unicode = ""
    groups: tuple[int, ...] = ()
    for child in _children(top, "EF.COM"):
        if child.tag == 0x5F01:
            lds = child.value.decode("ascii", "replace")
        elif child.tag == 0x5F36:
            unicode = child.value.decode("ascii", "replace")
        elif child.tag == 0x5C:
            groups = tuple(sorted({TAG_TO_DG[t] for t in child.value if t in TAG_TO_DG}))
    if not groups:
        raise LdsError("EF.COM lists no data groups")
    return EfCom(lds, unicode, groups)


def parse_dg1(data: bytes) -> HolderData:
    top = _top(data, DG_TAGS[1], "DG1")
    mrz_tlv = top.find(0x5F1F) if top.value else None
    if mrz_tlv is None:
        raise LdsError("DG1 has no MRZ (5F1F)")
    text = mrz_tlv.value.decode("ascii", "replace")
    try:
        mrz = parse_mrz(text)
    except MrzError as exc:
        raise LdsError(f"DG1 MRZ: {exc}") from exc
    return HolderData(
        document_code=mrz.document_code, issuing_state=mrz.issuing_state,
        document_number=mrz.document_number, surname=mrz.surname,
        given_names=mrz.given_names, nationality=mrz.nationality,
        birth_date=mrz.birth_date, sex=mrz.sex, expiry_date=mrz.expiry_date,
        optional_data=mrz.optional_data, mrz_lines=mrz.lines,
    )


def _text(value: bytes) -> str:
    return value.decode("utf-8", "replace").replace("<", " ").strip()


def parse_dg11(data: bytes) -> dict[str, str]:
    """Additional personal details (names use '<<' between primary and secondary parts)."""
    top = _top(data, DG_TAGS[11], "DG11")
    fields = {
        0x5F0E: "full_name", 0x5F10: "personal_number", 0x5F2B: "full_birth_date",
        0x5F11: "place_of_birth", 0x5F42: "address", 0x5F12: "telephone",
        0x5F13: "profession",
    }
    found = {fields[c.tag]: c.value for c in _children(top, "DG11") if c.tag in fields}
    out = {key: _text(value) for key, value in found.items()}
    if "full_name" in found:
        primary, _, secondary = found["full_name"].decode("utf-8", "replace").partition("<<")
        out["full_name"] = ", ".join(p for p in (_text(primary.encode()), _text(
            secondary.encode())) if p)
    return out


def parse_dg12(data: bytes) -> dict[str, str]:
    top = _top(data, DG_TAGS[12], "DG12")
    fields = {0x5F19: "issuing_authority", 0x5F26: "date_of_issue"}
    return {fields[c.tag]: _text(c.value) for c in _children(top, "DG12") if c.tag in fields}


def dg2_face_blocks(data: bytes) -> list[bytes]:
    """The biometric data blocks (ISO 19794-5 records) of DG2, first instance first."""
    top = _top(data, DG_TAGS[2], "DG2")
    blocks: list[bytes] = []
    try:
        for group in top.children():
            if group.tag != 0x7F61:
                continue
            for entry in group.children():
                if entry.tag != 0x7F60:
                    continue
                for item in entry.children():
                    if item.tag in (0x5F2E, 0x7F2E):
                        blocks.append(item.value)
    except TlvError as exc:
        raise LdsError(f"DG2: {exc}") from exc
    if not blocks:
        raise LdsError("DG2 holds no biometric data block")
    return blocks


def all_objects(data: bytes) -> list[Tlv]:
    """Every top-level object (used by tests and diagnostics)."""
    return parse_all(data)
