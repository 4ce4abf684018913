"""Attachments: documents and photos, sealed in files beside the database.

An attachment's bytes never sit in the clear next to the database. Each is
sealed (``sealing``, purpose ``"blobs"``) into ``<database file>.blobs/<id>.blob``,
where the id is a random UUID, not the content hash: a plaintext hash in a
file name would let whoever holds the laptop confirm that a known photo is
on it. The record id sealed into the file is ``<id>:<owner>`` (the owner is
the case, person or intervention, e.g. ``"person:<uuid>"``), so a blob file
copied over another, or an attachment row pointed at another record's blob,
does not open.

``BlobRef`` is what the attachment row keeps: the id, the owner, the SHA-256
of the plaintext (checked on every read: a blob that opens but is not the one
the row describes is refused), its size, and the size of the sealed file.

Memory. ``put`` reads a stream in 1 MiB segments and ``open_temporary``
decrypts segment by segment into the temporary file, so a 50 MB video is
never held whole; ``put(bytes)`` seals slices of the caller's buffer, and
``get`` holds the plaintext once (it returns it).

Temporary copies. Viewing an attachment in another program needs a file:
``open_temporary`` writes a decrypted copy into a private (0700) folder,
``<temp root>/<pid>-<random>/attachment<suffix>``, and removes it when the
``with`` block ends. The temp root is the user's runtime folder (on Linux
``$XDG_RUNTIME_DIR``, a RAM-backed folder cleared at log-out), else a
per-account folder in the system temp folder. A crash leaves the copy
behind, so ``sweep_stale_temporaries()`` at start-up removes copies of
processes that are no longer running, and any older than a day.

PostgreSQL. An office database is shared, so its attachments must be too:
there they belong in the database itself (a table of chunks beside the
attachment rows), protected like the rest of that server's data. That is not
built yet; this store is for the encrypted file database, and needs its key.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from platformdirs import user_runtime_path

from ijmcase.domain.errors import DatabaseCorrupt, StorageError
from ijmcase.persistence.database import Database
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.sealing import (
    SEGMENT_SIZE,
    Sealer,
    database_identity,
    ensure_private_folder,
    fsync_folder,
    storage_error,
)

__all__ = [
    "BLOBS_SUFFIX",
    "BlobRef",
    "BlobStore",
    "blobs_folder",
    "default_temp_root",
]

log = logging.getLogger(__name__)

BLOBS_SUFFIX = ".blobs"
PURPOSE = "blobs"
BLOB_EXT = ".blob"
PARTIAL_EXT = ".partial"
CODE_MISSING = "blob_missing"
CODE_MISMATCH = "blob_mismatch"
# A decrypted copy older than this is removed by the sweep even if its
# process still runs: no one reads one attachment for a day.
STALE_COPY_SECONDS = 24 * 3600.0
# A sealed write interrupted by a crash; far longer than any write takes.
STALE_PARTIAL_SECONDS = 3600.0
_ID_RE = re.compile(r"^[0-9a-f]{32}$")
_SUFFIX_RE = re.compile(r"^(\.[A-Za-z0-9_-]{1,16}){0,2}$")
_COPY_DIR_RE = re.compile(r"^(\d+)-[A-Za-z0-9_]+$")


def blobs_folder(location: DatabaseLocation) -> Path:
    """Where the attachments of a file database live."""
    if location.path is None:
        raise StorageError(
            "Attachments of a PostgreSQL database are not stored in files.",
            code="blobs_unavailable",
        )
    return location.path.with_name(location.path.name + BLOBS_SUFFIX)


def default_temp_root() -> Path:
    """The per-account folder that holds decrypted temporary copies."""
    with warnings.catch_warnings():
        # platformdirs warns when it falls back from $XDG_RUNTIME_DIR; the
        # fallback is checked like any other place below.
        warnings.simplefilter("ignore")
        runtime = user_runtime_path("ijmcase", appauthor=False)
    return runtime / "open"


def _fallback_temp_root() -> Path:
    account = str(os.getuid()) if hasattr(os, "getuid") else "user"
    return Path(tempfile.gettempdir()) / f"ijmcase-{account}" / "open"


@dataclass(frozen=True)
class BlobRef:
    """What an attachment row keeps to find and check its bytes."""

    id: str
    owner: str
    sha256: str  # hex, of the plaintext
    size: int  # plaintext bytes
    stored_size: int  # bytes of the sealed file


class BlobStore:
    """Sealed attachment files of one database."""

    def __init__(
        self,
        folder: Path,
        key: bytes,
        *,
        database_id: str,
        temp_root: Path | None = None,
        segment_size: int = SEGMENT_SIZE,
    ) -> None:
        self.folder = folder
        self._sealer = Sealer(key, database_id, PURPOSE, segment_size=segment_size)
        self._segment_size = segment_size
        self._temp_root = temp_root
        self._ready_root: Path | None = None

    @classmethod
    def for_database(cls, db: Database, *, temp_root: Path | None = None) -> BlobStore:
        if db.key is None:
            raise StorageError(
                "Attachments are kept in files only for encrypted file databases.",
                code="blobs_unavailable",
            )
        return cls(
            blobs_folder(db.location),
            db.key,
            database_id=database_identity(db),
            temp_root=temp_root,
        )

    def __repr__(self) -> str:
        return f"BlobStore({str(self.folder)!r})"

    # -- storing ---------------------------------------------------------

    def put(self, data: bytes | bytearray | memoryview | BinaryIO, *, owner: str) -> BlobRef:
        """Seal ``data`` (bytes, or a binary stream read to its end) as a new
        blob of ``owner``. ``DiskFull`` leaves nothing behind."""
        if not owner:
            raise ValueError("a blob needs an owner (e.g. 'case:<id>')")
        blob_id = uuid.uuid4().hex
        ensure_private_folder(self.folder)
        final = self._path(blob_id)
        partial = self.folder / f".{blob_id}{PARTIAL_EXT}"
        hasher = hashlib.sha256()
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
            with os.fdopen(fd, "wb") as fh:
                writer = self._sealer.writer(_record_id(blob_id, owner), fh)
                for piece in self._pieces(data):
                    hasher.update(piece)
                    writer.write(piece)
                writer.close()
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(partial, final)
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise storage_error(exc, "store the attachment") from exc
        except BaseException:
            with contextlib.suppress(OSError):
                partial.unlink()
            raise
        fsync_folder(self.folder)
        return BlobRef(blob_id, owner, hasher.hexdigest(), writer.plain_size, writer.stored_size)

    def discard(self, ref: BlobRef) -> None:
        """Remove a blob (when the law requires erasure, or when the row that
        was to refer to it was never committed)."""
        try:
            self._path(_check_id(ref.id)).unlink(missing_ok=True)
        except OSError as exc:
            raise storage_error(exc, "remove the attachment") from exc

    # -- reading ---------------------------------------------------------

    def get(self, ref: BlobRef, *, label: str | None = None) -> bytes:
        """The plaintext of ``ref``, checked against its hash and size.

        ``label`` names the attachment in error messages (say, its title as
        the user sees it); without one its id is used."""
        out = io.BytesIO()
        hasher = hashlib.sha256()
        for segment in self._segments(ref, label):
            hasher.update(segment)
            out.write(segment)
        self._verify(ref, hasher.hexdigest(), out.tell(), label)
        return out.getvalue()

    @contextmanager
    def open_temporary(
        self, ref: BlobRef, suffix: str = "", *, label: str | None = None
    ) -> Iterator[Path]:
        """A decrypted copy of ``ref`` in a private folder, for another
        program to show; removed when the block ends. ``suffix`` (".pdf")
        lets the desktop pick that program; the name reveals nothing else."""
        if not _SUFFIX_RE.match(suffix):
            raise ValueError(f"not a file name suffix: {suffix!r}")
        root = self._ready_temp_root()
        try:
            workdir = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=root))
        except OSError as exc:
            raise storage_error(exc, "make a temporary copy of the attachment") from exc
        try:
            target = workdir / f"attachment{suffix}"
            hasher = hashlib.sha256()
            size = 0
            try:
                fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    for segment in self._segments(ref, label):
                        hasher.update(segment)
                        fh.write(segment)
                        size += len(segment)
            except OSError as exc:
                raise storage_error(exc, "make a temporary copy of the attachment") from exc
            self._verify(ref, hasher.hexdigest(), size, label)
            yield target
        finally:
            _remove_tree(workdir)

    # -- clean-up --------------------------------------------------------

    def sweep_stale_temporaries(self) -> int:
        """Remove decrypted copies left by a crash (those of processes no
        longer running, and any older than a day) and interrupted writes.
        Returns how many were removed; call it at start-up."""
        removed = 0
        now = time.time()
        for root in self._temp_roots():
            if not root.is_dir():
                continue
            try:
                # Never delete inside a folder someone else could have made.
                ensure_private_folder(root, strict=True)
                entries = list(root.iterdir())
            except (StorageError, OSError):
                continue
            for entry in entries:
                match = _COPY_DIR_RE.match(entry.name)
                try:
                    age = now - entry.lstat().st_mtime
                except OSError:
                    continue
                if match and _process_alive(int(match.group(1))) and age < STALE_COPY_SECONDS:
                    continue
                if _remove_tree(entry):
                    removed += 1
        with contextlib.suppress(OSError):
            for entry in list(self.folder.glob(f".*{PARTIAL_EXT}")):
                try:
                    if now - entry.stat().st_mtime > STALE_PARTIAL_SECONDS:
                        entry.unlink()
                        removed += 1
                except OSError:
                    continue
        return removed

    # -- internals -------------------------------------------------------

    def _path(self, blob_id: str) -> Path:
        return self.folder / f"{blob_id}{BLOB_EXT}"

    def _pieces(self, data: bytes | bytearray | memoryview | BinaryIO) -> Iterator[bytes]:
        size = self._segment_size
        if isinstance(data, bytes | bytearray | memoryview):
            view = memoryview(data).cast("B")
            for start in range(0, len(view), size):
                # Slices of a memoryview: no copy of the whole buffer.
                yield view[start : start + size].tobytes()
            return
        while True:
            piece = data.read(size)
            if not piece:
                return
            yield piece

    def _segments(self, ref: BlobRef, label: str | None) -> Iterator[bytes]:
        what = _what(ref, label)
        path = self._path(_check_id(ref.id))
        try:
            fh = path.open("rb")
        except FileNotFoundError:
            raise DatabaseCorrupt(
                f"{_cap(what)} is missing: its file {path.name} is not in {self.folder}. "
                "Restore the attachments folder from a backup.",
                code=CODE_MISSING,
            ) from None
        except OSError as exc:
            raise storage_error(exc, f"read {what}") from exc
        with fh:
            try:
                yield from self._sealer.reader(_record_id(ref.id, ref.owner), fh, what=what)
            except OSError as exc:
                raise storage_error(exc, f"read {what}") from exc

    def _verify(self, ref: BlobRef, sha256: str, size: int, label: str | None) -> None:
        if size != ref.size or not hmac.compare_digest(sha256, ref.sha256.lower()):
            raise DatabaseCorrupt(
                f"{_cap(_what(ref, label))} is not the file it should be (its content "
                "does not match the fingerprint recorded when it was attached).",
                code=CODE_MISMATCH,
            )

    def _temp_roots(self) -> list[Path]:
        if self._temp_root is not None:
            return [self._temp_root]
        return [default_temp_root(), _fallback_temp_root()]

    def _ready_temp_root(self) -> Path:
        if self._ready_root is not None:
            return self._ready_root
        roots = self._temp_roots()
        for n, root in enumerate(roots):
            try:
                self._ready_root = ensure_private_folder(root, strict=True)
            except StorageError:
                # The runtime folder is unusable (no $XDG_RUNTIME_DIR, say):
                # try the per-account folder in the system temp folder.
                if n == len(roots) - 1:
                    raise
            else:
                return self._ready_root
        raise AssertionError("unreachable")


_O_BINARY: int = getattr(os, "O_BINARY", 0)


def _record_id(blob_id: str, owner: str) -> str:
    # The id is fixed-width hex, so "<id>:<owner>" cannot be read two ways.
    return f"{blob_id}:{owner}"


def _check_id(blob_id: str) -> str:
    # The id comes from a database row: refuse anything that could be a path.
    if not _ID_RE.match(blob_id):
        raise DatabaseCorrupt(
            f"The attachment id {blob_id!r} is not valid; the attachment record is damaged.",
            code=CODE_MISMATCH,
        )
    return blob_id


def _what(ref: BlobRef, label: str | None) -> str:
    return f"the attachment {label!r}" if label else f"the attachment {ref.id}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        # No cheap, safe liveness check here (os.kill would end the process
        # on Windows): treat other processes' copies as left over.
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another account
    except OSError:
        return False
    return True


def _remove_tree(path: Path) -> bool:
    """Remove a file or folder; True if it is gone. A copy still held open
    by a viewer (Windows) stays for the next sweep."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
    gone = not os.path.lexists(path)
    if not gone:
        log.warning("could not remove the temporary copy %s; the next start will", path)
    return gone
