"""Interventions: log one, correct it (a new version), read its versions.

Logging is one unit of work: the intervention, the people it involved, its
follow-up (if a date is given) and the audit event are saved together. A
date in the future or before the case was opened does not stop the save;
it comes back as a warning (``Logged.warnings``) for the form to show,
because historic entry must stay possible. Everything refused comes back
as a ``ValidationError`` whose problems name the fields.

Interventions are append-only. ``revise`` writes a new row whose
``supersedes_id`` names the one it corrects; the old row is never changed,
so ``versions()`` reads the whole history and a note once saved is never
lost. Only the latest version may be revised (revising an older one would
fork the history; the caller is told to reload).

Audit events carry the type, stage, date and field names, never the notes
or outcome, which may name people.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.enums import (
    FollowUpState,
    InterventionType,
    PartyKind,
    Role,
    Stage,
)
from ijmcase.domain.errors import ConflictError, FieldProblem, NotFound, ValidationError
from ijmcase.domain.interventions import InterventionDraft, PersonRef
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseAssignment,
    CaseParty,
    FollowUp,
    Intervention,
    InterventionPerson,
    PartnerOfficial,
    Survivor,
    User,
)
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today

__all__ = [
    "DraftCheck",
    "EntryDefaults",
    "InterventionService",
    "InterventionView",
    "Logged",
    "PersonLabel",
    "StaffChoice",
    "case_people",
    "people_of",
]


@dataclass(frozen=True)
class PersonLabel:
    """A person as the screens show them: survivors by code, never by name."""

    kind: PartyKind
    id: uuid.UUID
    label: str

    @property
    def ref(self) -> PersonRef:
        return PersonRef(self.kind, self.id)


@dataclass(frozen=True)
class StaffChoice:
    user_id: uuid.UUID
    username: str
    display_name: str


@dataclass(frozen=True)
class InterventionView:
    id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    type: InterventionType
    stage: Stage
    occurred_at: datetime
    duration_minutes: int | None
    staff_user_id: uuid.UUID | None
    staff_name: str
    location: str
    outcome: str
    notes: str
    follow_up_on: date | None
    people: tuple[PersonLabel, ...]
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    version_number: int  # 1 for the first version of this entry
    logged_at: datetime
    logged_by: str

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    def draft(self) -> InterventionDraft:
        """The form's starting point for a correction of this version."""
        return InterventionDraft(
            type=self.type,
            stage=self.stage,
            occurred_at=self.occurred_at,
            duration_minutes=self.duration_minutes,
            people=tuple(p.ref for p in self.people),
            staff_user_id=self.staff_user_id,
            location=self.location,
            outcome=self.outcome,
            notes=self.notes,
            follow_up_on=self.follow_up_on,
        )


@dataclass(frozen=True)
class Logged:
    """A saved intervention and what the person should double-check."""

    intervention: InterventionView
    warnings: tuple[FieldProblem, ...] = ()
    follow_up_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DraftCheck:
    """For the form as the person types: what will be refused, what warned."""

    problems: tuple[FieldProblem, ...]
    warnings: tuple[FieldProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class EntryDefaults:
    """What the entry form starts from: the user's last intervention."""

    case_id: uuid.UUID
    case_code: str
    type: InterventionType
    stage: Stage
    location: str
    duration_minutes: int | None
    staff_user_id: uuid.UUID | None
    people: tuple[PersonLabel, ...]


def _now() -> datetime:
    return datetime.now(UTC)


class InterventionService(CaseAccess):
    # -- reading ----------------------------------------------------------

    def get(self, intervention_id: uuid.UUID) -> InterventionView:
        """One version (current or earlier) of an intervention."""
        with self._read() as session:
            row = self._intervention(session, intervention_id)
            return self._views(session, [row])[0]

    def versions(self, intervention_id: uuid.UUID) -> list[InterventionView]:
        """Every version of the entry that ``intervention_id`` belongs to, oldest first."""
        with self._read() as session:
            row = self._intervention(session, intervention_id)
            return self._views(session, self._chain(session, row))

    def for_case(
        self, case_id: uuid.UUID, *, include_superseded: bool = False
    ) -> list[InterventionView]:
        """A case's interventions, earliest first (current versions unless asked)."""
        with self._read() as session:
            self._load(session, case_id)
            stmt = select(Intervention).where(
                Intervention.case_id == case_id, Intervention.deleted_at.is_(None)
            )
            if not include_superseded:
                later = aliased(Intervention)
                stmt = stmt.where(
                    ~select(later.id).where(later.supersedes_id == Intervention.id).exists()
                )
            rows = list(session.scalars(stmt.order_by(Intervention.occurred_at, Intervention.id)))
            return self._views(session, rows)

    def people_choices(self, case_id: uuid.UUID) -> list[PersonLabel]:
        """The people of a case, for the "people involved" picker."""
        with self._read() as session:
            self._load(session, case_id)
            return case_people(session, case_id)

    def staff_choices(self, case_id: uuid.UUID) -> list[StaffChoice]:
        """Who may be named as having done the work: the case's staff and the user."""
        with self._read() as session:
            case = self._load(session, case_id)
            ids = {self.actor.user_id}
            ids.update(x for x in (case.lead_caseworker_id, case.lead_lawyer_id) if x)
            ids.update(
                session.scalars(
                    select(CaseAssignment.user_id).where(
                        CaseAssignment.case_id == case_id, CaseAssignment.deleted_at.is_(None)
                    )
                )
            )
            users = session.scalars(
                select(User).where(User.id.in_(ids), User.active.is_(True)).order_by(User.username)
            )
            return [StaffChoice(u.id, u.username, u.display_name) for u in users]

    def last_entry_defaults(self) -> EntryDefaults | None:
        """Defaults for the entry form from the user's latest intervention (the
        last one they typed, or did) in a case they may still see; None if
        there is none."""
        with self._read() as session:
            rows = session.execute(
                select(Intervention, Case.code)
                .join(Case, Case.id == Intervention.case_id)
                .where(
                    # Typed by the user, or done by them (entered by a colleague).
                    or_(
                        Intervention.created_by == self.actor.user_id,
                        Intervention.staff_user_id == self.actor.user_id,
                    ),
                    Intervention.deleted_at.is_(None),
                    self._visible_clause(),
                )
                .order_by(Intervention.created_at.desc(), Intervention.id.desc())
                .limit(1)
            ).first()
            if rows is None:
                return None
            row, code = rows
            people = people_of(session, [row.id]).get(row.id, ())
            return EntryDefaults(
                case_id=row.case_id,
                case_code=code,
                type=row.type,
                stage=row.stage,
                location=row.location,
                duration_minutes=row.duration_minutes,
                staff_user_id=row.staff_user_id,
                people=people,
            )

    def check(self, case_id: uuid.UUID, draft: InterventionDraft) -> DraftCheck:
        """Problems and warnings of a draft without saving it."""
        draft = draft.normalized()
        with self._read() as session:
            case = self._load(session, case_id)
            problems = list(draft.problems())
            problems += self._reference_problems(session, case, draft)
            return DraftCheck(tuple(problems), tuple(self._warnings(case, draft)))

    # -- writing ----------------------------------------------------------

    def log(self, case_id: uuid.UUID, draft: InterventionDraft) -> Outcome[Logged]:
        """Save a new intervention; warnings come back with it."""
        self._require(Permission.INTERVENTION_LOG, "log interventions")
        draft = draft.normalized()
        draft.validate()
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            logged = self._record(session, case, draft, supersedes=None)
        return Outcome(logged, Changes.of("interventions", "follow_ups", case_id=case_id))

    def revise(self, intervention_id: uuid.UUID, draft: InterventionDraft) -> Outcome[Logged]:
        """Correct an intervention: a new version that supersedes ``intervention_id``."""
        self._require(Permission.INTERVENTION_LOG, "correct interventions")
        draft = draft.normalized()
        draft.validate()
        with self._write() as session:
            old = self._intervention(session, intervention_id)
            case = self._load(session, old.case_id, for_edit=True)
            newer = session.scalar(
                select(Intervention.id).where(Intervention.supersedes_id == old.id)
            )
            if newer is not None:
                raise ConflictError(
                    "This intervention was corrected by someone else meanwhile. Reload it "
                    "and make your correction on the latest version.",
                    code="stale",
                )
            logged = self._record(session, case, draft, supersedes=old)
        return Outcome(logged, Changes.of("interventions", "follow_ups", case_id=case.id))

    # -- shared with follow-ups ---------------------------------------------

    def _intervention(self, session: Session, intervention_id: uuid.UUID) -> Intervention:
        row = session.get(Intervention, intervention_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("There is no such intervention.", code="intervention_not_found")
        # Checks the case is visible (and says "not found" if it is not).
        self._load(session, row.case_id)
        return row

    def _warnings(self, case: Case, draft: InterventionDraft) -> list[FieldProblem]:
        return draft.warnings(case_opened_on=case.opened_on, now=_now(), today=today())

    def _reference_problems(
        self, session: Session, case: Case, draft: InterventionDraft
    ) -> list[FieldProblem]:
        """People must be in the case; the staff member an active colleague."""
        found: list[FieldProblem] = []
        in_case = {(p.kind, p.id) for p in case_people(session, case.id)}
        strangers = [p for p in draft.people if (p.kind, p.id) not in in_case]
        if strangers:
            found.append(
                FieldProblem(
                    "people",
                    "not_in_case",
                    f"{len(strangers)} of the people chosen "
                    f"{'is' if len(strangers) == 1 else 'are'} not in case {case.code}; add "
                    "them to the case first.",
                )
            )
        staff_id = draft.staff_user_id
        if staff_id is not None and staff_id != self.actor.user_id:
            staff = session.get(User, staff_id)
            if staff is None or not staff.active or staff.role is Role.AUDITOR:
                found.append(
                    FieldProblem("staff_user_id", "unknown_staff", "Choose an active staff member.")
                )
        return found

    def _record(
        self,
        session: Session,
        case: Case,
        draft: InterventionDraft,
        *,
        supersedes: Intervention | None,
    ) -> Logged:
        """Insert one intervention (and its people, follow-up and audit event)."""
        problems = self._reference_problems(session, case, draft)
        if problems:
            raise ValidationError(problems)
        assert draft.type is not None and draft.stage is not None
        assert draft.occurred_at is not None
        survivors = [p.id for p in draft.people if p.kind is PartyKind.SURVIVOR]
        row = Intervention(
            case_id=case.id,
            survivor_id=survivors[0] if survivors else None,
            type=draft.type,
            stage=draft.stage,
            occurred_at=draft.occurred_at,
            duration_minutes=draft.duration_minutes,
            staff_user_id=draft.staff_user_id or self.actor.user_id,
            location=draft.location,
            outcome=draft.outcome,
            notes=draft.notes,
            follow_up_on=draft.follow_up_on,
            supersedes_id=supersedes.id if supersedes is not None else None,
        )
        self._stamp(row, new=True)
        session.add(row)
        session.flush()
        for person in draft.people:
            link = InterventionPerson(
                intervention_id=row.id,
                kind=person.kind,
                survivor_id=person.id if person.kind is PartyKind.SURVIVOR else None,
                accused_id=person.id if person.kind is PartyKind.ACCUSED else None,
                official_id=person.id if person.kind is PartyKind.OFFICIAL else None,
            )
            self._stamp(link, new=True)
            session.add(link)
        follow_up = self._carry_follow_up(session, row, supersedes)
        warnings = self._warnings(case, draft)
        session.flush()
        details: dict[str, object] = {
            "case": case.code,
            "type": row.type.value,
            "stage": row.stage.value,
            "on": draft.occurred_at.astimezone(UTC).date().isoformat(),
            "people": len(draft.people),
        }
        if warnings:
            details["warnings"] = [w.code for w in warnings]
        if supersedes is None:
            self._audit(
                session,
                "intervention.log",
                "intervention",
                row.id,
                case_id=case.id,
                details=details,
            )
        else:
            details["supersedes"] = str(supersedes.id)
            details["changed"] = _changed_fields(supersedes, row, draft, session)
            self._audit(
                session,
                "intervention.revise",
                "intervention",
                row.id,
                case_id=case.id,
                details=details,
            )
        view = self._views(session, [row])[0]
        return Logged(view, tuple(warnings), follow_up.id if follow_up is not None else None)

    def _carry_follow_up(
        self, session: Session, row: Intervention, supersedes: Intervention | None
    ) -> FollowUp | None:
        """Open, move or cancel the follow-up that goes with a new version."""
        existing = None
        if supersedes is not None:
            existing = session.scalar(
                select(FollowUp).where(
                    FollowUp.intervention_id == supersedes.id,
                    FollowUp.state == FollowUpState.OPEN,
                    FollowUp.deleted_at.is_(None),
                )
            )
        if existing is not None:
            # A correction, not a postponement: the same follow-up follows the
            # new version, on the corrected day (or goes, if the date was removed).
            existing.intervention_id = row.id
            if row.follow_up_on is None:
                existing.state = FollowUpState.CANCELLED
                existing.closed_at = utcnow()
                existing.note = "Follow-up date removed in a correction."
            else:
                existing.due_on = row.follow_up_on
            self._stamp(existing, new=False)
            return existing if row.follow_up_on is not None else None
        had_one = supersedes is not None and supersedes.follow_up_on is not None
        if row.follow_up_on is None or had_one:
            return None
        follow_up = FollowUp(
            case_id=row.case_id,
            intervention_id=row.id,
            assigned_to_id=row.staff_user_id,
            due_on=row.follow_up_on,
            state=FollowUpState.OPEN,
        )
        self._stamp(follow_up, new=True)
        session.add(follow_up)
        return follow_up

    def _chain(self, session: Session, row: Intervention) -> list[Intervention]:
        """All versions of ``row``'s entry, oldest first."""
        first = row
        seen = {row.id}
        while first.supersedes_id is not None:
            earlier = session.get(Intervention, first.supersedes_id)
            if earlier is None or earlier.id in seen:
                break
            seen.add(earlier.id)
            first = earlier
        chain = [first]
        while True:
            later = session.scalar(
                select(Intervention)
                .where(Intervention.supersedes_id == chain[-1].id)
                .order_by(Intervention.created_at)
                .limit(1)
            )
            if later is None or later.id in {c.id for c in chain}:
                return chain
            chain.append(later)

    def _views(self, session: Session, rows: Sequence[Intervention]) -> list[InterventionView]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        people = people_of(session, ids)
        successors = dict(
            session.execute(
                select(Intervention.supersedes_id, Intervention.id).where(
                    Intervention.supersedes_id.in_(ids)
                )
            ).all()
        )
        user_ids = {u for r in rows for u in (r.staff_user_id, r.created_by) if u}
        names = dict(
            session.execute(select(User.id, User.display_name).where(User.id.in_(user_ids))).all()
        )
        codes = dict(
            session.execute(
                select(Case.id, Case.code).where(Case.id.in_({r.case_id for r in rows}))
            ).all()
        )
        numbers = self._version_numbers(session, rows)
        return [
            InterventionView(
                id=r.id,
                case_id=r.case_id,
                case_code=codes.get(r.case_id, ""),
                type=r.type,
                stage=r.stage,
                occurred_at=r.occurred_at,
                duration_minutes=r.duration_minutes,
                staff_user_id=r.staff_user_id,
                staff_name=names.get(r.staff_user_id, "") if r.staff_user_id else "",
                location=r.location,
                outcome=r.outcome,
                notes=r.notes,
                follow_up_on=r.follow_up_on,
                people=people.get(r.id, ()),
                supersedes_id=r.supersedes_id,
                superseded_by_id=successors.get(r.id),
                version_number=numbers[r.id],
                logged_at=r.created_at,
                logged_by=names.get(r.created_by, "") if r.created_by else "",
            )
            for r in rows
        ]

    def _version_numbers(
        self, session: Session, rows: Iterable[Intervention]
    ) -> dict[uuid.UUID, int]:
        numbers: dict[uuid.UUID, int] = {}
        for r in rows:
            n = 1
            current = r.supersedes_id
            seen: set[uuid.UUID] = set()
            # Versions are few (a correction or two); walking back is cheap.
            while current is not None and current not in seen:
                seen.add(current)
                n += 1
                current = session.scalar(
                    select(Intervention.supersedes_id).where(Intervention.id == current)
                )
            numbers[r.id] = n
        return numbers


_KIND_ORDER = {PartyKind.SURVIVOR: 0, PartyKind.ACCUSED: 1, PartyKind.OFFICIAL: 2}


def case_people(session: Session, case_id: uuid.UUID) -> list[PersonLabel]:
    rows = session.execute(
        select(
            CaseParty.kind,
            Survivor.id,
            Survivor.code,
            Accused.id,
            Accused.code,
            Accused.name,
            PartnerOfficial.id,
            PartnerOfficial.name,
        )
        .outerjoin(Survivor, Survivor.id == CaseParty.survivor_id)
        .outerjoin(Accused, Accused.id == CaseParty.accused_id)
        .outerjoin(PartnerOfficial, PartnerOfficial.id == CaseParty.official_id)
        .where(CaseParty.case_id == case_id, CaseParty.deleted_at.is_(None))
        .order_by(CaseParty.kind, CaseParty.created_at)
    )
    out: list[PersonLabel] = []
    for kind, sid, scode, aid, acode, aname, oid, oname in rows:
        if kind is PartyKind.SURVIVOR and sid is not None:
            out.append(PersonLabel(kind, sid, scode))
        elif kind is PartyKind.ACCUSED and aid is not None:
            out.append(PersonLabel(kind, aid, f"{acode} {aname}"))
        elif kind is PartyKind.OFFICIAL and oid is not None:
            out.append(PersonLabel(kind, oid, oname))
    # Survivors first: they are who most interventions are for.
    return sorted(out, key=lambda p: _KIND_ORDER[p.kind])


def people_of(
    session: Session, intervention_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[PersonLabel, ...]]:
    """The people each intervention involved, as labels (survivors by code)."""
    found: dict[uuid.UUID, list[PersonLabel]] = {}
    if not intervention_ids:
        return {}
    rows = session.execute(
        select(
            InterventionPerson.intervention_id,
            InterventionPerson.kind,
            Survivor.id,
            Survivor.code,
            Accused.id,
            Accused.code,
            Accused.name,
            PartnerOfficial.id,
            PartnerOfficial.name,
        )
        .outerjoin(Survivor, Survivor.id == InterventionPerson.survivor_id)
        .outerjoin(Accused, Accused.id == InterventionPerson.accused_id)
        .outerjoin(PartnerOfficial, PartnerOfficial.id == InterventionPerson.official_id)
        .where(
            InterventionPerson.intervention_id.in_(list(intervention_ids)),
            InterventionPerson.deleted_at.is_(None),
        )
        .order_by(InterventionPerson.created_at, InterventionPerson.id)
    )
    for iid, kind, sid, scode, aid, acode, aname, oid, oname in rows:
        if kind is PartyKind.SURVIVOR and sid is not None:
            label = PersonLabel(kind, sid, scode)
        elif kind is PartyKind.ACCUSED and aid is not None:
            label = PersonLabel(kind, aid, f"{acode} {aname}")
        elif kind is PartyKind.OFFICIAL and oid is not None:
            label = PersonLabel(kind, oid, oname)
        else:
            continue
        found.setdefault(iid, []).append(label)
    return {k: tuple(v) for k, v in found.items()}


_COMPARED = (
    "type",
    "stage",
    "occurred_at",
    "duration_minutes",
    "staff_user_id",
    "location",
    "outcome",
    "notes",
    "follow_up_on",
)


def _changed_fields(
    old: Intervention, new: Intervention, draft: InterventionDraft, session: Session
) -> list[str]:
    """Which fields a correction changed (names only: values may name people)."""
    changed = [name for name in _COMPARED if getattr(old, name) != getattr(new, name)]
    before = {(p.kind, p.id) for p in people_of(session, [old.id]).get(old.id, ())}
    if before != {(p.kind, p.id) for p in draft.people}:
        changed.append("people")
    return changed
