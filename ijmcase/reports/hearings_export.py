"""The hearings export: one row per hearing, as CSV or XLSX, from one column spec.

Redacted by default: the case code, the accused by code, a testifying
survivor by code, and no free-text notes. A full export (``full=True``,
which the service allows and audits) adds the accused's name and the notes.
Dates are real dates in XLSX (the hearing's local date at the court), with
the local time and the court's time zone beside them, so 10:00 in Manila
reads 10:00 in any spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO, Literal

from ijmcase.reports.columns import Column, ColumnType, Row
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.progress import CancelCheck, ProgressCallback
from ijmcase.reports.tabular import write_csv, write_xlsx

__all__ = ["HearingFormat", "hearing_columns", "write_hearings"]

HearingFormat = Literal["csv", "xlsx"]


def hearing_columns(*, full: bool = False) -> list[Column]:
    """The columns, by the attribute names of the services' ``HearingRow``."""
    columns = [
        Column("case_code", "Case"),
        Column("local_date", "Date", ColumnType.DATE),
        Column("local_time_text", "Time"),
        Column("timezone", "Time zone"),
        Column("court_name", "Court"),
        Column("courtroom", "Courtroom"),
        Column("judge_name", "Judge or magistrate"),
        Column("purpose", "Purpose"),
        Column("accused_code", "Accused (code)"),
    ]
    if full:
        columns.append(Column("accused_name", "Accused"))
    columns += [
        Column("survivor_testifies", "Survivor testifies", ColumnType.BOOL),
        Column("survivor_code", "Survivor (code)"),
        Column("protection_text", "Protection measure"),
        Column("staff_text", "Attending"),
        Column("outcome_text", "Outcome"),
        Column("adjournment_reason", "Reason adjourned or vacated"),
        Column("next_date", "Next date", ColumnType.DATE),
        Column("to_prepare_text", "To prepare"),
    ]
    if full:
        columns.append(Column("notes", "Notes"))
    return columns


def write_hearings(
    out: BinaryIO,
    rows: Iterable[Row],
    meta: ReportMeta,
    *,
    fmt: HearingFormat,
    full: bool = False,
    total: int = 0,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write the rows; returns how many."""
    columns = hearing_columns(full=full)
    if fmt == "csv":
        return write_csv(out, columns, rows, total=total, progress=progress, cancelled=cancelled)
    return write_xlsx(
        out,
        columns,
        rows,
        meta,
        sheet_title="Hearings",
        total=total,
        progress=progress,
        cancelled=cancelled,
    )
