"""Duplicate-person detection: the same person written differently is
found; different people, even with a shared surname, are not."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ijmcase.domain.enums import AgeBand
from ijmcase.services.matching import (
    DEFAULT_THRESHOLD,
    Match,
    PersonCandidate,
    likely_matches,
    name_similarity,
    normalise_name,
    score_pair,
)

DOB = date(2008, 3, 14)


def person(
    pid: str | None,
    *names: str,
    dob: date | None = None,
    year: int | None = None,
    band: AgeBand | None = None,
    place: str | None = None,
) -> PersonCandidate:
    return PersonCandidate(pid, list(names), dob, band, place, birth_year=year)


def score(a: PersonCandidate, b: PersonCandidate) -> int:
    return score_pair(a, b)[0]


def only(entered: PersonCandidate, candidate: PersonCandidate) -> Match | None:
    found = likely_matches(entered, [candidate])
    return found[0] if found else None


def test_normalising() -> None:
    assert normalise_name("  JOSÉ  María  García-Núñez ") == "jose maria garcia nunez"
    assert normalise_name("O'Brien,   Siobhán") == "o brien siobhan"
    assert normalise_name("Straße") == "strasse"
    assert normalise_name("Mohd. Rafiq") == "mohammad rafiq"
    assert normalise_name("   ") == ""


@pytest.mark.parametrize(
    ("entered", "existing", "at_least"),
    [
        ("Sharma Priya", "Priya Sharma", 100),
        ("PRIYA   sharma", "Priya Sharma", 100),
        ("José García", "Jose Garcia", 100),
        ("Nguyễn Thị Lan", "Nguyen Thi Lan", 100),
        ("Juan dela Cruz", "Juan De La Cruz", 95),
        ("Prya Sharma", "Priya Sharma", 90),
        ("Priya Sharmaa", "Priya Sharma", 90),
        ("Mohammed Khan", "Muhammad Khan", 90),
        ("Md. Rafiq", "Mohammed Rafik", 88),
        ("Lakshmi Devi", "Laxmi Devi", 90),
        ("Hussein Ali", "Husain Ali", 90),
        ("Katherine Reyes", "Catherine Reyes", 90),
        ("Priya K. Sharma", "Priya Sharma", 90),
        ("P. Sharma", "Priya Sharma", 80),
        ("Priya", "Priya Sharma", 85),
    ],
)
def test_same_person_written_differently_is_found(
    entered: str, existing: str, at_least: int
) -> None:
    match = only(person(None, entered), person("p1", existing))
    assert match is not None, (entered, existing)
    assert match.score >= at_least, (entered, existing, match)
    assert match.candidate_id == "p1"
    reason = match.reasons[0]
    if reason != f"same name '{existing}'":
        assert f"'{entered}'" in reason and f"'{existing}'" in reason, reason


@pytest.mark.parametrize(
    ("entered", "existing"),
    [
        ("Priya Sharma", "John Smith"),
        ("Anita Sharma", "Priya Sharma"),  # sisters
        ("Ramesh Kumar", "Suresh Kumar"),
        ("Nguyen Thi Lan", "Nguyen Thi Hoa"),
        ("Rahul", "Rohit"),
        ("Sita", "Gita"),
        ("Maria Santos", "Ana Santos"),
    ],
)
def test_different_people_are_not_offered(entered: str, existing: str) -> None:
    assert only(person(None, entered), person("p1", existing)) is None


def test_reasons_say_how_names_matched() -> None:
    def reason(entered: str, existing: str) -> str:
        match = only(person(None, entered), person("p1", existing))
        assert match is not None
        return match.reasons[0]

    assert reason("Sharma Priya", "Priya Sharma") == (
        "name 'Sharma Priya' = 'Priya Sharma' in another order"
    )
    assert reason("Priya Sharma", "Priya Sharma") == "same name 'Priya Sharma'"
    assert reason("José García", "Jose Garcia") == "name 'José García' = 'Jose Garcia'"
    assert reason("Juan dela Cruz", "Juan De La Cruz") == (
        "name 'Juan dela Cruz' = 'Juan De La Cruz' spaced differently (98)"
    )
    assert reason("Mohammed Khan", "Muhammad Khan") == (
        "name 'Mohammed Khan' sounds like 'Muhammad Khan' (94)"
    )
    assert reason("Rosa Perez", "Rosa Peres") == "name 'Rosa Perez' ≈ 'Rosa Peres' (84)"


def test_same_date_of_birth_is_strong_evidence() -> None:
    sister_a = person(None, "Ramesh Kumar", dob=DOB)
    sister_b = person("p1", "Suresh Kumar", dob=DOB)
    base = score(person(None, "Ramesh Kumar"), person("p1", "Suresh Kumar"))
    assert score(sister_a, sister_b) == base + 15
    match = only(person(None, "Prya Sharma", dob=DOB), person("p1", "Priya Sharma", dob=DOB))
    assert match is not None
    assert match.score == 100
    assert match.reasons == [
        "name 'Prya Sharma' sounds like 'Priya Sharma' (94)",
        "same date of birth",
    ]


def test_weak_date_evidence() -> None:
    name_only = score(person(None, "Maria Santos"), person("p1", "Mario Santos"))
    day_month = score(
        person(None, "Maria Santos", dob=date(2008, 3, 4)),
        person("p1", "Mario Santos", dob=date(2008, 4, 3)),
    )
    assert day_month == name_only + 5
    within_year = score_pair(
        person(None, "Maria Santos", dob=date(2008, 3, 14)),
        person("p1", "Mario Santos", dob=date(2008, 11, 2)),
    )
    assert within_year[0] == name_only + 4
    assert "within a year" in within_year[1][1]
    same_year = score_pair(
        person(None, "Maria Santos", year=2008), person("p1", "Mario Santos", dob=DOB)
    )
    assert same_year[0] == name_only + 4 and "same year of birth (2008)" in same_year[1]
    adjacent = score(person(None, "Maria Santos", year=2007), person("p1", "Mario Santos", dob=DOB))
    assert adjacent == name_only + 2
    # A full date wins over an estimated year on the same record.
    both = person(None, "Maria Santos", dob=DOB, year=1990)
    assert score(both, person("p1", "Mario Santos", dob=DOB)) == name_only + 15


def test_clearly_different_date_of_birth_counts_against() -> None:
    entered = person(None, "Priya Sharma", dob=date(1975, 1, 1))
    existing = person("p1", "Priya Sharma", dob=DOB)
    got, reasons = score_pair(entered, existing)
    assert got == 75
    assert "different date of birth (1975-01-01 and 2008-03-14)" in reasons
    assert only(entered, existing) is None
    assert score(person(None, "Priya Sharma", year=1990), existing) == 75
    # Between one and two years apart: neither for nor against.
    assert score(person(None, "Priya Sharma", dob=date(2006, 9, 1)), existing) == 100


def test_place_and_age_band() -> None:
    base = score(person(None, "Ramesh Kumar"), person("p1", "Suresh Kumar"))
    same_place = score_pair(
        person(None, "Ramesh Kumar", place="Sonagachi, Kolkata"),
        person("p1", "Suresh Kumar", place="sonagachi  kolkata"),
    )
    assert same_place[0] == base + 5 and "same place ('sonagachi  kolkata')" in same_place[1]
    assert (
        score(
            person(None, "Ramesh Kumar", place="Mumbai"), person("p1", "Suresh Kumar", place="Pune")
        )
        == base
    )
    entered = person(None, "Priya Sharma", band=AgeBand.UNDER_18)
    assert score(entered, person("p1", "Priya Sharma", band=AgeBand.UNDER_18)) == 100
    assert score(entered, person("p1", "Priya Sharma", band=AgeBand.AGE_18_24)) == 100
    far, reasons = score_pair(entered, person("p1", "Priya Sharma", band=AgeBand.AGE_35_49))
    assert far == 90 and "different age band (under_18 and age_35_49)" in reasons
    assert score(entered, person("p1", "Priya Sharma", band=AgeBand.UNKNOWN)) == 100
    # Comparable dates of birth make the age band irrelevant.
    dated = person(None, "Prya Sharma", dob=DOB, band=AgeBand.UNDER_18)
    assert score(dated, person("p1", "Priya Sharma", dob=DOB, band=AgeBand.AGE_50_PLUS)) == 100


def test_aliases_are_compared_too() -> None:
    entered = person(None, "Rani", "Priya Sharma")
    existing = person("p1", "Pooja Verma", "Priya Sharma")
    match = only(entered, existing)
    assert match is not None and match.score == 100
    assert match.reasons[0] == "same name 'Priya Sharma'"
    assert only(person(None, "Rani"), existing) is None


def test_limit_ordering_threshold_and_self() -> None:
    entered = person("me", "Priya Sharma", dob=DOB, place="Kolkata")
    candidates = [
        person("me", "Priya Sharma", dob=DOB, place="Kolkata"),  # the record being edited
        person("c-weak", "Priya", place="Howrah"),
        person("c-best", "Sharma Priya", dob=DOB, place="Kolkata"),
        person("c-good", "Prya Sharma", dob=DOB),
        person("c-other", "John Smith", dob=DOB, place="Kolkata"),
        person("c-tie-b", "Priya Sharma"),
        person("c-tie-a", "Priya Sharma"),
    ]
    found = likely_matches(entered, candidates)
    assert [m.candidate_id for m in found] == ["c-best", "c-good", "c-tie-a", "c-tie-b", "c-weak"]
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    assert [m.candidate_id for m in likely_matches(entered, candidates, limit=2)] == [
        "c-best",
        "c-good",
    ]
    assert likely_matches(entered, candidates, limit=0) == []
    strict = likely_matches(entered, candidates, threshold=100)
    assert [m.candidate_id for m in strict] == ["c-best", "c-good", "c-tie-a", "c-tie-b"]
    assert all(m.score >= DEFAULT_THRESHOLD for m in found)
    with pytest.raises(ValueError, match="id"):
        likely_matches(entered, [person(None, "Priya Sharma")])


def test_people_without_names_match_nothing() -> None:
    assert likely_matches(person(None), [person("p1", "Priya")]) == []
    assert likely_matches(person(None, "!!!"), [person("p1", "Priya")]) == []
    assert name_similarity("", "Priya") == (0.0, "different")


_names = st.lists(
    st.text(alphabet="abcdeghiklmnoprstuyéñ -.'", min_size=1, max_size=12),
    min_size=1,
    max_size=3,
)
_people = st.builds(
    PersonCandidate,
    id=st.just("x"),
    names=_names,
    birth_date=st.none() | st.dates(min_value=date(1950, 1, 1), max_value=date(2024, 12, 31)),
    age_band=st.none() | st.sampled_from(list(AgeBand)),
    place=st.none() | st.sampled_from(["Kolkata", "kolkata", "Manila", ""]),
    birth_year=st.none() | st.integers(min_value=1950, max_value=2024),
)


@settings(max_examples=300)
@given(a=_people, b=_people)
def test_property_scores_are_bounded_and_symmetric(a: PersonCandidate, b: PersonCandidate) -> None:
    ab, ba = score(a, b), score(b, a)
    assert 0 <= ab <= 100
    assert abs(ab - ba) <= 1


@settings(max_examples=200)
@given(name=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=30))
def test_property_a_name_matches_itself(name: str) -> None:
    if not name.split():
        return
    assert name_similarity(name, name.upper())[0] == 100
    reordered = " ".join(reversed(name.split()))
    assert name_similarity(name, reordered)[0] == 100
