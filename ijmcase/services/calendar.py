"""The lawyers' calendar: hearings and statutory deadlines in a date range,
the docket of the coming days, and what needs attention today ("My day").

Nothing may slip past a court date, so ``attention`` lists, for the cases I
am assigned to (or every case I may see):

- past hearings with no outcome recorded (held, adjourned or vacated?);
- hearings in the next seven days;
- proceedings the court still has to sit on with no next date set;
- statutory deadlines due within seven days or already passed;
- survivor-witness preparation before a hearing where a survivor testifies
  and no court-preparation session is logged in the month before it.

Dates are the court's: a hearing belongs to the day it is on where the court
sits, and the range of a calendar query is in those local days.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.enums import InterventionType, ProceedingOutcome, ReportingStage
from ijmcase.domain.permissions import Permission
from ijmcase.domain.proceedings import MilestoneRecord as MilestoneRule
from ijmcase.domain.proceedings import deadlines
from ijmcase.persistence.models import (
    Accused,
    Case,
    Hearing,
    Intervention,
    MilestoneRecord,
    Proceeding,
)
from ijmcase.services.context import today
from ijmcase.services.court_access import CourtAccess, is_concluded, needs_next_date
from ijmcase.services.court_views import DeadlineView, HearingRow, deadline_view, hearing_rows

__all__ = [
    "SOON_DAYS",
    "AttentionItem",
    "AttentionKind",
    "CalendarItem",
    "CalendarKind",
    "CalendarService",
]

SOON_DAYS = 7
# A survivor who testifies is prepared in the weeks before; suggested two
# weeks ahead, satisfied by a court-preparation session in the month before.
PREPARE_AHEAD_DAYS = 14
PREPARED_WITHIN_DAYS = 30
_BATCH = 2000


class CalendarKind(StrEnum):
    HEARING = "hearing"
    DEADLINE = "deadline"


class AttentionKind(StrEnum):
    OUTCOME_MISSING = "outcome_missing"
    DEADLINE = "deadline"
    HEARING_SOON = "hearing_soon"
    WITNESS_PREPARATION = "witness_preparation"
    NO_NEXT_DATE = "no_next_date"


# Most pressing first: something already late, then what is coming.
_ORDER = {kind: i for i, kind in enumerate(AttentionKind)}


@dataclass(frozen=True)
class CalendarItem:
    """A hearing or a deadline on the calendar. ``uid`` is stable for the
    record (a calendar program updates the event on a second import)."""

    kind: CalendarKind
    uid: str
    case_id: uuid.UUID
    case_code: str
    title: str
    on: date
    starts_at: datetime | None  # wall-clock time at the court (aware); None all day
    timezone: str
    location: str
    details: str
    sequence: int
    updated_at: datetime | None
    overdue: bool
    hearing: HearingRow | None = None
    deadline: DeadlineView | None = None


@dataclass(frozen=True)
class AttentionItem:
    kind: AttentionKind
    case_id: uuid.UUID
    case_code: str
    on: date | None
    message: str
    hearing_id: uuid.UUID | None = None
    proceeding_id: uuid.UUID | None = None
    overdue: bool = False


def hearing_uid(hearing_id: uuid.UUID) -> str:
    return f"hearing-{hearing_id}@ijmcase"


def deadline_uid(proceeding_id: uuid.UUID, milestone_key: str) -> str:
    return f"deadline-{proceeding_id}-{milestone_key}@ijmcase"


def _utc_day(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class CalendarService(CourtAccess):
    # -- hearings in a range ---------------------------------------------------

    def hearings_between(self, start: date, end: date, *, mine: bool = False) -> list[HearingRow]:
        """Hearings on the courts' local days ``start`` to ``end`` (inclusive)."""
        self._require(Permission.CASE_READ, "read cases")
        # Every zone is within 14 hours of UTC: widen by a day each side in SQL,
        # then keep the hearings whose local day is in the range.
        stmt = (
            select(Hearing)
            .join(Case, Case.id == Hearing.case_id)
            .where(
                self._visible_clause(),
                Hearing.deleted_at.is_(None),
                Hearing.scheduled_at >= _utc_day(start - timedelta(days=1)),
                Hearing.scheduled_at < _utc_day(end + timedelta(days=2)),
            )
            .order_by(Hearing.scheduled_at, Hearing.id)
        )
        if mine:
            stmt = stmt.where(self._assigned_clause())
        with self._read() as session:
            found = session.scalars(stmt).all()
            rows = hearing_rows(session, found)
        return [r for r in rows if start <= r.local_date <= end]

    def docket(
        self, days: int, *, mine: bool = False, court: str = "", start: date | None = None
    ) -> list[HearingRow]:
        """Hearings from ``start`` (default today) for ``days`` days, by date
        and court; ``court`` keeps the courts whose name contains it."""
        start = start or today()
        rows = self.hearings_between(start, start + timedelta(days=max(days, 1) - 1), mine=mine)
        if court.strip():
            wanted = court.strip().lower()
            rows = [r for r in rows if wanted in r.court_name.lower()]
        rows.sort(key=lambda r: (r.local_date, r.court_name, r.starts_at.time(), r.case_code))
        return rows

    def hearing_export_rows(
        self, *, since: date | None = None, until: date | None = None, mine: bool = False
    ) -> Iterator[HearingRow]:
        """Every hearing the actor may see (``mine``: of my cases), oldest
        first, in batches so that a large export runs in flat memory."""
        self._require(Permission.CASE_READ, "read cases")
        stmt = (
            select(Hearing.id)
            .join(Case, Case.id == Hearing.case_id)
            .where(self._visible_clause(), Hearing.deleted_at.is_(None))
            .order_by(Hearing.scheduled_at, Hearing.id)
        )
        if mine:
            stmt = stmt.where(self._assigned_clause())
        if since is not None:
            stmt = stmt.where(Hearing.scheduled_at >= _utc_day(since - timedelta(days=1)))
        if until is not None:
            stmt = stmt.where(Hearing.scheduled_at < _utc_day(until + timedelta(days=2)))
        with self._read() as session:
            ids = list(session.scalars(stmt))
            for begin in range(0, len(ids), _BATCH):
                chunk = ids[begin : begin + _BATCH]
                loaded = {
                    h.id: h for h in session.scalars(select(Hearing).where(Hearing.id.in_(chunk)))
                }
                for row in hearing_rows(session, [loaded[i] for i in chunk]):
                    if since is not None and row.local_date < since:
                        continue
                    if until is not None and row.local_date > until:
                        continue
                    yield row
                session.expunge_all()

    # -- deadlines ---------------------------------------------------------------

    def deadlines(self, *, mine: bool = False, due_until: date | None = None) -> list[DeadlineView]:
        """Statutory time limits running in the proceedings the actor may see,
        soonest first (``due_until``: only those due by then)."""
        self._require(Permission.CASE_READ, "read cases")
        limited = [k for k, p in self.pathways().items() if any(m.time_limit for m in p.milestones)]
        if not limited:
            return []
        stmt = (
            select(Proceeding, Case.code, Case.country, Accused.code)
            .join(Case, Case.id == Proceeding.case_id)
            .join(Accused, Accused.id == Proceeding.accused_id)
            .where(
                self._visible_clause(),
                # A closed case has nobody acting on its deadlines.
                Case.closed_on.is_(None),
                Proceeding.deleted_at.is_(None),
                Proceeding.pathway_key.in_(limited),
                or_(
                    Proceeding.reporting_stage.is_(None),
                    Proceeding.reporting_stage != ReportingStage.FINAL,
                ),
            )
        )
        if mine:
            stmt = stmt.where(self._assigned_clause())
        now = today()
        found: list[DeadlineView] = []
        with self._read() as session:
            rows = [
                r
                for r in session.execute(stmt)
                if not is_concluded(r[0].outcome, r[0].reporting_stage)
            ]
            for begin in range(0, len(rows), _BATCH):
                chunk = rows[begin : begin + _BATCH]
                records = self._records(session, [r[0].id for r in chunk])
                for proceeding, case_code, country, accused_code in chunk:
                    pathway = self.pathways().get(proceeding.pathway_key)
                    if pathway is None:
                        continue
                    for d in deadlines(pathway, records.get(proceeding.id, []), now):
                        if due_until is not None and d.due_on > due_until:
                            continue
                        found.append(
                            deadline_view(
                                d,
                                proceeding_id=proceeding.id,
                                case_id=proceeding.case_id,
                                case_code=case_code,
                                accused_code=accused_code,
                                timezone=_zone(country),
                            )
                        )
        found.sort(key=lambda d: (d.due_on, d.case_code, d.accused_code))
        return found

    def _records(
        self, session: Session, proceeding_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, list[MilestoneRule]]:
        out: dict[uuid.UUID, list[MilestoneRule]] = {}
        for m in session.scalars(
            select(MilestoneRecord)
            .where(
                MilestoneRecord.proceeding_id.in_(proceeding_ids),
                MilestoneRecord.deleted_at.is_(None),
            )
            .order_by(MilestoneRecord.proceeding_id, MilestoneRecord.seq)
        ):
            out.setdefault(m.proceeding_id, []).append(
                MilestoneRule(m.key, m.on_date, m.skipped, m.reason)
            )
        return out

    # -- the calendar ---------------------------------------------------------------

    def items(self, start: date, end: date, *, mine: bool = False) -> list[CalendarItem]:
        """Hearings and deadlines on the days ``start`` to ``end`` (inclusive)."""
        now = today()
        found = [self._hearing_item(h, now) for h in self.hearings_between(start, end, mine=mine)]
        found += [
            self._deadline_item(d)
            for d in self.deadlines(mine=mine, due_until=end)
            if d.due_on >= start
        ]
        # All-day deadlines first on their day, then hearings by their local time.
        found.sort(key=lambda i: (i.on, i.starts_at.time() if i.starts_at else time.min, i.title))
        return found

    def upcoming(self, days: int, *, mine: bool = False) -> list[CalendarItem]:
        """From today for ``days`` days: what a calendar export carries."""
        start = today()
        return self.items(start, start + timedelta(days=max(days, 1) - 1), mine=mine)

    @staticmethod
    def _hearing_item(h: HearingRow, now: date) -> CalendarItem:
        who = h.accused_code or "all accused"
        lines = [
            f"Case {h.case_code} · {who}",
            f"Purpose: {h.purpose}",
        ]
        if h.judge_name:
            lines.append(f"Judge: {h.judge_name}")
        if h.staff_names:
            lines.append(f"Attending: {h.staff_text}")
        if h.survivor_testifies:
            lines.append(
                f"Survivor {h.survivor_code or ''} testifies"
                + (f" ({h.protection_kind.label.lower()})" if h.protection_kind else "")
            )
        if h.outcome is not None:
            lines.append(f"Outcome: {h.outcome.label}")
        return CalendarItem(
            kind=CalendarKind.HEARING,
            uid=hearing_uid(h.id),
            case_id=h.case_id,
            case_code=h.case_code,
            title=f"Hearing {h.case_code}: {h.purpose}",
            on=h.local_date,
            starts_at=h.starts_at,
            timezone=h.timezone,
            location=", ".join(p for p in (h.court_name, h.courtroom) if p),
            details="\n".join(lines),
            sequence=max(h.version - 1, 0),
            updated_at=h.updated_at,
            overdue=h.outcome is None and h.local_date < now,
            hearing=h,
        )

    @staticmethod
    def _deadline_item(d: DeadlineView) -> CalendarItem:
        return CalendarItem(
            kind=CalendarKind.DEADLINE,
            uid=deadline_uid(d.proceeding_id, d.milestone_key),
            case_id=d.case_id,
            case_code=d.case_code,
            title=f"Deadline {d.case_code}: {d.milestone_label} ({d.accused_code})",
            on=d.due_on,
            starts_at=None,
            timezone=d.timezone,
            location="",
            details=(
                f"Case {d.case_code} · {d.accused_code}\n"
                f"Due {d.due_on.isoformat()}: {d.milestone_label}, counted from "
                f"{d.counted_from_label} ({d.started_on.isoformat()}).\n{d.basis}"
            ),
            # A deadline has no version of its own: it moves only when its
            # start moves, and then its text changes with it.
            sequence=0,
            updated_at=None,
            overdue=d.overdue,
            deadline=d,
        )

    # -- what needs attention -----------------------------------------------------

    def attention(self, *, mine: bool = True, on: date | None = None) -> list[AttentionItem]:
        """What must not be forgotten, most pressing first (see the module text)."""
        self._require(Permission.CASE_READ, "read cases")
        day = on or today()
        items: list[AttentionItem] = []
        soon = self.hearings_between(
            day - timedelta(days=1), day + timedelta(days=PREPARE_AHEAD_DAYS), mine=mine
        )
        with self._read() as session:
            items += self._missing_outcomes(session, mine=mine, day=day)
            prepared = self._prepared(session, [h for h in soon if h.survivor_testifies])
            items += self._no_next_date(session, mine=mine)
        for h in soon:
            if h.outcome is not None or h.local_date < day:
                continue
            if h.local_date < day + timedelta(days=SOON_DAYS):
                when = "today" if h.local_date == day else h.local_date.isoformat()
                items.append(
                    AttentionItem(
                        AttentionKind.HEARING_SOON,
                        h.case_id,
                        h.case_code,
                        h.local_date,
                        f"Hearing {when} at {h.local_time_text}, {h.court_name}: {h.purpose}"
                        f" ({h.accused_code or 'all accused'}).",
                        hearing_id=h.id,
                        proceeding_id=h.proceeding_id,
                    )
                )
            if h.survivor_testifies and h.id not in prepared:
                measure = f" with {h.protection_kind.label.lower()}" if h.protection_kind else ""
                items.append(
                    AttentionItem(
                        AttentionKind.WITNESS_PREPARATION,
                        h.case_id,
                        h.case_code,
                        h.local_date,
                        f"Prepare survivor {h.survivor_code} to testify on "
                        f"{h.local_date.isoformat()}{measure}: plan a court-preparation session.",
                        hearing_id=h.id,
                        proceeding_id=h.proceeding_id,
                    )
                )
        for d in self.deadlines(mine=mine, due_until=day + timedelta(days=SOON_DAYS)):
            left = d.days_left(day)
            when = (
                f"{-left} days overdue"
                if left < 0
                else "due today"
                if left == 0
                else f"due in {left} days"
            )
            items.append(
                AttentionItem(
                    AttentionKind.DEADLINE,
                    d.case_id,
                    d.case_code,
                    d.due_on,
                    f"{d.milestone_label} for {d.accused_code}: {when} ({d.due_on.isoformat()}).",
                    proceeding_id=d.proceeding_id,
                    overdue=left < 0,
                )
            )
        items.sort(key=lambda i: (_ORDER[i.kind], i.on or date.max, i.case_code))
        return items

    def _missing_outcomes(self, session: Session, *, mine: bool, day: date) -> list[AttentionItem]:
        stmt = (
            select(Hearing)
            .join(Case, Case.id == Hearing.case_id)
            .where(
                self._visible_clause(),
                Hearing.deleted_at.is_(None),
                Hearing.outcome.is_(None),
                Hearing.scheduled_at < datetime.now(UTC),
            )
            .order_by(Hearing.scheduled_at)
        )
        if mine:
            stmt = stmt.where(self._assigned_clause())
        found: list[AttentionItem] = []
        for h in hearing_rows(session, session.scalars(stmt).all()):
            found.append(
                AttentionItem(
                    AttentionKind.OUTCOME_MISSING,
                    h.case_id,
                    h.case_code,
                    h.local_date,
                    f"Hearing on {h.local_date.isoformat()} at {h.local_time_text}, "
                    f"{h.court_name}: record what happened (held, adjourned or vacated) and "
                    "the next date.",
                    hearing_id=h.id,
                    proceeding_id=h.proceeding_id,
                    overdue=True,
                )
            )
        return found

    def _no_next_date(self, session: Session, *, mine: bool) -> list[AttentionItem]:
        now = datetime.now(UTC)
        upcoming = exists().where(
            Hearing.case_id == Proceeding.case_id,
            Hearing.deleted_at.is_(None),
            Hearing.scheduled_at >= now,
            or_(Hearing.proceeding_id == Proceeding.id, Hearing.proceeding_id.is_(None)),
        )
        stmt = (
            select(Proceeding, Case.code, Accused.code)
            .join(Case, Case.id == Proceeding.case_id)
            .join(Accused, Accused.id == Proceeding.accused_id)
            .where(
                self._visible_clause(),
                Case.closed_on.is_(None),
                Proceeding.deleted_at.is_(None),
                or_(
                    Proceeding.outcome == ProceedingOutcome.PENDING,
                    Proceeding.reporting_stage == ReportingStage.APPEAL,
                ),
                ~upcoming,
            )
            .order_by(Case.code, Accused.code)
        )
        if mine:
            stmt = stmt.where(self._assigned_clause())
        found: list[AttentionItem] = []
        for proceeding, case_code, accused_code in session.execute(stmt):
            if not needs_next_date(proceeding.outcome, proceeding.reporting_stage):
                continue
            found.append(
                AttentionItem(
                    AttentionKind.NO_NEXT_DATE,
                    proceeding.case_id,
                    case_code,
                    None,
                    f"The proceeding against {accused_code} is open but has no next hearing "
                    "date: find out the next date and enter it.",
                    proceeding_id=proceeding.id,
                )
            )
        return found

    def _prepared(self, session: Session, hearings: Sequence[HearingRow]) -> set[uuid.UUID]:
        """Hearings whose testifying survivor had a court-preparation session
        logged in the month before."""
        done: set[uuid.UUID] = set()
        for h in hearings:
            if h.survivor_id is None:
                continue
            logged = session.scalar(
                select(Intervention.id)
                .where(
                    and_(
                        Intervention.case_id == h.case_id,
                        Intervention.survivor_id == h.survivor_id,
                        Intervention.type == InterventionType.COURT_PREPARATION,
                        Intervention.deleted_at.is_(None),
                        Intervention.occurred_at
                        >= h.scheduled_at - timedelta(days=PREPARED_WITHIN_DAYS),
                        Intervention.occurred_at <= h.scheduled_at,
                    )
                )
                .limit(1)
            )
            if logged is not None:
                done.add(h.id)
        return done


def _zone(country: str) -> str:
    found = COUNTRIES.get(country)
    return found.timezone if found else "UTC"
