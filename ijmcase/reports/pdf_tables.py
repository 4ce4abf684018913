"""Data tables for PDF reports, built from the same column spec as the CSV/XLSX exports.

The header row repeats on every page (``repeatRows=1``), numbers are
right-aligned and grouped, dates are ISO, and long or non-Latin text wraps
in a paragraph with the right font. Short Latin cells stay plain strings:
a paragraph per cell costs far more, and a portfolio table can be long.
Number and date columns get the width their widest value needs; text
columns share the rest by their ``width`` weights.

Tables longer than a hundred rows are a :class:`PagedTable`, laid out one
page at a time in linear time (20,000 rows, 527 pages: about 10 s here,
against a minute for a plain ReportLab table).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from ijmcase.reports.columns import Column, ColumnType, Row, cell_values, display_text
from ijmcase.reports.fonts import BASE_BOLD, BASE_FONT, has_complex_script
from ijmcase.reports.pdf_base import para
from ijmcase.reports.pdf_styles import GRID, INK, NAVY, ZEBRA, PageGeometry, ReportStyles

__all__ = ["PagedTable", "data_table"]

_PADDING = 4.0
_V_PADDING = 2.5
# Longer tables are laid out page by page (see PagedTable).
_PAGED_ROWS = 100


def _text_width(text: str, font: str, size: float) -> float:
    return max((stringWidth(line, font, size) for line in text.split("\n")), default=0.0)


def _widest(texts: Sequence[str], font: str, size: float) -> float:
    # Measuring every cell of a long table is slow; the longest strings are
    # the widest ones closely enough (digits are tabular in Noto Sans).
    if not texts:
        return 0.0
    longest = max(len(t) for t in texts)
    return max(_text_width(t, font, size) for t in texts if len(t) >= longest - 1)


def _column_widths(
    columns: Sequence[Column], texts: Sequence[Sequence[str]], width: float, size: float
) -> list[float]:
    """Fit non-text columns to their content; share the rest among text columns by weight."""
    pad = 2 * _PADDING
    header_min = [
        max((stringWidth(word, BASE_BOLD, size) for word in c.header.split()), default=0.0) + pad
        for c in columns
    ]
    natural = [
        max(header_min[i], _widest([row[i] for row in texts], BASE_FONT, size) + pad)
        for i in range(len(columns))
    ]
    widths = [0.0] * len(columns)
    flexible = [i for i, c in enumerate(columns) if c.type is ColumnType.TEXT]
    for i, column in enumerate(columns):
        if column.type is not ColumnType.TEXT:
            widths[i] = natural[i]
    remaining = width - sum(widths)
    # Give text columns their weighted share, but never more than they need;
    # what one does not need goes to the others.
    pending = list(flexible)
    while pending:
        total_weight = sum(max(columns[i].width, 0.1) for i in pending)
        shares = {i: remaining * max(columns[i].width, 0.1) / total_weight for i in pending}
        settled = [i for i in pending if natural[i] <= shares[i]]
        if not settled:
            for i in pending:
                widths[i] = max(shares[i], header_min[i])
            break
        for i in settled:
            widths[i] = natural[i]
            remaining -= natural[i]
            pending.remove(i)
    total = sum(widths)
    if total > width or not flexible:
        # Too many columns for the page (or no text column to absorb the
        # slack): scale everything to fit the width exactly.
        widths = [w * width / total for w in widths]
    return widths


def data_table(
    columns: Sequence[Column],
    rows: Iterable[Row],
    styles: ReportStyles,
    *,
    width: float | None = None,
    empty_text: str = "No records.",
    zebra: bool = True,
    fill: bool = False,
) -> Flowable:
    """A table of ``rows`` under a header of the columns' labels.

    ``width`` defaults to the content width of an A4 portrait page; column
    widths follow the columns' relative ``width`` weights. ``fill`` takes the
    weights as they are, whatever the content, so that several tables on one
    page (a docket's courts) line up across the full width. With no rows the
    result is a single line saying ``empty_text``.
    """
    if not columns:
        raise ValueError("A table needs at least one column")
    width = width if width is not None else PageGeometry().content_width
    numeric = [c.type.numeric for c in columns]
    cell_style = styles.table_cell
    font_size = cell_style.fontSize
    texts = [
        [display_text(c, v) for c, v in zip(columns, cell_values(columns, row), strict=True)]
        for row in rows
    ]
    if fill:
        weights = [max(c.width, 0.1) for c in columns]
        col_widths = [width * w / sum(weights) for w in weights]
    else:
        col_widths = _column_widths(columns, texts, width, font_size)
    header = [
        para(c.header, styles.table_header_right if num else styles.table_header)
        for c, num in zip(columns, numeric, strict=True)
    ]
    text_columns = [
        (i, col_widths[i] - 2 * _PADDING)
        for i, c in enumerate(columns)
        if c.type is ColumnType.TEXT
    ]
    if not texts:
        return para(empty_text, styles.body)

    def make_row(row_texts: Sequence[str]) -> list[Any]:
        cells: list[Any] = list(row_texts)
        for i, available in text_columns:
            if _needs_paragraph(row_texts[i], available, font_size):
                cells[i] = para(row_texts[i], cell_style)
        return cells

    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), BASE_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), font_size),
        ("LEADING", (0, 0), (-1, -1), cell_style.leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("FONTNAME", (0, 0), (-1, 0), BASE_BOLD),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), _V_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _V_PADDING),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
    ]
    for index, is_numeric in enumerate(numeric):
        if is_numeric:
            commands.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    layout = _Layout(
        header=header,
        rows=texts,
        make_row=make_row,
        col_widths=col_widths,
        commands=commands,
        zebra=zebra,
        min_row_height=cell_style.leading + 2 * _V_PADDING,
    )
    if len(texts) > _PAGED_ROWS:
        return PagedTable(layout)
    return layout.table(0, len(texts))


@dataclass(frozen=True)
class _Layout:
    """Everything needed to build the table for any slice of the rows."""

    header: list[Any]
    rows: Sequence[Sequence[str]]
    make_row: Callable[[Sequence[str]], list[Any]]
    col_widths: list[float]
    commands: list[Any]
    zebra: bool
    min_row_height: float

    def table(self, start: int, stop: int) -> Table:
        body = [self.make_row(texts) for texts in self.rows[start:stop]]
        table = Table([self.header, *body], colWidths=self.col_widths, repeatRows=1, hAlign="LEFT")
        commands = list(self.commands)
        if self.zebra:
            # Stripes follow the row's place in the whole table, not in this slice.
            stripes = [None, ZEBRA] if start % 2 == 0 else [ZEBRA, None]
            commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), stripes))
        table.setStyle(TableStyle(commands))
        return table


class PagedTable(Flowable):
    """A long table laid out one page at a time.

    ReportLab splits a long Table page by page, and every split copies and
    re-measures all the remaining rows: 20,000 rows took about a minute.
    This flowable builds, for each page, a table of the header and just
    enough rows to overflow the space left, lets ReportLab split that, and
    keeps the rest for the next page, so the work grows linearly and cell
    paragraphs are made only when their page is laid out. Each page's table
    carries the header row, as ``repeatRows`` would.
    """

    def __init__(self, layout: _Layout, start: int = 0) -> None:
        super().__init__()
        self._layout = layout
        self._start = start
        self._whole: Table | None = None
        self.hAlign = "LEFT"

    @property
    def row_count(self) -> int:
        return len(self._layout.rows) - self._start

    def _window_end(self, avail_height: float) -> int:
        # Every row is at least min_row_height tall, so this many rows are
        # sure to overflow the space when the table goes on.
        fits_at_most = int(avail_height // self._layout.min_row_height) + 2
        return min(len(self._layout.rows), self._start + fits_at_most)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        stop = self._window_end(avail_height)
        if stop < len(self._layout.rows):
            # More rows than the space can hold: ask the frame to split us.
            self._whole = None
            self.width, self.height = avail_width, avail_height + self._layout.min_row_height
        else:
            self._whole = self._layout.table(self._start, stop)
            self.width, self.height = self._whole.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        stop = self._window_end(avail_height)
        window = self._layout.table(self._start, stop)
        parts: list[Flowable] = window.split(avail_width, avail_height)
        if not parts:
            return []
        first = parts[0]
        # A split keeps the header row in the first part; the rows after it fitted.
        fitted = stop - self._start if len(parts) == 1 else int(getattr(first, "_nrows", 1)) - 1
        if fitted <= 0:
            return []
        rest = self._start + fitted
        if rest >= len(self._layout.rows):
            return [first]
        return [first, PagedTable(self._layout, rest)]

    def draw(self) -> None:
        whole = self._whole or self._layout.table(self._start, len(self._layout.rows))
        whole.wrapOn(self.canv, self.width, self.height)
        whole.drawOn(self.canv, 0, 0)


def _needs_paragraph(text: str, available: float, font_size: float) -> bool:
    if not text:
        return False
    if "\n" in text or has_complex_script(text):
        return True
    # Plain strings do not wrap; anything wider than the cell gets a paragraph.
    return _text_width(text, BASE_FONT, font_size) > available
