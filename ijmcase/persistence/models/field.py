"""The caseworkers' records: consent, the people an intervention involved,
follow-ups, attachments and merges of duplicate person records.

Full-text search over notes and case summaries is not a model: it lives in
engine-specific objects made by migration 0004 (an FTS5 table kept in step
by triggers on SQLite, generated ``tsvector`` columns with GIN indexes on
PostgreSQL); ``persistence.search_index`` names them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from ijmcase.domain.enums import (
    AttachmentOwner,
    ConsentGiver,
    ConsentScope,
    FollowUpState,
    PartyKind,
)
from ijmcase.persistence.base import EnumText, Record, UTCDateTime

__all__ = ["Attachment", "Consent", "FollowUp", "InterventionPerson", "PersonMerge"]


class Consent(Record):
    """One consent of one survivor. Withdrawing fills ``withdrawn_on``; a
    consent recorded by mistake is retired (``deleted_at``), never deleted."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_survivor_id_scope", "survivor_id", "scope"),)

    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"))
    scope: Mapped[ConsentScope] = mapped_column(EnumText(ConsentScope))
    # Sharing names the organization: an institution on file, or a name.
    organization_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("institutions.id"))
    organization_name: Mapped[str] = mapped_column(String(200), default="")
    given_by: Mapped[ConsentGiver] = mapped_column(EnumText(ConsentGiver))
    # None: not a child when given (or not asked); otherwise whether the child assented.
    child_assent: Mapped[bool | None]
    given_on: Mapped[date]
    withdrawn_on: Mapped[date | None]
    withdrawal_note: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class InterventionPerson(Record):
    """A person an intervention involved; exactly one person column is set,
    matching ``kind``. A new version of an intervention gets its own rows."""

    __tablename__ = "intervention_people"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN survivor_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN accused_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN official_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_person",
        ),
    )

    intervention_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interventions.id"), index=True)
    kind: Mapped[PartyKind] = mapped_column(EnumText(PartyKind))
    survivor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survivors.id"), index=True)
    accused_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accused.id"), index=True)
    official_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partner_officials.id"), index=True
    )


class FollowUp(Record):
    """Something to do by a day, set when an intervention was logged.

    It stays ``open`` until a later intervention does it (``done``,
    ``completed_by_id``), it is moved (``rescheduled``: a new follow-up,
    ``replaced_by_id``, carries the new day, so the postponements stay
    visible) or it is ``cancelled``. "My day" reads the open ones of one
    person up to a day: the index below answers that without a scan.
    """

    __tablename__ = "follow_ups"
    __table_args__ = (
        Index("ix_follow_ups_my_day", "assigned_to_id", "state", "due_on"),
        Index("ix_follow_ups_case_id_due_on", "case_id", "due_on"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    # The intervention that asked for it (its latest version).
    intervention_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("interventions.id"), index=True)
    assigned_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    due_on: Mapped[date]
    state: Mapped[FollowUpState] = mapped_column(EnumText(FollowUpState))
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("interventions.id"))
    replaced_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("follow_ups.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")


class Attachment(Record):
    """A document or photo, sealed in a blob file beside the database.

    ``blob_owner`` is the owner the blob was sealed for and never changes
    (the blob does not open under another); ``owner_kind``/``owner_id`` say
    whom it belongs to now, which a merge of two person records may change.
    ``case_id`` is the case of a case's or an intervention's attachment, so
    case visibility applies without a join.
    """

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_owner", "owner_kind", "owner_id"),)

    owner_kind: Mapped[AttachmentOwner] = mapped_column(EnumText(AttachmentOwner))
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cases.id"), index=True)
    blob_id: Mapped[str] = mapped_column(String(32), unique=True)
    blob_owner: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    stored_size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")


class PersonMerge(Record):
    """Two records of one person made one: ``merged_id`` was folded into
    ``kept_id`` (and retired). ``moved`` (JSON) lists every reference that
    was repointed or retired, so an unmerge puts back exactly those."""

    __tablename__ = "person_merges"

    kind: Mapped[PartyKind] = mapped_column(EnumText(PartyKind))
    kept_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    moved: Mapped[str] = mapped_column(Text, default="[]")
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    undone_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    undo_reason: Mapped[str] = mapped_column(Text, default="")
