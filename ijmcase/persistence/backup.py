"""Backups of an encrypted database: one self-describing file.

A backup is a zip holding ``manifest.json`` (format, ijmcase version, schema
revision, database id, time, SHA-256 and size of the database copy), the
encrypted database copy and its key store. The copy is made with SQLCipher's
``sqlcipher_export`` inside one read transaction, so it is consistent while
the app keeps working, and it stays encrypted under the same key: a backup
is no easier to read than the database.

Writing goes to a temporary file renamed into place, so a failed backup
leaves nothing behind. Reading refuses anything that is not an ijmcase
backup, or whose copy does not match its checksum.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ijmcase import __version__
from ijmcase.domain.errors import BackupError, DiskFull, StorageError
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.database import Database, database_files, timestamp_slug
from ijmcase.persistence.failures import storage_errors
from ijmcase.persistence.keystore import keystore_path

__all__ = [
    "BACKUP_SUFFIX",
    "BackupManifest",
    "extract_backup",
    "read_manifest",
    "replace_database_files",
    "write_backup",
]

BACKUP_FORMAT = "ijmcase-backup"
BACKUP_FORMAT_VERSION = 1
BACKUP_SUFFIX = ".ijmbackup"
_DB_MEMBER = "database.sqlcipher"
_KEYS_MEMBER = "database.keys"
_MANIFEST = "manifest.json"


@dataclass(frozen=True)
class BackupManifest:
    app_version: str
    schema_revision: str | None
    database_id: str
    created_at: str
    sha256: str
    size: int
    source: str


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


@contextlib.contextmanager
def _os_errors(where: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if exc.errno in (28, 122):  # ENOSPC, EDQUOT
            raise DiskFull(
                f"The disk is full: the backup {where} could not be written. Nothing was left "
                "behind; free some space and try again."
            ) from exc
        raise StorageError(f"Could not write {where}: {exc.strerror}.") from exc


def write_backup(db: Database, dest: Path) -> BackupManifest:
    """Write a consistent encrypted copy of ``db`` to ``dest``."""
    if db.kind != "sqlcipher" or db.key is None or db.keystore is None:
        raise BackupError(
            "Back up a PostgreSQL database with the server's own tools (pg_dump); "
            "'ijmcase db backup' copies the encrypted file database."
        )
    dest = dest.expanduser().absolute()
    if dest.is_dir():
        raise BackupError(f"{dest} is a folder; give the backup a file name.")
    if not dest.parent.is_dir():
        raise BackupError(f"The folder {dest.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix=".ijmcase-backup-", dir=dest.parent) as tmp:
        copy = Path(tmp) / _DB_MEMBER
        with storage_errors(db.display):
            raw = db.engine.raw_connection()
            try:
                # The driver is in autocommit mode: ATTACH and DETACH must be outside
                # a transaction, the export inside one, so the copy is one snapshot.
                cur = raw.cursor()
                cur.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{db.key.hex()}'\"", (str(copy),))
                try:
                    cur.execute("BEGIN")
                    cur.execute("SELECT sqlcipher_export('backup')")
                    cur.execute("COMMIT")
                finally:
                    cur.execute("DETACH DATABASE backup")
                    cur.close()
            finally:
                raw.close()
        revision = _schema_revision(db)
        manifest = BackupManifest(
            app_version=__version__,
            schema_revision=revision,
            database_id=db.keystore.database_id,
            created_at=utcnow().isoformat(),
            sha256=_sha256(copy),
            size=copy.stat().st_size,
            source=db.display,
        )
        staging = Path(tmp) / "backup.zip"
        with _os_errors(dest):
            with zipfile.ZipFile(staging, "w", compression=zipfile.ZIP_STORED) as zf:
                zf.writestr(
                    _MANIFEST,
                    json.dumps(
                        {
                            "format": BACKUP_FORMAT,
                            "format_version": BACKUP_FORMAT_VERSION,
                            **manifest.__dict__,
                        },
                        indent=2,
                    ),
                )
                zf.write(copy, _DB_MEMBER)
                zf.write(db.keystore.path, _KEYS_MEMBER)
            with staging.open("rb") as fh:
                os.fsync(fh.fileno())
            os.replace(staging, dest)
    return manifest


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} is not an ijmcase backup: {why}. Nothing was changed.")


def read_manifest(path: Path) -> BackupManifest:
    """Check that ``path`` is a whole ijmcase backup; return its manifest."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if _MANIFEST not in names:
                raise _not_a_backup(path, "it has no manifest")
            try:
                raw: Any = json.loads(zf.read(_MANIFEST))
            except ValueError:
                raise _not_a_backup(path, "its manifest is damaged") from None
            if not isinstance(raw, dict) or raw.get("format") != BACKUP_FORMAT:
                raise _not_a_backup(path, "its manifest is of another program")
            if int(raw.get("format_version", 0)) > BACKUP_FORMAT_VERSION:
                raise BackupError(
                    f"{path} was written by a newer version of ijmcase; install it to restore."
                )
            if not {_DB_MEMBER, _KEYS_MEMBER} <= names:
                raise _not_a_backup(path, "the database or its key store is missing from it")
            try:
                manifest = BackupManifest(
                    **{k: raw[k] for k in BackupManifest.__dataclass_fields__}
                )
            except (KeyError, TypeError):
                raise _not_a_backup(path, "its manifest is incomplete") from None
            digest = hashlib.sha256()
            with zf.open(_DB_MEMBER) as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != manifest.sha256:
                raise BackupError(
                    f"The backup {path} is damaged: its database does not match its checksum. "
                    "Nothing was changed."
                )
    except zipfile.BadZipFile:
        raise _not_a_backup(path, "it is not a backup archive") from None
    except OSError as exc:
        raise BackupError(f"{path} cannot be read: {exc.strerror}.") from exc
    return manifest


def extract_backup(path: Path, folder: Path, name: str = "restored.db") -> Path:
    """Unpack a checked backup into ``folder`` as ``name`` and ``name.keys``."""
    read_manifest(path)
    target = folder / name
    with zipfile.ZipFile(path) as zf, _os_errors(target):
        with zf.open(_DB_MEMBER) as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        with zf.open(_KEYS_MEMBER) as src, keystore_path(target).open("wb") as out:
            shutil.copyfileobj(src, out)
    return target


def replace_database_files(extracted: Path, target: Path) -> Path | None:
    """Put a restored database in place of ``target``; the files it replaces
    are kept beside it under a ``.before-restore-<time>`` name, returned."""
    kept: Path | None = None
    stamp = timestamp_slug()
    with _os_errors(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            kept = target.with_name(f"{target.name}.before-restore-{stamp}")
            for f in database_files(target):
                if f.exists():
                    f.rename(kept.with_name(kept.name + f.name[len(target.name) :]))
        os.replace(extracted, target)
        os.replace(keystore_path(extracted), keystore_path(target))
    return kept
