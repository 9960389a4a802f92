"""Last step: what will be submitted, the routing outcome, commit, and the receipt."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station import published
from station.beijing import beijing_text
from station.db.models import Case
from station.workflows import cases, rules
from station.workflows.cases import CommitResult
from ui.flows.receipt import attach_receipt
from ui.flows.step import FlowContext, FlowStep
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
        return {
            "name": person.name or person.name_en if person else "",
            "document": doc.doc_type if doc else "",
            "source": doc.source if doc else "",
            "photos": sorted(p.purpose for p in case.photos),
            "scans": sorted(s.kind for s in case.scans),
            "signed": bool(case.signatures),
            "organisation": (case.personal or {}).get("organisation_name"),
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
        self.body.addWidget(self.summary)
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
        self.done_button.setText(self.tr("Next applicant"))

    def title(self) -> str:
        return self.tr("Submit")

    def activate(self) -> None:
        if self.result is None:
            case_id = self.ctx.case_id
            run_async(lambda: _summary(self.ctx.runtime, case_id), self._show_summary)

    def _show_summary(self, info: dict[str, Any]) -> None:
        lines = [self.tr("Applicant: {name}").format(name=info.get("name") or "—")]
        if info.get("organisation"):
            lines.append(self.tr("Organisation: {name}").format(name=info["organisation"]))
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

    def _commit(self) -> None:
        if self.result is not None:
            return
        case_id, actor = self.ctx.case_id, self.ctx.actor
        self.completed.emit(lambda s: cases.commit_case(s, case_id, actor))

    def after_saved(self, result: Any) -> bool:
        self.result = result  # cases.commit_case announced it (sync sends it at once)
        wizard = self._wizard()
        if wizard is not None:
            wizard.lock_navigation()
        self.commit_button.setVisible(False)
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
