"""Calendar entries (hearings and legal deadlines) as RFC 5545 events.

Each entry brings a stable ``uid`` made from its record (a hearing's id; a
deadline's proceeding and milestone), so importing a newer export into a
calendar program updates the events it has instead of adding copies; the
record's version is the event's SEQUENCE and its last change the
LAST-MODIFIED. A hearing is a one-hour event at the court's wall-clock time
in the court's IANA zone; a deadline is an all-day event on its due date.

What the summary, location and description say is decided by the service:
case and survivor codes, never survivor names (calendars are synced to
phones and shared).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol

from ijmcase.reports.ics import CalendarEvent, EventStatus

__all__ = ["HEARING_LENGTH", "CalendarEntry", "calendar_events"]

HEARING_LENGTH = dt.timedelta(hours=1)


class CalendarEntry(Protocol):
    """What an event is made from (read-only attributes)."""

    @property
    def uid(self) -> str: ...
    @property
    def kind(self) -> str: ...  # "hearing" or "deadline"
    @property
    def title(self) -> str: ...
    @property
    def on(self) -> dt.date: ...
    @property
    def starts_at(self) -> dt.datetime | None: ...  # None: all day
    @property
    def location(self) -> str: ...
    @property
    def details(self) -> str: ...
    @property
    def sequence(self) -> int: ...
    @property
    def updated_at(self) -> dt.datetime | None: ...


def calendar_events(entries: Iterable[CalendarEntry]) -> list[CalendarEvent]:
    events: list[CalendarEvent] = []
    for entry in entries:
        status: EventStatus = "CONFIRMED"
        if entry.starts_at is not None:
            events.append(
                CalendarEvent(
                    uid=entry.uid,
                    summary=entry.title,
                    start=entry.starts_at,
                    duration=HEARING_LENGTH,
                    location=entry.location,
                    description=entry.details,
                    categories=(str(entry.kind).capitalize(),),
                    sequence=entry.sequence,
                    last_modified=entry.updated_at,
                    status=status,
                )
            )
        else:
            events.append(
                CalendarEvent(
                    uid=entry.uid,
                    summary=entry.title,
                    start=entry.on,
                    end=entry.on + dt.timedelta(days=1),
                    location=entry.location,
                    description=entry.details,
                    categories=(str(entry.kind).capitalize(),),
                    sequence=entry.sequence,
                    last_modified=entry.updated_at,
                    status=status,
                )
            )
    return events
