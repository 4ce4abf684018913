"""``ijmcase search`` and ``ijmcase export interventions``, run in-process on
an encrypted file database: codes and no names in what is printed or
written, clear one-line errors, no file left behind on a refusal."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ijmcase.cli import main
from ijmcase.domain.drafts import SurvivorIdentityDraft
from tests.conftest import STAFF_PASSWORD, Org
from tests.services.field_setup import draft, interventions, make_case

NAME = "Priya Sharma"


@pytest.fixture
def db(file_org: Org, monkeypatch: pytest.MonkeyPatch) -> Path:
    fc = make_case(file_org, legal_name=NAME, title="Brick kiln bonded labour")
    file_org.people("caseworker").set_identity(
        fc.survivor_id, SurvivorIdentityDraft(NAME, phone="+91 98300 11111")
    )
    service = interventions(file_org)
    service.log(
        fc.id,
        draft(
            fc,
            outcome="Shelter placement agreed",
            notes=f"{NAME} moved to the shelter; the kiln owner phoned her at 98300 11111.",
        ),
    )
    service.log(fc.id, draft(fc, outcome="School fees paid", notes="Uniform bought."))
    for var in ("IJMCASE_DB", "IJMCASE_USER", "IJMCASE_NEW_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("IJMCASE_PASSWORD", STAFF_PASSWORD)
    file_org.db.dispose()
    path = file_org.location.path
    assert path is not None
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_search_prints_codes_marks_words_and_no_names(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(db), "--user", "caseworker", "search", "kiln")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[-1] == "2 matches."
    assert any(line.startswith("IN-2025-0001") and "home_visit" in line for line in lines)
    assert any("Brick [[kiln]] bonded labour" in line for line in lines)
    assert "Priya" not in out and "Sharma" not in out and "98300" not in out
    assert "[redacted]" in out


@pytest.mark.parametrize("text", ['"', "*", "OR", "'; DROP TABLE cases; --", "NEAR(", "kiln)"])
def test_search_syntax_is_never_a_traceback(
    db: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    code, out, err = run(capsys, "--db", str(db), "--user", "caseworker", "search", text)
    assert "Traceback" not in out + err
    if code == 1:
        assert err.startswith("ijmcase: Nothing to search for") and len(err.splitlines()) == 1
    else:
        assert code == 0 and out.splitlines()[-1].endswith(".")
    # The database is untouched and still answers.
    code, out, _ = run(capsys, "--db", str(db), "--user", "caseworker", "search", "kiln")
    assert code == 0 and "2 matches." in out


def test_search_with_no_match_and_a_limit(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(db), "--user", "caseworker", "search", "zebra")
    assert (code, out.strip()) == (0, "No matches for zebra.")
    code, out, _ = run(
        capsys, "--db", str(db), "--user", "caseworker", "search", "kiln", "--limit", "1"
    )
    assert code == 0 and out.splitlines()[-1] == "1 match (more: add words or raise --limit)."


def test_export_interventions_redacted_csv_and_xlsx(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_csv = tmp_path / "out" / "iv.csv"
    out_csv.parent.mkdir()
    code, out, err = run(
        capsys,
        "--db",
        str(db),
        "--user",
        "caseworker",
        "export",
        "interventions",
        "--format",
        "csv",
        "-o",
        str(out_csv),
    )
    assert code == 0, err
    assert out.strip() == f"Wrote {out_csv} (2 interventions, redacted)."
    text = out_csv.read_bytes().decode("utf-8-sig")
    assert "Priya" not in text and "Sharma" not in text and "98300" not in text
    assert "moved to the shelter" not in text  # no notes in a redacted export
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["Outcome"] for r in rows] == ["Shelter placement agreed", "School fees paid"]
    assert {r["Survivors"] for r in rows} == {"S-IN-0001"}

    out_xlsx = tmp_path / "out" / "iv.xlsx"
    code, out, err = run(
        capsys,
        "--db",
        str(db),
        "--user",
        "caseworker",
        "export",
        "interventions",
        "-o",
        str(out_xlsx),
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--case",
        "IN-2025-0001",
    )
    assert code == 0, err
    book = load_workbook(out_xlsx, read_only=True)
    values = [row for row in book["Interventions"].iter_rows(values_only=True)]
    assert len(values) == 3 and values[0][0] == "Case"
    assert all(NAME not in str(cell) for row in values for cell in row)
    book.close()


def test_export_mistakes_print_one_line_and_leave_no_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "out.csv"
    base = ["--db", str(db), "--user", "caseworker", "export", "interventions", "-o"]
    cases = [
        ([str(target), "--from", "2025-13-01"], "ijmcase: from: 2025-13-01 is not a real"),
        ([str(target), "--from", "01/03/2025"], "ijmcase: from: '01/03/2025' is not a date"),
        (
            [str(target), "--from", "2025-05-02", "--to", "2025-05-01"],
            "ijmcase: to: The period ends on 2025-05-01",
        ),
        ([str(folder / "out.txt")], "ijmcase: Say --format csv or --format xlsx"),
        ([str(target), "--case", "IN-2025-0099"], "ijmcase: There is no case IN-2025-0099."),
        ([str(target), "--full"], "ijmcase: A caseworker cannot make a full export"),
        ([str(folder / "nowhere" / "x.csv")], "ijmcase: Cannot write"),
    ]
    for extra, message in cases:
        code, _, err = run(capsys, *base, *extra)
        assert code == 1, (extra, err)
        assert err.startswith(message), (extra, err)
        assert len(err.strip().splitlines()) == 1
    assert list(folder.iterdir()) == []


def test_full_export_for_a_director(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "full.csv"
    code, out, err = run(
        capsys,
        "--db",
        str(db),
        "--user",
        "director",
        "export",
        "interventions",
        "-o",
        str(target),
        "--full",
    )
    assert code == 0, err
    assert out.strip().endswith("(2 interventions, full).")
    text = target.read_bytes().decode("utf-8-sig")
    assert "moved to the shelter" in text
    assert "Priya" not in text and "98300" not in text
