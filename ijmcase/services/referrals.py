"""Referrals and transfers of survivors to partner institutions.

A referral shares a survivor's information with another organization, so it
is refused unless a current consent to sharing with that organization covers
it on the referral date. The check is the caseworkers' consent rule
(``consent.require_current_consent``), run inside the same unit of work as
the referral, and its refusal names the missing consent ("S-IN-0042 has no
current consent to sharing with Bethany Shelter ..."). The referral keeps the
id of the consent it relied on and a line saying what that consent covered.

Status moves follow ``domain.aftercare.REFERRAL_MOVES``; accepting or
rejecting dates the response, completing dates the completion and records
the service delivered through the referral.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.aftercare import ReferralDraft, check_referral_move
from ijmcase.domain.enums import CareService, ConsentScope, ReferralStatus
from ijmcase.domain.errors import RuleViolation
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.models import Case, Institution, Referral, ServiceDelivered, Survivor
from ijmcase.services.care_common import institution, not_found, survivor_in_case, user_names
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.consent import require_current_consent
from ijmcase.services.context import Changes, Outcome, today

__all__ = ["ReferralService", "ReferralView"]


@dataclass(frozen=True)
class ReferralView:
    id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    survivor_id: uuid.UUID
    survivor_code: str
    institution_id: uuid.UUID
    institution_name: str
    service: CareService
    is_transfer: bool
    status: ReferralStatus
    referred_on: date
    responded_on: date | None
    completed_on: date | None
    referred_by_name: str
    consent_id: uuid.UUID | None
    consent_summary: str
    reason: str
    outcome_note: str
    version: int


class ReferralService(CaseAccess):
    def refer(
        self, case_id: uuid.UUID, survivor_id: uuid.UUID, draft: ReferralDraft
    ) -> Outcome[ReferralView]:
        """Refer (or transfer) a survivor; refused without a current consent to sharing."""
        self._require(Permission.INTERVENTION_LOG, "refer survivors")
        draft.validate(today=today())
        refusal: RuleViolation | None = None
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            survivor = survivor_in_case(session, case, survivor_id)
            partner = institution(session, draft.institution_id, "institution_id")
            try:
                consent = require_current_consent(
                    session, survivor.id, ConsentScope.SHARING, partner.id, on=draft.referred_on
                )
            except RuleViolation as exc:
                what = "transfer" if draft.is_transfer else "referral"
                # Audited: a refused referral is worth knowing about, and names no one.
                self._audit(
                    session,
                    "referral.refused",
                    "survivor",
                    survivor.id,
                    case_id=case.id,
                    details={"code": survivor.code, "institution": partner.name},
                )
                refusal = RuleViolation(f"The {what} is refused: {exc.message}", code=exc.code)
            else:
                row = Referral(
                    case_id=case.id,
                    survivor_id=survivor.id,
                    institution_id=partner.id,
                    service=draft.service,
                    is_transfer=draft.is_transfer,
                    status=ReferralStatus.PENDING,
                    referred_on=draft.referred_on,
                    referred_by=self.actor.user_id,
                    consent_id=consent.id,
                    consent_summary=(
                        f"Sharing with {consent.organization}, given by the "
                        f"{consent.given_by.label.lower()} on {consent.given_on.isoformat()}"
                    )[:200],
                    reason=draft.reason.strip(),
                )
                self._stamp(row, new=True)
                session.add(row)
                session.flush()
                self._audit(
                    session,
                    "referral.create",
                    "referral",
                    row.id,
                    case_id=case.id,
                    details={
                        "survivor": survivor.code,
                        "institution": partner.name,
                        "service": draft.service.value,
                        "transfer": draft.is_transfer,
                        "consent_id": str(consent.id),
                    },
                )
                view = self._views(session, [row])[0]
        if refusal is not None:
            # Raised after the commit, so the refusal stays in the audit log.
            raise refusal
        return Outcome(view, Changes.of("referrals", case_id=case_id))

    def move(
        self,
        referral_id: uuid.UUID,
        target: ReferralStatus,
        *,
        on: date | None = None,
        note: str = "",
    ) -> Outcome[ReferralView]:
        """Accept, reject or complete a referral; completing records the service delivered."""
        self._require(Permission.INTERVENTION_LOG, "update referrals")
        day = on or today()
        with self._write() as session:
            row = session.get(Referral, referral_id)
            if row is None or row.deleted_at is not None:
                raise not_found("referral", "referral_not_found")
            case = self._load(session, row.case_id, for_edit=True)
            check_referral_move(
                row.status, target, on=day, referred_on=row.referred_on, today=today(), note=note
            )
            if target is ReferralStatus.COMPLETED and row.responded_on and day < row.responded_on:
                raise RuleViolation(
                    f"The referral was accepted on {row.responded_on.isoformat()}; it cannot be "
                    f"completed before that ({day.isoformat()}).",
                    code="date_before_response",
                )
            source = row.status
            row.status = target
            if target is ReferralStatus.COMPLETED:
                row.completed_on = day
                service = ServiceDelivered(
                    case_id=row.case_id,
                    survivor_id=row.survivor_id,
                    service=row.service,
                    delivered_on=day,
                    provider_institution_id=row.institution_id,
                    referral_id=row.id,
                    staff_user_id=self.actor.user_id,
                    notes=note.strip(),
                )
                self._stamp(service, new=True)
                session.add(service)
            else:
                row.responded_on = day
            if note.strip():
                row.outcome_note = note.strip()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "referral.move",
                "referral",
                row.id,
                case_id=case.id,
                details={"from": source.value, "to": target.value, "on": day.isoformat()},
            )
            view = self._views(session, [row])[0]
        changes = Changes.of("referrals", case_id=case.id)
        if target is ReferralStatus.COMPLETED:
            changes = changes | Changes.of("services", case_id=case.id)
        return Outcome(view, changes)

    def for_case(
        self, case_id: uuid.UUID, survivor_id: uuid.UUID | None = None
    ) -> list[ReferralView]:
        """A case's referrals, newest first."""
        with self._read() as session:
            self._load(session, case_id)
            stmt = select(Referral).where(
                Referral.case_id == case_id, Referral.deleted_at.is_(None)
            )
            if survivor_id is not None:
                stmt = stmt.where(Referral.survivor_id == survivor_id)
            rows = list(
                session.scalars(stmt.order_by(Referral.referred_on.desc(), Referral.created_at))
            )
            return self._views(session, rows)

    def get(self, referral_id: uuid.UUID) -> ReferralView:
        with self._read() as session:
            row = session.get(Referral, referral_id)
            if row is None or row.deleted_at is not None:
                raise not_found("referral", "referral_not_found")
            self._load(session, row.case_id)
            return self._views(session, [row])[0]

    def _views(self, session: Session, rows: list[Referral]) -> list[ReferralView]:
        if not rows:
            return []
        codes = {
            k: v
            for k, v in session.execute(
                select(Survivor.id, Survivor.code).where(
                    Survivor.id.in_({r.survivor_id for r in rows})
                )
            )
        }
        cases = {
            k: v
            for k, v in session.execute(
                select(Case.id, Case.code).where(Case.id.in_({r.case_id for r in rows}))
            )
        }
        partners = {
            k: v
            for k, v in session.execute(
                select(Institution.id, Institution.name).where(
                    Institution.id.in_({r.institution_id for r in rows})
                )
            )
        }
        names = user_names(session, [r.referred_by for r in rows])
        return [
            ReferralView(
                id=r.id,
                case_id=r.case_id,
                case_code=cases.get(r.case_id, ""),
                survivor_id=r.survivor_id,
                survivor_code=codes.get(r.survivor_id, ""),
                institution_id=r.institution_id,
                institution_name=partners.get(r.institution_id, ""),
                service=r.service,
                is_transfer=r.is_transfer,
                status=r.status,
                referred_on=r.referred_on,
                responded_on=r.responded_on,
                completed_on=r.completed_on,
                referred_by_name=names.get(r.referred_by, ""),
                consent_id=r.consent_id,
                consent_summary=r.consent_summary,
                reason=r.reason,
                outcome_note=r.outcome_note,
                version=r.version,
            )
            for r in rows
        ]
