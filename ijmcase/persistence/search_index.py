"""Full-text search storage: the objects migration 0004 makes, and queries
written for each engine.

SQLite (SQLCipher encrypts these pages like every other):

- ``search_fts``, an FTS5 table with one document per current intervention
  (title: outcome, body: notes; kind ``i``) and per case (title, summary;
  kind ``c``), tokenized by ``unicode61`` with combining marks counted as
  letters (otherwise Devanagari and Khmer words fall apart into letters)
  and Latin accents folded; ranked by bm25 with the title weighing double.
- ``search_refs`` gives each document a stable integer: FTS5 addresses
  rows by integer, the records have UUIDs, and the tables' own rowids may
  be renumbered by VACUUM or a backup's export. ``id INTEGER PRIMARY KEY``
  is never renumbered.
- Triggers on ``interventions`` and ``cases`` keep the index in step with
  every writer (services, the demo's bulk path, other areas' code): a new
  version of an intervention replaces its predecessor's document, so search
  finds what the notes say now.

  A later migration that rebuilds ``interventions`` or ``cases`` in SQLite
  batch mode drops these triggers with the old table: it must recreate them
  (``tests/services/test_search.py`` checks they exist at head).

PostgreSQL: generated, stored ``search_vector`` columns on both tables
(``simple`` configuration: no stemming, so no language is favoured; title
weight A, body B) with GIN indexes.

None of these objects is a model; ``include_in_drift`` keeps them out of
the comparison between models and database.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text, Uuid, text

from ijmcase.domain.search_terms import SearchTerm

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "KIND_CASE",
    "KIND_INTERVENTION",
    "PG_VECTOR_COLUMN",
    "SQLITE_FTS_TABLE",
    "SQLITE_TRIGGERS",
    "fts5_match",
    "fts_table",
    "include_in_drift",
    "missing_sqlite_objects",
    "tsquery_text",
]

SQLITE_FTS_TABLE = "search_fts"
SQLITE_REFS_TABLE = "search_refs"
SQLITE_TRIGGERS = (
    "search_interventions_insert",
    "search_interventions_update",
    "search_interventions_delete",
    "search_cases_insert",
    "search_cases_update",
    "search_cases_delete",
)
PG_VECTOR_COLUMN = "search_vector"
PG_INDEXES = frozenset({"ix_interventions_search_vector", "ix_cases_search_vector"})
KIND_INTERVENTION = "i"
KIND_CASE = "c"
# Matched words are marked like this in titles and snippets.
HIGHLIGHT_START = "[["
HIGHLIGHT_END = "]]"

# The FTS5 table as SQLAlchemy sees it, for composing queries; kept out of
# Base.metadata so no one creates or compares it as a model.
fts_table = Table(
    SQLITE_FTS_TABLE,
    MetaData(),
    Column("rowid", Integer, primary_key=True),
    Column("title", Text),
    Column("body", Text),
    Column("kind", Text),
    Column("ref", Uuid),
    Column("case_id", Uuid),
)


def include_in_drift(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Alembic's ``include_object``: leave the search objects out."""
    if name is None:
        return True
    if type_ == "table":
        return not (name == SQLITE_REFS_TABLE or name.startswith(SQLITE_FTS_TABLE))
    if type_ == "column":
        return name != PG_VECTOR_COLUMN
    if type_ == "index":
        return name not in PG_INDEXES
    return True


def fts5_match(terms: Sequence[SearchTerm]) -> str:
    """An FTS5 MATCH expression: each term a quoted phrase (so nothing the
    person typed is read as syntax), all required."""
    parts = []
    for term in terms:
        # Words hold letters, digits and marks only, never a quote.
        phrase = " ".join(term.words).replace('"', '""')
        parts.append(f'"{phrase}"' + ("*" if term.prefix else ""))
    return " ".join(parts)


def tsquery_text(terms: Sequence[SearchTerm]) -> str:
    """A ``to_tsquery`` text: each term a phrase of quoted lexemes (``<->``),
    the last marked ``:*`` for a prefix, all terms joined by ``&``."""
    parts = []
    for term in terms:
        lexemes = ["'" + word.replace("'", "''").replace("\\", "\\\\") + "'" for word in term.words]
        if term.prefix:
            lexemes[-1] += ":*"
        parts.append("(" + " <-> ".join(lexemes) + ")")
    return " & ".join(parts)


def missing_sqlite_objects(connection: Connection) -> list[str]:
    """The search tables and triggers an SQLite database lacks (empty when whole)."""
    present = {
        row[0]
        for row in connection.execute(
            text("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        )
    }
    wanted = (SQLITE_FTS_TABLE, SQLITE_REFS_TABLE, *SQLITE_TRIGGERS)
    return [name for name in wanted if name not in present]
