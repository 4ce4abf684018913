"""Merging two records of one person, and undoing it (an admin's repair).

``merge(kind, keep_id, merge_id, reason)`` folds the second record into
the first: every reference to it, in any table with a foreign key to the
person's table (found from the models, so tables other areas add later are
covered too) and every attachment, is repointed to the kept record, and
the merged record is retired. Where the kept person is already linked to
the same case or intervention, the merged person's link is retired instead
of duplicated. A survivor's identity stays with its own record unless the
kept record has none. Everything moved is listed in the ``PersonMerge``
row, so ``unmerge`` puts back exactly those references and brings the
merged record back; both are audited (survivors and accused by code).

Repointing changes an intervention's person columns but never its text:
the notes stay as they were written. If the move would break a uniqueness
rule of another table (say both records have a proceeding in the same
case), nothing is changed and the message names the table.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Table, Uuid, and_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ijmcase.domain.enums import AttachmentOwner, PartyKind
from ijmcase.domain.errors import ConflictError, NotFound, RuleViolation, ValidationError
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.persistence.base import Base, utcnow
from ijmcase.persistence.models import (
    Accused,
    Attachment,
    PartnerOfficial,
    PersonMerge,
    Survivor,
    SurvivorIdentity,
    User,
)
from ijmcase.services.context import Changes, Outcome, ServiceBase

__all__ = ["MergeView", "PersonMergeService"]

_MODELS: dict[PartyKind, type[Survivor] | type[Accused] | type[PartnerOfficial]] = {
    PartyKind.SURVIVOR: Survivor,
    PartyKind.ACCUSED: Accused,
    PartyKind.OFFICIAL: PartnerOfficial,
}
_OWNERS = {
    PartyKind.SURVIVOR: AttachmentOwner.SURVIVOR,
    PartyKind.ACCUSED: AttachmentOwner.ACCUSED,
    PartyKind.OFFICIAL: AttachmentOwner.OFFICIAL,
}
# Link tables hold one row per person per parent: a second becomes a duplicate.
_LINKS = {"case_parties": "case_id", "intervention_people": "intervention_id"}
_IDENTITY = "survivor_identities"


@dataclass(frozen=True)
class MergeView:
    id: uuid.UUID
    kind: PartyKind
    kept_id: uuid.UUID
    kept_label: str
    merged_id: uuid.UUID
    merged_label: str
    reason: str
    merged_at: datetime
    merged_by: str
    moved: int  # references repointed or retired
    undone_at: datetime | None
    undone_by: str
    undo_reason: str


def _references(kind: PartyKind) -> list[tuple[Table, Column[Any]]]:
    """Every (table, column) that points at the person's table."""
    target = _MODELS[kind].__table__
    found: list[tuple[Table, Column[Any]]] = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is target and fk.parent.table is table:
                found.append((table, fk.parent))
    return found


def _key(table: Table, row: Any) -> dict[str, str]:
    return {c.name: str(row._mapping[c.name]) for c in table.primary_key.columns}


def _where_key(table: Table, key: dict[str, str]) -> Any:
    parts = []
    for name, value in key.items():
        column = table.c[name]
        typed: object = uuid.UUID(value) if isinstance(column.type, Uuid) else value
        parts.append(column == typed)
    return and_(*parts)


class PersonMergeService(ServiceBase):
    def merge(
        self, kind: PartyKind, keep_id: uuid.UUID, merge_id: uuid.UUID, reason: str
    ) -> Outcome[MergeView]:
        """Fold ``merge_id`` into ``keep_id``."""
        self._require(Permission.PEOPLE_MERGE, "merge people's records")
        reason = reason.strip()
        if not reason:
            raise ValidationError.single("reason", "required", "Say why these are the same person.")
        if keep_id == merge_id:
            raise ValidationError.single(
                "merge_id", "same_record", "Choose two different records to merge."
            )
        model = _MODELS[kind]
        with self._write() as session:
            kept = session.get(model, keep_id)
            merged = session.get(model, merge_id)
            for person in (kept, merged):
                if person is None or person.deleted_at is not None:
                    raise NotFound(
                        f"There is no such {kind.label.lower()} record (or it was merged already).",
                        code="person_not_found",
                    )
            assert kept is not None and merged is not None
            now = utcnow()
            moved: list[dict[str, Any]] = []
            try:
                for table, column in _references(kind):
                    moved += self._move(session, table, column, merge_id, keep_id, now)
                moved += self._move_attachments(session, kind, merge_id, keep_id, now)
                merged.deleted_at = now
                self._stamp(merged, new=False)
                record = PersonMerge(
                    kind=kind,
                    kept_id=keep_id,
                    merged_id=merge_id,
                    reason=reason,
                    moved=json.dumps(moved, sort_keys=True),
                )
                self._stamp(record, new=True)
                session.add(record)
                session.flush()
            except IntegrityError as exc:
                raise ConflictError(
                    "These records cannot be merged as they are: both have records that "
                    f"may exist only once ({_table_of(exc)}). Resolve that first.",
                    code="merge_conflict",
                ) from None
            self._audit(
                session,
                "person.merge",
                kind.value,
                keep_id,
                details={
                    "kind": kind.value,
                    "kept": _label(kept),
                    "merged": _label(merged),
                    "merged_id": str(merge_id),
                    "merge_id": str(record.id),
                    "moved": len(moved),
                    "reason": reason,
                },
            )
            view = self._view(session, record)
        return Outcome(view, Changes.of("people", "parties", "interventions", "cases"))

    def unmerge(self, merge_id: uuid.UUID, reason: str) -> Outcome[MergeView]:
        """Undo a merge: the merged record comes back with its references."""
        self._require(Permission.PEOPLE_MERGE, "undo merges of people's records")
        reason = reason.strip()
        if not reason:
            raise ValidationError.single("reason", "required", "Say why the merge is undone.")
        with self._write() as session:
            record = session.get(PersonMerge, merge_id)
            if record is None or record.deleted_at is not None:
                raise NotFound("There is no such merge.", code="merge_not_found")
            if record.undone_at is not None:
                raise RuleViolation("This merge was already undone.", code="already_undone")
            model = _MODELS[record.kind]
            kept = session.get(model, record.kept_id)
            merged = session.get(model, record.merged_id)
            assert kept is not None and merged is not None
            if kept.deleted_at is not None:
                raise RuleViolation(
                    f"{_label(kept)} was itself merged into another record afterwards; undo "
                    "that merge first.",
                    code="merged_later",
                )
            now = utcnow()
            tables = Base.metadata.tables
            for entry in json.loads(record.moved):
                table = tables[entry["t"]]
                where = _where_key(table, entry["k"])
                if entry["a"] == "repoint":
                    column = table.c[entry["c"]]
                    session.execute(
                        update(table)
                        .where(where, column == record.kept_id)
                        .values({column.name: record.merged_id, **self._bookkeeping(table, now)})
                    )
                else:
                    session.execute(
                        update(table)
                        .where(where, table.c.deleted_at.is_not(None))
                        .values({"deleted_at": None, **self._bookkeeping(table, now)})
                    )
            merged.deleted_at = None
            self._stamp(merged, new=False)
            record.undone_at = now
            record.undone_by = self.actor.user_id
            record.undo_reason = reason
            self._stamp(record, new=False)
            session.flush()
            self._audit(
                session,
                "person.unmerge",
                record.kind.value,
                record.merged_id,
                details={
                    "kind": record.kind.value,
                    "kept": _label(kept),
                    "merged": _label(merged),
                    "merge_id": str(record.id),
                    "reason": reason,
                },
            )
            view = self._view(session, record)
        return Outcome(view, Changes.of("people", "parties", "interventions", "cases"))

    def merges(self, *, person_id: uuid.UUID | None = None) -> list[MergeView]:
        """Merges (newest first), optionally those involving one record."""
        if not has_permission(self.actor.role, Permission.AUDIT_READ):
            self._require(Permission.PEOPLE_MERGE, "see merges of people's records")
        with self._read() as session:
            stmt = select(PersonMerge).where(PersonMerge.deleted_at.is_(None))
            if person_id is not None:
                stmt = stmt.where(
                    (PersonMerge.kept_id == person_id) | (PersonMerge.merged_id == person_id)
                )
            rows = session.scalars(stmt.order_by(PersonMerge.created_at.desc()))
            return [self._view(session, r) for r in rows]

    # -- internals ----------------------------------------------------------

    def _bookkeeping(self, table: Table, now: datetime) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if "updated_at" in table.c:
            values["updated_at"] = now
        if "updated_by" in table.c:
            values["updated_by"] = self.actor.user_id
        if "version" in table.c:
            values["version"] = table.c.version + 1
        return values

    def _move(
        self,
        session: Session,
        table: Table,
        column: Column[Any],
        merge_id: uuid.UUID,
        keep_id: uuid.UUID,
        now: datetime,
    ) -> list[dict[str, Any]]:
        live = table.c.deleted_at.is_(None) if "deleted_at" in table.c else None
        stmt = select(table).where(column == merge_id)
        if live is not None:
            stmt = stmt.where(live)
        rows = session.execute(stmt).all()
        if table.name == _IDENTITY:
            # The kept record keeps its own identity; it takes the merged one's
            # only if it has none.
            has_own = session.scalar(
                select(SurvivorIdentity.id).where(SurvivorIdentity.survivor_id == keep_id)
            )
            if has_own is not None:
                return []
        moved: list[dict[str, Any]] = []
        parent = _LINKS.get(table.name)
        for row in rows:
            key = _key(table, row)
            action = "repoint"
            if parent is not None and live is not None:
                twin = session.execute(
                    select(table.c[parent]).where(
                        table.c[parent] == row._mapping[parent], column == keep_id, live
                    )
                ).first()
                if twin is not None:
                    action = "retire"
            values = (
                {column.name: keep_id} if action == "repoint" else {"deleted_at": now}
            ) | self._bookkeeping(table, now)
            session.execute(update(table).where(_where_key(table, key)).values(values))
            moved.append({"t": table.name, "k": key, "c": column.name, "a": action})
        return moved

    def _move_attachments(
        self,
        session: Session,
        kind: PartyKind,
        merge_id: uuid.UUID,
        keep_id: uuid.UUID,
        now: datetime,
    ) -> list[dict[str, Any]]:
        table = Attachment.__table__
        assert isinstance(table, Table)
        ids = list(
            session.scalars(
                select(Attachment.id).where(
                    Attachment.owner_kind == _OWNERS[kind],
                    Attachment.owner_id == merge_id,
                    Attachment.deleted_at.is_(None),
                )
            )
        )
        moved = []
        for attachment_id in ids:
            key = {"id": str(attachment_id)}
            # The blob stays sealed for its first owner (``blob_owner``).
            session.execute(
                update(table)
                .where(_where_key(table, key))
                .values({"owner_id": keep_id, **self._bookkeeping(table, now)})
            )
            moved.append({"t": table.name, "k": key, "c": "owner_id", "a": "repoint"})
        return moved

    def _view(self, session: Session, record: PersonMerge) -> MergeView:
        model = _MODELS[record.kind]
        kept = session.get(model, record.kept_id)
        merged = session.get(model, record.merged_id)
        names = dict(
            session.execute(
                select(User.id, User.username).where(
                    User.id.in_([u for u in (record.created_by, record.undone_by) if u])
                )
            ).all()
        )
        return MergeView(
            id=record.id,
            kind=record.kind,
            kept_id=record.kept_id,
            kept_label=_label(kept) if kept is not None else "",
            merged_id=record.merged_id,
            merged_label=_label(merged) if merged is not None else "",
            reason=record.reason,
            merged_at=record.created_at,
            merged_by=names.get(record.created_by, "") if record.created_by else "",
            moved=len(json.loads(record.moved)),
            undone_at=record.undone_at,
            undone_by=names.get(record.undone_by, "") if record.undone_by else "",
            undo_reason=record.undo_reason,
        )


def _label(person: object) -> str:
    """Survivors and accused by code; officials by name (they are not protected)."""
    if isinstance(person, PartnerOfficial):
        return person.name
    if isinstance(person, Survivor | Accused):
        return person.code
    return ""


def _table_of(exc: IntegrityError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    for name in sorted(Base.metadata.tables, key=len, reverse=True):
        if name in text:
            return name
    return "a record that must be unique"
