"""What one screen of the tour looks like to a person at a WxH monitor: does it fit, is any
label or button text cut, and is any visible text not in the chosen language.

``inspect_screen(window, size, language, data)`` reads the widgets that are visible now;
``data`` are the values that come from people and cases (names, typed text, numbers): they
are shown as they are in either language and are not counted as untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6 import QtGui
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QTabBar,
    QTextEdit,
    QWidget,
)

# Latin words a Chinese screen shows on purpose: the other language's name on the language
# switch, product and standard names, units and file formats.
ZH_ALLOWED_WORDS = frozenset({
    "English", "ICAO", "GA", "GB", "ID", "PDF", "PNG", "JPEG", "JPG", "mm", "px", "dpi",
    "kB", "KB", "MB", "QR", "SMS", "PC", "SC", "USB", "OK", "Esc", "Enter", "Ctrl", "Alt",
    "Shift", "Tab", "App", "eMRTD", "MRZ", "IP", "URL", "UTC", "CSV", "Wi", "Fi",
    "TOML", "pcscd", "PostgreSQL", "SQLite", "fps", "Delete", "Del", "Space", "Backspace",
    "Home", "End", "PgUp", "PgDn", "Up", "Down", "Left", "Right",
})
# Widgets whose content is data in any language: the settings file as it is.
DATA_WIDGETS = frozenset({"settingsView"})
# CJK an English screen shows on purpose: the other language's name on the language switch.
EN_ALLOWED_CJK = ("中文",)

_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9_\-./@:])[A-Za-z]{2,}(?![A-Za-z0-9_\-./@:])")
_TOKEN_WITH_DIGITS = re.compile(r"\S*\d\S*")
_URL = re.compile(r"\b(?:https?|file)://\S+|\b[\w.-]+@[\w.-]+|(?:/[\w.-]+){2,}")
_RAW_CODE = re.compile(r"\b[A-Za-z]+(?:_[A-Za-z0-9]+)+\b")  # LOW_FACE_MATCH, resident_id
_ENVIRONMENT_NAME = re.compile(r"\b[A-Z]+(?:__[A-Z_]+)+\b")  # STATION__UI__LANGUAGE
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
_TAGS = re.compile(r"<[^>]+>")
TOLERANCE = 1  # pixels of rounding between a font's metrics and a layout


@dataclass
class ScreenReport:
    size_needed: tuple[int, int]
    fits: bool
    clipped: list[str] = field(default_factory=list)
    untranslated: list[str] = field(default_factory=list)


def widget_name(widget: QWidget) -> str:
    if widget.objectName():
        return widget.objectName()
    text = visible_text_of(widget)
    short = text[0][:40] if text else ""
    return f"{type(widget).__name__}({short!r})" if short else type(widget).__name__


def _plain(text: str) -> str:
    if QtGui.Qt.mightBeRichText(text):
        document = QTextDocument()
        document.setHtml(text)
        return document.toPlainText()
    return text


def visible_text_of(widget: QWidget) -> list[str]:
    """The texts a person reads on this widget (not its children)."""
    texts: list[str] = []
    if isinstance(widget, QLabel):
        texts.append(_plain(widget.text()))
    elif isinstance(widget, QAbstractButton):
        texts.append(widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&"))
    elif isinstance(widget, QGroupBox):
        texts.append(widget.title())
    elif isinstance(widget, QLineEdit):
        texts.append(widget.text() if widget.text() else widget.placeholderText())
    elif isinstance(widget, QComboBox):
        texts.append(widget.currentText())
    elif isinstance(widget, QTabBar):
        texts.extend(widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i))
    elif isinstance(widget, QTextEdit | QPlainTextEdit):
        texts.append(widget.toPlainText()[:4000] or widget.placeholderText())
    elif isinstance(widget, QHeaderView):  # its model is its view's: the labels only
        texts.extend(str(widget.model().headerData(i, widget.orientation()) or "")
                     for i in range(widget.count()) if not widget.isSectionHidden(i))
    elif isinstance(widget, QAbstractItemView):
        texts.extend(_item_texts(widget))
    return [t for t in texts if t and t.strip()]


def _item_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts: list[str] = []
    header = getattr(view, "horizontalHeader", None)
    if callable(header) and header().isVisible():
        for column in range(header().count()):
            value = model.headerData(column, Qt.Orientation.Horizontal)
            if value:
                texts.append(str(value))
    tree_header = getattr(view, "headerItem", None)
    if callable(tree_header) and not view.isHeaderHidden():  # type: ignore[attr-defined]
        item = tree_header()
        texts.extend(item.text(c) for c in range(item.columnCount()) if item.text(c))

    def columns(parent: object) -> int:
        try:
            return int(model.columnCount(parent))
        except TypeError:  # a list's model keeps its one column to itself
            return 1

    def walk(parent: object, depth: int) -> None:
        for row in range(min(model.rowCount(parent), 60)):
            for column in range(columns(parent)):
                index = model.index(row, column, parent)
                value = model.data(index, Qt.ItemDataRole.DisplayRole)
                if isinstance(value, str) and value:
                    texts.append(value)
            if depth < 3:
                walk(model.index(row, 0, parent), depth + 1)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex(), 0)
    return texts


def _shown(widget: QWidget, window: QWidget) -> bool:
    if widget.objectName().startswith("qt_"):  # Qt's own parts (a table's corner button)
        return False
    return widget.isVisible() and widget.window() is window and not widget.visibleRegion().isEmpty()


# -- clipping -------------------------------------------------------------------------------


def _label_clipped(label: QLabel) -> bool:
    text = label.text()
    if not text.strip() or (label.pixmap() is not None and not label.pixmap().isNull()):
        return False
    rect = label.contentsRect()
    margin = label.margin() * 2 + max(label.indent(), 0)
    width, height = rect.width() - margin, rect.height() - label.margin() * 2
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
    if rich:
        document = QTextDocument()
        document.setDefaultFont(label.font())
        document.setDocumentMargin(0)
        document.setHtml(text)
        if label.wordWrap():
            document.setTextWidth(width)
            needed = QSize(int(document.idealWidth()), int(document.size().height()))
        else:
            needed = QSize(int(document.idealWidth()), int(document.size().height()))
    else:
        metrics = QFontMetrics(label.font())
        lines = text.split("\n")
        if not label.wordWrap():
            widest = max(metrics.horizontalAdvance(line) for line in lines)
            return widest > width + TOLERANCE or not _ink_fits(metrics, lines, height)
        flags = Qt.TextFlag.TextWordWrap
        bound = metrics.boundingRect(QRect(0, 0, width if label.wordWrap() else 100_000, 100_000),
                                     int(flags) | int(Qt.AlignmentFlag.AlignLeft), text)
        needed = bound.size()
    return needed.width() > width + TOLERANCE or needed.height() > height + TOLERANCE


def _button_clipped(button: QAbstractButton) -> bool:
    text = visible_text_of(button)
    if not text:
        return False
    metrics = QFontMetrics(button.font())
    lines = text[0].split("\n")
    needed_w = max(metrics.horizontalAdvance(line) for line in lines)
    if not button.icon().isNull():
        needed_w += button.iconSize().width() + 4
    option = QStyleOptionButton()
    option.initFrom(button)
    if isinstance(button, QCheckBox):
        element = QStyle.SubElement.SE_CheckBoxContents
    elif isinstance(button, QRadioButton):
        element = QStyle.SubElement.SE_RadioButtonContents
    elif isinstance(button, QPushButton):
        element = QStyle.SubElement.SE_PushButtonContents
    else:  # tool buttons and others: what they ask for
        hint = button.sizeHint()
        return hint.width() > button.width() + TOLERANCE
    contents = button.style().subElementRect(element, option, button)
    if isinstance(button, QPushButton):
        # the style sheet's padding: the contents rect of the styled button
        contents = contents.intersected(button.contentsRect()) if not contents.isNull() \
            else button.contentsRect()
    return needed_w > contents.width() + TOLERANCE or not _ink_fits(metrics, lines,
                                                                     contents.height())


def _ink_fits(metrics: QFontMetrics, lines: list[str], height: int) -> bool:
    """Do the glyphs of ``lines``, centred as Qt centres a text block, stay inside
    ``height``? (Qt clips a styled button's text to its padding; Chinese glyphs fill less of
    the line than its height, Latin descenders reach further.)"""
    block = metrics.height() * len(lines)
    top = (height - block) / 2
    first = metrics.tightBoundingRect(lines[0])
    last = metrics.tightBoundingRect(lines[-1])
    ink_top = top + metrics.ascent() + first.top()
    ink_bottom = top + metrics.height() * (len(lines) - 1) + metrics.ascent() + last.bottom()
    return ink_top >= -TOLERANCE and ink_bottom <= height + TOLERANCE


def _outside(widget: QWidget, window: QWidget, screen: QRect) -> bool:
    """A button a person cannot reach: past the screen's edge, or scrolled out of sight."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    if not screen.contains(rect.center()):
        return True
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            area = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
            if not area.contains(rect.center()):
                return True
        parent = parent.parentWidget()
    return False


# -- language -------------------------------------------------------------------------------


def _without_data(text: str, data: Iterable[str]) -> str:
    for value in sorted({d for d in data if d and len(d) >= 2}, key=len, reverse=True):
        text = text.replace(value, " ")
    return text


def foreign_text(text: str, language: str, data: Iterable[str]) -> str | None:
    """The part of ``text`` that is not in ``language`` (None when it all is)."""
    cleaned = _without_data(text, data)
    cleaned = _URL.sub(" ", cleaned)
    cleaned = _ENVIRONMENT_NAME.sub(" ", cleaned)
    if language == "zh_CN":
        codes = _RAW_CODE.findall(cleaned)
        cleaned = _TOKEN_WITH_DIGITS.sub(" ", cleaned)
        words = [w for w in _LATIN_WORD.findall(cleaned) if w not in ZH_ALLOWED_WORDS]
        return " ".join(codes + words) or None
    for allowed in EN_ALLOWED_CJK:
        cleaned = cleaned.replace(allowed, " ")
    cleaned = _CJK_PUNCTUATION.sub(" ", cleaned)
    found = "".join(_CJK.findall(cleaned))
    return found or None


def inspect_screen(window: QWidget, size: QSize, language: str, data: Iterable[str]) -> ScreenReport:
    data = list(data)
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    screen = QRect(QPoint(0, 0), size)
    clipped: list[str] = []
    untranslated: list[str] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not _shown(widget, window):
            continue
        name = widget_name(widget)
        if isinstance(widget, QLabel) and _label_clipped(widget):
            clipped.append(name)
        elif isinstance(widget, QAbstractButton):
            if _button_clipped(widget):
                clipped.append(name)
            elif _outside(widget, window, screen):
                clipped.append(f"{name} (out of reach)")
        if widget.objectName() in DATA_WIDGETS:
            continue
        for text in visible_text_of(widget):
            foreign = foreign_text(text, language, data)
            if foreign and len(untranslated) < 60:
                untranslated.append(f"{name}: {text.strip()[:120]}")
    fits = needed.width() <= size.width() and needed.height() <= size.height() \
        and window.width() <= size.width() and window.height() <= size.height() and not clipped
    return ScreenReport((needed.width(), needed.height()), fits, sorted(set(clipped)),
                        list(dict.fromkeys(untranslated)))
