"""Supervisors' dashboard: figures of today and of this week from the central stats API,
and the end-of-day report (PDF) of the office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.i18n import current_language
from station.sync.client import CentralError
from ui.review.backend import ClientFactory, ReviewBackend
from ui.review.format import CHINA, ReviewVocabulary, kind_label
from ui.review.report import load_period_figures, render_report, supports_registrations

PERIODS = ("today", "week")  # calendar periods of the office: since midnight, since Monday


def _abandon(backend: ReviewBackend, *_args: object) -> None:
    backend.abandon()


def open_with_system_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


PathChooser = Callable[[QWidget, Path], Path | None]


def ask_where_to_save(parent: QWidget, suggested: Path) -> Path | None:
    """The save dialog; None when the supervisor cancels it."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, QCoreApplication.translate("DashboardPage", "Save the end-of-day report"),
        str(suggested), QCoreApplication.translate("DashboardPage", "PDF documents (*.pdf)"))
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


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
        # the names take the room; the figures' headers are never cut
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    @staticmethod
    def fill(table: QTableWidget, rows: list[list[str]]) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))


class DashboardPage(QWidget):
    def __init__(self, client_factory: ClientFactory, office: str = "", scope: str = "",
                 reports_dir: Path | None = None,
                 open_file: Callable[[Path], None] | None = open_with_system_viewer,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
                 parent: QWidget | None = None,
                 choose_path: PathChooser = ask_where_to_save) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDashboard")
        self.backend = ReviewBackend(client_factory, self)
        self.destroyed.connect(partial(_abandon, self.backend))
        self.office, self.scope = office, scope
        self.reports_dir = reports_dir  # the folder the save dialog suggests
        self.open_file = open_file
        self.choose_path = choose_path
        self.clock = clock  # "today" is the office's calendar day (tests set the clock)
        self.last_report: Path | None = None
        self.vocabulary = ReviewVocabulary()  # per_reason counts flags
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
        self.report_button = QPushButton()
        self.report_button.setObjectName("dailyReportButton")
        self.report_button.clicked.connect(self.make_report)
        self.report_button.setEnabled(False)  # until the figures show the server has them
        self.report_button.setVisible(reports_dir is not None)
        top.addWidget(self.report_button)
        self.open_report_button = QPushButton()
        self.open_report_button.setObjectName("openReportButton")
        self.open_report_button.setVisible(False)  # once a report has been saved
        self.open_report_button.clicked.connect(self.open_last_report)
        top.addWidget(self.open_report_button)
        top.addWidget(self.refresh_button)
        self.panels = {key: PeriodPanel() for key in PERIODS}
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
        self.report_button.setText(self.tr("End-of-day report (PDF)…"))
        self.open_report_button.setText(self.tr("Open the report"))
        self.panels["today"].setTitle(self.tr("Today"))
        self.panels["week"].setTitle(self.tr("This week (since Monday)"))
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
        now = self.clock()
        self.backend.call(lambda client: load_period_figures(client, now), self._show,
                          self._failed)

    def _failed(self, error: BaseException) -> None:
        self.status.setText(self.tr("The figures could not be loaded: {why}").format(
            why=error.message if isinstance(error, CentralError) else str(error)))

    def _show(self, figures: dict[str, Any]) -> None:
        self.figures = figures
        self.vocabulary.update(figures["vocabulary"])
        self.status.setText("")
        self.report_button.setEnabled(supports_registrations(figures["today"]))
        for key in PERIODS:
            self._show_period(self.panels[key], figures[key])

    def _show_period(self, panel: PeriodPanel, stats: dict[str, Any]) -> None:
        total = int(stats.get("total", 0))
        registered = stats.get("registrations")
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
        if registered is not None:
            rate = f"{100 * total / registered:.0f} %" if registered else "—"
            panel.summary.setText(self.tr(
                "Registrations: {registered} · flag rate: {rate}").format(
                registered=registered, rate=rate) + " · " + panel.summary.text())
        panel.summary.setStyleSheet("color: #a61b1b;" if stats.get("overdue") else "")

        def ordered(counts: dict[str, int]) -> list[tuple[str, int]]:
            return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

        per_kind = stats.get("registrations_per_kind", stats.get("per_kind", {}))
        per_clerk = stats.get("registrations_per_clerk", stats.get("per_clerk", {}))
        panel.fill(panel.per_kind, [[kind_label(k), str(n)] for k, n in ordered(per_kind)])
        panel.fill(panel.per_clerk, [[k, str(n)] for k, n in ordered(per_clerk)])
        if registered is not None:
            panel.kind_title.setText(self.tr("Registrations per kind"))
            panel.clerk_title.setText(self.tr("Registrations per clerk"))
        base = registered if registered is not None else total  # flag rate per reason
        panel.fill(panel.per_reason, [
            [self.vocabulary.flags.label(k), str(n), f"{100 * n / base:.0f} %" if base else "—"]
            for k, n in ordered(stats.get("per_reason", {}))])
        if registered is not None:
            panel.per_reason.setHorizontalHeaderLabels([
                self.tr("Reason"), self.tr("Flags"), self.tr("Share of registrations")])

    def make_report(self) -> None:
        """Ask where to save, then fresh figures rendered to PDF and written on a worker."""
        if self.reports_dir is None:
            return
        now = self.clock()
        day = now.astimezone(CHINA).date()
        path = self.choose_path(self, self.reports_dir / f"daily-report-{day.isoformat()}.pdf")
        if path is None:
            return  # the dialog was cancelled: nothing to do
        self.report_button.setEnabled(False)
        self.status.setText(self.tr("Preparing the end-of-day report…"))
        office = self.office
        scope = self.scope or self.tr("{office}, all stations").format(office=office)
        language = current_language()

        def build(client: Any) -> Path:
            figures = load_period_figures(client, now)
            pdf = render_report(figures, office, scope, language)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
            return path

        self.backend.call(build, self._report_ready, self._report_failed)

    def _report_ready(self, path: Path) -> None:
        self.last_report = path
        self.report_button.setEnabled(True)
        self.open_report_button.setVisible(self.open_file is not None)
        self.status.setText(self.tr("The end-of-day report was saved as {path}.").format(
            path=str(path)))

    def open_last_report(self) -> None:
        if self.last_report is not None and self.open_file is not None:
            self.open_file(self.last_report)

    def _report_failed(self, error: BaseException) -> None:
        self.report_button.setEnabled(True)
        if isinstance(error, CentralError):
            why = error.message
        elif isinstance(error, OSError):  # e.g. a folder the supervisor may not write to
            why = self.tr("it cannot be written there ({reason})").format(
                reason=error.strerror or str(error))
        else:
            why = str(error)
        self.status.setText(self.tr("The end-of-day report could not be made: {why}").format(
            why=why))

    def shutdown(self) -> None:
        self.backend.shutdown()
