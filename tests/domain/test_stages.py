"""Stage-track rules, including property-based checks over every path."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.enums import Stage, TrackStatus
from ijmcase.domain.errors import RuleViolation
from ijmcase.domain.stages import (
    TRANSITIONS,
    TrackState,
    allowed_targets,
    check_case_can_close,
    check_transition,
    explain_refusal,
)

DAY = date(2025, 6, 1)
ALLOWED = {(r.source, r.target) for r in TRANSITIONS}


@given(st.sampled_from(Stage), st.sampled_from(TrackStatus), st.sampled_from(TrackStatus))
def test_refusal_explained_exactly_when_not_allowed(
    stage: Stage, source: TrackStatus, target: TrackStatus
) -> None:
    refusal = explain_refusal(TrackState(stage, source), target)
    assert (refusal is None) == ((source, target) in ALLOWED)
    assert (target in allowed_targets(source)) == ((source, target) in ALLOWED)
    if refusal is None:
        check_transition(TrackState(stage, source, DAY), target, on=DAY, reason="r", outcome="o")
    else:
        with pytest.raises(RuleViolation) as err:
            check_transition(
                TrackState(stage, source, DAY), target, on=DAY, reason="r", outcome="o"
            )
        assert err.value.message == refusal


@given(st.lists(st.sampled_from(TrackStatus), max_size=12))
def test_any_walk_through_allowed_moves_is_accepted(targets: list[TrackStatus]) -> None:
    state = TrackState(Stage.ACCOUNTABILITY, TrackStatus.NOT_STARTED)
    for target in targets:
        if target not in allowed_targets(state.status):
            continue
        check_transition(state, target, on=DAY, reason="because", outcome="done")
        state = TrackState(state.stage, target, DAY if target is TrackStatus.ACTIVE else None)
    assert state.status in TrackStatus


@given(st.dictionaries(st.sampled_from(Stage), st.sampled_from(TrackStatus)))
def test_case_closes_iff_no_track_is_active(tracks: dict[Stage, TrackStatus]) -> None:
    if TrackStatus.ACTIVE in tracks.values():
        with pytest.raises(RuleViolation, match="cannot be closed while a stage track is active"):
            check_case_can_close(tracks)
    else:
        check_case_can_close(tracks)


def test_reasons_outcomes_and_dates() -> None:
    active = TrackState(Stage.AFTERCARE, TrackStatus.ACTIVE, started_on=DAY)
    with pytest.raises(RuleViolation, match="needs an outcome note"):
        check_transition(active, TrackStatus.COMPLETED, on=DAY, outcome="  ")
    with pytest.raises(RuleViolation, match="needs a reason"):
        check_transition(active, TrackStatus.NOT_APPLICABLE, on=DAY)
    with pytest.raises(RuleViolation, match="before it started"):
        check_transition(active, TrackStatus.COMPLETED, on=DAY - timedelta(1), outcome="x")
    with pytest.raises(RuleViolation, match="before the case was opened"):
        check_transition(
            TrackState(Stage.RESCUE, TrackStatus.NOT_STARTED),
            TrackStatus.ACTIVE,
            on=DAY,
            case_opened_on=DAY + timedelta(1),
        )
    with pytest.raises(RuleViolation, match="Reopen the case"):
        check_transition(active, TrackStatus.COMPLETED, on=DAY, outcome="x", case_closed=True)
    reopened = check_transition(
        TrackState(Stage.ACCOUNTABILITY, TrackStatus.COMPLETED),
        TrackStatus.ACTIVE,
        on=DAY,
        reason="Appeal filed",
    )
    assert reopened.needs_reason
