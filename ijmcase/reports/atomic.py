"""Write an output file so that it is complete or absent, never half written.

Every report and export goes through :func:`atomic_output`: the bytes are
written to a temporary file in the target's own folder (so the final rename
stays on one file system and is atomic), flushed and fsynced, then renamed
over the target. On any failure, a full disk, a writer that raises midway,
or a cancelled export, the temporary file is removed and the target is left
as it was.

The temporary file is created by :func:`tempfile.mkstemp`, so the finished
report is readable by its owner only (mode 0600 on POSIX). That is on
purpose: reports and exports are confidential.

``ijmcase.persistence.keystore.write_atomic`` does the same for the keystore,
but the reports layer may not import persistence, and this one streams.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar

from ijmcase.domain.errors import DiskFull, StorageError

__all__ = ["atomic_output", "save_atomically"]

T = TypeVar("T")

_FULL = (errno.ENOSPC, errno.EDQUOT)


def _storage_error(path: Path, exc: OSError) -> StorageError:
    if exc.errno in _FULL:
        return DiskFull(
            f"The disk is full: {path} could not be written. Nothing was saved; "
            "free some space or choose another folder and try again."
        )
    if isinstance(exc, PermissionError):
        return StorageError(
            f"Cannot write {path}: permission denied. Choose a folder you can write to.",
            code="output_not_writable",
        )
    reason = exc.strerror or str(exc)
    return StorageError(f"Could not write {path}: {reason}.", code="output_failed")


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Yield a binary file; on a clean exit it replaces ``path`` in one step.

    Raises :class:`~ijmcase.domain.errors.StorageError` naming the path when
    the folder is missing or not writable, :class:`DiskFull` when the disk
    fills up; any other exception from the body (a writer's bug, a
    cancellation) passes through unchanged after the temporary file is gone.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise StorageError(
            f"Cannot write {target}: the folder {folder} does not exist.",
            code="output_folder_missing",
        )
    if target.is_dir():
        raise StorageError(
            f"Cannot write {target}: it is a folder, not a file name.",
            code="output_is_folder",
        )
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _storage_error(target, exc) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_name, target)
        tmp_name = ""
        _fsync_folder(folder)
    except OSError as exc:
        raise _storage_error(target, exc) from exc
    finally:
        if tmp_name:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def save_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], T]) -> T:
    """Run ``write(file)`` inside :func:`atomic_output` and return its result."""
    with atomic_output(path) as fh:
        return write(fh)


def _fsync_folder(folder: Path) -> None:
    # The rename is durable only once the directory entry is on disk. Best
    # effort: Windows cannot open a directory, and the data is safe already.
    with contextlib.suppress(OSError):
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
