"""The station's window: login, the role's workspace, the lock screen, the device status bar."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station.events import DeviceStatusEvent, OperatorsRevoked, SyncStatusChanged
from station.operators import OperatorInfo
from ui.event_bridge import EventBridge
from ui.labels import role_label
from ui.lock import IdleMonitor, LockScreen
from ui.login import LoginScreen
from ui.pages.registry import PageSpec, pages_for
from ui.screen_room import within_screen
from ui.status_bar import DeviceStatusBar
from ui.workers import run_async

log = logging.getLogger(__name__)


class Workspace(QWidget):
    """Navigation on the left, the chosen page on the right; pages are built on first visit."""

    def __init__(self, runtime: StationRuntime, operator: OperatorInfo, bridge: EventBridge) -> None:
        super().__init__()
        self.runtime, self.operator, self.bridge = runtime, operator, bridge
        self.who = QLabel()
        self.who.setObjectName("operatorLabel")
        self.lock_button = QPushButton()
        self.lock_button.setObjectName("lockButton")
        self.sign_out_button = QPushButton()
        self.sign_out_button.setObjectName("signOutButton")
        self.returned_notice = QPushButton()  # a case came back returned: open the case list
        self.returned_notice.setObjectName("returnedNoticeButton")
        self.returned_notice.setStyleSheet("background: #fff8e1; color: #8a5300;")
        self.returned_notice.setVisible(False)
        self.returned_notice.clicked.connect(self._open_returned)
        header = QHBoxLayout()
        header.addWidget(self.who)
        header.addStretch(1)
        header.addWidget(self.returned_notice)
        header.addWidget(self.lock_button)
        header.addWidget(self.sign_out_button)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(220)
        self.pages = QStackedWidget()
        self.specs: list[PageSpec] = pages_for(operator.role)
        self._built: dict[str, QWidget] = {}
        for spec in self.specs:
            item = QListWidgetItem(spec.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)

        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addLayout(body, 1)
        self.retranslate()
        if any(spec.key == "cases" for spec in self.specs):
            from ui.pages.cases import ReturnedWatcher

            self.watcher = ReturnedWatcher(runtime, self)
            self.watcher.returned.connect(self._show_returned)
        if self.specs:
            self.nav.setCurrentRow(0)

    def _show_returned(self, text: str) -> None:
        self.returned_notice.setText("⚠ " + text)
        self.returned_notice.setVisible(True)

    def _open_returned(self) -> None:
        self.returned_notice.setVisible(False)
        page = self.open_page("cases")
        chooser = getattr(page, "filter", None)
        if chooser is not None:  # straight to the returned cases
            chooser.setCurrentIndex(max(0, chooser.findData("returned")))
            page.refresh()  # type: ignore[attr-defined]

    def page(self, key: str) -> QWidget | None:
        return self._built.get(key)

    def open_page(self, key: str) -> QWidget:
        for row, spec in enumerate(self.specs):
            if spec.key == key:
                self.nav.setCurrentRow(row)
                return self._built[key]
        raise KeyError(key)

    def resubmit(self, case_id: str) -> None:
        """A returned case is completed as a new registration on the registration page."""
        self.open_page("registration").resubmit(case_id)  # type: ignore[attr-defined]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        widget = self._built.get(spec.key)
        if widget is None:
            widget = spec.factory(self.runtime, self.operator)
            widget.setObjectName(f"page_{spec.key}")
            self._built[spec.key] = widget
            self.pages.addWidget(widget)
            on_status = getattr(widget, "on_status", None)
            if callable(on_status):  # until the page goes (signing out deletes it)
                off = self.bridge.on(DeviceStatusEvent, on_status)
                widget.destroyed.connect(lambda *_args, off=off: off())
            resubmit = getattr(widget, "resubmit_requested", None)
            if resubmit is not None:
                can_register = any(s.key == "registration" for s in self.specs)
                widget.set_resubmit_available(can_register)  # type: ignore[attr-defined]
                resubmit.connect(self.resubmit)
        self.pages.setCurrentWidget(widget)

    def retranslate(self) -> None:
        self.who.setText(self.tr("{name} · {role} · station {station}").format(
            name=self.operator.display_name, role=role_label(self.operator.role),
            station=self.runtime.settings.station.code,
        ))
        self.lock_button.setText(self.tr("Lock"))
        self.sign_out_button.setText(self.tr("Sign out"))
        for row, spec in enumerate(self.specs):
            self.nav.item(row).setText(spec.title())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


PREFERRED_SIZE = QSize(1280, 800)
SYNC_LABEL_MAX_PX = 280  # five devices' states and this fit 1366 px


class MainWindow(QMainWindow):
    def __init__(self, runtime: StationRuntime) -> None:
        super().__init__()
        self.runtime = runtime
        self.operator: OperatorInfo | None = None
        self.bridge = EventBridge.for_bus(runtime.bus)
        self.bridge.setParent(self)
        self.stack = QStackedWidget()
        self.login = LoginScreen(runtime)
        self.login.signed_in.connect(self._signed_in)
        self.lock_screen = LockScreen(runtime)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.sign_out_requested.connect(self.sign_out)
        self.workspace: Workspace | None = None
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

        self.device_bar = DeviceStatusBar()
        self.statusBar().addWidget(self.device_bar, 1)
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncLabel")
        self.sync_label.setMaximumWidth(SYNC_LABEL_MAX_PX)

        self.statusBar().addPermanentWidget(self.sync_label)
        for status in runtime.devices.statuses().values():
            self.device_bar.set_status(status)
        self.bridge.on(DeviceStatusEvent, lambda e: self.device_bar.set_status(e.status))
        self.bridge.on(SyncStatusChanged, self._sync_changed)
        self.bridge.on(OperatorsRevoked, self._operators_revoked)

        minutes = runtime.settings.ui.idle_lock_minutes
        self.idle = IdleMonitor(int(minutes * 60_000), self)
        self.idle.idle.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.resize(within_screen(self, PREFERRED_SIZE))  # the status bar stays on screen
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Counter Station — 12123 in-person registration"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _sync_changed(self, event: SyncStatusChanged) -> None:
        counts = self.tr("To sync: {pending} · failed: {failed}").format(
            pending=event.pending, failed=event.failed)
        # not enrolled, disabled or credential refused: say why next to the counts; a long
        # reason is cut short on the one-line bar (in full in the tooltip) rather than
        # pushing the device states off a 1366-pixel screen
        text = f"{event.detail} · {counts}" if event.link else counts
        room = SYNC_LABEL_MAX_PX - 16
        short = self.sync_label.fontMetrics().elidedText(
            event.detail, Qt.TextElideMode.ElideRight,
            room - self.sync_label.fontMetrics().horizontalAdvance(f" · {counts}"))
        self.sync_label.setText(f"{short} · {counts}" if event.link else counts)
        self.sync_label.setToolTip(text)
        self.sync_label.setStyleSheet("color: #c62828;" if event.link in
                                      ("disabled", "refused") else "")

    def _operators_revoked(self, event: OperatorsRevoked) -> None:
        """The central administrator disabled the signed-in operator: the session ends."""
        if self.operator is not None and self.operator.username in event.usernames:
            log.warning("operator disabled centrally; signed out",
                        extra={"operator": self.operator.username})
            self.sign_out()
            self.login.message.setText(self.tr(
                "Your account has been disabled at the central service; you are signed out."))

    def _signed_in(self, operator: OperatorInfo) -> None:
        self.operator = operator
        if self.workspace is not None:
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
        self.workspace = Workspace(self.runtime, operator, self.bridge)
        self.workspace.lock_button.clicked.connect(self.lock)
        self.workspace.sign_out_button.clicked.connect(self.sign_out)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.idle.start()
        log.info("operator signed in", extra={"operator": operator.username})

    def lock(self) -> None:
        if self.operator is None or self.stack.currentWidget() is self.lock_screen:
            return
        self.idle.stop()
        self.lock_screen.lock_for(self.operator)
        self.stack.setCurrentWidget(self.lock_screen)

    def _unlocked(self) -> None:
        if self.workspace is not None:
            self.stack.setCurrentWidget(self.workspace)
            self.idle.start()

    def sign_out(self) -> None:
        self.idle.stop()
        session = self.runtime.extras.get("central_session")
        if session is not None:
            run_async(session.sign_out)
        self.operator = None
        if self.workspace is not None:
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
        self.login.reset()
        self.stack.setCurrentWidget(self.login)

    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.idle)
        self.bridge.close()
        super().closeEvent(event)
