"""The lawyers' files on both engines, read back: the docket PDF with pdftotext,
the calendar with icalendar, the hearings export with openpyxl and csv;
redaction, audit, permission and bad-output paths."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import select

from ijmcase.domain.court_drafts import HearingResult
from ijmcase.domain.enums import HearingOutcome
from ijmcase.domain.errors import AccessDenied, NotFound, StorageError
from ijmcase.persistence.models import AuditEvent
from tests.conftest import Org
from tests.reports.conftest import poppler
from tests.services.court_setup import SURVIVOR_NAME, TODAY, CourtCase, court_case


def _with_hearings(org: Org) -> CourtCase:
    cc = court_case(org)
    proceeding = cc.charged()
    hearings = cc.hearings()
    past = hearings.schedule(
        cc.case.id, cc.hearing_draft(TODAY - dt.timedelta(days=10), proceeding_id=proceeding)
    ).value
    hearings.record_outcome(
        past.id,
        HearingResult(
            HearingOutcome.ADJOURNED,
            # A name typed into a free-text field must not leave in an export.
            reason=f"Defence sought time; {SURVIVOR_NAME} unwell",
            next_on=TODAY + dt.timedelta(days=2),
        ),
    )
    hearings.schedule(
        cc.case.id,
        cc.hearing_draft(
            TODAY + dt.timedelta(days=4),
            dt.time(13, 30),
            proceeding_id=proceeding,
            purpose="Trial: survivor's testimony",
            survivor_testifies=True,
            testifying_survivor_id=cc.survivor_id,
            staff_ids=(org.actors["lawyer"].user_id, org.actors["caseworker"].user_id),
            preparation=f"Meet {SURVIVOR_NAME.split()[0]} and her aunt at the shelter",
        ),
    )
    return cc


def _pdf_text(path: Path) -> str:
    """The PDF's text with runs of white space as one space (cells wrap)."""
    return " ".join(poppler("pdftotext", path, "-").split())


def _audits(org: Org, action: str) -> list[dict[str, object]]:
    with org.db.transaction(write=False) as session:
        return [
            json.loads(d)
            for d in session.scalars(
                select(AuditEvent.details)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.seq)
            )
        ]


def test_docket_pdf_reads_back_without_survivor_names(org: Org, tmp_path: Path) -> None:
    cc = _with_hearings(org)
    out = tmp_path / "docket.pdf"
    result = cc.outputs().docket_report(out, days=7).value
    assert result.count == 2 and result.pages >= 1
    text = _pdf_text(out)
    assert "Court docket" in text
    assert "Regional Trial Court, Taguig City" in text
    assert cc.case.code in text
    assert "Trial: survivor's testimony" in text
    assert "Teresita" in text and "Villanueva" in text
    assert "A-PH-0001" in text and "Rodel" not in text
    assert f"Prepare {cc.survivor_code} to testify" in text
    assert "Luis Lawyer" in text and "Chitra Caseworker" in text
    assert "Maricel" not in text and "[redacted]" in text
    [audit] = _audits(org, "report.docket")
    assert audit["days"] == 7 and audit["full"] is False and audit["count"] == 2
    # The full docket names the accused, for lawyers and directors only.
    full = tmp_path / "full.pdf"
    cc.outputs("director").docket_report(full, days=7, full=True)
    text = _pdf_text(full)
    assert "A-PH-0001 Rodel" in text and "Maricel" not in text
    assert "CONTAINS IDENTIFYING DATA" in text
    with pytest.raises(AccessDenied, match="full docket"):
        cc.outputs("caseworker").docket_report(tmp_path / "no.pdf", full=True)
    assert not (tmp_path / "no.pdf").exists()


def test_empty_docket_says_so(org: Org, tmp_path: Path) -> None:
    cc = court_case(org)
    out = tmp_path / "empty.pdf"
    assert cc.outputs().docket_report(out, days=3).value.count == 0
    text = _pdf_text(out)
    assert "No hearings are scheduled from" in text


def test_calendar_export_parses_with_stable_uids(org: Org, tmp_path: Path) -> None:
    cc = _with_hearings(org)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert cc.outputs().export_calendar(first, days=30).value.count == 2
    cc.outputs().export_calendar(second, days=30)
    calendars = [Calendar.from_ical(p.read_bytes()) for p in (first, second)]
    events = [[e for e in c.walk("VEVENT")] for c in calendars]
    uids = [[str(e["UID"]) for e in found] for found in events]
    assert uids[0] == uids[1] and all(u.startswith("hearing-") for u in uids[0])
    # The same records give the same bytes: a re-import updates, never duplicates.
    assert first.read_bytes() == second.read_bytes()
    testimony = events[0][1]
    start = testimony.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (13, 30, "Asia/Manila")
    assert str(testimony["SUMMARY"]) == f"Hearing {cc.case.code}: Trial: survivor's testimony"
    raw = first.read_text()
    assert "Maricel" not in raw and cc.survivor_code in raw
    assert "BEGIN:VTIMEZONE" in raw
    [audit] = _audits(org, "export.calendar")[:1]
    assert audit["hearings"] == 2 and audit["deadlines"] == 0


def test_calendar_with_nothing_in_it_writes_no_file(org: Org, tmp_path: Path) -> None:
    cc = court_case(org)
    out = tmp_path / "none.ics"
    with pytest.raises(NotFound) as err:
        cc.outputs().export_calendar(out, days=30)
    assert err.value.code == "no_events"
    assert "no calendar file was written" in err.value.message
    assert not out.exists()
    assert _audits(org, "export.calendar") == []


def test_hearings_export_xlsx_dates_are_dates(org: Org, tmp_path: Path) -> None:
    cc = _with_hearings(org)
    out = tmp_path / "hearings.xlsx"
    assert cc.outputs("caseworker").export_hearings(out, fmt="xlsx").value.count == 3
    book = load_workbook(out)
    sheet = book["Hearings"]
    header = [c.value for c in sheet[1]]
    assert "Accused" not in header and "Notes" not in header
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    assert isinstance(rows[0]["Date"], dt.datetime)  # openpyxl reads a date cell back so
    assert rows[0]["Date"].date() == TODAY - dt.timedelta(days=10)
    assert rows[0]["Outcome"] == "Adjourned"
    assert rows[0]["Reason adjourned or vacated"] == "Defence sought time; [redacted] unwell"
    assert rows[2]["Survivor (code)"] == cc.survivor_code
    assert rows[2]["Time"] == "13:30" and rows[2]["Time zone"] == "Asia/Manila"
    assert "Maricel" not in json.dumps([list(r.values()) for r in rows], default=str)
    assert "About" in book.sheetnames
    csv_out = tmp_path / "hearings.csv"
    cc.outputs().export_hearings(csv_out, fmt="csv", full=True, since=TODAY)
    table = list(csv.DictReader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert [r["Date"] for r in table] == [
        (TODAY + dt.timedelta(days=2)).isoformat(),
        (TODAY + dt.timedelta(days=4)).isoformat(),
    ]
    assert table[0]["Accused"] == "Rodel Manalo"
    audits = _audits(org, "export.hearings")
    assert [(a["format"], a["full"], a["count"]) for a in audits] == [
        ("xlsx", False, 3),
        ("csv", True, 2),
    ]
    with pytest.raises(AccessDenied):
        cc.outputs("caseworker").export_hearings(tmp_path / "x.csv", fmt="csv", full=True)


def test_unwritable_output_leaves_nothing(org: Org, tmp_path: Path) -> None:
    cc = _with_hearings(org)
    folder = tmp_path / "out"
    folder.mkdir()
    missing = folder / "no-such-folder" / "docket.pdf"
    with pytest.raises(StorageError, match="does not exist"):
        cc.outputs().docket_report(missing)
    with pytest.raises(StorageError, match="is a folder"):
        cc.outputs().export_calendar(folder, days=30)
    with pytest.raises(StorageError, match="does not exist"):
        cc.outputs().export_hearings(folder / "gone" / "h.csv", fmt="csv")
    assert list(folder.iterdir()) == []
    for action in ("report.docket", "export.calendar", "export.hearings"):
        assert _audits(org, action) == []
