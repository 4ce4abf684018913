"""Structural prevention: trainings and engagements with officials, and the
figures the prevention view shows per jurisdiction.

Decisions made here:

* Attendance is recorded two ways, and an engagement may use both: officials
  linked by name (partner-official records), and counts by official role for
  those whose names were not taken ("32 police officers"). An engagement
  must have at least one attendee either way.
* Case-processing times are whole days between two dates; their median is
  exact (a half day when the count is even), never a rounded float.

Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

from ijmcase.domain.codes import country_problem
from ijmcase.domain.drafts import MAX_NAME, MAX_NOTE, _collect, _required, _too_long
from ijmcase.domain.enums import EngagementKind, OfficialRole
from ijmcase.domain.errors import FieldProblem, raise_if_problems

__all__ = [
    "MAX_ROLE_COUNT",
    "EngagementDraft",
    "count_field",
    "median_days",
]

MAX_ROLE_COUNT = 10_000
MAX_FACILITATORS = 500
MAX_MATERIALS = 2000


def count_field(role: OfficialRole | str) -> str:
    """The FieldProblem field for the count of one official role."""
    return f"role_counts.{OfficialRole(role).value}"


@dataclass(frozen=True)
class EngagementDraft:
    """A training or other engagement with officials, as entered."""

    kind: EngagementKind
    held_on: date
    topic: str
    country: str
    jurisdiction: str = ""
    institution_ids: tuple[UUID, ...] = ()
    facilitators: str = ""
    materials: str = ""
    attendee_ids: tuple[UUID, ...] = ()
    role_counts: Mapping[OfficialRole, int] = field(default_factory=dict, hash=False)
    case_id: UUID | None = None
    notes: str = ""

    @property
    def counted_attendees(self) -> int:
        return sum(n for n in self.role_counts.values() if _is_count(n))

    @property
    def total_attendees(self) -> int:
        return len(set(self.attendee_ids)) + self.counted_attendees

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _required(self.topic, "topic", "the topic"),
            _too_long(self.topic, "topic", MAX_NAME, "topic"),
            country_problem(self.country),
            _too_long(self.jurisdiction, "jurisdiction", MAX_NAME, "jurisdiction"),
            _too_long(self.facilitators, "facilitators", MAX_FACILITATORS, "list of facilitators"),
            _too_long(self.materials, "materials", MAX_MATERIALS, "list of materials"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if today is not None and self.held_on > today:
            found.append(
                FieldProblem(
                    "held_on",
                    "future_date",
                    f"The date {self.held_on.isoformat()} is in the future; record an "
                    "engagement once it has taken place.",
                )
            )
        if len(set(self.attendee_ids)) != len(self.attendee_ids):
            found.append(FieldProblem("attendee_ids", "duplicate", "An official is listed twice."))
        if len(set(self.institution_ids)) != len(self.institution_ids):
            found.append(
                FieldProblem("institution_ids", "duplicate", "An institution is listed twice.")
            )
        bad_count = False
        for role, n in self.role_counts.items():
            if not _is_count(n) or n > MAX_ROLE_COUNT:
                bad_count = True
                found.append(
                    FieldProblem(
                        count_field(role),
                        "out_of_range",
                        f"The number of {OfficialRole(role).label.lower()} attendees is {n!r}; "
                        f"it must be a whole number from 0 to {MAX_ROLE_COUNT:,}.",
                    )
                )
        if not bad_count and self.total_attendees == 0:
            found.append(
                FieldProblem(
                    "attendees",
                    "no_attendees",
                    "No one is recorded as attending. Link the officials who came, or give "
                    "the number of officials by role when their names were not taken.",
                )
            )
        return found

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


def _is_count(n: object) -> bool:
    # bool is an int to Python; True is not a head count.
    return isinstance(n, int) and not isinstance(n, bool) and n >= 0


def median_days(values: Iterable[int]) -> Decimal | None:
    """The exact median of whole-day durations (x.5 for an even count), or None if empty."""
    ordered = sorted(values)
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return Decimal(ordered[middle - 1] + ordered[middle]) / 2
