"""Organisation name and unified social credit code (GB 32100) or organisation code (GB 11714)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton

from station.identity.checks import validate_credit_code, validate_org_code
from station.workflows import cases
from ui.flows.step import FlowContext, FlowStep


class OrganisationStep(FlowStep):
    key = "organisation"

    def __init__(self, ctx: FlowContext) -> None:
        super().__init__(ctx)
        self.name = QLineEdit()
        self.name.setObjectName("orgName")
        self.code = QLineEdit()
        self.code.setObjectName("orgCode")
        self.code.setMaxLength(18)
        self.code.textChanged.connect(self._check)
        self.code_check = QLabel()
        self.code_check.setObjectName("orgCodeCheck")
        self.representative = QLineEdit()  # named in the power of attorney the agent signs
        self.representative.setObjectName("orgRepresentative")
        self.representative.setMaxLength(64)
        self.next_button = QPushButton()
        self.next_button.setObjectName("orgNext")
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._next)
        self.representative.returnPressed.connect(self._next)
        # Enter goes on to the next field, as the form is read off the business licence
        self.name.returnPressed.connect(self.code.setFocus)
        self.code.returnPressed.connect(self.representative.setFocus)
        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.name)
        self.form.addRow(QLabel(), self.code)
        self.form.addRow("", self.code_check)
        self.form.addRow(QLabel(), self.representative)
        self.body.addLayout(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.next_button)
        self.body.addLayout(row)
        self.body.addWidget(self.message)
        self.body.addStretch(1)
        self.retranslate()

    def title(self) -> str:
        return self.tr("Organisation")

    def retranslate(self) -> None:
        for widget, text in ((self.name, self.tr("Registered name")),
                             (self.code, self.tr("Unified social credit code")),
                             (self.representative, self.tr("Legal representative"))):
            label = self.form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
        self.code.setPlaceholderText(self.tr("18 characters, or a 9-character organisation code"))
        self.representative.setPlaceholderText(self.tr(
            "As on the business licence; named in the power of attorney"))
        self.next_button.setText(self.tr("Save and continue"))

    def activate(self) -> None:
        self.name.setFocus()

    def _check(self, text: str) -> bool:
        code = text.strip().upper()
        if len(code) not in (9, 10, 18):
            self.code_check.clear()
            return False
        result = validate_credit_code(code) if len(code) == 18 else validate_org_code(code)
        self.code_check.setStyleSheet("color: #2e7d32;" if result.ok else "color: #c62828;")
        self.code_check.setText(result.message)
        return result.ok

    def _next(self) -> None:
        if not self._check(self.code.text()):
            self.show_error(self.tr("Check the code: it must pass its check character."))
            return
        if len(self.representative.text().strip()) < 2:
            self.show_error(self.tr("Enter the legal representative named on the business "
                                    "licence."))
            self.representative.setFocus()
            return
        case_id, actor = self.ctx.case_id, self.ctx.actor
        name, code, representative = self.name.text(), self.code.text(), self.representative.text()
        self.completed.emit(lambda s: cases.save_organisation(
            s, case_id, name, code, actor, legal_representative=representative))
