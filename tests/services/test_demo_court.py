"""The demo's court records on both engines: every accused in a case whose
accountability track started has a proceeding that the domain rules accept,
dates in step with the hearings, realistic charges, outcomes and custody,
and the court services read it all."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from ijmcase.domain.enums import (
    CaseClosureReason,
    CustodyStatus,
    PartyKind,
    ProceedingOutcome,
    Stage,
)
from ijmcase.domain.pathways import load_pathways
from ijmcase.domain.proceedings import CONVICTIONS, Charge, MilestoneRecord, check_track
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseParty,
    CompensationClaim,
    CustodyEvent,
    Hearing,
    Proceeding,
    ProtectionMeasure,
    StageTrack,
    User,
    hearing_staff,
)
from ijmcase.persistence.models import Charge as ChargeRow
from ijmcase.persistence.models import MilestoneRecord as MilestoneRow
from ijmcase.services.calendar import CalendarService
from ijmcase.services.context import Actor
from ijmcase.services.court import CourtService
from tests.services.test_demo import TODAY, Demo, build

CASES = 120


@pytest.fixture
def demo(location: DatabaseLocation) -> Iterator[Demo]:
    made = build(location, cases=CASES)
    try:
        yield made
    finally:
        made.db.dispose()


def test_every_accused_of_a_started_track_has_a_lawful_proceeding(demo: Demo) -> None:
    pathways = load_pathways()
    with demo.db.read_session() as session:
        wanted = {
            (case_id, accused_id)
            for case_id, accused_id in session.execute(
                select(CaseParty.case_id, CaseParty.accused_id)
                .join(StageTrack, StageTrack.case_id == CaseParty.case_id)
                .where(
                    CaseParty.kind == PartyKind.ACCUSED,
                    StageTrack.stage == Stage.ACCOUNTABILITY,
                    StageTrack.started_on.is_not(None),
                )
            )
        }
        proceedings = session.scalars(select(Proceeding)).all()
        assert {(p.case_id, p.accused_id) for p in proceedings} == wanted
        milestones: dict[object, list[MilestoneRecord]] = {}
        for m in session.scalars(select(MilestoneRow).order_by(MilestoneRow.seq)):
            milestones.setdefault(m.proceeding_id, []).append(
                MilestoneRecord(m.key, m.on_date, m.skipped, m.reason)
            )
        charges: dict[object, list[Charge]] = {}
        for c in session.scalars(select(ChargeRow)):
            charges.setdefault(c.proceeding_id, []).append(Charge(c.filed_on, c.status))
        for p in proceedings:
            records = milestones.get(p.id, [])
            # The order, skip, verdict, sentence and appeal rules all hold.
            check_track(
                pathways[p.pathway_key], records, charges=charges.get(p.id, []), outcome=p.outcome
            )
            assert all(r.on <= TODAY for r in records)
            assert (p.outcome is ProceedingOutcome.PENDING) == (p.outcome_on is None)
            if p.prison_months is not None or p.life_sentence or p.fine_amount is not None:
                assert p.outcome in CONVICTIONS
        # No hearing of a proceeding comes before its first charge.
        for h in session.scalars(select(Hearing).where(Hearing.proceeding_id.is_not(None))):
            filed = [c.filed_on for c in charges.get(h.proceeding_id, [])]
            if filed:
                assert h.scheduled_at.astimezone(ZoneInfo(h.timezone)).date() >= min(filed)


def test_outcomes_charges_and_custody_read_like_real_ones(demo: Demo) -> None:
    with demo.db.read_session() as session:
        outcomes = Counter(session.scalars(select(Proceeding.outcome)))
        assert outcomes[ProceedingOutcome.CONVICTED] > outcomes[ProceedingOutcome.PLEA] > 0
        assert outcomes[ProceedingOutcome.ACQUITTED] > 0 and outcomes[ProceedingOutcome.PENDING] > 0
        statutes = {
            (country, statute)
            for country, statute in session.execute(
                select(Case.country, ChargeRow.statute)
                .join(Proceeding, Proceeding.id == ChargeRow.proceeding_id)
                .join(Case, Case.id == Proceeding.case_id)
            )
        }
        by_country = {c: {s for cc, s in statutes if cc == c} for c, _ in statutes}
        assert any("RA 9208" in s or "RA 11930" in s for s in by_country.get("PH", set()))
        assert any(
            s.startswith(("Indian Penal Code", "Bharatiya Nyaya Sanhita", "Bonded Labour"))
            or "Sexual Offences" in s
            for s in by_country.get("IN", set())
        )
        # The accused's status is the latest custody event's.
        latest: dict[uuid.UUID, tuple[date, CustodyStatus]] = {}
        for accused_id, on, status in session.execute(
            select(Proceeding.accused_id, CustodyEvent.on_date, CustodyEvent.status)
            .join(CustodyEvent, CustodyEvent.proceeding_id == Proceeding.id)
            .order_by(CustodyEvent.on_date, CustodyEvent.created_at)
        ):
            latest[accused_id] = (on, status)
        for held, (_, status) in latest.items():
            accused = session.get(Accused, held)
            assert accused is not None and accused.custody_status is status
        # Judges sit, staff attend, survivors testify under protection, claims are made.
        hearings = session.scalar(select(func.count()).select_from(Hearing)) or 0
        judged = session.scalar(
            select(func.count()).select_from(Hearing).where(Hearing.judge_id.is_not(None))
        )
        assert judged == hearings > 0
        assert session.scalar(select(func.count()).select_from(hearing_staff))
        testified = session.scalars(
            select(Hearing).where(Hearing.survivor_testifies.is_(True))
        ).all()
        assert testified
        assert all(h.testifying_survivor_id is not None for h in testified)
        assert any(h.protection_measure_id is not None for h in testified)
        assert session.scalar(select(func.count()).select_from(ProtectionMeasure))
        assert session.scalar(select(func.count()).select_from(CompensationClaim))


def test_the_court_services_read_the_demo(demo: Demo) -> None:
    with demo.db.read_session() as session:
        case_id = session.scalar(
            select(Proceeding.case_id)
            .join(Case, Case.id == Proceeding.case_id)
            .where(Case.closure_reason.is_distinct_from(CaseClosureReason.DUPLICATE))
            .order_by(Proceeding.created_at)
            .limit(1)
        )
    assert case_id is not None
    director = _actor(demo, "director")
    views = CourtService(demo.db, director).proceedings(case_id)
    assert views and all(v.pathway_name for v in views)
    calendar = CalendarService(demo.db, director)
    calendar.attention(mine=False)
    calendar.items(TODAY, TODAY.replace(year=TODAY.year + 1))


def _actor(demo: Demo, username: str) -> Actor:
    with demo.db.read_session() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor(user.id, user.username, user.display_name, user.role)


def test_same_seed_gives_the_same_court_record(tmp_path: Path) -> None:
    def record(path: Path) -> list[tuple[object, ...]]:
        made = build(DatabaseLocation("sqlcipher", path=path), cases=40)
        try:
            with made.db.read_session() as session:
                return [
                    tuple(r)
                    for r in session.execute(
                        select(Case.code, Accused.code, MilestoneRow.key, MilestoneRow.on_date)
                        .join(Proceeding, Proceeding.id == MilestoneRow.proceeding_id)
                        .join(Case, Case.id == Proceeding.case_id)
                        .join(Accused, Accused.id == Proceeding.accused_id)
                        .order_by(Case.code, Accused.code, MilestoneRow.seq)
                    )
                ]
        finally:
            made.db.dispose()

    first = record(tmp_path / "a.db")
    assert first and first == record(tmp_path / "b.db")
