"""The lawyers' records: one proceeding per accused in a case, its charges,
custody over time, the milestones of its legal pathway, victim compensation
and protection measures, and who from the organization attends a hearing.

A proceeding keeps the key, name and format of the pathway template it
follows (``pathway_key``: a country code or ``generic``), so it stays on
the same steps if the organization later adds a template for its country.
Milestone records are append-only: the rules replay them in the order they
were made (``seq``), and a record a lawyer regrets is corrected by the next
one, never edited. The hearing itself is in ``activity``; ``hearing_staff``
links it to the staff who attend.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ijmcase.domain.enums import (
    ChargeStatus,
    CompensationStatus,
    CustodyStatus,
    ProceedingOutcome,
    ProtectionKind,
    ReportingStage,
)
from ijmcase.persistence.base import Base, EnumText, Record

__all__ = [
    "Charge",
    "CompensationClaim",
    "CustodyEvent",
    "MilestoneRecord",
    "Proceeding",
    "ProtectionMeasure",
    "hearing_staff",
]

MONEY = Numeric(14, 2)


class Proceeding(Record):
    """One accused person's criminal proceeding in a case."""

    __tablename__ = "proceedings"
    __table_args__ = (
        UniqueConstraint("case_id", "accused_id"),
        Index("ix_proceedings_outcome_stage", "outcome", "reporting_stage"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    accused_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accused.id"), index=True)
    court_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    court_case_number: Mapped[str] = mapped_column(String(100), default="")
    pathway_key: Mapped[str] = mapped_column(String(20))
    pathway_name: Mapped[str] = mapped_column(String(200))
    pathway_format: Mapped[int] = mapped_column(default=1)
    # The furthest reporting stage reached (None before the first milestone),
    # kept with each milestone so reports need not replay the pathway.
    reporting_stage: Mapped[ReportingStage | None] = mapped_column(EnumText(ReportingStage))
    outcome: Mapped[ProceedingOutcome] = mapped_column(
        EnumText(ProceedingOutcome), default=ProceedingOutcome.PENDING
    )
    outcome_on: Mapped[date | None]
    prison_months: Mapped[int | None]
    life_sentence: Mapped[bool] = mapped_column(default=False)
    fine_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    fine_currency: Mapped[str] = mapped_column(String(3), default="")
    appealed: Mapped[bool] = mapped_column(default=False)
    appeal_notes: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class Charge(Record):
    """One offence alleged against the accused. An amended charge is a new row
    naming the one it replaces (``amends_id``); the old one becomes ``amended``."""

    __tablename__ = "charges"

    proceeding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("proceedings.id"), index=True)
    statute: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(100), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    filed_on: Mapped[date]
    status: Mapped[ChargeStatus] = mapped_column(EnumText(ChargeStatus))
    amends_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("charges.id"))


class CustodyEvent(Record):
    """The accused's custody from a day on (arrested, on bail, in custody,
    absconded, released ...); the latest sets ``Accused.custody_status``."""

    __tablename__ = "custody_events"
    __table_args__ = (Index("ix_custody_events_proceeding_id_on_date", "proceeding_id", "on_date"),)

    proceeding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("proceedings.id"))
    status: Mapped[CustodyStatus] = mapped_column(EnumText(CustodyStatus))
    on_date: Mapped[date]
    place: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class MilestoneRecord(Record):
    """Append-only: a milestone reached on a day, or skipped with a reason.

    ``label`` and ``stage`` are copied from the template when recorded, so
    the history reads the same after the template is edited."""

    __tablename__ = "milestone_records"
    __table_args__ = (UniqueConstraint("proceeding_id", "seq"),)

    proceeding_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("proceedings.id"))
    seq: Mapped[int]
    key: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    stage: Mapped[ReportingStage] = mapped_column(EnumText(ReportingStage))
    on_date: Mapped[date]
    skipped: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")


class CompensationClaim(Record):
    __tablename__ = "compensation_claims"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), index=True)
    proceeding_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("proceedings.id"))
    scheme: Mapped[str] = mapped_column(String(200))
    status: Mapped[CompensationStatus] = mapped_column(EnumText(CompensationStatus))
    currency: Mapped[str] = mapped_column(String(3))
    applied_on: Mapped[date]
    applied_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    awarded_on: Mapped[date | None]
    awarded_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    paid_on: Mapped[date | None]
    paid_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    notes: Mapped[str] = mapped_column(Text, default="")


class ProtectionMeasure(Record):
    """A measure protecting a survivor (witness protection, in-camera
    testimony, a protection order) or a threat they reported."""

    __tablename__ = "protection_measures"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), index=True)
    kind: Mapped[ProtectionKind] = mapped_column(EnumText(ProtectionKind))
    starts_on: Mapped[date]
    ends_on: Mapped[date | None]
    authority: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


# Who from the organization attends a hearing. A plain link table: the
# hearing's own version and audit event record a change of attendance.
hearing_staff = Table(
    "hearing_staff",
    Base.metadata,
    Column("hearing_id", ForeignKey("hearings.id"), primary_key=True),
    Column("user_id", ForeignKey("users.id"), primary_key=True, index=True),
)
