"""The demo organization's aftercare and prevention records: present, valid
for the services that read them, consistent with the rules, deterministic,
and without changing the rest of the demo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentType,
    ClosureStatus,
    ConsentScope,
    Role,
)
from ijmcase.persistence.base import Base
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.models import (
    AftercareClosure,
    Assessment,
    AssessmentInstrument,
    AssessmentScore,
    AuditEvent,
    CarePlanGoal,
    Case,
    Engagement,
    EngagementAttendee,
    EngagementInstitution,
    EngagementRoleCount,
    GovernmentLedCase,
    Referral,
    ServiceDelivered,
    Survivor,
    User,
)
from ijmcase.services.assessments import AssessmentService
from ijmcase.services.consent import find_current_consent
from ijmcase.services.context import Actor
from ijmcase.services.demo_care import CareDemo
from ijmcase.services.prevention import PreventionService
from tests.services.test_demo import TODAY, Demo, build, fingerprint

CASES = 80


@pytest.fixture
def demo(location: DatabaseLocation) -> Iterator[Demo]:
    made = build(location, seed=11, cases=CASES)
    try:
        yield made
    finally:
        made.db.dispose()


def actor(demo: Demo, username: str) -> Actor:
    with demo.db.read_session() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        return Actor(user.id, user.username, user.display_name, user.role)


def count(demo: Demo, model: type[Base]) -> int:
    with demo.db.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_every_kind_of_record_is_there_and_reads_back(demo: Demo) -> None:
    models: list[type[Base]] = [
        AssessmentInstrument,
        Assessment,
        AssessmentScore,
        AftercareClosure,
        CarePlanGoal,
        ServiceDelivered,
        Referral,
        Engagement,
        EngagementInstitution,
        EngagementAttendee,
        EngagementRoleCount,
        GovernmentLedCase,
    ]
    horizon = datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC)
    with demo.db.read_session() as session:
        for model in models:
            rows = session.scalars(select(model)).all()
            assert rows, model.__name__
            for row in rows:
                assert row.created_at.tzinfo is UTC and row.created_at < horizon  # type: ignore[attr-defined]
        assert count(demo, AssessmentScore) == 20 * count(demo, Assessment)
        for day in (
            session.scalar(select(func.max(Assessment.assessed_on))),
            session.scalar(select(func.max(AftercareClosure.closed_on))),
            session.scalar(select(func.max(Referral.referred_on))),
            session.scalar(select(func.max(Engagement.held_on))),
        ):
            assert day is not None and day < TODAY
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "demo.generate")
        ).one()
        details = json.loads(event.details)
        assert details["assessments"] == count(demo, Assessment)
        assert details["referrals"] == count(demo, Referral)


def test_the_services_accept_the_demo(demo: Demo) -> None:
    director = actor(demo, "director")
    assessments = AssessmentService(demo.db, director)
    with demo.db.read_session() as session:
        cases = session.scalars(
            select(Assessment.case_id).distinct().order_by(Assessment.case_id)
        ).all()
        restored = session.scalars(
            select(AftercareClosure).where(
                AftercareClosure.reason == AftercareClosureReason.RESTORED,
                AftercareClosure.status == ClosureStatus.CLOSED,
            )
        ).all()
        director_id = session.scalars(select(User.id).where(User.role == Role.DIRECTOR)).one()
        referrals = session.scalars(select(Referral)).all()
        for r in referrals:
            consent = find_current_consent(
                session, r.survivor_id, ConsentScope.SHARING, r.institution_id, on=r.referred_on
            )
            assert consent is not None and consent.id == r.consent_id
    views = {v.id: v for case_id in cases for v in assessments.for_case(case_id)}
    assert views and all(not v.instrument_changed for v in views.values())
    for closure in restored:
        assert closure.approved_by == director_id and closure.assessment_id is not None
        closing = views[closure.assessment_id]
        assert closing.type is AssessmentType.CLOSURE and closing.meets_threshold
        assert 0 <= (closure.closed_on - closing.assessed_on).days <= 90
    # Scores improve for most survivors assessed more than once.
    firsts: dict[tuple[object, object], list[float]] = {}
    for v in sorted(views.values(), key=lambda v: v.assessed_on):
        mean = sum(float(d.mean) for d in v.domains) / len(v.domains)
        firsts.setdefault((v.case_id, v.survivor_id), []).append(mean)
    trends = [m[-1] > m[0] for m in firsts.values() if len(m) > 1]
    assert trends and sum(trends) / len(trends) > 0.6


def test_the_demo_caseworker_has_assessments_due_and_overdue(demo: Demo) -> None:
    # Half a year ahead: in a demo this small, some are due that soon, some overdue.
    due = AssessmentService(demo.db, actor(demo, "caseworker")).due(on=TODAY, within_days=183)
    assert any(d.overdue for d in due) and any(not d.overdue for d in due)
    assert all(d.days_overdue < 200 for d in due)
    view = PreventionService(demo.db, actor(demo, "director")).view()
    assert sum(r.officials_trained_total for r in view) > 0
    assert sum(r.government_led_cases for r in view) == count(demo, GovernmentLedCase)


def test_the_rest_of_the_demo_is_the_same_without_these_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_care = build(DatabaseLocation("sqlcipher", path=tmp_path / "a" / "d.db"), cases=30)
    again = build(DatabaseLocation("sqlcipher", path=tmp_path / "b" / "d.db"), cases=30)
    monkeypatch.setattr(CareDemo, "case", lambda self, *args: None)
    monkeypatch.setattr(CareDemo, "reference", lambda self, *args: None)
    without = build(DatabaseLocation("sqlcipher", path=tmp_path / "c" / "d.db"), cases=30)
    try:
        assert fingerprint(with_care.db) == fingerprint(without.db)
        assert care_content(with_care) == care_content(again)
        assert count(without, Assessment) == 0 < count(with_care, Assessment)
    finally:
        for made in (with_care, again, without):
            made.db.dispose()


def care_content(demo: Demo) -> list[tuple[object, ...]]:
    with demo.db.read_session() as session:
        return [
            tuple(r)
            for r in session.execute(
                select(Case.code, Survivor.code, Assessment.assessed_on, Assessment.type)
                .join(Case, Case.id == Assessment.case_id)
                .join(Survivor, Survivor.id == Assessment.survivor_id)
                .order_by(Case.code, Survivor.code, Assessment.assessed_on, Assessment.type)
            )
        ]


def test_demo_dates_are_before_today(demo: Demo) -> None:
    with demo.db.read_session() as session:
        latest = session.scalar(select(func.max(CarePlanGoal.achieved_on)))
        assert latest is None or latest <= TODAY - timedelta(days=1)
