"""the caseworkers' records: consent, people in interventions, follow-ups, attachments, full-text search

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 14:00:00

Besides the tables of models.field and the identity's place of birth, this
makes the full-text search objects (see persistence/search_index.py; the DDL
is written out here so this revision never changes with that module):
on SQLite an FTS5 table, its stable document numbers and the triggers that
keep it in step; on PostgreSQL generated tsvector columns with GIN indexes.
Existing notes and case summaries are indexed, and the follow-up dates
already on interventions become open follow-ups.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import uuid6
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _record_columns() -> list[sa.Column[object]]:
    """The bookkeeping columns of every Record (persistence.base)."""
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    ]


_ONE_PERSON = (
    "(CASE WHEN survivor_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN accused_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN official_id IS NULL THEN 0 ELSE 1 END) = 1"
)

_SQLITE_SEARCH = [
    "CREATE TABLE search_refs (id INTEGER PRIMARY KEY, ref CHAR(32) NOT NULL UNIQUE)",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, kind UNINDEXED, ref UNINDEXED, case_id UNINDEXED,
        tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
    )""",
    "INSERT INTO search_fts(search_fts, rank) VALUES ('rank', 'bm25(2.0, 1.0)')",
    # Existing records: cases, and the interventions no later version replaces.
    "INSERT INTO search_refs(ref) SELECT id FROM cases",
    """INSERT INTO search_fts(rowid, title, body, kind, ref, case_id)
        SELECT r.id, c.title, c.summary, 'c', c.id, c.id
        FROM cases c JOIN search_refs r ON r.ref = c.id""",
    """INSERT INTO search_refs(ref) SELECT i.id FROM interventions i
        WHERE NOT EXISTS (SELECT 1 FROM interventions s WHERE s.supersedes_id = i.id)""",
    """INSERT INTO search_fts(rowid, title, body, kind, ref, case_id)
        SELECT r.id, i.outcome, i.notes, 'i', i.id, i.case_id
        FROM interventions i JOIN search_refs r ON r.ref = i.id""",
    """CREATE TRIGGER search_interventions_insert AFTER INSERT ON interventions BEGIN
        DELETE FROM search_fts
            WHERE rowid = (SELECT id FROM search_refs WHERE ref = NEW.supersedes_id);
        DELETE FROM search_refs WHERE ref = NEW.supersedes_id;
        INSERT INTO search_refs(ref) VALUES (NEW.id);
        INSERT INTO search_fts(rowid, title, body, kind, ref, case_id)
            VALUES ((SELECT id FROM search_refs WHERE ref = NEW.id),
                    NEW.outcome, NEW.notes, 'i', NEW.id, NEW.case_id);
    END""",
    """CREATE TRIGGER search_interventions_update
        AFTER UPDATE OF outcome, notes, case_id ON interventions BEGIN
        UPDATE search_fts SET title = NEW.outcome, body = NEW.notes, case_id = NEW.case_id
            WHERE rowid = (SELECT id FROM search_refs WHERE ref = NEW.id);
    END""",
    """CREATE TRIGGER search_interventions_delete AFTER DELETE ON interventions BEGIN
        DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_refs WHERE ref = OLD.id);
        DELETE FROM search_refs WHERE ref = OLD.id;
    END""",
    """CREATE TRIGGER search_cases_insert AFTER INSERT ON cases BEGIN
        INSERT INTO search_refs(ref) VALUES (NEW.id);
        INSERT INTO search_fts(rowid, title, body, kind, ref, case_id)
            VALUES ((SELECT id FROM search_refs WHERE ref = NEW.id),
                    NEW.title, NEW.summary, 'c', NEW.id, NEW.id);
    END""",
    """CREATE TRIGGER search_cases_update AFTER UPDATE OF title, summary ON cases BEGIN
        UPDATE search_fts SET title = NEW.title, body = NEW.summary
            WHERE rowid = (SELECT id FROM search_refs WHERE ref = NEW.id);
    END""",
    """CREATE TRIGGER search_cases_delete AFTER DELETE ON cases BEGIN
        DELETE FROM search_fts WHERE rowid = (SELECT id FROM search_refs WHERE ref = OLD.id);
        DELETE FROM search_refs WHERE ref = OLD.id;
    END""",
]

_SQLITE_SEARCH_DROP = [
    "DROP TRIGGER IF EXISTS search_interventions_insert",
    "DROP TRIGGER IF EXISTS search_interventions_update",
    "DROP TRIGGER IF EXISTS search_interventions_delete",
    "DROP TRIGGER IF EXISTS search_cases_insert",
    "DROP TRIGGER IF EXISTS search_cases_update",
    "DROP TRIGGER IF EXISTS search_cases_delete",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_refs",
]


def _pg_vector(title: str, body: str) -> str:
    # 'simple': lower-cased words, no stemming, so no language is favoured.
    return (
        f"setweight(to_tsvector('simple'::regconfig, coalesce({title}, '')), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, coalesce({body}, '')), 'B')"
    )


_PG_SEARCH = [
    "ALTER TABLE interventions ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({_pg_vector('outcome', 'notes')}) STORED",
    "CREATE INDEX ix_interventions_search_vector ON interventions USING gin (search_vector)",
    "ALTER TABLE cases ADD COLUMN search_vector tsvector "
    f"GENERATED ALWAYS AS ({_pg_vector('title', 'summary')}) STORED",
    "CREATE INDEX ix_cases_search_vector ON cases USING gin (search_vector)",
]

_PG_SEARCH_DROP = [
    "DROP INDEX IF EXISTS ix_cases_search_vector",
    "ALTER TABLE cases DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS ix_interventions_search_vector",
    "ALTER TABLE interventions DROP COLUMN IF EXISTS search_vector",
]


def _create_tables() -> None:
    op.create_table(
        "consents",
        sa.Column("survivor_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("organization_name", sa.String(length=200), nullable=False),
        sa.Column("given_by", sa.String(length=40), nullable=False),
        sa.Column("child_assent", sa.Boolean(), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["institutions.id"],
            name=op.f("fk_consents_organization_id_institutions"),
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"], ["survivors.id"], name=op.f("fk_consents_survivor_id_survivors")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_survivor_id_scope", "consents", ["survivor_id", "scope"])

    op.create_table(
        "intervention_people",
        sa.Column("intervention_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("survivor_id", sa.Uuid(), nullable=True),
        sa.Column("accused_id", sa.Uuid(), nullable=True),
        sa.Column("official_id", sa.Uuid(), nullable=True),
        *_record_columns(),
        sa.CheckConstraint(_ONE_PERSON, name=op.f("ck_intervention_people_one_person")),
        sa.ForeignKeyConstraint(
            ["accused_id"], ["accused.id"], name=op.f("fk_intervention_people_accused_id_accused")
        ),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["interventions.id"],
            name=op.f("fk_intervention_people_intervention_id_interventions"),
        ),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["partner_officials.id"],
            name=op.f("fk_intervention_people_official_id_partner_officials"),
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["survivors.id"],
            name=op.f("fk_intervention_people_survivor_id_survivors"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intervention_people")),
    )
    for column in ("intervention_id", "survivor_id", "accused_id", "official_id"):
        op.create_index(
            op.f(f"ix_intervention_people_{column}"), "intervention_people", [column]
        )

    op.create_table(
        "follow_ups",
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("intervention_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_to_id", sa.Uuid(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("completed_by_id", sa.Uuid(), nullable=True),
        sa.Column("replaced_by_id", sa.Uuid(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["assigned_to_id"], ["users.id"], name=op.f("fk_follow_ups_assigned_to_id_users")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_follow_ups_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["completed_by_id"],
            ["interventions.id"],
            name=op.f("fk_follow_ups_completed_by_id_interventions"),
        ),
        sa.ForeignKeyConstraint(
            ["intervention_id"],
            ["interventions.id"],
            name=op.f("fk_follow_ups_intervention_id_interventions"),
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["follow_ups.id"],
            name=op.f("fk_follow_ups_replaced_by_id_follow_ups"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_ups")),
    )
    op.create_index("ix_follow_ups_my_day", "follow_ups", ["assigned_to_id", "state", "due_on"])
    op.create_index("ix_follow_ups_case_id_due_on", "follow_ups", ["case_id", "due_on"])
    op.create_index(op.f("ix_follow_ups_intervention_id"), "follow_ups", ["intervention_id"])

    op.create_table(
        "attachments",
        sa.Column("owner_kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("blob_id", sa.String(length=32), nullable=False),
        sa.Column("blob_owner", sa.String(length=80), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_attachments_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
        sa.UniqueConstraint("blob_id", name=op.f("uq_attachments_blob_id")),
    )
    op.create_index("ix_attachments_owner", "attachments", ["owner_kind", "owner_id"])
    op.create_index(op.f("ix_attachments_case_id"), "attachments", ["case_id"])

    op.create_table(
        "person_merges",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("kept_id", sa.Uuid(), nullable=False),
        sa.Column("merged_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moved", sa.Text(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.Uuid(), nullable=True),
        sa.Column("undo_reason", sa.Text(), nullable=False),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merges")),
    )
    op.create_index(op.f("ix_person_merges_kept_id"), "person_merges", ["kept_id"])
    op.create_index(op.f("ix_person_merges_merged_id"), "person_merges", ["merged_id"])

    # Plain ADD COLUMN (SQLite can do it in place; batch mode would copy the table).
    op.add_column(
        "survivor_identities",
        sa.Column("place_of_birth", sa.String(length=200), nullable=False, server_default=""),
    )


def _open_existing_follow_ups() -> None:
    """A follow-up date already on the latest version of an intervention
    becomes an open follow-up of the staff member who did the work."""
    conn = op.get_bind()
    interventions = sa.table(
        "interventions",
        sa.column("id", sa.Uuid()),
        sa.column("case_id", sa.Uuid()),
        sa.column("staff_user_id", sa.Uuid()),
        sa.column("created_by", sa.Uuid()),
        sa.column("follow_up_on", sa.Date()),
        sa.column("supersedes_id", sa.Uuid()),
        sa.column("deleted_at", sa.DateTime(timezone=True)),
    )
    later = interventions.alias("later")
    follow_ups = sa.table(
        "follow_ups",
        *(
            sa.column(name, type_)
            for name, type_ in (
                ("id", sa.Uuid()),
                ("created_at", sa.DateTime(timezone=True)),
                ("updated_at", sa.DateTime(timezone=True)),
                ("created_by", sa.Uuid()),
                ("updated_by", sa.Uuid()),
                ("version", sa.Integer()),
                ("deleted_at", sa.DateTime(timezone=True)),
                ("case_id", sa.Uuid()),
                ("intervention_id", sa.Uuid()),
                ("assigned_to_id", sa.Uuid()),
                ("due_on", sa.Date()),
                ("state", sa.String(40)),
                ("completed_by_id", sa.Uuid()),
                ("replaced_by_id", sa.Uuid()),
                ("closed_at", sa.DateTime(timezone=True)),
                ("note", sa.Text()),
            )
        ),
    )
    rows = conn.execute(
        sa.select(
            interventions.c.id,
            interventions.c.case_id,
            interventions.c.staff_user_id,
            interventions.c.created_by,
            interventions.c.follow_up_on,
        ).where(
            interventions.c.follow_up_on.is_not(None),
            interventions.c.deleted_at.is_(None),
            ~sa.exists().where(later.c.supersedes_id == interventions.c.id),
        )
    ).all()
    # SQLite keeps times as naive UTC text; PostgreSQL takes aware ones.
    now = datetime.now(UTC)
    if conn.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    batch = []
    for row in rows:
        batch.append(
            {
                "id": uuid.UUID(int=uuid6.uuid7().int),
                "created_at": now,
                "updated_at": now,
                "created_by": None,
                "updated_by": None,
                "version": 1,
                "deleted_at": None,
                "case_id": row.case_id,
                "intervention_id": row.id,
                "assigned_to_id": row.staff_user_id or row.created_by,
                "due_on": row.follow_up_on,
                "state": "open",
                "completed_by_id": None,
                "replaced_by_id": None,
                "closed_at": None,
                "note": "",
            }
        )
        if len(batch) == 5000:
            conn.execute(follow_ups.insert(), batch)
            batch = []
    if batch:
        conn.execute(follow_ups.insert(), batch)


def upgrade() -> None:
    _create_tables()
    _open_existing_follow_ups()
    statements = _SQLITE_SEARCH if op.get_bind().dialect.name == "sqlite" else _PG_SEARCH
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    statements = (
        _SQLITE_SEARCH_DROP if op.get_bind().dialect.name == "sqlite" else _PG_SEARCH_DROP
    )
    for statement in statements:
        op.execute(statement)
    with op.batch_alter_table("survivor_identities", schema=None) as batch_op:
        batch_op.drop_column("place_of_birth")
    op.drop_table("person_merges")
    op.drop_table("attachments")
    op.drop_table("follow_ups")
    op.drop_table("intervention_people")
    op.drop_table("consents")
