"""Translated labels and time formats shared by the review pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication

from station.beijing import BEIJING, beijing_text
from station.i18n import current_language
from station.vocabulary import vocabulary as local_vocabulary
from station.wire import FlagTerm, Term, Vocabulary
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


class TermNames:
    """Labels of one vocabulary (routing flags, decision reasons or part kinds) in the current
    language: this station's own catalogue until the central service's arrives."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._terms: dict[str, Term] = {}
        self.update(terms)

    def update(self, terms: Iterable[Term]) -> None:
        self._terms = {term.code: term for term in terms}

    @property
    def codes(self) -> list[str]:
        return list(self._terms)

    def label(self, code: str) -> str:
        term = self._terms.get(code)
        return term.label.text(current_language()) if term is not None else code

    def explanation(self, code: str) -> str:
        """A flag's explanation (its label for a term that has none)."""
        term = self._terms.get(code)
        if isinstance(term, FlagTerm):
            return term.explanation.text(current_language())
        return self.label(code)

    def join(self, codes: Iterable[str]) -> str:
        return ", ".join(self.label(code) for code in codes)


class ReviewVocabulary:
    """What the review pages name: flags (why a case is in the queue), decision reasons and
    part kinds."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        source = vocabulary or local_vocabulary()
        self.flags = TermNames(source.flags)
        self.reasons = TermNames(source.decision_reasons)
        self.part_kinds = TermNames(source.part_kinds)

    def update(self, vocabulary: Vocabulary) -> None:
        self.flags.update(vocabulary.flags)
        self.reasons.update(vocabulary.decision_reasons)
        self.part_kinds.update(vocabulary.part_kinds)


def localised(message: dict[str, str] | None) -> str:
    """A {"zh", "en"} (or message_zh/message_en) pair in the current language."""
    if not message:
        return ""
    english = message.get("en") or message.get("message_en") or ""
    chinese = message.get("zh") or message.get("message_zh") or english
    return english if current_language() == "en" else chinese
