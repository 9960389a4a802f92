"""Administrator page: the station's operators, adding one, enabling and disabling."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station import operators
from station.db.models import Role
from station.operators import AccountError, OperatorInfo
from ui.labels import role_label
from ui.workers import run_async, watch_future


class OperatorsPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self._runtime, self._me = runtime, operator
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("operatorsTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.form_box = QGroupBox()
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("newDisplayName")
        self.role = QComboBox()
        self.role.setObjectName("newRole")
        for role in (Role.CLERK, Role.SUPERVISOR, Role.ADMIN):
            self.role.addItem(role_label(role), role.value)
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addOperator")
        self.add_button.clicked.connect(self._add)
        self.message = QLabel()
        self.message.setObjectName("operatorsMessage")
        self.form = QFormLayout(self.form_box)
        for widget in (self.username, self.display_name, self.role, self.password):
            self.form.addRow(QLabel(), widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.form.addRow(buttons)
        self.form.addRow(self.message)

        self.central_note = QLabel()
        self.central_note.setObjectName("operatorsCentralNote")
        self.central_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.central_note)
        layout.addWidget(self.form_box)
        # an enrolled station's operators are the central service's (mirrored at each sync)
        self._central = runtime.accounts.central_mode()
        self.form_box.setVisible(not self._central)
        self.central_note.setVisible(self._central)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Operators"))
        self.central_note.setText(self.tr(
            "This station is enrolled: operators are the central service's accounts, created "
            "and disabled there (python -m central create-user / users disable). The list "
            "shows those mirrored here at the last sync."))
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name"), self.tr("Role")])
        self.form_box.setTitle(self.tr("Add an operator"))
        for widget, text in (
            (self.username, self.tr("User name")), (self.display_name, self.tr("Full name")),
            (self.role, self.tr("Role")), (self.password, self.tr("Initial password")),
        ):
            label = self.form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
        self.add_button.setText(self.tr("Add operator"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        def load() -> list[OperatorInfo]:
            with self._runtime.db.session() as session:
                return operators.list_operators(session)

        run_async(load, self._show)

    def _show(self, rows: list[OperatorInfo]) -> None:
        self.table.setRowCount(len(rows))
        for r, op in enumerate(rows):
            for c, text in enumerate((op.username, op.display_name, role_label(op.role))):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _add(self) -> None:
        username, name = self.username.text(), self.display_name.text()
        role, password, actor = Role(self.role.currentData()), self.password.text(), self._me.username
        self.add_button.setEnabled(False)

        def work(session: object) -> OperatorInfo:
            return operators.create_operator(session, username, name, role, password, actor=actor)  # type: ignore[arg-type]

        watch_future(self._runtime.db.submit(work), self._added, self._failed)

    def _added(self, op: OperatorInfo) -> None:
        self.add_button.setEnabled(True)
        run_async(self._runtime.operators_changed)
        self.message.setStyleSheet("color: #2e7d32;")
        self.message.setText(self.tr("Operator {name} added.").format(name=op.username))
        for field in (self.username, self.display_name, self.password):
            field.clear()
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self.add_button.setEnabled(True)
        self.message.setStyleSheet("color: #c62828;")
        self.message.setText(str(error) if isinstance(error, AccountError) else repr(error))
