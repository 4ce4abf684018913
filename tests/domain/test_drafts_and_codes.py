"""Validation of drafts and the code formats, with any text thrown at them."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.codes import COUNTRIES, case_code, parse_case_code, survivor_code
from ijmcase.domain.drafts import (
    CaseDraft,
    SurvivorDraft,
    UserDraft,
    age_band_for,
    age_on,
    password_problems,
)
from ijmcase.domain.enums import AgeBand, Role, ViolenceType, parse_enum
from ijmcase.domain.errors import ValidationError


@given(st.sampled_from(sorted(COUNTRIES)), st.integers(1990, 2100), st.integers(1, 999_999))
def test_case_code_round_trip(country: str, year: int, number: int) -> None:
    assert parse_case_code(case_code(country, year, number)) == (country, year, number)


@given(st.text(max_size=30))
def test_parse_case_code_never_raises(text: str) -> None:
    parsed = parse_case_code(text)
    assert parsed is None or case_code(*parsed) == text.strip().upper() or parsed[2] >= 0


def test_codes_look_like_the_field_uses() -> None:
    assert case_code("in", 2026, 42) == "IN-2026-0042"
    assert survivor_code("PH", 7) == "S-PH-0007"


@given(st.text(max_size=40))
def test_parse_enum_accepts_members_or_names_the_choices(text: str) -> None:
    try:
        value = parse_enum(ViolenceType, text, field="violence_type")
    except ValidationError as exc:
        assert "choose one of" in exc.message
        assert exc.problems[0].field == "violence_type"
    else:
        assert value in ViolenceType


def test_parse_enum_is_forgiving_of_case_and_spaces() -> None:
    assert parse_enum(ViolenceType, "Sex Trafficking", field="t") is ViolenceType.SEX_TRAFFICKING
    assert parse_enum(ViolenceType, "forced-labour", field="t") is ViolenceType.FORCED_LABOUR


@given(st.text(max_size=300))
def test_case_draft_title_any_unicode(title: str) -> None:
    problems = CaseDraft(title, ViolenceType.OSEC, "PH", date(2024, 1, 1)).problems()
    fields = {p.field for p in problems}
    assert ("title" in fields) == (not title.strip() or len(title) > 200)


def test_case_draft_multiple_problems_and_khmer_title() -> None:
    ok = CaseDraft("ការជួញដូរមនុស្ស ភ្នំពេញ 🙏", ViolenceType.SEX_TRAFFICKING, "KH", date(2024, 1, 1))
    assert ok.problems(today=date(2025, 1, 1)) == []
    bad = CaseDraft("", ViolenceType.OSEC, "ZZ", date(1980, 1, 1), summary="x" * 100_001)
    assert {p.field for p in bad.problems()} == {"title", "country", "opened_on", "summary"}


@given(st.integers(0, 120))
def test_age_band_is_consistent_with_minority(age: int) -> None:
    band = age_band_for(age)
    assert (band is AgeBand.UNDER_18) == (age < 18)


def test_age_on_birthday_edges() -> None:
    assert age_on(date(2008, 3, 1), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 3, 1), date(2026, 3, 1)) == 18


def test_survivor_ages() -> None:
    assert SurvivorDraft("IN", age_at_intake=121).problems()[0].code == "out_of_range"


def test_passwords() -> None:
    assert password_problems("demo", demo=True) == []
    assert [p.code for p in password_problems("short")] == ["password_too_short"]
    assert "password_is_username" in [
        p.code for p in password_problems("amina-yusuf", username="Amina-Yusuf")
    ]
    with pytest.raises(ValidationError):
        UserDraft("ok", "OK", Role.ADMIN, "").validate()
