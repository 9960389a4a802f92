"""Translated labels and time formats shared by the review pages."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from station.beijing import BEIJING, beijing_text
from station.i18n import current_language
from ui.labels import case_kind_label

CHINA = BEIJING  # due times are working days of the office, Beijing time


def parse_time(value: str | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(value: str | datetime | None, with_year: bool = False) -> str:
    return beijing_text(parse_time(value), year=with_year)


def age_text(minutes: float) -> str:
    minutes = max(0, int(minutes))
    if minutes < 60:
        return QCoreApplication.translate("ReviewFormat", "{m} min").format(m=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 24:
        return QCoreApplication.translate("ReviewFormat", "{h} h {m} min").format(h=hours, m=rest)
    days, hours = divmod(hours, 24)
    return QCoreApplication.translate("ReviewFormat", "{d} d {h} h").format(d=days, h=hours)


def kind_label(kind: str) -> str:
    try:
        return case_kind_label(kind)
    except ValueError:
        return kind


def state_label(state: str) -> str:
    return {
        "pending": QCoreApplication.translate("ReviewFormat", "Waiting"),
        "claimed": QCoreApplication.translate("ReviewFormat", "Taken"),
        "approved": QCoreApplication.translate("ReviewFormat", "Approved"),
        "rejected": QCoreApplication.translate("ReviewFormat", "Rejected"),
        "returned": QCoreApplication.translate("ReviewFormat", "Returned for more information"),
        "not_required": QCoreApplication.translate("ReviewFormat", "No review needed"),
    }.get(state, state)


def decision_label(decision: str) -> str:
    return {
        "approved": QCoreApplication.translate("ReviewFormat", "Approved"),
        "rejected": QCoreApplication.translate("ReviewFormat", "Rejected"),
        "returned": QCoreApplication.translate("ReviewFormat", "Returned for more information"),
    }.get(decision, decision)


class ReasonNames:
    """Reason codes with their labels from the server ({code: {"zh", "en"}})."""

    def __init__(self, codes: list[dict[str, str]] | None = None) -> None:
        self.codes: dict[str, dict[str, str]] = {}
        self.update(codes or [])

    def update(self, codes: list[dict[str, str]]) -> None:
        self.codes = {c["code"]: {"zh": c.get("zh", ""), "en": c.get("en", "")} for c in codes}

    def label(self, code: str) -> str:
        names = self.codes.get(code)
        if not names:
            return code
        return (names["en"] if current_language() == "en" else names["zh"]) or code

    def join(self, codes: list[str]) -> str:
        return ", ".join(self.label(code) for code in codes)


def localised(message: dict[str, str] | None) -> str:
    """A {"zh", "en"} (or message_zh/message_en) pair in the current language."""
    if not message:
        return ""
    english = message.get("en") or message.get("message_en") or ""
    chinese = message.get("zh") or message.get("message_zh") or english
    return english if current_language() == "en" else chinese
