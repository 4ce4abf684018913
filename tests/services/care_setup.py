"""Building blocks for the aftercare and prevention service tests: a case with
survivors in active aftercare, and assessment drafts on the shipped instrument.

The services date things by the real today, so every date here is counted
back from it (no test depends on the calendar day it runs).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from ijmcase.domain.aftercare import AssessmentDraft, ReferralDraft
from ijmcase.domain.assessments import Instrument
from ijmcase.domain.consent import ConsentDraft
from ijmcase.domain.drafts import (
    CaseDraft,
    InstitutionDraft,
    OfficialDraft,
    SurvivorDraft,
    SurvivorIdentityDraft,
)
from ijmcase.domain.enums import (
    AssessmentBasis,
    AssessmentType,
    CareService,
    ConsentScope,
    EngagementKind,
    InstitutionKind,
    OfficialRole,
    Sensitivity,
    Sex,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.domain.prevention import EngagementDraft
from ijmcase.services.assessments import AssessmentService
from ijmcase.services.consent import ConsentService
from ijmcase.services.instruments import shipped_instruments
from ijmcase.services.prevention import PreventionService
from ijmcase.services.referrals import ReferralService
from tests.conftest import Org

TODAY = date.today()
OPENED = TODAY - timedelta(days=500)
CARE_FROM = OPENED + timedelta(days=5)


def shipped() -> Instrument:
    return shipped_instruments()[("outcome", "1")]


@dataclass(frozen=True)
class CareCase:
    case_id: uuid.UUID
    code: str
    survivors: tuple[uuid.UUID, ...]
    codes: tuple[str, ...]

    @property
    def survivor_id(self) -> uuid.UUID:
        return self.survivors[0]


def care_case(
    org: Org,
    who: str = "caseworker",
    *,
    survivors: int = 1,
    country: str = "IN",
    jurisdiction: str = "Tiruvallur, Tamil Nadu",
    aftercare: bool = True,
    sensitivity: Sensitivity = Sensitivity.STANDARD,
) -> CareCase:
    cases = org.cases(who)
    case = cases.create(
        CaseDraft(
            title="Brick kiln bonded labour",
            violence_type=ViolenceType.FORCED_LABOUR,
            country=country,
            opened_on=OPENED,
            jurisdiction=jurisdiction,
            sensitivity=sensitivity,
        )
    ).value
    if aftercare:
        cases.change_track(case.id, Stage.AFTERCARE, TrackStatus.ACTIVE, on=CARE_FROM)
    ids, codes = [], []
    for i in range(survivors):
        s = (
            org.people(who)
            .add_survivor(case.id, SurvivorDraft(country, Sex.FEMALE, age_at_intake=20 + i))
            .value
        )
        ids.append(s.id)
        codes.append(s.code)
    return CareCase(case.id, case.code, tuple(ids), tuple(codes))


def scores(value: int = 3, **overrides: int | None) -> dict[str, int | None]:
    out: dict[str, int | None] = {key: value for key in shipped().sub_domain_keys}
    out.update(overrides)
    return out


def assessment(
    survivor_id: uuid.UUID,
    on: date,
    kind: AssessmentType = AssessmentType.INTAKE,
    value: int = 3,
    *,
    notes: dict[str, str] | None = None,
    overrides: dict[str, int | None] | None = None,
    **scored: int | None,
) -> AssessmentDraft:
    return AssessmentDraft(
        survivor_id=survivor_id,
        assessed_on=on,
        type=kind,
        basis=AssessmentBasis.CURRENT_PLACEMENT,
        scores=scores(value, **(overrides or {}), **scored),
        score_notes=notes or {},
    )


def institution(org: Org, name: str = "Bethany Shelter", country: str = "IN") -> uuid.UUID:
    return (
        org.people("admin")
        .add_institution(
            InstitutionDraft(name, InstitutionKind.SHELTER, country, "Tiruvallur, Tamil Nadu")
        )
        .value.id
    )


def official(
    org: Org, name: str, role: OfficialRole, institution_id: uuid.UUID | None = None
) -> uuid.UUID:
    return (
        org.people("admin")
        .add_official(OfficialDraft(name, role, institution_id=institution_id))
        .value.id
    )


@dataclass(frozen=True)
class CareData:
    """A small organization's aftercare and prevention records, for exports."""

    case: CareCase
    other: CareCase
    legal_name: str
    corrected_id: uuid.UUID
    shelter: uuid.UUID


def build_care(org: Org) -> CareData:
    """Two cases (IN, KE) with assessments (one corrected), a referral under
    consent and two trainings; a survivor's legal name sits in a note."""
    case = care_case(org, survivors=2)
    other = care_case(org, country="KE", jurisdiction="Mombasa, Coast")
    name = "Meena Kumari"
    org.people("caseworker").set_identity(
        case.survivor_id, SurvivorIdentityDraft(name, phone="+91 98400 12345")
    )
    cw = AssessmentService(org.db, org.actors["caseworker"])
    first = cw.record(case.case_id, assessment(case.survivor_id, CARE_FROM, value=2)).value
    fixed = cw.correct(
        first.id,
        AssessmentDraft(
            survivor_id=case.survivor_id,
            assessed_on=CARE_FROM,
            type=AssessmentType.INTAKE,
            basis=AssessmentBasis.RETURN_HOME,
            scores=scores(2, free_from_abuse=1),
            notes=f"{name} (call 98400 12345) is afraid of the kiln owner.",
        ),
        reason="Safety re-scored after a home visit",
    ).value
    cw.record(
        case.case_id,
        assessment(case.survivors[1], CARE_FROM + timedelta(days=2), value=3),
    )
    cw.record(other.case_id, assessment(other.survivor_id, CARE_FROM, value=4))
    shelter = institution(org)
    ConsentService(org.db, org.actors["caseworker"]).record(
        case.survivor_id,
        ConsentDraft(ConsentScope.SHARING, TODAY - timedelta(days=40), organization_id=shelter),
    )
    ReferralService(org.db, org.actors["caseworker"]).refer(
        case.case_id,
        case.survivor_id,
        ReferralDraft(
            shelter, CareService.SHELTER, TODAY - timedelta(days=30), f"{name} needs a bed"
        ),
    )
    inspector = official(org, "Inspector Ravi", OfficialRole.POLICE_OFFICER, shelter)
    prevention = PreventionService(org.db, org.actors["caseworker"])
    prevention.record_engagement(
        EngagementDraft(
            EngagementKind.TRAINING,
            TODAY - timedelta(days=20),
            "Victim-centred investigation",
            "IN",
            "Tiruvallur, Tamil Nadu",
            institution_ids=(shelter,),
            attendee_ids=(inspector,),
            role_counts={OfficialRole.POLICE_OFFICER: 12, OfficialRole.PROSECUTOR: 3},
            case_id=case.case_id,
            notes="Good questions on evidence.",
        )
    )
    prevention.record_engagement(
        EngagementDraft(
            EngagementKind.WORKSHOP,
            TODAY - timedelta(days=400),
            "Referral pathways",
            "KE",
            "Mombasa, Coast",
            role_counts={OfficialRole.SOCIAL_WELFARE_OFFICER: 8},
        )
    )
    return CareData(case, other, name, fixed.id, shelter)
