"""The interventions export (``ijmcase export interventions``), as CSV or Excel.

What goes in, and why:

- Redacted (the default, anyone who reads cases; only cases they may see):
  structured fields only, survivors and accused by code, the staff member
  by username; the outcome with the identifying values of the case's
  survivors (names, other names, phone numbers, guardian's name and phone)
  taken out. No notes and no location: notes are long free text that may
  name family members, neighbours or an address, and a location can be
  the shelter where a survivor lives.
- ``full`` (roles that report on the whole organization: director, admin,
  auditor): adds the location, the notes and the officials' names, with the
  same identifying values taken out. The file is marked as containing
  identifying data all the same, since free text can name people the
  records do not know. No export writes survivors' names in a column.

Only current versions are exported (``version`` > 1 says it was corrected).
Rows stream from SQL in chunks, so memory stays flat for a million rows;
the file is written whole or not at all (``reports.atomic_output``). Every
export is audited after the file is written, with who, the format, the
filter, the file and the number of rows; if the audit cannot be written the
file is removed, so no export exists that the log does not know about.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.codes import country_problem
from ijmcase.domain.enums import PartyKind
from ijmcase.domain.errors import NotFound, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.database import get_setting
from ijmcase.persistence.models import (
    Case,
    Intervention,
    User,
)
from ijmcase.reports import Column, ColumnType, ReportMeta, atomic_output, write_csv, write_xlsx
from ijmcase.reports.progress import CancelCheck, ProgressCallback
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.interventions import people_of
from ijmcase.services.scrubbing import IdentityScrubber

__all__ = [
    "ExportFormat",
    "InterventionExportFilter",
    "InterventionExportResult",
    "InterventionExportService",
]

ExportFormat = Literal["csv", "xlsx"]
_CHUNK = 500
_SETTING_ORGANIZATION = "organization_name"
_TITLE = "Interventions"
_REDACTED_STATEMENT = (
    "Survivors and accused persons appear by code only. Notes and locations are left out; "
    "outcomes are included with the survivors' names and phone numbers taken out."
)
_FULL_STATEMENT = (
    "Includes locations and notes, with the survivors' names and phone numbers taken out; "
    "free text may still name other people. Produced for a person authorised to report on "
    "the whole organization; the export was logged. Keep it encrypted and do not forward it."
)

_COLUMNS = [
    Column("case_code", "Case"),
    Column("country", "Country"),
    Column("occurred_at", "Date and time (UTC)", ColumnType.DATETIME),
    Column("type", "Type"),
    Column("stage", "Stage"),
    Column("duration_minutes", "Minutes", ColumnType.INT),
    Column("staff", "Staff"),
    Column("survivors", "Survivors"),
    Column("accused", "Accused"),
    Column("officials", "Officials", ColumnType.INT),
    Column("outcome", "Outcome", width=3.0),
    Column("follow_up_on", "Follow-up", ColumnType.DATE),
    Column("version", "Version", ColumnType.INT),
    Column("logged_at", "Logged at (UTC)", ColumnType.DATETIME),
]
_FULL_COLUMNS = [
    *_COLUMNS[:9],
    Column("official_names", "Officials"),
    Column("location", "Location", width=2.0),
    *_COLUMNS[10:11],
    Column("notes", "Notes", width=5.0),
    *_COLUMNS[11:],
]


@dataclass(frozen=True)
class InterventionExportFilter:
    """Which interventions: by day (UTC, both ends included), case, country."""

    from_on: date | None = None
    to_on: date | None = None
    case_code: str | None = None
    country: str | None = None

    def described(self) -> dict[str, str | None]:
        return {
            "from": self.from_on.isoformat() if self.from_on else None,
            "to": self.to_on.isoformat() if self.to_on else None,
            "case": self.case_code,
            "country": self.country,
        }


@dataclass(frozen=True)
class InterventionExportResult:
    path: Path
    rows: int
    full: bool


class InterventionExportService(CaseAccess):
    def export(
        self,
        path: Path,
        *,
        fmt: ExportFormat,
        flt: InterventionExportFilter | None = None,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[InterventionExportResult]:
        """Write the interventions to ``path`` as ``fmt``; audited; redacted unless ``full``."""
        self._require(Permission.CASE_READ, "export interventions")
        if full:
            self._require(Permission.REPORT_AGGREGATE, "make a full export (with notes)")
        if fmt not in ("csv", "xlsx"):
            raise ValidationError.single("format", "unknown_choice", "Choose csv or xlsx.")
        flt = self._checked(flt or InterventionExportFilter())
        path = Path(path)
        columns = _FULL_COLUMNS if full else _COLUMNS
        with self._read() as session:
            scope = self._scope(session, flt)
            meta = self._meta(session, flt, fmt, full)
            rows = self._rows(session, scope, full)
            with atomic_output(path) as out:
                if fmt == "csv":
                    count = write_csv(out, columns, rows, progress=progress, cancelled=cancelled)
                else:
                    count = write_xlsx(
                        out,
                        columns,
                        rows,
                        meta,
                        sheet_title=_TITLE,
                        progress=progress,
                        cancelled=cancelled,
                    )
        try:
            with self._write() as session:
                self._audit(
                    session,
                    "export.interventions",
                    "export",
                    details={
                        "format": fmt,
                        "filter": flt.described(),
                        "full": full,
                        "path": str(path),
                        "rows": count,
                    },
                )
        except BaseException:
            # No export the audit log does not know about.
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return Outcome(InterventionExportResult(path, count, full), Changes.of("audit"))

    # -- internals ----------------------------------------------------------

    @staticmethod
    def _checked(flt: InterventionExportFilter) -> InterventionExportFilter:
        problems = []
        country = flt.country.strip().upper() if flt.country else None
        if country:
            problem = country_problem(country)
            if problem is not None:
                problems.append(problem)
        if flt.from_on and flt.to_on and flt.from_on > flt.to_on:
            raise ValidationError.single(
                "to",
                "end_before_start",
                f"The period ends on {flt.to_on.isoformat()}, before it starts on "
                f"{flt.from_on.isoformat()}.",
            )
        if problems:
            raise ValidationError(problems)
        code = flt.case_code.strip().upper() if flt.case_code else None
        return InterventionExportFilter(flt.from_on, flt.to_on, code or None, country)

    def _scope(self, session: Session, flt: InterventionExportFilter) -> ColumnElement[bool]:
        later = aliased(Intervention)
        clause: ColumnElement[bool] = and_(
            self._visible_clause(),
            Intervention.deleted_at.is_(None),
            ~select(later.id).where(later.supersedes_id == Intervention.id).exists(),
        )
        if flt.case_code:
            case_id = session.scalar(
                select(Case.id).where(Case.code == flt.case_code, self._visible_clause())
            )
            if case_id is None:
                raise NotFound(f"There is no case {flt.case_code}.", code="case_not_found")
            clause = and_(clause, Intervention.case_id == case_id)
        if flt.country:
            clause = and_(clause, Case.country == flt.country)
        if flt.from_on is not None:
            start = datetime.combine(flt.from_on, time.min, tzinfo=UTC)
            clause = and_(clause, Intervention.occurred_at >= start)
        if flt.to_on is not None:
            end = datetime.combine(flt.to_on + timedelta(days=1), time.min, tzinfo=UTC)
            clause = and_(clause, Intervention.occurred_at < end)
        return clause

    def _meta(
        self, session: Session, flt: InterventionExportFilter, fmt: str, full: bool
    ) -> ReportMeta:
        filters = [
            ("Format", fmt.upper()),
            ("Case", flt.case_code or "All cases you may see"),
            ("Country", flt.country or "All"),
            ("Contents", "full (with notes)" if full else "redacted"),
        ]
        return ReportMeta(
            title=_TITLE,
            generated_by=f"{self.actor.display_name} ({self.actor.username})",
            generated_at=datetime.now().astimezone(),
            organization=str(get_setting(session, _SETTING_ORGANIZATION, "") or ""),
            period_start=flt.from_on,
            period_end=flt.to_on,
            filters=tuple(filters),
            identifying=full,
            redaction=_FULL_STATEMENT if full else _REDACTED_STATEMENT,
        )

    def _rows(
        self, session: Session, scope: ColumnElement[bool], full: bool
    ) -> Iterator[dict[str, Any]]:
        """Rows in date order, fetched and labelled a chunk at a time."""
        scrub = IdentityScrubber(session)
        staff = dict(session.execute(select(User.id, User.username)).all())
        stmt = (
            select(Intervention, Case.code, Case.country)
            .join(Case, Case.id == Intervention.case_id)
            .where(scope)
            .order_by(Intervention.occurred_at, Intervention.id)
            .execution_options(yield_per=_CHUNK)
        )
        for chunk in session.execute(stmt).partitions(_CHUNK):
            people = people_of(session, [row[0].id for row in chunk])
            numbers = self._numbers(session, [row[0] for row in chunk])
            for intervention, code, country in chunk:
                labels = people.get(intervention.id, ())
                officials = [p.label for p in labels if p.kind is PartyKind.OFFICIAL]
                row: dict[str, Any] = {
                    "case_code": code,
                    "country": country,
                    "occurred_at": intervention.occurred_at,
                    "type": intervention.type.value,
                    "stage": intervention.stage.value,
                    "duration_minutes": intervention.duration_minutes,
                    "staff": staff.get(intervention.staff_user_id, "")
                    if intervention.staff_user_id
                    else "",
                    "survivors": "; ".join(p.label for p in labels if p.kind is PartyKind.SURVIVOR),
                    "accused": "; ".join(
                        p.label.split(" ", 1)[0] for p in labels if p.kind is PartyKind.ACCUSED
                    ),
                    "officials": len(officials),
                    "outcome": scrub(intervention.case_id, intervention.outcome),
                    "follow_up_on": intervention.follow_up_on,
                    "version": numbers[intervention.id],
                    "logged_at": intervention.created_at,
                }
                if full:
                    row["official_names"] = "; ".join(officials)
                    row["location"] = scrub(intervention.case_id, intervention.location)
                    row["notes"] = scrub(intervention.case_id, intervention.notes)
                yield row
            # The chunk's objects are done with: keep the session small.
            session.expunge_all()

    @staticmethod
    def _numbers(session: Session, rows: list[Intervention]) -> dict[uuid.UUID, int]:
        """Version numbers; nearly every row is a first version, so only the
        corrected ones walk back."""
        numbers: dict[uuid.UUID, int] = {}
        for row in rows:
            n = 1
            current = row.supersedes_id
            while current is not None and n < 1000:
                n += 1
                current = session.scalar(
                    select(Intervention.supersedes_id).where(Intervention.id == current)
                )
            numbers[row.id] = n
        return numbers
