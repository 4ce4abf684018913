"""Directors' reports and exports: the portfolio PDF, one case's PDF, and the
cases export (CSV or XLSX).

Each method checks the right, reads what the actor may see, writes the file
whole or not at all (``reports.atomic_output``) and appends its audit event
(who, what, which filter, where to) in the *same* transaction as the read:
the file is written inside the transaction, the event is appended, the
transaction commits and only then is the file moved into place. A failure
or a cancellation anywhere leaves neither the file nor the event; a report
refused for want of a right leaves an audit event of the refusal only.

Bad input is refused before any file is touched: an unknown case code, a
period that ends before it starts, an unknown country or office, a folder
that does not exist. A period with no cases in it gives a short report
that says so (and ``ReportResult.empty``), or an export with its header
row only: an empty table is still a valid table for a script.

Progress: ``progress(done, total)`` runs from 0 to 100 (the queries take
the first part, the layout the rest); ``cancelled()`` is asked between
steps and raises :class:`~ijmcase.reports.progress.ReportCancelled`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.errors import AccessDenied, NotFound, ValidationError
from ijmcase.domain.permissions import Permission, may_see_identity
from ijmcase.persistence.database import SETTING_ORGANIZATION, get_setting
from ijmcase.persistence.models import Case
from ijmcase.reports.atomic import atomic_output
from ijmcase.reports.case_report import build_case_pdf
from ijmcase.reports.meta import ReportMeta, format_period
from ijmcase.reports.portfolio import build_portfolio_pdf
from ijmcase.reports.progress import CancelCheck, Monitor, ProgressCallback
from ijmcase.reports.tabular import write_csv, write_xlsx
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.cases import CaseService
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.metrics import SECTION_COUNT, MetricFilter, MetricsService, build_dashboard
from ijmcase.services.people import PeopleService
from ijmcase.services.reporting_case import case_content, survivor_ids
from ijmcase.services.reporting_exports import CASE_COLUMNS, case_rows, count_cases
from ijmcase.services.reporting_portfolio import portfolio_content

__all__ = ["EXPORT_FORMATS", "ReportResult", "ReportingService"]

EXPORT_FORMATS = ("csv", "xlsx")
CASE_STATES = (None, "open", "closed")

# Share of the progress bar the database work takes; the layout has the rest.
_QUERY_SHARE = 60


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int = 0  # a PDF's pages
    rows: int = 0  # an export's data rows
    identifying: bool = False
    empty: bool = False  # nothing in the filter: the file says so
    message: str = ""  # one line for the person: what was written


class Progress:
    """One 0-100 progress bar over two phases: the queries, then the file."""

    def __init__(
        self, progress: ProgressCallback | None, cancelled: CancelCheck | None, steps: int
    ) -> None:
        self._progress = progress
        self.cancelled = cancelled
        self._monitor = Monitor(None, cancelled)
        self._steps = max(1, steps)
        self._done = 0

    def check(self) -> None:
        self._monitor.check()

    def step(self, _name: str = "") -> None:
        """One query step done (and a chance to cancel)."""
        self._done += 1
        self._emit(_QUERY_SHARE * min(self._done, self._steps) // self._steps)
        self.check()

    def file_progress(self, done: int, total: int) -> None:
        share = 100 - _QUERY_SHARE
        fraction = done / total if total else 1.0
        self._emit(_QUERY_SHARE + int(share * min(1.0, fraction)))

    def _emit(self, percent: int) -> None:
        if self._progress is not None:
            self._progress(percent, 100)


class ReportingService(CaseAccess):
    """Reports and exports for directors (and, for one case, its staff)."""

    def _metrics(self) -> MetricsService:
        return MetricsService(self._db, self.actor)

    def _meta(self, session: Session, title: str, **more: Any) -> ReportMeta:
        return ReportMeta(
            title=title,
            generated_by=f"{self.actor.display_name} ({self.actor.username})",
            generated_at=datetime.now().astimezone(),
            organization=str(get_setting(session, SETTING_ORGANIZATION, "") or ""),
            **more,
        )

    @contextmanager
    def _audited_file(self, path: Path) -> Iterator[tuple[BinaryIO, Session]]:
        """The output file and the transaction: the file is moved into place
        only after the transaction (read and audit event) has committed."""
        with atomic_output(path) as out, self._write() as session:
            yield out, session

    # -- the portfolio ------------------------------------------------------------

    def portfolio_pdf(
        self,
        path: Path | str,
        flt: MetricFilter | None = None,
        *,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[ReportResult]:
        """The program summary for the filter, redacted and with small cells suppressed."""
        self._require(Permission.REPORT_AGGREGATE, "produce program reports")
        path = Path(path)
        flt = (flt or MetricFilter()).normalized()
        metrics = self._metrics()
        steps = Progress(progress, cancelled, SECTION_COUNT)
        steps.check()
        with self._audited_file(path) as (out, session):
            scope = metrics._scope(session, flt)
            threshold = metrics._threshold(session)
            dashboard = build_dashboard(session, scope, threshold, steps.step)
            where = _where(flt)
            content = portfolio_content(
                dashboard,
                empty_message=(
                    f"No cases{where} were open in the period "
                    f"({format_period(flt.period.start, flt.period.end).lower()}) among the "
                    "cases you may see, so there is nothing to report. Choose another "
                    "period or filter."
                ),
            )
            meta = self._meta(
                session,
                "Portfolio report",
                subtitle="Program summary: rescue, accountability, aftercare and prevention",
                period_start=flt.period.start,
                period_end=flt.period.end,
                filters=_filters(flt, dashboard.as_of),
                redaction=(
                    "Survivors appear only as counts: no name, code or contact detail. "
                    + (
                        f"Counts of fewer than {threshold} are suppressed ([c] in tables, "
                        f"<{threshold} alone), with any cell that would give one away."
                        if threshold > 1
                        else "Small-cell suppression is turned off for this organization."
                    )
                ),
            )
            pages = build_portfolio_pdf(
                out, meta, content, progress=steps.file_progress, cancelled=cancelled
            )
            self._audit(
                session,
                "report.portfolio",
                "report",
                details={
                    "filter": flt.described(),
                    "path": str(path.absolute()),
                    "pages": pages,
                    "small_cell_threshold": threshold,
                    "empty": dashboard.is_empty,
                },
            )
        if dashboard.is_empty:
            message = f"Wrote {path} ({_pages(pages)}): no cases{where} in the period."
        else:
            message = f"Wrote {path} ({_pages(pages)})."
        result = ReportResult(path, pages=pages, empty=dashboard.is_empty, message=message)
        return Outcome(result, Changes.of("audit"))

    # -- one case -------------------------------------------------------------------

    def _case_id(self, code: str) -> uuid.UUID:
        self._require(Permission.CASE_READ, "read cases")
        with self._read() as session:
            case_id = session.scalar(
                select(Case.id).where(Case.code == code.strip().upper(), self._visible_clause())
            )
        if case_id is None:
            raise NotFound(f"There is no case {code.strip()}.", code="case_not_found")
        return case_id

    def _may_have_full(self, session: Session, case: Case) -> bool:
        """PeopleService's identity rule, for the case and each of its survivors."""
        people = PeopleService(self._db, self.actor)
        granted = people._identity_roles(session)
        if not may_see_identity(
            self.actor.role, assigned=self._is_assigned(session, case), granted_roles=granted
        ):
            return False
        return all(
            people._may_see_identity(session, sid) for sid, _ in survivor_ids(session, case.id)
        )

    def _refuse_full(self, case_id: uuid.UUID) -> None:
        """Refuse a full report (before any file exists) and log the refusal."""
        with self._read() as session:
            allowed = self._may_have_full(session, self._load(session, case_id))
        if allowed:
            return
        with self._write() as session:
            case = self._load(session, case_id)
            code = case.code
            for sid, survivor in survivor_ids(session, case.id):
                self._audit(
                    session,
                    "survivor.identity.denied",
                    "survivor",
                    sid,
                    case_id=case.id,
                    details={"code": survivor, "purpose": "report.case --full"},
                )
            self._audit(
                session,
                "report.case.denied",
                "case",
                case.id,
                case_id=case.id,
                details={"code": code, "full": True},
            )
        raise AccessDenied(
            f"Only staff assigned to case {code}, or a role granted survivors' identities, "
            "can have a full report of it; the redacted report shows survivors by code.",
            code="identity_denied",
        )

    def case_pdf(
        self,
        code: str,
        path: Path | str,
        *,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[ReportResult]:
        """One case: redacted, or with its survivors' identifying records (``full``),
        which is allowed by the identity rules and audited as a view of each."""
        path = Path(path)
        case_id = self._case_id(code)
        if full:
            self._refuse_full(case_id)
        steps = Progress(progress, cancelled, 4)
        steps.check()
        with self._audited_file(path) as (out, session):
            case = self._load(session, case_id)
            if full and not self._may_have_full(session, case):
                # The right was withdrawn a moment ago: nothing is written.
                raise AccessDenied(
                    "The right to a full report was withdrawn.", code="identity_denied"
                )
            detail = CaseService(self._db, self.actor)._detail(session, case)
            content = case_content(session, detail, full=full, step=steps.step)
            meta = self._meta(
                session,
                f"Case report {detail.code}",
                subtitle=detail.violence_type.label
                + (" — full report with identifying data" if full else ""),
                filters=(
                    ("Case", detail.code),
                    ("Content", "Full: survivors' identifying records" if full else "Redacted"),
                ),
                identifying=full,
            )
            pages = build_case_pdf(
                out, meta, content.report, progress=steps.file_progress, cancelled=cancelled
            )
            if full:
                for sid, survivor in survivor_ids(session, case.id):
                    self._audit(
                        session,
                        "survivor.identity.view",
                        "survivor",
                        sid,
                        case_id=case.id,
                        details={"code": survivor, "purpose": "report.case"},
                    )
            self._audit(
                session,
                "report.case",
                "case",
                case.id,
                case_id=case.id,
                details={
                    "code": detail.code,
                    "full": full,
                    "path": str(path.absolute()),
                    "pages": pages,
                    "survivors": content.survivors,
                },
            )
        kind = "full, with identifying data" if full else "redacted"
        result = ReportResult(
            path,
            pages=pages,
            identifying=full,
            message=f"Wrote {path} ({_pages(pages)}, {kind}).",
        )
        return Outcome(result, Changes.of("audit", case_id=case_id))

    # -- the cases export -------------------------------------------------------------

    def export_cases(
        self,
        path: Path | str,
        fmt: str,
        flt: MetricFilter | None = None,
        *,
        state: str | None = None,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[ReportResult]:
        """Every case in the filter (open during the period; ``state`` "open" or
        "closed" as on its last day), one row each, as CSV or XLSX."""
        self._require(Permission.REPORT_AGGREGATE, "export cases")
        if fmt not in EXPORT_FORMATS:
            raise ValidationError.single(
                "format", "unknown_format", f"'{fmt}' is not an export format; use csv or xlsx."
            )
        if state not in CASE_STATES:
            raise ValidationError.single("state", "unknown_state", "Choose open or closed cases.")
        path = Path(path)
        flt = (flt or MetricFilter()).normalized()
        metrics = self._metrics()
        with self._audited_file(path) as (out, session):
            scope = metrics._scope(session, flt)
            total = count_cases(session, scope, state)
            rows = case_rows(session, scope, state)
            if fmt == "csv":
                written = write_csv(
                    out, CASE_COLUMNS, rows, total=total, progress=progress, cancelled=cancelled
                )
            else:
                filters = [*_filters(flt, scope.as_of)]
                if state:
                    filters.append(("Cases", f"{state} on {scope.as_of.isoformat()}"))
                meta = self._meta(
                    session,
                    "Cases",
                    period_start=flt.period.start,
                    period_end=flt.period.end,
                    filters=tuple(filters),
                    redaction=(
                        "One row per case: no survivor's name or code, only counts of the "
                        "people in it. Enum columns hold their stored value (e.g. forced_labour)."
                    ),
                )
                written = write_xlsx(
                    out,
                    CASE_COLUMNS,
                    rows,
                    meta,
                    sheet_title="Cases",
                    total=total,
                    progress=progress,
                    cancelled=cancelled,
                )
            self._audit(
                session,
                "export.cases",
                "export",
                details={
                    "format": fmt,
                    "filter": flt.described(),
                    "state": state,
                    "path": str(path.absolute()),
                    "rows": written,
                },
            )
        if written:
            message = f"Wrote {path} ({written:,} case{'s' if written != 1 else ''})."
        else:
            message = (
                f"Wrote {path} with the header row only: no cases{_where(flt)} match in the period."
            )
        result = ReportResult(path, rows=written, empty=written == 0, message=message)
        return Outcome(result, Changes.of("audit"))


def _pages(pages: int) -> str:
    return f"{pages} page{'s' if pages != 1 else ''}"


def _where(flt: MetricFilter) -> str:
    parts = []
    if flt.country:
        parts.append(f" in {flt.country}")
    if flt.office_code:
        parts.append(f" of office {flt.office_code}")
    return "".join(parts)


def _filters(flt: MetricFilter, as_of: Any) -> tuple[tuple[str, str], ...]:
    pairs = [("Country", flt.country or "All countries")]
    if flt.office_code:
        pairs.append(("Office", flt.office_code))
    pairs.append(("Figures as of", as_of.isoformat()))
    return tuple(pairs)
