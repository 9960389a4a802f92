"""Administrator page: the settings in force (read-only; they come from the TOML file)."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.runtime import StationRuntime
from station.operators import OperatorInfo


class SettingsPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
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
        layout.addWidget(self.hint)
        layout.addWidget(self.view)
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
