"""Aftercare records: outcome assessments and their scores, the instrument
versions they were made with, care-plan goals, services delivered, referrals
to partner institutions and the closing of a survivor's aftercare.

Assessments are append-only, like interventions: a correction is a new row
whose ``supersedes_id`` names the one it replaces (at most one correction per
row, so two people correcting the same assessment at once cannot fork it).
Each assessment keeps the instrument id, version and text digest it was made
with; ``assessment_instruments`` keeps the text of every version in use, so an
old assessment keeps its meaning even if the files on a laptop change.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentBasis,
    AssessmentType,
    CareService,
    ClosureStatus,
    GoalStatus,
    ReferralStatus,
)
from ijmcase.persistence.base import EnumText, Record, UTCDateTime

__all__ = [
    "AftercareClosure",
    "Assessment",
    "AssessmentInstrument",
    "AssessmentScore",
    "CarePlanGoal",
    "Referral",
    "ServiceDelivered",
]


class AssessmentInstrument(Record):
    """The exact text of an instrument version: loaded by the organization, or
    kept the first time an assessment used a version shipped with ijmcase."""

    __tablename__ = "assessment_instruments"
    __table_args__ = (UniqueConstraint("instrument_id", "instrument_version"),)

    instrument_id: Mapped[str] = mapped_column(String(64))
    # Not "version": every Record has that column already (optimistic locking).
    instrument_version: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64))
    # "loaded" (by an admin) or "shipped" (kept from ijmcase's own resources).
    origin: Mapped[str] = mapped_column(String(20))
    source_name: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)


class Assessment(Record):
    __tablename__ = "assessments"
    __table_args__ = (
        Index("ix_assessments_survivor_id_assessed_on", "survivor_id", "assessed_on"),
        Index("ix_assessments_case_id_assessed_on", "case_id", "assessed_on"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"))
    assessed_on: Mapped[date]
    assessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    type: Mapped[AssessmentType] = mapped_column(EnumText(AssessmentType))
    basis: Mapped[AssessmentBasis] = mapped_column(EnumText(AssessmentBasis))
    instrument_id: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[str] = mapped_column(String(32))
    instrument_digest: Mapped[str] = mapped_column(String(64))
    notes: Mapped[str] = mapped_column(Text, default="")
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("assessments.id"), unique=True
    )


class AssessmentScore(Record):
    """One sub-domain's score (1 most vulnerable .. 4 least); the domain key is
    kept beside it so reports can average per domain in SQL."""

    __tablename__ = "assessment_scores"
    __table_args__ = (
        UniqueConstraint("assessment_id", "sub_domain_key"),
        CheckConstraint("score >= 1 AND score <= 4", name="score_range"),
    )

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessments.id"))
    domain_key: Mapped[str] = mapped_column(String(64))
    sub_domain_key: Mapped[str] = mapped_column(String(64))
    score: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")


class CarePlanGoal(Record):
    __tablename__ = "care_plan_goals"
    __table_args__ = (Index("ix_care_plan_goals_case_id_survivor_id", "case_id", "survivor_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), index=True)
    domain_key: Mapped[str] = mapped_column(String(64))
    goal: Mapped[str] = mapped_column(Text)
    target_on: Mapped[date | None]
    status: Mapped[GoalStatus] = mapped_column(EnumText(GoalStatus))
    achieved_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")


class Referral(Record):
    """A referral or transfer to a partner institution, made under a consent.

    ``consent_id`` names the consent record (the caseworkers' ``consents``)
    that covered it when it was made, and ``consent_summary`` says what that
    consent covered, in words, so an export shows the basis even after the
    consent is withdrawn.
    """

    __tablename__ = "referrals"
    __table_args__ = (Index("ix_referrals_case_id_referred_on", "case_id", "referred_on"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), index=True)
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)
    service: Mapped[CareService] = mapped_column(EnumText(CareService))
    is_transfer: Mapped[bool] = mapped_column(default=False)
    status: Mapped[ReferralStatus] = mapped_column(EnumText(ReferralStatus), index=True)
    referred_on: Mapped[date]
    responded_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    referred_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    consent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("consents.id"))
    consent_summary: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    outcome_note: Mapped[str] = mapped_column(Text, default="")


class ServiceDelivered(Record):
    __tablename__ = "services_delivered"
    __table_args__ = (
        Index("ix_services_delivered_case_id_delivered_on", "case_id", "delivered_on"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), index=True)
    service: Mapped[CareService] = mapped_column(EnumText(CareService))
    delivered_on: Mapped[date]
    provider_institution_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("institutions.id"))
    goal_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_plan_goals.id"))
    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referrals.id"))
    staff_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    notes: Mapped[str] = mapped_column(Text, default="")


class AftercareClosure(Record):
    """Closing one survivor's aftercare in a case.

    "Restored" is recorded as ``pending_approval`` and becomes ``closed`` when a
    director approves it (``approved_by``, ``decided_at``) or ``declined`` when
    a director refuses; other reasons are ``closed`` at once. A relapse after
    closing marks the row ``reopened``; the row itself is kept as history.
    """

    __tablename__ = "aftercare_closures"
    __table_args__ = (Index("ix_aftercare_closures_case_id_survivor_id", "case_id", "survivor_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), index=True)
    reason: Mapped[AftercareClosureReason] = mapped_column(EnumText(AftercareClosureReason))
    closed_on: Mapped[date]
    status: Mapped[ClosureStatus] = mapped_column(EnumText(ClosureStatus), index=True)
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assessments.id"))
    requested_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    approved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
