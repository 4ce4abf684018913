"""Which cases the acting user may see and change, for every case service.

Restricted cases are hidden from staff not assigned to them; everyone else
who may read cases sees the rest. A hidden case is reported as "not found",
not "denied", because the existence of a restricted case is itself
sensitive. Services about one case (history, interventions, proceedings,
aftercare) inherit ``CaseAccess`` so the rule lives in one place.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from ijmcase.domain import stages
from ijmcase.domain.enums import Sensitivity, Stage, TrackStatus
from ijmcase.domain.errors import AccessDenied, NotFound
from ijmcase.domain.permissions import Permission, has_permission, may_edit_case, may_see_case
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.models import Case, CaseAssignment, StageTrack, StageTransition
from ijmcase.services.context import ServiceBase

__all__ = ["CaseAccess"]


class CaseAccess(ServiceBase):
    # -- visibility -------------------------------------------------------

    def _assigned_clause(self) -> ColumnElement[bool]:
        me = self.actor.user_id
        return or_(
            Case.lead_caseworker_id == me,
            Case.lead_lawyer_id == me,
            exists().where(
                CaseAssignment.case_id == Case.id,
                CaseAssignment.user_id == me,
                CaseAssignment.deleted_at.is_(None),
            ),
        )

    def _visible_clause(self) -> ColumnElement[bool]:
        clause: ColumnElement[bool] = Case.deleted_at.is_(None)
        if not has_permission(self.actor.role, Permission.CASE_READ_RESTRICTED):
            clause = and_(
                clause, or_(Case.sensitivity != Sensitivity.RESTRICTED, self._assigned_clause())
            )
        return clause

    def _is_assigned(self, session: Session, case: Case) -> bool:
        me = self.actor.user_id
        if me in (case.lead_caseworker_id, case.lead_lawyer_id):
            return True
        return (
            session.scalar(
                select(CaseAssignment.id).where(
                    CaseAssignment.case_id == case.id,
                    CaseAssignment.user_id == me,
                    CaseAssignment.deleted_at.is_(None),
                )
            )
            is not None
        )

    def _load(self, session: Session, case_id: uuid.UUID, *, for_edit: bool = False) -> Case:
        self._require(Permission.CASE_READ, "read cases")
        case = session.get(Case, case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("There is no such case.", code="case_not_found")
        assigned = self._is_assigned(session, case)
        if not may_see_case(self.actor.role, case.sensitivity, assigned=assigned):
            # Say "not found", not "denied": a restricted case's existence is itself sensitive.
            raise NotFound("There is no such case.", code="case_not_found")
        if for_edit and not may_edit_case(self.actor.role, assigned=assigned):
            raise AccessDenied(
                f"Only staff assigned to case {case.code} (or a director) can change it.",
                code="not_assigned",
            )
        return case

    def _move_track(
        self,
        session: Session,
        case: Case,
        stage: Stage,
        target: TrackStatus,
        on: date,
        *,
        reason: str = "",
        outcome: str = "",
    ) -> StageTrack:
        """Move one of ``case``'s stage tracks inside the caller's unit of work:
        the rules of ``domain.stages``, the track's dates, a ``StageTransition``
        row and the ``track.change`` audit event. Every service that moves a
        track (cases, court, aftercare) goes through here."""
        track = next(t for t in case.tracks if t.stage is stage)
        state = stages.TrackState(stage, track.status, track.started_on, track.completed_on)
        stages.check_transition(
            state,
            target,
            on=on,
            reason=reason,
            outcome=outcome,
            case_opened_on=case.opened_on,
            case_closed=case.closed_on is not None,
        )
        source = track.status
        track.status = target
        if target is TrackStatus.ACTIVE:
            if source is not TrackStatus.COMPLETED or track.started_on is None:
                track.started_on = on
            track.completed_on = None
        elif target is TrackStatus.COMPLETED:
            track.completed_on = on
            track.outcome_note = outcome.strip()
        elif target is TrackStatus.NOT_STARTED:
            track.started_on = track.completed_on = None
        self._stamp(track, new=False)
        move = StageTransition(
            case_id=case.id,
            track_id=track.id,
            stage=stage,
            from_status=source,
            to_status=target,
            effective_on=on,
            recorded_at=utcnow(),
            reason=(reason or outcome).strip(),
        )
        self._stamp(move, new=True)
        session.add(move)
        session.flush()
        self._audit(
            session,
            "track.change",
            "stage_track",
            track.id,
            case_id=case.id,
            details={
                "stage": stage.value,
                "from": source.value,
                "to": target.value,
                "on": on.isoformat(),
                "reason": reason.strip(),
            },
        )
        return track
