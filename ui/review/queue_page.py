"""The supervisors' review queue: every flagged case of the office, from the central service.

Filters, server-side sorting and paging, counts per state, refresh that keeps the selection.
Opening a case claims it (a lease); the case view renews the lease while it is open and
releases it on close.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station.db.models import CaseKind
from station.sync.client import CentralError
from station.wire import QueueItem, Vocabulary
from ui.review.backend import ClientFactory, ReviewBackend
from ui.review.case_view import CaseView
from ui.review.format import ReviewVocabulary, kind_label, local_time
from ui.review.queue_model import CASE_ROLE, COLUMNS, QueueModel

AUTO_REFRESH_MS = 30_000


def _abandon(backend: ReviewBackend, held: dict[str, str], *_args: object) -> None:
    """The page was destroyed (e.g. sign-out) while a case was open: give it back."""
    case_id, token = held.get("case_id"), held.get("token")
    if case_id and token:
        backend.abandon(lambda client: client.release(case_id, token))
    else:
        backend.abandon()
STATES = ("pending", "claimed", "approved", "rejected", "returned")


class ReviewQueuePage(QWidget):
    def __init__(self, client_factory: ClientFactory, page_size: int = 50,
                 auto_refresh_ms: int = AUTO_REFRESH_MS, renew_interval_ms: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewQueuePage")
        self.backend = ReviewBackend(client_factory, self)
        self.vocabulary = ReviewVocabulary()
        self.model = QueueModel(self.backend, self.vocabulary.flags, page_size, self)
        self.case_view: CaseView | None = None
        self.renew_interval_ms = renew_interval_ms
        self._selected_case: str | None = None
        self._build()
        self.model.countsChanged.connect(self._show_counts)
        self.model.loaded.connect(self._restore_selection)
        self.model.failed.connect(self._show_error)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.retranslate()
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(auto_refresh_ms)
        self.refresh_timer.timeout.connect(self._auto_refresh)
        if auto_refresh_ms > 0:
            self.refresh_timer.start()
        self._held: dict[str, str] = {}  # the open case's lease: released if the page dies
        self.destroyed.connect(partial(_abandon, self.backend, self._held))
        # the station's own labels until the service's arrive (it may know newer flags)
        self.backend.call(lambda client: client.vocabulary(), self._got_vocabulary,
                          self._show_error_of)
        self.apply_filters()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("queueCounts")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refreshQueueButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button = QPushButton()
        self.open_button.setObjectName("openCaseButton")
        self.open_button.clicked.connect(self.open_selected)
        self.next_button = QPushButton()
        self.next_button.setObjectName("takeNextButton")
        self.next_button.clicked.connect(self.take_next)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.counts_label)
        top.addWidget(self.refresh_button)

        self.state_filter = QComboBox()
        self.state_filter.setObjectName("stateFilter")
        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kindFilter")
        self.reason_filter = QComboBox()
        self.reason_filter.setObjectName("reasonFilter")
        self.station_filter = QLineEdit()
        self.station_filter.setObjectName("stationFilter")
        self.clerk_filter = QLineEdit()
        self.clerk_filter.setObjectName("clerkFilter")
        self.age_filter = QComboBox()
        self.age_filter.setObjectName("ageFilter")
        self.due_filter = QComboBox()
        self.due_filter.setObjectName("dueFilter")
        self.filter_labels = [QLabel() for _ in range(7)]
        # two rows of filters, each box as wide as the row allows (its list shows every
        # entry in full): the queue fits a 1366-pixel screen in either language
        filters = QGridLayout()
        for index, (label, widget) in enumerate(zip(self.filter_labels, (
                self.state_filter, self.kind_filter, self.reason_filter, self.station_filter,
                self.clerk_filter, self.age_filter, self.due_filter), strict=True)):
            label.setBuddy(widget)
            row, column = divmod(index, 4)
            filters.addWidget(label, row, 2 * column)
            filters.addWidget(widget, row, 2 * column + 1)
            filters.setColumnStretch(2 * column + 1, 1)
        for combo in (self.state_filter, self.kind_filter, self.reason_filter, self.age_filter,
                      self.due_filter):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.activated.connect(self.apply_filters)
        for edit in (self.station_filter, self.clerk_filter):
            edit.editingFinished.connect(self.apply_filters)

        self.table = QTableView()
        self.table.setObjectName("reviewQueueTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # the indicator first: enabling sorting announces it, and due-first is the default
        self.table.horizontalHeader().setSortIndicator(COLUMNS.index("due"),
                                                       Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # every column as wide as what it holds (the whole case number); the review reasons
        # take the room that is left, and their full text is in the tooltip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("flags"), QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.status = QLabel()
        self.status.setObjectName("queueStatus")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.next_button)
        actions.addWidget(self.open_button)

        queue = QWidget()
        queue_layout = QVBoxLayout(queue)
        queue_layout.setContentsMargins(0, 0, 0, 0)
        queue_layout.addLayout(top)
        queue_layout.addLayout(filters)
        queue_layout.addWidget(self.table, 1)
        queue_layout.addLayout(actions)
        self.stack = QStackedWidget()
        self.stack.addWidget(queue)
        self.queue_widget = queue
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Review queue of the office"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.open_button.setText(self.tr("Open case"))
        self.next_button.setText(self.tr("Take the next case"))
        for label, text in zip(self.filter_labels, (
                self.tr("State"), self.tr("Kind"), self.tr("Reason"), self.tr("Station"),
                self.tr("Clerk"), self.tr("Waiting time"), self.tr("Due")), strict=True):
            label.setText(text)
        self.station_filter.setPlaceholderText(self.tr("any"))
        self.clerk_filter.setPlaceholderText(self.tr("any"))
        self._fill(self.state_filter, [
            (self.tr("Open (waiting or taken)"), "open"),
            (self.tr("Waiting for a reviewer"), "pending"), (self.tr("Taken"), "claimed"),
            (self.tr("All cases"), None), (self.tr("Approved"), "approved"),
            (self.tr("Rejected"), "rejected"),
            (self.tr("Returned for more information"), "returned")])
        self._fill(self.kind_filter, [(self.tr("All kinds"), None)]
                   + [(kind_label(kind), str(kind)) for kind in CaseKind])
        flags = self.vocabulary.flags  # the filter matches the flags cases were routed with
        self._fill(self.reason_filter, [(self.tr("All reasons"), None)]
                   + [(flags.label(code), code) for code in flags.codes])
        self._fill(self.age_filter, [
            (self.tr("Any time"), None), (self.tr("Over 30 minutes"), 30),
            (self.tr("Over 2 hours"), 120), (self.tr("Over 1 day"), 1440)])
        self._fill(self.due_filter, [
            (self.tr("Any"), None), (self.tr("Overdue"), "overdue"),
            (self.tr("Due within 2 hours"), "soon"), (self.tr("Not overdue"), "in_time")])
        self._show_counts(self.model.counts)

    @staticmethod
    def _fill(combo: QComboBox, entries: list[tuple[str, Any]]) -> None:
        chosen = combo.currentData() if combo.count() else entries[0][1]
        combo.clear()
        for text, value in entries:
            combo.addItem(text, value)
        index = combo.findData(chosen)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        super().changeEvent(event)

    # --- queue -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        due = self.due_filter.currentData()
        return {
            "state": self.state_filter.currentData(),
            "kind": self.kind_filter.currentData(),
            "reason": self.reason_filter.currentData(),
            "station": self.station_filter.text().strip() or None,
            "clerk": self.clerk_filter.text().strip() or None,
            "min_age_minutes": self.age_filter.currentData(),
            "overdue": True if due == "overdue" else (False if due == "in_time" else None),
            "due_before": datetime.now(UTC) + timedelta(hours=2) if due == "soon" else None,
        }

    def apply_filters(self) -> None:
        self._show_error("")
        self.model.set_filters(self.filters())

    def refresh(self) -> None:
        self._remember_selection()
        self.model.refresh()

    def _auto_refresh(self) -> None:
        if self.isVisible() and self.case_view is None and not self.model.busy():
            self.refresh()

    def _got_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary.update(vocabulary)
        self.retranslate()
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(len(self.model.rows) - 1,
                                                         len(COLUMNS) - 1))

    def _show_counts(self, counts: dict[str, int]) -> None:
        names = {"pending": self.tr("waiting"), "claimed": self.tr("taken"),
                 "approved": self.tr("approved"), "rejected": self.tr("rejected"),
                 "returned": self.tr("returned")}
        self.counts_label.setText(" · ".join(
            f"{names[state]} {counts.get(state, 0)}" for state in STATES))

    def _show_error(self, message: str) -> None:
        self.status.setText(message)

    def _show_error_of(self, error: BaseException) -> None:
        self._show_error(error.message if isinstance(error, CentralError) else str(error))

    def _selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._selected_case = self.model.rows[rows[0].row()].case_id

    def _remember_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows and rows[0].row() < len(self.model.rows):
            self._selected_case = self.model.rows[rows[0].row()].case_id

    def _restore_selection(self) -> None:
        if self._selected_case is None:
            return
        row = self.model.row_of(self._selected_case)
        if row >= 0 and self.selected_case_id() != self._selected_case:
            self.table.selectRow(row)

    def selected_case_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item: QueueItem = self.model.data(rows[0], CASE_ROLE)
        return item.case_id

    # --- opening cases ---------------------------------------------------------------------

    def open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.open_row(rows[0].row())

    def open_row(self, row: int) -> None:
        item = self.model.data(self.model.index(row, 0), CASE_ROLE) if row >= 0 else None
        if item is not None:
            self.open_case(item.case_id, item)

    def open_case(self, case_id: str, item: QueueItem | None = None) -> None:
        """Claim the case, then show it; a decided case opens read only."""
        if self.case_view is not None:
            return
        self._show_error(self.tr("Opening the case…"))
        self.backend.call(lambda client: client.claim(case_id),
                          lambda lease: self._show_case(case_id, lease, ""),
                          lambda error: self._claim_refused(case_id, error))

    def take_next(self) -> None:
        if self.case_view is not None:
            return
        filters = {k: v for k, v in self.filters().items() if k != "state" and v is not None}
        self.backend.call(lambda client: client.claim_next(**filters), self._took_next,
                          self._show_error_of)

    def _took_next(self, lease: dict[str, Any] | None) -> None:
        if lease is None:
            self._show_error(self.tr("No free case matches the filters."))
            return
        self._show_case(lease["case_id"], lease, "")

    def _claim_refused(self, case_id: str, error: BaseException) -> None:
        if not isinstance(error, CentralError):
            self._show_error(str(error))
            return
        if error.code == "case_claimed":
            self._show_error(self.tr("{who} is working on this case (until {time}).").format(
                who=error.body.get("claimed_by") or "?",
                time=local_time(error.body.get("lease_until"))))
            self.refresh()
            return
        if error.code == "case_not_pending" or error.status == 403:
            why = (self.tr("This case was already decided; it is shown read only.")
                   if error.code == "case_not_pending" else error.message)
            self._show_case(case_id, None, why)
            return
        self._show_error(error.message)

    def _show_case(self, case_id: str, lease: dict[str, Any] | None, read_only: str) -> None:
        if self.case_view is not None:  # a second answer while one case is open
            if lease is not None:
                token = lease["lease_token"]
                self.backend.call(lambda client: client.release(case_id, token))
            return
        self._show_error("")
        self._selected_case = case_id
        self._held.clear()
        if lease is not None:
            self._held.update(case_id=case_id, token=str(lease["lease_token"]))
        view = CaseView(self.backend, self.vocabulary, case_id, lease, read_only,
                        renew_interval_ms=self.renew_interval_ms)
        view.closed.connect(self._case_closed)
        view.next_requested.connect(self._next_after)
        view.decided.connect(lambda *_: self.refresh())
        self.case_view = view
        self.stack.addWidget(view)
        self.stack.setCurrentWidget(view)

    def _next_after(self, case_id: str) -> None:
        """The supervisor decided this case: close it and take the next free one."""
        self._case_closed(case_id)
        self.take_next()

    def _case_closed(self, _case_id: str) -> None:
        view, self.case_view = self.case_view, None
        self._held.clear()
        self.stack.setCurrentWidget(self.queue_widget)
        if view is None:
            self.refresh()
            return
        view.release_lease(then=self.refresh)  # refreshed once the case is back in the queue
        self.stack.removeWidget(view)
        view.deleteLater()

    def shutdown(self) -> None:
        """Release an open case and stop the workers (the page is going away)."""
        self.refresh_timer.stop()
        if self.case_view is not None:
            self.case_view.release_lease()
        self._held.clear()
        self.backend.shutdown()

    def hideEvent(self, event: Any) -> None:
        self.refresh_timer.stop()
        super().hideEvent(event)

    def showEvent(self, event: Any) -> None:
        if self.refresh_timer.interval() > 0:
            self.refresh_timer.start()
        super().showEvent(event)

    def index_of(self, case_id: str) -> QModelIndex:
        return self.model.index(self.model.row_of(case_id), 0)
