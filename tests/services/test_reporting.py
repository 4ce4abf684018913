"""Directors' reports and exports on both engines: PDFs read back with
pdftotext and checked against the database, redaction, the right to a full
report, exports opened with csv and openpyxl, every bad input, the audit."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from ijmcase.domain.enums import Role
from ijmcase.domain.errors import AccessDenied, NotFound, StorageError, ValidationError
from ijmcase.domain.periods import Period
from ijmcase.persistence.models import AuditEvent
from ijmcase.reports.progress import ReportCancelled
from ijmcase.services.history import HistoryService
from ijmcase.services.metrics import MetricFilter, MetricsService
from ijmcase.services.reporting import ReportingService
from tests.conftest import Org
from tests.reports.conftest import poppler
from tests.services.program_setup import (
    Q1_END,
    Q1_START,
    Program,
    add_care_records,
    add_court_records,
    build_program,
)

Q1 = MetricFilter(Period(Q1_START, Q1_END))


@pytest.fixture
def program(org: Org) -> Program:
    return build_program(org)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """Where reports go (tmp_path itself also holds the test's database file)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def reporting(p: Program, who: str = "director") -> ReportingService:
    return ReportingService(p.org.db, p.org.actors[who])


def pdf_text(path: Path) -> str:
    return poppler("pdftotext", "-layout", path, "-")


def figure(text: str, label: str) -> str:
    """The value printed after a label on its line (the section's figures, not
    the tiles, whose labels stand under their numbers)."""
    value = r"((?:[\d<\[]|too few|none)\S*(?: \S+)*)"
    found = re.search(rf"^\s*{re.escape(label)}\s{{2,}}{value}\s*$", text, re.MULTILINE)
    assert found, f"{label!r} not in the report"
    return found.group(1).strip()


def events(p: Program, action: str) -> list[AuditEvent]:
    with p.org.db.read_session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def no_files(folder: Path) -> bool:
    return not any(folder.iterdir())


def assert_no_identifying_values(text: str, p: Program) -> None:
    flat = re.sub(r"\s+", " ", text)
    digits = re.sub(r"\D", "", text)
    for value in p.identifying_values():
        assert value not in flat, value
        number = re.sub(r"\D", "", value)
        if len(number) >= 8:
            assert number not in digits, value
    for draft in p.identities.values():
        for part in draft.legal_name.split():
            if len(part) >= 4 and not part.isdigit():
                assert part not in flat, part


# -- the portfolio ---------------------------------------------------------------


def test_portfolio_figures_match_the_database(program: Program, out_dir: Path) -> None:
    MetricsService(program.org.db, program.org.actors["admin"]).set_small_cell_threshold(1)
    out = out_dir / "q1.pdf"
    result = reporting(program).portfolio_pdf(out, Q1).value
    assert (result.path, result.empty) == (out, False)
    text = pdf_text(out)
    assert f"Page 1 of {result.pages}" in text
    assert "2025-01-01 to 2025-03-31" in text and "CONFIDENTIAL" in text
    d = MetricsService(program.org.db, program.org.actors["director"]).dashboard(Q1)
    assert figure(text, "Cases active in the period") == str(d.cases.active.value) == "3"
    assert figure(text, "Cases opened in the period") == "2"
    assert figure(text, "Survivors brought to safety") == str(d.survivors.brought_to_safety.value)
    assert (figure(text, "Minors"), figure(text, "Adults")) == ("5", "3")
    assert figure(text, "Hearings scheduled") == "3"
    assert figure(text, "Adjournment rate") == "66.7% (2 of 3)"
    assert figure(text, "Survivors who testified") == "2"
    assert figure(text, "Accused persons in the period's cases") == "3"
    assert figure(text, f"Survivors in aftercare on {Q1_END.isoformat()}") == "6"
    assert "No court records yet" in text
    assert "Small-cell suppression is turned off" in text
    assert "S-IN-" not in text and "S-PH-" not in text
    assert_no_identifying_values(text, program)
    [event] = events(program, "report.portfolio")
    details = json.loads(event.details)
    assert details["filter"] == {
        "from": "2025-01-01",
        "to": "2025-03-31",
        "country": None,
        "office": None,
    }
    assert details["path"] == str(out.absolute()) and details["pages"] == result.pages
    assert event.actor_name == "director"


def test_portfolio_suppresses_small_cells_and_says_so(program: Program, out_dir: Path) -> None:
    out = out_dir / "q1.pdf"
    reporting(program).portfolio_pdf(out, Q1)
    text = pdf_text(out)
    # 5 minors and 3 adults of 8: the 3 is small, and the 5 would give it away.
    assert figure(text, "Survivors brought to safety") == "8"
    assert (figure(text, "Minors"), figure(text, "Adults")) == ("[c]", "[c]")
    assert figure(text, "Survivors who testified") == "<5"
    # Hearings are events, not people: exact even when small.
    assert figure(text, "Adjournment rate") == "66.7% (2 of 3)"
    # 1 in custody, 1 at large, 1 on bail: every count, and their sum, is hidden.
    assert figure(text, "Accused persons in the period's cases") == "[c]"
    assert figure(text, "Accused arrested or held (custody status now)") == "[c]"
    flat = re.sub(r"\s+", " ", text)
    assert "reads [c] (confidential)" in flat
    assert "Counts of fewer than 5 are suppressed" in flat
    # Survivors by country and violence type: IN has 6 and 2, total 8. The 2 is
    # small, the 6 goes with it (8 - 6 = 2), the 8 may stay.
    table = text[text.index("By country and violence type") :]
    row = next(line for line in table.splitlines() if line.strip().startswith("IN "))
    assert row.split() == ["IN", "[c]", "[c]", "8"]
    # Three cases in all: every count of the cases table is small.
    cases = text[text.index("Cases active in the period by country") :]
    total = next(line for line in cases.splitlines() if line.strip().startswith("Total"))
    assert set(total.split()[1:]) == {"[c]"}


def test_portfolio_with_court_and_aftercare_records(program: Program, out_dir: Path) -> None:
    add_court_records(program)
    add_care_records(program)
    MetricsService(program.org.db, program.org.actors["admin"]).set_small_cell_threshold(1)
    out = out_dir / "q1.pdf"
    reporting(program).portfolio_pdf(out, Q1)
    text = pdf_text(out)
    assert figure(text, "Conviction rate") == "33.3% (1 of 3)"
    assert figure(text, "Median days from report to charge") == "20 days (of 3)"
    assert figure(text, "Median days from charge to verdict") == "51.5 days (of 2)"
    assert figure(text, "Survivors paid compensation") == "1"
    assert figure(text, "Follow-up assessments on time") == "66.7% (2 of 3)"
    assert "Officials trained by role" in text
    assert re.search(r"Judge\s+3", text)


def test_verdicts_and_the_conviction_rate_are_suppressed_together(
    program: Program, out_dir: Path
) -> None:
    add_court_records(program)
    out = out_dir / "q1.pdf"
    reporting(program).portfolio_pdf(out, Q1)
    text = pdf_text(out)
    # One of each: the rate would give the counts back, so it goes too.
    assert [
        figure(text, label) for label in ("Convicted (including guilty pleas)", "Acquitted")
    ] == [
        "[c]",
        "[c]",
    ]
    assert figure(text, "Conviction rate").startswith("too few to report")
    assert figure(text, "Median days from report to charge").startswith("too few to report")


def test_a_period_with_no_cases_gives_a_report_that_says_so(
    program: Program, out_dir: Path
) -> None:
    out = out_dir / "future.pdf"
    flt = MetricFilter(Period(date(2030, 1, 1), date(2030, 3, 31)), country="PH")
    result = reporting(program).portfolio_pdf(out, flt).value
    assert result.empty and result.pages == 1
    assert "no cases in PH" in result.message
    text = pdf_text(out)
    assert "Nothing to report" in text and "No cases in PH were open" in text


def test_portfolio_bad_input_leaves_no_file(program: Program, out_dir: Path) -> None:
    service = reporting(program)
    backwards = MetricFilter(Period(date(2025, 3, 31), date(2025, 1, 1)))
    with pytest.raises(ValidationError, match="before it starts"):
        service.portfolio_pdf(out_dir / "a.pdf", backwards)
    with pytest.raises(StorageError, match="does not exist"):
        service.portfolio_pdf(out_dir / "missing" / "a.pdf", Q1)
    with pytest.raises(ValidationError, match="country"):
        service.portfolio_pdf(out_dir / "a.pdf", MetricFilter(country="ZZ"))
    with pytest.raises(AccessDenied, match="caseworker cannot produce program reports"):
        reporting(program, "caseworker").portfolio_pdf(out_dir / "a.pdf", Q1)
    assert no_files(out_dir)
    assert events(program, "report.portfolio") == []


def test_a_cancelled_portfolio_leaves_nothing(program: Program, out_dir: Path) -> None:
    seen: list[int] = []

    def cancelled() -> bool:
        return len(seen) >= 3

    with pytest.raises(ReportCancelled):
        reporting(program).portfolio_pdf(
            out_dir / "q1.pdf",
            Q1,
            progress=lambda done, total: seen.append(done),
            cancelled=cancelled,
        )
    assert seen and seen == sorted(seen)
    assert no_files(out_dir)
    assert events(program, "report.portfolio") == []


def test_portfolio_progress_runs_to_the_end(program: Program, out_dir: Path) -> None:
    seen: list[tuple[int, int]] = []
    reporting(program).portfolio_pdf(
        out_dir / "q1.pdf", Q1, progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (100, 100)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


# -- one case --------------------------------------------------------------------


def test_redacted_case_report(program: Program, out_dir: Path) -> None:
    out = out_dir / "a.pdf"
    case = program.cases["A"]
    result = reporting(program).case_pdf(case.code.lower(), out).value
    assert not result.identifying
    text = pdf_text(out)
    flat = re.sub(r"\s+", " ", text)
    assert case.code in text and "Brick kiln bonded labour" in text
    for n in range(1, 7):
        assert program.codes[f"A{n}"] in text  # survivors by code
    assert "Accused A1 Singh" in flat  # accused by name
    assert "Rescued with police" in text and "2025-01-10" in text
    assert "Witness absent" in flat and "Sessions Court" in flat
    assert "[redacted] testified" in flat  # the name typed into a note
    assert "contains no survivor-identifying data" in flat
    assert_no_identifying_values(text, program)
    [event] = events(program, "report.case")
    details = json.loads(event.details)
    assert details["full"] is False and details["code"] == case.code
    assert events(program, "survivor.identity.view") == []


def test_full_case_report_for_assigned_staff_is_audited(program: Program, out_dir: Path) -> None:
    out = out_dir / "a-full.pdf"
    case = program.cases["A"]
    result = reporting(program, "caseworker").case_pdf(case.code, out, full=True).value
    assert result.identifying
    flat = re.sub(r"\s+", " ", pdf_text(out))
    assert "Priya Sharma" in flat and "+91 98401 11111" in flat
    assert "प्रिया वर्मा" in flat  # shaped Devanagari reads back as text
    assert "CONTAINS IDENTIFYING DATA" in flat
    assert "Priya Sharma testified" in flat  # free text as written
    views = events(program, "survivor.identity.view")
    assert len(views) == 6
    assert {json.loads(v.details)["purpose"] for v in views} == {"report.case"}
    history = HistoryService(program.org.db, program.org.actors["director"]).case_history(case.id)
    assert any(h.summary.startswith("Identifying data of S-IN-") for h in history)
    assert any(h.summary == "Full case report made (with identifying data)" for h in history)


def test_full_report_refused_without_the_right(program: Program, out_dir: Path) -> None:
    out = out_dir / "a-full.pdf"
    code = program.cases["A"].code
    with pytest.raises(AccessDenied, match="redacted report shows survivors by code"):
        reporting(program).case_pdf(code, out, full=True)
    assert no_files(out_dir)
    assert len(events(program, "survivor.identity.denied")) == 6
    assert len(events(program, "report.case.denied")) == 1
    assert events(program, "report.case") == []
    # Once the organization grants directors identities, the director may.
    program.org.people("admin").set_identity_roles({Role.DIRECTOR})
    assert reporting(program).case_pdf(code, out, full=True).value.identifying
    assert out.exists()


def test_case_report_bad_input(program: Program, out_dir: Path) -> None:
    with pytest.raises(NotFound, match="There is no case IN-2099-0001"):
        reporting(program).case_pdf("IN-2099-0001", out_dir / "x.pdf")
    # A restricted case the caseworker is not assigned to does not exist for them.
    with pytest.raises(NotFound):
        reporting(program, "caseworker").case_pdf(program.cases["B"].code, out_dir / "x.pdf")
    with pytest.raises(StorageError):
        reporting(program).case_pdf(program.cases["A"].code, out_dir / "no" / "x.pdf")
    assert no_files(out_dir)


def test_case_report_with_court_and_aftercare_records(program: Program, out_dir: Path) -> None:
    add_court_records(program)
    add_care_records(program)
    out = out_dir / "a.pdf"
    reporting(program).case_pdf(program.cases["A"].code, out)
    flat = re.sub(r"\s+", " ", pdf_text(out))
    assert "Accused A1 Singh" in flat and "10 years" in flat and "Acquitted" in flat
    assert f"Restoration scores of {program.codes['A1']} by domain" in flat
    assert_no_identifying_values(flat, program)


# -- the cases export -------------------------------------------------------------


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_export_cases_csv(program: Program, out_dir: Path) -> None:
    out = out_dir / "cases.csv"
    result = reporting(program).export_cases(out, "csv", Q1).value
    rows = _csv(out)
    assert result.rows == len(rows) == 3
    a = next(r for r in rows if r["Case"] == program.cases["A"].code)
    assert (a["Survivors"], a["Minors at rescue"], a["Accused"]) == ("6", "4", "2")
    assert (a["Interventions"], a["Hearings"]) == ("5", "4")
    assert (a["Rescue status"], a["Rescue completed"]) == ("completed", "2025-01-10")
    assert (a["Violence type"], a["Opened"], a["Office"]) == (
        "forced_labour",
        "2024-12-01",
        "IN-DEL",
    )
    assert a["Lead caseworker"] == "Chitra Caseworker"
    flat = out.read_text(encoding="utf-8-sig")
    assert "S-IN-" not in flat
    assert_no_identifying_values(flat, program)
    [event] = events(program, "export.cases")
    assert json.loads(event.details)["rows"] == 3


def test_export_cases_xlsx(program: Program, out_dir: Path) -> None:
    out = out_dir / "cases.xlsx"
    reporting(program).export_cases(out, "xlsx", MetricFilter(), state="closed")
    book = openpyxl.load_workbook(out)
    sheet = book["Cases"]
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["Case", "Title"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [program.cases["D"].code]
    opened = rows[0][header.index("Opened")]
    assert isinstance(opened, datetime) and opened.date() == date(2024, 6, 1)
    assert rows[0][header.index("Survivors")] == 1
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(header))}2"
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert str(about["Filter: Cases"]).startswith("closed on")


def test_export_open_and_closed(program: Program, out_dir: Path) -> None:
    service = reporting(program)
    codes = {k: c.code for k, c in program.cases.items()}
    service.export_cases(out_dir / "open.csv", "csv", Q1, state="open")
    assert [r["Case"] for r in _csv(out_dir / "open.csv")] == sorted(
        [codes["A"], codes["B"], codes["C"]]
    )
    service.export_cases(out_dir / "ph.csv", "csv", MetricFilter(country="PH"))
    assert [r["Case"] for r in _csv(out_dir / "ph.csv")] == sorted([codes["C"], codes["D"]])
    # The caseworker does not export at all (a director's task) ...
    with pytest.raises(AccessDenied):
        reporting(program, "caseworker").export_cases(out_dir / "x.csv", "csv", Q1)


def test_an_export_with_no_cases_has_its_header_only(program: Program, out_dir: Path) -> None:
    out = out_dir / "none.csv"
    result = (
        reporting(program)
        .export_cases(out, "csv", MetricFilter(Period(date(2030, 1, 1), None)))
        .value
    )
    assert result.empty and result.rows == 0 and "header row only" in result.message
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("Case,Title")
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 1


def test_export_bad_input_leaves_no_file(program: Program, out_dir: Path) -> None:
    service = reporting(program)
    with pytest.raises(ValidationError, match="not an export format"):
        service.export_cases(out_dir / "x.pdf", "pdf", Q1)
    with pytest.raises(ValidationError, match="before it starts"):
        service.export_cases(out_dir / "x.csv", "csv", MetricFilter(Period(Q1_END, Q1_START)))
    folder = out_dir / "x"
    folder.mkdir()
    with pytest.raises(StorageError, match="it is a folder"):
        service.export_cases(folder, "csv", Q1)
    folder.rmdir()
    assert no_files(out_dir)
    assert events(program, "export.cases") == []
