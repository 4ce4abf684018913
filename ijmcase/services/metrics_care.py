"""Aftercare and prevention figures: survivors in aftercare, the outcome
assessments, referrals, and officials trained.

The survivors in aftercare come from the stage tracks every database has;
the rest from the aftercare and prevention records, once the database has
them. Definitions:

- *assessments*: current (not superseded) assessments made in the period;
  *on time*: follow-up assessments (six-month, annual) made within 6 or 12
  months of the survivor's previous one (the schedule's defaults), over
  all follow-ups made in the period;
- *change per domain since intake*: for each survivor assessed in the period
  after intake, their latest domain mean in the period minus their intake
  domain mean, averaged over survivors;
- *restored*: aftercare closed (and, for "restored", approved) in the period
  with the reason "restored", over all aftercare closed in the period;
  *months to restoration*: from the start of the case's aftercare track to
  the restored closing (days / 30.4375);
- *referrals* made in the period, and completed in the period;
- *officials trained*: attendees of trainings held in the period, named
  officials by their role (each counted once) plus head counts by role;
  trainings are the organization's, so the office filter does not apply,
  the country filter does (the training's country).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.assessments import load_instruments
from ijmcase.domain.enums import OfficialRole, Stage
from ijmcase.domain.errors import IjmcaseError
from ijmcase.persistence import models
from ijmcase.persistence.models import PartnerOfficial, StageTrack
from ijmcase.services.metrics_cases import aftercare_figures
from ijmcase.services.metrics_keys import Drill, breakdown, metric_key
from ijmcase.services.metrics_models import (
    AftercareSection,
    Availability,
    Count,
    DomainChange,
    Median,
    PreventionSection,
    Ratio,
    ReferralsSection,
    RestorationFigures,
    availability_of,
)
from ijmcase.services.metrics_scope import Scope, any_rows, median, optional_model, tally, text_of

__all__ = [
    "DRILLS",
    "NO_ASSESSMENTS",
    "aftercare_section",
    "domain_labels",
    "prevention_section",
    "referrals_section",
]

DAYS_PER_MONTH = 30.4375
_FOLLOW_UP_MONTHS = {"six_month": 6, "annual": 12}
_ASSESSMENTS = ("Assessment", "AssessmentScore", "AftercareClosure")
_REFERRALS = ("Referral",)
_PREVENTION = ("Engagement", "EngagementAttendee", "EngagementRoleCount")

NO_ASSESSMENTS = (
    "No outcome assessments yet: assessments on time, change since intake and the share "
    "restored are counted once caseworkers record assessments."
)
NO_REFERRALS = "No referrals recorded yet."
NO_TRAININGS = "No trainings of officials recorded yet."


def _m(name: str) -> Any:
    # Looked up when used: the aftercare and prevention records may not exist.
    return getattr(models, name)


def _current_assessments() -> tuple[Any, Any]:
    a = _m("Assessment")
    newer = aliased(a)
    current = and_(
        a.deleted_at.is_(None),
        ~exists().where(newer.supersedes_id == a.id, newer.deleted_at.is_(None)),
    )
    return a, current


def assessment_rows(scope: Scope) -> Select[Any]:
    a, current = _current_assessments()
    return select(
        a.case_id.label("case_id"), a.id.label("unit"), text_of(a.type).label("type")
    ).where(a.case_id.in_(scope.case_ids()), current, scope.on_day(a.assessed_on))


def _months_after(scope: Scope, day: Any, months: int) -> Any:
    if scope.dialect == "postgresql":
        return day + func.make_interval(0, months)
    # SQLite's date() moves a day past the month's end into the next month
    # (31 August + 6 months = 3 March); off by at most three days.
    return func.date(day, f"+{months} months")


def on_time_rows(scope: Scope) -> Select[Any]:
    a, current = _current_assessments()
    ranked = (
        select(
            a.id.label("id"),
            a.case_id.label("case_id"),
            text_of(a.type).label("type"),
            a.assessed_on.label("assessed_on"),
            func.lag(a.assessed_on)
            .over(partition_by=(a.case_id, a.survivor_id), order_by=(a.assessed_on, a.created_at))
            .label("previous"),
        )
        .where(current)
        .subquery()
    )
    due = case(
        (ranked.c.type == "six_month", _months_after(scope, ranked.c.previous, 6)),
        else_=_months_after(scope, ranked.c.previous, 12),
    )
    return select(
        ranked.c.case_id.label("case_id"),
        ranked.c.id.label("unit"),
        case((ranked.c.assessed_on <= due, "yes"), else_="no").label("on_time"),
    ).where(
        ranked.c.case_id.in_(scope.case_ids()),
        ranked.c.type.in_(list(_FOLLOW_UP_MONTHS)),
        ranked.c.previous.is_not(None),
        scope.on_day(ranked.c.assessed_on),
    )


def closure_rows(scope: Scope) -> Select[Any]:
    c = _m("AftercareClosure")
    return select(
        c.case_id.label("case_id"),
        c.survivor_id.label("unit"),
        case((text_of(c.reason) == "restored", "yes"), else_="no").label("restored"),
    ).where(
        c.case_id.in_(scope.case_ids()),
        c.deleted_at.is_(None),
        text_of(c.status) == "closed",
        scope.on_day(c.closed_on),
    )


def restoration_time_rows(scope: Scope) -> Select[Any]:
    c = _m("AftercareClosure")
    track = aliased(StageTrack)
    return (
        select(
            c.case_id.label("case_id"),
            c.survivor_id.label("unit"),
            scope.days_between(c.closed_on, track.started_on).label("days"),
        )
        .join(track, and_(track.case_id == c.case_id, track.stage == Stage.AFTERCARE))
        .where(
            c.case_id.in_(scope.case_ids()),
            c.deleted_at.is_(None),
            text_of(c.status) == "closed",
            text_of(c.reason) == "restored",
            track.started_on.is_not(None),
            scope.on_day(c.closed_on),
        )
    )


def referral_rows(scope: Scope) -> Select[Any]:
    r = _m("Referral")

    def part(stage: str, day: Any, *extra: Any) -> Select[Any]:
        return select(
            r.case_id.label("case_id"), r.id.label("unit"), literal(stage).label("stage")
        ).where(r.case_id.in_(scope.case_ids()), r.deleted_at.is_(None), scope.on_day(day), *extra)

    both = union_all(
        part("made", r.referred_on),
        part("completed", r.completed_on, text_of(r.status) == "completed"),
    ).subquery()
    return select(both.c.case_id, both.c.unit, both.c.stage)


def _trainings(scope: Scope) -> Any:
    e = _m("Engagement")
    clauses = [e.deleted_at.is_(None), text_of(e.kind) == "training", scope.on_day(e.held_on)]
    if scope.filter.country:
        clauses.append(e.country == scope.filter.country)
    return e, clauses


def training_case_rows(scope: Scope) -> Select[Any]:
    """The cases trainings grew out of, with the roles of the officials who
    attended (trainings with no case have no case behind them)."""
    e, clauses = _trainings(scope)
    attendee = _m("EngagementAttendee")
    head_count = _m("EngagementRoleCount")

    def part(role: Any, *joins: tuple[Any, Any]) -> Select[Any]:
        stmt = select(e.case_id.label("case_id"), e.id.label("unit"), role.label("role"))
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.where(e.case_id.in_(scope.case_ids()), *clauses)

    rows = union_all(
        part(literal("")),
        part(
            text_of(PartnerOfficial.official_role),
            (attendee, and_(attendee.engagement_id == e.id, attendee.deleted_at.is_(None))),
            (PartnerOfficial, PartnerOfficial.id == attendee.official_id),
        ),
        part(
            text_of(head_count.official_role),
            (
                head_count,
                and_(
                    head_count.engagement_id == e.id,
                    head_count.deleted_at.is_(None),
                    head_count.attendees > 0,
                ),
            ),
        ),
    ).subquery()
    return select(rows.c.case_id, rows.c.unit, rows.c.role)


def government_led_rows(scope: Scope) -> Select[Any]:
    g = _m("GovernmentLedCase")
    return select(g.case_id.label("case_id"), g.case_id.label("unit")).where(
        g.case_id.in_(scope.case_ids()), g.deleted_at.is_(None), scope.on_day(g.marked_on)
    )


def _available(session: Session, names: tuple[str, ...]) -> bool:
    return all(optional_model(session, name) is not None for name in names)


def domain_labels() -> dict[str, str]:
    """Domain keys to their labels, from the instruments shipped with ijmcase."""
    try:
        instruments = load_instruments()
    except IjmcaseError:
        return {}
    return {d.key: d.label for i in instruments.values() for d in i.domains}


def _intake_and_latest(scope: Scope) -> tuple[Any, Any]:
    """Each survivor's first intake assessment, and their latest later one made
    in the period (one row per case and survivor in each)."""
    a, current = _current_assessments()

    def first_of(*where: Any, latest: bool) -> Any:
        order = (a.assessed_on.desc(), a.created_at.desc()) if latest else (a.assessed_on,)
        ranked = (
            select(
                a.id.label("id"),
                a.case_id.label("case_id"),
                a.survivor_id.label("survivor_id"),
                func.row_number()
                .over(partition_by=(a.case_id, a.survivor_id), order_by=order)
                .label("rank"),
            )
            .where(current, *where)
            .subquery()
        )
        return select(ranked).where(ranked.c.rank == 1).subquery()

    intake = first_of(text_of(a.type) == "intake", latest=False)
    latest = first_of(text_of(a.type) != "intake", scope.on_day(a.assessed_on), latest=True)
    return intake, latest


def change_rows(scope: Scope) -> Select[Any]:
    """The survivors behind "change since intake" (and their cases)."""
    intake, latest = _intake_and_latest(scope)
    return (
        select(latest.c.case_id.label("case_id"), latest.c.survivor_id.label("unit"))
        .join(
            intake,
            and_(
                intake.c.case_id == latest.c.case_id, intake.c.survivor_id == latest.c.survivor_id
            ),
        )
        .where(latest.c.case_id.in_(scope.case_ids()))
    )


DRILLS: dict[str, Drill] = {
    "aftercare.assessments": Drill(assessment_rows, frozenset({"type"}), _ASSESSMENTS),
    "aftercare.on_time": Drill(on_time_rows, frozenset({"on_time"}), _ASSESSMENTS),
    "aftercare.closed": Drill(closure_rows, frozenset({"restored"}), _ASSESSMENTS),
    "aftercare.restoration_time": Drill(restoration_time_rows, frozenset(), _ASSESSMENTS),
    "aftercare.change": Drill(change_rows, frozenset(), _ASSESSMENTS),
    "referrals": Drill(referral_rows, frozenset({"stage"}), _REFERRALS),
    "prevention.trainings": Drill(training_case_rows, frozenset({"role"}), _PREVENTION),
    "prevention.government_led": Drill(government_led_rows, frozenset(), ("GovernmentLedCase",)),
}


def _change_by_domain(session: Session, scope: Scope) -> tuple[DomainChange, ...]:
    s = _m("AssessmentScore")
    means = (
        select(
            s.assessment_id.label("assessment_id"),
            s.domain_key.label("domain"),
            func.avg(s.score).label("mean"),
        )
        .where(s.deleted_at.is_(None))
        .group_by(s.assessment_id, s.domain_key)
        .subquery()
    )
    intake, latest = _intake_and_latest(scope)
    before = means.alias("before")
    after = means.alias("after")
    rows = session.execute(
        select(after.c.domain, func.avg(after.c.mean - before.c.mean), func.count())
        .select_from(latest)
        .join(
            intake,
            and_(
                intake.c.case_id == latest.c.case_id, intake.c.survivor_id == latest.c.survivor_id
            ),
        )
        .join(after, after.c.assessment_id == latest.c.id)
        .join(
            before, and_(before.c.assessment_id == intake.c.id, before.c.domain == after.c.domain)
        )
        .where(latest.c.case_id.in_(scope.case_ids()))
        .group_by(after.c.domain)
        .order_by(after.c.domain)
    ).all()
    labels = domain_labels()
    return tuple(
        DomainChange(
            "aftercare.change",
            str(domain),
            labels.get(str(domain), str(domain).replace("_", " ").capitalize()),
            None if change is None else float(change),
            int(n),
        )
        for domain, change, n in rows
    )


def _restoration(session: Session, scope: Scope) -> RestorationFigures:
    done = tally(session, assessment_rows(scope)).get((), 0)
    on_time = {k: n for (k,), n in tally(session, on_time_rows(scope), ("on_time",)).items()}
    closed = {k: n for (k,), n in tally(session, closure_rows(scope), ("restored",)).items()}
    days, n_restored = median(session, select(restoration_time_rows(scope).subquery().c.days))
    return RestorationFigures(
        assessments=Count("aftercare.assessments", "Assessments done", done),
        on_time=Ratio(
            metric_key("aftercare.on_time", on_time="yes"),
            "Follow-up assessments on time",
            on_time.get("yes", 0),
            sum(on_time.values()),
        ),
        change_by_domain=_change_by_domain(session, scope),
        restored=Ratio(
            metric_key("aftercare.closed", restored="yes"),
            "Survivors restored, of those whose aftercare closed",
            closed.get("yes", 0),
            sum(closed.values()),
        ),
        median_months_to_restoration=Median(
            "aftercare.restoration_time",
            "Median months to restoration",
            None if days is None else days / DAYS_PER_MONTH,
            n_restored,
            "months",
        ),
    )


def aftercare_section(session: Session, scope: Scope) -> AftercareSection:
    in_aftercare, completed = aftercare_figures(session, scope)
    restoration = None
    if _available(session, _ASSESSMENTS) and any_rows(session, _m("Assessment")):
        restoration = _restoration(session, scope)
    anything = in_aftercare.value > 0 or completed.value > 0
    return AftercareSection(
        availability=availability_of(True, anything),
        note="" if anything else "No survivors were in aftercare in this period.",
        in_aftercare=in_aftercare,
        completed=completed,
        restoration=restoration,
        restoration_note="" if restoration is not None else NO_ASSESSMENTS,
    )


def referrals_section(session: Session, scope: Scope) -> ReferralsSection:
    if not _available(session, _REFERRALS):
        return ReferralsSection(Availability.NOT_RECORDED, NO_REFERRALS, None, None)
    counts = {k: n for (k,), n in tally(session, referral_rows(scope), ("stage",)).items()}
    made = counts.get("made", 0)
    return ReferralsSection(
        availability=availability_of(True, made > 0 or counts.get("completed", 0) > 0),
        note="" if counts else "No referrals were made or completed in this period.",
        made=Count(metric_key("referrals", stage="made"), "Referrals made", made),
        completed=Count(
            metric_key("referrals", stage="completed"),
            "Referrals completed",
            counts.get("completed", 0),
        ),
    )


def prevention_section(session: Session, scope: Scope) -> PreventionSection:
    if not _available(session, _PREVENTION):
        return PreventionSection(Availability.NOT_RECORDED, NO_TRAININGS, None, None, None, None)
    e, clauses = _trainings(scope)
    attendee = _m("EngagementAttendee")
    head_count = _m("EngagementRoleCount")
    trainings = int(session.scalar(select(func.count(e.id)).where(*clauses)) or 0)
    by_role: dict[str, int] = {}
    named = session.execute(
        select(text_of(PartnerOfficial.official_role), func.count(PartnerOfficial.id.distinct()))
        .select_from(attendee)
        .join(e, e.id == attendee.engagement_id)
        .join(PartnerOfficial, PartnerOfficial.id == attendee.official_id)
        .where(*clauses, attendee.deleted_at.is_(None))
        .group_by(text_of(PartnerOfficial.official_role))
    )
    for role, n in named:
        by_role[str(role)] = by_role.get(str(role), 0) + int(n)
    counted = session.execute(
        select(text_of(head_count.official_role), func.sum(head_count.attendees))
        .select_from(head_count)
        .join(e, e.id == head_count.engagement_id)
        .where(*clauses, head_count.deleted_at.is_(None))
        .group_by(text_of(head_count.official_role))
    )
    for role, n in counted:
        by_role[str(role)] = by_role.get(str(role), 0) + int(n or 0)
    roles = breakdown(
        "prevention.trainings",
        "Officials trained",
        "role",
        "Role",
        [(r.value, r.label) for r in OfficialRole],
        by_role,
    )
    government_led = None
    if optional_model(session, "GovernmentLedCase") is not None:
        government_led = Count(
            "prevention.government_led",
            "Cases led by the government",
            tally(session, government_led_rows(scope)).get((), 0),
        )
    return PreventionSection(
        availability=availability_of(True, trainings > 0),
        note="" if trainings else "No trainings of officials were held in this period.",
        officials_trained=roles.total,
        by_role=roles,
        trainings=Count("prevention.trainings", "Trainings held", trainings),
        government_led=government_led,
    )
