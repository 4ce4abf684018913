"""The rules of one accused person's proceeding along a legal pathway.

Each accused has their own proceeding: the milestones of their country's
pathway (``pathways.Pathway``) reached so far, the charges against them and
the outcome. The rules, the same in every country (DOMAIN.md):

- milestones are recorded in the pathway's order; a step that is not
  optional must be reached or skipped, and a skip needs a reason (a guilty
  plea skips the trial);
- dates do not go backwards;
- a verdict needs a charge, a sentence needs a conviction (or a guilty plea);
- an appeal reopens the track: it may be recorded after the judgment even
  once the proceeding was final, after which the proceeding is on appeal
  again and the case's accountability track goes back to active;
- statutory time limits in the template become deadlines;
- a hearing cannot come before the first charge, nor an adjourned hearing's
  next date before the hearing.

Everything here is a pure function over small frozen values, so the service
layer, the command line and the tests share one set of rules. Refusals that
no field edit can fix raise ``RuleViolation``; a wrong date or a missing
reason raises ``ValidationError`` naming the field, so a dialog can show the
message beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ijmcase.domain.enums import ChargeStatus, ProceedingOutcome, ReportingStage
from ijmcase.domain.errors import FieldProblem, RuleViolation, raise_if_problems
from ijmcase.domain.pathways import Milestone, Pathway

__all__ = [
    "CONVICTIONS",
    "LIVE_CHARGES",
    "Charge",
    "Deadline",
    "MilestoneCheck",
    "MilestoneRecord",
    "check_hearing_dates",
    "check_milestone",
    "check_outcome",
    "check_track",
    "deadlines",
    "first_charge_date",
    "hearing_date_problems",
    "next_milestones",
    "reporting_stage",
]

# Charges a court can still give, or has given, a verdict on.
LIVE_CHARGES = frozenset({ChargeStatus.FILED, ChargeStatus.CONVICTED, ChargeStatus.ACQUITTED})
# Outcomes after which a sentence may be passed.
CONVICTIONS = frozenset({ProceedingOutcome.CONVICTED, ProceedingOutcome.PLEA})
_VERDICT_OUTCOMES = frozenset(
    {ProceedingOutcome.CONVICTED, ProceedingOutcome.ACQUITTED, ProceedingOutcome.PLEA}
)

_RS = ReportingStage


@dataclass(frozen=True)
class MilestoneRecord:
    """A milestone reached on a day, or skipped (``skipped``) with a reason."""

    key: str
    on: date
    skipped: bool = False
    reason: str = ""


@dataclass(frozen=True)
class Charge:
    """One charge against the accused, as far as the rules need it."""

    filed_on: date
    status: ChargeStatus = ChargeStatus.FILED


@dataclass(frozen=True)
class MilestoneCheck:
    """What recording a milestone does, once the rules allow it.

    ``passed_over`` are optional steps left behind without a record.
    ``reopens_track``: an appeal; if the case's accountability track was
    completed, the service moves it back to active with ``reopen_reason``.
    ``concludes_track``: the judgment is final; the track may be completed.
    """

    milestone: Milestone
    passed_over: tuple[Milestone, ...]
    reporting_stage: ReportingStage | None
    reopens_track: bool = False
    concludes_track: bool = False
    reopen_reason: str = ""


@dataclass(frozen=True)
class Deadline:
    """A statutory time limit that is running: ``milestone`` is due by
    ``due_on``, counted in calendar days from ``counted_from``."""

    milestone: Milestone
    due_on: date
    basis: str
    overdue: bool
    counted_from: Milestone
    started_on: date

    def days_left(self, today: date) -> int:
        """Days until the deadline; negative once it has passed."""
        return (self.due_on - today).days


# --------------------------------------------------------------------------
# Where a proceeding stands
# --------------------------------------------------------------------------


def _known(
    pathway: Pathway, records: Iterable[MilestoneRecord]
) -> list[tuple[int, MilestoneRecord]]:
    """Records with their position in the pathway. A record whose key the
    template no longer has (an organization edited its template after the
    record was made) is left out rather than refused: it is history, and the
    rules can only be applied to the milestones the template still knows."""
    index = {m.key: i for i, m in enumerate(pathway.milestones)}
    return [(index[r.key], r) for r in records if r.key in index]


def _position(known: Sequence[tuple[int, MilestoneRecord]]) -> int:
    """The pathway index of the last record: records are kept in the order
    they were made, which the rules keep equal to pathway order except for an
    appeal that reopens the track, and then the appeal is where it stands."""
    return known[-1][0] if known else -1


def _verdict_reached(pathway: Pathway, known: Sequence[tuple[int, MilestoneRecord]]) -> bool:
    return any(not r.skipped and pathway.milestones[i].stage is _RS.VERDICT for i, r in known)


def _stage_of(
    pathway: Pathway, known: Sequence[tuple[int, MilestoneRecord]]
) -> ReportingStage | None:
    reached = [(i, r) for i, r in known if not r.skipped]
    # After an appeal only what happened since counts: a case that was final
    # and is appealed again reports as "appeal", not as "final".
    appeals = [n for n, (i, _) in enumerate(reached) if pathway.milestones[i].stage is _RS.APPEAL]
    if appeals:
        reached = reached[appeals[-1] :]
    stages = [pathway.milestones[i].stage for i, _ in reached]
    return max(stages, key=lambda s: s.rank) if stages else None


def reporting_stage(pathway: Pathway, records: Sequence[MilestoneRecord]) -> ReportingStage | None:
    """The furthest generic stage the proceeding has reached (skipped steps do
    not count), or None before the first milestone."""
    return _stage_of(pathway, _known(pathway, records))


def next_milestones(pathway: Pathway, records: Sequence[MilestoneRecord]) -> list[Milestone]:
    """The milestones the order rule lets be recorded next: the following
    steps up to and including the first one that is not optional, plus an
    appeal once there is a judgment (an appeal reopens the track). Other
    rules (charges, conviction, dates) may still refuse one of them."""
    known = _known(pathway, records)
    position = _position(known)
    found: list[Milestone] = []
    for milestone in pathway.milestones[position + 1 :]:
        found.append(milestone)
        if not milestone.optional:
            break
    if _verdict_reached(pathway, known):
        found += [m for m in pathway.milestones[: position + 1] if m.stage is _RS.APPEAL]
    return found


# --------------------------------------------------------------------------
# Recording a milestone
# --------------------------------------------------------------------------


def check_milestone(
    pathway: Pathway,
    records: Sequence[MilestoneRecord],
    new: MilestoneRecord,
    *,
    charges: Iterable[Charge] = (),
    outcome: ProceedingOutcome = ProceedingOutcome.PENDING,
) -> MilestoneCheck:
    """Check ``new`` against the records so far (in the order they were made).

    Raises RuleViolation when the rules forbid the step whatever its details,
    ValidationError (fields ``reason``, ``on``) when a detail is wrong.
    """
    if not pathway.has(new.key):
        raise RuleViolation(
            f"'{new.key}' is not a milestone of the {pathway.name} pathway.",
            code="unknown_milestone",
        )
    known = _known(pathway, records)
    index = pathway.index(new.key)
    milestone = pathway.milestones[index]
    position = _position(known)
    reached = not new.skipped
    is_appeal = milestone.stage is _RS.APPEAL

    passed_over: tuple[Milestone, ...] = ()
    if index <= position:
        # An appeal may go back (it reopens the track); whether there is a
        # judgment to appeal from is checked below, with its own message.
        reopening = is_appeal and reached
        if not reopening:
            raise RuleViolation(_out_of_order(pathway, known, index), code="out_of_order")
    else:
        between = pathway.milestones[position + 1 : index]
        missing = [m for m in between if not m.optional]
        if missing:
            raise RuleViolation(
                f"Record '{missing[0].label}' first, or skip it with a reason: it comes "
                f"before '{milestone.label}'.",
                code="step_missing",
            )
        passed_over = tuple(between)

    charges = tuple(charges)
    if (
        reached
        and milestone.stage is _RS.VERDICT
        and not any(c.status in LIVE_CHARGES for c in charges)
    ):
        raise RuleViolation(
            f"'{milestone.label}' needs a charge: a court gives a verdict only on a charge. "
            "Record the charge against the accused first.",
            code="verdict_needs_charge",
        )
    if reached and milestone.stage is _RS.SENTENCED and outcome not in CONVICTIONS:
        raise RuleViolation(
            f"'{milestone.label}' needs a conviction: record the outcome as convicted "
            f"(or convicted on a guilty plea) first. The outcome is now "
            f"'{outcome.label.lower()}'. After an acquittal, skip this step with that reason.",
            code="sentence_needs_conviction",
        )
    if reached and is_appeal and not _verdict_reached(pathway, known):
        raise RuleViolation(
            f"'{milestone.label}' needs a judgment to appeal from; none is recorded.",
            code="appeal_needs_verdict",
        )

    problems: list[FieldProblem] = []
    if new.skipped and not new.reason.strip():
        problems.append(
            FieldProblem(
                "reason",
                "skip_reason_required",
                f"Say why '{milestone.label}' is skipped: a step may be skipped only "
                "with a reason (for example, the accused pleaded guilty).",
            )
        )
    if known:
        last_index, last = max(known, key=lambda item: item[1].on)
        if new.on < last.on:
            problems.append(
                FieldProblem(
                    "on",
                    "date_before_previous",
                    f"The date {new.on.isoformat()} for '{milestone.label}' is before "
                    f"'{pathway.milestones[last_index].label}' ({last.on.isoformat()}); "
                    "each step is dated on or after the one before it.",
                )
            )
    raise_if_problems(problems)

    return MilestoneCheck(
        milestone=milestone,
        passed_over=passed_over,
        reporting_stage=_stage_of(pathway, [*known, (index, new)]),
        reopens_track=reached and is_appeal,
        concludes_track=reached and milestone.stage is _RS.FINAL,
        reopen_reason=(
            f"{milestone.label} on {new.on.isoformat()}" if reached and is_appeal else ""
        ),
    )


def _out_of_order(
    pathway: Pathway, known: Sequence[tuple[int, MilestoneRecord]], index: int
) -> str:
    milestone = pathway.milestones[index]
    same = [r for i, r in known if i == index]
    if same:
        done = "skipped" if same[-1].skipped else "recorded"
        extra = ""
        if milestone.stage is _RS.APPEAL:
            extra = " A further appeal can be recorded once there is a judgment."
        return f"'{milestone.label}' is already {done} ({same[-1].on.isoformat()}).{extra}"
    last_index, last = known[-1]
    return (
        f"'{milestone.label}' comes before '{pathway.milestones[last_index].label}', which is "
        f"already recorded ({last.on.isoformat()}); milestones are recorded in order."
    )


def check_track(
    pathway: Pathway,
    records: Sequence[MilestoneRecord],
    *,
    charges: Iterable[Charge] = (),
    outcome: ProceedingOutcome = ProceedingOutcome.PENDING,
) -> None:
    """Replay every record through ``check_milestone``: for imports, and
    after a template changed. Raises the first refusal."""
    charges = tuple(charges)
    for n, record in enumerate(records):
        check_milestone(pathway, records[:n], record, charges=charges, outcome=outcome)


def check_outcome(
    pathway: Pathway,
    records: Sequence[MilestoneRecord],
    outcome: ProceedingOutcome,
    *,
    charges: Iterable[Charge] = (),
) -> None:
    """A verdict (convicted, acquitted, guilty plea) needs a charge; convicted
    or acquitted also needs the judgment recorded, when the pathway has one."""
    if outcome not in _VERDICT_OUTCOMES:
        return
    if not any(c.status in LIVE_CHARGES for c in charges):
        raise RuleViolation(
            f"The outcome '{outcome.label.lower()}' needs a charge: record the charge "
            "against the accused first.",
            code="verdict_needs_charge",
        )
    if outcome is ProceedingOutcome.PLEA:
        return
    verdicts = [m for m in pathway.milestones if m.stage is _RS.VERDICT]
    if verdicts and not _verdict_reached(pathway, _known(pathway, records)):
        raise RuleViolation(
            f"Record '{verdicts[0].label}' before recording the accused as "
            f"{outcome.label.lower()}.",
            code="outcome_needs_judgment",
        )


# --------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------


def deadlines(pathway: Pathway, records: Sequence[MilestoneRecord], today: date) -> list[Deadline]:
    """Time limits that are running: the milestone they count from is reached
    and the one they set a limit on is neither recorded nor passed over.
    Calendar days, with no allowance for holidays; soonest first."""
    known = _known(pathway, records)
    position = _position(known)
    recorded = {r.key for _, r in known}
    started: dict[str, date] = {}
    for _, record in known:
        if not record.skipped:
            started[record.key] = record.on  # the latest, should a step recur
    found: list[tuple[int, Deadline]] = []
    for index, milestone in enumerate(pathway.milestones):
        limit = milestone.time_limit
        if limit is None or limit.after not in started or milestone.key in recorded:
            continue
        if index < position:
            continue  # passed over: the proceeding has moved beyond it
        start = started[limit.after]
        try:
            due = start + timedelta(days=limit.days)
        except OverflowError:
            due = date.max
        deadline = Deadline(
            milestone=milestone,
            due_on=due,
            basis=limit.basis,
            overdue=today > due,
            counted_from=pathway.milestone(limit.after),
            started_on=start,
        )
        found.append((index, deadline))
    found.sort(key=lambda item: (item[1].due_on, item[0]))
    return [d for _, d in found]


# --------------------------------------------------------------------------
# Hearings
# --------------------------------------------------------------------------


def first_charge_date(charges: Iterable[Charge]) -> date | None:
    """The day the first charge was filed (withdrawn and amended ones count:
    they were filed)."""
    return min((c.filed_on for c in charges), default=None)


def hearing_date_problems(
    hearing_on: date,
    *,
    first_charge_on: date | None,
    next_on: date | None = None,
) -> list[FieldProblem]:
    """Every wrong date of a hearing, for a dialog to mark as the user types:
    fields ``hearing_on`` and ``next_on``."""
    found: list[FieldProblem] = []
    if first_charge_on is not None and hearing_on < first_charge_on:
        found.append(
            FieldProblem(
                "hearing_on",
                "hearing_before_charge",
                f"The hearing date {hearing_on.isoformat()} is before the first charge was "
                f"filed ({first_charge_on.isoformat()}); a hearing in this proceeding comes "
                "after the charge. Check the hearing date or the charge date.",
            )
        )
    if next_on is not None and next_on < hearing_on:
        found.append(
            FieldProblem(
                "next_on",
                "next_before_hearing",
                f"The next date {next_on.isoformat()} is before this hearing "
                f"({hearing_on.isoformat()}); the next date is when the court sits again.",
            )
        )
    return found


def check_hearing_dates(
    hearing_on: date,
    first_charge_on: date | None,
    next_on: date | None = None,
) -> None:
    """Raise ValidationError when a hearing's dates are impossible."""
    raise_if_problems(
        hearing_date_problems(hearing_on, first_charge_on=first_charge_on, next_on=next_on)
    )
