"""The case timeline on both engines: interventions, stage changes and
hearings in order, filters, and earlier versions of corrected entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ijmcase.domain.enums import InterventionType, Stage, TrackStatus
from ijmcase.domain.errors import NotFound
from ijmcase.persistence.models import Hearing
from ijmcase.services.timeline import EntryKind
from tests.conftest import Org
from tests.services.field_setup import OPENED, at, draft, interventions, make_case, timeline


def test_timeline_orders_all_kinds_and_filters(org: Org) -> None:
    fc = make_case(org)
    cases = org.cases("caseworker")
    cases.change_track(fc.id, Stage.RESCUE, TrackStatus.ACTIVE, on=OPENED + timedelta(days=1))
    service = interventions(org)
    intake = service.log(
        fc.id,
        draft(
            fc,
            type=InterventionType.INTAKE_INTERVIEW,
            stage=Stage.RESCUE,
            occurred_at=at(OPENED + timedelta(days=1), 14),
        ),
    ).value.intervention
    visit = service.log(
        fc.id, draft(fc, occurred_at=at(OPENED + timedelta(days=30)))
    ).value.intervention
    with org.db.transaction() as session:
        hearing = Hearing(
            case_id=fc.id,
            court_name="Sessions Court, Kolkata",
            scheduled_at=datetime(2025, 5, 20, 4, 30, tzinfo=UTC),
            timezone="Asia/Kolkata",
            purpose="Framing of charges",
        )
        session.add(hearing)
    entries = timeline(org).timeline(fc.id)
    assert [(e.kind, e.stage) for e in entries] == [
        (EntryKind.STAGE_CHANGE, Stage.RESCUE),
        (EntryKind.INTERVENTION, Stage.RESCUE),
        (EntryKind.HEARING, Stage.ACCOUNTABILITY),
        (EntryKind.INTERVENTION, Stage.AFTERCARE),
    ]
    assert entries[0].title == "Rescue (victim relief): not started → active"
    assert not entries[0].has_time and entries[0].on == OPENED + timedelta(days=1)
    assert entries[1].ref_id == intake.id and entries[1].title == "Intake interview"
    assert entries[2].title == "Hearing: Framing of charges"
    assert entries[3].intervention is not None and entries[3].intervention.id == visit.id

    rescue = timeline(org).timeline(fc.id, stages={Stage.RESCUE})
    assert [e.kind for e in rescue] == [EntryKind.STAGE_CHANGE, EntryKind.INTERVENTION]
    visits = timeline(org).timeline(
        fc.id, types={InterventionType.HOME_VISIT}, kinds={EntryKind.INTERVENTION}
    )
    assert [e.ref_id for e in visits] == [visit.id]
    hearings = timeline(org).timeline(fc.id, kinds={EntryKind.HEARING})
    assert [e.kind for e in hearings] == [EntryKind.HEARING]


def test_corrected_interventions_show_once_with_their_earlier_versions_on_request(
    org: Org,
) -> None:
    fc = make_case(org)
    service = interventions(org)
    first = service.log(fc.id, draft(fc, notes="v1")).value.intervention
    second = service.revise(first.id, replace(first.draft(), notes="v2")).value.intervention
    third = service.revise(second.id, replace(second.draft(), notes="v3")).value.intervention
    entries = timeline(org).timeline(fc.id)
    assert [(e.ref_id, e.versions, e.version_number) for e in entries] == [(third.id, 3, 3)]
    every = timeline(org).timeline(fc.id, include_versions=True)
    assert [(e.version_number, e.superseded) for e in every] == [
        (1, True),
        (2, True),
        (3, False),
    ]
    assert [e.intervention.notes for e in every if e.intervention] == ["v1", "v2", "v3"]


def test_timeline_of_a_hidden_case_is_not_found(org: Org) -> None:
    from ijmcase.domain.enums import Sensitivity

    secret = make_case(org, sensitivity=Sensitivity.RESTRICTED)
    with pytest.raises(NotFound):
        timeline(org, "caseworker2").timeline(secret.id)


def test_case_history_tells_the_field_events_by_code(org: Org) -> None:
    from ijmcase.domain.consent import ConsentDraft
    from ijmcase.domain.enums import ConsentScope
    from ijmcase.services.history import HistoryService
    from tests.services.field_setup import consent

    fc = make_case(org)
    service = interventions(org)
    first = service.log(
        fc.id, draft(fc, occurred_at=at(OPENED + timedelta(days=2)))
    ).value.intervention
    service.revise(first.id, replace(first.draft(), notes="Fixed"))
    consent(org).record(fc.survivor_id, ConsentDraft(ConsentScope.COURT_USE, OPENED))
    lines = [
        e.summary for e in HistoryService(org.db, org.actors["caseworker"]).case_history(fc.id)
    ]
    assert lines[:3] == [
        f"Consent to use in court of {fc.survivor_code} recorded",
        "Home visit on 2025-05-03 (aftercare) corrected: notes",
        "Home visit on 2025-05-03 (aftercare) logged",
    ]
