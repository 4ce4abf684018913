"""Care plans and services: goals per assessment domain with target dates and
status, and the services a survivor received.

A goal belongs to one survivor in one case and one domain of the current
instrument (matched by key, so a goal set under version 1 still reads under
version 2 when the domain kept its key). Moving a goal to "achieved" dates it
(``achieved_on``); moving it back clears the date. A service may name the
goal it served, the partner that provided it, and the referral it came from.

Who: the staff who may log field work (``INTERVENTION_LOG``) on a case they
may edit; everyone who sees the case may read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.aftercare import GoalDraft, ServiceDraft
from ijmcase.domain.enums import CareService, GoalStatus
from ijmcase.domain.errors import ConflictError, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.models import (
    CarePlanGoal,
    Case,
    Institution,
    ServiceDelivered,
    Survivor,
)
from ijmcase.services.care_common import institution, not_found, survivor_in_case, user_names
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.instruments import current_instrument

__all__ = ["CarePlanService", "GoalView", "ServiceView"]


@dataclass(frozen=True)
class GoalView:
    id: uuid.UUID
    case_id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_code: str
    domain_key: str
    domain_label: str
    goal: str
    target_on: date | None
    status: GoalStatus
    achieved_on: date | None
    notes: str
    version: int

    def overdue(self, on: date) -> bool:
        return (
            self.status is GoalStatus.ACTIVE and self.target_on is not None and self.target_on < on
        )


@dataclass(frozen=True)
class ServiceView:
    id: uuid.UUID
    case_id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_code: str
    service: CareService
    delivered_on: date
    provider: str
    goal_id: uuid.UUID | None
    referral_id: uuid.UUID | None
    staff_name: str
    notes: str


class CarePlanService(CaseAccess):
    # -- goals ----------------------------------------------------------------

    def add_goal(
        self, case_id: uuid.UUID, survivor_id: uuid.UUID, draft: GoalDraft
    ) -> Outcome[GoalView]:
        self._require(Permission.INTERVENTION_LOG, "plan survivors' care")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            survivor = survivor_in_case(session, case, survivor_id)
            labels = self._domains(session)
            draft.validate(labels)
            goal = CarePlanGoal(
                case_id=case.id,
                survivor_id=survivor.id,
                domain_key=draft.domain_key,
                goal=draft.goal.strip(),
                target_on=draft.target_on,
                status=draft.status,
                achieved_on=today() if draft.status is GoalStatus.ACHIEVED else None,
                notes=draft.notes.strip(),
            )
            self._stamp(goal, new=True)
            session.add(goal)
            session.flush()
            self._audit(
                session,
                "careplan.goal_add",
                "care_plan_goal",
                goal.id,
                case_id=case.id,
                details={"survivor": survivor.code, "domain": draft.domain_key},
            )
            view = _goal(goal, survivor.code, labels)
        return Outcome(view, Changes.of("careplans", case_id=case.id))

    def update_goal(
        self,
        goal_id: uuid.UUID,
        draft: GoalDraft,
        *,
        expected_version: int,
        on: date | None = None,
    ) -> Outcome[GoalView]:
        """Change a goal's text, target or status; ``on`` dates an achievement (default today)."""
        self._require(Permission.INTERVENTION_LOG, "plan survivors' care")
        on = on or today()
        if on > today():
            raise ValidationError.single("on", "future_date", "The date is in the future.")
        with self._write() as session:
            goal = session.get(CarePlanGoal, goal_id)
            if goal is None or goal.deleted_at is not None:
                raise not_found("care-plan goal", "goal_not_found")
            case = self._load(session, goal.case_id, for_edit=True)
            if goal.version != expected_version:
                raise ConflictError(
                    "The goal was changed by someone else while you edited it. Reload it and "
                    "make your change again.",
                    code="stale",
                )
            labels = self._domains(session, also=goal.domain_key)
            draft.validate(labels)
            before = goal.status
            goal.domain_key = draft.domain_key
            goal.goal = draft.goal.strip()
            goal.target_on = draft.target_on
            goal.status = draft.status
            goal.notes = draft.notes.strip()
            if draft.status is GoalStatus.ACHIEVED and before is not GoalStatus.ACHIEVED:
                goal.achieved_on = on
            elif draft.status is not GoalStatus.ACHIEVED:
                goal.achieved_on = None
            self._stamp(goal, new=False)
            session.flush()
            survivor = session.get(Survivor, goal.survivor_id)
            code = survivor.code if survivor else ""
            self._audit(
                session,
                "careplan.goal_update",
                "care_plan_goal",
                goal.id,
                case_id=case.id,
                details={"survivor": code, "from": before.value, "to": draft.status.value},
            )
            view = _goal(goal, code, labels)
        return Outcome(view, Changes.of("careplans", case_id=case.id))

    def goals(self, case_id: uuid.UUID, survivor_id: uuid.UUID | None = None) -> list[GoalView]:
        with self._read() as session:
            self._load(session, case_id)
            stmt = (
                select(CarePlanGoal, Survivor.code)
                .join(Survivor, Survivor.id == CarePlanGoal.survivor_id)
                .where(CarePlanGoal.case_id == case_id, CarePlanGoal.deleted_at.is_(None))
            )
            if survivor_id is not None:
                stmt = stmt.where(CarePlanGoal.survivor_id == survivor_id)
            labels = self._domains(session)
            return [
                _goal(goal, code, labels)
                for goal, code in session.execute(
                    stmt.order_by(Survivor.code, CarePlanGoal.created_at)
                )
            ]

    def _domains(self, session: Session, *, also: str | None = None) -> dict[str, str]:
        """Domain key -> label of the current instrument (plus a goal's old key)."""
        labels = {d.key: d.label for d in current_instrument(session).domains}
        if also is not None:
            labels.setdefault(also, also.replace("_", " ").capitalize())
        return labels

    # -- services delivered ----------------------------------------------------

    def record_service(
        self, case_id: uuid.UUID, survivor_id: uuid.UUID, draft: ServiceDraft
    ) -> Outcome[ServiceView]:
        self._require(Permission.INTERVENTION_LOG, "record services")
        draft.validate(today=today())
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            survivor = survivor_in_case(session, case, survivor_id)
            if draft.provider_institution_id is not None:
                institution(session, draft.provider_institution_id, "provider_institution_id")
            if draft.goal_id is not None:
                goal = session.get(CarePlanGoal, draft.goal_id)
                if (
                    goal is None
                    or goal.deleted_at is not None
                    or (goal.case_id, goal.survivor_id) != (case.id, survivor.id)
                ):
                    raise ValidationError.single(
                        "goal_id", "unknown_goal", f"Choose one of {survivor.code}'s goals."
                    )
            row = ServiceDelivered(
                case_id=case.id,
                survivor_id=survivor.id,
                service=draft.service,
                delivered_on=draft.delivered_on,
                provider_institution_id=draft.provider_institution_id,
                goal_id=draft.goal_id,
                staff_user_id=self.actor.user_id,
                notes=draft.notes.strip(),
            )
            self._stamp(row, new=True)
            session.add(row)
            session.flush()
            self._audit(
                session,
                "service.record",
                "service_delivered",
                row.id,
                case_id=case.id,
                details={
                    "survivor": survivor.code,
                    "service": draft.service.value,
                    "on": draft.delivered_on.isoformat(),
                },
            )
            view = self._services(session, case, [row])[0]
        return Outcome(view, Changes.of("services", case_id=case.id))

    def services(
        self, case_id: uuid.UUID, survivor_id: uuid.UUID | None = None
    ) -> list[ServiceView]:
        """Services delivered in a case, newest first."""
        with self._read() as session:
            case = self._load(session, case_id)
            stmt = select(ServiceDelivered).where(
                ServiceDelivered.case_id == case_id, ServiceDelivered.deleted_at.is_(None)
            )
            if survivor_id is not None:
                stmt = stmt.where(ServiceDelivered.survivor_id == survivor_id)
            rows = list(
                session.scalars(
                    stmt.order_by(
                        ServiceDelivered.delivered_on.desc(), ServiceDelivered.created_at.desc()
                    )
                )
            )
            return self._services(session, case, rows)

    def _services(
        self, session: Session, case: Case, rows: list[ServiceDelivered]
    ) -> list[ServiceView]:
        codes = {
            k: v
            for k, v in session.execute(
                select(Survivor.id, Survivor.code).where(
                    Survivor.id.in_({r.survivor_id for r in rows})
                )
            )
        }
        providers = {
            k: v
            for k, v in session.execute(
                select(Institution.id, Institution.name).where(
                    Institution.id.in_(
                        {r.provider_institution_id for r in rows if r.provider_institution_id}
                    )
                )
            )
        }
        names = user_names(session, [r.staff_user_id for r in rows])
        return [
            ServiceView(
                r.id,
                case.id,
                r.survivor_id,
                codes.get(r.survivor_id, ""),
                r.service,
                r.delivered_on,
                providers.get(r.provider_institution_id, "") if r.provider_institution_id else "",
                r.goal_id,
                r.referral_id,
                names.get(r.staff_user_id, "") if r.staff_user_id else "",
                r.notes,
            )
            for r in rows
        ]


def _goal(goal: CarePlanGoal, code: str, labels: dict[str, str]) -> GoalView:
    return GoalView(
        goal.id,
        goal.case_id,
        goal.survivor_id,
        code,
        goal.domain_key,
        labels.get(goal.domain_key, goal.domain_key),
        goal.goal,
        goal.target_on,
        goal.status,
        goal.achieved_on,
        goal.notes,
        goal.version,
    )
