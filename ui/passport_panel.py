"""The clerk's passport / travel-permit panel: MRZ entry with live check digits, the chip read
with progress (on the eMRTD driver's worker thread), the holder data and the chip photo.

Signals: ``read_finished(EmrtdResult)`` after every successful read, ``read_failed(code,
message)`` after a failed one, and ``document_read(DocumentInput)`` when the clerk accepts
the document for the registration flow.

The reader is the station's (the DeviceManager starts it with the other devices, so it has
its own status-bar entry); its events reach the panel through the station's EventBridge.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFontDatabase, QImage, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from devices.emrtd.driver import KIND, EmrtdReader
from devices.emrtd.events import (
    EmrtdCardEvent,
    EmrtdReadersChanged,
    EmrtdReadFinished,
    EmrtdReadProgress,
)
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent, EventBus
from station.i18n import current_language
from station.identity.passport import EmrtdResult
from station.mrz import Mrz, MrzError, parse_mrz
from ui.event_bridge import EventBridge
from ui.workers import run_async

BAC_FIELDS = ("document_number", "birth_date", "expiry_date")
PHOTO_SIZE = (180, 240)
_OK, _BAD, _WARN = "#2e7d32", "#c62828", "#e65100"


def _decode_rgb(data: bytes) -> tuple[bytes, int, int]:
    """Decode the chip portrait (JPEG or JPEG 2000) off the GUI thread."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        rgb = image.convert("RGB")
        rgb.thumbnail(PHOTO_SIZE)
        return rgb.tobytes(), rgb.width, rgb.height


class PassportPanel(QWidget):
    read_finished = Signal(object)  # EmrtdResult
    read_failed = Signal(str, str)  # error code, message in the UI language
    document_read = Signal(object)  # station.workflows.documents.DocumentInput

    def __init__(self, device: EmrtdReader | None, bus: EventBus,
                 parent: QWidget | None = None) -> None:
        """``device``: the station's passport reader (None: not set up on this station)."""
        super().__init__(parent)
        self.setObjectName("passportPanel")
        self.device = device
        self._bridge = EventBridge.for_bus(bus)
        self._offs: list[Callable[[], None]] = [
            self._bridge.on(EmrtdReadProgress, self._on_progress),
            self._bridge.on(EmrtdReadFinished, self._on_finished),
            self._bridge.on(EmrtdCardEvent, self._on_card),
            self._bridge.on(EmrtdReadersChanged, self._on_readers),
            self._bridge.on(DeviceStatusEvent, self._on_status),
        ]
        offs = list(self._offs)  # a panel deleted with its page (never closed) stops listening
        self.destroyed.connect(lambda *_args: [off() for off in offs])
        self._mrz: Mrz | None = None
        self._request: int | None = None
        self._result: EmrtdResult | None = None
        self._step = ""
        self._error = ""
        # what the reader already said before this panel was made
        self._readers: tuple[str, ...] = device.readers if device is not None else ()
        self._card_on: set[str] = set(device.cards_present) if device is not None else set()
        self._service_down = device is not None and self._is_down(device.status)
        self._build()
        self.retranslate()
        self._update_mrz()

    # -- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.mrz_caption = QLabel()
        self.mrz_caption.setWordWrap(True)
        self.mrz_edit = QPlainTextEdit()
        self.mrz_edit.setObjectName("mrzInput")
        self.mrz_edit.setFont(mono)
        self.mrz_edit.setTabChangesFocus(True)
        self.mrz_edit.setFixedHeight(self.mrz_edit.fontMetrics().lineSpacing() * 4 + 12)
        self.mrz_edit.textChanged.connect(self._update_mrz)
        self.mrz_status = QLabel()
        self.mrz_status.setObjectName("mrzStatus")
        self.mrz_status.setWordWrap(True)
        self.mrz_status.setTextFormat(Qt.TextFormat.RichText)
        self.read_button = QPushButton()
        self.read_button.setObjectName("readChip")
        self.read_button.clicked.connect(self.start_read)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelRead")
        self.cancel_button.clicked.connect(self.cancel_read)
        self.cancel_button.setVisible(False)
        self.reader_label = QLabel()
        self.reader_label.setObjectName("readerStatus")
        self.progress = QProgressBar()
        self.progress.setObjectName("readProgress")
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.step_label = QLabel()
        self.message = QLabel()
        self.message.setObjectName("passportMessage")
        self.message.setWordWrap(True)
        self.captions: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for key in ("name", "document", "nationality", "birth", "sex", "expiry", "authority"):
            caption, value = QLabel(), QLabel()
            value.setObjectName(f"passport_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.captions[key], self.values[key] = caption, value
            form.addRow(caption, value)
        self.verification = QLabel()
        self.verification.setObjectName("verification")
        self.verification.setWordWrap(True)
        self.photo = QLabel()
        self.photo.setObjectName("chipPhoto")
        self.photo.setFixedSize(*PHOTO_SIZE)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setStyleSheet("border: 1px solid #bbb; background: #fafafa;")
        self.use_button = QPushButton()
        self.use_button.setObjectName("useDocument")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self._use)

        buttons = QHBoxLayout()
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reader_label)
        data = QGridLayout()
        data.addLayout(form, 0, 0)
        data.addWidget(self.photo, 0, 1, Qt.AlignmentFlag.AlignTop)
        # the zone and the reading on the left, what the chip says on the right: the panel
        # fits the counter screen's height under the wizard's heading and buttons
        reading = QVBoxLayout()
        reading.addWidget(self.mrz_caption)
        reading.addWidget(self.mrz_edit)
        reading.addWidget(self.mrz_status)
        reading.addLayout(buttons)
        reading.addWidget(self.progress)
        reading.addWidget(self.step_label)
        reading.addWidget(self.message)
        reading.addWidget(self.verification)
        reading.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(reading, 1)
        columns.addSpacing(12)
        columns.addLayout(data, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.use_button)
        layout.addLayout(row)

    def retranslate(self) -> None:
        self.mrz_caption.setText(self.tr(
            "Machine-readable zone (type it, or scan it; 2 or 3 lines):"))
        self.mrz_edit.setPlaceholderText(self.tr(
            "P<UTOERIKSSON<<ANNA<MARIA<<<...\nL898902C36UTO7408122F1204159..."))
        self.read_button.setText(self.tr("Read chip"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.use_button.setText(self.tr("Use this document"))
        captions = {
            "name": self.tr("Name"), "document": self.tr("Document"),
            "nationality": self.tr("Nationality"), "birth": self.tr("Birth date"),
            "sex": self.tr("Sex"), "expiry": self.tr("Expiry date"),
            "authority": self.tr("Issued by"),
        }
        for key, text in captions.items():
            self.captions[key].setText(text)
        self._update_mrz()
        self._render_reader()
        self._render_step()
        self._render_result()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- lifetime --------------------------------------------------------------------------

    def cancel_read(self) -> None:
        if self.device is not None:
            self.device.cancel_read()

    def shutdown(self) -> None:
        """Give up a read in progress (the station's reader keeps running)."""
        if self._request is not None:
            self.cancel_read()
            self._request = None
            self._set_busy(False)

    def closeEvent(self, event: object) -> None:  # type: ignore[override]
        self.shutdown()
        for off in self._offs:
            off()
        self._offs = []
        super().closeEvent(event)  # type: ignore[arg-type]

    # -- MRZ entry -------------------------------------------------------------------------

    def set_mrz(self, text: str) -> None:
        self.mrz_edit.setPlainText(text)

    def _field_name(self, name: str) -> str:
        return {
            "document_number": self.tr("document number"),
            "birth_date": self.tr("birth date"),
            "expiry_date": self.tr("expiry date"),
            "optional_data": self.tr("optional data"),
            "composite": self.tr("overall check digit"),
        }.get(name, name)

    def _update_mrz(self) -> None:
        text = self.mrz_edit.toPlainText() if hasattr(self, "mrz_edit") else ""
        self._mrz = None
        if not text.strip():
            self.mrz_status.setText(self.tr("Enter the zone at the bottom of the photo page."))
            self.read_button.setEnabled(False)
            return
        try:
            mrz = parse_mrz(text)
        except MrzError as exc:
            lines = [line for line in text.upper().split() if line]
            counts = " / ".join(str(len(line)) for line in lines)
            self.mrz_status.setText(
                f"<span style='color:{_WARN}'>{exc}</span> "
                + self.tr("Characters per line: {counts}").format(counts=counts)
            )
            self.read_button.setEnabled(False)
            return
        self._mrz = mrz
        marks = [
            f"<span style='color:{_OK if c.valid else _BAD}'>"
            f"{'✓' if c.valid else '✗'} {self._field_name(c.name)}</span>"
            for c in mrz.checks
        ]
        self.mrz_status.setText(f"{mrz.format}: " + "  ".join(marks))
        self.read_button.setEnabled(self._request is None and self.bac_ready()
                                    and self.device is not None)

    def bac_ready(self) -> bool:
        """The three fields BAC needs have correct check digits."""
        return self._mrz is not None and all(
            c.valid for c in self._mrz.checks if c.name in BAC_FIELDS)

    # -- reading ---------------------------------------------------------------------------

    def start_read(self) -> None:
        if self._request is not None or not self.bac_ready() or self.device is None:
            return
        assert self._mrz is not None
        self._result = None
        self._error = ""
        self._render_result()
        self._request = self.device.request_read(self._mrz)
        self._step = "connect"
        self.progress.setValue(0)
        self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.mrz_edit.setReadOnly(busy)
        self.read_button.setEnabled(not busy and self.bac_ready() and self.device is not None)
        self._render_step()

    def _on_progress(self, event: EmrtdReadProgress) -> None:
        if event.request_id != self._request:
            return
        self._step = event.step
        self.progress.setValue(round(event.fraction * 100))
        self._render_step()

    def _on_finished(self, event: EmrtdReadFinished) -> None:
        if event.request_id != self._request:
            return
        self._request = None
        self._set_busy(False)
        if event.result is not None:
            self._result = event.result
            self._error = ""
            self._render_result()
            self.read_finished.emit(event.result)
        else:
            self._error = event.message_zh if current_language() == "zh_CN" else event.message_en
            self._render_result()
            self.read_failed.emit(event.error_code, self._error)

    def _on_card(self, event: EmrtdCardEvent) -> None:
        if event.present:
            self._card_on.add(event.reader)
        else:
            self._card_on.discard(event.reader)
        self._render_reader()

    def _on_readers(self, event: EmrtdReadersChanged) -> None:
        self._readers = event.readers
        self._card_on &= set(event.readers)
        self._render_reader()

    def _on_status(self, event: DeviceStatusEvent) -> None:
        if event.status.kind != KIND:
            return
        self._service_down = self._is_down(event.status)
        self._render_reader()

    def _is_down(self, status: DeviceStatus) -> bool:
        return status.state == DeviceState.ABSENT and not self._readers

    def _use(self) -> None:
        if self._result is None:
            return
        from station.workflows.documents import from_passport

        self.document_read.emit(from_passport(self._result))

    # -- rendering -------------------------------------------------------------------------

    def _render_reader(self) -> None:
        if not hasattr(self, "reader_label"):
            return
        if not self._readers:
            text = (self.tr("Smart-card service not running") if self._service_down
                    else self.tr("No contactless reader"))
            self.reader_label.setText(text)
            self.reader_label.setStyleSheet(f"color: {_BAD};")
            return
        on = bool(self._card_on)
        self.reader_label.setText(
            self.tr("Document on the reader") if on else self.tr("Reader ready, no document"))
        self.reader_label.setStyleSheet(f"color: {_OK if on else '#555'};")

    def _step_text(self, step: str) -> str:
        return {
            "connect": self.tr("Waiting for the document…"),
            "authenticate": self.tr("Opening the chip with the MRZ (BAC)…"),
            "EF.COM": self.tr("Reading the chip's contents list…"),
            "DG1": self.tr("Reading the holder data…"),
            "DG2": self.tr("Reading the photo…"),
            "DG11": self.tr("Reading additional details…"),
            "DG12": self.tr("Reading additional details…"),
            "EF.SOD": self.tr("Reading the security object…"),
            "verify": self.tr("Verifying the chip data…"),
            "done": self.tr("Read complete."),
        }.get(step, step)

    def _render_step(self) -> None:
        self.step_label.setText(self._step_text(self._step) if self._request is not None else "")

    def _render_result(self) -> None:
        result = self._result
        self.message.setText(self._error)
        self.message.setStyleSheet(f"color: {_BAD};" if self._error else "")
        self.use_button.setEnabled(result is not None)
        if result is None:
            for value in self.values.values():
                value.clear()
            self.photo.clear()
            self.photo.setText(self.tr("No photo"))
            self.verification.clear()
            return
        holder = result.holder
        sex = {"M": self.tr("Male"), "F": self.tr("Female")}.get(holder.sex, self.tr("Unspecified"))
        texts = {
            "name": holder.full_name or f"{holder.surname}, {holder.given_names}",
            "document": f"{holder.document_code} {holder.document_number} ({holder.issuing_state})",
            "nationality": holder.nationality,
            "birth": holder.birth_date.isoformat() if holder.birth_date else "",
            "sex": sex,
            "expiry": holder.expiry_date.isoformat() if holder.expiry_date else "",
            "authority": holder.issuing_authority or holder.issuing_state,
        }
        for key, text in texts.items():
            self.values[key].setText(text)
        self._render_verification(result)
        if result.face is None:
            self.photo.setText(self.tr("No photo on the chip"))
        elif self.photo.pixmap().isNull():
            data = result.face.data
            run_async(lambda: _decode_rgb(data), self._show_photo,
                      lambda _exc: self.photo.setText(self.tr("The chip photo cannot be shown")))

    def _show_photo(self, decoded: tuple[bytes, int, int]) -> None:
        rgb, width, height = decoded
        image = QImage(rgb, width, height, width * 3, QImage.Format.Format_RGB888).copy()
        self.photo.setPixmap(QPixmap.fromImage(image))

    def _render_verification(self, result: EmrtdResult) -> None:
        pa = result.passive_auth
        if pa.verdict == "passed":
            text, colour = self.tr(
                "Chip verified: data unaltered, signed by the issuing country."), _OK
        elif pa.verdict == "hashes_only":
            text, colour = self.tr(
                "Chip data unaltered and signed; the issuing country's certificate is not "
                "configured, so the signer is not verified."), _WARN
        elif not pa.sod_present:
            text, colour = self.tr(
                "The chip has no security object: its data cannot be verified."), _BAD
        else:
            text, colour = self.tr(
                "Chip verification FAILED: the data may have been altered."), _BAD
        access = self.tr("Chip opened with {protocol}.").format(protocol=result.access_protocol)
        self.verification.setText(f"{text}\n{access}")
        self.verification.setStyleSheet(f"color: {colour}; font-weight: bold;")

    # -- for tests and the flow ------------------------------------------------------------

    @property
    def result(self) -> EmrtdResult | None:
        return self._result

    def field_text(self, key: str) -> str:
        return self.values[key].text()

    def photo_shown(self) -> bool:
        return not self.photo.pixmap().isNull()

    def reading(self) -> bool:
        return self._request is not None
