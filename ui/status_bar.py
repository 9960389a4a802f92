"""Status bar indicators: one per device (ID card reader, camera, pad, passport reader) and
the central service."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from station.events import DeviceState, DeviceStatus

_COLOURS = {
    DeviceState.READY: "#2e7d32",
    DeviceState.BUSY: "#1565c0",
    DeviceState.CONNECTING: "#f9a825",
    DeviceState.ABSENT: "#c62828",
    DeviceState.ERROR: "#c62828",
    DeviceState.DISABLED: "#9e9e9e",
}


class DeviceIndicator(QWidget):
    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.status = DeviceStatus(kind, DeviceState.CONNECTING)
        self._dot = QLabel("●")
        self._label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 6, 0)  # five of them and the sync counts fit 1366 px
        layout.setSpacing(4)
        layout.addWidget(self._dot)
        layout.addWidget(self._label)
        self.setObjectName(f"indicator_{kind}")
        self._refresh()

    def title(self) -> str:
        titles = {
            "idcard": self.tr("ID card reader"),
            "camera": self.tr("Camera"),
            "sigpad": self.tr("Signature pad"),
            "emrtd": self.tr("Passport reader"),  # passports and travel permits (chip)
            "central": self.tr("Central service"),
        }
        return titles.get(self.kind, self.kind)

    def state_text(self, state: DeviceState) -> str:
        texts = {
            DeviceState.READY: self.tr("ready"),
            DeviceState.BUSY: self.tr("busy"),
            DeviceState.CONNECTING: self.tr("connecting"),
            DeviceState.ABSENT: self.tr("not connected"),
            DeviceState.ERROR: self.tr("error"),
            DeviceState.DISABLED: self.tr("not configured"),
        }
        return texts[state]

    def set_status(self, status: DeviceStatus) -> None:
        self.status = status
        self._refresh()

    def _refresh(self) -> None:
        state = self.status.state
        # short: five of these share the status bar of a 1366 px screen with the sync counts
        suffix = self.tr(" (demo)") if self.status.simulated else ""
        self._label.setText(f"{self.title()}: {self.state_text(state)}{suffix}")
        self._dot.setStyleSheet(f"color: {_COLOURS[state]};")
        tip = [self.status.name, self.status.detail]
        self.setToolTip("\n".join(t for t in tip if t))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._refresh()
        super().changeEvent(event)


class DeviceStatusBar(QWidget):
    KINDS = ("idcard", "camera", "sigpad", "emrtd", "central")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.indicators = {kind: DeviceIndicator(kind) for kind in self.KINDS}
        for indicator in self.indicators.values():
            layout.addWidget(indicator)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def set_status(self, status: DeviceStatus) -> None:
        indicator = self.indicators.get(status.kind)
        if indicator is not None:
            indicator.set_status(status)
