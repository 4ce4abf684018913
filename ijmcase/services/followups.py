"""Follow-ups and "My day": what the logged-in person has to do, and the two
actions on each item.

An intervention logged with a follow-up date opens a follow-up for the
staff member who did the work. ``my_day()`` lists that person's open
follow-ups that are overdue, due today and (optionally) coming up, in open
cases they may see; it reads one index (``ix_follow_ups_my_day``).

The actions:

- ``log_follow_up(id, draft)``: log the intervention that does it; the
  follow-up is marked done by it, in the same unit of work.
  ``follow_up_draft(id)`` gives the form a draft to start from.
- ``reschedule(id, day)``: the follow-up is closed as rescheduled and a new
  one carries the new day, so postponements stay visible.
- ``cancel(id, note)``: no longer needed, with the reason.

The person a follow-up is assigned to may act on it, and so may anyone who
may change the case.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import FollowUpState, InterventionType, PartyKind, Stage
from ijmcase.domain.errors import AccessDenied, NotFound, RuleViolation, ValidationError
from ijmcase.domain.interventions import InterventionDraft, reschedule_problem
from ijmcase.domain.permissions import Permission, may_edit_case
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.models import Case, FollowUp, Intervention, User
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.interventions import InterventionService, Logged, people_of

__all__ = ["FollowUpRow", "FollowUpService", "MyDay"]

_MAX_NOTE = 2000


@dataclass(frozen=True)
class FollowUpRow:
    id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    case_title: str
    due_on: date
    state: FollowUpState
    days_overdue: int  # 0: due today; negative: days still to go
    intervention_id: uuid.UUID  # the intervention that asked for it
    intervention_type: InterventionType
    stage: Stage
    asked_on: date  # the day of that intervention (UTC)
    asked_outcome: str
    survivors: tuple[str, ...]  # codes
    assigned_to_id: uuid.UUID | None
    assigned_to_name: str
    completed_by_id: uuid.UUID | None
    replaced_by_id: uuid.UUID | None
    note: str
    version: int


@dataclass(frozen=True)
class MyDay:
    on: date
    overdue: tuple[FollowUpRow, ...]
    due_today: tuple[FollowUpRow, ...]
    upcoming: tuple[FollowUpRow, ...]

    @property
    def due(self) -> tuple[FollowUpRow, ...]:
        """Overdue and due today: what the day's work is."""
        return self.overdue + self.due_today


class FollowUpService(InterventionService):
    # -- reading ----------------------------------------------------------

    def my_day(self, *, on: date | None = None, upcoming_days: int = 7) -> MyDay:
        """The acting user's open follow-ups up to ``on`` (+ ``upcoming_days``)."""
        self._require(Permission.CASE_READ, "read cases")
        day = on or today()
        horizon = day + timedelta(days=max(0, upcoming_days))
        with self._read() as session:
            follow_ups = list(
                session.scalars(
                    select(FollowUp)
                    .join(Case, Case.id == FollowUp.case_id)
                    .where(
                        FollowUp.assigned_to_id == self.actor.user_id,
                        FollowUp.state == FollowUpState.OPEN,
                        FollowUp.due_on <= horizon,
                        FollowUp.deleted_at.is_(None),
                        Case.closed_on.is_(None),
                        self._visible_clause(),
                    )
                    .order_by(FollowUp.due_on, Case.code, FollowUp.id)
                )
            )
            rows = self._rows(session, follow_ups, day)
        return MyDay(
            on=day,
            overdue=tuple(r for r in rows if r.due_on < day),
            due_today=tuple(r for r in rows if r.due_on == day),
            upcoming=tuple(r for r in rows if r.due_on > day),
        )

    def case_follow_ups(self, case_id: uuid.UUID) -> list[FollowUpRow]:
        """Every follow-up of a case (open and closed), by due day."""
        with self._read() as session:
            self._load(session, case_id)
            follow_ups = list(
                session.scalars(
                    select(FollowUp)
                    .where(FollowUp.case_id == case_id, FollowUp.deleted_at.is_(None))
                    .order_by(FollowUp.due_on, FollowUp.created_at)
                )
            )
            return self._rows(session, follow_ups, today())

    def follow_up(self, follow_up_id: uuid.UUID) -> FollowUpRow:
        with self._read() as session:
            row = self._follow_up(session, follow_up_id)
            return self._rows(session, [row], today())[0]

    def follow_up_draft(self, follow_up_id: uuid.UUID) -> InterventionDraft:
        """A draft for the intervention that does the follow-up: the same stage
        and people as the one that asked for it, a phone follow-up by default
        (the form may change it), dated now."""
        with self._read() as session:
            row = self._follow_up(session, follow_up_id)
            origin = session.get(Intervention, row.intervention_id)
            assert origin is not None
            people = people_of(session, [origin.id]).get(origin.id, ())
            return InterventionDraft(
                type=InterventionType.PHONE_FOLLOW_UP,
                stage=origin.stage,
                occurred_at=datetime.now(UTC).replace(second=0, microsecond=0),
                people=tuple(p.ref for p in people),
                location=origin.location,
            )

    # -- the two actions, and cancelling ------------------------------------

    def log_follow_up(self, follow_up_id: uuid.UUID, draft: InterventionDraft) -> Outcome[Logged]:
        """Log the intervention that does the follow-up, and mark it done."""
        self._require(Permission.INTERVENTION_LOG, "log interventions")
        draft = draft.normalized()
        draft.validate()
        with self._write() as session:
            row = self._follow_up(session, follow_up_id, for_change=True)
            case = self._load(session, row.case_id, for_edit=True)
            self._check_open(row)
            logged = self._record(session, case, draft, supersedes=None)
            row.state = FollowUpState.DONE
            row.completed_by_id = logged.intervention.id
            row.closed_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "follow_up.done",
                "follow_up",
                row.id,
                case_id=case.id,
                details={"case": case.code, "due_on": row.due_on.isoformat()},
            )
        return Outcome(logged, Changes.of("interventions", "follow_ups", case_id=case.id))

    def reschedule(
        self, follow_up_id: uuid.UUID, due_on: date, *, note: str = ""
    ) -> Outcome[FollowUpRow]:
        """Move a follow-up to another day (today or later)."""
        problem = reschedule_problem(due_on, today=today())
        if problem is not None:
            raise ValidationError(problem)
        note = _checked_note(note, required=False)
        with self._write() as session:
            row = self._follow_up(session, follow_up_id, for_change=True)
            self._check_open(row)
            if due_on == row.due_on:
                raise ValidationError.single(
                    "due_on", "same_date", f"The follow-up is already due on {due_on.isoformat()}."
                )
            moved = FollowUp(
                case_id=row.case_id,
                intervention_id=row.intervention_id,
                assigned_to_id=row.assigned_to_id,
                due_on=due_on,
                state=FollowUpState.OPEN,
                note=note,
            )
            self._stamp(moved, new=True)
            session.add(moved)
            session.flush()
            row.state = FollowUpState.RESCHEDULED
            row.replaced_by_id = moved.id
            row.closed_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            code = session.scalar(select(Case.code).where(Case.id == row.case_id))
            self._audit(
                session,
                "follow_up.reschedule",
                "follow_up",
                row.id,
                case_id=row.case_id,
                details={
                    "case": code,
                    "from": row.due_on.isoformat(),
                    "to": due_on.isoformat(),
                    "new_id": str(moved.id),
                },
            )
            view = self._rows(session, [moved], today())[0]
        return Outcome(view, Changes.of("follow_ups", case_id=view.case_id))

    def cancel(self, follow_up_id: uuid.UUID, note: str) -> Outcome[FollowUpRow]:
        """Close a follow-up that is no longer needed; say why."""
        note = _checked_note(note, required=True)
        with self._write() as session:
            row = self._follow_up(session, follow_up_id, for_change=True)
            self._check_open(row)
            row.state = FollowUpState.CANCELLED
            row.closed_at = utcnow()
            row.note = note
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "follow_up.cancel",
                "follow_up",
                row.id,
                case_id=row.case_id,
                details={"due_on": row.due_on.isoformat()},
            )
            view = self._rows(session, [row], today())[0]
        return Outcome(view, Changes.of("follow_ups", case_id=view.case_id))

    # -- internals ----------------------------------------------------------

    def _follow_up(
        self, session: Session, follow_up_id: uuid.UUID, *, for_change: bool = False
    ) -> FollowUp:
        row = session.get(FollowUp, follow_up_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("There is no such follow-up.", code="follow_up_not_found")
        case = self._load(session, row.case_id)
        if for_change and row.assigned_to_id != self.actor.user_id:
            assigned = self._is_assigned(session, case)
            if not may_edit_case(self.actor.role, assigned=assigned):
                raise AccessDenied(
                    "Only the person the follow-up is for, or staff who may change case "
                    f"{case.code}, can act on it.",
                    code="not_assigned",
                )
        return row

    @staticmethod
    def _check_open(row: FollowUp) -> None:
        if row.state is not FollowUpState.OPEN:
            raise RuleViolation(
                f"This follow-up is already {row.state.label.lower()}; reload My day.",
                code="follow_up_closed",
            )

    def _rows(self, session: Session, follow_ups: list[FollowUp], day: date) -> list[FollowUpRow]:
        if not follow_ups:
            return []
        origins = {
            i.id: i
            for i in session.scalars(
                select(Intervention).where(
                    Intervention.id.in_({f.intervention_id for f in follow_ups})
                )
            )
        }
        people = people_of(session, list(origins))
        cases = {
            c.id: (c.code, c.title)
            for c in session.execute(
                select(Case.id, Case.code, Case.title).where(
                    Case.id.in_({f.case_id for f in follow_ups})
                )
            )
        }
        users = dict(
            session.execute(
                select(User.id, User.display_name).where(
                    User.id.in_({f.assigned_to_id for f in follow_ups if f.assigned_to_id})
                )
            ).all()
        )
        out = []
        for f in follow_ups:
            origin = origins[f.intervention_id]
            code, title = cases[f.case_id]
            out.append(
                FollowUpRow(
                    id=f.id,
                    case_id=f.case_id,
                    case_code=code,
                    case_title=title,
                    due_on=f.due_on,
                    state=f.state,
                    days_overdue=(day - f.due_on).days,
                    intervention_id=origin.id,
                    intervention_type=origin.type,
                    stage=origin.stage,
                    asked_on=origin.occurred_at.astimezone(UTC).date(),
                    asked_outcome=origin.outcome,
                    survivors=tuple(
                        p.label for p in people.get(origin.id, ()) if p.kind is PartyKind.SURVIVOR
                    ),
                    assigned_to_id=f.assigned_to_id,
                    assigned_to_name=users.get(f.assigned_to_id, "") if f.assigned_to_id else "",
                    completed_by_id=f.completed_by_id,
                    replaced_by_id=f.replaced_by_id,
                    note=f.note,
                    version=f.version,
                )
            )
        return out


def _checked_note(note: str, *, required: bool) -> str:
    note = note.strip()
    if required and not note:
        raise ValidationError.single("note", "required", "Say why the follow-up is cancelled.")
    if len(note) > _MAX_NOTE:
        raise ValidationError.single(
            "note", "too_long", f"The note is {len(note):,} characters; the limit is {_MAX_NOTE:,}."
        )
    return note
