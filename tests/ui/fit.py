"""Does a screen fit the counter's monitor? Its minimum size, and the texts it cuts off.

``needed(window)`` is the smallest size the window's layouts allow (what the window grows to
when it is smaller); ``clipped(window)`` names every visible label and button whose text does
not fit the space the layout gave it (a word-wrapped label: its text needs more height than it
has). Both read what Qt itself uses to lay out and paint, so they hold for any screen.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

# 1366 x 768 less a taskbar and the window's title bar: what a counter monitor gives the
# station's window (its frame included).
COUNTER_SCREEN = QSize(1366, 740)

_TAG = re.compile(r"<[^>]+>")


def needed(widget: QWidget) -> QSize:
    """The size below which a layout will not shrink the widget (Qt's qSmartMinSize): the
    minimum size hint (the size hint where the policy does not shrink), replaced by an
    explicit minimum size where one is set, bounded by the maximum size."""
    hint, preferred, policy = widget.minimumSizeHint(), widget.sizeHint(), widget.sizePolicy()
    shrink = QSizePolicy.PolicyFlag.ShrinkFlag.value

    def one(policy_of: QSizePolicy.Policy, minimum: int, smallest: int, wanted: int) -> int:
        if minimum > 0:
            return minimum
        if policy_of == QSizePolicy.Policy.Ignored:
            return 0
        return max(0, smallest) if policy_of.value & shrink else max(smallest, wanted, 0)

    size = QSize(one(policy.horizontalPolicy(), widget.minimumWidth(), hint.width(),
                     preferred.width()),
                 one(policy.verticalPolicy(), widget.minimumHeight(), hint.height(),
                     preferred.height()))
    return size.boundedTo(widget.maximumSize())


def fits(size: QSize, screen: QSize = COUNTER_SCREEN) -> bool:
    return size.width() <= screen.width() and size.height() <= screen.height()


def settle(widget: QWidget, size: QSize = COUNTER_SCREEN) -> None:
    """Lay the window out at ``size`` (or at its minimum, when that is larger) as a screen of
    that size would show it."""
    widget.resize(size.expandedTo(needed(widget)))
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    # a text changed by the last event (a device's status arriving) asks for a new layout
    # with a posted event: lay out now, so what is measured is what the next paint shows
    for _ in range(2):
        for each in (widget, *widget.findChildren(QWidget)):
            if (layout := each.layout()) is not None:
                layout.activate()


def _shown(widget: QWidget) -> Iterator[QWidget]:
    for child in widget.findChildren(QWidget):
        if child.isVisibleTo(widget) and child.isVisible() and child.width() > 0:
            yield child


def _plain(label: QLabel) -> str:
    text = label.text()
    if label.textFormat().name == "RichText" or (label.textFormat().name == "AutoText"
                                                 and _TAG.search(text)):
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def _label_clipped(label: QLabel) -> bool:
    text = _plain(label)
    if not text.strip() or not label.pixmap().isNull():
        return False
    rect = label.contentsRect()
    inset = 2 * label.margin() + max(0, label.indent())
    width, height = rect.width() - inset, rect.height() - 2 * label.margin()
    if label.wordWrap():
        return label.heightForWidth(label.width()) > label.height()
    metrics = QFontMetrics(label.font())
    lines = text.split("\n")
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    tall = metrics.lineSpacing() * (len(lines) - 1) + metrics.height()
    return widest > width + 1 or tall > height + 1


def _button_clipped(button: QAbstractButton) -> bool:
    text = button.text().replace("&&", "\x00").replace("&", "").replace("\x00", "&")
    if not text.strip():
        return False
    if isinstance(button, QPushButton):
        option = QStyleOptionButton()
        button.initStyleOption(option)
        contents = button.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, button)
        room = contents.width()
        if not button.icon().isNull():
            room -= button.iconSize().width() + 4
    else:  # check boxes, radio buttons: the hint already holds the indicator
        return button.width() < button.sizeHint().width()
    metrics = QFontMetrics(button.font())
    lines = text.split("\n")
    tall = metrics.lineSpacing() * (len(lines) - 1) + metrics.height()
    # the glyphs' full height (descenders of g, j, p, y too) within the padding box
    return (max(metrics.horizontalAdvance(line) for line in lines) > room + 1
            or tall > contents.height() + 2)


def _title_clipped(box: QGroupBox) -> bool:
    """The title runs from the style sheet's indent (10 px and its padding) to the frame."""
    return QFontMetrics(box.font()).horizontalAdvance(box.title()) + 2 * 14 > box.width()


def _headers_clipped(header: QHeaderView) -> list[str]:
    """Column titles wider than their column (the station's style sheet makes them bold and
    pads them by 6 px each side)."""
    model = header.model()
    if model is None:
        return []
    font = QFont(header.font())
    font.setWeight(QFont.Weight.DemiBold)
    metrics = QFontMetrics(font)
    cut = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        if text and metrics.horizontalAdvance(text) + 12 > header.sectionSize(section) + 1:
            cut.append(text)
    return cut


def clipped(widget: QWidget) -> list[str]:
    """Visible labels, buttons and group titles whose text is cut off, by object name and
    text."""
    found = []
    for child in _shown(widget):
        if isinstance(child, QLabel):
            cut, text = _label_clipped(child), _plain(child)
        elif isinstance(child, QAbstractButton):
            cut, text = _button_clipped(child), child.text()
        elif isinstance(child, QGroupBox):
            cut, text = _title_clipped(child), child.title()
        elif isinstance(child, QHeaderView) and child.orientation() == Qt.Orientation.Horizontal:
            titles = _headers_clipped(child)
            cut, text = bool(titles), ", ".join(titles)
        else:
            continue
        if cut:
            found.append(f"{child.objectName() or type(child).__name__}: {text[:40]!r}")
    return found


def squashed(widget: QWidget) -> list[str]:
    """Visible widgets a layout gave less room than their own minimum (a top-level layout
    whose word-wrapped texts need more height at the actual width than its minimum said):
    buttons cut in half, previews drawn over. Word-wrapped labels are left to ``clipped``."""
    found = []
    for child in _shown(widget):
        if isinstance(child, QLabel) and child.wordWrap():
            continue
        if child.parentWidget() is None or child.parentWidget().layout() is None:
            continue  # not laid out (scroll area contents, viewports, overlays)
        if child.parentWidget().layout().indexOf(child) < 0:
            continue
        size = needed(child)
        if child.height() + 1 < size.height() or child.width() + 1 < size.width():
            found.append(f"{type(child).__name__}#{child.objectName()} {child.width()}x"
                         f"{child.height()} < {size.width()}x{size.height()}")
    return found

