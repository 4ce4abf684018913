"""The aftercare and prevention drafts and rules: assessments as entered,
goals, services, referrals and their moves, closing, engagements and the
exact median of processing times."""

from __future__ import annotations

import statistics
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.aftercare import (
    MAX_SCORE_NOTE,
    REFERRAL_MOVES,
    AssessmentDraft,
    ClosureDraft,
    GoalDraft,
    ReferralDraft,
    ServiceDraft,
    check_referral_move,
    needs_approval,
)
from ijmcase.domain.assessments import Instrument, load_instrument
from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentBasis,
    AssessmentType,
    CareService,
    EngagementKind,
    OfficialRole,
    ReferralStatus,
)
from ijmcase.domain.errors import RuleViolation, ValidationError
from ijmcase.domain.prevention import EngagementDraft, count_field, median_days
from ijmcase.resources import resource_path

TODAY = date(2026, 11, 21)
INSTRUMENT: Instrument = load_instrument(resource_path("instruments", "outcome-v1.toml"))
KEYS = INSTRUMENT.sub_domain_keys
SOMEONE = uuid.UUID(int=1)


def draft(scores: dict[str, int | None], **changes: object) -> AssessmentDraft:
    base: dict[str, object] = {
        "survivor_id": SOMEONE,
        "assessed_on": TODAY,
        "type": AssessmentType.INTAKE,
        "basis": AssessmentBasis.CURRENT_PLACEMENT,
        "scores": scores,
    }
    base.update(changes)
    return AssessmentDraft(**base)  # type: ignore[arg-type]


@given(st.lists(st.integers(1, 4), min_size=len(KEYS), max_size=len(KEYS)))
def test_any_complete_set_of_scores_one_to_four_validates(values: list[int]) -> None:
    scores = draft(dict(zip(KEYS, values, strict=True))).validate(INSTRUMENT, today=TODAY)
    assert [d.key for d in scores.domains] == [d.key for d in INSTRUMENT.domains]


@given(st.sampled_from(KEYS), st.integers().filter(lambda n: not 1 <= n <= 4))
def test_a_score_outside_one_to_four_is_named(key: str, value: int) -> None:
    scores: dict[str, int | None] = dict.fromkeys(KEYS, 3)
    scores[key] = value
    problems = draft(scores).problems(INSTRUMENT, today=TODAY)
    assert [(p.field, p.code) for p in problems] == [(f"scores.{key}", "score_out_of_range")]


def test_unknown_sub_domains_notes_and_dates() -> None:
    scores: dict[str, int | None] = dict.fromkeys(KEYS, 3)
    found = draft(
        {**scores, "happiness": 2},
        assessed_on=TODAY + timedelta(days=1),
        score_notes={"ghost": "x", "coping": "y" * (MAX_SCORE_NOTE + 1)},
    ).problems(INSTRUMENT, today=TODAY)
    assert {(p.field, p.code) for p in found} == {
        ("assessed_on", "future_date"),
        ("scores.happiness", "unknown_sub_domain"),
        ("notes.ghost", "unknown_sub_domain"),
        ("notes.coping", "too_long"),
    }
    with pytest.raises(ValidationError):
        draft({}).validate(INSTRUMENT)


def test_goal_service_and_referral_drafts() -> None:
    domains = [d.key for d in INSTRUMENT.domains]
    assert GoalDraft("safety", "Safety plan").problems(domains) == []
    assert {p.field for p in GoalDraft("x", "").problems(domains)} == {"goal", "domain_key"}
    assert [p.field for p in GoalDraft("safety", "g" * 1001).problems(domains)] == ["goal"]
    late = TODAY + timedelta(days=1)
    assert [p.code for p in ServiceDraft(CareService.SHELTER, late).problems(today=TODAY)] == [
        "future_date"
    ]
    assert ServiceDraft(CareService.SHELTER, TODAY).problems(today=TODAY) == []
    referral = ReferralDraft(SOMEONE, CareService.SHELTER, late)
    assert [p.field for p in referral.problems(today=TODAY)] == ["referred_on"]


@pytest.mark.parametrize("current", list(ReferralStatus))
@pytest.mark.parametrize("target", list(ReferralStatus))
def test_referral_moves_are_exactly_the_table(
    current: ReferralStatus, target: ReferralStatus
) -> None:
    day = TODAY - timedelta(days=1)

    def move() -> None:
        check_referral_move(current, target, on=day, referred_on=day, today=TODAY, note="because")

    if target in REFERRAL_MOVES[current]:
        move()
    else:
        with pytest.raises(RuleViolation):
            move()


def test_referral_move_needs_a_reason_to_reject_and_sane_dates() -> None:
    start = TODAY - timedelta(days=10)
    with pytest.raises(RuleViolation, match="why") as err:
        check_referral_move(
            ReferralStatus.PENDING,
            ReferralStatus.REJECTED,
            on=TODAY,
            referred_on=start,
            today=TODAY,
        )
    assert err.value.code == "reason_required"
    with pytest.raises(RuleViolation, match="before the referral"):
        check_referral_move(
            ReferralStatus.PENDING,
            ReferralStatus.ACCEPTED,
            on=start - timedelta(days=1),
            referred_on=start,
            today=TODAY,
        )
    with pytest.raises(RuleViolation, match="future"):
        check_referral_move(
            ReferralStatus.PENDING,
            ReferralStatus.ACCEPTED,
            on=TODAY + timedelta(days=1),
            referred_on=start,
            today=TODAY,
        )
    with pytest.raises(RuleViolation, match="already completed") as err:
        check_referral_move(
            ReferralStatus.COMPLETED,
            ReferralStatus.ACCEPTED,
            on=TODAY,
            referred_on=start,
            today=TODAY,
        )
    assert err.value.code == "referral_final"


@pytest.mark.parametrize("reason", list(AftercareClosureReason))
def test_only_restored_needs_approval(reason: AftercareClosureReason) -> None:
    assert needs_approval(reason) is (reason is AftercareClosureReason.RESTORED)


def test_closure_draft_dates() -> None:
    started = TODAY - timedelta(days=100)
    ok = ClosureDraft(SOMEONE, AftercareClosureReason.LOST_CONTACT, TODAY)
    assert ok.problems(today=TODAY, aftercare_started_on=started) == []
    early = ClosureDraft(SOMEONE, AftercareClosureReason.RELOCATED, started - timedelta(days=1))
    assert [p.code for p in early.problems(today=TODAY, aftercare_started_on=started)] == [
        "end_before_start"
    ]
    late = ClosureDraft(SOMEONE, AftercareClosureReason.RELOCATED, TODAY + timedelta(days=1))
    with pytest.raises(ValidationError, match="future"):
        late.validate(today=TODAY)


def engagement(**changes: object) -> EngagementDraft:
    base: dict[str, object] = {
        "kind": EngagementKind.TRAINING,
        "held_on": TODAY,
        "topic": "Victim-centred investigation",
        "country": "IN",
    }
    base.update(changes)
    return EngagementDraft(**base)  # type: ignore[arg-type]


@given(
    st.lists(st.uuids(), max_size=5, unique=True),
    st.dictionaries(st.sampled_from(list(OfficialRole)), st.integers(0, 50), max_size=4),
)
def test_an_engagement_needs_someone_there(
    attendees: list[uuid.UUID], counts: dict[OfficialRole, int]
) -> None:
    made = engagement(attendee_ids=tuple(attendees), role_counts=counts)
    assert made.total_attendees == len(attendees) + sum(counts.values())
    codes = [p.code for p in made.problems(today=TODAY)]
    assert ("no_attendees" in codes) is (made.total_attendees == 0)
    assert codes in ([], ["no_attendees"])


def test_engagement_bad_input_is_named() -> None:
    found = engagement(
        topic="",
        country="ZZ",
        held_on=TODAY + timedelta(days=1),
        attendee_ids=(SOMEONE, SOMEONE),
        role_counts={OfficialRole.JUDGE: -1, OfficialRole.SDM: True},
    ).problems(today=TODAY)
    assert {p.field for p in found} == {
        "topic",
        "country",
        "held_on",
        "attendee_ids",
        count_field(OfficialRole.JUDGE),
        count_field(OfficialRole.SDM),
    }
    with pytest.raises(ValidationError, match="No one is recorded as attending"):
        engagement().validate(today=TODAY)


@given(st.lists(st.integers(0, 5000), max_size=40))
def test_median_days_is_exact(values: list[int]) -> None:
    found = median_days(values)
    if not values:
        assert found is None
    else:
        assert found == Decimal(str(statistics.median(values)))
        assert found is not None and found * 2 == int(found * 2)
