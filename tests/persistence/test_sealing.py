"""Sealing: round trips, refusal of the wrong key, database, use or record,
and of every kind of damage: a flipped bit, a cut, reordered segments."""

from __future__ import annotations

import io
import os
import secrets
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ijmcase.domain.errors import DatabaseCorrupt, DatabaseTooNew, StorageError
from ijmcase.persistence.sealing import (
    CODE_DAMAGED,
    CODE_FOREIGN,
    CODE_OTHER_KEY,
    CODE_TRUNCATED,
    HEADER_SIZE,
    SEGMENT_OVERHEAD,
    Sealer,
    database_identity,
    ensure_private_folder,
)
from tests.conftest import Org

KEY = bytes(range(32))
DB_ID = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"
SMALL = 16  # segment size that makes multi-segment items small


def sealer(
    key: bytes = KEY, db_id: str = DB_ID, purpose: str = "drafts", size: int = SMALL
) -> Sealer:
    return Sealer(key, db_id, purpose, segment_size=size)


def refused(sealed: bytes, *, record: str = "rec-1", by: Sealer | None = None) -> DatabaseCorrupt:
    with pytest.raises(DatabaseCorrupt) as info:
        (by or sealer()).open(record, sealed, what="the test item")
    assert "The test item" in info.value.message
    return info.value


def segments(sealed: bytes, size: int = SMALL) -> tuple[bytes, list[bytes]]:
    head, body = sealed[:HEADER_SIZE], sealed[HEADER_SIZE:]
    step = size + SEGMENT_OVERHEAD
    return head, [body[i : i + step] for i in range(0, len(body), step)]


@pytest.mark.parametrize("length", [0, 1, SMALL - 1, SMALL, SMALL + 1, 2 * SMALL, 5 * SMALL + 3])
def test_round_trip_across_segment_boundaries(length: int) -> None:
    data = os.urandom(length)
    sealed = sealer().seal("rec-1", data)
    full_segments = max(1, -(-length // SMALL))
    assert len(sealed) == HEADER_SIZE + length + full_segments * SEGMENT_OVERHEAD
    assert sealer().open("rec-1", sealed, what="x") == data


def test_streaming_writes_equal_one_shot() -> None:
    data = os.urandom(10 * SMALL + 5)
    out = io.BytesIO()
    with sealer().writer("rec-1", out) as writer:
        for start in range(0, len(data), 7):
            writer.write(data[start : start + 7])
    assert writer.plain_size == len(data)
    assert writer.stored_size == len(out.getvalue())
    assert sealer().open("rec-1", out.getvalue(), what="x") == data
    assert b"".join(sealer().reader("rec-1", io.BytesIO(out.getvalue()), what="x")) == data


def test_the_same_plaintext_seals_differently_and_hides_the_key() -> None:
    one, two = sealer().seal("r", b"secret note"), sealer().seal("r", b"secret note")
    assert one != two
    assert b"secret note" not in one
    assert KEY not in one
    # The database key itself does not open a segment: only derived keys are used.
    _, segs = segments(one)
    with pytest.raises(InvalidTag):
        AESGCM(KEY).decrypt(segs[0][:12], segs[0][12:], None)


def test_subkeys_differ_by_label_purpose_and_database() -> None:
    keys = {
        sealer().subkey("names"),
        sealer().subkey("other"),
        sealer(purpose="blobs").subkey("names"),
        sealer(db_id="another").subkey("names"),
    }
    assert len(keys) == 4
    assert KEY not in keys


def test_wrong_key_other_database_or_other_use_is_refused_clearly() -> None:
    sealed = sealer().seal("rec-1", b"note")
    for other in (
        sealer(key=secrets.token_bytes(32)),
        sealer(db_id="another-database"),
        sealer(purpose="blobs"),
    ):
        exc = refused(sealed, by=other)
        assert exc.code == CODE_OTHER_KEY
        assert "another key or for another database" in exc.message


def test_swapped_record_id_is_refused() -> None:
    sealed = sealer().seal("rec-1", b"note for record 1")
    assert refused(sealed, record="rec-2").code == CODE_DAMAGED
    # Length-prefixed context: moving a character between fields changes it.
    assert refused(sealed, record="rec-1 ").code == CODE_DAMAGED


def test_tampered_bytes_are_refused() -> None:
    sealed = bytearray(sealer().seal("rec-1", os.urandom(3 * SMALL)))
    for position in (HEADER_SIZE - 1, HEADER_SIZE + 3, HEADER_SIZE + 20, len(sealed) - 1):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        assert refused(bytes(damaged)).code == CODE_DAMAGED


def test_header_damage_says_what_it_is() -> None:
    sealed = sealer().seal("rec-1", b"x")
    assert refused(b"PK\x03\x04" + sealed[4:]).code == CODE_FOREIGN
    assert refused(b"plain text, not sealed at all" * 3).code == CODE_FOREIGN
    assert refused(b"").code == CODE_FOREIGN
    newer = sealed[:4] + bytes([2]) + sealed[5:]
    with pytest.raises(DatabaseTooNew):
        sealer().open("rec-1", newer, what="the test item")
    assert refused(sealed[:4] + bytes([0]) + sealed[5:]).code == CODE_DAMAGED
    assert refused(sealed[:5] + bytes([1]) + sealed[6:]).code == CODE_DAMAGED  # flags
    huge = sealed[:6] + (1 << 30).to_bytes(4, "big") + sealed[10:]
    assert refused(huge).code == CODE_DAMAGED
    key_check = bytearray(sealed)
    key_check[12] ^= 0x80
    assert refused(bytes(key_check)).code == CODE_OTHER_KEY


def test_truncation_is_refused() -> None:
    sealed = sealer().seal("rec-1", os.urandom(3 * SMALL + 4))
    head, segs = segments(sealed)
    assert len(segs) == 4
    # Cut at a segment boundary: what is left is well formed but not final.
    for keep in (1, 2, 3):
        assert refused(head + b"".join(segs[:keep])).code == CODE_TRUNCATED
    assert refused(head).code == CODE_TRUNCATED
    assert refused(sealed[: HEADER_SIZE - 3]).code == CODE_TRUNCATED
    assert refused(head + segs[0][: SEGMENT_OVERHEAD - 1]).code == CODE_TRUNCATED
    # Cut inside a segment.
    assert refused(sealed[:-5]).code in (CODE_DAMAGED, CODE_TRUNCATED)


def test_reordered_dropped_or_added_segments_are_refused() -> None:
    sealed = sealer().seal("rec-1", os.urandom(3 * SMALL + 4))
    head, segs = segments(sealed)
    swapped = head + segs[1] + segs[0] + segs[2] + segs[3]
    assert refused(swapped).code == CODE_DAMAGED
    dropped = head + segs[0] + segs[2] + segs[3]
    assert refused(dropped).code == CODE_DAMAGED
    doubled = head + segs[0] + segs[0] + segs[1] + segs[2] + segs[3]
    assert refused(doubled).code == CODE_DAMAGED
    assert refused(sealed + b"extra").code == CODE_DAMAGED
    # A segment from another item of the same key and record does not fit.
    other_head, other_segs = segments(sealer().seal("rec-1", os.urandom(3 * SMALL + 4)))
    assert refused(head + other_segs[0] + b"".join(segs[1:])).code == CODE_DAMAGED
    assert refused(other_head + b"".join(segs)).code == CODE_DAMAGED


def test_streamed_failure_comes_after_good_segments() -> None:
    # A consumer sees earlier segments before the error: it must discard them.
    sealed = bytearray(sealer().seal("rec-1", os.urandom(3 * SMALL)))
    sealed[-1] ^= 1
    got: list[bytes] = []
    with pytest.raises(DatabaseCorrupt):
        got.extend(sealer().reader("rec-1", io.BytesIO(bytes(sealed)), what="x"))
    assert len(got) == 2


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Sealer(b"short", DB_ID, "drafts")
    with pytest.raises(ValueError, match="database id"):
        Sealer(KEY, "", "drafts")
    with pytest.raises(ValueError, match="purpose"):
        Sealer(KEY, DB_ID, "Drafts Folder")
    with pytest.raises(ValueError, match="segment"):
        Sealer(KEY, DB_ID, "drafts", segment_size=0)
    assert "KEY" not in repr(sealer()) and KEY.hex() not in repr(sealer())


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=5 * SMALL + 3), record=st.text(max_size=40))
def test_property_round_trip(data: bytes, record: str) -> None:
    s = sealer()
    assert s.open(record, s.seal(record, data), what="x") == data


@settings(max_examples=150)
@given(data=st.binary(max_size=3 * SMALL), bit=st.integers(min_value=0), record=st.text(max_size=8))
def test_property_any_single_bit_flip_is_detected(data: bytes, bit: int, record: str) -> None:
    s = sealer()
    sealed = bytearray(s.seal(record, data))
    bit %= len(sealed) * 8
    sealed[bit // 8] ^= 1 << (bit % 8)
    with pytest.raises((DatabaseCorrupt, DatabaseTooNew)):
        s.open(record, bytes(sealed), what="x")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_private_folders(tmp_path: Path) -> None:
    made = ensure_private_folder(tmp_path / "a" / "b" / "c")
    for folder in (tmp_path / "a", tmp_path / "a" / "b", made):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    ensure_private_folder(loose)
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700
    # Under a folder anyone may change, a predictable temp folder is refused.
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(StorageError, match="another account"):
        ensure_private_folder(shared / "ijmcase", strict=True)
    shared.chmod(0o777 | stat.S_ISVTX)  # like /tmp: sticky, so entries are safe
    ensure_private_folder(shared / "ijmcase", strict=True)
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(StorageError, match="not a folder"):
        ensure_private_folder(a_file)


def test_database_identity_is_the_key_store_id(file_org: Org) -> None:
    db = file_org.db
    assert db.keystore is not None
    assert database_identity(db) == db.keystore.database_id
    keystore, db.keystore = db.keystore, None
    try:
        # Without a key store (PostgreSQL) the database's own setting is used.
        assert database_identity(db) == keystore.database_id
    finally:
        db.keystore = keystore
