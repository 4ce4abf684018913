"""Reporting periods: strict dates from outside, and the end-before-start rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.errors import ValidationError
from ijmcase.domain.periods import Period, parse_date


@given(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
def test_iso_dates_round_trip(day: date) -> None:
    assert parse_date(day.isoformat(), field="from") == day


@given(st.text(max_size=20))
def test_anything_else_is_refused_with_the_field_named(text: str) -> None:
    try:
        parsed = parse_date(text, field="from")
    except ValidationError as exc:
        assert exc.problems[0].field == "from"
        assert exc.code == "bad_date"
    else:
        # Only a real ISO date of ASCII digits (with surrounding blanks) gets through.
        assert parsed.isoformat() == text.strip()


@pytest.mark.parametrize(
    "text", ["2026-3-1", "01/03/2026", "2026-02-30", "2026-13-01", "२०२६-०१-०१", "yesterday", ""]
)
def test_near_misses_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match=r"YYYY-MM-DD|not a real calendar date"):
        parse_date(text, field="to")


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValidationError) as err:
        Period.parse("2026-03-31", "2026-01-01")
    assert err.value.problems[0].field == "to"
    assert err.value.code == "end_before_start"
    assert "ends on 2026-01-01, before it starts on 2026-03-31" in str(err.value)
    # Both bad dates are reported at once.
    with pytest.raises(ValidationError) as both:
        Period.parse("soon", "later")
    assert [p.field for p in both.value.problems] == ["from", "to"]
    one_day = Period.parse("2026-01-01", "2026-01-01")
    assert one_day.contains(date(2026, 1, 1)) and not one_day.contains(date(2026, 1, 2))


def test_as_of_is_the_end_but_never_after_today() -> None:
    today = date(2026, 5, 1)
    assert Period().as_of(today) == today
    assert Period(None, date(2026, 3, 31)).as_of(today) == date(2026, 3, 31)
    assert Period(None, today + timedelta(days=30)).as_of(today) == today
