"""Where the database is, and SQLAlchemy engines for it.

``--db`` takes a file path (an SQLCipher-encrypted SQLite file) or an
SQLAlchemy URL for a shared PostgreSQL server. A file engine is keyed with
the raw 32-byte key (no per-connection key derivation), runs in WAL mode so
a backup or a second window can read while the app writes, and opens write
transactions with ``BEGIN IMMEDIATE`` so two writers queue instead of one
failing half-way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import sqlcipher3
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import QueuePool

from ijmcase.domain.errors import StorageError

__all__ = [
    "DB_ENV",
    "SQLITE_HEADER",
    "DatabaseLocation",
    "default_database_path",
    "locate",
    "postgres_engine",
    "sqlcipher_engine",
]

DB_ENV = "IJMCASE_DB"
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_OPTION = "ijmcase_write"


def default_database_path() -> Path:
    return Path(user_data_dir("ijmcase", appauthor=False)) / "ijmcase.db"


@dataclass(frozen=True)
class DatabaseLocation:
    """A parsed ``--db``: an encrypted file, or a PostgreSQL server URL."""

    kind: Literal["sqlcipher", "postgresql"]
    path: Path | None = None
    url: str | None = None

    @property
    def display(self) -> str:
        """For the status bar and messages: never shows a password."""
        if self.path is not None:
            return str(self.path)
        assert self.url is not None
        return make_url(self.url).render_as_string(hide_password=True)


def locate(target: str | None) -> DatabaseLocation:
    target = target or os.environ.get(DB_ENV) or str(default_database_path())
    if "://" in target:
        try:
            url = make_url(target)
        except ArgumentError:
            raise StorageError(f"'{target}' is not a database URL ijmcase understands.") from None
        if url.get_backend_name() == "postgresql":
            if url.get_driver_name() not in ("psycopg", ""):
                raise StorageError("Use a postgresql+psycopg:// URL for a PostgreSQL server.")
            return DatabaseLocation(
                "postgresql",
                url=url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False),
            )
        if url.get_backend_name() == "sqlite" and url.database:
            return DatabaseLocation("sqlcipher", path=Path(url.database).expanduser().absolute())
        raise StorageError(
            f"ijmcase works with an encrypted file or a PostgreSQL server, not '{url.drivername}'."
        )
    return DatabaseLocation("sqlcipher", path=Path(target).expanduser().absolute())


def _connect_sqlcipher(path: Path, key: bytes) -> Any:
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    # A wrong key is reported to the user as a clear error; keep SQLCipher's
    # own "hmac check failed" lines off the terminal.
    conn.execute("PRAGMA cipher_log_level = NONE")
    # A raw key skips SQLCipher's own (slow) key derivation: ours was Argon2id.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def sqlcipher_engine(path: Path, key: bytes, *, create: bool = False) -> Engine:
    if not create and not path.exists():
        raise StorageError(f"There is no database at {path}.")
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: _connect_sqlcipher(path, key),
        module=sqlcipher3.dbapi2,
        # The URL names no file, so say which pool a file database wants.
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA journal_mode = WAL")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # The driver runs in autocommit mode so we choose how to begin.
        if conn.get_execution_options().get(WRITE_OPTION):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def postgres_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, pool_size=4, max_overflow=4)
