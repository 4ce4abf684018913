"""Full-text search over intervention notes and outcomes and case titles and
summaries: ranked, with the matched words marked, only in cases the user
may see.

``search("school fees")`` finds documents holding every term (a term ending
in ``*`` matches word starts; see ``domain.search_terms``); nothing typed is
ever read as query syntax, so quotes, ``OR``, ``*`` alone or SQL just
search for the words in them (or for nothing). The best matches come
first (SQLite: bm25; PostgreSQL: ``ts_rank``; titles and outcomes weigh
more than notes). Matched words are marked ``[[like this]]`` in ``title``
and ``snippet``; a note's snippet is a short window around the matches.

An intervention is found as its current version only (a correction
replaces the earlier text in the index). Restricted cases are searched only
for the staff who may see them; hidden cases leave no trace in the results
or their count.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Uuid,
    bindparam,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.enums import InterventionType, Stage
from ijmcase.domain.permissions import Permission
from ijmcase.domain.search_terms import SearchTerm, parse_search
from ijmcase.persistence.database import Database
from ijmcase.persistence.models import Case, Intervention
from ijmcase.persistence.search_index import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    KIND_CASE,
    KIND_INTERVENTION,
    SQLITE_FTS_TABLE,
    fts5_match,
    fts_table,
    tsquery_text,
)
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Actor
from ijmcase.services.scrubbing import IdentityScrubber

__all__ = ["HitKind", "SearchHit", "SearchResults", "SearchService"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_SNIPPET_TOKENS = 24


class HitKind(StrEnum):
    INTERVENTION = "intervention"
    CASE = "case"


_KINDS = {KIND_INTERVENTION: HitKind.INTERVENTION, KIND_CASE: HitKind.CASE}


@dataclass(frozen=True)
class SearchHit:
    kind: HitKind
    id: uuid.UUID  # the intervention or the case
    case_id: uuid.UUID
    case_code: str
    title: str  # the outcome (intervention) or title (case), matches marked
    snippet: str  # from the notes (intervention) or summary (case), matches marked
    score: float  # higher is better; comparable within one result only
    occurred_at: datetime | None = None
    intervention_type: InterventionType | None = None
    stage: Stage | None = None


@dataclass(frozen=True)
class SearchResults:
    text: str
    terms: tuple[str, ...]  # what was searched for, as the engine read it
    hits: tuple[SearchHit, ...]
    more: bool  # there are more hits than ``limit``

    @property
    def searched(self) -> bool:
        """False when the text held no words to search for."""
        return bool(self.terms)


@dataclass(frozen=True)
class _Found:
    kind: str
    ref: uuid.UUID
    case_id: uuid.UUID
    score: float
    title: str
    snippet: str
    # Filled by the query where it is cheap (SQLite), else looked up after.
    case_code: str | None = None
    details: tuple[datetime | None, InterventionType | None, Stage | None] | None = None


class SearchService(CaseAccess):
    def __init__(self, db: Database, actor: Actor) -> None:
        super().__init__(db, actor)
        self._statements: dict[tuple[frozenset[HitKind], bool], Select[Any]] = {}

    def search(
        self,
        text: str,
        *,
        limit: int = DEFAULT_LIMIT,
        kinds: Collection[HitKind] | None = None,
        case_id: uuid.UUID | None = None,
        scrub: bool = False,
    ) -> SearchResults:
        """Hits for ``text``, best first; ``kinds`` and ``case_id`` narrow it.
        ``scrub`` takes the survivors' names and phone numbers out of titles
        and snippets (for output that leaves the application, like the
        command line's)."""
        self._require(Permission.CASE_READ, "read cases")
        terms = parse_search(text)
        labels = tuple(t.text for t in terms)
        wanted = set(kinds) if kinds is not None else set(HitKind)
        if not terms or not wanted:
            return SearchResults(text, labels, (), False)
        limit = max(1, min(limit, MAX_LIMIT))
        with self._read() as session:
            if case_id is not None:
                self._load(session, case_id)
            if session.get_bind().dialect.name == "sqlite":
                found = self._sqlite(session, terms, case_id, wanted, limit + 1)
            else:
                scope: ColumnElement[bool] = self._visible_clause()
                if case_id is not None:
                    scope = scope & (Case.id == case_id)
                found = self._postgres(session, terms, scope, wanted, limit + 1)
            hits = self._hits(session, found[:limit])
            if scrub:
                scrubber = IdentityScrubber(session)
                hits = [
                    replace(
                        h,
                        title=scrubber(h.case_id, h.title),
                        snippet=scrubber(h.case_id, h.snippet),
                    )
                    for h in hits
                ]
        return SearchResults(text, labels, tuple(hits), len(found) > limit)

    # -- SQLite: one FTS5 table --------------------------------------------

    def _sqlite(
        self,
        session: Session,
        terms: tuple[SearchTerm, ...],
        case_id: uuid.UUID | None,
        wanted: set[HitKind],
        limit: int,
    ) -> list[_Found]:
        key = (frozenset(wanted), case_id is not None)
        stmt = self._statements.get(key)
        if stmt is None:
            stmt = self._statements[key] = self._sqlite_statement(wanted, case_id is not None)
        params: dict[str, Any] = {"match": fts5_match(terms), "limit": limit}
        if case_id is not None:
            params["case_id"] = case_id
        rows = session.execute(stmt, params)
        # bm25 is lower for better matches; turn it round so higher is better.
        return [
            _Found(k, ref, cid, -float(r), t or "", s or "", code, (at, itype, stage))
            for k, ref, cid, r, t, s, code, at, itype, stage in rows
        ]

    def _sqlite_statement(self, wanted: set[HitKind], case_scoped: bool) -> Select[Any]:
        """The search as one statement, built once per service (the user's
        visibility is fixed); the words, the limit and the case are bound."""
        fts = fts_table
        table: ColumnElement[Any] = literal_column(SQLITE_FTS_TABLE)
        rank: ColumnElement[Any] = literal_column(f"{SQLITE_FTS_TABLE}.rank")
        stmt = (
            select(
                fts.c.kind,
                fts.c.ref,
                fts.c.case_id,
                rank.label("rank"),
                func.highlight(table, 0, HIGHLIGHT_START, HIGHLIGHT_END),
                func.snippet(table, 1, HIGHLIGHT_START, HIGHLIGHT_END, "…", _SNIPPET_TOKENS),
                Case.code,
                Intervention.occurred_at,
                Intervention.type,
                Intervention.stage,
            )
            .select_from(fts)
            .join(Case, Case.id == fts.c.case_id)
            .outerjoin(Intervention, Intervention.id == fts.c.ref)
            .where(
                table.op("MATCH")(bindparam("match")),
                self._visible_clause(),
                or_(fts.c.kind == KIND_CASE, Intervention.deleted_at.is_(None)),
            )
        )
        if case_scoped:
            stmt = stmt.where(Case.id == bindparam("case_id", type_=Uuid))
        if wanted != set(HitKind):
            codes = [k for k, v in _KINDS.items() if v in wanted]
            stmt = stmt.where(fts.c.kind.in_(codes))
        # Rank alone: FTS5 then hands rows over in rank order (no sort of every
        # match), and computes highlights and snippets only for the rows kept.
        return stmt.order_by(rank).limit(bindparam("limit", type_=Integer))

    # -- PostgreSQL: generated tsvector columns --------------------------------

    def _postgres(
        self,
        session: Session,
        terms: tuple[SearchTerm, ...],
        scope: ColumnElement[bool],
        wanted: set[HitKind],
        limit: int,
    ) -> list[_Found]:
        query = func.to_tsquery(
            literal_column("'simple'::regconfig"), bindparam("tsq", tsquery_text(terms))
        )
        parts: list[Select[Any]] = []
        if HitKind.INTERVENTION in wanted:
            vector: ColumnElement[Any] = literal_column("interventions.search_vector")
            later = aliased(Intervention)
            parts.append(
                select(
                    literal(KIND_INTERVENTION).label("kind"),
                    Intervention.id.label("ref"),
                    Intervention.case_id.label("case_id"),
                    func.ts_rank(vector, query).label("score"),
                )
                .join(Case, Case.id == Intervention.case_id)
                .where(
                    vector.op("@@")(query),
                    Intervention.deleted_at.is_(None),
                    ~exists().where(later.supersedes_id == Intervention.id),
                    scope,
                )
            )
        if HitKind.CASE in wanted:
            vector = literal_column("cases.search_vector")
            parts.append(
                select(
                    literal(KIND_CASE).label("kind"),
                    Case.id.label("ref"),
                    Case.id.label("case_id"),
                    func.ts_rank(vector, query).label("score"),
                ).where(vector.op("@@")(query), scope)
            )
        both = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
        ranked = session.execute(
            select(both.c.kind, both.c.ref, both.c.case_id, both.c.score)
            .order_by(both.c.score.desc(), both.c.ref)
            .limit(limit)
        ).all()
        marks = f'StartSel="{HIGHLIGHT_START}", StopSel="{HIGHLIGHT_END}"'
        whole = f"{marks}, HighlightAll=true"
        window = (
            f"{marks}, MaxWords={_SNIPPET_TOKENS}, MinWords=8, MaxFragments=2, "
            'FragmentDelimiter=" … "'
        )
        config: ColumnElement[Any] = literal_column("'simple'::regconfig")
        texts: dict[uuid.UUID, tuple[str, str]] = {}
        ids = [r.ref for r in ranked if r.kind == KIND_INTERVENTION]
        if ids:
            for ref, title, snippet in session.execute(
                select(
                    Intervention.id,
                    func.ts_headline(config, Intervention.outcome, query, whole),
                    func.ts_headline(config, Intervention.notes, query, window),
                ).where(Intervention.id.in_(ids))
            ):
                texts[ref] = (title, snippet)
        ids = [r.ref for r in ranked if r.kind == KIND_CASE]
        if ids:
            for ref, title, snippet in session.execute(
                select(
                    Case.id,
                    func.ts_headline(config, Case.title, query, whole),
                    func.ts_headline(config, Case.summary, query, window),
                ).where(Case.id.in_(ids))
            ):
                texts[ref] = (title, snippet)
        return [
            _Found(r.kind, r.ref, r.case_id, float(r.score), *texts.get(r.ref, ("", "")))
            for r in ranked
        ]

    # -- both -----------------------------------------------------------------

    def _hits(self, session: Session, found: list[_Found]) -> list[SearchHit]:
        if not found:
            return []
        codes: dict[uuid.UUID, str] = {}
        if any(f.case_code is None for f in found):
            codes = dict(
                session.execute(
                    select(Case.id, Case.code).where(Case.id.in_({f.case_id for f in found}))
                ).all()
            )
        details: dict[uuid.UUID, tuple[datetime | None, InterventionType | None, Stage | None]]
        details = {f.ref: f.details for f in found if f.details is not None}
        missing = [f.ref for f in found if f.kind == KIND_INTERVENTION and f.details is None]
        if missing:
            for row in session.execute(
                select(
                    Intervention.id, Intervention.occurred_at, Intervention.type, Intervention.stage
                ).where(Intervention.id.in_(missing))
            ):
                details[row[0]] = (row[1], row[2], row[3])
        hits = []
        for f in found:
            occurred, itype, stage = details.get(f.ref, (None, None, None))
            hits.append(
                SearchHit(
                    kind=_KINDS[f.kind],
                    id=f.ref,
                    case_id=f.case_id,
                    case_code=f.case_code or codes.get(f.case_id, ""),
                    title=f.title,
                    snippet=f.snippet,
                    score=f.score,
                    occurred_at=occurred,
                    intervention_type=itype,
                    stage=stage,
                )
            )
        return hits
