"""A survivor's outcome scores over time, drawn with QPainter.

PySide6-Essentials ships no QtCharts, so this widget draws the chart itself:
one point per assessment along the x axis (its date), the 1–4 score scale on
the y axis, one line per domain with a legend, and the restoration threshold
as a dashed line. Lines that sit on the same score are nudged a pixel or two
apart so a domain is never hidden behind another, and each domain has its own
marker shape as well as its own colour (colour alone fails colour-blind
readers and grey-scale printouts).

A chart says nothing to a screen reader, so the same numbers are offered as
text: ``summary()`` (the accessible description), ``table_rows()`` (for a
table beside the chart) and a tooltip.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from ijmcase.services.assessments import SurvivorProgress

__all__ = ["ChartData", "ProgressChart"]

# Okabe–Ito: distinguishable with the common kinds of colour blindness.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
MARKERS = ["circle", "square", "triangle", "diamond", "cross", "triangle_down", "circle"]
Y_MIN, Y_MAX = 1.0, 4.0


@dataclass(frozen=True)
class ChartData:
    """What the chart draws: x labels, domain label -> values, the threshold."""

    rounds: tuple[str, ...] = ()
    series: tuple[tuple[str, tuple[float | None, ...]], ...] = ()
    threshold: float = 3.0

    @classmethod
    def of(
        cls, rounds: Sequence[str], series: Mapping[str, Sequence[float | None]], threshold: float
    ) -> ChartData:
        return cls(tuple(rounds), tuple((k, tuple(v)) for k, v in series.items()), threshold)

    @classmethod
    def from_progress(cls, progress: SurvivorProgress) -> ChartData:
        return cls.of(progress.rounds, progress.chart_series(), float(progress.threshold))


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


class ProgressChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = ChartData()
        self.setAccessibleName(self.tr("Progress chart: domain scores over time"))
        self.setMinimumSize(360, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # Focusable so a screen-reader user can land on it and hear the description.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAutoFillBackground(True)
        self._describe()

    # -- data ---------------------------------------------------------------

    @property
    def data(self) -> ChartData:
        return self._data

    def set_data(self, data: ChartData) -> None:
        self._data = data
        self._describe()
        self.update()

    def set_progress(self, progress: SurvivorProgress | None) -> None:
        self.set_data(ChartData() if progress is None else ChartData.from_progress(progress))

    def table_rows(self) -> list[list[str]]:
        """Header row (domain, then each date) and one row per domain."""
        rows = [[self.tr("Domain"), *self._data.rounds]]
        rows.extend([label, *(_fmt(v) for v in values)] for label, values in self._data.series)
        return rows

    def summary(self) -> str:
        d = self._data
        if not d.rounds:
            return self.tr("No assessments yet.")
        parts = [
            self.tr("%1 assessment(s) from %2 to %3; restoration threshold %4.")
            .replace("%1", str(len(d.rounds)))
            .replace("%2", d.rounds[0])
            .replace("%3", d.rounds[-1])
            .replace("%4", f"{d.threshold:.1f}")
        ]
        for label, values in d.series:
            parts.append(f"{label}: {', '.join(_fmt(v) for v in values)}.")
        return " ".join(parts)

    def _describe(self) -> None:
        text = self.summary()
        self.setAccessibleDescription(text)
        rows = self.table_rows()
        if len(rows[0]) > 1:
            cells = "".join(
                "<tr>" + "".join(f"<td>{c}&nbsp;</td>" for c in row) + "</tr>" for row in rows
            )
            self.setToolTip(f"<table>{cells}</table>")
        else:
            self.setToolTip(text)

    # -- drawing ------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(640, 300)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        pal = self.palette()
        painter.fillRect(self.rect(), pal.base())
        fm = QFontMetrics(self.font())
        text_colour = pal.text().color()
        d = self._data
        legend_w = self._legend_width(fm)
        left = fm.horizontalAdvance("4.0") + 14
        top = fm.height()
        bottom = fm.height() * 2 + 10
        plot = QRectF(
            left,
            top,
            max(10.0, self.width() - left - legend_w - 16),
            max(10.0, self.height() - top - bottom),
        )

        def y_of(value: float) -> float:
            return plot.bottom() - (value - Y_MIN) / (Y_MAX - Y_MIN) * plot.height()

        # Grid and y axis: the four scores.
        grid = QColor(pal.mid().color())
        grid.setAlpha(90)
        for score in (1, 2, 3, 4):
            y = y_of(score)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(0, y - fm.height() / 2, left - 6, fm.height()),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                str(score),
            )
        painter.setPen(QPen(text_colour, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())

        if not d.rounds:
            painter.drawText(plot, int(Qt.AlignmentFlag.AlignCenter), self.tr("No assessments yet"))
            self._paint_threshold(painter, plot, y_of(d.threshold), fm)
            return

        # X positions: one slot per assessment, the first and last inset from the axes.
        n = len(d.rounds)
        step = plot.width() / n
        xs = [plot.left() + step * (i + 0.5) for i in range(n)]
        # Date labels: skip some when they would overlap.
        label_w = max(fm.horizontalAdvance(r) for r in d.rounds) + 8
        every = max(1, math.ceil(label_w / max(step, 1.0)))
        painter.setPen(text_colour)
        for i, (x, label) in enumerate(zip(xs, d.rounds, strict=True)):
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            if i % every == 0:
                painter.drawText(
                    QRectF(x - label_w / 2, plot.bottom() + 6, label_w, fm.height()),
                    int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                    label,
                )
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 8 + fm.height(), plot.width(), fm.height()),
            int(Qt.AlignmentFlag.AlignHCenter),
            self.tr("Assessment date"),
        )

        self._paint_threshold(painter, plot, y_of(d.threshold), fm)

        count = len(d.series)
        for index, (_label, values) in enumerate(d.series):
            colour = QColor(PALETTE[index % len(PALETTE)])
            # Nudge each line a little so equal scores do not hide each other.
            nudge = (index - (count - 1) / 2) * 2.0
            points = [
                None if v is None else QPointF(x, y_of(v) + nudge)
                for x, v in zip(xs, values, strict=False)
            ]
            pen = QPen(colour, 2)
            painter.setPen(pen)
            previous: QPointF | None = None
            for point in points:
                if point is not None and previous is not None:
                    painter.drawLine(previous, point)
                previous = point
            for point in points:
                if point is not None:
                    self._marker(painter, point, MARKERS[index % len(MARKERS)], colour)

        self._paint_legend(painter, fm, legend_w, top)

    def _paint_threshold(self, painter: QPainter, plot: QRectF, y: float, fm: QFontMetrics) -> None:
        colour = QColor("#b00020")
        pen = QPen(colour, 1.5, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(colour)
        text = self.tr("Restored ≥ %s") % f"{self._data.threshold:.1f}"
        painter.drawText(
            QRectF(plot.left() + 4, y - fm.height() - 1, plot.width() - 8, fm.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
            text,
        )

    def _legend_width(self, fm: QFontMetrics) -> int:
        labels = [label for label, _ in self._data.series]
        if not labels:
            return 0
        widest = max(fm.horizontalAdvance(label) for label in labels)
        # Never more than a third of the widget: long labels are elided instead.
        return min(widest + 34, max(120, self.width() // 3))

    def _paint_legend(self, painter: QPainter, fm: QFontMetrics, width: int, top: int) -> None:
        x0 = self.width() - width - 4
        line_h = fm.height() + 6
        for index, (label, _values) in enumerate(self._data.series):
            colour = QColor(PALETTE[index % len(PALETTE)])
            y = top + index * line_h + line_h / 2
            painter.setPen(QPen(colour, 2))
            painter.drawLine(QPointF(x0, y), QPointF(x0 + 20, y))
            self._marker(painter, QPointF(x0 + 10, y), MARKERS[index % len(MARKERS)], colour)
            painter.setPen(self.palette().text().color())
            text = fm.elidedText(label, Qt.TextElideMode.ElideRight, width - 28)
            painter.drawText(
                QRectF(x0 + 26, y - fm.height() / 2, width - 26, fm.height()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                text,
            )
        y = top + len(self._data.series) * line_h + line_h / 2
        painter.setPen(QPen(QColor("#b00020"), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x0, y), QPointF(x0 + 20, y))
        painter.setPen(self.palette().text().color())
        painter.drawText(
            QRectF(x0 + 26, y - fm.height() / 2, width - 26, fm.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            fm.elidedText(self.tr("Threshold"), Qt.TextElideMode.ElideRight, width - 28),
        )

    @staticmethod
    def _marker(painter: QPainter, at: QPointF, shape: str, colour: QColor) -> None:
        r = 4.0
        painter.setPen(QPen(colour, 1.5))
        painter.setBrush(colour)
        if shape == "circle":
            painter.drawEllipse(at, r, r)
        elif shape == "square":
            painter.drawRect(QRectF(at.x() - r, at.y() - r, 2 * r, 2 * r))
        elif shape == "diamond":
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(at.x(), at.y() - r - 1),
                        QPointF(at.x() + r + 1, at.y()),
                        QPointF(at.x(), at.y() + r + 1),
                        QPointF(at.x() - r - 1, at.y()),
                    ]
                )
            )
        elif shape in ("triangle", "triangle_down"):
            sign = -1 if shape == "triangle" else 1
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(at.x(), at.y() + sign * (r + 1)),
                        QPointF(at.x() + r + 1, at.y() - sign * r),
                        QPointF(at.x() - r - 1, at.y() - sign * r),
                    ]
                )
            )
        else:
            path = QPainterPath()
            path.moveTo(at.x() - r, at.y() - r)
            path.lineTo(at.x() + r, at.y() + r)
            path.moveTo(at.x() + r, at.y() - r)
            path.lineTo(at.x() - r, at.y() + r)
            painter.setPen(QPen(colour, 2.5))
            painter.drawPath(path)
        painter.setBrush(Qt.BrushStyle.NoBrush)
