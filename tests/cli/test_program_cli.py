"""The directors' commands: report portfolio, report case, export cases; every
bad input prints one line and exits 1 without leaving a file behind."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Protocol

import openpyxl
import pytest

from ijmcase.cli import main
from ijmcase.persistence.engine import DatabaseLocation
from tests.conftest import STAFF_PASSWORD, Org, make_org
from tests.reports.conftest import poppler
from tests.services.program_setup import Program, build_program


@pytest.fixture
def program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Program:
    for var in ("IJMCASE_DB", "IJMCASE_USER", "IJMCASE_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    org: Org = make_org(DatabaseLocation("sqlcipher", path=tmp_path / "office.db"))
    try:
        return build_program(org)
    finally:
        org.db.dispose()  # the commands open the file themselves


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


class Cli(Protocol):
    def __call__(self, *args: str, user: str = "director") -> tuple[int, str, str]: ...


@pytest.fixture
def cli(
    program: Program, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Cli:
    """Run ``ijmcase --db FILE --user USER ARGS``; (exit status, stdout, stderr)."""

    def run(*args: str, user: str = "director") -> tuple[int, str, str]:
        monkeypatch.setenv("IJMCASE_PASSWORD", STAFF_PASSWORD)
        location = program.org.location
        assert location.path is not None
        code = main(["--db", str(location.path), "--user", user, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_report_portfolio(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    out = out_dir / "q1.pdf"
    code, stdout, err = cli(
        "report",
        "portfolio",
        "-o",
        str(out),
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--country",
        "in",
    )
    assert (code, err) == (0, "")
    assert stdout.startswith(f"Wrote {out} (") and out.exists()
    text = poppler("pdftotext", out, "-")
    assert "Portfolio report" in text and "IN" in text


def test_portfolio_for_a_period_with_no_cases(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    out = out_dir / "none.pdf"
    code, stdout, _ = cli("report", "portfolio", "-o", str(out), "--from", "2030-01-01")
    assert code == 0 and "no cases in the period" in stdout
    assert "Nothing to report" in poppler("pdftotext", out, "-")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2025-13-01"], "ijmcase: from: 2025-13-01 is not a real calendar date."),
        (["--to", "31/03/2025"], "ijmcase: to: '31/03/2025' is not a date; write it as YYYY-MM-DD"),
        (
            ["--from", "2025-03-31", "--to", "2025-01-01"],
            "ijmcase: to: The period ends on 2025-01-01, before it starts on 2025-03-31.",
        ),
        (["--country", "XX"], "ijmcase: country:"),
        (["--office", "NOPE"], "ijmcase: There is no office NOPE."),
    ],
)
def test_portfolio_bad_input(
    out_dir: Path,
    cli: Cli,
    args: list[str],
    message: str,
) -> None:
    code, stdout, err = cli("report", "portfolio", "-o", str(out_dir / "x.pdf"), *args)
    assert code == 1 and stdout == ""
    assert err.startswith(message) and err.count("\n") == 1  # one line
    assert not any(out_dir.iterdir())


def test_output_path_that_cannot_be_written(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    code, _, err = cli("report", "portfolio", "-o", str(out_dir / "no" / "x.pdf"))
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    code, _, err = cli("export", "cases", "--format", "csv", "-o", str(out_dir))
    assert code == 1 and "it is a folder" in err
    assert not any(out_dir.iterdir())


def test_report_case_redacted_full_and_refused(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    code_a = program.cases["A"].code
    out = out_dir / "a.pdf"
    code, stdout, _ = cli("report", "case", code_a, "-o", str(out))
    assert code == 0 and stdout.strip().endswith("redacted).")
    assert "Priya Sharma" not in poppler("pdftotext", out, "-")
    # A director is not granted survivors' identities (the default): refused, no file.
    full = out_dir / "a-full.pdf"
    code, stdout, err = cli("report", "case", code_a, "-o", str(full), "--full")
    assert code == 1 and stdout == "" and err.count("\n") == 1
    assert "redacted report shows survivors by code" in err and not full.exists()
    # The caseworker who leads the case may.
    code, stdout, _ = cli(
        "report",
        "case",
        code_a,
        "-o",
        str(full),
        "--full",
        user="caseworker",
    )
    assert code == 0 and "full, with identifying data" in stdout
    assert "Priya Sharma" in poppler("pdftotext", full, "-")


def test_report_case_unknown_code(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    code, _, err = cli("report", "case", "IN-2099-0042", "-o", str(out_dir / "x.pdf"))
    assert (code, err) == (1, "ijmcase: There is no case IN-2099-0042.\n")
    assert not any(out_dir.iterdir())


def test_export_cases(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    out = out_dir / "open.csv"
    code, stdout, _ = cli(
        "export",
        "cases",
        "--format",
        "csv",
        "-o",
        str(out),
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
        "--open",
    )
    assert (code, stdout.strip()) == (0, f"Wrote {out} (3 cases).")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 3
    xlsx = out_dir / "closed.xlsx"
    code, stdout, _ = cli(
        "export",
        "cases",
        "--format",
        "xlsx",
        "-o",
        str(xlsx),
        "--closed",
    )
    assert code == 0
    sheet = openpyxl.load_workbook(xlsx)["Cases"]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [program.cases["D"].code]
    empty = out_dir / "none.csv"
    code, stdout, _ = cli(
        "export",
        "cases",
        "--format",
        "csv",
        "-o",
        str(empty),
        "--from",
        "2030-01-01",
    )
    assert code == 0 and "header row only" in stdout
    assert len(empty.read_text(encoding="utf-8-sig").splitlines()) == 1


def test_export_refusals(
    program: Program,
    out_dir: Path,
    cli: Cli,
) -> None:
    code, _, err = cli(
        "export",
        "cases",
        "--format",
        "csv",
        "-o",
        str(out_dir / "x.csv"),
        user="caseworker",
    )
    assert (code, err) == (1, "ijmcase: A caseworker cannot export cases.\n")
    with pytest.raises(SystemExit) as usage:
        cli(
            "export",
            "cases",
            "--format",
            "csv",
            "-o",
            "x",
            "--open",
            "--closed",
        )
    assert usage.value.code == 2  # a mistake in the command's words
    assert not any(out_dir.iterdir())
