"""Trainings and engagements, government-led cases and the prevention view
per jurisdiction on both engines, with the case-processing times read from
the lawyers' court records."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ijmcase.domain.drafts import AccusedDraft
from ijmcase.domain.enums import (
    EngagementKind,
    OfficialRole,
    ProceedingOutcome,
    ReportingStage,
    Sensitivity,
)
from ijmcase.domain.errors import AccessDenied, ConflictError, NotFound, ValidationError
from ijmcase.domain.prevention import EngagementDraft
from ijmcase.persistence.models import (
    AuditEvent,
    Charge,
    Engagement,
    MilestoneRecord,
    Proceeding,
)
from ijmcase.services.prevention import NO_COURT_DATA, PreventionService
from tests.conftest import Org
from tests.services.care_setup import OPENED, TODAY, care_case, institution, official

PLACE = "Tiruvallur, Tamil Nadu"


def prevention(org: Org, who: str = "caseworker") -> PreventionService:
    return PreventionService(org.db, org.actors[who])


def training(**changes: object) -> EngagementDraft:
    base: dict[str, object] = {
        "kind": EngagementKind.TRAINING,
        "held_on": TODAY - timedelta(days=20),
        "topic": "Victim-centred investigation of bonded labour",
        "country": "in",
        "jurisdiction": f"  {PLACE} ",
        "facilitators": "Legal team, Chennai",
        "materials": "Slides; SOP booklet",
    }
    base.update(changes)
    return EngagementDraft(**base)  # type: ignore[arg-type]


def test_a_training_with_named_and_counted_attendees(org: Org) -> None:
    station = institution(org, "Tiruvallur Police Station")
    si = official(org, "Inspector Ravi", OfficialRole.POLICE_OFFICER, station)
    pp = official(org, "Ms. Lakshmi", OfficialRole.PROSECUTOR)
    made = prevention(org).record_engagement(
        training(
            institution_ids=(station,),
            attendee_ids=(si, pp),
            role_counts={OfficialRole.POLICE_OFFICER: 25, OfficialRole.LABOUR_OFFICER: 3},
        )
    )
    view = made.value
    assert made.changes.touches("engagements")
    assert (view.country, view.jurisdiction) == ("IN", PLACE)
    assert view.institutions == ((station, "Tiruvallur Police Station"),)
    assert [(a.name, a.role, a.institution) for a in view.attendees] == [
        ("Inspector Ravi", OfficialRole.POLICE_OFFICER, "Tiruvallur Police Station"),
        ("Ms. Lakshmi", OfficialRole.PROSECUTOR, ""),
    ]
    assert view.total_attendees == 30 and view.recorded_by == "Chitra Caseworker"
    assert [e.id for e in prevention(org, "auditor").engagements(country="IN")] == [view.id]
    with org.db.read_session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "engagement.record")
        ).one()
        details = json.loads(event.details)
        assert details["attendees"] == 30 and "Ravi" not in event.details


def test_a_training_with_no_attendees_and_other_bad_input(org: Org) -> None:
    with pytest.raises(ValidationError) as err:
        prevention(org).record_engagement(training())
    assert [(p.field, p.code) for p in err.value.problems] == [("attendees", "no_attendees")]
    assert "number of officials by role" in err.value.message
    with pytest.raises(ValidationError) as err:
        prevention(org).record_engagement(
            training(
                topic=" ",
                country="XX",
                held_on=TODAY + timedelta(days=1),
                role_counts={OfficialRole.JUDGE: -2},
            )
        )
    assert {p.field for p in err.value.problems} == {
        "topic",
        "country",
        "held_on",
        "role_counts.judge",
    }
    with pytest.raises(ValidationError, match="officials who are on file"):
        prevention(org).record_engagement(training(attendee_ids=(uuid.uuid4(),)))
    with pytest.raises(ValidationError, match="Choose an institution"):
        prevention(org).record_engagement(
            training(institution_ids=(uuid.uuid4(),), role_counts={OfficialRole.JUDGE: 1})
        )
    with pytest.raises(AccessDenied):
        prevention(org, "auditor").record_engagement(training(role_counts={OfficialRole.JUDGE: 1}))
    with org.db.read_session() as session:
        assert session.scalars(select(Engagement)).all() == []


def test_retiring_an_engagement(org: Org) -> None:
    view = prevention(org).record_engagement(training(role_counts={OfficialRole.SDM: 2})).value
    with pytest.raises(ValidationError):
        prevention(org).retire_engagement(view.id, "")
    prevention(org).retire_engagement(view.id, "Entered twice")
    assert prevention(org).engagements() == []
    with pytest.raises(NotFound):
        prevention(org).engagement(view.id)


def test_government_led_cases(org: Org) -> None:
    case = care_case(org)
    police = institution(org, "AHTU Chennai")
    marked = prevention(org).mark_government_led(
        case.case_id, lead_institution_id=police, on=OPENED, note="Raid led by the AHTU"
    )
    assert marked.value.lead_institution == "AHTU Chennai"
    assert prevention(org).government_led(case.case_id) == marked.value
    with pytest.raises(ConflictError, match="already marked"):
        prevention(org).mark_government_led(case.case_id)
    other = care_case(org)
    with pytest.raises(ValidationError, match="before case"):
        prevention(org).mark_government_led(other.case_id, on=OPENED - timedelta(days=1))
    with pytest.raises(AccessDenied):
        prevention(org, "caseworker2").mark_government_led(other.case_id)
    prevention(org).unmark_government_led(case.case_id, "Our team started it after all")
    assert prevention(org).government_led(case.case_id) is None
    with pytest.raises(NotFound):
        prevention(org).unmark_government_led(case.case_id, "again")
    again = prevention(org).mark_government_led(case.case_id, on=TODAY).value
    assert again.marked_on == TODAY and again.lead_institution == ""


def _proceeding(
    org: Org,
    case_id: uuid.UUID,
    reported: date | None,
    charged: date | None,
    verdict: date | None,
    court: uuid.UUID | None = None,
    *,
    who: str = "caseworker",
) -> None:
    """Court records as the lawyers' service writes them (only what the view reads)."""
    accused = org.people(who).add_accused(case_id, AccusedDraft("Kiln owner", "IN")).value
    with org.db.transaction() as session:
        p = Proceeding(
            case_id=case_id,
            accused_id=accused.id,
            court_id=court,
            pathway_key="IN",
            pathway_name="India",
            outcome=ProceedingOutcome.CONVICTED if verdict else ProceedingOutcome.PENDING,
            outcome_on=verdict,
        )
        session.add(p)
        session.flush()
        if reported is not None:
            session.add(
                MilestoneRecord(
                    proceeding_id=p.id,
                    seq=1,
                    key="fir",
                    label="FIR",
                    stage=ReportingStage.REPORTED,
                    on_date=reported,
                )
            )
        if charged is not None:
            session.add(
                Charge(proceeding_id=p.id, statute="BLSA", filed_on=charged, status="filed")
            )


def test_the_prevention_view_per_jurisdiction(org: Org) -> None:
    here = care_case(org)
    care_case(org, jurisdiction="Nashik, Maharashtra")
    hidden = care_case(org, "caseworker2", sensitivity=Sensitivity.RESTRICTED)
    si = official(org, "Inspector Ravi", OfficialRole.POLICE_OFFICER)
    service = prevention(org)
    service.record_engagement(
        training(attendee_ids=(si,), role_counts={OfficialRole.POLICE_OFFICER: 10})
    )
    service.record_engagement(
        training(attendee_ids=(si,), held_on=TODAY - timedelta(days=5))
    )  # the same inspector again: counted once
    service.record_engagement(
        training(kind=EngagementKind.CASE_CONFERENCE, role_counts={OfficialRole.PROSECUTOR: 4})
    )
    service.mark_government_led(here.case_id)
    prevention(org, "caseworker2").mark_government_led(hidden.case_id)
    court = institution(org, "Sessions Court, Tiruvallur")
    _proceeding(
        org, here.case_id, OPENED, OPENED + timedelta(days=30), OPENED + timedelta(300), court
    )
    _proceeding(org, here.case_id, OPENED, OPENED + timedelta(days=61), None, court)
    _proceeding(org, hidden.case_id, OPENED, OPENED + timedelta(days=1000), None, who="caseworker2")

    rows = {(r.country, r.jurisdiction): r for r in service.view(country="IN")}
    mine = rows[("IN", PLACE)]
    assert mine.engagements == 3
    assert dict(mine.by_kind) == {EngagementKind.TRAINING: 2, EngagementKind.CASE_CONFERENCE: 1}
    assert [(r.role, r.named, r.counted) for r in mine.officials_trained] == [
        (OfficialRole.POLICE_OFFICER, 1, 10)
    ]
    assert mine.officials_trained_total == 11
    assert mine.government_led_cases == 1
    assert mine.processing is not None and mine.processing_note == ""
    # Two proceedings in the visible case; the restricted case's is not counted.
    assert mine.processing.proceedings == 2
    assert mine.processing.report_to_charge.median_days == Decimal("45.5")
    assert mine.processing.report_to_charge.count == 2
    assert mine.processing.charge_to_verdict.median_days == 270
    assert [c.court for c in mine.processing.by_court] == ["Sessions Court, Tiruvallur"]
    # A jurisdiction with cases but no court records says "no data yet".
    only = service.view(country="IN", jurisdiction="Nashik, Maharashtra")
    assert len(only) == 1 and only[0].processing is None
    assert only[0].processing_note == NO_COURT_DATA and only[0].engagements == 0
    # The director sees the restricted case too.
    director = {(r.country, r.jurisdiction): r for r in prevention(org, "director").view()}
    assert director[("IN", PLACE)].processing.proceedings == 3  # type: ignore[union-attr]
    # Counted only where the reader may see the case.
    assert mine.government_led_cases == 1
    assert director[("IN", PLACE)].government_led_cases == 2
    # A period filters engagements by when they were held.
    recent = service.view(country="IN", from_on=TODAY - timedelta(days=10))
    assert {(r.jurisdiction, r.engagements) for r in recent if r.engagements} == {(PLACE, 1)}
