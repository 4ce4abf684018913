"""Which cases the acting user may see and change, for every case service.

Restricted cases are hidden from staff not assigned to them; everyone else
who may read cases sees the rest. A hidden case is reported as "not found",
not "denied", because the existence of a restricted case is itself
sensitive. Services about one case (history, interventions, proceedings,
aftercare) inherit ``CaseAccess`` so the rule lives in one place.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import Sensitivity
from ijmcase.domain.errors import AccessDenied, NotFound
from ijmcase.domain.permissions import Permission, has_permission, may_edit_case, may_see_case
from ijmcase.persistence.models import Case, CaseAssignment
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
