"""ICAO 9303 part 3 check digits: weights 7 3 1 over character values mod 10."""

from __future__ import annotations

import re

MRZ_CHARACTERS = re.compile(r"[0-9A-Z<]*")
_WEIGHTS = (7, 3, 1)


def character_value(char: str) -> int:
    """Digits are themselves, A-Z are 10-35, the filler '<' is 0."""
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    if char == "<":
        return 0
    raise ValueError(f"{char!r} is not an MRZ character")


def check_digit(text: str) -> str:
    """The check digit ('0'-'9') of ``text``; raises ValueError on a non-MRZ character."""
    total = sum(character_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(text))
    return str(total % 10)


def is_mrz_text(text: str) -> bool:
    return MRZ_CHARACTERS.fullmatch(text) is not None
