"""Partial masking of personal data shown on paper, on a screen or in an SMS (the full values
stay in the database)."""

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


def mask_name(name: str) -> str:
    """The surname and one mark per other character (张** for 张三丰): enough for the person to
    recognise their own name, little for a passer-by. A Latin name keeps its first word and
    the initials of the rest (John R. T.)."""
    name = name.strip()
    if not name:
        return ""
    if name.isascii():
        words = name.split()
        return " ".join([words[0], *(word[0] + "." for word in words[1:])])
    return name[0] + MASK * max(1, len(name) - 1)
