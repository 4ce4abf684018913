"""Survivors (with their identifying part kept apart), accused persons,
institutions and partner officials, and the links that put them in a case."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ijmcase.domain.enums import (
    AccusedRole,
    AgeBand,
    CustodyStatus,
    InstitutionKind,
    OfficialRole,
    PartyKind,
    PartyRole,
    Sex,
)
from ijmcase.persistence.base import EnumText, Record


class Survivor(Record):
    """What may be shown beside the code: nothing here identifies a person."""

    __tablename__ = "survivors"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    alias: Mapped[str] = mapped_column(String(200), default="")
    sex: Mapped[Sex] = mapped_column(EnumText(Sex))
    age_at_intake: Mapped[int | None]
    age_band: Mapped[AgeBand] = mapped_column(EnumText(AgeBand))
    minor_at_rescue: Mapped[bool | None]
    nationality: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    disability: Mapped[str] = mapped_column(Text, default="")
    has_guardian: Mapped[bool] = mapped_column(default=False)


class SurvivorIdentity(Record):
    """Personally identifying data, one row per survivor, read only through
    the service that checks the right and audits the read."""

    __tablename__ = "survivor_identities"

    survivor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("survivors.id"), unique=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    other_names: Mapped[str] = mapped_column(String(200), default="")
    date_of_birth: Mapped[date | None]
    # Matched with the date of birth when a possible duplicate is entered (issue 4).
    place_of_birth: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    contact_notes: Mapped[str] = mapped_column(Text, default="")
    photo_ref: Mapped[str] = mapped_column(String(200), default="")
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_contact: Mapped[str] = mapped_column(String(200), default="")


class Accused(Record):
    __tablename__ = "accused"

    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    alias: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2))
    sex: Mapped[Sex] = mapped_column(EnumText(Sex))
    age: Mapped[int | None]
    role_in_crime: Mapped[AccusedRole] = mapped_column(EnumText(AccusedRole))
    relationship_to_victim: Mapped[str] = mapped_column(String(200), default="")
    custody_status: Mapped[CustodyStatus] = mapped_column(EnumText(CustodyStatus))
    notes: Mapped[str] = mapped_column(Text, default="")


class Institution(Record):
    __tablename__ = "institutions"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InstitutionKind] = mapped_column(EnumText(InstitutionKind))
    country: Mapped[str] = mapped_column(String(2), index=True)
    jurisdiction: Mapped[str] = mapped_column(String(200), default="")


class PartnerOfficial(Record):
    __tablename__ = "partner_officials"

    name: Mapped[str] = mapped_column(String(200), index=True)
    official_role: Mapped[OfficialRole] = mapped_column(EnumText(OfficialRole))
    institution_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("institutions.id"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class CaseParty(Record):
    """A person in a case, with their role in it; exactly one of the three
    person columns is set, matching ``kind``."""

    __tablename__ = "case_parties"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN survivor_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN accused_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN official_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_person",
        ),
        Index("ix_case_parties_case_id_kind", "case_id", "kind"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[PartyKind] = mapped_column(EnumText(PartyKind))
    role: Mapped[PartyRole] = mapped_column(EnumText(PartyRole))
    survivor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("survivors.id"), index=True)
    accused_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accused.id"), index=True)
    official_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("partner_officials.id"), index=True
    )
    notes: Mapped[str] = mapped_column(Text, default="")
