"""Attachments: sealed on disk (the plaintext is nowhere in the blob file),
hash recorded, a temporary copy that goes away, retiring, access, audit;
a clear refusal on PostgreSQL, where blob files are not used."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from ijmcase.domain.enums import AttachmentOwner, PartyKind
from ijmcase.domain.errors import AccessDenied, NotFound, StorageError, ValidationError
from ijmcase.persistence.blobs import BlobStore, blobs_folder
from ijmcase.persistence.models import Attachment, AuditEvent
from ijmcase.services.attachments import AttachmentService, Owner
from ijmcase.services.person_merges import PersonMergeService
from tests.conftest import Org
from tests.services.field_setup import draft, interventions, make_case

PHOTO = b"\x89PNG\r\n\x1a\n" + b"FACE-OF-A-SURVIVOR " * 500
LETTER = "Letter from the Child Welfare Committee about प्रिया".encode()


def service(org: Org, tmp_path: Path, who: str = "caseworker") -> AttachmentService:
    blobs = BlobStore.for_database(org.db, temp_root=tmp_path / "open")
    return AttachmentService(org.db, org.actors[who], blobs=blobs)


def test_attachments_are_sealed_hashed_listed_opened_and_retired(
    file_org: Org, tmp_path: Path
) -> None:
    org = file_org
    fc = make_case(org)
    attach = service(org, tmp_path)
    owner = Owner(AttachmentOwner.CASE, fc.id)
    view = attach.add(owner, "C:\\Users\\cw\\cwc-letter.pdf", LETTER, description="CWC order").value
    assert view.file_name == "cwc-letter.pdf" and view.media_type == "application/pdf"
    assert view.sha256 == hashlib.sha256(LETTER).hexdigest() and view.size == len(LETTER)
    photo = attach.add(
        Owner(AttachmentOwner.SURVIVOR, fc.survivor_id), "face.png", io.BytesIO(PHOTO)
    ).value
    # Nothing readable on disk: the files hold neither the bytes nor the words.
    files = list(blobs_folder(org.location).glob("*.blob"))
    assert len(files) == 2
    for file in files:
        raw = file.read_bytes()
        assert LETTER not in raw and b"FACE-OF-A-SURVIVOR" not in raw and b"PNG" not in raw
    assert [a.id for a in attach.attachments_of(owner)] == [view.id]
    assert attach.read(photo.id) == PHOTO
    with attach.open_temporary(view.id) as path:
        assert path.suffix == ".pdf" and path.read_bytes() == LETTER
        copy = path
    assert not copy.exists()
    attach.retire(view.id, "Uploaded to the wrong case")
    assert attach.attachments_of(owner) == []
    assert [a.retired for a in attach.attachments_of(owner, include_retired=True)] == [True]
    with pytest.raises(NotFound):
        attach.read(view.id)
    with org.db.read_session() as session:
        actions = session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("attachment.%"))
            .order_by(AuditEvent.seq)
        ).all()
    assert actions == [
        "attachment.add",
        "attachment.add",
        "attachment.read",
        "attachment.open",
        "attachment.retire",
    ]


def test_intervention_attachment_and_bad_input(file_org: Org, tmp_path: Path) -> None:
    org = file_org
    fc = make_case(org)
    logged = interventions(org).log(fc.id, draft(fc)).value.intervention
    attach = service(org, tmp_path)
    owner = Owner(AttachmentOwner.INTERVENTION, logged.id)
    view = attach.add(owner, "notes.txt", b"hello").value
    assert view.case_id == fc.id and view.media_type == "text/plain"
    with pytest.raises(ValidationError, match="Give the file a name"):
        attach.add(owner, "/tmp/", b"x")
    with pytest.raises(ValidationError, match="media type"):
        attach.add(owner, "x.bin", b"x", media_type="nonsense")
    with pytest.raises(NotFound):
        attach.add(Owner(AttachmentOwner.INTERVENTION, fc.id), "x.txt", b"x")
    # Refusals leave no blob behind.
    assert len(list(blobs_folder(org.location).glob("*.blob"))) == 1


def test_a_failed_save_removes_the_sealed_file(
    file_org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = file_org
    fc = make_case(org)
    attach = service(org, tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise StorageError("disk gone")

    monkeypatch.setattr(attach, "_audit", broken)
    with pytest.raises(StorageError, match="disk gone"):
        attach.add(Owner(AttachmentOwner.CASE, fc.id), "a.txt", b"data")
    assert list(blobs_folder(org.location).glob("*.blob")) == []
    with org.db.read_session() as session:
        assert session.scalars(select(Attachment)).first() is None


def test_survivor_attachments_need_identity_access(file_org: Org, tmp_path: Path) -> None:
    org = file_org
    fc = make_case(org)
    photo = (
        service(org, tmp_path)
        .add(Owner(AttachmentOwner.SURVIVOR, fc.survivor_id), "face.jpg", PHOTO)
        .value
    )
    with pytest.raises(AccessDenied, match="documents and photos"):
        service(org, tmp_path, "director").read(photo.id)
    with pytest.raises(AccessDenied):
        service(org, tmp_path, "caseworker2").attachments_of(
            Owner(AttachmentOwner.SURVIVOR, fc.survivor_id)
        )
    with pytest.raises(AccessDenied, match="cannot attach"):
        service(org, tmp_path, "auditor").add(Owner(AttachmentOwner.CASE, fc.id), "a.txt", b"x")


def test_attachments_follow_a_merge_and_still_open(file_org: Org, tmp_path: Path) -> None:
    org = file_org
    a = make_case(org)
    b = make_case(org, title="Other")
    attach = service(org, tmp_path)
    photo = attach.add(Owner(AttachmentOwner.SURVIVOR, b.survivor_id), "face.png", PHOTO).value
    merge = PersonMergeService(org.db, org.actors["admin"])
    view = merge.merge(PartyKind.SURVIVOR, a.survivor_id, b.survivor_id, "same").value
    kept = attach.attachments_of(Owner(AttachmentOwner.SURVIVOR, a.survivor_id))
    assert [x.id for x in kept] == [photo.id]
    assert attach.read(photo.id) == PHOTO
    merge.unmerge(view.id, "not the same")
    back = attach.attachments_of(Owner(AttachmentOwner.SURVIVOR, b.survivor_id))
    assert [x.id for x in back] == [photo.id]


def test_each_engine_keeps_or_clearly_refuses_attachments(org: Org) -> None:
    fc = make_case(org)
    attach = AttachmentService(org.db, org.actors["caseworker"])
    owner = Owner(AttachmentOwner.CASE, fc.id)
    if org.location.kind == "sqlcipher":
        assert attach.add(owner, "a.txt", b"x").value.size == 1
        return
    with pytest.raises(StorageError, match="not available on a shared PostgreSQL"):
        attach.add(owner, "a.txt", b"x")
    with org.db.read_session() as session:
        assert session.scalars(select(Attachment)).first() is None
