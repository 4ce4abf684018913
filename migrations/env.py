"""Alembic environment shared by SQLite/SQLCipher and PostgreSQL.

The application passes an open connection in ``config.attributes`` (an
SQLCipher connection needs its key, which no URL carries); the ``alembic``
command line falls back to the URL in alembic.ini.
"""

from __future__ import annotations

from typing import Literal

from alembic import context
from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    String,
    TypeDecorator,
    engine_from_config,
    pool,
)

import ijmcase.persistence.models  # noqa: F401  (registers the tables)
from ijmcase.persistence.base import Base
from ijmcase.persistence.search_index import include_in_drift

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: object, autogen_context: object) -> str | Literal[False]:
    """Write the application's column types as their plain SQL types, so old
    revisions never depend on today's Python classes."""
    if type_ == "type" and isinstance(obj, TypeDecorator):
        impl = obj.impl_instance
        if isinstance(impl, DateTime):
            return f"sa.DateTime(timezone={impl.timezone})"
        if isinstance(impl, String):
            return f"sa.String(length={impl.length})"
    return False


def _configure(**kwargs: object) -> None:
    context.configure(
        target_metadata=target_metadata,
        render_item=_render_item,
        # SQLite cannot ALTER columns in place; batch mode rebuilds the table.
        render_as_batch=True,
        compare_type=True,
        # The full-text search objects are engine-specific and not models.
        include_object=include_in_drift,
        **kwargs,  # type: ignore[arg-type]
    )


def run_migrations_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        _configure(connection=given)
        with context.begin_transaction():
            context.run_migrations()
        return
    # pytest-alembic hands over an Engine; the alembic command has only a URL.
    engine = (
        given
        if isinstance(given, Engine)
        else engine_from_config(
            config.get_section(config.config_ini_section, {}),
            prefix="sqlalchemy.",
            poolclass=pool.NullPool,
        )
    )
    with engine.connect() as conn:
        _configure(connection=conn)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
