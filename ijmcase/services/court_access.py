"""What every court service shares: loading a proceeding or a hearing under
the case's access rules, the legal-pathway templates, and moving the case's
accountability track when a milestone or an outcome says so.

A proceeding or hearing is reached only through its case (``CaseAccess._load``),
so a restricted case's court record is as hidden as the case itself. Writes
need ``Permission.HEARING_EDIT`` (lawyers and directors) on top of the right
to edit the case (a lawyer must be assigned to it).

The accountability track moves through ``CaseAccess._move_track``, the one
routine every service uses (the rules of ``domain.stages``, a
``StageTransition`` row, an audit event), inside the caller's unit of work,
so a milestone and the move it causes are saved together or not at all.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import ProceedingOutcome, ReportingStage, Stage, TrackStatus
from ijmcase.domain.errors import NotFound
from ijmcase.domain.pathways import GENERIC, Pathway, load_pathways
from ijmcase.domain.permissions import Permission
from ijmcase.domain.proceedings import Charge as ChargeRule
from ijmcase.domain.proceedings import MilestoneRecord as MilestoneRule
from ijmcase.persistence.database import Database
from ijmcase.persistence.models import (
    Accused,
    Case,
    Charge,
    Hearing,
    MilestoneRecord,
    Proceeding,
)
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Actor

__all__ = ["CourtAccess", "is_concluded", "needs_next_date"]

# Outcomes that end a proceeding without a judgment to appeal from.
_ENDED_WITHOUT_TRIAL = frozenset({ProceedingOutcome.DISMISSED, ProceedingOutcome.WITHDRAWN})


def is_concluded(outcome: ProceedingOutcome, stage: ReportingStage | None) -> bool:
    """Final, or dismissed or withdrawn with no appeal running."""
    if stage is ReportingStage.FINAL:
        return True
    return outcome in _ENDED_WITHOUT_TRIAL and stage is not ReportingStage.APPEAL


def needs_next_date(outcome: ProceedingOutcome, stage: ReportingStage | None) -> bool:
    """A proceeding a court still has to sit on: the trial runs, or an appeal does."""
    if is_concluded(outcome, stage):
        return False
    return outcome is ProceedingOutcome.PENDING or stage is ReportingStage.APPEAL


class CourtAccess(CaseAccess):
    def __init__(self, db: Database, actor: Actor, *, pathway_dir: Path | None = None) -> None:
        super().__init__(db, actor)
        self._pathway_dir = pathway_dir
        self._pathway_cache: dict[str, Pathway] | None = None

    # -- templates ----------------------------------------------------------

    def pathways(self) -> dict[str, Pathway]:
        """Every template (loaded once per service; a broken file is reported
        with its name and line)."""
        if self._pathway_cache is None:
            self._pathway_cache = load_pathways(self._pathway_dir)
        return self._pathway_cache

    def template_names(self) -> list[tuple[str, str]]:
        """(key, name) of each template, generic last, for a chooser."""
        found = self.pathways()
        keys = sorted(k for k in found if k != GENERIC) + ([GENERIC] if GENERIC in found else [])
        return [(k, found[k].name) for k in keys]

    def _template(self, key: str) -> Pathway:
        found = self.pathways()
        pathway = found.get(key) or found.get(key.strip().upper())
        if pathway is None:
            names = ", ".join(k for k, _ in self.template_names())
            raise NotFound(
                f"There is no legal-pathway template '{key}'; the templates are: {names}.",
                code="unknown_template",
            )
        return pathway

    def _pathway_of(self, proceeding: Proceeding) -> Pathway:
        pathway = self.pathways().get(proceeding.pathway_key)
        if pathway is None:
            raise NotFound(
                f"This proceeding follows the template '{proceeding.pathway_key}' "
                f"({proceeding.pathway_name}), which is no longer in the templates folder. "
                "Put the file back before recording its milestones.",
                code="unknown_template",
            )
        return pathway

    # -- loading ------------------------------------------------------------

    def _require_court_edit(self) -> None:
        self._require(Permission.HEARING_EDIT, "change court records")

    def _proceeding(
        self, session: Session, proceeding_id: uuid.UUID, *, for_edit: bool = False
    ) -> tuple[Proceeding, Case]:
        proceeding = session.get(Proceeding, proceeding_id)
        if proceeding is None or proceeding.deleted_at is not None:
            raise NotFound("There is no such proceeding.", code="proceeding_not_found")
        # The case decides who may see and change its court record.
        case = self._load(session, proceeding.case_id, for_edit=for_edit)
        return proceeding, case

    def _hearing(
        self, session: Session, hearing_id: uuid.UUID, *, for_edit: bool = False
    ) -> tuple[Hearing, Case]:
        hearing = session.get(Hearing, hearing_id)
        if hearing is None or hearing.deleted_at is not None:
            raise NotFound("There is no such hearing.", code="hearing_not_found")
        case = self._load(session, hearing.case_id, for_edit=for_edit)
        return hearing, case

    def _milestone_rules(self, session: Session, proceeding_id: uuid.UUID) -> list[MilestoneRule]:
        return [
            MilestoneRule(m.key, m.on_date, m.skipped, m.reason)
            for m in session.scalars(
                select(MilestoneRecord)
                .where(
                    MilestoneRecord.proceeding_id == proceeding_id,
                    MilestoneRecord.deleted_at.is_(None),
                )
                .order_by(MilestoneRecord.seq)
            )
        ]

    def _charge_rules(self, session: Session, proceeding_id: uuid.UUID) -> list[ChargeRule]:
        return [
            ChargeRule(c.filed_on, c.status)
            for c in session.scalars(
                select(Charge).where(
                    Charge.proceeding_id == proceeding_id, Charge.deleted_at.is_(None)
                )
            )
        ]

    # -- the accountability track ------------------------------------------

    def _move_accountability(
        self,
        session: Session,
        case: Case,
        target: TrackStatus,
        *,
        on: date,
        reason: str = "",
        outcome: str = "",
    ) -> bool:
        """Move the case's accountability track to ``target`` if it is not
        there already; returns whether it moved. Refusals are the track rules'
        own (a closed case, a date before the case opened)."""
        track = next((t for t in case.tracks if t.stage is Stage.ACCOUNTABILITY), None)
        if track is None or track.status is target:
            return False
        # The rules refuse a date before the case opened or before the track
        # started; a milestone may predate both (an FIR filed before the
        # organization took the case), so the move is dated no earlier.
        on = max(d for d in (on, case.opened_on, track.started_on) if d is not None)
        self._move_track(
            session, case, Stage.ACCOUNTABILITY, target, on, reason=reason, outcome=outcome
        )
        return True

    def _track_status(self, case: Case) -> TrackStatus | None:
        track = next((t for t in case.tracks if t.stage is Stage.ACCOUNTABILITY), None)
        return None if track is None else track.status

    def _all_concluded(self, session: Session, case_id: uuid.UUID) -> Sequence[Proceeding] | None:
        """The case's proceedings when every one is concluded, else None."""
        found = list(
            session.scalars(
                select(Proceeding).where(
                    Proceeding.case_id == case_id, Proceeding.deleted_at.is_(None)
                )
            )
        )
        if not found or not all(is_concluded(p.outcome, p.reporting_stage) for p in found):
            return None
        return found

    def _conclude_if_done(self, session: Session, case: Case, on: date) -> bool:
        """Complete the accountability track once every proceeding is concluded."""
        if self._track_status(case) is not TrackStatus.ACTIVE or case.closed_on is not None:
            return False
        done = self._all_concluded(session, case.id)
        if done is None:
            return False
        return self._move_accountability(
            session, case, TrackStatus.COMPLETED, on=on, outcome=_outcome_summary(session, done)
        )


def _outcome_summary(session: Session, proceedings: Sequence[Proceeding]) -> str:
    parts: list[str] = []
    for p in proceedings:
        accused = session.get(Accused, p.accused_id)
        code = accused.code if accused is not None else "?"
        text = f"{code}: {p.outcome.label.lower()}"
        if p.life_sentence:
            text += ", life imprisonment"
        elif p.prison_months:
            years, months = divmod(p.prison_months, 12)
            term = f"{years} years" if not months else f"{p.prison_months} months"
            text += f", {term}"
        parts.append(text)
    return "Court record concluded. " + "; ".join(parts) + "."
