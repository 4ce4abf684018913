"""Never lose a note: what a user is typing, sealed on disk until it is saved.

A form saves its fields here as the user types (the UI decides how often); a
crash, a power cut or the idle lock then costs nothing, and the next start
offers to restore. Drafts are sealed like everything else beside the
database (``sealing``, purpose ``"drafts"``): only someone holding the
database key can read them.

Where. ``<database file>.drafts/`` beside a file database; for a PostgreSQL
database a folder per database id under the user's application-data folder
(``drafts_folder``). One file per (user, form key), named
``<64 hex>.draft``: an HMAC of the user id and form key under a key derived
from the database key, so a name reveals neither the user, the form nor the
case, and cannot be confirmed by guessing. Inside, sealed with the file name
as record id, is ``{"v": 1, "user": ..., "form": ..., "saved_at": ...,
"payload": {...}}``; a draft file renamed to another's name does not open.

Writing is atomic (temporary file, fsync, rename, folder fsync): a crash or
a full disk leaves the previous draft as it was, and a full disk raises
``DiskFull``.

Unreadable files. A draft that does not open (damaged, cut short, sealed for
another database, or a file that is not a draft at all) is never deleted: it
is moved aside to ``<name>.unreadable`` in the same folder. ``load()``
then raises ``DatabaseCorrupt`` (code ``draft_unreadable``) so the form can
say its draft was lost and carry on; ``scan()`` skips it and reports it,
together with every file set aside earlier, in ``DraftScan.problems`` until
someone removes it. A draft written by a newer ijmcase is left in place and
reported (``DatabaseTooNew`` from ``load()``). Nothing here raises anything
but ``StorageError`` subclasses for what is on disk.

Drafts of all the users of a laptop share the database key, as the database
does: keeping one user's draft from another is the application's job (each
store only lists and opens its own user's drafts), not the cipher's.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeAlias
from uuid import UUID

from platformdirs import user_data_path

from ijmcase.domain.errors import DatabaseCorrupt, DatabaseTooNew, StorageError
from ijmcase.persistence.database import Database
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.keystore import write_atomic
from ijmcase.persistence.sealing import (
    Sealer,
    database_identity,
    ensure_private_folder,
    fsync_folder,
    storage_error,
)

__all__ = [
    "DRAFTS_SUFFIX",
    "JSON",
    "DraftInfo",
    "DraftProblem",
    "DraftScan",
    "DraftStore",
    "drafts_folder",
]

log = logging.getLogger(__name__)

JSON: TypeAlias = "bool | int | float | str | list[JSON] | dict[str, JSON] | None"

DRAFTS_SUFFIX = ".drafts"
PURPOSE = "drafts"
DRAFT_EXT = ".draft"
UNREADABLE_EXT = ".unreadable"
ENVELOPE_VERSION = 1
CODE_UNREADABLE = "draft_unreadable"
# Leftovers of a write interrupted by a crash are sealed, so harmless, but
# clutter; one hour is far longer than any write takes.
STALE_TEMP_SECONDS = 3600.0
_NAME_RE = re.compile(r"^[0-9a-f]{64}\.draft$")


def drafts_folder(location: DatabaseLocation, database_id: str) -> Path:
    """Where the drafts of a database live on this computer."""
    if location.path is not None:
        return location.path.with_name(location.path.name + DRAFTS_SUFFIX)
    return user_data_path("ijmcase", appauthor=False) / "drafts" / database_id


@dataclass(frozen=True)
class DraftInfo:
    """One saved draft: its form key, when it was saved (UTC) and the size of
    its sealed file in bytes."""

    form_key: str
    saved_at: datetime
    size: int


@dataclass(frozen=True)
class DraftProblem:
    """A file in the drafts folder that could not be read. ``path`` is where
    it is now (set aside, or left in place when it was written by a newer
    version); ``newly_set_aside`` is true when this scan moved it."""

    path: Path
    message: str
    newly_set_aside: bool = False


@dataclass(frozen=True)
class DraftScan:
    drafts: list[DraftInfo] = field(default_factory=list)
    problems: list[DraftProblem] = field(default_factory=list)


@dataclass(frozen=True)
class _Envelope:
    user: str
    form: str
    saved_at: datetime
    payload: dict[str, JSON]


class DraftStore:
    """The drafts of one user of one database."""

    def __init__(
        self,
        folder: Path,
        key: bytes,
        user_id: UUID | str,
        *,
        database_id: str,
    ) -> None:
        self.folder = folder
        self.user_id = str(user_id)
        self._sealer = Sealer(key, database_id, PURPOSE)
        self._name_key = self._sealer.subkey("file-names")

    @classmethod
    def for_database(cls, db: Database, user_id: UUID | str) -> DraftStore:
        """The store for a user of an open database. Needs the database key,
        which only a file database has (see the notes on PostgreSQL in
        blobs.py)."""
        if db.key is None:
            raise StorageError(
                "Drafts are kept only for encrypted file databases; this database has no "
                "local key to seal them with.",
                code="drafts_unavailable",
            )
        database_id = database_identity(db)
        return cls(
            drafts_folder(db.location, database_id), db.key, user_id, database_id=database_id
        )

    def __repr__(self) -> str:
        return f"DraftStore({str(self.folder)!r}, user_id={self.user_id!r})"

    # -- public API ------------------------------------------------------

    def save(self, form_key: str, payload: dict[str, JSON]) -> DraftInfo:
        """Seal and store ``payload`` as the draft of ``form_key``, replacing
        any earlier one. ``DiskFull`` leaves the earlier draft intact."""
        _check_form_key(form_key)
        saved_at = datetime.now(UTC)
        envelope = {
            "v": ENVELOPE_VERSION,
            "user": self.user_id,
            "form": form_key,
            "saved_at": saved_at.isoformat(),
            "payload": payload,
        }
        # allow_nan=False: NaN is not JSON, and another reader would refuse it.
        plaintext = json.dumps(envelope, ensure_ascii=False, allow_nan=False).encode("utf-8")
        path = self._path(form_key)
        sealed = self._sealer.seal(path.stem, plaintext)
        ensure_private_folder(self.folder)
        write_atomic(path, sealed)
        fsync_folder(self.folder)
        return DraftInfo(form_key, saved_at, len(sealed))

    def load(self, form_key: str) -> dict[str, JSON] | None:
        """The payload of the draft of ``form_key``, or None if there is none.

        An unreadable draft is set aside and ``DatabaseCorrupt`` raised."""
        _check_form_key(form_key)
        path = self._path(form_key)
        try:
            sealed = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise storage_error(exc, "read a saved draft") from exc
        try:
            envelope = self._open(path, sealed)
        except DatabaseTooNew:
            raise
        except DatabaseCorrupt as exc:
            aside = self._set_aside(path)
            raise DatabaseCorrupt(_unreadable_message(exc, aside), code=CODE_UNREADABLE) from exc
        if envelope.user != self.user_id or envelope.form != form_key:
            # The name is a keyed hash of exactly these, so this means tampering.
            aside = self._set_aside(path)
            raise DatabaseCorrupt(
                _unreadable_message(None, aside),
                code=CODE_UNREADABLE,
            )
        return envelope.payload

    def list(self) -> list[DraftInfo]:
        """This user's drafts, newest first. Unreadable files are set aside
        and skipped; ``scan()`` says which."""
        return self.scan().drafts

    def scan(self) -> DraftScan:
        """This user's drafts, newest first, and every file in the folder
        that could not be read (set aside now or earlier)."""
        try:
            entries = sorted(self.folder.iterdir())
        except FileNotFoundError:
            return DraftScan()
        except OSError as exc:
            raise storage_error(exc, f"list the drafts in {self.folder}") from exc
        drafts: list[DraftInfo] = []
        problems: list[DraftProblem] = []
        for entry in entries:
            try:
                if not entry.is_file():
                    continue
            except OSError:
                continue
            name = entry.name
            if name.startswith("."):
                continue  # a desktop's own litter (.DS_Store); never read here
            if name.endswith(UNREADABLE_EXT):
                problems.append(
                    DraftProblem(entry, f"{name} could not be read and was set aside earlier.")
                )
                continue
            if name.endswith(".tmp"):
                self._clear_stale_temporary(entry)
                continue
            info, problem = self._inspect(entry)
            if info is not None:
                drafts.append(info)
            if problem is not None:
                problems.append(problem)
        drafts.sort(key=lambda d: d.saved_at, reverse=True)
        return DraftScan(drafts, problems)

    def discard(self, form_key: str) -> None:
        """Remove the draft of ``form_key`` (after a save, or when the user
        throws it away). No draft is not an error."""
        _check_form_key(form_key)
        try:
            self._path(form_key).unlink(missing_ok=True)
        except OSError as exc:
            raise storage_error(exc, "remove a saved draft") from exc
        fsync_folder(self.folder)

    # -- internals -------------------------------------------------------

    def _path(self, form_key: str) -> Path:
        message = f"{self.user_id}\0{form_key}".encode()
        name = hmac.new(self._name_key, message, hashlib.sha256).hexdigest()
        return self.folder / (name + DRAFT_EXT)

    def _open(self, path: Path, sealed: bytes) -> _Envelope:
        plaintext = self._sealer.open(path.stem, sealed, what="a saved draft")
        try:
            raw = json.loads(plaintext.decode("utf-8"))
            if not isinstance(raw, dict) or raw.get("v") != ENVELOPE_VERSION:
                raise ValueError("not a draft envelope")
            user, form, payload = raw["user"], raw["form"], raw["payload"]
            saved_at = datetime.fromisoformat(raw["saved_at"])
            if not (isinstance(user, str) and isinstance(form, str) and isinstance(payload, dict)):
                raise ValueError("not a draft envelope")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            # Sealed by us but not a draft: as good as damaged.
            raise DatabaseCorrupt(
                "A saved draft is damaged and cannot be opened.", code=CODE_UNREADABLE
            ) from None
        return _Envelope(user, form, saved_at, payload)

    def _inspect(self, entry: Path) -> tuple[DraftInfo | None, DraftProblem | None]:
        if not _NAME_RE.match(entry.name):
            # Not a name this store writes: someone put it here. Set it aside
            # so it is seen, not read.
            aside = self._set_aside(entry)
            return None, DraftProblem(
                aside, f"{entry.name} is not a saved draft; it was set aside.", aside != entry
            )
        try:
            sealed = entry.read_bytes()
            envelope = self._open(entry, sealed)
        except DatabaseTooNew as exc:
            return None, DraftProblem(entry, exc.message)
        except DatabaseCorrupt as exc:
            aside = self._set_aside(entry)
            return None, DraftProblem(aside, _unreadable_message(exc, aside), aside != entry)
        except OSError as exc:
            return None, DraftProblem(entry, f"{entry.name} could not be read: {exc.strerror}.")
        if envelope.user != self.user_id:
            return None, None  # another user's draft: theirs to list
        if self._path(envelope.form) != entry:
            aside = self._set_aside(entry)
            return None, DraftProblem(aside, _unreadable_message(None, aside), aside != entry)
        return DraftInfo(envelope.form, envelope.saved_at, len(sealed)), None

    def _set_aside(self, path: Path) -> Path:
        """Move an unreadable file to ``<name>.unreadable`` (never over another
        one); returns where it is now, which is ``path`` if it could not move."""
        for n in range(1, 100):
            suffix = UNREADABLE_EXT if n == 1 else f".{n}{UNREADABLE_EXT}"
            target = path.with_name(path.name + suffix)
            if target.exists():
                continue
            try:
                # link + unlink rather than rename: a rename would replace a
                # file that appeared in between, and nothing may be lost.
                os.link(path, target)
            except FileExistsError:
                continue
            except OSError:
                # No hard links on this file system: rename, checked above
                # not to replace anything.
                try:
                    os.rename(path, target)
                except OSError:
                    log.warning("could not set aside the unreadable draft %s", path.name)
                    return path
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
            log.warning("set aside an unreadable draft as %s", target.name)
            return target
        return path

    def _clear_stale_temporary(self, path: Path) -> None:
        try:
            if time.time() - path.stat().st_mtime > STALE_TEMP_SECONDS:
                path.unlink()
        except OSError:
            pass


def _check_form_key(form_key: str) -> None:
    if not isinstance(form_key, str) or not form_key:
        raise ValueError("a draft needs a non-empty form key")


def _unreadable_message(exc: DatabaseCorrupt | None, aside: Path) -> str:
    reason = exc.message if exc is not None else "A saved draft does not belong where it was."
    return (
        f"{reason} It was set aside as {aside.name} in {aside.parent}; the form starts "
        "empty. Nothing else was affected."
    )
