"""Last step: what will be submitted, the routing outcome, commit, and the receipt."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station import published
from station.beijing import beijing_text
from station.db.models import Case, CaseKind
from station.i18n import current_language
from station.receipts.labels import document_type_label
from station.receipts.masking import mask_id_number
from station.workflows import cases, rules
from station.workflows.cases import CommitResult
from ui.flows.other_cases import OtherCasesNotice
from ui.flows.receipt import attach_receipt
from ui.flows.step import FlowContext, FlowStep
from ui.flows.steps.scans import scan_label
from ui.workers import run_async


def _summary(runtime: Any, case_id: str) -> dict[str, Any]:
    with runtime.db.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            return {}
        person = case.people[0] if case.people else None
        doc = person.documents[0] if person and person.documents else None
        flags = rules.evaluate(case.kind.value, cases.case_facts(case),
                               published.for_case(case).rules())
        photo = next((p for p in case.photos if p.purpose in ("elicence", "live")), None)
        personal = case.personal or {}
        signature = case.signatures[0] if case.signatures else None
        return {
            "name": person.name or person.name_en if person else "",
            "document": doc.doc_type if doc else "",
            "source": doc.source if doc else "",
            "id_number": (doc.number or "") if doc else "",
            "phone": person.phone if person else None,
            "phone_verified": (case.details.get("phone") or {}).get("verified"),
            "photo": photo.image if photo else None,
            "photos": sorted(p.purpose for p in case.photos),
            "scans": sorted(s.kind for s in case.scans),
            "signed": bool(case.signatures),
            "agreement_version": signature.agreement_version if signature else None,
            "attorney": case.kind == CaseKind.ORGANISATION,
            "organisation": personal.get("organisation_name"),
            "organisation_code": personal.get("organisation_code"),
            "legal_representative": personal.get("legal_representative"),
            "face_match": case.details.get("face_match"),
            "flags": [f.message() for f in flags],
        }


class ReviewStep(FlowStep):
    key = "review"

    def __init__(self, ctx: FlowContext) -> None:
        super().__init__(ctx)
        self.summary = QLabel()
        self.summary.setObjectName("caseSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)  # read by the applicant across the desk
        self.summary.setFont(font)
        self.photo_preview = QLabel()  # the photo that will be submitted, as the applicant sees it
        self.photo_preview.setObjectName("previewPhoto")
        self.photo_preview.setFixedSize(140, 190)
        self.photo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_preview.setStyleSheet("border: 1px solid #9aa5b1; background: #ffffff;")
        # the applicant checks photo, data, phone and agreement: Submit waits for that
        self.confirmed = QCheckBox()
        self.confirmed.setObjectName("applicantConfirmed")
        self.confirmed.toggled.connect(self._confirmation_changed)
        self.commit_button = QPushButton()
        self.commit_button.setObjectName("commitCase")
        self.commit_button.setDefault(True)
        self.commit_button.clicked.connect(self._commit)
        self.done_button = QPushButton()
        self.done_button.setObjectName("caseDone")
        self.done_button.setVisible(False)
        self.done_button.clicked.connect(self.finish)
        self.receipt_view: QWidget | None = None
        self.receipt_area = QVBoxLayout()
        self.result: CommitResult | None = None
        preview = QHBoxLayout()
        preview.addWidget(self.photo_preview, 0, Qt.AlignmentFlag.AlignTop)
        preview.addWidget(self.summary, 1)
        self.body.addLayout(preview)
        self.other_cases = OtherCasesNotice()  # the person's other cases (the central's answer)
        self.body.addWidget(self.other_cases)
        self.body.addWidget(self.confirmed)
        self.body.addWidget(self.message)
        holder = QWidget()
        holder.setLayout(self.receipt_area)
        self.body.addWidget(holder, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.commit_button)
        row.addWidget(self.done_button)
        self.body.addLayout(row)
        self.commit_button.setText(self.tr("Submit (Enter)"))
        self.commit_button.setEnabled(False)
        self.confirmed.setText(self.tr("The applicant has checked the photo and the details "
                                       "above and confirms them"))
        self.done_button.setText(self.tr("Next applicant"))

    def title(self) -> str:
        return self.tr("Submit")

    def activate(self) -> None:
        if self.result is None:
            case_id = self.ctx.case_id
            run_async(lambda: _summary(self.ctx.runtime, case_id), self._show_summary)

    def _show_summary(self, info: dict[str, Any]) -> None:
        self._show_photo(info.get("photo"))
        rows: list[tuple[str, str]] = []
        if info.get("organisation"):
            rows.append((self.tr("Organisation"), info["organisation"]))
            rows.append((self.tr("Credit code"), info.get("organisation_code") or "—"))
            rows.append((self.tr("Legal representative"),
                         info.get("legal_representative") or "—"))
        rows.append((self.tr("Agent") if info.get("attorney") else self.tr("Applicant"),
                     info.get("name") or "—"))
        if info.get("document"):
            rows.append((self.tr("Document"), document_type_label(
                "manual" if info.get("source") == "manual" else info["document"],
                current_language())))
            rows.append((self.tr("Document number"), mask_id_number(info.get("id_number") or "")))
        if info.get("phone"):
            verified = info.get("phone_verified")
            rows.append((self.tr("Mobile number"), "{phone} ({state})".format(
                phone=info["phone"], state=self.tr("verified by SMS") if verified
                else self.tr("not verified"))))
        if info.get("agreement_version"):
            rows.append((self.tr("Power of attorney") if info.get("attorney")
                         else self.tr("User agreement"),
                         self.tr("version {version}, signed").format(
                             version=info["agreement_version"])))
        if info.get("scans"):
            rows.append((self.tr("Documents"), "、".join(scan_label(k) for k in info["scans"])))
        table = "".join(f"<tr><td style='color:#5f6670;padding-right:12px'>{escape(k)}</td>"
                        f"<td><b>{escape(v)}</b></td></tr>" for k, v in rows)
        lines = [f"<table>{table}</table>"]
        match = info.get("face_match") or {}
        if match.get("score") is not None:
            lines.append(self.tr("Face match score: {score:.0f} (threshold {threshold:.0f})").format(
                score=match["score"], threshold=match.get("threshold") or 0))
        if info.get("flags"):
            lines.append(self.tr("Will be reviewed by a supervisor because:"))
            lines.extend(f"• {text}" for text in info["flags"])
        else:
            lines.append(self.tr("No review needed: the registration completes now."))
        self.summary.setText("<br>".join(lines))
        self.other_cases.check(self.ctx.runtime, info.get("id_number") or "")
        self.confirmed.setFocus()

    def _show_photo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo_preview.setPixmap(pixmap.scaled(
                self.photo_preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.photo_preview.setText(self.tr("No photo"))

    def _confirmation_changed(self, checked: bool) -> None:
        self.commit_button.setEnabled(checked and self.result is None)
        if checked:
            self.commit_button.setFocus()

    def _commit(self) -> None:
        if self.result is not None:
            return
        if not self.confirmed.isChecked():
            self.show_error(self.tr("Ask the applicant to check the preview, then tick the "
                                    "confirmation."))
            return
        case_id, actor = self.ctx.case_id, self.ctx.actor
        self.completed.emit(lambda s: cases.commit_case(s, case_id, actor,
                                                        confirmed_by_applicant=True))

    def after_saved(self, result: Any) -> bool:
        self.result = result  # cases.commit_case announced it (sync sends it at once)
        wizard = self._wizard()
        if wizard is not None:
            wizard.lock_navigation()
        self.commit_button.setVisible(False)
        self.confirmed.setEnabled(False)
        # the person's other cases were for the decision to submit; the receipt needs the room
        self.other_cases.retire()
        self.done_button.setVisible(True)
        self.done_button.setFocus()
        if result.flags:
            self.show_info(self.tr("Submitted as {number}. A supervisor will decide by {due}.").format(
                number=result.number, due=beijing_text(result.due_at)))
        else:
            self.show_info(self.tr("Registration {number} is complete.").format(number=result.number))
        self.show_receipt(result)
        return False

    def show_receipt(self, result: CommitResult) -> None:
        """Render the receipt for the committed case (see ui/flows/receipt.py)."""
        self.done_button.setVisible(False)  # the receipt's own Done button ends the case
        view = attach_receipt(self.receipt_area, self.ctx.runtime, result,
                              self.ctx.operator.display_name, self.show_error)
        view.finished.connect(self.finish)
        view.done_button.setAutoDefault(True)  # Enter ends the case: the next applicant
        view.done_button.setFocus()
        self.receipt_view = view

    def _wizard(self) -> Any:
        wizard = self.parent()
        while wizard is not None and not hasattr(wizard, "complete"):
            wizard = wizard.parent()
        return wizard

    def finish(self) -> None:
        wizard = self._wizard()
        if wizard is not None:
            wizard.complete()
