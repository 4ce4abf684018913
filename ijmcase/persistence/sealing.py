"""Sealing data outside the database: drafts and attachments, encrypted.

Whatever ijmcase keeps beside the encrypted database (typed-but-unsaved
drafts, attached documents and photos) is sealed with keys derived from the
database key, so a lost or seized laptop shows nothing readable without a
password or the recovery key.

Keys. The SQLCipher key is never used directly. HKDF-SHA256 derives one key
per *purpose* ("drafts", "blobs") and database identity; each sealed item then
gets its own key, derived from the purpose key and a random 128-bit salt kept
in the item's header (as in Tink's streaming AEAD), so nonce reuse across
items cannot happen and no key encrypts more than one item.

Format, version 1 (all integers big-endian)::

    header (42 bytes)
      0   4  magic b"IJMS"
      4   1  version (1)
      5   1  flags (0; reserved)
      6   4  segment size S: plaintext bytes in every segment but the last
     10  16  key check: HKDF(purpose key, "key-check"); tells "sealed with
             another key or for another database" apart from "damaged"
     26  16  salt for this item's key
    segments, one or more, in order
      12 bytes random nonce | AES-256-GCM ciphertext | 16-byte tag
      every segment holds exactly S plaintext bytes except the last, which
      holds 0..S bytes

Each segment's associated data is the header, the purpose, the database id
and the record id (each length-prefixed), the segment's index and a final
flag. So a sealed item moved to another record, another database or another
use does not open; nor does a segment that was reordered, dropped, or cut
off at the end. An empty item is a single empty final segment.

Failures raise ``DatabaseCorrupt`` with one of the ``CODE_*`` codes below
(``DatabaseTooNew`` for a newer format); callers name the item in ``what``
so the message says which draft or attachment it is.
"""

from __future__ import annotations

import contextlib
import errno
import hmac
import io
import os
import re
import secrets
import stat
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ijmcase.domain.errors import (
    DatabaseCorrupt,
    DatabaseTooNew,
    DiskFull,
    NotAnIjmcaseDatabase,
    StorageError,
)
from ijmcase.persistence.database import SETTING_DATABASE_ID, Database, get_setting
from ijmcase.persistence.failures import storage_errors

__all__ = [
    "CODE_DAMAGED",
    "CODE_FOREIGN",
    "CODE_OTHER_KEY",
    "CODE_TRUNCATED",
    "FORMAT_VERSION",
    "HEADER_SIZE",
    "MAGIC",
    "SEGMENT_OVERHEAD",
    "SEGMENT_SIZE",
    "SealedWriter",
    "Sealer",
    "database_identity",
    "ensure_private_folder",
    "fsync_folder",
    "storage_error",
]

MAGIC = b"IJMS"
FORMAT_VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
SALT_BYTES = 16
CHECK_BYTES = 16
SEGMENT_OVERHEAD = NONCE_BYTES + TAG_BYTES
# 1 MiB segments keep memory flat for large attachments; a header asking for
# more than MAX_SEGMENT_SIZE is refused rather than allocated.
SEGMENT_SIZE = 1 << 20
MAX_SEGMENT_SIZE = 16 << 20

_HEADER = struct.Struct(">4sBBI16s16s")
HEADER_SIZE = _HEADER.size
_SEGMENT_TRAILER = struct.Struct(">QB")
_PURPOSE_RE = re.compile(r"^[a-z][a-z0-9_.-]{0,39}$")

CODE_FOREIGN = "sealed_foreign"
CODE_OTHER_KEY = "sealed_other_key"
CODE_DAMAGED = "sealed_damaged"
CODE_TRUNCATED = "sealed_truncated"

_INFO_PURPOSE = b"ijmcase/seal/v1/purpose-key"
_INFO_CHECK = b"ijmcase/seal/v1/key-check"
_INFO_ITEM = b"ijmcase/seal/v1/item-key"
_INFO_SUBKEY = b"ijmcase/seal/v1/subkey"


def _hkdf(ikm: bytes, info: bytes, *, salt: bytes | None = None, length: int = KEY_BYTES) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def _field(value: str) -> bytes:
    # Length prefixes keep ("ab", "c") and ("a", "bc") from meaning the same.
    raw = value.encode("utf-8")
    return struct.pack(">I", len(raw)) + raw


def database_identity(db: Database) -> str:
    """The stable id of a database: the key store's for a file (checked
    against the database's own setting when it was opened), else the
    setting itself."""
    if db.keystore is not None:
        return db.keystore.database_id
    with storage_errors(db.display), db.read_session() as session:
        value = get_setting(session, SETTING_DATABASE_ID)
    if not isinstance(value, str) or not value:
        raise NotAnIjmcaseDatabase(f"{db.display} has no database id; it is not usable here.")
    return value


class Sealer:
    """Seals and opens items for one purpose of one database.

    ``database_key`` is the raw 32-byte database key; it is only ever an
    HKDF input here.
    """

    def __init__(
        self,
        database_key: bytes,
        database_id: str,
        purpose: str,
        *,
        segment_size: int = SEGMENT_SIZE,
    ) -> None:
        if len(database_key) != KEY_BYTES:
            raise ValueError("the database key is 32 bytes")
        if not database_id:
            raise ValueError("a database id is needed to seal")
        if not _PURPOSE_RE.match(purpose):
            raise ValueError(f"not a sealing purpose: {purpose!r}")
        if not 0 < segment_size <= MAX_SEGMENT_SIZE:
            raise ValueError("segment size out of range")
        self.purpose = purpose
        self.database_id = database_id
        self.segment_size = segment_size
        self._context = _field(purpose) + _field(database_id)
        self._purpose_key = _hkdf(database_key, _INFO_PURPOSE + b"\0" + self._context)
        self._key_check = _hkdf(self._purpose_key, _INFO_CHECK, length=CHECK_BYTES)

    def __repr__(self) -> str:
        return f"Sealer(purpose={self.purpose!r}, database_id={self.database_id!r})"

    def subkey(self, label: str) -> bytes:
        """Another 32-byte key for this purpose (e.g. to name files with a
        keyed hash), independent of the sealing keys."""
        return _hkdf(self._purpose_key, _INFO_SUBKEY + b"\0" + _field(label))

    # -- sealing ----------------------------------------------------------

    def writer(self, record_id: str, dest: BinaryIO) -> SealedWriter:
        """A writer that seals what is written to it into ``dest``, one
        segment at a time; ``close()`` it to write the final segment."""
        salt = secrets.token_bytes(SALT_BYTES)
        header = _HEADER.pack(MAGIC, FORMAT_VERSION, 0, self.segment_size, self._key_check, salt)
        aead = AESGCM(_hkdf(self._purpose_key, _INFO_ITEM, salt=salt))
        return SealedWriter(
            dest, header, aead, self._aad_prefix(header, record_id), self.segment_size
        )

    def seal(self, record_id: str, plaintext: bytes) -> bytes:
        out = io.BytesIO()
        with self.writer(record_id, out) as writer:
            writer.write(plaintext)
        return out.getvalue()

    # -- opening ----------------------------------------------------------

    def open(self, record_id: str, sealed: bytes, *, what: str) -> bytes:
        """The plaintext, or ``DatabaseCorrupt`` naming ``what``."""
        out = io.BytesIO()
        for segment in self.reader(record_id, io.BytesIO(sealed), what=what):
            out.write(segment)
        return out.getvalue()

    def reader(self, record_id: str, source: BinaryIO, *, what: str) -> Iterator[bytes]:
        """The plaintext of a sealed stream, segment by segment, each checked
        before it is yielded. A failure part-way raises after earlier
        segments were yielded: whoever consumes them must discard what they
        received when this raises."""
        head = _read_exactly(source, HEADER_SIZE)
        if len(head) < HEADER_SIZE or head[:4] != MAGIC:
            if len(head) >= 4 and head[:4] == MAGIC:
                raise _truncated(what)
            raise DatabaseCorrupt(
                f"{_cap(what)} is not an ijmcase sealed file; it may have been replaced "
                "by another file.",
                code=CODE_FOREIGN,
            )
        _, version, flags, segment_size, check, salt = _HEADER.unpack(head)
        if version > FORMAT_VERSION:
            raise DatabaseTooNew(
                f"{_cap(what)} was written by a newer version of ijmcase. Install that "
                "version to open it."
            )
        if version < 1 or flags != 0 or not 0 < segment_size <= MAX_SEGMENT_SIZE:
            raise _damaged(what)
        if not hmac.compare_digest(check, self._key_check):
            raise DatabaseCorrupt(
                f"{_cap(what)} was sealed with another key or for another database, "
                "so it cannot be opened here.",
                code=CODE_OTHER_KEY,
            )
        aead = AESGCM(_hkdf(self._purpose_key, _INFO_ITEM, salt=salt))
        prefix = self._aad_prefix(head, record_id)
        full = segment_size + SEGMENT_OVERHEAD
        index = 0
        chunk = _read_exactly(source, full)
        while True:
            if len(chunk) < SEGMENT_OVERHEAD:
                raise _truncated(what)
            if len(chunk) < full:
                final = True
                following = b""
            else:
                # A full-size segment is the last one only if nothing follows.
                following = _read_exactly(source, full)
                final = not following
            yield _open_segment(aead, prefix, index, final, chunk, what)
            if final:
                return
            index += 1
            chunk = following

    def _aad_prefix(self, header: bytes, record_id: str) -> bytes:
        return header + self._context + _field(record_id)


class SealedWriter:
    """Seals a stream in segments. Holds at most two segments of plaintext,
    so sealing a large file does not hold it in memory."""

    def __init__(
        self, dest: BinaryIO, header: bytes, aead: AESGCM, aad_prefix: bytes, segment_size: int
    ) -> None:
        self._dest = dest
        self._aead = aead
        self._prefix = aad_prefix
        self._segment_size = segment_size
        self._buffer = bytearray()
        self._index = 0
        self._closed = False
        self.plain_size = 0
        self.stored_size = 0
        self._emit(header)

    def __enter__(self) -> SealedWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        # On an error the caller throws the partial output away; do not add
        # a final segment that would make it look complete.
        if exc_type is None:
            self.close()

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._closed:
            raise ValueError("the sealed stream is closed")
        view = memoryview(data).cast("B")
        size = self._segment_size
        for start in range(0, len(view), size):
            piece = view[start : start + size]
            self._buffer += piece
            self.plain_size += len(piece)
            # Keep the last full segment back: only close() knows it is final.
            while len(self._buffer) > size:
                self._seal_segment(bytes(self._buffer[:size]), final=False)
                del self._buffer[:size]

    def close(self) -> None:
        if self._closed:
            return
        self._seal_segment(bytes(self._buffer), final=True)
        self._buffer = bytearray()
        self._closed = True

    def _seal_segment(self, plaintext: bytes, *, final: bool) -> None:
        nonce = secrets.token_bytes(NONCE_BYTES)
        aad = self._prefix + _SEGMENT_TRAILER.pack(self._index, int(final))
        self._emit(nonce)
        self._emit(self._aead.encrypt(nonce, plaintext, aad))
        self._index += 1

    def _emit(self, data: bytes) -> None:
        self._dest.write(data)
        self.stored_size += len(data)


def _open_segment(
    aead: AESGCM, prefix: bytes, index: int, final: bool, chunk: bytes, what: str
) -> bytes:
    nonce, body = chunk[:NONCE_BYTES], chunk[NONCE_BYTES:]
    try:
        return aead.decrypt(nonce, body, prefix + _SEGMENT_TRAILER.pack(index, int(final)))
    except InvalidTag:
        pass
    if final:
        # Only to word the error: a non-final segment at the end means the
        # rest was cut off.
        try:
            aead.decrypt(nonce, body, prefix + _SEGMENT_TRAILER.pack(index, 0))
        except InvalidTag:
            pass
        else:
            raise _truncated(what) from None
    raise _damaged(what) from None


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    wanted = size
    while wanted > 0:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _truncated(what: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"{_cap(what)} is incomplete (the file was cut short), so it cannot be opened.",
        code=CODE_TRUNCATED,
    )


def _damaged(what: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"{_cap(what)} is damaged or does not belong here (it failed its integrity "
        "check), so it cannot be opened.",
        code=CODE_DAMAGED,
    )


# -- files beside the database ----------------------------------------------


def storage_error(exc: OSError, doing: str) -> StorageError:
    """The ijmcase error for an OS error while ``doing`` something."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(
            f"The disk is full: could not {doing}. Nothing was changed; free some space "
            "and try again."
        )
    return StorageError(f"Could not {doing}: {exc.strerror or exc}.")


def ensure_private_folder(folder: Path, *, strict: bool = False) -> Path:
    """Create ``folder`` readable by its owner only (0700 on POSIX).

    ``strict`` is for folders at a predictable place in a shared temp area:
    there the folder and every folder above it, up to a system folder, must
    be this account's and writable by no one else, or another account could
    swap in its own folder and read what we write.
    """
    missing: list[Path] = []
    current = folder
    while not os.path.lexists(current) and current.parent != current:
        missing.append(current)
        current = current.parent
    try:
        # One at a time: mkdir(parents=True) would give the parents the
        # default, wider mode.
        for path in reversed(missing):
            with contextlib.suppress(FileExistsError):
                path.mkdir(mode=0o700)
        info = os.stat(folder)
    except OSError as exc:
        raise storage_error(exc, f"create the folder {folder}") from exc
    if not stat.S_ISDIR(info.st_mode):
        raise StorageError(f"{folder} is not a folder ijmcase can use safely.")
    if os.name != "posix":
        return folder
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError as exc:
            raise storage_error(exc, f"make {folder} private") from exc
    if strict:
        _check_owned_chain(folder)
    return folder


def _check_owned_chain(folder: Path) -> None:
    uid = os.getuid()
    # resolve(): a symlink placed by someone else leads to their folder, which
    # the owner check below then refuses.
    current = folder.resolve()
    while True:
        try:
            info = os.stat(current)
        except OSError as exc:
            raise storage_error(exc, f"check the folder {current}") from exc
        others_can_replace = bool(info.st_mode & 0o022) and not info.st_mode & stat.S_ISVTX
        if info.st_uid not in (uid, 0) or others_can_replace:
            raise StorageError(
                f"{current} can be changed by another account; ijmcase will not put "
                "decrypted files under it.",
                code="unsafe_folder",
            )
        if info.st_uid == 0 and uid != 0:
            return  # a system folder (/tmp, /run/user): trusted from here up
        if current.parent == current:
            return
        current = current.parent


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut (POSIX; elsewhere the
    file system journals renames itself)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        # Some file systems cannot sync a folder; the data itself was synced.
        pass
    finally:
        os.close(fd)
