"""The lawyers' commands: the court record, the docket, the calendar and the
hearings export, with the bad input the issue names; each refusal is one
line on stderr and exit status 1, and leaves no file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from ijmcase.cli import main
from ijmcase.persistence.engine import DatabaseLocation
from tests.conftest import STAFF_PASSWORD, Org, make_org
from tests.reports.conftest import poppler
from tests.services.court_setup import OPENED, TODAY, CourtCase, court_case

FILED = OPENED + dt.timedelta(days=30)


@pytest.fixture
def cc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CourtCase]:
    for var in ("IJMCASE_DB", "IJMCASE_USER", "IJMCASE_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    org: Org = make_org(DatabaseLocation("sqlcipher", path=tmp_path / "office.db"))
    try:
        yield court_case(org)
    finally:
        org.db.dispose()


def run(
    cc: CourtCase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    user: str = "lawyer",
) -> tuple[int, str, str]:
    monkeypatch.setenv("IJMCASE_PASSWORD", STAFF_PASSWORD)
    assert cc.org.location.path is not None
    code = main(["--db", str(cc.org.location.path), "--user", user, *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_a_proceeding_from_charge_to_hearing_result(
    cc: CourtCase, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = cc.case.code

    def ok(*args: str) -> str:
        status, out, err = run(cc, capsys, monkeypatch, *args)
        assert status == 0, err
        return out

    assert "PH       Philippines" in ok("court", "templates")
    assert "Started the proceeding against A-PH-0001" in ok(
        "court", "proceeding", code, "A-PH-0001", "--court", "taguig", "--number", "R-TG-1"
    )
    ok(
        "court", "charge", code, "a-ph-0001", "--statute", "RA 9208", "--section", "s. 4(a)",
        "--filed", FILED.isoformat(),
    )  # fmt: skip
    ok("court", "milestone", code, "A-PH-0001", "complaint", "--on", OPENED.isoformat())
    skipped = ok(
        "court", "milestone", code, "A-PH-0001", "preliminary_investigation",
        "--on", OPENED.isoformat(), "--skip", "Inquest after a warrantless arrest",
    )  # fmt: skip
    assert "Skipped 'Inquest or preliminary investigation'" in skipped
    ok("court", "custody", code, "A-PH-0001", "in_custody", "--on", OPENED.isoformat())
    past = TODAY - dt.timedelta(days=2)
    scheduled = ok(
        "court", "hearing", code, "--at", f"{past.isoformat()} 09:30", "--accused", "A-PH-0001",
        "--purpose", "Arraignment", "--court", "Regional Trial Court", "--attend", "lawyer",
    )  # fmt: skip
    assert "at 09:30 (Asia/Manila), Regional Trial Court, Taguig City" in scheduled
    nxt = TODAY + dt.timedelta(days=5)
    result = ok(
        "court", "result", code, "adjourned", "--date", past.isoformat(),
        "--reason", "Judge on leave", "--next", nxt.isoformat(),
    )  # fmt: skip
    assert f"Next hearing: {nxt.isoformat()} at 09:30 (Asia/Manila)." in result
    shown = ok("court", "show", code)
    assert "charge " in shown and "RA 9208, s. 4(a) [filed]" in shown
    assert "[adjourned]" in shown and "[no outcome yet]" in shown
    adjourned = ok("court", "adjournments", "--case", code)
    assert "100%" in adjourned
    attention = ok("court", "attention")
    assert "hearing_soon" in attention and "A-PH-0001" in attention
    assert f"Recorded in-camera testimony for {cc.survivor_code}" in ok(
        "court", "protection", code, cc.survivor_code.lower(), "in-camera testimony",
        "--from", FILED.isoformat(), "--authority", "RTC Taguig",
    )  # fmt: skip
    claimed = ok(
        "court", "compensation", code, cc.survivor_code, "--scheme", "Board of Claims (RA 7309)",
        "--applied", FILED.isoformat(), "--amount", "10,000", "--currency", "php",
    )  # fmt: skip
    assert f"Recorded the claim of {cc.survivor_code} under Board of Claims" in claimed
    testimony = ok(
        "court", "hearing", code, "--at", f"{nxt.isoformat()} 13:00", "--purpose", "Testimony",
        "--court-name", "MTC Pasay", "--testifies", cc.survivor_code,
        "--protection", "in_camera_testimony",
    )  # fmt: skip
    assert "MTC Pasay" in testimony


def test_bad_input_gets_one_clear_line(
    cc: CourtCase, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = cc.case.code

    def refused(*args: str, user: str = "lawyer") -> str:
        status, out, err = run(cc, capsys, monkeypatch, *args, user=user)
        assert status == 1, out
        return one_error(err)

    assert refused("court", "show", "PH-2019-0999") == "ijmcase: There is no case PH-2019-0999."
    message = refused("court", "proceeding", code, "A-PH-0001", "--template", "atlantis")
    assert "no legal-pathway template 'atlantis'" in message
    assert "IN, KE, PH, generic" in message
    run(cc, capsys, monkeypatch, "court", "proceeding", code, "A-PH-0001")
    run(
        cc, capsys, monkeypatch, "court", "charge", code, "A-PH-0001",
        "--statute", "RA 9208", "--filed", FILED.isoformat(),
    )  # fmt: skip
    run(cc, capsys, monkeypatch, "court", "milestone", code, "A-PH-0001", "complaint",
        "--on", OPENED.isoformat())  # fmt: skip
    out_of_order = refused(
        "court", "milestone", code, "A-PH-0001", "complaint", "--on", OPENED.isoformat()
    )
    assert "'Complaint filed' is already recorded" in out_of_order
    missing = refused("court", "milestone", code, "A-PH-0001", "trial", "--on", TODAY.isoformat())
    assert "Record 'Inquest or preliminary investigation' first" in missing
    early = FILED - dt.timedelta(days=1)
    before_charge = refused(
        "court", "hearing", code, "--at", f"{early.isoformat()} 10:00", "--accused", "A-PH-0001",
        "--purpose", "Bail", "--court", "Taguig",
    )  # fmt: skip
    assert before_charge.startswith("ijmcase: hearing on: The hearing date")
    assert "before the first charge was filed" in before_charge
    day = TODAY - dt.timedelta(days=1)
    run(
        cc, capsys, monkeypatch, "court", "hearing", code, "--at", f"{day.isoformat()} 10:00",
        "--purpose", "Pre-trial", "--court", "Taguig",
    )  # fmt: skip
    next_before = refused(
        "court", "result", code, "held", "--date", day.isoformat(),
        "--next", (day - dt.timedelta(days=3)).isoformat(),
    )  # fmt: skip
    assert next_before.startswith("ijmcase: next on: The next date")
    assert "is before this hearing" in next_before
    assert "There is no hearing in this case on" in refused(
        "court", "result", code, "held", "--date", OPENED.isoformat()
    )
    assert "caseworker cannot change court records" in refused(
        "court", "milestone", code, "A-PH-0001", "preliminary_investigation",
        "--on", OPENED.isoformat(), user="caseworker",
    )  # fmt: skip
    assert "'sideways' is not a valid custody status" in refused(
        "court", "custody", code, "A-PH-0001", "sideways", "--on", OPENED.isoformat()
    )


def test_reports_and_exports(
    cc: CourtCase,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    code = cc.case.code
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    ics = out_dir / "court.ics"
    # Nothing scheduled yet: a clear message and no file.
    status, _, err = run(cc, capsys, monkeypatch, "export", "calendar", "-o", str(ics))
    assert status == 1
    assert "no hearings or deadlines in the next 90 days" in one_error(err)
    assert not ics.exists()
    soon = TODAY + dt.timedelta(days=3)
    run(
        cc, capsys, monkeypatch, "court", "hearing", code, "--at", f"{soon.isoformat()} 14:00",
        "--purpose", "Trial: survivor's testimony", "--court", "Taguig",
        "--testifies", cc.survivor_code,
    )  # fmt: skip
    status, out, err = run(cc, capsys, monkeypatch, "export", "calendar", "-o", str(ics))
    assert status == 0, err
    assert "(1 events)" in out
    [event] = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(event["UID"]).startswith("hearing-")
    pdf = out_dir / "docket.pdf"
    status, out, err = run(
        cc, capsys, monkeypatch, "report", "docket", "-o", str(pdf), "--days", "5"
    )
    assert status == 0, err
    text = " ".join(poppler("pdftotext", pdf, "-").split())
    assert code in text and f"Prepare {cc.survivor_code} to testify" in text
    xlsx = out_dir / "hearings.xlsx"
    status, out, err = run(
        cc, capsys, monkeypatch, "export", "hearings", "--format", "xlsx", "-o", str(xlsx),
        user="caseworker",
    )  # fmt: skip
    assert status == 0, err
    sheet = load_workbook(xlsx)["Hearings"]
    assert sheet["B1"].value == "Date" and sheet["B2"].is_date
    # An output folder that does not exist: one line, nothing written.
    status, _, err = run(
        cc, capsys, monkeypatch, "report", "docket", "-o", str(out_dir / "nope" / "d.pdf")
    )
    assert status == 1 and "does not exist" in one_error(err)
    status, _, err = run(
        cc, capsys, monkeypatch, "export", "hearings", "--format", "csv", "-o",
        str(out_dir / "h.csv"), "--full", user="caseworker",
    )  # fmt: skip
    assert status == 1 and "cannot make a full hearings export" in one_error(err)
    assert sorted(p.name for p in out_dir.iterdir()) == ["court.ics", "docket.pdf", "hearings.xlsx"]
