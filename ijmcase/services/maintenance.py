"""Database upkeep: verify, check the schema, back up and restore.

``verify`` checks the storage (SQLCipher's page authentication and SQLite's
integrity check on a file) and the audit chain, naming the first broken
link. ``restore`` works without the current database (it may be the damaged
thing being replaced): it checks the backup, logs in to the backup itself as
an admin, and only then swaps the files (the database, its key store and its
attachments folder), keeping the old ones beside them.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ijmcase.domain.enums import Role
from ijmcase.domain.errors import AccessDenied, BackupError, StorageError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence import migrate
from ijmcase.persistence.audit import ChainReport, append_event, verify_chain
from ijmcase.persistence.backup import (
    BackupManifest,
    extract_backup,
    read_manifest,
    replace_database_files,
    write_backup,
)
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.failures import storage_errors
from ijmcase.persistence.keystore import KdfParams
from ijmcase.persistence.models import User
from ijmcase.services.auth import login
from ijmcase.services.context import ServiceBase

__all__ = ["MaintenanceService", "RestoreReport", "SchemaReport", "VerifyReport", "restore"]


@dataclass(frozen=True)
class VerifyReport:
    storage_problems: tuple[str, ...]
    chain: ChainReport

    @property
    def ok(self) -> bool:
        return not self.storage_problems and self.chain.ok


@dataclass(frozen=True)
class SchemaReport:
    current: str | None
    head: str
    drift: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.current == self.head and not self.drift


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did. ``previous_kept_at`` is the replaced database,
    ``previous_blobs_kept_at`` its attachments folder (None: there was none,
    or the backup, of format 1, carried no attachments and the folder was
    left in place: see ``manifest.includes_blobs``)."""

    manifest: BackupManifest
    previous_kept_at: Path | None
    previous_blobs_kept_at: Path | None = None


class MaintenanceService(ServiceBase):
    def verify(self) -> VerifyReport:
        self._require(Permission.DB_MAINTAIN, "verify the database")
        problems: list[str] = []
        if self._db.kind == "sqlcipher":
            with storage_errors(self._db.display), self._db.engine.connect() as conn:
                # Every page's HMAC: finds tampering and damage SQLite alone would miss.
                for (line,) in conn.exec_driver_sql("PRAGMA cipher_integrity_check"):
                    problems.append(f"encryption: {line}")
                for (line,) in conn.exec_driver_sql("PRAGMA integrity_check"):
                    if line != "ok":
                        problems.append(f"structure: {line}")
                for row in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                    problems.append(
                        f"reference: {row[0]} row {row[1]} points to a missing {row[2]}"
                    )
        with self._read() as session:
            chain = verify_chain(session)
        with self._write() as session:
            self._audit(
                session,
                "db.verify",
                "database",
                details={
                    "ok": not problems and chain.ok,
                    "events": chain.events,
                    "first_broken": chain.first_broken_seq,
                },
            )
        return VerifyReport(tuple(problems), chain)

    def schema(self) -> SchemaReport:
        self._require(Permission.DB_MAINTAIN, "check the database")
        with storage_errors(self._db.display), self._db.engine.connect() as conn:
            status = migrate.schema_status(conn, where=self._db.display)
            drift = tuple(str(d) for d in migrate.drift(conn))
        return SchemaReport(status.current, status.head, drift)

    def backup(self, dest: Path) -> BackupManifest:
        self._require(Permission.DB_MAINTAIN, "back up the database")
        # Audit first, so the backup itself holds the record that it was taken.
        with self._write() as session:
            self._audit(session, "db.backup", "database", details={"to": str(dest)})
        return write_backup(self._db, dest)


def restore(
    location: DatabaseLocation,
    backup: Path,
    username: str,
    password: str,
    *,
    kdf: KdfParams | None = None,
) -> RestoreReport:
    """Replace the database at ``location`` with ``backup``. The person must be
    an active admin in the backup (the current database may be unreadable)."""
    if location.kind != "sqlcipher" or location.path is None:
        raise BackupError("Restore a PostgreSQL database with the server's own tools (pg_restore).")
    manifest = read_manifest(backup)
    target = location.path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".ijmcase-restore-", dir=target.parent))
    except OSError as exc:
        raise StorageError(f"Cannot write in {target.parent}: {exc.strerror}.") from exc
    try:
        extracted = extract_backup(backup, work)
        result = login(DatabaseLocation("sqlcipher", path=extracted), username, password, kdf=kdf)
        try:
            if result.actor.role is not Role.ADMIN:
                raise AccessDenied("Only an admin can restore a backup.", code="admin_only")
            with result.db.transaction() as session:
                admin = session.scalars(select(User).where(User.id == result.actor.user_id)).one()
                append_event(
                    session,
                    actor_id=admin.id,
                    actor_name=admin.username,
                    action="db.restore",
                    entity_type="database",
                    details={"from": str(backup), "backup_created_at": manifest.created_at},
                )
        finally:
            result.db.dispose()
        replaced = replace_database_files(extracted, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return RestoreReport(manifest, replaced.database_kept_at, replaced.blobs_kept_at)
