"""The local cases of this station: number, kind, state, review status, sync state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from station.db.models import Case
from station.operators import OperatorInfo
from station.runtime import StationRuntime
from station.workflows.rules import reason_message
from ui.labels import case_kind_label, case_state_label, review_status_label
from ui.workers import run_async


def _load_cases(runtime: StationRuntime, limit: int = 200) -> list[dict[str, Any]]:
    with runtime.db.session() as session:
        rows = session.scalars(select(Case).order_by(Case.created_at.desc()).limit(limit))
        return [
            {
                "number": c.number, "kind": c.kind, "state": c.state,
                "review": c.review_status, "flags": list(c.flags or []),
                "created": c.created_at.strftime("%Y-%m-%d %H:%M"),
            }
            for c in rows
        ]


class CasesPage(QWidget):
    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self._runtime = runtime
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("casesTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Cases of this station"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Case number"), self.tr("Kind"), self.tr("State"), self.tr("Review"),
            self.tr("Review reasons"), self.tr("Created"),
        ])
        self.empty.setText(self.tr("No cases yet."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        run_async(lambda: _load_cases(self._runtime), self._show)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [
                row["number"], case_kind_label(row["kind"]), case_state_label(row["state"]),
                review_status_label(row["review"]),
                "；".join(reason_message(code) for code in row["flags"]), row["created"],
            ]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.empty.setVisible(not rows)
