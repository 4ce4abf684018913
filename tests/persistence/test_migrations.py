"""The migration history, checked by pytest-alembic's standard tests on both
engines: one head, upgrade from nothing, models match the migrations (no
drift), and every step down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, create_engine

from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.migrate import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    head_revision,
    migrations_dir,
    script_revisions,
)

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


@pytest.fixture
def alembic_config() -> dict[str, Any]:
    return {"script_location": str(migrations_dir())}


@pytest.fixture
def alembic_engine(location: DatabaseLocation) -> Iterator[Engine]:
    # Plain SQLite stands in for SQLCipher here: the schema is the same and
    # the key changes nothing about migrations.
    url = f"sqlite:///{location.path}" if location.path else str(location.url)
    engine = create_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


def test_known_revisions_match_the_scripts() -> None:
    """Opening a database reads KNOWN_REVISIONS instead of importing Alembic;
    a new migration without its entry there would make it refuse its own
    databases as "too new"."""
    assert list(KNOWN_REVISIONS) == script_revisions()
    assert head_revision() == HEAD_REVISION
