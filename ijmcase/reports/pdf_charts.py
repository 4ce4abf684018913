"""Bar and line charts for PDF reports, in the report's fonts and colours.

Value axes start at zero (ReportLab's automatic minimum otherwise starts
near the smallest value, and a small bar vanishes or a small change looks
dramatic) and use whole-number steps for counts. The line chart can draw a
threshold, such as the restoration threshold of 3.0 on the 1-4 aftercare
outcome scale, as a dashed line with its own legend entry.

Chart text is drawn as plain strings, which ReportLab does not shape:
category and series names should be Latin-script labels (codes, dates,
domain names), never survivor names.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors

from ijmcase.reports.fonts import BASE_BOLD, BASE_FONT, register_fonts
from ijmcase.reports.pdf_styles import GRID, INK, MUTED, NAVY, PALETTE, PageGeometry

__all__ = [
    "RESTORATION_THRESHOLD",
    "Series",
    "bar_chart",
    "line_chart",
    "restoration_chart",
]

RESTORATION_THRESHOLD = 3.0
"""The default "restored" score (DOMAIN.md: a setting, 3.0 by default)."""

_LABEL_SIZE = 7.5
_TITLE_SIZE = 10
_THRESHOLD_COLOUR = colors.HexColor("#B00020")


@dataclass(frozen=True)
class Series:
    """One named series; None is a gap (no bar, a break in the line)."""

    name: str
    values: Sequence[float | None]


def _nice_axis(top: float, *, integer: bool) -> tuple[float, float]:
    """A maximum and step with about five ticks: 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return 1.0, 1.0 if integer else 0.2
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, math.ceil(step))
    return math.ceil(top / step) * step, step


def _format_number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    if not series:
        raise ValueError("A chart needs at least one series")
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(
                f"Series {s.name!r} has {len(s.values)} values for {len(categories)} categories"
            )


def _frame(title: str, width: float, height: float) -> tuple[Drawing, float]:
    register_fonts()
    drawing = Drawing(width, height)
    # The drawing's state starts in Helvetica otherwise, a non-embedded font.
    drawing.initialFontName = BASE_FONT  # type: ignore[attr-defined]  # missing from the stubs
    top = height
    if title:
        drawing.add(
            String(
                0,
                height - _TITLE_SIZE,
                title,
                fontName=BASE_BOLD,
                fontSize=_TITLE_SIZE,
                fillColor=NAVY,
            )
        )
        top -= _TITLE_SIZE + 8
    return drawing, top


def _legend(drawing: Drawing, pairs: list[tuple[colors.Color, str]], x: float, y: float) -> None:
    legend = Legend()
    legend.x = round(x)
    legend.y = round(y)
    legend.alignment = "right"
    legend.boxAnchor = "nw"
    legend.fontName = BASE_FONT
    legend.fontSize = _LABEL_SIZE
    legend.fillColor = INK
    legend.strokeColor = None
    legend.dx = 7
    legend.dy = 7
    legend.deltax = 8
    legend.columnMaximum = 1
    legend.variColumn = 1
    legend.colorNamePairs = pairs
    drawing.add(legend)


def _style_axes(chart: VerticalBarChart | HorizontalLineChart, categories: Sequence[str]) -> None:
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = BASE_FONT
    chart.categoryAxis.labels.fontSize = _LABEL_SIZE
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.strokeColor = MUTED
    chart.valueAxis.labels.fontName = BASE_FONT
    chart.valueAxis.labels.fontSize = _LABEL_SIZE
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = MUTED
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = GRID
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.valueAxis.labelTextFormat = _format_number


def _rotate_labels(
    chart: VerticalBarChart | HorizontalLineChart, categories: Sequence[str], plot_width: float
) -> float:
    """Slant category labels that would collide; return the room they need below."""
    slot = plot_width / max(1, len(categories))
    longest = max((len(c) for c in categories), default=0)
    if longest * _LABEL_SIZE * 0.55 > slot:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
        chart.categoryAxis.labels.dx = 2
        chart.categoryAxis.labels.dy = -2
        return min(70.0, 10 + longest * _LABEL_SIZE * 0.5 * 0.5)
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    return 16.0


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    width: float | None = None,
    height: float = 200,
    value_labels: bool = True,
) -> Drawing:
    """Grouped vertical bars, one group per category, one colour per series.

    The value axis starts at 0; counts get whole-number ticks and each bar
    is labelled with its exact value.
    """
    _check(categories, series)
    width = width if width is not None else PageGeometry().content_width
    drawing, top = _frame(title, width, height)
    values = [v for s in series for v in s.values if v is not None]
    integer = all(float(v).is_integer() for v in values)
    value_max, step = _nice_axis(max(values, default=0), integer=integer)

    chart = VerticalBarChart()
    left = 8 + 6 * len(_format_number(value_max))
    legend_room = 14.0 if len(series) > 1 else 0.0
    # The stubs type chart geometry as int; whole points are plenty.
    chart.x = round(left)
    chart.width = round(width - left - 4)
    bottom = _rotate_labels(chart, categories, chart.width) + legend_room
    chart.y = round(bottom)
    chart.height = round(top - bottom - (10 if value_labels else 2))
    chart.data = [tuple(s.values) for s in series]
    _style_axes(chart, categories)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = value_max
    chart.valueAxis.valueStep = step
    chart.bars.strokeColor = None
    chart.groupSpacing = 8
    chart.barSpacing = 1
    for index in range(len(series)):
        chart.bars[index].fillColor = PALETTE[index % len(PALETTE)]
    if value_labels:
        chart.barLabelFormat = _format_number
        chart.barLabels.fontName = BASE_FONT
        chart.barLabels.fontSize = _LABEL_SIZE - 0.5
        chart.barLabels.fillColor = INK
        chart.barLabels.nudge = 6
    drawing.add(chart)
    if len(series) > 1:
        _legend(
            drawing,
            [(PALETTE[i % len(PALETTE)], s.name) for i, s in enumerate(series)],
            left,
            legend_room - 2,
        )
    return drawing


def line_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    width: float | None = None,
    height: float = 200,
    value_min: float = 0.0,
    value_max: float | None = None,
    value_step: float | None = None,
    threshold: float | None = None,
    threshold_label: str = "Threshold",
) -> Drawing:
    """Lines with markers over evenly spaced categories (assessment rounds, months).

    ``threshold`` draws a dashed horizontal line at that value with a legend
    entry ``threshold_label``. The axis runs from ``value_min`` (0 unless
    told) to ``value_max`` (a round number above the data unless told).
    """
    _check(categories, series)
    width = width if width is not None else PageGeometry().content_width
    drawing, top = _frame(title, width, height)
    values = [v for s in series for v in s.values if v is not None]
    if threshold is not None:
        values.append(threshold)
    integer = all(float(v).is_integer() for v in values)
    if value_max is None:
        value_max, auto_step = _nice_axis(max(values, default=0), integer=integer)
        value_step = value_step or auto_step
    chart = HorizontalLineChart()
    left = 8 + 6 * len(_format_number(value_max))
    legend_room = 14.0
    chart.x = round(left)
    chart.width = round(width - left - 4)
    bottom = _rotate_labels(chart, categories, chart.width) + legend_room
    chart.y = round(bottom)
    chart.height = round(top - bottom - 4)
    data = [tuple(s.values) for s in series]
    pairs: list[tuple[colors.Color, str]] = [
        (PALETTE[i % len(PALETTE)], s.name) for i, s in enumerate(series)
    ]
    if threshold is not None:
        # The threshold is a flat extra series, so the chart scales it exactly
        # like the data.
        data.append(tuple(threshold for _ in categories))
        pairs.append((_THRESHOLD_COLOUR, f"{threshold_label} ({threshold:.1f})"))
    chart.data = data
    _style_axes(chart, categories)
    chart.valueAxis.valueMin = value_min
    chart.valueAxis.valueMax = value_max
    if value_step is not None:
        chart.valueAxis.valueStep = value_step
    chart.joinedLines = 1
    for index in range(len(series)):
        line = chart.lines[index]
        line.strokeColor = PALETTE[index % len(PALETTE)]
        line.strokeWidth = 1.6
        line.symbol = makeMarker(  # type: ignore[no-untyped-call]
            "FilledCircle", size=4, fillColor=PALETTE[index % len(PALETTE)]
        )
    if threshold is not None:
        line = chart.lines[len(series)]
        line.strokeColor = _THRESHOLD_COLOUR
        line.strokeWidth = 1
        line.strokeDashArray = (4, 3)
        line.symbol = None
    drawing.add(chart)
    _legend(drawing, pairs, left, legend_room - 2)
    return drawing


def restoration_chart(
    rounds: Sequence[str],
    domains: Mapping[str, Sequence[float | None]],
    *,
    threshold: float = RESTORATION_THRESHOLD,
    title: str = "Restoration scores by domain",
    width: float | None = None,
    height: float = 220,
) -> Drawing:
    """Aftercare progress: each domain's score (1-4) per assessment round, with the threshold."""
    return line_chart(
        rounds,
        [Series(name, values) for name, values in domains.items()],
        title=title,
        width=width,
        height=height,
        value_min=0,
        value_max=4,
        value_step=1,
        threshold=threshold,
        threshold_label="Restoration threshold",
    )
