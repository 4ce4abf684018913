"""CSV and XLSX exports: read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from ijmcase.reports.atomic import atomic_output
from ijmcase.reports.columns import Column, ColumnType
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.progress import ReportCancelled
from ijmcase.reports.tabular import CSV_BOM, neutralize_formula, write_csv, write_xlsx

MANILA = ZoneInfo("Asia/Manila")

COLUMNS = [
    Column("code", "Case code"),
    Column("survivor", "Survivor"),
    Column("opened", "Opened", ColumnType.DATE),
    Column("logged_at", "Logged at", ColumnType.DATETIME),
    Column("interventions", "Interventions", ColumnType.INT),
    Column("compensation", "Compensation", ColumnType.DECIMAL),
    Column("minor", "Minor", ColumnType.BOOL),
    Column("note", "Note"),
]

ROWS: list[tuple[object, ...]] = [
    (
        "IN-2026-0001",
        "प्रिया शर्मा",
        dt.date(2026, 1, 5),
        dt.datetime(2026, 1, 5, 10, 30, tzinfo=MANILA),
        12,
        Decimal("15000.50"),
        True,
        '=HYPERLINK("http://evil.example","Click")',
    ),
    ("KH-2026-0002", "សុខ ចាន់", dt.date(2026, 2, 1), None, 0, None, False, "+1 call back"),
    ("TH-2026-0003", "สมชาย ใจดี", None, None, None, Decimal("0"), None, "-2 days late"),
    ("PH-2026-0004", 'Maria, "Ria" Santos', None, None, 3, None, None, "@SUM(A1)"),
    ("PH-2026-0005", "Line\nbreak", None, None, -4, Decimal("-1.25"), None, "\tTAB, \rCR"),
]


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(CSV_BOM)
    return list(csv.reader(io.StringIO(data[len(CSV_BOM) :].decode("utf-8"), newline="")))


def test_csv_round_trip_with_bom_iso_dates_and_scripts() -> None:
    out = io.BytesIO()
    assert write_csv(out, COLUMNS, ROWS) == len(ROWS)
    rows = _csv_rows(out.getvalue())
    assert rows[0] == [c.header for c in COLUMNS]
    first = rows[1]
    assert first[:7] == [
        "IN-2026-0001",
        "प्रिया शर्मा",
        "2026-01-05",
        "2026-01-05T10:30:00+08:00",
        "12",
        "15000.50",
        "true",
    ]
    assert rows[2][1] == "សុខ ចាន់"
    assert rows[3][1] == "สมชาย ใจดี"
    assert rows[4][1] == 'Maria, "Ria" Santos'
    assert rows[5][1] == "Line\nbreak"
    # Typed numbers are not text: a negative number keeps its sign unquoted.
    assert rows[5][4] == "-4"
    assert rows[5][5] == "-1.25"
    assert rows[3][2:4] == ["", ""]


def test_csv_neutralises_formula_injection() -> None:
    out = io.BytesIO()
    write_csv(out, COLUMNS, ROWS)
    notes = [row[7] for row in _csv_rows(out.getvalue())[1:]]
    assert notes == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'+1 call back",
        "'-2 days late",
        "'@SUM(A1)",
        "'\tTAB, \rCR",
    ]
    for note in notes:
        assert note[0] not in "=+-@\t\r"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@x", "\tx", "\rx"])
def test_neutralize_formula_prefixes(text: str) -> None:
    assert neutralize_formula(text) == "'" + text


@pytest.mark.parametrize("text", ["", "plain", "1=1", " =1", "'=1"])
def test_neutralize_formula_leaves_safe_text(text: str) -> None:
    assert neutralize_formula(text) == text


def test_csv_accepts_dataclass_and_mapping_rows() -> None:
    @dataclass(frozen=True)
    class CaseRow:
        code: str
        interventions: int

    columns = [Column("code"), Column("interventions", type=ColumnType.INT)]
    out = io.BytesIO()
    write_csv(out, columns, [CaseRow("IN-1", 3), {"code": "IN-2", "interventions": 4}])
    assert _csv_rows(out.getvalue())[1:] == [["IN-1", "3"], ["IN-2", "4"]]


def test_csv_refuses_wrong_types_and_naive_times() -> None:
    with pytest.raises(TypeError, match="'n'"):
        write_csv(io.BytesIO(), [Column("n", type=ColumnType.INT)], [("three",)])
    with pytest.raises(ValueError, match="naive"):
        write_csv(
            io.BytesIO(), [Column("t", type=ColumnType.DATETIME)], [(dt.datetime(2026, 1, 1),)]
        )


def test_csv_streams_progress_and_can_be_cancelled(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    produced = 0

    def rows() -> Iterator[tuple[str]]:
        nonlocal produced
        for i in range(100_000):
            produced += 1
            yield (f"IN-{i}",)

    target = tmp_path / "big.csv"
    with pytest.raises(ReportCancelled), atomic_output(target) as fh:
        write_csv(
            fh,
            [Column("code")],
            rows(),
            total=100_000,
            progress=lambda done, total: seen.append((done, total)),
            cancelled=lambda: len(seen) >= 3,
        )
    assert seen[:3] == [(500, 100_000), (1000, 100_000), (1500, 100_000)]
    assert produced < 100_000  # it stopped consuming rows
    assert list(tmp_path.iterdir()) == []


def _xlsx(meta: ReportMeta, rows: list[tuple[object, ...]] = ROWS) -> io.BytesIO:
    out = io.BytesIO()
    assert write_xlsx(out, COLUMNS, rows, meta) == len(rows)
    out.seek(0)
    return out


def test_xlsx_typed_cells_frozen_header_and_filter(meta: ReportMeta) -> None:
    workbook = load_workbook(_xlsx(meta))
    assert workbook.sheetnames == ["Data", "About"]
    sheet = workbook["Data"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:H{len(ROWS) + 1}"
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in sheet[1])

    opened = sheet["C2"]
    assert opened.is_date
    assert opened.value.date() == dt.date(2026, 1, 5)
    assert opened.number_format == "yyyy-mm-dd"
    # Excel has no zones: the instant is written in UTC (10:30 Manila = 02:30 UTC).
    assert sheet["D2"].value == dt.datetime(2026, 1, 5, 2, 30)
    assert sheet["D2"].is_date
    assert sheet["E2"].value == 12
    assert sheet["E2"].data_type == "n"
    assert sheet["F2"].value == pytest.approx(15000.5)
    assert sheet["F2"].data_type == "n"
    assert sheet["G2"].value is True
    assert sheet["B2"].value == "प्रिया शर्मा"
    # A text cell that looks like a formula stays text.
    assert sheet["H2"].data_type == "s"
    assert sheet["H2"].value.startswith("=HYPERLINK")
    assert sheet["C4"].value is None
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDEFGH"]
    assert all(8 <= w <= 60 for w in widths)
    assert sheet.column_dimensions["H"].width > sheet.column_dimensions["G"].width


def test_xlsx_about_sheet_says_who_when_and_how_redacted(meta: ReportMeta) -> None:
    about = load_workbook(_xlsx(meta))["About"]
    info = {row[0]: row[1] for row in about.iter_rows(values_only=True)}
    assert info["Report"] == "Portfolio report"
    assert info["Generated by"] == "d.reyes"
    assert info["Generated at"] == "2026-03-31 14:05 (PST, UTC+08:00)"
    assert info["Period"] == "2026-01-01 to 2026-03-31"
    assert info["Filter: Country"] == "PH"
    assert info["Rows"] == str(len(ROWS))
    assert info["Confidentiality"] == "CONFIDENTIAL — contains no survivor-identifying data"
    assert "code" in str(info["Redaction"])
    assert info["Times shown in"] == "UTC"


def test_xlsx_empty_export_still_has_header_and_filter(meta: ReportMeta) -> None:
    sheet = load_workbook(_xlsx(meta, []))["Data"]
    assert sheet.auto_filter.ref == "A1:H1"
    assert sheet.max_row == 1


def test_xlsx_strips_characters_excel_refuses(meta: ReportMeta) -> None:
    out = io.BytesIO()
    write_xlsx(out, [Column("note")], [("bell\x07 and\x00 nul",)], meta)
    out.seek(0)
    assert load_workbook(out)["Data"]["A2"].value == "bell and nul"
