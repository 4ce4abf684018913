"""Backups of an encrypted database: one self-describing file.

A backup is a zip holding:

- ``manifest.json``: format and format version, ijmcase version, schema
  revision, database id, time, SHA-256 and size of the database copy, and
  (from format 2) the attachment files: their count, total size, and each
  one's name, size and SHA-256;
- ``database.sqlcipher``, the encrypted database copy, and ``database.keys``,
  its key store;
- ``blobs/<id>.blob``: every sealed attachment file of the database's
  attachments folder (``blobs.blobs_folder``), copied as it is. They are
  sealed under keys derived from the database key, so they are never opened
  here, and stored uncompressed (encrypted bytes do not compress).

The database copy is made with SQLCipher's ``sqlcipher_export`` inside one
read transaction, so it is consistent while the app keeps working, and it
stays encrypted under the same key: a backup is no easier to read than the
database. The attachments folder is listed after that snapshot: blob files
are only ever added under new ids (a retired attachment keeps its file), so
every blob a row of the snapshot names is already there. A blob added after
the snapshot is carried too, unused and harmless; one erased after it (as
the law may require) is left out, as it is gone from the live database too.

Not in a backup: drafts (``drafts_store``, ``<database>.drafts/``). They are
each user's unsaved work in progress on this laptop, not records; a restore
leaves them where they are.

Writing goes to a temporary file renamed into place, so a failed backup
leaves nothing behind; files are streamed, never read whole into memory.
Reading refuses anything that is not an ijmcase backup, or whose database or
any attachment file is missing or does not match its checksum. Format 1
backups (before attachments were carried) are still read and restored; they
leave the attachments folder beside the database as it is.

Restoring (``extract_backup`` then ``replace_database_files``) moves the
current files aside under a ``.before-restore-<time>`` name and the restored
ones into place, in an order that is undone if a rename fails, so a failure
never leaves the database without either its old or its new files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeGuard

from ijmcase import __version__
from ijmcase.domain.errors import BackupError, DiskFull, StorageError
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.blobs import BLOB_EXT, blobs_folder
from ijmcase.persistence.database import Database, database_files, timestamp_slug
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.failures import storage_errors
from ijmcase.persistence.keystore import keystore_path
from ijmcase.persistence.sealing import ensure_private_folder, fsync_folder, storage_error

__all__ = [
    "BACKUP_FORMAT_VERSION",
    "BACKUP_SUFFIX",
    "BackupBlob",
    "BackupManifest",
    "ReplacedFiles",
    "extract_backup",
    "read_manifest",
    "replace_database_files",
    "write_backup",
]

BACKUP_FORMAT = "ijmcase-backup"
# 1: database and key store. 2: and the attachment files.
BACKUP_FORMAT_VERSION = 2
FIRST_FORMAT_WITH_BLOBS = 2
BACKUP_SUFFIX = ".ijmbackup"
_DB_MEMBER = "database.sqlcipher"
_KEYS_MEMBER = "database.keys"
_MANIFEST = "manifest.json"
_BLOBS_PREFIX = "blobs/"
_BLOCK = 1 << 20
# Only what BlobStore writes: a name from a backup becomes a file name on
# restore, so nothing that could be a path (or a hidden partial write) passes.
_BLOB_NAME_RE = re.compile(r"^[0-9a-f]{32}" + re.escape(BLOB_EXT) + r"$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class BackupBlob:
    """One attachment file in a backup: its name in the attachments folder."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BackupManifest:
    app_version: str
    schema_revision: str | None
    database_id: str
    created_at: str
    sha256: str
    size: int
    source: str
    format_version: int = BACKUP_FORMAT_VERSION
    blobs: tuple[BackupBlob, ...] = ()

    @property
    def includes_blobs(self) -> bool:
        """False for a format 1 backup, which predates carrying attachments."""
        return self.format_version >= FIRST_FORMAT_WITH_BLOBS

    @property
    def blob_count(self) -> int:
        return len(self.blobs)

    @property
    def blob_size(self) -> int:
        return sum(b.size for b in self.blobs)


@dataclass(frozen=True)
class ReplacedFiles:
    """Where the files a restore replaced were kept (None: there were none)."""

    database_kept_at: Path | None
    blobs_kept_at: Path | None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _schema_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return None if row is None else str(row[0])


def _blobs_beside(database: Path) -> Path:
    return blobs_folder(DatabaseLocation("sqlcipher", path=database))


def _blob_member(name: str) -> str:
    return _BLOBS_PREFIX + name


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


def _blob_files(folder: Path) -> list[Path]:
    """The sealed attachment files in ``folder``, by name; none if it is absent."""
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise StorageError(
            f"Could not read the attachments folder {folder}: {exc.strerror}. "
            "No backup was written."
        ) from exc
    return sorted(
        (Path(e.path) for e in entries if _BLOB_NAME_RE.match(e.name) and e.is_file()),
        key=lambda p: p.name,
    )


def _store_blob(zf: zipfile.ZipFile, path: Path) -> BackupBlob | None:
    """Stream one blob file into ``zf``; None if it is gone since it was listed."""
    try:
        src = path.open("rb")
    except FileNotFoundError:
        # Erased since the folder was listed: the live database no longer has it either.
        return None
    except OSError as exc:
        raise StorageError(
            f"Could not read the attachment file {path}: {exc.strerror}. No backup was written."
        ) from exc
    with src:
        info = zipfile.ZipInfo(_blob_member(path.name))
        info.compress_type = zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        # The size up front lets zipfile choose ZIP64 for a file over 2 GiB.
        info.file_size = os.fstat(src.fileno()).st_size
        digest = hashlib.sha256()
        size = 0
        with zf.open(info, "w") as out:
            for block in iter(lambda: src.read(_BLOCK), b""):
                digest.update(block)
                out.write(block)
                size += len(block)
    return BackupBlob(path.name, size, digest.hexdigest())


def _manifest_json(manifest: BackupManifest) -> dict[str, Any]:
    return {
        "format": BACKUP_FORMAT,
        "format_version": manifest.format_version,
        "app_version": manifest.app_version,
        "schema_revision": manifest.schema_revision,
        "database_id": manifest.database_id,
        "created_at": manifest.created_at,
        "sha256": manifest.sha256,
        "size": manifest.size,
        "source": manifest.source,
        "blobs": {
            "count": manifest.blob_count,
            "size": manifest.blob_size,
            "files": [{"name": b.name, "size": b.size, "sha256": b.sha256} for b in manifest.blobs],
        },
    }


def write_backup(db: Database, dest: Path) -> BackupManifest:
    """Write a consistent encrypted copy of ``db`` and its attachment files to ``dest``."""
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
        # Listed only now, after the snapshot: see the module docstring.
        blob_files = _blob_files(blobs_folder(db.location))
        created_at = utcnow().isoformat()
        staging = Path(tmp) / "backup.zip"
        with _os_errors(dest):
            with zipfile.ZipFile(staging, "w", compression=zipfile.ZIP_STORED) as zf:
                zf.write(copy, _DB_MEMBER)
                zf.write(db.keystore.path, _KEYS_MEMBER)
                blobs = tuple(b for f in blob_files if (b := _store_blob(zf, f)) is not None)
                manifest = BackupManifest(
                    app_version=__version__,
                    schema_revision=revision,
                    database_id=db.keystore.database_id,
                    created_at=created_at,
                    sha256=_sha256(copy),
                    size=copy.stat().st_size,
                    source=db.display,
                    format_version=BACKUP_FORMAT_VERSION,
                    blobs=blobs,
                )
                # Last, since it records the digests taken while streaming the blobs;
                # a zip's members are found by name, so order does not matter to readers.
                zf.writestr(_MANIFEST, json.dumps(_manifest_json(manifest), indent=1))
            with staging.open("rb") as fh:
                os.fsync(fh.fileno())
            os.replace(staging, dest)
        fsync_folder(dest.parent)
    return manifest


def _not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} is not an ijmcase backup: {why}. Nothing was changed.")


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(f"The backup {path} is damaged: {why}. Nothing was changed.")


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_blobs(path: Path, raw: object) -> tuple[BackupBlob, ...]:
    incomplete = _not_a_backup(path, "its list of attachment files is incomplete")
    if not isinstance(raw, dict):
        raise incomplete
    count, total, files = raw.get("count"), raw.get("size"), raw.get("files")
    if not _is_int(count) or not _is_int(total) or not isinstance(files, list):
        raise incomplete
    blobs: list[BackupBlob] = []
    seen: set[str] = set()
    for entry in files:
        if not isinstance(entry, dict):
            raise incomplete
        name, size, sha = entry.get("name"), entry.get("size"), entry.get("sha256")
        if (
            not isinstance(name, str)
            or not _BLOB_NAME_RE.match(name)
            or name in seen
            or not _is_int(size)
            or size < 0
            or not isinstance(sha, str)
            or not _SHA256_RE.match(sha)
        ):
            raise incomplete
        seen.add(name)
        blobs.append(BackupBlob(name, size, sha))
    if count != len(blobs) or total != sum(b.size for b in blobs):
        raise _damaged(path, "its list of attachment files does not add up")
    return tuple(blobs)


def _load_manifest(zf: zipfile.ZipFile, path: Path) -> BackupManifest:
    """The manifest of an opened backup, checked against the members present
    (names and sizes); contents are checked by the caller as it reads them."""
    names = set(zf.namelist())
    if _MANIFEST not in names:
        raise _not_a_backup(path, "it has no manifest")
    try:
        raw: Any = json.loads(zf.read(_MANIFEST))
    except ValueError:
        raise _not_a_backup(path, "its manifest is damaged") from None
    if not isinstance(raw, dict) or raw.get("format") != BACKUP_FORMAT:
        raise _not_a_backup(path, "its manifest is of another program")
    # Format 1 backups always named their version; a missing one reads as 1, as it did.
    version = raw.get("format_version", 1)
    if not _is_int(version) or version < 1:
        raise _not_a_backup(path, "its manifest is damaged")
    if version > BACKUP_FORMAT_VERSION:
        raise BackupError(
            f"{path} was written by a newer version of ijmcase; install it to restore."
        )
    if not {_DB_MEMBER, _KEYS_MEMBER} <= names:
        raise _not_a_backup(path, "the database or its key store is missing from it")
    fields: dict[str, Any] = {}
    for key, kinds in (
        ("app_version", (str,)),
        ("schema_revision", (str, type(None))),
        ("database_id", (str,)),
        ("created_at", (str,)),
        ("sha256", (str,)),
        ("size", (int,)),
        ("source", (str,)),
    ):
        value = raw.get(key)
        if key not in raw or not isinstance(value, kinds) or isinstance(value, bool):
            raise _not_a_backup(path, "its manifest is incomplete")
        fields[key] = value
    blobs: tuple[BackupBlob, ...] = ()
    if version >= FIRST_FORMAT_WITH_BLOBS:
        blobs = _parse_blobs(path, raw.get("blobs"))
    listed = {_blob_member(b.name) for b in blobs}
    present = {n for n in names if n.startswith(_BLOBS_PREFIX)}
    missing = sorted(listed - present)
    if missing:
        raise _damaged(
            path,
            f"{len(missing)} of its {len(blobs)} attachment files "
            f"{'is' if len(missing) == 1 else 'are'} missing from it "
            f"(the first is {missing[0].removeprefix(_BLOBS_PREFIX)})",
        )
    if present - listed:
        raise _damaged(path, "it holds attachment files its manifest does not list")
    for blob in blobs:
        if zf.getinfo(_blob_member(blob.name)).file_size != blob.size:
            raise _damaged(path, f"the attachment file {blob.name} is not the size it should be")
    return BackupManifest(**fields, format_version=version, blobs=blobs)


def _read_member(zf: zipfile.ZipFile, path: Path, member: str, what: str) -> Iterator[bytes]:
    """The blocks of one member; a damaged archive (a bad CRC, a cut-short
    member) is a damaged backup, not "not a backup"."""
    try:
        with zf.open(member) as fh:
            yield from iter(lambda: fh.read(_BLOCK), b"")
    except (zipfile.BadZipFile, zlib.error, EOFError):
        raise _damaged(path, f"{what} cannot be read from it") from None


def _check_member(
    zf: zipfile.ZipFile, path: Path, member: str, sha256: str, what: str, out: IO[bytes] | None
) -> None:
    """Read ``member`` (copying it to ``out``), and refuse it unless its
    SHA-256 is ``sha256``."""
    digest = hashlib.sha256()
    for block in _read_member(zf, path, member, what):
        digest.update(block)
        if out is not None:
            out.write(block)
    if digest.hexdigest() != sha256:
        raise _damaged(path, f"{what} does not match its checksum")


def read_manifest(path: Path) -> BackupManifest:
    """Check that ``path`` is a whole ijmcase backup; return its manifest."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _load_manifest(zf, path)
            _check_member(zf, path, _DB_MEMBER, manifest.sha256, "its database", None)
            for blob in manifest.blobs:
                _check_member(
                    zf,
                    path,
                    _blob_member(blob.name),
                    blob.sha256,
                    f"the attachment file {blob.name}",
                    None,
                )
    except zipfile.BadZipFile:
        raise _not_a_backup(path, "it is not a backup archive") from None
    except OSError as exc:
        raise BackupError(f"{path} cannot be read: {exc.strerror}.") from exc
    return manifest


def _new_private_file(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb")


def extract_backup(path: Path, folder: Path, name: str = "restored.db") -> Path:
    """Unpack a backup into ``folder`` as ``name``, ``name.keys`` and (from
    format 2) ``name.blobs/``, checking every checksum as it goes."""
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    target = folder / name
    doing = f"unpack the backup into {folder}"
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _load_manifest(zf, path)
            try:
                with _new_private_file(target) as out:
                    _check_member(zf, path, _DB_MEMBER, manifest.sha256, "its database", out)
                    os.fsync(out.fileno())
                with _new_private_file(keystore_path(target)) as out:
                    for block in _read_member(zf, path, _KEYS_MEMBER, "its key store"):
                        out.write(block)
                    os.fsync(out.fileno())
                if manifest.includes_blobs:
                    # Made even when empty: it marks that the backup carries the
                    # attachments, so the restore swaps the folder.
                    blobs = ensure_private_folder(_blobs_beside(target))
                    for blob in manifest.blobs:
                        with _new_private_file(blobs / blob.name) as out:
                            _check_member(
                                zf,
                                path,
                                _blob_member(blob.name),
                                blob.sha256,
                                f"the attachment file {blob.name}",
                                out,
                            )
                            os.fsync(out.fileno())
                    fsync_folder(blobs)
            except OSError as exc:
                raise storage_error(exc, doing) from exc
    except zipfile.BadZipFile:
        raise _not_a_backup(path, "it is not a backup archive") from None
    except OSError as exc:
        raise BackupError(f"{path} cannot be read: {exc.strerror}.") from exc
    return target


def _kept_base(target: Path) -> Path:
    """``<target>.before-restore-<time>``, with a counter if a restore in the
    same second already kept files under that name."""
    stamp = timestamp_slug()
    for n in range(1, 1000):
        base = target.with_name(
            f"{target.name}.before-restore-{stamp}" + ("" if n == 1 else f"-{n}")
        )
        if not any(os.path.lexists(_kept_name(target, f, base)) for f in _kept_candidates(target)):
            return base
    raise StorageError(f"Too many earlier restores are kept beside {target}; remove some.")


def _kept_candidates(target: Path) -> list[Path]:
    return [*database_files(target), _blobs_beside(target)]


def _kept_name(target: Path, original: Path, base: Path) -> Path:
    # database_files and blobs_folder add a suffix to the file name: keep it.
    return base.with_name(base.name + original.name[len(target.name) :])


def replace_database_files(extracted: Path, target: Path) -> ReplacedFiles:
    """Put a restored database (and, if it came with one, its attachments
    folder) in place of ``target``'s.

    The files it replaces are kept beside it under a ``.before-restore-<time>``
    name. A format 1 backup brings no attachments folder; then the current one
    is left in place, as it holds the only copy of the attachments. If a rename
    fails, those already done are undone, so the old files are back in place."""
    new_blobs = _blobs_beside(extracted)
    old_blobs = _blobs_beside(target)
    swap_blobs = new_blobs.is_dir()
    base = _kept_base(target)
    moves: list[tuple[Path, Path]] = []
    database_kept: Path | None = None
    blobs_kept: Path | None = None
    # The old files go aside first, then the new attachments, then the database
    # last: if the process dies midway, nothing old was overwritten, and a
    # restored database is never in place without its attachments.
    for f in database_files(target):
        if os.path.lexists(f):
            moves.append((f, _kept_name(target, f, base)))
            if f == target:
                database_kept = moves[-1][1]
    if swap_blobs and os.path.lexists(old_blobs):
        blobs_kept = _kept_name(target, old_blobs, base)
        moves.append((old_blobs, blobs_kept))
    old_moves = list(moves)
    if swap_blobs:
        moves.append((new_blobs, old_blobs))
    for f in database_files(extracted):
        if os.path.lexists(f):
            moves.append((f, target.with_name(target.name + f.name[len(extracted.name) :])))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise storage_error(exc, f"restore into {target.parent}") from exc
    done: list[tuple[Path, Path]] = []
    try:
        for src, dst in moves:
            os.replace(src, dst)
            done.append((src, dst))
    except OSError as exc:
        # Only the old files matter here: the new ones are still in the backup.
        stuck = [dst for src, dst in _undo(done) if (src, dst) in old_moves]
        if not stuck:
            raise _restore_failed(
                exc, target, "The database and its attachments were left as they were."
            ) from exc
        kept = ", ".join(str(dst) for dst in stuck)
        raise _restore_failed(
            exc,
            target,
            f"Putting the old files back failed too; they are kept as {kept}. "
            "Move them back by hand, or restore the backup again.",
        ) from exc
    fsync_folder(target.parent)
    return ReplacedFiles(database_kept, blobs_kept)


def _undo(done: list[tuple[Path, Path]]) -> list[tuple[Path, Path]]:
    """Reverse the renames in ``done``, last first; those that could not be."""
    stuck: list[tuple[Path, Path]] = []
    for src, dst in reversed(done):
        try:
            os.replace(dst, src)
        except OSError:
            stuck.append((src, dst))
    return stuck


def _restore_failed(exc: OSError, target: Path, outcome: str) -> StorageError:
    if exc.errno in (28, 122):  # ENOSPC, EDQUOT
        return DiskFull(
            f"The disk is full: the backup could not be restored to {target}. {outcome}"
        )
    return StorageError(
        f"Could not put the restored database in place at {target}: "
        f"{exc.strerror or exc}. {outcome}"
    )
