"""The kiosk's own screens: attract, out of service, administrator, idle warning; and the
base every kiosk screen shares (heading, text, message line, big buttons, retranslation)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.kiosk.widgets import KeyPad, big_button, body_text, heading


class KioskScreen(QWidget):
    """Heading, explanation, a content area, a message line and a row of big buttons."""

    def __init__(self, name: str, parent: QWidget | None = None, *, step: int = 0) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.step = step  # this screen's step number in the visit (0: none)
        self.heading = heading(f"{name}Heading")
        self.text = body_text(f"{name}Text")
        self.message = body_text(f"{name}Message")
        self.message.setProperty("kioskRole", "message")
        self.content = QVBoxLayout()
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(24)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 8, 40, 12)
        layout.setSpacing(12)
        layout.addWidget(self.heading)
        layout.addWidget(self.text)
        layout.addLayout(self.content, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.buttons)

    def retranslate(self) -> None:
        """Set every text again (called on language change)."""

    def step_title(self, title: str) -> str:
        """The heading with the screen's step number, when it has one."""
        if not self.step:
            return title
        return QCoreApplication.translate("KioskScreen", "Step {n}: {title}").format(
            n=self.step, title=title)

    def release(self) -> None:
        """Stop what the screen runs (a camera picture) when it is left or deleted."""

    def show_message(self, text: str, kind: str = "error") -> None:
        self.message.setProperty("tone", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class AttractScreen(KioskScreen):
    """Waiting for the next person: what the terminal does, and where to start."""

    service_chosen = Signal(str)  # "individual" | "elicence"

    def __init__(self) -> None:
        super().__init__("kioskAttract")
        self.welcome = body_text("kioskWelcome")
        self.welcome.setProperty("kioskRole", "hero")
        self.register_button = big_button("startIndividual", primary=True)
        self.photo_button = big_button("startElicence")
        for button in (self.register_button, self.photo_button):
            button.setMinimumSize(520, 150)
            button.setProperty("kioskRole", "service")
        self.register_button.clicked.connect(lambda: self.service_chosen.emit("individual"))
        self.photo_button.clicked.connect(lambda: self.service_chosen.emit("elicence"))
        self.steps = body_text("kioskAttractSteps")
        self.content.addStretch(1)
        self.content.addWidget(self.welcome)
        self.content.addSpacing(24)
        for button in (self.register_button, self.photo_button):
            self.content.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
            self.content.addSpacing(12)
        self.content.addWidget(self.steps)
        self.content.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Traffic police self-service terminal"))
        self.text.setText(self.tr("12123 traffic service · Register on your own in a few minutes"))
        self.welcome.setText(self.tr("Welcome! Touch a button to begin."))
        self.register_button.setText(self.tr("Register for 12123\n(ID card and face check)"))
        self.photo_button.setText(self.tr("Take my e-licence photo"))
        self.steps.setText(self.tr(
            "Have your ID card ready. The terminal guides you step by step. "
            "If you stop, everything you entered is deleted after a short while."))


class OutOfServiceScreen(KioskScreen):
    """A needed device is missing: say so plainly; the kiosk comes back by itself."""

    def __init__(self) -> None:
        super().__init__("kioskOutOfService")
        self.symbol = body_text("outOfServiceSymbol")
        self.symbol.setText("⚠")
        self.reason = body_text("outOfServiceReason")
        self.detail = body_text("outOfServiceDetail")  # the driver's words, for the staff
        self.content.addStretch(1)
        self.content.addWidget(self.symbol)
        self.content.addWidget(self.reason)
        self.content.addWidget(self.detail)
        self.content.addStretch(2)
        self._reasons: list[tuple[str, str]] = []
        self.retranslate()

    def set_reasons(self, reasons: list[tuple[str, str]]) -> None:
        """(sentence for the public, technical detail for the staff) per failing device."""
        self._reasons = reasons
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sorry, this terminal is temporarily out of service"))
        self.text.setText(self.tr(
            "Please go to a service window, where a staff member will help you. "
            "The terminal starts again by itself as soon as the problem is fixed."))
        self.reason.setText("\n".join(reason for reason, _detail in self._reasons))
        details = [detail for _reason, detail in self._reasons if detail]
        self.detail.setText(self.tr("For staff: {detail}").format(detail="; ".join(details))
                            if details else "")


class AdminScreen(KioskScreen):
    """The administrator's way out: password on the on-screen keyboard, then exit or resume."""

    password_entered = Signal(str)
    resume_requested = Signal()
    exit_requested = Signal()

    def __init__(self) -> None:
        super().__init__("kioskAdmin")
        self.password = QLineEdit()
        self.password.setObjectName("adminPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setReadOnly(True)  # typed on the keypad only
        self.password.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password.setMinimumHeight(72)
        self.keypad = KeyPad(letters=True, max_length=64)
        self.keypad.typed.connect(self.password.setText)
        self.unlock_button = big_button("adminUnlock", primary=True)
        self.back_button = big_button("adminBack")
        self.exit_button = big_button("adminExit", primary=True)
        self.exit_button.setVisible(False)
        self.unlock_button.clicked.connect(lambda: self.password_entered.emit(self.keypad.text))
        self.back_button.clicked.connect(self.resume_requested.emit)
        self.exit_button.clicked.connect(self.exit_requested.emit)
        self.content.addWidget(self.password)
        self.content.addWidget(self.keypad)
        self.buttons.addWidget(self.back_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.exit_button)
        self.buttons.addWidget(self.unlock_button)
        self.retranslate()

    def reset(self) -> None:
        self.keypad.clear()
        self.message.clear()
        self.exit_button.setVisible(False)
        self.unlock_button.setVisible(True)
        self.password.setVisible(True)
        self.keypad.setVisible(True)
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)

    def show_unlocked(self, who: str) -> None:
        self.keypad.clear()
        self.password.setVisible(False)
        self.keypad.setVisible(False)
        self.unlock_button.setVisible(False)
        self.exit_button.setVisible(True)
        self.show_message(self.tr("Signed in as {name}.").format(name=who), "ok")

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Staff only"))
        self.text.setText(self.tr("Enter the password of a station administrator."))
        self.unlock_button.setText(self.tr("Confirm"))
        self.back_button.setText(self.tr("Back to the terminal"))
        self.exit_button.setText(self.tr("Exit kiosk mode"))


class IdleWarning(QWidget):
    """Shown over the flow when nobody has touched the screen for a while; counts down,
    then ``expired``. A touch anywhere (or the button) means the person is still there."""

    still_here = Signal()
    expired = Signal()

    def __init__(self, seconds: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskIdleWarning")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.seconds = seconds
        self.remaining = seconds
        panel = QWidget()
        panel.setObjectName("kioskIdlePanel")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.title = heading("idleTitle")
        self.countdown = QLabel()
        self.countdown.setObjectName("idleCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explain = body_text("idleExplain")
        self.continue_button = big_button("idleContinue", primary=True)
        self.continue_button.clicked.connect(self._touched)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(48, 36, 48, 36)
        inner.addWidget(self.title)
        inner.addWidget(self.countdown)
        inner.addWidget(self.explain)
        inner.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignHCenter)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.hide()
        self.retranslate()

    def begin(self) -> None:
        self.remaining = self.seconds
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.retranslate()
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self.hide()

    @property
    def counting(self) -> bool:
        return self._timer.isActive()

    def _tick(self) -> None:
        self.remaining -= 1
        if self.remaining <= 0:
            self.cancel()
            self.expired.emit()
        else:
            self.retranslate()

    def _touched(self) -> None:
        self.cancel()
        self.still_here.emit()

    def mousePressEvent(self, event: object) -> None:
        self._touched()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Are you still there?"))
        self.countdown.setText(str(max(0, self.remaining)))
        self.explain.setText(self.tr(
            "For your privacy, everything you entered will be deleted in {n} seconds. "
            "Touch the screen to continue.").format(n=max(0, self.remaining)))
        self.continue_button.setText(self.tr("I am still here"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
