"""Closing aftercare on both engines: "restored" needs a recent closure
assessment at the threshold and a director's approval; the track follows."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from ijmcase.domain.aftercare import ClosureDraft
from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentType,
    ClosureStatus,
    Stage,
    TrackStatus,
)
from ijmcase.domain.errors import AccessDenied, ConflictError, RuleViolation, ValidationError
from ijmcase.persistence.audit import verify_chain
from ijmcase.persistence.models import AuditEvent, StageTransition
from ijmcase.services.aftercare_closure import AftercareClosureService
from ijmcase.services.assessments import AssessmentService
from ijmcase.services.care_settings import CareSettingsService
from tests.conftest import Org
from tests.services.care_setup import CARE_FROM, TODAY, CareCase, assessment, care_case

R = AftercareClosureReason


def closing(org: Org, who: str = "caseworker") -> AftercareClosureService:
    return AftercareClosureService(org.db, org.actors[who])


def assess_closure(
    org: Org, case: CareCase, days_ago: int = 10, value: int = 3, **scored: int
) -> None:
    service = AssessmentService(org.db, org.actors["caseworker"])
    on = TODAY - timedelta(days=days_ago)
    draft = assessment(case.survivor_id, on, AssessmentType.CLOSURE, value, overrides=dict(scored))
    service.record(case.case_id, draft)


def restored(case: CareCase, survivor: int = 0) -> ClosureDraft:
    return ClosureDraft(case.survivors[survivor], R.RESTORED, TODAY - timedelta(days=1))


def track(org: Org, case: CareCase) -> TrackStatus:
    return org.cases("director").get(case.case_id).track(Stage.AFTERCARE).status


def test_restored_without_a_closure_assessment_is_refused(org: Org) -> None:
    case = care_case(org)
    AssessmentService(org.db, org.actors["caseworker"]).record(
        case.case_id, assessment(case.survivor_id, CARE_FROM, value=4)
    )  # an intake does not count, however good
    with pytest.raises(RuleViolation, match="There is no closure assessment") as err:
        closing(org).close(case.case_id, restored(case))
    assert err.value.code == "closure_assessment_missing"
    gaps = [g.code for g in closing(org).check(case.case_id, case.survivor_id, R.RESTORED)]
    assert gaps == ["closure_assessment_missing", "approval_missing"]
    assert closing(org).closures(case.case_id) == []


def test_restored_below_the_threshold_is_refused(org: Org) -> None:
    case = care_case(org)
    # Every domain mean is 3 or more, but one safety sub-domain is at 2.
    assess_closure(org, case, value=4, free_from_threats=2)
    with pytest.raises(RuleViolation, match="below the restoration threshold") as err:
        closing(org).close(case.case_id, restored(case))
    assert err.value.code == "below_threshold"
    assert "Free from threats by suspects or others' scored 2" in err.value.message


def test_restored_with_an_old_closure_assessment_is_refused(org: Org) -> None:
    case = care_case(org)
    assess_closure(org, case, days_ago=120)
    with pytest.raises(RuleViolation, match="120 days old") as err:
        closing(org).close(case.case_id, restored(case))
    assert err.value.code == "closure_assessment_too_old"
    # The window is a setting.
    CareSettingsService(org.db, org.actors["admin"]).set_closure_window(150)
    assert closing(org).close(case.case_id, restored(case)).value.status is (
        ClosureStatus.PENDING_APPROVAL
    )


def test_restored_waits_for_a_director_and_the_track_follows(org: Org) -> None:
    case = care_case(org)
    assess_closure(org, case)
    pending = closing(org).close(case.case_id, restored(case)).value
    assert pending.status is ClosureStatus.PENDING_APPROVAL and pending.approved_by_name == ""
    assert track(org, case) is TrackStatus.ACTIVE
    with pytest.raises(ConflictError, match="already waiting"):
        closing(org).close(case.case_id, restored(case))
    # Without a director's approval it does not close.
    with pytest.raises(RuleViolation, match="only a director can approve") as err:
        closing(org).approve(pending.id)
    assert err.value.code == "approval_not_director"
    with pytest.raises(RuleViolation, match="only a director"):
        closing(org, "admin").approve(pending.id)
    assert [p.id for p in closing(org, "director").pending_approvals()] == [pending.id]
    assert [g.code for g in closing(org).check(case.case_id, case.survivor_id, R.RESTORED)] == [
        "approval_missing"
    ]
    approved = closing(org, "director").approve(pending.id, "Restored; well supported.")
    view = approved.value
    assert view.status is ClosureStatus.CLOSED and view.approved_by_name == "Dina Director"
    assert view.decided_at is not None and view.assessment_id is not None
    assert approved.changes.touches("tracks")
    detail = org.cases("director").get(case.case_id)
    aftercare = detail.track(Stage.AFTERCARE)
    assert aftercare.status is TrackStatus.COMPLETED
    assert aftercare.completed_on == TODAY - timedelta(days=1)
    assert aftercare.outcome_note == f"Aftercare closed: {case.codes[0]} restored."
    with pytest.raises(RuleViolation, match="only one waiting for approval"):
        closing(org, "director").approve(pending.id)
    with org.db.read_session() as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.case_id == case.case_id)
            .order_by(AuditEvent.seq)
        ).all()
        assert actions[-3:] == ["aftercare.close_requested", "aftercare.approve", "track.change"]
        move = session.scalars(
            select(StageTransition).order_by(StageTransition.recorded_at.desc())
        ).first()
        assert move is not None and move.to_status is TrackStatus.COMPLETED
        assert verify_chain(session).ok


def test_a_director_closing_as_restored_approves_it_at_once(org: Org) -> None:
    case = care_case(org)
    assess_closure(org, case)
    view = closing(org, "director").close(case.case_id, restored(case)).value
    assert view.status is ClosureStatus.CLOSED and view.approved_by_name == "Dina Director"
    assert track(org, case) is TrackStatus.COMPLETED


def test_declining_needs_a_director_and_a_reason(org: Org) -> None:
    case = care_case(org)
    assess_closure(org, case)
    pending = closing(org).close(case.case_id, restored(case)).value
    with pytest.raises(AccessDenied):
        closing(org).decline(pending.id, "no")
    with pytest.raises(ValidationError):
        closing(org, "director").decline(pending.id, "  ")
    declined = closing(org, "director").decline(pending.id, "Threats reported last week.").value
    assert declined.status is ClosureStatus.DECLINED
    assert track(org, case) is TrackStatus.ACTIVE
    # A declined request may be followed by a new one.
    again = closing(org).close(case.case_id, restored(case)).value
    assert again.status is ClosureStatus.PENDING_APPROVAL


def test_other_reasons_need_only_the_reason_and_every_survivor_must_close(org: Org) -> None:
    case = care_case(org, survivors=2)
    first = closing(org).close(
        case.case_id, ClosureDraft(case.survivors[0], R.LOST_CONTACT, TODAY - timedelta(days=3))
    )
    assert first.value.status is ClosureStatus.CLOSED
    assert not first.changes.touches("tracks") and track(org, case) is TrackStatus.ACTIVE
    last = closing(org).close(
        case.case_id, ClosureDraft(case.survivors[1], R.RELOCATED, TODAY - timedelta(days=2))
    )
    assert last.changes.touches("tracks")
    aftercare = org.cases("director").get(case.case_id).track(Stage.AFTERCARE)
    assert aftercare.status is TrackStatus.COMPLETED
    assert aftercare.completed_on == TODAY - timedelta(days=2)
    assert aftercare.outcome_note == (
        f"Aftercare closed: {case.codes[0]} lost contact; {case.codes[1]} relocated."
    )
    with pytest.raises(RuleViolation, match="aftercare can be closed only while it is active"):
        closing(org).close(case.case_id, ClosureDraft(case.survivors[0], R.DECEASED, TODAY))


def test_reopening_after_a_relapse_reopens_the_track(org: Org) -> None:
    case = care_case(org)
    closing(org).close(case.case_id, ClosureDraft(case.survivor_id, R.TRANSFERRED, TODAY))
    assert track(org, case) is TrackStatus.COMPLETED
    with pytest.raises(ValidationError):
        closing(org).reopen(case.case_id, case.survivor_id, "")
    reopened = closing(org).reopen(case.case_id, case.survivor_id, "Back from the partner NGO")
    assert reopened.value.status is ClosureStatus.REOPENED
    assert track(org, case) is TrackStatus.ACTIVE
    with pytest.raises(RuleViolation, match="is not closed"):
        closing(org).reopen(case.case_id, case.survivor_id, "again")
    statuses = [c.status for c in closing(org).closures(case.case_id)]
    assert statuses == [ClosureStatus.REOPENED]
    with org.db.read_session() as session:
        reopen = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "aftercare.reopen")
        ).one()
        assert json.loads(reopen.details)["survivor"] == case.codes[0]


def test_closure_dates_and_access_are_checked(org: Org) -> None:
    case = care_case(org)
    with pytest.raises(ValidationError, match="in the future"):
        closing(org).close(
            case.case_id, ClosureDraft(case.survivor_id, R.LOST_CONTACT, TODAY + timedelta(1))
        )
    with pytest.raises(ValidationError, match="before it started"):
        closing(org).close(
            case.case_id,
            ClosureDraft(case.survivor_id, R.LOST_CONTACT, CARE_FROM - timedelta(days=1)),
        )
    with pytest.raises(AccessDenied):
        closing(org, "caseworker2").close(
            case.case_id, ClosureDraft(case.survivor_id, R.LOST_CONTACT, TODAY)
        )
    with pytest.raises(AccessDenied):
        closing(org, "auditor").close(
            case.case_id, ClosureDraft(case.survivor_id, R.LOST_CONTACT, TODAY)
        )
    not_started = care_case(org, aftercare=False)
    with pytest.raises(RuleViolation, match="not started"):
        closing(org).close(
            not_started.case_id, ClosureDraft(not_started.survivor_id, R.LOST_CONTACT, TODAY)
        )
