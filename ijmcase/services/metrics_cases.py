"""Figures from the records every database has: cases and their stage tracks,
survivors brought to safety, interventions, survivors in aftercare.

Definitions (each figure's base query is below; the drill-down reads the same):

- *cases active in the period*: opened on or before its end (or today) and
  not closed before its start;
- *open cases by stage*: cases open on ``as_of``, each stage track's status
  on that day;
- *survivors brought to safety*: survivors recorded as victims in a case
  whose rescue track was completed in the period; minor or adult as at
  rescue; the case's violence type and country;
- *interventions*: current (not superseded, not withdrawn) interventions
  that took place in the period, by type; survivors who testified and who
  applied for compensation are the distinct survivors of the testimony and
  compensation-application interventions;
- *survivors in aftercare*: victims in a case whose aftercare track is
  active on ``as_of``; *aftercare completed*: cases whose aftercare track
  was completed in the period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.enums import (
    InterventionType,
    PartyKind,
    PartyRole,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.persistence.models import Case, CaseParty, Intervention, StageTrack, Survivor
from ijmcase.services.metrics_keys import Drill, breakdown, crosstab, metric_key
from ijmcase.services.metrics_models import (
    CasesSection,
    Count,
    InterventionsSection,
    SurvivorsSection,
    availability_of,
)
from ijmcase.services.metrics_scope import Scope, tally, text_of, track_statuses

__all__ = [
    "AGE_GROUPS",
    "DRILLS",
    "VIOLENCE_SHORT",
    "aftercare_figures",
    "cases_section",
    "interventions_section",
    "survivors_section",
]

# Column headings of the tables: the full labels do not fit eight across a page.
VIOLENCE_SHORT: dict[ViolenceType, str] = {
    ViolenceType.FORCED_LABOUR: "Forced labour",
    ViolenceType.SEX_TRAFFICKING: "Sex trafficking",
    ViolenceType.OSEC: "OSEC",
    ViolenceType.SEXUAL_VIOLENCE: "Sexual violence",
    ViolenceType.ILLEGAL_DETENTION: "Illegal detention",
    ViolenceType.POLICE_ABUSE: "Police abuse",
    ViolenceType.PROPERTY_GRABBING: "Property grabbing",
    ViolenceType.OTHER: "Other",
}
AGE_GROUPS = (("minor", "Minors"), ("adult", "Adults"), ("unknown", "Age not known"))
_VIOLENCE_ITEMS = [(v.value, VIOLENCE_SHORT[v]) for v in ViolenceType]
_STAGE_ITEMS = [(s.value, s.label) for s in Stage]
_STATUS_ITEMS = [(s.value, s.label) for s in TrackStatus]

_age_group = case(
    (Survivor.minor_at_rescue.is_(True), "minor"),
    (Survivor.minor_at_rescue.is_(False), "adult"),
    else_="unknown",
)


def _case_columns() -> list[Any]:
    return [
        Case.id.label("case_id"),
        text_of(Case.country).label("country"),
        text_of(Case.violence_type).label("violence_type"),
    ]


def active_cases(scope: Scope) -> Select[Any]:
    return select(*_case_columns(), Case.id.label("unit")).where(*scope.cases(), scope.active())


def opened_cases(scope: Scope) -> Select[Any]:
    return select(*_case_columns(), Case.id.label("unit")).where(
        *scope.cases(), scope.on_day(Case.opened_on)
    )


def closed_cases(scope: Scope) -> Select[Any]:
    return select(*_case_columns(), Case.id.label("unit")).where(
        *scope.cases(), scope.on_day(Case.closed_on)
    )


def open_tracks(scope: Scope) -> Select[Any]:
    tracks = track_statuses(scope).subquery()
    return select(
        tracks.c.case_id, tracks.c.case_id.label("unit"), tracks.c.stage, tracks.c.status
    ).where(tracks.c.case_id.in_(scope.case_ids(scope.open_on_as_of())))


def _victims(stmt: Select[Any]) -> Select[Any]:
    return stmt.join(
        CaseParty,
        and_(
            CaseParty.case_id == Case.id,
            CaseParty.kind == PartyKind.SURVIVOR,
            CaseParty.role == PartyRole.VICTIM,
            CaseParty.deleted_at.is_(None),
        ),
    ).join(Survivor, and_(Survivor.id == CaseParty.survivor_id, Survivor.deleted_at.is_(None)))


def survivors_safe(scope: Scope) -> Select[Any]:
    rescue = aliased(StageTrack)
    stmt = select(*_case_columns(), Survivor.id.label("unit"), _age_group.label("age")).join(
        rescue, and_(rescue.case_id == Case.id, rescue.stage == Stage.RESCUE)
    )
    return _victims(stmt).where(
        *scope.cases(),
        rescue.status == TrackStatus.COMPLETED,
        rescue.deleted_at.is_(None),
        scope.on_day(rescue.completed_on),
    )


def survivors_in_aftercare(scope: Scope) -> Select[Any]:
    tracks = track_statuses(scope).subquery()
    return (
        select(tracks.c.case_id, Survivor.id.label("unit"), _age_group.label("age"))
        .join(
            CaseParty,
            and_(
                CaseParty.case_id == tracks.c.case_id,
                CaseParty.kind == PartyKind.SURVIVOR,
                CaseParty.role == PartyRole.VICTIM,
                CaseParty.deleted_at.is_(None),
            ),
        )
        .join(Survivor, and_(Survivor.id == CaseParty.survivor_id, Survivor.deleted_at.is_(None)))
        .where(
            tracks.c.stage == Stage.AFTERCARE.value,
            tracks.c.status == TrackStatus.ACTIVE.value,
            tracks.c.case_id.in_(scope.case_ids()),
        )
    )


def aftercare_completed(scope: Scope) -> Select[Any]:
    track = aliased(StageTrack)
    return (
        select(*_case_columns(), Case.id.label("unit"))
        .join(track, and_(track.case_id == Case.id, track.stage == Stage.AFTERCARE))
        .where(
            *scope.cases(),
            track.status == TrackStatus.COMPLETED,
            track.deleted_at.is_(None),
            scope.on_day(track.completed_on),
        )
    )


def interventions(scope: Scope) -> Select[Any]:
    newer = aliased(Intervention)
    superseded = exists().where(newer.supersedes_id == Intervention.id, newer.deleted_at.is_(None))
    return select(
        Intervention.case_id.label("case_id"),
        Intervention.id.label("unit"),
        text_of(Intervention.type).label("type"),
        Intervention.survivor_id.label("survivor"),
    ).where(
        Intervention.case_id.in_(scope.case_ids()),
        Intervention.deleted_at.is_(None),
        ~superseded,
        scope.at_instant(Intervention.occurred_at),
    )


def _interventions_of(kind: InterventionType) -> Drill:
    def rows(scope: Scope) -> Select[Any]:
        base = interventions(scope).subquery()
        return select(
            base.c.case_id, base.c.survivor.label("unit"), base.c.type, base.c.survivor
        ).where(base.c.type == kind.value, base.c.survivor.is_not(None))

    return Drill(rows, frozenset())


DRILLS: dict[str, Drill] = {
    "cases.active": Drill(active_cases, frozenset({"country", "violence_type"})),
    "cases.opened": Drill(opened_cases, frozenset({"country", "violence_type"})),
    "cases.closed": Drill(closed_cases, frozenset({"country", "violence_type"})),
    "cases.open": Drill(open_tracks, frozenset({"stage", "status"})),
    "survivors.safe": Drill(survivors_safe, frozenset({"age", "violence_type", "country"})),
    "survivors.aftercare": Drill(survivors_in_aftercare, frozenset({"age"})),
    "cases.aftercare_completed": Drill(aftercare_completed, frozenset()),
    "interventions": Drill(interventions, frozenset({"type"})),
    "survivors.testified": _interventions_of(InterventionType.TESTIMONY),
    "survivors.compensation": _interventions_of(InterventionType.COMPENSATION_APPLICATION),
}


def _count(session: Session, scope: Scope, name: str, label: str) -> Count:
    value = tally(session, DRILLS[name].rows(scope)).get((), 0)
    return Count(metric_key(name), label, value)


def cases_section(session: Session, scope: Scope) -> CasesSection:
    by_place = tally(session, active_cases(scope), ("country", "violence_type"))
    countries = sorted({country for country, _ in by_place})
    table = crosstab(
        "cases.active",
        "Cases active in the period",
        ("country", "Country", [(c, c) for c in countries]),
        ("violence_type", "Violence type", _VIOLENCE_ITEMS),
        {(c, v): n for (c, v), n in by_place.items()},
    )
    by_stage = tally(
        session,
        open_tracks(scope),
        ("stage", "status"),
        distinct=False,  # one track per stage per case
        values={"stage": [s.value for s in Stage], "status": [s.value for s in TrackStatus]},
    )
    stage_table = crosstab(
        "cases.open",
        "Open cases by stage",
        ("stage", "Stage", _STAGE_ITEMS),
        ("status", "Track status", _STATUS_ITEMS),
        {(s, t): n for (s, t), n in by_stage.items()},
        drop_empty=False,
    )
    # Every open case has one track per stage, so a stage's row sums to the open cases.
    open_now = stage_table.row_totals[0].value if stage_table.row_totals else 0
    active = table.total.value
    return CasesSection(
        availability=availability_of(True, active > 0),
        note="" if active else "No cases were open during this period.",
        as_of=scope.as_of,
        active=Count("cases.active", "Cases active in the period", active),
        opened=_count(session, scope, "cases.opened", "Cases opened"),
        closed=_count(session, scope, "cases.closed", "Cases closed"),
        open_on_as_of=Count("cases.open", "Open cases", open_now),
        by_stage=stage_table,
        by_country_violence=table,
    )


def survivors_section(session: Session, scope: Scope) -> SurvivorsSection:
    base = survivors_safe(scope)
    cells = tally(session, base, ("country", "violence_type", "age"))
    total = tally(session, base).get((), 0)
    by_age: dict[str, int] = {}
    by_violence: dict[str, int] = {}
    by_age_violence: dict[tuple[str, str], int] = {}
    by_country_violence: dict[tuple[str, str], int] = {}
    for (country, violence, age), n in cells.items():
        by_age[age] = by_age.get(age, 0) + n
        by_violence[violence] = by_violence.get(violence, 0) + n
        by_age_violence[(age, violence)] = by_age_violence.get((age, violence), 0) + n
        by_country_violence[(country, violence)] = (
            by_country_violence.get((country, violence), 0) + n
        )
    name = "survivors.safe"
    countries = sorted({country for country, _ in by_country_violence})
    return SurvivorsSection(
        availability=availability_of(True, total > 0),
        note="" if total else "No rescue was completed in this period.",
        brought_to_safety=Count(name, "Survivors brought to safety", total),
        minors=Count(metric_key(name, age="minor"), "Minors", by_age.get("minor", 0)),
        adults=Count(metric_key(name, age="adult"), "Adults", by_age.get("adult", 0)),
        age_unknown=Count(
            metric_key(name, age="unknown"), "Age not known", by_age.get("unknown", 0)
        ),
        by_violence=breakdown(
            name,
            "Survivors brought to safety",
            "violence_type",
            "Violence type",
            [(v.value, v.label) for v in ViolenceType],
            by_violence,
            total=total,
        ),
        by_age_violence=crosstab(
            name,
            "Survivors brought to safety by age and violence type",
            ("age", "Age at rescue", AGE_GROUPS),
            ("violence_type", "Violence type", _VIOLENCE_ITEMS),
            by_age_violence,
        ),
        by_country_violence=crosstab(
            name,
            "Survivors brought to safety by country and violence type",
            ("country", "Country", [(c, c) for c in countries]),
            ("violence_type", "Violence type", _VIOLENCE_ITEMS),
            by_country_violence,
        ),
    )


_PEOPLE_COUNTED = (
    InterventionType.TESTIMONY.value,
    InterventionType.COMPENSATION_APPLICATION.value,
)


def interventions_section(session: Session, scope: Scope) -> InterventionsSection:
    # One pass over the interventions gives every figure of the section, as
    # conditional counts (no GROUP BY: see ``tally``). Distinct survivors are
    # counted for the two types that need them only: a distinct count keeps
    # every value it has seen in a temporary index.
    sub = interventions(scope).subquery()
    kinds = [t.value for t in InterventionType]
    measures = [func.count(case((sub.c.type == kind, sub.c.unit), else_=None)) for kind in kinds]
    measures += [
        func.count(case((sub.c.type == kind, sub.c.survivor), else_=None).distinct())
        for kind in _PEOPLE_COUNTED
    ]
    found = [int(n) for n in session.execute(select(*measures).select_from(sub)).one()]
    counts = {kind: n for kind, n in zip(kinds, found, strict=False) if n}
    people = dict(zip(_PEOPLE_COUNTED, found[len(kinds) :], strict=True))
    total = sum(counts.values())
    by_type = breakdown(
        "interventions",
        "Interventions",
        "type",
        "Type",
        sorted(
            ((t.value, t.label) for t in InterventionType),
            key=lambda item: (-counts.get(item[0], 0), item[1]),
        ),
        counts,
    )
    return InterventionsSection(
        availability=availability_of(True, total > 0),
        note="" if total else "No interventions were logged in this period.",
        total=by_type.total,
        by_type=by_type,
        survivors_testified=Count(
            "survivors.testified",
            "Survivors who testified",
            people.get(InterventionType.TESTIMONY.value, 0),
        ),
        compensation_applicants=Count(
            "survivors.compensation",
            "Survivors who applied for compensation",
            people.get(InterventionType.COMPENSATION_APPLICATION.value, 0),
        ),
    )


def aftercare_figures(session: Session, scope: Scope) -> tuple[Count, Count]:
    """(survivors in aftercare on as_of, cases whose aftercare was completed in the period)."""
    return (
        _count(session, scope, "survivors.aftercare", "Survivors in aftercare"),
        _count(session, scope, "cases.aftercare_completed", "Cases with aftercare completed"),
    )
