"""``ijmcase db backup`` and ``db restore`` on a database with attachments:
the summaries count the attachment files carried and brought back, and say
where the replaced attachments folder was kept."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from ijmcase.cli import main
from ijmcase.domain.enums import AttachmentOwner
from ijmcase.persistence.blobs import blobs_folder
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.attachments import AttachmentService, Owner
from tests.conftest import ADMIN_PASSWORD, Org
from tests.services.field_setup import make_case


@pytest.fixture
def db(file_org: Org, monkeypatch: pytest.MonkeyPatch) -> Path:
    fc = make_case(file_org)
    service = AttachmentService(file_org.db, file_org.actors["caseworker"])
    owner = Owner(AttachmentOwner.CASE, fc.id)
    service.add(owner, "letter.pdf", b"%PDF-1.4 letter")
    service.add(owner, "photo.png", io.BytesIO(b"\x89PNG" + b"x" * 5000))
    for var in ("IJMCASE_DB", "IJMCASE_USER", "IJMCASE_NEW_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("IJMCASE_PASSWORD", ADMIN_PASSWORD)
    file_org.db.dispose()
    path = file_org.location.path
    assert path is not None
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_and_restore_summaries_count_attachment_files(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "office.ijmbackup"
    as_admin = ("--db", str(db), "--user", "admin")
    code, out, err = run(capsys, *as_admin, "db", "backup", str(backup))
    assert code == 0, err
    assert out.startswith(f"Backed up to {backup} (")
    assert "; 2 attachment files, " in out

    code, out, err = run(capsys, *as_admin, "db", "restore", str(backup))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"Restored {db} from the backup made ")
    assert lines[0].endswith(", with 2 attachment files.")
    assert "The database it replaced was kept as" in out
    kept = blobs_folder_kept(lines)
    assert kept.is_dir() and len(list(kept.glob("*.blob"))) == 2


def blobs_folder_kept(lines: list[str]) -> Path:
    prefix = "The attachments folder it replaced was kept as "
    [line] = [line for line in lines if line.startswith(prefix)]
    return Path(line.removeprefix(prefix).removesuffix("."))


def test_restoring_a_format_1_backup_says_the_attachments_were_left(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "office.ijmbackup"
    as_admin = ("--db", str(db), "--user", "admin")
    assert run(capsys, *as_admin, "db", "backup", str(backup))[0] == 0
    old = tmp_path / "old.ijmbackup"
    with zipfile.ZipFile(backup) as zin, zipfile.ZipFile(old, "w") as zout:
        for info in zin.infolist():
            if info.filename.startswith("blobs/"):
                continue
            data = zin.read(info.filename)
            if info.filename == "manifest.json":
                raw = json.loads(data)
                del raw["blobs"]
                raw["format_version"] = 1
                data = json.dumps(raw).encode()
            zout.writestr(info, data)

    code, out, err = run(capsys, *as_admin, "db", "restore", str(old))
    assert code == 0, err
    assert "holds no attachment files; the attachments folder beside the database was left" in out
    assert "attachments folder it replaced" not in out
    assert len(list(blobs_folder_of(db).glob("*.blob"))) == 2


def blobs_folder_of(db: Path) -> Path:
    return blobs_folder(DatabaseLocation("sqlcipher", path=db))


def test_a_damaged_backup_is_one_clear_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "office.ijmbackup"
    as_admin = ("--db", str(db), "--user", "admin")
    assert run(capsys, *as_admin, "db", "backup", str(backup))[0] == 0
    damaged = tmp_path / "damaged.ijmbackup"
    with zipfile.ZipFile(backup) as zin, zipfile.ZipFile(damaged, "w") as zout:
        dropped = False
        for info in zin.infolist():
            if info.filename.startswith("blobs/") and not dropped:
                dropped = True
                continue
            zout.writestr(info, zin.read(info.filename))

    code, out, err = run(capsys, *as_admin, "db", "restore", str(damaged))
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"The backup {damaged} is damaged: 1 of its 2 attachment files is missing" in err
    assert err.rstrip().endswith("Nothing was changed.")
