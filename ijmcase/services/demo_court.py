"""The demo's court records: for every accused in a case whose accountability
track has started, a proceeding on its country's legal pathway, with
charges under the country's real statutes, custody over time, milestones
dated in step with the hearings the demo already made, the outcome and
sentence, and for the case's hearings a judge, attending staff, survivor
testimony with its protection measure; plus threats reported, protection
orders and victim-compensation claims.

Called once per case from ``demo._Builder.build_case`` after the hearings
are made (``add_court_records``). Like the rest of the demo it writes plain
row dicts and draws every choice from the builder's one random stream, so
the same seed gives the same court record. The records follow the rules in
``domain.proceedings`` (the demo tests replay every proceeding through
``check_track``): milestones in order with skips explained, a verdict only
on a charge, a sentence only after a conviction, an appeal only from a
judgment, no hearing before the first charge.

How the outcome is chosen: the main accused follows the track's outcome
(convicted, guilty plea, acquitted, dismissed; about 55/10/25/10), the
co-accused mostly share it; a track reopened on appeal has an appeal on
record; a track stopped early ends withdrawn or dismissed; an active track
is pending, as far along its pathway as its hearings have gone.
"""

from __future__ import annotations

import random
import uuid
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from ijmcase.domain.enums import (
    ChargeStatus,
    CompensationStatus,
    CustodyStatus,
    OfficialRole,
    ProceedingOutcome,
    ProtectionKind,
    ReportingStage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.domain.pathways import Milestone, Pathway, load_pathways, pathway_for
from ijmcase.domain.proceedings import MilestoneRecord as Rule
from ijmcase.domain.proceedings import reporting_stage
from ijmcase.services.demo_court_data import (
    BNS_FROM,
    CASE_NUMBERS,
    CHARGES,
    COMPENSATION,
    CURRENCY,
    DEFAULT_CHARGES,
    DEFAULT_SCHEME_AMOUNTS,
    DEFAULT_SENTENCE,
    PREPARATION,
    SENTENCES,
    SKIP_REASONS,
    ChargeDef,
    Scheme,
    testimony_measure,
)
from ijmcase.services.demo_data import CUSTODY_PHRASE

if TYPE_CHECKING:
    from ijmcase.services.demo import _Builder, _CaseStaff, _District, _Inst, _Plan, _Track

__all__ = ["add_court_records"]

T = TypeVar("T")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()

_C = CustodyStatus
_O = ProceedingOutcome
_RS = ReportingStage
_CONVICTIONS = (_O.CONVICTED, _O.PLEA)
_VERDICTS = (_O.CONVICTED, _O.PLEA, _O.ACQUITTED)
_BENCH = (OfficialRole.JUDGE, OfficialRole.MAGISTRATE)
_PHRASE = {**CUSTODY_PHRASE, _C.RELEASED: "was released after the verdict"}
# Days after the judgment (the sentence, in India) that it becomes final when
# no one appeals: the appeal period and a little more.
_FINAL_AFTER = {"PH": (16, 40), "IN": (61, 120), "KE": (15, 45)}
_FINAL_DEFAULT = (30, 90)
_TESTIMONY_WORDS = ("survivor", "victim")
_WITNESS_WORDS = ("prosecution witnesses", "trial")

_pathways: dict[str, Pathway] | None = None


def _templates() -> dict[str, Pathway]:
    global _pathways
    if _pathways is None:
        _pathways = load_pathways()
    return _pathways


class _Draws:
    """The court record's own random stream, seeded from the builder's, so
    that adding court records leaves every other part of the demo (drawn from
    the builder's stream) exactly as it was; and ``stamp`` drawn from it."""

    def __init__(self, b: _Builder) -> None:
        # A copy of the builder's state: deterministic for a seed, and it
        # takes nothing from the builder's own stream.
        copy = random.Random()
        copy.setstate(b.rng.getstate())
        self.rng = random.Random(copy.getrandbits(64) ^ 0xC0_0A7)
        self.rnd = self.rng.random
        self.b = b

    def between(self, lo: int, hi: int) -> int:
        return lo + int(self.rnd() * (hi - lo + 1))

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]

    def stamp(self, day: int, lag_days: int = 0) -> datetime:
        """As ``_Builder.stamp``: office hours at the district, never after ``latest``."""
        minutes = 540 + int(self.rnd() * 540) - self.b.offset
        moment = _EPOCH + timedelta(days=day + lag_days - _EPOCH_ORD, minutes=minutes)
        return moment if moment < self.b.latest else self.b.latest


_streams: weakref.WeakKeyDictionary[_Builder, _Draws] = weakref.WeakKeyDictionary()


def _draws(b: _Builder) -> _Draws:
    found = _streams.get(b)
    if found is None:
        found = _streams[b] = _Draws(b)
    return found


_HEARING_DEFAULTS: dict[str, Any] = {
    "proceeding_id": None,
    "judge_id": None,
    "survivor_testifies": False,
    "testifying_survivor_id": None,
    "protection_measure_id": None,
    "preparation": "",
}


def add_court_records(
    b: _Builder,
    case_id: uuid.UUID,
    plan: _Plan,
    district: _District,
    court: _Inst,
    tracks: list[_Track],
    accused: list[tuple[uuid.UUID, CustodyStatus]],
    survivors: list[tuple[uuid.UUID, str, bool, str]],
    staff: _CaseStaff,
) -> None:
    """The court record of one case (see the module text)."""
    hearings = _case_hearings(b, case_id)
    for row in hearings:
        row.update(_HEARING_DEFAULTS)
    track = tracks[1]
    if track.started is None or not accused:
        return
    _CaseCourt(
        b, case_id, plan, district, court, track, accused, survivors, staff, hearings
    ).build()


def _case_hearings(b: _Builder, case_id: uuid.UUID) -> list[dict[str, Any]]:
    """The case's hearing rows: the last ones added (made just before)."""
    rows = b.rows.get("hearings", [])
    start = len(rows)
    while start > 0 and rows[start - 1]["case_id"] == case_id:
        start -= 1
    return rows[start:]


@dataclass
class _Plot:
    """One accused's story in court, as days (ordinals)."""

    result: ProceedingOutcome
    outcome_day: int | None
    custody: CustodyStatus
    arrest_day: int | None
    bail_day: int | None = None
    events: list[tuple[CustodyStatus, int]] = field(default_factory=list)


class _CaseCourt:
    def __init__(
        self,
        b: _Builder,
        case_id: uuid.UUID,
        plan: _Plan,
        district: _District,
        court: _Inst,
        track: _Track,
        accused: list[tuple[uuid.UUID, CustodyStatus]],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        staff: _CaseStaff,
        hearings: list[dict[str, Any]],
    ) -> None:
        self.b = b
        self.d = _draws(b)
        self.case_id = case_id
        self.plan = plan
        self.district = district
        self.cc = district.office.country
        self.court = court
        self.track = track
        self.accused = accused
        self.survivors = survivors
        self.staff = staff
        self.hearings = hearings
        self.pathway = pathway_for(self.cc, _templates())
        zone = b.zones[district.tz]
        self.days: list[int] = [
            row["scheduled_at"].astimezone(zone).date().toordinal() for row in hearings
        ]
        assert track.started is not None
        self.started: int = track.started
        moves = track.moves
        self.judgment = next((m[2] for m in moves if m[1] is TrackStatus.COMPLETED), None)
        self.appeal_day = next(
            (m[2] for m in moves if m[0] is TrackStatus.COMPLETED and m[1] is TrackStatus.ACTIVE),
            None,
        )
        self.stopped = next((m[2] for m in moves if m[1] is TrackStatus.NOT_APPLICABLE), None)
        self.end = self.judgment or self.stopped or b.last
        self.charge_day = self._charge_day()
        self.measures: dict[uuid.UUID, uuid.UUID] = {}

    # -- the case's timeline ------------------------------------------------------

    def _charge_day(self) -> int | None:
        b = self.b
        if self.days:
            first = self.days[0]
            day = max(self.started, min(first, first - self.d.between(5, 40)))
        else:
            span = max(1, self.end - self.started)
            day = self.started + max(1, int(span * (0.2 + 0.3 * self.d.rnd())))
            if self.judgment is None and self.stopped is None and self.d.rnd() < 0.3:
                return None  # still under investigation
        return day if day <= b.last else None

    def _main_result(self) -> ProceedingOutcome:
        text = self.track.outcome
        for prefix, result in (
            ("Convicted", _O.CONVICTED),
            ("Guilty plea", _O.PLEA),
            ("Acquitted", _O.ACQUITTED),
            ("Dismissed", _O.DISMISSED),
        ):
            if text.startswith(prefix):
                return result
        return _O.CONVICTED

    def _result(self, index: int) -> tuple[ProceedingOutcome, int | None]:
        if self.judgment is not None:
            main = self._main_result()
            if index == 0 or self.d.rnd() < 0.65:
                return main, self.judgment
            return self.d.pick(
                (_O.CONVICTED, _O.ACQUITTED, _O.ACQUITTED, _O.DISMISSED)
            ), self.judgment
        if self.stopped is not None:
            return (_O.WITHDRAWN if self.d.rnd() < 0.6 else _O.DISMISSED), self.stopped
        return _O.PENDING, None

    # -- building -------------------------------------------------------------------

    def build(self) -> None:
        judges = [o for o, role in self.court.officials if role in _BENCH]
        self.judge = self.d.pick(judges) if judges else None
        self.second_judge = self.d.pick(judges) if judges and self.d.rnd() < 0.15 else None
        proceeding_ids: list[uuid.UUID] = []
        for index, (accused_id, drawn) in enumerate(self.accused):
            proceeding_ids.append(self.proceeding(index, accused_id, drawn))
        self.hearing_details(proceeding_ids[0])
        self.protection()
        self.compensation(proceeding_ids[0])

    def proceeding(self, index: int, accused_id: uuid.UUID, drawn: CustodyStatus) -> uuid.UUID:
        b = self.b
        result, outcome_day = self._result(index)
        if result in _VERDICTS and self.charge_day is None:
            # A verdict is given only on a charge.
            self.charge_day = self.started + max(1, (self.end - self.started) // 3)
        plot = self.plot(result, outcome_day, drawn)
        records = self.milestones(plot, appeals=self.appeal_day is not None and index == 0)
        charges = self.charges(plot, records)
        created = self.d.stamp(self.started, self.d.between(0, 10))
        latest_day = max([d for _, d, *_ in records] or [self.started])
        row = b.record(created, max(created, self.d.stamp(min(latest_day, b.last))))
        pid: uuid.UUID = row["id"]
        number = CASE_NUMBERS.get(self.cc, "CR-{y}-{n:04d}")
        year = date.fromordinal(self.charge_day or self.started).year
        initials = "".join(w[0] for w in self.district.name.split()[:3]).upper() or "X"
        months: int | None = None
        life = False
        fine: float | None = None
        currency = ""
        if result in _CONVICTIONS:
            spec = SENTENCES.get(self.cc, DEFAULT_SENTENCE)
            picked = self.d.pick(spec.plea if result is _O.PLEA else spec.months)
            life = picked == 0
            months = None if life else picked
            if self.cc in ("PH", "KE") or self.d.rnd() < 0.5:
                low, high = spec.fine
                fine = float(round(low + (high - low) * self.d.rnd(), -3))
                currency = CURRENCY.get(self.cc, "USD")
        rules = [
            Rule(key, date.fromordinal(day), skipped, reason)
            for key, day, skipped, reason in records
        ]
        row.update(
            case_id=self.case_id,
            accused_id=accused_id,
            court_id=self.court.id,
            court_case_number=(
                number.format(n=self.d.between(1, 2999), y=year, y2=year % 100, d=initials)
                if self.charge_day is not None
                else ""
            ),
            pathway_key=self.pathway.country,
            pathway_name=self.pathway.name,
            pathway_format=self.pathway.format,
            reporting_stage=_value(reporting_stage(self.pathway, rules)),
            outcome=result.value,
            outcome_on=date.fromordinal(outcome_day) if outcome_day is not None else None,
            prison_months=months,
            life_sentence=life,
            fine_amount=fine,
            fine_currency=currency,
            appealed=self.appeal_day is not None and index == 0,
            appeal_notes=(
                "Appeal filed in the higher court against the judgment."
                if self.appeal_day is not None and index == 0
                else ""
            ),
            notes="",
        )
        b.add("proceedings", row)
        self._count("proceedings")
        for seq, (key, day, skipped, reason) in enumerate(records, start=1):
            milestone = self.pathway.milestone(key)
            m = b.record(self.d.stamp(day, self.d.between(0, 7)))
            m.update(
                proceeding_id=pid,
                seq=seq,
                key=key,
                label=milestone.label,
                stage=milestone.stage.value,
                on_date=date.fromordinal(day),
                skipped=skipped,
                reason=reason,
            )
            b.add("milestone_records", m)
        self._count("milestone_records", len(records))
        for charge in charges:
            charge["proceeding_id"] = pid
            b.add("charges", charge)
        self._count("charges", len(charges))
        # Entered in the order they happened, even two on one day: each
        # stamp is moved before the next one where needed (never after ``latest``).
        stamps = sorted(self.d.stamp(day, self.d.between(0, 5)) for _, day in plot.events)
        for n in range(len(stamps) - 2, -1, -1):
            stamps[n] = min(stamps[n], stamps[n + 1] - timedelta(minutes=1))
        for (status, day), moment in zip(plot.events, stamps, strict=True):
            e = b.record(moment)
            e.update(proceeding_id=pid, status=status.value, on_date=date.fromordinal(day))
            e.update(place=self._place(status), notes="")
            b.add("custody_events", e)
        self._count("custody_events", len(plot.events))
        self.set_custody(index, accused_id, drawn, plot.custody)
        return pid

    # -- custody ---------------------------------------------------------------------

    def plot(
        self, result: ProceedingOutcome, outcome_day: int | None, drawn: CustodyStatus
    ) -> _Plot:
        b = self.b
        last = b.last
        final = _final_custody(drawn, result)
        if (
            final is _C.ON_BAIL
            and self.cc == "PH"
            and self.plan.violence in (ViolenceType.SEX_TRAFFICKING, ViolenceType.OSEC)
        ):
            final = _C.IN_CUSTODY  # trafficking is not bailable in the Philippines
        arrested = final not in (_C.AT_LARGE,) or result in _CONVICTIONS
        plot = _Plot(result, outcome_day, final, None)
        if not arrested:
            return plot
        limit = min(self.charge_day if self.charge_day is not None else last, last)
        arrest = min(self.started + self.d.between(0, 25), limit)
        arrest = max(arrest, self.started)
        plot.arrest_day = arrest
        events = [(_C.ARRESTED, arrest)]
        end = min(outcome_day if outcome_day is not None else last, last)

        def later(lo: int, hi: int) -> int:
            return min(max(arrest, arrest + self.d.between(lo, hi)), end)

        if final is _C.IN_CUSTODY:
            if result in _CONVICTIONS and self.d.rnd() < 0.4:
                plot.bail_day = later(10, 90)
                events.append((_C.ON_BAIL, plot.bail_day))
                events.append((_C.IN_CUSTODY, end))
            else:
                events.append((_C.IN_CUSTODY, min(arrest + 1, end)))
        elif final is _C.ON_BAIL:
            plot.bail_day = later(5, 90)
            events.append((_C.ON_BAIL, plot.bail_day))
        elif final is _C.ABSCONDED:
            plot.bail_day = later(5, 60)
            events.append((_C.ON_BAIL, plot.bail_day))
            events.append(
                (
                    _C.ABSCONDED,
                    min(max(plot.bail_day, plot.bail_day + self.d.between(30, 400)), end),
                )
            )
        elif final is _C.RELEASED:
            if self.d.rnd() < 0.5:
                plot.bail_day = later(5, 90)
                events.append((_C.ON_BAIL, plot.bail_day))
            else:
                events.append((_C.IN_CUSTODY, min(arrest + 1, end)))
            events.append((_C.RELEASED, end))
        elif final is _C.DECEASED:
            events.append((_C.IN_CUSTODY, min(arrest + 1, end)))
            died = end + self.d.between(30, 900)
            if died <= last:
                events.append((_C.DECEASED, died))
            else:
                plot.custody = _C.IN_CUSTODY
        plot.events = events
        return plot

    def set_custody(
        self, index: int, accused_id: uuid.UUID, drawn: CustodyStatus, final: CustodyStatus
    ) -> None:
        """Keep the accused's status (and the case summary's sentence about
        the main accused) in step with the custody record."""
        if final is drawn:
            return
        rows = self.b.rows["accused"]
        for row in reversed(rows[-len(self.accused) :]):
            if row["id"] == accused_id:
                row["custody_status"] = final.value
                break
        if index == 0:
            case_row = self.b.rows["cases"][-1]
            if case_row["id"] == self.case_id:
                case_row["summary"] = case_row["summary"].replace(
                    f"The main accused {_PHRASE[drawn]}.", f"The main accused {_PHRASE[final]}."
                )

    def _place(self, status: CustodyStatus) -> str:
        if status in (_C.IN_CUSTODY,):
            return f"District jail, {self.district.name}"
        if status is _C.ARRESTED:
            return f"Police station, {self.d.pick(self.district.localities)}"
        return ""

    # -- milestones ------------------------------------------------------------------

    def milestones(self, plot: _Plot, *, appeals: bool) -> list[tuple[str, int, bool, str]]:
        """(key, day, skipped, reason) in pathway order, as far as the story
        goes; ``appeals``: this accused appealed (the track was reopened)."""
        b = self.b
        last = b.last
        result = plot.result
        verdict = plot.outcome_day if result in _VERDICTS else None
        out: list[tuple[str, int, bool, str]] = []
        cursor = self.started
        charged = self.charge_day
        milestones = self.pathway.milestones
        investigated = [m for m in milestones if m.stage is _RS.INVESTIGATED]
        in_trial = [m for m in milestones if m.stage is _RS.IN_TRIAL and not m.optional]
        trial_days = self._trial_days(
            cursor if charged is None else charged, verdict or plot.outcome_day
        )
        trial_steps = len(in_trial)
        if result is _O.PENDING:
            done = int(trial_steps * min(1.0, len(trial_days) / max(2 * trial_steps, 1)))
        elif result in (_O.DISMISSED, _O.WITHDRAWN):
            done = int(trial_steps * self.d.rnd())
        else:
            done = trial_steps
        trial_index = 0
        first_charge_recorded = False
        # Steps before the verdict (or a dismissal) are dated no later than it.
        cap = verdict if verdict is not None else plot.outcome_day
        for m in milestones:
            stage = m.stage
            day: int | None = None
            skip = ""
            if stage is _RS.REPORTED:
                day = self.started
            elif stage is _RS.INVESTIGATED:
                n = investigated.index(m)
                if charged is None:
                    if n > 0:
                        break
                    day = self.started + self.d.between(1, 20)
                else:
                    span = max(0, charged - self.started)
                    day = self.started + span * (n + 1) // (len(investigated) + 1)
            elif stage is _RS.ARRESTED:
                day, skip, stop = self._arrest_step(m, plot, cursor, charged, verdict)
                if stop:
                    break
                if day is None:
                    continue  # an optional step passed over
            elif stage is _RS.CHARGED:
                if charged is None:
                    break
                if not first_charge_recorded:
                    day = max(cursor, charged)
                    first_charge_recorded = True
                else:
                    day = self._charged_step(m, cursor, plot)
                    if day is None:
                        continue
            elif stage is _RS.IN_TRIAL:
                if m.optional:
                    if result is _O.PLEA or trial_index >= done or self.d.rnd() < 0.3:
                        continue
                    day = cursor
                elif result is _O.PLEA:
                    day, skip = cursor, SKIP_REASONS["plea"]
                elif trial_index >= done:
                    break
                else:
                    day = self._trial_day(trial_days, trial_index, trial_steps, cursor, verdict)
                    trial_index += 1
            elif stage is _RS.VERDICT:
                if verdict is None:
                    break
                if m.optional:
                    if result not in _CONVICTIONS or self.d.rnd() < 0.6:
                        continue
                    day = verdict + self.d.between(0, 14)
                else:
                    day = verdict
            elif stage is _RS.SENTENCED:
                assert verdict is not None
                if result is _O.ACQUITTED:
                    day, skip = verdict, SKIP_REASONS["acquitted"]
                else:
                    day = verdict if self.cc == "PH" else verdict + self.d.between(0, 21)
            elif stage is _RS.APPEAL:
                if not appeals or self.appeal_day is None:
                    continue
                day = self.appeal_day
            elif stage is _RS.FINAL:
                if appeals:
                    break
                lo, hi = _FINAL_AFTER.get(self.cc, _FINAL_DEFAULT)
                day = cursor + self.d.between(lo, hi)
            assert day is not None
            if cap is not None and stage.rank < _RS.VERDICT.rank:
                day = min(day, cap)
            day = max(day, cursor)
            if day > last:
                break
            out.append((m.key, day, bool(skip), skip))
            cursor = day
        return out

    def _arrest_step(
        self,
        m: Milestone,
        plot: _Plot,
        cursor: int,
        charged: int | None,
        verdict: int | None,
    ) -> tuple[int | None, str, bool]:
        """(day, skip reason, stop) for an arrest-stage milestone."""
        arrested = plot.arrest_day is not None
        if m.key == "custody":  # the Philippines: the court acquires jurisdiction
            if not arrested and verdict is None and plot.result is _O.PENDING:
                return None, "", True
            base = plot.arrest_day if arrested else cursor + self.d.between(1, 30)
            return max(cursor, base or cursor), "", False
        if m.key == "production":
            if plot.arrest_day is None or self.d.rnd() < 0.1:
                return None, "", False
            return plot.arrest_day + (1 if self.d.rnd() < 0.9 else self.d.between(2, 3)), "", False
        if m.key == "bail":
            if plot.bail_day is None:
                return None, "", False
            return min(plot.bail_day, charged) if charged is not None else plot.bail_day, "", False
        if arrested:
            return max(cursor, plot.arrest_day or cursor), "", False
        if m.optional:
            return None, "", False
        if charged is None:
            return None, "", True
        reason = (
            SKIP_REASONS["absconding"]
            if plot.result is _O.PENDING and plot.custody is _C.AT_LARGE
            else SKIP_REASONS["not_arrested"]
        )
        return max(cursor, charged), reason, False

    def _charged_step(self, m: Milestone, cursor: int, plot: _Plot) -> int | None:
        """The day of a charge-stage milestone after the first."""
        key = m.key
        if m.optional:  # Kenya's amended charge sheet
            return cursor + self.d.between(10, 60) if self.d.rnd() < 0.1 else None
        if key == "probable_cause":
            return cursor + (
                self.d.between(2, 10) if self.d.rnd() < 0.85 else self.d.between(11, 20)
            )
        if key == "arraignment":
            return cursor + (
                self.d.between(5, 30) if self.d.rnd() < 0.8 else self.d.between(31, 60)
            )
        wanted = "Framing of charges" if key == "framing_of_charges" else "Plea"
        for day, row in zip(self.days, self.hearings, strict=True):
            if day >= cursor and row["purpose"] == wanted and row["outcome"] == "held":
                return day
        return cursor + (
            self.d.between(30, 120) if key == "framing_of_charges" else self.d.between(0, 14)
        )

    def _trial_days(self, after: int, until: int | None) -> list[int]:
        stop = until if until is not None else self.b.last
        return [
            d
            for d, row in zip(self.days, self.hearings, strict=True)
            if after < d < stop and row["outcome"] == "held"
        ]

    def _trial_day(
        self, days: Sequence[int], index: int, steps: int, cursor: int, verdict: int | None
    ) -> int:
        if days:
            return days[min(len(days) - 1, index * len(days) // max(steps, 1))]
        end = verdict if verdict is not None else self.b.last
        return cursor + max(0, (end - cursor) * (index + 1) // (steps + 1))

    # -- charges ---------------------------------------------------------------------

    def charges(
        self, plot: _Plot, records: Sequence[tuple[str, int, bool, str]]
    ) -> list[dict[str, Any]]:
        b = self.b
        if self.charge_day is None:
            return []
        defs = CHARGES.get((self.cc, self.plan.violence)) or (DEFAULT_CHARGES[self.plan.violence],)
        count = 2 if len(defs) > 1 and self.d.rnd() < 0.45 else 1
        chosen = list(defs[:count])
        status = _charge_status(plot.result)
        rows: list[dict[str, Any]] = []
        amended = next((day for key, day, *_ in records if key == "amended_charge"), None)
        for n, spec in enumerate(chosen):
            filed = self.charge_day
            statute, section = _citation(spec, filed)
            row = b.record(self.d.stamp(filed, self.d.between(0, 10)))
            own = status
            if n > 0 and status is ChargeStatus.CONVICTED and self.d.rnd() < 0.3:
                own = ChargeStatus.ACQUITTED
            row.update(
                statute=statute,
                section=section,
                description=spec.description,
                filed_on=date.fromordinal(filed),
                status=(ChargeStatus.AMENDED if amended is not None and n == 0 else own).value,
                amends_id=None,
            )
            rows.append(row)
        if amended is not None:
            spec = chosen[0]
            statute, section = _citation(spec, amended)
            row = b.record(self.d.stamp(amended, self.d.between(0, 5)))
            row.update(
                statute=statute,
                section=section,
                description=f"{spec.description} (amended charge sheet)",
                filed_on=date.fromordinal(amended),
                status=status.value,
                amends_id=rows[0]["id"],
            )
            rows.append(row)
        return rows

    # -- hearings, protection, compensation -----------------------------------------------

    def hearing_details(self, main: uuid.UUID) -> None:
        b = self.b
        main_accused = self.accused[0][0]
        lawyer = self.staff.lead_law.id
        extra = self.staff.extra_law.id if self.staff.extra_law is not None else None
        caseworker = self.staff.lead_cw.id
        half = len(self.hearings) // 2
        joint = len(self.accused) > 1
        for n, (row, day) in enumerate(zip(self.hearings, self.days, strict=True)):
            future = day > self.b.last
            if future and joint:
                # Co-accused are tried together: the next date is everyone's.
                row["accused_id"] = None
            if row["accused_id"] == main_accused:
                row["proceeding_id"] = main
            judge = self.second_judge if self.second_judge and n >= half else self.judge
            row["judge_id"] = judge
            purpose = row["purpose"].lower()
            testifies = any(w in purpose for w in _TESTIMONY_WORDS)
            if not testifies and any(w in purpose for w in _WITNESS_WORDS):
                testifies = self.d.rnd() < 0.3
            if testifies and self.survivors and self.d.rnd() < 0.9:
                who = self.survivors[0] if self.d.rnd() < 0.8 else self.d.pick(self.survivors)
                row["survivor_testifies"] = True
                row["testifying_survivor_id"] = who[0]
                row["protection_measure_id"] = self._measure_for(who, day)
            if self.d.rnd() < (0.6 if future else 0.3):
                row["preparation"] = self.d.pick(PREPARATION)
            attending = []
            if self.d.rnd() < 0.9:
                attending.append(lawyer)
            if extra is not None and self.d.rnd() < 0.4:
                attending.append(extra)
            if row["survivor_testifies"] and self.d.rnd() < 0.8 and caseworker not in attending:
                attending.append(caseworker)
            for user_id in attending:
                b.add("hearing_staff", {"hearing_id": row["id"], "user_id": user_id})

    def _measure_for(
        self, survivor: tuple[uuid.UUID, str, bool, str], day: int
    ) -> uuid.UUID | None:
        found = self.measures.get(survivor[0])
        if found is not None:
            return found
        b = self.b
        start = min(max(self.started, day - self.d.between(3, 30)), b.last)
        kind = testimony_measure(self.cc, survivor[2], self.plan.violence)
        measure = self._add_measure(survivor[0], kind, start, self.court.name)
        self.measures[survivor[0]] = measure
        return measure

    def _add_measure(
        self, survivor_id: uuid.UUID, kind: ProtectionKind, start: int, authority: str
    ) -> uuid.UUID:
        b = self.b
        row = b.record(self.d.stamp(start, self.d.between(0, 5)))
        row.update(
            case_id=self.case_id,
            survivor_id=survivor_id,
            kind=kind.value,
            starts_on=date.fromordinal(start),
            ends_on=None,
            authority=authority,
            notes="",
        )
        b.add("protection_measures", row)
        self._count("protection_measures")
        measure_id: uuid.UUID = row["id"]
        return measure_id

    def protection(self) -> None:
        b = self.b
        if not self.survivors:
            return
        last_day = min(self.end, b.last)
        if last_day <= self.started:
            return
        survivor = self.survivors[0][0]
        if self.d.rnd() < 0.07:
            self._add_measure(
                survivor,
                ProtectionKind.THREATS_REPORTED,
                self.d.between(self.started, last_day),
                "Reported to the police",
            )
        if self.d.rnd() < 0.04:
            self._add_measure(
                survivor,
                ProtectionKind.PROTECTION_ORDER,
                self.d.between(self.started, last_day),
                self.court.name,
            )
        if (
            self.cc == "PH"
            and self.plan.violence is ViolenceType.SEX_TRAFFICKING
            and self.d.rnd() < 0.1
        ):
            self._add_measure(
                survivor,
                ProtectionKind.WITNESS_PROTECTION,
                self.d.between(self.started, last_day),
                "DOJ Witness Protection Program (RA 6981)",
            )

    def compensation(self, main: uuid.UUID) -> None:
        b = self.b
        if not self.survivors or self.d.rnd() >= 0.35:
            return
        scheme = self._scheme()
        applied = self.started + self.d.between(10, 200)
        if applied > b.last:
            return
        amount = self.d.pick(scheme.amounts)
        awarded_on = paid_on = None
        awarded = paid = None
        status = CompensationStatus.APPLIED
        r = self.d.rnd()
        if r < 0.55:
            day = applied + self.d.between(40, 400)
            if day <= b.last:
                awarded_on, awarded = (
                    day,
                    float(round(amount * self.d.pick((0.5, 0.75, 1.0, 1.0)), -2)),
                )
                status = CompensationStatus.AWARDED
                if self.d.rnd() < 0.7:
                    day = awarded_on + self.d.between(20, 300)
                    if day <= b.last:
                        paid_on = day
                        paid = awarded if self.d.rnd() < 0.8 else float(round(awarded / 2, -2))
                        status = (
                            CompensationStatus.PAID
                            if paid == awarded
                            else CompensationStatus.PARTLY_PAID
                        )
        elif r < 0.65:
            status = CompensationStatus.REJECTED
        survivor = self.survivors[0][0]
        row = b.record(self.d.stamp(applied, self.d.between(0, 7)))
        row.update(
            case_id=self.case_id,
            survivor_id=survivor,
            proceeding_id=main if "order" in scheme.name.lower() else None,
            scheme=scheme.name,
            status=status.value,
            currency=CURRENCY.get(self.cc, "USD"),
            applied_on=date.fromordinal(applied),
            applied_amount=float(amount),
            awarded_on=date.fromordinal(awarded_on) if awarded_on is not None else None,
            awarded_amount=awarded,
            paid_on=date.fromordinal(paid_on) if paid_on is not None else None,
            paid_amount=paid,
            notes="",
        )
        b.add("compensation_claims", row)
        self._count("compensation_claims")

    def _scheme(self) -> Scheme:
        schemes = COMPENSATION.get(self.cc)
        if schemes:
            if self.cc == "IN":
                bonded = self.plan.violence is ViolenceType.FORCED_LABOUR
                return schemes[1] if bonded else schemes[0]
            return self.d.pick(schemes)
        return Scheme(
            "Compensation order by the court", DEFAULT_SCHEME_AMOUNTS.get(self.cc, (1_000,))
        )

    def _count(self, key: str, n: int = 1) -> None:
        self.b.counts[key] = self.b.counts.get(key, 0) + n


def _value(stage: ReportingStage | None) -> str | None:
    return stage.value if stage is not None else None


def _final_custody(drawn: CustodyStatus, result: ProceedingOutcome) -> CustodyStatus:
    """The accused's status today, consistent with how the case ended."""
    if result in _CONVICTIONS:
        return drawn if drawn in (_C.IN_CUSTODY, _C.ABSCONDED, _C.DECEASED) else _C.IN_CUSTODY
    if result is _O.ACQUITTED:
        return _C.AT_LARGE if drawn is _C.AT_LARGE else _C.RELEASED
    if result in (_O.DISMISSED, _O.WITHDRAWN):
        if drawn in (_C.IN_CUSTODY, _C.ON_BAIL, _C.ARRESTED, _C.DECEASED):
            return _C.RELEASED
        return drawn
    return _C.IN_CUSTODY if drawn is _C.DECEASED else drawn


def _charge_status(result: ProceedingOutcome) -> ChargeStatus:
    return {
        _O.CONVICTED: ChargeStatus.CONVICTED,
        _O.PLEA: ChargeStatus.CONVICTED,
        _O.ACQUITTED: ChargeStatus.ACQUITTED,
        _O.DISMISSED: ChargeStatus.DISMISSED,
        _O.WITHDRAWN: ChargeStatus.WITHDRAWN,
    }.get(result, ChargeStatus.FILED)


def _citation(spec: ChargeDef, filed: int) -> tuple[str, str]:
    if spec.bns is not None and date.fromordinal(filed) >= BNS_FROM:
        return spec.bns
    return spec.statute, spec.section
