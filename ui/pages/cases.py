"""The local cases of this station: number, kind, state, review status and the supervisor's
note; a case returned for more information can be resubmitted from here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
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

from app.runtime import StationRuntime
from station.beijing import beijing_text
from station.db.models import Case, ReviewStatus
from station.operators import OperatorInfo
from station.workflows.rules import reason_message
from ui.labels import case_kind_label, case_state_label, review_status_label
from ui.workers import run_async


def _load_cases(runtime: StationRuntime, limit: int = 200) -> list[dict[str, Any]]:
    with runtime.db.session() as session:
        rows = session.scalars(select(Case).order_by(Case.created_at.desc()).limit(limit))
        result = []
        for c in rows:
            decision = max(c.decisions, key=lambda d: d.decided_at, default=None)
            result.append({
                "id": c.id, "number": c.number, "kind": c.kind, "state": c.state,
                "review": c.review_status, "flags": list(c.flags or []),
                "created": beijing_text(c.created_at),
                "note": (decision.note or "") if decision else "",
                "resubmitted_as": (c.details or {}).get("resubmitted_as"),
            })
        return result


class CasesPage(QWidget):
    """Emits ``resubmit_requested(case_id)`` for a returned case the clerk will complete."""

    resubmit_requested = Signal(str)

    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self._runtime = runtime
        self._rows: list[dict[str, Any]] = []
        self.resubmit_button = QPushButton()
        self.resubmit_button.setObjectName("resubmitButton")
        self.resubmit_button.setEnabled(False)
        self.resubmit_button.clicked.connect(self._resubmit)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.resubmit_button)
        top.addWidget(self.refresh_button)
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("casesTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)  # the number
        self.table.itemSelectionChanged.connect(self._selection_changed)
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
        self.resubmit_button.setText(self.tr("Resubmit with more information"))
        self.resubmit_button.setToolTip(self.tr(
            "For a case a supervisor returned: register the same person again with what "
            "the supervisor asked for."))
        self.table.setHorizontalHeaderLabels([
            self.tr("Case number"), self.tr("Kind"), self.tr("State"), self.tr("Review"),
            self.tr("Review reasons"), self.tr("Supervisor's note"), self.tr("Created"),
        ])
        self.empty.setText(self.tr("No cases yet."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        run_async(lambda: _load_cases(self._runtime), self._show)

    def _show(self, rows: list[dict[str, Any]]) -> None:
        selected = self.selected_case()
        self._rows = rows
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            review = review_status_label(row["review"])
            if row["resubmitted_as"]:
                review = self.tr("{status}, resubmitted as {number}").format(
                    status=review, number=row["resubmitted_as"])
            values = [
                row["number"], case_kind_label(row["kind"]), case_state_label(row["state"]),
                review, "；".join(reason_message(code) for code in row["flags"]), row["note"],
                row["created"],
            ]
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
            if selected is not None and row["id"] == selected["id"]:
                self.table.selectRow(r)  # a refresh keeps the clerk's place
        self.empty.setVisible(not rows)
        self._selection_changed()

    def selected_case(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def _selection_changed(self) -> None:
        row = self.selected_case()
        self.resubmit_button.setEnabled(
            row is not None and row["review"] == ReviewStatus.RETURNED and
            not row["resubmitted_as"])

    def _resubmit(self) -> None:
        row = self.selected_case()
        if row is not None and self.resubmit_button.isEnabled():
            self.resubmit_requested.emit(row["id"])

    def set_resubmit_available(self, available: bool) -> None:
        """Only operators who register cases (clerks) resubmit them."""
        self.resubmit_button.setVisible(available)
