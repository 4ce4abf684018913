"""Full-text search on both engines: ranking, marked matches, visibility,
current versions only, any script, and query text that is SQL or FTS syntax."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import text

from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import Sensitivity, ViolenceType
from ijmcase.domain.errors import NotFound
from ijmcase.persistence.migrate import drift
from ijmcase.persistence.search_index import missing_sqlite_objects
from ijmcase.services.search import HitKind, SearchService
from tests.conftest import Org
from tests.services.field_setup import OPENED, draft, interventions, make_case


def search(org: Org, who: str = "caseworker") -> SearchService:
    return SearchService(org.db, org.actors[who])


def test_search_objects_exist_and_are_not_drift(org: Org) -> None:
    with org.db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert missing_sqlite_objects(conn) == []
        else:
            columns = conn.execute(
                text(
                    "SELECT table_name FROM information_schema.columns "
                    "WHERE column_name = 'search_vector' ORDER BY table_name"
                )
            ).scalars()
            assert list(columns) == ["cases", "interventions"]
        assert drift(conn) == []


def test_ranked_with_marked_words_and_case_hits(org: Org) -> None:
    fc = make_case(org, title="Brick kiln bonded labour", summary="Families held at a kiln.")
    service = interventions(org)
    weak = service.log(
        fc.id, draft(fc, outcome="Visit done", notes="We talked about the kiln once.")
    ).value.intervention
    strong = service.log(
        fc.id,
        draft(
            fc,
            outcome="Kiln owner threatened the family",
            notes="The kiln owner came again. The kiln is still running.",
        ),
    ).value.intervention
    result = search(org).search("kiln")
    assert result.terms == ("kiln",)
    kinds = [(h.kind, h.id) for h in result.hits]
    assert (HitKind.INTERVENTION, strong.id) in kinds and (HitKind.INTERVENTION, weak.id) in kinds
    assert (HitKind.CASE, fc.id) in kinds
    ranks = {h.id: i for i, h in enumerate(result.hits)}
    assert ranks[strong.id] < ranks[weak.id]
    top = next(h for h in result.hits if h.id == strong.id)
    assert top.title == "[[Kiln]] owner threatened the family"
    assert "[[kiln]]" in top.snippet and top.case_code == fc.code
    assert top.occurred_at is not None and top.intervention_type is not None
    case_hit = next(h for h in result.hits if h.kind is HitKind.CASE)
    assert case_hit.title == "Brick [[kiln]] bonded labour"
    only_cases = search(org).search("kiln", kinds={HitKind.CASE})
    assert [h.kind for h in only_cases.hits] == [HitKind.CASE]
    limited = search(org).search("kiln", limit=1)
    assert len(limited.hits) == 1 and limited.more


def test_all_terms_must_match_and_prefixes_and_phrases_work(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    service.log(fc.id, draft(fc, outcome="Done", notes="Counselling session about school fees."))
    service.log(fc.id, draft(fc, outcome="Done", notes="School visit only."))
    s = search(org)
    assert len(s.search("school fees").hits) == 1
    assert len(s.search("SCHOOL").hits) == 2
    assert len(s.search("counsel").hits) == 0
    assert len(s.search("counsel*").hits) == 1
    # A code is one phrase of its parts, as the notes are tokenized.
    service.log(fc.id, draft(fc, outcome="Done", notes=f"Spoke to {fc.survivor_code} at home."))
    hits = s.search(fc.survivor_code).hits
    assert len(hits) == 1 and f"[[{fc.survivor_code.split('-')[0]}" in hits[0].snippet


SYNTAX_QUERIES = [
    '"',
    '"unbalanced',
    "*",
    "**",
    "OR",
    "kiln OR",
    "NOT kiln",
    "kiln AND",
    "NEAR(kiln fees)",
    "title:kiln",
    "'; DROP TABLE cases; --",
    "%_\\",
    "(",
    "kiln)",
    "^kiln",
    "-kiln",
    "😀",
    "",
    "   ",
    "a" * 5000,
]


def test_query_syntax_is_never_an_error(org: Org) -> None:
    fc = make_case(org, title="Kiln case")
    interventions(org).log(fc.id, draft(fc, notes="Drop table talk: or not."))
    s = search(org)
    for query in SYNTAX_QUERIES:
        result = s.search(query)
        assert isinstance(result.hits, tuple), query
    # Still there: nothing was executed.
    assert s.search("kiln").hits


def test_sql_words_are_searched_as_words(org: Org) -> None:
    fc = make_case(org)
    interventions(org).log(fc.id, draft(fc, notes="We will drop the table from the plan."))
    hits = search(org).search("'; DROP TABLE").hits
    assert len(hits) == 1 and "[[drop]]" in hits[0].snippet.lower()
    assert search(org).search("*").terms == ()
    assert not search(org).search("*").searched


def test_any_script_is_found(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    for note in (
        "प्रिया ने स्कूल जाना शुरू किया",
        "ក្មេងស្រីបានត្រឡប់ ទៅសាលារៀនវិញ",
        "เด็กหญิง กลับไปโรงเรียน",
        "عادت الفتاة إلى المدرسة",
    ):
        service.log(fc.id, draft(fc, notes=note))
    s = search(org)
    for word in ("स्कूल", "ទៅសាលារៀនវិញ", "กลับไปโรงเรียน", "المدرسة"):
        hits = s.search(word).hits
        assert len(hits) == 1, word
        assert f"[[{word}]]" in hits[0].snippet
    # A vowel sign makes another word: काम (work) is not कम (less).
    service.log(fc.id, draft(fc, notes="काम"))
    assert len(s.search("कम").hits) == 0


def test_only_the_current_version_is_found(org: Org) -> None:
    fc = make_case(org)
    service = interventions(org)
    first = service.log(fc.id, draft(fc, notes="Typo: visted the shelter")).value.intervention
    fixed = replace(first.draft(), notes="Visited the shelter")
    second = service.revise(first.id, fixed).value.intervention
    s = search(org)
    assert s.search("visted").hits == ()
    assert [h.id for h in s.search("visited").hits] == [second.id]


def test_case_edits_are_reindexed(org: Org) -> None:
    fc = make_case(org, title="Old title words")
    cases = org.cases("caseworker")
    detail = cases.get(fc.id)
    cases.update(
        fc.id,
        replace(detail.draft(), title="Renamed rescue operation"),
        expected_version=detail.version,
    )
    s = search(org)
    assert s.search("old title").hits == ()
    assert [h.case_code for h in s.search("renamed").hits] == [fc.code]


def test_restricted_cases_are_searched_only_by_those_who_may_see_them(org: Org) -> None:
    open_case = make_case(org, title="Open case")
    secret = make_case(org, title="Secret case", sensitivity=Sensitivity.RESTRICTED)
    service = interventions(org)
    service.log(open_case.id, draft(open_case, notes="Needle one"))
    service.log(secret.id, draft(secret, notes="Needle two"))
    mine = {h.case_code for h in search(org).search("needle").hits}
    assert mine == {open_case.code, secret.code}
    other = search(org, "caseworker2").search("needle")
    assert {h.case_code for h in other.hits} == {open_case.code}
    assert not other.more
    director = {h.case_code for h in search(org, "director").search("needle").hits}
    assert director == {open_case.code, secret.code}
    assert search(org, "caseworker2").search("secret").hits == ()
    with pytest.raises(NotFound):
        search(org, "caseworker2").search("needle", case_id=secret.id)
    only = search(org).search("needle", case_id=open_case.id)
    assert {h.case_code for h in only.hits} == {open_case.code}


def test_deleted_cases_are_not_found(org: Org) -> None:
    case = (
        org.cases("caseworker")
        .create(CaseDraft("Vanishing haystack", ViolenceType.OTHER, "IN", OPENED))
        .value
    )
    assert search(org).search("haystack").hits
    with org.db.transaction() as session:
        session.execute(
            text("UPDATE cases SET deleted_at = updated_at WHERE code = :c"), {"c": case.code}
        )
    assert search(org).search("haystack").hits == ()
