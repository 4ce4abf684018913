"""Read models of the court record, and the queries that fill them in bulk.

Frozen dataclasses shaped for the screens and the outputs: ``ProceedingView``
(one accused's proceeding with its charges, custody, milestones, next steps
and running deadlines), ``HearingRow`` (one court date with everything the
docket, the calendar and the export print), ``CompensationView`` and
``ProtectionView``. Survivors appear in all of them by code only; the
accused by code and name, and the outputs decide whether the name is shown.

``hearing_rows`` builds many rows with a fixed number of queries, whatever
their number, so a docket or an export of thousands of hearings stays quick.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import (
    ChargeStatus,
    CompensationStatus,
    CustodyStatus,
    HearingOutcome,
    ProceedingOutcome,
    ProtectionKind,
    ReportingStage,
)
from ijmcase.domain.proceedings import Deadline
from ijmcase.persistence.models import (
    Accused,
    Case,
    Hearing,
    Institution,
    PartnerOfficial,
    ProtectionMeasure,
    Survivor,
    User,
    hearing_staff,
)

__all__ = [
    "AdjournmentCount",
    "ChargeView",
    "CompensationView",
    "CustodyView",
    "DeadlineView",
    "HearingRow",
    "MilestoneView",
    "NextStep",
    "ProceedingView",
    "ProtectionView",
    "deadline_view",
    "hearing_rows",
    "local_time",
]

_ZONES: dict[str, ZoneInfo] = {}


def _zone(name: str) -> ZoneInfo:
    zone = _ZONES.get(name)
    if zone is None:
        zone = _ZONES[name] = ZoneInfo(name)
    return zone


def local_time(instant: datetime, zone: str) -> datetime:
    """An instant as wall-clock time at the place (aware, in its IANA zone)."""
    return instant.astimezone(_zone(zone))


@dataclass(frozen=True)
class ChargeView:
    id: uuid.UUID
    statute: str
    section: str
    description: str
    filed_on: date
    status: ChargeStatus
    amends_id: uuid.UUID | None

    @property
    def citation(self) -> str:
        return f"{self.statute}, {self.section}" if self.section else self.statute


@dataclass(frozen=True)
class CustodyView:
    id: uuid.UUID
    status: CustodyStatus
    on: date
    place: str
    notes: str


@dataclass(frozen=True)
class MilestoneView:
    seq: int
    key: str
    label: str
    stage: ReportingStage
    on: date
    skipped: bool
    reason: str
    recorded_by: str


@dataclass(frozen=True)
class NextStep:
    """A milestone the order rule lets be recorded next."""

    key: str
    label: str
    stage: ReportingStage
    optional: bool


@dataclass(frozen=True)
class DeadlineView:
    """A statutory time limit running in one proceeding."""

    proceeding_id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    accused_code: str
    milestone_key: str
    milestone_label: str
    due_on: date
    basis: str
    overdue: bool
    counted_from_label: str
    started_on: date
    timezone: str

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days


def deadline_view(
    deadline: Deadline,
    *,
    proceeding_id: uuid.UUID,
    case_id: uuid.UUID,
    case_code: str,
    accused_code: str,
    timezone: str,
) -> DeadlineView:
    return DeadlineView(
        proceeding_id=proceeding_id,
        case_id=case_id,
        case_code=case_code,
        accused_code=accused_code,
        milestone_key=deadline.milestone.key,
        milestone_label=deadline.milestone.label,
        due_on=deadline.due_on,
        basis=deadline.basis,
        overdue=deadline.overdue,
        counted_from_label=deadline.counted_from.label,
        started_on=deadline.started_on,
        timezone=timezone,
    )


@dataclass(frozen=True)
class ProceedingView:
    id: uuid.UUID
    version: int
    case_id: uuid.UUID
    case_code: str
    accused_id: uuid.UUID
    accused_code: str
    accused_name: str
    custody_status: CustodyStatus
    court_id: uuid.UUID | None
    court_name: str
    court_case_number: str
    pathway_key: str
    pathway_name: str
    reporting_stage: ReportingStage | None
    outcome: ProceedingOutcome
    outcome_on: date | None
    prison_months: int | None
    life_sentence: bool
    fine_amount: Decimal | None
    fine_currency: str
    appealed: bool
    appeal_notes: str
    notes: str
    charges: tuple[ChargeView, ...]
    custody: tuple[CustodyView, ...]
    milestones: tuple[MilestoneView, ...]
    next_steps: tuple[NextStep, ...]
    deadlines: tuple[DeadlineView, ...]
    next_hearing_at: datetime | None
    is_open: bool
    can_edit: bool

    @property
    def sentence_text(self) -> str:
        parts: list[str] = []
        if self.life_sentence:
            parts.append("life imprisonment")
        elif self.prison_months:
            years, months = divmod(self.prison_months, 12)
            parts.append(
                f"{years} years' imprisonment"
                if not months
                else f"{self.prison_months} months' imprisonment"
            )
        if self.fine_amount is not None:
            parts.append(f"fine {self.fine_currency} {self.fine_amount:,.2f}")
        return ", ".join(parts)


@dataclass(frozen=True)
class HearingRow:
    """One court date, with what the docket, calendar and export show.

    ``scheduled_at`` is the UTC instant; ``starts_at`` the same instant as
    wall-clock time at the court (its IANA ``timezone``)."""

    id: uuid.UUID
    version: int
    updated_at: datetime
    case_id: uuid.UUID
    case_code: str
    proceeding_id: uuid.UUID | None
    accused_id: uuid.UUID | None
    accused_code: str
    accused_name: str
    accused_custody: CustodyStatus | None
    court_id: uuid.UUID | None
    court_name: str
    courtroom: str
    judge_id: uuid.UUID | None
    judge_name: str
    scheduled_at: datetime
    timezone: str
    purpose: str
    outcome: HearingOutcome | None
    adjournment_reason: str
    next_date: date | None
    previous_hearing_id: uuid.UUID | None
    notes: str
    preparation: str
    survivor_testifies: bool
    survivor_id: uuid.UUID | None
    survivor_code: str
    protection_kind: ProtectionKind | None
    staff_ids: tuple[uuid.UUID, ...]
    staff_names: tuple[str, ...]

    @property
    def starts_at(self) -> datetime:
        return local_time(self.scheduled_at, self.timezone)

    @property
    def local_date(self) -> date:
        return self.starts_at.date()

    @property
    def local_time_text(self) -> str:
        return self.starts_at.strftime("%H:%M")

    @property
    def outcome_text(self) -> str:
        return self.outcome.label if self.outcome is not None else ""

    @property
    def staff_text(self) -> str:
        return ", ".join(self.staff_names)

    @property
    def protection_text(self) -> str:
        return self.protection_kind.label if self.protection_kind is not None else ""

    @property
    def to_prepare(self) -> tuple[str, ...]:
        """What must be ready for this hearing, in the words a docket prints."""
        items: list[str] = []
        for line in self.preparation.replace(";", "\n").splitlines():
            if line.strip():
                items.append(line.strip())
        if self.survivor_testifies:
            measure = f" ({self.protection_kind.label.lower()})" if self.protection_kind else ""
            who = self.survivor_code or "the survivor"
            items.append(
                f"Prepare {who} to testify{measure}: court-preparation session, transport, "
                "a support person"
            )
        if self.accused_custody is CustodyStatus.IN_CUSTODY and self.outcome is None:
            who = self.accused_code or "the accused"
            items.append(f"Check that {who} will be produced from custody")
        return tuple(items)

    @property
    def to_prepare_text(self) -> str:
        return "; ".join(self.to_prepare)


@dataclass(frozen=True)
class AdjournmentCount:
    """Hearings with an outcome, and how many of them were adjourned or vacated."""

    key: str  # case code, or the court's name
    court_id: uuid.UUID | None
    hearings: int
    held: int
    adjourned: int
    vacated: int

    @property
    def adjourned_share(self) -> float:
        return self.adjourned / self.hearings if self.hearings else 0.0


@dataclass(frozen=True)
class CompensationView:
    id: uuid.UUID
    version: int
    case_id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_code: str
    proceeding_id: uuid.UUID | None
    scheme: str
    status: CompensationStatus
    currency: str
    applied_on: date
    applied_amount: Decimal | None
    awarded_on: date | None
    awarded_amount: Decimal | None
    paid_on: date | None
    paid_amount: Decimal | None
    notes: str


@dataclass(frozen=True)
class ProtectionView:
    id: uuid.UUID
    version: int
    case_id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_code: str
    kind: ProtectionKind
    starts_on: date
    ends_on: date | None
    authority: str
    notes: str

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


_CHUNK = 900  # ids per IN list: well under every engine's parameter limit


def _by_id(
    session: Session, ids: set[uuid.UUID], make: Callable[[list[uuid.UUID]], Executable]
) -> dict[uuid.UUID, Any]:
    """Rows keyed by their first column, fetched in chunks of ids."""
    found: dict[uuid.UUID, Any] = {}
    wanted = list(ids)
    for start in range(0, len(wanted), _CHUNK):
        for row in session.execute(make(wanted[start : start + _CHUNK])):
            found[row[0]] = row
    return found


def hearing_rows(session: Session, hearings: Sequence[Hearing]) -> list[HearingRow]:
    """Rows for ``hearings`` in the given order; related names in a few queries."""
    if not hearings:
        return []
    case_ids = {h.case_id for h in hearings}
    accused_ids = {h.accused_id for h in hearings if h.accused_id}
    judge_ids = {h.judge_id for h in hearings if h.judge_id}
    survivor_ids = {h.testifying_survivor_id for h in hearings if h.testifying_survivor_id}
    measure_ids = {h.protection_measure_id for h in hearings if h.protection_measure_id}
    court_ids = {h.court_id for h in hearings if h.court_id}
    cases = _by_id(session, case_ids, lambda c: select(Case.id, Case.code).where(Case.id.in_(c)))
    accused = _by_id(
        session,
        accused_ids,
        lambda c: select(Accused.id, Accused.code, Accused.name, Accused.custody_status).where(
            Accused.id.in_(c)
        ),
    )
    judges = _by_id(
        session,
        judge_ids,
        lambda c: select(PartnerOfficial.id, PartnerOfficial.name).where(PartnerOfficial.id.in_(c)),
    )
    survivors = _by_id(
        session,
        survivor_ids,
        lambda c: select(Survivor.id, Survivor.code).where(Survivor.id.in_(c)),
    )
    measures = _by_id(
        session,
        measure_ids,
        lambda c: select(ProtectionMeasure.id, ProtectionMeasure.kind).where(
            ProtectionMeasure.id.in_(c)
        ),
    )
    courts = _by_id(
        session,
        court_ids,
        lambda c: select(Institution.id, Institution.name).where(Institution.id.in_(c)),
    )
    staff: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = {}
    ids = [h.id for h in hearings]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for hearing_id, user_id, name in session.execute(
            select(hearing_staff.c.hearing_id, User.id, User.display_name)
            .join(User, User.id == hearing_staff.c.user_id)
            .where(hearing_staff.c.hearing_id.in_(chunk))
            .order_by(User.display_name)
        ):
            staff.setdefault(hearing_id, []).append((user_id, name))
    rows: list[HearingRow] = []
    for h in hearings:
        acc = accused.get(h.accused_id) if h.accused_id else None
        members = staff.get(h.id, [])
        court = courts.get(h.court_id) if h.court_id else None
        measure = measures.get(h.protection_measure_id) if h.protection_measure_id else None
        judge = judges.get(h.judge_id) if h.judge_id else None
        survivor = survivors.get(h.testifying_survivor_id) if h.testifying_survivor_id else None
        rows.append(
            HearingRow(
                id=h.id,
                version=h.version,
                updated_at=h.updated_at,
                case_id=h.case_id,
                case_code=cases[h.case_id].code,
                proceeding_id=h.proceeding_id,
                accused_id=h.accused_id,
                accused_code=acc.code if acc else "",
                accused_name=acc.name if acc else "",
                accused_custody=acc.custody_status if acc else None,
                court_id=h.court_id,
                court_name=court.name if court else h.court_name,
                courtroom=h.courtroom,
                judge_id=h.judge_id,
                judge_name=judge.name if judge else "",
                scheduled_at=h.scheduled_at,
                timezone=h.timezone,
                purpose=h.purpose,
                outcome=h.outcome,
                adjournment_reason=h.adjournment_reason,
                next_date=h.next_date,
                previous_hearing_id=h.previous_hearing_id,
                notes=h.notes,
                preparation=h.preparation,
                survivor_testifies=h.survivor_testifies,
                survivor_id=h.testifying_survivor_id,
                survivor_code=survivor.code if survivor else "",
                protection_kind=measure.kind if measure else None,
                staff_ids=tuple(u for u, _ in members),
                staff_names=tuple(n for _, n in members),
            )
        )
    return rows
