"""The review queue as a Qt table model, paged from the central service.

Rows arrive a page at a time (``canFetchMore``/``fetchMore``, asked by the view as the user
scrolls); sorting and filtering happen on the server. Every request runs on the backend's
workers; an answer to an outdated request (filters or sorting changed meanwhile) is dropped.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from station.sync.client import CentralClient, CentralError
from station.wire import QueueItem, QueuePage
from ui.review.backend import ReviewBackend
from ui.review.format import TermNames, age_text, kind_label, local_time, state_label

ROOT = QModelIndex()  # the (invalid) parent of every row of a flat table
CASE_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("number", "kind", "flags", "station", "clerk", "age", "due", "state")
# column -> server sort key for ascending order ("waiting longest first" is oldest first)
SORT_KEYS = {"number": "number", "kind": "kind", "station": "station", "clerk": "clerk",
             "age": "-received_at", "due": "due_at"}
MAX_PAGE = 200  # the server's limit per request
OVERDUE_BACKGROUND = QColor("#fde2e1")
OVERDUE_FOREGROUND = QColor("#a61b1b")
TAKEN_FOREGROUND = QColor("#6b6b6b")


def _flip(key: str) -> str:
    return key[1:] if key.startswith("-") else f"-{key}"


class QueueModel(QAbstractTableModel):
    countsChanged = Signal(dict)
    loaded = Signal()  # a reload or refresh finished (rows are current)
    failed = Signal(str)  # a request failed; the message is for the user

    def __init__(self, backend: ReviewBackend, flags: TermNames, page_size: int = 50,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._backend = backend
        self._flags = flags
        self.page_size = max(1, min(page_size, MAX_PAGE))
        self.filters: dict[str, Any] = {}
        self.sort_key = "due_at"
        self.rows: list[QueueItem] = []
        self.total = 0
        self.counts: dict[str, int] = {}
        self._generation = 0
        self._fetching = False

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            "number": QCoreApplication.translate("QueueModel", "Case number"),
            "kind": QCoreApplication.translate("QueueModel", "Kind"),
            "flags": QCoreApplication.translate("QueueModel", "Review reasons"),
            "station": QCoreApplication.translate("QueueModel", "Station"),
            "clerk": QCoreApplication.translate("QueueModel", "Clerk"),
            "age": QCoreApplication.translate("QueueModel", "Waiting time"),
            "due": QCoreApplication.translate("QueueModel", "Due"),
            "state": QCoreApplication.translate("QueueModel", "State"),
        }
        return titles[COLUMNS[section]] if 0 <= section < len(COLUMNS) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        item = self.rows[index.row()]
        column = COLUMNS[index.column()]
        if role == CASE_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(item, column, tooltip=role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.BackgroundRole and item.overdue:
            return QBrush(OVERDUE_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            if item.overdue:
                return QBrush(OVERDUE_FOREGROUND)
            if item.state == "claimed":
                return QBrush(TAKEN_FOREGROUND)
        if role == Qt.ItemDataRole.DecorationRole:
            style = QApplication.style()
            if column == "due" and item.overdue:
                return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            if column == "state" and item.state == "claimed":
                return style.standardIcon(QStyle.StandardPixmap.SP_BrowserStop)
        return None

    def _text(self, item: QueueItem, column: str, tooltip: bool) -> str:
        if column == "number":
            return item.number
        if column == "kind":
            return kind_label(item.kind)
        if column == "flags":
            if tooltip:  # what each flag means, one a line
                return "\n".join(f"{self._flags.label(code)}: {self._flags.explanation(code)}"
                                  for code in item.flags)
            return self._flags.join(item.flags)
        if column == "station":
            return item.station_code
        if column == "clerk":
            return item.clerk
        if column == "age":
            text = age_text(item.age_minutes)
            if tooltip:
                received = local_time(item.received_at, with_year=True)
                return QCoreApplication.translate("QueueModel", "Received {time}").format(
                    time=received)
            return text
        if column == "due":
            due = local_time(item.due_at, with_year=tooltip)
            if item.overdue:
                return QCoreApplication.translate("QueueModel", "Overdue since {time}").format(
                    time=due)
            return due
        if item.state == "claimed":
            return QCoreApplication.translate("QueueModel", "Taken by {who}").format(
                who=item.claimed_by or "?")
        return state_label(item.state)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(COLUMNS[column]) if 0 <= column < len(COLUMNS) else None
        if key is None:
            return  # reasons and state: the server does not sort by them
        wanted = key if order == Qt.SortOrder.AscendingOrder else _flip(key)
        if wanted != self.sort_key:  # the view re-announces the current order at times
            self.sort_key = wanted
            self.reload()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> bool:
        return not parent.isValid() and not self._fetching and len(self.rows) < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = ROOT) -> None:
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, offset = self._generation, len(self.rows)
        params = self._params(offset, self.page_size)
        self._backend.call(lambda client: client.list_queue(**params),
                           lambda page: self._append(generation, offset, page),
                           lambda error: self._fail(generation, error))

    # --- loading ---------------------------------------------------------------------------

    def set_filters(self, filters: dict[str, Any]) -> None:
        self.filters = {k: v for k, v in filters.items() if v not in (None, "")}
        self.reload()

    def _params(self, offset: int, limit: int) -> dict[str, Any]:
        return {**self.filters, "sort": self.sort_key, "offset": offset, "limit": limit}

    def reload(self) -> None:
        """From the first page (filters or sorting changed)."""
        self._generation += 1
        self._fetching = True
        generation, params = self._generation, self._params(0, self.page_size)
        self._backend.call(lambda client: client.list_queue(**params),
                           lambda page: self._replace(generation, page, keep=False),
                           lambda error: self._fail(generation, error))

    def refresh(self) -> None:
        """The rows already shown, fetched again; the view keeps its selection."""
        self._generation += 1
        self._fetching = True
        generation = self._generation
        wanted = max(len(self.rows), self.page_size)
        filters, sort_key = dict(self.filters), self.sort_key

        def fetch(client: CentralClient) -> QueuePage:
            page = client.list_queue(**filters, sort=sort_key, offset=0,
                                     limit=min(wanted, MAX_PAGE))
            while len(page.items) < min(wanted, page.total):
                more = client.list_queue(**filters, sort=sort_key, offset=len(page.items),
                                         limit=min(wanted - len(page.items), MAX_PAGE))
                if not more.items:
                    break
                page.items.extend(more.items)
            return page

        self._backend.call(fetch, lambda page: self._replace(generation, page, keep=True),
                           lambda error: self._fail(generation, error))

    def _replace(self, generation: int, page: QueuePage, keep: bool) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        items = list(page.items)
        same_rows = keep and [r.case_id for r in self.rows] == [i.case_id for i in items]
        self.total = page.total
        if same_rows:
            self.rows = items
            if items:
                self.dataChanged.emit(self.index(0, 0),
                                      self.index(len(items) - 1, len(COLUMNS) - 1))
        else:
            self.beginResetModel()
            self.rows = items
            self.endResetModel()
        self._set_counts(page.counts)
        self.loaded.emit()

    def _append(self, generation: int, offset: int, page: QueuePage) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        self.total = page.total
        known = {row.case_id for row in self.rows}
        # rows may shift while paging (new cases, decisions): never show one twice
        fresh = [item for item in page.items if item.case_id not in known]
        if offset == len(self.rows) and fresh:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(fresh) - 1)
            self.rows.extend(fresh)
            self.endInsertRows()
        self._set_counts(page.counts)

    def _set_counts(self, counts: dict[str, int]) -> None:
        if counts != self.counts:
            self.counts = dict(counts)
            self.countsChanged.emit(self.counts)

    def _fail(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self._fetching = False
        message = error.message if isinstance(error, CentralError) else str(error)
        self.failed.emit(message)

    def row_of(self, case_id: str) -> int:
        return next((i for i, row in enumerate(self.rows) if row.case_id == case_id), -1)

    def busy(self) -> bool:
        return self._fetching
