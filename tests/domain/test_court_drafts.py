"""Court-record drafts: every wrong field at once, times at the court, claims."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.court_drafts import (
    CompensationDraft,
    CustodyDraft,
    HearingDraft,
    HearingResult,
    OutcomeDraft,
    ProtectionDraft,
    check_custody,
    local_instant,
)
from ijmcase.domain.enums import (
    CompensationStatus,
    CustodyStatus,
    HearingOutcome,
    ProceedingOutcome,
    ProtectionKind,
)
from ijmcase.domain.errors import RuleViolation, ValidationError

DAY = date(2026, 3, 2)


def test_a_wall_clock_time_at_the_court_becomes_its_utc_instant() -> None:
    assert local_instant(datetime(2026, 3, 2, 10, 0), "Asia/Manila") == datetime(
        2026, 3, 2, 2, 0, tzinfo=UTC
    )
    aware = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert local_instant(aware, "Asia/Manila") == aware
    draft = HearingDraft(datetime(2026, 3, 2, 10, 0), "Africa/Nairobi", "Plea", court_name="X")
    assert draft.local_start().strftime("%H:%M %Z") == "10:00 EAT"


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)))
def test_the_court_time_survives_the_round_trip(wall: datetime) -> None:
    for zone in ("Asia/Kolkata", "America/La_Paz", "Africa/Accra"):
        draft = HearingDraft(wall, zone, "Trial", court_name="Court")
        back = local_instant(wall, zone).astimezone(draft.local_start().tzinfo)
        assert back.replace(tzinfo=None) == wall


def test_hearing_draft_lists_every_problem() -> None:
    draft = HearingDraft(
        datetime(2026, 3, 1, 9, 0),
        "Nowhere/Land",
        "",
        survivor_testifies=True,
        staff_ids=(UUID(int=1), UUID(int=1)),
    )
    codes = {(p.field, p.code) for p in draft.problems()}
    assert codes == {
        ("timezone", "unknown_zone"),
        ("purpose", "required"),
        ("court_id", "required"),
        ("testifying_survivor_id", "required"),
        ("staff_ids", "duplicate"),
    }
    ok = HearingDraft(datetime(2026, 3, 1, 9, 0), "Asia/Manila", "Trial", court_name="RTC")
    [problem] = ok.problems(first_charge_on=DAY)
    assert problem.code == "hearing_before_charge"


def test_hearing_result_rules() -> None:
    with pytest.raises(ValidationError) as err:
        HearingResult(HearingOutcome.VACATED, next_on=DAY - timedelta(days=1)).validate(
            hearing_on=DAY
        )
    assert {p.code for p in err.value.problems} == {"reason_required", "next_before_hearing"}
    HearingResult(HearingOutcome.HELD, next_on=DAY, next_time=time(15)).validate(hearing_on=DAY)
    with pytest.raises(ValidationError, match="cannot have been held yet"):
        HearingResult(HearingOutcome.HELD).validate(hearing_on=DAY, today=DAY - timedelta(days=1))


def test_outcome_draft_sentence_rules() -> None:
    assert not OutcomeDraft(ProceedingOutcome.CONVICTED, DAY, prison_months=84).problems()
    problems = OutcomeDraft(
        ProceedingOutcome.ACQUITTED, DAY, prison_months=0, life_sentence=True
    ).problems()
    assert {p.code for p in problems} == {
        "out_of_range",
        "life_and_term",
        "sentence_needs_conviction",
    }
    fine = OutcomeDraft(ProceedingOutcome.PLEA, DAY, fine_amount=Decimal("10.005"))
    assert {p.code for p in fine.problems()} == {"too_precise", "required"}
    future = OutcomeDraft(ProceedingOutcome.DISMISSED, DAY + timedelta(days=1))
    assert [p.code for p in future.problems(today=DAY)] == ["future_date"]


def test_compensation_status_follows_the_dates() -> None:
    base = CompensationDraft("Board of Claims", DAY, "PHP", survivor_id=None)
    assert base.effective_status() is CompensationStatus.APPLIED
    assert [p.code for p in base.problems()] == ["required"]
    later = DAY + timedelta(days=30)
    awarded = CompensationDraft(
        "Board of Claims", DAY, "PHP", awarded_on=later, awarded_amount=Decimal(10_000)
    )
    assert awarded.effective_status() is CompensationStatus.AWARDED
    paid = CompensationDraft(
        "Board of Claims",
        DAY,
        "PHP",
        awarded_on=later,
        awarded_amount=Decimal(10_000),
        paid_on=later,
        paid_amount=Decimal(10_000),
    )
    assert paid.effective_status() is CompensationStatus.PAID
    rejected = CompensationDraft("X", DAY, "PHP", status=CompensationStatus.REJECTED)
    assert rejected.effective_status() is CompensationStatus.REJECTED
    assert {p.code for p in CompensationDraft("X", DAY, "pesos").problems()} >= {"bad_currency"}


def test_custody_and_protection() -> None:
    check_custody([(DAY, CustodyStatus.ARRESTED)], CustodyDraft(CustodyStatus.ON_BAIL, DAY))
    with pytest.raises(RuleViolation, match="deceased"):
        check_custody([(DAY, CustodyStatus.DECEASED)], CustodyDraft(CustodyStatus.RELEASED, DAY))
    draft = ProtectionDraft(ProtectionKind.PROTECTION_ORDER, None, DAY, DAY - timedelta(days=1))
    assert {p.code for p in draft.problems()} == {"required", "end_before_start"}
