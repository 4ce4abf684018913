"""Finding people: likely duplicates of a person being entered, and the
People view's search with each person's cases.

Duplicate candidates come from ``matching.likely_matches`` fed only with
people whose names the user may see:

- survivors whose identity the user may see (staff assigned to one of their
  cases, or a role the organization granted identities to); each candidate
  shown is a view of identifying data and audited as one;
- accused persons in cases the user may see;
- partner officials (not confidential).

A large pool (a granted role sees every survivor) is narrowed first by a
fast token comparison of the names, and anyone born on the same day is
kept whatever their name; ``likely_matches`` then scores what is left.

The People view's ``find`` shows survivors by code (and the harmless alias);
their legal names are searched only among those whose identity the user
may see, and never shown here.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process
from sqlalchemy import ColumnElement, exists, func, or_, select, true
from sqlalchemy.orm import Session

from ijmcase.domain.drafts import age_band_for
from ijmcase.domain.enums import AgeBand, PartyKind
from ijmcase.domain.errors import NotFound
from ijmcase.domain.permissions import Permission
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
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.cases import CaseRow, CaseService
from ijmcase.services.matching import (
    Match,
    PersonCandidate,
    likely_matches,
    normalise_name,
    score_pair,
)
from ijmcase.services.people import PeopleService

__all__ = [
    "DuplicateCandidate",
    "PairComparison",
    "PeopleRecordsService",
    "PersonEntry",
    "PersonRow",
]

# Above this many candidates, names are compared coarsely first.
_PREFILTER_ABOVE = 500
_PREFILTER_CUTOFF = 50
_PREFILTER_KEEP = 300


@dataclass(frozen=True)
class PersonEntry:
    """A person being entered, as far as it is known. ``names``: the name
    first, then other names and aliases. ``exclude_id``: the record being
    edited, which is not its own duplicate."""

    kind: PartyKind
    names: tuple[str, ...]
    date_of_birth: date | None = None
    birth_year: int | None = None
    age: int | None = None
    place: str = ""
    exclude_id: uuid.UUID | None = None


@dataclass(frozen=True)
class DuplicateCandidate:
    kind: PartyKind
    person_id: uuid.UUID
    label: str  # a survivor's code; an accused's code and name; an official's name
    score: int
    reasons: tuple[str, ...]
    case_codes: tuple[str, ...]  # their cases the user may see


@dataclass(frozen=True)
class PersonRow:
    kind: PartyKind
    id: uuid.UUID
    label: str
    detail: str
    case_codes: tuple[str, ...]


@dataclass(frozen=True)
class PairComparison:
    """How alike two records are. For survivors whose identities the user
    may not see, only the score is given (the reasons quote names)."""

    score: int
    reasons: tuple[str, ...]
    names_hidden: bool


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _split_names(*values: str) -> list[str]:
    names: list[str] = []
    for value in values:
        for part in value.replace(";", ",").split(","):
            if part.strip():
                names.append(part.strip())
    return names


class PeopleRecordsService(CaseAccess):
    # -- duplicates -------------------------------------------------------

    def duplicate_candidates(
        self, entry: PersonEntry, *, limit: int = 5
    ) -> list[DuplicateCandidate]:
        """Likely existing records of the person being entered, best first."""
        self._require(Permission.CASE_READ, "read people's records")
        names = tuple(n.strip() for n in entry.names if n.strip())
        if not names:
            return []
        entered = PersonCandidate(
            id=entry.exclude_id,
            names=names,
            birth_date=entry.date_of_birth,
            birth_year=entry.birth_year,
            age_band=age_band_for(entry.age) if entry.age is not None else None,
            place=entry.place or None,
        )
        if entry.kind is PartyKind.SURVIVOR:
            # A write: each candidate shown is a view of identifying data.
            with self._write() as session:
                pool = list(self._survivor_pool(session))
                matches = likely_matches(entered, _narrowed(entered, pool), limit=limit)
                found = self._candidates(session, entry.kind, matches)
                for candidate in found:
                    self._audit(
                        session,
                        "survivor.identity.view",
                        "survivor",
                        candidate.person_id,
                        details={"code": candidate.label, "purpose": "duplicate check"},
                    )
                return found
        with self._read() as session:
            pool = list(
                self._accused_pool(session)
                if entry.kind is PartyKind.ACCUSED
                else self._official_pool(session)
            )
            matches = likely_matches(entered, _narrowed(entered, pool), limit=limit)
            return self._candidates(session, entry.kind, matches)

    def compare(self, kind: PartyKind, first_id: uuid.UUID, second_id: uuid.UUID) -> PairComparison:
        """How alike two records of one kind are, for the person deciding a
        merge. Comparing survivors reads their identities, so it is audited
        for both, and their names are quoted only to those who may see both."""
        self._require(Permission.CASE_READ, "read people's records")
        ids = [first_id, second_id]
        if kind is not PartyKind.SURVIVOR:
            with self._read() as session:
                pool = (
                    self._accused_pool(session, ids)
                    if kind is PartyKind.ACCUSED
                    else self._official_pool(session, ids)
                )
                found = {c.id: c for c in pool}
            if len(found) < 2:
                raise NotFound("There is no such person.", code="person_not_found")
            score, reasons = score_pair(found[first_id], found[second_id])
            return PairComparison(score, tuple(reasons), False)
        with self._write() as session:
            codes = dict(
                session.execute(
                    select(Survivor.id, Survivor.code).where(
                        Survivor.id.in_(ids), Survivor.deleted_at.is_(None)
                    )
                ).all()
            )
            if len(codes) < 2:
                raise NotFound("There is no such survivor.", code="person_not_found")
            visible = set(
                session.scalars(
                    select(Survivor.id).where(Survivor.id.in_(ids), self._identity_clause(session))
                )
            )
            everyone = {c.id: c for c in self._survivor_pool(session, ids=ids, everyone=True)}
            shown = visible == set(ids)
            for survivor_id in ids:
                self._audit(
                    session,
                    "survivor.identity.compare",
                    "survivor",
                    survivor_id,
                    details={"code": codes[survivor_id], "names_shown": shown},
                )
        if first_id not in everyone or second_id not in everyone:
            return PairComparison(0, (), not shown)
        score, reasons = score_pair(everyone[first_id], everyone[second_id])
        return PairComparison(score, tuple(reasons) if shown else (), not shown)

    def _identity_clause(self, session: Session) -> ColumnElement[bool]:
        """Survivors whose identity the actor may see (as PeopleService decides)."""
        if self.actor.role in PeopleService(self._db, self.actor)._identity_roles(session):
            return true()
        me = self.actor.user_id
        mine = select(Case.id).where(
            Case.deleted_at.is_(None),
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
        return exists().where(
            CaseParty.survivor_id == Survivor.id,
            CaseParty.deleted_at.is_(None),
            CaseParty.case_id.in_(mine),
        )

    def _survivor_pool(
        self,
        session: Session,
        *,
        ids: Collection[uuid.UUID] | None = None,
        everyone: bool = False,
    ) -> Iterable[PersonCandidate]:
        """Survivors as matching sees them: those whose identity the actor
        may see, or (``everyone``, for a comparison that shows no names) all."""
        stmt = (
            select(
                Survivor.id,
                Survivor.alias,
                Survivor.age_band,
                SurvivorIdentity.legal_name,
                SurvivorIdentity.other_names,
                SurvivorIdentity.date_of_birth,
                SurvivorIdentity.place_of_birth,
            )
            .join(SurvivorIdentity, SurvivorIdentity.survivor_id == Survivor.id)
            .where(Survivor.deleted_at.is_(None))
        )
        if not everyone:
            stmt = stmt.where(self._identity_clause(session))
        if ids is not None:
            stmt = stmt.where(Survivor.id.in_(ids))
        rows = session.execute(stmt)
        for sid, alias, band, legal, other, born, place in rows:
            names = _split_names(legal, other, alias)
            if names:
                yield PersonCandidate(
                    sid,
                    names,
                    birth_date=born,
                    age_band=band if band is not AgeBand.UNKNOWN else None,
                    place=place or None,
                )

    def _in_visible_case(self, kind: PartyKind) -> ColumnElement[bool]:
        """The accused person or official is in a case the actor may see."""
        link = (
            CaseParty.accused_id == Accused.id
            if kind is PartyKind.ACCUSED
            else CaseParty.official_id == PartnerOfficial.id
        )
        return exists().where(
            CaseParty.case_id == Case.id,
            link,
            CaseParty.deleted_at.is_(None),
            self._visible_clause(),
        )

    def _accused_pool(
        self, session: Session, ids: Collection[uuid.UUID] | None = None
    ) -> Iterable[PersonCandidate]:
        stmt = select(Accused.id, Accused.name, Accused.alias, Accused.age).where(
            Accused.deleted_at.is_(None), self._in_visible_case(PartyKind.ACCUSED)
        )
        if ids is not None:
            stmt = stmt.where(Accused.id.in_(ids))
        rows = session.execute(stmt)
        for aid, name, alias, age in rows:
            yield PersonCandidate(
                aid,
                _split_names(name, alias),
                age_band=age_band_for(age) if age is not None else None,
            )

    def _official_pool(
        self, session: Session, ids: Collection[uuid.UUID] | None = None
    ) -> Iterable[PersonCandidate]:
        stmt = (
            select(PartnerOfficial.id, PartnerOfficial.name, Institution.jurisdiction)
            .outerjoin(Institution, Institution.id == PartnerOfficial.institution_id)
            .where(PartnerOfficial.deleted_at.is_(None))
        )
        if ids is not None:
            stmt = stmt.where(PartnerOfficial.id.in_(ids))
        rows = session.execute(stmt)
        for oid, name, jurisdiction in rows:
            yield PersonCandidate(oid, [name], place=jurisdiction or None)

    def _candidates(
        self, session: Session, kind: PartyKind, matches: list[Match]
    ) -> list[DuplicateCandidate]:
        found: list[DuplicateCandidate] = []
        for match in matches:
            person_id = uuid.UUID(str(match.candidate_id))
            found.append(
                DuplicateCandidate(
                    kind,
                    person_id,
                    self._label(session, kind, person_id),
                    match.score,
                    tuple(match.reasons),
                    tuple(self._case_codes(session, kind, person_id)),
                )
            )
        return found

    # -- the People view ----------------------------------------------------

    def find(
        self, text: str, *, kinds: Collection[PartyKind] | None = None, limit: int = 50
    ) -> list[PersonRow]:
        """People whose code, alias or name contains ``text`` (survivors by code)."""
        self._require(Permission.CASE_READ, "read people's records")
        text = text.strip()
        wanted = set(kinds) if kinds is not None else set(PartyKind)
        if not text:
            return []
        pattern = _like(text)
        rows: list[PersonRow] = []
        with self._read() as session:
            if PartyKind.SURVIVOR in wanted:
                in_visible = exists().where(
                    CaseParty.case_id == Case.id,
                    CaseParty.survivor_id == Survivor.id,
                    CaseParty.deleted_at.is_(None),
                    self._visible_clause(),
                )
                by_name = exists().where(
                    SurvivorIdentity.survivor_id == Survivor.id,
                    or_(
                        func.lower(SurvivorIdentity.legal_name).like(pattern, escape="\\"),
                        func.lower(SurvivorIdentity.other_names).like(pattern, escape="\\"),
                    ),
                ) & self._identity_clause(session)
                for s in session.scalars(
                    select(Survivor)
                    .where(
                        Survivor.deleted_at.is_(None),
                        in_visible,
                        or_(
                            func.lower(Survivor.code).like(pattern, escape="\\"),
                            func.lower(Survivor.alias).like(pattern, escape="\\"),
                            by_name,
                        ),
                    )
                    .order_by(Survivor.code)
                    .limit(limit)
                ):
                    detail = f"{s.sex.label}, {s.age_band.label.lower()}"
                    if s.alias:
                        detail += f", known as {s.alias}"
                    rows.append(
                        PersonRow(
                            PartyKind.SURVIVOR,
                            s.id,
                            s.code,
                            detail,
                            tuple(self._case_codes(session, PartyKind.SURVIVOR, s.id)),
                        )
                    )
            if PartyKind.ACCUSED in wanted:
                for a in session.scalars(
                    select(Accused)
                    .where(
                        Accused.deleted_at.is_(None),
                        self._in_visible_case(PartyKind.ACCUSED),
                        or_(
                            func.lower(Accused.code).like(pattern, escape="\\"),
                            func.lower(Accused.name).like(pattern, escape="\\"),
                            func.lower(Accused.alias).like(pattern, escape="\\"),
                        ),
                    )
                    .order_by(Accused.name, Accused.code)
                    .limit(limit)
                ):
                    rows.append(
                        PersonRow(
                            PartyKind.ACCUSED,
                            a.id,
                            f"{a.code} {a.name}",
                            f"{a.role_in_crime.label}, {a.custody_status.label.lower()}",
                            tuple(self._case_codes(session, PartyKind.ACCUSED, a.id)),
                        )
                    )
            if PartyKind.OFFICIAL in wanted:
                for o, inst in session.execute(
                    select(PartnerOfficial, Institution.name)
                    .outerjoin(Institution, Institution.id == PartnerOfficial.institution_id)
                    .where(
                        PartnerOfficial.deleted_at.is_(None),
                        func.lower(PartnerOfficial.name).like(pattern, escape="\\"),
                    )
                    .order_by(PartnerOfficial.name)
                    .limit(limit)
                ):
                    rows.append(
                        PersonRow(
                            PartyKind.OFFICIAL,
                            o.id,
                            o.name,
                            o.official_role.label + (f", {inst}" if inst else ""),
                            tuple(self._case_codes(session, PartyKind.OFFICIAL, o.id)),
                        )
                    )
        return rows

    def cases_of(self, kind: PartyKind, person_id: uuid.UUID) -> list[CaseRow]:
        """The person's cases the user may see, newest first."""
        self._require(Permission.CASE_READ, "read cases")
        with self._read() as session:
            ids = self._case_ids(session, kind, person_id)
        return CaseService(self._db, self.actor).rows(ids)

    # -- shared -------------------------------------------------------------

    def _case_ids(self, session: Session, kind: PartyKind, person_id: uuid.UUID) -> list[uuid.UUID]:
        column = {
            PartyKind.SURVIVOR: CaseParty.survivor_id,
            PartyKind.ACCUSED: CaseParty.accused_id,
            PartyKind.OFFICIAL: CaseParty.official_id,
        }[kind]
        linked = exists().where(
            CaseParty.case_id == Case.id, column == person_id, CaseParty.deleted_at.is_(None)
        )
        return list(
            session.scalars(
                select(Case.id)
                .where(linked, self._visible_clause())
                .order_by(Case.opened_on.desc(), Case.id)
            )
        )

    def _case_codes(self, session: Session, kind: PartyKind, person_id: uuid.UUID) -> list[str]:
        ids = self._case_ids(session, kind, person_id)
        if not ids:
            return []
        return list(session.scalars(select(Case.code).where(Case.id.in_(ids)).order_by(Case.code)))

    def _label(self, session: Session, kind: PartyKind, person_id: uuid.UUID) -> str:
        if kind is PartyKind.SURVIVOR:
            return session.scalar(select(Survivor.code).where(Survivor.id == person_id)) or ""
        if kind is PartyKind.ACCUSED:
            row = session.execute(
                select(Accused.code, Accused.name).where(Accused.id == person_id)
            ).first()
            return f"{row[0]} {row[1]}" if row else ""
        return (
            session.scalar(select(PartnerOfficial.name).where(PartnerOfficial.id == person_id))
            or ""
        )


def _narrowed(entered: PersonCandidate, pool: list[PersonCandidate]) -> list[PersonCandidate]:
    """Keep a big pool's plausible part: names alike by a fast token
    comparison, or the same date of birth."""
    if len(pool) <= _PREFILTER_ABOVE:
        return pool
    query = normalise_name(" ".join(entered.names))
    choices = [normalise_name(" ".join(c.names)) for c in pool]
    keep = {
        index
        for _, _, index in process.extract(
            query,
            choices,
            scorer=fuzz.token_set_ratio,
            score_cutoff=_PREFILTER_CUTOFF,
            limit=_PREFILTER_KEEP,
        )
    }
    if entered.birth_date is not None:
        keep.update(i for i, c in enumerate(pool) if c.birth_date == entered.birth_date)
    return [pool[i] for i in sorted(keep)]
