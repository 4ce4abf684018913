"""The demo organization's field records (issue 4).

Called from the demo builder (``demo._Builder.build_case``) at the end of
every case, after its interventions are made, through
``add_field_records``. It adds, as plain rows for the fast writer:

- each survivor's place of birth on their identity (a locality of the
  district, or the home country of a migrant), so duplicate checks have
  something to compare;
- the people each intervention involved: its survivor (sometimes a sibling
  too) and, for court work, intake and placements, the official in the case
  who took part (prosecutor, investigating officer, welfare committee);
- a follow-up for every current intervention with a follow-up date: the
  old ones done by a later intervention of the case or cancelled, the recent
  ones open; some moved once (a rescheduled row and its replacement). The
  generic ``caseworker`` login always has follow-ups due today and overdue,
  so "My day" is never empty in a demo;
- consent records: to services at intake for every survivor (a guardian's,
  with the child's assent, for children with a guardian), to use in court
  for most survivors whose case went to court, and a few to story/media and
  research, some withdrawn. (Consents to sharing with a partner are made by
  the aftercare demo, each before the referral it allows.)

The full-text index needs nothing here: on SQLite the triggers fill it as
the rows are written, on PostgreSQL the generated columns do. Attachments
are not made (they would need sealed files beside the database).

Every random choice comes from this module's own stream, seeded from the
builder's without drawing from it, so the rest of the demo is the same with
or without these records.
"""

from __future__ import annotations

import random
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from ijmcase.domain.enums import (
    ConsentGiver,
    ConsentScope,
    FollowUpState,
    InterventionType,
    PartyKind,
    PartyRole,
    TrackStatus,
)

if TYPE_CHECKING:
    from ijmcase.services.demo import _Builder, _Plan, _Track
    from ijmcase.services.demo_rows import Row

__all__ = ["FieldDemo", "add_field_records"]

T = TypeVar("T")
_I = InterventionType

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()

# Which official of the case takes part in which kind of work, and how often.
_OFFICIAL_IN: dict[InterventionType, tuple[PartyRole, float]] = {
    _I.INTAKE_INTERVIEW: (PartyRole.INVESTIGATING_OFFICER, 0.4),
    _I.FORENSIC_EXAM: (PartyRole.INVESTIGATING_OFFICER, 0.5),
    _I.COURT_PREPARATION: (PartyRole.PROSECUTOR, 0.5),
    _I.TESTIMONY: (PartyRole.PROSECUTOR, 0.8),
    _I.COURT_ACCOMPANIMENT: (PartyRole.PROSECUTOR, 0.4),
    _I.SHELTER_PLACEMENT: (PartyRole.WELFARE_OFFICER, 0.6),
    _I.FAMILY_TRACING: (PartyRole.WELFARE_OFFICER, 0.5),
    _I.REPATRIATION: (PartyRole.WELFARE_OFFICER, 0.3),
}
_CANCEL_NOTES = (
    "No longer needed: the family moved back to their village.",
    "Replaced by the monthly home visits in the care plan.",
    "The survivor asked for contact through the shelter only.",
)
_RESCHEDULE_NOTES = (
    "The family was away for a wedding.",
    "Phone unreachable; trying again next week.",
    "Court date clashed with the visit.",
)
_WITHDRAWALS = (
    "Withdrawn by the survivor after talking it over with her family.",
    "The guardian withdrew it when the family moved.",
)

_demos: weakref.WeakKeyDictionary[_Builder, FieldDemo] = weakref.WeakKeyDictionary()


def add_field_records(
    builder: _Builder,
    plan: _Plan,
    case_id: uuid.UUID,
    tracks: list[_Track],
    survivors: list[tuple[uuid.UUID, str, bool, str]],
    closed: bool,
) -> None:
    """The field rows of one case (the builder's one call into this module)."""
    demo = _demos.get(builder)
    if demo is None:
        demo = _demos[builder] = FieldDemo(builder)
    demo.case(plan, case_id, tracks, survivors, closed)


def _tail(rows: list[Row], belongs: Callable[[Row], bool]) -> Iterator[Row]:
    """The last rows of a list that belong to the case being built (a case's
    rows are appended together, so they end the list)."""
    for row in reversed(rows):
        if not belongs(row):
            return
        yield row


class FieldDemo:
    """Adds the field rows to the builder's current chunk."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        # Seeded from the builder's stream without drawing from it.
        mirror = random.Random()
        mirror.setstate(builder.rng.getstate())
        self.rng = random.Random(mirror.getrandbits(64) ^ 0xF1E1D)
        self.rnd = self.rng.random
        self.today = builder.today
        self.demo_caseworker = builder.demo_caseworker.id if builder.demo_caseworker else None
        for key in ("consents", "follow_ups", "intervention_people"):
            builder.counts.setdefault(key, 0)
        # The demo login's follow-ups due today and overdue so far.
        self.mine_today = 0
        self.mine_overdue = 0

    # -- small helpers ----------------------------------------------------------

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        return lo + int(self.rnd() * (hi - lo + 1))

    def row(self, day: int, lag: int = 0, by: uuid.UUID | None = None) -> Row:
        b = self.b
        moment = _EPOCH + timedelta(
            days=min(day + lag, b.last) - _EPOCH_ORD,
            minutes=540 + int(self.rnd() * 540) - b.offset,
        )
        row = b.record(moment if moment < b.latest else b.latest)
        if by is not None:
            row["created_by"] = row["updated_by"] = by
        return row

    # -- one case ---------------------------------------------------------------

    def case(
        self,
        plan: _Plan,
        case_id: uuid.UUID,
        tracks: list[_Track],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        closed: bool,
    ) -> None:
        rows = self.b.rows
        district = self.b.districts[plan.office][plan.district]
        survivor_ids = {s[0] for s in survivors}
        guardians: set[uuid.UUID] = set()
        for ident in _tail(
            rows.get("survivor_identities", []), lambda r: r["survivor_id"] in survivor_ids
        ):
            home = next((s[3] for s in survivors if s[0] == ident["survivor_id"]), "")
            ident["place_of_birth"] = home or self.pick(district.localities)
            if ident["guardian_name"]:
                guardians.add(ident["survivor_id"])
        officials: dict[str, uuid.UUID] = {}
        for party in _tail(rows.get("case_parties", []), lambda r: r["case_id"] == case_id):
            if party["official_id"] is not None:
                officials.setdefault(party["role"], party["official_id"])
        interventions = list(
            _tail(rows.get("interventions", []), lambda r: r["case_id"] == case_id)
        )
        interventions.reverse()
        self.people(interventions, survivors, officials)
        self.follow_ups(case_id, interventions, closed)
        self.consents(plan, tracks, survivors, guardians, interventions)

    def people(
        self,
        interventions: list[Row],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        officials: dict[str, uuid.UUID],
    ) -> None:
        b = self.b
        out = b.rows.setdefault("intervention_people", [])
        for iv in interventions:
            involved: list[tuple[PartyKind, uuid.UUID]] = []
            if iv["survivor_id"] is not None:
                involved.append((PartyKind.SURVIVOR, iv["survivor_id"]))
                # Siblings are often seen together.
                if len(survivors) > 1 and self.rnd() < 0.12:
                    other = self.pick([s[0] for s in survivors if s[0] != iv["survivor_id"]])
                    involved.append((PartyKind.SURVIVOR, other))
            rule = _OFFICIAL_IN.get(InterventionType(iv["type"]))
            if rule is not None:
                official = officials.get(rule[0].value)
                if official is not None and self.rnd() < rule[1]:
                    involved.append((PartyKind.OFFICIAL, official))
            for kind, person in involved:
                link = b.record(iv["created_at"])
                link["created_by"] = link["updated_by"] = iv["created_by"]
                link.update(
                    intervention_id=iv["id"],
                    kind=kind.value,
                    survivor_id=person if kind is PartyKind.SURVIVOR else None,
                    accused_id=None,
                    official_id=person if kind is PartyKind.OFFICIAL else None,
                )
                out.append(link)
                b.counts["intervention_people"] += 1

    def follow_ups(self, case_id: uuid.UUID, interventions: list[Row], closed: bool) -> None:
        b = self.b
        out = b.rows.setdefault("follow_ups", [])
        replaced = {iv["supersedes_id"] for iv in interventions if iv["supersedes_id"]}
        days = [(iv["occurred_at"].date().toordinal(), iv) for iv in interventions]
        for iv in interventions:
            if iv["follow_up_on"] is None or iv["id"] in replaced:
                continue
            asked = iv["occurred_at"].date().toordinal()
            due = iv["follow_up_on"].toordinal()
            staff = iv["staff_user_id"]
            mine = staff == self.demo_caseworker
            state = FollowUpState.OPEN
            completed: Row | None = None
            if due < self.today:
                later = [r for d, r in days if d > asked and d >= due - 10 and r is not iv]
                if later and self.rnd() < 0.85:
                    state, completed = FollowUpState.DONE, later[0]
                elif closed or (due < self.today - 60 and self.rnd() < 0.5):
                    state = FollowUpState.CANCELLED
            if state is FollowUpState.OPEN and mine and (self.mine_today == 0 or self.rnd() < 0.3):
                # The demo login's day always has something due today.
                due = self.today
                iv["follow_up_on"] = date.fromordinal(due)
            if state is FollowUpState.OPEN and mine:
                self.mine_today += due == self.today
                self.mine_overdue += due < self.today
            row = self.row(asked, self.between(0, 3), by=iv["created_by"])
            row.update(
                case_id=case_id,
                intervention_id=iv["id"],
                assigned_to_id=staff,
                due_on=date.fromordinal(due),
                state=state.value,
                completed_by_id=completed["id"] if completed is not None else None,
                replaced_by_id=None,
                closed_at=None,
                note="",
            )
            if completed is not None:
                row["closed_at"] = completed["created_at"]
                row["updated_at"] = max(row["created_at"], completed["created_at"])
            elif state is FollowUpState.CANCELLED:
                row["closed_at"] = row["updated_at"] = self.row(min(due, b.last))["created_at"]
                row["note"] = self.pick(_CANCEL_NOTES)
            out.append(row)
            b.counts["follow_ups"] += 1
            if state is FollowUpState.OPEN and self.rnd() < 0.12 and due - asked > 7:
                # Moved once already: the earlier day stays on record.
                earlier = dict(row)
                earlier.update(b.record(row["created_at"]))
                earlier["created_by"] = earlier["updated_by"] = iv["created_by"]
                earlier.update(
                    due_on=date.fromordinal(self.between(asked + 1, due - 1)),
                    state=FollowUpState.RESCHEDULED.value,
                    replaced_by_id=row["id"],
                    closed_at=row["created_at"],
                    note="",
                )
                row["note"] = self.pick(_RESCHEDULE_NOTES)
                # After the row it points at: foreign keys are checked row by row.
                out.append(earlier)
                b.counts["follow_ups"] += 1
        if not closed and (self.mine_today == 0 or self.mine_overdue == 0):
            self.ensure_my_day(case_id, interventions, replaced)

    def ensure_my_day(
        self, case_id: uuid.UUID, interventions: list[Row], replaced: set[uuid.UUID]
    ) -> None:
        """Until the demo login has a follow-up due today and one overdue, give
        their latest intervention without one in this open case a follow-up."""
        b = self.b
        for iv in reversed(interventions):
            if (
                iv["staff_user_id"] != self.demo_caseworker
                or iv["follow_up_on"] is not None
                or iv["id"] in replaced
            ):
                continue
            asked = iv["occurred_at"].date().toordinal()
            if self.mine_today == 0:
                due = self.today
                self.mine_today += 1
            elif asked + 1 < self.today:
                due = self.between(asked + 1, self.today - 1)
                self.mine_overdue += 1
            else:
                continue
            iv["follow_up_on"] = date.fromordinal(due)
            row = self.row(asked, self.between(0, 3), by=iv["created_by"])
            row.update(
                case_id=case_id,
                intervention_id=iv["id"],
                assigned_to_id=iv["staff_user_id"],
                due_on=date.fromordinal(due),
                state=FollowUpState.OPEN.value,
                completed_by_id=None,
                replaced_by_id=None,
                closed_at=None,
                note="",
            )
            b.rows.setdefault("follow_ups", []).append(row)
            b.counts["follow_ups"] += 1
            return

    def consents(
        self,
        plan: _Plan,
        tracks: list[_Track],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        guardians: set[uuid.UUID],
        interventions: list[Row],
    ) -> None:
        b = self.b
        accountability = tracks[1]
        court_from = (
            accountability.started
            if accountability.status is not TrackStatus.NOT_APPLICABLE
            else None
        )
        intake = {
            iv["survivor_id"]: iv["occurred_at"].date().toordinal()
            for iv in reversed(interventions)
            if iv["type"] == _I.INTAKE_INTERVIEW.value and iv["survivor_id"] is not None
        }
        for survivor_id, _code, minor, _home in survivors:
            by_guardian = minor and survivor_id in guardians
            given = min(intake.get(survivor_id, plan.opened + self.between(0, 3)), b.last)
            self.consent(survivor_id, ConsentScope.SERVICES, given, by_guardian)
            if court_from is not None and court_from <= b.last and self.rnd() < 0.7:
                day = min(court_from + self.between(0, 60), b.last)
                self.consent(survivor_id, ConsentScope.COURT_USE, day, by_guardian)
            if self.rnd() < 0.08:
                day = min(given + self.between(30, 400), b.last)
                self.consent(survivor_id, ConsentScope.RESEARCH, day, by_guardian)
            if not minor and self.rnd() < 0.03:
                day = min(given + self.between(60, 700), b.last)
                self.consent(survivor_id, ConsentScope.MEDIA, day, by_guardian, withdraw=0.4)

    def consent(
        self,
        survivor_id: uuid.UUID,
        scope: ConsentScope,
        day: int,
        by_guardian: bool,
        *,
        withdraw: float = 0.02,
    ) -> None:
        b = self.b
        row = self.row(day, self.between(0, 2))
        withdrawn = None
        note = ""
        if day < b.last - 30 and self.rnd() < withdraw:
            withdrawn = date.fromordinal(self.between(day + 1, b.last))
            note = self.pick(_WITHDRAWALS)
            row["updated_at"] = max(
                row["created_at"], self.row(withdrawn.toordinal())["created_at"]
            )
        row.update(
            survivor_id=survivor_id,
            scope=scope.value,
            organization_id=None,
            organization_name="",
            given_by=(ConsentGiver.GUARDIAN if by_guardian else ConsentGiver.SURVIVOR).value,
            child_assent=(self.rnd() < 0.95) if by_guardian else None,
            given_on=date.fromordinal(day),
            withdrawn_on=withdrawn,
            withdrawal_note=note,
            notes="",
        )
        b.add("consents", row)
        b.counts["consents"] += 1
