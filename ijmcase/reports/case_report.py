"""The case report: one case on paper, for a supervisor, a board or a partner.

The service (``services.reporting_case``) decides what the report may show
and hands over a :class:`CaseReport`: survivors by code (with their
identifying record only in a full report, which the service allows and
audits), free text already scrubbed of identifying values in a redacted
one. This module lays it out: the case's header, its four stage tracks, the
people in it, the court proceedings and hearings, aftercare progress as a
chart per survivor, and the timeline of everything that happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from ijmcase.reports.columns import Column, ColumnType
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.pdf_base import build_pdf, heading, key_value_table, para
from ijmcase.reports.pdf_charts import RESTORATION_THRESHOLD, restoration_chart
from ijmcase.reports.pdf_counts import count_table
from ijmcase.reports.pdf_styles import ReportStyles, report_styles
from ijmcase.reports.pdf_tables import data_table
from ijmcase.reports.progress import CancelCheck, ProgressCallback

__all__ = [
    "AftercareProgress",
    "CaseReport",
    "HearingLine",
    "IdentityLine",
    "PartyLine",
    "ProceedingLine",
    "TimelineLine",
    "TrackLine",
    "build_case_pdf",
]


@dataclass(frozen=True)
class TrackLine:
    stage: str
    status: str
    started_on: date | None
    completed_on: date | None
    outcome: str


@dataclass(frozen=True)
class PartyLine:
    kind: str  # "Survivor", "Accused", "Official"
    label: str  # a survivor's code; an accused's or official's name
    role: str
    detail: str


@dataclass(frozen=True)
class IdentityLine:
    """A survivor's identifying record: only in a full report."""

    code: str
    legal_name: str
    other_names: str
    date_of_birth: date | None
    phone: str
    address: str
    guardian: str


@dataclass(frozen=True)
class ProceedingLine:
    accused: str
    pathway: str
    stage: str
    outcome: str
    outcome_on: date | None
    sentence: str
    charges: str


@dataclass(frozen=True)
class HearingLine:
    when: str  # in the court's own time zone
    court: str
    purpose: str
    outcome: str
    next_date: date | None
    reason: str


@dataclass(frozen=True)
class TimelineLine:
    on: date  # for sorting and tests
    when: str  # the date, with the time (UTC) when the entry has one
    stage: str
    kind: str  # "Stage change", "Intervention", "Hearing"
    what: str
    detail: str
    by: str


@dataclass(frozen=True)
class AftercareProgress:
    """One survivor's domain scores (1-4) over their assessments."""

    survivor: str
    rounds: tuple[str, ...]
    domains: tuple[tuple[str, tuple[float | None, ...]], ...]
    threshold: float = RESTORATION_THRESHOLD


@dataclass(frozen=True)
class CaseReport:
    header: tuple[tuple[str, str], ...]
    tracks: tuple[TrackLine, ...]
    parties: tuple[PartyLine, ...]
    identities: tuple[IdentityLine, ...] = ()
    summary: str = ""
    proceedings: tuple[ProceedingLine, ...] = ()
    proceedings_note: str = ""
    hearings: tuple[HearingLine, ...] = ()
    interventions_by_type: tuple[tuple[str, int], ...] = ()
    aftercare: tuple[AftercareProgress, ...] = ()
    aftercare_note: str = ""
    timeline: tuple[TimelineLine, ...] = field(default_factory=tuple)


_TRACK_COLUMNS = (
    Column("stage", "Stage", width=1.6),
    Column("status", "Status", width=1.0),
    Column("started_on", "Started", ColumnType.DATE),
    Column("completed_on", "Completed", ColumnType.DATE),
    Column("outcome", "Outcome", width=2.4),
)
_PARTY_COLUMNS = (
    Column("kind", "Who", width=0.7),
    Column("label", "Code or name", width=1.3),
    Column("role", "Role", width=1.0),
    Column("detail", "Details", width=2.4),
)
_IDENTITY_COLUMNS = (
    Column("code", "Code", width=0.8),
    Column("legal_name", "Legal name", width=1.4),
    Column("other_names", "Other names", width=1.0),
    Column("date_of_birth", "Born", ColumnType.DATE),
    Column("phone", "Phone", width=1.0),
    Column("address", "Address", width=1.6),
    Column("guardian", "Guardian", width=1.2),
)
_PROCEEDING_COLUMNS = (
    Column("accused", "Accused", width=1.3),
    Column("stage", "Stage reached", width=0.9),
    Column("outcome", "Outcome", width=0.9),
    Column("outcome_on", "On", ColumnType.DATE),
    Column("sentence", "Sentence", width=1.0),
    Column("charges", "Charges", width=1.8),
)
_HEARING_COLUMNS = (
    Column("when", "When (court's time)", width=1.2),
    Column("court", "Court", width=1.4),
    Column("purpose", "Purpose", width=1.4),
    Column("outcome", "Outcome", width=0.8),
    Column("next_date", "Next", ColumnType.DATE),
    Column("reason", "Reason", width=1.3),
)
# Weights chosen so the short columns get the width of their longest word
# ("Accountability", "Intervention") and never break inside it.
_TIMELINE_COLUMNS = (
    Column("when", "When (UTC)", width=1.45),
    Column("stage", "Stage", width=1.25),
    Column("kind", "Entry", width=1.1),
    Column("what", "What", width=1.7),
    Column("detail", "Details", width=2.3),
    Column("by", "By", width=1.1),
)


def _section(title: str, styles: ReportStyles) -> list[Flowable]:
    return [CondPageBreak(90), heading(title, styles)]


def case_story(report: CaseReport, styles: ReportStyles) -> list[Flowable]:
    story: list[Flowable] = [heading("The case", styles)]
    story.append(key_value_table(report.header, styles, label_width=120))
    if report.summary:
        story.append(Spacer(1, 4))
        story.append(para(report.summary, styles.body))
    story.append(Spacer(1, 6))
    story += [
        heading("Stage tracks", styles, level=2),
        data_table(_TRACK_COLUMNS, report.tracks, styles),
    ]

    story += _section("People in the case", styles)
    story.append(data_table(_PARTY_COLUMNS, report.parties, styles, empty_text="No one recorded."))
    if report.identities:
        story.append(Spacer(1, 8))
        story.append(heading("Survivors' identifying records", styles, level=2))
        story.append(
            para(
                "Shown because this is a full report for a person allowed to see them; "
                "the view was logged.",
                styles.small,
            )
        )
        story.append(data_table(_IDENTITY_COLUMNS, report.identities, styles))

    story += _section("Perpetrator accountability", styles)
    if report.proceedings:
        story.append(data_table(_PROCEEDING_COLUMNS, report.proceedings, styles))
    elif report.proceedings_note:
        story.append(para(report.proceedings_note, styles.body))
    story.append(Spacer(1, 6))
    story.append(heading("Hearings", styles, level=2))
    story.append(
        data_table(_HEARING_COLUMNS, report.hearings, styles, empty_text="No hearings recorded.")
    )

    # A chart cannot split: keep the heading with the first one.
    story += [
        CondPageBreak(260 if report.aftercare else 90),
        heading("Aftercare and interventions", styles),
    ]
    for progress in report.aftercare:
        chart = restoration_chart(
            progress.rounds,
            dict(progress.domains),
            threshold=progress.threshold,
            title=f"Restoration scores of {progress.survivor} by domain",
            height=185,
        )
        story.append(KeepTogether([chart, Spacer(1, 8)]))
    if not report.aftercare and report.aftercare_note:
        story.append(para(report.aftercare_note, styles.body))
    if report.interventions_by_type:
        story.append(heading("Interventions by type", styles, level=2))
        total = sum(n for _, n in report.interventions_by_type)
        story.append(
            count_table(
                ("Type", "Interventions"),
                [(label, f"{n:,}") for label, n in report.interventions_by_type],
                styles,
                total=("Total", f"{total:,}"),
            )
        )

    story += _section("Timeline", styles)
    story.append(
        para(
            "Stage changes, interventions and hearings, earliest first. Corrected "
            "interventions appear as their latest version.",
            styles.small,
        )
    )
    story.append(
        data_table(_TIMELINE_COLUMNS, report.timeline, styles, empty_text="Nothing recorded yet.")
    )
    return story


def build_case_pdf(
    out: BinaryIO,
    meta: ReportMeta,
    report: CaseReport,
    *,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the case report to ``out``; return its page count."""
    styles = report_styles()
    return build_pdf(
        out, meta, case_story(report, styles), styles=styles, progress=progress, cancelled=cancelled
    )


def timeline_text(lines: Sequence[TimelineLine]) -> list[str]:
    """The timeline as plain lines (for tests and a terminal)."""
    return [f"{t.when} {t.kind}: {t.what}" for t in lines]
