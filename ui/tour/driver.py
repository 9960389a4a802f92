"""The tour's hands and eyes: clicks and key presses on real widgets (counted), waits for the
workers, and one picture plus one inspection per screen."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QInputMethodEvent, QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ui.tour.inspect import inspect_screen

log = logging.getLogger(__name__)


class TourError(RuntimeError):
    """The tour could not go on (a button missing or disabled, a wait that timed out)."""


@dataclass
class Counter:
    clicks: int = 0
    key_presses: int = 0


@dataclass
class Driver:
    size: QSize
    language: str
    out: Path
    data: set[str] = field(default_factory=set)  # values from people and cases
    screens: list[dict[str, Any]] = field(default_factory=list)
    counter: Counter = field(default_factory=Counter)

    # -- waiting ----------------------------------------------------------------------------

    def wait(self, ms: int) -> None:
        QTest.qWait(ms)

    def wait_until(self, condition: Callable[[], object], what: str, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise TourError(f"timed out after {timeout_s:.0f} s waiting for {what}")
            QTest.qWait(50)

    # -- hands ------------------------------------------------------------------------------

    def _usable(self, widget: QWidget, what: str) -> None:
        if not widget.isVisible():
            raise TourError(f"{what}: {widget.objectName() or type(widget).__name__} is not shown")
        if not widget.isEnabled():
            raise TourError(f"{what}: {widget.objectName() or type(widget).__name__} is disabled")

    def click(self, widget: QWidget, pos: QPoint | None = None, what: str = "click") -> None:
        self._usable(widget, what)
        self.counter.clicks += 1
        if pos is None:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        else:
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
        QTest.qWait(30)

    def type_text(self, widget: QWidget, text: str, data: bool = True) -> None:
        """Types into ``widget`` (which a person has focused, by a click or by the screen)."""
        self._usable(widget, "type")
        if data:
            self.data.add(text)
        self.counter.key_presses += len(text)
        for char in text:
            if char.isascii():
                QTest.keyClick(widget, char)
            else:  # what an input method hands over once a character is chosen
                event = QInputMethodEvent("", [])
                event.setCommitString(char)
                QApplication.sendEvent(widget, event)
        QTest.qWait(30)

    def key(self, widget: QWidget, key: Qt.Key,
            modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.counter.key_presses += 1
        QTest.keyClick(widget, key, modifier)
        QTest.qWait(30)

    def draw_signature(self, canvas: QWidget) -> None:
        """Three strokes with the mouse (a finger on a touch screen, a pen on a tablet)."""
        w, h = canvas.width(), canvas.height()
        for stroke in range(3):
            y = int(h * (0.35 + 0.15 * stroke))
            QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                             QPoint(int(w * 0.15), y))
            for i in range(1, 30):
                QTest.mouseMove(canvas, QPoint(int(w * (0.15 + 0.02 * i)), y + (i % 5) * 4))
                QTest.qWait(5)
            QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                               QPoint(int(w * 0.73), y))

    # -- eyes -------------------------------------------------------------------------------

    def snap(self, name: str, window: QWidget | None = None, settle_ms: int = 250) -> dict[str, Any]:
        """One picture of what the screen shows now, exactly WxH, and what is wrong on it."""
        if window is None:
            window = QApplication.activeWindow() or QApplication.topLevelWidgets()[0]
        QTest.qWait(settle_ms)
        grown = window.isWindow() and (window.width() > self.size.width()
                                       or window.height() > self.size.height())
        if grown:  # the screen's edge stops it: back to the screen, as far as it goes
            grown_to = f"{window.width()}x{window.height()}"
            window.setGeometry(0, 0, self.size.width(), self.size.height())
            QTest.qWait(100)
        report = inspect_screen(window, self.size, self.language, self.data)
        if grown:
            report.clipped.insert(0, f"window grew to {grown_to} by itself")
            report.fits = False
        index = len(self.screens) + 1
        file = f"{index:02d}-{name}.png"
        picture = QPixmap(self.size)
        picture.fill(QColor("#202020"))  # past the window: nothing (the desktop)
        painter = QPainter(picture)
        grab = window.grab(QRect(QPoint(0, 0), window.size()))
        painter.drawPixmap(window.pos() if window.isWindow() else QPoint(0, 0), grab)
        painter.end()
        if not picture.save(str(self.out / file)):
            raise TourError(f"could not write {self.out / file}")
        entry = {"name": name, "file": file, "size_needed": list(report.size_needed),
                 "fits": report.fits, "clipped": report.clipped,
                 "untranslated": report.untranslated}
        self.screens.append(entry)
        log.info("tour screen %s: fits=%s clipped=%s untranslated=%s", name, report.fits,
                 report.clipped, report.untranslated)
        return entry
