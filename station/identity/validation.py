"""Validations of a card read from the chip, each with a reason in both languages.

A failed validation is not an exception: the flow shows it as a badge and routes the case
(e.g. to review); only the flow decides what blocks.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date

from station.i18n import both
from station.identity.card import CardLayout, CardType, IdentityCard
from station.identity.checks import CheckResult, fmt, validate_citizen_id

_PERMIT_PREFIXES = {"810000": "HK", "820000": "MO", "830000": "TW"}


def check_validity_period(card: IdentityCard, today: date | None = None) -> CheckResult:
    today = today or date.today()
    if card.valid_from > today:
        return CheckResult("validity", False, "not_yet_valid", fmt(both(
            "IdentityValidation", "The card is not valid before {date}."),
            date=card.valid_from.isoformat()))
    if card.valid_to is not None and card.valid_to < today:
        return CheckResult("validity", False, "expired", fmt(both(
            "IdentityValidation", "The card expired on {date}."), date=card.valid_to.isoformat()))
    if card.valid_to is not None and card.valid_to < card.valid_from:
        return CheckResult("validity", False, "bad_period", both(
            "IdentityValidation", "The card's validity ends before it starts."))
    return CheckResult("validity", True, "ok", both("IdentityValidation", "The card is valid."))


def check_card_type_allowed(card: IdentityCard, allowed: Collection[CardType]) -> CheckResult:
    if card.card_type in allowed:
        return CheckResult("card_type", True, "ok", both(
            "IdentityValidation", "This card type is accepted here."))
    return CheckResult("card_type", False, "type_not_allowed", both(
        "IdentityValidation", "This card type is not accepted for this service."))


def _foreigner_2017_number(card: IdentityCard) -> CheckResult:
    number = card.id_number.upper()
    if not re.fullmatch(r"[A-Z]{3}\d{12}", number):
        return CheckResult("id_number", False, "bad_format", both(
            "IdentityValidation",
            "A 2017 permanent residence number has 3 letters followed by 12 digits."))
    if card.nationality_code and number[:3] != card.nationality_code.upper():
        return CheckResult("id_number", False, "nationality_mismatch", both(
            "IdentityValidation", "The permit number does not start with the card's nationality."))
    return CheckResult("id_number", True, "ok", both(
        "IdentityValidation", "Permit number format is valid (no check digit on this card)."))


def _number_family(card: IdentityCard) -> CheckResult | None:
    """The number's prefix must match the card kind ('J' 81/82/83 0000, 'Y' starts with 9)."""
    number = card.id_number
    if card.layout is CardLayout.RESIDENCE_PERMIT and number[:6] not in _PERMIT_PREFIXES:
        return CheckResult("number_kind", False, "bad_prefix", both(
            "IdentityValidation",
            "A residence permit number starts with 810000, 820000 or 830000."))
    if card.layout is CardLayout.FOREIGNER_2023 and not number.startswith("9"):
        return CheckResult("number_kind", False, "bad_prefix", both(
            "IdentityValidation", "A 2023 permanent residence number starts with 9."))
    if card.layout is CardLayout.RESIDENT and number[:1] in ("8", "9"):
        return CheckResult("number_kind", False, "bad_prefix", both(
            "IdentityValidation", "This number belongs to a permit, not a resident ID card."))
    return None


def validate_card(
    card: IdentityCard,
    *,
    today: date | None = None,
    allowed_types: Collection[CardType] | None = None,
) -> tuple[CheckResult, ...]:
    """Every check that applies to ``card``: number (check digit), birth date and sex against
    the number, validity period, and (when given) the card types the flow accepts."""
    results: list[CheckResult] = []
    if card.layout is CardLayout.FOREIGNER_2017:
        results.append(_foreigner_2017_number(card))
    else:
        number = validate_citizen_id(card.id_number)
        results.append(number)
        family = _number_family(card)
        if family is not None:
            results.append(family)
        if number.ok:
            if number.details["birth_date"] == card.birth_date:
                results.append(CheckResult("birth_date", True, "ok", both(
                    "IdentityValidation", "Birth date matches the ID number.")))
            else:
                results.append(CheckResult("birth_date", False, "mismatch", both(
                    "IdentityValidation", "The birth date does not match the ID number.")))
            if card.sex_code not in ("1", "2") or number.details["sex_code"] == card.sex_code:
                results.append(CheckResult("sex", True, "ok", both(
                    "IdentityValidation", "Sex matches the ID number.")))
            else:
                results.append(CheckResult("sex", False, "mismatch", both(
                    "IdentityValidation", "The sex does not match the ID number.")))
    results.append(check_validity_period(card, today))
    if allowed_types is not None:
        results.append(check_card_type_allowed(card, allowed_types))
    return tuple(results)


def failed(results: Sequence[CheckResult]) -> list[CheckResult]:
    return [result for result in results if not result.ok]
