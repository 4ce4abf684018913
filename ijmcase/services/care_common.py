"""Small lookups the aftercare and prevention services share.

Survivors are named by code only, here and in everything built on it; the
staff names returned are display names of accounts, never survivors'.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import PartyKind, Stage
from ijmcase.domain.errors import NotFound, ValidationError
from ijmcase.persistence.models import Case, CaseParty, Institution, StageTrack, Survivor, User

__all__ = [
    "aftercare_track",
    "case_survivors",
    "institution",
    "not_found",
    "survivor_in_case",
    "user_names",
]


def survivor_in_case(
    session: Session, case: Case, survivor_id: uuid.UUID, field: str = "survivor_id"
) -> Survivor:
    """The survivor, who must be a person in this case."""
    survivor = session.scalar(
        select(Survivor)
        .join(CaseParty, CaseParty.survivor_id == Survivor.id)
        .where(
            CaseParty.case_id == case.id,
            CaseParty.survivor_id == survivor_id,
            CaseParty.deleted_at.is_(None),
            Survivor.deleted_at.is_(None),
        )
        .limit(1)
    )
    if survivor is None:
        raise ValidationError.single(
            field, "survivor_not_in_case", f"Choose a survivor in case {case.code}."
        )
    return survivor


def case_survivors(session: Session, case_id: uuid.UUID) -> list[Survivor]:
    """The survivors in a case, by code."""
    return list(
        session.scalars(
            select(Survivor)
            .join(CaseParty, CaseParty.survivor_id == Survivor.id)
            .where(
                CaseParty.case_id == case_id,
                CaseParty.kind == PartyKind.SURVIVOR,
                CaseParty.deleted_at.is_(None),
                Survivor.deleted_at.is_(None),
            )
            .distinct()
            .order_by(Survivor.code)
        )
    )


def aftercare_track(case: Case) -> StageTrack:
    return next(t for t in case.tracks if t.stage is Stage.AFTERCARE)


def institution(session: Session, institution_id: uuid.UUID, field: str) -> Institution:
    found = session.get(Institution, institution_id)
    if found is None or found.deleted_at is not None:
        raise ValidationError.single(field, "unknown_institution", "Choose an institution.")
    return found


def user_names(session: Session, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def not_found(what: str, code: str) -> NotFound:
    return NotFound(f"There is no such {what}.", code=code)
