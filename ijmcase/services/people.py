"""People in cases: survivors (code and safe facts apart from their identity),
accused persons, institutions and partner officials, and their links to cases.

A survivor's identifying part is read only through ``identity()``, which
allows the staff assigned to one of the survivor's cases and the roles the
organization granted it (none by default), and audits every read, allowed or
refused. Everything else about a survivor goes by their code.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ijmcase.domain.codes import accused_code, survivor_code
from ijmcase.domain.drafts import (
    AccusedDraft,
    InstitutionDraft,
    OfficialDraft,
    SurvivorDraft,
    SurvivorIdentityDraft,
    age_band_for,
    age_on,
)
from ijmcase.domain.enums import (
    AccusedRole,
    AgeBand,
    CustodyStatus,
    InstitutionKind,
    OfficialRole,
    PartyKind,
    PartyRole,
    Role,
    Sex,
    Stage,
)
from ijmcase.domain.errors import AccessDenied, ConflictError, NotFound, ValidationError
from ijmcase.domain.permissions import Permission, has_permission, may_see_identity
from ijmcase.persistence.database import get_setting, set_setting
from ijmcase.persistence.models import (
    Accused,
    Case,
    CaseAssignment,
    CaseParty,
    Institution,
    PartnerOfficial,
    Survivor,
    SurvivorIdentity,
)
from ijmcase.services.cases import CaseService
from ijmcase.services.context import Changes, Outcome, ServiceBase, today

__all__ = [
    "IDENTITY_ROLES_SETTING",
    "AccusedView",
    "IdentityView",
    "InstitutionView",
    "OfficialView",
    "PeopleService",
    "SurvivorView",
]

IDENTITY_ROLES_SETTING = "identity_roles"


@dataclass(frozen=True)
class SurvivorView:
    id: uuid.UUID
    code: str
    country: str
    alias: str
    sex: Sex
    age_at_intake: int | None
    age_band: AgeBand
    minor_at_rescue: bool | None
    nationality: str
    languages: str
    disability: str
    has_guardian: bool
    version: int = 0  # for a stale-edit check in update_survivor


@dataclass(frozen=True)
class IdentityView:
    survivor_id: uuid.UUID
    code: str
    legal_name: str
    other_names: str
    date_of_birth: date | None
    phone: str
    address: str
    contact_notes: str
    photo_ref: str
    guardian_name: str
    guardian_contact: str
    place_of_birth: str = ""
    version: int = 0  # 0: nothing recorded yet

    @property
    def recorded(self) -> bool:
        return self.version > 0

    @property
    def has_photo(self) -> bool:
        return bool(self.photo_ref)


@dataclass(frozen=True)
class AccusedView:
    id: uuid.UUID
    code: str
    name: str
    alias: str
    country: str
    sex: Sex
    age: int | None
    role_in_crime: AccusedRole
    relationship_to_victim: str
    custody_status: CustodyStatus
    notes: str


@dataclass(frozen=True)
class InstitutionView:
    id: uuid.UUID
    name: str
    kind: InstitutionKind
    country: str
    jurisdiction: str


@dataclass(frozen=True)
class OfficialView:
    id: uuid.UUID
    name: str
    official_role: OfficialRole
    institution_id: uuid.UUID | None
    institution_name: str
    title: str


def _survivor(s: Survivor) -> SurvivorView:
    return SurvivorView(
        s.id,
        s.code,
        s.country,
        s.alias,
        s.sex,
        s.age_at_intake,
        s.age_band,
        s.minor_at_rescue,
        s.nationality,
        s.languages,
        s.disability,
        s.has_guardian,
        version=s.version,
    )


def _accused(a: Accused) -> AccusedView:
    return AccusedView(
        a.id,
        a.code,
        a.name,
        a.alias,
        a.country,
        a.sex,
        a.age,
        a.role_in_crime,
        a.relationship_to_victim,
        a.custody_status,
        a.notes,
    )


def _identity(session: Session, survivor: Survivor) -> IdentityView:
    row = session.scalar(
        select(SurvivorIdentity).where(SurvivorIdentity.survivor_id == survivor.id)
    )
    if row is None:
        return IdentityView(survivor.id, survivor.code, "", "", None, "", "", "", "", "", "")
    return IdentityView(
        survivor.id,
        survivor.code,
        row.legal_name,
        row.other_names,
        row.date_of_birth,
        row.phone,
        row.address,
        row.contact_notes,
        row.photo_ref,
        row.guardian_name,
        row.guardian_contact,
        row.place_of_birth,
        version=row.version,
    )


def _clean_institution(draft: InstitutionDraft, *, validate: bool = True) -> InstitutionDraft:
    draft = replace(draft, name=draft.name.strip(), country=draft.country.strip().upper())
    if validate:
        draft.validate()
    return draft


class PeopleService(ServiceBase):
    def _cases(self) -> CaseService:
        return CaseService(self._db, self.actor)

    # -- settings ---------------------------------------------------------

    def identity_roles(self) -> frozenset[Role]:
        with self._read() as session:
            return self._identity_roles(session)

    def _identity_roles(self, session: Session) -> frozenset[Role]:
        return frozenset(Role(r) for r in get_setting(session, IDENTITY_ROLES_SETTING, []))

    def set_identity_roles(self, roles: set[Role]) -> Outcome[frozenset[Role]]:
        """Which roles see survivors' identities in every case (an admin decision)."""
        self._require(Permission.SETTINGS_EDIT, "change who sees survivors' identities")
        with self._write() as session:
            set_setting(
                session,
                IDENTITY_ROLES_SETTING,
                sorted(r.value for r in roles),
                by=self.actor.user_id,
            )
            self._audit(
                session,
                "settings.identity_roles",
                "setting",
                IDENTITY_ROLES_SETTING,
                details={"roles": sorted(r.value for r in roles)},
            )
        return Outcome(frozenset(roles), Changes.of("settings"))

    # -- survivors --------------------------------------------------------

    def _next_number(
        self, session: Session, column: InstrumentedAttribute[str], prefix: str
    ) -> int:
        last = session.scalar(
            select(column)
            .where(column.like(f"{prefix}%"))
            .order_by(func.length(column).desc(), column.desc())
            .limit(1)
        )
        return int(str(last).rsplit("-", 1)[1]) + 1 if last else 1

    def add_survivor(
        self,
        case_id: uuid.UUID,
        draft: SurvivorDraft,
        identity: SurvivorIdentityDraft | None = None,
        *,
        role: PartyRole = PartyRole.VICTIM,
    ) -> Outcome[SurvivorView]:
        """A new survivor in a case; the identity, if given, is stored apart."""
        self._require(Permission.PEOPLE_EDIT, "add people to cases")
        draft = replace(draft, country=draft.country.strip().upper(), alias=draft.alias.strip())
        draft.validate()
        if identity is not None:
            identity.validate(today=today())
        minor = draft.minor_at_rescue
        if minor is None and draft.age_at_intake is not None:
            minor = draft.age_at_intake < 18
        with self._write() as session:
            case = self._cases()._load(session, case_id, for_edit=True)
            born = identity.date_of_birth if identity is not None else None
            if born is not None:
                # With a date of birth, age and minority follow from the case's
                # dates: intake on opening, rescue when the rescue track started.
                rescued_on = next(
                    (t.started_on for t in case.tracks if t.stage is Stage.RESCUE), None
                )
                if draft.age_at_intake is None:
                    draft = replace(draft, age_at_intake=max(0, age_on(born, case.opened_on)))
                if draft.minor_at_rescue is None:
                    minor = age_on(born, rescued_on or case.opened_on) < 18
            code = survivor_code(
                draft.country,
                self._next_number(session, Survivor.code, f"S-{draft.country}-"),
            )
            survivor = Survivor(
                code=code,
                country=draft.country,
                alias=draft.alias,
                sex=draft.sex,
                age_at_intake=draft.age_at_intake,
                age_band=age_band_for(draft.age_at_intake),
                minor_at_rescue=minor,
                nationality=draft.nationality.strip(),
                languages=draft.languages.strip(),
                disability=draft.disability.strip(),
                has_guardian=draft.has_guardian,
            )
            self._stamp(survivor, new=True)
            session.add(survivor)
            session.flush()
            if identity is not None:
                self._write_identity(session, survivor.id, identity)
            party = CaseParty(
                case_id=case.id, kind=PartyKind.SURVIVOR, role=role, survivor_id=survivor.id
            )
            self._stamp(party, new=True)
            session.add(party)
            session.flush()
            self._audit(
                session,
                "survivor.create",
                "survivor",
                survivor.id,
                case_id=case.id,
                details={"code": code, "identity_recorded": identity is not None},
            )
            view = _survivor(survivor)
        return Outcome(view, Changes.of("people", "parties", case_id=case_id))

    def _write_identity(
        self, session: Session, survivor_id: uuid.UUID, draft: SurvivorIdentityDraft
    ) -> None:
        row = session.scalar(
            select(SurvivorIdentity).where(SurvivorIdentity.survivor_id == survivor_id)
        )
        new = row is None
        if row is None:
            row = SurvivorIdentity(survivor_id=survivor_id, legal_name="")
            session.add(row)
        for name in (
            "legal_name",
            "other_names",
            "date_of_birth",
            "phone",
            "address",
            "contact_notes",
            "guardian_name",
            "guardian_contact",
            "place_of_birth",
        ):
            value = getattr(draft, name)
            setattr(row, name, value.strip() if isinstance(value, str) else value)
        self._stamp(row, new=new)

    def survivor(self, survivor_id: uuid.UUID) -> SurvivorView:
        with self._read() as session:
            survivor = session.get(Survivor, survivor_id)
            if survivor is None or survivor.deleted_at is not None:
                raise NotFound("There is no such survivor.")
            return _survivor(survivor)

    def _may_see_identity(self, session: Session, survivor_id: uuid.UUID) -> bool:
        me = self.actor.user_id
        assigned = session.scalar(
            select(func.count())
            .select_from(CaseParty)
            .join(Case, Case.id == CaseParty.case_id)
            .where(
                CaseParty.survivor_id == survivor_id,
                CaseParty.deleted_at.is_(None),
                or_(
                    Case.lead_caseworker_id == me,
                    Case.lead_lawyer_id == me,
                    Case.id.in_(
                        select(CaseAssignment.case_id).where(
                            CaseAssignment.user_id == me, CaseAssignment.deleted_at.is_(None)
                        )
                    ),
                ),
            )
        )
        return may_see_identity(
            self.actor.role, assigned=bool(assigned), granted_roles=self._identity_roles(session)
        )

    def can_see_identity(self, survivor_id: uuid.UUID) -> bool:
        """For the GUI: whether to offer the identity tab (not audited: nothing is shown)."""
        with self._read() as session:
            return self._may_see_identity(session, survivor_id)

    def identity(self, survivor_id: uuid.UUID, *, purpose: str = "view") -> IdentityView:
        """The identifying record. Every call is audited, and so is every refusal."""
        with self._write() as session:
            survivor = session.get(Survivor, survivor_id)
            if survivor is None or survivor.deleted_at is not None:
                raise NotFound("There is no such survivor.")
            allowed = self._may_see_identity(session, survivor_id)
            self._audit(
                session,
                "survivor.identity.view" if allowed else "survivor.identity.denied",
                "survivor",
                survivor_id,
                details={"code": survivor.code, "purpose": purpose},
            )
            if not allowed:
                denied = AccessDenied(
                    f"Only staff assigned to {survivor.code}'s case can see who they are.",
                    code="identity_denied",
                )
            else:
                return _identity(session, survivor)
        # Raised after the commit, so the refusal itself stays in the audit log.
        raise denied

    def set_identity(
        self,
        survivor_id: uuid.UUID,
        draft: SurvivorIdentityDraft,
        *,
        expected_version: int | None = None,
    ) -> Outcome[IdentityView]:
        """Record or correct who the survivor is (returns it as saved). ``expected_version`` is the
        ``IdentityView.version`` the edit started from (0: none recorded); a
        change by someone else in between is refused, not overwritten. The
        photo is kept apart (``SurvivorPhotoService``) and never touched here."""
        self._require(Permission.PEOPLE_EDIT, "change people's records")
        draft.validate(today=today())
        with self._write() as session:
            survivor = session.get(Survivor, survivor_id)
            if survivor is None or survivor.deleted_at is not None:
                raise NotFound("There is no such survivor.")
            if not self._may_see_identity(session, survivor_id):
                raise AccessDenied(
                    f"Only staff assigned to {survivor.code}'s case can change who they are.",
                    code="identity_denied",
                )
            if expected_version is not None:
                current = session.scalar(
                    select(SurvivorIdentity.version).where(
                        SurvivorIdentity.survivor_id == survivor_id
                    )
                )
                if (current or 0) != expected_version:
                    raise ConflictError(
                        f"{survivor.code}'s identifying details were changed by someone else "
                        "while you edited them. Show them again and make your change again.",
                        code="stale",
                    )
            self._write_identity(session, survivor_id, draft)
            session.flush()
            self._audit(
                session,
                "survivor.identity.update",
                "survivor",
                survivor_id,
                details={"code": survivor.code},
            )
            view = _identity(session, survivor)
        return Outcome(view, Changes.of("people"))

    def update_survivor(
        self, survivor_id: uuid.UUID, draft: SurvivorDraft, *, expected_version: int
    ) -> Outcome[SurvivorView]:
        """Correct the facts shown with the code (alias, sex, age, languages…).
        Allowed to those who may change one of the survivor's cases; the
        country is part of the code and stays."""
        self._require(Permission.PEOPLE_EDIT, "change people's records")
        draft = replace(draft, country=draft.country.strip().upper(), alias=draft.alias.strip())
        draft.validate()
        with self._write() as session:
            survivor = session.get(Survivor, survivor_id)
            if survivor is None or survivor.deleted_at is not None:
                raise NotFound("There is no such survivor.")
            case_ids = list(
                session.scalars(
                    select(CaseParty.case_id).where(
                        CaseParty.survivor_id == survivor_id, CaseParty.deleted_at.is_(None)
                    )
                )
            )
            if not self._may_edit_any(session, case_ids):
                raise AccessDenied(
                    f"Only staff assigned to {survivor.code}'s case can change their record.",
                    code="not_assigned",
                )
            if survivor.version != expected_version:
                raise ConflictError(
                    f"{survivor.code}'s record was changed by someone else while you edited it. "
                    "Reload it and make your change again.",
                    code="stale",
                )
            if draft.country != survivor.country:
                raise ValidationError.single(
                    "country",
                    "country_fixed",
                    "The country is part of the survivor's code and cannot change.",
                )
            minor = draft.minor_at_rescue
            if minor is None and draft.age_at_intake is not None:
                minor = draft.age_at_intake < 18
            before = _survivor(survivor)
            survivor.alias = draft.alias
            survivor.sex = draft.sex
            survivor.age_at_intake = draft.age_at_intake
            survivor.age_band = age_band_for(draft.age_at_intake)
            survivor.minor_at_rescue = minor
            survivor.nationality = draft.nationality.strip()
            survivor.languages = draft.languages.strip()
            survivor.disability = draft.disability.strip()
            survivor.has_guardian = draft.has_guardian
            self._stamp(survivor, new=False)
            session.flush()
            after = _survivor(survivor)
            changed = sorted(
                name
                for name in (
                    "alias",
                    "sex",
                    "age_at_intake",
                    "minor_at_rescue",
                    "nationality",
                    "languages",
                    "disability",
                    "has_guardian",
                )
                if getattr(before, name) != getattr(after, name)
            )
            self._audit(
                session,
                "survivor.update",
                "survivor",
                survivor_id,
                details={"code": survivor.code, "changed": changed},
            )
        return Outcome(after, Changes(frozenset({"people", "parties"}), frozenset(case_ids)))

    def may_edit_survivor(self, survivor_id: uuid.UUID) -> bool:
        """For the GUI: whether to offer corrections of the survivor's record."""
        if not has_permission(self.actor.role, Permission.PEOPLE_EDIT):
            return False
        with self._read() as session:
            case_ids = list(
                session.scalars(
                    select(CaseParty.case_id).where(
                        CaseParty.survivor_id == survivor_id, CaseParty.deleted_at.is_(None)
                    )
                )
            )
            return self._may_edit_any(session, case_ids)

    def _may_edit_any(self, session: Session, case_ids: list[uuid.UUID]) -> bool:
        cases = self._cases()
        for case_id in case_ids:
            try:
                cases._load(session, case_id, for_edit=True)
            except (AccessDenied, NotFound):
                continue
            return True
        return False

    # -- accused, institutions, officials ---------------------------------

    def add_accused(self, case_id: uuid.UUID, draft: AccusedDraft) -> Outcome[AccusedView]:
        self._require(Permission.PEOPLE_EDIT, "add people to cases")
        draft = replace(draft, name=draft.name.strip(), country=draft.country.strip().upper())
        draft.validate()
        with self._write() as session:
            case = self._cases()._load(session, case_id, for_edit=True)
            accused = Accused(
                code=accused_code(
                    draft.country, self._next_number(session, Accused.code, f"A-{draft.country}-")
                ),
                name=draft.name,
                alias=draft.alias.strip(),
                country=draft.country,
                sex=draft.sex,
                age=draft.age,
                role_in_crime=draft.role_in_crime,
                relationship_to_victim=draft.relationship_to_victim.strip(),
                custody_status=draft.custody_status,
                notes=draft.notes,
            )
            self._stamp(accused, new=True)
            session.add(accused)
            session.flush()
            party = CaseParty(
                case_id=case.id,
                kind=PartyKind.ACCUSED,
                role=PartyRole.ACCUSED,
                accused_id=accused.id,
            )
            self._stamp(party, new=True)
            session.add(party)
            session.flush()
            self._audit(
                session,
                "accused.create",
                "accused",
                accused.id,
                case_id=case.id,
                details={"code": accused.code},
            )
            view = _accused(accused)
        return Outcome(view, Changes.of("people", "parties", case_id=case_id))

    def add_institution(self, draft: InstitutionDraft) -> Outcome[InstitutionView]:
        self._require(Permission.PEOPLE_EDIT, "add institutions")
        draft = _clean_institution(draft)
        with self._write() as session:
            view = self._create_institution(session, draft)
        return Outcome(view, Changes.of("people"))

    def add_official(self, draft: OfficialDraft) -> Outcome[OfficialView]:
        self._require(Permission.PEOPLE_EDIT, "add partner officials")
        draft = replace(draft, name=draft.name.strip())
        draft.validate()
        with self._write() as session:
            view = self._create_official(session, draft)
        return Outcome(view, Changes.of("people"))

    def link_official(
        self, case_id: uuid.UUID, official_id: uuid.UUID, role: PartyRole
    ) -> Outcome[None]:
        self._require(Permission.PEOPLE_EDIT, "add people to cases")
        with self._write() as session:
            case = self._cases()._load(session, case_id, for_edit=True)
            official = session.get(PartnerOfficial, official_id)
            if official is None or official.deleted_at is not None:
                raise NotFound("There is no such official.")
            self._link_official(session, case, official_id, role)
        return Outcome(None, Changes.of("parties", case_id=case_id))

    def add_official_to_case(
        self,
        case_id: uuid.UUID,
        draft: OfficialDraft,
        role: PartyRole,
        *,
        new_institution: InstitutionDraft | None = None,
    ) -> Outcome[OfficialView]:
        """A new partner official, at an institution on file or a new one,
        added to a case: all three records in one unit of work."""
        self._require(Permission.PEOPLE_EDIT, "add people to cases")
        draft = replace(draft, name=draft.name.strip())
        problems = draft.problems()
        if new_institution is not None:
            new_institution = _clean_institution(new_institution, validate=False)
            problems += [
                replace(p, field=f"institution_{p.field}") for p in new_institution.problems()
            ]
        if problems:
            raise ValidationError(problems)
        with self._write() as session:
            case = self._cases()._load(session, case_id, for_edit=True)
            if new_institution is not None:
                draft = replace(
                    draft, institution_id=self._create_institution(session, new_institution).id
                )
            view = self._create_official(session, draft)
            self._link_official(session, case, view.id, role)
        return Outcome(view, Changes.of("people", "parties", case_id=case_id))

    def _create_institution(self, session: Session, draft: InstitutionDraft) -> InstitutionView:
        inst = Institution(
            name=draft.name,
            kind=draft.kind,
            country=draft.country,
            jurisdiction=draft.jurisdiction.strip(),
        )
        self._stamp(inst, new=True)
        session.add(inst)
        session.flush()
        self._audit(
            session, "institution.create", "institution", inst.id, details={"name": inst.name}
        )
        return InstitutionView(inst.id, inst.name, inst.kind, inst.country, inst.jurisdiction)

    def _create_official(self, session: Session, draft: OfficialDraft) -> OfficialView:
        inst_name = ""
        if draft.institution_id is not None:
            inst = session.get(Institution, draft.institution_id)
            if inst is None or inst.deleted_at is not None:
                raise ValidationError.single(
                    "institution_id", "unknown_institution", "Choose an institution."
                )
            inst_name = inst.name
        official = PartnerOfficial(
            name=draft.name,
            official_role=draft.official_role,
            institution_id=draft.institution_id,
            title=draft.title.strip(),
            phone=draft.phone.strip(),
            email=draft.email.strip(),
            notes=draft.notes,
        )
        self._stamp(official, new=True)
        session.add(official)
        session.flush()
        self._audit(
            session, "official.create", "official", official.id, details={"name": official.name}
        )
        return OfficialView(
            official.id,
            official.name,
            official.official_role,
            official.institution_id,
            inst_name,
            official.title,
        )

    def _link_official(
        self, session: Session, case: Case, official_id: uuid.UUID, role: PartyRole
    ) -> None:
        dup = session.scalar(
            select(CaseParty.id).where(
                CaseParty.case_id == case.id,
                CaseParty.official_id == official_id,
                CaseParty.deleted_at.is_(None),
            )
        )
        if dup is not None:
            raise ConflictError("That official is already in this case.", code="already_in_case")
        party = CaseParty(
            case_id=case.id, kind=PartyKind.OFFICIAL, role=role, official_id=official_id
        )
        self._stamp(party, new=True)
        session.add(party)
        session.flush()
        self._audit(
            session,
            "case.party_add",
            "official",
            official_id,
            case_id=case.id,
            details={"role": role.value},
        )

    def institutions(self, country: str | None = None) -> list[InstitutionView]:
        with self._read() as session:
            stmt = select(Institution).where(Institution.deleted_at.is_(None))
            if country:
                stmt = stmt.where(Institution.country == country.upper())
            return [
                InstitutionView(i.id, i.name, i.kind, i.country, i.jurisdiction)
                for i in session.scalars(stmt.order_by(Institution.name))
            ]
