"""iCalendar export: parsed back with icalendar; stable UIDs; zones kept."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from ijmcase.reports.ics import CalendarEvent, build_ics, write_ics

MANILA = ZoneInfo("Asia/Manila")
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _events(sequence: int = 0) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid="hearing-0190f5a2-7c1e-7000-8000-000000000001@ijmcase",
            summary="Hearing PH-2026-0042: arraignment",
            start=dt.datetime(2026, 4, 14, 10, 0, tzinfo=MANILA),
            duration=dt.timedelta(hours=2),
            location="RTC Branch 12, Cebu City",
            description="Accused: A-0042-1. Bring: certified complaint; witness list, page 2",
            categories=("hearing", "accountability"),
            sequence=sequence,
            last_modified=dt.datetime(2026, 2, 20, 8, 15, 30, tzinfo=dt.UTC),
        ),
        CalendarEvent(
            uid="followup-0190f5a2-7c1e-7000-8000-000000000002@ijmcase",
            summary="Follow-up S-PH-0042",
            start=dt.date(2026, 4, 20),
        ),
        CalendarEvent(
            uid="hearing-0190f5a2-7c1e-7000-8000-000000000003@ijmcase",
            summary="Hearing IN-2026-0007",
            start=dt.datetime(
                2026, 5, 2, 5, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
            ),
            end=dt.datetime(
                2026, 5, 2, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
            ),
            status="CONFIRMED",
        ),
    ]


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_round_trip_keeps_uids_times_and_fields() -> None:
    data = build_ics(_events(), generated_at=NOW, calendar_name="Docket")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")
    calendar = _parse(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "ijmcase" in str(calendar["PRODID"])
    events = calendar.events
    assert [str(e["UID"]) for e in events] == [e.uid for e in _events()]

    hearing = events[0]
    start = hearing.decoded("DTSTART")
    assert start == dt.datetime(2026, 4, 14, 10, 0, tzinfo=MANILA)
    assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=8)
    assert hearing["DTSTART"].params["TZID"] == "Asia/Manila"
    assert hearing.decoded("DURATION") == dt.timedelta(hours=2)
    assert str(hearing["LOCATION"]) == "RTC Branch 12, Cebu City"
    assert "witness list, page 2" in str(hearing["DESCRIPTION"])
    assert hearing.categories == ["hearing", "accountability"]
    assert hearing.decoded("LAST-MODIFIED") == dt.datetime(2026, 2, 20, 8, 15, 30, tzinfo=dt.UTC)
    assert hearing.decoded("DTSTAMP") == dt.datetime(2026, 2, 20, 8, 15, 30, tzinfo=dt.UTC)
    # The zone travels with the file.
    assert [tz.tz_name for tz in calendar.timezones] == ["Asia/Manila"]

    all_day = events[1]
    assert all_day.decoded("DTSTART") == dt.date(2026, 4, 20)
    assert b"DTSTART;VALUE=DATE:20260420" in data
    assert all_day.decoded("DTSTAMP") == NOW

    fixed_offset = events[2]
    # A zone without an IANA name is written in UTC: 05:30 +05:30 is 00:00Z.
    assert fixed_offset.decoded("DTSTART") == dt.datetime(2026, 5, 2, 0, 0, tzinfo=dt.UTC)
    assert b"DTSTART:20260502T000000Z" in data
    assert str(fixed_offset["STATUS"]) == "CONFIRMED"


def test_uids_and_bytes_are_stable_across_builds() -> None:
    first = build_ics(_events(), generated_at=NOW)
    second = build_ics(_events(), generated_at=NOW)
    assert first == second
    uids = [str(e["UID"]) for e in _parse(first).events]
    assert uids == [str(e["UID"]) for e in _parse(second).events]


def test_an_edited_record_keeps_its_uid_and_raises_its_sequence() -> None:
    before = _parse(build_ics(_events(sequence=1), generated_at=NOW)).events[0]
    after = _parse(build_ics(_events(sequence=2), generated_at=NOW)).events[0]
    assert before["UID"] == after["UID"]
    assert after.sequence == 2 > before.sequence == 1


def test_write_ics_counts_events() -> None:
    out = io.BytesIO()
    assert write_ics(out, _events(), generated_at=NOW) == 3
    assert len(_parse(out.getvalue()).events) == 3


def test_duplicate_uids_are_refused() -> None:
    event = _events()[1]
    with pytest.raises(ValueError, match="Duplicate"):
        build_ics([event, event], generated_at=NOW)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"uid": ""},
        {"uid": "has space"},
        {"start": dt.datetime(2026, 1, 1, 10, 0)},
        {"end": dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)},
        {"end": dt.date(2026, 1, 2)},
        {"end": dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC), "duration": dt.timedelta(hours=1)},
        {"sequence": -1},
    ],
)
def test_invalid_events_are_refused(kwargs: dict[str, object]) -> None:
    fields: dict[str, object] = {
        "uid": "x@ijmcase",
        "summary": "s",
        "start": dt.datetime(2026, 1, 1, 10, 0, tzinfo=dt.UTC),
    }
    fields.update(kwargs)
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        CalendarEvent(**fields)  # type: ignore[arg-type]


def test_all_day_end_must_be_after_start() -> None:
    with pytest.raises(ValueError, match="exclusive"):
        CalendarEvent(uid="a", summary="s", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 1))
    event = CalendarEvent(uid="a", summary="s", start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 3))
    parsed = _parse(build_ics([event], generated_at=NOW)).events[0]
    assert parsed.decoded("DTEND") == dt.date(2026, 1, 3)
