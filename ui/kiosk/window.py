"""The kiosk shell: full screen, no window controls, one person at a time.

Wiring (ui/app.py, when ``settings.kiosk``)::

    from ui.kiosk.window import KioskWindow
    window = KioskWindow(runtime)
    window.showFullScreen()

The only way out is the administrator: five taps within three seconds in the top-right
corner open a password pad; the password of an active administrator is accepted
(station.signin.OperatorAccounts.unlock_kiosk on a worker thread: a local administrator, or
at an enrolled station an administrator of the central service, checked there), then
"Exit kiosk mode" closes the window. Refusals are audited; after
``security.max_failed_logins`` refusals the pad is locked for ``security.lockout_minutes``.
So a terminal without such an administrator first asks for one (ui/kiosk/setup.py) and
serves nobody until it has one.

Idle: after ``ui.idle_lock_minutes`` without a touch during a visit a warning counts down
``warning_seconds``; then the visit is wiped (unfinished case cancelled, its widgets deleted)
and the attract screen returns in the default language.

Health: the ID-card reader and the camera are needed (signatures can be written on the
touch screen). If one is absent or failing the kiosk shows an out-of-service screen with the
reason and returns by itself when every needed device is ready again.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from station import audit, operators
from station.events import DeviceState, DeviceStatus, DeviceStatusEvent
from station.i18n import current_language
from station.liveness.engine import EngineFactory
from station.workflows import cases
from station.workflows.visit import ACTOR
from ui.event_bridge import EventBridge
from ui.i18n import install_language
from ui.kiosk.screens import AdminScreen, AttractScreen, IdleWarning, OutOfServiceScreen
from ui.kiosk.session import KioskSession
from ui.kiosk.setup import KioskSetupScreen
from ui.kiosk.widgets import CornerHotspot
from ui.lock import IdleMonitor
from ui.operations import DbOp
from ui.workers import run_async

log = logging.getLogger(__name__)

STYLE_SHEET = Path(__file__).resolve().parents[2] / "resources" / "styles" / "kiosk.qss"
NEEDED_DEVICES = ("idcard", "camera")
_BAD_STATES = (DeviceState.ABSENT, DeviceState.ERROR, DeviceState.DISABLED)
_GOOD_STATES = (DeviceState.READY, DeviceState.BUSY)


def device_problem(status: DeviceStatus) -> tuple[str, str]:
    """A sentence for the out-of-service screen, and the driver's detail for the staff."""
    translate = QCoreApplication.translate
    names = {
        "idcard": translate("KioskWindow", "The ID card reader"),
        "camera": translate("KioskWindow", "The camera"),
        "sigpad": translate("KioskWindow", "The signature pad"),
    }
    name = names.get(status.kind, status.kind)
    if status.state == DeviceState.ABSENT:
        text = translate("KioskWindow", "{device} is not connected.")
    elif status.state == DeviceState.DISABLED:
        text = translate("KioskWindow", "{device} is not set up on this terminal.")
    else:
        text = translate("KioskWindow", "{device} reports a fault.")
    return text.format(device=name), status.detail


class KioskWindow(QWidget):
    """The whole self-service terminal; see the module docstring for its rules."""

    exited = Signal()  # an administrator left kiosk mode

    def __init__(self, runtime: Any, *, liveness_factory: EngineFactory | None = None,
                 idle_timeout_ms: int | None = None, warning_seconds: int = 20,
                 needed_devices: tuple[str, ...] = NEEDED_DEVICES,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.runtime = runtime
        self.default_language = runtime.settings.ui.language
        self.needed_devices = needed_devices
        # a stand-in for the real liveness engine (tests; a simulated person in demo mode,
        # registered by the composition root as runtime.extras["liveness_factory"])
        self._liveness_factory = liveness_factory or runtime.extras.get("liveness_factory")
        self._may_close = False
        self._statuses: dict[str, DeviceStatus] = {}
        self.out_of_service = False
        self.session: KioskSession | None = None
        self._admin_failures = 0
        self.admin_open = False
        if STYLE_SHEET.exists():
            self.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))

        self.zh_button = self._language_button("languageZh", "中文", "zh_CN")
        self.en_button = self._language_button("languageEn", "English", "en")
        top = QHBoxLayout()
        top.setContentsMargins(24, 8, 24, 0)  # every pixel of 768 counts on the screens below
        top.addWidget(self.zh_button)
        top.addWidget(self.en_button)
        top.addStretch(1)
        self.attract = AttractScreen()
        self.attract.service_chosen.connect(self.start_session)
        self.out_of_service_screen = OutOfServiceScreen()
        self.admin = AdminScreen()
        self.admin.password_entered.connect(self._check_admin_password)
        self.admin.resume_requested.connect(self._leave_admin)
        self.admin.exit_requested.connect(self._exit)
        # quick local reads, as the counter's login does: no administrator, no kiosk mode
        accounts = runtime.accounts
        self.needs_admin = not accounts.kiosk_admin_ready()
        self.setup = KioskSetupScreen(central=accounts.central_mode())
        self.setup.submitted.connect(self._set_up_admin)
        self.stack = QStackedWidget()
        for screen in (self.attract, self.out_of_service_screen, self.admin, self.setup):
            self.stack.addWidget(screen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)

        self.warning = IdleWarning(warning_seconds, self)
        self.warning.expired.connect(lambda: self.end_session("idle"))
        self.warning.still_here.connect(self._restart_idle)
        minutes = runtime.settings.ui.idle_lock_minutes
        self.idle = IdleMonitor(idle_timeout_ms or int(minutes * 60_000), self)
        self.idle.idle.connect(self._on_idle)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.hotspot = CornerHotspot(self)
        self.hotspot.triggered.connect(self.open_admin)

        code = runtime.settings.station.code
        DbOp(runtime.db, lambda s: cases.cancel_abandoned_visits(s, code, ACTOR)).run()
        bridge = EventBridge.for_bus(runtime.bus)
        self._off = bridge.on(DeviceStatusEvent, lambda e: self._device_status(e.status))
        for status in runtime.devices.statuses().values():
            self._statuses[status.kind] = status
        self._update_service()
        if self.needs_admin:
            self.stack.setCurrentWidget(self.setup)
        self._mark_language()

    # -- shell ---------------------------------------------------------------------------------

    def _language_button(self, name: str, text: str, language: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setProperty("kioskRole", "language")
        button.setCheckable(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.setMinimumWidth(150)  # its height: kiosk.qss (56 px)
        button.clicked.connect(lambda: self.set_language(language))
        return button

    def set_language(self, language: str) -> None:
        if language != current_language():
            install_language(language)  # every widget gets LanguageChange and retranslates
        self._mark_language()

    def _mark_language(self) -> None:
        self.zh_button.setChecked(current_language() == "zh_CN")
        self.en_button.setChecked(current_language() == "en")

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.hotspot.place()
        if self.warning.isVisible():
            self.warning.setGeometry(self.rect())

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.hotspot.place()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()  # no way out but the administrator's
            return
        self._shutdown()
        super().closeEvent(event)

    def keyPressEvent(self, event: Any) -> None:
        event.accept()  # no keyboard shortcuts on a public terminal

    def _shutdown(self) -> None:
        self.end_session("shutdown", show_start=False)
        self._off()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.idle.stop()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._mark_language()
            self.out_of_service_screen.set_reasons(self._problems())
        super().changeEvent(event)

    # -- visits --------------------------------------------------------------------------------

    def start_session(self, service: str) -> KioskSession | None:
        if self.out_of_service or self.session is not None or self.needs_admin:
            return None
        session = KioskSession(self.runtime, service, liveness_factory=self._liveness_factory)
        session.finished.connect(lambda: self.end_session("finished"))
        self.session = session
        self.stack.addWidget(session)
        self.stack.setCurrentWidget(session)
        session.start()
        self.idle.start()
        log.info("kiosk visit started: %s", service)
        return session

    def end_session(self, reason: str, *, show_start: bool = True) -> None:
        """Wipe the visit: cancel an unfinished case, delete every widget that showed the
        person's data, forget the language they chose."""
        self.warning.cancel()
        session, self.session = self.session, None
        if session is not None:
            session.abandon()
            self.stack.removeWidget(session)
            session.setParent(None)
            session.deleteLater()
            log.info("kiosk visit ended (%s)", reason)
        self.idle.stop()
        if current_language() != self.default_language:
            install_language(self.default_language)
        self._mark_language()
        if show_start:
            self._show_home()

    def _show_home(self) -> None:
        if self.needs_admin:
            self.stack.setCurrentWidget(self.setup)
            return
        self.stack.setCurrentWidget(self.out_of_service_screen if self.out_of_service
                                    else self.attract)

    def _on_idle(self) -> None:
        if self.session is not None:
            self.warning.begin()
        elif self.admin_open:
            self._leave_admin()

    def _restart_idle(self) -> None:
        if self.session is not None:
            self.idle.start()

    # -- health --------------------------------------------------------------------------------

    def _device_status(self, status: DeviceStatus) -> None:
        self._statuses[status.kind] = status
        self._update_service()

    def _problems(self) -> list[tuple[str, str]]:
        return [device_problem(self._statuses[kind]) for kind in self.needed_devices
                if kind in self._statuses and self._statuses[kind].state in _BAD_STATES]

    def _update_service(self) -> None:
        problems = self._problems()
        if problems and not self.out_of_service:
            self.out_of_service = True
            log.warning("kiosk out of service: %s", problems)
            if self.session is not None:
                self.end_session("device failure", show_start=False)
            self.out_of_service_screen.set_reasons(problems)
            if not self.admin_open and not self.needs_admin:
                self.stack.setCurrentWidget(self.out_of_service_screen)
        elif self.out_of_service:
            self.out_of_service_screen.set_reasons(problems)
            ready = all(self._statuses.get(kind) is None
                        or self._statuses[kind].state in _GOOD_STATES
                        for kind in self.needed_devices)
            if ready:
                self.out_of_service = False
                log.info("kiosk back in service")
                if not self.admin_open and not self.needs_admin:
                    self.stack.setCurrentWidget(self.attract)

    # -- administrator -------------------------------------------------------------------------

    def open_admin(self) -> None:
        if self.needs_admin:
            return  # the setup screen is showing: there is nobody to sign in yet
        self.end_session("administrator", show_start=False)
        self.admin.reset()
        self.admin_open = True
        self.stack.setCurrentWidget(self.admin)
        self.idle.start()  # an abandoned password pad closes by itself

    def _leave_admin(self) -> None:
        self.admin_open = False
        self.admin.reset()
        self.idle.stop()
        self._show_home()

    def _check_admin_password(self, password: str) -> None:
        security = self.runtime.settings.security
        if self._admin_failures >= security.max_failed_logins:
            return
        self.admin.set_busy(True)
        accounts = self.runtime.accounts
        run_async(lambda: accounts.unlock_kiosk(password, ACTOR), self._admin_ok,
                  self._admin_refused)

    # -- first start: the administrator --------------------------------------------------------

    def _set_up_admin(self, username: str, display_name: str, password: str) -> None:
        accounts, runtime, central = self.runtime.accounts, self.runtime, self.setup.central
        self.setup.set_busy(True)

        def work() -> operators.OperatorInfo:
            if central:  # checked at the central service, remembered here
                return accounts.adopt_kiosk_admin(username, password)
            info = accounts.create_kiosk_admin(username, display_name, password, ACTOR)
            runtime.operators_changed()  # the demo's embedded service gets the account
            return info

        run_async(work, self._admin_set_up, self._admin_not_set_up)

    def _admin_set_up(self, info: operators.OperatorInfo) -> None:
        self.setup.set_busy(False)
        self.setup.clear_secrets()
        self.needs_admin = False
        log.info("kiosk administrator ready: %s", info.username)
        self._show_home()

    def _admin_not_set_up(self, error: BaseException) -> None:
        self.setup.set_busy(False)
        self.setup.clear_secrets()
        self.setup.show_message(str(error) if isinstance(error, operators.AccountError)
                                else self.tr("The administrator could not be set up: {error}")
                                .format(error=error))

    def _admin_ok(self, info: operators.OperatorInfo) -> None:
        self._admin_failures = 0
        self.admin.set_busy(False)
        self.admin.show_unlocked(info.display_name)
        DbOp(self.runtime.db,
             lambda s: audit.record(s, info.username, "kiosk.admin_unlocked")).run()

    def _admin_refused(self, error: BaseException) -> None:
        self._admin_failures += 1
        self.admin.set_busy(False)
        self.admin.keypad.clear()
        security = self.runtime.settings.security
        if self._admin_failures >= security.max_failed_logins:
            self.admin.unlock_button.setEnabled(False)
            self.admin.show_message(self.tr(
                "Too many wrong passwords. The pad is locked for {n} minutes.").format(
                    n=f"{security.lockout_minutes:g}"))
            QTimer.singleShot(int(security.lockout_minutes * 60_000), self._unlock_pad)
        else:
            self.admin.show_message(str(error) if isinstance(error, operators.AccountError)
                                    else self.tr("The password could not be checked."))

    def _unlock_pad(self) -> None:
        self._admin_failures = 0
        self.admin.unlock_button.setEnabled(True)

    def _exit(self) -> None:
        self._may_close = True
        self.exited.emit()
        self.close()
