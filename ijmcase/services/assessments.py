"""Outcome assessments: record one, correct one, read them, follow a survivor's
progress, and list the assessments due in a staff member's "My day".

Assessments are append-only. A correction is a new assessment whose
``supersedes_id`` names the one it replaces; it is scored on the same
instrument version as the original, because the original's scores meant what
that version said. Only current assessments (not superseded) count for the
schedule, the progress chart, closing aftercare and exports.

Each assessment stores the instrument id, version and digest it was made
with. Reading it finds that version (see ``instruments``) and says whether the
text known for it today still has the same digest (``instrument_changed``).

Who: recording and correcting need the right to log field work
(``INTERVENTION_LOG``) and to edit the case; reading needs only to see it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.aftercare import AssessmentDraft
from ijmcase.domain.assessments import (
    AssessmentScores,
    DueAssessment,
    Instrument,
    RestorationThreshold,
    next_due,
    score_assessment,
)
from ijmcase.domain.enums import (
    AssessmentBasis,
    AssessmentType,
    AssignmentRole,
    ClosureStatus,
    PartyKind,
    Stage,
    TrackStatus,
)
from ijmcase.domain.errors import AccessDenied, ConflictError, RuleViolation, ValidationError
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.persistence.models import (
    AftercareClosure,
    Assessment,
    AssessmentScore,
    Case,
    CaseAssignment,
    CaseParty,
    StageTrack,
    Survivor,
    User,
)
from ijmcase.services.care_common import not_found, survivor_in_case, user_names
from ijmcase.services.care_settings import read_care_settings
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.instruments import current_instrument, find_instrument, keep_instrument

__all__ = [
    "AssessmentService",
    "AssessmentView",
    "DomainScoreView",
    "DomainSeries",
    "DueRow",
    "ProgressPoint",
    "SubScoreView",
    "SurvivorProgress",
    "current_assessments",
    "scores_of",
]

# Live closures: a survivor whose aftercare is closed (or waiting for approval)
# has no assessment due.
LIVE_CLOSURE = (ClosureStatus.PENDING_APPROVAL, ClosureStatus.CLOSED)


@dataclass(frozen=True)
class SubScoreView:
    key: str
    label: str
    score: int
    note: str


@dataclass(frozen=True)
class DomainScoreView:
    key: str
    label: str
    mean: Fraction
    display: str  # one decimal, rounded half up: "2.7"
    sub_scores: tuple[SubScoreView, ...]


@dataclass(frozen=True)
class AssessmentView:
    id: uuid.UUID
    case_id: uuid.UUID
    case_code: str
    survivor_id: uuid.UUID
    survivor_code: str
    assessed_on: date
    type: AssessmentType
    basis: AssessmentBasis
    assessor_id: uuid.UUID
    assessor_name: str
    instrument_id: str
    instrument_version: str
    instrument_title: str
    # The text known today for this version differs from the one it was made with.
    instrument_changed: bool
    domains: tuple[DomainScoreView, ...]
    notes: str
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    meets_threshold: bool
    shortfalls: tuple[str, ...]
    recorded_at: datetime

    @property
    def is_current(self) -> bool:
        return self.superseded_by_id is None

    def domain(self, key: str) -> DomainScoreView:
        return next(d for d in self.domains if d.key == key)


@dataclass(frozen=True)
class ProgressPoint:
    assessment_id: uuid.UUID
    assessed_on: date
    type: AssessmentType

    @property
    def label(self) -> str:
        return f"{self.assessed_on.isoformat()} {self.type.label.lower()}"


@dataclass(frozen=True)
class DomainSeries:
    key: str
    label: str
    minimum: Fraction
    values: tuple[Fraction | None, ...]  # one per point; None: not scored then

    def floats(self) -> list[float | None]:
        return [None if v is None else float(v) for v in self.values]


@dataclass(frozen=True)
class SurvivorProgress:
    """A survivor's domain scores over time in one case, ready for a chart."""

    case_id: uuid.UUID
    case_code: str
    survivor_id: uuid.UUID
    survivor_code: str
    points: tuple[ProgressPoint, ...]
    domains: tuple[DomainSeries, ...]
    threshold: Fraction  # the default minimum, drawn as the line
    latest_meets_threshold: bool | None  # None: no assessment yet
    latest_shortfalls: tuple[str, ...]
    change_since_first: Mapping[str, Fraction]  # domain key -> latest minus first

    @property
    def rounds(self) -> list[str]:
        """Category labels for a chart: one per assessment, oldest first."""
        return [p.assessed_on.isoformat() for p in self.points]

    def chart_series(self) -> dict[str, list[float | None]]:
        """Domain label -> values, as ``reports.pdf_charts.restoration_chart`` takes them."""
        return {d.label: d.floats() for d in self.domains}


@dataclass(frozen=True)
class DueRow:
    """One assessment due (or overdue) for a survivor in aftercare."""

    case_id: uuid.UUID
    case_code: str
    survivor_id: uuid.UUID
    survivor_code: str
    kind: AssessmentType
    due_on: date
    overdue: bool
    days_overdue: int
    last_assessed_on: date | None
    lead_caseworker_id: uuid.UUID | None
    lead_caseworker_name: str


def current_assessments() -> ColumnElement[bool]:
    """Assessments not superseded by a correction (and not retired)."""
    later = aliased(Assessment)
    return and_(
        Assessment.deleted_at.is_(None),
        ~exists().where(later.supersedes_id == Assessment.id, later.deleted_at.is_(None)),
    )


def scores_of(
    session: Session, assessment: Assessment, instrument: Instrument
) -> tuple[AssessmentScores, dict[str, str]]:
    """The stored scores of an assessment, scored again on its own instrument version."""
    rows = session.execute(
        select(AssessmentScore.sub_domain_key, AssessmentScore.score, AssessmentScore.note).where(
            AssessmentScore.assessment_id == assessment.id, AssessmentScore.deleted_at.is_(None)
        )
    ).all()
    return (
        score_assessment(instrument, {key: score for key, score, _ in rows}),
        {key: note for key, _, note in rows if note},
    )


class _Instruments:
    """Instrument versions looked up once per call, not once per assessment."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._found: dict[tuple[str, str], Instrument] = {}

    def of(self, assessment: Assessment) -> Instrument:
        key = (assessment.instrument_id, assessment.instrument_version)
        if key not in self._found:
            self._found[key] = find_instrument(self._session, *key)
        return self._found[key]


class AssessmentService(CaseAccess):
    # -- writing ------------------------------------------------------------

    def record(self, case_id: uuid.UUID, draft: AssessmentDraft) -> Outcome[AssessmentView]:
        """Record an assessment on the current instrument version."""
        self._require(Permission.INTERVENTION_LOG, "record outcome assessments")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if case.closed_on is not None:
                raise RuleViolation(
                    f"Case {case.code} is closed. Reopen it before recording an assessment.",
                    code="case_closed",
                )
            survivor = survivor_in_case(session, case, draft.survivor_id)
            instrument = current_instrument(session)
            scores = draft.validate(instrument, today=today())
            self._check(session, case, survivor, draft, replacing=None)
            keep_instrument(session, instrument)
            row = self._insert(session, case, draft, instrument, scores, supersedes=None)
            self._audit(
                session,
                "assessment.record",
                "assessment",
                row.id,
                case_id=case.id,
                details={
                    "survivor": survivor.code,
                    "type": draft.type.value,
                    "on": draft.assessed_on.isoformat(),
                    "instrument": f"{instrument.id}/{instrument.version}",
                },
            )
            view = self._views(session, [row])[0]
        return Outcome(view, Changes.of("assessments", case_id=case.id))

    def correct(
        self, assessment_id: uuid.UUID, draft: AssessmentDraft, *, reason: str
    ) -> Outcome[AssessmentView]:
        """A new assessment that supersedes ``assessment_id``; the original stays as it was."""
        self._require(Permission.INTERVENTION_LOG, "correct outcome assessments")
        if not reason.strip():
            raise ValidationError.single(
                "reason", "required", "Say what was wrong with the assessment."
            )
        with self._write() as session:
            old = session.get(Assessment, assessment_id)
            if old is None or old.deleted_at is not None:
                raise not_found("assessment", "assessment_not_found")
            case = self._load(session, old.case_id, for_edit=True)
            newer = session.scalar(
                select(Assessment.id).where(
                    Assessment.supersedes_id == old.id, Assessment.deleted_at.is_(None)
                )
            )
            if newer is not None:
                raise ConflictError(
                    "This assessment has already been corrected; correct the latest version.",
                    code="already_corrected",
                )
            if draft.survivor_id != old.survivor_id:
                raise ValidationError.single(
                    "survivor_id",
                    "survivor_fixed",
                    "A correction is about the same survivor; record a new assessment for "
                    "someone else.",
                )
            survivor = survivor_in_case(session, case, draft.survivor_id)
            # The same version the original was made with: its scores meant what it said.
            instrument = find_instrument(session, old.instrument_id, old.instrument_version)
            scores = draft.validate(instrument, today=today())
            self._check(session, case, survivor, draft, replacing=old.id)
            row = self._insert(session, case, draft, instrument, scores, supersedes=old.id)
            self._audit(
                session,
                "assessment.correct",
                "assessment",
                row.id,
                case_id=case.id,
                details={
                    "survivor": survivor.code,
                    "supersedes": str(old.id),
                    "reason": reason.strip(),
                },
            )
            view = self._views(session, [row])[0]
        return Outcome(view, Changes.of("assessments", case_id=case.id))

    def _check(
        self,
        session: Session,
        case: Case,
        survivor: Survivor,
        draft: AssessmentDraft,
        *,
        replacing: uuid.UUID | None,
    ) -> None:
        if draft.assessed_on < case.opened_on:
            raise ValidationError.single(
                "assessed_on",
                "before_case",
                f"The assessment date {draft.assessed_on.isoformat()} is before case "
                f"{case.code} was opened ({case.opened_on.isoformat()}).",
            )
        if draft.type is not AssessmentType.INTAKE:
            return
        stmt = select(Assessment.assessed_on).where(
            Assessment.case_id == case.id,
            Assessment.survivor_id == survivor.id,
            Assessment.type == AssessmentType.INTAKE,
            current_assessments(),
        )
        if replacing is not None:
            stmt = stmt.where(Assessment.id != replacing)
        earlier = session.scalar(stmt.limit(1))
        if earlier is not None:
            raise ValidationError.single(
                "type",
                "intake_exists",
                f"{survivor.code} already has an intake assessment in this case "
                f"({earlier.isoformat()}). Record an ad hoc assessment, or correct the intake.",
            )

    def _insert(
        self,
        session: Session,
        case: Case,
        draft: AssessmentDraft,
        instrument: Instrument,
        scores: AssessmentScores,
        *,
        supersedes: uuid.UUID | None,
    ) -> Assessment:
        row = Assessment(
            case_id=case.id,
            survivor_id=draft.survivor_id,
            assessed_on=draft.assessed_on,
            assessor_id=self.actor.user_id,
            type=draft.type,
            basis=draft.basis,
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            instrument_digest=instrument.digest,
            notes=draft.notes.strip(),
            supersedes_id=supersedes,
        )
        self._stamp(row, new=True)
        session.add(row)
        session.flush()
        for domain in scores.domains:
            for sub in domain.sub_scores:
                score = AssessmentScore(
                    assessment_id=row.id,
                    domain_key=domain.key,
                    sub_domain_key=sub.key,
                    score=sub.score,
                    note=draft.score_notes.get(sub.key, "").strip(),
                )
                self._stamp(score, new=True)
                session.add(score)
        session.flush()
        return row

    # -- reading ------------------------------------------------------------

    def get(self, assessment_id: uuid.UUID) -> AssessmentView:
        with self._read() as session:
            row = session.get(Assessment, assessment_id)
            if row is None or row.deleted_at is not None:
                raise not_found("assessment", "assessment_not_found")
            self._load(session, row.case_id)
            return self._views(session, [row])[0]

    def for_case(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID | None = None,
        *,
        include_superseded: bool = False,
    ) -> list[AssessmentView]:
        """A case's assessments, oldest first (corrections in place of what they replace)."""
        with self._read() as session:
            self._load(session, case_id)
            stmt = select(Assessment).where(
                Assessment.case_id == case_id, Assessment.deleted_at.is_(None)
            )
            if survivor_id is not None:
                stmt = stmt.where(Assessment.survivor_id == survivor_id)
            if not include_superseded:
                stmt = stmt.where(current_assessments())
            rows = list(
                session.scalars(stmt.order_by(Assessment.assessed_on, Assessment.created_at))
            )
            return self._views(session, rows)

    def _views(self, session: Session, rows: Sequence[Assessment]) -> list[AssessmentView]:
        if not rows:
            return []
        threshold = read_care_settings(session).threshold
        instruments = _Instruments(session)
        ids = [r.id for r in rows]
        later = {
            k: v
            for k, v in session.execute(
                select(Assessment.supersedes_id, Assessment.id).where(
                    Assessment.supersedes_id.in_(ids), Assessment.deleted_at.is_(None)
                )
            )
        }
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
        names = user_names(session, [r.assessor_id for r in rows])
        views = []
        for row in rows:
            instrument = instruments.of(row)
            scores, notes = scores_of(session, row, instrument)
            meets, below = threshold.meets(scores)
            views.append(
                AssessmentView(
                    id=row.id,
                    case_id=row.case_id,
                    case_code=cases.get(row.case_id, ""),
                    survivor_id=row.survivor_id,
                    survivor_code=codes.get(row.survivor_id, ""),
                    assessed_on=row.assessed_on,
                    type=row.type,
                    basis=row.basis,
                    assessor_id=row.assessor_id,
                    assessor_name=names.get(row.assessor_id, ""),
                    instrument_id=row.instrument_id,
                    instrument_version=row.instrument_version,
                    instrument_title=instrument.title,
                    instrument_changed=instrument.digest != row.instrument_digest,
                    domains=tuple(
                        DomainScoreView(
                            d.key,
                            d.label,
                            d.mean,
                            d.display,
                            tuple(
                                SubScoreView(s.key, s.label, s.score, notes.get(s.key, ""))
                                for s in d.sub_scores
                            ),
                        )
                        for d in scores.domains
                    ),
                    notes=row.notes,
                    supersedes_id=row.supersedes_id,
                    superseded_by_id=later.get(row.id),
                    meets_threshold=meets,
                    shortfalls=tuple(s.describe() for s in below),
                    recorded_at=row.created_at,
                )
            )
        return views

    def progress(self, case_id: uuid.UUID, survivor_id: uuid.UUID) -> SurvivorProgress:
        """Per-domain scores over time, with the threshold, for a chart or a report."""
        with self._read() as session:
            case = self._load(session, case_id)
            survivor = survivor_in_case(session, case, survivor_id)
            threshold = read_care_settings(session).threshold
            rows = list(
                session.scalars(
                    select(Assessment)
                    .where(
                        Assessment.case_id == case.id,
                        Assessment.survivor_id == survivor.id,
                        current_assessments(),
                    )
                    .order_by(Assessment.assessed_on, Assessment.created_at)
                )
            )
            instruments = _Instruments(session)
            scored = [(row, scores_of(session, row, instruments.of(row))[0]) for row in rows]
            return _progress(case, survivor, scored, threshold)

    # -- the schedule ---------------------------------------------------------

    def due(
        self,
        *,
        user_id: uuid.UUID | None = None,
        everyone: bool = False,
        within_days: int = 30,
        on: date | None = None,
    ) -> list[DueRow]:
        """Assessments due within ``within_days`` or overdue, soonest first.

        By default for the acting user: survivors in aftercare in the cases they
        lead or work on as a caseworker. A director or admin may ask for another
        staff member (``user_id``) or for everyone.
        """
        self._require(Permission.CASE_READ, "see the assessment schedule")
        if (everyone or (user_id is not None and user_id != self.actor.user_id)) and (
            not has_permission(self.actor.role, Permission.CASE_ASSIGN)
        ):
            raise AccessDenied(
                f"A {self.actor.role.label.lower()} sees only their own assessments due.",
                code="access_denied",
            )
        day = on or today()
        horizon = day + timedelta(days=max(within_days, 0))
        who = user_id or self.actor.user_id
        with self._read() as session:
            schedule = read_care_settings(session).schedule
            track = aliased(StageTrack)
            in_care = and_(
                track.case_id == Case.id,
                track.stage == Stage.AFTERCARE,
                track.status == TrackStatus.ACTIVE,
                track.started_on.is_not(None),
            )
            cases = select(Case.id).join(track, in_care).where(self._visible_clause())
            if not everyone:
                cases = cases.where(
                    or_(
                        Case.lead_caseworker_id == who,
                        exists().where(
                            CaseAssignment.case_id == Case.id,
                            CaseAssignment.user_id == who,
                            CaseAssignment.deleted_at.is_(None),
                            CaseAssignment.role_on_case.in_(
                                (AssignmentRole.LEAD_CASEWORKER, AssignmentRole.CASEWORKER)
                            ),
                        ),
                    )
                )
            case_ids = cases.scalar_subquery()
            closed = exists().where(
                AftercareClosure.case_id == CaseParty.case_id,
                AftercareClosure.survivor_id == CaseParty.survivor_id,
                AftercareClosure.status.in_(LIVE_CLOSURE),
                AftercareClosure.deleted_at.is_(None),
            )
            people = session.execute(
                select(
                    Case.id,
                    Case.code,
                    Case.lead_caseworker_id,
                    track.started_on,
                    Survivor.id,
                    Survivor.code,
                )
                .join(track, in_care)
                .join(CaseParty, CaseParty.case_id == Case.id)
                .join(Survivor, Survivor.id == CaseParty.survivor_id)
                .where(
                    Case.id.in_(case_ids),
                    CaseParty.kind == PartyKind.SURVIVOR,
                    CaseParty.deleted_at.is_(None),
                    ~closed,
                )
            ).all()
            done: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[AssessmentType, date]]] = (
                defaultdict(list)
            )
            for c, s, kind, on_day in session.execute(
                select(
                    Assessment.case_id,
                    Assessment.survivor_id,
                    Assessment.type,
                    Assessment.assessed_on,
                ).where(Assessment.case_id.in_(case_ids), current_assessments())
            ):
                done[(c, s)].append((kind, on_day))
            names = {
                k: v
                for k, v in session.execute(
                    select(User.id, User.display_name).where(
                        User.id.in_({p[2] for p in people if p[2] is not None})
                    )
                )
            }
        rows: list[DueRow] = []
        seen: set[tuple[uuid.UUID, uuid.UUID]] = set()
        for case_id, code, lead, started, survivor_id, survivor_code in people:
            if (case_id, survivor_id) in seen or started is None:
                continue
            seen.add((case_id, survivor_id))
            history = done.get((case_id, survivor_id), [])
            nxt: DueAssessment = next_due(schedule, history, started, day)
            if nxt.due_on > horizon:
                continue
            rows.append(
                DueRow(
                    case_id,
                    code,
                    survivor_id,
                    survivor_code,
                    nxt.kind,
                    nxt.due_on,
                    nxt.overdue,
                    nxt.days_overdue,
                    max((d for _, d in history), default=None),
                    lead,
                    names.get(lead, "") if lead else "",
                )
            )
        rows.sort(key=lambda r: (r.due_on, r.case_code, r.survivor_code))
        return rows


def _progress(
    case: Case,
    survivor: Survivor,
    scored: list[tuple[Assessment, AssessmentScores]],
    threshold: RestorationThreshold,
) -> SurvivorProgress:
    # Domains matched by key across instrument versions, in the order of the
    # latest version, then any only older versions had.
    order: dict[str, str] = {}
    for _, scores in reversed(scored):
        for d in scores.domains:
            order.setdefault(d.key, d.label)
    series = tuple(
        DomainSeries(
            key,
            label,
            threshold.minimum_for(key),
            tuple(scores.means.get(key) for _, scores in scored),
        )
        for key, label in order.items()
    )
    change: dict[str, Fraction] = {}
    for s in series:
        known = [v for v in s.values if v is not None]
        if len(known) >= 2:
            change[s.key] = known[-1] - known[0]
    latest_meets: bool | None = None
    shortfalls: tuple[str, ...] = ()
    if scored:
        ok, below = threshold.meets(scored[-1][1])
        latest_meets = ok
        shortfalls = tuple(b.describe() for b in below)
    return SurvivorProgress(
        case_id=case.id,
        case_code=case.code,
        survivor_id=survivor.id,
        survivor_code=survivor.code,
        points=tuple(ProgressPoint(row.id, row.assessed_on, row.type) for row, _ in scored),
        domains=series,
        threshold=threshold.default_minimum,
        latest_meets_threshold=latest_meets,
        latest_shortfalls=shortfalls,
        change_since_first=change,
    )
