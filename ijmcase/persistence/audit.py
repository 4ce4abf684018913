"""The hash chain of the audit log: appending an event and verifying the chain.

Row n stores ``hash = sha256(canonical(row n) + hash of row n-1)``. Editing a
row changes its hash; removing one leaves a gap in ``seq`` and a ``prev_hash``
that no longer matches. Appends are serialized (SQLite: the write transaction
is ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped advisory lock), and
``seq`` is unique, so two writers can never fork the chain.
(``Database.transaction`` already serializes writers; the lock here also
covers a caller that appends outside it.)
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ScalarResult, select, text
from sqlalchemy.orm import Session

from ijmcase.persistence.base import new_id, utcnow
from ijmcase.persistence.models import AuditEvent

__all__ = ["GENESIS", "ChainReport", "append_event", "canonical_details", "verify_chain"]

GENESIS = "0" * 64
# An arbitrary constant naming the audit lock among the server's advisory locks.
_PG_AUDIT_LOCK = 0x1A3C_A5E0


def canonical_details(details: Mapping[str, Any] | None) -> str:
    return json.dumps(
        dict(details or {}),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )


def _digest(
    *,
    seq: int,
    occurred_at: datetime,
    actor_id: uuid.UUID | None,
    actor_name: str,
    action: str,
    entity_type: str,
    entity_id: str | None,
    case_id: uuid.UUID | None,
    details: str,
    prev_hash: str,
) -> str:
    body = json.dumps(
        [
            seq,
            occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            str(actor_id) if actor_id else None,
            actor_name,
            action,
            entity_type,
            entity_id,
            str(case_id) if case_id else None,
            details,
            prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def append_event(
    session: Session,
    *,
    actor_id: uuid.UUID | None,
    actor_name: str,
    action: str,
    entity_type: str,
    entity_id: str | uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    details: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Add one event at the end of the chain, inside the caller's transaction."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS)
    # Microsecond precision is what both engines keep, so the hash re-computes.
    occurred_at = utcnow()
    details_text = canonical_details(details)
    entity = str(entity_id) if entity_id is not None else None
    event = AuditEvent(
        id=new_id(),
        seq=seq,
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        entity_type=entity_type,
        entity_id=entity,
        case_id=case_id,
        details=details_text,
        prev_hash=prev_hash,
        hash=_digest(
            seq=seq,
            occurred_at=occurred_at,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            entity_type=entity_type,
            entity_id=entity,
            case_id=case_id,
            details=details_text,
            prev_hash=prev_hash,
        ),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    first_broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the chain in order and name the first link that does not hold."""
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch)
    ).scalars()
    try:
        return _walk(session, rows)
    finally:
        # Stopping at a broken link must still close the server-side cursor.
        rows.close()


def _walk(session: Session, rows: ScalarResult[AuditEvent]) -> ChainReport:
    expected_seq = 1
    prev_hash = GENESIS
    count = 0
    for ev in rows:
        count += 1
        if ev.seq != expected_seq:
            return ChainReport(
                count,
                ev.seq,
                f"event {expected_seq} is missing (the next event is number {ev.seq})",
            )
        if ev.prev_hash != prev_hash:
            return ChainReport(
                count, ev.seq, f"event {ev.seq} does not follow from event {ev.seq - 1}"
            )
        recomputed = _digest(
            seq=ev.seq,
            occurred_at=ev.occurred_at,
            actor_id=ev.actor_id,
            actor_name=ev.actor_name,
            action=ev.action,
            entity_type=ev.entity_type,
            entity_id=ev.entity_id,
            case_id=ev.case_id,
            details=ev.details,
            prev_hash=ev.prev_hash,
        )
        if recomputed != ev.hash:
            return ChainReport(count, ev.seq, f"event {ev.seq} was altered after it was written")
        prev_hash = ev.hash
        expected_seq += 1
        session.expunge(ev)
    return ChainReport(count)
