"""The directors' dashboard: the program's figures for a period, country and
office, each one a button that opens the cases behind it.

The figures come from ``MetricsService.dashboard`` (aggregated in SQL, the
same numbers as the program report). This view walks each section's
figures: counts, rates and medians become tiles; a breakdown becomes a bar
chart (a picture reads faster than a table); a section whose records are
not kept yet says so instead of showing zeros. Exact counts, never rounded;
cells smaller than the organization's threshold are shown as "<N" here too,
so a screen shared in a meeting re-identifies no one.
"""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.periods import Period
from ijmcase.services.cases import CaseService
from ijmcase.services.context import Changes
from ijmcase.services.metrics import MetricsService
from ijmcase.services.metrics_models import (
    Breakdown,
    Count,
    CrossTab,
    Dashboard,
    Median,
    Ratio,
)
from ijmcase.services.metrics_scope import MetricFilter
from ijmcase.ui.forms import date_edit
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["BarChart", "DashboardView"]

SECTIONS = [
    ("cases", "Cases"),
    ("survivors", "Survivors brought to safety"),
    ("accountability", "Perpetrator accountability"),
    ("hearings", "Hearings"),
    ("interventions", "Interventions"),
    ("aftercare", "Aftercare"),
    ("referrals", "Referrals"),
    ("prevention", "Structural prevention"),
]
WATCHED = {
    "cases",
    "tracks",
    "interventions",
    "hearings",
    "proceedings",
    "assessments",
    "aftercare",
    "referrals",
    "engagements",
    "prevention",
}


def _day(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class BarChart(QWidget):
    """Horizontal bars with their exact values, for one breakdown."""

    def __init__(self, breakdown: Breakdown, small: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items = [i for i in breakdown.items if i.value > 0] or list(breakdown.items)
        self.small = small
        self.setMinimumHeight(22 * max(1, len(self.items)) + 8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(breakdown.label)
        self.setToolTip("\n".join(f"{i.label}: {_shown(i.value, small)}" for i in breakdown.items))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        label_width = min(260, self.width() // 3)
        top = 4
        peak = max((i.value for i in self.items), default=0) or 1
        for item in self.items:
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRectF(0, top, label_width - 6, 18),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                painter.fontMetrics().elidedText(
                    item.label, Qt.TextElideMode.ElideRight, label_width - 6
                ),
            )
            span = (self.width() - label_width - 60) * item.value / peak
            painter.fillRect(QRectF(label_width, top + 2, max(span, 1), 14), QColor("#1a73e8"))
            painter.drawText(
                QRectF(label_width + span + 4, top, 56, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _shown(item.value, self.small),
            )
            top += 22
        painter.end()


def _shown(value: int, small: int) -> str:
    return f"<{small}" if 0 < value < small else f"{value:,}"


class DashboardView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self.dashboard: Dashboard | None = None
        self.setAccessibleName(self.tr("Dashboard"))

        self.start = date_edit(self.tr("From"))
        self.start.setDate(QDate(QDate.currentDate().year(), 1, 1))
        self.end = date_edit(self.tr("To"))
        self.country = QComboBox()
        self.country.setAccessibleName(self.tr("Country"))
        self.country.addItem(self.tr("All countries"), None)
        for code, c in sorted(COUNTRIES.items(), key=lambda kv: kv[1].name):
            self.country.addItem(f"{c.name} ({code})", code)
        self.office = QComboBox()
        self.office.setAccessibleName(self.tr("Office"))
        self.office.addItem(self.tr("All offices"), None)
        self.refresh_button = QPushButton(self.tr("&Show"))
        self.refresh_button.clicked.connect(self.reload)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("&From"), self.start),
            (self.tr("&To"), self.end),
            (self.tr("C&ountry"), self.country),
            (self.tr("O&ffice"), self.office),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.refresh_button)
        filters.addStretch(1)

        self.status = QLabel()
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.body)
        self.drill = QListWidget()
        self.drill.setAccessibleName(self.tr("Cases behind the figure"))
        self.drill.itemActivated.connect(self._open_drilled)
        self.drill_title = QLabel(self.tr("Click a figure to list the cases behind it."))
        self.drill_title.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(self.drill_title)
        side.addWidget(self.drill, 1)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(320)
        main = QHBoxLayout()
        main.addWidget(scroll, 1)
        main.addWidget(side_widget)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.status)
        layout.addLayout(main, 1)
        self.tiles: dict[str, QPushButton] = {}
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        ctx.ops.read(ctx.services.get(CaseService).offices, self._fill_offices)
        self.reload()

    def _fill_offices(self, offices: list[tuple[uuid.UUID, str, str, str]]) -> None:
        for oid, code, name, _country in offices:
            self.office.addItem(f"{name} ({code})", oid)

    def metric_filter(self) -> MetricFilter:
        return MetricFilter(
            period=Period(_day(self.start.date()), _day(self.end.date())),
            country=self.country.currentData(),
            office_id=self.office.currentData(),
        )

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        metrics = self._ctx.services.get(MetricsService)
        try:
            flt = self.metric_filter().normalized()
        except Exception as exc:  # a period that ends before it starts
            self.status.setText(error_text(exc))
            return
        self.status.setText(self.tr("Counting…"))
        self._ctx.ops.read(
            lambda: metrics.dashboard(flt),
            lambda d: self._on_loaded(generation, d),
            on_error=lambda exc: self.status.setText(error_text(exc)),
        )

    def _on_loaded(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self._generation:
            return
        self.dashboard = dashboard
        self.status.setText(
            self.tr("No cases in this period and place.")
            if dashboard.is_empty
            else self.tr("Figures as of %1. Counts below %2 are shown as \u201c<%2\u201d.")
            .replace("%1", dashboard.as_of.isoformat())
            .replace("%2", str(dashboard.small_cell_threshold))
        )
        while self.body_layout.count():
            item = self.body_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.tiles = {}
        for attr, title in SECTIONS:
            self.body_layout.addWidget(self._section(title, getattr(dashboard, attr)))
        self.body_layout.addStretch(1)

    def _section(self, title: str, section: Any) -> QGroupBox:
        box = QGroupBox(self.tr(title))
        layout = QVBoxLayout(box)
        note = getattr(section, "note", "")
        availability = str(getattr(section, "availability", "ready"))
        if availability != "ready":
            label = QLabel(note or self.tr("No data yet."))
            label.setStyleSheet("color: palette(dark);")
            label.setWordWrap(True)
            layout.addWidget(label)
            if availability == "not_recorded":
                return box
        grid = QGridLayout()
        charts: list[QWidget] = []
        column = 0
        for figure in self._figures(section):
            if isinstance(figure, Breakdown):
                caption = QLabel(f"<b>{figure.label}</b>")
                charts.append(caption)
                charts.append(BarChart(figure, self._small()))
                continue
            tile = self._tile(figure)
            grid.addWidget(tile, column // 3, column % 3)
            column += 1
        layout.addLayout(grid)
        for chart in charts:
            layout.addWidget(chart)
        return box

    def _figures(self, section: Any) -> list[Any]:
        """Counts, rates, medians and breakdowns of a section, nested ones too."""
        found: list[Any] = []
        if not dataclasses.is_dataclass(section):
            return found
        for field in dataclasses.fields(section):
            value = getattr(section, field.name)
            if isinstance(value, Count | Ratio | Median | Breakdown):
                found.append(value)
            elif isinstance(value, CrossTab):
                continue  # two-way tables belong in the report, not on tiles
            elif dataclasses.is_dataclass(value) and not isinstance(value, type):
                found.extend(self._figures(value))
        return found

    def _small(self) -> int:
        return self.dashboard.small_cell_threshold if self.dashboard else 5

    def _tile(self, figure: Count | Ratio | Median) -> QPushButton:
        if isinstance(figure, Count):
            text = _shown(figure.value, self._small())
        elif isinstance(figure, Ratio):
            text = "–" if figure.value is None else f"{figure.value:.0%}"
            text += f"  ({figure.numerator:,}/{figure.denominator:,})"
        else:
            text = "–" if figure.value is None else f"{figure.value:g} {figure.unit}"
        button = QPushButton(f"{text}\n{figure.label}")
        button.setStyleSheet("text-align: left; padding: 6px; font-size: 11pt;")
        button.setMinimumHeight(56)
        # Tiles share the width; a long label is cut, its full text is the tooltip.
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        button.setAccessibleName(f"{figure.label}: {text}")
        button.setToolTip(f"{figure.label}: {text}\n" + self.tr("Click to list the cases."))
        button.clicked.connect(lambda _c=False, f=figure: self.drill_down(f.key, f.label))
        self.tiles[figure.key] = button
        return button

    # -- drill-down -------------------------------------------------------

    def drill_down(self, key: str, label: str) -> None:
        metrics = self._ctx.services.get(MetricsService)
        cases = self._ctx.services.get(CaseService)
        flt = self.metric_filter()

        def fetch() -> list[tuple[uuid.UUID, str, str]]:
            ids = metrics.cases_behind(key, flt)
            return [(r.id, r.code, r.title) for r in cases.rows(ids[:1000])]

        self.drill_title.setText(self.tr("Cases behind: %s") % label)
        self._ctx.ops.read(fetch, self._show_drilled)

    def _show_drilled(self, rows: list[tuple[uuid.UUID, str, str]]) -> None:
        self.drill.clear()
        for case_id, code, title in rows:
            item = QListWidgetItem(f"{code}  {title}")
            item.setData(Qt.ItemDataRole.UserRole, case_id)
            self.drill.addItem(item)
        if not rows:
            self.drill.addItem(self.tr("No cases."))

    def _open_drilled(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(case_id, uuid.UUID):
            self._ctx.open_case(case_id)

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & WATCHED:
            self.reload()
