"""Duplicate candidates, the People view, and merging records on both
engines: only people the user may see are offered, survivors are audited
views, merges are admin-only, audited and can be undone."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from ijmcase.domain.drafts import SurvivorDraft
from ijmcase.domain.enums import PartyKind, Role, Sensitivity
from ijmcase.domain.errors import AccessDenied, NotFound, RuleViolation, ValidationError
from ijmcase.domain.interventions import PersonRef
from ijmcase.persistence.models import (
    AuditEvent,
    CaseParty,
    Intervention,
    InterventionPerson,
    Survivor,
)
from ijmcase.services.people_records import PeopleRecordsService, PersonEntry
from ijmcase.services.person_merges import PersonMergeService
from tests.conftest import Org
from tests.services.field_setup import draft, interventions, make_case


def records(org: Org, who: str = "caseworker") -> PeopleRecordsService:
    return PeopleRecordsService(org.db, org.actors[who])


def merges(org: Org, who: str = "admin") -> PersonMergeService:
    return PersonMergeService(org.db, org.actors[who])


def survivor_entry(name: str, born: date | None = None, place: str = "Howrah") -> PersonEntry:
    return PersonEntry(PartyKind.SURVIVOR, (name,), date_of_birth=born, place=place)


def test_survivor_candidates_only_from_cases_the_user_is_assigned_to(org: Org) -> None:
    mine = make_case(org, legal_name="Priya Sharma", date_of_birth=date(2008, 2, 3))
    theirs = make_case(
        org, "caseworker2", legal_name="Priya Sharma", date_of_birth=date(2008, 2, 3)
    )
    found = records(org).duplicate_candidates(survivor_entry("Prya Sharma", date(2008, 2, 3)))
    assert [c.person_id for c in found] == [mine.survivor_id]
    top = found[0]
    assert top.label == mine.survivor_code and top.case_codes == (mine.code,)
    assert top.score >= 90 and "same date of birth" in top.reasons
    other = records(org, "caseworker2").duplicate_candidates(survivor_entry("Priya Sharma"))
    assert [c.person_id for c in other] == [theirs.survivor_id]
    # A director sees every case but no identities (none granted by default).
    assert records(org, "director").duplicate_candidates(survivor_entry("Priya Sharma")) == []
    org.people("admin").set_identity_roles({Role.DIRECTOR})
    both = records(org, "director").duplicate_candidates(survivor_entry("Priya Sharma"))
    assert {c.person_id for c in both} == {mine.survivor_id, theirs.survivor_id}
    with org.db.read_session() as session:
        views = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "survivor.identity.view",
                AuditEvent.actor_name == "caseworker",
            )
        ).all()
    assert [json.loads(v.details) for v in views] == [
        {"code": mine.survivor_code, "purpose": "duplicate check"}
    ]
    assert all("Priya" not in v.details for v in views)


def test_no_candidates_for_a_different_person_or_an_empty_name(org: Org) -> None:
    make_case(org, legal_name="Priya Sharma", date_of_birth=date(2008, 2, 3))
    assert records(org).duplicate_candidates(survivor_entry("Anjali Verma")) == []
    assert records(org).duplicate_candidates(survivor_entry("  ")) == []
    # Born decades apart elsewhere: not one person, whatever the name.
    older = survivor_entry("Priya Sharma", date(1970, 1, 1), place="Pune")
    assert records(org).duplicate_candidates(older) == []


def test_accused_and_official_candidates(org: Org) -> None:
    fc = make_case(org)
    accused = records(org).duplicate_candidates(PersonEntry(PartyKind.ACCUSED, ("Ravi Trafiker",)))
    assert [c.person_id for c in accused] == [fc.accused_id]
    assert accused[0].label.endswith("Ravi Trafficker")
    secret = make_case(org, title="Restricted", sensitivity=Sensitivity.RESTRICTED)
    # The accused of a hidden case is not offered.
    hidden = records(org, "caseworker2").duplicate_candidates(
        PersonEntry(PartyKind.ACCUSED, ("Ravi Trafficker",))
    )
    assert secret.accused_id not in {c.person_id for c in hidden}
    officials = records(org).duplicate_candidates(
        PersonEntry(PartyKind.OFFICIAL, ("Officer Dass",))
    )
    assert fc.official_id in {c.person_id for c in officials}


def test_find_people_and_their_cases(org: Org) -> None:
    fc = make_case(org)
    rows = records(org).find(fc.survivor_code.lower())
    assert [(r.kind, r.label) for r in rows] == [(PartyKind.SURVIVOR, fc.survivor_code)]
    # By legal name, for staff who may see it; shown by code.
    by_name = records(org).find("priya")
    assert [r.label for r in by_name] == [fc.survivor_code]
    assert records(org, "caseworker2").find("priya") == []
    accused = records(org).find("trafficker")
    assert [r.kind for r in accused] == [PartyKind.ACCUSED]
    assert records(org).find("officer das", kinds={PartyKind.OFFICIAL})[0].case_codes == (fc.code,)
    assert records(org).find("%") == [] and records(org).find("") == []
    cases = records(org).cases_of(PartyKind.SURVIVOR, fc.survivor_id)
    assert [c.code for c in cases] == [fc.code]


def test_merge_moves_references_and_unmerge_puts_them_back(org: Org) -> None:
    first = make_case(org, title="First case")
    second = make_case(org, title="Second case", legal_name="Priya Sharma")
    service = interventions(org)
    both = service.log(
        first.id,
        draft(first, notes="Both met"),
    ).value.intervention
    later = service.log(second.id, draft(second, notes="Second only")).value.intervention
    with pytest.raises(AccessDenied, match="cannot merge"):
        merges(org, "director").merge(
            PartyKind.SURVIVOR, first.survivor_id, second.survivor_id, "same person"
        )
    with pytest.raises(ValidationError, match="Say why"):
        merges(org).merge(PartyKind.SURVIVOR, first.survivor_id, second.survivor_id, " ")
    with pytest.raises(ValidationError, match="two different"):
        merges(org).merge(PartyKind.SURVIVOR, first.survivor_id, first.survivor_id, "x")
    view = (
        merges(org)
        .merge(PartyKind.SURVIVOR, first.survivor_id, second.survivor_id, "Same DOB and village")
        .value
    )
    assert (view.kept_label, view.merged_label) == (first.survivor_code, second.survivor_code)
    assert view.moved >= 3
    with org.db.read_session() as session:
        gone = session.get(Survivor, second.survivor_id)
        assert gone is not None and gone.deleted_at is not None
        parties = session.scalars(
            select(CaseParty.case_id).where(
                CaseParty.survivor_id == first.survivor_id, CaseParty.deleted_at.is_(None)
            )
        ).all()
        assert set(parties) == {first.id, second.id}
        moved = session.get(Intervention, later.id)
        assert moved is not None and moved.survivor_id == first.survivor_id
        assert moved.notes == "Second only"
    assert records(org).cases_of(PartyKind.SURVIVOR, first.survivor_id)
    with pytest.raises(NotFound, match="merged already"):
        merges(org).merge(PartyKind.SURVIVOR, first.survivor_id, second.survivor_id, "again")

    undone = merges(org).unmerge(view.id, "Different people after all").value
    assert undone.undone_at is not None and undone.undone_by == "admin"
    with pytest.raises(RuleViolation, match="already undone"):
        merges(org).unmerge(view.id, "twice")
    with org.db.read_session() as session:
        back = session.get(Survivor, second.survivor_id)
        assert back is not None and back.deleted_at is None
        moved = session.get(Intervention, later.id)
        assert moved is not None and moved.survivor_id == second.survivor_id
        kept = session.get(Intervention, both.id)
        assert kept is not None and kept.survivor_id == first.survivor_id
        links = session.scalars(
            select(InterventionPerson.survivor_id).where(
                InterventionPerson.intervention_id == later.id
            )
        ).all()
        assert links == [second.survivor_id]
        actions = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("person.%")).order_by(AuditEvent.seq)
        ).all()
    assert [a.action for a in actions] == ["person.merge", "person.unmerge"]
    assert all("Priya" not in a.details for a in actions)
    assert json.loads(actions[0].details)["merged"] == second.survivor_code
    assert [m.id for m in merges(org, "auditor").merges(person_id=first.survivor_id)] == [view.id]


def test_merge_in_one_case_retires_the_duplicate_link(org: Org) -> None:
    fc = make_case(org)
    second = (
        org.people("caseworker")
        .add_survivor(
            fc.id,
            SurvivorDraft("IN"),
        )
        .value
    )
    both = (
        interventions(org)
        .log(
            fc.id,
            draft(
                fc,
                people=(fc.survivor, PersonRef(PartyKind.SURVIVOR, second.id)),
            ),
        )
        .value.intervention
    )
    view = merges(org).merge(PartyKind.SURVIVOR, fc.survivor_id, second.id, "Entered twice").value
    with org.db.read_session() as session:
        parties = session.scalars(
            select(CaseParty).where(
                CaseParty.case_id == fc.id, CaseParty.kind == PartyKind.SURVIVOR
            )
        ).all()
        live = [p for p in parties if p.deleted_at is None]
        assert [p.survivor_id for p in live] == [fc.survivor_id]
        links = session.scalars(
            select(InterventionPerson).where(InterventionPerson.intervention_id == both.id)
        ).all()
        assert len([x for x in links if x.deleted_at is None]) == 1
    merges(org).unmerge(view.id, "Two sisters")
    with org.db.read_session() as session:
        live_parties = session.scalars(
            select(CaseParty.survivor_id).where(
                CaseParty.case_id == fc.id,
                CaseParty.kind == PartyKind.SURVIVOR,
                CaseParty.deleted_at.is_(None),
            )
        ).all()
    assert set(live_parties) == {fc.survivor_id, second.id}


def test_accused_merge(org: Org) -> None:
    a = make_case(org)
    b = make_case(org, title="Other")
    view = merges(org).merge(PartyKind.ACCUSED, a.accused_id, b.accused_id, "Same trafficker")
    assert view.value.kind is PartyKind.ACCUSED
    assert {r.label.split()[0] for r in records(org).find("ravi")} == {view.value.kept_label}


def test_age_and_minority_at_rescue_follow_from_the_date_of_birth(org: Org) -> None:
    from datetime import timedelta

    from ijmcase.domain.drafts import SurvivorIdentityDraft
    from ijmcase.domain.enums import AgeBand, Stage, TrackStatus
    from tests.services.field_setup import OPENED

    fc = make_case(org)
    # 17 when the case opened; rescued three months later, a week after turning 18.
    rescued = OPENED + timedelta(days=90)
    org.cases("caseworker").change_track(fc.id, Stage.RESCUE, TrackStatus.ACTIVE, on=rescued)
    born = date(rescued.year - 18, rescued.month, rescued.day) - timedelta(days=7)
    view = (
        org.people("caseworker")
        .add_survivor(
            fc.id,
            SurvivorDraft("IN"),
            SurvivorIdentityDraft("Meena Kumari", date_of_birth=born, place_of_birth="Gaya"),
        )
        .value
    )
    assert (view.age_at_intake, view.age_band, view.minor_at_rescue) == (
        17,
        AgeBand.UNDER_18,
        False,
    )
    identity = org.people("caseworker").identity(view.id)
    assert identity.place_of_birth == "Gaya"


def test_compare_two_records_for_a_merge(org: Org) -> None:
    first = make_case(org, legal_name="Priya Sharma", date_of_birth=date(2008, 2, 3))
    second = make_case(org, "caseworker2", legal_name="Prya Sharma", date_of_birth=date(2008, 2, 3))
    # Staff who may see both identities get the reasons, names quoted.
    director_sees = records(org, "director")
    org.people("admin").set_identity_roles({Role.DIRECTOR})
    shown = director_sees.compare(PartyKind.SURVIVOR, first.survivor_id, second.survivor_id)
    assert shown.score >= 90 and not shown.names_hidden
    assert any("Prya Sharma" in r for r in shown.reasons)
    assert "same date of birth" in shown.reasons
    # The admin, who may not see who they are, gets the score and no names.
    hidden = records(org, "admin").compare(
        PartyKind.SURVIVOR, first.survivor_id, second.survivor_id
    )
    assert hidden.score == shown.score and hidden.names_hidden and hidden.reasons == ()
    with org.db.read_session() as session:
        compared = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survivor.identity.compare")
        ).all()
    assert len(compared) == 4 and {e.entity_id for e in compared} == {
        str(first.survivor_id),
        str(second.survivor_id),
    }
    accused = records(org, "admin").compare(PartyKind.ACCUSED, first.accused_id, second.accused_id)
    assert accused.score == 100 and not accused.names_hidden
    with pytest.raises(NotFound):
        records(org, "admin").compare(PartyKind.SURVIVOR, first.survivor_id, first.accused_id)


def test_may_edit_survivor_follows_the_cases(org: Org) -> None:
    fc = make_case(org)
    assert org.people("caseworker").may_edit_survivor(fc.survivor_id)
    assert org.people("director").may_edit_survivor(fc.survivor_id)
    assert not org.people("caseworker2").may_edit_survivor(fc.survivor_id)
    assert not org.people("auditor").may_edit_survivor(fc.survivor_id)
