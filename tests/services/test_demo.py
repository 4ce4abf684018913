"""The demo organization: counts, determinism, and data the services accept."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ijmcase.domain.drafts import UserDraft, age_on
from ijmcase.domain.enums import PartyKind, Role, Stage, TrackStatus
from ijmcase.domain.errors import ConflictError
from ijmcase.persistence.audit import verify_chain
from ijmcase.persistence.base import Base
from ijmcase.persistence.database import (
    SETTING_DEMO,
    SETTING_ORGANIZATION,
    Database,
    get_setting,
)
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.models import (
    Accused,
    AuditEvent,
    Case,
    CaseAssignment,
    CaseParty,
    Hearing,
    Institution,
    Intervention,
    Office,
    PartnerOfficial,
    StageTrack,
    StageTransition,
    Survivor,
    SurvivorIdentity,
    User,
)
from ijmcase.services.auth import initialize, login
from ijmcase.services.cases import CaseService
from ijmcase.services.context import Actor
from ijmcase.services.demo import DEMO_ORGANIZATION, DemoSummary, populate_demo
from tests.conftest import FAST_KDF

TODAY = date(2026, 11, 21)
PASSWORD = "demo"
CASES = 30


@dataclass
class Demo:
    db: Database
    summary: DemoSummary
    admin_id: uuid.UUID


def build(location: DatabaseLocation, *, seed: int = 7, cases: int = CASES) -> Demo:
    result = initialize(
        location,
        UserDraft("admin", "Demo Admin", Role.ADMIN, PASSWORD),
        organization="Demo",
        demo=True,
        kdf=FAST_KDF,
    )
    summary = populate_demo(
        result.db,
        cases=cases,
        seed=seed,
        password=PASSWORD,
        admin_id=result.actor.user_id,
        today=TODAY,
    )
    return Demo(result.db, summary, result.actor.user_id)


@pytest.fixture
def demo(location: DatabaseLocation) -> Iterator[Demo]:
    made = build(location)
    try:
        yield made
    finally:
        made.db.dispose()


def count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def fingerprint(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """The content of a build without its time-based ids."""
    with db.read_session() as session:
        cases = session.execute(
            select(Case.code, Case.title, Case.summary, Case.opened_on, Case.closed_on)
        ).all()
        tracks = session.execute(
            select(Case.code, StageTrack.stage, StageTrack.status, StageTrack.started_on)
            .join(StageTrack, StageTrack.case_id == Case.id)
            .order_by(Case.code, StageTrack.stage)
        ).all()
        people = session.execute(
            select(Survivor.code, SurvivorIdentity.legal_name, SurvivorIdentity.date_of_birth)
            .join(SurvivorIdentity)
            .order_by(Survivor.code)
        ).all()
        notes = session.execute(
            select(Case.code, Intervention.type, Intervention.occurred_at, Intervention.notes)
            .join(Case, Case.id == Intervention.case_id)
            .order_by(Case.code, Intervention.occurred_at, Intervention.notes)
        ).all()
        hearings = session.execute(
            select(Case.code, Hearing.scheduled_at, Hearing.purpose, Hearing.outcome)
            .join(Case, Case.id == Hearing.case_id)
            .order_by(Case.code, Hearing.scheduled_at)
        ).all()
    return {
        "cases": sorted(tuple(r) for r in cases),
        "tracks": [tuple(r) for r in tracks],
        "people": [tuple(r) for r in people],
        "notes": [tuple(r) for r in notes],
        "hearings": [tuple(r) for r in hearings],
    }


def test_counts_match_the_summary_and_the_audit_event(demo: Demo) -> None:
    s = demo.summary
    with demo.db.read_session() as session:
        assert count(session, Case) == s.cases == CASES
        assert count(session, Survivor) == count(session, SurvivorIdentity) == s.survivors
        assert count(session, Accused) == s.accused
        assert count(session, PartnerOfficial) == s.officials
        assert count(session, Institution) == s.institutions
        assert count(session, Intervention) == s.interventions
        assert count(session, Hearing) == s.hearings
        assert count(session, User) == len(s.users)
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "demo.generate")
        ).one()
        assert event.actor_id == demo.admin_id
        assert '"seed":7' in event.details
        assert f'"cases":{CASES}' in event.details
        assert verify_chain(session).ok
    assert s.survivors >= s.cases
    assert s.interventions > 5 * s.cases


def test_every_stored_value_reads_back_through_the_models(demo: Demo) -> None:
    """Rows are written without the ORM; loading them checks every enum,
    UUID and date the fast path wrote is what the column types expect."""
    with demo.db.read_session() as session:
        for model in (
            User,
            Office,
            Institution,
            PartnerOfficial,
            Case,
            StageTrack,
            StageTransition,
            CaseAssignment,
            Survivor,
            SurvivorIdentity,
            Accused,
            CaseParty,
            Intervention,
            Hearing,
        ):
            rows = session.scalars(select(model)).all()
            assert rows, model.__name__
            for row in rows:
                assert row.created_at.tzinfo is UTC
                # The admin made by initialize() was updated once since.
                assert row.version == 1 or row.id == demo.admin_id


def test_same_seed_and_today_give_the_same_content(tmp_path: Path) -> None:
    builds = [
        build(DatabaseLocation("sqlcipher", path=tmp_path / name / "demo.db"), seed=seed)
        for name, seed in (("a", 3), ("b", 3), ("c", 4))
    ]
    try:
        first, again, other = (fingerprint(b.db) for b in builds)
        assert first == again
        assert first["cases"] != other["cases"]
        assert builds[0].summary.cases == builds[1].summary.cases
    finally:
        for b in builds:
            b.db.dispose()


def test_tracks_are_complete_consistent_and_closed_cases_are_settled(demo: Demo) -> None:
    with demo.db.read_session() as session:
        cases = session.scalars(select(Case)).all()
        for case in cases:
            assert sorted(t.stage for t in case.tracks) == sorted(Stage)
            for track in case.tracks:
                if track.started_on is not None:
                    assert track.started_on >= case.opened_on
                if track.completed_on is not None:
                    assert track.started_on is not None
                    assert track.completed_on >= track.started_on
                if track.status is TrackStatus.COMPLETED:
                    assert track.completed_on is not None and track.outcome_note
            if case.closed_on is not None:
                assert case.closure_reason is not None
                assert all(t.status is not TrackStatus.ACTIVE for t in case.tracks)
                ends = [t.completed_on for t in case.tracks if t.completed_on]
                assert all(case.closed_on >= end for end in ends)
            else:
                assert case.closure_reason is None
        # The history ends where each track is now.
        for track in session.scalars(select(StageTrack)):
            moves = session.scalars(
                select(StageTransition)
                .where(StageTransition.track_id == track.id)
                .order_by(StageTransition.recorded_at)
            ).all()
            if track.status is TrackStatus.NOT_STARTED:
                assert moves == []
            else:
                assert moves[0].from_status is TrackStatus.NOT_STARTED
                assert moves[-1].to_status is track.status
                for earlier, later in itertools.pairwise(moves):
                    assert earlier.to_status is later.from_status
                    assert earlier.effective_on <= later.effective_on
                    assert earlier.recorded_at < later.recorded_at


def test_nothing_happened_in_the_future(demo: Demo) -> None:
    horizon = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    with demo.db.read_session() as session:
        latest_day = [
            session.scalar(select(func.max(Case.opened_on))),
            session.scalar(select(func.max(Case.closed_on))),
            session.scalar(select(func.max(StageTrack.started_on))),
            session.scalar(select(func.max(StageTrack.completed_on))),
            session.scalar(select(func.max(StageTransition.effective_on))),
        ]
        assert all(day is None or day <= TODAY for day in latest_day)
        for column in (
            Case.created_at,
            StageTransition.created_at,
            StageTransition.recorded_at,
            Intervention.created_at,
            Intervention.occurred_at,
            Survivor.created_at,
            Hearing.created_at,
        ):
            latest = session.scalar(select(func.max(column)))
            assert latest is not None and latest < horizon, column
        for iv in session.scalars(select(Intervention)):
            assert iv.created_at > iv.occurred_at  # logged after it happened
            if iv.supersedes_id is not None:
                original = session.get(Intervention, iv.supersedes_id)
                assert original is not None and original.created_at < iv.created_at
        for hearing in session.scalars(select(Hearing)):
            if hearing.scheduled_at >= horizon:
                assert hearing.outcome is None and hearing.next_date is None
            else:
                assert hearing.outcome is not None
            if hearing.previous_hearing_id is not None:
                previous = session.get(Hearing, hearing.previous_hearing_id)
                assert previous is not None and previous.scheduled_at < hearing.scheduled_at
        upcoming = session.scalar(
            select(func.count()).select_from(Hearing).where(Hearing.scheduled_at >= horizon)
        )
        assert upcoming


def test_survivors_ages_match_their_birth_dates(demo: Demo) -> None:
    with demo.db.read_session() as session:
        rows = session.execute(
            select(Survivor, SurvivorIdentity.date_of_birth, Case.opened_on)
            .join(SurvivorIdentity)
            .join(CaseParty, CaseParty.survivor_id == Survivor.id)
            .join(Case, Case.id == CaseParty.case_id)
        ).all()
        assert rows
        for survivor, born, opened in rows:
            assert survivor.age_at_intake is not None
            assert survivor.minor_at_rescue is (survivor.age_at_intake < 18)
            if born is not None:
                assert age_on(born, opened) == survivor.age_at_intake


def test_staff_logins_and_assignments(demo: Demo, location: DatabaseLocation) -> None:
    roles = dict(demo.summary.users)
    assert {r.value for r in Role} <= set(roles.values())
    for name in ("director", "lawyer", "caseworker", "auditor", "admin"):
        assert roles[name] == name
    with demo.db.read_session() as session:
        ids = {u.username: u.id for u in session.scalars(select(User))}
        assert set(ids) == set(roles)
        assigned = session.execute(
            select(
                CaseAssignment.user_id, func.count(func.distinct(CaseAssignment.case_id))
            ).group_by(CaseAssignment.user_id)
        ).all()
        per_user = {user_id: n for user_id, n in assigned}
        assert 0 < per_user.get(ids["caseworker"], 0) < CASES
        assert 0 < per_user.get(ids["lawyer"], 0) < CASES
        for never in ("director", "auditor", "admin"):
            assert ids[never] not in per_user
        leads = session.execute(select(Case.lead_caseworker_id, Case.lead_lawyer_id)).all()
        assert all(cw is not None and law is not None for cw, law in leads)
        assert get_setting(session, SETTING_DEMO) is True
        assert get_setting(session, SETTING_ORGANIZATION) == DEMO_ORGANIZATION
        parties = {kind for (kind,) in session.execute(select(CaseParty.kind).distinct())}
        assert parties == set(PartyKind)
    if location.kind == "sqlcipher":
        # Every staff account got a key wrap: the demo logins work.
        demo.db.dispose()
        result = login(location, "caseworker", PASSWORD, kdf=FAST_KDF)
        try:
            assert result.actor.role is Role.CASEWORKER
        finally:
            result.db.dispose()


def test_the_case_service_reads_the_demo(demo: Demo) -> None:
    with demo.db.read_session() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        first = session.scalars(select(Case.id).order_by(Case.code).limit(1)).one()

    def actor(name: str) -> Actor:
        user = users[name]
        return Actor(user.id, user.username, user.display_name, user.role)

    director = CaseService(demo.db, actor("director"))
    assert director.count() == CASES
    detail = director.get(first)
    assert [t.stage for t in detail.tracks] == list(Stage)
    # A caseworker sees every case but the restricted ones they do not work on.
    assert 0 < CaseService(demo.db, actor("caseworker")).count() <= CASES


def test_progress_is_reported_per_chunk(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = initialize(
        DatabaseLocation("sqlcipher", path=tmp_path / "demo.db"),
        UserDraft("admin", "Demo Admin", Role.ADMIN, PASSWORD),
        demo=True,
        kdf=FAST_KDF,
    )
    try:
        summary = populate_demo(
            result.db,
            cases=5,
            seed=1,
            password=PASSWORD,
            admin_id=result.actor.user_id,
            progress=lambda done, total: seen.append((done, total)),
            today=TODAY,
        )
    finally:
        result.db.dispose()
    assert seen == [(5, 5)]
    assert summary.cases == 5
    assert summary.seconds > 0


def test_refuses_a_database_that_is_not_empty(demo: Demo) -> None:
    with pytest.raises(ConflictError):
        populate_demo(
            demo.db, cases=1, seed=1, password=PASSWORD, admin_id=demo.admin_id, today=TODAY
        )
    with demo.db.read_session() as session:
        assert count(session, Case) == CASES
