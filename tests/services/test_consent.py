"""Consent on both engines: recording, what is current, withdrawal, the
refusal message other areas show, child assent, and access."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from ijmcase.domain.consent import ConsentDraft
from ijmcase.domain.enums import ConsentGiver, ConsentScope, Sensitivity
from ijmcase.domain.errors import AccessDenied, NotFound, RuleViolation, ValidationError
from ijmcase.persistence.models import AuditEvent
from ijmcase.services.consent import require_current_consent
from tests.conftest import Org
from tests.services.field_setup import consent, make_case

TODAY = date.today()


def test_current_consent_by_scope_and_organization(org: Org) -> None:
    fc = make_case(org, date_of_birth=date(1990, 1, 1))
    service = consent(org)
    assert service.current_consent(fc.survivor_id, ConsentScope.SERVICES) is None
    services = service.record(
        fc.survivor_id, ConsentDraft(ConsentScope.SERVICES, TODAY - timedelta(days=30))
    ).value
    found = service.current_consent(fc.survivor_id, ConsentScope.SERVICES)
    assert found is not None and found.id == services.id
    assert found.survivor_code == fc.survivor_code
    # Not current before the day it was given.
    assert (
        service.current_consent(
            fc.survivor_id, ConsentScope.SERVICES, on=TODAY - timedelta(days=31)
        )
        is None
    )
    sharing = service.record(
        fc.survivor_id,
        ConsentDraft(ConsentScope.SHARING, TODAY, organization_id=fc.institution_id),
    ).value
    assert sharing.organization.startswith("Shelter ")
    assert service.current_consent(
        fc.survivor_id, ConsentScope.SHARING, organization=fc.institution_id
    )
    # The same organization named in words (any case and spacing) is covered too.
    by_name = service.current_consent(
        fc.survivor_id, ConsentScope.SHARING, organization=f"  {sharing.organization.upper()} "
    )
    assert by_name is not None and by_name.id == sharing.id
    assert (
        service.current_consent(fc.survivor_id, ConsentScope.SHARING, organization="Other NGO")
        is None
    )
    service.record(
        fc.survivor_id,
        ConsentDraft(ConsentScope.SHARING, TODAY, organization_name="Ashadeep Shelter"),
    )
    assert service.current_consent(
        fc.survivor_id, ConsentScope.SHARING, organization="ashadeep shelter"
    )
    assert [c.scope for c in service.consents(fc.survivor_id)] == [
        ConsentScope.SHARING,
        ConsentScope.SHARING,
        ConsentScope.SERVICES,
    ]


def test_withdrawn_consent_is_not_current_and_the_refusal_names_what_is_missing(
    org: Org,
) -> None:
    fc = make_case(org, date_of_birth=date(1990, 1, 1))
    service = consent(org)
    media = service.record(
        fc.survivor_id, ConsentDraft(ConsentScope.MEDIA, TODAY - timedelta(days=60))
    ).value
    assert service.require_consent(fc.survivor_id, ConsentScope.MEDIA).id == media.id
    with pytest.raises(ValidationError, match="before that"):
        service.withdraw(media.id, TODAY - timedelta(days=61))
    with pytest.raises(ValidationError, match="future"):
        service.withdraw(media.id, TODAY + timedelta(days=1))
    service.withdraw(media.id, TODAY - timedelta(days=2), note="Changed her mind")
    with pytest.raises(RuleViolation, match="already withdrawn"):
        service.withdraw(media.id)
    assert service.current_consent(fc.survivor_id, ConsentScope.MEDIA) is None
    # Still current on a day before the withdrawal.
    assert service.current_consent(
        fc.survivor_id, ConsentScope.MEDIA, on=TODAY - timedelta(days=10)
    )
    with pytest.raises(RuleViolation) as err:
        service.require_consent(fc.survivor_id, ConsentScope.MEDIA)
    assert err.value.code == "consent_missing"
    assert str(err.value).startswith(
        f"{fc.survivor_code} has no current consent to story or media."
    )
    with pytest.raises(RuleViolation) as err:
        service.require_consent(
            fc.survivor_id, ConsentScope.SHARING, organization=fc.institution_id
        )
    assert "consent to sharing with Shelter " in str(err.value)
    # The same check inside another service's unit of work.
    with org.db.transaction() as session, pytest.raises(RuleViolation, match="use in court"):
        require_current_consent(session, fc.survivor_id, ConsentScope.COURT_USE)


def test_consent_drafts_are_checked(org: Org) -> None:
    child = make_case(org, date_of_birth=date.today() - timedelta(days=365 * 12))
    service = consent(org)
    with pytest.raises(ValidationError) as err:
        service.record(child.survivor_id, ConsentDraft(None, None))
    assert {p.field for p in err.value.problems} == {"scope", "given_on"}
    with pytest.raises(ValidationError, match="Name the organization"):
        service.record(child.survivor_id, ConsentDraft(ConsentScope.SHARING, TODAY))
    with pytest.raises(ValidationError, match="Only a consent to sharing"):
        service.record(
            child.survivor_id,
            ConsentDraft(ConsentScope.RESEARCH, TODAY, organization_name="University"),
        )
    with pytest.raises(ValidationError, match="future"):
        service.record(
            child.survivor_id, ConsentDraft(ConsentScope.SERVICES, TODAY + timedelta(days=1))
        )
    with pytest.raises(ValidationError, match="whether they assented"):
        service.record(
            child.survivor_id,
            ConsentDraft(ConsentScope.SERVICES, TODAY, given_by=ConsentGiver.GUARDIAN),
        )
    ok = service.record(
        child.survivor_id,
        ConsentDraft(
            ConsentScope.SERVICES, TODAY, given_by=ConsentGiver.GUARDIAN, child_assent=True
        ),
    ).value
    assert ok.given_by is ConsentGiver.GUARDIAN and ok.child_assent is True
    adult = make_case(org, title="Adult case", date_of_birth=date(1980, 5, 5))
    with pytest.raises(ValidationError, match="adult on that day"):
        service.record(
            adult.survivor_id, ConsentDraft(ConsentScope.SERVICES, TODAY, child_assent=False)
        )
    # No date of birth: the age at intake, counted forward, decides.
    aged = make_case(org, title="Aged case", date_of_birth=None, age=30)
    service.record(aged.survivor_id, ConsentDraft(ConsentScope.SERVICES, TODAY))


def test_retire_and_audit_without_names(org: Org) -> None:
    fc = make_case(org, date_of_birth=date(1990, 1, 1))
    service = consent(org)
    row = service.record(fc.survivor_id, ConsentDraft(ConsentScope.RESEARCH, TODAY)).value
    with pytest.raises(ValidationError, match="Say why"):
        service.retire(row.id, "")
    service.retire(row.id, "Recorded for the wrong survivor")
    assert service.consents(fc.survivor_id) == []
    assert len(service.consents(fc.survivor_id, include_retired=True)) == 1
    with org.db.read_session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("consent.%")).order_by(AuditEvent.seq)
        ).all()
    assert [e.action for e in events] == ["consent.record", "consent.retire"]
    assert json.loads(events[0].details)["code"] == fc.survivor_code
    assert all("Priya" not in e.details for e in events)


def test_who_may_read_and_record_consent(org: Org) -> None:
    fc = make_case(org, date_of_birth=date(1990, 1, 1))
    draft = ConsentDraft(ConsentScope.SERVICES, TODAY)
    with pytest.raises(AccessDenied, match="assigned"):
        consent(org, "caseworker2").record(fc.survivor_id, draft)
    with pytest.raises(AccessDenied, match="cannot record consent"):
        consent(org, "auditor").record(fc.survivor_id, draft)
    consent(org, "director").record(fc.survivor_id, draft)
    # Anyone who may see the case reads it (it goes by code).
    assert len(consent(org, "caseworker2").consents(fc.survivor_id)) == 1
    secret = make_case(org, title="Restricted", sensitivity=Sensitivity.RESTRICTED)
    with pytest.raises(NotFound):
        consent(org, "caseworker2").consents(secret.survivor_id)
    with pytest.raises(NotFound):
        consent(org, "caseworker2").current_consent(secret.survivor_id, ConsentScope.SERVICES)
