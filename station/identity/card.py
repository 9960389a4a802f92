"""The identity card as read from the chip, independent of the text layout it came from."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Any

from station.identity.codes import SEX_NAMES_EN, nation_name, sex_name

LONG_TERM = "长期"  # printed as the validity end of cards that do not expire


class CardType(enum.StrEnum):
    RESIDENT_ID = "resident_id"
    HK_MO_TW_RESIDENCE_PERMIT = "hk_mo_tw_residence_permit"
    FOREIGN_PERMANENT_RESIDENT = "foreign_permanent_resident"


class CardLayout(enum.StrEnum):
    """The character at byte 248 of the text block selects the layout."""

    RESIDENT = " "
    RESIDENCE_PERMIT = "J"
    FOREIGNER_2017 = "I"
    FOREIGNER_2023 = "Y"

    @property
    def card_type(self) -> CardType:
        if self is CardLayout.RESIDENT:
            return CardType.RESIDENT_ID
        if self is CardLayout.RESIDENCE_PERMIT:
            return CardType.HK_MO_TW_RESIDENCE_PERMIT
        return CardType.FOREIGN_PERMANENT_RESIDENT

    @property
    def label(self) -> str:
        """Short stable name for JSON and logs ('resident', 'J', 'I', 'Y')."""
        return "resident" if self is CardLayout.RESIDENT else self.value


@dataclass(frozen=True, kw_only=True)
class IdentityCard:
    """Fields of one card. Dates are real dates; ``valid_to`` None means 长期 (no expiry)."""

    layout: CardLayout
    name: str  # Chinese name (may be empty on an 'I' card issued without one)
    sex_code: str
    birth_date: date
    id_number: str  # citizen ID number, permit number
    valid_from: date
    valid_to: date | None
    name_en: str = ""
    nation_code: str = ""  # resident ID only
    address: str = ""
    issuing_authority: str = ""
    pass_number: str = ""  # 'J': HK/Macau/Taiwan travel permit number
    issue_count: str = ""  # 'J': times issued
    nationality_code: str = ""  # 'I'/'Y': ISO 3166 alpha-3
    card_version: str = ""  # 'I'
    authority_code: str = ""  # 'I'
    renewal_count: str = ""  # 'Y'
    previous_permit_link: str = ""  # 'Y'

    @property
    def card_type(self) -> CardType:
        return self.layout.card_type

    @property
    def sex(self) -> str:
        return sex_name(self.sex_code)

    @property
    def nation(self) -> str:
        return nation_name(self.nation_code) if self.nation_code else ""

    @property
    def long_term(self) -> bool:
        return self.valid_to is None

    @property
    def display_name(self) -> str:
        return self.name or self.name_en

    def masked_id_number(self) -> str:
        """For logs: keeps the first 3 and last 2 characters only."""
        number = self.id_number
        return number[:3] + "*" * max(len(number) - 5, 0) + number[-2:] if len(number) > 5 else "*"

    def to_json(self) -> dict[str, Any]:
        """The fields as the CLI prints them (ISO dates; valid_to may be 长期)."""
        data: dict[str, Any] = {
            "card_type": self.card_type.value,
            "layout": self.layout.label,
            "name": self.name,
            "name_en": self.name_en,
            "sex": self.sex,
            "sex_code": self.sex_code,
            "sex_en": SEX_NAMES_EN.get(self.sex_code, ""),
            "nation": self.nation,
            "nation_code": self.nation_code,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number,
            "issuing_authority": self.issuing_authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else LONG_TERM,
        }
        extras = {
            "pass_number": self.pass_number,
            "issue_count": self.issue_count,
            "nationality_code": self.nationality_code,
            "card_version": self.card_version,
            "authority_code": self.authority_code,
            "renewal_count": self.renewal_count,
            "previous_permit_link": self.previous_permit_link,
        }
        data.update({key: value for key, value in extras.items() if value})
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IdentityCard:
        """Inverse of ``to_json`` (e.g. a card stored with a case); ValueError on bad data."""
        try:
            layout = next(item for item in CardLayout if item.label == data["layout"])
            valid_to = data["valid_to"]
            return cls(
                layout=layout,
                name=str(data.get("name", "")),
                sex_code=str(data["sex_code"]),
                birth_date=date.fromisoformat(data["birth_date"]),
                id_number=str(data["id_number"]),
                valid_from=date.fromisoformat(data["valid_from"]),
                valid_to=None if valid_to == LONG_TERM else date.fromisoformat(valid_to),
                **{key: str(data.get(key, "")) for key in _TEXT_FIELDS},
            )
        except (KeyError, TypeError, StopIteration) as exc:
            raise ValueError(f"not a card record: {exc!r}") from exc


_TEXT_FIELDS = ("name_en", "nation_code", "address", "issuing_authority", "pass_number",
                "issue_count", "nationality_code", "card_version", "authority_code",
                "renewal_count", "previous_permit_link")
