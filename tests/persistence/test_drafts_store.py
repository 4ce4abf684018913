"""Drafts: kept sealed, found again, never lost to a full disk, and files
that cannot be read are set aside and reported, never deleted or fatal."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from ijmcase.domain.errors import DatabaseCorrupt, DatabaseTooNew, DiskFull
from ijmcase.persistence.drafts_store import (
    JSON,
    DraftStore,
    drafts_folder,
)
from ijmcase.persistence.engine import DatabaseLocation
from tests.conftest import Org

KEY = secrets.token_bytes(32)
DB_ID = "db-0190a1b2"
USER_A = "0190a1b2-0000-7000-8000-00000000000a"
USER_B = "0190a1b2-0000-7000-8000-00000000000b"
NOTE: dict[str, JSON] = {
    "case": "IN-2026-0042",
    "text": "Survivor Priya Sharma met at the shelter ✓",
    "people": [{"name": "Priya", "age": 16}, None],
    "done": False,
    "score": 2.5,
}


def store(folder: Path, user: str = USER_A, key: bytes = KEY, db_id: str = DB_ID) -> DraftStore:
    return DraftStore(folder, key, user, database_id=db_id)


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_round_trip_list_and_discard(tmp_path: Path) -> None:
    drafts = store(tmp_path / "cases.db.drafts")
    assert drafts.load("intervention:new") is None
    assert drafts.list() == []
    info = drafts.save("intervention:new", NOTE)
    assert info.form_key == "intervention:new"
    assert info.size == (drafts.folder / files(drafts.folder)[0]).stat().st_size
    assert drafts.load("intervention:new") == NOTE
    time.sleep(0.002)
    drafts.save("case:IN-2026-0042:closing", {"text": "second"})
    listed = drafts.list()
    assert [d.form_key for d in listed] == ["case:IN-2026-0042:closing", "intervention:new"]
    assert listed[0].saved_at > listed[1].saved_at
    assert listed[0].saved_at.tzinfo is not None
    # Saving again replaces, in place.
    drafts.save("intervention:new", {"text": "edited"})
    assert drafts.load("intervention:new") == {"text": "edited"}
    assert len(files(drafts.folder)) == 2
    drafts.discard("intervention:new")
    drafts.discard("intervention:new")  # nothing there: not an error
    assert drafts.load("intervention:new") is None
    assert [d.form_key for d in drafts.list()] == ["case:IN-2026-0042:closing"]


def test_a_new_store_finds_drafts_after_a_restart(tmp_path: Path) -> None:
    store(tmp_path).save("form", NOTE)
    assert store(tmp_path).load("form") == NOTE


def test_nothing_readable_on_disk(tmp_path: Path) -> None:
    drafts = store(tmp_path / "d")
    drafts.save("case:IN-2026-0042:note", NOTE)
    (name,) = files(drafts.folder)
    assert re.fullmatch(r"[0-9a-f]{64}\.draft", name)
    stem = name.removesuffix(".draft")
    # The name is keyed: not the user, the form, nor a plain hash of them.
    for guess in (
        f"{USER_A}\0case:IN-2026-0042:note",
        f"{USER_A}case:IN-2026-0042:note",
        "case:IN-2026-0042:note",
        USER_A,
    ):
        assert hashlib.sha256(guess.encode()).hexdigest() != stem
    assert "IN-2026" not in name and USER_A not in name
    raw = (drafts.folder / name).read_bytes()
    for secret in (b"Priya", b"IN-2026-0042", USER_A.encode(), "✓".encode()):
        assert secret not in raw
    if os.name == "posix":
        assert stat.S_IMODE(drafts.folder.stat().st_mode) == 0o700


def test_users_keep_their_own_drafts(tmp_path: Path) -> None:
    a, b = store(tmp_path, USER_A), store(tmp_path, USER_B)
    a.save("intervention:new", {"by": "a"})
    b.save("intervention:new", {"by": "b"})
    assert len(files(tmp_path)) == 2
    assert a.load("intervention:new") == {"by": "a"}
    assert b.load("intervention:new") == {"by": "b"}
    assert [d.form_key for d in a.list()] == ["intervention:new"]
    b.discard("intervention:new")
    assert a.load("intervention:new") == {"by": "a"}
    assert b.list() == [] and b.scan().problems == []


@pytest.mark.parametrize(
    "other",
    [
        {"key": secrets.token_bytes(32)},  # a lost laptop and a guessed key
        {"db_id": "another-database"},  # a drafts folder copied beside another database
    ],
)
def test_drafts_open_only_with_this_databases_key(tmp_path: Path, other: dict[str, Any]) -> None:
    store(tmp_path).save("form", NOTE)
    (name,) = files(tmp_path)
    stranger = store(tmp_path, **other)
    # File names are keyed too: without the key one cannot even find a draft.
    assert stranger.load("form") is None
    # Under the name the stranger would use, it still does not open.
    mine = stranger._path("form")
    assert mine.name != name
    os.link(tmp_path / name, mine)
    with pytest.raises(DatabaseCorrupt) as info:
        stranger.load("form")
    assert info.value.code == "draft_unreadable"
    assert "set aside" in info.value.message
    assert "another key or for another database" in info.value.message
    assert stranger.load("form") is None
    # Listing sets the original aside too (not deleted) and reports both.
    scan = stranger.scan()
    assert scan.drafts == []
    assert sorted(p.newly_set_aside for p in scan.problems) == [False, True]
    assert all(p.path.name.endswith(".draft.unreadable") for p in scan.problems)
    assert len(files(tmp_path)) == 2


def test_a_draft_renamed_to_another_forms_name_is_refused(tmp_path: Path) -> None:
    drafts = store(tmp_path)
    drafts.save("case:1:note", {"text": "one"})
    (one,) = files(tmp_path)
    drafts.save("case:2:note", {"text": "two"})
    (two,) = set(files(tmp_path)) - {one}
    os.replace(tmp_path / one, tmp_path / two)
    with pytest.raises(DatabaseCorrupt, match="set aside"):
        drafts.load("case:2:note")
    assert drafts.load("case:2:note") is None


def test_damaged_drafts_are_set_aside_on_load(tmp_path: Path) -> None:
    drafts = store(tmp_path)
    drafts.save("tampered", NOTE)
    path = tmp_path / files(tmp_path)[0]
    good = path.read_bytes()
    flipped = bytearray(good)
    flipped[len(flipped) // 2] ^= 0x10
    path.write_bytes(bytes(flipped))
    with pytest.raises(DatabaseCorrupt, match="damaged"):
        drafts.load("tampered")
    assert (tmp_path / (path.name + ".unreadable")).read_bytes() == bytes(flipped)
    # Cut short, saved again: a second set-aside file does not replace the first.
    drafts.save("tampered", NOTE)
    path.write_bytes(path.read_bytes()[:-30])
    with pytest.raises(DatabaseCorrupt):
        drafts.load("tampered")
    assert sorted(files(tmp_path)) == sorted(
        [path.name + ".unreadable", path.name + ".2.unreadable"]
    )


def test_foreign_files_are_reported_and_set_aside_not_fatal(tmp_path: Path) -> None:
    drafts = store(tmp_path)
    drafts.save("kept", NOTE)
    random_name = "ab" * 32 + ".draft"
    (tmp_path / random_name).write_bytes(os.urandom(300))
    (tmp_path / "notes.txt").write_text("someone's plain notes", encoding="utf-8")
    (tmp_path / "empty.draft").write_bytes(b"")
    (tmp_path / "subfolder").mkdir()
    (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")

    scan = drafts.scan()
    assert [d.form_key for d in scan.drafts] == ["kept"]
    assert len(scan.problems) == 3
    assert all(p.newly_set_aside for p in scan.problems)
    assert all(p.path.name.endswith(".unreadable") and p.path.exists() for p in scan.problems)
    by_name = {p.path.name: p.message for p in scan.problems}
    assert "not a saved draft" in by_name["notes.txt.unreadable"]
    assert "not an ijmcase sealed file" in by_name[random_name + ".unreadable"]
    # Contents kept as they were.
    assert (tmp_path / "notes.txt.unreadable").read_text(
        encoding="utf-8"
    ) == "someone's plain notes"
    # Reported again on the next start until someone deals with them; the
    # draft still loads.
    again = drafts.scan()
    assert len(again.problems) == 3 and not any(p.newly_set_aside for p in again.problems)
    assert drafts.list()[0].form_key == "kept"
    assert drafts.load("kept") == NOTE
    assert (tmp_path / ".DS_Store").exists()


def test_a_draft_from_a_newer_version_is_left_in_place(tmp_path: Path) -> None:
    drafts = store(tmp_path)
    drafts.save("form", NOTE)
    path = tmp_path / files(tmp_path)[0]
    raw = bytearray(path.read_bytes())
    raw[4] = 9
    path.write_bytes(bytes(raw))
    with pytest.raises(DatabaseTooNew):
        drafts.load("form")
    (problem,) = drafts.scan().problems
    assert problem.path == path and not problem.newly_set_aside
    assert path.exists()


def _no_space(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


class _FullDiskFile:
    """A file object whose writes fail as on a full disk."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __enter__(self) -> _FullDiskFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()

    def write(self, data: bytes) -> int:
        self._inner.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.mark.parametrize("where", ["write", "fsync"])
def test_full_disk_keeps_the_previous_draft(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    drafts = store(tmp_path)
    drafts.save("form", {"text": "first version"})
    before = files(tmp_path)
    if where == "fsync":
        monkeypatch.setattr(os, "fsync", _no_space)
    else:
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDiskFile(real_fdopen(*a, **k)))
    with pytest.raises(DiskFull, match="disk is full"):
        drafts.save("form", {"text": "second version, longer " * 50})
    monkeypatch.undo()
    assert files(tmp_path) == before  # no temporary file left behind
    assert drafts.load("form") == {"text": "first version"}


def test_stale_temporaries_of_a_crash_are_cleared(tmp_path: Path) -> None:
    drafts = store(tmp_path)
    drafts.save("form", NOTE)
    old = tmp_path / (files(tmp_path)[0] + ".abc123.tmp")
    old.write_bytes(b"sealed half")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    fresh = tmp_path / "x.def456.tmp"
    fresh.write_bytes(b"being written now")
    scan = drafts.scan()
    assert [d.form_key for d in scan.drafts] == ["form"] and scan.problems == []
    assert not old.exists() and fresh.exists()


def test_not_json_or_empty_form_key_is_refused(tmp_path: Path) -> None:
    drafts = store(tmp_path)
    with pytest.raises(ValueError, match="form key"):
        drafts.save("", {"a": 1})
    with pytest.raises(ValueError, match="JSON"):
        drafts.save("form", {"a": float("nan")})
    assert drafts.load("form") is None


def test_folders(tmp_path: Path) -> None:
    file_db = DatabaseLocation("sqlcipher", path=tmp_path / "cases.db")
    assert drafts_folder(file_db, "id-1") == tmp_path / "cases.db.drafts"
    server = DatabaseLocation("postgresql", url="postgresql+psycopg://u@h/db")
    folder = drafts_folder(server, "id-1")
    assert folder.parts[-2:] == ("drafts", "id-1")


def test_store_for_an_open_database(file_org: Org) -> None:
    db = file_org.db
    user = file_org.actors["caseworker"].user_id
    drafts = DraftStore.for_database(db, user)
    assert db.location.path is not None
    assert drafts.folder == db.location.path.with_name("cases.db.drafts")
    drafts.save("intervention:new", NOTE)
    assert DraftStore.for_database(db, user).load("intervention:new") == NOTE
    assert DraftStore.for_database(db, file_org.actors["lawyer"].user_id).list() == []
