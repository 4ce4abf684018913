"""The four stage tracks of a case and the rules for moving them.

A case has one track per stage, each with its own status, because
accountability and aftercare run side by side for years after a rescue. The
rules are data (``TRANSITIONS``) plus a few checks that need dates or the
other tracks; ``check_transition`` explains every refusal in words a
caseworker understands, so the GUI can show why a button is disabled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from ijmcase.domain.enums import Stage, TrackStatus
from ijmcase.domain.errors import RuleViolation

__all__ = [
    "TRANSITIONS",
    "TrackState",
    "TransitionRule",
    "allowed_targets",
    "check_case_can_close",
    "check_transition",
    "explain_refusal",
]

_S = TrackStatus


@dataclass(frozen=True)
class TransitionRule:
    """One permitted move; ``needs_reason`` when the move undoes or skips work."""

    source: TrackStatus
    target: TrackStatus
    needs_reason: bool = False
    needs_outcome: bool = False


TRANSITIONS: tuple[TransitionRule, ...] = (
    TransitionRule(_S.NOT_STARTED, _S.ACTIVE),
    TransitionRule(_S.NOT_STARTED, _S.NOT_APPLICABLE, needs_reason=True),
    TransitionRule(_S.ACTIVE, _S.COMPLETED, needs_outcome=True),
    TransitionRule(_S.ACTIVE, _S.NOT_APPLICABLE, needs_reason=True),
    # Reopening: an appeal reopens accountability, a relapse reopens aftercare.
    TransitionRule(_S.COMPLETED, _S.ACTIVE, needs_reason=True),
    TransitionRule(_S.NOT_APPLICABLE, _S.NOT_STARTED, needs_reason=True),
    TransitionRule(_S.NOT_APPLICABLE, _S.ACTIVE, needs_reason=True),
)

_RULES: dict[tuple[TrackStatus, TrackStatus], TransitionRule] = {
    (r.source, r.target): r for r in TRANSITIONS
}


@dataclass(frozen=True)
class TrackState:
    stage: Stage
    status: TrackStatus
    started_on: date | None = None
    completed_on: date | None = None


def allowed_targets(status: TrackStatus) -> list[TrackStatus]:
    return [r.target for r in TRANSITIONS if r.source is status]


def explain_refusal(
    track: TrackState,
    target: TrackStatus,
    *,
    case_closed: bool = False,
) -> str | None:
    """Why this move is refused, or None when the rules allow it (a reason
    or outcome may still be needed: see ``check_transition``)."""
    stage = track.stage.label.lower()
    if case_closed:
        return "The case is closed. Reopen the case before changing its stage tracks."
    if track.status is target:
        return f"The {stage} track is already {target.label.lower()}."
    if (track.status, target) not in _RULES:
        sources = [r.source.label.lower() for r in TRANSITIONS if r.target is target]
        return (
            f"The {stage} track cannot go from {track.status.label.lower()} to "
            f"{target.label.lower()}; only a track that is {' or '.join(sources)} can."
        )
    return None


def check_transition(
    track: TrackState,
    target: TrackStatus,
    *,
    on: date,
    reason: str | None = None,
    outcome: str | None = None,
    case_opened_on: date | None = None,
    case_closed: bool = False,
) -> TransitionRule:
    """Raise RuleViolation unless the move is allowed with what was given."""
    refusal = explain_refusal(track, target, case_closed=case_closed)
    if refusal:
        raise RuleViolation(refusal, code="transition_forbidden")
    rule = _RULES[(track.status, target)]
    stage = track.stage.label.lower()
    if rule.needs_reason and not (reason and reason.strip()):
        raise RuleViolation(
            f"Moving the {stage} track from {track.status.label.lower()} to "
            f"{target.label.lower()} needs a reason.",
            code="reason_required",
        )
    if rule.needs_outcome and not (outcome and outcome.strip()):
        raise RuleViolation(
            f"Completing the {stage} track needs an outcome note.", code="outcome_required"
        )
    if case_opened_on is not None and on < case_opened_on:
        raise RuleViolation(
            f"The date {on.isoformat()} is before the case was opened "
            f"({case_opened_on.isoformat()}).",
            code="date_before_case",
        )
    if target is _S.COMPLETED and track.started_on is not None and on < track.started_on:
        raise RuleViolation(
            f"The {stage} track cannot be completed on {on.isoformat()}, before it started "
            f"({track.started_on.isoformat()}).",
            code="end_before_start",
        )
    return rule


def check_case_can_close(tracks: Mapping[Stage, TrackStatus]) -> None:
    """A case closes only when none of its tracks is still active."""
    active = [stage.label.lower() for stage, status in tracks.items() if status is _S.ACTIVE]
    if active:
        raise RuleViolation(
            "The case cannot be closed while a stage track is active: "
            + ", ".join(active)
            + ". Complete each track or mark it not applicable first.",
            code="case_has_active_tracks",
        )
