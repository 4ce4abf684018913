"""Bad files and bad moments on the encrypted file database: each gets a
clear error naming the problem, and the files are left as they were."""

from __future__ import annotations

import errno
import hashlib
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, text

from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import ViolenceType
from ijmcase.domain.errors import (
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseTooNew,
    DiskFull,
    InvalidCredentials,
    NotAnIjmcaseDatabase,
)
from ijmcase.persistence import migrate
from ijmcase.persistence.engine import SQLITE_HEADER, DatabaseLocation
from ijmcase.persistence.keystore import keystore_path
from ijmcase.services.auth import login
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, Org

JAN5 = date(2026, 1, 5)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _login(location: DatabaseLocation, password: str = ADMIN_PASSWORD) -> None:
    login(location, "admin", password, kdf=FAST_KDF).db.dispose()


def _closed(file_org: Org) -> Path:
    file_org.db.dispose()
    assert file_org.location.path is not None
    return file_org.location.path


def test_file_is_encrypted_and_wrong_password_changes_nothing(file_org: Org) -> None:
    path = _closed(file_org)
    head = path.read_bytes()[:16]
    assert head != SQLITE_HEADER
    before = _digest(path)
    with pytest.raises(InvalidCredentials):
        _login(file_org.location, "wrong password")
    assert _digest(path) == before


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    missing = DatabaseLocation("sqlcipher", path=tmp_path / "none.db")
    with pytest.raises(DatabaseMissing, match="no database at"):
        _login(missing)

    plain = tmp_path / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(NotAnIjmcaseDatabase, match="plain, unencrypted SQLite"):
        _login(DatabaseLocation("sqlcipher", path=plain))

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00" * 4000)
    with pytest.raises(NotAnIjmcaseDatabase, match=r"no key store \(report.pdf.keys\)"):
        _login(DatabaseLocation("sqlcipher", path=pdf))

    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    with pytest.raises(NotAnIjmcaseDatabase, match="empty or truncated"):
        _login(DatabaseLocation("sqlcipher", path=empty))


def test_damaged_key_store(file_org: Org) -> None:
    path = _closed(file_org)
    keystore_path(path).write_text("{ not json")
    with pytest.raises(NotAnIjmcaseDatabase, match=r"key store .* is damaged"):
        _login(file_org.location)


def test_key_store_of_another_database(file_org: Org, tmp_path: Path) -> None:
    from tests.conftest import make_org

    path = _closed(file_org)
    other = make_org(DatabaseLocation("sqlcipher", path=tmp_path / "other" / "b.db"))
    other.db.dispose()
    assert other.location.path is not None
    shutil.copy(keystore_path(other.location.path), keystore_path(path))
    # The other key opens nothing here: the file reads as damaged.
    with pytest.raises(DatabaseCorrupt, match="damaged or was replaced"):
        _login(file_org.location)


def test_truncated_file_is_reported_as_damaged(file_org: Org) -> None:
    path = _closed(file_org)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises((DatabaseCorrupt, NotAnIjmcaseDatabase)) as err:
        _login(file_org.location)
    assert "damaged" in str(err.value) or "no ijmcase tables" in str(err.value)


def test_newer_database_is_refused_untouched(file_org: Org) -> None:
    with file_org.db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    path = _closed(file_org)
    before = _digest(path), _digest(keystore_path(path))
    with pytest.raises(DatabaseTooNew, match="newer version of ijmcase"):
        _login(file_org.location)
    assert (_digest(path), _digest(keystore_path(path))) == before


def test_older_database_is_backed_up_then_upgraded(file_org: Org) -> None:
    from alembic import command

    first, head = migrate.KNOWN_REVISIONS[0], migrate.HEAD_REVISION
    assert first != head, "needs at least two revisions"
    with file_org.db.engine.begin() as conn:
        command.downgrade(migrate.alembic_config(conn), first)
    path = _closed(file_org)
    result = login(file_org.location, "admin", ADMIN_PASSWORD, kdf=FAST_KDF)
    try:
        report = result.db.upgraded
        assert report is not None
        assert (report.from_revision, report.to_revision) == (first, head)
        assert report.backup is not None
        assert report.backup.exists()
        assert report.backup.parent == path.parent
        with result.db.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            # The upgrade switches foreign keys off for batch rebuilds; they are on again.
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        result.db.dispose()
    from ijmcase.persistence.backup import read_manifest

    assert read_manifest(report.backup).schema_revision == first


def test_full_database_is_a_clear_error_and_loses_nothing(file_org: Org) -> None:
    cases = file_org.cases("caseworker")
    draft = CaseDraft("A case", ViolenceType.OSEC, "PH", JAN5)
    kept = cases.create(draft).value

    @event.listens_for(file_org.db.engine, "connect")
    def _tiny(dbapi_conn: object, _record: object) -> None:
        # SQLite's own page limit produces the real "database or disk is full".
        dbapi_conn.execute("PRAGMA max_page_count = 1")  # type: ignore[attr-defined]

    file_org.db.engine.dispose()
    with pytest.raises(DiskFull, match="disk is full"):
        cases.create(CaseDraft("Big", ViolenceType.OSEC, "PH", JAN5, summary="x" * 90_000))
    event.remove(file_org.db.engine, "connect", _tiny)
    file_org.db.engine.dispose()
    assert cases.get(kept.id).title == "A case"


def test_full_disk_while_saving_the_key_store(
    file_org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _closed(file_org)
    ks = keystore_path(path)
    before = ks.read_bytes()

    def no_space(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("ijmcase.persistence.keystore.os.fsync", no_space)
    with pytest.raises(InvalidCredentials):
        _login(file_org.location, "wrong")  # the failure counter cannot be saved...
    assert ks.read_bytes() == before  # ...and the key store is intact
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    from ijmcase.persistence.keystore import Keystore

    store = Keystore.load(ks)
    with pytest.raises(DiskFull, match="disk is full"):
        store.save()
