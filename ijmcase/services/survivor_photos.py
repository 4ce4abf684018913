"""A survivor's photo on their identifying record.

The photo is an attachment of the survivor (sealed like any other, listed
with their documents) that the identity row points at (``photo_ref``), so
the identity rule of ``AttachmentService`` decides who may add or see it,
and every look is audited (``survivor.photo.view``).

Before sealing, the picture is decoded and written again by Pillow: a file
that is not a picture is refused with a plain message, the EXIF orientation
is applied, and every piece of metadata (GPS position, camera, time) is
dropped, because a phone photo's location can lead to a shelter. Pictures
larger than ``MAX_SIDE`` pixels are scaled down; what is kept is a JPEG (or
a PNG where the picture has transparency).

Setting a new photo retires the previous one (the sealed file is kept, as
for every retired attachment); clearing it needs a reason. Both happen in
one unit of work with the identity row, so the record never points at a
photo that is not there.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import AttachmentOwner
from ijmcase.domain.errors import NotFound, RuleViolation, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.blobs import BlobRef
from ijmcase.persistence.models import Attachment, Survivor, SurvivorIdentity
from ijmcase.services.attachments import AttachmentService, AttachmentView, Owner
from ijmcase.services.context import Changes, Outcome

__all__ = ["MAX_PHOTO_BYTES", "MAX_SIDE", "Photo", "SurvivorPhotoService", "clean_photo"]

# A phone photo is a few megabytes; anything far larger is not a portrait.
MAX_PHOTO_BYTES = 30 * 1024 * 1024
# Enough to recognise a face on screen and in print.
MAX_SIDE = 1600
# Pillow refuses pictures over twice this many pixels as a decompression bomb.
_MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class Photo:
    attachment_id: uuid.UUID
    data: bytes
    media_type: str


def clean_photo(data: bytes, file_name: str = "photo") -> tuple[bytes, str, str]:
    """``data`` decoded and written again without metadata: (bytes, media
    type, file suffix). Raises ``ValidationError`` if it is not a picture."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError.single(
            "photo",
            "too_large",
            f"The photo is {len(data) // (1024 * 1024)} MB; the limit is "
            f"{MAX_PHOTO_BYTES // (1024 * 1024)} MB.",
        )
    not_a_picture = ValidationError.single(
        "photo",
        "not_a_picture",
        f"“{file_name}” is not a picture this program can read (use a JPEG, PNG or WebP photo).",
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            previous = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = _MAX_PIXELS
            try:
                with Image.open(io.BytesIO(data)) as probe:
                    probe.verify()  # checks the file's structure without decoding it all
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
                    upright = ImageOps.exif_transpose(image)
            finally:
                Image.MAX_IMAGE_PIXELS = previous
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError.single(
            "photo", "too_large", "The picture has too many pixels to be a photo of a person."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_picture from None
    transparent = upright.mode in ("RGBA", "LA", "PA") or (
        upright.mode == "P" and "transparency" in upright.info
    )
    picture = upright.convert("RGBA" if transparent else "RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A new image carries no EXIF, XMP, ICC or comment unless given one.
    if transparent:
        picture.save(out, format="PNG", optimize=True)
        return out.getvalue(), "image/png", ".png"
    picture.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue(), "image/jpeg", ".jpg"


class SurvivorPhotoService(AttachmentService):
    def photo(self, survivor_id: uuid.UUID) -> Photo | None:
        """The survivor's photo, or None; refused like their identity, and audited."""
        with self._write() as session:
            self._check_owner(session, Owner(AttachmentOwner.SURVIVOR, survivor_id), edit=False)
            row = self._photo_row(session, survivor_id, strict=True)
            if row is None:
                return None
            survivor = session.get(Survivor, survivor_id)
            assert survivor is not None
            self._audit(
                session,
                "survivor.photo.view",
                "survivor",
                survivor_id,
                details={"code": survivor.code, "attachment_id": str(row.id)},
            )
            ref = BlobRef(row.blob_id, row.blob_owner, row.sha256, row.size, row.stored_size)
            attachment_id, media_type, name = row.id, row.media_type, row.file_name
        return Photo(attachment_id, self.blobs.get(ref, label=name), media_type)

    def set_photo(
        self, survivor_id: uuid.UUID, file_name: str, data: bytes | BinaryIO
    ) -> Outcome[AttachmentView]:
        self._require(Permission.PEOPLE_EDIT, "change people's records")
        raw = data if isinstance(data, bytes) else data.read(MAX_PHOTO_BYTES + 1)
        owner = Owner(AttachmentOwner.SURVIVOR, survivor_id)
        with self._read() as session:
            # Refused before the picture is decoded or sealed.
            self._check_owner(session, owner, edit=True)
            self._identity_row(session, survivor_id)
        cleaned, media_type, suffix = clean_photo(raw, file_name)
        ref = self.blobs.put(cleaned, owner=owner.blob_owner)
        try:
            with self._write() as session:
                self._check_owner(session, owner, edit=True)
                identity = self._identity_row(session, survivor_id)
                survivor = session.get(Survivor, survivor_id)
                assert survivor is not None
                previous = self._photo_row(session, survivor_id)
                now = utcnow()
                if previous is not None:
                    previous.deleted_at = now
                    self._stamp(previous, new=False)
                row = Attachment(
                    owner_kind=AttachmentOwner.SURVIVOR,
                    owner_id=survivor_id,
                    case_id=None,
                    blob_id=ref.id,
                    blob_owner=ref.owner,
                    file_name=f"photo-{survivor.code}{suffix}",
                    media_type=media_type,
                    size=ref.size,
                    stored_size=ref.stored_size,
                    sha256=ref.sha256,
                    description="Photo (identifying record)",
                )
                self._stamp(row, new=True)
                session.add(row)
                session.flush()
                identity.photo_ref = str(row.id)
                self._stamp(identity, new=False)
                session.flush()
                self._audit(
                    session,
                    "survivor.photo.set",
                    "survivor",
                    survivor_id,
                    details={
                        "code": survivor.code,
                        "attachment_id": str(row.id),
                        "replaced": str(previous.id) if previous is not None else "",
                        "sha256": ref.sha256,
                    },
                )
                view = self._views(session, [row])[0]
        except BaseException:
            self.blobs.discard(ref)
            raise
        return Outcome(view, Changes.of("people", "attachments"))

    def clear_photo(self, survivor_id: uuid.UUID, reason: str) -> Outcome[None]:
        self._require(Permission.PEOPLE_EDIT, "change people's records")
        reason = reason.strip()
        if not reason:
            raise ValidationError.single("reason", "required", "Say why the photo is removed.")
        with self._write() as session:
            self._check_owner(session, Owner(AttachmentOwner.SURVIVOR, survivor_id), edit=True)
            identity = self._identity_row(session, survivor_id)
            had_reference = bool(identity.photo_ref)
            row = self._photo_row(session, survivor_id)
            if row is None and not had_reference:
                raise RuleViolation("There is no photo to remove.", code="no_photo")
            survivor = session.get(Survivor, survivor_id)
            assert survivor is not None
            if row is not None:
                row.deleted_at = utcnow()
                self._stamp(row, new=False)
            identity.photo_ref = ""
            self._stamp(identity, new=False)
            session.flush()
            self._audit(
                session,
                "survivor.photo.remove",
                "survivor",
                survivor_id,
                details={
                    "code": survivor.code,
                    "attachment_id": str(row.id) if row is not None else "",
                    "reason": reason,
                },
            )
        return Outcome(None, Changes.of("people", "attachments"))

    # -- internals ----------------------------------------------------------

    def _identity_row(self, session: Session, survivor_id: uuid.UUID) -> SurvivorIdentity:
        row = session.scalar(
            select(SurvivorIdentity).where(SurvivorIdentity.survivor_id == survivor_id)
        )
        if row is None:
            raise RuleViolation(
                "Record the survivor's identifying details (at least the legal name) "
                "before adding a photo.",
                code="no_identity",
            )
        return row

    def _photo_row(
        self, session: Session, survivor_id: uuid.UUID, *, strict: bool = False
    ) -> Attachment | None:
        """The attachment the identity points at. ``strict``: a reference to
        a photo that is gone is an error (when showing it); otherwise None, so
        a broken reference can be replaced or cleared."""
        ref = session.scalar(
            select(SurvivorIdentity.photo_ref).where(SurvivorIdentity.survivor_id == survivor_id)
        )
        if not ref:
            return None
        try:
            attachment_id = uuid.UUID(ref)
        except ValueError:
            return None  # an old free-text reference: no photo on file
        row = session.get(Attachment, attachment_id)
        if row is not None and row.deleted_at is not None:
            return None  # removed from the survivor's documents: no photo any more
        if (
            row is None
            or row.owner_kind is not AttachmentOwner.SURVIVOR
            or row.owner_id != survivor_id
        ):
            if not strict:
                return None
            raise NotFound(
                "The survivor's photo is missing from this database.", code="photo_missing"
            )
        return row
