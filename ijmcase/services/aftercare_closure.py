"""Closing a survivor's aftercare, its director's approval, and reopening it.

How approval is recorded: closing as "restored" makes an ``AftercareClosure``
row in ``pending_approval`` once the rules other than approval hold (a closure
assessment within the window, at the threshold). A director then approves it
(``closed``: ``approved_by`` and ``decided_at`` are filled, the assessment
relied on is named) or declines it with a reason (``declined``). The rules are
checked again at approval, so an assessment that aged past the window in the
meantime is caught. A director who closes as restored approves it in the same
step. Every other reason closes at once.

The case's aftercare track follows: when every survivor in the case has
their aftercare closed, the track moves to completed, and reopening a
survivor's aftercare (a relapse) moves a completed track back to active. The
moves follow ``domain.stages`` and are written as ``CaseService.change_track``
writes them (the track, a ``StageTransition`` row, a ``track.change`` audit
event), inside the same unit of work as the closing itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.aftercare import ClosureDraft, needs_approval
from ijmcase.domain.assessments import (
    AssessmentScores,
    ClosureGap,
    aftercare_closure_gaps,
    check_aftercare_closure,
)
from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentType,
    ClosureStatus,
    Role,
    Stage,
    TrackStatus,
)
from ijmcase.domain.errors import AccessDenied, ConflictError, RuleViolation, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.models import (
    AftercareClosure,
    Assessment,
    Case,
    Survivor,
)
from ijmcase.services.assessments import LIVE_CLOSURE, current_assessments, scores_of
from ijmcase.services.care_common import (
    aftercare_track,
    case_survivors,
    not_found,
    survivor_in_case,
    user_names,
)
from ijmcase.services.care_settings import read_care_settings
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.instruments import find_instrument

__all__ = ["AftercareClosureService", "ClosureView"]


@dataclass(frozen=True)
class ClosureView:
    id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    survivor_id: uuid.UUID
    survivor_code: str
    reason: AftercareClosureReason
    closed_on: date
    status: ClosureStatus
    assessment_id: uuid.UUID | None
    requested_by_name: str
    approved_by_name: str
    decided_at: datetime | None
    decision_note: str
    note: str


class AftercareClosureService(CaseAccess):
    # -- what is missing ----------------------------------------------------

    def check(
        self, case_id: uuid.UUID, survivor_id: uuid.UUID, reason: AftercareClosureReason
    ) -> list[ClosureGap]:
        """What is still missing to close this survivor's aftercare for ``reason``,
        for the GUI to show before anyone presses the button (empty: it may close)."""
        with self._read() as session:
            case = self._load(session, case_id)
            survivor = survivor_in_case(session, case, survivor_id)
            settings = read_care_settings(session)
            latest = self._latest_closure_assessment(session, case, survivor)
            approver = Role.DIRECTOR if self.actor.role is Role.DIRECTOR else None
            return aftercare_closure_gaps(
                reason,
                latest[1] if latest else None,
                approver,
                today(),
                settings.closure_max_age_days,
                settings.threshold,
            )

    def _latest_closure_assessment(
        self, session: Session, case: Case, survivor: Survivor
    ) -> tuple[Assessment, tuple[date, AssessmentScores]] | None:
        row = session.scalar(
            select(Assessment)
            .where(
                Assessment.case_id == case.id,
                Assessment.survivor_id == survivor.id,
                Assessment.type == AssessmentType.CLOSURE,
                current_assessments(),
            )
            .order_by(Assessment.assessed_on.desc(), Assessment.created_at.desc())
            .limit(1)
        )
        if row is None:
            return None
        instrument = find_instrument(session, row.instrument_id, row.instrument_version)
        return row, (row.assessed_on, scores_of(session, row, instrument)[0])

    # -- closing --------------------------------------------------------------

    def close(self, case_id: uuid.UUID, draft: ClosureDraft) -> Outcome[ClosureView]:
        """Close a survivor's aftercare; "restored" waits for a director unless one closes it."""
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if case.closed_on is not None:
                raise RuleViolation(
                    f"Case {case.code} is closed. Reopen it before changing its aftercare.",
                    code="case_closed",
                )
            track = aftercare_track(case)
            if track.status is not TrackStatus.ACTIVE:
                raise RuleViolation(
                    f"The aftercare track of case {case.code} is {track.status.label.lower()}; "
                    "aftercare can be closed only while it is active.",
                    code="aftercare_not_active",
                )
            draft.validate(today=today(), aftercare_started_on=track.started_on)
            survivor = survivor_in_case(session, case, draft.survivor_id)
            live = self._live(session, case.id, survivor.id)
            if live is not None:
                state = (
                    "already closed"
                    if live.status is ClosureStatus.CLOSED
                    else "already waiting for a director's approval to close"
                )
                raise ConflictError(
                    f"The aftercare of {survivor.code} in case {case.code} is {state}.",
                    code="closure_exists",
                )
            status = ClosureStatus.CLOSED
            assessment_id: uuid.UUID | None = None
            director = self.actor.role is Role.DIRECTOR
            if needs_approval(draft.reason):
                settings = read_care_settings(session)
                latest = self._latest_closure_assessment(session, case, survivor)
                # Everything but the approval must hold before a director is asked.
                check_aftercare_closure(
                    draft.reason,
                    latest[1] if latest else None,
                    Role.DIRECTOR,
                    today(),
                    settings.closure_max_age_days,
                    settings.threshold,
                )
                assert latest is not None  # the check above needs one
                assessment_id = latest[0].id
                if not director:
                    status = ClosureStatus.PENDING_APPROVAL
            row = AftercareClosure(
                case_id=case.id,
                survivor_id=survivor.id,
                reason=draft.reason,
                closed_on=draft.closed_on,
                status=status,
                assessment_id=assessment_id,
                requested_by=self.actor.user_id,
                approved_by=self.actor.user_id
                if status is ClosureStatus.CLOSED and needs_approval(draft.reason)
                else None,
                decided_at=utcnow() if status is ClosureStatus.CLOSED else None,
                note=draft.note.strip(),
            )
            self._stamp(row, new=True)
            session.add(row)
            session.flush()
            self._audit(
                session,
                "aftercare.close"
                if status is ClosureStatus.CLOSED
                else "aftercare.close_requested",
                "aftercare_closure",
                row.id,
                case_id=case.id,
                details={
                    "survivor": survivor.code,
                    "reason": draft.reason.value,
                    "on": draft.closed_on.isoformat(),
                    "approved": status is ClosureStatus.CLOSED and needs_approval(draft.reason),
                },
            )
            moved = status is ClosureStatus.CLOSED and self._follow(session, case)
            view = self._views(session, [row])[0]
        return Outcome(view, self._changes(case_id, moved))

    def approve(self, closure_id: uuid.UUID, note: str = "") -> Outcome[ClosureView]:
        """A director's approval of closing as restored; the rules are checked again now."""
        with self._write() as session:
            row, case = self._pending(session, closure_id)
            survivor = survivor_in_case(session, case, row.survivor_id)
            settings = read_care_settings(session)
            latest = self._latest_closure_assessment(session, case, survivor)
            check_aftercare_closure(
                row.reason,
                latest[1] if latest else None,
                self.actor.role,
                today(),
                settings.closure_max_age_days,
                settings.threshold,
            )
            assert latest is not None
            track = aftercare_track(case)
            if track.status is not TrackStatus.ACTIVE or case.closed_on is not None:
                raise RuleViolation(
                    f"The aftercare track of case {case.code} is no longer active; decline "
                    "this request and reopen aftercare first if it should continue.",
                    code="aftercare_not_active",
                )
            row.status = ClosureStatus.CLOSED
            row.approved_by = self.actor.user_id
            row.decided_at = utcnow()
            row.decision_note = note.strip()
            row.assessment_id = latest[0].id
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "aftercare.approve",
                "aftercare_closure",
                row.id,
                case_id=case.id,
                details={"survivor": survivor.code, "reason": row.reason.value},
            )
            moved = self._follow(session, case)
            view = self._views(session, [row])[0]
        return Outcome(view, self._changes(case.id, moved))

    def decline(self, closure_id: uuid.UUID, note: str) -> Outcome[ClosureView]:
        """A director refuses to close as restored, and says why."""
        if self.actor.role is not Role.DIRECTOR:
            raise AccessDenied(
                "Only a director can decide on closing aftercare as restored.",
                code="approval_not_director",
            )
        if not note.strip():
            raise ValidationError.single(
                "note", "required", "Say why closing as restored is declined."
            )
        with self._write() as session:
            row, case = self._pending(session, closure_id)
            row.status = ClosureStatus.DECLINED
            row.approved_by = None
            row.decided_at = utcnow()
            row.decision_note = note.strip()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "aftercare.decline",
                "aftercare_closure",
                row.id,
                case_id=case.id,
                details={"reason": row.reason.value, "note": note.strip()},
            )
            view = self._views(session, [row])[0]
        return Outcome(view, self._changes(case.id, False))

    def reopen(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        reason: str,
        *,
        on: date | None = None,
    ) -> Outcome[ClosureView]:
        """Undo a closing (a relapse, a request withdrawn); a completed track reopens."""
        if not reason.strip():
            raise ValidationError.single("reason", "required", "Say why aftercare is reopened.")
        on = on or today()
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            survivor = survivor_in_case(session, case, survivor_id)
            row = self._live(session, case.id, survivor.id)
            if row is None:
                raise RuleViolation(
                    f"The aftercare of {survivor.code} in case {case.code} is not closed.",
                    code="not_closed",
                )
            was_closed = row.status is ClosureStatus.CLOSED
            row.status = ClosureStatus.REOPENED
            row.decision_note = reason.strip()
            self._stamp(row, new=False)
            moved = False
            if was_closed and aftercare_track(case).status is TrackStatus.COMPLETED:
                self._move(session, case, TrackStatus.ACTIVE, on, reason=reason.strip())
                moved = True
            session.flush()
            self._audit(
                session,
                "aftercare.reopen",
                "aftercare_closure",
                row.id,
                case_id=case.id,
                details={"survivor": survivor.code, "reason": reason.strip()},
            )
            view = self._views(session, [row])[0]
        return Outcome(view, self._changes(case.id, moved))

    def _pending(self, session: Session, closure_id: uuid.UUID) -> tuple[AftercareClosure, Case]:
        row = session.get(AftercareClosure, closure_id)
        if row is None or row.deleted_at is not None:
            raise not_found("closing of aftercare", "closure_not_found")
        case = self._load(session, row.case_id, for_edit=True)
        if row.status is not ClosureStatus.PENDING_APPROVAL:
            raise RuleViolation(
                f"This closing is {row.status.label.lower()}; only one waiting for approval "
                "can be approved or declined.",
                code="not_pending",
            )
        return row, case

    def _live(
        self, session: Session, case_id: uuid.UUID, survivor_id: uuid.UUID
    ) -> AftercareClosure | None:
        return session.scalar(
            select(AftercareClosure)
            .where(
                AftercareClosure.case_id == case_id,
                AftercareClosure.survivor_id == survivor_id,
                AftercareClosure.status.in_(LIVE_CLOSURE),
                AftercareClosure.deleted_at.is_(None),
            )
            .order_by(AftercareClosure.created_at.desc())
            .limit(1)
        )

    # -- the track follows ------------------------------------------------------

    def _follow(self, session: Session, case: Case) -> bool:
        """Complete the aftercare track once every survivor's aftercare is closed."""
        if aftercare_track(case).status is not TrackStatus.ACTIVE:
            return False
        closed = {
            c.survivor_id: c
            for c in session.scalars(
                select(AftercareClosure).where(
                    AftercareClosure.case_id == case.id,
                    AftercareClosure.status == ClosureStatus.CLOSED,
                    AftercareClosure.deleted_at.is_(None),
                )
            )
        }
        people = case_survivors(session, case.id)
        if not people or any(s.id not in closed for s in people):
            return False
        outcome = "Aftercare closed: " + "; ".join(
            f"{s.code} {closed[s.id].reason.label.lower()}" for s in people
        )
        last = max(c.closed_on for c in closed.values())
        self._move(session, case, TrackStatus.COMPLETED, last, outcome=outcome + ".")
        return True

    def _move(
        self,
        session: Session,
        case: Case,
        target: TrackStatus,
        on: date,
        *,
        reason: str = "",
        outcome: str = "",
    ) -> None:
        self._move_track(session, case, Stage.AFTERCARE, target, on, reason=reason, outcome=outcome)

    # -- reading --------------------------------------------------------------

    def closures(self, case_id: uuid.UUID) -> list[ClosureView]:
        """Every closing of aftercare in a case, newest first, declined and reopened too."""
        with self._read() as session:
            self._load(session, case_id)
            rows = list(
                session.scalars(
                    select(AftercareClosure)
                    .where(
                        AftercareClosure.case_id == case_id, AftercareClosure.deleted_at.is_(None)
                    )
                    .order_by(AftercareClosure.created_at.desc())
                )
            )
            return self._views(session, rows)

    def pending_approvals(self) -> list[ClosureView]:
        """Requests to close as restored waiting for a director, oldest first."""
        self._require(Permission.CASE_READ, "see requests to close aftercare")
        with self._read() as session:
            rows = list(
                session.scalars(
                    select(AftercareClosure)
                    .join(Case, Case.id == AftercareClosure.case_id)
                    .where(
                        AftercareClosure.status == ClosureStatus.PENDING_APPROVAL,
                        AftercareClosure.deleted_at.is_(None),
                        self._visible_clause(),
                    )
                    .order_by(AftercareClosure.created_at)
                )
            )
            return self._views(session, rows)

    def _views(self, session: Session, rows: list[AftercareClosure]) -> list[ClosureView]:
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
        names = user_names(session, [u for r in rows for u in (r.requested_by, r.approved_by)])
        return [
            ClosureView(
                id=r.id,
                case_id=r.case_id,
                case_code=cases.get(r.case_id, ""),
                survivor_id=r.survivor_id,
                survivor_code=codes.get(r.survivor_id, ""),
                reason=r.reason,
                closed_on=r.closed_on,
                status=r.status,
                assessment_id=r.assessment_id,
                requested_by_name=names.get(r.requested_by, ""),
                approved_by_name=names.get(r.approved_by, "") if r.approved_by else "",
                decided_at=r.decided_at,
                decision_note=r.decision_note,
                note=r.note,
            )
            for r in rows
        ]

    @staticmethod
    def _changes(case_id: uuid.UUID, moved: bool) -> Changes:
        areas = ("aftercare", "cases", "tracks") if moved else ("aftercare",)
        return Changes.of(*areas, case_id=case_id)
