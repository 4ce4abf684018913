"""Care-plan goals, services delivered and referrals (with their consent
check) on both engines."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from ijmcase.domain.aftercare import GoalDraft, ReferralDraft, ServiceDraft
from ijmcase.domain.consent import ConsentDraft
from ijmcase.domain.enums import CareService, ConsentScope, GoalStatus, ReferralStatus
from ijmcase.domain.errors import AccessDenied, ConflictError, RuleViolation, ValidationError
from ijmcase.persistence.models import AuditEvent, Referral
from ijmcase.services.careplans import CarePlanService
from ijmcase.services.consent import ConsentService, ConsentView
from ijmcase.services.referrals import ReferralService
from tests.conftest import Org
from tests.services.care_setup import CARE_FROM, TODAY, care_case, institution


def plans(org: Org, who: str = "caseworker") -> CarePlanService:
    return CarePlanService(org.db, org.actors[who])


def referrals(org: Org, who: str = "caseworker") -> ReferralService:
    return ReferralService(org.db, org.actors[who])


def test_goals_per_domain_with_status_and_dates(org: Org) -> None:
    case = care_case(org)
    goal = (
        plans(org)
        .add_goal(
            case.case_id,
            case.survivor_id,
            GoalDraft(
                "economic_empowerment_education",
                "Finish the tailoring course",
                target_on=TODAY + timedelta(days=90),
            ),
        )
        .value
    )
    assert goal.domain_label == "Economic empowerment and education"
    assert goal.status is GoalStatus.ACTIVE and goal.achieved_on is None
    assert not goal.overdue(TODAY) and goal.overdue(TODAY + timedelta(days=91))
    done = (
        plans(org)
        .update_goal(
            goal.id,
            GoalDraft(goal.domain_key, goal.goal, goal.target_on, GoalStatus.ACHIEVED),
            expected_version=goal.version,
            on=TODAY - timedelta(days=2),
        )
        .value
    )
    assert done.status is GoalStatus.ACHIEVED and done.achieved_on == TODAY - timedelta(days=2)
    with pytest.raises(ConflictError, match="changed by someone else"):
        plans(org).update_goal(
            goal.id,
            GoalDraft(goal.domain_key, "stale", goal.target_on),
            expected_version=goal.version,
        )
    back = plans(org).update_goal(
        goal.id, GoalDraft(goal.domain_key, goal.goal), expected_version=done.version
    )
    assert back.value.achieved_on is None
    assert [g.goal for g in plans(org, "auditor").goals(case.case_id)] == [goal.goal]


def test_goal_bad_input(org: Org) -> None:
    case = care_case(org)
    with pytest.raises(ValidationError) as err:
        plans(org).add_goal(case.case_id, case.survivor_id, GoalDraft("happiness", "  "))
    assert {p.field for p in err.value.problems} == {"domain_key", "goal"}
    assert "choose one of: safety" in err.value.for_field("domain_key")[0].message
    with pytest.raises(AccessDenied):
        plans(org, "auditor").add_goal(case.case_id, case.survivor_id, GoalDraft("safety", "x"))
    assert plans(org).goals(case.case_id) == []


def test_services_delivered_link_goals_and_providers(org: Org) -> None:
    case = care_case(org)
    other = care_case(org)
    shelter = institution(org)
    goal = (
        plans(org)
        .add_goal(case.case_id, case.survivor_id, GoalDraft("mental_wellbeing", "Sleep better"))
        .value
    )
    service = (
        plans(org)
        .record_service(
            case.case_id,
            case.survivor_id,
            ServiceDraft(
                CareService.COUNSELLING,
                TODAY - timedelta(days=3),
                provider_institution_id=shelter,
                goal_id=goal.id,
            ),
        )
        .value
    )
    assert (service.provider, service.goal_id, service.staff_name) == (
        "Bethany Shelter",
        goal.id,
        "Chitra Caseworker",
    )
    with pytest.raises(ValidationError, match="goals"):
        plans(org).record_service(
            other.case_id,
            other.survivor_id,
            ServiceDraft(CareService.COUNSELLING, TODAY, goal_id=goal.id),
        )
    with pytest.raises(ValidationError, match="future"):
        plans(org).record_service(
            case.case_id,
            case.survivor_id,
            ServiceDraft(CareService.MEDICAL_CARE, TODAY + timedelta(days=1)),
        )
    assert [s.service for s in plans(org).services(case.case_id)] == [CareService.COUNSELLING]


def consent(
    org: Org, survivor_id: uuid.UUID, organization: uuid.UUID, days_ago: int = 30
) -> ConsentView:
    return (
        ConsentService(org.db, org.actors["caseworker"])
        .record(
            survivor_id,
            ConsentDraft(
                ConsentScope.SHARING,
                TODAY - timedelta(days=days_ago),
                organization_id=organization,
            ),
        )
        .value
    )


def test_a_referral_without_consent_is_refused_naming_the_missing_consent(org: Org) -> None:
    case = care_case(org)
    shelter = institution(org, "Bethany Shelter")
    clinic = institution(org, "Hope Clinic")
    draft = ReferralDraft(shelter, CareService.SHELTER, TODAY - timedelta(days=1))
    with pytest.raises(RuleViolation) as err:
        referrals(org).refer(case.case_id, case.survivor_id, draft)
    assert err.value.code == "consent_missing"
    assert err.value.message.startswith(
        f"The referral is refused: {case.codes[0]} has no current consent to sharing with "
        "Bethany Shelter."
    )
    # Consent to share with another organization does not cover this one.
    consent(org, case.survivor_id, clinic)
    with pytest.raises(RuleViolation, match="sharing with Bethany Shelter"):
        referrals(org).refer(case.case_id, case.survivor_id, draft)
    # A transfer says so.
    with pytest.raises(RuleViolation, match="The transfer is refused"):
        referrals(org).refer(
            case.case_id,
            case.survivor_id,
            ReferralDraft(shelter, CareService.SHELTER, TODAY, is_transfer=True),
        )
    with org.db.read_session() as session:
        assert session.scalars(select(Referral)).all() == []
        refused = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "referral.refused")
        ).all()
        assert len(refused) == 3
        assert json.loads(refused[0].details)["code"] == case.codes[0]


def test_a_referral_under_consent_moves_through_its_statuses(org: Org) -> None:
    case = care_case(org)
    shelter = institution(org)
    given = consent(org, case.survivor_id, shelter)
    made = referrals(org).refer(
        case.case_id,
        case.survivor_id,
        ReferralDraft(shelter, CareService.SHELTER, TODAY - timedelta(days=10), "Needs a bed"),
    )
    view = made.value
    assert view.status is ReferralStatus.PENDING and view.consent_id == given.id
    assert view.consent_summary.startswith("Sharing with Bethany Shelter, given by the survivor")
    assert (view.survivor_code, view.institution_name) == (case.codes[0], "Bethany Shelter")
    with pytest.raises(RuleViolation, match="can only become accepted or rejected"):
        referrals(org).move(view.id, ReferralStatus.COMPLETED)
    with pytest.raises(RuleViolation, match="before the referral was made"):
        referrals(org).move(view.id, ReferralStatus.ACCEPTED, on=TODAY - timedelta(days=11))
    accepted = (
        referrals(org).move(view.id, ReferralStatus.ACCEPTED, on=TODAY - timedelta(days=8)).value
    )
    assert accepted.responded_on == TODAY - timedelta(days=8)
    done = referrals(org).move(view.id, ReferralStatus.COMPLETED, note="Placed for 3 months")
    assert done.value.completed_on == TODAY and done.changes.touches("services")
    services = plans(org).services(case.case_id)
    assert [(s.service, s.referral_id, s.provider) for s in services] == [
        (CareService.SHELTER, view.id, "Bethany Shelter")
    ]
    with pytest.raises(RuleViolation, match="already completed"):
        referrals(org).move(view.id, ReferralStatus.REJECTED, note="x")
    assert [r.id for r in referrals(org, "auditor").for_case(case.case_id)] == [view.id]


def test_rejection_needs_a_reason_and_withdrawn_consent_no_longer_covers(org: Org) -> None:
    case = care_case(org)
    shelter = institution(org)
    given = consent(org, case.survivor_id, shelter, days_ago=60)
    # The consent must be current on the referral date, not only today.
    with pytest.raises(RuleViolation, match="no current consent"):
        referrals(org).refer(
            case.case_id, case.survivor_id, ReferralDraft(shelter, CareService.SHELTER, CARE_FROM)
        )
    view = (
        referrals(org)
        .refer(
            case.case_id,
            case.survivor_id,
            ReferralDraft(shelter, CareService.SHELTER, TODAY - timedelta(days=30)),
        )
        .value
    )
    with pytest.raises(RuleViolation, match="why"):
        referrals(org).move(view.id, ReferralStatus.REJECTED)
    rejected = referrals(org).move(view.id, ReferralStatus.REJECTED, note="No space")
    assert rejected.value.outcome_note == "No space"
    ConsentService(org.db, org.actors["caseworker"]).withdraw(given.id, TODAY - timedelta(days=5))
    with pytest.raises(RuleViolation, match="no current consent"):
        referrals(org).refer(
            case.case_id, case.survivor_id, ReferralDraft(shelter, CareService.SHELTER, TODAY)
        )
