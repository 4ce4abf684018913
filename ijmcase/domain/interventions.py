"""Logging an intervention: the draft a form or a command hands over, what is
refused (problems) and what is only pointed out (warnings).

Field staff log work days later, in batches, and sometimes enter years of
paper records at once, so a date in the future or before the case was
opened is a *warning* the caller shows and the person confirms, never a
refusal: refusing would push people to type a wrong date just to save.
What cannot be right (no type, no date, nothing said about what happened,
a follow-up due before the intervention itself) is a problem and refused.

``to_payload``/``from_payload`` turn a draft into plain JSON and back for
the encrypted draft store (``persistence.drafts_store``), so a note being
typed survives a crash; a damaged payload gives back what it can.

Notes take any Unicode up to ``MAX_NOTE`` characters; the two kinds of
character no database can keep (NUL and unpaired surrogates, which only a
broken paste produces) are refused by name rather than silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias
from uuid import UUID

from ijmcase.domain.drafts import MAX_NOTE
from ijmcase.domain.enums import InterventionType, PartyKind, Stage
from ijmcase.domain.errors import FieldProblem, raise_if_problems

__all__ = [
    "CLOCK_SLACK",
    "MAX_DURATION_MINUTES",
    "MAX_LOCATION",
    "MAX_OUTCOME",
    "PAYLOAD_VERSION",
    "InterventionDraft",
    "PersonRef",
    "earliest_instant_of",
    "entry_form_key",
    "from_payload",
    "reschedule_problem",
    "text_problem",
    "to_payload",
]

MAX_OUTCOME = 2_000
MAX_LOCATION = 200
# A repatriation journey can take days; a week is the longest one entry covers.
MAX_DURATION_MINUTES = 7 * 24 * 60
# Laptop clocks drift; "a few minutes from now" is not the future.
CLOCK_SLACK = timedelta(minutes=10)
# The furthest any time zone is ahead of UTC (Kiribati, UTC+14).
_MAX_AHEAD = timedelta(hours=14)


def earliest_instant_of(day: date) -> datetime:
    """The first instant that is ``day`` somewhere on Earth: an instant before
    it is before ``day`` in every time zone."""
    return datetime.combine(day, time.min, tzinfo=UTC) - _MAX_AHEAD


def text_problem(value: str, field: str, what: str) -> FieldProblem | None:
    """Refuse the characters no database stores: NUL and unpaired surrogates."""
    if "\x00" in value:
        return FieldProblem(
            field,
            "bad_characters",
            f"The {what} contains an invisible NUL character (often from a paste); "
            "remove it and save again.",
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = ord(value[exc.start])
        return FieldProblem(
            field,
            "bad_characters",
            f"The {what} contains a broken character (U+{bad:04X}) at position "
            f"{exc.start + 1:,}; retype that part and save again.",
        )
    return None


@dataclass(frozen=True)
class PersonRef:
    """One person an intervention involved: a survivor, accused or official."""

    kind: PartyKind
    id: UUID


@dataclass(frozen=True)
class InterventionDraft:
    """What the entry form holds. ``occurred_at`` is an aware instant (the
    form turns the local date and time into one). ``staff_user_id`` None
    means the person logging it did the work."""

    type: InterventionType | None
    stage: Stage | None
    occurred_at: datetime | None
    duration_minutes: int | None = None
    people: tuple[PersonRef, ...] = ()
    staff_user_id: UUID | None = None
    location: str = ""
    outcome: str = ""
    notes: str = ""
    follow_up_on: date | None = None

    def normalized(self) -> InterventionDraft:
        """Trim the one-line fields and drop repeated people. Notes are kept
        exactly as typed (leading spaces may be indentation)."""
        seen: set[tuple[PartyKind, UUID]] = set()
        people: list[PersonRef] = []
        for person in self.people:
            key = (person.kind, person.id)
            if key not in seen:
                seen.add(key)
                people.append(person)
        return replace(
            self,
            location=self.location.strip(),
            outcome=self.outcome.strip(),
            people=tuple(people),
        )

    def problems(self) -> list[FieldProblem]:
        """Everything that is refused, all at once."""
        found: list[FieldProblem] = []
        if self.type is None:
            found.append(FieldProblem("type", "required", "Choose the type of intervention."))
        if self.stage is None:
            found.append(FieldProblem("stage", "required", "Choose the stage it belongs to."))
        if self.occurred_at is None:
            found.append(
                FieldProblem("occurred_at", "required", "Enter the date and time it happened.")
            )
        elif self.occurred_at.tzinfo is None or self.occurred_at.utcoffset() is None:
            found.append(
                FieldProblem("occurred_at", "no_time_zone", "The date and time need a time zone.")
            )
        elif self.occurred_at.year < 1990:
            found.append(
                FieldProblem("occurred_at", "too_old", "The date is before 1990; check the year.")
            )
        if self.duration_minutes is not None and not (
            0 < self.duration_minutes <= MAX_DURATION_MINUTES
        ):
            found.append(
                FieldProblem(
                    "duration_minutes",
                    "out_of_range",
                    f"The duration must be between 1 and {MAX_DURATION_MINUTES:,} minutes "
                    "(a week); leave it empty if it is not known.",
                )
            )
        if not self.outcome.strip() and not self.notes.strip():
            found.append(
                FieldProblem(
                    "outcome", "required", "Write what happened: an outcome, a note, or both."
                )
            )
        for value, field, limit, what in (
            (self.location, "location", MAX_LOCATION, "location"),
            (self.outcome, "outcome", MAX_OUTCOME, "outcome"),
            (self.notes, "notes", MAX_NOTE, "note"),
        ):
            if len(value) > limit:
                found.append(
                    FieldProblem(
                        field,
                        "too_long",
                        f"The {what} is {len(value):,} characters; the limit is {limit:,}.",
                    )
                )
            bad = text_problem(value, field, what)
            if bad is not None:
                found.append(bad)
        if (
            self.follow_up_on is not None
            and self.occurred_at is not None
            and self.occurred_at.tzinfo is not None
            and self.follow_up_on < self.occurred_at.astimezone(UTC).date() - timedelta(days=1)
        ):
            # A day's margin: the UTC date of an evening visit in Manila is
            # already the next day there.
            found.append(
                FieldProblem(
                    "follow_up_on",
                    "follow_up_before",
                    f"The follow-up date {self.follow_up_on.isoformat()} is before the "
                    "intervention itself.",
                )
            )
        return found

    def validate(self) -> None:
        raise_if_problems(self.problems())

    def warnings(self, *, case_opened_on: date, now: datetime, today: date) -> list[FieldProblem]:
        """What the person should confirm, not what is refused: a date in the
        future or before the case was opened, a follow-up already past."""
        found: list[FieldProblem] = []
        at = self.occurred_at
        if at is not None and at.tzinfo is not None:
            if at > now + CLOCK_SLACK:
                found.append(
                    FieldProblem(
                        "occurred_at",
                        "future_date",
                        f"The date {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC is in the future; "
                        "check it.",
                    )
                )
            if at < earliest_instant_of(case_opened_on):
                found.append(
                    FieldProblem(
                        "occurred_at",
                        "before_case_opened",
                        f"The date is before the case was opened ({case_opened_on.isoformat()});"
                        " check it (historic records may be entered as they are).",
                    )
                )
        if self.follow_up_on is not None and self.follow_up_on < today:
            found.append(
                FieldProblem(
                    "follow_up_on",
                    "follow_up_past",
                    f"The follow-up date {self.follow_up_on.isoformat()} has passed; it shows "
                    "as overdue in My day.",
                )
            )
        return found


def reschedule_problem(new_date: date | None, *, today: date) -> FieldProblem | None:
    """A follow-up moves to today or later; moving it into the past hides nothing."""
    if new_date is None:
        return FieldProblem("due_on", "required", "Choose the new date for the follow-up.")
    if new_date < today:
        return FieldProblem(
            "due_on",
            "past_date",
            f"{new_date.isoformat()} has passed; choose today or a later day.",
        )
    return None


# -- what the entry form keeps in the encrypted draft store ------------------------

PAYLOAD_VERSION = 1
# Plain JSON, as the draft store keeps it (the same shape as its ``JSON``).
JSONValue: TypeAlias = "bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None"


def entry_form_key(case_id: UUID | None, *, revises: UUID | None = None) -> str:
    """The draft store's key for an entry form: one draft per new entry in a
    case (or with no case chosen yet), one per correction."""
    if revises is not None:
        return f"intervention:revise:{revises}"
    return f"intervention:new:{case_id or 'none'}"


def to_payload(draft: InterventionDraft, *, case_id: UUID | None = None) -> dict[str, JSONValue]:
    """The draft as plain JSON values, for the draft store."""
    return {
        "v": PAYLOAD_VERSION,
        "case_id": str(case_id) if case_id else None,
        "type": draft.type.value if draft.type else None,
        "stage": draft.stage.value if draft.stage else None,
        "occurred_at": draft.occurred_at.isoformat() if draft.occurred_at else None,
        "duration_minutes": draft.duration_minutes,
        "people": [[p.kind.value, str(p.id)] for p in draft.people],
        "staff_user_id": str(draft.staff_user_id) if draft.staff_user_id else None,
        "location": draft.location,
        "outcome": draft.outcome,
        "notes": draft.notes,
        "follow_up_on": draft.follow_up_on.isoformat() if draft.follow_up_on else None,
    }


def from_payload(payload: dict[str, JSONValue]) -> tuple[InterventionDraft, UUID | None]:
    """A draft (and its case) back from the store. Whatever is damaged or
    unknown is left empty rather than refused: the typed text matters most,
    and the form shows what is missing."""

    def text(key: str) -> str:
        value = payload.get(key)
        return value if isinstance(value, str) else ""

    def uuid_of(value: object) -> UUID | None:
        try:
            return UUID(str(value)) if value else None
        except ValueError:
            return None

    def enum_of(enum: type[InterventionType] | type[Stage], value: object) -> object:
        try:
            return enum(str(value)) if value else None
        except ValueError:
            return None

    occurred: datetime | None = None
    try:
        raw = payload.get("occurred_at")
        occurred = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        occurred = None
    follow_up: date | None = None
    try:
        raw = payload.get("follow_up_on")
        follow_up = date.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        follow_up = None
    duration = payload.get("duration_minutes")
    people: list[PersonRef] = []
    raw_people = payload.get("people")
    for item in raw_people if isinstance(raw_people, list) else []:
        if isinstance(item, list) and len(item) == 2:
            try:
                people.append(PersonRef(PartyKind(str(item[0])), UUID(str(item[1]))))
            except ValueError:
                continue
    type_ = enum_of(InterventionType, payload.get("type"))
    stage = enum_of(Stage, payload.get("stage"))
    draft = InterventionDraft(
        type=type_ if isinstance(type_, InterventionType) else None,
        stage=stage if isinstance(stage, Stage) else None,
        occurred_at=occurred,
        duration_minutes=duration if type(duration) is int else None,
        people=tuple(people),
        staff_user_id=uuid_of(payload.get("staff_user_id")),
        location=text("location"),
        outcome=text("outcome"),
        notes=text("notes"),
        follow_up_on=follow_up,
    )
    return draft, uuid_of(payload.get("case_id"))
