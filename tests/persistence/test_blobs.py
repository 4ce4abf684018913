"""Attachments: sealed files named by id, checked on every read, opened
through temporary copies that do not outlive their use (or a crash)."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import secrets
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from ijmcase.domain.errors import DatabaseCorrupt, DiskFull, StorageError
from ijmcase.persistence.blobs import BlobRef, BlobStore, blobs_folder, default_temp_root
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.sealing import HEADER_SIZE, SEGMENT_OVERHEAD
from tests.conftest import Org

KEY = secrets.token_bytes(32)
DB_ID = "db-0190a1b2"
SMALL = 1024
OWNER = "person:0190a1b2-0000-7000-8000-000000000001"
PHOTO = b"\xff\xd8\xff\xe0 a photo of a survivor's identity card " + os.urandom(5000)


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return make(tmp_path)


def make(tmp_path: Path, key: bytes = KEY, db_id: str = DB_ID, size: int = SMALL) -> BlobStore:
    return BlobStore(
        tmp_path / "cases.db.blobs",
        key,
        database_id=db_id,
        temp_root=tmp_path / "open",
        segment_size=size,
    )


def file_of(store: BlobStore, ref: BlobRef) -> Path:
    return store.folder / f"{ref.id}.blob"


def refused(store: BlobStore, ref: BlobRef, label: str = "ID card.jpg") -> DatabaseCorrupt:
    with pytest.raises(DatabaseCorrupt) as info:
        store.get(ref, label=label)
    assert f"'{label}'" in info.value.message
    return info.value


def test_round_trip_bytes_and_stream(blobs: BlobStore) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    assert ref.sha256 == hashlib.sha256(PHOTO).hexdigest()
    assert ref.size == len(PHOTO)
    assert ref.stored_size == file_of(blobs, ref).stat().st_size
    assert ref.owner == OWNER
    assert blobs.get(ref) == PHOTO
    streamed = blobs.put(io.BytesIO(PHOTO), owner=OWNER)
    assert streamed.id != ref.id and streamed.sha256 == ref.sha256
    assert blobs.get(streamed) == PHOTO
    empty = blobs.put(b"", owner=OWNER)
    assert blobs.get(empty) == b"" and empty.sha256 == hashlib.sha256(b"").hexdigest()
    exact = blobs.put(PHOTO[: 3 * SMALL], owner=OWNER)
    assert blobs.get(exact) == PHOTO[: 3 * SMALL]


def test_files_reveal_neither_content_nor_hash(blobs: BlobStore) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    names = sorted(p.name for p in blobs.folder.iterdir())
    assert names == [f"{ref.id}.blob"]
    assert ref.sha256 not in names[0] and ref.sha256[:16] not in names[0]
    raw = file_of(blobs, ref).read_bytes()
    assert b"identity card" not in raw and PHOTO[-64:] not in raw
    assert bytes.fromhex(ref.sha256) not in raw
    assert OWNER.encode() not in raw
    # The same photo twice gets two unrelated files.
    again = blobs.put(PHOTO, owner=OWNER)
    assert again.id != ref.id
    assert file_of(blobs, again).read_bytes()[HEADER_SIZE:] != raw[HEADER_SIZE:]
    if os.name == "posix":
        assert stat.S_IMODE(blobs.folder.stat().st_mode) == 0o700


def test_tampered_byte_is_refused_naming_the_attachment(blobs: BlobStore) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    path = file_of(blobs, ref)
    raw = bytearray(path.read_bytes())
    raw[HEADER_SIZE + SMALL + 40] ^= 0x04
    path.write_bytes(bytes(raw))
    exc = refused(blobs, ref)
    assert exc.code == "sealed_damaged"
    assert "The attachment 'ID card.jpg' is damaged" in exc.message
    # Without a label, the id names it.
    with pytest.raises(DatabaseCorrupt, match=ref.id):
        blobs.get(ref)


def test_truncated_and_reordered_blobs_are_refused(blobs: BlobStore) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    path = file_of(blobs, ref)
    raw = path.read_bytes()
    head, body = raw[:HEADER_SIZE], raw[HEADER_SIZE:]
    step = SMALL + SEGMENT_OVERHEAD
    segs = [body[i : i + step] for i in range(0, len(body), step)]
    assert len(segs) == 5
    path.write_bytes(head + b"".join(segs[:3]))
    assert refused(blobs, ref).code == "sealed_truncated"
    path.write_bytes(head + segs[0] + segs[2] + segs[1] + segs[3] + segs[4])
    assert refused(blobs, ref).code == "sealed_damaged"
    path.write_bytes(raw[:-1])
    refused(blobs, ref)


def test_blob_moved_to_another_id_owner_or_database_is_refused(
    tmp_path: Path, blobs: BlobStore
) -> None:
    one = blobs.put(b"photo one", owner=OWNER)
    two = blobs.put(b"photo two", owner=OWNER)
    # File copied over another blob's file.
    file_of(blobs, two).write_bytes(file_of(blobs, one).read_bytes())
    assert refused(blobs, two).code == "sealed_damaged"
    # A row pointed at another record's blob.
    three = blobs.put(b"photo three", owner=OWNER)
    moved = BlobRef(three.id, "case:someone-else", three.sha256, three.size, three.stored_size)
    assert refused(blobs, moved).code == "sealed_damaged"
    # Another key, another database.
    for stranger in (make(tmp_path, key=secrets.token_bytes(32)), make(tmp_path, db_id="x")):
        assert refused(stranger, three).code == "sealed_other_key"


def test_hash_size_missing_file_and_bad_ids(blobs: BlobStore) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    wrong_hash = BlobRef(ref.id, OWNER, hashlib.sha256(b"other").hexdigest(), ref.size, 0)
    exc = refused(blobs, wrong_hash)
    assert exc.code == "blob_mismatch" and "fingerprint" in exc.message
    wrong_size = BlobRef(ref.id, OWNER, ref.sha256, ref.size + 1, 0)
    assert refused(blobs, wrong_size).code == "blob_mismatch"
    upper = BlobRef(ref.id, OWNER, ref.sha256.upper(), ref.size, 0)
    assert blobs.get(upper) == PHOTO
    file_of(blobs, ref).unlink()
    exc = refused(blobs, ref)
    assert exc.code == "blob_missing" and "missing" in exc.message
    for bad in ("../../etc/passwd", "", ref.id.upper(), ref.id + "0"):
        with pytest.raises(DatabaseCorrupt, match="not valid"):
            blobs.get(BlobRef(bad, OWNER, ref.sha256, ref.size, 0))


def test_temporary_copy_is_private_and_removed(blobs: BlobStore, tmp_path: Path) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    with blobs.open_temporary(ref, ".jpg") as path:
        assert path.read_bytes() == PHOTO
        assert path.name == "attachment.jpg"
        assert path.parent.parent == tmp_path / "open"
        assert path.parent.name.startswith(f"{os.getpid()}-")
        if os.name == "posix":
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
            assert stat.S_IMODE((tmp_path / "open").stat().st_mode) == 0o700
    assert not path.exists() and not path.parent.exists()
    assert list((tmp_path / "open").iterdir()) == []
    # Removed when the block raises, too.
    with pytest.raises(RuntimeError), blobs.open_temporary(ref) as path:
        raise RuntimeError("viewer failed")
    assert not path.parent.exists()


def test_no_plaintext_left_when_a_blob_fails_part_way(blobs: BlobStore, tmp_path: Path) -> None:
    ref = blobs.put(PHOTO, owner=OWNER)
    path = file_of(blobs, ref)
    raw = bytearray(path.read_bytes())
    raw[-3] ^= 0x01  # the last segment: earlier ones were already written out
    path.write_bytes(bytes(raw))
    with pytest.raises(DatabaseCorrupt), blobs.open_temporary(ref, ".jpg"):
        pytest.fail("must not be reached")
    assert list((tmp_path / "open").iterdir()) == []
    # A blob that opens but is not the one the row describes: checked only
    # at the end, after the copy was written.
    good = blobs.put(PHOTO, owner=OWNER)
    wrong_hash = BlobRef(good.id, OWNER, "0" * 64, good.size, 0)
    with pytest.raises(DatabaseCorrupt), blobs.open_temporary(wrong_hash):
        pytest.fail("must not be reached")
    assert list((tmp_path / "open").iterdir()) == []


def test_suffix_cannot_escape_the_folder(blobs: BlobStore) -> None:
    ref = blobs.put(b"x", owner=OWNER)
    for bad in ("/../../x", "../x", ".pdf/..", "pdf", ".a b"):
        with pytest.raises(ValueError, match="suffix"), blobs.open_temporary(ref, bad):
            pass
    with blobs.open_temporary(ref, ".tar.gz") as path:
        assert path.name == "attachment.tar.gz"


def _dead_pid() -> int:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    return int(child.stdout)


def test_sweep_removes_leftovers_of_a_crash(blobs: BlobStore, tmp_path: Path) -> None:
    root = tmp_path / "open"
    root.mkdir(mode=0o700)
    crashed = root / f"{_dead_pid()}-abc123"
    crashed.mkdir()
    (crashed / "attachment.jpg").write_bytes(PHOTO)
    live = root / f"{os.getpid()}-live01"
    live.mkdir()
    (live / "attachment.pdf").write_bytes(b"being viewed")
    forgotten = root / f"{os.getpid()}-old001"
    forgotten.mkdir()
    (forgotten / "attachment.pdf").write_bytes(b"open for days")
    two_days_ago = time.time() - 2 * 86400
    os.utime(forgotten, (two_days_ago, two_days_ago))
    stray = root / "stray.txt"
    stray.write_bytes(b"?")
    blobs.folder.mkdir(mode=0o700)
    partial_old = blobs.folder / ".0123.partial"
    partial_old.write_bytes(b"sealed half")
    os.utime(partial_old, (two_days_ago, two_days_ago))
    partial_new = blobs.folder / ".4567.partial"
    partial_new.write_bytes(b"being written")

    assert blobs.sweep_stale_temporaries() == 4
    assert sorted(p.name for p in root.iterdir()) == [live.name]
    assert not partial_old.exists() and partial_new.exists()
    assert blobs.sweep_stale_temporaries() == 0


def test_sweep_without_any_folder_is_quiet(tmp_path: Path) -> None:
    assert make(tmp_path).sweep_stale_temporaries() == 0


@pytest.mark.parametrize("where", ["fsync", "write"])
def test_full_disk_leaves_nothing(
    blobs: BlobStore, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    kept = blobs.put(b"earlier attachment", owner=OWNER)

    def no_space(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "fsync":
        monkeypatch.setattr(os, "fsync", no_space)
    else:
        # Fails after the header and the first segments were written.
        calls = {"n": 0}
        real_open = blobs._sealer.writer

        def writer(record_id: str, dest: io.BufferedWriter) -> object:
            real_write = dest.write

            def write(data: bytes) -> int:
                calls["n"] += 1
                if calls["n"] > 3:
                    no_space()
                return real_write(data)

            monkeypatch.setattr(dest, "write", write)
            return real_open(record_id, dest)

        monkeypatch.setattr(blobs._sealer, "writer", writer)
    with pytest.raises(DiskFull):
        blobs.put(PHOTO, owner=OWNER)
    monkeypatch.undo()
    assert sorted(p.name for p in blobs.folder.iterdir()) == [f"{kept.id}.blob"]
    assert blobs.get(kept) == b"earlier attachment"


def test_unsafe_temp_root_is_refused(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    store = BlobStore(tmp_path / "b", KEY, database_id=DB_ID, temp_root=shared / "open")
    ref = store.put(b"x", owner=OWNER)
    with pytest.raises(StorageError, match="another account"), store.open_temporary(ref):
        pass


def test_default_temp_root_is_per_account_without_warnings() -> None:
    root = default_temp_root()
    assert root.name == "open" and "ijmcase" in str(root)


def test_a_50_mb_file_is_never_held_whole(tmp_path: Path) -> None:
    store = BlobStore(
        tmp_path / "b", KEY, database_id=DB_ID, temp_root=tmp_path / "open"
    )  # default 1 MiB segments
    source = tmp_path / "video.mp4"
    hasher = hashlib.sha256()
    with source.open("wb") as fh:
        for _ in range(50):
            chunk = os.urandom(1 << 20)
            hasher.update(chunk)
            fh.write(chunk)
    limit = 8 << 20
    tracemalloc.start()
    try:
        with source.open("rb") as fh:
            ref = store.put(fh, owner=OWNER)
        _, peak_put = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with store.open_temporary(ref, ".mp4") as copy:
            _, peak_open = tracemalloc.get_traced_memory()
            assert copy.stat().st_size == 50 << 20
    finally:
        tracemalloc.stop()
    assert ref.sha256 == hasher.hexdigest() and ref.size == 50 << 20
    assert peak_put < limit, peak_put
    assert peak_open < limit, peak_open


def test_folders_and_store_for_an_open_database(file_org: Org, tmp_path: Path) -> None:
    server = DatabaseLocation("postgresql", url="postgresql+psycopg://u@h/db")
    with pytest.raises(StorageError, match="PostgreSQL"):
        blobs_folder(server)
    db = file_org.db
    store = BlobStore.for_database(db, temp_root=tmp_path / "open")
    assert db.location.path is not None
    assert store.folder == db.location.path.with_name("cases.db.blobs")
    ref = store.put(PHOTO, owner=OWNER)
    assert BlobStore.for_database(db).get(ref) == PHOTO
