"""The portfolio report: the program summary a director takes to a board.

The service (``services.reporting``) decides every figure and how it reads
(exact, or "<5" when suppressed) and hands over a :class:`PortfolioReport`;
this module lays it out: key figures as tiles, then one section per part
of the work with its figures, charts and tables, and a closing note on
method. A period with nothing in it gives a short report that says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ijmcase.reports.fonts import BASE_FONT
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.pdf_base import build_pdf, heading, key_value_table, para
from ijmcase.reports.pdf_charts import Series, bar_chart
from ijmcase.reports.pdf_counts import Figure, count_table, figure_tiles
from ijmcase.reports.pdf_styles import PageGeometry, ReportStyles, report_styles
from ijmcase.reports.progress import CancelCheck, ProgressCallback

__all__ = [
    "ChartData",
    "CountTable",
    "Figure",
    "PortfolioReport",
    "PortfolioSection",
    "build_portfolio_pdf",
]


@dataclass(frozen=True)
class CountTable:
    """A table of counts as text; ``total`` is the bold last row, if any."""

    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...] | None = None
    note: str = ""


@dataclass(frozen=True)
class ChartData:
    """A bar chart: one value per category and series; None draws no bar
    (a suppressed small count)."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int | None, ...]], ...]
    note: str = ""


@dataclass(frozen=True)
class PortfolioSection:
    """A heading, a sentence on what is counted, the figures, notes (such as
    "no data yet"), then charts and tables in the order given."""

    title: str
    intro: str = ""
    figures: tuple[Figure, ...] = ()
    blocks: tuple[ChartData | CountTable, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PortfolioReport:
    key_figures: tuple[Figure, ...]
    sections: tuple[PortfolioSection, ...]
    method: tuple[str, ...] = field(default_factory=tuple)
    # Set when nothing in the filter can be reported: the report says only this.
    empty_message: str = ""


def _labels_fit(chart: ChartData) -> bool:
    """Whether each bar's value fits above it (many wide numbers would overlap;
    the table beside such a chart has them)."""
    bars = max(1, len(chart.categories) * len(chart.series))
    slot = PageGeometry().content_width * 0.9 / bars
    values = [v for _, series in chart.series for v in series if v is not None]
    widest = max((stringWidth(f"{v:,}", BASE_FONT, 7) for v in values), default=0.0)
    return widest + 2 <= slot


def _chart(chart: ChartData, styles: ReportStyles) -> list[Flowable]:
    drawing = bar_chart(
        chart.categories,
        [Series(name, values) for name, values in chart.series],
        title=chart.title,
        height=175 if len(chart.categories) <= 8 else 220,
        value_labels=_labels_fit(chart),
    )
    out: list[Flowable] = [drawing]
    if chart.note:
        out.append(para(chart.note, styles.small))
    out.append(Spacer(1, 6))
    return [KeepTogether(out)]


def _table(table: CountTable, styles: ReportStyles) -> list[Flowable]:
    parts: list[Flowable] = [heading(table.title, styles, level=2)]
    parts.append(count_table(table.header, table.rows, styles, total=table.total))
    if table.note:
        parts.append(Spacer(1, 2))
        parts.append(para(table.note, styles.small))
    parts.append(Spacer(1, 6))
    # A short table stays with its title; a long one may break after a few rows.
    return [KeepTogether(parts)] if len(table.rows) <= 25 else parts


def _section(section: PortfolioSection, styles: ReportStyles) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(140), heading(section.title, styles)]
    if section.intro:
        story.append(para(section.intro, styles.body))
    if section.figures:
        story.append(
            key_value_table(
                [
                    (f.label, f.value + (f"  ({f.detail})" if f.detail else ""))
                    for f in section.figures
                ],
                styles,
                label_width=230,
            )
        )
        story.append(Spacer(1, 8))
    for note in section.notes:
        story.append(para(note, styles.small))
    for block in section.blocks:
        story.extend(
            _chart(block, styles) if isinstance(block, ChartData) else _table(block, styles)
        )
    return story


def portfolio_story(report: PortfolioReport, styles: ReportStyles) -> list[Flowable]:
    if report.empty_message:
        return [heading("Nothing to report", styles), para(report.empty_message, styles.body)]
    story: list[Flowable] = [
        heading("Key figures", styles),
        figure_tiles(report.key_figures, styles),
    ]
    story.append(Spacer(1, 8))
    for section in report.sections:
        story.extend(_section(section, styles))
    if report.method:
        story.append(CondPageBreak(120))
        story.append(heading("About these figures", styles))
        story.extend(para(text, styles.small) for text in report.method)
    return story


def build_portfolio_pdf(
    out: BinaryIO,
    meta: ReportMeta,
    report: PortfolioReport,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the portfolio report to ``out``; return its page count."""
    styles = report_styles()
    return build_pdf(
        out,
        meta,
        portfolio_story(report, styles),
        styles=styles,
        progress=progress,
        cancelled=cancelled,
    )


def figures_text(figures: Sequence[Figure]) -> list[str]:
    """The figures as lines of text (for a command's summary on the terminal)."""
    return [f"{f.label}: {f.value}" for f in figures]
