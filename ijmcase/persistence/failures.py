"""Turning driver errors into the ijmcase errors a person can act on.

SQLite, SQLCipher and PostgreSQL each describe a full disk, a damaged file
or a busy database in their own words; ``storage_errors`` maps them all to
the tree in ``domain.errors`` so the GUI and the command line say the same
clear thing and no traceback reaches a user.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from ijmcase.domain.errors import (
    ConflictError,
    DatabaseCorrupt,
    DatabaseUnavailable,
    DiskFull,
    IjmcaseError,
    StorageError,
)

__all__ = ["storage_errors", "translate"]


def translate(exc: BaseException, where: str = "the database") -> IjmcaseError | None:
    """The ijmcase error for a driver or OS error, or None if it is not one we know."""
    if isinstance(exc, IjmcaseError):
        return exc
    if isinstance(exc, StaleDataError):
        return ConflictError(
            "Someone else changed this record while you were editing it. Reload it and "
            "make your change again.",
            code="stale",
        )
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFull(f"The disk is full. Nothing was saved to {where}; free some space.")
    if isinstance(exc, IntegrityError):
        return ConflictError(
            "That would duplicate a record that must be unique (a code or username), or "
            "refers to something that no longer exists.",
            code="integrity",
        )
    if isinstance(exc, DBAPIError):
        text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
        if "disk is full" in text or "no space left" in text or "disk full" in text:
            return DiskFull(f"The disk is full. Nothing was saved to {where}; free some space.")
        if (
            "file is not a database" in text
            or "malformed" in text
            or "database disk image" in text
            or "hmac check failed" in text
        ):
            return DatabaseCorrupt(
                f"{where} is damaged or was replaced by another file, and cannot be read. "
                "Restore it from a backup (ijmcase db restore)."
            )
        if "database is locked" in text or "busy" in text:
            return DatabaseUnavailable(
                f"{where} is busy with another program's change. Try again in a moment."
            )
        if isinstance(exc, OperationalError) and (
            "connection" in text or "could not connect" in text or "server" in text
        ):
            return DatabaseUnavailable(f"Cannot reach {where}: {text.splitlines()[0]}")
        if "readonly" in text or "read-only" in text:
            return StorageError(f"{where} is read-only; nothing could be saved.")
    return None


@contextmanager
def storage_errors(where: str = "the database") -> Iterator[None]:
    try:
        yield
    except (DBAPIError, StaleDataError, OSError) as exc:
        mapped = translate(exc, where)
        if mapped is None:
            raise
        raise mapped from exc
