"""The photo checks' limits and values in words of the chosen language.

The photo engine (station/photo/analysis.py) records each check's limit as a short formula in
English ("|angle| <= 8 deg", ">= 20 px above the bottom"); the case view shows it to the
supervisor in their language. Numbers and ranges ("<= 0.3", "[0.6, 0.75]") need no words.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

translate = QCoreApplication.translate

_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[], str]], ...] = (
    (re.compile(r"^\|angle\| <= ([-\d.]+) deg$"),
     lambda: translate("PhotoThresholds", "turned at most {0}°")),
    (re.compile(r"^>= ([-\d.]+) px above the bottom$"),
     lambda: translate("PhotoThresholds", "at least {0} px above the bottom edge")),
    (re.compile(r"^>= ([-\d.]+) L\*$"),
     lambda: translate("PhotoThresholds", "lightness at least {0}")),
    (re.compile(r"^<= ([-\d.]+) chroma$"),
     lambda: translate("PhotoThresholds", "colour strength at most {0}")),
    (re.compile(r"^>= ([-\d.]+) px$"), lambda: translate("PhotoThresholds", "at least {0} px")),
    (re.compile(r"^<= ([-\d.]+) L\*$"),
     lambda: translate("PhotoThresholds", "lightness varies at most {0}")),
    (re.compile(r"^<= ([-\d.]+) edge fraction$"),
     lambda: translate("PhotoThresholds", "edges at most {0} of the background")),
    (re.compile(r"^JPEG, quality >= (\d+)$"),
     lambda: translate("PhotoThresholds", "JPEG, quality at least {0}")),
)

_PHRASES: dict[str, Callable[[], str]] = {
    "face large enough to measure": lambda: translate("PhotoThresholds", "a face large enough to measure"),
    "background visible": lambda: translate("PhotoThresholds", "the background visible"),
    "colour image, skin chroma >= 3, hue in [-15, 100]":
        lambda: translate("PhotoThresholds",
                          "a colour photo (skin colour strength at least 3, hue from -15 to 100)"),
    "not JPEG": lambda: translate("PhotoThresholds", "not a JPEG file"),
}


def in_words(text: object) -> object:
    """``text`` (a check's limit or value) in the chosen language; anything else unchanged."""
    if not isinstance(text, str):
        return text
    phrase = _PHRASES.get(text)
    if phrase is not None:
        return phrase()
    for pattern, words in _PATTERNS:
        match = pattern.match(text)
        if match:
            return words().format(*match.groups())
    return text
