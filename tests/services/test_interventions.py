"""Logging interventions on both engines: validation, warnings that do not
block historic entry, any Unicode, append-only corrections and their history,
access, and the entry form's defaults."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from ijmcase.domain.drafts import MAX_NOTE
from ijmcase.domain.enums import InterventionType, PartyKind, Sensitivity, Stage
from ijmcase.domain.errors import AccessDenied, ConflictError, NotFound, ValidationError
from ijmcase.domain.interventions import InterventionDraft, PersonRef
from ijmcase.persistence.models import AuditEvent, Intervention, InterventionPerson
from tests.conftest import Org
from tests.services.field_setup import OPENED, at, draft, interventions, make_case

UNICODE_NOTE = (
    "प्रिया ने स्कूल जाना शुरू किया। "  # Devanagari
    "ក្មេងស្រីបានត្រឡប់ទៅសាលារៀនវិញ។ "  # Khmer
    "เด็กหญิงกลับไปโรงเรียนแล้ว "  # Thai
    "عادت الفتاة إلى المدرسة. "  # Arabic
    "👩‍👧 🎒✨ "  # emoji with a zero-width joiner
    "e\u0301 ﬁ ß"  # a combining accent, a ligature, sharp s
)


def test_log_saves_people_staff_and_an_audit_event_without_the_notes(org: Org) -> None:
    fc = make_case(org)
    people = (fc.survivor, PersonRef(PartyKind.OFFICIAL, fc.official_id))
    outcome = interventions(org).log(fc.id, draft(fc, people=people, notes="Secret detail X"))
    logged = outcome.value
    view = logged.intervention
    assert outcome.changes.touches("interventions") and fc.id in outcome.changes.case_ids
    assert view.case_code == fc.code and view.version_number == 1 and view.is_current
    assert [(p.kind, p.label) for p in view.people] == [
        (PartyKind.SURVIVOR, fc.survivor_code),
        (PartyKind.OFFICIAL, "Officer Das"),
    ]
    assert view.staff_user_id == org.actors["caseworker"].user_id
    assert view.staff_name == "Chitra Caseworker"
    assert logged.warnings == ()
    with org.db.read_session() as session:
        row = session.get(Intervention, view.id)
        assert row is not None and row.survivor_id == fc.survivor_id
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intervention.log")
        ).one()
    details = json.loads(event.details)
    assert details["type"] == "home_visit" and details["people"] == 2
    assert "Secret" not in event.details and "Priya" not in event.details


def test_empty_mandatory_fields_are_refused_all_at_once(org: Org) -> None:
    fc = make_case(org)
    empty = InterventionDraft(type=None, stage=None, occurred_at=None, outcome=" ", notes="\n")
    with pytest.raises(ValidationError) as err:
        interventions(org).log(fc.id, empty)
    assert {p.field for p in err.value.problems} == {"type", "stage", "occurred_at", "outcome"}
    assert "Write what happened" in err.value.for_field("outcome")[0].message
    with org.db.read_session() as session:
        assert session.scalars(select(Intervention)).first() is None


def test_bad_values_are_refused_with_messages(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    with pytest.raises(ValidationError) as err:
        service.log(
            fc.id,
            draft(
                fc,
                duration_minutes=0,
                occurred_at=datetime(2025, 6, 1, 10),  # naive
                location="x" * 201,
                notes="pasted\x00text",
            ),
        )
    codes = {(p.field, p.code) for p in err.value.problems}
    assert codes == {
        ("duration_minutes", "out_of_range"),
        ("occurred_at", "no_time_zone"),
        ("location", "too_long"),
        ("notes", "bad_characters"),
    }
    with pytest.raises(ValidationError, match="before the intervention itself"):
        service.log(fc.id, draft(fc, follow_up_on=OPENED))
    with pytest.raises(ValidationError, match="broken character"):
        service.log(fc.id, draft(fc, notes="half a pair \ud83d here"))


def test_a_note_of_100000_characters_is_kept_whole_and_one_more_is_refused(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    long_note = ("Долгий разговор; " * 10_000)[:MAX_NOTE]
    view = service.log(fc.id, draft(fc, notes=long_note)).value.intervention
    assert service.get(view.id).notes == long_note
    with pytest.raises(ValidationError) as err:
        service.log(fc.id, draft(fc, notes=long_note + "!"))
    assert err.value.problems[0].message == (
        "The note is 100,001 characters; the limit is 100,000."
    )


def test_any_unicode_round_trips(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    view = service.log(
        fc.id,
        draft(fc, notes=UNICODE_NOTE, outcome="स्कूल में दाखिला 🎉", location="ភ្នំពេញ"),
    ).value.intervention
    again = service.get(view.id)
    assert (again.notes, again.outcome, again.location) == (
        UNICODE_NOTE,
        "स्कूल में दाखिला 🎉",
        "ភ្នំពេញ",
    )


def test_future_and_pre_opening_dates_warn_but_are_saved(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    future = datetime.now(UTC) + timedelta(days=3)
    logged = service.log(fc.id, draft(fc, occurred_at=future)).value
    assert [w.code for w in logged.warnings] == ["future_date"]
    assert "in the future" in logged.warnings[0].message
    historic = service.log(fc.id, draft(fc, occurred_at=at(date(2019, 1, 5)))).value
    assert [w.code for w in historic.warnings] == ["before_case_opened"]
    assert "2025-05-01" in historic.warnings[0].message
    # The opening day itself, early morning in a zone ahead of UTC, is not "before".
    same_day = datetime(2025, 4, 30, 20, tzinfo=UTC)  # 01:30 on 1 May in India
    assert service.log(fc.id, draft(fc, occurred_at=same_day)).value.warnings == ()
    assert len(service.for_case(fc.id)) == 3
    with org.db.read_session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intervention.log")
        ).first()
    assert event is not None and '"warnings":["future_date"]' in event.details


def test_check_reports_problems_and_warnings_without_saving(org: Org) -> None:
    fc = make_case(org)
    stranger = PersonRef(PartyKind.SURVIVOR, fc.accused_id)  # not a survivor in the case
    result = interventions(org).check(
        fc.id, draft(fc, people=(stranger,), occurred_at=at(date(2020, 1, 1)))
    )
    assert not result.ok
    assert [p.code for p in result.problems] == ["not_in_case"]
    assert [w.code for w in result.warnings] == ["before_case_opened"]
    assert interventions(org).for_case(fc.id) == []


def test_people_must_be_in_the_case(org: Org) -> None:
    fc = make_case(org)
    other = make_case(org, title="Another case")
    with pytest.raises(ValidationError, match="not in case"):
        interventions(org).log(fc.id, draft(fc, people=(other.survivor,)))


def test_revise_adds_a_version_and_keeps_the_old_one(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    first = service.log(fc.id, draft(fc, notes="First words.")).value.intervention
    changed = InterventionDraft(
        **{**first.draft().__dict__, "notes": "Corrected words.", "duration_minutes": 90}
    )
    second = service.revise(first.id, changed).value.intervention
    assert second.supersedes_id == first.id and second.version_number == 2
    versions = service.versions(first.id)
    assert [(v.notes, v.version_number, v.is_current) for v in versions] == [
        ("First words.", 1, False),
        ("Corrected words.", 2, True),
    ]
    assert service.versions(second.id) == versions
    assert [v.id for v in service.for_case(fc.id)] == [second.id]
    assert len(service.for_case(fc.id, include_superseded=True)) == 2
    with pytest.raises(ConflictError, match="corrected by someone else"):
        service.revise(first.id, changed)
    with org.db.read_session() as session:
        old = session.get(Intervention, first.id)
        assert old is not None and old.notes == "First words." and old.version == 1
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intervention.revise")
        ).one()
        links = session.scalars(
            select(InterventionPerson).where(InterventionPerson.intervention_id == second.id)
        ).all()
    details = json.loads(event.details)
    assert details["supersedes"] == str(first.id)
    assert details["changed"] == ["duration_minutes", "notes"]
    assert len(links) == 1


def test_who_may_log(org: Org) -> None:
    fc = make_case(org)
    with pytest.raises(AccessDenied, match="cannot log interventions"):
        interventions(org, "auditor").log(fc.id, draft(fc))
    with pytest.raises(AccessDenied, match="cannot log interventions"):
        interventions(org, "director").log(fc.id, draft(fc))
    with pytest.raises(AccessDenied, match="Only staff assigned"):
        interventions(org, "caseworker2").log(fc.id, draft(fc))
    secret = make_case(org, title="Restricted", sensitivity=Sensitivity.RESTRICTED)
    view = interventions(org).log(secret.id, draft(secret)).value.intervention
    with pytest.raises(NotFound):
        interventions(org, "caseworker2").get(view.id)
    with pytest.raises(NotFound):
        interventions(org, "caseworker2").for_case(secret.id)


def test_staff_member_may_be_another_colleague_but_not_an_auditor(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    lawyer = org.actors["lawyer"].user_id
    view = service.log(fc.id, draft(fc, staff_user_id=lawyer)).value.intervention
    assert view.staff_name == "Luis Lawyer"
    with pytest.raises(ValidationError, match="active staff member"):
        service.log(fc.id, draft(fc, staff_user_id=org.actors["auditor"].user_id))
    choices = {c.username for c in service.staff_choices(fc.id)}
    assert choices == {"caseworker"}


def test_last_entry_defaults_come_from_the_users_latest_intervention(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    assert service.last_entry_defaults() is None
    service.log(fc.id, draft(fc, type=InterventionType.COUNSELLING, location="Office"))
    service.log(
        fc.id,
        draft(
            fc,
            type=InterventionType.SCHOOL_ENROLMENT,
            stage=Stage.AFTERCARE,
            location="Government school",
            duration_minutes=45,
        ),
    )
    defaults = service.last_entry_defaults()
    assert defaults is not None
    assert (defaults.case_code, defaults.type, defaults.location, defaults.duration_minutes) == (
        fc.code,
        InterventionType.SCHOOL_ENROLMENT,
        "Government school",
        45,
    )
    assert [p.label for p in defaults.people] == [fc.survivor_code]
    # Another user's entries are not theirs.
    assert interventions(org, "lawyer").last_entry_defaults() is None
    picks = service.people_choices(fc.id)
    assert [p.kind for p in picks] == [PartyKind.SURVIVOR, PartyKind.ACCUSED, PartyKind.OFFICIAL]


def test_an_entry_being_typed_survives_in_the_encrypted_draft_store(file_org: Org) -> None:
    from ijmcase.domain.interventions import entry_form_key, from_payload, to_payload
    from ijmcase.persistence.drafts_store import DraftStore

    org = file_org
    fc = make_case(org)
    typed = draft(
        fc,
        notes=UNICODE_NOTE * 500,
        follow_up_on=date(2025, 6, 1),
        staff_user_id=org.actors["lawyer"].user_id,
    )
    store = DraftStore.for_database(org.db, org.actors["caseworker"].user_id)
    key = entry_form_key(fc.id)
    store.save(key, to_payload(typed, case_id=fc.id))
    # The file on disk holds none of the words.
    for file in store.folder.iterdir():
        assert "प्रिया".encode() not in file.read_bytes()
    payload = DraftStore.for_database(org.db, org.actors["caseworker"].user_id).load(key)
    assert payload is not None
    restored, case_id = from_payload(payload)
    assert (restored, case_id) == (typed, fc.id)
    # Saved for real, then the draft goes.
    interventions(org).log(fc.id, restored)
    store.discard(key)
    assert store.load(key) is None


def test_a_damaged_payload_gives_back_what_it_can() -> None:
    from ijmcase.domain.interventions import from_payload

    restored, case_id = from_payload(
        {
            "type": "no_such_type",
            "stage": "aftercare",
            "occurred_at": "yesterday",
            "duration_minutes": "60",
            "people": [["survivor", "not-a-uuid"], "junk"],
            "notes": "The words typed so far",
            "case_id": 42,
        }
    )
    assert restored.notes == "The words typed so far"
    assert restored.stage is Stage.AFTERCARE
    assert (restored.type, restored.occurred_at, restored.duration_minutes) == (None, None, None)
    assert restored.people == () and case_id is None
