"""A case's history: its audit trail told in words, newest first.

The audit log is the record of what happened to a case, who did it and
when; the workspace shows it so staff can see, for instance, who looked at
a survivor's identifying data. Anyone who may see the case may read its
history. Details never hold names (the services write codes), so the
summaries are safe to show.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select

from ijmcase.domain.enums import (
    AssignmentRole,
    CaseClosureReason,
    PartyKind,
    PartyRole,
    Stage,
    TrackStatus,
)
from ijmcase.persistence.models import AuditEvent, CaseParty
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.field_history import FIELD_DESCRIPTIONS

__all__ = ["HistoryEntry", "HistoryService", "describe"]


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    occurred_at: datetime
    actor_name: str
    action: str
    summary: str


def _label(enum: Any, value: object) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _track_change(d: Mapping[str, Any]) -> str:
    stage = _label(Stage, d.get("stage"))
    text = (
        f"{stage} track: {_label(TrackStatus, d.get('from')).lower()} → "
        f"{_label(TrackStatus, d.get('to')).lower()} on {d.get('on', '?')}"
    )
    return f"{text} ({d['reason']})" if d.get("reason") else text


def _fields(d: Mapping[str, Any]) -> str:
    changed = d.get("changed") or d.get("fields")
    if isinstance(changed, Mapping):
        return "Case details changed: " + ", ".join(sorted(str(k) for k in changed))
    if isinstance(changed, list):
        return "Case details changed: " + ", ".join(str(k) for k in changed)
    return "Case details changed"


_DESCRIBE: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "case.create": lambda d: f"Case opened{' as ' + d['code'] if d.get('code') else ''}",
    "case.update": _fields,
    "case.close": lambda d: "Case closed: " + _label(CaseClosureReason, d.get("reason")).lower(),
    "case.reopen": lambda d: f"Case reopened ({d.get('reason', '')})",
    "case.assign": lambda d: (
        f"{d.get('user', 'A staff member')} assigned"
        + (f" as {_label(AssignmentRole, d['role']).lower()}" if d.get("role") else "")
    ),
    "case.unassign": lambda d: "A staff member was unassigned",
    "case.party_add": lambda d: (
        "An official added to the case"
        + (f" as {_label(PartyRole, d['role']).lower()}" if d.get("role") else "")
    ),
    "track.change": _track_change,
    "survivor.create": lambda d: f"Survivor {d.get('code', '')} recorded",
    "survivor.identity.view": lambda d: f"Identifying data of {d.get('code', 'a survivor')} viewed",
    "survivor.identity.denied": lambda d: (
        f"Refused a view of {d.get('code', 'a survivor')}'s identifying data"
    ),
    "survivor.identity.update": lambda d: (
        f"Identifying data of {d.get('code', 'a survivor')} changed"
    ),
    "accused.create": lambda d: f"Accused {d.get('code', '')} recorded",
    "report.case": lambda d: (
        "Full case report made (with identifying data)" if d.get("full") else "Case report made"
    ),
    "report.case.denied": lambda d: "Refused a full case report",
}
# Interventions, follow-ups, consent, attachments and merges (issue 4).
_DESCRIBE.update(FIELD_DESCRIPTIONS)


def describe(action: str, details: Mapping[str, Any]) -> str:
    """One line for a person; unknown actions still say what they were."""
    fn = _DESCRIBE.get(action)
    if fn is None:
        return action.replace(".", " ").replace("_", " ").capitalize()
    return fn(details).strip()


class HistoryService(CaseAccess):
    def case_history(self, case_id: uuid.UUID, *, limit: int = 1000) -> list[HistoryEntry]:
        with self._read() as session:
            self._load(session, case_id)
            # Views of a survivor's identity are logged against the survivor, not
            # the case; they belong in the case's history all the same.
            people = [
                str(pid)
                for pid in session.scalars(
                    select(CaseParty.survivor_id).where(
                        CaseParty.case_id == case_id,
                        CaseParty.kind == PartyKind.SURVIVOR,
                        CaseParty.deleted_at.is_(None),
                    )
                )
                if pid is not None
            ]
            about_case = AuditEvent.case_id == case_id
            if people:
                about_case = or_(
                    about_case,
                    and_(AuditEvent.entity_type == "survivor", AuditEvent.entity_id.in_(people)),
                )
            events = session.scalars(
                select(AuditEvent).where(about_case).order_by(AuditEvent.seq.desc()).limit(limit)
            )
            entries = []
            for e in events:
                try:
                    details = json.loads(e.details or "{}")
                except ValueError:
                    details = {}
                entries.append(
                    HistoryEntry(
                        e.seq,
                        e.occurred_at,
                        e.actor_name,
                        e.action,
                        describe(e.action, details if isinstance(details, dict) else {}),
                    )
                )
            return entries
