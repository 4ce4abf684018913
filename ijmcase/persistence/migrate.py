"""Schema versions: where a database stands against this build, and upgrading it.

The migrations live in the top-level ``migrations/`` folder (packaged as
``ijmcase/_migrations`` in a bundle). A database whose revision this build
does not know was written by a newer ijmcase and is refused untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from ijmcase.domain.errors import DatabaseTooNew, NotAnIjmcaseDatabase
from ijmcase.persistence import models  # noqa: F401  (registers the tables)
from ijmcase.persistence.base import Base
from ijmcase.persistence.search_index import include_in_drift

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "HEAD_REVISION",
    "KNOWN_REVISIONS",
    "SchemaStatus",
    "alembic_config",
    "drift",
    "schema_status",
    "upgrade",
]

# Every revision in migrations/versions, oldest first. Opening a database only
# needs to know these, and reading them from here spares every start-up the
# import of Alembic (and Mako); a test checks the list against Alembic's.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
HEAD_REVISION = KNOWN_REVISIONS[-1]


def migrations_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_migrations", here.parent / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise RuntimeError("the ijmcase migrations folder is missing from this installation")


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str
    known: bool

    @property
    def needs_upgrade(self) -> bool:
        return self.current != self.head


def head_revision() -> str:
    """The head according to Alembic's scripts (tests compare it with ours)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def script_revisions() -> list[str]:
    """Every revision Alembic finds, oldest first."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def schema_status(connection: Connection, *, where: str) -> SchemaStatus:
    """Raise for a foreign or too-new database; otherwise say where it stands."""
    head = HEAD_REVISION
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        if tables:
            raise NotAnIjmcaseDatabase(f"{where} is a database, but not an ijmcase database.")
        return SchemaStatus(current=None, head=head, known=True)
    heads = list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    if len(heads) != 1:
        raise NotAnIjmcaseDatabase(f"{where} has no single schema version; it is damaged.")
    current = str(heads[0])
    if current not in KNOWN_REVISIONS:
        raise DatabaseTooNew(
            f"{where} was written by a newer version of ijmcase (schema {current}); this "
            f"version knows up to {head}. Install the newer ijmcase to open it. Nothing "
            "was changed."
        )
    return SchemaStatus(current=current, head=head, known=True)


def upgrade(connection: Connection, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def drift(connection: Connection) -> list[object]:
    """Differences between the models and the database (empty when in step)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    ctx = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_object": include_in_drift}
    )
    return list(compare_metadata(ctx, Base.metadata))
