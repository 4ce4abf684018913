"""The court docket: the coming days' hearings by date and court, with what
each one is for, who is accused, who from the organization attends, and
what must be ready.

Data in, bytes out: the service hands over hearings (anything with the
attributes of :class:`DocketHearing`; the services' ``HearingRow`` has them)
already filtered to what the reader may see. Survivors appear by code only;
accused persons by code, with their names only when ``show_names`` is set
(a full docket, which the service audits as such). The page is A4
landscape: eight columns of text need the width.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from itertools import groupby
from typing import BinaryIO, Protocol

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, Spacer

from ijmcase.reports.columns import Column
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.pdf_base import build_pdf, heading, key_value_table, para
from ijmcase.reports.pdf_styles import PageGeometry, report_styles
from ijmcase.reports.pdf_tables import data_table
from ijmcase.reports.progress import CancelCheck, ProgressCallback

__all__ = ["DOCKET_GEOMETRY", "DocketHearing", "build_docket", "docket_columns"]

DOCKET_GEOMETRY = PageGeometry(pagesize=landscape(A4))


class DocketHearing(Protocol):
    """What the docket reads from a hearing (read-only attributes)."""

    @property
    def case_code(self) -> str: ...
    @property
    def court_name(self) -> str: ...
    @property
    def courtroom(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime: ...  # aware, wall-clock time at the court
    @property
    def purpose(self) -> str: ...
    @property
    def accused_code(self) -> str: ...
    @property
    def accused_name(self) -> str: ...
    @property
    def judge_name(self) -> str: ...
    @property
    def staff_names(self) -> tuple[str, ...]: ...
    @property
    def to_prepare(self) -> tuple[str, ...]: ...


def docket_columns(*, show_names: bool) -> list[Column]:
    """Weights for the full width of an A4 landscape page."""
    return [
        Column("time", "Time", width=0.075),
        Column("case", "Case", width=0.095),
        Column("room", "Room", width=0.075),
        Column("purpose", "Purpose", width=0.16),
        Column("accused", "Accused", width=0.15 if show_names else 0.095),
        Column("judge", "Judge", width=0.125),
        Column("staff", "Attending", width=0.12),
        Column("prepare", "To prepare", width=0.20 if show_names else 0.255),
    ]


def _cells(h: DocketHearing, *, show_names: bool) -> dict[str, str]:
    accused = h.accused_code or "All accused"
    if show_names and h.accused_code and h.accused_name:
        accused = f"{h.accused_code} {h.accused_name}"
    zone = h.starts_at.tzname() or ""
    if zone and zone[0] in "+-":
        zone = f"UTC{zone}"  # a zone with no abbreviation (Asia/Phnom_Penh: "+07")
    prepare = h.to_prepare
    return {
        "time": f"{h.starts_at:%H:%M} {zone}".strip(),
        "case": h.case_code,
        "room": h.courtroom,
        "purpose": h.purpose,
        "accused": accused,
        "judge": h.judge_name,
        "staff": "\n".join(h.staff_names) if h.staff_names else "Nobody assigned",
        "prepare": "\n".join(f"• {p}" for p in prepare) if prepare else "",
    }


def build_docket(
    out: BinaryIO,
    meta: ReportMeta,
    hearings: Sequence[DocketHearing],
    *,
    show_names: bool = False,
    first_day: dt.date | None = None,
    last_day: dt.date | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the docket PDF; returns the number of pages. Hearings are
    grouped by their local date, then court, in time order."""
    styles = report_styles()
    width = DOCKET_GEOMETRY.content_width
    columns = docket_columns(show_names=show_names)
    ordered = sorted(
        hearings,
        key=lambda h: (h.starts_at.date(), h.court_name, h.starts_at.time(), h.case_code),
    )
    courts = {h.court_name for h in ordered}
    testimony = sum(1 for h in ordered if any("to testify" in p for p in h.to_prepare))
    unattended = sum(1 for h in ordered if not h.staff_names)
    summary = [
        ("Hearings", f"{len(ordered):,}"),
        ("Courts", f"{len(courts):,}"),
        ("Survivor testimony", f"{testimony:,} hearing{'s' if testimony != 1 else ''}"),
        ("Nobody attending", f"{unattended:,} hearing{'s' if unattended != 1 else ''}"),
    ]
    story: list[Flowable] = [key_value_table(summary, styles), Spacer(1, 8)]
    if not ordered:
        period = ""
        if first_day is not None and last_day is not None:
            period = f" from {first_day.isoformat()} to {last_day.isoformat()}"
        story.append(para(f"No hearings are scheduled{period}.", styles.body))
    for day, of_day in groupby(ordered, key=lambda h: h.starts_at.date()):
        day_hearings = list(of_day)
        story.append(heading(f"{day:%A %d %B %Y} ({len(day_hearings)})", styles, level=1))
        for court, of_court in groupby(day_hearings, key=lambda h: h.court_name):
            rows = [_cells(h, show_names=show_names) for h in of_court]
            story.append(heading(court or "Court not named", styles, level=2))
            story.append(data_table(columns, rows, styles, width=width, fill=True))
            story.append(Spacer(1, 6))
    return build_pdf(
        out,
        meta,
        story,
        styles=styles,
        geometry=DOCKET_GEOMETRY,
        progress=progress,
        cancelled=cancelled,
    )
