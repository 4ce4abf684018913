"""Offices, cases, who is assigned to them, and their four stage tracks."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ijmcase.domain.enums import (
    AssignmentRole,
    CaseClosureReason,
    RiskLevel,
    Sensitivity,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.persistence.base import EnumText, Record, UTCDateTime


class Office(Record):
    __tablename__ = "offices"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), index=True)
    timezone: Mapped[str] = mapped_column(String(64))


class Case(Record):
    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_country_opened_on", "country", "opened_on"),
        Index("ix_cases_violence_type", "violence_type"),
        # The case list's default view (open cases, newest first) walks this index
        # instead of sorting half the table.
        Index("ix_cases_list_open", "closed_on", "opened_on", "code"),
    )

    code: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    violence_type: Mapped[ViolenceType] = mapped_column(EnumText(ViolenceType))
    country: Mapped[str] = mapped_column(String(2))
    jurisdiction: Mapped[str] = mapped_column(String(200), default="")
    office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("offices.id"), index=True)
    opened_on: Mapped[date] = mapped_column(index=True)
    closed_on: Mapped[date | None] = mapped_column(index=True)
    closure_reason: Mapped[CaseClosureReason | None] = mapped_column(EnumText(CaseClosureReason))
    risk_level: Mapped[RiskLevel] = mapped_column(EnumText(RiskLevel))
    sensitivity: Mapped[Sensitivity] = mapped_column(EnumText(Sensitivity))
    lead_caseworker_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    lead_lawyer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")

    tracks: Mapped[list[StageTrack]] = relationship(
        back_populates="case", order_by="StageTrack.stage", lazy="selectin"
    )


class CaseAssignment(Record):
    """A staff member working on a case; assigned staff may see identities."""

    __tablename__ = "case_assignments"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    role_on_case: Mapped[AssignmentRole] = mapped_column(EnumText(AssignmentRole))


class StageTrack(Record):
    __tablename__ = "stage_tracks"
    __table_args__ = (
        UniqueConstraint("case_id", "stage"),
        Index("ix_stage_tracks_stage_status", "stage", "status"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    stage: Mapped[Stage] = mapped_column(EnumText(Stage))
    status: Mapped[TrackStatus] = mapped_column(EnumText(TrackStatus))
    started_on: Mapped[date | None]
    completed_on: Mapped[date | None]
    outcome_note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="tracks")


class StageTransition(Record):
    """The history of a track: every move, when, by whom and why."""

    __tablename__ = "stage_transitions"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), index=True)
    track_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stage_tracks.id"))
    stage: Mapped[Stage] = mapped_column(EnumText(Stage))
    from_status: Mapped[TrackStatus] = mapped_column(EnumText(TrackStatus))
    to_status: Mapped[TrackStatus] = mapped_column(EnumText(TrackStatus))
    effective_on: Mapped[date]
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text, default="")
