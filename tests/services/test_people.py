"""Survivors' identities are seen only by assigned staff and granted roles,
and every look (or refused look) is audited; both engines."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ijmcase.domain.drafts import (
    AccusedDraft,
    CaseDraft,
    InstitutionDraft,
    OfficialDraft,
    SurvivorDraft,
    SurvivorIdentityDraft,
)
from ijmcase.domain.enums import (
    AccusedRole,
    AgeBand,
    AssignmentRole,
    InstitutionKind,
    OfficialRole,
    PartyKind,
    PartyRole,
    Role,
    Sex,
    ViolenceType,
)
from ijmcase.domain.errors import AccessDenied, ValidationError
from ijmcase.persistence.models import AuditEvent
from ijmcase.services.cases import CaseDetail
from tests.conftest import Org

NAME = "प्रिया शर्मा"  # Devanagari must survive the round trip


def _case(org: Org) -> CaseDetail:
    return (
        org.cases("caseworker")
        .create(
            CaseDraft(
                "Sex trafficking, Kolkata", ViolenceType.SEX_TRAFFICKING, "IN", date(2025, 5, 1)
            )
        )
        .value
    )


def test_identity_visible_to_assigned_staff_only_and_audited(org: Org) -> None:
    case = _case(org)
    survivor = (
        org.people("caseworker")
        .add_survivor(
            case.id,
            SurvivorDraft("IN", Sex.FEMALE, age_at_intake=16),
            SurvivorIdentityDraft(NAME, phone="+91 98300 00000", date_of_birth=date(2009, 1, 2)),
        )
        .value
    )
    assert survivor.code == "S-IN-0001"
    assert survivor.minor_at_rescue is True and survivor.age_band is AgeBand.UNDER_18

    seen = org.people("caseworker").identity(survivor.id)
    assert seen.legal_name == NAME
    for who in ("director", "auditor", "caseworker2", "lawyer"):
        with pytest.raises(AccessDenied, match="Only staff assigned"):
            org.people(who).identity(survivor.id)
    assert not org.people("director").can_see_identity(survivor.id)

    with org.db.transaction(write=False) as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor_name)
            .where(AuditEvent.action.like("survivor.identity.%"))
            .order_by(AuditEvent.seq)
        ).all()
    assert events == [
        ("survivor.identity.view", "caseworker"),
        ("survivor.identity.denied", "director"),
        ("survivor.identity.denied", "auditor"),
        ("survivor.identity.denied", "caseworker2"),
        ("survivor.identity.denied", "lawyer"),
    ]
    # No identifying value is written into the audit log itself.
    with org.db.transaction(write=False) as session:
        details = " ".join(session.scalars(select(AuditEvent.details)))
    assert NAME not in details and "98300" not in details


def test_granted_role_sees_identities(org: Org) -> None:
    case = _case(org)
    survivor = (
        org.people("caseworker")
        .add_survivor(
            case.id,
            SurvivorDraft("IN", Sex.MALE, age_at_intake=30),
            SurvivorIdentityDraft("Ravi Kumar"),
        )
        .value
    )
    with pytest.raises(AccessDenied):
        org.people("director").set_identity_roles({Role.DIRECTOR})
    org.people("admin").set_identity_roles({Role.DIRECTOR})
    assert org.people("director").identity(survivor.id).legal_name == "Ravi Kumar"
    with pytest.raises(AccessDenied):
        org.people("auditor").identity(survivor.id)


def test_survivor_validation(org: Org) -> None:
    case = _case(org)
    with pytest.raises(ValidationError) as err:
        org.people("caseworker").add_survivor(
            case.id,
            SurvivorDraft("IN", age_at_intake=15, minor_at_rescue=False),
            SurvivorIdentityDraft(" "),
        )
    assert {p.field for p in err.value.problems} == {"minor_at_rescue"}
    with pytest.raises(ValidationError, match="legal name"):
        org.people("caseworker").add_survivor(
            case.id, SurvivorDraft("IN"), SurvivorIdentityDraft(" ")
        )


def test_accused_and_officials_join_the_case(org: Org) -> None:
    case = _case(org)
    people = org.people("lawyer")
    with pytest.raises(AccessDenied):
        people.add_accused(case.id, AccusedDraft("X", "IN"))
    org.cases("director").assign(case.id, org.actors["lawyer"].user_id, AssignmentRole.LAWYER)
    accused = people.add_accused(
        case.id, AccusedDraft("Mohan Das", "IN", AccusedRole.BROTHEL_KEEPER)
    ).value
    assert accused.code == "A-IN-0001"
    court = people.add_institution(
        InstitutionDraft("City Sessions Court, Kolkata", InstitutionKind.COURT, "IN")
    ).value
    judge = people.add_official(
        OfficialDraft("Hon. S. Banerjee", OfficialRole.JUDGE, court.id)
    ).value
    assert judge.institution_name == "City Sessions Court, Kolkata"
    people.link_official(case.id, judge.id, PartyRole.JUDGE)
    detail = org.cases("lawyer").get(case.id)
    kinds = sorted(p.kind.value for p in detail.parties)
    assert kinds == [PartyKind.ACCUSED.value, PartyKind.OFFICIAL.value]
