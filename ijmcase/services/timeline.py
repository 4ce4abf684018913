"""A case's timeline: interventions, stage changes and hearings in one
chronological list, filterable by stage, intervention type and kind of entry.

Read models only. An intervention appears once, as its latest version,
with how many versions it has; asked for, earlier versions appear too
(marked ``superseded``), so the timeline can show what a note said before
it was corrected. Stage changes have a day but no time: they sort at the
start of their day (UTC), before that day's interventions. Hearings belong
to the accountability stage; a hearing still to come is included, with no
outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import aliased

from ijmcase.domain.enums import InterventionType, Stage, TrackStatus
from ijmcase.persistence.models import Hearing, Intervention, StageTransition, User
from ijmcase.services.interventions import InterventionService, InterventionView

__all__ = ["EntryKind", "TimelineEntry", "TimelineService"]


class EntryKind(StrEnum):
    INTERVENTION = "intervention"
    STAGE_CHANGE = "stage_change"
    HEARING = "hearing"


_KIND_ORDER = {EntryKind.STAGE_CHANGE: 0, EntryKind.HEARING: 1, EntryKind.INTERVENTION: 2}


@dataclass(frozen=True)
class TimelineEntry:
    kind: EntryKind
    at: datetime  # aware; a stage change's day at 00:00 UTC
    has_time: bool  # False for stage changes (a day only)
    stage: Stage
    title: str  # "Home visit", "Aftercare: not started → active", "Hearing: Arguments"
    detail: str  # outcome, reason, or the hearing's notes
    ref_id: uuid.UUID  # the intervention, transition or hearing
    by: str  # who did the work or recorded the change
    intervention_type: InterventionType | None = None
    version_number: int = 1
    versions: int = 1  # how many versions the intervention has (>1: corrected)
    superseded: bool = False
    intervention: InterventionView | None = None

    @property
    def on(self) -> date:
        return self.at.astimezone(UTC).date()


class TimelineService(InterventionService):
    def timeline(
        self,
        case_id: uuid.UUID,
        *,
        stages: Collection[Stage] | None = None,
        types: Collection[InterventionType] | None = None,
        kinds: Collection[EntryKind] | None = None,
        include_versions: bool = False,
    ) -> list[TimelineEntry]:
        """The case's entries, earliest first.

        ``stages`` keeps entries of those stages; ``types`` keeps interventions
        of those types (other kinds are unaffected: pass ``kinds`` to show
        interventions only); ``include_versions`` adds earlier versions of
        corrected interventions.
        """
        wanted_kinds = set(kinds) if kinds is not None else set(EntryKind)
        entries: list[TimelineEntry] = []
        with self._read() as session:
            self._load(session, case_id)
            if EntryKind.INTERVENTION in wanted_kinds:
                stmt = select(Intervention).where(
                    Intervention.case_id == case_id, Intervention.deleted_at.is_(None)
                )
                if stages is not None:
                    stmt = stmt.where(Intervention.stage.in_(list(stages)))
                if types is not None:
                    stmt = stmt.where(Intervention.type.in_(list(types)))
                rows = list(session.scalars(stmt))
                views = self._views(session, rows)
                chain_length = self._chain_lengths(views)
                for view in views:
                    if not view.is_current and not include_versions:
                        continue
                    entries.append(
                        TimelineEntry(
                            kind=EntryKind.INTERVENTION,
                            at=view.occurred_at,
                            has_time=True,
                            stage=view.stage,
                            title=view.type.label,
                            detail=view.outcome,
                            ref_id=view.id,
                            by=view.staff_name,
                            intervention_type=view.type,
                            version_number=view.version_number,
                            versions=max(chain_length[view.id], view.version_number),
                            superseded=not view.is_current,
                            intervention=view,
                        )
                    )
            if EntryKind.STAGE_CHANGE in wanted_kinds:
                stmt2 = (
                    select(StageTransition, User.display_name)
                    .outerjoin(User, User.id == StageTransition.created_by)
                    .where(StageTransition.case_id == case_id)
                )
                if stages is not None:
                    stmt2 = stmt2.where(StageTransition.stage.in_(list(stages)))
                for move, name in session.execute(stmt2):
                    entries.append(
                        TimelineEntry(
                            kind=EntryKind.STAGE_CHANGE,
                            at=datetime.combine(move.effective_on, time.min, tzinfo=UTC),
                            has_time=False,
                            stage=move.stage,
                            title=f"{move.stage.label}: {_status(move.from_status)} → "
                            f"{_status(move.to_status)}",
                            detail=move.reason,
                            ref_id=move.id,
                            by=name or "",
                        )
                    )
            if EntryKind.HEARING in wanted_kinds and (
                stages is None or Stage.ACCOUNTABILITY in stages
            ):
                recorder = aliased(User)
                for hearing, name in session.execute(
                    select(Hearing, recorder.display_name)
                    .outerjoin(recorder, recorder.id == Hearing.created_by)
                    .where(Hearing.case_id == case_id, Hearing.deleted_at.is_(None))
                ):
                    title = f"Hearing: {hearing.purpose or 'hearing'}"
                    if hearing.outcome is not None:
                        title += f" ({hearing.outcome.label.lower()})"
                    detail = hearing.adjournment_reason or hearing.notes
                    if hearing.court_name:
                        detail = f"{hearing.court_name}. {detail}".strip()
                    entries.append(
                        TimelineEntry(
                            kind=EntryKind.HEARING,
                            at=hearing.scheduled_at,
                            has_time=True,
                            stage=Stage.ACCOUNTABILITY,
                            title=title,
                            detail=detail,
                            ref_id=hearing.id,
                            by=name or "",
                        )
                    )
        entries.sort(key=lambda e: (e.at, _KIND_ORDER[e.kind], e.version_number, str(e.ref_id)))
        return entries

    @staticmethod
    def _chain_lengths(views: list[InterventionView]) -> dict[uuid.UUID, int]:
        """For each version, how many versions its entry has (within these views)."""
        by_id = {v.id: v for v in views}
        root: dict[uuid.UUID, uuid.UUID] = {}
        for view in views:
            current = view
            seen = {current.id}
            while current.supersedes_id is not None and current.supersedes_id in by_id:
                current = by_id[current.supersedes_id]
                if current.id in seen:
                    break
                seen.add(current.id)
            root[view.id] = current.id
        sizes: dict[uuid.UUID, int] = {}
        for first in root.values():
            sizes[first] = sizes.get(first, 0) + 1
        return {vid: sizes[first] for vid, first in root.items()}


def _status(status: TrackStatus) -> str:
    return status.label.lower()
