"""Parse TD1 (3 x 30, ID and travel-permit cards), TD2 (2 x 36) and TD3 (2 x 44, passports)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from station.i18n import tr
from station.mrz.checkdigit import check_digit, is_mrz_text

FORMATS = {"TD1": (3, 30), "TD2": (2, 36), "TD3": (2, 44)}
_BY_TOTAL = {lines * width: name for name, (lines, width) in FORMATS.items()}


class MrzError(ValueError):
    """The text is not a complete MRZ; ``code`` is stable, ``str()`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class MrzField:
    """A field protected by a check digit and whether the digit matches."""

    name: str  # document_number | birth_date | expiry_date | optional_data | composite
    value: str
    check: str
    valid: bool


@dataclass(frozen=True)
class Mrz:
    format: str  # TD1 | TD2 | TD3
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date_raw: str  # YYMMDD as printed ('<' for unknown parts)
    sex: str  # M | F | X ('<' unspecified)
    expiry_date_raw: str
    optional_data: str
    optional_data_2: str = ""
    checks: tuple[MrzField, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return all(f.valid for f in self.checks)

    @property
    def failed_checks(self) -> list[str]:
        return [f.name for f in self.checks if not f.valid]

    def check(self, name: str) -> MrzField | None:
        return next((f for f in self.checks if f.name == name), None)

    @property
    def document_number_check(self) -> str:
        found = self.check("document_number")
        return found.check if found else ""

    @property
    def bac_key_seed_info(self) -> str:
        """Document number, birth date, expiry, each with its check digit (9303-11 9.7.1).

        Short numbers are padded with '<' to nine characters; long TD1 numbers are used whole.
        """
        number = self.document_number.ljust(9, "<")
        return (
            number + check_digit(number)
            + self.birth_date_raw + check_digit(self.birth_date_raw)
            + self.expiry_date_raw + check_digit(self.expiry_date_raw)
        )

    @property
    def birth_date(self) -> date | None:
        return yymmdd_to_date(self.birth_date_raw, past=True)

    @property
    def expiry_date(self) -> date | None:
        return yymmdd_to_date(self.expiry_date_raw, past=False)

    def to_json(self) -> dict[str, object]:
        birth, expiry = self.birth_date, self.expiry_date
        return {
            "format": self.format,
            "document_code": self.document_code,
            "issuing_state": self.issuing_state,
            "document_number": self.document_number,
            "surname": self.surname,
            "given_names": self.given_names,
            "nationality": self.nationality,
            "birth_date": birth.isoformat() if birth else None,
            "sex": self.sex,
            "expiry_date": expiry.isoformat() if expiry else None,
            "optional_data": self.optional_data,
            "optional_data_2": self.optional_data_2,
            "check_digits_valid": self.valid,
            "failed_checks": self.failed_checks,
        }


def yymmdd_to_date(raw: str, *, past: bool, today: date | None = None) -> date | None:
    """Two-digit years: birth dates lie in the past, expiry dates within 50 years ahead."""
    if not re.fullmatch(r"\d{6}", raw):
        return None
    today = today or date.today()
    yy, month, day = int(raw[:2]), int(raw[2:4]), int(raw[4:])
    century = today.year // 100 * 100
    year = century + yy
    if year > (today.year if past else today.year + 50):
        year -= 100
    try:
        return date(year, month, day)
    except ValueError:
        return None


def normalise_lines(text: str) -> list[str]:
    """Split typed or scanned text into MRZ lines (upper case, spaces dropped).

    Accepts newline- or space-separated lines, or the lines run together.
    """
    parts = [p for p in re.split(r"\s+", text.strip().upper()) if p]
    joined = "".join(parts)
    widths = [len(p) for p in parts]
    for _name, (count, width) in FORMATS.items():
        if widths == [width] * count:
            return parts
    if len(joined) in _BY_TOTAL:
        count, width = FORMATS[_BY_TOTAL[len(joined)]]
        return [joined[i * width : (i + 1) * width] for i in range(count)]
    return parts


def _names(name_field: str) -> tuple[str, str]:
    primary, _, secondary = name_field.partition("<<")
    return _spaces(primary), _spaces(secondary)


def _spaces(text: str) -> str:
    return re.sub(r"<+", " ", text).strip()


def _field(name: str, value: str, check: str, *, filler_ok: bool = False) -> MrzField:
    valid = check == check_digit(value)
    if filler_ok and check == "<" and set(value) <= {"<"}:
        valid = True
    return MrzField(name, value, check, valid)


def parse_mrz(text: str) -> Mrz:
    """Parse a full MRZ; raises MrzError when it is not complete or has foreign characters.

    Check-digit failures do not raise: they are in ``Mrz.checks`` so a form can show them.
    """
    lines = normalise_lines(text)
    if not lines:
        raise MrzError("empty", tr("Mrz", "Enter the machine-readable zone."))
    for line in lines:
        if not is_mrz_text(line):
            raise MrzError(
                "characters",
                tr("Mrz", "Only A-Z, 0-9 and '<' may appear in the machine-readable zone."),
            )
    shape = (len(lines), len(lines[0]))
    kind = next((name for name, spec in FORMATS.items() if spec == shape), None)
    if kind is None or any(len(line) != shape[1] for line in lines):
        raise MrzError(
            "length",
            tr(
                "Mrz",
                "The zone must be 3 lines of 30 (ID card, permit), 2 of 36, "
                "or 2 of 44 characters (passport).",
            ),
        )
    if kind == "TD1":
        return _parse_td1(lines)
    return _parse_two_line(kind, lines)


def _parse_td1(lines: list[str]) -> Mrz:
    l1, l2, l3 = lines
    number, number_check, optional = l1[5:14], l1[14], l1[15:30]
    if number_check == "<" and optional[:1] not in ("", "<"):
        # Long document number: it continues in the optional data, its check digit last.
        extension = optional.split("<", 1)[0]
        number, number_check = number + extension[:-1], extension[-1:]
        optional = optional[len(extension) :]
        value_for_check = l1[5:14] + extension[:-1]
    else:
        value_for_check = number
    surname, given = _names(l3)
    checks = (
        _field("document_number", value_for_check, number_check),
        _field("birth_date", l2[0:6], l2[6]),
        _field("expiry_date", l2[8:14], l2[14]),
        _field("composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    )
    return Mrz(
        format="TD1", lines=tuple(lines), document_code=_spaces(l1[0:2]),
        issuing_state=_spaces(l1[2:5]), document_number=number.rstrip("<"),
        surname=surname, given_names=given, nationality=_spaces(l2[15:18]),
        birth_date_raw=l2[0:6], sex=l2[7], expiry_date_raw=l2[8:14],
        optional_data=_spaces(optional), optional_data_2=_spaces(l2[18:29]), checks=checks,
    )


def _parse_two_line(kind: str, lines: list[str]) -> Mrz:
    l1, l2 = lines
    surname, given = _names(l1[5:])
    # Optional data ends at 42 (TD3, own check digit at 42) or 35 (TD2); composite is last.
    optional_end, composite_at = (42, 43) if kind == "TD3" else (35, 35)
    checks = [
        _field("document_number", l2[0:9], l2[9]),
        _field("birth_date", l2[13:19], l2[19]),
        _field("expiry_date", l2[21:27], l2[27]),
    ]
    if kind == "TD3":
        checks.append(_field("optional_data", l2[28:42], l2[42], filler_ok=True))
    checks.append(
        _field("composite", l2[0:10] + l2[13:20] + l2[21:composite_at], l2[composite_at])
    )
    return Mrz(
        format=kind, lines=tuple(lines), document_code=_spaces(l1[0:2]),
        issuing_state=_spaces(l1[2:5]), document_number=l2[0:9].rstrip("<"),
        surname=surname, given_names=given, nationality=_spaces(l2[10:13]),
        birth_date_raw=l2[13:19], sex=l2[20], expiry_date_raw=l2[21:27],
        optional_data=_spaces(l2[28:optional_end]), checks=tuple(checks),
    )
