"""Check digits and number formats: citizen ID (GB 11643), unified social credit code
(GB 32100-2015), organisation code (GB 11714) and mobile numbers.

Every function returns a CheckResult with a stable ``code`` and a reason in both languages;
none raises on bad input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from station.i18n import both, current_language

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MOBILE = re.compile(r"1[3-9]\d{9}")


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one check. ``check`` names what was checked, ``code`` the outcome."""

    check: str
    ok: bool
    code: str
    reason: dict[str, str]  # {"zh": ..., "en": ...}
    value: str = ""  # the normalised value when ok (e.g. upper-case X, mobile without +86)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return self.reason["en"] if current_language() == "en" else self.reason["zh"]

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "ok": self.ok, "code": self.code, "reason": self.reason}


def fmt(message: dict[str, str], **values: Any) -> dict[str, str]:
    """Fill ``{name}`` placeholders in both languages of a ``both()`` message."""
    return {lang: text.format(**values) for lang, text in message.items()}


def _fail(check: str, code: str, reason: dict[str, str], **details: Any) -> CheckResult:
    return CheckResult(check, False, code, reason, details=details)


def citizen_id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_citizen_id(number: str) -> CheckResult:
    """18-character number of the GB 11643 family (resident ID, 'J' permit, 2023 'Y' card):
    format, birth date (digits 7-14) and check digit. ``details`` gives birth_date and sex_code."""
    check = "citizen_id"
    text = (number or "").strip().upper()
    if not text:
        return _fail(check, "empty", both("IdentityChecks", "No ID number was given."))
    if not re.fullmatch(r"\d{17}[\dX]", text):
        return _fail(check, "bad_format", both(
            "IdentityChecks", "An ID number has 17 digits followed by a digit or X."))
    try:
        birth = date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        return _fail(check, "bad_birth_date", both(
            "IdentityChecks", "The birth date inside the ID number is not a real date."))
    expected = citizen_id_check_char(text[:17])
    if text[17] != expected:
        return _fail(check, "bad_check_digit", fmt(both(
            "IdentityChecks", "The ID number's check digit is wrong (expected {expected})."),
            expected=expected))
    sex_code = "1" if int(text[16]) % 2 else "2"
    return CheckResult(check, True, "ok", both("IdentityChecks", "ID number is valid."),
                       value=text, details={"birth_date": birth, "sex_code": sex_code})


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(code: str) -> CheckResult:
    """Unified social credit code (GB 32100-2015): 18 characters and its check character."""
    check = "credit_code"
    text = (code or "").strip().upper()
    if not text:
        return _fail(check, "empty", both("IdentityChecks", "No credit code was given."))
    if len(text) != 18 or any(c not in _CREDIT_ALPHABET for c in text):
        return _fail(check, "bad_format", both(
            "IdentityChecks",
            "A unified social credit code has 18 characters (digits and capital letters "
            "except I, O, S, V, Z)."))
    expected = credit_code_check_char(text[:17])
    if text[17] != expected:
        return _fail(check, "bad_check_digit", fmt(both(
            "IdentityChecks", "The credit code's check character is wrong (expected {expected})."),
            expected=expected))
    return CheckResult(check, True, "ok", both("IdentityChecks", "Credit code is valid."),
                       value=text)


def org_code_check_char(first8: str) -> str:
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(first8, _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def validate_org_code(code: str) -> CheckResult:
    """Organisation code (GB 11714): 8 digits/capital letters and a check character;
    accepts the printed form with a hyphen (12345678-9)."""
    check = "org_code"
    text = (code or "").strip().upper().replace("-", "")
    if not text:
        return _fail(check, "empty", both("IdentityChecks", "No organisation code was given."))
    if len(text) != 9 or any(c not in _ORG_ALPHABET for c in text[:8]):
        return _fail(check, "bad_format", both(
            "IdentityChecks",
            "An organisation code has 8 digits or capital letters and a check character."))
    expected = org_code_check_char(text[:8])
    if text[8] != expected:
        return _fail(check, "bad_check_digit", fmt(both(
            "IdentityChecks",
            "The organisation code's check character is wrong (expected {expected})."),
            expected=expected))
    return CheckResult(check, True, "ok", both("IdentityChecks", "Organisation code is valid."),
                       value=f"{text[:8]}-{text[8]}")


def validate_mobile(number: str) -> CheckResult:
    """Mainland mobile number: 11 digits 1[3-9]xxxxxxxxx; spaces, hyphens and +86 are allowed."""
    check = "mobile"
    text = re.sub(r"[\s-]", "", number or "")
    if not text:
        return _fail(check, "empty", both("IdentityChecks", "No mobile number was given."))
    for prefix in ("+86", "0086"):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    if not _MOBILE.fullmatch(text):
        return _fail(check, "bad_format", both(
            "IdentityChecks", "A mobile number has 11 digits and starts with 13 to 19."))
    return CheckResult(check, True, "ok", both("IdentityChecks", "Mobile number is valid."),
                       value=text)
