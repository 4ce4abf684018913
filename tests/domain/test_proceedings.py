"""Rules of a proceeding: order, skips, verdict, sentence, appeal, deadlines, hearings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.enums import ChargeStatus, ProceedingOutcome, ReportingStage
from ijmcase.domain.errors import RuleViolation, ValidationError
from ijmcase.domain.pathways import GENERIC, Pathway, load_pathways
from ijmcase.domain.proceedings import (
    CONVICTIONS,
    Charge,
    MilestoneRecord,
    check_hearing_dates,
    check_milestone,
    check_outcome,
    check_track,
    deadlines,
    first_charge_date,
    hearing_date_problems,
    next_milestones,
    reporting_stage,
)
from tests.domain.test_pathways import pathways as random_pathways

PATHWAYS = load_pathways()
PH = PATHWAYS["PH"]
IN = PATHWAYS["IN"]
KE = PATHWAYS["KE"]
GEN = PATHWAYS[GENERIC]

DAY = date(2025, 3, 3)
CHARGED = (Charge(DAY),)
CONVICTED = ProceedingOutcome.CONVICTED


def walk(pathway: Pathway, *keys: str, start: date = DAY) -> list[MilestoneRecord]:
    """Records for ``keys`` a day apart; 'skip:key' skips with a reason."""
    records: list[MilestoneRecord] = []
    for n, key in enumerate(keys):
        skipped = key.startswith("skip:")
        record = MilestoneRecord(
            key.removeprefix("skip:"),
            start + timedelta(days=n),
            skipped=skipped,
            reason="guilty plea" if skipped else "",
        )
        check_milestone(pathway, records, record, charges=CHARGED, outcome=CONVICTED)
        records.append(record)
    return records


PH_TO_VERDICT = (
    "complaint",
    "preliminary_investigation",
    "resolution",
    "information_filed",
    "probable_cause",
    "custody",
    "arraignment",
    "pre_trial",
    "trial",
    "promulgation",
)


def nxt(records: Sequence[MilestoneRecord], days: int = 1) -> date:
    return records[-1].on + timedelta(days=days)


# --------------------------------------------------------------------------
# Order and skips
# --------------------------------------------------------------------------


def test_a_whole_proceeding_in_order() -> None:
    records = walk(PH, *PH_TO_VERDICT, "sentence", "appeal", "final")
    assert reporting_stage(PH, records) is ReportingStage.FINAL
    check_track(PH, records, charges=CHARGED, outcome=CONVICTED)


def test_a_required_step_cannot_be_jumped() -> None:
    records = walk(PH, "complaint", "preliminary_investigation", "resolution")
    with pytest.raises(RuleViolation) as err:
        check_milestone(PH, records, MilestoneRecord("arraignment", nxt(records)))
    assert err.value.code == "step_missing"
    assert err.value.message == (
        "Record 'Information filed in court' first, or skip it with a reason: it comes "
        "before 'Arraignment'."
    )


def test_optional_steps_may_be_passed_over() -> None:
    records = walk(IN, "fir", "investigation", "arrest")
    result = check_milestone(
        IN, records, MilestoneRecord("charge_sheet", nxt(records)), charges=CHARGED
    )
    assert [m.key for m in result.passed_over] == ["production", "bail"]
    assert result.reporting_stage is ReportingStage.CHARGED


def test_a_skip_needs_a_reason_naming_the_step() -> None:
    records = walk(KE, "report", "investigation", "charge", "plea")
    with pytest.raises(ValidationError) as err:
        check_milestone(
            KE, records, MilestoneRecord("trial", nxt(records), skipped=True, reason=" ")
        )
    [problem] = err.value.problems
    assert problem.field == "reason"
    assert problem.code == "skip_reason_required"
    assert "Say why 'Trial (prosecution and defence cases)' is skipped" in problem.message
    # With a reason the guilty plea skips the trial, and the judgment may follow.
    skip = MilestoneRecord("trial", nxt(records), skipped=True, reason="Pleaded guilty")
    check_milestone(KE, records, skip)
    records.append(skip)
    check_milestone(KE, records, MilestoneRecord("judgment", nxt(records)), charges=CHARGED)
    # A skipped step is not a stage reached.
    assert reporting_stage(KE, records) is ReportingStage.CHARGED


def test_steps_are_not_recorded_twice_or_backwards() -> None:
    records = walk(PH, "complaint", "preliminary_investigation", "resolution")
    with pytest.raises(RuleViolation, match=r"'Prosecutor's resolution' is already recorded \("):
        check_milestone(PH, records, MilestoneRecord("resolution", nxt(records)))
    with pytest.raises(RuleViolation, match=r"'Complaint filed' is already recorded"):
        check_milestone(PH, records, MilestoneRecord("complaint", nxt(records)))
    # An optional step passed over cannot be recorded afterwards.
    records = walk(IN, "fir", "investigation", "arrest", "charge_sheet")
    with pytest.raises(RuleViolation) as err:
        check_milestone(IN, records, MilestoneRecord("bail", nxt(records)))
    assert err.value.code == "out_of_order"
    assert err.value.message == (
        "'Bail hearing' comes before 'Charge sheet (police report) filed', which is already "
        f"recorded ({records[-1].on.isoformat()}); milestones are recorded in order."
    )


def test_dates_do_not_go_backwards() -> None:
    records = walk(PH, "complaint", "preliminary_investigation")
    earlier = records[-1].on - timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        check_milestone(PH, records, MilestoneRecord("resolution", earlier))
    [problem] = err.value.problems
    assert (problem.field, problem.code) == ("on", "date_before_previous")
    assert "before 'Inquest or preliminary investigation'" in problem.message
    # The same day is fine: a resolution can come the day of the investigation.
    check_milestone(PH, records, MilestoneRecord("resolution", records[-1].on))


def test_a_missing_reason_and_a_bad_date_are_reported_together() -> None:
    records = walk(KE, "report", "investigation", "charge", "plea")
    bad = MilestoneRecord("trial", DAY - timedelta(days=1), skipped=True)
    with pytest.raises(ValidationError) as err:
        check_milestone(KE, records, bad)
    assert [p.field for p in err.value.problems] == ["reason", "on"]


def test_unknown_milestone() -> None:
    with pytest.raises(RuleViolation, match="'fir' is not a milestone of the Philippines"):
        check_milestone(PH, [], MilestoneRecord("fir", DAY))


def test_records_the_template_no_longer_knows_are_left_out() -> None:
    records = [MilestoneRecord("report", DAY), MilestoneRecord("old_step", DAY)]
    assert reporting_stage(GEN, records) is ReportingStage.REPORTED
    check_milestone(GEN, records, MilestoneRecord("investigation", DAY))


def test_next_milestones() -> None:
    assert [m.key for m in next_milestones(IN, [])] == ["fir"]
    records = walk(IN, "fir", "investigation", "arrest")
    assert [m.key for m in next_milestones(IN, records)] == ["production", "bail", "charge_sheet"]


# --------------------------------------------------------------------------
# Verdict, sentence, outcome
# --------------------------------------------------------------------------


def test_a_verdict_needs_a_charge() -> None:
    records = walk(PH, *PH_TO_VERDICT[:-1])
    judgment = MilestoneRecord("promulgation", nxt(records))
    with pytest.raises(RuleViolation) as err:
        check_milestone(PH, records, judgment)
    assert err.value.code == "verdict_needs_charge"
    assert "'Promulgation of judgment' needs a charge" in err.value.message
    # A withdrawn charge is not one a court can rule on.
    withdrawn = (Charge(DAY, ChargeStatus.WITHDRAWN),)
    with pytest.raises(RuleViolation, match="needs a charge"):
        check_milestone(PH, records, judgment, charges=withdrawn)
    check_milestone(PH, records, judgment, charges=(*withdrawn, Charge(DAY)))
    # Skipping the judgment (the case was withdrawn) needs no charge.
    check_milestone(PH, records, MilestoneRecord("promulgation", nxt(records), True, "withdrawn"))


@pytest.mark.parametrize(
    ("outcome", "allowed"),
    [
        (ProceedingOutcome.PENDING, False),
        (ProceedingOutcome.ACQUITTED, False),
        (ProceedingOutcome.DISMISSED, False),
        (ProceedingOutcome.WITHDRAWN, False),
        (ProceedingOutcome.CONVICTED, True),
        (ProceedingOutcome.PLEA, True),
    ],
)
def test_a_sentence_needs_a_conviction(outcome: ProceedingOutcome, allowed: bool) -> None:
    records = walk(PH, *PH_TO_VERDICT)
    sentence = MilestoneRecord("sentence", nxt(records))
    if allowed:
        check_milestone(PH, records, sentence, charges=CHARGED, outcome=outcome)
    else:
        with pytest.raises(RuleViolation) as err:
            check_milestone(PH, records, sentence, charges=CHARGED, outcome=outcome)
        assert err.value.code == "sentence_needs_conviction"
        assert f"The outcome is now '{outcome.label.lower()}'" in err.value.message
    # After an acquittal the sentence is skipped with that reason.
    skip = MilestoneRecord("sentence", nxt(records), skipped=True, reason="Acquitted")
    check_milestone(PH, records, skip, charges=CHARGED, outcome=outcome)


def test_outcome_rules() -> None:
    before = walk(PH, *PH_TO_VERDICT[:-1])
    after = walk(PH, *PH_TO_VERDICT)
    with pytest.raises(RuleViolation, match="'convicted' needs a charge"):
        check_outcome(PH, after, CONVICTED, charges=())
    with pytest.raises(RuleViolation, match="Record 'Promulgation of judgment' before"):
        check_outcome(PH, before, ProceedingOutcome.ACQUITTED, charges=CHARGED)
    check_outcome(PH, after, ProceedingOutcome.ACQUITTED, charges=CHARGED)
    # A guilty plea comes before any judgment; dismissal and withdrawal need nothing.
    check_outcome(PH, before, ProceedingOutcome.PLEA, charges=CHARGED)
    for outcome in (ProceedingOutcome.DISMISSED, ProceedingOutcome.WITHDRAWN):
        check_outcome(PH, [], outcome, charges=())


# --------------------------------------------------------------------------
# Appeals reopen the track
# --------------------------------------------------------------------------


def test_an_appeal_reopens_a_final_proceeding() -> None:
    records = walk(PH, *PH_TO_VERDICT, "sentence", "final")
    assert reporting_stage(PH, records) is ReportingStage.FINAL
    appeal = MilestoneRecord("appeal", nxt(records))
    result = check_milestone(PH, records, appeal, charges=CHARGED, outcome=CONVICTED)
    assert result.reopens_track and not result.concludes_track
    assert result.reporting_stage is ReportingStage.APPEAL
    assert result.reopen_reason == f"Notice of appeal filed on {appeal.on.isoformat()}"
    records.append(appeal)
    assert reporting_stage(PH, records) is ReportingStage.APPEAL
    assert [m.key for m in next_milestones(PH, records)] == ["final", "appeal"]
    # The appeal is decided: the judgment is final again.
    final = check_milestone(PH, records, MilestoneRecord("final", nxt(records)))
    assert final.concludes_track and final.reporting_stage is ReportingStage.FINAL
    records.append(MilestoneRecord("final", nxt(records)))
    check_track(PH, records, charges=CHARGED, outcome=CONVICTED)


def test_a_further_appeal_can_follow_an_appeal() -> None:
    records = walk(PH, *PH_TO_VERDICT, "sentence", "appeal")
    second = check_milestone(PH, records, MilestoneRecord("appeal", nxt(records)))
    assert second.reopens_track


def test_an_appeal_needs_a_judgment() -> None:
    records = walk(PH, *PH_TO_VERDICT[:-1], "skip:promulgation", "skip:sentence")
    with pytest.raises(RuleViolation) as err:
        check_milestone(PH, records, MilestoneRecord("appeal", nxt(records)))
    assert err.value.code == "appeal_needs_verdict"
    assert err.value.message == (
        "'Notice of appeal filed' needs a judgment to appeal from; none is recorded."
    )
    # Nor can it reopen a proceeding that ended without a judgment.
    records.append(MilestoneRecord("final", nxt(records)))
    assert "appeal" not in [m.key for m in next_milestones(PH, records)]
    with pytest.raises(RuleViolation) as err:
        check_milestone(PH, records, MilestoneRecord("appeal", nxt(records)))
    assert err.value.code == "appeal_needs_verdict"


def test_an_appeal_cannot_be_skipped_after_the_fact() -> None:
    records = walk(PH, *PH_TO_VERDICT, "sentence", "final")
    with pytest.raises(RuleViolation, match="comes before 'Judgment final and executory'"):
        check_milestone(PH, records, MilestoneRecord("appeal", nxt(records), True, "late"))


# --------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------


def test_probable_cause_is_due_ten_days_after_the_information() -> None:
    records = walk(PH, *PH_TO_VERDICT[:4])  # up to the information
    filed = records[-1].on
    [deadline] = deadlines(PH, records, today=filed)
    assert deadline.milestone.key == "probable_cause"
    assert deadline.counted_from.key == "information_filed"
    assert deadline.due_on == filed + timedelta(days=10)
    assert deadline.started_on == filed
    assert "Rule 112" in deadline.basis
    assert not deadline.overdue and deadline.days_left(filed) == 10
    assert not deadlines(PH, records, today=filed + timedelta(days=10))[0].overdue
    late = deadlines(PH, records, today=filed + timedelta(days=11))[0]
    assert late.overdue and late.days_left(filed + timedelta(days=11)) == -1
    # Once the judge rules, the deadline is met and gone.
    records.append(MilestoneRecord("probable_cause", filed + timedelta(days=12)))
    assert deadlines(PH, records, today=filed + timedelta(days=12)) == []


def test_several_deadlines_soonest_first_and_passed_over_ones_dropped() -> None:
    records = walk(IN, "fir", "investigation", "arrest")
    arrested = records[-1].on
    found = deadlines(IN, records, today=arrested)
    assert [(d.milestone.key, d.due_on) for d in found] == [
        ("production", arrested + timedelta(days=1)),
        ("charge_sheet", arrested + timedelta(days=90)),
    ]
    # Moving on to bail passes production over: no longer a deadline.
    records.append(MilestoneRecord("bail", nxt(records, 5)))
    assert [d.milestone.key for d in deadlines(IN, records, today=arrested)] == ["charge_sheet"]


def test_no_deadline_counts_from_a_skipped_step() -> None:
    records = walk(IN, "fir", "investigation", "skip:arrest")
    assert deadlines(IN, records, today=DAY) == []


def test_appeal_deadline_in_kenya() -> None:
    records = walk(KE, "report", "investigation", "charge", "plea", "trial", "judgment")
    records.append(MilestoneRecord("sentence", nxt(records)))
    [deadline] = deadlines(KE, records, today=records[-1].on)
    assert (deadline.milestone.key, deadline.due_on) == (
        "appeal",
        records[-1].on + timedelta(days=14),
    )
    # Declared final without an appeal: the appeal window is no longer tracked.
    records.append(MilestoneRecord("final", nxt(records, 20)))
    assert deadlines(KE, records, today=records[-1].on) == []


# --------------------------------------------------------------------------
# Hearings
# --------------------------------------------------------------------------


def test_hearing_before_the_charge_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        check_hearing_dates(date(2025, 3, 1), date(2025, 3, 5))
    [problem] = err.value.problems
    assert (problem.field, problem.code) == ("hearing_on", "hearing_before_charge")
    assert problem.message == (
        "The hearing date 2025-03-01 is before the first charge was filed (2025-03-05); "
        "a hearing in this proceeding comes after the charge. Check the hearing date or "
        "the charge date."
    )


def test_next_date_before_the_hearing_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        check_hearing_dates(date(2025, 3, 10), date(2025, 3, 5), date(2025, 3, 9))
    assert err.value.for_field("next_on")[0].code == "next_before_hearing"
    assert err.value.for_field("hearing_on") == []


def test_both_hearing_problems_at_once_and_good_dates_pass() -> None:
    found = hearing_date_problems(
        date(2025, 3, 1), first_charge_on=date(2025, 3, 5), next_on=date(2025, 2, 1)
    )
    assert [p.field for p in found] == ["hearing_on", "next_on"]
    check_hearing_dates(date(2025, 3, 5), date(2025, 3, 5), date(2025, 3, 5))
    check_hearing_dates(date(2025, 3, 1), None, None)


def test_first_charge_date_counts_every_charge_filed() -> None:
    charges = [
        Charge(date(2025, 5, 1)),
        Charge(date(2025, 4, 1), ChargeStatus.WITHDRAWN),
        Charge(date(2025, 6, 1), ChargeStatus.AMENDED),
    ]
    assert first_charge_date(charges) == date(2025, 4, 1)
    assert first_charge_date([]) is None


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

ALL = list(PATHWAYS.values())


# The shipped templates, and random valid ones (tests/domain/test_pathways.py).
ANY_PATHWAY = st.one_of(st.sampled_from(ALL), random_pathways())


@given(st.data(), ANY_PATHWAY, st.sampled_from(ProceedingOutcome), st.booleans())
def test_any_order_of_attempts_is_refused_or_keeps_the_rules(
    data: st.DataObject, pathway: Pathway, outcome: ProceedingOutcome, charged: bool
) -> None:
    charges = CHARGED if charged else ()
    accepted: list[MilestoneRecord] = []
    on = DAY
    for _ in range(data.draw(st.integers(0, 30), label="attempts")):
        allowed = [m.key for m in next_milestones(pathway, accepted)]
        # Mostly try a step the order rule offers, so walks get to the
        # verdict, the sentence and the appeal; sometimes any step at all.
        use_allowed = bool(allowed) and data.draw(st.integers(0, 7), label="offered?") > 0
        pool = allowed if use_allowed else list(pathway.keys)
        key = data.draw(st.sampled_from(pool), label="key")
        on += timedelta(days=data.draw(st.integers(-3, 10), label="days later"))
        skipped = data.draw(st.integers(0, 3), label="skip?") == 0
        reason = data.draw(st.sampled_from(["", "  ", "guilty plea", "acquitted"]), label="reason")
        attempt = MilestoneRecord(key, on, skipped=skipped, reason=reason)
        stage = pathway.milestone(key).stage
        verdict_before = any(
            not r.skipped and pathway.milestone(r.key).stage is ReportingStage.VERDICT
            for r in accepted
        )
        last = pathway.index(accepted[-1].key) if accepted else -1
        # When every rule is met the step must be accepted. Going back is
        # only for an appeal being filed, never for skipping one.
        should_pass = (
            key in allowed
            and not (pathway.index(key) <= last and skipped)
            and (not skipped or reason.strip() != "")
            and (not accepted or on >= max(r.on for r in accepted))
            and (skipped or stage is not ReportingStage.VERDICT or charged)
            and (skipped or stage is not ReportingStage.SENTENCED or outcome in CONVICTIONS)
            and (skipped or stage is not ReportingStage.APPEAL or verdict_before)
        )
        try:
            result = check_milestone(pathway, accepted, attempt, charges=charges, outcome=outcome)
        except (RuleViolation, ValidationError):
            assert not should_pass, attempt
            continue
        assert should_pass, attempt
        assert result.reopens_track == (stage is ReportingStage.APPEAL and not skipped)
        assert result.concludes_track == (stage is ReportingStage.FINAL and not skipped)
        assert result.reporting_stage == reporting_stage(pathway, [*accepted, attempt])
        accepted.append(attempt)

    # Dates never go backwards, every skip has a reason, and the accepted
    # records replay cleanly.
    assert all(a.on <= b.on for a, b in pairwise(accepted))
    assert all(r.reason.strip() for r in accepted if r.skipped)
    check_track(pathway, accepted, charges=charges, outcome=outcome)
    for n, record in enumerate(accepted):
        index = pathway.index(record.key)
        stage = pathway.milestones[index].stage
        earlier = accepted[:n]
        last = pathway.index(earlier[-1].key) if earlier else -1
        verdict_before = any(
            not r.skipped and pathway.milestone(r.key).stage is ReportingStage.VERDICT
            for r in earlier
        )
        if index <= last:
            # Only an appeal goes back, and only once there is a judgment.
            assert stage is ReportingStage.APPEAL and not record.skipped and verdict_before
            continue
        # Every step jumped over since the last record is optional.
        assert all(m.optional for m in pathway.milestones[last + 1 : index])
        if not record.skipped and stage is ReportingStage.VERDICT:
            assert charged
        if not record.skipped and stage is ReportingStage.SENTENCED:
            assert outcome in CONVICTIONS
        if not record.skipped and stage is ReportingStage.APPEAL:
            assert verdict_before


@given(st.data(), ANY_PATHWAY)
def test_deadlines_count_calendar_days_from_their_start(
    data: st.DataObject, pathway: Pathway
) -> None:
    # Walk part of the pathway, reaching, skipping or passing over each step.
    records: list[MilestoneRecord] = []
    on = DAY
    stop = data.draw(st.integers(0, len(pathway.milestones)), label="steps")
    for milestone in pathway.milestones[:stop]:
        choices = ["reach", "skip", "pass"] if milestone.optional else ["reach", "skip"]
        choice = data.draw(st.sampled_from(choices), label=milestone.key)
        on += timedelta(days=data.draw(st.integers(0, 120), label="days later"))
        if choice != "pass":
            skipped = choice == "skip"
            records.append(MilestoneRecord(milestone.key, on, skipped, "why" if skipped else ""))
    today = DAY + timedelta(days=data.draw(st.integers(-30, 3000), label="today"))

    reached = {r.key: r.on for r in records if not r.skipped}
    recorded = {r.key for r in records}
    position = pathway.index(records[-1].key) if records else -1
    found = deadlines(pathway, records, today)
    expected = {
        m.key
        for i, m in enumerate(pathway.milestones)
        if m.time_limit is not None
        and m.time_limit.after in reached
        and m.key not in recorded
        and i > position
    }
    assert {d.milestone.key for d in found} == expected
    for deadline in found:
        limit = deadline.milestone.time_limit
        assert limit is not None
        assert deadline.due_on == reached[limit.after] + timedelta(days=limit.days)
        assert deadline.overdue == (today > deadline.due_on)
        # Due on the last day itself is not yet overdue; the day after is.
        on_the_day = deadlines(pathway, records, deadline.due_on)
        day_after = deadlines(pathway, records, deadline.due_on + timedelta(days=1))
        assert not next(d for d in on_the_day if d.milestone == deadline.milestone).overdue
        assert next(d for d in day_after if d.milestone == deadline.milestone).overdue
    assert [d.due_on for d in found] == sorted(d.due_on for d in found)


@given(st.dates(), st.none() | st.dates(), st.none() | st.dates())
def test_hearing_dates_refused_exactly_when_impossible(
    hearing: date, charge: date | None, next_on: date | None
) -> None:
    bad_hearing = charge is not None and hearing < charge
    bad_next = next_on is not None and next_on < hearing
    fields = [
        p.field for p in hearing_date_problems(hearing, first_charge_on=charge, next_on=next_on)
    ]
    assert fields == [f for f, bad in (("hearing_on", bad_hearing), ("next_on", bad_next)) if bad]
    if fields:
        with pytest.raises(ValidationError):
            check_hearing_dates(hearing, charge, next_on)
    else:
        check_hearing_dates(hearing, charge, next_on)
