"""The demo organization's field records on both engines: the demo login's
My day is not empty, consents and people in interventions are there and
obey the rules, and search finds words of the demo notes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from ijmcase.domain.enums import ConsentGiver, ConsentScope, FollowUpState, Role
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.models import (
    Consent,
    FollowUp,
    Intervention,
    InterventionPerson,
    Survivor,
    SurvivorIdentity,
    User,
)
from ijmcase.services.context import Actor
from ijmcase.services.followups import FollowUpService
from ijmcase.services.search import SearchService
from ijmcase.services.timeline import TimelineService
from tests.services.test_demo import TODAY, Demo, build


@pytest.fixture
def demo(location: DatabaseLocation) -> Iterator[Demo]:
    made = build(location, cases=40)
    try:
        yield made
    finally:
        made.db.dispose()


def actor(demo: Demo, username: str) -> Actor:
    with demo.db.read_session() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return Actor(user.id, user.username, user.display_name, user.role)


def test_the_demo_caseworker_has_follow_ups_due_today_and_overdue(demo: Demo) -> None:
    me = actor(demo, "caseworker")
    day = FollowUpService(demo.db, me).my_day(on=TODAY)
    assert day.due_today and day.overdue
    for row in day.due:
        assert row.assigned_to_id == me.user_id and row.case_code
    with demo.db.read_session() as session:
        states = dict(
            session.execute(select(FollowUp.state, func.count()).group_by(FollowUp.state)).all()
        )
        # Every follow-up belongs to the current version of an intervention
        # whose follow-up date it carries (or carried, before it moved).
        for follow_up, asked in session.execute(
            select(FollowUp, Intervention.follow_up_on).join(
                Intervention, Intervention.id == FollowUp.intervention_id
            )
        ):
            assert asked is not None
            if follow_up.state is FollowUpState.DONE:
                assert follow_up.completed_by_id is not None
            if follow_up.state is FollowUpState.RESCHEDULED:
                assert follow_up.replaced_by_id is not None
    assert states.get(FollowUpState.OPEN, 0) > 0


def test_consents_and_people_in_interventions(demo: Demo) -> None:
    with demo.db.read_session() as session:
        survivors = session.scalar(select(func.count()).select_from(Survivor))
        services = session.scalar(
            select(func.count()).where(Consent.scope == ConsentScope.SERVICES)
        )
        assert services == survivors
        for consent, survivor in session.execute(
            select(Consent, Survivor).join(Survivor, Survivor.id == Consent.survivor_id)
        ):
            assert consent.given_on <= TODAY
            assert consent.withdrawn_on is None or consent.withdrawn_on > consent.given_on
            if consent.given_by is ConsentGiver.GUARDIAN:
                assert survivor.minor_at_rescue and consent.child_assent is not None
        # Rows written without the ORM read back through it.
        for link in session.scalars(select(InterventionPerson)):
            assert link.created_at.tzinfo is not None and link.kind is not None
        linked = session.scalar(select(func.count()).select_from(InterventionPerson))
        with_survivor = session.scalar(
            select(func.count()).where(Intervention.survivor_id.is_not(None))
        )
        assert linked is not None and with_survivor is not None and linked >= with_survivor
        places = session.scalars(select(SurvivorIdentity.place_of_birth)).all()
        assert all(places)


def test_search_finds_demo_notes_and_the_timeline_reads(demo: Demo) -> None:
    me = actor(demo, "director")
    assert me.role is Role.DIRECTOR
    result = SearchService(demo.db, me).search("counselling")
    assert result.hits
    hit = result.hits[0]
    assert "[[" in hit.title + hit.snippet
    entries = TimelineService(demo.db, me).timeline(hit.case_id)
    assert entries and entries == sorted(entries, key=lambda e: e.at)
