"""Partial masking of personal numbers printed on paper (the full values stay in the database)."""

from __future__ import annotations

MASK = "*"


def mask_id_number(number: str) -> str:
    """``11010519491231002X`` -> ``110105********002X``: region code and last four stay visible.

    Other documents (passports, permits) keep about a quarter of their characters at each end.
    """
    value = "".join(number.split())
    length = len(value)
    if length == 0:
        return ""
    if length == 18:
        return value[:6] + MASK * 8 + value[-4:]
    if length <= 4:
        return MASK * length
    head = min(6, max(1, length // 4))
    tail = min(4, max(1, length // 4))
    return value[:head] + MASK * (length - head - tail) + value[-tail:]


def mask_phone(phone: str | None) -> str:
    """``13812345678`` -> ``138****5678``; other formats keep at most their last four digits."""
    if not phone:
        return ""
    value = "".join(phone.split())
    if len(value) == 11 and value.isdigit():
        return value[:3] + MASK * 4 + value[-4:]
    if len(value) <= 4:
        return MASK * len(value)
    tail = min(4, len(value) // 3)
    head = min(3, len(value) // 4)
    return value[:head] + MASK * (len(value) - head - tail) + value[-tail:]
