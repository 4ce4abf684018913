"""Consent records of survivors, and the check other areas make before they
act on a survivor's behalf.

For other services (referrals, transfers, media, research):

    ConsentService(db, actor).require_consent(
        survivor_id, ConsentScope.SHARING, organization=institution_id_or_name
    )

returns the current consent that covers it, or raises ``RuleViolation``
(code ``consent_missing``) whose message names the survivor by code and the
missing consent, e.g. "S-IN-0042 has no current consent to sharing with
Ashadeep Shelter. Record the consent ... before going ahead." Inside a unit
of work already open, call ``require_current_consent(session, ...)`` (same
rule, same message) so the check and the write share one transaction.

``organization`` is an institution's id (when it is on file) or a name.
A consent to sharing covers only the organization it names; the other
scopes ignore ``organization``. "Current" means given on or before ``on``
(default today) and not withdrawn by then; the latest such consent wins.

Consent is not identifying data (it goes by the survivor's code), so anyone
who may see one of the survivor's cases may read it; recording, withdrawing
and retiring need the right to change one of those cases. Every write is
audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from ijmcase.domain.consent import (
    ConsentDraft,
    is_current,
    minor_on,
    missing_consent_message,
    same_organization,
    withdrawal_problem,
)
from ijmcase.domain.enums import ConsentGiver, ConsentScope, PartyKind
from ijmcase.domain.errors import AccessDenied, NotFound, RuleViolation, ValidationError
from ijmcase.domain.permissions import Permission, may_edit_case
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.models import (
    Case,
    CaseParty,
    Consent,
    Institution,
    Survivor,
    SurvivorIdentity,
)
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today

__all__ = [
    "ConsentService",
    "ConsentView",
    "find_current_consent",
    "require_current_consent",
]

Organization = uuid.UUID | str | None


@dataclass(frozen=True)
class ConsentView:
    id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_code: str
    scope: ConsentScope
    organization_id: uuid.UUID | None
    organization: str  # the institution's name, or the name as recorded
    given_by: ConsentGiver
    child_assent: bool | None
    given_on: date
    withdrawn_on: date | None
    withdrawal_note: str
    notes: str
    version: int

    def current_on(self, day: date) -> bool:
        return is_current(self.given_on, self.withdrawn_on, day)


def _split(organization: Organization) -> tuple[uuid.UUID | None, str]:
    if isinstance(organization, uuid.UUID):
        return organization, ""
    return None, (organization or "").strip()


def _view(session: Session, row: Consent, code: str) -> ConsentView:
    name = row.organization_name
    if row.organization_id is not None:
        inst = session.get(Institution, row.organization_id)
        name = inst.name if inst is not None else name
    return ConsentView(
        row.id,
        row.survivor_id,
        code,
        row.scope,
        row.organization_id,
        name,
        row.given_by,
        row.child_assent,
        row.given_on,
        row.withdrawn_on,
        row.withdrawal_note,
        row.notes,
        row.version,
    )


def find_current_consent(
    session: Session,
    survivor_id: uuid.UUID,
    scope: ConsentScope,
    organization: Organization = None,
    *,
    on: date | None = None,
) -> ConsentView | None:
    """The current consent of ``scope`` (for sharing: naming ``organization``)
    on ``on`` (default today), or None. No permission check: for services
    that have already checked the survivor's case."""
    day = on or today()
    survivor = session.get(Survivor, survivor_id)
    if survivor is None:
        raise NotFound("There is no such survivor.", code="survivor_not_found")
    wanted_id, wanted_name = _split(organization)
    if wanted_id is not None and not wanted_name:
        inst = session.get(Institution, wanted_id)
        wanted_name = inst.name if inst is not None else ""
    rows = session.scalars(
        select(Consent)
        .where(
            Consent.survivor_id == survivor_id,
            Consent.scope == scope,
            Consent.deleted_at.is_(None),
            Consent.given_on <= day,
        )
        .order_by(Consent.given_on.desc(), Consent.created_at.desc())
    )
    for row in rows:
        if not is_current(row.given_on, row.withdrawn_on, day):
            continue
        if scope is ConsentScope.SHARING:
            name = row.organization_name
            if row.organization_id is not None and wanted_id is None:
                inst = session.get(Institution, row.organization_id)
                name = inst.name if inst is not None else name
            if not same_organization(row.organization_id, name, wanted_id, wanted_name):
                continue
        return _view(session, row, survivor.code)
    return None


def require_current_consent(
    session: Session,
    survivor_id: uuid.UUID,
    scope: ConsentScope,
    organization: Organization = None,
    *,
    on: date | None = None,
) -> ConsentView:
    """Like ``find_current_consent``, but a missing consent is a
    ``RuleViolation`` (code ``consent_missing``) naming what is missing."""
    found = find_current_consent(session, survivor_id, scope, organization, on=on)
    if found is not None:
        return found
    survivor = session.get(Survivor, survivor_id)
    assert survivor is not None
    wanted_id, wanted_name = _split(organization)
    if wanted_id is not None:
        inst = session.get(Institution, wanted_id)
        wanted_name = inst.name if inst is not None else "that organization"
    raise RuleViolation(
        missing_consent_message(survivor.code, scope, wanted_name), code="consent_missing"
    )


class ConsentService(CaseAccess):
    # -- reading ----------------------------------------------------------

    def consents(
        self, survivor_id: uuid.UUID, *, include_retired: bool = False
    ) -> list[ConsentView]:
        """A survivor's consent records, newest first."""
        with self._read() as session:
            survivor = self._survivor(session, survivor_id)
            stmt = select(Consent).where(Consent.survivor_id == survivor_id)
            if not include_retired:
                stmt = stmt.where(Consent.deleted_at.is_(None))
            rows = session.scalars(
                stmt.order_by(Consent.given_on.desc(), Consent.created_at.desc())
            )
            return [_view(session, r, survivor.code) for r in rows]

    def current_consent(
        self,
        survivor_id: uuid.UUID,
        scope: ConsentScope,
        organization: Organization = None,
        *,
        on: date | None = None,
    ) -> ConsentView | None:
        """The consent that covers ``scope`` (and, for sharing, ``organization``) now."""
        with self._read() as session:
            self._survivor(session, survivor_id)
            return find_current_consent(session, survivor_id, scope, organization, on=on)

    def require_consent(
        self,
        survivor_id: uuid.UUID,
        scope: ConsentScope,
        organization: Organization = None,
        *,
        on: date | None = None,
    ) -> ConsentView:
        """The covering consent, or ``RuleViolation`` (``consent_missing``) saying which."""
        with self._read() as session:
            self._survivor(session, survivor_id)
            return require_current_consent(session, survivor_id, scope, organization, on=on)

    # -- writing ----------------------------------------------------------

    def record(self, survivor_id: uuid.UUID, draft: ConsentDraft) -> Outcome[ConsentView]:
        self._require(Permission.PEOPLE_EDIT, "record consent")
        draft = draft.normalized()
        with self._write() as session:
            survivor = self._survivor(session, survivor_id, for_edit=True)
            minor = None
            if draft.given_on is not None:
                minor = self._minor_on(session, survivor, draft.given_on)
            draft.validate(today=today(), minor=minor)
            assert draft.scope is not None and draft.given_on is not None
            if draft.organization_id is not None:
                inst = session.get(Institution, draft.organization_id)
                if inst is None or inst.deleted_at is not None:
                    raise ValidationError.single(
                        "organization", "unknown_institution", "Choose an organization on file."
                    )
            row = Consent(
                survivor_id=survivor.id,
                scope=draft.scope,
                organization_id=draft.organization_id,
                organization_name="" if draft.organization_id else draft.organization_name,
                given_by=draft.given_by,
                child_assent=draft.child_assent,
                given_on=draft.given_on,
                notes=draft.notes,
            )
            self._stamp(row, new=True)
            session.add(row)
            session.flush()
            self._audit(
                session,
                "consent.record",
                "survivor",
                survivor.id,
                details={
                    "code": survivor.code,
                    "scope": draft.scope.value,
                    "given_by": draft.given_by.value,
                    "given_on": draft.given_on.isoformat(),
                    "organization_id": str(draft.organization_id)
                    if draft.organization_id
                    else None,
                    "consent_id": str(row.id),
                },
            )
            view = _view(session, row, survivor.code)
        return Outcome(view, Changes.of("consent", "people"))

    def withdraw(
        self, consent_id: uuid.UUID, on: date | None = None, *, note: str = ""
    ) -> Outcome[ConsentView]:
        """The survivor (or guardian) withdrew this consent on ``on`` (default today)."""
        self._require(Permission.PEOPLE_EDIT, "record consent")
        day = on or today()
        with self._write() as session:
            row, survivor = self._consent(session, consent_id)
            if row.withdrawn_on is not None:
                raise RuleViolation(
                    f"This consent was already withdrawn on {row.withdrawn_on.isoformat()}.",
                    code="already_withdrawn",
                )
            problem = withdrawal_problem(row.given_on, day, today=today())
            if problem is not None:
                raise ValidationError(problem)
            row.withdrawn_on = day
            row.withdrawal_note = note.strip()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "consent.withdraw",
                "survivor",
                survivor.id,
                details={
                    "code": survivor.code,
                    "scope": row.scope.value,
                    "on": day.isoformat(),
                    "consent_id": str(row.id),
                },
            )
            view = _view(session, row, survivor.code)
        return Outcome(view, Changes.of("consent", "people"))

    def retire(self, consent_id: uuid.UUID, reason: str) -> Outcome[None]:
        """Retire a consent recorded by mistake (it stays in the audit trail)."""
        self._require(Permission.PEOPLE_EDIT, "record consent")
        if not reason.strip():
            raise ValidationError.single(
                "reason", "required", "Say why this consent record is wrong."
            )
        with self._write() as session:
            row, survivor = self._consent(session, consent_id)
            row.deleted_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "consent.retire",
                "survivor",
                survivor.id,
                details={
                    "code": survivor.code,
                    "consent_id": str(row.id),
                    "reason": reason.strip(),
                },
            )
        return Outcome(None, Changes.of("consent", "people"))

    # -- internals ----------------------------------------------------------

    def _survivor_cases(self, survivor_id: uuid.UUID) -> ColumnElement[bool]:
        return exists().where(
            CaseParty.case_id == Case.id,
            CaseParty.survivor_id == survivor_id,
            CaseParty.kind == PartyKind.SURVIVOR,
            CaseParty.deleted_at.is_(None),
        )

    def _survivor(
        self, session: Session, survivor_id: uuid.UUID, *, for_edit: bool = False
    ) -> Survivor:
        """The survivor, if one of their cases is visible (editable, ``for_edit``)."""
        self._require(Permission.CASE_READ, "read cases")
        survivor = session.get(Survivor, survivor_id)
        if survivor is None or survivor.deleted_at is not None:
            raise NotFound("There is no such survivor.", code="survivor_not_found")
        cases = list(
            session.scalars(
                select(Case).where(self._survivor_cases(survivor_id), self._visible_clause())
            )
        )
        if not cases:
            raise NotFound("There is no such survivor.", code="survivor_not_found")
        if for_edit and not any(
            may_edit_case(self.actor.role, assigned=self._is_assigned(session, c)) for c in cases
        ):
            raise AccessDenied(
                f"Only staff assigned to {survivor.code}'s case (or a director) can record "
                "their consent.",
                code="not_assigned",
            )
        return survivor

    def _consent(self, session: Session, consent_id: uuid.UUID) -> tuple[Consent, Survivor]:
        row = session.get(Consent, consent_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("There is no such consent record.", code="consent_not_found")
        return row, self._survivor(session, row.survivor_id, for_edit=True)

    def _minor_on(self, session: Session, survivor: Survivor, day: date) -> bool | None:
        """Whether the survivor was a child on ``day``. The date of birth is
        read for this rule only; nothing identifying is shown or returned."""
        born = session.scalar(
            select(SurvivorIdentity.date_of_birth).where(
                SurvivorIdentity.survivor_id == survivor.id
            )
        )
        age_at = None
        if survivor.age_at_intake is not None:
            opened = session.scalar(
                select(Case.opened_on)
                .where(self._survivor_cases(survivor.id))
                .order_by(Case.opened_on)
                .limit(1)
            )
            age_at = (survivor.age_at_intake, opened) if opened is not None else None
        minor = minor_on(day, date_of_birth=born, age_at=age_at)
        if minor is None and survivor.minor_at_rescue is not None:
            minor = survivor.minor_at_rescue
        return minor
