"""Shared set-up for the field tests (issue 4): a case with a survivor, an
accused and an official, and a way to build intervention drafts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ijmcase.domain.drafts import (
    AccusedDraft,
    CaseDraft,
    InstitutionDraft,
    OfficialDraft,
    SurvivorDraft,
    SurvivorIdentityDraft,
)
from ijmcase.domain.enums import (
    AccusedRole,
    InstitutionKind,
    InterventionType,
    OfficialRole,
    PartyKind,
    PartyRole,
    Sensitivity,
    Sex,
    Stage,
    ViolenceType,
)
from ijmcase.domain.interventions import InterventionDraft, PersonRef
from ijmcase.services.consent import ConsentService
from ijmcase.services.followups import FollowUpService
from ijmcase.services.interventions import InterventionService
from ijmcase.services.timeline import TimelineService
from tests.conftest import Org

OPENED = date(2025, 5, 1)


@dataclass(frozen=True)
class FieldCase:
    id: uuid.UUID
    code: str
    survivor_id: uuid.UUID
    survivor_code: str
    accused_id: uuid.UUID
    official_id: uuid.UUID
    institution_id: uuid.UUID

    @property
    def survivor(self) -> PersonRef:
        return PersonRef(PartyKind.SURVIVOR, self.survivor_id)


def make_case(
    org: Org,
    who: str = "caseworker",
    *,
    title: str = "Sex trafficking, Kolkata",
    summary: str = "",
    sensitivity: Sensitivity = Sensitivity.STANDARD,
    legal_name: str = "Priya Sharma",
    date_of_birth: date | None = date(2008, 2, 3),
    age: int | None = None,
) -> FieldCase:
    case = (
        org.cases(who)
        .create(
            CaseDraft(
                title,
                ViolenceType.SEX_TRAFFICKING,
                "IN",
                OPENED,
                summary=summary,
                sensitivity=sensitivity,
            )
        )
        .value
    )
    people = org.people(who)
    survivor = people.add_survivor(
        case.id,
        SurvivorDraft("IN", Sex.FEMALE, age_at_intake=age),
        SurvivorIdentityDraft(legal_name, date_of_birth=date_of_birth, place_of_birth="Howrah"),
    ).value
    accused = people.add_accused(
        case.id, AccusedDraft("Ravi Trafficker", "IN", AccusedRole.TRAFFICKER)
    ).value
    inst = people.add_institution(
        InstitutionDraft(f"Shelter {uuid.uuid4().hex[:6]}", InstitutionKind.SHELTER, "IN")
    ).value
    official = people.add_official(
        OfficialDraft("Officer Das", OfficialRole.SHELTER_STAFF, inst.id)
    ).value
    people.link_official(case.id, official.id, PartyRole.SERVICE_PROVIDER)
    return FieldCase(
        case.id, case.code, survivor.id, survivor.code, accused.id, official.id, inst.id
    )


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def draft(fc: FieldCase | None = None, **changes: object) -> InterventionDraft:
    base: dict[str, object] = {
        "type": InterventionType.HOME_VISIT,
        "stage": Stage.AFTERCARE,
        "occurred_at": at(OPENED + timedelta(days=10)),
        "duration_minutes": 60,
        "people": (fc.survivor,) if fc is not None else (),
        "location": "Survivor's home, Howrah",
        "outcome": "Family supportive; school fees discussed",
        "notes": "Visited the family at home.",
    }
    base.update(changes)
    return InterventionDraft(**base)  # type: ignore[arg-type]


def interventions(org: Org, who: str = "caseworker") -> InterventionService:
    return InterventionService(org.db, org.actors[who])


def follow_ups(org: Org, who: str = "caseworker") -> FollowUpService:
    return FollowUpService(org.db, org.actors[who])


def timeline(org: Org, who: str = "caseworker") -> TimelineService:
    return TimelineService(org.db, org.actors[who])


def consent(org: Org, who: str = "caseworker") -> ConsentService:
    return ConsentService(org.db, org.actors[who])
