"""Creating and opening a database: the encrypted file or the shared server.

``Database`` bundles what the services need (the engine and a session
factory) with what maintenance needs (where it is; for a file, its key and
key store). Opening checks, in order: the file is there and is not a plain
or foreign file; the key opens it; the schema is one this build knows (a
newer one is refused untouched, an older one is backed up, then upgraded);
the key store belongs to this database.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ijmcase.domain.errors import (
    DatabaseCorrupt,
    DatabaseExists,
    DatabaseMissing,
    NotAnIjmcaseDatabase,
    StorageError,
)
from ijmcase.persistence import migrate
from ijmcase.persistence.base import new_id, utcnow
from ijmcase.persistence.engine import (
    SQLITE_HEADER,
    WRITE_OPTION,
    DatabaseLocation,
    postgres_engine,
    sqlcipher_engine,
)
from ijmcase.persistence.failures import storage_errors, translate
from ijmcase.persistence.keystore import KEY_BYTES, KdfParams, Keystore, keystore_path
from ijmcase.persistence.models import Setting

__all__ = [
    "Database",
    "UpgradeReport",
    "create_database",
    "get_setting",
    "open_postgres",
    "open_sqlcipher",
    "probe_file",
    "set_setting",
]

# Names the server-wide lock that serializes ijmcase's write transactions.
WRITE_LOCK = 0x1A3C_0001
SETTING_DATABASE_ID = "database_id"
SETTING_DEMO = "demo"
SETTING_ORGANIZATION = "organization_name"
SETTING_CREATED_AT = "created_at"


@dataclass(frozen=True)
class UpgradeReport:
    from_revision: str | None
    to_revision: str
    backup: Path | None


@dataclass
class Database:
    location: DatabaseLocation
    engine: Engine
    key: bytes | None = None
    keystore: Keystore | None = None
    upgraded: UpgradeReport | None = None
    # Cost of new password wraps and hashes; tests lower it.
    kdf: KdfParams = field(default_factory=KdfParams)
    session_factory: sessionmaker[Session] = field(init=False)

    def __post_init__(self) -> None:
        self.session_factory = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def kind(self) -> str:
        return self.location.kind

    @property
    def display(self) -> str:
        return self.location.display

    def read_session(self) -> Session:
        return self.session_factory()

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back if it
        raises. A write transaction takes the write lock up front (SQLite), so
        concurrent writers queue rather than fail half-way."""
        with storage_errors(self.display):
            session = self.session_factory()
            try:
                conn = session.connection(execution_options={WRITE_OPTION: write})
                if write and conn.dialect.name == "postgresql":
                    # Writers queue, as on SQLite: codes numbered "max + 1" and the
                    # audit chain's next link are then computed by one writer at a time.
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
            finally:
                session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def get_setting(session: Session, key: str, default: Any = None) -> Any:
    row = session.get(Setting, key)
    return default if row is None else json.loads(row.value)


def set_setting(session: Session, key: str, value: Any, *, by: Any = None) -> None:
    row = session.get(Setting, key)
    encoded = json.dumps(value, sort_keys=True)
    if row is None:
        session.add(Setting(key=key, value=encoded, updated_by=by))
    else:
        row.value = encoded
        row.updated_by = by


def probe_file(path: Path) -> None:
    """Refuse, before any key is tried, what cannot be an ijmcase database."""
    if not path.exists():
        raise DatabaseMissing(
            f"There is no database at {path}. Create one with 'ijmcase init' or "
            "'ijmcase demo', or name another with --db."
        )
    if path.is_dir():
        raise NotAnIjmcaseDatabase(f"{path} is a folder, not a database file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StorageError(f"{path} cannot be read: {exc.strerror}.") from exc
    if head == SQLITE_HEADER:
        raise NotAnIjmcaseDatabase(
            f"{path} is a plain, unencrypted SQLite database, not an ijmcase database."
        )
    if len(head) < len(SQLITE_HEADER):
        raise NotAnIjmcaseDatabase(f"{path} is empty or truncated; it is not a usable database.")


def _check_readable(engine: Engine, where: str) -> None:
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as exc:
        mapped = translate(exc, where)
        raise (mapped or StorageError(f"{where} cannot be opened: {exc.orig}")) from exc


def _prepare_schema(
    db: Database,
    *,
    backup: Callable[[Database, str | None], Path | None] | None,
) -> None:
    where = db.display
    with storage_errors(where), db.engine.connect() as conn:
        status = migrate.schema_status(conn, where=where)
    if status.current is None:
        raise NotAnIjmcaseDatabase(f"{where} has no ijmcase tables; it is not an ijmcase database.")
    if not status.needs_upgrade:
        return
    backup_path = backup(db, status.current) if backup else None
    with storage_errors(where), db.engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite and raw is not None:
            # SQLite's batch mode rebuilds a table by copying it; with foreign
            # keys enforced each copied row is checked against every referring
            # table, which takes hours on a large file (Alembic's advice: switch
            # them off). The pragma only takes outside a transaction, so it is
            # set on the driver's connection before this one begins, and the
            # references are checked as a whole before the upgrade commits.
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(**{WRITE_OPTION: True}).begin():
                migrate.upgrade(conn)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise DatabaseCorrupt(
                            f"Upgrading {where} would leave {len(broken)} broken reference(s) "
                            f"(first in table {broken[0][0]}); nothing was changed."
                        )
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
    db.upgraded = UpgradeReport(status.current, status.head, backup_path)


def _check_identity(db: Database) -> None:
    if db.keystore is None:
        return
    with storage_errors(db.display), db.read_session() as session:
        stored = get_setting(session, SETTING_DATABASE_ID)
    if stored != db.keystore.database_id:
        raise NotAnIjmcaseDatabase(
            f"The key store beside {db.display} belongs to another database. Keep each "
            "database with its own .keys file."
        )


def open_sqlcipher(
    location: DatabaseLocation,
    key: bytes,
    keystore: Keystore,
    *,
    backup: Callable[[Database, str | None], Path | None] | None = None,
) -> Database:
    assert location.path is not None
    probe_file(location.path)
    engine = sqlcipher_engine(location.path, key)
    db = Database(location, engine, key=key, keystore=keystore)
    try:
        _check_readable(engine, location.display)
        _prepare_schema(db, backup=backup)
        _check_identity(db)
    except BaseException:
        engine.dispose()
        raise
    return db


def open_postgres(location: DatabaseLocation, *, upgrade: bool = True) -> Database:
    assert location.url is not None
    engine = postgres_engine(location.url)
    db = Database(location, engine)
    try:
        with storage_errors(f"the PostgreSQL server {location.display}"), engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if upgrade:
            _prepare_schema(db, backup=None)
    except BaseException:
        engine.dispose()
        raise
    return db


def refuse_existing_file(location: DatabaseLocation) -> None:
    """Creating over an existing file database is refused before anything else."""
    path = location.path
    if path is not None and (path.exists() or keystore_path(path).exists()):
        raise DatabaseExists(
            f"There is already a database at {path}. Choose another path, or remove it "
            "first if you really mean to start again."
        )


def create_database(location: DatabaseLocation, *, organization: str) -> Database:
    """Create an empty, current schema. For a file: a fresh random key and an
    empty key store (the caller adds the first wraps and saves it)."""
    database_id = str(new_id())
    if location.kind == "sqlcipher":
        assert location.path is not None
        path = location.path
        ks_path = keystore_path(path)
        refuse_existing_file(location)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from exc
        key = secrets.token_bytes(KEY_BYTES)
        engine = sqlcipher_engine(path, key, create=True)
        db = Database(location, engine, key=key, keystore=Keystore.create(ks_path, database_id))
    else:
        assert location.url is not None
        engine = postgres_engine(location.url)
        db = Database(location, engine)
        with storage_errors(location.display), engine.connect() as conn:
            status = migrate.schema_status(conn, where=location.display)
        if status.current is not None:
            engine.dispose()
            raise DatabaseExists(f"{location.display} already holds an ijmcase database.")
    try:
        with storage_errors(location.display), engine.begin() as conn:
            migrate.upgrade(conn)
        with db.transaction() as session:
            set_setting(session, SETTING_DATABASE_ID, database_id)
            set_setting(session, SETTING_ORGANIZATION, organization)
            set_setting(session, SETTING_CREATED_AT, utcnow().isoformat())
            set_setting(session, SETTING_DEMO, False)
    except BaseException:
        engine.dispose()
        if location.kind == "sqlcipher":
            _remove_database_files(location)
        raise
    return db


def _remove_database_files(location: DatabaseLocation) -> None:
    assert location.path is not None
    for suffix in ("", "-wal", "-shm", ".keys"):
        candidate = location.path.with_name(location.path.name + suffix)
        candidate.unlink(missing_ok=True)


def remove_failed_creation(db: Database) -> None:
    """Undo a creation that failed after the schema was written."""
    db.dispose()
    if db.kind == "sqlcipher":
        _remove_database_files(db.location)


def read_is_demo(db: Database) -> bool:
    with db.read_session() as session:
        return bool(get_setting(session, SETTING_DEMO, False))


def timestamp_slug(moment: datetime | None = None) -> str:
    return (moment or utcnow()).strftime("%Y%m%dT%H%M%SZ")


def database_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in ("", "-wal", "-shm", ".keys")]
