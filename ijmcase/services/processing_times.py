"""Case-processing times from the lawyers' court records, per jurisdiction and
per court, for the prevention view.

The definitions are the directors' (``metrics_court``), so the two screens
agree: per accused person's proceeding,

- *days report -> charge*: from the first "reported" milestone (FIR,
  complaint; skipped milestones do not count) to the first charge filed;
- *days charge -> verdict*: from the first charge filed to the day a
  conviction (or guilty plea) or an acquittal was recorded.

A duration appears only when both ends are recorded; a negative one (a date
typed wrongly) is left out rather than pulling the median down. Medians are
exact (``domain.prevention.median_days``). A jurisdiction with no court
records gives no entry at all, which the view shows as "no data yet".
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import ProceedingOutcome, ReportingStage
from ijmcase.domain.prevention import median_days
from ijmcase.persistence.models import Case, Charge, Institution, MilestoneRecord, Proceeding

__all__ = ["CourtTimes", "Duration", "ProcessingTimes", "processing_times"]

VERDICTS = (ProceedingOutcome.CONVICTED, ProceedingOutcome.PLEA, ProceedingOutcome.ACQUITTED)

Place = tuple[str, str]  # (country, jurisdiction)


@dataclass(frozen=True)
class Duration:
    """The median of some whole-day durations and how many there were."""

    median_days: Decimal | None
    count: int

    @classmethod
    def of(cls, days: Iterable[int]) -> Duration:
        values = [d for d in days if d >= 0]
        return cls(median_days(values), len(values))


@dataclass(frozen=True)
class CourtTimes:
    court: str
    report_to_charge: Duration
    charge_to_verdict: Duration


@dataclass(frozen=True)
class ProcessingTimes:
    proceedings: int
    report_to_charge: Duration
    charge_to_verdict: Duration
    by_court: tuple[CourtTimes, ...]


def processing_times(session: Session, cases: ColumnElement[bool]) -> dict[Place, ProcessingTimes]:
    """Times per (country, jurisdiction) of the cases matching ``cases`` (a
    clause on ``Case``: visibility and any filter)."""
    reported = (
        select(
            MilestoneRecord.proceeding_id.label("proceeding_id"),
            func.min(MilestoneRecord.on_date).label("on"),
        )
        .where(
            MilestoneRecord.deleted_at.is_(None),
            MilestoneRecord.stage == ReportingStage.REPORTED,
            MilestoneRecord.skipped.is_(False),
        )
        .group_by(MilestoneRecord.proceeding_id)
        .subquery()
    )
    charged = (
        select(Charge.proceeding_id.label("proceeding_id"), func.min(Charge.filed_on).label("on"))
        .where(Charge.deleted_at.is_(None))
        .group_by(Charge.proceeding_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Case.country,
            Case.jurisdiction,
            Proceeding.id,
            Institution.name,
            reported.c.on,
            charged.c.on,
            Proceeding.outcome,
            Proceeding.outcome_on,
        )
        .join(Case, Case.id == Proceeding.case_id)
        .outerjoin(Institution, Institution.id == Proceeding.court_id)
        .outerjoin(reported, reported.c.proceeding_id == Proceeding.id)
        .outerjoin(charged, charged.c.proceeding_id == Proceeding.id)
        .where(Proceeding.deleted_at.is_(None), cases)
    ).all()
    to_charge: dict[Place, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    to_verdict: dict[Place, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    counted: dict[Place, set[uuid.UUID]] = defaultdict(set)
    for country, jurisdiction, pid, court, reported_on, charged_on, outcome, outcome_on in rows:
        place = (country, jurisdiction)
        counted[place].add(pid)
        court_name = court or "Court not recorded"
        if reported_on is not None and charged_on is not None:
            to_charge[place][court_name].append(_days(reported_on, charged_on))
        if charged_on is not None and outcome in VERDICTS and outcome_on is not None:
            to_verdict[place][court_name].append(_days(charged_on, outcome_on))
    found: dict[Place, ProcessingTimes] = {}
    for place, proceedings in counted.items():
        courts = sorted(set(to_charge[place]) | set(to_verdict[place]))
        found[place] = ProcessingTimes(
            proceedings=len(proceedings),
            report_to_charge=Duration.of(d for days in to_charge[place].values() for d in days),
            charge_to_verdict=Duration.of(d for days in to_verdict[place].values() for d in days),
            by_court=tuple(
                CourtTimes(
                    court,
                    Duration.of(to_charge[place].get(court, [])),
                    Duration.of(to_verdict[place].get(court, [])),
                )
                for court in courts
            ),
        )
    return found


def _days(start: date, end: date) -> int:
    return (end - start).days
