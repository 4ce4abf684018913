"""Victim compensation claims and protection measures, per survivor in a case.

A claim follows the money: applied for (scheme, day, amount), awarded, paid,
in one currency; its status follows the dates unless the lawyer sets it
(rejected, withdrawn). A protection measure is witness protection, in-camera
testimony or testimony by video link, a protection order, or a threat the
survivor reported; a hearing where the survivor testifies names the measure.
Survivors are named by code in every read model and audit event.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.court_drafts import CompensationDraft, ProtectionDraft
from ijmcase.domain.enums import PartyKind
from ijmcase.domain.errors import ConflictError, NotFound, ValidationError
from ijmcase.persistence.models import (
    Case,
    CaseParty,
    CompensationClaim,
    Proceeding,
    ProtectionMeasure,
    Survivor,
)
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.court_access import CourtAccess
from ijmcase.services.court_views import CompensationView, ProtectionView

__all__ = ["VictimSupportService"]


class VictimSupportService(CourtAccess):
    # -- reading -------------------------------------------------------------

    def claims(self, case_id: uuid.UUID) -> list[CompensationView]:
        with self._read() as session:
            case = self._load(session, case_id)
            rows = session.execute(
                select(CompensationClaim, Survivor.code)
                .join(Survivor, Survivor.id == CompensationClaim.survivor_id)
                .where(CompensationClaim.case_id == case.id, CompensationClaim.deleted_at.is_(None))
                .order_by(CompensationClaim.applied_on, CompensationClaim.created_at)
            )
            return [_claim(c, code) for c, code in rows]

    def measures(self, case_id: uuid.UUID) -> list[ProtectionView]:
        with self._read() as session:
            case = self._load(session, case_id)
            rows = session.execute(
                select(ProtectionMeasure, Survivor.code)
                .join(Survivor, Survivor.id == ProtectionMeasure.survivor_id)
                .where(ProtectionMeasure.case_id == case.id, ProtectionMeasure.deleted_at.is_(None))
                .order_by(ProtectionMeasure.starts_on, ProtectionMeasure.created_at)
            )
            return [_measure(m, code) for m, code in rows]

    # -- compensation ----------------------------------------------------------

    def add_claim(self, case_id: uuid.UUID, draft: CompensationDraft) -> Outcome[CompensationView]:
        self._require_court_edit()
        draft = _clean_claim(draft)
        draft.validate(today=today())
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            code = self._survivor_code(session, case, draft.survivor_id)
            self._check_proceeding(session, case, draft.proceeding_id)
            assert draft.survivor_id is not None
            claim = CompensationClaim(case_id=case.id, survivor_id=draft.survivor_id)
            _fill_claim(claim, draft)
            self._stamp(claim, new=True)
            session.add(claim)
            session.flush()
            self._audit(
                session,
                "compensation.create",
                "compensation_claim",
                claim.id,
                case_id=case.id,
                details=_claim_details(claim, code),
            )
            view = _claim(claim, code)
        return Outcome(view, Changes.of("compensation", case_id=case.id))

    def update_claim(
        self, claim_id: uuid.UUID, draft: CompensationDraft, *, expected_version: int
    ) -> Outcome[CompensationView]:
        """The award and the payment as they come, or a rejection."""
        self._require_court_edit()
        draft = _clean_claim(draft)
        draft.validate(today=today())
        with self._write() as session:
            claim = session.get(CompensationClaim, claim_id)
            if claim is None or claim.deleted_at is not None:
                raise NotFound("There is no such compensation claim.", code="claim_not_found")
            case = self._load(session, claim.case_id, for_edit=True)
            if claim.version != expected_version:
                raise ConflictError(
                    "The claim was changed by someone else while you edited it. Reload it and "
                    "make your change again.",
                    code="stale",
                )
            if draft.survivor_id != claim.survivor_id:
                raise ValidationError.single(
                    "survivor_id",
                    "survivor_fixed",
                    "A claim stays with its survivor; record a new claim for another.",
                )
            code = self._survivor_code(session, case, draft.survivor_id)
            self._check_proceeding(session, case, draft.proceeding_id)
            _fill_claim(claim, draft)
            self._stamp(claim, new=False)
            session.flush()
            self._audit(
                session,
                "compensation.update",
                "compensation_claim",
                claim.id,
                case_id=case.id,
                details=_claim_details(claim, code),
            )
            view = _claim(claim, code)
        return Outcome(view, Changes.of("compensation", case_id=case.id))

    # -- protection ----------------------------------------------------------------

    def add_measure(self, case_id: uuid.UUID, draft: ProtectionDraft) -> Outcome[ProtectionView]:
        self._require_court_edit()
        draft = replace(draft, authority=draft.authority.strip(), notes=draft.notes.strip())
        draft.validate(today=today())
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            code = self._survivor_code(session, case, draft.survivor_id)
            assert draft.survivor_id is not None
            measure = ProtectionMeasure(
                case_id=case.id,
                survivor_id=draft.survivor_id,
                kind=draft.kind,
                starts_on=draft.starts_on,
                ends_on=draft.ends_on,
                authority=draft.authority,
                notes=draft.notes,
            )
            self._stamp(measure, new=True)
            session.add(measure)
            session.flush()
            self._audit(
                session,
                "protection.create",
                "protection_measure",
                measure.id,
                case_id=case.id,
                details={
                    "survivor": code,
                    "kind": draft.kind.value,
                    "starts_on": draft.starts_on.isoformat(),
                },
            )
            view = _measure(measure, code)
        return Outcome(view, Changes.of("protection", case_id=case.id))

    def end_measure(self, measure_id: uuid.UUID, on: date) -> Outcome[ProtectionView]:
        self._require_court_edit()
        with self._write() as session:
            measure = session.get(ProtectionMeasure, measure_id)
            if measure is None or measure.deleted_at is not None:
                raise NotFound("There is no such protection measure.", code="measure_not_found")
            case = self._load(session, measure.case_id, for_edit=True)
            draft = ProtectionDraft(
                measure.kind, measure.survivor_id, measure.starts_on, on, measure.authority
            )
            draft.validate(today=today())
            measure.ends_on = on
            self._stamp(measure, new=False)
            session.flush()
            code = self._survivor_code(session, case, measure.survivor_id)
            self._audit(
                session,
                "protection.end",
                "protection_measure",
                measure.id,
                case_id=case.id,
                details={"survivor": code, "ends_on": on.isoformat()},
            )
            view = _measure(measure, code)
        return Outcome(view, Changes.of("protection", case_id=case.id))

    # -- checks ---------------------------------------------------------------------

    def _survivor_code(self, session: Session, case: Case, survivor_id: uuid.UUID | None) -> str:
        code = session.scalar(
            select(Survivor.code)
            .join(CaseParty, CaseParty.survivor_id == Survivor.id)
            .where(
                CaseParty.case_id == case.id,
                CaseParty.kind == PartyKind.SURVIVOR,
                CaseParty.deleted_at.is_(None),
                Survivor.id == survivor_id,
            )
        )
        if code is None:
            raise ValidationError.single(
                "survivor_id", "not_in_case", f"That survivor is not in case {case.code}."
            )
        return code

    def _check_proceeding(
        self, session: Session, case: Case, proceeding_id: uuid.UUID | None
    ) -> None:
        if proceeding_id is None:
            return
        proceeding = session.get(Proceeding, proceeding_id)
        if proceeding is None or proceeding.case_id != case.id:
            raise ValidationError.single(
                "proceeding_id",
                "unknown_proceeding",
                f"Choose a proceeding of case {case.code}.",
            )


def _clean_claim(draft: CompensationDraft) -> CompensationDraft:
    return replace(
        draft,
        scheme=draft.scheme.strip(),
        currency=draft.currency.strip().upper(),
        notes=draft.notes.strip(),
    )


def _fill_claim(claim: CompensationClaim, draft: CompensationDraft) -> None:
    claim.proceeding_id = draft.proceeding_id
    claim.scheme = draft.scheme
    claim.status = draft.effective_status()
    claim.currency = draft.currency
    claim.applied_on = draft.applied_on
    claim.applied_amount = draft.applied_amount
    claim.awarded_on = draft.awarded_on
    claim.awarded_amount = draft.awarded_amount
    claim.paid_on = draft.paid_on
    claim.paid_amount = draft.paid_amount
    claim.notes = draft.notes


def _claim_details(claim: CompensationClaim, code: str) -> dict[str, object]:
    return {
        "survivor": code,
        "scheme": claim.scheme,
        "status": claim.status.value,
        "currency": claim.currency,
        "applied": str(claim.applied_amount) if claim.applied_amount is not None else None,
        "awarded": str(claim.awarded_amount) if claim.awarded_amount is not None else None,
        "paid": str(claim.paid_amount) if claim.paid_amount is not None else None,
    }


def _claim(c: CompensationClaim, code: str) -> CompensationView:
    return CompensationView(
        id=c.id,
        version=c.version,
        case_id=c.case_id,
        survivor_id=c.survivor_id,
        survivor_code=code,
        proceeding_id=c.proceeding_id,
        scheme=c.scheme,
        status=c.status,
        currency=c.currency,
        applied_on=c.applied_on,
        applied_amount=c.applied_amount,
        awarded_on=c.awarded_on,
        awarded_amount=c.awarded_amount,
        paid_on=c.paid_on,
        paid_amount=c.paid_amount,
        notes=c.notes,
    )


def _measure(m: ProtectionMeasure, code: str) -> ProtectionView:
    return ProtectionView(
        id=m.id,
        version=m.version,
        case_id=m.case_id,
        survivor_id=m.survivor_id,
        survivor_code=code,
        kind=m.kind,
        starts_on=m.starts_on,
        ends_on=m.ends_on,
        authority=m.authority,
        notes=m.notes,
    )
