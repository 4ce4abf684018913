"""CSV and XLSX writers: a column spec and a stream of rows in, a file out.

Both stream: rows are consumed one at a time and never held in memory all
together, so an export of a million interventions runs in flat memory.

CSV is UTF-8 with a byte-order mark (Excel otherwise reads it as the local
code page and mangles Devanagari, Khmer or Thai), with ISO dates and exact
numbers. Text cells that a spreadsheet would run as a formula are prefixed
with an apostrophe (CSV/formula injection: a case note that starts with
``=HYPERLINK(...)`` must not become a live link in a director's Excel).

XLSX uses openpyxl's write-only mode: real dates and numbers, a bold frozen
header, an autofilter over the data and a second sheet "About" that says
who exported what, when, with which filters, and how it was redacted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ijmcase.reports.columns import Column, ColumnType, Row, cell_values, check_value, iso_text
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.progress import CancelCheck, Monitor, ProgressCallback

__all__ = ["CSV_BOM", "neutralize_formula", "write_csv", "write_xlsx"]

CSV_BOM = b"\xef\xbb\xbf"

# OWASP's list: a spreadsheet treats a cell starting with any of these as a
# formula (tab and carriage return can hide one behind whitespace).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Excel refuses longer cells; openpyxl would write them and Excel would then
# call the file damaged.
_XLSX_MAX_CELL = 32_767

_CSV_CHUNK_ROWS = 256


def neutralize_formula(text: str) -> str:
    """Prefix a text cell that a spreadsheet would evaluate with an apostrophe."""
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write_csv(
    out: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[Row],
    *,
    total: int = 0,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write a header and ``rows`` as CSV to ``out``; return the number of data rows.

    ``total`` (when known) is only used for progress reports.
    """
    monitor = Monitor(progress, cancelled, total=total)
    monitor.check()
    text_columns = [c.type is ColumnType.TEXT for c in columns]
    buffer = io.StringIO()
    # lineterminator "\r\n" is RFC 4180's and what Excel writes.
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> None:
        out.write(buffer.getvalue().encode("utf-8"))
        buffer.seek(0)
        buffer.truncate()

    out.write(CSV_BOM)
    writer.writerow([neutralize_formula(c.header) for c in columns])
    count = 0
    for row in rows:
        values = cell_values(columns, row)
        writer.writerow(
            [
                neutralize_formula(text) if is_text else text
                for text, is_text in zip(
                    (iso_text(c, v) for c, v in zip(columns, values, strict=True)),
                    text_columns,
                    strict=True,
                )
            ]
        )
        count += 1
        if count % _CSV_CHUNK_ROWS == 0:
            flush()
        monitor.step()
    flush()
    monitor.finish()
    return count


# --- XLSX -------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
_LABEL_FONT = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_DATE_FORMAT = "yyyy-mm-dd"
_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
_INT_FORMAT = "#,##0"

# Column widths are guessed from the header and the first rows (write-only
# sheets need widths before the first row is written).
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH = 8
_MAX_WIDTH = 60
_TYPE_WIDTH = {
    ColumnType.DATE: 12,
    ColumnType.DATETIME: 18,
    ColumnType.BOOL: 8,
}


def _xlsx_text(text: str) -> str:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > _XLSX_MAX_CELL:
        text = text[: _XLSX_MAX_CELL - 1] + "…"
    return text


def _number_format(column: Column) -> str | None:
    if column.type is ColumnType.DATE:
        return _DATE_FORMAT
    if column.type is ColumnType.DATETIME:
        return _DATETIME_FORMAT
    if column.type is ColumnType.INT:
        return _INT_FORMAT
    if column.type is ColumnType.DECIMAL:
        return "#,##0" + ("." + "0" * column.decimals if column.decimals > 0 else "")
    return None


def _xlsx_value(column: Column, value: object, tz: dt.tzinfo) -> Any:
    value = check_value(column, value)
    if isinstance(value, str):
        return _xlsx_text(value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: show the instant in ``tz`` and say so on
        # the About sheet.
        return value.astimezone(tz).replace(tzinfo=None)
    return value


def _sample_width(column: Column, values: Iterable[object]) -> float:
    width = len(column.header) + 2
    fixed = _TYPE_WIDTH.get(column.type)
    if fixed is not None:
        return max(_MIN_WIDTH, width, fixed)
    for value in values:
        if value is None:
            continue
        text = str(value)
        longest = max((len(line) for line in text.splitlines()), default=0)
        width = max(width, longest + 2)
        if width >= _MAX_WIDTH:
            break
    return float(max(_MIN_WIDTH, min(width, _MAX_WIDTH)))


def write_xlsx(
    out: BinaryIO,
    columns: Sequence[Column],
    rows: Iterable[Row],
    meta: ReportMeta,
    *,
    sheet_title: str = "Data",
    tz: dt.tzinfo = dt.UTC,
    total: int = 0,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> int:
    """Write ``rows`` to a workbook with a data sheet and an About sheet; return the row count.

    Date-times are converted to ``tz`` (UTC by default) and written without
    a zone, because Excel has none; the About sheet names the zone.
    """
    monitor = Monitor(progress, cancelled, total=total)
    monitor.check()
    workbook = Workbook(write_only=True)
    workbook.properties.creator = "ijmcase"
    workbook.properties.title = meta.title
    workbook.properties.created = meta.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    # Any: the stubs do not describe the write-only sheet's column_dimensions
    # and auto_filter, which it has.
    sheet: Any = workbook.create_sheet(_sheet_name(sheet_title))

    iterator = iter(rows)
    head = [cell_values(columns, row) for row in itertools.islice(iterator, _WIDTH_SAMPLE_ROWS)]
    for index, column in enumerate(columns, start=1):
        width = _sample_width(column, (values[index - 1] for values in head))
        sheet.column_dimensions[get_column_letter(index)].width = width
    # Freeze and filter are part of the sheet, set before the rows stream out.
    sheet.freeze_panes = "A2"

    formats = [_number_format(c) for c in columns]
    sheet.append([_header_cell(sheet, c.header) for c in columns])
    count = 0
    for values in itertools.chain(head, (cell_values(columns, r) for r in iterator)):
        sheet.append(
            [
                _data_cell(sheet, c, v, f, tz)
                for c, v, f in zip(columns, values, formats, strict=True)
            ]
        )
        count += 1
        monitor.step()
    last_column = get_column_letter(max(1, len(columns)))
    sheet.auto_filter.ref = f"A1:{last_column}{count + 1}"

    _write_about(workbook, meta, columns=columns, rows=count, tz=tz)
    monitor.check()
    workbook.save(out)
    monitor.finish()
    return count


def _sheet_name(title: str) -> str:
    # Excel forbids these characters and names longer than 31.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'") or "Data"
    return cleaned[:31]


def _header_cell(sheet: Any, text: str) -> Cell:
    cell = WriteOnlyCell(sheet, value=_xlsx_text(text))
    cell.data_type = "s"
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    return cell


def _data_cell(
    sheet: Any,
    column: Column,
    value: object,
    number_format: str | None,
    tz: dt.tzinfo,
) -> Cell:
    cell = WriteOnlyCell(sheet, value=_xlsx_value(column, value, tz))
    if column.type is ColumnType.TEXT and cell.value is not None:
        # openpyxl turns a string starting with "=" into a formula; a text
        # column holds text, never a live formula.
        cell.data_type = "s"
    if number_format is not None:
        cell.number_format = number_format
    return cell


def _write_about(
    workbook: Workbook,
    meta: ReportMeta,
    *,
    columns: Sequence[Column],
    rows: int,
    tz: dt.tzinfo,
) -> None:
    about: Any = workbook.create_sheet("About")
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 90
    zone = getattr(tz, "key", None) or str(tz)
    lines: list[tuple[str, str]] = [
        ("Report", meta.title),
        ("Organization", meta.organization),
        ("Confidentiality", meta.confidentiality_line),
        ("Redaction", meta.redaction_statement),
        ("Generated by", meta.generated_by),
        ("Generated at", meta.generated_at_text),
        ("Period", meta.period_text),
    ]
    lines += [(f"Filter: {name}", value) for name, value in meta.filters]
    lines += [
        ("Rows", f"{rows:,}"),
        ("Columns", ", ".join(c.header for c in columns)),
        ("Times shown in", zone),
    ]
    for label, value in lines:
        if not value:
            continue
        label_cell = WriteOnlyCell(about, value=_xlsx_text(label))
        label_cell.font = _LABEL_FONT
        label_cell.data_type = "s"
        value_cell = WriteOnlyCell(about, value=_xlsx_text(value))
        value_cell.data_type = "s"
        value_cell.alignment = _WRAP
        about.append([label_cell, value_cell])
