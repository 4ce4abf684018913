"""The SQLite search index itself: any typed text makes a query FTS5 accepts,
the triggers keep it in step, and it survives a backup and restore."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from ijmcase.domain.search_terms import parse_search
from ijmcase.persistence.search_index import fts5_match, include_in_drift, tsquery_text
from ijmcase.services.auth import login
from ijmcase.services.interventions import InterventionService
from ijmcase.services.maintenance import MaintenanceService, restore
from ijmcase.services.search import SearchService
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import draft, interventions, make_case


@pytest.fixture(scope="module")
def fts() -> sqlcipher3.Connection:
    conn = sqlcipher3.connect(":memory:")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(title, body, "
        "tokenize = \"unicode61 remove_diacritics 2 categories 'L* N* Co M*'\")"
    )
    conn.execute("INSERT INTO t VALUES ('Kiln owner', 'The kiln \"OR\" NEAR the road')")
    return conn


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_makes_a_valid_fts5_query(fts: sqlcipher3.Connection, typed: str) -> None:
    terms = parse_search(typed)
    if not terms:
        return
    fts.execute("SELECT rowid FROM t WHERE t MATCH ?", (fts5_match(terms),)).fetchall()


def test_syntax_words_match_as_words(fts: sqlcipher3.Connection) -> None:
    def hits(typed: str) -> list[int]:
        rows = fts.execute(
            "SELECT rowid FROM t WHERE t MATCH ?", (fts5_match(parse_search(typed)),)
        )
        return [r[0] for r in rows]

    assert hits("OR") == [1]
    assert hits("near road") == [1]
    # The phrase "title kiln", not a column filter (which would have matched).
    assert hits("title:kiln") == []
    assert hits("owner*") == [1]
    assert hits("own") == []


def test_tsquery_text_quotes_every_lexeme() -> None:
    assert tsquery_text(parse_search("S-IN-0042 counsel*")) == (
        "('s' <-> 'in' <-> '0042') & ('counsel':*)"
    )


def test_drift_filter_names_only_search_objects() -> None:
    assert not include_in_drift(None, "search_fts_data", "table", True, None)
    assert not include_in_drift(None, "search_refs", "table", True, None)
    assert not include_in_drift(None, "search_vector", "column", True, None)
    assert not include_in_drift(None, "ix_cases_search_vector", "index", True, None)
    assert include_in_drift(None, "interventions", "table", True, None)
    assert include_in_drift(None, "notes", "column", True, None)


def test_the_index_survives_a_backup_and_restore(file_org: Org, tmp_path: Path) -> None:
    org = file_org
    fc = make_case(org)
    interventions(org).log(fc.id, draft(fc, notes="Needle in the haystack"))
    backup = tmp_path / "backup.ijmbak"
    MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    interventions(org).log(fc.id, draft(fc, notes="Needle after the backup"))
    org.db.dispose()
    assert org.location.path is not None
    restore(org.location, backup, "admin", ADMIN_PASSWORD, kdf=FAST_KDF)
    result = login(org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    try:
        hits = SearchService(result.db, result.actor).search("needle").hits
        assert [h.snippet for h in hits] == ["[[Needle]] in the haystack"]
        # New writes go on being indexed in the restored file.
        InterventionService(result.db, result.actor).log(fc.id, draft(fc, notes="Needle once more"))
        assert len(SearchService(result.db, result.actor).search("needle").hits) == 2
        with result.db.engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM search_refs")).scalar()
        assert count is not None and count > 0
    finally:
        result.db.dispose()
