"""Backups carry the attachments: a real SQLCipher file database with real
sealed attachment files is backed up and restored, the attachments read back
byte for byte, the folder it replaced is kept aside, a format 1 backup (no
attachments) still restores, a backup with a missing or altered attachment
file is refused with nothing changed, and a rename that fails halfway
through a restore is undone."""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ijmcase.domain.enums import AttachmentOwner
from ijmcase.domain.errors import BackupError, StorageError
from ijmcase.persistence.backup import BackupManifest, read_manifest
from ijmcase.persistence.blobs import blobs_folder
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.attachments import AttachmentService, Owner
from ijmcase.services.auth import login
from ijmcase.services.maintenance import MaintenanceService, RestoreReport, restore
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, Org, make_org
from tests.services.field_setup import make_case

LETTER = b"%PDF-1.4 Letter from the Child Welfare Committee " * 40
# Over the 1 MiB block the files are streamed in, so streaming is exercised.
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * (5 << 10)
LATER = b"Added after the backup was taken"


def attach(org: Org, case_id: uuid.UUID, name: str, data: bytes) -> uuid.UUID:
    service = AttachmentService(org.db, org.actors["caseworker"])
    return service.add(Owner(AttachmentOwner.CASE, case_id), name, io.BytesIO(data)).value.id


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def do_restore(org: Org, backup: Path) -> RestoreReport:
    org.db.dispose()
    return restore(org.location, backup, "admin", ADMIN_PASSWORD, kdf=FAST_KDF)


def read_back(org: Org, *ids: uuid.UUID) -> list[bytes]:
    """Log in to the database at ``org.location`` again and read attachments."""
    result = login(org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    try:
        service = AttachmentService(result.db, result.actor)
        return [service.read(i) for i in ids]
    finally:
        result.db.dispose()


def rewrite(
    source: Path,
    dest: Path,
    *,
    drop: Callable[[str], bool] = lambda name: False,
    replace: dict[str, bytes] | None = None,
    manifest: Callable[[dict[str, object]], dict[str, object]] | None = None,
) -> Path:
    """A copy of a backup with members dropped, replaced, or its manifest edited."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(dest, "w") as zout:
        for info in zin.infolist():
            if drop(info.filename):
                continue
            data = zin.read(info.filename)
            if info.filename == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif replace and info.filename in replace:
                data = replace[info.filename]
            zout.writestr(info, data)
    return dest


def as_format_1(raw: dict[str, object]) -> dict[str, object]:
    """The manifest a format 1 ijmcase wrote: no attachment files."""
    raw = {k: v for k, v in raw.items() if k != "blobs"}
    raw["format_version"] = 1
    return raw


@pytest.fixture
def backups(tmp_path: Path) -> Path:
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def test_backup_and_restore_bring_attachments_back(file_org: Org, backups: Path) -> None:
    org = file_org
    fc = make_case(org)
    letter = attach(org, fc.id, "cwc-letter.pdf", LETTER)
    photo = attach(org, fc.id, "scene.png", PHOTO)
    folder = blobs_folder(org.location)
    sealed = files_in(folder)
    assert len(sealed) == 2

    backup = backups / "office.ijmbackup"
    manifest = MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    assert manifest.includes_blobs and manifest.format_version == 2
    assert manifest.blob_count == 2
    assert manifest.blob_size == sum(len(b) for b in sealed.values())
    assert read_manifest(backup) == manifest
    with zipfile.ZipFile(backup) as zf:
        members = {i.filename: i for i in zf.infolist() if i.filename.startswith("blobs/")}
        assert set(members) == {f"blobs/{name}" for name in sealed}
        for name, data in sealed.items():
            # Stored as they are, still sealed: never opened, never compressed.
            assert members[f"blobs/{name}"].compress_type == zipfile.ZIP_STORED
            assert zf.read(f"blobs/{name}") == data
        assert PHOTO[:64] not in zf.read(f"blobs/{next(iter(sealed))}")

    later = attach(org, fc.id, "later.txt", LATER)
    before_restore = files_in(folder)
    assert len(before_restore) == 3

    report = do_restore(org, backup)
    assert report.manifest.blob_count == 2
    assert files_in(folder) == sealed
    assert read_back(org, letter, photo) == [LETTER, PHOTO]
    # The folder it replaced is kept whole beside it, named like the database.
    kept_db, kept_blobs = report.previous_kept_at, report.previous_blobs_kept_at
    assert kept_db is not None and kept_blobs is not None
    assert kept_db.name.startswith("cases.db.before-restore-")
    assert kept_blobs.name == kept_db.name + ".blobs"
    assert kept_blobs.parent == folder.parent
    assert files_in(kept_blobs) == before_restore
    result = login(org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    try:
        owner = Owner(AttachmentOwner.CASE, fc.id)
        service = AttachmentService(result.db, result.actor)
        assert later not in [a.id for a in service.attachments_of(owner)]
        # The restored folder takes new attachments as before.
        added = service.add(owner, "after-restore.txt", b"new").value.id
        assert service.read(added) == b"new"
    finally:
        result.db.dispose()


def test_a_format_1_backup_restores_and_leaves_the_attachments_folder(
    file_org: Org, backups: Path
) -> None:
    org = file_org
    fc = make_case(org)
    letter = attach(org, fc.id, "cwc-letter.pdf", LETTER)
    written = backups / "new.ijmbackup"
    MaintenanceService(org.db, org.actors["admin"]).backup(written)
    old = rewrite(
        written,
        backups / "old.ijmbackup",
        drop=lambda name: name.startswith("blobs/"),
        manifest=as_format_1,
    )
    manifest = read_manifest(old)
    assert manifest.format_version == 1 and not manifest.includes_blobs
    assert manifest.blob_count == 0

    folder = blobs_folder(org.location)
    sealed = files_in(folder)
    report = do_restore(org, old)
    # The only copy of the attachments is the folder beside the database: kept in place.
    assert report.previous_kept_at is not None
    assert report.previous_blobs_kept_at is None
    assert files_in(folder) == sealed
    assert read_back(org, letter) == [LETTER]


def _damage_removed(backup: Path, dest: Path, name: str) -> Path:
    return rewrite(backup, dest, drop=lambda member: member == f"blobs/{name}")


def _damage_altered(backup: Path, dest: Path, name: str) -> Path:
    with zipfile.ZipFile(backup) as zf:
        data = bytearray(zf.read(f"blobs/{name}"))
    data[len(data) // 2] ^= 0xFF
    return rewrite(backup, dest, replace={f"blobs/{name}": bytes(data)})


def _damage_bytes_on_disk(backup: Path, dest: Path, name: str) -> Path:
    # A flipped bit in the file itself: the zip's own CRC no longer matches.
    with zipfile.ZipFile(backup) as zf:
        info = zf.getinfo(f"blobs/{name}")
    raw = bytearray(backup.read_bytes())
    at = info.header_offset
    header = 30 + int.from_bytes(raw[at + 26 : at + 28], "little")
    header += int.from_bytes(raw[at + 28 : at + 30], "little")
    raw[info.header_offset + header + info.file_size // 2] ^= 0x01
    dest.write_bytes(bytes(raw))
    return dest


def _damage_extra_member(backup: Path, dest: Path, name: str) -> Path:
    shutil.copyfile(backup, dest)
    with zipfile.ZipFile(dest, "a") as zf:
        zf.writestr("blobs/" + "0" * 32 + ".blob", b"not listed")
    return dest


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (_damage_removed, "1 of its 2 attachment files is missing from it"),
        (_damage_altered, "does not match its checksum"),
        (_damage_bytes_on_disk, "cannot be read from it"),
        (_damage_extra_member, "attachment files its manifest does not list"),
    ],
)
def test_a_backup_with_a_damaged_attachment_is_refused_and_nothing_changes(
    file_org: Org,
    backups: Path,
    tmp_path: Path,
    damage: Callable[[Path, Path, str], Path],
    says: str,
) -> None:
    org = file_org
    fc = make_case(org)
    letter = attach(org, fc.id, "cwc-letter.pdf", LETTER)
    attach(org, fc.id, "scene.png", PHOTO)
    backup = backups / "office.ijmbackup"
    manifest = MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    damaged = damage(backup, backups / "damaged.ijmbackup", manifest.blobs[0].name)
    org.db.dispose()
    before = {k: v for k, v in files_in(tmp_path).items() if not k.startswith("backups")}

    with pytest.raises(BackupError) as refused:
        read_manifest(damaged)
    message = str(refused.value)
    assert message.startswith(f"The backup {damaged} is damaged: ")
    assert says in message and message.endswith("Nothing was changed.")
    with pytest.raises(BackupError, match="is damaged"):
        do_restore(org, damaged)

    after = {k: v for k, v in files_in(tmp_path).items() if not k.startswith("backups")}
    assert after == before
    assert read_back(org, letter) == [LETTER]


def test_a_database_without_attachments_backs_up_and_restores(file_org: Org, backups: Path) -> None:
    org = file_org
    fc = make_case(org)
    folder = blobs_folder(org.location)
    assert not folder.exists()
    backup = backups / "office.ijmbackup"
    manifest = MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    assert manifest.includes_blobs and manifest.blob_count == 0 and manifest.blob_size == 0
    assert read_manifest(backup) == manifest

    # An attachment added after the backup is not the restored database's:
    # its folder is set aside with the database it belongs to.
    later = attach(org, fc.id, "later.txt", LATER)
    report = do_restore(org, backup)
    assert report.previous_blobs_kept_at is not None
    assert len(files_in(report.previous_blobs_kept_at)) == 1
    assert files_in(folder) == {}
    result = login(org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    try:
        service = AttachmentService(result.db, result.actor)
        owner = Owner(AttachmentOwner.CASE, fc.id)
        assert [a.id for a in service.attachments_of(owner)] == []
        assert later != service.add(owner, "after.txt", b"after").value.id
    finally:
        result.db.dispose()

    # And again with no attachments folder at all on either side.
    shutil.rmtree(folder)
    assert do_restore(org, backup).previous_blobs_kept_at is None


@pytest.mark.parametrize("failing", ["restored.db.blobs", "restored.db", "restored.db.keys"])
def test_a_rename_failing_halfway_through_a_restore_is_undone(
    file_org: Org,
    backups: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
) -> None:
    org = file_org
    fc = make_case(org)
    letter = attach(org, fc.id, "cwc-letter.pdf", LETTER)
    backup = backups / "office.ijmbackup"
    MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    later = attach(org, fc.id, "later.txt", LATER)
    org.db.dispose()
    before = {k: v for k, v in files_in(tmp_path).items() if not k.startswith("backups")}

    real_replace = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        # Fails moving one restored file into place, after the old ones went aside.
        if Path(src).name == failing and Path(dst).parent == tmp_path:
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(StorageError) as failed:
            do_restore(org, backup)
    assert "Input/output error" in str(failed.value)
    assert "left as they were" in str(failed.value)

    # Everything is back where it was, nothing is left aside or half-restored.
    after = {k: v for k, v in files_in(tmp_path).items() if not k.startswith("backups")}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if "before-restore" in p.name]
    assert read_back(org, letter, later) == [LETTER, LATER]


def test_a_restore_whose_undo_fails_too_says_where_the_old_files_are(
    file_org: Org, backups: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = file_org
    fc = make_case(org)
    letter = attach(org, fc.id, "cwc-letter.pdf", LETTER)
    backup = backups / "office.ijmbackup"
    MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    old_blobs = files_in(blobs_folder(org.location))
    real_replace = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        name = Path(src).name
        if name == "restored.db" or ("before-restore" in name and name.endswith(".blobs")):
            raise OSError(5, "Input/output error")
        real_replace(src, dst)

    org.db.dispose()
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(StorageError) as failed:
            do_restore(org, backup)
    message = str(failed.value)
    assert "Putting the old files back failed too" in message
    # The old attachments are not lost: the message names where they are.
    kept = [p for p in tmp_path.iterdir() if "before-restore" in p.name]
    assert [p.name.endswith(".blobs") for p in kept] == [True]
    assert str(kept[0]) in message
    assert files_in(kept[0]) == old_blobs
    # The database itself went back; moving the folder back by hand restores all.
    assert not blobs_folder(org.location).exists()
    kept[0].rename(blobs_folder(org.location))
    assert read_back(org, letter) == [LETTER]


# -- the manifest is outside input ---------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=8,
)
_KEYS = st.sampled_from(
    [
        "format",
        "format_version",
        "sha256",
        "size",
        "schema_revision",
        "blobs",
        "blobs.count",
        "blobs.size",
        "blobs.files",
        "blobs.files.0",
        "blobs.files.0.name",
        "blobs.files.0.size",
        "blobs.files.0.sha256",
    ]
)


@pytest.fixture(scope="module")
def sample_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real backup of a tiny database with one attachment."""
    folder = tmp_path_factory.mktemp("sample")
    org = make_org(DatabaseLocation("sqlcipher", path=folder / "cases.db"))
    try:
        attach(org, make_case(org).id, "note.txt", b"note")
        backup = folder / "sample.ijmbackup"
        MaintenanceService(org.db, org.actors["admin"]).backup(backup)
    finally:
        org.db.dispose()
    return backup


def _set(raw: object, dotted: str, value: object) -> None:
    *path, last = dotted.split(".")
    for step in path:
        if isinstance(raw, dict):
            raw = raw.get(step)
        elif isinstance(raw, list) and step.isdigit() and int(step) < len(raw):
            raw = raw[int(step)]
        else:
            return
    if isinstance(raw, dict):
        raw[last] = value
    elif isinstance(raw, list) and last.isdigit() and int(last) < len(raw):
        raw[int(last)] = value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(_KEYS, _JSON), min_size=1, max_size=3))
def test_any_backup_manifest_is_read_or_refused_clearly(
    sample_backup: Path, edits: list[tuple[str, object]]
) -> None:
    def edit(raw: dict[str, object]) -> dict[str, object]:
        for key, value in edits:
            _set(raw, key, value)
        return raw

    with tempfile.TemporaryDirectory() as tmp:
        edited = rewrite(sample_backup, Path(tmp) / "edited.ijmbackup", manifest=edit)
        try:
            manifest = read_manifest(edited)
        except BackupError as exc:
            assert str(exc).endswith(".")
        else:
            assert isinstance(manifest, BackupManifest)
