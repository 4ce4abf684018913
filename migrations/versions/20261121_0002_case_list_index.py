"""case list index: open cases, newest first

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain create/drop index, not batch mode: SQLite can add an index in place, and
# a batch operation would copy the whole cases table to do it.
def upgrade() -> None:
    op.create_index("ix_cases_list_open", "cases", ["closed_on", "opened_on", "code"])


def downgrade() -> None:
    op.drop_index("ix_cases_list_open", table_name="cases")
