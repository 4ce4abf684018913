"""A small program whose figures are worked out by hand, for the directors' tests.

Period under test: the first quarter of 2025 (Q1 = 2025-01-01 .. 2025-03-31).

=====  =======  ==================  ===========  =========================================
case   country  violence type       opened       notes
=====  =======  ==================  ===========  =========================================
A      IN       forced labour       2024-12-01   office IN-DEL; lead: caseworker; 6 victims
                                                 (4 minors, 2 adults); rescue completed
                                                 2025-01-10; aftercare active 2025-01-12;
                                                 accused: in custody, at large
B      IN       sex trafficking     2025-02-01   RESTRICTED; lead: caseworker2; 2 victims
                                                 (1 minor, 1 adult); rescue completed
                                                 2025-02-05; accused on bail
C      PH       OSEC                2025-01-15   lead: caseworker; 5 minors; rescue
                                                 completed 2025-04-10 (after Q1)
D      PH       forced labour       2024-06-01   closed 2024-12-31; 1 adult rescued 2024-06-05
=====  =======  ==================  ===========  =========================================

Interventions (current versions) in Q1: A: counselling x2 (one a correction of
an earlier one), home visit, testimony (A's first survivor); B: testimony (B's
first survivor). Hearings in Q1 (all A): held, adjourned, adjourned; one more
after Q1 with no outcome.

Court records (``add_court_records``), aftercare and prevention records
(``add_care_records``) are inserted straight into the tables: the directors'
figures read them, whoever wrote them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from ijmcase.domain.drafts import AccusedDraft, CaseDraft, SurvivorDraft, SurvivorIdentityDraft
from ijmcase.domain.enums import (
    CaseClosureReason,
    CustodyStatus,
    HearingOutcome,
    InterventionType,
    Sensitivity,
    Sex,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.persistence import models
from ijmcase.persistence.models import Hearing, Intervention, Office
from ijmcase.services.cases import CaseDetail
from tests.conftest import Org

Q1_START = date(2025, 1, 1)
Q1_END = date(2025, 3, 31)


@dataclass
class Program:
    org: Org
    cases: dict[str, CaseDetail] = field(default_factory=dict)
    survivors: dict[str, uuid.UUID] = field(default_factory=dict)  # "A1" .. "D1"
    codes: dict[str, str] = field(default_factory=dict)  # "A1" -> "S-IN-0001"
    identities: dict[str, SurvivorIdentityDraft] = field(default_factory=dict)
    accused: dict[str, uuid.UUID] = field(default_factory=dict)  # "A1", "A2", "B1"
    offices: dict[str, uuid.UUID] = field(default_factory=dict)
    interventions: dict[str, uuid.UUID] = field(default_factory=dict)

    def case_id(self, key: str) -> uuid.UUID:
        return self.cases[key].id

    def identifying_values(self) -> list[str]:
        """Every identifying value of every survivor (what a redacted report must not hold)."""
        out: list[str] = []
        for draft in self.identities.values():
            out += [draft.legal_name, draft.phone, draft.guardian_name, draft.guardian_contact]
            out += [draft.address]
        return [v for v in out if v]


# Names in several scripts: a redacted report must hold none of them.
_NAMES = {
    "A": [
        ("Priya Sharma", "+91 98401 11111"),
        ("प्रिया वर्मा", "+91 98401 22222"),
        ("Lakshmi Devi", "+91 98401 33333"),
        ("Anjali Rao", "+91 98401 44444"),
        ("Suresh Babu", "+91 98401 55555"),
        ("Murugan Pillai", "+91 98401 66666"),
    ],
    "B": [("Kavita Menon", "+91 99000 12345"), ("Deepa Nair", "+91 99000 67890")],
    "C": [(f"Maria Santos {n}", f"+63 917 555 000{n}") for n in range(1, 6)],
    "D": [("Jose Reyes", "+63 917 666 0001")],
}
_AGES = {"A": [15, 15, 15, 15, 30, 30], "B": [16, 25], "C": [12] * 5, "D": [40]}


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _record(session: Any, row: Any, by: uuid.UUID) -> Any:
    row.created_by = row.updated_by = by
    session.add(row)
    session.flush()
    return row


def build_program(org: Org) -> Program:
    p = Program(org)
    director = org.cases("director")
    people = org.people("director")
    cw = org.actors["caseworker"].user_id
    cw2 = org.actors["caseworker2"].user_id
    with org.db.transaction() as s:
        for code, country in (("IN-DEL", "IN"), ("PH-MNL", "PH")):
            office = _record(
                s,
                Office(code=code, name=code, country=country, timezone="Asia/Kolkata"),
                org.actors["admin"].user_id,
            )
            p.offices[code] = office.id

    def case(key: str, draft: CaseDraft) -> None:
        p.cases[key] = director.create(draft).value

    case(
        "A",
        CaseDraft(
            "Brick kiln bonded labour",
            ViolenceType.FORCED_LABOUR,
            "IN",
            date(2024, 12, 1),
            office_id=p.offices["IN-DEL"],
            lead_caseworker_id=cw,
        ),
    )
    case(
        "B",
        CaseDraft(
            "Trafficking into a bar",
            ViolenceType.SEX_TRAFFICKING,
            "IN",
            date(2025, 2, 1),
            sensitivity=Sensitivity.RESTRICTED,
            lead_caseworker_id=cw2,
        ),
    )
    case(
        "C",
        CaseDraft(
            "Online exploitation", ViolenceType.OSEC, "PH", date(2025, 1, 15), lead_caseworker_id=cw
        ),
    )
    case(
        "D",
        CaseDraft(
            "Sugar farm labour",
            ViolenceType.FORCED_LABOUR,
            "PH",
            date(2024, 6, 1),
            lead_caseworker_id=cw,
        ),
    )

    for key, names in _NAMES.items():
        country = p.cases[key].country
        for n, ((name, phone), age) in enumerate(zip(names, _AGES[key], strict=True), start=1):
            identity = SurvivorIdentityDraft(
                legal_name=name,
                phone=phone,
                address=f"{n} Temple Street, Ward {n}",
                guardian_name=f"Guardian{key}{n} Kumar" if age < 18 else "",
                guardian_contact=f"+91 70000 0{n}{n}{n}{n}" if age < 18 else "",
            )
            view = people.add_survivor(
                p.case_id(key),
                SurvivorDraft(country, Sex.FEMALE if n % 2 else Sex.MALE, age_at_intake=age),
                identity,
            ).value
            p.survivors[f"{key}{n}"] = view.id
            p.codes[f"{key}{n}"] = view.code
            p.identities[f"{key}{n}"] = identity

    def move(key: str, stage: Stage, target: TrackStatus, on: date, **kw: str) -> None:
        director.change_track(p.case_id(key), stage, target, on=on, **kw)

    move("A", Stage.RESCUE, TrackStatus.ACTIVE, date(2024, 12, 1))
    move("A", Stage.RESCUE, TrackStatus.COMPLETED, date(2025, 1, 10), outcome="Rescued with police")
    move("A", Stage.AFTERCARE, TrackStatus.ACTIVE, date(2025, 1, 12))
    move("B", Stage.RESCUE, TrackStatus.ACTIVE, date(2025, 2, 1))
    move("B", Stage.RESCUE, TrackStatus.COMPLETED, date(2025, 2, 5), outcome="Brought to a shelter")
    move("C", Stage.RESCUE, TrackStatus.ACTIVE, date(2025, 1, 15))
    move("C", Stage.RESCUE, TrackStatus.COMPLETED, date(2025, 4, 10), outcome="Rescued")
    move("D", Stage.RESCUE, TrackStatus.ACTIVE, date(2024, 6, 1))
    move("D", Stage.RESCUE, TrackStatus.COMPLETED, date(2024, 6, 5), outcome="Rescued")
    director.close(p.case_id("D"), CaseClosureReason.OTHER, on=date(2024, 12, 31))

    for key, case_key, custody in (
        ("A1", "A", CustodyStatus.IN_CUSTODY),
        ("A2", "A", CustodyStatus.AT_LARGE),
        ("B1", "B", CustodyStatus.ON_BAIL),
    ):
        accused = people.add_accused(
            p.case_id(case_key),
            AccusedDraft(f"Accused {key} Singh", "IN", custody_status=custody),
        ).value
        p.accused[key] = accused.id

    by = org.actors["caseworker"].user_id
    with org.db.transaction() as s:

        def intervention(
            name: str, case_key: str, kind: InterventionType, day: date, **kw: Any
        ) -> None:
            row = Intervention(
                case_id=p.case_id(case_key),
                type=kind,
                stage=kw.pop("stage", Stage.AFTERCARE),
                occurred_at=_at(day),
                staff_user_id=by,
                **kw,
            )
            p.interventions[name] = _record(s, row, by).id

        intervention("i1", "A", InterventionType.COUNSELLING, date(2025, 1, 20))
        intervention("i2", "A", InterventionType.COUNSELLING, date(2025, 2, 10))
        intervention("i3", "A", InterventionType.HOME_VISIT, date(2025, 3, 5))
        intervention(
            "i4",
            "A",
            InterventionType.TESTIMONY,
            date(2025, 3, 10),
            stage=Stage.ACCOUNTABILITY,
            survivor_id=p.survivors["A1"],
            # A name typed into a note: a redacted report must not show it.
            outcome="Priya Sharma testified; call her on +91 98401 11111 before the next date",
        )
        intervention(
            "i5",
            "A",
            InterventionType.COUNSELLING,
            date(2025, 2, 10),
            supersedes_id=p.interventions["i2"],
            outcome="Corrected date and duration",
        )
        intervention("i6", "A", InterventionType.COUNSELLING, date(2025, 4, 2))
        intervention(
            "i7",
            "B",
            InterventionType.TESTIMONY,
            date(2025, 2, 20),
            stage=Stage.ACCOUNTABILITY,
            survivor_id=p.survivors["B1"],
        )
        for day, outcome in (
            (date(2025, 1, 15), HearingOutcome.HELD),
            (date(2025, 2, 15), HearingOutcome.ADJOURNED),
            (date(2025, 3, 15), HearingOutcome.ADJOURNED),
            (date(2025, 4, 15), None),
        ):
            _record(
                s,
                Hearing(
                    case_id=p.case_id("A"),
                    court_name="Sessions Court, Tiruvallur",
                    scheduled_at=_at(day, 5),
                    timezone="Asia/Kolkata",
                    purpose="Prosecution evidence",
                    outcome=outcome,
                    adjournment_reason="Witness absent"
                    if outcome is HearingOutcome.ADJOURNED
                    else "",
                ),
                by,
            )
    return p


def add_court_records(p: Program) -> None:
    """Proceedings for the three accused, with the figures the tests expect:

    - A1: reported 2025-01-05, arrested 2025-01-06, charged 2025-01-25 (20 days),
      convicted 2025-03-20 (54 days after the charge), 120 months;
    - A2: reported 2025-01-05, charged 2025-02-04 (30 days), acquitted 2025-03-25
      (49 days);
    - B1: reported 2025-02-01, arrested 2025-02-02, charged 2025-02-11 (10 days),
      dismissed 2025-03-01.

    Protection: witness protection for A1 from 2025-02-01 (counted), a threat
    reported by A2 (not a measure). Compensation: A1 applied 2025-02-01,
    awarded 2025-03-01; A2 applied 2024-12-01, awarded 2025-01-20, paid 2025-03-15.
    """
    m: Any = models
    by = p.org.actors["lawyer"].user_id
    with p.org.db.transaction() as s:
        plan = [
            ("A1", "A", date(2025, 1, 25), "convicted", date(2025, 3, 20), 120, date(2025, 1, 6)),
            ("A2", "A", date(2025, 2, 4), "acquitted", date(2025, 3, 25), None, None),
            ("B1", "B", date(2025, 2, 11), "dismissed", date(2025, 3, 1), None, date(2025, 2, 2)),
        ]
        reported = {"A1": date(2025, 1, 5), "A2": date(2025, 1, 5), "B1": date(2025, 2, 1)}
        for key, case_key, charged, outcome, on, months, arrested in plan:
            proceeding = _record(
                s,
                m.Proceeding(
                    case_id=p.case_id(case_key),
                    accused_id=p.accused[key],
                    pathway_key="IN",
                    pathway_name="India",
                    outcome=outcome,
                    outcome_on=on,
                    prison_months=months,
                ),
                by,
            )
            _record(
                s,
                m.MilestoneRecord(
                    proceeding_id=proceeding.id,
                    seq=1,
                    key="fir",
                    label="FIR",
                    stage="reported",
                    on_date=reported[key],
                ),
                by,
            )
            _record(
                s,
                m.Charge(
                    proceeding_id=proceeding.id,
                    statute="IPC",
                    section="370",
                    filed_on=charged,
                    status="filed",
                ),
                by,
            )
            if arrested is not None:
                _record(
                    s,
                    m.CustodyEvent(
                        proceeding_id=proceeding.id, status="arrested", on_date=arrested
                    ),
                    by,
                )
        for survivor, kind in (("A1", "witness_protection"), ("A2", "threats_reported")):
            _record(
                s,
                m.ProtectionMeasure(
                    case_id=p.case_id("A"),
                    survivor_id=p.survivors[survivor],
                    kind=kind,
                    starts_on=date(2025, 2, 1),
                ),
                by,
            )
        _record(
            s,
            m.CompensationClaim(
                case_id=p.case_id("A"),
                survivor_id=p.survivors["A1"],
                scheme="DLSA",
                status="awarded",
                currency="INR",
                applied_on=date(2025, 2, 1),
                awarded_on=date(2025, 3, 1),
                awarded_amount=Decimal("100000"),
            ),
            by,
        )
        _record(
            s,
            m.CompensationClaim(
                case_id=p.case_id("A"),
                survivor_id=p.survivors["A2"],
                scheme="DLSA",
                status="paid",
                currency="INR",
                applied_on=date(2024, 12, 1),
                awarded_on=date(2025, 1, 20),
                paid_on=date(2025, 3, 15),
            ),
            by,
        )


def add_care_records(p: Program) -> None:
    """Assessments, closures, referrals and a training, with these figures for Q1:

    - assessments done in Q1: 4 (A1 intake and six-month, A2 annual, A3 six-month);
    - follow-ups on time: 2 of 3 (A3's six-month came 12 months after intake);
    - change since intake: safety +1.5, +1, 0 (mean 0.8333), legal protection
      +1, +2, +1 (mean 1.3333), over 3 survivors;
    - aftercare closed in Q1: A2 restored (2025-03-20, 67 days after the track
      started on 2025-01-12), A3 lost contact; A4's restored closing waits for
      approval (not counted) -> 1 restored of 2;
    - referrals: 1 made in Q1, 1 completed in Q1 (made in 2024);
    - one training in IN on 2025-02-10: a police officer and a prosecutor by
      name, three judges by head count; a workshop the next day (not a training);
    - case C marked government-led on 2025-02-01.
    """
    m: Any = models
    by = p.org.actors["caseworker"].user_id
    director = p.org.actors["director"].user_id
    # (survivor, type, day, safety sub-scores, legal-protection sub-scores)
    plan = [
        ("A1", "intake", date(2025, 1, 12), (1, 2), (2,)),
        ("A1", "six_month", date(2025, 3, 1), (3, 3), (3,)),
        ("A2", "intake", date(2024, 1, 10), (2, 2), (2,)),
        ("A2", "six_month", date(2024, 6, 1), (2, 3), (3,)),
        ("A2", "annual", date(2025, 2, 1), (3, 3), (4,)),
        ("A3", "intake", date(2024, 1, 10), (2, 2), (1,)),
        ("A3", "six_month", date(2025, 1, 20), (2, 2), (2,)),
    ]
    with p.org.db.transaction() as s:
        for survivor, kind, day, safety, legal in plan:
            assessment = _record(
                s,
                m.Assessment(
                    case_id=p.case_id("A"),
                    survivor_id=p.survivors[survivor],
                    assessed_on=day,
                    assessor_id=by,
                    type=kind,
                    basis="current_placement",
                    instrument_id="outcome",
                    instrument_version="1",
                    instrument_digest="0" * 64,
                ),
                by,
            )
            for domain, scores in (("safety", safety), ("legal_protection", legal)):
                for n, score in enumerate(scores, start=1):
                    _record(
                        s,
                        m.AssessmentScore(
                            assessment_id=assessment.id,
                            domain_key=domain,
                            sub_domain_key=f"{domain}_{n}",
                            score=score,
                        ),
                        by,
                    )
        for survivor, reason, day, status in (
            ("A2", "restored", date(2025, 3, 20), "closed"),
            ("A3", "lost_contact", date(2025, 3, 25), "closed"),
            ("A4", "restored", date(2025, 3, 28), "pending_approval"),
        ):
            _record(
                s,
                m.AftercareClosure(
                    case_id=p.case_id("A"),
                    survivor_id=p.survivors[survivor],
                    reason=reason,
                    closed_on=day,
                    status=status,
                    requested_by=by,
                    approved_by=director if status == "closed" else None,
                ),
                by,
            )
        shelter = _record(s, m.Institution(name="Safe Home", kind="shelter", country="IN"), by)
        for survivor, status, referred, completed in (
            ("A1", "pending", date(2025, 2, 1), None),
            ("A2", "completed", date(2024, 12, 1), date(2025, 3, 1)),
        ):
            _record(
                s,
                m.Referral(
                    case_id=p.case_id("A"),
                    survivor_id=p.survivors[survivor],
                    institution_id=shelter.id,
                    service="shelter",
                    status=status,
                    referred_on=referred,
                    completed_on=completed,
                    referred_by=by,
                ),
                by,
            )
        training = _record(
            s,
            m.Engagement(
                kind="training", held_on=date(2025, 2, 10), topic="Bonded labour law", country="IN"
            ),
            by,
        )
        _record(
            s,
            m.Engagement(
                kind="workshop", held_on=date(2025, 2, 11), topic="Shelters", country="IN"
            ),
            by,
        )
        for name, role in (("Officer Reddy", "police_officer"), ("Prosecutor Iyer", "prosecutor")):
            official = _record(s, m.PartnerOfficial(name=name, official_role=role), by)
            _record(s, m.EngagementAttendee(engagement_id=training.id, official_id=official.id), by)
        _record(
            s,
            m.EngagementRoleCount(engagement_id=training.id, official_role="judge", attendees=3),
            by,
        )
        _record(
            s,
            m.GovernmentLedCase(case_id=p.case_id("C"), marked_on=date(2025, 2, 1)),
            director,
        )
