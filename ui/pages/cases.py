"""The station's cases for the clerk: who each is for (name, masked identity number), whether
it has been sent, its review and the supervisor's note in full; search by identity number,
name or case number; the detail of the selected case, its receipt reprinted, a returned case
resubmitted; "sync now" and the cases not sent yet; the clerk's count for today. A case that
comes back returned is announced (``returned_notice``)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.runtime import StationRuntime
from station import vocabulary
from station.beijing import beijing_text
from station.db.models import OutboxState, ReviewStatus
from station.events import CaseChanged
from station.i18n import current_language
from station.operators import OperatorInfo
from station.workflows import case_list
from station.workflows.case_list import CaseRow
from station.workflows.receipt_data import receipt_data
from ui.event_bridge import EventBridge
from ui.labels import case_kind_label, case_state_label, review_status_label
from ui.receipt_view import ReceiptView
from ui.screen_room import within_screen
from ui.workers import run_async, watch_future

COLUMNS = ("number", "applicant", "kind", "sent", "review", "reasons", "note", "created")
ELIDED_COLUMNS = {"kind": 100, "review": 100, "reasons": 100}  # px at most
FILTERS = ("all", "unsent", "returned", "review")
SEARCH_DELAY_MS = 300
AFTER_SYNC_MS = 1500


def _load(runtime: StationRuntime, operator_id: str, query: str,
          only: str) -> tuple[list[CaseRow], int, int]:
    with runtime.db.session() as session:
        rows = case_list.list_cases(session, runtime.settings.station.code, query, only=only)
        return rows, case_list.unsent_count(session), case_list.count_today(session, operator_id)


class CasesPage(QWidget):
    """Emits ``resubmit_requested(case_id)`` for a returned case the clerk will complete, and
    ``returned_notice(text)`` when a case of this station comes back returned."""

    resubmit_requested = Signal(str)
    returned_notice = Signal(str)

    def __init__(self, runtime: StationRuntime, operator: OperatorInfo) -> None:
        super().__init__()
        self._runtime, self._operator = runtime, operator
        self._rows: list[CaseRow] = []
        self._returned_known: set[str] | None = None  # returned cases seen (None: not loaded)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.today = QLabel()
        self.today.setObjectName("todayCount")
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setClearButtonEnabled(True)
        self.filter = QComboBox()
        self.filter.setObjectName("caseFilter")
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("refreshCases")
        self.refresh_button.clicked.connect(self.refresh)
        self.sync_button = QPushButton()
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(self.sync_now)
        self.unsent = QLabel()
        self.unsent.setObjectName("unsentCount")
        self.notice = QLabel()  # a case came back returned
        self.notice.setObjectName("returnedNotice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff8e1; border: 1px solid #ffb300; padding: 6px;")
        self.notice.setVisible(False)
        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.today)
        top.addStretch(1)
        top.addWidget(self.unsent)
        top.addWidget(self.sync_button)
        top.addWidget(self.refresh_button)
        finder = QHBoxLayout()
        finder.addWidget(self.search, 1)
        finder.addWidget(self.filter)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("casesTable")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for key in ELIDED_COLUMNS:  # long texts: cut short here, in full in the tooltip
            header.setSectionResizeMode(COLUMNS.index(key), QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COLUMNS.index("note"), QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel()
        self.detail = QTextBrowser()  # everything about the selected case, the note in full
        self.detail.setObjectName("caseDetail")
        self.reprint_button = QPushButton()
        self.reprint_button.setObjectName("reprintReceipt")
        self.reprint_button.setEnabled(False)
        self.reprint_button.clicked.connect(self.reprint)
        self.resubmit_button = QPushButton()
        self.resubmit_button.setObjectName("resubmitButton")
        self.resubmit_button.setEnabled(False)
        self.resubmit_button.clicked.connect(self._resubmit)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.reprint_button)
        actions.addWidget(self.resubmit_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail, 1)
        lower_layout.addLayout(actions)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.table, 1)
        upper_layout.addWidget(self.empty)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(finder)
        layout.addWidget(split, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self._after_sync = QTimer(self)  # the list again once 'Sync now' had time to send
        self._after_sync.setSingleShot(True)
        self._after_sync.setInterval(AFTER_SYNC_MS)
        self._after_sync.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)
        self.filter.activated.connect(lambda _index: self.refresh())
        off: Callable[[], None] = EventBridge.for_bus(runtime.bus).on(
            CaseChanged, self._case_changed)
        self.destroyed.connect(lambda *_: off())
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Cases of this station"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.sync_button.setText(self.tr("Sync now"))
        self.search.setPlaceholderText(self.tr("Search: ID number, name or case number"))
        chosen = self.filter.currentData() or "all"
        self.filter.clear()
        for key, text in zip(FILTERS, (self.tr("All cases"), self.tr("Not sent yet"),
                                       self.tr("Returned for more information"),
                                       self.tr("Waiting for review")), strict=True):
            self.filter.addItem(text, key)
        self.filter.setCurrentIndex(max(0, self.filter.findData(chosen)))
        self.resubmit_button.setText(self.tr("Resubmit with more information"))
        self.resubmit_button.setToolTip(self.tr(
            "For a case a supervisor returned: register the same person again with what "
            "the supervisor asked for."))
        self.reprint_button.setText(self.tr("Reprint receipt…"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Case number"), self.tr("Applicant"), self.tr("Kind"), self.tr("Sent"),
            self.tr("Review"), self.tr("Review reasons"), self.tr("Supervisor's note"),
            self.tr("Created"),
        ])
        self._fit_columns()  # the titles whole before (and whatever) the rows come
        self.empty.setText(self.tr("No cases match."))
        if self._rows:
            self._show((self._rows, self._unsent, self._today))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- loading ---------------------------------------------------------------------------

    _unsent = 0
    _today = 0
    _stale = False

    def refresh(self) -> None:
        self._stale = False
        runtime, operator_id = self._runtime, self._operator.id
        query, only = self.search.text(), self.filter.currentData() or "all"
        run_async(lambda: _load(runtime, operator_id, query, only), self._show)

    def _case_changed(self, event: CaseChanged) -> None:
        self._stale = True
        if self.isVisible():
            self._search_timer.start()  # sent, decided or new: the list follows (once a burst)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def hideEvent(self, event: Any) -> None:
        self._search_timer.stop()  # a hidden list is brought up to date when shown again
        if self._after_sync.isActive():
            self._after_sync.stop()
            self._stale = True
        super().hideEvent(event)

    def _show(self, loaded: tuple[list[CaseRow], int, int]) -> None:
        rows, self._unsent, self._today = loaded
        selected = self.selected_case()
        self._rows = rows
        self._notice_returned(rows)
        self.today.setText(self.tr("Today you submitted {n}").format(n=self._today))
        self.unsent.setText(self.tr("Not sent yet: {n}").format(n=self._unsent))
        self.unsent.setStyleSheet("color: #b26a00; font-weight: bold;" if self._unsent else "")
        self.table.setRowCount(len(rows))
        flags = vocabulary.flags()
        for r, row in enumerate(rows):
            review = review_status_label(row.review)
            if row.resubmitted_as:
                review = self.tr("{status}, resubmitted as {number}").format(
                    status=review, number=row.resubmitted_as)
            applicant = f"{row.applicant} ({row.masked_id})" if row.masked_id else row.applicant
            if row.organisation:
                applicant = f"{row.organisation} · {applicant}"
            values = [row.number, applicant, case_kind_label(row.kind), self._sent_text(row),
                      review, "、".join(flags.label(code) for code in row.flags), row.note,
                      beijing_text(row.created_at)]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # the note and the reasons in full
                if row.review == ReviewStatus.RETURNED and not row.resubmitted_as:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(r, c, item)
            if selected is not None and row.id == selected.id:
                self.table.selectRow(r)  # a refresh keeps the clerk's place
        self._fit_columns()
        self.empty.setVisible(not rows)
        self._selection_changed()

    def _fit_columns(self) -> None:
        """The long columns as wide as what they hold, up to a limit, never narrower than their
        title: the table fits a 1366-pixel screen without scrolling sideways."""
        header = self.table.horizontalHeader()
        bold = QFont(header.font())
        bold.setWeight(QFont.Weight.DemiBold)  # the style sheet's titles
        for key, limit in ELIDED_COLUMNS.items():
            column = COLUMNS.index(key)
            title = str(self.table.horizontalHeaderItem(column).text()
                        if self.table.horizontalHeaderItem(column) else "")
            width = min(self.table.sizeHintForColumn(column), limit)
            header.resizeSection(column, max(width, QFontMetrics(bold).horizontalAdvance(title)
                                             + 16))

    def _sent_text(self, row: CaseRow) -> str:
        if row.outbox == OutboxState.DEAD:
            return self.tr("Refused: needs attention")
        if row.outbox == OutboxState.PENDING:
            return self.tr("Not sent yet")
        return case_state_label(row.state)

    def _notice_returned(self, rows: list[CaseRow]) -> None:
        returned = {row.id: row for row in rows if row.review == ReviewStatus.RETURNED
                    and not row.resubmitted_as}
        known, self._returned_known = self._returned_known, set(returned) | (
            self._returned_known or set())
        if known is None:
            return  # the first load: nothing came back while the clerk watched
        new = [returned[case_id] for case_id in returned if case_id not in known]
        if not new:
            return
        text = "\n".join(self.tr(
            "Case {number} ({name}) was returned for more information: {note}").format(
            number=row.number, name=row.applicant or "—", note=row.note or self.tr("(no note)"))
            for row in new)
        self.notice.setText(text + "\n" + self.tr(
            "Select it and press “Resubmit with more information”."))
        self.notice.setVisible(True)
        self.returned_notice.emit(text)

    # --- the selected case -----------------------------------------------------------------

    def selected_case(self) -> CaseRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows or rows[0].row() >= len(self._rows):
            return None
        return self._rows[rows[0].row()]

    def _selection_changed(self) -> None:
        row = self.selected_case()
        self.resubmit_button.setEnabled(
            row is not None and row.review == ReviewStatus.RETURNED and not row.resubmitted_as)
        self.reprint_button.setEnabled(row is not None)
        self.detail.setHtml(self._detail_html(row) if row is not None else "")

    def _detail_html(self, row: CaseRow) -> str:
        flags, reasons = vocabulary.flags(), vocabulary.decision_reasons()
        lines: list[tuple[str, str]] = [
            (self.tr("Case number"), row.number),
            (self.tr("Kind"), case_kind_label(row.kind)),
            (self.tr("Applicant"), f"{row.applicant} {row.masked_id}".strip()),
        ]
        if row.organisation:
            lines.append((self.tr("Organisation"), row.organisation))
        lines += [
            (self.tr("Created"), beijing_text(row.created_at)),
            (self.tr("Submitted"), beijing_text(row.committed_at)),
            (self.tr("Sent"), self._sent_text(row)),
        ]
        if row.send_error:
            lines.append((self.tr("Last delivery attempt"), row.send_error))
        lines.append((self.tr("Review"), review_status_label(row.review)))
        if row.decided_at is not None:
            lines.append((self.tr("Decided"), beijing_text(row.decided_at)))
        if row.decision_reason:
            lines.append((self.tr("Decision reason"), reasons.label(row.decision_reason)))
        if row.resubmission_of:
            lines.append((self.tr("Resubmission of"), row.resubmission_of))
        if row.resubmitted_as:
            lines.append((self.tr("Resubmitted as"), row.resubmitted_as))
        table = "".join(f"<tr><td style='color:#5f6670;padding-right:12px'>{escape(k)}</td>"
                        f"<td>{escape(v)}</td></tr>" for k, v in lines)
        parts = [f"<table>{table}</table>"]
        if row.flags:
            items = "".join(f"<li><b>{escape(flags.label(code))}</b>: "
                            f"{escape(flags.get(code).explanation.text() if flags.get(code) else '')}"
                            "</li>" for code in row.flags)
            parts.append(f"<p>{escape(self.tr('Why it is reviewed:'))}</p><ul>{items}</ul>")
        if row.note:
            parts.append(f"<p><b>{escape(self.tr('Supervisor’s note'))}</b></p>"
                         f"<p style='white-space: pre-wrap'>{escape(row.note)}</p>")
        return "".join(parts)

    def _resubmit(self) -> None:
        row = self.selected_case()
        if row is not None and self.resubmit_button.isEnabled():
            self.resubmit_requested.emit(row.id)

    def set_resubmit_available(self, available: bool) -> None:
        """Only operators who register cases (clerks) resubmit them."""
        self.resubmit_button.setVisible(available)

    def reprint(self) -> ReceiptDialog | None:
        """The selected case's receipt, as it stands now (with the decision since)."""
        row = self.selected_case()
        if row is None:
            return None
        dialog = ReceiptDialog(self._runtime, row.id, self)
        dialog.open()
        return dialog

    # --- sending ---------------------------------------------------------------------------

    def sync_now(self) -> bool:
        """Deliver the unsent cases now (and fetch decisions) instead of at the next round."""
        sync = self._runtime.sync
        worker = getattr(sync, "worker", None) if sync is not None else None
        if worker is None:
            self.unsent.setText(self.tr("No central service is set up: cases stay here "
                                        "until one is."))
            return False
        from station.sync.outbox import due_now

        # due at once (not after their backoff), then the worker goes
        watch_future(self._runtime.db.submit(due_now), lambda _n: worker.wake(),
                     lambda e: self.unsent.setText(str(e)))
        self.unsent.setText(self.tr("Sending…"))
        self._after_sync.start()
        return True


class ReturnedWatcher(QObject):
    """Tells (``returned(text)``) when a case of this station comes back returned for more
    information, wherever the clerk is (the workspace shows it in its header)."""

    returned = Signal(str)

    def __init__(self, runtime: StationRuntime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        off = EventBridge.for_bus(runtime.bus).on(CaseChanged, self._changed)
        self.destroyed.connect(lambda *_: off())

    def _changed(self, event: CaseChanged) -> None:
        if event.state != "decided":
            return
        runtime, case_id = self._runtime, event.case_id

        def check() -> CaseRow | None:
            with runtime.db.session() as session:
                rows = case_list.list_cases(session, runtime.settings.station.code,
                                            only="returned")
                return next((row for row in rows if row.id == case_id), None)

        run_async(check, self._tell)

    def _tell(self, row: CaseRow | None) -> None:
        if row is not None:
            self.returned.emit(self.tr("Case {number} ({name}) was returned for more "
                                       "information").format(number=row.number,
                                                             name=row.applicant or "—"))


class ReceiptDialog(QDialog):
    """A case's receipt reprinted from the case list: preview, print, save."""

    def __init__(self, runtime: StationRuntime, case_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reprintDialog")
        self.setWindowTitle(self.tr("Reprint receipt"))
        self.view = ReceiptView()
        self.view.finished.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        self.resize(within_screen(self, QSize(900, 700)))
        language = current_language()

        def load() -> Any:
            with runtime.db.session() as session:
                # the clerk who took the case, not whoever reprints it
                return receipt_data(session, case_id, runtime.settings, language, reprint=True)

        run_async(load, self.view.show_receipt, lambda e: self.view.failed.emit(str(e)))
