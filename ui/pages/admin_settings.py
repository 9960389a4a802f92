"""Administrator page: the link to the central service (address, enrolment, connection test)
and the settings in force (read-only; they come from the TOML file)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station.enrolment import EnrolmentRefused, EnrolmentResult, LinkProbe
from station.operators import OperatorInfo
from station.sync.client import CentralError
from station.sync.connection import CentralAddressError
from ui.workers import run_async

OK_STYLE, ERROR_STYLE = "color: #2e7d32;", "color: #c62828;"


class CentralLinkBox(QGroupBox):
    """Central URL, one-time enrolment code, Test connection and Enrol; every call to the
    service runs on a worker thread and its outcome is shown under the buttons."""

    def __init__(self, runtime: StationRuntime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self._status: dict[str, Any] = {}
        self._busy = False
        self.state = QLabel()
        self.state.setObjectName("centralState")
        self.state.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setObjectName("centralUrl")
        self.url.setPlaceholderText("https://central.example.gov.cn")
        self.url.setText(runtime.settings.central.url or "")
        self.code = QLineEdit()
        self.code.setObjectName("enrolmentCode")
        self.code.setPlaceholderText("ABCD-EFGH-JKLM-NPQR")
        self.test_button = QPushButton()
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrolStation")
        self.enrol_button.clicked.connect(self.enrol)
        self.code.returnPressed.connect(self.enrol)
        self.result = QLabel()
        self.result.setObjectName("centralResult")
        self.result.setWordWrap(True)
        self.form = QFormLayout(self)
        self.form.addRow(self.state)
        self.form.addRow(QLabel(), self.url)
        self.form.addRow(QLabel(), self.code)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.enrol_button)
        buttons.addStretch(1)
        self.form.addRow(buttons)
        self.form.addRow(self.result)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Central service"))
        for widget, text in ((self.url, self.tr("Central service address")),
                             (self.code, self.tr("Enrolment code"))):
            label = self.form.labelForField(widget)
            if isinstance(label, QLabel):
                label.setText(text)
        self.test_button.setText(self.tr("Test connection"))
        self.enrol_button.setText(self.tr("Enrol station"))
        self._show_status()

    def refresh(self) -> None:
        run_async(self.runtime.link_status, self._status_loaded)

    def _status_loaded(self, status: dict[str, Any]) -> None:
        self._status = status
        # the address the station enrolled with is the one its credential is valid for
        if status.get("central_url") and (status.get("enrolled") or not self.url.text().strip()):
            self.url.setText(status["central_url"])
        self._show_status()

    def _show_status(self) -> None:
        status = self._status
        if not status:
            self.state.clear()
            return
        station = status["station_code"]
        if status.get("embedded"):
            text = self.tr("Station {station} uses the demo's embedded central service.")
        elif status.get("credential") == "disabled":
            text = self.tr("Station {station} is enrolled, but the central service has "
                           "disabled it.")
        elif status.get("credential") == "refused":
            text = self.tr("Station {station}: the central service no longer accepts its "
                           "credential. Enrol it again with a new code.")
        elif status.get("enrolled"):
            text = self.tr("Station {station} is enrolled with {url} (since {since}); last "
                           "sync: {last}.")
        else:
            text = self.tr("Station {station} is not enrolled yet: enter the central service "
                           "address and the one-time code from its administrator.")
        self.state.setText(text.format(
            station=station, url=status.get("central_url") or "",
            since=(status.get("enrolled_at") or "")[:16].replace("T", " "),
            last=(status.get("last_sync") or self.tr("not yet"))[:19].replace("T", " ")))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.test_button.setEnabled(not busy)
        self.enrol_button.setEnabled(not busy)

    def _say(self, text: str, ok: bool) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(text)

    def test_connection(self) -> None:
        if self._busy:
            return
        url = self.url.text().strip() or None
        self._set_busy(True)
        self._say(self.tr("Connecting…"), True)
        run_async(lambda: self.runtime.probe_central(url), self._tested, self._failed)

    def _tested(self, probe: LinkProbe) -> None:
        self._set_busy(False)
        if probe.central != "reachable":
            self._say(self.tr("The central service cannot be reached: {detail}").format(
                detail=probe.detail), False)
        elif probe.credential == "active":
            self._say(self.tr("Connected. The central service accepts this station."), True)
        elif probe.credential in ("disabled", "refused"):
            self._say(self.tr("Connected, but the central service refuses this station: "
                              "{detail}").format(detail=probe.detail), False)
        else:
            self._say(self.tr("Connected. The central service answers; this station is not "
                              "enrolled there yet."), True)

    def enrol(self) -> None:
        if self._busy:
            return
        url, code = self.url.text().strip(), self.code.text().strip()
        if not code:
            self._say(self.tr("Enter the one-time enrolment code."), False)
            return
        self._set_busy(True)
        self._say(self.tr("Enrolling…"), True)
        run_async(lambda: self.runtime.enrol(code, url or None), self._enrolled, self._failed)

    def _enrolled(self, result: EnrolmentResult) -> None:
        self._set_busy(False)
        self.code.clear()
        self._say(self.tr("Station {station} is enrolled with {url}. Sync starts now.").format(
            station=result.station_code, url=result.central_url), True)
        self.refresh()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, CentralError):
            text = error.message
        elif isinstance(error, EnrolmentRefused | CentralAddressError):
            text = str(error)
        else:
            text = self.tr("Unexpected error: {error}").format(error=error)
        self._say(text, False)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class SettingsPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.central = CentralLinkBox(runtime)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.view = QPlainTextEdit()
        self.view.setObjectName("settingsView")
        self.view.setReadOnly(True)
        data = runtime.settings.model_dump(mode="json")
        if data.get("central", {}).get("url"):
            data["central"]["url"] = data["central"]["url"].split("@")[-1]  # no credentials
        self.view.setPlainText(json.dumps(data, ensure_ascii=False, indent=2))
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.central)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Station settings"))
        self.hint.setText(self.tr(
            "Settings come from the TOML file given with --config and from STATION__SECTION__KEY "
            "environment variables. Change them there and restart the station."
        ))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
