"""Figure tiles and small count tables for the summary reports.

The values arrive as text, already decided by the service: an exact count
("1,204"), a suppressed small cell ("<5"), a rate ("38.9%"). The tables
here are short (a breakdown, a country-by-type table), so they are plain
ReportLab tables styled like :func:`~ijmcase.reports.pdf_tables.data_table`:
navy header repeated on every page, zebra rows, numbers right-aligned, a
bold total row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from ijmcase.reports.fonts import BASE_BOLD, BASE_FONT
from ijmcase.reports.pdf_base import para
from ijmcase.reports.pdf_styles import GRID, INK, MUTED, NAVY, ZEBRA, PageGeometry, ReportStyles

__all__ = ["Figure", "count_table", "figure_tiles"]

_PAD = 4.0
_TILE_BACKGROUND = colors.HexColor("#EEF3F8")


@dataclass(frozen=True)
class Figure:
    """One headline figure: ``value`` as it should read, ``detail`` under it."""

    label: str
    value: str
    detail: str = ""


def figure_tiles(
    figures: Sequence[Figure],
    styles: ReportStyles,
    *,
    per_row: int = 4,
    width: float | None = None,
) -> Flowable:
    """Headline figures as a grid of tiles: a large number over its label."""
    width = width if width is not None else PageGeometry().content_width
    gap = 6.0
    tile_width = (width - gap * (per_row - 1)) / per_row
    number = ParagraphStyle(
        "ijm-tile-number",
        parent=styles.body,
        fontName=BASE_BOLD,
        fontSize=17,
        leading=20,
        textColor=NAVY,
        alignment=TA_CENTER,
        spaceAfter=1,
    )
    label = ParagraphStyle(
        "ijm-tile-label", parent=styles.small, alignment=TA_CENTER, textColor=INK, spaceAfter=0
    )
    detail = ParagraphStyle("ijm-tile-detail", parent=label, textColor=MUTED, fontSize=6.8)
    cells: list[list[Any]] = []
    row: list[Any] = []
    for figure in figures:
        content = [para(figure.value, number), para(figure.label, label)]
        if figure.detail:
            content.append(para(figure.detail, detail))
        row.append(content)
        if len(row) == per_row:
            cells.append(row)
            row = []
    if row:
        cells.append(row + [""] * (per_row - len(row)))
    # Gaps are empty columns between the tiles.
    data = [[item for cell in r for item in (cell, "")][:-1] for r in cells]
    widths = [w for _ in range(per_row) for w in (tile_width, gap)][:-1]
    table = Table(data, colWidths=widths, hAlign="LEFT")
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), BASE_FONT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    for r, cells_row in enumerate(cells):
        for c, cell in enumerate(cells_row):
            if cell != "":
                commands.append(("BACKGROUND", (2 * c, r), (2 * c, r), _TILE_BACKGROUND))
                commands.append(("LINEABOVE", (2 * c, r), (2 * c, r), 2, NAVY))
    # A thin white row gap between rows of tiles.
    commands.append(("LINEBELOW", (0, 0), (-1, -2), 6, colors.white))
    table.setStyle(TableStyle(commands))
    return table


def count_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    styles: ReportStyles,
    *,
    total: Sequence[str] | None = None,
    width: float | None = None,
    label_share: float = 0.34,
) -> Flowable:
    """A table whose first column names the row and whose other columns are counts."""
    width = width if width is not None else PageGeometry().content_width
    size = styles.table_cell.fontSize
    n = len(header)
    if n < 2:
        raise ValueError("A count table needs a label column and at least one count column")
    numbers = [list(r[1:]) for r in [*rows, *([total] if total else [])]]
    # Count columns get their widest header word or value (headers wrap at
    # spaces, never inside a word); the label column its longest label, up to
    # ``label_share`` of the width; what is left is shared by the counts.
    needed = [
        max(
            max((stringWidth(w, BASE_BOLD, size) for w in header[i].split()), default=0.0),
            max((stringWidth(r[i - 1], BASE_BOLD, size) for r in numbers), default=0.0),
        )
        + 2 * _PAD
        for i in range(1, n)
    ]
    labels = [header[0], *(r[0] for r in rows), *([total[0]] if total else [])]
    natural = max(stringWidth(t, BASE_BOLD, size) for t in labels) + 2 * _PAD
    label_width = min(max(natural, 60.0), width * label_share)
    spare = width - label_width - sum(needed)
    if spare >= 0:
        # Room to spare: counts share it, but a two-column table keeps its
        # label column wide rather than stretching one number across the page.
        extra = spare / len(needed) if n > 2 else 0.0
        count_widths = [w + extra for w in needed]
        label_width = width - sum(count_widths)
    else:
        scale = (width - label_width) / sum(needed)
        count_widths = [w * scale for w in needed]
    head = [para(header[0], styles.table_header)] + [
        para(h, styles.table_header_right) for h in header[1:]
    ]
    body: list[list[Any]] = [[para(r[0], styles.table_cell), *r[1:]] for r in rows]
    if total:
        bold = ParagraphStyle("ijm-cell-bold", parent=styles.table_cell, fontName=BASE_BOLD)
        body.append([para(total[0], bold), *total[1:]])
    table = Table(
        [head, *body], colWidths=[label_width, *count_widths], repeatRows=1, hAlign="LEFT"
    )
    commands: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), BASE_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), styles.table_cell.leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, ZEBRA]),
    ]
    if total:
        commands += [
            ("FONTNAME", (1, -1), (-1, -1), BASE_BOLD),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
            ("BACKGROUND", (0, -1), (-1, -1), colors.white),
        ]
    table.setStyle(TableStyle(commands))
    return table
