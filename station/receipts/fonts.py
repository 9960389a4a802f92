"""Finding and registering the CJK TrueType font that receipts and reports embed.

reportlab embeds only TrueType outlines, so the Noto CJK fonts (CFF-based OpenType) cannot be
used; WenQuanYi Zen Hei (Debian ``fonts-wqy-zenhei``) can. The font is subset and embedded in
every PDF, so the paper looks the same on any printer or viewer.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT_NAME = "CounterStationCJK"
FONT_ENV = "COUNTER_STATION_PDF_FONT"  # path to a .ttf/.ttc, for machines with other layouts
FONT_FILE_NAMES = ("wqy-zenhei.ttc", "wqy-microhei.ttc")
KNOWN_LOCATIONS = (
    Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),  # Debian, Ubuntu
    Path("/usr/share/fonts/wqy-zenhei/wqy-zenhei.ttc"),  # Fedora
    Path("/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc"),  # Arch
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
)
SEARCH_ROOTS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
)

_lock = threading.Lock()


class FontNotFoundError(RuntimeError):
    """No embeddable CJK TrueType font on this machine."""


def find_cjk_font() -> Path:
    """The path of an embeddable CJK font: $COUNTER_STATION_PDF_FONT, known places, a search."""
    configured = os.environ.get(FONT_ENV)
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontNotFoundError(f"{FONT_ENV}={configured} does not name a font file")
        return path
    for path in KNOWN_LOCATIONS:
        if path.is_file():
            return path
    for root in SEARCH_ROOTS:
        if not root.is_dir():
            continue
        for name in FONT_FILE_NAMES:
            for path in sorted(root.rglob(name)):
                return path
    raise FontNotFoundError(
        "No embeddable Chinese TrueType font found (looked for "
        + ", ".join(FONT_FILE_NAMES)
        + f" under {', '.join(str(r) for r in SEARCH_ROOTS)}). "
        "Install it with `apt-get install fonts-wqy-zenhei`, "
        f"or set {FONT_ENV} to a TrueType .ttf/.ttc file."
    )


def register_cjk_font() -> str:
    """Register the font with reportlab once per process; returns its reportlab name."""
    with _lock:
        if FONT_NAME in pdfmetrics.getRegisteredFontNames():
            return FONT_NAME
        path = find_cjk_font()
        try:
            font = TTFont(FONT_NAME, str(path), subfontIndex=0) if path.suffix.lower() == ".ttc" \
                else TTFont(FONT_NAME, str(path))
        except (TTFError, OSError) as exc:
            raise FontNotFoundError(f"{path} cannot be embedded in a PDF: {exc}") from exc
        pdfmetrics.registerFont(font)
        return FONT_NAME
