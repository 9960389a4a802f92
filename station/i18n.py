"""Translations for the Qt-free core, from the same Qt Linguist catalogs the UI uses.

Catalogs are split by area (``resources/translations/<area>_zh_CN.ts``), so each part of
the station owns its own file. The UI loads the compiled ``.qm`` files through QTranslator.
The core (receipts, validation messages, photo-check messages, CLI output) reads the
``.ts`` sources with ElementTree, so one
catalog serves both and no Qt import is needed. Source strings are English; zh_CN is the
default language of the station.

Mark core strings with ``tr("Context", "English text")``; ``scripts/i18n.py``
collects them into the catalogs alongside the strings pyside6-lupdate finds in ui/.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "resources" / "translations"
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_state = threading.local()
_default = {"language": DEFAULT_LANGUAGE}


def set_language(language: str) -> None:
    """Set the process-wide default language of core messages."""
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    _default["language"] = language


def current_language() -> str:
    return getattr(_state, "language", None) or _default["language"]


@lru_cache(maxsize=8)
def catalog(language: str) -> dict[tuple[str, str], str]:
    """(context, source) -> translation for finished entries of one language's catalog."""
    entries: dict[tuple[str, str], str] = {}
    for path in sorted(TRANSLATIONS_DIR.glob(f"*_{language}.ts")):
        entries.update(_read_catalog(path))
    return entries


def _read_catalog(path: Path) -> dict[tuple[str, str], str]:
    entries: dict[tuple[str, str], str] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", default="")
        for message in context.iter("message"):
            source = message.findtext("source", default="")
            translation = message.find("translation")
            if translation is None or translation.get("type") in {"unfinished", "obsolete", "vanished"}:
                continue
            if translation.text:
                entries[(name, source)] = translation.text
    return entries


def translate(context: str, source: str, language: str | None = None) -> str:
    """Translate ``source`` in ``context``; fall back to the English source text."""
    lang = language or current_language()
    if lang == "en":
        return source
    return catalog(lang).get((context, source), source)


def tr(context: str, source: str) -> str:
    """Mark-and-translate for the core (collected by scripts/i18n.py)."""
    return translate(context, source)


def both(context: str, source: str) -> dict[str, str]:
    """The message in every language: ``{"zh": ..., "en": ...}`` for reports and JSON output."""
    return {"zh": translate(context, source, "zh_CN"), "en": source}


@dataclass(frozen=True)
class Text:
    """A message marked for translation where a data table names it, translated each time it
    is shown (the language may change after the table was built)."""

    context: str
    source: str

    def __str__(self) -> str:
        return translate(self.context, self.source)


def tr_later(context: str, source: str) -> Text:
    """Mark for translation now, translate when shown (collected by scripts/i18n.py)."""
    return Text(context, source)
