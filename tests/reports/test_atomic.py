"""The atomic writer: a whole file or none, and a clear error naming the path."""

from __future__ import annotations

import errno
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

from ijmcase.domain.errors import DiskFull, StorageError
from ijmcase.reports.atomic import atomic_output, save_atomically
from ijmcase.reports.columns import Column, ColumnType
from ijmcase.reports.tabular import write_csv


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_the_whole_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    with atomic_output(target) as fh:
        fh.write(b"hello")
    assert target.read_bytes() == b"hello"
    assert _leftovers(tmp_path) == ["out.csv"]


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    assert save_atomically(target, lambda fh: fh.write(b"new")) == 3
    assert target.read_bytes() == b"new"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_output_is_private_to_its_owner(tmp_path: Path) -> None:
    target = tmp_path / "out.pdf"
    save_atomically(target, lambda fh: fh.write(b"x"))
    assert target.stat().st_mode & 0o077 == 0


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "out.csv"
    with pytest.raises(StorageError) as caught, atomic_output(target):
        pytest.fail("the body must not run")
    assert caught.value.code == "output_folder_missing"
    assert str(target) in caught.value.message
    assert _leftovers(tmp_path) == []


def test_target_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"), atomic_output(tmp_path):
        pass


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores modes")
def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StorageError, match="permission denied"), atomic_output(folder / "x"):
            pass
    finally:
        folder.chmod(0o700)


def test_failure_midway_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "cases.csv"
    columns = [Column("code"), Column("n", type=ColumnType.INT)]

    def rows() -> Iterator[tuple[str, int]]:
        for i in range(2000):
            yield (f"IN-{i}", i)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError, match="went away"), atomic_output(target) as fh:
        write_csv(fh, columns, rows())
    assert _leftovers(tmp_path) == []


def test_failure_midway_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "cases.csv"
    target.write_bytes(b"previous export")

    def write_then_fail(fh: BinaryIO) -> None:
        fh.write(b"partial")
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        save_atomically(target, write_then_fail)
    assert target.read_bytes() == b"previous export"
    assert _leftovers(tmp_path) == ["cases.csv"]


class _FullDisk(io.RawIOBase):
    """Wraps the real temporary file; fails with ENOSPC after a few writes."""

    def __init__(self, inner: Any, allowed: int) -> None:
        self._inner = inner
        self._allowed = allowed

    def write(self, data: Any) -> int:
        if self._allowed <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._allowed -= 1
        written: int = self._inner.write(data)
        return written

    def writable(self) -> bool:
        return True


def test_full_disk_raises_disk_full_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "cases.csv"
    columns = [Column("code"), Column("note")]
    rows = ((f"IN-{i}", "x" * 100) for i in range(10_000))
    with pytest.raises(DiskFull) as caught, atomic_output(target) as fh:
        write_csv(_FullDisk(fh, allowed=3), columns, rows)  # type: ignore[arg-type]
    assert str(target) in caught.value.message
    assert caught.value.code == "disk_full"
    assert _leftovers(tmp_path) == []


def test_full_disk_on_flush_is_disk_full_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(DiskFull), atomic_output(tmp_path / "x.pdf") as fh:
        fh.write(b"data")
    assert _leftovers(tmp_path) == []
