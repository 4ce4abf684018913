"""A Philippine case with a survivor, two accused, a court and a judge, for the
court-record tests; dates are relative to today so the tests never age."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from ijmcase.domain.court_drafts import ChargeDraft, HearingDraft
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
    OfficialRole,
    Sex,
    ViolenceType,
)
from ijmcase.services.calendar import CalendarService
from ijmcase.services.cases import CaseDetail
from ijmcase.services.court import CourtService
from ijmcase.services.court_outputs import CourtOutputService
from ijmcase.services.hearings import HearingService
from ijmcase.services.victim_support import VictimSupportService
from tests.conftest import Org

TODAY = date.today()
OPENED = TODAY - timedelta(days=200)
SURVIVOR_NAME = "Maricel Dalisay"
MANILA = "Asia/Manila"


@dataclass
class CourtCase:
    org: Org
    case: CaseDetail
    survivor_id: uuid.UUID
    survivor_code: str
    accused_ids: list[uuid.UUID]
    court_id: uuid.UUID
    judge_id: uuid.UUID

    def court(self, who: str = "lawyer") -> CourtService:
        return CourtService(self.org.db, self.org.actors[who])

    def hearings(self, who: str = "lawyer") -> HearingService:
        return HearingService(self.org.db, self.org.actors[who])

    def calendar(self, who: str = "lawyer") -> CalendarService:
        return CalendarService(self.org.db, self.org.actors[who])

    def outputs(self, who: str = "lawyer") -> CourtOutputService:
        return CourtOutputService(self.org.db, self.org.actors[who])

    def support(self, who: str = "lawyer") -> VictimSupportService:
        return VictimSupportService(self.org.db, self.org.actors[who])

    def proceeding(self, index: int = 0, who: str = "lawyer") -> uuid.UUID:
        return self.court(who).add_proceeding(self.case.id, self.accused_ids[index]).value.id

    def charged(self, index: int = 0, filed: date | None = None) -> uuid.UUID:
        proceeding = self.proceeding(index)
        self.court().add_charge(
            proceeding,
            ChargeDraft(
                "RA 9208 as amended by RA 10364 and RA 11862",
                filed or OPENED + timedelta(days=30),
                section="s. 4(a)",
                description="Recruiting and harbouring for sexual exploitation",
            ),
        )
        return proceeding

    def hearing_draft(self, day: date, at: time = time(10, 0), **more: object) -> HearingDraft:
        base: dict[str, object] = {
            "starts_at": datetime.combine(day, at),
            "timezone": MANILA,
            "purpose": "Trial: prosecution evidence",
            "court_id": self.court_id,
            "courtroom": "Branch 12",
            "judge_id": self.judge_id,
        }
        base.update(more)
        return HearingDraft(**base)  # type: ignore[arg-type]


def court_case(org: Org, *, country: str = "PH", title: str = "OSEC in Taguig") -> CourtCase:
    lawyer = org.cases("lawyer")
    case = lawyer.create(
        CaseDraft(title, ViolenceType.OSEC, country, OPENED, jurisdiction="Metro Manila")
    ).value
    people = org.people("lawyer")
    survivor = people.add_survivor(
        case.id,
        SurvivorDraft(country, Sex.FEMALE, age_at_intake=14),
        SurvivorIdentityDraft(SURVIVOR_NAME, phone="+63 917 555 0142"),
    ).value
    accused = [
        people.add_accused(case.id, AccusedDraft(name, country, role)).value.id
        for name, role in (
            ("Rodel Manalo", AccusedRole.TRAFFICKER),
            ("Jenny Manalo", AccusedRole.FACILITATOR),
        )
    ]
    court = people.add_institution(
        InstitutionDraft("Regional Trial Court, Taguig City", InstitutionKind.COURT, country)
    ).value
    judge = people.add_official(
        OfficialDraft("Hon. Teresita Villanueva", OfficialRole.JUDGE, court.id)
    ).value
    return CourtCase(org, case, survivor.id, survivor.code, accused, court.id, judge.id)
