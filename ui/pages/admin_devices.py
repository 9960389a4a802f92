"""Administrator page: each device's state, and the serial ports found on this machine."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from serial.tools import list_ports

from app.runtime import StationRuntime
from station.events import DeviceStatus, DeviceStatusEvent
from station.operators import OperatorInfo
from ui.status_bar import DeviceIndicator
from ui.workers import run_async


class DevicesPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self._runtime = runtime
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("devicesTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.ports_heading = QLabel()
        self.ports = QListWidget()
        self.ports.setObjectName("serialPorts")
        self.rescan = QPushButton()
        self.rescan.clicked.connect(self.scan_ports)
        layout = QVBoxLayout(self)
        for widget in (self.heading, self.table, self.ports_heading, self.ports, self.rescan):
            layout.addWidget(widget)
        self._indicators: dict[str, DeviceIndicator] = {}
        self.retranslate()
        self.show_statuses(list(runtime.devices.statuses().values()))
        self.scan_ports()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Devices"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Device"), self.tr("State"), self.tr("Port or source"), self.tr("Detail")]
        )
        self.ports_heading.setText(self.tr("Serial ports on this machine"))
        self.rescan.setText(self.tr("Scan again"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def on_status(self, event: DeviceStatusEvent) -> None:
        statuses = {s.kind: s for s in self._runtime.devices.statuses().values()}
        statuses[event.status.kind] = event.status
        self.show_statuses(list(statuses.values()))

    def show_statuses(self, statuses: list[DeviceStatus]) -> None:
        self.table.setRowCount(len(statuses))
        for r, status in enumerate(sorted(statuses, key=lambda s: s.kind)):
            indicator = DeviceIndicator(status.kind)
            indicator.set_status(status)
            values = (indicator.title(), indicator.state_text(status.state), status.name, status.detail)
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))

    def scan_ports(self) -> None:
        def scan() -> list[str]:
            return [f"{p.device}  {p.description}  {p.hwid}" for p in list_ports.comports()]

        run_async(scan, self._show_ports)

    def _show_ports(self, ports: list[str]) -> None:
        self.ports.clear()
        self.ports.addItems(ports or [self.tr("No serial ports found.")])
