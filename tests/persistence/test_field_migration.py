"""Migration 0004 on a database that already has cases and interventions
(both engines): their text is indexed for search, the follow-up date on the
latest version of an intervention becomes an open follow-up, and going back
down removes the new tables and the search objects again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, text

from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.migrate import alembic_config, upgrade

WHEN = datetime(2025, 3, 1, 9, tzinfo=UTC)


@pytest.fixture
def engine(location: DatabaseLocation) -> Iterator[Engine]:
    # Plain SQLite stands in for SQLCipher, as in test_migrations.py.
    url = f"sqlite:///{location.path}" if location.path else str(location.url)
    made = create_engine(url)
    try:
        yield made
    finally:
        made.dispose()


def _insert(conn: sa.Connection, table: str, values: dict[str, Any]) -> uuid.UUID:
    """One row with the bookkeeping columns filled, as revision 0003 knows it."""
    sqlite = conn.dialect.name == "sqlite"
    row_id = uuid.uuid4()
    row: dict[str, Any] = {
        "id": row_id,
        "created_at": WHEN.replace(tzinfo=None) if sqlite else WHEN,
        "updated_at": WHEN.replace(tzinfo=None) if sqlite else WHEN,
        "created_by": None,
        "updated_by": None,
        "version": 1,
        "deleted_at": None,
        **values,
    }
    if sqlite:
        # What the Uuid type stores on SQLite: 32 hex digits.
        row = {k: v.hex if isinstance(v, uuid.UUID) else v for k, v in row.items()}
    conn.execute(sa.insert(sa.table(table, *(sa.column(c) for c in row))), [row])
    return row_id


def _older_database(conn: sa.Connection) -> None:
    upgrade(conn, "0003")
    case_id = _insert(
        conn,
        "cases",
        {
            "code": "IN-2025-0001",
            "title": "Brick kiln bonded labour",
            "violence_type": "forced_labour",
            "country": "IN",
            "jurisdiction": "",
            "office_id": None,
            "opened_on": date(2025, 3, 1),
            "closed_on": None,
            "closure_reason": None,
            "risk_level": "high",
            "sensitivity": "standard",
            "lead_caseworker_id": None,
            "lead_lawyer_id": None,
            "summary": "Eleven workers held at a kiln.",
        },
    )
    first: uuid.UUID | None = None
    for notes, follow_up in (
        ("Visted the kiln", date(2025, 4, 1)),
        ("Visited the kiln again", date(2025, 4, 2)),
    ):
        first = _insert(
            conn,
            "interventions",
            {
                "case_id": case_id,
                "survivor_id": None,
                "type": "home_visit",
                "stage": "rescue",
                "occurred_at": WHEN.replace(tzinfo=None) if conn.dialect.name == "sqlite" else WHEN,
                "duration_minutes": 30,
                "staff_user_id": None,
                "location": "",
                "outcome": "Done",
                "notes": notes,
                "follow_up_on": follow_up,
                # The second is a correction of the first.
                "supersedes_id": first,
            },
        )


def test_existing_records_are_indexed_and_follow_ups_opened(engine: Engine) -> None:
    with engine.begin() as conn:
        _older_database(conn)
        upgrade(conn, "0004")
        due = conn.execute(text("SELECT due_on, state FROM follow_ups")).all()
        assert [(str(d), s) for d, s in due] == [("2025-04-02", "open")]
        if conn.dialect.name == "sqlite":
            found = conn.execute(
                text(
                    "SELECT kind, body FROM search_fts WHERE search_fts MATCH 'kiln' ORDER BY kind"
                )
            ).all()
            # The corrected version only: the typo is not in the index.
            assert found == [
                ("c", "Eleven workers held at a kiln."),
                ("i", "Visited the kiln again"),
            ]
        else:
            found = conn.execute(
                text(
                    "SELECT notes FROM interventions "
                    "WHERE search_vector @@ to_tsquery('simple', 'kiln') ORDER BY notes"
                )
            ).all()
            # Both versions carry a vector; the search service keeps the latest.
            assert [r[0] for r in found] == ["Visited the kiln again", "Visted the kiln"]
        command.downgrade(alembic_config(conn), "0003")
        names = set(inspect(conn).get_table_names())
        assert "follow_ups" not in names and "consents" not in names
        assert not any(n.startswith("search_") for n in names)
        columns = {c["name"] for c in inspect(conn).get_columns("interventions")}
        assert "search_vector" not in columns
        identity = {c["name"] for c in inspect(conn).get_columns("survivor_identities")}
        assert "place_of_birth" not in identity
