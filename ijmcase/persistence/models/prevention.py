"""Structural-prevention records: trainings and other engagements with officials
and institutions, who attended them, and cases the government led.

Attendance is kept two ways: officials linked by name
(``engagement_attendees``) and, when names were not taken, a head count per
official role (``engagement_role_counts``); an engagement may have both.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ijmcase.domain.enums import EngagementKind, OfficialRole
from ijmcase.persistence.base import EnumText, Record

__all__ = [
    "Engagement",
    "EngagementAttendee",
    "EngagementInstitution",
    "EngagementRoleCount",
    "GovernmentLedCase",
]


class Engagement(Record):
    __tablename__ = "engagements"
    __table_args__ = (
        Index("ix_engagements_country_jurisdiction_held_on", "country", "jurisdiction", "held_on"),
    )

    kind: Mapped[EngagementKind] = mapped_column(EnumText(EngagementKind))
    held_on: Mapped[date] = mapped_column(index=True)
    topic: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    jurisdiction: Mapped[str] = mapped_column(String(200), default="")
    facilitators: Mapped[str] = mapped_column(String(500), default="")
    materials: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The case the engagement grew out of, if any ("the case is used to
    # strengthen the system").
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)


class EngagementInstitution(Record):
    __tablename__ = "engagement_institutions"
    __table_args__ = (UniqueConstraint("engagement_id", "institution_id"),)

    engagement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engagements.id"))
    institution_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("institutions.id"), index=True)


class EngagementAttendee(Record):
    __tablename__ = "engagement_attendees"
    __table_args__ = (UniqueConstraint("engagement_id", "official_id"),)

    engagement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engagements.id"))
    official_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partner_officials.id"), index=True)


class EngagementRoleCount(Record):
    """Officials of one role who attended without their names being recorded."""

    __tablename__ = "engagement_role_counts"
    __table_args__ = (
        UniqueConstraint("engagement_id", "official_role"),
        CheckConstraint("attendees >= 0", name="attendees_not_negative"),
    )

    engagement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("engagements.id"))
    official_role: Mapped[OfficialRole] = mapped_column(EnumText(OfficialRole))
    attendees: Mapped[int]


class GovernmentLedCase(Record):
    """A case the authorities led without the organization starting it.

    One row per case; unmarking retires it (``deleted_at``) and marking again
    revives it, so the history stays in the audit log.
    """

    __tablename__ = "government_led_cases"

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"), unique=True)
    lead_institution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institutions.id"), index=True
    )
    marked_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
