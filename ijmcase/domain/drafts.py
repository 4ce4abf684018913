"""Drafts: what a form or a command hands to a service, and their validation.

A draft is a frozen value with a ``problems()`` method that lists every wrong
field at once (so a dialog can mark them all), and ``validate()`` that raises
a ValidationError built from them. Services call ``validate()`` before they
touch the database; the GUI may call ``problems()`` as the user types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from ijmcase.domain.codes import country_problem
from ijmcase.domain.enums import (
    AccusedRole,
    AgeBand,
    CustodyStatus,
    InstitutionKind,
    OfficialRole,
    RiskLevel,
    Role,
    Sensitivity,
    Sex,
    ViolenceType,
)
from ijmcase.domain.errors import FieldProblem, raise_if_problems

__all__ = [
    "MAX_NAME",
    "MAX_NOTE",
    "AccusedDraft",
    "CaseDraft",
    "InstitutionDraft",
    "OfficialDraft",
    "SurvivorDraft",
    "SurvivorIdentityDraft",
    "UserDraft",
    "age_band_for",
    "age_on",
    "password_problems",
    "username_problem",
]

MAX_NAME = 200
MAX_TITLE = 200
MAX_NOTE = 100_000
MIN_PASSWORD = 10

_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


def _required(value: str | None, field_name: str, what: str) -> FieldProblem | None:
    if value is None or not value.strip():
        return FieldProblem(field_name, "required", f"Enter {what}.")
    return None


def _too_long(value: str | None, field_name: str, limit: int, what: str) -> FieldProblem | None:
    if value is not None and len(value) > limit:
        return FieldProblem(
            field_name,
            "too_long",
            f"The {what} is {len(value):,} characters; the limit is {limit:,}.",
        )
    return None


def _collect(*found: FieldProblem | None) -> list[FieldProblem]:
    return [p for p in found if p is not None]


def age_on(birth: date, on: date) -> int:
    """Whole years between a birth date and a day."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_band_for(age: int | None) -> AgeBand:
    if age is None:
        return AgeBand.UNKNOWN
    if age < 18:
        return AgeBand.UNDER_18
    if age < 25:
        return AgeBand.AGE_18_24
    if age < 35:
        return AgeBand.AGE_25_34
    if age < 50:
        return AgeBand.AGE_35_49
    return AgeBand.AGE_50_PLUS


@dataclass(frozen=True)
class CaseDraft:
    title: str
    violence_type: ViolenceType
    country: str
    opened_on: date
    jurisdiction: str = ""
    office_id: UUID | None = None
    risk_level: RiskLevel = RiskLevel.MEDIUM
    sensitivity: Sensitivity = Sensitivity.STANDARD
    summary: str = ""
    lead_caseworker_id: UUID | None = None
    lead_lawyer_id: UUID | None = None

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _required(self.title, "title", "a title for the case"),
            _too_long(self.title, "title", MAX_TITLE, "title"),
            country_problem(self.country),
            _too_long(self.jurisdiction, "jurisdiction", MAX_NAME, "jurisdiction"),
            _too_long(self.summary, "summary", MAX_NOTE, "summary"),
        )
        if today is not None and self.opened_on > today:
            found.append(
                FieldProblem(
                    "opened_on",
                    "future_date",
                    f"The opening date {self.opened_on.isoformat()} is in the future.",
                )
            )
        if self.opened_on.year < 1990:
            found.append(FieldProblem("opened_on", "too_old", "The opening date is before 1990."))
        return found

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class SurvivorDraft:
    """The non-identifying facts about a survivor: safe to show with the code."""

    country: str
    sex: Sex = Sex.UNKNOWN
    alias: str = ""
    age_at_intake: int | None = None
    minor_at_rescue: bool | None = None
    nationality: str = ""
    languages: str = ""
    disability: str = ""
    has_guardian: bool = False

    def problems(self) -> list[FieldProblem]:
        found = _collect(
            country_problem(self.country),
            _too_long(self.alias, "alias", MAX_NAME, "alias"),
            _too_long(self.nationality, "nationality", MAX_NAME, "nationality"),
            _too_long(self.languages, "languages", MAX_NAME, "list of languages"),
            _too_long(self.disability, "disability", 2000, "disability note"),
        )
        if self.age_at_intake is not None and not 0 <= self.age_at_intake <= 120:
            found.append(
                FieldProblem("age_at_intake", "out_of_range", "The age must be between 0 and 120.")
            )
        if (
            self.minor_at_rescue is False
            and self.age_at_intake is not None
            and self.age_at_intake < 18
        ):
            found.append(
                FieldProblem(
                    "minor_at_rescue",
                    "inconsistent",
                    "The survivor was under 18 at intake, so was a minor at rescue.",
                )
            )
        return found

    def validate(self) -> None:
        raise_if_problems(self.problems())


@dataclass(frozen=True)
class SurvivorIdentityDraft:
    """The identifying part: seen only by assigned staff and granted roles."""

    legal_name: str
    other_names: str = ""
    date_of_birth: date | None = None
    phone: str = ""
    address: str = ""
    contact_notes: str = ""
    photo_ref: str = ""
    guardian_name: str = ""
    guardian_contact: str = ""
    place_of_birth: str = ""

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _required(self.legal_name, "legal_name", "the survivor's legal name"),
            _too_long(self.place_of_birth, "place_of_birth", MAX_NAME, "place of birth"),
            _too_long(self.legal_name, "legal_name", MAX_NAME, "legal name"),
            _too_long(self.other_names, "other_names", MAX_NAME, "list of other names"),
            _too_long(self.address, "address", 2000, "address"),
            _too_long(self.contact_notes, "contact_notes", MAX_NOTE, "contact note"),
        )
        if today is not None and self.date_of_birth is not None and self.date_of_birth > today:
            found.append(
                FieldProblem("date_of_birth", "future_date", "The date of birth is in the future.")
            )
        return found

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class AccusedDraft:
    name: str
    country: str
    role_in_crime: AccusedRole = AccusedRole.OTHER
    alias: str = ""
    sex: Sex = Sex.UNKNOWN
    age: int | None = None
    relationship_to_victim: str = ""
    custody_status: CustodyStatus = CustodyStatus.AT_LARGE
    notes: str = ""

    def problems(self) -> list[FieldProblem]:
        found = _collect(
            _required(self.name, "name", "the accused person's name (or 'Unknown')"),
            _too_long(self.name, "name", MAX_NAME, "name"),
            country_problem(self.country),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.age is not None and not 10 <= self.age <= 120:
            found.append(FieldProblem("age", "out_of_range", "The age must be between 10 and 120."))
        return found

    def validate(self) -> None:
        raise_if_problems(self.problems())


@dataclass(frozen=True)
class InstitutionDraft:
    name: str
    kind: InstitutionKind
    country: str
    jurisdiction: str = ""

    def problems(self) -> list[FieldProblem]:
        return _collect(
            _required(self.name, "name", "the institution's name"),
            _too_long(self.name, "name", MAX_NAME, "name"),
            country_problem(self.country),
        )

    def validate(self) -> None:
        raise_if_problems(self.problems())


@dataclass(frozen=True)
class OfficialDraft:
    name: str
    official_role: OfficialRole
    institution_id: UUID | None = None
    title: str = ""
    phone: str = ""
    email: str = ""
    notes: str = ""

    def problems(self) -> list[FieldProblem]:
        found = _collect(
            _required(self.name, "name", "the official's name"),
            _too_long(self.name, "name", MAX_NAME, "name"),
        )
        if self.email and "@" not in self.email:
            found.append(FieldProblem("email", "invalid_email", "The e-mail address has no '@'."))
        return found

    def validate(self) -> None:
        raise_if_problems(self.problems())


def username_problem(username: str) -> FieldProblem | None:
    if not _USERNAME.match(username):
        return FieldProblem(
            "username",
            "invalid_username",
            "A username is 2 to 32 characters: lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter.",
        )
    return None


def password_problems(
    password: str, *, username: str = "", demo: bool = False
) -> list[FieldProblem]:
    """A password must resist guessing; a demo database may use a short one."""
    if demo:
        return _collect(_required(password, "password", "a password"))
    found: list[FieldProblem] = []
    if len(password) < MIN_PASSWORD:
        found.append(
            FieldProblem(
                "password",
                "password_too_short",
                f"A password needs at least {MIN_PASSWORD} characters.",
            )
        )
    if username and password.lower() == username.lower():
        found.append(
            FieldProblem("password", "password_is_username", "The password cannot be the username.")
        )
    return found


@dataclass(frozen=True)
class UserDraft:
    username: str
    display_name: str
    role: Role
    password: str = field(repr=False, default="")

    def problems(self, *, demo: bool = False) -> list[FieldProblem]:
        return _collect(
            username_problem(self.username),
            _required(self.display_name, "display_name", "the person's name"),
            _too_long(self.display_name, "display_name", MAX_NAME, "name"),
        ) + password_problems(self.password, username=self.username, demo=demo)

    def validate(self, *, demo: bool = False) -> None:
        raise_if_problems(self.problems(demo=demo))
