"""Schema versions: where a database stands against this build, and upgrading it.

The migrations live in the top-level ``migrations/`` folder (packaged as
``ijmcase/_migrations`` in a bundle). A database whose revision this build
does not know was written by a newer ijmcase and is refused untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from ijmcase.domain.errors import DatabaseTooNew, NotAnIjmcaseDatabase
from ijmcase.persistence import models  # noqa: F401  (registers the tables)
from ijmcase.persistence.base import Base

__all__ = ["SchemaStatus", "alembic_config", "drift", "schema_status", "upgrade"]


def migrations_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_migrations", here.parent / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise RuntimeError("the ijmcase migrations folder is missing from this installation")


def alembic_config(connection: Connection | None = None) -> Config:
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
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def schema_status(connection: Connection, *, where: str) -> SchemaStatus:
    """Raise for a foreign or too-new database; otherwise say where it stands."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    tables = set(inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        if tables:
            raise NotAnIjmcaseDatabase(f"{where} is a database, but not an ijmcase database.")
        return SchemaStatus(current=None, head=head, known=True)
    heads = MigrationContext.configure(connection).get_current_heads()
    if len(heads) != 1:
        raise NotAnIjmcaseDatabase(f"{where} has no single schema version; it is damaged.")
    current = heads[0]
    try:
        known = script.get_revision(current) is not None
    except Exception:
        known = False
    if not known:
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
    ctx = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(ctx, Base.metadata))
