"""Administrator page: the station's operators; adding one, and for the selected one editing
the name and role, disabling or enabling, resetting the password, lifting a lockout. Every
change runs on the database's writer thread (DbOp) and is audited by the core
(station/operators.py), which also refuses to disable oneself or to leave the station without
an active administrator."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station import operators
from station.beijing import beijing_text
from station.db.models import Role
from station.operators import AccountError, OperatorInfo, OperatorRow
from ui.central_link import central_session
from ui.confirm import ask_destructive
from ui.labels import role_label
from ui.operations import DbOp
from ui.workers import run_async

ROLES = (Role.CLERK, Role.SUPERVISOR, Role.ADMIN)


def _central_row(entry: dict[str, Any]) -> OperatorRow:
    until = entry.get("locked_until")
    return OperatorRow(str(entry["username"]), str(entry.get("display_name") or ""),
                       Role(str(entry["role"])), bool(entry.get("active", True)),
                       datetime.fromisoformat(str(until)) if until else None, central=True)


def _role_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for role in ROLES:
        combo.addItem(role_label(role), role.value)
    return combo


class OperatorsPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self._runtime, self._me = runtime, operator
        self.rows: list[OperatorRow] = []
        self._generation = 0  # of the list's refreshes: only the newest is shown
        self._filled_from: OperatorRow | None = None  # the account the edit fields show
        self.confirm_box: QMessageBox | None = None  # the open "disable this operator?"
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("operatorsTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.form_box = QGroupBox()
        self.username = QLineEdit()
        self.username.setObjectName("newUsername")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("newDisplayName")
        self.role = _role_combo("newRole")
        self.password = QLineEdit()
        self.password.setObjectName("newPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.returnPressed.connect(self._add)
        self.add_button = QPushButton()
        self.add_button.setObjectName("addOperator")
        self.add_button.clicked.connect(self._add)
        self.form = QFormLayout(self.form_box)
        for widget in (self.username, self.display_name, self.role, self.password):
            self.form.addRow(QLabel(), widget)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        self.form.addRow(buttons)

        self._build_edit_box()
        self.message = QLabel()
        self.message.setObjectName("operatorsMessage")
        self.message.setWordWrap(True)
        self.central_note = QLabel()
        self.central_note.setObjectName("operatorsCentralNote")
        self.central_note.setWordWrap(True)
        boxes = QHBoxLayout()
        boxes.addWidget(self.edit_box, 1)
        boxes.addWidget(self.form_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.central_note)
        layout.addLayout(boxes)
        layout.addWidget(self.message)
        # an enrolled station's operators are the central service's (mirrored at each sync)
        self._central = runtime.accounts.central_mode()
        self.form_box.setVisible(not self._central)
        self.central_note.setVisible(self._central)
        self.retranslate()
        self._selection_changed()
        self.refresh()

    def _build_edit_box(self) -> None:
        self.edit_box = QGroupBox()
        self.edit_name = QLineEdit()
        self.edit_name.setObjectName("editDisplayName")
        self.edit_role = _role_combo("editRole")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveOperator")
        self.save_button.clicked.connect(self._save)
        self.edit_name.returnPressed.connect(self._save)
        self.active_button = QPushButton()  # "Disable" or "Enable", as the account stands
        self.active_button.setObjectName("toggleOperatorActive")
        self.active_button.clicked.connect(self._toggle_active)
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlockOperator")
        self.unlock_button.clicked.connect(self._unlock)
        self.new_password = QLineEdit()
        self.new_password.setObjectName("resetPassword")
        self.new_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_password.returnPressed.connect(self._reset_password)
        self.reset_button = QPushButton()
        self.reset_button.setObjectName("resetPasswordButton")
        self.reset_button.clicked.connect(self._reset_password)
        self.edit_form = QFormLayout(self.edit_box)
        self.edit_form.addRow(QLabel(), self.edit_name)
        self.edit_form.addRow(QLabel(), self.edit_role)
        password_row = QHBoxLayout()
        password_row.addWidget(self.new_password, 1)
        password_row.addWidget(self.reset_button)
        self.edit_form.addRow(QLabel(), password_row)
        self.password_label = self.edit_form.labelForField(password_row)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(self.active_button)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        self.edit_form.addRow(row)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Operators"))
        self.central_note.setText(self.tr(
            "This station is enrolled: operators are the central service's accounts; the "
            "changes made here are made there (new accounts: python -m central create-user)."))
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name"),
                                              self.tr("Role"), self.tr("State")])
        self.form_box.setTitle(self.tr("Add an operator"))
        for form, widget, text in (
            (self.form, self.username, self.tr("User name")),
            (self.form, self.display_name, self.tr("Full name")),
            (self.form, self.role, self.tr("Role")),
            (self.form, self.password, self.tr("Initial password")),
            (self.edit_form, self.edit_name, self.tr("Full name")),
            (self.edit_form, self.edit_role, self.tr("Role")),
        ):
            label = form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
        if isinstance(self.password_label, QLabel):
            self.password_label.setText(self.tr("New password"))
        for combo in (self.role, self.edit_role):
            for index, role in enumerate(ROLES):
                combo.setItemText(index, role_label(role))
        self.add_button.setText(self.tr("Add operator"))
        self.save_button.setText(self.tr("Save name and role"))
        self.unlock_button.setText(self.tr("Unlock"))
        self.reset_button.setText(self.tr("Reset password"))
        self.new_password.setPlaceholderText(self.tr(
            "At least 8 characters, not a sequence, not the user name"))
        self._selection_changed()
        if self.rows:
            self._show(self.rows)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the list ---------------------------------------------------------------------------

    def refresh(self) -> None:
        runtime = self._runtime
        self._generation += 1
        generation = self._generation

        def show(rows: list[OperatorRow]) -> None:
            if generation == self._generation:  # an older answer arriving late is dropped
                self._show(rows)

        def load() -> list[OperatorRow]:
            with runtime.db.session() as session:
                return operators.list_accounts(session)

        def from_central() -> list[OperatorRow]:
            with central_session(runtime).client() as client:
                return [_central_row(entry) for entry in client.list_users()]

        def unreachable(error: BaseException) -> None:  # the mirror of the last sync, then
            if generation != self._generation:
                return
            self._say(self.tr("The central service cannot be reached ({reason}); the list is "
                              "the one mirrored at the last sync.").format(
                reason=getattr(error, "message", error)), ok=False)
            run_async(load, show)

        if self._central:
            run_async(from_central, show, unreachable)
        else:
            run_async(load, show)

    def _state_text(self, row: OperatorRow) -> str:
        if not row.active:
            return self.tr("Disabled")
        if row.locked_until is not None:
            return self.tr("Locked until {time}").format(time=beijing_text(row.locked_until))
        return self.tr("Active")

    def _show(self, rows: list[OperatorRow]) -> None:
        chosen = self.selected()
        self.rows = rows
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, op in enumerate(rows):
            texts = (op.username, op.display_name, role_label(op.role), self._state_text(op))
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.blockSignals(False)
        names = [row.username for row in rows]
        if chosen is not None and chosen.username in names:
            self.table.selectRow(names.index(chosen.username))
        self._selection_changed()

    def selected(self) -> OperatorRow | None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        row = next(iter(rows), None)
        return self.rows[row] if row is not None and row < len(self.rows) else None

    def select(self, username: str) -> None:
        names = [row.username for row in self.rows]
        self.table.selectRow(names.index(username))

    def _selection_changed(self) -> None:
        row = self.selected()
        # a central account is changed through the service (enrolled station), a local one
        # here; a central account left from an earlier enrolment is read-only
        editable = row is not None and (not row.central or self._central)
        for widget in (self.edit_name, self.edit_role, self.save_button, self.new_password,
                       self.reset_button, self.active_button):
            widget.setEnabled(editable)
        self.unlock_button.setEnabled(editable and row is not None
                                      and row.locked_until is not None)
        if row is None:
            self._filled_from = None
            self.edit_box.setTitle(self.tr("Select an operator in the list"))
            self.active_button.setText(self.tr("Disable"))
            return
        self.edit_box.setTitle(self.tr("Operator {name}").format(name=row.username))
        if row != self._filled_from:  # a refresh of the same account keeps what is typed
            self._filled_from = row
            self.edit_name.setText(row.display_name)
            self.edit_role.setCurrentIndex(max(0, self.edit_role.findData(row.role.value)))
        self.active_button.setText(self.tr("Disable") if row.active else self.tr("Enable"))

    # -- changes ----------------------------------------------------------------------------

    def _change(self, work: Callable[[Any], Any], done: str,
                buttons: tuple[QPushButton, ...] = ()) -> None:
        """Run ``work`` on the writer thread; say ``done`` or why it was refused."""
        for button in buttons:
            button.setEnabled(False)

        def succeeded(_result: Any) -> None:
            self._say(done, ok=True)
            self._selection_changed()
            run_async(self._runtime.operators_changed)  # the demo's embedded service too
            self.refresh()

        def failed(error: BaseException) -> None:
            self._say(str(error) if isinstance(error, AccountError) else repr(error), ok=False)
            self._selection_changed()  # the buttons back at once, as the account stood
            self.refresh()

        DbOp(self._runtime.db, work).success(succeeded).failure(failed).run()

    def _say(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet("color: #2e7d32;" if ok else "color: #c62828;")
        self.message.setText(text)

    def _add(self) -> None:
        username, name = self.username.text(), self.display_name.text()
        role, password, actor = Role(self.role.currentData()), self.password.text(), self._me.username
        self.add_button.setEnabled(False)

        def work(session: Any) -> OperatorInfo:
            return operators.create_operator(session, username, name, role, password, actor=actor)

        def added(op: OperatorInfo) -> None:
            self.add_button.setEnabled(True)
            run_async(self._runtime.operators_changed)
            self._say(self.tr("Operator {name} added.").format(name=op.username), ok=True)
            for field in (self.username, self.display_name, self.password):
                field.clear()
            self.refresh()

        def failed(error: BaseException) -> None:
            self.add_button.setEnabled(True)
            self._say(str(error) if isinstance(error, AccountError) else repr(error), ok=False)

        DbOp(self._runtime.db, work).success(added).failure(failed).run()

    def _save(self) -> None:
        row = self.selected()
        if row is None or (row.central and not self._central):
            return
        username, name, actor = row.username, self.edit_name.text(), self._me.username
        role = Role(self.edit_role.currentData())
        done = self.tr("Operator {name} saved.").format(name=username)
        if row.central:
            self._change_centrally(lambda c: c.update_user(
                username, display_name=name.strip() or None, role=role.value), done,
                self.save_button)
            return
        self._change(lambda s: operators.update_operator(s, username, name, role, actor), done,
                     (self.save_button,))

    def _toggle_active(self) -> None:
        row = self.selected()
        if row is None or (row.central and not self._central):
            return
        username, actor, active = row.username, self._me.username, not row.active
        done = (self.tr("Operator {name} enabled.") if active
                else self.tr("Operator {name} disabled.")).format(name=username)

        def change() -> None:
            if row.central:
                self._change_centrally(lambda c: c.set_user_active(username, active), done,
                                       self.active_button)
            else:
                self._change(lambda s: operators.set_active(s, username, active, actor), done,
                             (self.active_button,))

        if active:
            change()
            return
        self.confirm_box = ask_destructive(
            self, self.tr("Disable this operator?"),
            self.tr("{name} can no longer sign in at this station until an administrator "
                    "enables the account again. Disable it?").format(name=username), change)

    def _unlock(self) -> None:
        row = self.selected()
        if row is None or (row.central and not self._central):
            return
        username, actor = row.username, self._me.username
        done = self.tr("Operator {name} can sign in again.").format(name=username)
        if row.central:
            self._change_centrally(lambda c: c.unlock_user(username), done, self.unlock_button)
            return
        self._change(lambda s: operators.unlock(s, username, actor), done,
                     (self.unlock_button,))

    def _change_centrally(self, call: Callable[[Any], Any], done: str,
                          button: QPushButton) -> None:
        """Network, off the GUI thread: the central service changes (and audits) it; the
        station mirrors it at its next sync."""
        runtime = self._runtime
        button.setEnabled(False)

        def work() -> Any:
            with central_session(runtime).client() as client:
                return call(client)

        def succeeded(_result: Any) -> None:
            self._say(done, ok=True)
            self._selection_changed()  # the buttons back at once; the list follows
            self.refresh()

        def failed(error: BaseException) -> None:
            self._say(str(getattr(error, "message", error)), ok=False)
            self._selection_changed()
            self.refresh()

        run_async(work, succeeded, failed)

    def _reset_password(self) -> None:
        row = self.selected()
        if row is None or (row.central and not self._central):
            return
        username, password, actor = row.username, self.new_password.text(), self._me.username
        self.new_password.clear()  # not kept on screen, whatever the answer
        done = self.tr("The password of {name} is reset; tell them in person.").format(
            name=username)
        if row.central:
            self._change_centrally(lambda c: c.reset_user_password(username, password), done,
                                   self.reset_button)
            return
        self._change(lambda s: operators.reset_password(s, username, password, actor), done,
                     (self.reset_button,))

