"""The lawyers' files: the calendar export (.ics), the docket report (PDF)
and the hearings export (CSV or XLSX).

Each method gathers the rows the actor may see, writes the file whole or
not at all (``reports.atomic_output``) and then appends an audit event
saying who exported what with which filters; should the audit fail, the
file is removed, so no export exists that the log does not show.

Redacted by default: survivors by code only, accused persons by code, and
free text (purposes, reasons, preparation notes) passed through
``domain.redaction.scrub`` with the identifying values of the survivors of
each case, in case a name slipped into a note. ``full=True`` (docket and
hearings export) adds the accused persons' names, and the notes, for lawyers
and directors; it is audited as a full export. Survivor names never appear.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ijmcase.domain.errors import AccessDenied, NotFound, ValidationError
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.domain.redaction import REDACTED, identifying_patterns
from ijmcase.persistence.database import SETTING_ORGANIZATION, get_setting
from ijmcase.persistence.models import CaseParty, SurvivorIdentity
from ijmcase.reports.atomic import atomic_output
from ijmcase.reports.court_calendar import calendar_events
from ijmcase.reports.docket import build_docket
from ijmcase.reports.hearings_export import HearingFormat, write_hearings
from ijmcase.reports.ics import write_ics
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.progress import CancelCheck, ProgressCallback
from ijmcase.services.calendar import CalendarItem, CalendarService
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.court_views import HearingRow

__all__ = ["DEFAULT_CALENDAR_DAYS", "CourtOutputService", "OutputResult"]

DEFAULT_CALENDAR_DAYS = 90

_FULL_STATEMENT = (
    "Full docket: accused persons appear by name, which in a family case can "
    "point to the survivor. Survivors appear by code only. The export was logged; "
    "keep it encrypted and destroy it when no longer needed."
)


@dataclass(frozen=True)
class OutputResult:
    path: Path
    count: int  # events, hearings or rows written
    pages: int = 0


class _Scrubber:
    """Survivors' identifying values taken out of free text, per case."""

    def __init__(self, read: Callable[[uuid.UUID], list[str]]) -> None:
        self._read = read
        self._cache: dict[uuid.UUID, re.Pattern[str] | None] = {}

    def __call__(self, case_id: uuid.UUID, text: str) -> str:
        if not text:
            return text
        if case_id not in self._cache:
            patterns = identifying_patterns(self._read(case_id))
            self._cache[case_id] = (
                re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
                if patterns
                else None
            )
        pattern = self._cache[case_id]
        return pattern.sub(REDACTED, text) if pattern is not None else text


class CourtOutputService(CalendarService):
    # -- helpers ---------------------------------------------------------------

    def _identifying_values(self, case_id: uuid.UUID) -> list[str]:
        with self._read() as session:
            rows = session.execute(
                select(
                    SurvivorIdentity.legal_name,
                    SurvivorIdentity.other_names,
                    SurvivorIdentity.phone,
                    SurvivorIdentity.guardian_name,
                    SurvivorIdentity.guardian_contact,
                )
                .join(CaseParty, CaseParty.survivor_id == SurvivorIdentity.survivor_id)
                .where(CaseParty.case_id == case_id, CaseParty.deleted_at.is_(None))
            )
            return [v for row in rows for v in row if v]

    def _scrubbed(self, rows: Iterable[HearingRow], scrub: _Scrubber) -> Iterator[HearingRow]:
        for row in rows:
            yield replace(
                row,
                purpose=scrub(row.case_id, row.purpose),
                adjournment_reason=scrub(row.case_id, row.adjournment_reason),
                preparation=scrub(row.case_id, row.preparation),
                notes=scrub(row.case_id, row.notes),
            )

    def _meta(self, title: str, filters: list[tuple[str, str]], **more: Any) -> ReportMeta:
        with self._read() as session:
            organization = str(get_setting(session, SETTING_ORGANIZATION, "") or "")
        return ReportMeta(
            title=title,
            generated_by=f"{self.actor.display_name} ({self.actor.username})",
            generated_at=datetime.now().astimezone(),
            organization=organization,
            filters=tuple(filters),
            **more,
        )

    def _require_full(self, what: str) -> None:
        if not has_permission(self.actor.role, Permission.HEARING_EDIT):
            raise AccessDenied(
                f"A {self.actor.role.label.lower()} cannot make a full {what}; the "
                "redacted one shows accused persons by code.",
                code="full_denied",
            )

    def _audited(
        self, path: Path, action: str, details: dict[str, Any], result: OutputResult
    ) -> Outcome[OutputResult]:
        """Log the export; if that fails, the file goes too."""
        try:
            with self._write() as session:
                self._audit(
                    session,
                    action,
                    "export",
                    details={**details, "path": str(path), "count": result.count},
                )
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return Outcome(result, Changes.of("audit"))

    # -- calendar (.ics) -------------------------------------------------------

    def export_calendar(
        self, path: Path, *, days: int = DEFAULT_CALENDAR_DAYS, mine: bool = False
    ) -> Outcome[OutputResult]:
        """Upcoming hearings and deadlines, from today for ``days`` days.
        With nothing to put in it, no file is written."""
        path = Path(path)
        if days < 1:
            raise ValidationError.single("days", "out_of_range", "Give at least 1 day.")
        items = self.upcoming(days, mine=mine)
        if not items:
            scope = "your cases" if mine else "the cases you can see"
            raise NotFound(
                f"There are no hearings or deadlines in the next {days} days in {scope}; "
                "no calendar file was written.",
                code="no_events",
            )
        scrub = _Scrubber(self._identifying_values)
        events = calendar_events(_scrub_item(i, scrub) for i in items)
        name = "ijmcase hearings and deadlines" + (" (my cases)" if mine else "")
        with atomic_output(path) as out:
            count = write_ics(
                out, events, generated_at=datetime.now().astimezone(), calendar_name=name
            )
        hearings = sum(1 for i in items if i.hearing is not None)
        return self._audited(
            path,
            "export.calendar",
            {
                "days": days,
                "mine": mine,
                "hearings": hearings,
                "deadlines": count - hearings,
            },
            OutputResult(path, count),
        )

    # -- docket (PDF) ------------------------------------------------------------

    def docket_report(
        self,
        path: Path,
        *,
        days: int = 7,
        mine: bool = False,
        court: str = "",
        full: bool = False,
        start: date | None = None,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[OutputResult]:
        """Hearings from ``start`` (today) for ``days`` days, by date and court."""
        path = Path(path)
        if days < 1:
            raise ValidationError.single("days", "out_of_range", "Give at least 1 day.")
        if full:
            self._require_full("docket")
        start = start or today()
        last = start + timedelta(days=days - 1)
        rows = self.docket(days, mine=mine, court=court, start=start)
        scrub = _Scrubber(self._identifying_values)
        rows = list(self._scrubbed(rows, scrub))
        filters = [
            ("Days", str(days)),
            ("Cases", "Assigned to me" if mine else "All I can see"),
        ]
        if court.strip():
            filters.append(("Court", court.strip()))
        meta = self._meta(
            "Court docket",
            filters,
            subtitle="Hearings by date and court, with what must be prepared",
            period_start=start,
            period_end=last,
            identifying=full,
            redaction=_FULL_STATEMENT if full else "",
        )
        with atomic_output(path) as out:
            pages = build_docket(
                out,
                meta,
                rows,
                show_names=full,
                first_day=start,
                last_day=last,
                progress=progress,
                cancelled=cancelled,
            )
        return self._audited(
            path,
            "report.docket",
            {
                "days": days,
                "from": start.isoformat(),
                "mine": mine,
                "court": court.strip(),
                "full": full,
            },
            OutputResult(path, len(rows), pages),
        )

    # -- hearings (CSV / XLSX) ------------------------------------------------------

    def export_hearings(
        self,
        path: Path,
        *,
        fmt: HearingFormat,
        since: date | None = None,
        until: date | None = None,
        mine: bool = False,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[OutputResult]:
        path = Path(path)
        if full:
            self._require_full("hearings export")
        filters: list[tuple[str, str]] = [
            ("Cases", "Assigned to me" if mine else "All I can see"),
            ("Format", fmt.upper()),
        ]
        meta = self._meta(
            "Hearings",
            filters,
            period_start=since,
            period_end=until,
            identifying=full,
            redaction=_FULL_STATEMENT if full else "",
        )
        scrub = _Scrubber(self._identifying_values)
        rows = self._scrubbed(self.hearing_export_rows(since=since, until=until, mine=mine), scrub)
        with atomic_output(path) as out:
            count = write_hearings(
                out, rows, meta, fmt=fmt, full=full, progress=progress, cancelled=cancelled
            )
        return self._audited(
            path,
            "export.hearings",
            {
                "format": fmt,
                "from": since.isoformat() if since else None,
                "to": until.isoformat() if until else None,
                "mine": mine,
                "full": full,
            },
            OutputResult(path, count),
        )


def _scrub_item(item: CalendarItem, scrub: _Scrubber) -> CalendarItem:
    return replace(
        item,
        title=scrub(item.case_id, item.title),
        details=scrub(item.case_id, item.details),
    )
