"""Session lock: an idle timer over all user input, and the screen that unlocks it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from app.runtime import StationRuntime
from station.operators import AccountError, OperatorInfo
from station.signin import SignedIn
from ui.central_link import central_session
from ui.workers import run_async

_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
}


class IdleMonitor(QObject):
    """Emits ``idle`` after ``timeout_ms`` without keyboard, mouse, touch or pen input."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1000, timeout_ms))
        self._timer.timeout.connect(self.idle.emit)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False


class LockScreen(QWidget):
    """Shown over the workspace when the session locks; the same operator unlocks it."""

    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(self, runtime: StationRuntime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._operator: OperatorInfo | None = None
        self.heading = QLabel()
        self.heading.setObjectName("lockHeading")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password = QLineEdit()
        self.password.setObjectName("unlockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaximumWidth(320)
        self.password.returnPressed.connect(self._unlock)
        self.message = QLabel()
        self.message.setObjectName("lockMessage")
        self.message.setStyleSheet("color: #c62828;")
        self.unlock_button = QPushButton()
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.clicked.connect(self._unlock)
        self.sign_out = QPushButton()
        self.sign_out.setObjectName("lockSignOut")
        self.sign_out.clicked.connect(self.sign_out_requested.emit)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.heading, self.password, self.message, self.unlock_button, self.sign_out):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslate()

    def lock_for(self, operator: OperatorInfo) -> None:
        self._operator = operator
        self.password.clear()
        self.message.clear()
        self.retranslate()
        self.password.setFocus()

    def retranslate(self) -> None:
        name = self._operator.display_name if self._operator else ""
        self.heading.setText(self.tr("Locked. {name}, enter your password to continue.").format(name=name))
        self.unlock_button.setText(self.tr("Unlock"))
        self.sign_out.setText(self.tr("Sign out"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _unlock(self) -> None:
        if self._operator is None:
            return
        runtime, username, password = self._runtime, self._operator.username, self.password.text()
        self.unlock_button.setEnabled(False)

        # the same check as signing in: an enrolled station asks the central service again
        run_async(lambda: runtime.accounts.sign_in(username, password), self._ok, self._refused)

    def _ok(self, signed: SignedIn) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        if signed.token:  # the review pages carry on with the fresh token
            central_session(self._runtime).adopt(signed.operator.username, signed.token)
        self.unlocked.emit()

    def _refused(self, error: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.message.setText(str(error) if isinstance(error, AccountError) else repr(error))
