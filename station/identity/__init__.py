"""Identity documents read from the chip: card model, text layouts, code tables, check digits,
validations and the chip photo. Qt-free; used by the reader driver, the flows and the CLI."""

from station.identity.card import CardLayout, CardType, IdentityCard
from station.identity.checks import CheckResult
from station.identity.layout import CardParseError, encode_text, parse_text

__all__ = [
    "CardLayout",
    "CardParseError",
    "CardType",
    "CheckResult",
    "IdentityCard",
    "encode_text",
    "parse_text",
]
