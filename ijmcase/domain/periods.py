"""Reporting periods: dates typed by a person, and the rule a period obeys.

Reports and exports take a period as two optional dates (``--from`` and
``--to``, both inclusive). Dates from outside are parsed strictly as
``YYYY-MM-DD`` in ASCII digits: "2026-3-1", "01/03/2026" or "2026-02-30"
are refused with a message that says what to type, never guessed at, since
a misread period puts wrong figures in front of a board.

A period whose end is before its start is refused. A period that reaches
into the future is allowed (a quarter still running); figures that describe
a moment ("open cases") are then taken as of today (``as_of``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ijmcase.domain.errors import FieldProblem, ValidationError, raise_if_problems

__all__ = ["DATE_HINT", "Period", "date_problem", "parse_date"]

DATE_HINT = "YYYY-MM-DD"
# re.ASCII: \d would otherwise accept Arabic-Indic or Devanagari digits.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def date_problem(text: str, *, field: str) -> tuple[date | None, FieldProblem | None]:
    """Parse ``text`` as one date; return it, or the problem with it."""
    value = text.strip()
    if not _ISO_DATE.fullmatch(value):
        return None, FieldProblem(
            field,
            "bad_date",
            f"'{text}' is not a date; write it as {DATE_HINT}, for example 2026-03-31.",
        )
    try:
        return date.fromisoformat(value), None
    except ValueError:
        return None, FieldProblem(field, "bad_date", f"{value} is not a real calendar date.")


def parse_date(text: str, *, field: str) -> date:
    """One strict ``YYYY-MM-DD`` date, or a ValidationError naming ``field``."""
    parsed, problem = date_problem(text, field=field)
    if problem is not None:
        raise ValidationError(problem)
    assert parsed is not None
    return parsed


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both inclusive; either may be open."""

    start: date | None = None
    end: date | None = None

    @classmethod
    def parse(
        cls,
        start: str | None,
        end: str | None,
        *,
        start_field: str = "from",
        end_field: str = "to",
    ) -> Period:
        """A period from two optional texts; every problem is reported at once."""
        problems: list[FieldProblem] = []
        first = last = None
        if start is not None:
            first, problem = date_problem(start, field=start_field)
            problems += [problem] if problem else []
        if end is not None:
            last, problem = date_problem(end, field=end_field)
            problems += [problem] if problem else []
        raise_if_problems(problems)
        period = cls(first, last)
        period.validate(end_field=end_field)
        return period

    def problems(self, *, end_field: str = "to") -> list[FieldProblem]:
        if self.start is not None and self.end is not None and self.end < self.start:
            return [
                FieldProblem(
                    end_field,
                    "end_before_start",
                    f"The period ends on {self.end.isoformat()}, before it starts on "
                    f"{self.start.isoformat()}.",
                )
            ]
        return []

    def validate(self, *, end_field: str = "to") -> None:
        raise_if_problems(self.problems(end_field=end_field))

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    def as_of(self, today: date) -> date:
        """The day a snapshot figure describes: the period's end, never later than today."""
        return today if self.end is None else min(self.end, today)

    @property
    def is_open(self) -> bool:
        return self.start is None and self.end is None
