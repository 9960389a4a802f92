"""Touch widgets of the kiosk: big buttons, an on-screen keypad/keyboard, the hidden corner."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

TOUCH_MIN_PX = 88  # well above the 9 mm (about 48 px) minimum touch target


def big_button(name: str, primary: bool = False) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setProperty("kioskRole", "primary" if primary else "secondary")
    button.setMinimumHeight(TOUCH_MIN_PX)
    button.setMinimumWidth(260)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no focus rectangles on a touch screen
    return button


def heading(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("kioskRole", "heading")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def body_text(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("kioskRole", "body")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class KeyPad(QWidget):
    """On-screen digits (and, with ``letters``, a small keyboard) for phone numbers and the
    admin password. Emits ``typed(text)`` after every key; the owner keeps the text."""

    typed = Signal(str)
    submitted = Signal()

    DIGIT_ROWS = ("123", "456", "789")
    LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")

    def __init__(self, *, letters: bool = False, max_length: int = 32,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskKeyPad")
        self.setProperty("letters", letters)  # kiosk.qss: a keyboard's keys are lower
        self._text = ""
        self._max_length = max_length
        self._shift = False
        self._digit_width = 80 if letters else 120
        self.keys: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.setSpacing(8 if letters else 10)
        digits = QGridLayout()
        digits.setSpacing(8 if letters else 10)
        for row, chars in enumerate(self.DIGIT_ROWS):
            for column, char in enumerate(chars):
                digits.addWidget(self._key(char), row, column)
        self.backspace = self._command("⌫", "keyBackspace", self.backspace_pressed)
        self.clear_key = self._command("", "keyClear", self.clear)
        digits.addWidget(self.clear_key, 3, 0)
        digits.addWidget(self._key("0"), 3, 1)
        digits.addWidget(self.backspace, 3, 2)
        self.shift_key: QPushButton | None = None
        if letters:
            top = QHBoxLayout()
            top.addLayout(digits, 2)
            board = QVBoxLayout()
            for chars in self.LETTER_ROWS:
                row_layout = QHBoxLayout()
                for char in chars:
                    row_layout.addWidget(self._key(char, small=True))
                board.addLayout(row_layout)
            extra = QHBoxLayout()
            self.shift_key = self._command("⇧", "keyShift", self._toggle_shift)
            extra.addWidget(self.shift_key)
            for char in "-_.@!#":
                extra.addWidget(self._key(char, small=True))
            board.addLayout(extra)
            top.addLayout(board, 5)
            layout.addLayout(top)
        else:
            layout.addLayout(digits)
        self.retranslate()

    def _key(self, char: str, small: bool = False) -> QPushButton:
        button = QPushButton(char)
        button.setObjectName(f"key_{char}")
        button.setProperty("kioskRole", "key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(56 if small else self._digit_width, 68)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(lambda: self.press(button.text()))
        self.keys[char] = button
        return button

    def _command(self, text: str, name: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setProperty("kioskRole", "key")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumSize(self._digit_width, 68)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.clicked.connect(action)
        return button

    def retranslate(self) -> None:
        self.clear_key.setText(self.tr("Clear"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _toggle_shift(self) -> None:
        self._shift = not self._shift
        for char, button in self.keys.items():
            if char.isalpha():
                button.setText(char.upper() if self._shift else char)

    @property
    def text(self) -> str:
        return self._text

    def press(self, char: str) -> None:
        if len(self._text) < self._max_length:
            self._text += char
            self.typed.emit(self._text)

    def type_text(self, text: str) -> None:
        for char in text:
            self.press(char)

    def backspace_pressed(self) -> None:
        self._text = self._text[:-1]
        self.typed.emit(self._text)

    def clear(self) -> None:
        self._text = ""
        self.typed.emit(self._text)


class CornerTaps:
    """Counts taps in a corner: ``count`` taps within ``window_s`` seconds trigger."""

    def __init__(self, count: int = 5, window_s: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.count, self.window_s, self._clock = count, window_s, clock
        self._taps: list[float] = []

    def tap(self) -> bool:
        now = self._clock()
        self._taps = [t for t in self._taps if now - t <= self.window_s] + [now]
        if len(self._taps) >= self.count:
            self._taps.clear()
            return True
        return False


class CornerHotspot(QWidget):
    """An invisible square in the top-right corner: five taps within three seconds open the
    administrator's password pad. Nothing on screen hints at it."""

    triggered = Signal()
    SIZE = 110

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("kioskAdminHotspot")
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.taps = CornerTaps()
        self.resize(self.SIZE, self.SIZE)

    def place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.move(parent.width() - self.SIZE, 0)
            self.raise_()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self.taps.tap():
            self.triggered.emit()
        event.accept()
