"""What every service shares: who is acting, the unit of work, permission
checks, audit, and the record of what a write changed.

A write method runs in one ``Database.transaction()``; its audit events are
appended in that same transaction, so a change and its audit row are saved
together or not at all. It returns an ``Outcome``: the new read model and a
``Changes`` that tells the GUI which views to refresh (Anki's OpChanges).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from ijmcase.domain.enums import Role
from ijmcase.domain.errors import AccessDenied
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.persistence.audit import append_event
from ijmcase.persistence.database import Database

__all__ = ["Actor", "Changes", "Outcome", "ServiceBase", "today"]

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """The logged-in staff member on whose behalf a service acts."""

    user_id: uuid.UUID
    username: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class Changes:
    """Which kinds of record a write touched, and in which cases."""

    areas: frozenset[str] = frozenset()
    case_ids: frozenset[uuid.UUID] = frozenset()

    @classmethod
    def of(cls, *areas: str, case_id: uuid.UUID | None = None) -> Changes:
        return cls(frozenset(areas), frozenset({case_id}) if case_id else frozenset())

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.areas | other.areas, self.case_ids | other.case_ids)

    def touches(self, area: str) -> bool:
        return area in self.areas


@dataclass(frozen=True)
class Outcome(Generic[T]):
    value: T
    changes: Changes = field(default_factory=Changes)


def today() -> date:
    return date.today()


class ServiceBase:
    """Holds the database and the actor; gives subclasses the shared checks."""

    def __init__(self, db: Database, actor: Actor) -> None:
        self._db = db
        self.actor = actor

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._db.transaction(write=True) as session:
            yield session

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._db.transaction(write=False) as session:
            yield session

    def _require(self, permission: Permission, what: str) -> None:
        if not has_permission(self.actor.role, permission):
            raise AccessDenied(
                f"A {self.actor.role.label.lower()} cannot {what}.", code="access_denied"
            )

    def _audit(
        self,
        session: Session,
        action: str,
        entity_type: str,
        entity_id: uuid.UUID | str | None = None,
        *,
        case_id: uuid.UUID | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> None:
        append_event(
            session,
            actor_id=self.actor.user_id,
            actor_name=self.actor.username,
            action=action,
            entity_type=entity_type,
            entity_id=entity_id,
            case_id=case_id,
            details=details,
        )

    def _stamp(self, record: Any, *, new: bool) -> None:
        """Fill the created/updated-by columns of a Record."""
        if new:
            record.created_by = self.actor.user_id
        record.updated_by = self.actor.user_id
