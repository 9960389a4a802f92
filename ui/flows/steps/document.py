"""The applicant's (or agent's) identity document: read on placement, or typed by hand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QTabWidget

from devices.idcard.events import CardRead, CardReadFailed, CardRemoved, ReaderProblem
from station.beijing import beijing_today
from station.events import DeviceState, DeviceStatusEvent
from station.workflows import cases
from station.workflows.documents import DocumentInput, from_identity_card
from ui.flows.step import FlowContext, FlowStep
from ui.flows.steps.manual_entry import ManualEntryForm
from ui.idcard_panel import IdCardPanel


class DocumentStep(FlowStep):
    key = "document"

    def __init__(self, ctx: FlowContext, role: str = "applicant") -> None:
        super().__init__(ctx)
        self.role = role
        self._document: DocumentInput | None = None
        self._off: list[Callable[[], None]] = []  # changed in place: the hook below holds it
        offs = self._off  # a step deleted with its wizard (never deactivated) stops listening
        self.destroyed.connect(lambda *_args: [off() for off in list(offs)])
        self.tabs = QTabWidget()
        self.tabs.setObjectName("documentTabs")
        self.card_panel = IdCardPanel()
        self.card_panel.retry_requested.connect(self._retry)
        self.card_panel.manual_entry_requested.connect(lambda: self.tabs.setCurrentWidget(self.manual))
        self.manual = ManualEntryForm()
        self.manual.entered.connect(self._use)
        self.tabs.addTab(self.card_panel, "")
        self.passport = self._passport_panel()
        if self.passport is not None:
            self.tabs.addTab(self.passport, "")
        self.tabs.addTab(self.manual, "")
        self.use_button = QPushButton()
        self.use_button.setObjectName("useCard")
        self.use_button.setEnabled(False)
        self.use_button.setDefault(True)  # focused after a read: Enter uses the card
        self.use_button.clicked.connect(lambda: self._use(self._document))
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self._use(self._document))
        self._build_expiry_box()
        self.body.addWidget(self.tabs, 1)
        self.body.addWidget(self.expiry_box)
        self.body.addWidget(self.message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.use_button)
        self.body.addLayout(row)
        self.retranslate()

    def _build_expiry_box(self) -> None:
        """An expired (or not yet valid) document is used only when the clerk confirms it
        with a reason; the case then goes to a supervisor with that reason."""
        self._expiry_for: DocumentInput | None = None
        self.expiry_box = QFrame()
        self.expiry_box.setObjectName("expiryConfirmation")
        self.expiry_box.setStyleSheet(
            "#expiryConfirmation { background: #fff3e0; border: 1px solid #e65100; }")
        self.expiry_text = QLabel()
        self.expiry_text.setObjectName("expiryText")
        self.expiry_text.setWordWrap(True)
        self.expiry_reason = QLineEdit()
        self.expiry_reason.setObjectName("expiryReason")
        self.expiry_reason.returnPressed.connect(self._confirm_expired)
        self.expiry_button = QPushButton()
        self.expiry_button.setObjectName("confirmExpired")
        self.expiry_button.clicked.connect(self._confirm_expired)
        row = QHBoxLayout()
        row.addWidget(self.expiry_reason, 1)
        row.addWidget(self.expiry_button)
        box = QHBoxLayout(self.expiry_box)
        box.addWidget(self.expiry_text, 1)
        box.addLayout(row, 1)
        self.expiry_box.setVisible(False)

    def _passport_panel(self) -> Any:
        try:
            from devices.emrtd.driver import EmrtdReader
            from ui.passport_panel import PassportPanel
        except ImportError:  # the passport reader is optional equipment
            return None
        runtime = self.ctx.runtime
        reader = runtime.devices.device("emrtd")  # the station's, with its status-bar entry
        panel = PassportPanel(reader if isinstance(reader, EmrtdReader) else None, runtime.bus)
        panel.document_read.connect(self._passport_read)
        return panel

    def title(self) -> str:
        return self.tr("Identity document") if self.role == "applicant" else self.tr("Agent's ID")

    def retranslate(self) -> None:
        self.tabs.setTabText(self.tabs.indexOf(self.card_panel), self.tr("ID card (reader)"))
        if self.passport is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.passport), self.tr("Passport / permit"))
        self.tabs.setTabText(self.tabs.indexOf(self.manual), self.tr("Manual entry"))
        self.use_button.setText(self.tr("Use this card (Ctrl+Enter)"))
        self.expiry_reason.setPlaceholderText(self.tr("Why this document is used anyway"))
        self.expiry_button.setText(self.tr("Confirm and continue"))

    def activate(self) -> None:
        self.deactivate()  # activated again (back and forth): one subscription, not two
        bridge = self.ctx.bridge
        self._off[:] = [bridge.on(CardRead, self._card_read), bridge.on(CardReadFailed, self._card_failed),
                     bridge.on(CardRemoved, lambda _e: self.card_panel.show_removed()),
                     bridge.on(ReaderProblem, self._card_failed),
                     bridge.on(DeviceStatusEvent, self._reader_status)]
        carried = self.ctx.data.get("document")
        if self._document is None and carried is not None:  # from a case that was switched
            self._document = carried
            self.use_button.setEnabled(True)
            self.show_info(self.tr("Identity document of {name} carried over; confirm to continue.")
                           .format(name=carried.display_name))
        elif self._document is None:
            self.card_panel.show_waiting()
            self._retry()  # a card already lying on the reader is read now

    def deactivate(self) -> None:
        for off in self._off:
            off()
        self._off.clear()

    def _reader_status(self, event: DeviceStatusEvent) -> None:
        if event.status.kind == "idcard" and event.status.state == DeviceState.READY:
            self.card_panel.clear_problem()

    def _retry(self) -> None:
        reader = self.ctx.runtime.devices.device("idcard")
        if reader is not None:
            reader.request_read()  # type: ignore[attr-defined]

    def _card_read(self, event: CardRead) -> None:
        self.card_panel.show_card(event.card, event.photo, event.validations)
        self._document = from_identity_card(event.card, event.photo, list(event.validations))
        pending = self._expiry_for
        if pending is not None and pending.number == self._document.number:
            self._expiry_for = self._document  # the same card read again: the question stands
        else:
            self._hide_expiry()
        self.tabs.setCurrentWidget(self.card_panel)
        self.use_button.setEnabled(True)
        self.use_button.setFocus()
        self.message.clear()

    def _card_failed(self, event: CardReadFailed | ReaderProblem) -> None:
        """A failed or interrupted read: the data read before (maybe another person's) is
        dropped and cannot be used until a card is read again."""
        self.card_panel.show_read_failed(event.error)
        if self._document is not None and self._document.source == "reader":
            self._document = None
            self.use_button.setEnabled(False)
        self._hide_expiry()

    def _passport_read(self, document: DocumentInput) -> None:
        self._document = document
        self.use_button.setEnabled(True)
        self._use(document)

    def _use(self, document: DocumentInput | None) -> None:
        if document is None:
            self.show_error(self.tr("Place the card on the reader, or use manual entry."))
            return
        self._document = document
        if not document.valid_now(beijing_today()):
            self._ask_expiry(document)
            return
        self._save(document, None)

    def _ask_expiry(self, document: DocumentInput) -> None:
        today = beijing_today()
        if document.valid_from is not None and document.valid_from > today:
            text = self.tr("This document is not valid before {date}.").format(
                date=document.valid_from.isoformat())
        else:
            text = self.tr("This document expired on {date}.").format(
                date=document.valid_to.isoformat() if document.valid_to else "?")
        self.expiry_text.setText(text + " " + self.tr(
            "To use it anyway, give the reason: it is recorded and a supervisor reviews the "
            "case."))
        self._expiry_for = document
        self.expiry_box.setVisible(True)
        self.expiry_reason.setFocus()

    def _confirm_expired(self) -> None:
        document, reason = self._expiry_for, self.expiry_reason.text().strip()
        if document is None:
            return
        if not reason:
            self.show_error(self.tr("Enter the reason for using an expired document."))
            self.expiry_reason.setFocus()
            return
        self._save(document, reason)

    def _hide_expiry(self) -> None:
        self._expiry_for = None
        self.expiry_reason.clear()
        self.expiry_box.setVisible(False)

    def _save(self, document: DocumentInput, expiry_reason: str | None) -> None:
        self.ctx.data["document"] = document
        case_id, actor, role = self.ctx.case_id, self.ctx.actor, self.role
        self.completed.emit(lambda s: cases.save_document(s, case_id, document, actor, role=role,
                                                          expiry_reason=expiry_reason))
