"""People's records after they were entered: correcting the facts shown with
the code, correcting the identifying details (stale edits refused), and the
photo (re-encoded without metadata, refused when not a picture, replaced,
removed, audited). Records on both engines; photos need the file database."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from ijmcase.domain.drafts import (
    InstitutionDraft,
    OfficialDraft,
    SurvivorDraft,
    SurvivorIdentityDraft,
)
from ijmcase.domain.enums import (
    AgeBand,
    AttachmentOwner,
    InstitutionKind,
    OfficialRole,
    PartyKind,
    PartyRole,
    Sex,
)
from ijmcase.domain.errors import (
    AccessDenied,
    ConflictError,
    RuleViolation,
    StorageError,
    ValidationError,
)
from ijmcase.persistence.blobs import BlobStore, blobs_folder
from ijmcase.persistence.models import Attachment, AuditEvent
from ijmcase.services.attachments import Owner
from ijmcase.services.survivor_photos import MAX_SIDE, SurvivorPhotoService, clean_photo
from tests.conftest import Org
from tests.services.field_setup import make_case

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def _actions(org: Org, prefix: str) -> list[str]:
    with org.db.read_session() as session:
        return list(
            session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like(f"{prefix}%"))
                .order_by(AuditEvent.seq)
            )
        )


def _phone_photo(width: int = 400, height: int = 200, *, rotated: bool = False) -> bytes:
    """A JPEG with a GPS position and a camera name in its EXIF, like a phone's."""
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[GPS_IFD] = {1: "N", 2: (22.0, 34.0, 10.0), 3: "E", 4: (88.0, 21.0, 50.0)}
    if rotated:
        exif[ORIENTATION] = 6  # shown turned 90° clockwise
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def photos(org: Org, tmp_path: Path, who: str = "caseworker") -> SurvivorPhotoService:
    blobs = BlobStore.for_database(org.db, temp_root=tmp_path / "open")
    return SurvivorPhotoService(org.db, org.actors[who], blobs=blobs)


# -- the facts shown with the code -----------------------------------------


def test_update_survivor_corrects_facts_and_is_audited(org: Org) -> None:
    fc = make_case(org, date_of_birth=None, age=17)
    people = org.people("caseworker")
    before = people.survivor(fc.survivor_id)
    assert before.age_band is AgeBand.UNDER_18 or before.minor_at_rescue
    draft = SurvivorDraft(
        "IN",
        Sex.FEMALE,
        alias="Meena (shelter name)",
        age_at_intake=19,
        minor_at_rescue=False,
        nationality="Nepali",
        languages="Nepali, Hindi, ខ្មែរ",
        disability="Hearing impairment",
    )
    outcome = people.update_survivor(fc.survivor_id, draft, expected_version=before.version)
    after = outcome.value
    assert after.alias == "Meena (shelter name)" and after.languages.endswith("ខ្មែរ")
    assert after.age_at_intake == 19 and after.minor_at_rescue is False
    assert after.age_band is not before.age_band and after.version > before.version
    assert fc.id in outcome.changes.case_ids and "parties" in outcome.changes.areas
    assert people.survivor(fc.survivor_id) == after
    with org.db.read_session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "survivor.update")
        ).one()
    assert "alias" in event.details and "Meena" not in event.details  # names what, not to what


def test_update_survivor_refuses_stale_foreign_and_unassigned_edits(org: Org) -> None:
    fc = make_case(org)
    people = org.people("caseworker")
    view = people.survivor(fc.survivor_id)
    draft = SurvivorDraft("IN", Sex.FEMALE, alias="A")
    people.update_survivor(fc.survivor_id, draft, expected_version=view.version)
    with pytest.raises(ConflictError) as stale:
        people.update_survivor(fc.survivor_id, draft, expected_version=view.version)
    assert stale.value.code == "stale"
    fresh = people.survivor(fc.survivor_id)
    with pytest.raises(ValidationError) as country:
        people.update_survivor(
            fc.survivor_id, SurvivorDraft("KE", Sex.FEMALE), expected_version=fresh.version
        )
    assert country.value.problems[0].field == "country"
    with pytest.raises(ValidationError) as bad:
        people.update_survivor(
            fc.survivor_id,
            SurvivorDraft("IN", age_at_intake=130),
            expected_version=fresh.version,
        )
    assert bad.value.problems[0].field == "age_at_intake"
    with pytest.raises(AccessDenied):
        org.people("caseworker2").update_survivor(
            fc.survivor_id, draft, expected_version=fresh.version
        )
    with pytest.raises(AccessDenied):
        org.people("auditor").update_survivor(fc.survivor_id, draft, expected_version=1)
    assert people.survivor(fc.survivor_id) == fresh  # nothing changed by the refusals


# -- the identifying details -------------------------------------------------


def test_identity_edit_checks_version_and_keeps_the_photo_reference(org: Org) -> None:
    fc = make_case(org)
    people = org.people("caseworker")
    seen = people.identity(fc.survivor_id)
    assert seen.recorded and seen.version >= 1 and not seen.has_photo
    corrected = SurvivorIdentityDraft(
        "Priya Sharma",
        other_names="Pari",
        date_of_birth=date(2008, 2, 3),
        phone="+91 98300 11111",
        photo_ref="forged-reference",  # the photo is not set through the identity form
    )
    people.set_identity(fc.survivor_id, corrected, expected_version=seen.version)
    again = people.identity(fc.survivor_id)
    assert again.phone == "+91 98300 11111" and again.other_names == "Pari"
    assert again.photo_ref == "" and again.version > seen.version
    with pytest.raises(ConflictError):
        people.set_identity(fc.survivor_id, corrected, expected_version=seen.version)
    with pytest.raises(ValidationError) as empty:
        people.set_identity(
            fc.survivor_id, SurvivorIdentityDraft("  "), expected_version=again.version
        )
    assert empty.value.problems[0].field == "legal_name"
    with pytest.raises(AccessDenied):
        org.people("caseworker2").set_identity(fc.survivor_id, corrected)
    assert _actions(org, "survivor.identity.update") == ["survivor.identity.update"]


def test_identity_recorded_later_for_a_survivor_entered_without_one(org: Org) -> None:
    fc = make_case(org)
    people = org.people("caseworker")
    added = people.add_survivor(fc.id, SurvivorDraft("IN", Sex.MALE, age_at_intake=12)).value
    empty = people.identity(added.id)
    assert not empty.recorded and empty.version == 0
    people.set_identity(added.id, SurvivorIdentityDraft("Arjun Das"), expected_version=0)
    assert people.identity(added.id).legal_name == "Arjun Das"


# -- the photo ----------------------------------------------------------------


def test_clean_photo_drops_metadata_applies_orientation_and_scales() -> None:
    data, media_type, suffix = clean_photo(_phone_photo(4000, 1000, rotated=True))
    assert (media_type, suffix) == ("image/jpeg", ".jpg")
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif() and "exif" not in image.info
        # Turned upright (taller than wide), then scaled to the limit.
        assert image.height == MAX_SIDE and image.width == MAX_SIDE // 4
    assert b"PhoneMaker" not in data
    transparent = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(transparent, format="PNG")
    assert clean_photo(transparent.getvalue())[1] == "image/png"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"%PDF-1.7 not a picture",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 40,  # a PNG signature with nothing behind it
        _phone_photo()[:300],  # a photo cut short
    ],
)
def test_clean_photo_refuses_what_is_not_a_picture(data: bytes) -> None:
    with pytest.raises(ValidationError) as refused:
        clean_photo(data, "scan.jpg")
    assert refused.value.problems[0].code == "not_a_picture"
    assert "scan.jpg" in str(refused.value)


def test_photo_set_shown_replaced_and_removed(file_org: Org, tmp_path: Path) -> None:
    org = file_org
    fc = make_case(org)
    service = photos(org, tmp_path)
    assert service.photo(fc.survivor_id) is None
    first = service.set_photo(fc.survivor_id, "IMG_0042.jpg", _phone_photo()).value
    assert first.file_name == f"photo-{fc.survivor_code}.jpg"
    assert org.people("caseworker").identity(fc.survivor_id).photo_ref == str(first.id)
    shown = service.photo(fc.survivor_id)
    assert shown is not None and shown.attachment_id == first.id
    assert shown.media_type == "image/jpeg" and b"PhoneMaker" not in shown.data
    with Image.open(io.BytesIO(shown.data)) as image:
        assert image.size == (400, 200)
    # The sealed file holds no trace of the picture's bytes.
    for blob in blobs_folder(org.location).glob("*.blob"):
        assert shown.data[:64] not in blob.read_bytes()

    second = service.set_photo(fc.survivor_id, "new.png", _phone_photo(300, 300)).value
    listed = service.attachments_of(
        Owner(AttachmentOwner.SURVIVOR, fc.survivor_id), include_retired=True
    )
    assert [(a.id, a.retired) for a in listed] == [(first.id, True), (second.id, False)]
    with pytest.raises(ValidationError):
        service.clear_photo(fc.survivor_id, " ")
    service.clear_photo(fc.survivor_id, "Survivor asked for it to be removed")
    assert service.photo(fc.survivor_id) is None
    with pytest.raises(RuleViolation):
        service.clear_photo(fc.survivor_id, "again")
    assert _actions(org, "survivor.photo") == [
        "survivor.photo.set",
        "survivor.photo.view",
        "survivor.photo.set",
        "survivor.photo.remove",
    ]


def test_photo_refusals_leave_nothing_behind(file_org: Org, tmp_path: Path) -> None:
    org = file_org
    fc = make_case(org)
    service = photos(org, tmp_path)
    folder = blobs_folder(org.location)

    def sealed() -> int:
        return len(list(folder.glob("*.blob"))) if folder.exists() else 0

    with pytest.raises(ValidationError):
        service.set_photo(fc.survivor_id, "notes.txt", b"just some text")
    with pytest.raises(AccessDenied):
        photos(org, tmp_path, "caseworker2").set_photo(fc.survivor_id, "a.jpg", _phone_photo())
    with pytest.raises(AccessDenied):
        photos(org, tmp_path, "caseworker2").photo(fc.survivor_id)
    nameless = org.people("caseworker").add_survivor(fc.id, SurvivorDraft("IN")).value
    with pytest.raises(RuleViolation) as no_identity:
        service.set_photo(nameless.id, "a.jpg", _phone_photo())
    assert no_identity.value.code == "no_identity"
    assert sealed() == 0
    with org.db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_each_engine_keeps_or_clearly_refuses_photos(org: Org) -> None:
    fc = make_case(org)
    service = SurvivorPhotoService(org.db, org.actors["caseworker"])
    if org.location.kind == "sqlcipher":
        service.set_photo(fc.survivor_id, "a.jpg", _phone_photo())
        assert org.people("caseworker").identity(fc.survivor_id).has_photo
        return
    with pytest.raises(StorageError) as refused:
        service.set_photo(fc.survivor_id, "a.jpg", _phone_photo())
    assert "PostgreSQL" in str(refused.value)
    assert not org.people("caseworker").identity(fc.survivor_id).has_photo


# -- partner officials ------------------------------------------------------------


def test_new_official_with_a_new_institution_joins_the_case_in_one_step(org: Org) -> None:
    fc = make_case(org)
    people = org.people("caseworker")
    outcome = people.add_official_to_case(
        fc.id,
        OfficialDraft("Inspector Rekha Nair", OfficialRole.INVESTIGATING_OFFICER, title="SI"),
        PartyRole.INVESTIGATING_OFFICER,
        new_institution=InstitutionDraft("AHTU Howrah", InstitutionKind.AHTU, "in", "Howrah"),
    )
    view = outcome.value
    assert view.institution_name == "AHTU Howrah" and fc.id in outcome.changes.case_ids
    detail = org.cases("caseworker").get(fc.id)
    officials = [p for p in detail.parties if p.kind is PartyKind.OFFICIAL]
    assert {p.label for p in officials} >= {"Inspector Rekha Nair"}
    assert [i.name for i in people.institutions("IN") if i.name == "AHTU Howrah"]
    # The same official again in the same case is refused, not doubled.
    with pytest.raises(ConflictError):
        people.link_official(fc.id, view.id, PartyRole.WITNESS)


def test_new_official_problems_are_all_reported_and_nothing_is_saved(org: Org) -> None:
    fc = make_case(org)
    people = org.people("caseworker")
    before = len(people.institutions())
    with pytest.raises(ValidationError) as bad:
        people.add_official_to_case(
            fc.id,
            OfficialDraft(" ", OfficialRole.PROSECUTOR, email="not-an-address"),
            PartyRole.PROSECUTOR,
            new_institution=InstitutionDraft("", InstitutionKind.PROSECUTION, "IN"),
        )
    assert {p.field for p in bad.value.problems} == {"name", "email", "institution_name"}
    with pytest.raises(AccessDenied):
        org.people("caseworker2").add_official_to_case(
            fc.id,
            OfficialDraft("PP Sen", OfficialRole.PROSECUTOR),
            PartyRole.PROSECUTOR,
            new_institution=InstitutionDraft(
                "Sessions Court PP", InstitutionKind.PROSECUTION, "IN"
            ),
        )
    assert len(people.institutions()) == before  # the refused institution was not kept


def test_a_photo_removed_among_the_documents_is_no_photo(file_org: Org, tmp_path: Path) -> None:
    fc = make_case(file_org)
    service = photos(file_org, tmp_path)
    view = service.set_photo(fc.survivor_id, "a.jpg", _phone_photo()).value
    service.retire(view.id, "Wrong person in the picture")
    assert service.photo(fc.survivor_id) is None
    service.set_photo(fc.survivor_id, "b.jpg", _phone_photo())  # and a new one can be set
    assert service.photo(fc.survivor_id) is not None
