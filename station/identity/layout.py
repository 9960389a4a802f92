"""The chip's 256-byte text block (UCS-2LE, space padded) in its four layouts.

Offsets and lengths are in bytes (two per character); the layout is the character at byte 248.
``parse_text`` turns any bytes into an IdentityCard or raises CardParseError with a reason;
``encode_text`` is its inverse (the simulator writes cards with it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from station.i18n import both
from station.identity.card import LONG_TERM, CardLayout, IdentityCard
from station.identity.codes import SEX_NAMES

TEXT_SIZE = 256
TYPE_OFFSET = 248

# field -> (offset, length in bytes); fields not listed are reserved (spaces).
_RESIDENT: dict[str, tuple[int, int]] = {
    "name": (0, 30),
    "sex_code": (30, 2),
    "nation_code": (32, 4),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "issuing_authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
}
_PERMIT_J = {**_RESIDENT, "pass_number": (220, 18), "issue_count": (238, 4)}
_FOREIGNER_I: dict[str, tuple[int, int]] = {
    "name_en": (0, 120),
    "sex_code": (120, 2),
    "id_number": (122, 30),
    "nationality_code": (152, 6),
    "name": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "birth_date": (220, 16),
    "card_version": (236, 4),
    "authority_code": (240, 8),
}
_FOREIGNER_Y: dict[str, tuple[int, int]] = {
    "name": (0, 30),
    "sex_code": (30, 2),
    "renewal_count": (32, 4),
    "birth_date": (36, 16),
    "name_en_1": (52, 70),
    "id_number": (122, 36),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "name_en_2": (220, 22),
    "nationality_code": (242, 6),
    "previous_permit_link": (250, 6),
}
FIELDS: dict[CardLayout, dict[str, tuple[int, int]]] = {
    CardLayout.RESIDENT: _RESIDENT,
    CardLayout.RESIDENCE_PERMIT: _PERMIT_J,
    CardLayout.FOREIGNER_2017: _FOREIGNER_I,
    CardLayout.FOREIGNER_2023: _FOREIGNER_Y,
}
_DATE_FIELDS = ("birth_date", "valid_from", "valid_to")


class CardParseError(ValueError):
    """The text block is not a card we can read; ``reason`` is {"zh": ..., "en": ...}."""

    def __init__(self, code: str, reason: dict[str, str]) -> None:
        super().__init__(reason["en"])
        self.code = code
        self.reason = reason


def _fmt(message: dict[str, str], **values: Any) -> dict[str, str]:
    return {lang: text.format(**values) for lang, text in message.items()}


def _label(field: str) -> dict[str, str]:
    labels = {
        "name": lambda: both("IdentityCard", "name"),
        "name_en": lambda: both("IdentityCard", "English name"),
        "id_number": lambda: both("IdentityCard", "ID number"),
        "sex_code": lambda: both("IdentityCard", "sex"),
        "birth_date": lambda: both("IdentityCard", "birth date"),
        "valid_from": lambda: both("IdentityCard", "validity start"),
        "valid_to": lambda: both("IdentityCard", "validity end"),
    }
    return labels[field]() if field in labels else {"zh": field, "en": field}


def _with_field(message: dict[str, str], field: str) -> dict[str, str]:
    label = _label(field)
    return {lang: text.format(field=label[lang]) for lang, text in message.items()}


def _field(block: bytes, offset: int, length: int) -> str:
    try:
        text = block[offset : offset + length].decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardParseError(
            "bad_encoding",
            _fmt(both("IdentityCard", "The card text is not valid UCS-2 at byte {offset}."),
                 offset=offset),
        ) from exc
    return text.strip(" \x00")


def _date(value: str, field: str) -> date:
    if len(value) == 8 and value.isascii() and value.isdigit():
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            pass
    raise CardParseError(
        "bad_date",
        _with_field(both("IdentityCard", "The card's {field} is not a valid date."), field),
    )


def detect_layout(block: bytes) -> CardLayout:
    if len(block) != TEXT_SIZE:
        raise CardParseError(
            "bad_length",
            _fmt(both("IdentityCard", "The card text has {size} bytes instead of 256."),
                 size=len(block)),
        )
    marker = block[TYPE_OFFSET : TYPE_OFFSET + 2]
    if marker in (b" \x00", b"\x00\x00"):
        return CardLayout.RESIDENT
    for layout in (CardLayout.RESIDENCE_PERMIT, CardLayout.FOREIGNER_2017,
                   CardLayout.FOREIGNER_2023):
        if marker == layout.value.encode("utf-16-le"):
            return layout
    raise CardParseError(
        "unknown_card_type",
        _fmt(both("IdentityCard", "Unknown card type (marker {marker})."), marker=marker.hex()),
    )


def parse_text(block: bytes) -> IdentityCard:
    """Parse a 256-byte text block; raise CardParseError (never anything else) when it is bad."""
    layout = detect_layout(bytes(block))
    raw = {name: _field(block, off, size) for name, (off, size) in FIELDS[layout].items()}
    if layout is CardLayout.FOREIGNER_2023:
        # The English name continues from part 1 into part 2 without a separator.
        # Both parts decoded above; join them unstripped so a space at the seam survives.
        parts = [block[off : off + size].decode("utf-16-le") for off, size in
                 (_FOREIGNER_Y["name_en_1"], _FOREIGNER_Y["name_en_2"])]
        raw["name_en"] = "".join(parts).strip(" \x00")
        raw.pop("name_en_1")
        raw.pop("name_en_2")
    required = ["id_number", "sex_code"]
    required.append("name_en" if layout is CardLayout.FOREIGNER_2017 else "name")
    for name in required:
        if not raw.get(name):
            raise CardParseError(
                "missing_field",
                _with_field(both("IdentityCard", "The card has no {field}."), name),
            )
    if raw["sex_code"] not in SEX_NAMES:
        raise CardParseError(
            "bad_sex_code",
            _fmt(both("IdentityCard", "Unknown sex code {code!r} on the card."),
                 code=raw["sex_code"]),
        )
    valid_to_text = raw.pop("valid_to")
    valid_to = None if valid_to_text == LONG_TERM else _date(valid_to_text, "valid_to")
    dates = {name: _date(raw.pop(name), name) for name in _DATE_FIELDS if name != "valid_to"}
    fields: dict[str, Any] = {**raw, **dates}
    return IdentityCard(layout=layout, valid_to=valid_to, **fields)


def _put(buffer: bytearray, offset: int, length: int, value: str, field: str) -> None:
    encoded = value.encode("utf-16-le")
    if len(encoded) > length:
        raise ValueError(f"{field} is too long for its {length}-byte field")
    buffer[offset : offset + length] = encoded + " ".encode("utf-16-le") * (
        (length - len(encoded)) // 2
    )


def encode_text(card: IdentityCard) -> bytes:
    """The 256-byte text block a chip holds for ``card`` (ValueError if a field does not fit)."""
    buffer = bytearray(" ".encode("utf-16-le") * (TEXT_SIZE // 2))
    values: dict[str, str] = {
        "name": card.name,
        "name_en": card.name_en,
        "sex_code": card.sex_code,
        "nation_code": card.nation_code,
        "birth_date": card.birth_date.strftime("%Y%m%d"),
        "address": card.address,
        "id_number": card.id_number,
        "issuing_authority": card.issuing_authority,
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_to": card.valid_to.strftime("%Y%m%d") if card.valid_to else LONG_TERM,
        "pass_number": card.pass_number,
        "issue_count": card.issue_count,
        "nationality_code": card.nationality_code,
        "card_version": card.card_version,
        "authority_code": card.authority_code,
        "renewal_count": card.renewal_count,
        "previous_permit_link": card.previous_permit_link,
    }
    fields = FIELDS[card.layout]
    if card.layout is CardLayout.FOREIGNER_2023:
        size1 = fields["name_en_1"][1] // 2
        values["name_en_1"] = card.name_en[:size1]
        values["name_en_2"] = card.name_en[size1:]
    for name, (offset, length) in fields.items():
        _put(buffer, offset, length, values[name], name)
    _put(buffer, TYPE_OFFSET, 2, card.layout.value, "type")
    return bytes(buffer)
