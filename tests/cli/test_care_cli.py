"""The aftercare and prevention commands: the three exports and the admin's
instrument commands; every mistake prints one line and exits 1 (2 for a
malformed command) and leaves no file behind."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from ijmcase.cli import main
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.instruments import shipped_instruments
from tests.conftest import ADMIN_PASSWORD, STAFF_PASSWORD, Org, make_org
from tests.services.care_setup import CareData, build_care


@pytest.fixture
def care(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CareData]:
    for var in ("IJMCASE_DB", "IJMCASE_USER", "IJMCASE_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    org: Org = make_org(DatabaseLocation("sqlcipher", path=tmp_path / "office.db"))
    try:
        yield build_care(org)
    finally:
        org.db.dispose()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    user: str = "caseworker",
) -> tuple[int, str, str]:
    monkeypatch.setenv("IJMCASE_PASSWORD", ADMIN_PASSWORD if user == "admin" else STAFF_PASSWORD)
    code = main(["--db", str(tmp_path / "office.db"), "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("kind", ["assessments", "referrals", "trainings"])
def test_export_each_kind(
    care: CareData,
    kind: str,
    tmp_path: Path,
    out_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = out_dir / f"{kind}.csv"
    code, stdout, err = run(
        tmp_path, capsys, monkeypatch, "export", kind, "--format", "csv", "-o", str(out)
    )
    assert (code, err) == (0, "")
    assert stdout.startswith(f"Wrote {out} (") and stdout.rstrip().endswith(f" {kind}).")
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows and care.legal_name not in out.read_text(encoding="utf-8-sig")


def test_export_xlsx_filtered(
    care: CareData,
    tmp_path: Path,
    out_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = out_dir / "ke.xlsx"
    code, stdout, _ = run(
        tmp_path,
        capsys,
        monkeypatch,
        "export",
        "assessments",
        "--format",
        "xlsx",
        "-o",
        str(out),
        "--country",
        "KE",
        "--from",
        "2000-01-01",
    )
    assert code == 0 and "(1 assessments)" in stdout and out.exists()


def test_export_mistakes_print_one_line_and_leave_nothing(
    care: CareData,
    tmp_path: Path,
    out_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = out_dir / "a.csv"
    base = ("export", "assessments", "--format", "csv", "-o", str(out))
    code, _, err = run(tmp_path, capsys, monkeypatch, *base, "--full")
    assert code == 1 and err.count("\n") == 1 and "cannot make a full export" in err
    code, _, err = run(tmp_path, capsys, monkeypatch, *base, "--country", "XX")
    assert code == 1 and err.startswith("ijmcase: country:") and err.count("\n") == 1
    code, _, err = run(
        tmp_path,
        capsys,
        monkeypatch,
        "export",
        "trainings",
        "--format",
        "csv",
        "-o",
        str(out_dir / "nowhere" / "t.csv"),
    )
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_info:
        run(tmp_path, capsys, monkeypatch, *base, "--from", "21/11/2026")
    assert exit_info.value.code == 2
    assert "is not a date; write YYYY-MM-DD" in capsys.readouterr().err
    assert list(out_dir.iterdir()) == []
    # The director may make the full one.
    code, _, err = run(tmp_path, capsys, monkeypatch, *base, "--full", user="director")
    assert (code, err) == (0, "") and "[redacted]" in out.read_text(encoding="utf-8-sig")


def test_instrument_list_load_and_use(
    care: CareData,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, _ = run(tmp_path, capsys, monkeypatch, "instrument", "list")
    assert code == 0 and "outcome" in out and "(current)" in out
    text = Path(shipped_instruments()[("outcome", "1")].source).read_text(encoding="utf-8")
    good = tmp_path / "ours-v2.toml"
    good.write_text(text.replace('version = "1"', 'version = "2"'), encoding="utf-8")
    code, _, err = run(tmp_path, capsys, monkeypatch, "instrument", "load", str(good))
    assert code == 1 and "cannot load assessment instruments" in err
    code, out, err = run(
        tmp_path, capsys, monkeypatch, "instrument", "load", str(good), user="admin"
    )
    assert (code, err) == (0, "")
    assert out.strip() == (
        "Loaded 'outcome' version 2 (6 domains, 20 sub-domains). New assessments use it."
    )
    bad = tmp_path / "ours-v3.toml"
    bad.write_text(
        text.replace('version = "1"', 'version = "3"').replace(
            'label = "Safety"', 'lable = "Safety"'
        ),
        encoding="utf-8",
    )
    line = next(
        i for i, t in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if "lable" in t
    )
    code, _, err = run(tmp_path, capsys, monkeypatch, "instrument", "load", str(bad), user="admin")
    assert code == 1 and f"{bad}, line {line}: unknown key 'lable'" in err
    code, out, _ = run(
        tmp_path, capsys, monkeypatch, "instrument", "use", "outcome", "1", user="admin"
    )
    assert code == 0 and "earlier assessments keep theirs" in out
    code, out, _ = run(tmp_path, capsys, monkeypatch, "instrument", "list")
    current = [line for line in out.splitlines() if "(current)" in line]
    assert len(current) == 1 and current[0].split()[1] == "1"
