"""The shared look of every PDF report: page geometry, colours and paragraph styles.

One place decides sizes and colours so the portfolio report, the case
report and the docket look like one organization's documents. Every style
uses the embedded Noto fonts (never the PDF base-14 fonts, which are not
embedded and cover Latin only).
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ijmcase.reports.fonts import BASE_BOLD, BASE_FONT, register_fonts

__all__ = [
    "ACCENT",
    "CONFIDENTIAL_RED",
    "GRID",
    "INK",
    "MUTED",
    "NAVY",
    "PALETTE",
    "ZEBRA",
    "PageGeometry",
    "ReportStyles",
    "report_styles",
]

INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5A6270")
NAVY = colors.HexColor("#1F3A5F")
ACCENT = colors.HexColor("#2E6DA4")
GRID = colors.HexColor("#C9D3DF")
ZEBRA = colors.HexColor("#F2F5F9")
CONFIDENTIAL_RED = colors.HexColor("#B00020")

# Okabe-Ito: distinguishable with the common colour-vision deficiencies and
# in greyscale print-outs.
PALETTE = (
    colors.HexColor("#0072B2"),
    colors.HexColor("#E69F00"),
    colors.HexColor("#009E73"),
    colors.HexColor("#CC79A7"),
    colors.HexColor("#56B4E9"),
    colors.HexColor("#D55E00"),
    colors.HexColor("#F0E442"),
    colors.HexColor("#000000"),
)


@dataclass(frozen=True)
class PageGeometry:
    """Page size and margins; the header and footer live inside the margins."""

    pagesize: tuple[float, float] = A4
    left: float = 18 * mm
    right: float = 18 * mm
    top: float = 24 * mm
    bottom: float = 20 * mm

    @property
    def width(self) -> float:
        return self.pagesize[0]

    @property
    def height(self) -> float:
        return self.pagesize[1]

    @property
    def content_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def content_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass(frozen=True)
class ReportStyles:
    """The paragraph styles of a report, by role."""

    organization: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading1: ParagraphStyle
    heading2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cover_label: ParagraphStyle
    cover_value: ParagraphStyle
    confidential: ParagraphStyle
    confidential_heading: ParagraphStyle
    confidential_note: ParagraphStyle
    table_header: ParagraphStyle
    table_header_right: ParagraphStyle
    table_cell: ParagraphStyle
    table_cell_right: ParagraphStyle
    running: ParagraphStyle


def report_styles(base_size: float = 9.5) -> ReportStyles:
    """Build the styles (after registering the fonts they name)."""
    register_fonts()
    body = ParagraphStyle(
        "ijm-body",
        fontName=BASE_FONT,
        fontSize=base_size,
        leading=base_size * 1.35,
        textColor=INK,
        spaceAfter=base_size * 0.5,
    )
    small = ParagraphStyle(
        "ijm-small", parent=body, fontSize=base_size - 1.5, leading=(base_size - 1.5) * 1.3
    )
    cell = ParagraphStyle(
        "ijm-cell",
        parent=body,
        fontSize=base_size - 1,
        leading=(base_size - 1) * 1.25,
        spaceAfter=0,
    )
    header = ParagraphStyle("ijm-th", parent=cell, fontName=BASE_BOLD, textColor=colors.white)
    return ReportStyles(
        organization=ParagraphStyle(
            "ijm-org",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=base_size + 1,
            textColor=NAVY,
            spaceAfter=2,
        ),
        title=ParagraphStyle(
            "ijm-title",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=base_size * 2.2,
            leading=base_size * 2.7,
            textColor=NAVY,
            spaceAfter=4,
        ),
        subtitle=ParagraphStyle(
            "ijm-subtitle",
            parent=body,
            fontSize=base_size + 2,
            leading=(base_size + 2) * 1.3,
            textColor=MUTED,
            spaceAfter=8,
        ),
        heading1=ParagraphStyle(
            "ijm-h1",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=base_size + 5,
            leading=(base_size + 5) * 1.25,
            textColor=NAVY,
            spaceBefore=10,
            spaceAfter=6,
            keepWithNext=True,
        ),
        heading2=ParagraphStyle(
            "ijm-h2",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=base_size + 2,
            leading=(base_size + 2) * 1.25,
            textColor=INK,
            spaceBefore=8,
            spaceAfter=4,
            keepWithNext=True,
        ),
        body=body,
        small=small,
        cover_label=ParagraphStyle("ijm-cover-label", parent=small, textColor=MUTED, spaceAfter=0),
        cover_value=ParagraphStyle("ijm-cover-value", parent=body, spaceAfter=0),
        confidential=ParagraphStyle(
            "ijm-confidential",
            parent=body,
            fontName=BASE_BOLD,
            fontSize=base_size + 6,
            leading=(base_size + 6) * 1.2,
            textColor=CONFIDENTIAL_RED,
            alignment=TA_LEFT,
            spaceAfter=2,
        ),
        confidential_heading=ParagraphStyle(
            "ijm-confidential-heading",
            parent=body,
            fontName=BASE_BOLD,
            textColor=CONFIDENTIAL_RED,
            spaceAfter=2,
        ),
        confidential_note=ParagraphStyle(
            "ijm-confidential-note", parent=small, textColor=INK, spaceAfter=0
        ),
        table_header=header,
        table_header_right=ParagraphStyle("ijm-th-right", parent=header, alignment=TA_RIGHT),
        table_cell=cell,
        table_cell_right=ParagraphStyle("ijm-cell-right", parent=cell, alignment=TA_RIGHT),
        running=ParagraphStyle(
            "ijm-running",
            parent=small,
            fontSize=base_size - 2,
            leading=(base_size - 2) * 1.2,
            textColor=MUTED,
            spaceAfter=0,
            alignment=TA_LEFT,
        ),
    )
