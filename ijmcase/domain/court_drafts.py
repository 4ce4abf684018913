"""Drafts for the court record: charges, custody, outcomes and sentences,
hearings and their results, compensation claims and protection measures.

Like ``drafts``: each is a frozen value whose ``problems()`` lists every wrong
field at once and whose ``validate()`` raises them as one ValidationError.
The rules that need a proceeding's history (milestone order, a verdict needs
a charge) are in ``proceedings``; the ones here need only the draft itself
and, for a hearing, the first charge date.

A hearing's time is entered as the court's wall-clock time plus the court's
IANA zone (``local_instant`` turns that into the UTC instant stored), so a
hearing at 10:00 in Manila is 10:00 whatever the laptop's clock says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ijmcase.domain.enums import (
    ChargeStatus,
    CompensationStatus,
    CustodyStatus,
    HearingOutcome,
    ProceedingOutcome,
    ProtectionKind,
)
from ijmcase.domain.errors import FieldProblem, RuleViolation, raise_if_problems
from ijmcase.domain.proceedings import CONVICTIONS, hearing_date_problems

__all__ = [
    "MAX_PRISON_MONTHS",
    "ChargeDraft",
    "CompensationDraft",
    "CustodyDraft",
    "HearingDraft",
    "HearingResult",
    "OutcomeDraft",
    "ProtectionDraft",
    "check_custody",
    "local_instant",
    "zone_problem",
]

MAX_TEXT = 200
MAX_NOTE = 20_000
# A hundred years: longer than any sentence a court passes in months.
MAX_PRISON_MONTHS = 1200
MAX_AMOUNT = Decimal("1e12")
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _required(value: str, field: str, what: str) -> FieldProblem | None:
    if not value.strip():
        return FieldProblem(field, "required", f"Enter {what}.")
    return None


def _too_long(value: str, field: str, limit: int, what: str) -> FieldProblem | None:
    if len(value) > limit:
        return FieldProblem(
            field, "too_long", f"The {what} is {len(value):,} characters; the limit is {limit:,}."
        )
    return None


def _future(value: date | None, field: str, what: str, today: date | None) -> FieldProblem | None:
    if value is not None and today is not None and value > today:
        return FieldProblem(
            field, "future_date", f"The {what} ({value.isoformat()}) is in the future."
        )
    return None


def _collect(*found: FieldProblem | None) -> list[FieldProblem]:
    return [p for p in found if p is not None]


def _amount(value: Decimal | None, field: str, what: str) -> FieldProblem | None:
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
        return FieldProblem(field, "out_of_range", f"The {what} must be zero or more.")
    if value != value.quantize(Decimal("0.01")):
        return FieldProblem(field, "too_precise", f"The {what} has more than two decimals.")
    return None


def _currency(value: str, field: str, needed: bool) -> FieldProblem | None:
    if value and not _CURRENCY.match(value):
        return FieldProblem(
            field, "bad_currency", f"'{value}' is not a currency code; use three letters (INR)."
        )
    if needed and not value:
        return FieldProblem(field, "required", "Give the currency of the amount (INR, PHP, KES).")
    return None


def zone_problem(zone: str, field: str = "timezone") -> FieldProblem | None:
    """A problem when ``zone`` is not an IANA time-zone name this computer knows."""
    if not zone.strip():
        return FieldProblem(field, "required", "Give the court's time zone (e.g. Asia/Manila).")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return FieldProblem(
            field,
            "unknown_zone",
            f"'{zone}' is not a time zone; use an IANA name such as Asia/Manila.",
        )
    return None


def local_instant(wall: datetime, zone: str) -> datetime:
    """The UTC instant of a wall-clock time in ``zone``. An aware ``wall`` is
    taken as the instant it names."""
    if wall.tzinfo is not None and wall.utcoffset() is not None:
        return wall.astimezone(UTC)
    return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


@dataclass(frozen=True)
class ChargeDraft:
    """One offence alleged against one accused: the law, the section and when
    it was filed in court."""

    statute: str
    filed_on: date
    section: str = ""
    description: str = ""
    status: ChargeStatus = ChargeStatus.FILED

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        return _collect(
            _required(self.statute, "statute", "the law the charge is under"),
            _too_long(self.statute, "statute", MAX_TEXT, "statute"),
            _too_long(self.section, "section", 100, "section"),
            _too_long(self.description, "description", MAX_NOTE, "description"),
            _future(self.filed_on, "filed_on", "filing date", today),
        )

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class CustodyDraft:
    status: CustodyStatus
    on: date
    place: str = ""
    notes: str = ""

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        return _collect(
            _future(self.on, "on", "date", today),
            _too_long(self.place, "place", MAX_TEXT, "place"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class OutcomeDraft:
    """How one accused's proceeding ended, and the sentence after a conviction."""

    outcome: ProceedingOutcome
    on: date | None = None
    prison_months: int | None = None
    life_sentence: bool = False
    fine_amount: Decimal | None = None
    fine_currency: str = ""
    notes: str = ""

    @property
    def has_sentence(self) -> bool:
        return self.prison_months is not None or self.life_sentence or self.fine_amount is not None

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _future(self.on, "on", "date of the outcome", today),
            _amount(self.fine_amount, "fine_amount", "fine"),
            _currency(self.fine_currency, "fine_currency", self.fine_amount is not None),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.outcome is not ProceedingOutcome.PENDING and self.on is None:
            found.append(FieldProblem("on", "required", "Give the date of the outcome."))
        if self.prison_months is not None and not 0 < self.prison_months <= MAX_PRISON_MONTHS:
            found.append(
                FieldProblem(
                    "prison_months",
                    "out_of_range",
                    f"A prison term is 1 to {MAX_PRISON_MONTHS:,} months; "
                    "tick life imprisonment for a life sentence.",
                )
            )
        if self.life_sentence and self.prison_months is not None:
            found.append(
                FieldProblem(
                    "prison_months",
                    "life_and_term",
                    "Give either a prison term in months or life imprisonment, not both.",
                )
            )
        if self.has_sentence and self.outcome not in CONVICTIONS:
            found.append(
                FieldProblem(
                    "prison_months" if self.fine_amount is None else "fine_amount",
                    "sentence_needs_conviction",
                    "A sentence needs a conviction: record the outcome as convicted (or "
                    f"convicted on a guilty plea); it is '{self.outcome.label.lower()}'.",
                )
            )
        return found

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class HearingDraft:
    """A court date as a lawyer enters it: the court's wall-clock time and zone."""

    starts_at: datetime  # wall-clock time at the court (naive), or an aware instant
    timezone: str
    purpose: str
    proceeding_id: UUID | None = None
    court_id: UUID | None = None
    court_name: str = ""
    courtroom: str = ""
    judge_id: UUID | None = None
    staff_ids: tuple[UUID, ...] = ()
    survivor_testifies: bool = False
    testifying_survivor_id: UUID | None = None
    protection_measure_id: UUID | None = None
    preparation: str = ""
    notes: str = ""

    def local_start(self) -> datetime:
        """The start as wall-clock time at the court (aware, in its zone)."""
        zone = ZoneInfo(self.timezone)
        if self.starts_at.tzinfo is not None and self.starts_at.utcoffset() is not None:
            return self.starts_at.astimezone(zone)
        return self.starts_at.replace(tzinfo=zone)

    def problems(self, *, first_charge_on: date | None = None) -> list[FieldProblem]:
        zone = zone_problem(self.timezone)
        found = _collect(
            zone,
            _required(self.purpose, "purpose", "the purpose of the hearing"),
            _too_long(self.purpose, "purpose", MAX_TEXT, "purpose"),
            _too_long(self.court_name, "court_name", MAX_TEXT, "court name"),
            _too_long(self.courtroom, "courtroom", 100, "courtroom"),
            _too_long(self.preparation, "preparation", MAX_NOTE, "preparation note"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.court_id is None and not self.court_name.strip():
            found.append(FieldProblem("court_id", "required", "Choose the court."))
        if self.survivor_testifies and self.testifying_survivor_id is None:
            found.append(
                FieldProblem(
                    "testifying_survivor_id",
                    "required",
                    "Choose which survivor testifies (by code).",
                )
            )
        if self.protection_measure_id is not None and not self.survivor_testifies:
            found.append(
                FieldProblem(
                    "protection_measure_id",
                    "no_testimony",
                    "A protection measure for testimony needs a survivor who testifies.",
                )
            )
        if len(set(self.staff_ids)) != len(self.staff_ids):
            found.append(FieldProblem("staff_ids", "duplicate", "A staff member is listed twice."))
        if zone is None:
            found += hearing_date_problems(
                self.local_start().date(), first_charge_on=first_charge_on
            )
        return found

    def validate(self, *, first_charge_on: date | None = None) -> None:
        raise_if_problems(self.problems(first_charge_on=first_charge_on))


@dataclass(frozen=True)
class HearingResult:
    """What happened at a hearing, and when the court sits next.

    ``next_on`` creates the next hearing, at ``next_time`` (default: the
    same time of day) with ``next_purpose`` (default: the same purpose)."""

    outcome: HearingOutcome
    reason: str = ""
    next_on: date | None = None
    next_time: time | None = None
    next_purpose: str = ""
    notes: str = ""

    def problems(self, *, hearing_on: date, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _too_long(self.reason, "reason", MAX_NOTE, "reason"),
            _too_long(self.next_purpose, "next_purpose", MAX_TEXT, "purpose"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.outcome is not HearingOutcome.HELD and not self.reason.strip():
            what = "adjourned" if self.outcome is HearingOutcome.ADJOURNED else "vacated"
            found.append(
                FieldProblem(
                    "reason",
                    "reason_required",
                    f"Say why the hearing was {what} (e.g. the judge was on leave).",
                )
            )
        if self.outcome is HearingOutcome.HELD and today is not None and hearing_on > today:
            found.append(
                FieldProblem(
                    "outcome",
                    "not_yet_held",
                    f"The hearing is on {hearing_on.isoformat()}; it cannot have been held yet.",
                )
            )
        found += hearing_date_problems(hearing_on, first_charge_on=None, next_on=self.next_on)
        return found

    def validate(self, *, hearing_on: date, today: date | None = None) -> None:
        raise_if_problems(self.problems(hearing_on=hearing_on, today=today))


@dataclass(frozen=True)
class CompensationDraft:
    """A victim-compensation claim: applied, awarded and paid, each with a date
    and an amount in one currency."""

    scheme: str
    applied_on: date
    currency: str
    survivor_id: UUID | None = None
    proceeding_id: UUID | None = None
    applied_amount: Decimal | None = None
    awarded_on: date | None = None
    awarded_amount: Decimal | None = None
    paid_on: date | None = None
    paid_amount: Decimal | None = None
    status: CompensationStatus | None = None  # None: follow the dates
    notes: str = ""

    def effective_status(self) -> CompensationStatus:
        if self.status is not None:
            return self.status
        if self.paid_on is not None:
            if (
                self.awarded_amount is not None
                and self.paid_amount is not None
                and self.paid_amount < self.awarded_amount
            ):
                return CompensationStatus.PARTLY_PAID
            return CompensationStatus.PAID
        if self.awarded_on is not None:
            return CompensationStatus.AWARDED
        return CompensationStatus.APPLIED

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _required(self.scheme, "scheme", "the compensation scheme or court order"),
            _too_long(self.scheme, "scheme", MAX_TEXT, "scheme"),
            _currency(self.currency, "currency", True),
            _amount(self.applied_amount, "applied_amount", "amount applied for"),
            _amount(self.awarded_amount, "awarded_amount", "amount awarded"),
            _amount(self.paid_amount, "paid_amount", "amount paid"),
            _future(self.applied_on, "applied_on", "application date", today),
            _future(self.awarded_on, "awarded_on", "award date", today),
            _future(self.paid_on, "paid_on", "payment date", today),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.survivor_id is None:
            found.append(FieldProblem("survivor_id", "required", "Choose the survivor (by code)."))
        if self.awarded_on is not None and self.awarded_on < self.applied_on:
            found.append(
                FieldProblem(
                    "awarded_on", "before_applied", "The award is dated before the application."
                )
            )
        if self.paid_on is not None:
            if self.awarded_on is None:
                found.append(
                    FieldProblem(
                        "paid_on", "paid_not_awarded", "Record the award before the payment."
                    )
                )
            elif self.paid_on < self.awarded_on:
                found.append(
                    FieldProblem(
                        "paid_on", "before_awarded", "The payment is dated before the award."
                    )
                )
        if (self.awarded_amount is None) != (self.awarded_on is None):
            found.append(
                FieldProblem(
                    "awarded_amount", "incomplete", "Give both the date and the amount awarded."
                )
            )
        if (self.paid_amount is None) != (self.paid_on is None):
            found.append(
                FieldProblem("paid_amount", "incomplete", "Give both the date and the amount paid.")
            )
        if (
            self.paid_amount is not None
            and self.awarded_amount is not None
            and self.paid_amount > self.awarded_amount
        ):
            found.append(
                FieldProblem("paid_amount", "more_than_awarded", "More was paid than awarded.")
            )
        return found

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class ProtectionDraft:
    """A protection measure granted to a survivor, or a threat they reported
    (``starts_on`` is then the day it was reported)."""

    kind: ProtectionKind
    survivor_id: UUID | None
    starts_on: date
    ends_on: date | None = None
    authority: str = ""
    notes: str = ""

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _future(self.starts_on, "starts_on", "start date", today),
            _too_long(self.authority, "authority", MAX_TEXT, "authority"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.survivor_id is None:
            found.append(FieldProblem("survivor_id", "required", "Choose the survivor (by code)."))
        if self.ends_on is not None and self.ends_on < self.starts_on:
            found.append(
                FieldProblem("ends_on", "end_before_start", "The measure ends before it starts.")
            )
        return found

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


def check_custody(history: Sequence[tuple[date, CustodyStatus]], new: CustodyDraft) -> None:
    """An accused recorded as deceased has no custody after that day."""
    for on, status in history:
        if status is CustodyStatus.DECEASED and new.on >= on:
            raise RuleViolation(
                f"The accused is recorded as deceased on {on.isoformat()}; no custody can "
                "be recorded after that.",
                code="accused_deceased",
            )
