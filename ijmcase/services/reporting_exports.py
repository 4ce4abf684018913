"""The cases export: one row per case, typed columns, streamed from SQL.

Redacted: a case's code, title, place, dates, statuses and counts of the
people and events in it, and the staff who lead it; never a survivor's name
or code (a count of survivors and of minors says enough). Counts come from
correlated subqueries on indexed columns, so rows stream out as the
database finds them and memory stays flat for 100,000 cases.

Enum columns hold the stored value (``forced_labour``), as every export
does (domain.enums): stable for scripts, and the XLSX "About" sheet says so.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.enums import PartyKind, PartyRole, Stage
from ijmcase.persistence.models import (
    Case,
    CaseParty,
    Hearing,
    Intervention,
    Office,
    StageTrack,
    Survivor,
    User,
)
from ijmcase.reports.columns import Column, ColumnType
from ijmcase.services.metrics_scope import Scope, text_of

__all__ = ["CASE_COLUMNS", "case_rows", "count_cases"]

_STAGE_NAMES = {
    Stage.RESCUE: "rescue",
    Stage.ACCOUNTABILITY: "accountability",
    Stage.AFTERCARE: "aftercare",
    Stage.PREVENTION: "prevention",
}

CASE_COLUMNS: tuple[Column, ...] = (
    Column("code", "Case", width=1.0),
    Column("title", "Title", width=2.5),
    Column("violence_type", "Violence type"),
    Column("country", "Country"),
    Column("jurisdiction", "Jurisdiction", width=1.5),
    Column("office", "Office"),
    Column("opened_on", "Opened", ColumnType.DATE),
    Column("closed_on", "Closed", ColumnType.DATE),
    Column("closure_reason", "Closure reason"),
    Column("risk_level", "Risk"),
    Column("sensitivity", "Sensitivity"),
    *(
        column
        for name in _STAGE_NAMES.values()
        for column in (
            Column(f"{name}_status", f"{name.capitalize()} status"),
            Column(f"{name}_started", f"{name.capitalize()} started", ColumnType.DATE),
            Column(f"{name}_completed", f"{name.capitalize()} completed", ColumnType.DATE),
        )
    ),
    Column("survivors", "Survivors", ColumnType.INT),
    Column("minors", "Minors at rescue", ColumnType.INT),
    Column("accused", "Accused", ColumnType.INT),
    Column("interventions", "Interventions", ColumnType.INT),
    Column("hearings", "Hearings", ColumnType.INT),
    Column("lead_caseworker", "Lead caseworker"),
    Column("lead_lawyer", "Lead lawyer"),
)


def _filtered(scope: Scope, state: str | None) -> list[Any]:
    clauses: list[Any] = [*scope.cases(), scope.active()]
    if state == "open":
        clauses.append(scope.open_on_as_of())
    elif state == "closed":
        clauses.append(and_(Case.closed_on.is_not(None), Case.closed_on <= scope.as_of))
    return clauses


def count_cases(session: Session, scope: Scope, state: str | None) -> int:
    return int(session.scalar(select(func.count(Case.id)).where(*_filtered(scope, state))) or 0)


def _statement(scope: Scope, state: str | None) -> Select[Any]:
    party = aliased(CaseParty)
    survivor = aliased(Survivor)
    victims = and_(
        party.case_id == Case.id,
        party.kind == PartyKind.SURVIVOR,
        party.role == PartyRole.VICTIM,
        party.deleted_at.is_(None),
    )
    survivors = select(func.count(party.id)).where(victims).scalar_subquery()
    minors = (
        select(func.count(party.id))
        .join(survivor, survivor.id == party.survivor_id)
        .where(victims, survivor.minor_at_rescue.is_(True))
        .scalar_subquery()
    )
    accused_party = aliased(CaseParty)
    accused = (
        select(func.count(accused_party.id))
        .where(
            accused_party.case_id == Case.id,
            accused_party.kind == PartyKind.ACCUSED,
            accused_party.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    newer = aliased(Intervention)
    interventions = (
        select(func.count(Intervention.id))
        .where(
            Intervention.case_id == Case.id,
            Intervention.deleted_at.is_(None),
            ~exists().where(newer.supersedes_id == Intervention.id, newer.deleted_at.is_(None)),
        )
        .scalar_subquery()
    )
    hearings = (
        select(func.count(Hearing.id))
        .where(Hearing.case_id == Case.id, Hearing.deleted_at.is_(None))
        .scalar_subquery()
    )
    caseworker = aliased(User)
    lawyer = aliased(User)
    # Every column labelled with its export name: the same column of four
    # aliased track tables would otherwise be ambiguous in the result.
    stmt = select(
        Case.code.label("code"),
        Case.title.label("title"),
        text_of(Case.violence_type).label("violence_type"),
        Case.country.label("country"),
        Case.jurisdiction.label("jurisdiction"),
        Office.code.label("office"),
        Case.opened_on.label("opened_on"),
        Case.closed_on.label("closed_on"),
        text_of(Case.closure_reason).label("closure_reason"),
        text_of(Case.risk_level).label("risk_level"),
        text_of(Case.sensitivity).label("sensitivity"),
    )
    for stage, name in _STAGE_NAMES.items():
        track = aliased(StageTrack)
        stmt = stmt.add_columns(
            text_of(track.status).label(f"{name}_status"),
            track.started_on.label(f"{name}_started"),
            track.completed_on.label(f"{name}_completed"),
        ).outerjoin(track, and_(track.case_id == Case.id, track.stage == stage))
    return (
        stmt.add_columns(
            survivors.label("survivors"),
            minors.label("minors"),
            accused.label("accused"),
            interventions.label("interventions"),
            hearings.label("hearings"),
            caseworker.display_name.label("lead_caseworker"),
            lawyer.display_name.label("lead_lawyer"),
        )
        .outerjoin(Office, Office.id == Case.office_id)
        .outerjoin(caseworker, caseworker.id == Case.lead_caseworker_id)
        .outerjoin(lawyer, lawyer.id == Case.lead_lawyer_id)
        .where(*_filtered(scope, state))
        .order_by(Case.code)
    )


def case_rows(session: Session, scope: Scope, state: str | None) -> Iterator[tuple[Any, ...]]:
    """The export's rows, aligned with :data:`CASE_COLUMNS`, a few thousand at a time."""
    result = session.execute(
        _statement(scope, state).execution_options(yield_per=2000, stream_results=True)
    )
    for row in result:
        yield tuple(
            "" if value is None and column.type is ColumnType.TEXT else value
            for value, column in zip(row, CASE_COLUMNS, strict=True)
        )
