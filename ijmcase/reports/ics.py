"""iCalendar (RFC 5545) export of hearings, follow-ups and other dated events.

The caller supplies a stable ``uid`` per record (for instance
``hearing-<uuid>@ijmcase``), the record's version as ``sequence`` and its
update time as ``last_modified``: a calendar program that imports the file
again then updates the events it already has instead of adding copies.
DTSTAMP is the record's last change too (RFC 5545 3.8.7.2 for a calendar
without METHOD), so exporting the same records twice gives the same bytes.

Times: a datetime whose zone is an IANA zone (``zoneinfo.ZoneInfo``) keeps
it, with a VTIMEZONE component added, so a hearing at 10:00 in Manila stays
at 10:00 Manila time on every device; any other aware time is written in
UTC. A ``date`` start makes an all-day event. Naive datetimes are refused.

What goes into the summary, location and description is the caller's
decision: calendars are synced to phones and shared, so services must put
case and survivor codes there, never survivor names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

__all__ = ["PRODID", "CalendarEvent", "build_ics", "write_ics"]

PRODID = "-//ijmcase//ijmcase calendar export//EN"

EventStatus = Literal["TENTATIVE", "CONFIRMED", "CANCELLED"]


@dataclass(frozen=True)
class CalendarEvent:
    """One event; ``start`` is an aware datetime, or a date for an all-day event.

    Give ``end`` or ``duration``, not both (neither: a point in time, or one
    day for an all-day event). An all-day ``end`` is exclusive, as in RFC 5545.
    """

    uid: str
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None = None
    duration: dt.timedelta | None = None
    location: str = ""
    description: str = ""
    categories: tuple[str, ...] = field(default_factory=tuple)
    sequence: int = 0
    last_modified: dt.datetime | None = None
    status: EventStatus | None = None

    def __post_init__(self) -> None:
        if not self.uid or any(ch.isspace() for ch in self.uid):
            raise ValueError(f"Event UID must be non-empty without spaces: {self.uid!r}")
        if self.end is not None and self.duration is not None:
            raise ValueError(f"Event {self.uid}: give end or duration, not both")
        if self.sequence < 0:
            raise ValueError(f"Event {self.uid}: sequence must not be negative")
        all_day = not isinstance(self.start, dt.datetime)
        if isinstance(self.start, dt.datetime):
            _require_aware(self.uid, "start", self.start)
        if self.end is not None:
            if isinstance(self.end, dt.datetime) == all_day:
                raise ValueError(f"Event {self.uid}: start and end must both be dates or datetimes")
            if isinstance(self.end, dt.datetime):
                _require_aware(self.uid, "end", self.end)
            if self.end < self.start:
                raise ValueError(f"Event {self.uid}: end is before start")
            if all_day and self.end == self.start:
                raise ValueError(f"Event {self.uid}: an all-day end is exclusive; use the next day")
        if self.duration is not None and self.duration < dt.timedelta(0):
            raise ValueError(f"Event {self.uid}: negative duration")
        if self.last_modified is not None:
            _require_aware(self.uid, "last_modified", self.last_modified)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)


def _require_aware(uid: str, name: str, value: dt.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"Event {uid}: {name} is a naive datetime; pass an aware one")


def _ical_time(value: dt.datetime) -> dt.datetime:
    """Keep an IANA zone (VTIMEZONE follows); write anything else as UTC."""
    if isinstance(value.tzinfo, ZoneInfo) and value.tzinfo.key != "UTC":
        return value
    return value.astimezone(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(microsecond=0)


def build_ics(
    events: Iterable[CalendarEvent],
    *,
    generated_at: dt.datetime,
    calendar_name: str = "",
) -> bytes:
    """The calendar as RFC 5545 bytes (CRLF lines, folded at 75 octets).

    ``generated_at`` (aware) is the DTSTAMP of events without ``last_modified``.
    """
    _require_aware("calendar", "generated_at", generated_at)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if calendar_name:
        calendar.add("x-wr-calname", calendar_name)
        calendar.add("name", calendar_name)
    seen: set[str] = set()
    for record in events:
        if record.uid in seen:
            # Two events with one UID would overwrite each other on import.
            raise ValueError(f"Duplicate event UID {record.uid!r}")
        seen.add(record.uid)
        calendar.add_component(_event(record, generated_at))
    # Every TZID used gets its VTIMEZONE (RFC 5545 3.6.5), from tzdata.
    calendar.add_missing_timezones()
    data: bytes = calendar.to_ical()
    return data


def _event(record: CalendarEvent, generated_at: dt.datetime) -> Event:
    event = Event()
    event.add("uid", record.uid)
    stamp = _utc(record.last_modified or generated_at)
    event.add("dtstamp", stamp)
    if record.last_modified is not None:
        event.add("last-modified", stamp)
    event.add("sequence", record.sequence)
    start = record.start
    if isinstance(start, dt.datetime):
        event.add("dtstart", _ical_time(start))
    else:
        event.add("dtstart", start)
    end = record.end
    if isinstance(end, dt.datetime):
        event.add("dtend", _ical_time(end))
    elif end is not None:
        event.add("dtend", end)
    elif record.duration is not None:
        event.add("duration", record.duration)
    event.add("summary", record.summary)
    if record.location:
        event.add("location", record.location)
    if record.description:
        event.add("description", record.description)
    if record.categories:
        event.add("categories", list(record.categories))
    if record.status is not None:
        event.add("status", record.status)
    return event


def write_ics(
    out: BinaryIO,
    events: Sequence[CalendarEvent] | Iterable[CalendarEvent],
    *,
    generated_at: dt.datetime,
    calendar_name: str = "",
) -> int:
    """Write the calendar to ``out``; return the number of events."""
    items = list(events)
    out.write(build_ics(items, generated_at=generated_at, calendar_name=calendar_name))
    return len(items)
