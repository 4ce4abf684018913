"""The field rules without a database: intervention drafts (problems and
warnings), consent drafts and what "current" means, and reading search text."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.consent import (
    ConsentDraft,
    is_current,
    minor_on,
    missing_consent_message,
    same_organization,
)
from ijmcase.domain.enums import ConsentGiver, ConsentScope, InterventionType, Stage
from ijmcase.domain.interventions import (
    InterventionDraft,
    earliest_instant_of,
    reschedule_problem,
)
from ijmcase.domain.search_terms import MAX_TERMS, SearchTerm, parse_search, words_of

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def draft(**changes: object) -> InterventionDraft:
    base: dict[str, object] = {
        "type": InterventionType.HOME_VISIT,
        "stage": Stage.AFTERCARE,
        "occurred_at": datetime(2026, 3, 1, 9, tzinfo=UTC),
        "outcome": "Visited",
    }
    base.update(changes)
    return InterventionDraft(**base)  # type: ignore[arg-type]


def test_a_complete_draft_has_no_problems_and_no_warnings() -> None:
    d = draft()
    assert d.problems() == []
    assert d.warnings(case_opened_on=date(2026, 1, 1), now=NOW, today=NOW.date()) == []


def test_notes_alone_are_enough_but_blank_text_is_not() -> None:
    assert draft(outcome="", notes="Long note").problems() == []
    codes = [(p.field, p.code) for p in draft(outcome="  ", notes="\t\n").problems()]
    assert codes == [("outcome", "required")]


def test_warnings_for_future_and_pre_opening_dates_and_past_follow_ups() -> None:
    soon = draft(occurred_at=NOW + timedelta(minutes=5))
    assert soon.warnings(case_opened_on=date(2026, 1, 1), now=NOW, today=NOW.date()) == []
    later = draft(occurred_at=NOW + timedelta(hours=1), follow_up_on=date(2026, 3, 1))
    codes = [
        w.code for w in later.warnings(case_opened_on=date(2026, 1, 1), now=NOW, today=NOW.date())
    ]
    assert codes == ["future_date", "follow_up_past"]
    early = draft(occurred_at=datetime(2025, 12, 31, 9, 59, tzinfo=UTC))
    assert [
        w.code for w in early.warnings(case_opened_on=date(2026, 1, 1), now=NOW, today=NOW.date())
    ] == ["before_case_opened"]


def test_earliest_instant_is_the_day_in_kiribati() -> None:
    assert earliest_instant_of(date(2026, 1, 1)) == datetime(2025, 12, 31, 10, tzinfo=UTC)


def test_normalized_trims_one_line_fields_keeps_notes_and_drops_repeats() -> None:
    from uuid import uuid4

    from ijmcase.domain.enums import PartyKind
    from ijmcase.domain.interventions import PersonRef

    person = PersonRef(PartyKind.SURVIVOR, uuid4())
    d = draft(location="  Home ", notes="  indented\n", people=(person, person)).normalized()
    assert (d.location, d.notes, d.people) == ("Home", "  indented\n", (person,))


def test_reschedule_rule() -> None:
    today = date(2026, 3, 10)
    assert reschedule_problem(today, today=today) is None
    problem = reschedule_problem(date(2026, 3, 9), today=today)
    assert problem is not None and problem.code == "past_date"
    missing = reschedule_problem(None, today=today)
    assert missing is not None and missing.code == "required"


def test_consent_currency_and_organization_matching() -> None:
    assert is_current(date(2026, 1, 1), None, date(2026, 1, 1))
    assert not is_current(date(2026, 1, 2), None, date(2026, 1, 1))
    assert not is_current(date(2026, 1, 1), date(2026, 2, 1), date(2026, 2, 1))
    assert is_current(date(2026, 1, 1), date(2026, 2, 1), date(2026, 1, 31))
    assert same_organization(None, "Ashadeep  Shelter", None, "ashadeep shelter")
    assert not same_organization(None, "", None, "")
    assert not same_organization(None, "A", None, "B")


def test_minor_on_from_birth_or_a_known_age() -> None:
    assert minor_on(date(2026, 1, 1), date_of_birth=date(2008, 1, 2)) is True
    assert minor_on(date(2026, 1, 2), date_of_birth=date(2008, 1, 2)) is False
    assert minor_on(date(2026, 6, 1), date_of_birth=None, age_at=(17, date(2025, 1, 1))) is False
    assert minor_on(date(2025, 6, 1), date_of_birth=None, age_at=(17, date(2025, 1, 1))) is True
    assert minor_on(date(2025, 6, 1), date_of_birth=None) is None


def test_consent_draft_problems() -> None:
    today = date(2026, 3, 10)
    ok = ConsentDraft(ConsentScope.SERVICES, today)
    assert ok.problems(today=today, minor=False) == []
    guardian = ConsentDraft(ConsentScope.SERVICES, today, given_by=ConsentGiver.GUARDIAN)
    assert [p.code for p in guardian.problems(today=today, minor=True)] == ["required"]
    assert guardian.problems(today=today, minor=None) == []
    sharing = ConsentDraft(ConsentScope.SHARING, today, organization_name="  ")
    assert [p.field for p in sharing.problems(today=today, minor=False)] == ["organization"]
    assert missing_consent_message("S-IN-0042", ConsentScope.SHARING, "Ashadeep Shelter") == (
        "S-IN-0042 has no current consent to sharing with Ashadeep Shelter. Record the "
        "consent (given by the survivor or their guardian) before going ahead."
    )
    assert "consent to research" in missing_consent_message("S-IN-1", ConsentScope.RESEARCH)


def test_search_text_is_words_not_syntax() -> None:
    assert parse_search('"kiln OR school*" NEAR(x) -y') == (
        SearchTerm(("kiln",)),
        SearchTerm(("or",)),
        SearchTerm(("school",), prefix=True),
        SearchTerm(("near", "x")),
        SearchTerm(("y",)),
    )
    assert parse_search("S-IN-0042") == (SearchTerm(("s", "in", "0042")),)
    assert parse_search("* \" '; --") == ()
    assert parse_search("kiln kiln") == (SearchTerm(("kiln",)),)
    assert words_of("प्रिया ने") == ["प्रिया", "ने"]
    assert len(parse_search(" ".join(f"w{i}" for i in range(40)))) == MAX_TERMS


@given(st.text(max_size=300))
def test_parsed_terms_hold_only_word_characters(text: str) -> None:
    for term in parse_search(text):
        assert term.words
        for word in term.words:
            assert word and all(
                unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "Co"
                for ch in word
            )
