"""The kiosk's first start: nobody can leave kiosk mode without an administrator, so a
terminal without one asks for one before it serves anyone (station.signin: a local
administrator created here under the password policy, or, at an enrolled station, an
administrator of the central service signing in once)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton

from ui.kiosk.screens import KioskScreen
from ui.kiosk.widgets import KeyPad, big_button

SETUP_KEY_PX = 52  # lower keys than the pad's: the form and the keys fit 1366 x 768


class KioskSetupScreen(KioskScreen):
    """Emits ``submitted(username, display_name, password)`` once the two passwords agree
    (only one password at an enrolled station: the central service checks it)."""

    submitted = Signal(str, str, str)

    def __init__(self, central: bool) -> None:
        super().__init__("kioskSetup")
        self.central = central
        self.username = self._field("setupUsername")
        self.display_name = self._field("setupDisplayName")
        self.password = self._field("setupPassword", secret=True)
        self.confirm = self._field("setupConfirm", secret=True)
        # two fields a row: with the keypad it fits a 1366 x 768 screen
        self.form = QGridLayout()
        self.labels: dict[QLineEdit, QLabel] = {}
        for index, field in enumerate((self.username, self.display_name, self.password,
                                       self.confirm)):
            label = QLabel()
            self.labels[field] = label
            row, column = divmod(index, 2)
            self.form.addWidget(label, row, 2 * column)
            self.form.addWidget(field, row, 2 * column + 1)
        for field in (self.display_name, self.confirm):
            field.setVisible(not central)
            self.labels[field].setVisible(not central)
        self.keypad = KeyPad(letters=True, max_length=64)
        for key in self.keypad.findChildren(QPushButton):
            key.setMinimumHeight(SETUP_KEY_PX)
        self.keypad.typed.connect(lambda text: self.target.setText(text))
        self.target = self.username  # the field the on-screen keys type into
        self.content.addLayout(self.form)
        self.content.addWidget(self.keypad)
        self.create_button = big_button("setupCreate", primary=True)
        self.create_button.clicked.connect(self._submit)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.create_button)
        self.retranslate()

    def _field(self, name: str, secret: bool = False) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setMinimumHeight(40)
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
        field.installEventFilter(self)
        return field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # touching a field makes it the one the on-screen keys type into (a keyboard works too)
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.choose(watched)
        return super().eventFilter(watched, event)

    def choose(self, field: QLineEdit) -> None:
        text = field.text()  # the keypad carries on from what the field holds
        self.target = field
        self.keypad.clear()
        self.keypad.type_text(text)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("First start: the terminal's administrator"))
        if self.central:
            self.text.setText(self.tr(
                "Only an administrator can leave kiosk mode. An administrator of the central "
                "service signs in here once before the terminal serves anyone."))
            self.create_button.setText(self.tr("Sign in"))
        else:
            self.text.setText(self.tr(
                "Only an administrator can leave kiosk mode. Create the administrator account "
                "before the terminal serves anyone."))
            self.create_button.setText(self.tr("Create administrator"))
        for field, text in ((self.username, self.tr("User name")),
                            (self.display_name, self.tr("Full name")),
                            (self.password, self.tr("Password")),
                            (self.confirm, self.tr("Confirm password"))):
            self.labels[field].setText(text)

    def set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)

    def _submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.show_message(self.tr("Enter the user name and the password."))
            return
        if not self.central and password != self.confirm.text():
            self.show_message(self.tr("The two passwords differ."))
            return
        self.message.clear()
        self.submitted.emit(username, self.display_name.text().strip() or username, password)

    def clear_secrets(self) -> None:
        for field in (self.password, self.confirm):
            field.clear()
        self.choose(self.password)  # the keypad forgets what it typed
