"""Follow-ups and My day on both engines: due and overdue per person, the
log-it and reschedule actions, cancelling, corrections, and access."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ijmcase.domain.enums import FollowUpState, InterventionType
from ijmcase.domain.errors import AccessDenied, RuleViolation, ValidationError
from ijmcase.persistence.models import AuditEvent, FollowUp
from tests.conftest import Org
from tests.services.field_setup import at, draft, follow_ups, interventions, make_case


def test_my_day_lists_overdue_due_today_and_upcoming_for_the_user_only(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    today = date.today()
    long_ago = at(today - timedelta(days=40))
    for offset in (-10, 0, 3, 30):
        service.log(fc.id, draft(fc, occurred_at=long_ago, follow_up_on=today + timedelta(offset)))
    service.log(fc.id, draft(fc, occurred_at=long_ago))  # no follow-up
    day = follow_ups(org).my_day()
    assert [r.due_on for r in day.overdue] == [today - timedelta(10)]
    assert [r.due_on for r in day.due_today] == [today]
    assert [r.due_on for r in day.upcoming] == [today + timedelta(3)]
    assert day.overdue[0].days_overdue == 10
    assert day.overdue[0].survivors == (fc.survivor_code,)
    assert day.overdue[0].case_code == fc.code
    assert len(day.due) == 2
    assert len(follow_ups(org).my_day(upcoming_days=60).upcoming) == 2
    # Another caseworker's My day is their own.
    assert follow_ups(org, "caseworker2").my_day().due == ()
    # Logged by caseworker for the lawyer: it is the lawyer's follow-up.
    lawyer = org.actors["lawyer"].user_id
    service.log(fc.id, draft(fc, occurred_at=long_ago, staff_user_id=lawyer, follow_up_on=today))
    assert [r.case_code for r in follow_ups(org, "lawyer").my_day().due_today] == [fc.code]


def test_logging_the_follow_up_marks_it_done_in_one_step(org: Org) -> None:
    fc = make_case(org)
    today = date.today()
    asked = (
        interventions(org)
        .log(fc.id, draft(fc, occurred_at=at(today - timedelta(days=20)), follow_up_on=today))
        .value
    )
    assert asked.follow_up_id is not None
    service = follow_ups(org)
    start = service.follow_up_draft(asked.follow_up_id)
    assert start.type is InterventionType.PHONE_FOLLOW_UP
    assert start.people == (fc.survivor,)
    outcome = service.log_follow_up(
        asked.follow_up_id, replace(start, outcome="Reached by phone; all well")
    )
    assert outcome.changes.touches("follow_ups")
    done = service.follow_up(asked.follow_up_id)
    assert done.state is FollowUpState.DONE
    assert done.completed_by_id == outcome.value.intervention.id
    assert service.my_day().due == ()
    with pytest.raises(RuleViolation, match="already done"):
        service.log_follow_up(asked.follow_up_id, replace(start, outcome="Again"))
    with org.db.read_session() as session:
        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("follow_up.%")))
        )
    assert actions == ["follow_up.done"]


def test_a_refused_follow_up_entry_leaves_the_follow_up_open(org: Org) -> None:
    fc = make_case(org)
    asked = (
        interventions(org)
        .log(
            fc.id,
            draft(fc, occurred_at=at(date.today() - timedelta(days=5)), follow_up_on=date.today()),
        )
        .value
    )
    assert asked.follow_up_id is not None
    with pytest.raises(ValidationError):
        follow_ups(org).log_follow_up(asked.follow_up_id, draft(fc, outcome="", notes=""))
    assert follow_ups(org).follow_up(asked.follow_up_id).state is FollowUpState.OPEN


def test_reschedule_keeps_the_history_and_refuses_past_days(org: Org) -> None:
    fc = make_case(org)
    today = date.today()
    asked = (
        interventions(org)
        .log(fc.id, draft(fc, occurred_at=at(today - timedelta(days=20)), follow_up_on=today))
        .value
    )
    assert asked.follow_up_id is not None
    service = follow_ups(org)
    with pytest.raises(ValidationError, match="has passed"):
        service.reschedule(asked.follow_up_id, today - timedelta(days=1))
    with pytest.raises(ValidationError, match="already due"):
        service.reschedule(asked.follow_up_id, today)
    moved = service.reschedule(asked.follow_up_id, today + timedelta(days=2), note="Family away")
    new = moved.value
    assert new.due_on == today + timedelta(days=2) and new.state is FollowUpState.OPEN
    old = service.follow_up(asked.follow_up_id)
    assert old.state is FollowUpState.RESCHEDULED and old.replaced_by_id == new.id
    assert [r.id for r in service.my_day().upcoming] == [new.id]
    assert service.my_day().due == ()
    history = service.case_follow_ups(fc.id)
    assert [r.state for r in history] == [FollowUpState.RESCHEDULED, FollowUpState.OPEN]
    with pytest.raises(RuleViolation, match="already rescheduled"):
        service.reschedule(asked.follow_up_id, today + timedelta(days=5))


def test_cancel_needs_a_reason(org: Org) -> None:
    fc = make_case(org)
    asked = (
        interventions(org)
        .log(
            fc.id,
            draft(fc, occurred_at=at(date.today() - timedelta(days=3)), follow_up_on=date.today()),
        )
        .value
    )
    assert asked.follow_up_id is not None
    with pytest.raises(ValidationError, match="Say why"):
        follow_ups(org).cancel(asked.follow_up_id, "  ")
    row = follow_ups(org).cancel(asked.follow_up_id, "Survivor moved away").value
    assert row.state is FollowUpState.CANCELLED and row.note == "Survivor moved away"


def test_a_correction_moves_or_removes_the_same_follow_up(org: Org) -> None:
    fc = make_case(org)
    today = date.today()
    service = interventions(org)
    first = service.log(
        fc.id, draft(fc, occurred_at=at(today - timedelta(days=9)), follow_up_on=today)
    ).value
    corrected = service.revise(
        first.intervention.id,
        replace(first.intervention.draft(), follow_up_on=today + timedelta(days=4)),
    ).value
    assert corrected.follow_up_id == first.follow_up_id
    with org.db.read_session() as session:
        rows = session.scalars(select(FollowUp)).all()
    assert len(rows) == 1 and rows[0].due_on == today + timedelta(days=4)
    assert rows[0].intervention_id == corrected.intervention.id
    service.revise(
        corrected.intervention.id, replace(corrected.intervention.draft(), follow_up_on=None)
    )
    with org.db.read_session() as session:
        row = session.scalars(select(FollowUp)).one()
    assert row.state is FollowUpState.CANCELLED


def test_only_the_assignee_or_case_staff_act_on_a_follow_up(org: Org) -> None:
    fc = make_case(org)
    asked = (
        interventions(org)
        .log(
            fc.id,
            draft(fc, occurred_at=at(date.today() - timedelta(days=3)), follow_up_on=date.today()),
        )
        .value
    )
    assert asked.follow_up_id is not None
    with pytest.raises(AccessDenied):
        follow_ups(org, "caseworker2").reschedule(
            asked.follow_up_id, date.today() + timedelta(days=1)
        )
    # A director may change any case.
    row = follow_ups(org, "director").cancel(asked.follow_up_id, "Closed by supervisor").value
    assert row.state is FollowUpState.CANCELLED


def test_closed_cases_leave_my_day(org: Org) -> None:
    fc = make_case(org)
    interventions(org).log(
        fc.id,
        draft(fc, occurred_at=at(date.today() - timedelta(days=3)), follow_up_on=date.today()),
    )
    assert len(follow_ups(org).my_day().due) == 1
    with org.db.transaction() as session:
        from ijmcase.persistence.models import Case

        case = session.get(Case, fc.id)
        assert case is not None
        case.closed_on = date.today()
    assert follow_ups(org).my_day().due == ()
