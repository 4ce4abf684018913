"""Consent: what a survivor (or their guardian) agreed to, and whether a
consent covers what someone is about to do.

A consent has a scope (services, sharing with a named organization, use in
court, story or media, research), who gave it (the survivor or a guardian;
for a child, whether the child assented), the day it was given and, once
withdrawn, the day it was withdrawn. It is *current* on a day when it was
given on or before that day and not withdrawn by then. Sharing is consent
to share with one organization, named by its institution record or, for an
organization not on file, by name; consent to share with one does not
cover another.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from ijmcase.domain.drafts import MAX_NAME, MAX_NOTE, age_on
from ijmcase.domain.enums import ConsentGiver, ConsentScope
from ijmcase.domain.errors import FieldProblem, raise_if_problems
from ijmcase.domain.interventions import text_problem

__all__ = [
    "ConsentDraft",
    "is_current",
    "minor_on",
    "missing_consent_message",
    "same_organization",
    "withdrawal_problem",
]


def minor_on(
    day: date,
    *,
    date_of_birth: date | None,
    age_at: tuple[int, date] | None = None,
) -> bool | None:
    """Whether a person is under 18 on ``day``: from the date of birth when
    known, else from an age on a known day (``(age, on)``, counted forward);
    None when neither is known."""
    if date_of_birth is not None:
        return age_on(date_of_birth, day) < 18
    if age_at is not None:
        age, on = age_at
        return age + age_on(on, day) < 18 if day >= on else age < 18
    return None


def _folded(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).casefold()
    return " ".join(text.split())


def same_organization(
    consent_id: UUID | None, consent_name: str, wanted_id: UUID | None, wanted_name: str
) -> bool:
    """Whether a sharing consent names the organization asked about: the same
    institution record, or (either side not on file) the same name, ignoring
    case and spacing."""
    if consent_id is not None and wanted_id is not None:
        return consent_id == wanted_id
    if consent_name.strip() and wanted_name.strip():
        return _folded(consent_name) == _folded(wanted_name)
    return False


def is_current(given_on: date, withdrawn_on: date | None, on: date) -> bool:
    return given_on <= on and (withdrawn_on is None or withdrawn_on > on)


def missing_consent_message(code: str, scope: ConsentScope, organization: str = "") -> str:
    """The refusal a person reads, naming exactly the consent that is missing."""
    if scope is ConsentScope.SHARING:
        what = f"consent to sharing with {organization}" if organization else "consent to sharing"
    else:
        what = f"consent to {scope.label.lower()}"
    return (
        f"{code} has no current {what}. Record the consent (given by the survivor or "
        "their guardian) before going ahead."
    )


@dataclass(frozen=True)
class ConsentDraft:
    """A consent as the form records it. For sharing, name the organization
    by its institution record (``organization_id``) or, if it is not on
    file, by ``organization_name``."""

    scope: ConsentScope | None
    given_on: date | None
    given_by: ConsentGiver = ConsentGiver.SURVIVOR
    organization_id: UUID | None = None
    organization_name: str = ""
    child_assent: bool | None = None
    notes: str = ""

    def normalized(self) -> ConsentDraft:
        return replace(self, organization_name=self.organization_name.strip())

    def problems(self, *, today: date, minor: bool | None) -> list[FieldProblem]:
        """``minor``: whether the survivor is a child on the day given (None: unknown)."""
        found: list[FieldProblem] = []
        if self.scope is None:
            found.append(FieldProblem("scope", "required", "Choose what the consent covers."))
        if self.given_on is None:
            found.append(FieldProblem("given_on", "required", "Enter the day it was given."))
        elif self.given_on > today:
            found.append(
                FieldProblem(
                    "given_on", "future_date", "A consent cannot be given on a future day."
                )
            )
        has_org = self.organization_id is not None or bool(self.organization_name.strip())
        if self.scope is ConsentScope.SHARING and not has_org:
            found.append(
                FieldProblem(
                    "organization",
                    "required",
                    "Name the organization the survivor agreed to share with.",
                )
            )
        if self.scope is not None and self.scope is not ConsentScope.SHARING and has_org:
            found.append(
                FieldProblem(
                    "organization",
                    "not_sharing",
                    "Only a consent to sharing names an organization.",
                )
            )
        if minor is True and self.given_by is ConsentGiver.GUARDIAN and self.child_assent is None:
            found.append(
                FieldProblem(
                    "child_assent",
                    "required",
                    "The survivor was a child: record whether they assented as well.",
                )
            )
        if minor is False and self.child_assent is not None:
            found.append(
                FieldProblem(
                    "child_assent",
                    "not_a_child",
                    "The survivor was an adult on that day; child assent does not apply.",
                )
            )
        if len(self.organization_name) > MAX_NAME:
            found.append(
                FieldProblem(
                    "organization",
                    "too_long",
                    f"The organization's name is over {MAX_NAME} characters.",
                )
            )
        if len(self.notes) > MAX_NOTE:
            found.append(
                FieldProblem("notes", "too_long", f"The note is over {MAX_NOTE:,} characters.")
            )
        bad = text_problem(self.notes, "notes", "note")
        if bad is not None:
            found.append(bad)
        return found

    def validate(self, *, today: date, minor: bool | None) -> None:
        raise_if_problems(self.problems(today=today, minor=minor))


def withdrawal_problem(given_on: date, withdrawn_on: date, *, today: date) -> FieldProblem | None:
    if withdrawn_on > today:
        return FieldProblem(
            "withdrawn_on", "future_date", "A consent cannot be withdrawn on a future day."
        )
    if withdrawn_on < given_on:
        return FieldProblem(
            "withdrawn_on",
            "before_given",
            f"It was given on {given_on.isoformat()}; it cannot be withdrawn before that.",
        )
    return None
