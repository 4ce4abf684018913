"""The case list as a Qt table model over case ids (Anki's browser model).

The model holds only the ordered ids of the matching cases (filtered and
sorted in SQL). Rows are fetched a page at a time on the worker when the
view first asks for them; until a page arrives its cells show a placeholder,
so scrolling through 100,000 cases never waits on the database. A new
filter stops the previous filter's full id list if it is still being read,
so typing a search never waits behind a list nobody will see.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from ijmcase.domain.enums import Stage, TrackStatus
from ijmcase.services.cases import CaseFilter, CaseRow, CaseService
from ijmcase.services.context import Changes
from ijmcase.ui.worker import Worker

__all__ = ["COLUMNS", "CaseTableModel"]

PAGE = 200

# (header, sort key in SQL or None, how to show a row)
COLUMNS: list[tuple[str, str | None, Callable[[CaseRow], str]]] = [
    ("Code", "code", lambda r: r.code),
    ("Title", "title", lambda r: r.title),
    ("Type", "violence_type", lambda r: r.violence_type.label),
    ("Country", "country", lambda r: r.country),
    ("Office", None, lambda r: r.office_code),
    ("Opened", "opened_on", lambda r: r.opened_on.isoformat()),
    ("Risk", "risk_level", lambda r: r.risk_level.label),
] + [
    (stage.value.capitalize(), None, (lambda s: lambda r: _status(r, s))(stage)) for stage in Stage
]

_STATUS_TEXT = {
    TrackStatus.NOT_STARTED: "–",
    TrackStatus.ACTIVE: "Active",
    TrackStatus.COMPLETED: "Done",
    TrackStatus.NOT_APPLICABLE: "n/a",
}


def _status(row: CaseRow, stage: Stage) -> str:
    return _STATUS_TEXT[row.status_of(stage)]


Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    """Rows = matching case ids; cells filled from pages fetched on demand."""

    load_failed = Signal(str)
    count_changed = Signal(int)
    # Emitted after the id list was replaced because a write changed which cases
    # match; carries the ids selected before, so the view can select them again.
    rows_replaced = Signal(object)

    def __init__(self, cases: CaseService, worker: Worker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cases = cases
        self._worker = worker
        self._filter = CaseFilter()
        self._ids: list[uuid.UUID] = []
        self._position: dict[uuid.UUID, int] = {}
        self._rows: dict[uuid.UUID, CaseRow] = {}
        self._requested: set[int] = set()
        self._generation = 0

    # -- loading ----------------------------------------------------------

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    def set_filter(self, flt: CaseFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """Fetch the matching ids again (after a filter change or a write).

        Two jobs: the first page (ids and rows, as fast as the raw query for
        one page), then the full id list, which at 100,000 cases takes a few
        hundred milliseconds and extends the table below the rows already
        shown. A newer reload interrupts a full-list query still running (on
        SQLite), and the stopped job's result is dropped without a word."""
        self._generation += 1
        generation, flt = self._generation, self._filter

        def superseded() -> bool:
            # Read on the worker thread while the GUI thread may bump it: a
            # plain int read, which is safe in CPython.
            return generation != self._generation

        # A request overtaken while it waited in the queue is not run at all:
        # typing a search or restoring the header would otherwise queue queries.
        def first() -> tuple[list[uuid.UUID], list[CaseRow]] | None:
            if superseded():
                return None
            ids = self._cases.ids(flt, limit=PAGE)
            return ids, self._cases.rows(ids)

        def everything() -> tuple[list[uuid.UUID], dict[uuid.UUID, int]] | None:
            if superseded():
                return None
            # The full list is the slow query (a few hundred milliseconds at
            # 100,000 cases); a newer filter stops it where it is, instead of
            # waiting behind it for its own first page. Stopped: no answer.
            ids = self._cases.ids(flt, cancelled=superseded)
            if ids is None:
                return None
            return ids, {case_id: i for i, case_id in enumerate(ids)}

        self._worker.submit(first, lambda r: self._on_first(generation, r), self._on_error)
        self._worker.submit(everything, lambda r: self._on_ids(generation, r), self._on_error)

    def _on_first(
        self, generation: int, result: tuple[list[uuid.UUID], list[CaseRow]] | None
    ) -> None:
        if result is None or generation != self._generation:
            return
        ids, rows = result
        self.beginResetModel()
        self._ids = ids
        self._position = {case_id: i for i, case_id in enumerate(ids)}
        self._rows = {row.id: row for row in rows}
        self._requested = {0}
        self.endResetModel()

    def _on_ids(
        self,
        generation: int,
        result: tuple[list[uuid.UUID], dict[uuid.UUID, int]] | None,
    ) -> None:
        if result is None or generation != self._generation:
            return  # a newer filter was asked for meanwhile
        ids, position = result
        shown = len(self._ids)
        if ids[:shown] == self._ids:
            # The first page is still the first page: add the rest below it.
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self._position = position
                self.endInsertRows()
        else:
            self._replace(ids, position)
        self.count_changed.emit(len(ids))

    def _replace(self, ids: list[uuid.UUID], position: dict[uuid.UUID, int]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._position = position
        self._rows.clear()
        self._requested.clear()
        self.endResetModel()

    def apply_changes(self, changes: Changes) -> None:
        """After a write: redraw the changed rows in place, then check whether
        the set of matching cases moved (a new case, a closed one leaving the
        "open" filter) and only then replace the list."""
        if not changes.touches("cases"):
            return
        shown = [cid for cid in changes.case_ids if cid in self._position]
        generation, flt = self._generation, self._filter

        def superseded() -> bool:
            return generation != self._generation

        def fetch() -> tuple[list[CaseRow], list[uuid.UUID]] | None:
            if superseded():
                return None
            rows = self._cases.rows(shown) if shown else []
            # The full list again: a newer filter stops it, as in reload.
            ids = self._cases.ids(flt, cancelled=superseded)
            return None if ids is None else (rows, ids)

        def done(result: tuple[list[CaseRow], list[uuid.UUID]] | None) -> None:
            if result is None or generation != self._generation:
                return
            rows, ids = result
            for row in rows:
                self._rows[row.id] = row
                at = self._position.get(row.id)
                if at is not None:
                    self.dataChanged.emit(self.index(at, 0), self.index(at, len(COLUMNS) - 1))
            if ids != self._ids:
                self._replace(ids, {c: i for i, c in enumerate(ids)})
                self.count_changed.emit(len(ids))
                self.rows_replaced.emit(list(changes.case_ids))

        self._worker.submit(fetch, done, self._on_error)

    def row_of(self, case_id: uuid.UUID) -> int | None:
        return self._position.get(case_id)

    def _request_page(self, page: int) -> None:
        if page in self._requested:
            return
        self._requested.add(page)
        generation = self._generation
        ids = self._ids[page * PAGE : (page + 1) * PAGE]

        def fetch() -> list[CaseRow] | None:
            return None if generation != self._generation else self._cases.rows(ids)

        self._worker.submit(
            fetch, lambda rows: self._on_rows(generation, page, rows), self._on_error
        )

    def _on_rows(self, generation: int, page: int, rows: list[CaseRow] | None) -> None:
        if rows is None or generation != self._generation:
            return
        for row in rows:
            self._rows[row.id] = row
        first = page * PAGE
        last = min(first + PAGE, len(self._ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    def _on_error(self, exc: BaseException) -> None:
        self.load_failed.emit(str(exc))

    def row_at(self, row: int) -> CaseRow | None:
        if not 0 <= row < len(self._ids):
            return None
        return self._rows.get(self._ids[row])

    def id_at(self, row: int) -> uuid.UUID | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    # -- Qt model interface ----------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self.row_at(index.row())
        if row is None:
            self._request_page(index.row() // PAGE)
            return "…" if index.column() == 0 else ""
        text = COLUMNS[index.column()][2](row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.title if index.column() == 1 else None
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self.tr(COLUMNS[section][0])
        return None

    def _ordered(self, column: int, order: Qt.SortOrder) -> CaseFilter | None:
        """The filter sorted by ``column``, or None if that column is not sortable
        in SQL or the order is already the one in force."""
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if key is None or (key, descending) == (self._filter.sort, self._filter.descending):
            return None
        return replace(self._filter, sort=key, descending=descending)  # type: ignore[arg-type]

    def set_order(self, column: int, order: Qt.SortOrder) -> None:
        """Adopt an order without loading (the caller loads next)."""
        self._filter = self._ordered(column, order) or self._filter

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        ordered = self._ordered(column, order)
        if ordered is not None:
            self.set_filter(ordered)
