"""The clerk's ID-card panel: the card as read, validation badges, the chip photo (or why it is
missing), and reader problems shown as something the clerk can do.

The read happens when the card is placed; there is no Read button. ``bind_reader(panel,
bridge, reader)`` routes CardRead / CardReadFailed / CardRemoved / ReaderProblem from the
EventBridge (GUI thread) to ``show_card`` / ``show_error`` / ``show_removed`` (and clears a
reader problem when the reader reports READY again), and Retry to
``reader.request_read()``. ``manual_entry_requested`` is for the screen to open manual entry.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from devices.base import DeviceError, IdCardReader
from devices.idcard.events import CardRead, CardReadFailed, CardRemoved, ReaderProblem
from station.events import DeviceState, DeviceStatusEvent
from station.i18n import current_language
from station.identity import codes
from station.identity.card import CardType, IdentityCard
from station.identity.checks import CheckResult
from station.identity.chip_photo import PHOTO_HEIGHT, PHOTO_WIDTH, ChipPhoto
from station.identity.validation import check_card_type_allowed
from ui.event_bridge import EventBridge

_FIELDS = ("card_type", "name", "name_en", "sex", "nation", "birth_date", "address",
           "id_number", "issuing_authority", "validity", "pass_number", "nationality")
_OK_STYLE = "QLabel { background: #e8f5e9; color: #1b5e20; border-radius: 4px; padding: 2px 6px; }"
_BAD_STYLE = "QLabel { background: #ffebee; color: #b71c1c; border-radius: 4px; padding: 2px 6px; }"
_PHOTO_SCALE = 2


def _pick(message: dict[str, str]) -> str:
    return message.get("en", "") if current_language() == "en" else message.get("zh", "")


class IdCardPanel(QWidget):
    """Shows one card read from the chip. Methods must be called on the GUI thread."""

    retry_requested = Signal()
    manual_entry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idcard_panel")
        self._card: IdentityCard | None = None
        self._photo: ChipPhoto | None = None
        self._validations: tuple[CheckResult, ...] = ()
        self._error: DeviceError | None = None
        self._removed = False

        self._photo_label = QLabel()
        self._photo_label.setObjectName("idcard_photo")
        self._photo_label.setFixedSize(PHOTO_WIDTH * _PHOTO_SCALE, PHOTO_HEIGHT * _PHOTO_SCALE)
        self._photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._photo_label.setFrameShape(QFrame.Shape.StyledPanel)
        self._photo_label.setWordWrap(True)
        self._photo_note = QLabel()
        self._photo_note.setObjectName("idcard_photo_note")
        self._photo_note.setWordWrap(True)
        self._photo_note.setMaximumWidth(PHOTO_WIDTH * _PHOTO_SCALE)

        self._form = QFormLayout()
        self._values: dict[str, QLabel] = {}
        self._captions: dict[str, QLabel] = {}
        for key in _FIELDS:
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"idcard_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self._captions[key], self._values[key] = caption, value
            self._form.addRow(caption, value)

        self._badges_box = QHBoxLayout()
        self._badges_box.setSpacing(6)
        self._badges: list[QLabel] = []
        self._badges_box.addStretch(1)

        self._message = QLabel()
        self._message.setObjectName("idcard_message")
        self._message.setWordWrap(True)
        self._action = QLabel()
        self._action.setObjectName("idcard_action")
        self._action.setWordWrap(True)
        self._retry = QPushButton()
        self._retry.setObjectName("idcard_retry")
        self._retry.clicked.connect(self.retry_requested)
        self._manual = QPushButton()
        self._manual.setObjectName("idcard_manual")
        self._manual.clicked.connect(self.manual_entry_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self._retry)
        buttons.addWidget(self._manual)
        buttons.addStretch(1)

        photo_column = QVBoxLayout()
        photo_column.addWidget(self._photo_label)
        photo_column.addWidget(self._photo_note)
        photo_column.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(photo_column)
        top.addLayout(self._form, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self._badges_box)
        layout.addWidget(self._message)
        layout.addWidget(self._action)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._render()

    # --- public API (GUI thread) -----------------------------------------------------------
    def show_waiting(self) -> None:
        """Empty panel asking for a card (start of a case)."""
        self._card, self._photo, self._validations, self._error = None, None, (), None
        self._removed = False
        self._render()

    def show_card(self, card: IdentityCard, photo_info: ChipPhoto | None,
                  validations: Sequence[CheckResult] = ()) -> None:
        self._card, self._photo = card, photo_info
        self._validations = tuple(validations)
        self._error, self._removed = None, False
        self._render()

    def show_error(self, error: DeviceError) -> None:
        """A reader or card problem; the card already shown (if any) stays visible."""
        self._error, self._removed = error, False
        self._render()

    def show_read_failed(self, error: DeviceError) -> None:
        """A read failed or was cut off: whoever was shown before is cleared from the panel
        (the next person must never be registered with the previous person's data)."""
        self._card, self._photo, self._validations = None, None, ()
        self.show_error(error)

    @property
    def has_card(self) -> bool:
        return self._card is not None

    def clear_problem(self) -> None:
        """The reader is usable again: drop a reader-level error (SAM, link), keep card ones."""
        kind = str(getattr(getattr(self._error, "kind", ""), "value", ""))
        if self._error is not None and kind in ("sam", "link"):
            self._error = None
            self._render()

    def show_removed(self) -> None:
        """The card left the reader: keep what was read, say so."""
        self._removed = True
        self._render()

    # --- for tests and the lead's screens --------------------------------------------------
    def field_text(self, key: str) -> str:
        return self._values[key].text()

    def badge_texts(self) -> list[str]:
        return [badge.text() for badge in self._badges]

    def message_text(self) -> str:
        return self._message.text()

    def action_text(self) -> str:
        return self._action.text()

    def photo_shown(self) -> bool:
        pixmap = self._photo_label.pixmap()
        return pixmap is not None and not pixmap.isNull()

    # --- rendering -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _captions_text(self) -> dict[str, str]:
        return {
            "card_type": self.tr("Card type"),
            "name": self.tr("Name"),
            "name_en": self.tr("English name"),
            "sex": self.tr("Sex"),
            "nation": self.tr("Nation"),
            "birth_date": self.tr("Date of birth"),
            "address": self.tr("Address"),
            "id_number": self.tr("ID number"),
            "issuing_authority": self.tr("Issued by"),
            "validity": self.tr("Valid"),
            "pass_number": self.tr("Travel permit number"),
            "nationality": self.tr("Nationality"),
        }

    def _card_type_text(self, card: IdentityCard) -> str:
        texts = {
            CardType.RESIDENT_ID: self.tr("Resident identity card"),
            CardType.HK_MO_TW_RESIDENCE_PERMIT: self.tr(
                "Residence permit for Hong Kong, Macao and Taiwan residents"),
            CardType.FOREIGN_PERMANENT_RESIDENT: self.tr("Foreign permanent resident ID card"),
        }
        return texts[card.card_type]

    def _sex_text(self, card: IdentityCard) -> str:
        texts = {"1": self.tr("Male"), "2": self.tr("Female"), "0": self.tr("Unknown"),
                 "9": self.tr("Unspecified")}
        return texts.get(card.sex_code, card.sex_code)

    def _check_text(self, check: str) -> str:
        texts = {
            "citizen_id": self.tr("ID number"),
            "id_number": self.tr("ID number"),
            "number_kind": self.tr("Number type"),
            "birth_date": self.tr("Date of birth"),
            "sex": self.tr("Sex"),
            "validity": self.tr("Validity"),
            "card_type": self.tr("Card type"),
        }
        return texts.get(check, check)

    def _render(self) -> None:
        for key, caption in self._captions_text().items():
            self._captions[key].setText(caption)
        self._retry.setText(self.tr("Retry"))
        self._manual.setText(self.tr("Enter manually"))
        self._render_fields()
        self._render_photo()
        self._render_badges()
        self._render_message()

    def _render_fields(self) -> None:
        card = self._card
        values: dict[str, str] = dict.fromkeys(_FIELDS, "")
        if card is not None:
            values.update(
                card_type=self._card_type_text(card),
                name=card.name,
                name_en=card.name_en,
                sex=self._sex_text(card),
                nation=(codes.NATION_NAMES_EN.get(card.nation_code, card.nation)
                        if current_language() == "en" else card.nation),
                birth_date=card.birth_date.isoformat(),
                address=card.address,
                id_number=card.id_number,
                issuing_authority=card.issuing_authority,
                validity=f"{card.valid_from.isoformat()} – "
                         + (card.valid_to.isoformat() if card.valid_to else self.tr("Long-term")),
                pass_number=card.pass_number,
                nationality=card.nationality_code,
            )
        for key, value in values.items():
            self._values[key].setText(value)
            visible = bool(value) or key in ("name", "id_number") or (card is None and key in (
                "card_type", "sex", "birth_date", "validity"))
            self._values[key].setVisible(visible)
            self._captions[key].setVisible(visible)

    def _render_photo(self) -> None:
        photo = self._photo
        self._photo_label.clear()
        if photo is not None and photo.bmp is not None:
            pixmap = QPixmap()
            if pixmap.loadFromData(photo.bmp, "BMP"):
                self._photo_label.setPixmap(pixmap.scaled(
                    self._photo_label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation))
                self._photo_note.setText(self.tr(
                    "Simulated chip photo (demo decoder, not a real card)") if photo.simulated
                    else self.tr("Chip photo"))
                return
            self._photo_label.setText(self.tr("Chip photo could not be shown"))
            self._photo_note.setText(self.tr("The decoded photo is not a readable image. "
                                             "The case will be checked by a supervisor."))
            return
        if photo is None:
            self._photo_label.setText(self.tr("No card read yet"))
            self._photo_note.setText("")
            return
        self._photo_label.setText(self.tr("Chip photo not available"))
        self._photo_note.setText(_pick(photo.reason))

    def _render_badges(self) -> None:
        for badge in self._badges:
            self._badges_box.removeWidget(badge)
            badge.deleteLater()
        self._badges = []
        for result in self._validations:
            mark = "✓" if result.ok else "✗"
            badge = QLabel(f"{mark} {self._check_text(result.check)}")
            badge.setObjectName(f"idcard_badge_{result.check}")
            badge.setStyleSheet(_OK_STYLE if result.ok else _BAD_STYLE)
            badge.setToolTip(_pick(result.reason))
            badge.setProperty("ok", result.ok)
            self._badges_box.insertWidget(len(self._badges), badge)
            self._badges.append(badge)

    def _render_message(self) -> None:
        error = self._error
        self._retry.setVisible(False)
        self._manual.setVisible(False)
        if error is not None:
            message = error.message_en if current_language() == "en" else error.message_zh
            kind = str(getattr(getattr(error, "kind", ""), "value", ""))
            self._message.setText(message)
            # "No card on the reader" is a prompt, not a fault: the read starts on placement.
            self._message.setStyleSheet("" if kind == "no_card" else "color: #b71c1c;")
            action = getattr(error, "action", None)
            self._action.setText(_pick(action) if isinstance(action, dict) else "")
            self._retry.setVisible(kind in ("sam", "card", "decode", "link"))
            self._manual.setVisible(kind in ("card_type", "decode"))
            return
        self._message.setStyleSheet("")
        self._action.setText("")
        if self._card is None:
            self._message.setText(self.tr("Place the ID card on the reader. "
                                          "It is read automatically."))
            return
        failures = [r for r in self._validations if not r.ok]
        if failures:
            self._message.setText("\n".join(_pick(r.reason) for r in failures))
            self._message.setStyleSheet("color: #b71c1c;")
        elif self._removed:
            self._message.setText(self.tr("Card read. It may stay off the reader."))
        else:
            self._message.setText(self.tr("Card read. You may remove it from the reader."))


def bind_reader(panel: IdCardPanel, bridge: EventBridge, reader: IdCardReader | None = None,
                allowed_types: Collection[CardType] | None = None) -> Callable[[], None]:
    """Wire the reader's events (through the GUI-thread bridge) to ``panel``; Retry asks the
    reader for a fresh read. ``allowed_types`` adds the flow's card-type check to the badges.
    Returns a function that undoes the wiring."""

    def on_read(event: CardRead) -> None:
        validations = event.validations
        if allowed_types is not None:
            validations = (*validations, check_card_type_allowed(event.card, allowed_types))
        panel.show_card(event.card, event.photo, validations)

    offs = [
        bridge.on(CardRead, on_read),
        bridge.on(CardReadFailed, lambda event: panel.show_read_failed(event.error)),
        bridge.on(CardRemoved, lambda event: panel.show_removed()),
        bridge.on(ReaderProblem, lambda event: panel.show_read_failed(event.error)),
        bridge.on(DeviceStatusEvent, lambda event: panel.clear_problem()
                  if event.status.kind == "idcard" and event.status.state is DeviceState.READY
                  else None),
    ]
    if reader is not None:
        # request_read only sets a flag for the reader's thread: safe on the GUI thread.
        panel.retry_requested.connect(reader.request_read)

    def unbind() -> None:
        for off in offs:
            off()
        if reader is not None:
            panel.retry_requested.disconnect(reader.request_read)

    return unbind
