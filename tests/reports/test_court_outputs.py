"""The court outputs of the reports layer, from plain rows: the docket PDF,
calendar events and the hearings columns (no database involved)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ijmcase.reports.atomic import atomic_output
from ijmcase.reports.court_calendar import calendar_events
from ijmcase.reports.docket import build_docket
from ijmcase.reports.hearings_export import hearing_columns, write_hearings
from ijmcase.reports.ics import build_ics
from ijmcase.reports.meta import ReportMeta
from tests.reports.conftest import poppler

MANILA = ZoneInfo("Asia/Manila")
NAIROBI = ZoneInfo("Africa/Nairobi")
DAY = dt.date(2026, 12, 1)


@dataclass(frozen=True)
class Row:
    case_code: str
    court_name: str
    courtroom: str
    starts_at: dt.datetime
    purpose: str
    accused_code: str
    accused_name: str
    judge_name: str
    staff_names: tuple[str, ...]
    to_prepare: tuple[str, ...]


def _rows() -> list[Row]:
    return [
        Row(
            "KE-2026-0007",
            "Mombasa Law Courts",
            "Court 3",
            dt.datetime(2026, 12, 2, 9, 0, tzinfo=NAIROBI),
            "Hearing: prosecution witnesses",
            "A-KE-0011",
            "Juma Otieno",
            "Hon. A. Wekesa",
            ("Grace W.",),
            ("Prepare S-KE-0019 to testify (in-camera testimony)",),
        ),
        Row(
            "PH-2026-0042",
            "Regional Trial Court, Taguig City",
            "Branch 12",
            dt.datetime(2026, 12, 1, 13, 30, tzinfo=MANILA),
            "Trial: survivor's testimony",
            "A-PH-0003",
            "Rodel Manalo",
            "Hon. T. Villanueva",
            ("Luis Lawyer", "Chitra Caseworker"),
            ("Prepare S-PH-0042 to testify", "Certified copies of the chat logs"),
        ),
        Row(
            "PH-2026-0040",
            "Regional Trial Court, Taguig City",
            "Branch 12",
            dt.datetime(2026, 12, 1, 8, 30, tzinfo=MANILA),
            "Pre-trial",
            "",
            "",
            "",
            (),
            (),
        ),
    ]


def _text(path: Path) -> str:
    return " ".join(poppler("pdftotext", path, "-").split())


def test_docket_groups_by_day_and_court(meta: ReportMeta, tmp_path: Path) -> None:
    out = tmp_path / "docket.pdf"
    with atomic_output(out) as fh:
        pages = build_docket(fh, meta, _rows())
    assert pages >= 1
    text = _text(out)
    # Days in order; within a court, hearings by time.
    assert text.index("Tuesday 01 December 2026 (2)") < text.index("Wednesday 02 December 2026")
    assert text.index("PH-2026-0040") < text.index("PH-2026-0042") < text.index("KE-2026-0007")
    assert "08:30 PST" in text and "09:00 EAT" in text
    assert "All accused" in text and "Nobody assigned" in text
    assert "A-PH-0003" in text and "Rodel" not in text
    assert "Survivor testimony 2 hearings" in text and "Nobody attending 1 hearing" in text
    named = tmp_path / "named.pdf"
    with atomic_output(named) as fh:
        build_docket(fh, meta, _rows(), show_names=True)
    assert "A-PH-0003 Rodel Manalo" in _text(named)


def test_an_empty_docket_says_so(meta: ReportMeta, tmp_path: Path) -> None:
    out = tmp_path / "empty.pdf"
    with atomic_output(out) as fh:
        build_docket(fh, meta, [], first_day=DAY, last_day=DAY + dt.timedelta(days=6))
    assert "No hearings are scheduled from 2026-12-01 to 2026-12-07." in _text(out)


@dataclass(frozen=True)
class Entry:
    uid: str
    kind: str
    title: str
    on: dt.date
    starts_at: dt.datetime | None
    location: str
    details: str
    sequence: int
    updated_at: dt.datetime | None


def test_calendar_events_hearing_in_its_zone_and_all_day_deadline() -> None:
    hearing = Entry(
        "hearing-1@ijmcase",
        "hearing",
        "Hearing PH-2026-0042: Trial",
        DAY,
        dt.datetime(2026, 12, 1, 10, 0, tzinfo=MANILA),
        "RTC Taguig, Branch 12",
        "Case PH-2026-0042",
        2,
        dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC),
    )
    deadline = Entry(
        "deadline-1-arraignment@ijmcase",
        "deadline",
        "Deadline PH-2026-0042: Arraignment",
        DAY,
        None,
        "",
        "Due",
        0,
        None,
    )
    data = build_ics(
        calendar_events([hearing, deadline]),
        generated_at=dt.datetime(2026, 11, 21, tzinfo=dt.UTC),
    )
    first, second = Calendar.from_ical(data).walk("VEVENT")
    start = first.decoded("DTSTART")
    assert (start.hour, str(start.tzinfo)) == (10, "Asia/Manila")
    assert first.decoded("DURATION") == dt.timedelta(hours=1)
    assert first.decoded("SEQUENCE") == 2
    assert "CATEGORIES:Hearing" in data.decode()
    assert second.decoded("DTSTART") == DAY
    assert second.decoded("DTEND") == DAY + dt.timedelta(days=1)


def test_hearing_columns_redacted_by_default(meta: ReportMeta) -> None:
    names = [c.name for c in hearing_columns()]
    assert "accused_name" not in names and "notes" not in names
    assert {"accused_name", "notes"} <= {c.name for c in hearing_columns(full=True)}
    with pytest.raises(AttributeError):
        write_hearings(io.BytesIO(), [object()], meta, fmt="csv")
