"""Supervisors' dashboard: figures of today and of this week from the central stats API."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.sync.client import CentralClient, CentralError
from ui.review.backend import ClientFactory, ReviewBackend
from ui.review.format import ReasonNames, kind_label

PERIODS = (("today", 1), ("week", 7))  # days of the server's stats window


def load_figures(client: CentralClient) -> dict[str, Any]:
    figures: dict[str, Any] = {key: client.stats(days=days) for key, days in PERIODS}
    figures["reasons"] = client.reason_codes()
    return figures


class PeriodPanel(QGroupBox):
    """One period's figures: totals and three small tables."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setObjectName("dashboardSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.per_kind = self._table()
        self.per_clerk = self._table()
        self.per_reason = self._table(3)
        self.kind_title, self.clerk_title, self.reason_title = QLabel(), QLabel(), QLabel()
        grid = QGridLayout(self)
        grid.addWidget(self.summary, 0, 0, 1, 3)
        grid.addWidget(self.kind_title, 1, 0)
        grid.addWidget(self.clerk_title, 1, 1)
        grid.addWidget(self.reason_title, 1, 2)
        grid.addWidget(self.per_kind, 2, 0)
        grid.addWidget(self.per_clerk, 2, 1)
        grid.addWidget(self.per_reason, 2, 2)

    @staticmethod
    def _table(columns: int = 2) -> QTableWidget:
        table = QTableWidget(0, columns)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    @staticmethod
    def fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))


class DashboardPage(QWidget):
    def __init__(self, client_factory: ClientFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDashboard")
        self.backend = ReviewBackend(client_factory, self)
        self.reasons = ReasonNames()
        self.figures: dict[str, Any] | None = None
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refreshDashboardButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.status = QLabel()
        self.status.setObjectName("dashboardStatus")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.panels = {key: PeriodPanel() for key, _days in PERIODS}
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        for panel in self.panels.values():
            layout.addWidget(panel, 1)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Review dashboard"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.panels["today"].setTitle(self.tr("Last 24 hours"))
        self.panels["week"].setTitle(self.tr("Last 7 days"))
        for panel in self.panels.values():
            panel.kind_title.setText(self.tr("Flagged cases per kind"))
            panel.clerk_title.setText(self.tr("Flagged cases per clerk"))
            panel.reason_title.setText(self.tr("Flags per reason"))
            panel.per_kind.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Cases")])
            panel.per_clerk.setHorizontalHeaderLabels([self.tr("Clerk"), self.tr("Cases")])
            panel.per_reason.setHorizontalHeaderLabels([self.tr("Reason"), self.tr("Flags"),
                                                        self.tr("Share of flagged cases")])
        if self.figures is not None:
            self._show(self.figures)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        self.status.setText(self.tr("Loading…"))
        self.backend.call(load_figures, self._show, self._failed)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("The figures could not be loaded: {why}").format(
            why=error.message if isinstance(error, CentralError) else str(error)))

    def _show(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        self.reasons.update(figures.get("reasons", []))
        self.status.setText("")
        for key, _days in PERIODS:
            self._show_period(self.panels[key], figures[key])

    def _show_period(self, panel: PeriodPanel, stats: dict[str, Any]) -> None:
        total = int(stats.get("total", 0))
        median = stats.get("median_decision_minutes")
        median_text = (self.tr("{minutes:.0f} min").format(minutes=float(median))
                       if median is not None else "—")
        per_state = stats.get("per_state", {})
        panel.summary.setText(self.tr(
            "Flagged cases: {total} · decided: {decided} · waiting: {waiting} · "
            "overdue: {overdue} · median time to decision: {median}").format(
            total=total, decided=stats.get("decided", 0),
            waiting=per_state.get("pending", 0) + per_state.get("claimed", 0),
            overdue=stats.get("overdue", 0), median=median_text))
        panel.summary.setStyleSheet("color: #a61b1b;" if stats.get("overdue") else "")

        def ordered(counts: dict[str, int]) -> list[tuple[str, int]]:
            return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

        panel.fill(panel.per_kind, [[kind_label(k), str(n)]
                                    for k, n in ordered(stats.get("per_kind", {}))])
        panel.fill(panel.per_clerk, [[k, str(n)] for k, n in ordered(stats.get("per_clerk", {}))])
        panel.fill(panel.per_reason, [
            [self.reasons.label(k), str(n), f"{100 * n / total:.0f} %" if total else "—"]
            for k, n in ordered(stats.get("per_reason", {}))])

    def shutdown(self) -> None:
        self.backend.shutdown()
