"""How the demo builder's rows reach the database.

Rows are plain dicts holding every column of their table. ``Writer`` inserts
a chunk's rows parents first. On PostgreSQL it uses Core ``insert`` with
``executemany``; on SQLite (SQLCipher) it converts each value to the text
SQLAlchemy's own column types would store and hands the tuples to the
driver, skipping the per-value bind processing that is most of the cost of
a Core ``executemany`` at demo scale.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Date, Dialect, Table, Uuid, insert
from sqlalchemy.orm import Session

from ijmcase.persistence import models
from ijmcase.persistence.base import Base, UTCDateTime
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseAssignment,
    CaseParty,
    Hearing,
    Institution,
    Intervention,
    Office,
    PartnerOfficial,
    StageTrack,
    StageTransition,
    Survivor,
    SurvivorIdentity,
    User,
)

__all__ = ["Row", "Writer"]

Row = dict[str, Any]


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


# In insertion order: parents before children (foreign keys).
_TABLES: dict[str, Table] = {
    "users": _table(User),
    "offices": _table(Office),
    "institutions": _table(Institution),
    "partner_officials": _table(PartnerOfficial),
    "cases": _table(Case),
    "stage_tracks": _table(StageTrack),
    "stage_transitions": _table(StageTransition),
    "case_assignments": _table(CaseAssignment),
    "survivors": _table(Survivor),
    "survivor_identities": _table(SurvivorIdentity),
    "accused": _table(Accused),
    "case_parties": _table(CaseParty),
    "interventions": _table(Intervention),
    # The court record (demo_court): hearings point at proceedings and
    # protection measures; the rest point at hearings or proceedings.
    "proceedings": _table(models.Proceeding),
    "protection_measures": _table(models.ProtectionMeasure),
    "hearings": _table(Hearing),
    "hearing_staff": models.hearing_staff,
    "charges": _table(models.Charge),
    "custody_events": _table(models.CustodyEvent),
    "milestone_records": _table(models.MilestoneRecord),
    "compensation_claims": _table(models.CompensationClaim),
    # Aftercare and prevention (demo_care): a referral points at the consent it
    # was made under, a service at its referral, a score at its assessment.
    "consents": _table(models.Consent),
    "assessment_instruments": _table(models.AssessmentInstrument),
    "assessments": _table(models.Assessment),
    "assessment_scores": _table(models.AssessmentScore),
    "aftercare_closures": _table(models.AftercareClosure),
    "care_plan_goals": _table(models.CarePlanGoal),
    "referrals": _table(models.Referral),
    "services_delivered": _table(models.ServiceDelivered),
    "engagements": _table(models.Engagement),
    "engagement_institutions": _table(models.EngagementInstitution),
    "engagement_attendees": _table(models.EngagementAttendee),
    "engagement_role_counts": _table(models.EngagementRoleCount),
    "government_led_cases": _table(models.GovernmentLedCase),
    # The field records (demo_field): people in and follow-ups of interventions.
    "intervention_people": _table(models.InterventionPerson),
    "follow_ups": _table(models.FollowUp),
}


def _utc_text(value: datetime) -> str:
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(" ", "microseconds")[:26]


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """The text SQLAlchemy's own types would store on SQLite, made directly:
    its per-value bind processing is most of the cost of a Core executemany."""
    if isinstance(column_type, Uuid):
        return lambda v: None if v is None else v.hex
    if isinstance(column_type, UTCDateTime):
        return lambda v: None if v is None else _utc_text(v)
    if isinstance(column_type, Date):
        return lambda v: None if v is None else v.isoformat()
    # Enum columns already hold their values; strings, numbers and booleans
    # are stored as given.
    return None


class Writer:
    """Inserts buffered rows, parents before children (foreign keys)."""

    def __init__(self, dialect: Dialect) -> None:
        self.sqlite = dialect.name == "sqlite"
        quote = dialect.identifier_preparer.quote
        self.sql: dict[str, str] = {}
        self.columns: dict[str, list[tuple[str, Callable[[Any], Any] | None]]] = {}
        for name, table in _TABLES.items():
            columns = [(c.name, _sqlite_converter(c.type)) for c in table.columns]
            self.columns[name] = columns
            self.sql[name] = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c, _ in columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )

    def flush(self, session: Session, rows: dict[str, list[Row]]) -> None:
        for name, table in _TABLES.items():
            batch = rows.get(name)
            if not batch:
                continue
            columns = self.columns[name]
            # A key missing from the dicts would silently take a default (or
            # fail on a later row); check the first row against the table.
            if set(batch[0]) != {c for c, _ in columns}:
                expected = {c for c, _ in columns}
                missing = sorted(expected - set(batch[0]))
                extra = sorted(set(batch[0]) - expected)
                raise RuntimeError(f"demo rows for {name}: missing {missing}, extra {extra}")
            if self.sqlite:
                params = [
                    tuple([row[c] if f is None else f(row[c]) for c, f in columns]) for row in batch
                ]
                session.connection().exec_driver_sql(self.sql[name], params)
            else:
                session.execute(insert(table), batch)
        rows.clear()
