"""Attachments: documents and photos on a case, a person or an intervention,
sealed in blob files beside the database (``persistence.blobs``).

Adding one seals the bytes first (the SHA-256 of the plaintext is recorded),
then saves the record and its audit event in one unit of work; if that
fails, the new blob is removed, so no file is left without a record.
Opening one writes a decrypted copy to a private temporary folder that is
removed when the ``with`` block ends, and is audited; so is every read.
Retiring marks the record (``deleted_at``) and keeps the sealed file.

Who: a case's or an intervention's attachments follow the case's
visibility (adding and retiring need the right to change the case). A
survivor's attachments are identifying (photos, documents with names):
only those who may see the survivor's identity may list, add or open them.
An accused person's or an official's follow any case they are in.

A PostgreSQL office database keeps no blob files; there attachments are
refused with a clear message until storage in the database is built.
"""

from __future__ import annotations

import mimetypes
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import AttachmentOwner
from ijmcase.domain.errors import AccessDenied, NotFound, StorageError, ValidationError
from ijmcase.domain.interventions import text_problem
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.blobs import BlobRef, BlobStore
from ijmcase.persistence.database import Database
from ijmcase.persistence.models import (
    Accused,
    Attachment,
    Case,
    CaseParty,
    Intervention,
    PartnerOfficial,
    Survivor,
    User,
)
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Actor, Changes, Outcome
from ijmcase.services.people import PeopleService

__all__ = ["AttachmentService", "AttachmentView", "Owner"]

MAX_FILE_NAME = 255
_DEFAULT_TYPE = "application/octet-stream"
_SUFFIX = re.compile(r"(\.[A-Za-z0-9_-]{1,16})$")


@dataclass(frozen=True)
class Owner:
    """What an attachment belongs to."""

    kind: AttachmentOwner
    id: uuid.UUID

    @property
    def blob_owner(self) -> str:
        return f"{self.kind.value}:{self.id}"


@dataclass(frozen=True)
class AttachmentView:
    id: uuid.UUID
    owner: Owner
    case_id: uuid.UUID | None
    file_name: str
    media_type: str
    size: int
    sha256: str
    description: str
    added_at: datetime
    added_by: str
    retired: bool


class AttachmentService(CaseAccess):
    def __init__(self, db: Database, actor: Actor, *, blobs: BlobStore | None = None) -> None:
        super().__init__(db, actor)
        self._blobs = blobs

    @property
    def blobs(self) -> BlobStore:
        if self._blobs is None:
            if self._db.key is None:
                raise StorageError(
                    "Attachments are not available on a shared PostgreSQL database yet; "
                    "attach files in an encrypted file database.",
                    code="blobs_unavailable",
                )
            self._blobs = BlobStore.for_database(self._db)
        return self._blobs

    # -- reading ----------------------------------------------------------

    def attachments_of(
        self, owner: Owner, *, include_retired: bool = False
    ) -> list[AttachmentView]:
        with self._read() as session:
            self._check_owner(session, owner, edit=False)
            stmt = select(Attachment).where(
                Attachment.owner_kind == owner.kind, Attachment.owner_id == owner.id
            )
            if not include_retired:
                stmt = stmt.where(Attachment.deleted_at.is_(None))
            rows = list(session.scalars(stmt.order_by(Attachment.created_at, Attachment.id)))
            return self._views(session, rows)

    def read(self, attachment_id: uuid.UUID) -> bytes:
        """The plaintext (checked against its hash); audited."""
        ref, label = self._open_record(attachment_id, "attachment.read")
        return self.blobs.get(ref, label=label)

    @contextmanager
    def open_temporary(self, attachment_id: uuid.UUID) -> Iterator[Path]:
        """A decrypted copy for another program to show, removed when the
        block ends; audited."""
        ref, label = self._open_record(attachment_id, "attachment.open")
        suffix_match = _SUFFIX.search(label)
        suffix = suffix_match.group(1) if suffix_match else ""
        with self.blobs.open_temporary(ref, suffix, label=label) as path:
            yield path

    # -- writing ----------------------------------------------------------

    def add(
        self,
        owner: Owner,
        file_name: str,
        data: bytes | BinaryIO,
        *,
        media_type: str = "",
        description: str = "",
    ) -> Outcome[AttachmentView]:
        self._require(Permission.PEOPLE_EDIT, "attach documents")
        name = _clean_name(file_name)
        media = media_type.strip() or mimetypes.guess_type(name, strict=False)[0] or _DEFAULT_TYPE
        if len(media) > 100 or "/" not in media:
            raise ValidationError.single(
                "media_type", "invalid", f"'{media_type}' is not a media type (like image/jpeg)."
            )
        bad = text_problem(description, "description", "description")
        if bad is not None:
            raise ValidationError(bad)
        with self._read() as session:
            # Checked before the bytes are sealed, so a refusal costs nothing.
            self._check_owner(session, owner, edit=True)
        ref = self.blobs.put(data, owner=owner.blob_owner)
        try:
            with self._write() as session:
                case_id = self._check_owner(session, owner, edit=True)
                row = Attachment(
                    owner_kind=owner.kind,
                    owner_id=owner.id,
                    case_id=case_id,
                    blob_id=ref.id,
                    blob_owner=ref.owner,
                    file_name=name,
                    media_type=media,
                    size=ref.size,
                    stored_size=ref.stored_size,
                    sha256=ref.sha256,
                    description=description.strip(),
                )
                self._stamp(row, new=True)
                session.add(row)
                session.flush()
                self._audit(
                    session,
                    "attachment.add",
                    owner.kind.value,
                    owner.id,
                    case_id=case_id,
                    details={
                        "attachment_id": str(row.id),
                        "media_type": media,
                        "size": ref.size,
                        "sha256": ref.sha256,
                    },
                )
                view = self._views(session, [row])[0]
        except BaseException:
            # The record was not saved: its sealed file must not linger.
            self.blobs.discard(ref)
            raise
        return Outcome(view, Changes.of("attachments", case_id=case_id))

    def retire(self, attachment_id: uuid.UUID, reason: str) -> Outcome[None]:
        self._require(Permission.PEOPLE_EDIT, "remove attachments")
        if not reason.strip():
            raise ValidationError.single("reason", "required", "Say why the attachment is removed.")
        with self._write() as session:
            row = self._attachment(session, attachment_id)
            owner = Owner(row.owner_kind, row.owner_id)
            case_id = self._check_owner(session, owner, edit=True)
            row.deleted_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "attachment.retire",
                owner.kind.value,
                owner.id,
                case_id=case_id,
                details={"attachment_id": str(row.id), "reason": reason.strip()},
            )
        return Outcome(None, Changes.of("attachments", case_id=case_id))

    # -- internals ----------------------------------------------------------

    def _attachment(self, session: Session, attachment_id: uuid.UUID) -> Attachment:
        row = session.get(Attachment, attachment_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("There is no such attachment.", code="attachment_not_found")
        return row

    def _open_record(self, attachment_id: uuid.UUID, action: str) -> tuple[BlobRef, str]:
        with self._write() as session:
            row = self._attachment(session, attachment_id)
            owner = Owner(row.owner_kind, row.owner_id)
            case_id = self._check_owner(session, owner, edit=False)
            self._audit(
                session,
                action,
                owner.kind.value,
                owner.id,
                case_id=case_id,
                details={"attachment_id": str(row.id)},
            )
            ref = BlobRef(row.blob_id, row.blob_owner, row.sha256, row.size, row.stored_size)
            return ref, row.file_name

    def _check_owner(self, session: Session, owner: Owner, *, edit: bool) -> uuid.UUID | None:
        """Raise unless the actor may see (``edit``: change) what ``owner`` names;
        return the case the attachment belongs to, if it belongs to one."""
        kind = owner.kind
        if kind is AttachmentOwner.CASE:
            self._load(session, owner.id, for_edit=edit)
            return owner.id
        if kind is AttachmentOwner.INTERVENTION:
            intervention = session.get(Intervention, owner.id)
            if intervention is None or intervention.deleted_at is not None:
                raise NotFound("There is no such intervention.", code="intervention_not_found")
            self._load(session, intervention.case_id, for_edit=edit)
            return intervention.case_id
        if kind is AttachmentOwner.SURVIVOR:
            survivor = session.get(Survivor, owner.id)
            if survivor is None or survivor.deleted_at is not None:
                raise NotFound("There is no such survivor.", code="survivor_not_found")
            # A survivor's documents identify them: the identity rule applies.
            if not PeopleService(self._db, self.actor)._may_see_identity(session, owner.id):
                raise AccessDenied(
                    f"Only staff assigned to {survivor.code}'s case can see or add their "
                    "documents and photos.",
                    code="identity_denied",
                )
            if edit:
                self._require(Permission.PEOPLE_EDIT, "attach documents")
            return None
        model: type[Accused] | type[PartnerOfficial] = (
            Accused if kind is AttachmentOwner.ACCUSED else PartnerOfficial
        )
        person = session.get(model, owner.id)
        if person is None or person.deleted_at is not None:
            raise NotFound("There is no such person.", code="person_not_found")
        column = CaseParty.accused_id if kind is AttachmentOwner.ACCUSED else CaseParty.official_id
        cases = list(
            session.scalars(
                select(Case)
                .join(CaseParty, CaseParty.case_id == Case.id)
                .where(column == owner.id, CaseParty.deleted_at.is_(None), self._visible_clause())
            )
        )
        if kind is AttachmentOwner.OFFICIAL and not cases:
            # Officials are not confidential: anyone who reads cases may see theirs.
            self._require(Permission.CASE_READ, "read cases")
            if edit:
                self._require(Permission.PEOPLE_EDIT, "attach documents")
            return None
        if not cases:
            raise NotFound("There is no such person.", code="person_not_found")
        if edit:
            self._require(Permission.PEOPLE_EDIT, "attach documents")
        return None

    def _views(self, session: Session, rows: list[Attachment]) -> list[AttachmentView]:
        names = dict(
            session.execute(
                select(User.id, User.display_name).where(
                    User.id.in_({r.created_by for r in rows if r.created_by})
                )
            ).all()
        )
        return [
            AttachmentView(
                r.id,
                Owner(r.owner_kind, r.owner_id),
                r.case_id,
                r.file_name,
                r.media_type,
                r.size,
                r.sha256,
                r.description,
                r.created_at,
                names.get(r.created_by, "") if r.created_by else "",
                r.deleted_at is not None,
            )
            for r in rows
        ]


def _clean_name(file_name: str) -> str:
    """The file's own name, without any folder a path would carry."""
    raw = file_name.replace("\\", "/").strip()
    # "folder/" names a folder, not a file in it.
    name = "" if raw.endswith("/") else PurePath(raw).name.strip()
    if not name:
        raise ValidationError.single("file_name", "required", "Give the file a name.")
    if len(name) > MAX_FILE_NAME:
        raise ValidationError.single(
            "file_name",
            "too_long",
            f"The file name is {len(name)} characters; the limit is {MAX_FILE_NAME}.",
        )
    bad = text_problem(name, "file_name", "file name")
    if bad is not None:
        raise ValidationError(bad)
    return name
