"""Case service on both engines: codes, validation, tracks, closing, access, listing."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ijmcase.domain.codes import case_code
from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import (
    AssignmentRole,
    CaseClosureReason,
    RiskLevel,
    Sensitivity,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.domain.errors import (
    AccessDenied,
    ConflictError,
    NotFound,
    RuleViolation,
    ValidationError,
)
from ijmcase.persistence.audit import verify_chain
from ijmcase.persistence.models import AuditEvent, Case, StageTransition
from ijmcase.services.cases import CaseFilter
from tests.conftest import Org

OPENED = date(2026, 3, 2)


def draft(**changes: object) -> CaseDraft:
    base: dict[str, object] = {
        "title": "Brick kiln bonded labour, Tiruvallur",
        "violence_type": ViolenceType.FORCED_LABOUR,
        "country": "IN",
        "opened_on": OPENED,
        "jurisdiction": "Tamil Nadu / Tiruvallur",
    }
    base.update(changes)
    return CaseDraft(**base)  # type: ignore[arg-type]


def test_create_gives_sequential_codes_four_tracks_and_lead(org: Org) -> None:
    cw = org.cases("caseworker")
    first = cw.create(draft()).value
    second = cw.create(draft(title="Second")).value
    ph = cw.create(draft(country="ph", violence_type=ViolenceType.OSEC)).value
    assert (first.code, second.code, ph.code) == ("IN-2026-0001", "IN-2026-0002", "PH-2026-0001")
    assert [t.stage for t in first.tracks] == list(Stage)
    assert all(t.status is TrackStatus.NOT_STARTED for t in first.tracks)
    # Whoever opens a case works on it.
    assert first.lead_caseworker_id == org.actors["caseworker"].user_id
    assert [a.role_on_case for a in first.assignments] == [AssignmentRole.LEAD_CASEWORKER]
    assert first.can_edit


def test_create_validates_every_field_at_once(org: Org) -> None:
    with pytest.raises(ValidationError) as err:
        org.cases("caseworker").create(
            draft(title="  ", country="XX", opened_on=date.today() + timedelta(days=3))
        )
    fields = {p.field for p in err.value.problems}
    assert fields == {"title", "country", "opened_on"}
    assert "future" in err.value.for_field("opened_on")[0].message


def test_auditor_cannot_create(org: Org) -> None:
    with pytest.raises(AccessDenied, match="auditor cannot open cases"):
        org.cases("auditor").create(draft())


def test_track_moves_allowed_refused_and_recorded(org: Org) -> None:
    cw = org.cases("caseworker")
    case = cw.create(draft()).value
    started = OPENED + timedelta(days=1)
    case = cw.change_track(case.id, Stage.RESCUE, TrackStatus.ACTIVE, on=started).value
    assert case.track(Stage.RESCUE).started_on == started
    with pytest.raises(RuleViolation, match="cannot go from not started to completed"):
        cw.change_track(case.id, Stage.AFTERCARE, TrackStatus.COMPLETED, on=OPENED)
    with pytest.raises(RuleViolation, match="needs an outcome"):
        cw.change_track(case.id, Stage.RESCUE, TrackStatus.COMPLETED, on=OPENED)
    with pytest.raises(RuleViolation, match="before it started"):
        cw.change_track(
            case.id,
            Stage.RESCUE,
            TrackStatus.COMPLETED,
            on=OPENED,
            outcome="Rescued 11 workers",
        )
    with pytest.raises(RuleViolation, match="before the case was opened"):
        cw.change_track(case.id, Stage.PREVENTION, TrackStatus.ACTIVE, on=OPENED - timedelta(1))
    case = cw.change_track(
        case.id,
        Stage.RESCUE,
        TrackStatus.COMPLETED,
        on=OPENED + timedelta(days=2),
        outcome="Rescued 11 workers",
    ).value
    rescue = case.track(Stage.RESCUE)
    assert (rescue.status, rescue.completed_on, rescue.outcome_note) == (
        TrackStatus.COMPLETED,
        OPENED + timedelta(days=2),
        "Rescued 11 workers",
    )
    with pytest.raises(RuleViolation, match="needs a reason"):
        cw.change_track(case.id, Stage.PREVENTION, TrackStatus.NOT_APPLICABLE)
    history = cw.track_history(case.id)
    assert [(h.stage, h.to_status) for h in history] == [
        (Stage.RESCUE, TrackStatus.ACTIVE),
        (Stage.RESCUE, TrackStatus.COMPLETED),
    ]
    assert history[0].by == "Chitra Caseworker"
    refusal = cw.explain_track_refusal(case, Stage.AFTERCARE, TrackStatus.COMPLETED)
    assert refusal is not None and "only a track that is active" in refusal


def test_close_needs_no_active_track_and_reopen_restores(org: Org) -> None:
    cw, director = org.cases("caseworker"), org.cases("director")
    case = cw.create(draft()).value
    cw.change_track(case.id, Stage.RESCUE, TrackStatus.ACTIVE, on=OPENED)
    with pytest.raises(AccessDenied):
        cw.close(case.id, CaseClosureReason.ALL_TRACKS_COMPLETED)
    with pytest.raises(RuleViolation, match="while a stage track is active: rescue"):
        director.close(case.id, CaseClosureReason.ALL_TRACKS_COMPLETED)
    cw.change_track(case.id, Stage.RESCUE, TrackStatus.COMPLETED, on=OPENED, outcome="Safe")
    with pytest.raises(ValidationError, match="before it opened"):
        director.close(case.id, CaseClosureReason.TRANSFERRED, on=OPENED - timedelta(days=1))
    closed = director.close(case.id, CaseClosureReason.TRANSFERRED, on=OPENED).value
    assert closed.closed_on == OPENED and all(not t.allowed for t in closed.tracks)
    with pytest.raises(RuleViolation, match="The case is closed"):
        cw.change_track(case.id, Stage.AFTERCARE, TrackStatus.ACTIVE)
    with pytest.raises(ValidationError):
        director.reopen(case.id, "  ")
    reopened = director.reopen(case.id, "New evidence").value
    assert reopened.closed_on is None and reopened.closure_reason is None


def test_update_detects_a_concurrent_change(org: Org) -> None:
    cw, director = org.cases("caseworker"), org.cases("director")
    case = cw.create(draft()).value
    director.update(case.id, draft(title="Renamed by the director"), expected_version=case.version)
    with pytest.raises(ConflictError, match="changed by someone else"):
        cw.update(case.id, draft(title="Stale edit"), expected_version=case.version)
    assert cw.get(case.id).title == "Renamed by the director"


def test_update_refuses_country_change_and_unassigned_editor(org: Org) -> None:
    case = org.cases("caseworker").create(draft()).value
    with pytest.raises(ValidationError, match="part of its code"):
        org.cases("caseworker").update(case.id, draft(country="KE"), expected_version=case.version)
    with pytest.raises(AccessDenied, match="Only staff assigned"):
        org.cases("caseworker2").update(case.id, draft(title="x"), expected_version=case.version)


def test_restricted_case_hidden_from_unassigned_staff(org: Org) -> None:
    case = org.cases("caseworker").create(draft(sensitivity=Sensitivity.RESTRICTED)).value
    other = org.cases("caseworker2")
    with pytest.raises(NotFound):
        other.get(case.id)
    with pytest.raises(NotFound):
        other.find_by_code(case.code)
    assert other.count() == 0
    assert org.cases("director").get(case.id).code == case.code
    assert org.cases("auditor").count() == 1
    org.cases("director").assign(
        case.id, org.actors["caseworker2"].user_id, AssignmentRole.CASEWORKER
    )
    assert other.get(case.id).code == case.code


def test_list_filters_sorts_and_pages_in_sql(org: Org) -> None:
    cw = org.cases("caseworker")
    for i in range(7):
        cw.create(draft(title=f"Kiln {i}", opened_on=OPENED + timedelta(days=i)))
    ph = (
        org.cases("lawyer")
        .create(
            draft(country="PH", title="Livestream abuse, Cebu", violence_type=ViolenceType.OSEC)
        )
        .value
    )
    everyone = org.cases("director")
    assert everyone.count() == 8
    assert everyone.count(CaseFilter(country="ph")) == 1
    assert everyone.count(CaseFilter(violence_type=ViolenceType.OSEC)) == 1
    assert everyone.count(CaseFilter(text="KILN")) == 7
    assert everyone.count(CaseFilter(text="100%_")) == 0  # LIKE wildcards are literal
    assert cw.count(CaseFilter(assigned_to_me=True)) == 7
    page = everyone.page(
        CaseFilter(text="kiln", sort="opened_on", descending=False), offset=2, limit=3
    )
    assert [r.title for r in page] == ["Kiln 2", "Kiln 3", "Kiln 4"]
    org.cases("lawyer").change_track(ph.id, Stage.RESCUE, TrackStatus.ACTIVE, on=OPENED)
    active = everyone.page(CaseFilter(stage=Stage.RESCUE, stage_status=TrackStatus.ACTIVE))
    assert [r.code for r in active] == [ph.code]
    assert active[0].status_of(Stage.RESCUE) is TrackStatus.ACTIVE


def test_every_write_is_audited_in_one_chain(org: Org) -> None:
    cw = org.cases("caseworker")
    case = cw.create(draft()).value
    cw.change_track(case.id, Stage.RESCUE, TrackStatus.ACTIVE, on=OPENED)
    with org.db.transaction(write=False) as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.case_id == case.id).order_by(AuditEvent.seq)
        ).all()
        assert actions == ["case.create", "track.change"]
        assert session.scalar(select(StageTransition.reason)) == ""
        assert verify_chain(session).ok


def _many_cases(org: Org, n: int) -> None:
    """``n`` bare open cases written in one go: enough rows that the full id
    list takes SQLite many progress-handler intervals (the service's create
    would take minutes for thousands)."""
    admin = org.actors["admin"].user_id
    with org.db.transaction() as session:
        session.add_all(
            Case(
                code=case_code("IN", 2024, i + 1),
                title=f"Bulk case {i}",
                violence_type=ViolenceType.FORCED_LABOUR,
                country="IN",
                opened_on=date(2024, 1, 1) + timedelta(days=i % 700),
                risk_level=RiskLevel.MEDIUM,
                sensitivity=Sensitivity.STANDARD,
                created_by=admin,
                updated_by=admin,
            )
            for i in range(n)
        )


def test_ids_cancelled_is_optional_on_both_engines(org: Org) -> None:
    _many_cases(org, 300)
    everyone = org.cases("director")
    flt = CaseFilter(text="bulk", sort="opened_on", descending=True)
    plain = everyone.ids(flt)
    assert len(plain) == 300
    assert everyone.ids(flt, cancelled=lambda: False) == plain
    assert everyone.ids(flt, limit=10, cancelled=lambda: False) == plain[:10]


def test_ids_stops_when_cancelled_and_leaves_no_handler_behind(file_org: Org) -> None:
    _many_cases(file_org, 3000)
    everyone = file_org.cases("director")
    flt = CaseFilter(sort="opened_on", descending=True)
    plain = everyone.ids(flt)
    assert len(plain) == 3000

    asked = 0

    def not_yet() -> bool:
        nonlocal asked
        asked += 1
        return False

    assert everyone.ids(flt, cancelled=not_yet) == plain
    looks = asked
    assert looks >= 2  # the handler really ran, more than once: the rest means something

    stops = 0

    def stop() -> bool:
        nonlocal stops
        stops += 1
        return True

    # Stopped at the first look: no answer, and no error either.
    assert everyone.ids(flt, cancelled=stop) is None
    assert stops == 1

    # Stopped half-way through the query.
    asked = 0

    def later() -> bool:
        nonlocal asked
        asked += 1
        return asked > looks // 2

    assert everyone.ids(flt, cancelled=later) is None
    assert asked == looks // 2 + 1
    # The connections went back to the pool without the handlers: a leftover
    # one would be asked (counting up) and would interrupt these queries.
    asked = 0
    for _ in range(10):
        assert everyone.ids(flt) == plain
        assert everyone.count(flt) == 3000
    assert (stops, asked) == (1, 0)


def test_write_during_a_stopped_ids_query_is_kept(file_org: Org) -> None:
    _many_cases(file_org, 3000)
    everyone = file_org.cases("director")
    flt = CaseFilter(sort="opened_on", descending=True)
    written: list[str] = []

    def write_then_stop() -> bool:
        # Another thread saves a case while the list query is running (WAL:
        # the reader does not block the writer); then the list is abandoned.
        if not written:
            worker = threading.Thread(
                target=lambda: written.append(
                    file_org.cases("caseworker").create(draft()).value.code
                )
            )
            worker.start()
            worker.join(30)
        return True

    assert everyone.ids(flt, cancelled=write_then_stop) is None
    assert written == ["IN-2026-0001"]
    ids = everyone.ids(flt)
    assert len(ids) == 3001
    assert everyone.find_by_code("IN-2026-0001").id in ids
