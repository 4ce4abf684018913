"""Cases: open, edit, assign, move stage tracks, close and reopen, list.

Every read checks that the actor may see the case (restricted cases are
hidden from staff not assigned to them); every write checks that the actor
may edit it and appends an audit event in the same transaction. Listing is
done in SQL (filter, sort, page) so a list of 100,000 cases stays fast.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal, overload

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain import stages
from ijmcase.domain.codes import case_code, case_code_prefix, parse_case_code
from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import (
    AssignmentRole,
    CaseClosureReason,
    PartyKind,
    PartyRole,
    RiskLevel,
    Role,
    Sensitivity,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.domain.errors import (
    ConflictError,
    NotFound,
    RuleViolation,
    ValidationError,
)
from ijmcase.domain.permissions import (
    Permission,
    may_edit_case,
)
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.interrupt import QueryInterrupted, interruptible
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseAssignment,
    CaseParty,
    Office,
    PartnerOfficial,
    StageTrack,
    StageTransition,
    Survivor,
    User,
)
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today

__all__ = [
    "AssignmentView",
    "CaseDetail",
    "CaseFilter",
    "CaseRow",
    "CaseService",
    "PartyView",
    "TrackView",
]

SortKey = Literal["code", "title", "opened_on", "country", "violence_type", "risk_level"]


@dataclass(frozen=True)
class TrackView:
    stage: Stage
    status: TrackStatus
    started_on: date | None
    completed_on: date | None
    outcome_note: str
    allowed: tuple[TrackStatus, ...]


@dataclass(frozen=True)
class PartyView:
    id: uuid.UUID
    kind: PartyKind
    role: PartyRole
    person_id: uuid.UUID
    label: str  # a survivor's code, never their name
    detail: str


@dataclass(frozen=True)
class AssignmentView:
    user_id: uuid.UUID
    username: str
    display_name: str
    role_on_case: AssignmentRole


@dataclass(frozen=True)
class CaseRow:
    id: uuid.UUID
    code: str
    title: str
    violence_type: ViolenceType
    country: str
    jurisdiction: str
    office_code: str
    opened_on: date
    closed_on: date | None
    risk_level: RiskLevel
    sensitivity: Sensitivity
    statuses: tuple[tuple[Stage, TrackStatus], ...]

    def status_of(self, stage: Stage) -> TrackStatus:
        return dict(self.statuses).get(stage, TrackStatus.NOT_STARTED)


@dataclass(frozen=True)
class CaseDetail:
    id: uuid.UUID
    code: str
    title: str
    violence_type: ViolenceType
    country: str
    jurisdiction: str
    office_id: uuid.UUID | None
    office_name: str
    opened_on: date
    closed_on: date | None
    closure_reason: CaseClosureReason | None
    risk_level: RiskLevel
    sensitivity: Sensitivity
    summary: str
    lead_caseworker_id: uuid.UUID | None
    lead_caseworker_name: str
    lead_lawyer_id: uuid.UUID | None
    lead_lawyer_name: str
    version: int
    tracks: tuple[TrackView, ...]
    parties: tuple[PartyView, ...]
    assignments: tuple[AssignmentView, ...]
    can_edit: bool

    def track(self, stage: Stage) -> TrackView:
        return next(t for t in self.tracks if t.stage is stage)

    def draft(self) -> CaseDraft:
        return CaseDraft(
            title=self.title,
            violence_type=self.violence_type,
            country=self.country,
            opened_on=self.opened_on,
            jurisdiction=self.jurisdiction,
            office_id=self.office_id,
            risk_level=self.risk_level,
            sensitivity=self.sensitivity,
            summary=self.summary,
            lead_caseworker_id=self.lead_caseworker_id,
            lead_lawyer_id=self.lead_lawyer_id,
        )


@dataclass(frozen=True)
class CaseFilter:
    """What the case list shows; every part is optional."""

    text: str = ""
    violence_type: ViolenceType | None = None
    country: str | None = None
    office_id: uuid.UUID | None = None
    is_open: bool | None = None
    stage: Stage | None = None
    stage_status: TrackStatus | None = None
    assigned_to_me: bool = False
    sort: SortKey = "opened_on"
    descending: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class CaseService(CaseAccess):
    # -- reading ----------------------------------------------------------

    def get(self, case_id: uuid.UUID) -> CaseDetail:
        with self._read() as session:
            return self._detail(session, self._load(session, case_id))

    def find_by_code(self, code: str) -> CaseDetail:
        self._require(Permission.CASE_READ, "read cases")
        with self._read() as session:
            case_id = session.scalar(
                select(Case.id).where(Case.code == code.strip().upper(), self._visible_clause())
            )
            if case_id is None:
                raise NotFound(f"There is no case {code.strip()}.", code="case_not_found")
            return self._detail(session, self._load(session, case_id))

    def _detail(self, session: Session, case: Case) -> CaseDetail:
        names = {
            u.id: u
            for u in session.scalars(
                select(User).where(
                    User.id.in_(
                        [x for x in (case.lead_caseworker_id, case.lead_lawyer_id) if x]
                        + [
                            a
                            for a in session.scalars(
                                select(CaseAssignment.user_id).where(
                                    CaseAssignment.case_id == case.id,
                                    CaseAssignment.deleted_at.is_(None),
                                )
                            )
                        ]
                    )
                )
            )
        }
        office = session.get(Office, case.office_id) if case.office_id else None
        assignments = tuple(
            AssignmentView(
                a.user_id, names[a.user_id].username, names[a.user_id].display_name, a.role_on_case
            )
            for a in session.scalars(
                select(CaseAssignment)
                .where(CaseAssignment.case_id == case.id, CaseAssignment.deleted_at.is_(None))
                .order_by(CaseAssignment.created_at)
            )
        )
        assigned = self._is_assigned(session, case)
        tracks = {t.stage: t for t in case.tracks}
        closed = case.closed_on is not None
        return CaseDetail(
            id=case.id,
            code=case.code,
            title=case.title,
            violence_type=case.violence_type,
            country=case.country,
            jurisdiction=case.jurisdiction,
            office_id=case.office_id,
            office_name=office.name if office else "",
            opened_on=case.opened_on,
            closed_on=case.closed_on,
            closure_reason=case.closure_reason,
            risk_level=case.risk_level,
            sensitivity=case.sensitivity,
            summary=case.summary,
            lead_caseworker_id=case.lead_caseworker_id,
            lead_caseworker_name=_name(names, case.lead_caseworker_id),
            lead_lawyer_id=case.lead_lawyer_id,
            lead_lawyer_name=_name(names, case.lead_lawyer_id),
            version=case.version,
            tracks=tuple(
                TrackView(
                    stage=s,
                    status=tracks[s].status,
                    started_on=tracks[s].started_on,
                    completed_on=tracks[s].completed_on,
                    outcome_note=tracks[s].outcome_note,
                    allowed=() if closed else tuple(stages.allowed_targets(tracks[s].status)),
                )
                for s in Stage
                if s in tracks
            ),
            parties=tuple(self._parties(session, case.id)),
            assignments=assignments,
            can_edit=may_edit_case(self.actor.role, assigned=assigned),
        )

    def _parties(self, session: Session, case_id: uuid.UUID) -> list[PartyView]:
        out: list[PartyView] = []
        rows = session.execute(
            select(CaseParty, Survivor, Accused, PartnerOfficial)
            .outerjoin(Survivor, Survivor.id == CaseParty.survivor_id)
            .outerjoin(Accused, Accused.id == CaseParty.accused_id)
            .outerjoin(PartnerOfficial, PartnerOfficial.id == CaseParty.official_id)
            .where(CaseParty.case_id == case_id, CaseParty.deleted_at.is_(None))
            .order_by(CaseParty.kind, CaseParty.created_at)
        )
        for party, survivor, accused, official in rows:
            if survivor is not None:
                age = f"{survivor.age_at_intake}" if survivor.age_at_intake is not None else "?"
                minor = ", minor at rescue" if survivor.minor_at_rescue else ""
                # The alias is chosen to be safe in notes, so it may stand by the code.
                alias = f"“{survivor.alias}” · " if survivor.alias else ""
                out.append(
                    PartyView(
                        party.id,
                        party.kind,
                        party.role,
                        survivor.id,
                        survivor.code,
                        f"{alias}{survivor.sex.label}, age {age}{minor}",
                    )
                )
            elif accused is not None:
                out.append(
                    PartyView(
                        party.id,
                        party.kind,
                        party.role,
                        accused.id,
                        accused.name,
                        f"{accused.code} · {accused.role_in_crime.label} · "
                        f"{accused.custody_status.label}",
                    )
                )
            elif official is not None:
                out.append(
                    PartyView(
                        party.id,
                        party.kind,
                        party.role,
                        official.id,
                        official.name,
                        f"{official.official_role.label}"
                        + (f" · {official.title}" if official.title else ""),
                    )
                )
        return out

    def _filtered(self, flt: CaseFilter) -> Select[Any]:
        stmt = select(Case.id).where(self._visible_clause())
        text = flt.text.strip()
        if text:
            pattern = f"%{_like_escape(text.lower())}%"
            stmt = stmt.where(
                or_(
                    func.lower(Case.code).like(pattern, escape="\\"),
                    func.lower(Case.title).like(pattern, escape="\\"),
                )
            )
        if flt.violence_type is not None:
            stmt = stmt.where(Case.violence_type == flt.violence_type)
        if flt.country:
            stmt = stmt.where(Case.country == flt.country.upper())
        if flt.office_id is not None:
            stmt = stmt.where(Case.office_id == flt.office_id)
        if flt.is_open is True:
            stmt = stmt.where(Case.closed_on.is_(None))
        elif flt.is_open is False:
            stmt = stmt.where(Case.closed_on.is_not(None))
        if flt.stage is not None and flt.stage_status is not None:
            track = aliased(StageTrack)
            stmt = stmt.where(
                exists().where(
                    track.case_id == Case.id,
                    track.stage == flt.stage,
                    track.status == flt.stage_status,
                )
            )
        if flt.assigned_to_me:
            stmt = stmt.where(self._assigned_clause())
        return stmt

    def count(self, flt: CaseFilter | None = None) -> int:
        self._require(Permission.CASE_READ, "read cases")
        flt = flt or CaseFilter()
        with self._read() as session:
            sub = self._filtered(flt).subquery()
            return int(session.scalar(select(func.count()).select_from(sub)) or 0)

    @overload
    def ids(
        self,
        flt: CaseFilter | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
        cancelled: None = None,
    ) -> list[uuid.UUID]: ...

    @overload
    def ids(
        self,
        flt: CaseFilter | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
        cancelled: Callable[[], bool],
    ) -> list[uuid.UUID] | None: ...

    def ids(
        self,
        flt: CaseFilter | None = None,
        *,
        offset: int = 0,
        limit: int | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[uuid.UUID] | None:
        """The ids of the matching cases in display order: the spine of a
        paged table model.

        ``cancelled``, if given, is asked now and then while the query runs
        (on SQLite, every couple of thousand steps of its virtual machine, on the
        thread running the query, so it must be quick and must not raise);
        once it returns true the query is abandoned and ``ids`` returns None:
        nobody wants the answer any more, so that is not an error. It lets
        the case list stop a long full-list query that a newer filter has
        overtaken. On PostgreSQL it is ignored and the query runs to the end."""
        self._require(Permission.CASE_READ, "read cases")
        flt = flt or CaseFilter()
        column = getattr(Case, flt.sort)
        order = column.desc() if flt.descending else column.asc()
        stmt = self._filtered(flt).order_by(
            order, Case.code.desc() if flt.descending else Case.code.asc()
        )
        stmt = stmt.offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        try:
            with self._read() as session, interruptible(session, cancelled):
                return list(session.scalars(stmt))
        except QueryInterrupted:
            return None

    def rows(self, ids: Sequence[uuid.UUID]) -> list[CaseRow]:
        """Rows for the given ids, in the given order (ids not visible are left out)."""
        self._require(Permission.CASE_READ, "read cases")
        if not ids:
            return []
        wanted = list(ids)
        with self._read() as session:
            # Columns, not entities: a page of 200 rows must not build 200 Case
            # objects (with their summaries) and 800 eagerly loaded tracks.
            found = session.execute(
                select(
                    Case.id,
                    Case.code,
                    Case.title,
                    Case.violence_type,
                    Case.country,
                    Case.jurisdiction,
                    Office.code,
                    Case.opened_on,
                    Case.closed_on,
                    Case.risk_level,
                    Case.sensitivity,
                )
                .outerjoin(Office, Office.id == Case.office_id)
                .where(Case.id.in_(wanted), self._visible_clause())
            ).all()
            statuses: dict[uuid.UUID, list[tuple[Stage, TrackStatus]]] = {}
            for case_id, stage, status in session.execute(
                select(StageTrack.case_id, StageTrack.stage, StageTrack.status).where(
                    StageTrack.case_id.in_(wanted)
                )
            ):
                statuses.setdefault(case_id, []).append((stage, status))
            order = {stage: i for i, stage in enumerate(Stage)}
            by_id = {
                r[0]: CaseRow(
                    id=r[0],
                    code=r[1],
                    title=r[2],
                    violence_type=r[3],
                    country=r[4],
                    jurisdiction=r[5],
                    office_code=r[6] or "",
                    opened_on=r[7],
                    closed_on=r[8],
                    risk_level=r[9],
                    sensitivity=r[10],
                    statuses=tuple(sorted(statuses.get(r[0], []), key=lambda p: order[p[0]])),
                )
                for r in found
            }
        return [by_id[i] for i in ids if i in by_id]

    def page(
        self, flt: CaseFilter | None = None, *, offset: int = 0, limit: int = 100
    ) -> list[CaseRow]:
        return self.rows(self.ids(flt, offset=offset, limit=limit))

    # -- writing ----------------------------------------------------------

    def _check_staff(
        self, session: Session, user_id: uuid.UUID | None, field_name: str, roles: set[Role]
    ) -> None:
        if user_id is None:
            return
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise ValidationError.single(
                field_name, "unknown_user", "Choose an active staff member."
            )
        if user.role not in roles:
            wanted = " or ".join(sorted(r.label.lower() for r in roles))
            raise ValidationError.single(
                field_name, "wrong_role", f"{user.display_name} is not a {wanted}."
            )

    def _next_code(self, session: Session, country: str, year: int) -> str:
        prefix = case_code_prefix(country, year)
        last = session.scalar(
            select(Case.code)
            .where(Case.code.like(f"{prefix}%"))
            .order_by(func.length(Case.code).desc(), Case.code.desc())
            .limit(1)
        )
        parsed = parse_case_code(last) if last else None
        return case_code(country, year, (parsed[2] if parsed else 0) + 1)

    def create(self, draft: CaseDraft) -> Outcome[CaseDetail]:
        self._require(Permission.CASE_CREATE, "open cases")
        draft = _normalized(draft)
        # The rule is "not in the future"; historic cases entered late are fine.
        draft.validate(today=today())
        lead_cw = draft.lead_caseworker_id
        lead_law = draft.lead_lawyer_id
        # Whoever opens a case works on it, unless they named someone else.
        if self.actor.role is Role.CASEWORKER and lead_cw is None:
            lead_cw = self.actor.user_id
        if self.actor.role is Role.LAWYER and lead_law is None:
            lead_law = self.actor.user_id
        with self._write() as session:
            self._check_staff(
                session, lead_cw, "lead_caseworker_id", {Role.CASEWORKER, Role.DIRECTOR}
            )
            self._check_staff(session, lead_law, "lead_lawyer_id", {Role.LAWYER})
            self._check_office(session, draft)
            case = Case(
                code=self._next_code(session, draft.country, draft.opened_on.year),
                title=draft.title,
                violence_type=draft.violence_type,
                country=draft.country,
                jurisdiction=draft.jurisdiction,
                office_id=draft.office_id,
                opened_on=draft.opened_on,
                risk_level=draft.risk_level,
                sensitivity=draft.sensitivity,
                summary=draft.summary,
                lead_caseworker_id=lead_cw,
                lead_lawyer_id=lead_law,
            )
            self._stamp(case, new=True)
            session.add(case)
            session.flush()
            for stage in Stage:
                track = StageTrack(case_id=case.id, stage=stage, status=TrackStatus.NOT_STARTED)
                self._stamp(track, new=True)
                session.add(track)
            for user_id, role in (
                (lead_cw, AssignmentRole.LEAD_CASEWORKER),
                (lead_law, AssignmentRole.LEAD_LAWYER),
            ):
                if user_id is not None:
                    self._assign_row(session, case.id, user_id, role)
            session.flush()
            self._audit(
                session,
                "case.create",
                "case",
                case.id,
                case_id=case.id,
                details={
                    "code": case.code,
                    "violence_type": case.violence_type.value,
                    "country": case.country,
                },
            )
            session.refresh(case)
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", case_id=detail.id))

    def _check_office(self, session: Session, draft: CaseDraft) -> None:
        if draft.office_id is None:
            return
        office = session.get(Office, draft.office_id)
        if office is None:
            raise ValidationError.single("office_id", "unknown_office", "Choose an office.")
        if office.country != draft.country:
            raise ValidationError.single(
                "office_id",
                "office_country",
                f"The office {office.name} is not in the case's country ({draft.country}).",
            )

    def update(
        self, case_id: uuid.UUID, draft: CaseDraft, *, expected_version: int
    ) -> Outcome[CaseDetail]:
        draft = _normalized(draft)
        draft.validate(today=today())
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if case.version != expected_version:
                raise ConflictError(
                    f"Case {case.code} was changed by someone else while you edited it. "
                    "Reload it and make your change again.",
                    code="stale",
                )
            if draft.country != case.country:
                raise ValidationError.single(
                    "country",
                    "country_fixed",
                    "The country of a case is part of its code and cannot change; open a new "
                    "case and close this one as transferred.",
                )
            self._check_staff(
                session,
                draft.lead_caseworker_id,
                "lead_caseworker_id",
                {Role.CASEWORKER, Role.DIRECTOR},
            )
            self._check_staff(session, draft.lead_lawyer_id, "lead_lawyer_id", {Role.LAWYER})
            self._check_office(session, draft)
            earliest = session.scalar(
                select(func.min(StageTrack.started_on)).where(StageTrack.case_id == case.id)
            )
            if earliest is not None and draft.opened_on > earliest:
                raise ValidationError.single(
                    "opened_on",
                    "after_tracks",
                    f"A stage track started on {earliest.isoformat()}, before that opening date.",
                )
            changed: dict[str, list[str]] = {}
            for name in (
                "title",
                "violence_type",
                "jurisdiction",
                "office_id",
                "opened_on",
                "risk_level",
                "sensitivity",
                "summary",
                "lead_caseworker_id",
                "lead_lawyer_id",
            ):
                old, new = getattr(case, name), getattr(draft, name)
                if old != new:
                    changed[name] = [str(old), str(new)] if name != "summary" else ["…", "…"]
                    setattr(case, name, new)
            if not changed:
                return Outcome(self._detail(session, case), Changes())
            for user_id, role in (
                (draft.lead_caseworker_id, AssignmentRole.LEAD_CASEWORKER),
                (draft.lead_lawyer_id, AssignmentRole.LEAD_LAWYER),
            ):
                if user_id is not None:
                    self._assign_row(session, case.id, user_id, role)
            self._stamp(case, new=False)
            session.flush()
            self._audit(
                session,
                "case.update",
                "case",
                case.id,
                case_id=case.id,
                details={"changed": changed},
            )
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", case_id=case_id))

    def change_track(
        self,
        case_id: uuid.UUID,
        stage: Stage,
        target: TrackStatus,
        *,
        on: date | None = None,
        reason: str = "",
        outcome: str = "",
    ) -> Outcome[CaseDetail]:
        on = on or today()
        if on > today():
            raise ValidationError.single("on", "future_date", "The date is in the future.")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            self._move_track(session, case, stage, target, on, reason=reason, outcome=outcome)
            session.refresh(case)
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", "tracks", case_id=case_id))

    def explain_track_refusal(
        self, detail: CaseDetail, stage: Stage, target: TrackStatus
    ) -> str | None:
        """Why the GUI should not offer this move (None: it may)."""
        view = detail.track(stage)
        state = stages.TrackState(stage, view.status, view.started_on, view.completed_on)
        refusal = stages.explain_refusal(state, target, case_closed=detail.closed_on is not None)
        if refusal is None and not detail.can_edit:
            return f"Only staff assigned to case {detail.code} (or a director) can change it."
        return refusal

    def track_history(self, case_id: uuid.UUID) -> list[StageTransitionView]:
        with self._read() as session:
            self._load(session, case_id)
            rows = session.execute(
                select(StageTransition, User.display_name)
                .outerjoin(User, User.id == StageTransition.created_by)
                .where(StageTransition.case_id == case_id)
                .order_by(StageTransition.recorded_at)
            )
            return [
                StageTransitionView(
                    t.stage, t.from_status, t.to_status, t.effective_on, t.reason, name or ""
                )
                for t, name in rows
            ]

    def close(
        self,
        case_id: uuid.UUID,
        reason: CaseClosureReason,
        *,
        on: date | None = None,
        note: str = "",
    ) -> Outcome[CaseDetail]:
        self._require(Permission.CASE_CLOSE, "close cases")
        on = on or today()
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if case.closed_on is not None:
                raise RuleViolation(f"Case {case.code} is already closed.", code="already_closed")
            stages.check_case_can_close({t.stage: t.status for t in case.tracks})
            if on < case.opened_on:
                raise ValidationError.single(
                    "on",
                    "end_before_start",
                    f"A case cannot close on {on.isoformat()}, before it opened "
                    f"({case.opened_on.isoformat()}).",
                )
            if on > today():
                raise ValidationError.single("on", "future_date", "The date is in the future.")
            last = session.scalar(
                select(func.max(StageTrack.completed_on)).where(StageTrack.case_id == case.id)
            )
            if last is not None and on < last:
                raise ValidationError.single(
                    "on",
                    "before_track_end",
                    f"A stage track was completed on {last.isoformat()}, after that date.",
                )
            case.closed_on = on
            case.closure_reason = reason
            self._stamp(case, new=False)
            session.flush()
            self._audit(
                session,
                "case.close",
                "case",
                case.id,
                case_id=case.id,
                details={"reason": reason.value, "on": on.isoformat(), "note": note.strip()},
            )
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", case_id=case_id))

    def reopen(self, case_id: uuid.UUID, reason: str) -> Outcome[CaseDetail]:
        self._require(Permission.CASE_CLOSE, "reopen cases")
        if not reason.strip():
            raise ValidationError.single("reason", "required", "Say why the case is reopened.")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if case.closed_on is None:
                raise RuleViolation(f"Case {case.code} is not closed.", code="not_closed")
            case.closed_on = None
            case.closure_reason = None
            self._stamp(case, new=False)
            session.flush()
            self._audit(
                session,
                "case.reopen",
                "case",
                case.id,
                case_id=case.id,
                details={"reason": reason.strip()},
            )
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", case_id=case_id))

    def _assign_row(
        self, session: Session, case_id: uuid.UUID, user_id: uuid.UUID, role: AssignmentRole
    ) -> bool:
        existing = session.scalar(
            select(CaseAssignment).where(
                CaseAssignment.case_id == case_id, CaseAssignment.user_id == user_id
            )
        )
        if existing is not None:
            if existing.deleted_at is None and existing.role_on_case is role:
                return False
            existing.deleted_at = None
            existing.role_on_case = role
            self._stamp(existing, new=False)
            return True
        row = CaseAssignment(case_id=case_id, user_id=user_id, role_on_case=role)
        self._stamp(row, new=True)
        session.add(row)
        return True

    def assign(
        self, case_id: uuid.UUID, user_id: uuid.UUID, role: AssignmentRole
    ) -> Outcome[CaseDetail]:
        self._require(Permission.CASE_ASSIGN, "assign staff to cases")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise ValidationError.single(
                    "user_id", "unknown_user", "Choose an active staff member."
                )
            if user.role in (Role.AUDITOR,):
                raise RuleViolation(
                    "An auditor cannot be assigned to a case.", code="auditor_assigned"
                )
            if self._assign_row(session, case.id, user_id, role):
                session.flush()
                self._audit(
                    session,
                    "case.assign",
                    "case",
                    case.id,
                    case_id=case.id,
                    details={"user": user.username, "role": role.value},
                )
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", "assignments", case_id=case_id))

    def unassign(self, case_id: uuid.UUID, user_id: uuid.UUID) -> Outcome[CaseDetail]:
        self._require(Permission.CASE_ASSIGN, "change who works on cases")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if user_id in (case.lead_caseworker_id, case.lead_lawyer_id):
                raise RuleViolation("Choose another lead before removing this one.", code="is_lead")
            row = session.scalar(
                select(CaseAssignment).where(
                    CaseAssignment.case_id == case_id,
                    CaseAssignment.user_id == user_id,
                    CaseAssignment.deleted_at.is_(None),
                )
            )
            if row is None:
                raise NotFound("That person is not assigned to this case.")
            row.deleted_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "case.unassign",
                "case",
                case.id,
                case_id=case.id,
                details={"user_id": str(user_id)},
            )
            detail = self._detail(session, case)
        return Outcome(detail, Changes.of("cases", "assignments", case_id=case_id))

    def offices(self) -> list[tuple[uuid.UUID, str, str, str]]:
        """(id, code, name, country) of every office, for choosers."""
        with self._read() as session:
            return [
                (o.id, o.code, o.name, o.country)
                for o in session.scalars(
                    select(Office).where(Office.deleted_at.is_(None)).order_by(Office.code)
                )
            ]


@dataclass(frozen=True)
class StageTransitionView:
    stage: Stage
    from_status: TrackStatus
    to_status: TrackStatus
    effective_on: date
    reason: str
    by: str


def _name(users: dict[uuid.UUID, User], user_id: uuid.UUID | None) -> str:
    if user_id is None or user_id not in users:
        return ""
    return users[user_id].display_name


def _normalized(draft: CaseDraft) -> CaseDraft:
    return replace(
        draft,
        title=draft.title.strip(),
        country=draft.country.strip().upper(),
        jurisdiction=draft.jurisdiction.strip(),
        summary=draft.summary.strip(),
    )
