"""The agreement (or power of attorney) shown and signed on the pad or the screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel

from station import published
from station.i18n import current_language
from station.signature.agreements import POWER_OF_ATTORNEY
from station.signature.record import SignatureRecord
from station.workflows import cases
from ui.flows.step import FlowContext, FlowStep
from ui.signature_widget import SignatureCaptureWidget


class AgreementStep(FlowStep):
    key = "agreement"

    def __init__(self, ctx: FlowContext, document: str, signer_role: str = "applicant") -> None:
        super().__init__(ctx)
        self.document, self.signer_role = document, signer_role
        self.widget: SignatureCaptureWidget | None = None
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.keys_hint = QLabel()  # the signature is on the pad; the clerk's hands on keys
        self.keys_hint.setObjectName("signatureKeys")
        self.body.addWidget(self.hint)
        self.body.addWidget(self.message)
        self.body.addWidget(self.keys_hint)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self, self._accept_by_key)
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self, self._clear_by_key)

    def _accept_by_key(self) -> None:
        if self.widget is not None:
            self.widget.try_accept()  # says what is wrong when the signature is not good

    def _clear_by_key(self) -> None:
        if self.widget is not None:
            self.widget.clear()

    def title(self) -> str:
        return self.tr("Power of attorney") if self.document == POWER_OF_ATTORNEY else self.tr(
            "Agreement and signature")

    def activate(self) -> None:
        if self.widget is not None:
            return
        case_id = self.ctx.case_id
        runtime = self.ctx.runtime
        document = self.document
        config = published.for_version(self.ctx.config_version)  # the case's own version

        def load() -> tuple[str, str]:
            fields = _attorney_fields(runtime, case_id) if document == POWER_OF_ATTORNEY else None
            agreement = config.agreement(document, current_language(), fields=fields)
            return agreement.version, agreement.text

        from ui.workers import run_async

        run_async(load, self._show, lambda e: self.show_error(str(e)))

    def _show(self, loaded: tuple[str, str]) -> None:
        version, text = loaded
        self.hint.setText(self.tr("Ask the applicant to read the text and sign below. Version {v}.")
                          .format(v=version))
        self.keys_hint.setText(self.tr("Enter accepts the signature, Delete clears it, Esc "
                                       "cancels the case."))
        pad = self.ctx.runtime.devices.device("sigpad")
        self.widget = SignatureCaptureWidget(
            self.ctx.case_id, text, version, agreement_kind=self.document,
            signer_role=self.signer_role, pad=pad, bus=self.ctx.runtime.bus,  # type: ignore[arg-type]
            agreement_language=current_language(),
            min_reading_s=self.ctx.runtime.settings.ui.agreement_min_reading_s,
            escape_cancels=False)  # Esc is the wizard's "cancel the case?"
        self.widget.accepted.connect(self._signed)
        self.widget.cancelled.connect(self._cancelled)
        self.body.insertWidget(1, self.widget, 1)
        self.widget.start()

    def deactivate(self) -> None:
        if self.widget is not None and not self.widget.finished:
            self.widget.abort()  # ends pad sampling without a "cancelled" signal
        if self.widget is not None:
            self.widget.setParent(None)
            self.widget.deleteLater()
            self.widget = None

    def _cancelled(self) -> None:
        self.show_error(self.tr("Signing was cancelled or timed out. Ask the applicant to sign again."))
        if self.widget is not None:
            self.widget.setParent(None)
            self.widget.deleteLater()
            self.widget = None
        self.activate()

    def _signed(self, record: SignatureRecord) -> None:
        case_id, actor, role = self.ctx.case_id, self.ctx.actor, self.signer_role
        data, png, digest, version = (record.to_bytes(), record.png, record.content_sha256,
                                      record.agreement_version)
        self.completed.emit(lambda s: cases.save_signature(s, case_id, data, png, digest, version,
                                                           actor, signer_role=role))


def _attorney_fields(runtime: Any, case_id: str) -> dict[str, str]:
    """The power of attorney is filled from the case: organisation and agent."""
    from datetime import date, timedelta

    from station.db.models import Case

    with runtime.db.session() as session:
        case = session.get(Case, case_id)
        personal = (case.personal or {}) if case else {}
        agent = next((p for p in case.people if p.role == "agent"), None) if case else None
        doc = agent.documents[0] if agent and agent.documents else None
        today = date.today()
        return {
            "organisation_name": personal.get("organisation_name", ""),
            "credit_code": personal.get("organisation_code", ""),
            "legal_representative": personal.get("legal_representative", ""),
            "agent_name": (agent.name or agent.name_en or "") if agent else "",
            "agent_id_number": (doc.number or "") if doc else "",
            "agent_mobile": (agent.phone or "") if agent else "",
            "valid_from": today.isoformat(),
            "valid_to": (today + timedelta(days=365)).isoformat(),
        }
