"""What happens in a case over time: interventions and court hearings.

Interventions are append-only: a correction is a new row whose
``supersedes_id`` names the row it replaces, so a field note is never
overwritten. Later issues extend both tables (follow-ups, hearing outcomes).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ijmcase.domain.enums import HearingOutcome, InterventionType, Stage
from ijmcase.persistence.base import EnumText, Record, UTCDateTime


class Intervention(Record):
    __tablename__ = "interventions"
    __table_args__ = (
        Index("ix_interventions_case_id_occurred_at", "case_id", "occurred_at"),
        Index("ix_interventions_staff_follow_up", "staff_user_id", "follow_up_on"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    survivor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survivors.id"), index=True)
    type: Mapped[InterventionType] = mapped_column(EnumText(InterventionType))
    stage: Mapped[Stage] = mapped_column(EnumText(Stage))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int | None]
    staff_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    location: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None]
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("interventions.id"), index=True
    )


class Hearing(Record):
    """A court date. ``scheduled_at`` is the UTC instant; ``timezone`` is the
    court's IANA zone, so 10:00 in Manila shows 10:00 on any laptop."""

    __tablename__ = "hearings"
    __table_args__ = (
        Index("ix_hearings_case_id_scheduled_at", "case_id", "scheduled_at"),
        # The docket and calendar: a court's hearings by time; hearings with
        # no outcome yet (NULL sorts into the index on both engines) by time.
        Index("ix_hearings_court_id_scheduled_at", "court_id", "scheduled_at"),
        Index("ix_hearings_outcome_scheduled_at", "outcome", "scheduled_at"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    accused_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accused.id"), index=True)
    court_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    court_name: Mapped[str] = mapped_column(String(200), default="")
    courtroom: Mapped[str] = mapped_column(String(100), default="")
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    timezone: Mapped[str] = mapped_column(String(64))
    purpose: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[HearingOutcome | None] = mapped_column(EnumText(HearingOutcome))
    adjournment_reason: Mapped[str] = mapped_column(Text, default="")
    next_date: Mapped[date | None]
    previous_hearing_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hearings.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    # The court record (issue 5): which accused's proceeding, the judge or
    # magistrate, whether a survivor testifies and under which protection
    # measure, and what must be prepared. Staff attending: models.court.hearing_staff.
    proceeding_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("proceedings.id"), index=True
    )
    judge_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("partner_officials.id"))
    survivor_testifies: Mapped[bool] = mapped_column(default=False)
    testifying_survivor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survivors.id"))
    protection_measure_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("protection_measures.id")
    )
    preparation: Mapped[str] = mapped_column(Text, default="")
