"""Proceedings: one per accused in a case, with charges, custody, the
milestones of the country's legal pathway, the outcome and the sentence.

The rules are ``domain.proceedings``' (milestones in order, a skip needs a
reason, a verdict needs a charge, a sentence needs a conviction, an appeal
reopens the track); this service loads what they need, applies them, saves
the result with its audit event in one unit of work, and moves the case's
accountability track when the record says so: the first milestone starts it,
an appeal reopens it, and it completes once every proceeding in the case is
concluded (final, or dismissed or withdrawn).

Lawyers assigned to the case and directors write (``HEARING_EDIT``);
everyone who may read the case reads.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.court_drafts import (
    ChargeDraft,
    CustodyDraft,
    OutcomeDraft,
    check_custody,
)
from ijmcase.domain.enums import (
    ChargeStatus,
    InstitutionKind,
    PartyKind,
    ProceedingOutcome,
    TrackStatus,
)
from ijmcase.domain.errors import ConflictError, NotFound, RuleViolation, ValidationError
from ijmcase.domain.pathways import pathway_for
from ijmcase.domain.permissions import Permission, has_permission, may_edit_case
from ijmcase.domain.proceedings import MilestoneRecord as MilestoneRule
from ijmcase.domain.proceedings import (
    check_milestone,
    check_outcome,
    deadlines,
    first_charge_date,
    next_milestones,
)
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseParty,
    Charge,
    CustodyEvent,
    Hearing,
    Institution,
    MilestoneRecord,
    Proceeding,
    User,
)
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.court_access import CourtAccess, is_concluded, needs_next_date
from ijmcase.services.court_views import (
    ChargeView,
    CustodyView,
    DeadlineView,
    MilestoneView,
    NextStep,
    ProceedingView,
    deadline_view,
    local_time,
)

__all__ = ["CourtService"]

_CHANGES = ("proceedings", "calendar")


class CourtService(CourtAccess):
    # -- reading ------------------------------------------------------------

    def proceedings(self, case_id: uuid.UUID) -> list[ProceedingView]:
        with self._read() as session:
            case = self._load(session, case_id)
            rows = session.scalars(
                select(Proceeding)
                .where(Proceeding.case_id == case.id, Proceeding.deleted_at.is_(None))
                .order_by(Proceeding.created_at)
            )
            return [self._view(session, p, case) for p in rows]

    def proceeding(self, proceeding_id: uuid.UUID) -> ProceedingView:
        with self._read() as session:
            proceeding, case = self._proceeding(session, proceeding_id)
            return self._view(session, proceeding, case)

    def find_proceeding(self, case_id: uuid.UUID, accused_code: str) -> ProceedingView:
        """The proceeding of the accused with that code in the case (for the
        command line, which names people by code)."""
        with self._read() as session:
            case = self._load(session, case_id)
            proceeding = session.scalar(
                select(Proceeding)
                .join(Accused, Accused.id == Proceeding.accused_id)
                .where(
                    Proceeding.case_id == case.id,
                    Proceeding.deleted_at.is_(None),
                    Accused.code == accused_code.strip().upper(),
                )
            )
            if proceeding is None:
                raise NotFound(
                    f"Case {case.code} has no proceeding against {accused_code.strip()}; "
                    "add one first.",
                    code="proceeding_not_found",
                )
            return self._view(session, proceeding, case)

    def accused_id(self, case_id: uuid.UUID, accused_code: str) -> uuid.UUID:
        """The id of the accused with that code among the case's parties."""
        with self._read() as session:
            case = self._load(session, case_id)
            found = session.scalar(
                select(Accused.id)
                .join(CaseParty, CaseParty.accused_id == Accused.id)
                .where(
                    CaseParty.case_id == case.id,
                    CaseParty.deleted_at.is_(None),
                    Accused.code == accused_code.strip().upper(),
                )
            )
            if found is None:
                raise NotFound(
                    f"There is no accused {accused_code.strip()} in case {case.code}.",
                    code="accused_not_found",
                )
            return found

    def _view(self, session: Session, proceeding: Proceeding, case: Case) -> ProceedingView:
        accused = session.get(Accused, proceeding.accused_id)
        assert accused is not None
        court = session.get(Institution, proceeding.court_id) if proceeding.court_id else None
        charges = tuple(
            ChargeView(c.id, c.statute, c.section, c.description, c.filed_on, c.status, c.amends_id)
            for c in session.scalars(
                select(Charge)
                .where(Charge.proceeding_id == proceeding.id, Charge.deleted_at.is_(None))
                .order_by(Charge.filed_on, Charge.created_at)
            )
        )
        custody = tuple(
            CustodyView(e.id, e.status, e.on_date, e.place, e.notes)
            for e in session.scalars(
                select(CustodyEvent)
                .where(
                    CustodyEvent.proceeding_id == proceeding.id,
                    CustodyEvent.deleted_at.is_(None),
                )
                .order_by(CustodyEvent.on_date, CustodyEvent.created_at)
            )
        )
        milestones = tuple(
            MilestoneView(
                m.seq, m.key, m.label, m.stage, m.on_date, m.skipped, m.reason, name or ""
            )
            for m, name in session.execute(
                select(MilestoneRecord, User.display_name)
                .outerjoin(User, User.id == MilestoneRecord.created_by)
                .where(
                    MilestoneRecord.proceeding_id == proceeding.id,
                    MilestoneRecord.deleted_at.is_(None),
                )
                .order_by(MilestoneRecord.seq)
            )
        )
        rules = [MilestoneRule(m.key, m.on, m.skipped, m.reason) for m in milestones]
        pathway = self.pathways().get(proceeding.pathway_key)
        steps: tuple[NextStep, ...] = ()
        running: tuple[DeadlineView, ...] = ()
        zone = _zone_of(case)
        if pathway is not None:
            steps = tuple(
                NextStep(m.key, m.label, m.stage, m.optional)
                for m in next_milestones(pathway, rules)
            )
            if not is_concluded(proceeding.outcome, proceeding.reporting_stage):
                running = tuple(
                    deadline_view(
                        d,
                        proceeding_id=proceeding.id,
                        case_id=case.id,
                        case_code=case.code,
                        accused_code=accused.code,
                        timezone=zone,
                    )
                    for d in deadlines(pathway, rules, today())
                )
        now = datetime.now(UTC)
        next_at = session.scalar(
            select(func.min(Hearing.scheduled_at)).where(
                Hearing.case_id == case.id,
                Hearing.deleted_at.is_(None),
                Hearing.scheduled_at > now,
                or_(Hearing.proceeding_id == proceeding.id, Hearing.proceeding_id.is_(None)),
            )
        )
        return ProceedingView(
            id=proceeding.id,
            version=proceeding.version,
            case_id=case.id,
            case_code=case.code,
            accused_id=accused.id,
            accused_code=accused.code,
            accused_name=accused.name,
            custody_status=accused.custody_status,
            court_id=proceeding.court_id,
            court_name=court.name if court else "",
            court_case_number=proceeding.court_case_number,
            pathway_key=proceeding.pathway_key,
            pathway_name=proceeding.pathway_name,
            reporting_stage=proceeding.reporting_stage,
            outcome=proceeding.outcome,
            outcome_on=proceeding.outcome_on,
            prison_months=proceeding.prison_months,
            life_sentence=proceeding.life_sentence,
            fine_amount=proceeding.fine_amount,
            fine_currency=proceeding.fine_currency,
            appealed=proceeding.appealed,
            appeal_notes=proceeding.appeal_notes,
            notes=proceeding.notes,
            charges=charges,
            custody=custody,
            milestones=milestones,
            next_steps=steps,
            deadlines=running,
            next_hearing_at=local_time(next_at, zone) if next_at is not None else None,
            is_open=needs_next_date(proceeding.outcome, proceeding.reporting_stage),
            can_edit=may_edit_case(self.actor.role, assigned=self._is_assigned(session, case))
            and self._may_edit_court(),
        )

    def _may_edit_court(self) -> bool:
        return has_permission(self.actor.role, Permission.HEARING_EDIT)

    # -- proceedings -----------------------------------------------------------

    def add_proceeding(
        self,
        case_id: uuid.UUID,
        accused_id: uuid.UUID,
        *,
        template: str | None = None,
        court_id: uuid.UUID | None = None,
        court_case_number: str = "",
        notes: str = "",
    ) -> Outcome[ProceedingView]:
        """Start the proceeding against one accused of the case, on the
        template of the case's country (the generic one where it has none),
        or on ``template`` when given."""
        self._require_court_edit()
        if len(court_case_number) > 100:
            raise ValidationError.single(
                "court_case_number", "too_long", "The court case number is over 100 characters."
            )
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            pathway = (
                pathway_for(case.country, self.pathways())
                if template is None or not template.strip()
                else self._template(template.strip())
            )
            accused = session.scalar(
                select(Accused)
                .join(CaseParty, CaseParty.accused_id == Accused.id)
                .where(
                    CaseParty.case_id == case.id,
                    CaseParty.kind == PartyKind.ACCUSED,
                    CaseParty.deleted_at.is_(None),
                    Accused.id == accused_id,
                )
            )
            if accused is None:
                raise NotFound(
                    f"That person is not an accused in case {case.code}.",
                    code="accused_not_found",
                )
            existing = session.scalar(
                select(Proceeding.id).where(
                    Proceeding.case_id == case.id, Proceeding.accused_id == accused.id
                )
            )
            if existing is not None:
                raise ConflictError(
                    f"Case {case.code} already has a proceeding against {accused.code}.",
                    code="proceeding_exists",
                )
            self._check_court(session, court_id)
            proceeding = Proceeding(
                case_id=case.id,
                accused_id=accused.id,
                court_id=court_id,
                court_case_number=court_case_number.strip(),
                pathway_key=pathway.country,
                pathway_name=pathway.name,
                pathway_format=pathway.format,
                reporting_stage=None,
                outcome=ProceedingOutcome.PENDING,
                notes=notes.strip(),
            )
            self._stamp(proceeding, new=True)
            session.add(proceeding)
            session.flush()
            self._audit(
                session,
                "proceeding.create",
                "proceeding",
                proceeding.id,
                case_id=case.id,
                details={
                    "accused": accused.code,
                    "template": pathway.country,
                    "court_case_number": proceeding.court_case_number,
                },
            )
            view = self._view(session, proceeding, case)
        return Outcome(view, Changes.of(*_CHANGES, case_id=case_id))

    def _check_court(self, session: Session, court_id: uuid.UUID | None) -> None:
        if court_id is None:
            return
        court = session.get(Institution, court_id)
        if court is None or court.deleted_at is not None:
            raise ValidationError.single("court_id", "unknown_court", "Choose a court.")
        if court.kind is not InstitutionKind.COURT:
            raise ValidationError.single("court_id", "not_a_court", f"{court.name} is not a court.")

    def update_proceeding(
        self,
        proceeding_id: uuid.UUID,
        *,
        court_id: uuid.UUID | None,
        court_case_number: str,
        notes: str,
        expected_version: int,
    ) -> Outcome[ProceedingView]:
        self._require_court_edit()
        with self._write() as session:
            proceeding, case = self._proceeding(session, proceeding_id, for_edit=True)
            _check_version(proceeding.version, expected_version, "proceeding")
            self._check_court(session, court_id)
            changed: dict[str, list[str]] = {}
            for name, value in (
                ("court_id", court_id),
                ("court_case_number", court_case_number.strip()),
                ("notes", notes.strip()),
            ):
                if getattr(proceeding, name) != value:
                    changed[name] = (
                        ["…", "…"]
                        if name == "notes"
                        else [str(getattr(proceeding, name)), str(value)]
                    )
                    setattr(proceeding, name, value)
            if changed:
                self._stamp(proceeding, new=False)
                session.flush()
                self._audit(
                    session,
                    "proceeding.update",
                    "proceeding",
                    proceeding.id,
                    case_id=case.id,
                    details={"changed": changed},
                )
            view = self._view(session, proceeding, case)
        return Outcome(view, Changes.of(*_CHANGES, case_id=case.id) if changed else Changes())

    # -- charges -------------------------------------------------------------

    def add_charge(self, proceeding_id: uuid.UUID, draft: ChargeDraft) -> Outcome[ProceedingView]:
        self._require_court_edit()
        draft = _clean_charge(draft)
        draft.validate(today=today())
        with self._write() as session:
            proceeding, case = self._proceeding(session, proceeding_id, for_edit=True)
            self._check_first_charge(session, proceeding, draft)
            charge = self._new_charge(proceeding, draft, amends=None)
            session.add(charge)
            session.flush()
            self._audit(
                session,
                "charge.create",
                "charge",
                charge.id,
                case_id=case.id,
                details={
                    "proceeding_id": str(proceeding.id),
                    "statute": charge.statute,
                    "section": charge.section,
                    "filed_on": charge.filed_on.isoformat(),
                },
            )
            view = self._view(session, proceeding, case)
        return Outcome(view, Changes.of(*_CHANGES, case_id=case.id))

    def amend_charge(self, charge_id: uuid.UUID, draft: ChargeDraft) -> Outcome[ProceedingView]:
        """Replace a charge by an amended one: the old one stays, marked amended."""
        self._require_court_edit()
        draft = _clean_charge(replace(draft, status=ChargeStatus.FILED))
        draft.validate(today=today())
        with self._write() as session:
            old = session.get(Charge, charge_id)
            if old is None or old.deleted_at is not None:
                raise NotFound("There is no such charge.", code="charge_not_found")
            proceeding, case = self._proceeding(session, old.proceeding_id, for_edit=True)
            if old.status is not ChargeStatus.FILED:
                raise RuleViolation(
                    f"Only a pending charge can be amended; this one is "
                    f"'{old.status.label.lower()}'.",
                    code="charge_not_pending",
                )
            if draft.filed_on < old.filed_on:
                raise ValidationError.single(
                    "filed_on",
                    "before_original",
                    f"The amended charge is dated before the charge it amends "
                    f"({old.filed_on.isoformat()}).",
                )
            old.status = ChargeStatus.AMENDED
            self._stamp(old, new=False)
            charge = self._new_charge(proceeding, draft, amends=old.id)
            session.add(charge)
            session.flush()
            self._audit(
                session,
                "charge.amend",
                "charge",
                charge.id,
                case_id=case.id,
                details={
                    "amends": str(old.id),
                    "statute": charge.statute,
                    "section": charge.section,
                    "filed_on": charge.filed_on.isoformat(),
                },
            )
            view = self._view(session, proceeding, case)
        return Outcome(view, Changes.of(*_CHANGES, case_id=case.id))

    def set_charge_status(
        self, charge_id: uuid.UUID, status: ChargeStatus
    ) -> Outcome[ProceedingView]:
        """Withdrawn, dismissed, convicted or acquitted on this charge."""
        self._require_court_edit()
        if status is ChargeStatus.AMENDED:
            raise RuleViolation(
                "A charge becomes 'amended' when an amended charge replaces it; amend it instead.",
                code="use_amend",
            )
        with self._write() as session:
            charge = session.get(Charge, charge_id)
            if charge is None or charge.deleted_at is not None:
                raise NotFound("There is no such charge.", code="charge_not_found")
            proceeding, case = self._proceeding(session, charge.proceeding_id, for_edit=True)
            if charge.status is ChargeStatus.AMENDED:
                raise RuleViolation(
                    "This charge was replaced by an amended one; change that one instead.",
                    code="charge_amended",
                )
            before = charge.status
            if before is not status:
                charge.status = status
                self._stamp(charge, new=False)
                session.flush()
                self._audit(
                    session,
                    "charge.status",
                    "charge",
                    charge.id,
                    case_id=case.id,
                    details={"from": before.value, "to": status.value},
                )
            view = self._view(session, proceeding, case)
        return Outcome(view, Changes.of(*_CHANGES, case_id=case.id))

    def _new_charge(
        self, proceeding: Proceeding, draft: ChargeDraft, *, amends: uuid.UUID | None
    ) -> Charge:
        charge = Charge(
            proceeding_id=proceeding.id,
            statute=draft.statute,
            section=draft.section,
            description=draft.description,
            filed_on=draft.filed_on,
            status=draft.status,
            amends_id=amends,
        )
        self._stamp(charge, new=True)
        return charge

    def _check_first_charge(
        self, session: Session, proceeding: Proceeding, draft: ChargeDraft
    ) -> None:
        """A hearing of the proceeding may not come before its first charge:
        a charge that would be the first must not postdate a hearing."""
        first = first_charge_date(self._charge_rules(session, proceeding.id))
        if first is not None and first <= draft.filed_on:
            return
        earliest = session.execute(
            select(Hearing.scheduled_at, Hearing.timezone)
            .where(Hearing.proceeding_id == proceeding.id, Hearing.deleted_at.is_(None))
            .order_by(Hearing.scheduled_at)
            .limit(1)
        ).first()
        if earliest is None:
            return
        heard_on = local_time(earliest[0], earliest[1]).date()
        if heard_on < draft.filed_on:
            raise ValidationError.single(
                "filed_on",
                "charge_after_hearing",
                f"The proceeding already has a hearing on {heard_on.isoformat()}, before "
                f"this filing date ({draft.filed_on.isoformat()}); a hearing comes after the "
                "charge. Check the filing date.",
            )

    # -- custody -------------------------------------------------------------

    def record_custody(
        self, proceeding_id: uuid.UUID, draft: CustodyDraft
    ) -> Outcome[ProceedingView]:
        """A custody change from a day on; the latest one is the accused's status."""
        self._require_court_edit()
        draft = replace(draft, place=draft.place.strip(), notes=draft.notes.strip())
        draft.validate(today=today())
        with self._write() as session:
            proceeding, case = self._proceeding(session, proceeding_id, for_edit=True)
            history = [
                (e.on_date, e.status)
                for e in session.scalars(
                    select(CustodyEvent).where(
                        CustodyEvent.proceeding_id == proceeding.id,
                        CustodyEvent.deleted_at.is_(None),
                    )
                )
            ]
            check_custody(history, draft)
            event = CustodyEvent(
                proceeding_id=proceeding.id,
                status=draft.status,
                on_date=draft.on,
                place=draft.place,
                notes=draft.notes,
            )
            self._stamp(event, new=True)
            session.add(event)
            accused = session.get(Accused, proceeding.accused_id)
            assert accused is not None
            latest = max((on for on, _ in history), default=None)
            if latest is None or draft.on >= latest:
                accused.custody_status = draft.status
                self._stamp(accused, new=False)
            session.flush()
            self._audit(
                session,
                "custody.record",
                "accused",
                accused.id,
                case_id=case.id,
                details={
                    "accused": accused.code,
                    "status": draft.status.value,
                    "on": draft.on.isoformat(),
                },
            )
            view = self._view(session, proceeding, case)
        return Outcome(view, Changes.of(*_CHANGES, "people", case_id=case.id))

    # -- milestones ------------------------------------------------------------

    def record_milestone(
        self,
        proceeding_id: uuid.UUID,
        key: str,
        on: date,
        *,
        skipped: bool = False,
        reason: str = "",
    ) -> Outcome[ProceedingView]:
        """Record a milestone reached on ``on`` (or skipped, with a reason).

        The domain's order rules decide; the first milestone starts the
        accountability track, an appeal reopens it, and the final judgment
        completes it once every proceeding of the case is concluded."""
        self._require_court_edit()
        if on > today():
            raise ValidationError.single(
                "on", "future_date", f"The date {on.isoformat()} is in the future."
            )
        record = MilestoneRule(key.strip(), on, skipped, reason.strip())
        track_changed = False
        with self._write() as session:
            proceeding, case = self._proceeding(session, proceeding_id, for_edit=True)
            pathway = self._pathway_of(proceeding)
            records = self._milestone_rules(session, proceeding.id)
            check = check_milestone(
                pathway,
                records,
                record,
                charges=self._charge_rules(session, proceeding.id),
                outcome=proceeding.outcome,
            )
            seq = (
                session.scalar(
                    select(func.max(MilestoneRecord.seq)).where(
                        MilestoneRecord.proceeding_id == proceeding.id
                    )
                )
                or 0
            ) + 1
            row = MilestoneRecord(
                proceeding_id=proceeding.id,
                seq=seq,
                key=check.milestone.key,
                label=check.milestone.label,
                stage=check.milestone.stage,
                on_date=on,
                skipped=skipped,
                reason=record.reason,
            )
            self._stamp(row, new=True)
            session.add(row)
            proceeding.reporting_stage = check.reporting_stage
            if check.reopens_track:
                proceeding.appealed = True
            self._stamp(proceeding, new=False)
            session.flush()
            accused = session.get(Accused, proceeding.accused_id)
            self._audit(
                session,
                "milestone.skip" if skipped else "milestone.record",
                "proceeding",
                proceeding.id,
                case_id=case.id,
                details={
                    "accused": accused.code if accused else "",
                    "milestone": check.milestone.key,
                    "on": on.isoformat(),
                    # Free text stays out of the log: a name may have been typed into it.
                    "reason_given": bool(record.reason),
                    "passed_over": [m.key for m in check.passed_over],
                },
            )
            status = self._track_status(case)
            label = f"{check.milestone.label} ({accused.code if accused else ''})"
            if not skipped and status in (TrackStatus.NOT_STARTED, TrackStatus.NOT_APPLICABLE):
                track_changed = self._move_accountability(
                    session, case, TrackStatus.ACTIVE, on=on, reason=f"{label} recorded"
                )
            elif check.reopens_track and status is TrackStatus.COMPLETED:
                track_changed = self._move_accountability(
                    session,
                    case,
                    TrackStatus.ACTIVE,
                    on=on,
                    reason=f"{check.reopen_reason} ({accused.code if accused else ''})",
                )
            elif check.concludes_track:
                track_changed = self._conclude_if_done(session, case, on)
            if track_changed:
                session.refresh(case)
            view = self._view(session, proceeding, case)
        changes = Changes.of(*_CHANGES, case_id=case.id)
        if track_changed:
            changes = changes | Changes.of("cases", "tracks", case_id=case.id)
        return Outcome(view, changes)

    # -- outcome and sentence --------------------------------------------------

    def record_outcome(
        self, proceeding_id: uuid.UUID, draft: OutcomeDraft
    ) -> Outcome[ProceedingView]:
        """The outcome (convicted, acquitted, dismissed, withdrawn, plea) and,
        after a conviction, the sentence. A verdict needs a charge and, where
        the pathway has one, the judgment recorded; a sentence needs a conviction."""
        self._require_court_edit()
        draft = replace(
            draft, fine_currency=draft.fine_currency.strip().upper(), notes=draft.notes.strip()
        )
        draft.validate(today=today())
        track_changed = False
        with self._write() as session:
            proceeding, case = self._proceeding(session, proceeding_id, for_edit=True)
            pathway = self._pathway_of(proceeding)
            records = self._milestone_rules(session, proceeding.id)
            check_outcome(
                pathway,
                records,
                draft.outcome,
                charges=self._charge_rules(session, proceeding.id),
            )
            before = proceeding.outcome
            proceeding.outcome = draft.outcome
            proceeding.outcome_on = draft.on
            proceeding.prison_months = draft.prison_months
            proceeding.life_sentence = draft.life_sentence
            proceeding.fine_amount = draft.fine_amount
            proceeding.fine_currency = draft.fine_currency if draft.fine_amount is not None else ""
            if draft.notes:
                proceeding.notes = (
                    f"{proceeding.notes}\n{draft.notes}" if proceeding.notes else draft.notes
                )
            self._stamp(proceeding, new=False)
            session.flush()
            accused = session.get(Accused, proceeding.accused_id)
            self._audit(
                session,
                "proceeding.outcome",
                "proceeding",
                proceeding.id,
                case_id=case.id,
                details={
                    "accused": accused.code if accused else "",
                    "from": before.value,
                    "to": draft.outcome.value,
                    "on": draft.on.isoformat() if draft.on else None,
                    "prison_months": draft.prison_months,
                    "life_sentence": draft.life_sentence,
                    "fine": str(draft.fine_amount) if draft.fine_amount is not None else None,
                    "currency": proceeding.fine_currency,
                },
            )
            if draft.on is not None:
                track_changed = self._conclude_if_done(session, case, draft.on)
            if track_changed:
                session.refresh(case)
            view = self._view(session, proceeding, case)
        changes = Changes.of(*_CHANGES, case_id=case.id)
        if track_changed:
            changes = changes | Changes.of("cases", "tracks", case_id=case.id)
        return Outcome(view, changes)

    def record_sentence(
        self,
        proceeding_id: uuid.UUID,
        *,
        prison_months: int | None = None,
        life_sentence: bool = False,
        fine_amount: Decimal | None = None,
        fine_currency: str = "",
    ) -> Outcome[ProceedingView]:
        """The sentence after a conviction already recorded."""
        current = self.proceeding(proceeding_id)
        return self.record_outcome(
            proceeding_id,
            OutcomeDraft(
                outcome=current.outcome,
                on=current.outcome_on,
                prison_months=prison_months,
                life_sentence=life_sentence,
                fine_amount=fine_amount,
                fine_currency=fine_currency,
            ),
        )


def _check_version(actual: int, expected: int, what: str) -> None:
    if actual != expected:
        raise ConflictError(
            f"The {what} was changed by someone else while you edited it. Reload it and "
            "make your change again.",
            code="stale",
        )


def _clean_charge(draft: ChargeDraft) -> ChargeDraft:
    return replace(
        draft,
        statute=draft.statute.strip(),
        section=draft.section.strip(),
        description=draft.description.strip(),
    )


def _zone_of(case: Case) -> str:
    country = COUNTRIES.get(case.country)
    return country.timezone if country else "UTC"
