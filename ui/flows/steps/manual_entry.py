"""Manual entry of identity data when the reader fails: every validation, always reviewed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.i18n import both
from station.identity.checks import validate_citizen_id
from station.identity.codes import nation_name
from station.workflows.documents import DocumentInput


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ManualEntryForm(QWidget):
    """Emits ``entered(DocumentInput)`` once the number passes its check digit."""

    entered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit()
        self.name.setObjectName("manualName")
        self.number = QLineEdit()
        self.number.setObjectName("manualNumber")
        self.number.setMaxLength(18)
        self.number.textChanged.connect(self._number_changed)
        self.number_check = QLabel()
        self.number_check.setObjectName("manualNumberCheck")
        self.sex = QComboBox()
        self.nation = QComboBox()
        for code in [f"{i:02d}" for i in range(1, 57)] + ["97", "98"]:
            self.nation.addItem(nation_name(code), code)
        self.birth = QDateEdit()
        self.birth.setDisplayFormat("yyyy-MM-dd")
        self.birth.setCalendarPopup(True)
        self.address = QLineEdit()
        self.authority = QLineEdit()
        self.valid_from = QDateEdit(_qdate(date.today()))
        self.valid_from.setDisplayFormat("yyyy-MM-dd")
        self.valid_to = QDateEdit(_qdate(date.today()))
        self.valid_to.setDisplayFormat("yyyy-MM-dd")
        self.long_term = QCheckBox()
        self.long_term.toggled.connect(lambda on: self.valid_to.setEnabled(not on))
        self.submit = QPushButton()
        self.submit.setObjectName("manualSubmit")
        self.submit.clicked.connect(self._submit)
        self.error = QLabel()
        self.error.setObjectName("manualError")
        self.error.setStyleSheet("color: #c62828;")
        self.note = QLabel()
        self.note.setWordWrap(True)
        # two columns: the card's fields fit the counter screen's height with the buttons
        self.form = QFormLayout()
        for widget in (self.name, self.number, self.sex, self.nation, self.birth):
            self.form.addRow(QLabel(), widget)
        self.form.insertRow(2, "", self.number_check)
        self.validity = QFormLayout()
        for widget in (self.address, self.authority, self.valid_from, self.valid_to):
            self.validity.addRow(QLabel(), widget)
        self.validity.addRow("", self.long_term)
        columns = QHBoxLayout()
        columns.addLayout(self.form, 1)
        columns.addSpacing(12)
        columns.addLayout(self.validity, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(columns)
        layout.addWidget(self.error)
        layout.addWidget(self.submit)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.note.setText(self.tr(
            "Use manual entry only when the card cannot be read. The case will be reviewed by a "
            "supervisor."))
        labels = (
            (self.name, self.tr("Name")), (self.number, self.tr("Citizen ID number")),
            (self.sex, self.tr("Sex")), (self.nation, self.tr("Ethnicity")),
            (self.birth, self.tr("Date of birth")), (self.address, self.tr("Address")),
            (self.authority, self.tr("Issuing authority")),
            (self.valid_from, self.tr("Valid from")), (self.valid_to, self.tr("Valid until")),
        )
        for widget, text in labels:
            label = self.form.labelForField(widget) or self.validity.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
        current = self.sex.currentData()
        self.sex.clear()
        self.sex.addItem(self.tr("Male"), "1")
        self.sex.addItem(self.tr("Female"), "2")
        if current:
            self.sex.setCurrentIndex(self.sex.findData(current))
        self.long_term.setText(self.tr("No expiry (长期)"))
        self.submit.setText(self.tr("Use these details"))

    def _number_changed(self, text: str) -> None:
        text = text.strip().upper()
        if len(text) < 18:
            self.number_check.setText("")
            return
        result = validate_citizen_id(text)
        self.number_check.setStyleSheet("color: #2e7d32;" if result.ok else "color: #c62828;")
        self.number_check.setText(result.message)
        if result.ok:  # fill what the number already says
            birth, sex = result.details.get("birth_date"), result.details.get("sex_code")
            if birth:
                self.birth.setDate(_qdate(birth))
            if sex:
                self.sex.setCurrentIndex(self.sex.findData(sex))

    def _submit(self) -> None:
        number = self.number.text().strip().upper()
        result = validate_citizen_id(number)
        if not self.name.text().strip():
            self.error.setText(self.tr("Enter the name as printed on the card."))
            return
        if not result.ok:
            self.error.setText(result.message)
            return
        self.error.clear()
        checks = [result.to_json()]
        birth, sex_code = _pydate(self.birth.date()), self.sex.currentData()
        if result.details.get("birth_date") not in (None, birth):
            checks.append({"check": "birth_date", "ok": False, "code": "mismatch", "reason": both(
                "ManualEntry", "The birth date does not match the ID number.")})
        if result.details.get("sex_code") not in (None, sex_code):
            checks.append({"check": "sex", "ok": False, "code": "mismatch", "reason": both(
                "ManualEntry", "The sex does not match the ID number.")})
        self.entered.emit(DocumentInput(
            source="manual", doc_type="resident_id", number=result.value or number,
            name=self.name.text().strip(), sex=self.sex.currentText(),
            nation=self.nation.currentText(), birth_date=birth,
            address=self.address.text().strip(), issuing_authority=self.authority.text().strip(),
            valid_from=_pydate(self.valid_from.date()),
            valid_to=None if self.long_term.isChecked() else _pydate(self.valid_to.date()),
            chip_photo_status="manual_entry", checks=tuple(checks),
        ))
