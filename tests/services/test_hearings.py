"""Hearings on both engines: scheduling in the court's zone, date rules, the
outcome and the next hearing, adjournment counts, compensation, protection."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ijmcase.domain.court_drafts import (
    ChargeDraft,
    CompensationDraft,
    HearingResult,
    ProtectionDraft,
)
from ijmcase.domain.enums import CompensationStatus, HearingOutcome, ProtectionKind
from ijmcase.domain.errors import AccessDenied, ConflictError, RuleViolation, ValidationError
from ijmcase.persistence.models import AuditEvent
from tests.conftest import Org
from tests.services.court_setup import OPENED, SURVIVOR_NAME, TODAY, court_case

CHARGED_ON = OPENED + timedelta(days=30)


def test_a_hearing_keeps_the_courts_wall_clock_time(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    day = TODAY + timedelta(days=10)
    row = (
        cc.hearings()
        .schedule(
            cc.case.id,
            cc.hearing_draft(
                day,
                proceeding_id=proceeding,
                staff_ids=(org.actors["lawyer"].user_id, org.actors["caseworker"].user_id),
            ),
        )
        .value
    )
    # 10:00 in Manila (UTC+8) is 02:00 UTC, and reads 10:00 wherever it is shown.
    assert row.scheduled_at == datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)
    assert (row.local_date, row.local_time_text, row.timezone) == (day, "10:00", "Asia/Manila")
    assert row.court_name == "Regional Trial Court, Taguig City"
    assert (row.judge_name, row.accused_code) == ("Hon. Teresita Villanueva", "A-PH-0001")
    assert row.staff_names == ("Chitra Caseworker", "Luis Lawyer")
    # The zone defaults to the case's country.
    plain = cc.hearings().schedule(cc.case.id, cc.hearing_draft(day, at=time(14, 30), timezone=""))
    assert plain.value.timezone == "Asia/Manila"


def test_scheduling_refuses_bad_input(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    hearings = cc.hearings()
    # A hearing before the charge was filed.
    with pytest.raises(ValidationError) as err:
        hearings.schedule(
            cc.case.id, cc.hearing_draft(CHARGED_ON - timedelta(days=1), proceeding_id=proceeding)
        )
    [problem] = err.value.problems
    assert (problem.field, problem.code) == ("hearing_on", "hearing_before_charge")
    assert CHARGED_ON.isoformat() in problem.message
    with pytest.raises(ValidationError) as err:
        hearings.schedule(
            cc.case.id,
            cc.hearing_draft(TODAY, timezone="Mars/Olympus", purpose=" ", survivor_testifies=True),
        )
    assert {p.code for p in err.value.problems} == {"unknown_zone", "required"}
    assert {p.field for p in err.value.problems} == {
        "timezone",
        "purpose",
        "testifying_survivor_id",
    }
    other = court_case(org, title="Other")
    with pytest.raises(ValidationError, match="not in case"):
        hearings.schedule(
            cc.case.id,
            cc.hearing_draft(
                TODAY, survivor_testifies=True, testifying_survivor_id=other.survivor_id
            ),
        )
    with pytest.raises(ValidationError, match="judge or magistrate"):
        hearings.schedule(cc.case.id, cc.hearing_draft(TODAY, judge_id=cc.court_id))
    # A charge filed after an existing hearing would put the hearing before it.
    second = cc.proceeding(1)
    cc.hearings().schedule(cc.case.id, cc.hearing_draft(CHARGED_ON, proceeding_id=second))
    with pytest.raises(ValidationError) as err:
        cc.court().add_charge(second, ChargeDraft("RA 9208", CHARGED_ON + timedelta(days=3)))
    assert err.value.problems[0].code == "charge_after_hearing"
    with pytest.raises(AccessDenied):
        cc.hearings("caseworker").schedule(cc.case.id, cc.hearing_draft(TODAY))


def test_the_outcome_and_the_next_hearing(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    measure = (
        cc.support()
        .add_measure(
            cc.case.id,
            ProtectionDraft(ProtectionKind.IN_CAMERA_TESTIMONY, cc.survivor_id, CHARGED_ON),
        )
        .value
    )
    day = TODAY - timedelta(days=3)
    hearings = cc.hearings()
    first = hearings.schedule(
        cc.case.id,
        cc.hearing_draft(
            day,
            proceeding_id=proceeding,
            staff_ids=(org.actors["lawyer"].user_id,),
            survivor_testifies=True,
            testifying_survivor_id=cc.survivor_id,
            protection_measure_id=measure.id,
            preparation="Bring the certified copies of the chat logs",
        ),
    ).value
    # Bad input first: no reason, a next date before the hearing, held in the future.
    with pytest.raises(ValidationError) as err:
        hearings.record_outcome(
            first.id, HearingResult(HearingOutcome.ADJOURNED, next_on=day - timedelta(days=1))
        )
    assert {p.code for p in err.value.problems} == {"reason_required", "next_before_hearing"}
    later = hearings.schedule(cc.case.id, cc.hearing_draft(TODAY + timedelta(days=5))).value
    with pytest.raises(ValidationError, match="cannot have been held yet"):
        hearings.record_outcome(later.id, HearingResult(HearingOutcome.HELD))
    with pytest.raises(ValidationError, match="later time"):
        hearings.record_outcome(
            first.id,
            HearingResult(
                HearingOutcome.ADJOURNED, reason="Judge on leave", next_on=day, next_time=time(9)
            ),
        )
    next_day = TODAY + timedelta(days=21)
    recorded = hearings.record_outcome(
        first.id,
        HearingResult(
            HearingOutcome.ADJOURNED,
            reason="Accused not produced from jail",
            next_on=next_day,
        ),
        expected_version=first.version,
    ).value
    assert recorded.hearing.outcome is HearingOutcome.ADJOURNED
    assert recorded.hearing.next_date == next_day
    following = recorded.next_hearing
    assert following is not None
    # The adjourned testimony moves to the next date with its protection and staff.
    assert (following.local_date, following.local_time_text) == (next_day, "10:00")
    assert following.previous_hearing_id == first.id
    assert following.survivor_testifies and following.protection_kind is (
        ProtectionKind.IN_CAMERA_TESTIMONY
    )
    assert following.staff_names == ("Luis Lawyer",)
    assert following.proceeding_id == proceeding
    assert following.preparation == "Bring the certified copies of the chat logs"
    with pytest.raises(RuleViolation, match="already recorded"):
        hearings.record_outcome(first.id, HearingResult(HearingOutcome.HELD))
    with pytest.raises(ConflictError):
        hearings.record_outcome(
            following.id, HearingResult(HearingOutcome.VACATED, "Holiday"), expected_version=99
        )
    with org.db.transaction(write=False) as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    assert actions[-2:] == ["hearing.schedule", "hearing.outcome"]


def test_adjournments_counted_per_case_and_per_court(org: Org) -> None:
    cc = court_case(org)
    hearings = cc.hearings()
    base = TODAY - timedelta(days=60)
    outcomes = [
        HearingResult(HearingOutcome.ADJOURNED, "Judge on leave"),
        HearingResult(HearingOutcome.ADJOURNED, "Prosecutor absent"),
        HearingResult(HearingOutcome.VACATED, "Court holiday"),
        HearingResult(HearingOutcome.HELD),
    ]
    for n, result in enumerate(outcomes):
        row = hearings.schedule(cc.case.id, cc.hearing_draft(base + timedelta(days=7 * n))).value
        hearings.record_outcome(row.id, result)
    # One more without an outcome is not counted.
    hearings.schedule(cc.case.id, cc.hearing_draft(TODAY + timedelta(days=3)))
    other = court_case(org, title="Second case")
    elsewhere = hearings.schedule(
        other.case.id, other.hearing_draft(base, court_id=None, court_name="MTC Pasay")
    ).value
    hearings.record_outcome(elsewhere.id, HearingResult(HearingOutcome.HELD))
    count = hearings.adjournments(cc.case.id)
    assert (count.key, count.hearings, count.held, count.adjourned, count.vacated) == (
        cc.case.code,
        4,
        1,
        2,
        1,
    )
    assert count.adjourned_share == 0.5
    by_court = {c.key: c for c in hearings.adjournments_by_court()}
    assert set(by_court) >= {"Regional Trial Court, Taguig City", "MTC Pasay"}
    assert by_court["Regional Trial Court, Taguig City"].adjourned == 2
    assert by_court["MTC Pasay"].hearings == 1
    assert hearings.adjournments_by_court(since=TODAY) == []
    # Someone who may not see a case does not have its hearings counted.
    assert hearings.adjournments_by_court(mine=True)[0].hearings == 4
    assert cc.hearings("caseworker2").adjournments_by_court(mine=True) == []


def test_compensation_claims_follow_the_money(org: Org) -> None:
    cc = court_case(org)
    support = cc.support()
    draft = CompensationDraft(
        "Board of Claims (RA 7309)",
        CHARGED_ON,
        "php",
        survivor_id=cc.survivor_id,
        applied_amount=Decimal("10000"),
    )
    claim = support.add_claim(cc.case.id, draft).value
    assert (claim.status, claim.currency, claim.survivor_code) == (
        CompensationStatus.APPLIED,
        "PHP",
        cc.survivor_code,
    )
    with pytest.raises(ValidationError) as err:
        support.update_claim(
            claim.id,
            CompensationDraft(
                draft.scheme,
                draft.applied_on,
                "PHP",
                survivor_id=cc.survivor_id,
                awarded_on=CHARGED_ON - timedelta(days=1),
                awarded_amount=Decimal("10000"),
                paid_on=CHARGED_ON - timedelta(days=2),
                paid_amount=Decimal("12000"),
            ),
            expected_version=claim.version,
        )
    assert {p.code for p in err.value.problems} == {
        "before_applied",
        "before_awarded",
        "more_than_awarded",
    }
    paid = support.update_claim(
        claim.id,
        CompensationDraft(
            draft.scheme,
            draft.applied_on,
            "PHP",
            survivor_id=cc.survivor_id,
            awarded_on=CHARGED_ON + timedelta(days=40),
            awarded_amount=Decimal("10000"),
            paid_on=CHARGED_ON + timedelta(days=90),
            paid_amount=Decimal("4000"),
        ),
        expected_version=claim.version,
    ).value
    assert paid.status is CompensationStatus.PARTLY_PAID
    assert support.claims(cc.case.id) == [paid]
    with pytest.raises(ValidationError, match="not in case"):
        support.add_claim(
            cc.case.id, CompensationDraft("x", CHARGED_ON, "PHP", survivor_id=cc.accused_ids[0])
        )
    with pytest.raises(AccessDenied):
        cc.support("caseworker").add_claim(cc.case.id, draft)


def test_protection_measures(org: Org) -> None:
    cc = court_case(org)
    support = cc.support()
    threat = support.add_measure(
        cc.case.id,
        ProtectionDraft(ProtectionKind.THREATS_REPORTED, cc.survivor_id, CHARGED_ON),
    ).value
    order = support.add_measure(
        cc.case.id,
        ProtectionDraft(
            ProtectionKind.PROTECTION_ORDER,
            cc.survivor_id,
            CHARGED_ON,
            authority="RTC Taguig",
        ),
    ).value
    ended = support.end_measure(order.id, CHARGED_ON + timedelta(days=100)).value
    assert not ended.active_on(CHARGED_ON + timedelta(days=101))
    assert threat.active_on(TODAY)
    with pytest.raises(ValidationError, match="ends before it starts"):
        support.end_measure(order.id, CHARGED_ON - timedelta(days=1))
    kinds = [m.kind for m in support.measures(cc.case.id)]
    assert kinds == [ProtectionKind.THREATS_REPORTED, ProtectionKind.PROTECTION_ORDER]
    with org.db.transaction(write=False) as session:
        details = " ".join(session.scalars(select(AuditEvent.details)))
    assert cc.survivor_code in details and "Maricel" not in details


def test_a_hearing_is_moved_until_its_outcome_is_recorded(org: Org) -> None:
    cc = court_case(org)
    hearings = cc.hearings()
    row = hearings.schedule(cc.case.id, cc.hearing_draft(TODAY + timedelta(days=8))).value
    moved = hearings.update(
        row.id,
        cc.hearing_draft(
            TODAY + timedelta(days=9),
            time(11, 0),
            staff_ids=(org.actors["director"].user_id,),
            preparation="Interpreter (Tagalog)",
        ),
        expected_version=row.version,
    ).value
    assert (moved.local_date, moved.local_time_text) == (TODAY + timedelta(days=9), "11:00")
    assert moved.staff_names == ("Dina Director",)
    assert moved.to_prepare == ("Interpreter (Tagalog)",)
    with pytest.raises(ConflictError):
        hearings.update(row.id, cc.hearing_draft(TODAY), expected_version=row.version)
    hearings.record_outcome(
        moved.id,
        HearingResult(HearingOutcome.VACATED, f"Court holiday; {SURVIVOR_NAME} informed"),
    )
    with pytest.raises(RuleViolation, match="can no longer be changed"):
        hearings.update(row.id, cc.hearing_draft(TODAY), expected_version=moved.version + 1)
    # Free text (a reason, a purpose) never goes into the audit log.
    with org.db.transaction(write=False) as session:
        details = " ".join(session.scalars(select(AuditEvent.details)))
    assert "Maricel" not in details and "Court holiday" not in details
