"""What aftercare forms hand to the services, and the rules they follow.

The instrument, the scoring, the restoration threshold, the schedule and the
closing rule itself live in ``assessments``; this module holds the drafts
around them (an assessment as entered, a care-plan goal, a service delivered,
a referral, a closing of aftercare) and the moves a referral may make.

Decisions made here:

* An assessment is validated against the instrument version it is made with,
  so a draft's ``problems()`` takes the ``Instrument``; every score problem's
  field is ``scores.<sub-domain key>`` (``assessments.score_field``), every
  note problem's ``notes.<sub-domain key>``.
* A referral moves pending -> accepted | rejected, accepted -> completed |
  rejected (the partner may drop a survivor it took on). A rejection needs a
  note saying why; no move is dated before the referral or after today.
* Closing aftercare is per survivor: a case with eleven rescued workers closes
  each one's aftercare when that person is ready. Only "restored" needs more
  than a reason and a date (``assessments.check_aftercare_closure``).

Standard library only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from ijmcase.domain.assessments import AssessmentScores, Instrument, score_assessment
from ijmcase.domain.drafts import MAX_NOTE, _collect, _required, _too_long
from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentBasis,
    AssessmentType,
    CareService,
    GoalStatus,
    ReferralStatus,
)
from ijmcase.domain.errors import FieldProblem, RuleViolation, ValidationError, raise_if_problems

__all__ = [
    "MAX_GOAL",
    "MAX_SCORE_NOTE",
    "REFERRAL_MOVES",
    "AssessmentDraft",
    "ClosureDraft",
    "GoalDraft",
    "ReferralDraft",
    "ServiceDraft",
    "check_referral_move",
    "needs_approval",
    "note_field",
]

MAX_GOAL = 1000
MAX_SCORE_NOTE = 2000

REFERRAL_MOVES: Mapping[ReferralStatus, tuple[ReferralStatus, ...]] = {
    ReferralStatus.PENDING: (ReferralStatus.ACCEPTED, ReferralStatus.REJECTED),
    ReferralStatus.ACCEPTED: (ReferralStatus.COMPLETED, ReferralStatus.REJECTED),
    ReferralStatus.REJECTED: (),
    ReferralStatus.COMPLETED: (),
}


def note_field(sub_domain_key: str) -> str:
    """The FieldProblem field for one sub-domain's note."""
    return f"notes.{sub_domain_key}"


def _future(day: date, today: date | None, field_name: str, what: str) -> FieldProblem | None:
    if today is not None and day > today:
        return FieldProblem(
            field_name, "future_date", f"The {what} {day.isoformat()} is in the future."
        )
    return None


@dataclass(frozen=True)
class AssessmentDraft:
    """One outcome assessment as the assessor entered it.

    ``scores`` maps sub-domain keys to 1..4 (None: not scored, allowed only for
    the instrument's optional sub-domains); ``score_notes`` holds an optional
    note per sub-domain.
    """

    survivor_id: UUID
    assessed_on: date
    type: AssessmentType
    basis: AssessmentBasis
    # Mappings are not hashable; a draft is compared, never used as a key.
    scores: Mapping[str, int | None] = field(hash=False)
    score_notes: Mapping[str, str] = field(default_factory=dict, hash=False)
    notes: str = ""

    def problems(self, instrument: Instrument, *, today: date | None = None) -> list[FieldProblem]:
        found = _collect(
            _future(self.assessed_on, today, "assessed_on", "assessment date"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        try:
            score_assessment(instrument, self.scores)
        except ValidationError as exc:
            found.extend(exc.problems)
        known = set(instrument.sub_domain_keys)
        for key, note in self.score_notes.items():
            if key not in known:
                found.append(
                    FieldProblem(
                        note_field(key),
                        "unknown_sub_domain",
                        f"A note was given for '{key}', which is not a sub-domain of "
                        f"{instrument.title} version {instrument.version}.",
                    )
                )
            elif len(note) > MAX_SCORE_NOTE:
                found.append(
                    FieldProblem(
                        note_field(key),
                        "too_long",
                        f"The note on '{instrument.sub_domain(key).label}' is {len(note):,} "
                        f"characters; the limit is {MAX_SCORE_NOTE:,}.",
                    )
                )
        return found

    def validate(self, instrument: Instrument, *, today: date | None = None) -> AssessmentScores:
        """The domain scores, or a ValidationError listing every problem at once."""
        raise_if_problems(self.problems(instrument, today=today))
        return score_assessment(instrument, self.scores)


@dataclass(frozen=True)
class GoalDraft:
    """A care-plan goal in one domain of the instrument."""

    domain_key: str
    goal: str
    target_on: date | None = None
    status: GoalStatus = GoalStatus.ACTIVE
    notes: str = ""

    def problems(self, domain_keys: Collection[str]) -> list[FieldProblem]:
        found = _collect(
            _required(self.goal, "goal", "the goal"),
            _too_long(self.goal, "goal", MAX_GOAL, "goal"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )
        if self.domain_key not in domain_keys:
            found.append(
                FieldProblem(
                    "domain_key",
                    "unknown_domain",
                    f"'{self.domain_key}' is not a domain of the assessment instrument; choose "
                    f"one of: {', '.join(domain_keys)}.",
                )
            )
        return found

    def validate(self, domain_keys: Collection[str]) -> None:
        raise_if_problems(self.problems(domain_keys))


@dataclass(frozen=True)
class ServiceDraft:
    """A service delivered to a survivor (by the organization or a partner)."""

    service: CareService
    delivered_on: date
    provider_institution_id: UUID | None = None
    goal_id: UUID | None = None
    notes: str = ""

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        return _collect(
            _future(self.delivered_on, today, "delivered_on", "date of the service"),
            _too_long(self.notes, "notes", MAX_NOTE, "note"),
        )

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


@dataclass(frozen=True)
class ReferralDraft:
    """A referral (or, with ``is_transfer``, a transfer of care) to a partner institution."""

    institution_id: UUID
    service: CareService
    referred_on: date
    reason: str = ""
    is_transfer: bool = False

    def problems(self, *, today: date | None = None) -> list[FieldProblem]:
        return _collect(
            _future(self.referred_on, today, "referred_on", "referral date"),
            _too_long(self.reason, "reason", MAX_NOTE, "reason"),
        )

    def validate(self, *, today: date | None = None) -> None:
        raise_if_problems(self.problems(today=today))


def check_referral_move(
    current: ReferralStatus,
    target: ReferralStatus,
    *,
    on: date,
    referred_on: date,
    today: date,
    note: str = "",
) -> None:
    """Raise RuleViolation unless a referral may move from ``current`` to ``target`` on ``on``."""
    allowed = REFERRAL_MOVES[current]
    if target not in allowed:
        if not allowed:
            raise RuleViolation(
                f"The referral is already {current.label.lower()}; record a new referral instead.",
                code="referral_final",
            )
        raise RuleViolation(
            f"A {current.label.lower()} referral can only become "
            f"{' or '.join(s.label.lower() for s in allowed)}, not {target.label.lower()}.",
            code="referral_move_forbidden",
        )
    if target is ReferralStatus.REJECTED and not note.strip():
        raise RuleViolation(
            "Say why the referral was rejected (or dropped).", code="reason_required"
        )
    if on < referred_on:
        raise RuleViolation(
            f"The date {on.isoformat()} is before the referral was made "
            f"({referred_on.isoformat()}).",
            code="date_before_referral",
        )
    if on > today:
        raise RuleViolation(f"The date {on.isoformat()} is in the future.", code="future_date")


def needs_approval(reason: AftercareClosureReason) -> bool:
    """Only closing as restored waits for a director's approval."""
    return reason is AftercareClosureReason.RESTORED


@dataclass(frozen=True)
class ClosureDraft:
    """Closing one survivor's aftercare in a case."""

    survivor_id: UUID
    reason: AftercareClosureReason
    closed_on: date
    note: str = ""

    def problems(
        self, *, today: date | None = None, aftercare_started_on: date | None = None
    ) -> list[FieldProblem]:
        found = _collect(
            _future(self.closed_on, today, "closed_on", "closing date"),
            _too_long(self.note, "note", MAX_NOTE, "note"),
        )
        if aftercare_started_on is not None and self.closed_on < aftercare_started_on:
            found.append(
                FieldProblem(
                    "closed_on",
                    "end_before_start",
                    f"Aftercare cannot close on {self.closed_on.isoformat()}, before it started "
                    f"({aftercare_started_on.isoformat()}).",
                )
            )
        return found

    def validate(
        self, *, today: date | None = None, aftercare_started_on: date | None = None
    ) -> None:
        raise_if_problems(self.problems(today=today, aftercare_started_on=aftercare_started_on))
