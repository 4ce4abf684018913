"""The Calendar: hearings and statutory deadlines by month, week or agenda.

A month grid marks the days that have something (bold; red when a past
hearing still has no outcome or a deadline is overdue); beside it the
chosen day, week or month is listed in order, with the court's own time and
zone (a 10:00 hearing in Manila shows 10:00 wherever the laptop is). "My
cases only" narrows to the cases the user works on. The calendar and the
docket can be exported from here as from the command line (same service,
same audit).
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QBrush, QColor, QTextCharFormat
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.services.calendar import CalendarItem, CalendarKind
from ijmcase.services.context import Changes
from ijmcase.services.court_outputs import CourtOutputService, OutputResult
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["CalendarView"]

WATCHED = {"hearings", "proceedings", "cases"}
CASE_ROLE = Qt.ItemDataRole.UserRole

MODES = [("Day", 1), ("Week", 7), ("Month", 0), ("Agenda: next 30 days", 30)]


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class CalendarView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._marked: list[QDate] = []
        self._generation = 0
        self.setAccessibleName(self.tr("Calendar"))

        self.month = QCalendarWidget()
        self.month.setAccessibleName(self.tr("Month"))
        self.month.setGridVisible(True)
        self.month.selectionChanged.connect(self.reload)
        self.month.currentPageChanged.connect(lambda *_: self.reload())
        self.mode = QComboBox()
        self.mode.setAccessibleName(self.tr("Show"))
        for label, days in MODES:
            self.mode.addItem(self.tr(label), days)
        self.mode.setCurrentIndex(1)
        self.mode.currentIndexChanged.connect(self.reload)
        self.mine = QCheckBox(self.tr("&My cases only"))
        self.mine.setChecked(True)
        self.mine.toggled.connect(self.reload)
        self.today_button = QPushButton(self.tr("&Today"))
        self.today_button.clicked.connect(self._go_today)
        self.export_button = QPushButton(self.tr("Export &calendar (.ics)…"))
        self.export_button.clicked.connect(self._export_ics)
        self.docket_button = QPushButton(self.tr("&Docket (PDF)…"))
        self.docket_button.clicked.connect(self._export_docket)

        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.list = QTreeWidget()
        self.list.setAccessibleName(self.tr("Hearings and deadlines"))
        self.list.setHeaderLabels(
            [self.tr("When"), self.tr("Case"), self.tr("What"), self.tr("Where")]
        )
        self.list.setColumnWidth(0, 200)
        self.list.setColumnWidth(1, 120)
        self.list.setColumnWidth(2, 420)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._on_activated)
        self.status = QLabel()

        controls = QHBoxLayout()
        controls.addWidget(self.today_button)
        controls.addWidget(self.mode)
        controls.addWidget(self.mine)
        controls.addStretch(1)
        controls.addWidget(self.export_button)
        controls.addWidget(self.docket_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.title)
        right_layout.addWidget(self.list, 1)
        right_layout.addWidget(self.status)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.month)
        left_layout.addStretch(1)
        self.month.setMaximumHeight(320)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([360, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(split, 1)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self.reload()

    # -- range ------------------------------------------------------------

    def current_range(self) -> tuple[date, date]:
        """First and last day listed (inclusive)."""
        day = _pydate(self.month.selectedDate())
        days = self.mode.currentData()
        if days == 0:  # the month shown in the grid
            first = date(self.month.yearShown(), self.month.monthShown(), 1)
            last = _pydate(_qdate(first).addMonths(1).addDays(-1))
            return first, last
        if days == 7:
            first = day - timedelta(days=day.weekday())
            return first, first + timedelta(days=6)
        return day, day + timedelta(days=days - 1)

    def _go_today(self) -> None:
        self.month.setSelectedDate(QDate.currentDate())
        self.month.showToday()

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        first, last = self.current_range()
        # The grid marks a whole month (plus the days around it that it shows).
        grid_first = date(self.month.yearShown(), self.month.monthShown(), 1) - timedelta(days=7)
        grid_last = grid_first + timedelta(days=50)
        lo, hi = min(first, grid_first), max(last, grid_last)
        mine = self.mine.isChecked()
        calendar = self._ctx.services.get(CourtOutputService)
        self.status.setText(self.tr("Loading…"))

        def fetch() -> list[CalendarItem]:
            return calendar.items(lo, hi, mine=mine)

        self._ctx.ops.read(
            fetch,
            lambda items: self._on_loaded(generation, first, last, items),
            on_error=lambda exc: self.status.setText(error_text(exc)),
        )

    def _on_loaded(
        self, generation: int, first: date, last: date, items: list[CalendarItem]
    ) -> None:
        if generation != self._generation:
            return
        self._mark(items)
        locale = QLocale()
        self.title.setText(
            locale.toString(_qdate(first), "d MMM yyyy")
            + ("" if first == last else " – " + locale.toString(_qdate(last), "d MMM yyyy"))
        )
        self.list.clear()
        shown = [i for i in items if first <= i.on <= last]
        current_day: date | None = None
        for item in shown:
            if item.on != current_day:
                current_day = item.on
                day = QTreeWidgetItem([locale.toString(_qdate(item.on), "dddd d MMMM yyyy")])
                font = day.font(0)
                font.setBold(True)
                day.setFont(0, font)
                day.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.list.addTopLevelItem(day)
                day.setFirstColumnSpanned(True)
            self.list.addTopLevelItem(self._row(item))
        hearings = sum(1 for i in shown if i.kind is CalendarKind.HEARING)
        self.status.setText(
            self.tr("%1 hearing(s), %2 deadline(s)")
            .replace("%1", str(hearings))
            .replace("%2", str(len(shown) - hearings))
            if shown
            else self.tr("Nothing on these days.")
        )

    def _row(self, item: CalendarItem) -> QTreeWidgetItem:
        if item.starts_at is not None:
            when = f"{item.starts_at:%H:%M} ({item.timezone})"
        else:
            when = self.tr("deadline")
        row = QTreeWidgetItem([when, item.case_code, item.title, item.location])
        row.setData(0, CASE_ROLE, item.case_id)
        row.setToolTip(2, item.details)
        if item.overdue:
            for column in range(4):
                row.setForeground(column, QBrush(QColor("#a50e0e")))
        return row

    def _mark(self, items: list[CalendarItem]) -> None:
        for q in self._marked:
            self.month.setDateTextFormat(q, QTextCharFormat())
        self._marked = []
        late = {i.on for i in items if i.overdue}
        for on in {i.on for i in items}:
            fmt = QTextCharFormat()
            fmt.setFontWeight(700)
            fmt.setBackground(QBrush(QColor("#fde7e7" if on in late else "#e8f0fe")))
            q = _qdate(on)
            self.month.setDateTextFormat(q, fmt)
            self._marked.append(q)

    # -- actions ----------------------------------------------------------

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        case_id = item.data(0, CASE_ROLE)
        if isinstance(case_id, uuid.UUID):
            self._ctx.open_case(case_id)

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & WATCHED:
            self.reload()

    def _ask_path(self, title: str, name: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        return Path(path) if path else None

    def _export_ics(self) -> None:
        path = self._ask_path(self.tr("Export calendar"), "hearings.ics", "iCalendar (*.ics)")
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        service = self._ctx.services.get(CourtOutputService)
        mine = self.mine.isChecked()
        self._ctx.ops.write(
            lambda: service.export_calendar(path, mine=mine),
            self._on_exported,
            parent=self,
            on_error=lambda exc: self.status.setText(error_text(exc)),
            label=self.tr("Writing the calendar…"),
        )

    def _export_docket(self) -> None:
        path = self._ask_path(self.tr("Docket"), "docket.pdf", "PDF (*.pdf)")
        if path is None:
            return
        service = self._ctx.services.get(CourtOutputService)
        first, last = self.current_range()
        mine = self.mine.isChecked()
        self._ctx.ops.write(
            lambda: service.docket_report(
                path, days=(last - first).days + 1, start=first, mine=mine
            ),
            self._on_exported,
            parent=self,
            on_error=lambda exc: self.status.setText(error_text(exc)),
            label=self.tr("Building the docket…"),
        )

    def _on_exported(self, result: OutputResult) -> None:
        self.status.setText(self.tr("Written: %s") % result.path)
