"""Login screen: first-run admin creation, sign-in, interface language choice."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station.operators import AccountError
from station.signin import SignedIn
from ui.central_link import after_sign_in
from ui.i18n import current_language, install_language
from ui.workers import run_async

LANGUAGES = (("zh_CN", "中文"), ("en", "English"))


class LoginScreen(QWidget):
    """Emits ``signed_in(OperatorInfo)``. In first-run mode it creates the admin first."""

    signed_in = Signal(object)

    def __init__(self, runtime: StationRuntime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._first_run = False
        self._central = False  # operators sign in at the central service (enrolled station)
        self._busy = False

        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = QLabel()
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)

        self.language = QComboBox()
        self.language.setObjectName("languageCombo")
        for code, label in LANGUAGES:
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(current_language())))
        self.language.currentIndexChanged.connect(self._language_chosen)

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.display_name = QLineEdit()
        self.display_name.setObjectName("displayName")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirmPassword")
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.submit = QPushButton()
        self.submit.setObjectName("loginButton")
        self.submit.setDefault(True)
        self.submit.clicked.connect(self._submit)
        for field in (self.username, self.display_name, self.password, self.confirm):
            field.returnPressed.connect(self._submit)

        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.language)
        self.form.addRow(QLabel(), self.username)
        self.form.addRow(QLabel(), self.display_name)
        self.form.addRow(QLabel(), self.password)
        self.form.addRow(QLabel(), self.confirm)

        card = QFrame()
        card.setObjectName("loginCard")
        card.setMaximumWidth(460)
        inner = QVBoxLayout(card)
        inner.addWidget(self.title)
        inner.addWidget(self.subtitle)
        inner.addLayout(self.form)
        inner.addWidget(self.message)
        inner.addWidget(self.submit)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        # quick local reads: an enrolled station never asks for a first administrator
        self._central = runtime.accounts.central_mode()
        self.set_first_run(runtime.accounts.first_run())

    def set_first_run(self, first_run: bool) -> None:
        self._first_run = first_run
        for field in (self.display_name, self.confirm):
            field.setVisible(first_run)
            self.form.labelForField(field).setVisible(first_run)
        self.retranslate()

    @property
    def first_run(self) -> bool:
        return self._first_run

    def retranslate(self) -> None:
        self.title.setText(self.tr("Counter Station"))
        if self._first_run:
            self.subtitle.setText(self.tr("First start: create the administrator account."))
            self.submit.setText(self.tr("Create administrator"))
        elif self._central:
            self.subtitle.setText(self.tr("Sign in with your account of the central service"))
        else:
            self.subtitle.setText(self.tr("Sign in to the service window"))
            self.submit.setText(self.tr("Sign in"))
        labels = (
            (self.language, self.tr("Language")),
            (self.username, self.tr("User name")),
            (self.display_name, self.tr("Full name")),
            (self.password, self.tr("Password")),
            (self.confirm, self.tr("Confirm password")),
        )
        for field, text in labels:
            label = self.form.labelForField(field)
            if isinstance(label, QLabel):
                label.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _language_chosen(self) -> None:
        install_language(self.language.currentData())

    def reset(self) -> None:
        self._central = self._runtime.accounts.central_mode()  # enrolled meanwhile?
        self.retranslate()
        self.password.clear()
        self.confirm.clear()
        self.message.clear()
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit.setEnabled(not busy)

    def _submit(self) -> None:
        if self._busy:
            return
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.message.setText(self.tr("Enter the user name and the password."))
            return
        accounts = self._runtime.accounts
        if self._first_run:
            if password != self.confirm.text():
                self.message.setText(self.tr("The two passwords differ."))
                return
            display = self.display_name.text().strip() or username

            def work() -> SignedIn:
                return accounts.create_first_admin(username, display, password)
        else:
            def work() -> SignedIn:  # the central service's answer, or the local check
                return accounts.sign_in(username, password)

        self._set_busy(True)
        self.message.clear()
        run_async(work, self._done, self._failed)

    def _done(self, signed: SignedIn) -> None:
        self._set_busy(False)
        runtime, password, first_run = self._runtime, self.password.text(), self._first_run
        run_async(lambda: after_sign_in(runtime, signed, password, first_run))
        self._first_run = False
        self.set_first_run(False)
        self.password.clear()
        self.confirm.clear()
        self.signed_in.emit(signed.operator)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, AccountError):
            self.message.setText(str(error))
        else:
            self.message.setText(self.tr("Sign-in failed: {error}").format(error=error))
