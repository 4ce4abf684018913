"""The demo organization's aftercare and prevention records.

Called from the demo builder (``demo._Builder``): ``reference`` once, after the
offices, institutions and officials exist, and ``case`` at the end of every
case. It adds, as plain rows for the fast writer:

- outcome assessments on the shipped instrument for survivors in aftercare:
  intake, six months later, then yearly, and a closure assessment before
  aftercare closes as restored. Scores mostly improve over time, some
  survivors relapse, and the generic ``caseworker`` login has some due and
  some overdue (a share of the latest scheduled assessments is "missed");
- the closing of aftercare for survivors whose case's aftercare track is
  completed: restored (approved by the director) or lost contact, declined,
  transferred, relocated, deceased; a few "restored" requests wait for the
  director's approval, and a relapse shows as a reopened closing;
- care-plan goals in the domains where the survivor scored lowest, services
  delivered, and referrals to partner institutions, each made under a consent
  to sharing with that institution recorded before it (the consent rule the
  referral service enforces);
- trainings and other engagements with officials in every district, attended
  by named officials and by head counts per role; and some government-led
  cases.

Cost shapes the choices: 20 scores per assessment would dwarf the rest of the
demo, so the organization "adopted" the instrument three years before today
(no assessments before that, as when a real organization starts using a tool),
and of aftercare already finished at most three survivors per case have
records. Every random choice comes from this module's own stream, seeded from
the builder's without drawing from it, so the rest of the demo is the same
with or without these records.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ijmcase.domain.assessments import Instrument
from ijmcase.domain.enums import (
    AftercareClosureReason,
    AssessmentBasis,
    AssessmentType,
    CareService,
    ClosureStatus,
    ConsentGiver,
    ConsentScope,
    EngagementKind,
    GoalStatus,
    InstitutionKind,
    OfficialRole,
    ReferralStatus,
    Stage,
    TrackStatus,
)
from ijmcase.persistence.base import new_id
from ijmcase.services.instruments import DEFAULT_INSTRUMENT, shipped_instruments

if TYPE_CHECKING:
    from ijmcase.services.demo import _Builder, _CaseStaff, _District, _Plan, _Track
    from ijmcase.services.demo_rows import Row

__all__ = ["CareDemo"]

T = TypeVar("T")

_S = TrackStatus
_K = InstitutionKind
_O = OfficialRole
_R = AftercareClosureReason

ADOPTED_YEARS_AGO = 3
MAX_ASSESSED = 3
# The latest scheduled assessment (if due in the last four months) not done yet:
# overdue. More often on the generic caseworker login's cases, so that its
# "My day" shows some even in a small demo.
MISSED_SHARE = 0.35
MISSED_SHARE_DEMO_LOGIN = 0.7
PENDING_SHARE = 0.05
RELAPSE_SHARE = 0.15
GOVERNMENT_LED = 0.06

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()

CLOSURE_REASONS: tuple[tuple[AftercareClosureReason, int], ...] = (
    (_R.RESTORED, 72),
    (_R.LOST_CONTACT, 8),
    (_R.RELOCATED, 9),
    (_R.TRANSFERRED, 5),
    (_R.DECLINED_SERVICES, 4),
    (_R.DECEASED, 2),
)
# Some domains come back more slowly than others (a protection order, an income).
DOMAIN_LAG = {
    "safety": 0.2,
    "legal_protection": -0.3,
    "mental_wellbeing": -0.1,
    "economic_empowerment_education": -0.4,
    "social_support": 0.1,
    "physical_wellbeing": 0.3,
}
GOALS: dict[str, tuple[str, ...]] = {
    "safety": (
        "Agree a safety plan with the family and rehearse it",
        "Move to a home out of reach of the recruiter's network",
    ),
    "legal_protection": (
        "Obtain a birth certificate and an identity card",
        "Understand the trial and prepare for testimony",
        "Apply for victim compensation",
    ),
    "mental_wellbeing": (
        "Attend weekly counselling for three months",
        "Sleep through the night most nights",
    ),
    "economic_empowerment_education": (
        "Complete the tailoring course and find paid work",
        "Re-enrol in school and attend regularly",
        "Open a savings account and keep a budget",
    ),
    "social_support": (
        "Reconcile with the family after the rescue",
        "Join the survivors' peer-support group",
    ),
    "physical_wellbeing": (
        "Complete the course of treatment at the district hospital",
        "Secure safe, stable housing",
    ),
}
SERVICES: tuple[tuple[CareService, tuple[InstitutionKind, ...], int], ...] = (
    (CareService.COUNSELLING, (), 30),
    (CareService.MEDICAL_CARE, (_K.HEALTH_FACILITY,), 18),
    (CareService.SHELTER, (_K.SHELTER,), 10),
    (CareService.EDUCATION, (), 8),
    (CareService.VOCATIONAL_TRAINING, (), 10),
    (CareService.LIVELIHOOD, (), 8),
    (CareService.CASH_ASSISTANCE, (), 6),
    (CareService.LEGAL_AID, (_K.LEGAL_SERVICES_AUTHORITY,), 5),
    (CareService.IDENTITY_DOCUMENTS, (), 5),
)
REFERRALS: tuple[tuple[CareService, tuple[InstitutionKind, ...]], ...] = (
    (CareService.SHELTER, (_K.SHELTER,)),
    (CareService.MEDICAL_CARE, (_K.HEALTH_FACILITY,)),
    (CareService.MENTAL_HEALTH, (_K.HEALTH_FACILITY,)),
    (CareService.FAMILY_REINTEGRATION, (_K.SOCIAL_WELFARE, _K.CWC)),
    (CareService.LEGAL_AID, (_K.LEGAL_SERVICES_AUTHORITY, _K.SOCIAL_WELFARE)),
)
REFERRAL_REASONS = (
    "Needs a safe place to stay while the family is assessed.",
    "Persistent headaches and poor sleep since the rescue.",
    "Nightmares and panic attacks; needs specialist care.",
    "Family tracing completed; reintegration to be supervised.",
    "Compensation claim needs a legal-aid lawyer.",
)
REJECTIONS = ("No space at present.", "Outside the partner's catchment area.")
ENGAGEMENT_KINDS: tuple[tuple[EngagementKind, int], ...] = (
    (EngagementKind.TRAINING, 60),
    (EngagementKind.WORKSHOP, 10),
    (EngagementKind.MENTORING, 10),
    (EngagementKind.CASE_CONFERENCE, 12),
    (EngagementKind.POLICY_DIALOGUE, 8),
)
TOPICS: dict[EngagementKind, tuple[str, ...]] = {
    EngagementKind.TRAINING: (
        "Victim-centred investigation of trafficking cases",
        "Identifying bonded labour: indicators and the law",
        "Interviewing child victims without re-traumatising them",
        "Collecting digital evidence in online exploitation cases",
        "Rescue operations: planning, safety and the survivor's rights",
        "Victim compensation: applications and follow-up",
    ),
    EngagementKind.WORKSHOP: (
        "Standard operating procedure for joint rescue operations",
        "Referral pathways between police, welfare and shelters",
    ),
    EngagementKind.MENTORING: (
        "Mentoring investigating officers on live cases",
        "Mentoring prosecutors on witness preparation",
    ),
    EngagementKind.CASE_CONFERENCE: (
        "Case conference on delayed trials in the district",
        "Case conference on survivors' protection during trial",
    ),
    EngagementKind.POLICY_DIALOGUE: (
        "Round table on the district anti-trafficking action plan",
        "Dialogue on time limits for filing charge sheets",
    ),
}
AUDIENCE: dict[InstitutionKind, tuple[OfficialRole, ...]] = {
    _K.POLICE_STATION: (_O.POLICE_OFFICER, _O.INVESTIGATING_OFFICER),
    _K.AHTU: (_O.INVESTIGATING_OFFICER, _O.POLICE_OFFICER),
    _K.CYBERCRIME_UNIT: (_O.INVESTIGATING_OFFICER,),
    _K.PROSECUTION: (_O.PROSECUTOR,),
    _K.COURT: (_O.JUDGE, _O.MAGISTRATE),
    _K.LABOUR_DEPARTMENT: (_O.LABOUR_OFFICER,),
    _K.SDM_OFFICE: (_O.SDM,),
    _K.CWC: (_O.CWC_MEMBER,),
    _K.SOCIAL_WELFARE: (_O.SOCIAL_WELFARE_OFFICER,),
    _K.SHELTER: (_O.SHELTER_STAFF,),
}
FACILITATORS = (
    "{office} legal team",
    "{office} aftercare team",
    "{office} investigations team and a senior public prosecutor",
    "{office} legal team with the district legal services authority",
)
MATERIALS = (
    "Slides; case-study booklet; pre- and post-test",
    "Standard operating procedure (printed); pocket guide",
    "Checklist for first responders; survivor-rights leaflet",
    "",
)
GOVERNMENT_LEADS = (_K.AHTU, _K.POLICE_STATION, _K.LABOUR_DEPARTMENT, _K.SDM_OFFICE)


def _instant(day: int, minute: int) -> datetime:
    return _EPOCH + timedelta(days=day - _EPOCH_ORD, minutes=minute)


@dataclass(frozen=True)
class _Scored:
    day: int
    kind: AssessmentType
    level: float


class CareDemo:
    """Adds the aftercare and prevention rows to the builder's current chunk."""

    def __init__(self, builder: _Builder) -> None:
        self.b = builder
        # Seeded from the builder's stream without drawing from it.
        mirror = random.Random()
        mirror.setstate(builder.rng.getstate())
        self.rng = random.Random(mirror.getrandbits(64) ^ 0xCA5E)
        self.rnd = self.rng.random
        self.adopted = date.fromordinal(builder.today).replace(day=1).toordinal() - int(
            365.25 * ADOPTED_YEARS_AGO
        )
        self.instrument: Instrument = shipped_instruments()[DEFAULT_INSTRUMENT]
        self.domains = [(d.key, [s.key for s in d.sub_domains]) for d in self.instrument.domains]
        # Score ids count in five bits (see write_assessment).
        assert len(self.instrument.sub_domain_keys) <= 32
        self.director: uuid.UUID | None = None
        self.caseworker_names: dict[uuid.UUID, str] = {}
        self._reason_cum = _cum([w for _, w in CLOSURE_REASONS])
        self._service_cum = _cum([w for *_, w in SERVICES])
        self._kind_cum = _cum([w for _, w in ENGAGEMENT_KINDS])
        for key in ("assessments", "closures", "referrals", "engagements", "government_led"):
            builder.counts[key] = 0

    # -- small helpers ----------------------------------------------------------

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        return lo + int(self.rnd() * (hi - lo + 1))

    def weighted(self, cum: list[float]) -> int:
        x = self.rnd() * cum[-1]
        for i, c in enumerate(cum):
            if x < c:
                return i
        return len(cum) - 1

    def stamp(self, day: int, lag: int = 0) -> datetime:
        """When something dated ``day`` was typed in: office hours, never after ``latest``."""
        moment = _instant(day + lag, 540 + int(self.rnd() * 540) - self.b.offset)
        return moment if moment < self.b.latest else self.b.latest

    def row(self, day: int, lag: int = 0, by: uuid.UUID | None = None) -> Row:
        row = self.b.record(self.stamp(min(day, self.b.last), lag))
        if by is not None:
            row["created_by"] = row["updated_by"] = by
        return row

    # -- reference data ---------------------------------------------------------

    def reference(self, users: Sequence[Row]) -> None:
        """Who approves and who facilitates; the instrument kept; every district's trainings."""
        for user in users:
            if user["username"] == "director":
                self.director = user["id"]
        text = Path(self.instrument.source).read_bytes().decode("utf-8-sig")
        kept = self.b.record(_instant(self.adopted, 300))
        kept.update(
            instrument_id=self.instrument.id,
            instrument_version=self.instrument.version,
            title=self.instrument.title,
            digest=self.instrument.digest,
            origin="shipped",
            source_name=Path(self.instrument.source).name,
            text=text,
        )
        self.b.add("assessment_instruments", kept)
        for districts in self.b.districts:
            for district in districts:
                self.trainings(district)

    def trainings(self, district: _District) -> None:
        b = self.b
        self.b.offset = district.utc_offset_min
        first = max(b.start, b.last - 5 * 365)
        jurisdiction = f"{district.name}, {district.region}"
        for _ in range(self.between(2, 7)):
            kind = ENGAGEMENT_KINDS[self.weighted(self._kind_cum)][0]
            day = self.between(first, b.last)
            pool = [i for kinds in AUDIENCE for i in district.by_kind.get(kinds, [])]
            if not pool:
                return
            places = self.rng.sample(pool, min(len(pool), self.between(1, 3)))
            row = self.row(day, self.between(0, 10))
            row.update(
                kind=kind.value,
                held_on=date.fromordinal(day),
                topic=self.pick(TOPICS[kind]),
                country=district.office.country,
                jurisdiction=jurisdiction,
                facilitators=self.pick(FACILITATORS).format(office=district.office.city),
                materials=self.pick(MATERIALS),
                notes="",
                case_id=None,
            )
            b.add("engagements", row)
            b.counts["engagements"] += 1
            created = row["created_at"]
            named = 0
            for inst in places:
                link = b.record(created)
                link.update(engagement_id=row["id"], institution_id=inst.id)
                b.add("engagement_institutions", link)
                for official_id, _role in inst.officials:
                    if self.rnd() < 0.5:
                        attendee = b.record(created)
                        attendee.update(engagement_id=row["id"], official_id=official_id)
                        b.add("engagement_attendees", attendee)
                        named += 1
            roles = sorted({r for inst in places for r in AUDIENCE.get(inst.kind, ())})
            for role in roles:
                if named and self.rnd() < 0.4:
                    continue
                count = b.record(created)
                count.update(
                    engagement_id=row["id"],
                    official_role=role.value,
                    attendees=self.between(4, 35),
                )
                b.add("engagement_role_counts", count)

    # -- one case ---------------------------------------------------------------

    def case(
        self,
        plan: _Plan,
        case_row: Row,
        tracks: list[_Track],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        staff: _CaseStaff,
        district: _District,
    ) -> None:
        case_id: uuid.UUID = case_row["id"]
        if self.rnd() < GOVERNMENT_LED:
            self.government_led(case_id, plan.opened, district)
        aftercare = tracks[2]
        assert aftercare.stage is Stage.AFTERCARE
        if aftercare.started is None or not survivors:
            return
        completed = next((m[2] for m in aftercare.moves if m[1] is _S.COMPLETED), None)
        reopened = next((m[2] for m in aftercare.moves if m[0] is _S.COMPLETED), None)
        stopped = next((m[2] for m in aftercare.moves if m[1] is _S.NOT_APPLICABLE), None)
        # A relapse reopened aftercare after it closed: the schedule runs on.
        end = completed if completed is not None and reopened is None else (stopped or self.b.last)
        if end < self.adopted:
            return
        active = aftercare.status is _S.ACTIVE and case_row["closed_on"] is None
        caseworkers = [staff.lead_cw] + ([staff.extra_cw] if staff.extra_cw else [])
        # Everyone in aftercare now is on the schedule; of finished aftercare the
        # demo keeps at most MAX_ASSESSED survivors' records per case.
        assessed = survivors if active else survivors[:MAX_ASSESSED]
        for survivor_id, _code, minor, _home in assessed:
            assessor = self.pick(caseworkers).id
            history = self.assessments(
                case_id,
                survivor_id,
                aftercare.started,
                end,
                assessor,
                active,
                closing=completed is not None and reopened is None,
                missed=MISSED_SHARE_DEMO_LOGIN
                if staff.lead_cw is self.b.demo_caseworker
                else MISSED_SHARE,
            )
            if not history:
                continue
            self.plan(case_id, survivor_id, history, end, assessor, completed is not None)
            self.services(case_id, survivor_id, aftercare.started, end, assessor, district)
            if self.rnd() < 0.45:
                self.referral(
                    case_id, survivor_id, minor, aftercare.started, end, assessor, district
                )
            if completed is not None and completed >= self.adopted:
                self.closure(case_id, survivor_id, history, completed, assessor, reopened=reopened)
            elif active and self.rnd() < PENDING_SHARE:
                self.pending(case_id, survivor_id, history, assessor)

    def government_led(self, case_id: uuid.UUID, opened: int, district: _District) -> None:
        leads = [i for kind in GOVERNMENT_LEADS for i in district.by_kind.get(kind, [])]
        day = min(opened + self.between(0, 30), self.b.last)
        row = self.row(day, self.between(0, 5))
        row.update(
            case_id=case_id,
            lead_institution_id=self.pick(leads).id if leads else None,
            marked_on=date.fromordinal(day),
            note="Raid and arrests made by the authorities on their own information; "
            "the organization joined for aftercare.",
        )
        self.b.add("government_led_cases", row)
        self.b.counts["government_led"] += 1

    # -- assessments ----------------------------------------------------------------

    def assessments(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        start: int,
        end: int,
        assessor: uuid.UUID,
        active: bool,
        *,
        closing: bool,
        missed: float,
    ) -> list[_Scored]:
        """The scheduled assessments that were done, scored on a rising trajectory."""
        days: list[tuple[int, AssessmentType]] = []
        day = start + self.between(0, 21)
        kind = AssessmentType.INTAKE
        # A closing leaves room for the closure assessment in its last two months.
        last = end - 60 if closing else end
        while day <= last:
            days.append((day, kind))
            step = 182 if kind is AssessmentType.INTAKE else 365
            kind = (
                AssessmentType.SIX_MONTH if kind is AssessmentType.INTAKE else AssessmentType.ANNUAL
            )
            day += step + self.between(-20, 30)
        if active and days and days[-1][0] > self.b.last - 120 and self.rnd() < missed:
            days.pop()  # not done yet: overdue
        base = 1.2 + self.rnd() * 1.1
        growth = max(0.1, self.rng.gauss(0.85, 0.35))
        relapse = self.between(1, max(1, len(days) - 1)) if self.rnd() < RELAPSE_SHARE else -1
        scored: list[_Scored] = []
        for i, (day, kind) in enumerate(days):
            level = base + growth * (day - start) / 365
            if i == relapse:
                level -= 0.9
            if day >= self.adopted:
                scored.append(_Scored(day, kind, min(level, 3.9)))
                self.write_assessment(case_id, survivor_id, day, kind, assessor, level)
        return scored

    def write_assessment(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        day: int,
        kind: AssessmentType,
        assessor: uuid.UUID,
        level: float,
        *,
        restored: bool = False,
    ) -> uuid.UUID:
        b = self.b
        row = self.row(day, self.between(0, 6), by=assessor)
        row.update(
            case_id=case_id,
            survivor_id=survivor_id,
            assessed_on=date.fromordinal(day),
            assessor_id=assessor,
            type=kind.value,
            basis=(
                AssessmentBasis.RETURN_HOME
                if self.rnd() < 0.3
                else AssessmentBasis.CURRENT_PLACEMENT
            ).value,
            instrument_id=self.instrument.id,
            instrument_version=self.instrument.version,
            instrument_digest=self.instrument.digest,
            notes="",
            supersedes_id=None,
        )
        b.add("assessments", row)
        b.counts["assessments"] += 1
        created = row["created_at"]
        rows = b.rows.setdefault("assessment_scores", [])
        # The scores are most of the demo's rows: their ids are one time-ordered id
        # with a counter in its lowest bits (unique, and a tenth of the cost of
        # drawing twenty), and their dicts are built in one step.
        base = new_id().int & ~0x1F
        n = 0
        rnd = self.rnd
        for domain, subs in self.domains:
            centre = level + DOMAIN_LAG.get(domain, 0.0)
            for sub in subs:
                if restored:
                    # At the threshold in every sub-domain: what closing as restored needs.
                    score = 3 if rnd() < 0.55 else 4
                else:
                    # Rounded at random: a centre of 2.3 scores 2 or, three times in ten, 3.
                    score = int(centre + rnd())
                    score = 1 if score < 1 else 4 if score > 4 else score
                rows.append(
                    {
                        "id": uuid.UUID(int=base | n),
                        "created_at": created,
                        "updated_at": created,
                        "created_by": assessor,
                        "updated_by": assessor,
                        "version": 1,
                        "deleted_at": None,
                        "assessment_id": row["id"],
                        "domain_key": domain,
                        "sub_domain_key": sub,
                        "score": score,
                        "note": "",
                    }
                )
                n += 1
        made: uuid.UUID = row["id"]
        return made

    # -- closing aftercare ----------------------------------------------------------

    def closure(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        history: list[_Scored],
        completed: int,
        assessor: uuid.UUID,
        *,
        reopened: int | None,
    ) -> None:
        reason = CLOSURE_REASONS[self.weighted(self._reason_cum)][0]
        assessment_id = None
        approved_by = None
        if reason is _R.RESTORED:
            before = [h.day for h in history if h.day <= completed]
            day = completed - self.between(5, 55)
            if before:
                day = max(before[-1] + 30, day)
            if day > completed:
                reason = _R.LOST_CONTACT
            else:
                assessment_id = self.write_assessment(
                    case_id, survivor_id, day, AssessmentType.CLOSURE, assessor, 3.5, restored=True
                )
                approved_by = self.director
        status = ClosureStatus.CLOSED if reopened is None else ClosureStatus.REOPENED
        row = self.row(completed, self.between(0, 4), by=assessor)
        row.update(
            case_id=case_id,
            survivor_id=survivor_id,
            reason=reason.value,
            closed_on=date.fromordinal(completed),
            status=status.value,
            assessment_id=assessment_id,
            requested_by=assessor,
            approved_by=approved_by,
            decided_at=self.stamp(completed, self.between(0, 6)),
            decision_note="",
            note="",
        )
        if reopened is not None:
            row["decision_note"] = "Aftercare reopened: the survivor asked for help again."
        self.b.add("aftercare_closures", row)
        self.b.counts["closures"] += 1

    def pending(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        history: list[_Scored],
        assessor: uuid.UUID,
    ) -> None:
        """A recent closure assessment and a request waiting for the director."""
        day = self.b.last - self.between(2, 30)
        if day <= history[-1].day:
            return
        assessment_id = self.write_assessment(
            case_id, survivor_id, day, AssessmentType.CLOSURE, assessor, 3.5, restored=True
        )
        row = self.row(day, self.between(0, 2), by=assessor)
        row.update(
            case_id=case_id,
            survivor_id=survivor_id,
            reason=_R.RESTORED.value,
            closed_on=date.fromordinal(min(day + self.between(0, 2), self.b.last)),
            status=ClosureStatus.PENDING_APPROVAL.value,
            assessment_id=assessment_id,
            requested_by=assessor,
            approved_by=None,
            decided_at=None,
            decision_note="",
            note="Scores at the threshold in every domain; the family is supportive.",
        )
        self.b.add("aftercare_closures", row)
        self.b.counts["closures"] += 1

    # -- care plans, services, referrals ---------------------------------------------

    def plan(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        history: list[_Scored],
        end: int,
        assessor: uuid.UUID,
        closed: bool,
    ) -> None:
        start = history[0].day
        lagging = sorted(DOMAIN_LAG, key=lambda k: DOMAIN_LAG[k])
        for domain in lagging[: self.between(1, 3)]:
            target = start + self.between(120, 400)
            if closed or target < self.b.last:
                status = GoalStatus.ACHIEVED if self.rnd() < 0.75 else GoalStatus.NOT_ACHIEVED
            else:
                status = GoalStatus.ACTIVE
            row = self.row(start, self.between(0, 10), by=assessor)
            row.update(
                case_id=case_id,
                survivor_id=survivor_id,
                domain_key=domain,
                goal=self.pick(GOALS[domain]),
                target_on=date.fromordinal(target),
                status=status.value,
                achieved_on=(
                    date.fromordinal(min(target - self.between(0, 60), end, self.b.last))
                    if status is GoalStatus.ACHIEVED
                    else None
                ),
                notes="",
            )
            if row["achieved_on"] is not None and row["achieved_on"] < date.fromordinal(start):
                row["achieved_on"] = date.fromordinal(start)
            self.b.add("care_plan_goals", row)

    def services(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        start: int,
        end: int,
        staff_id: uuid.UUID,
        district: _District,
    ) -> None:
        first, last = max(start, self.adopted), min(end, self.b.last)
        if first > last:
            return
        for _ in range(self.between(1, 4)):
            service, kinds, _w = SERVICES[self.weighted(self._service_cum)]
            providers = [i for k in kinds for i in district.by_kind.get(k, [])]
            day = self.between(first, last)
            row = self.row(day, self.between(0, 7), by=staff_id)
            row.update(
                case_id=case_id,
                survivor_id=survivor_id,
                service=service.value,
                delivered_on=date.fromordinal(day),
                provider_institution_id=self.pick(providers).id if providers else None,
                goal_id=None,
                referral_id=None,
                staff_user_id=staff_id,
                notes="",
            )
            self.b.add("services_delivered", row)

    def referral(
        self,
        case_id: uuid.UUID,
        survivor_id: uuid.UUID,
        minor: bool,
        start: int,
        end: int,
        staff_id: uuid.UUID,
        district: _District,
    ) -> None:
        i = int(self.rnd() * len(REFERRALS))
        service, kinds = REFERRALS[i]
        partners = [p for k in kinds for p in district.by_kind.get(k, [])]
        if not partners:
            return
        partner = self.pick(partners)
        first, last = max(start, self.adopted), min(end, self.b.last)
        if first > last:
            return
        day = self.between(first, last)
        # The consent to sharing with this partner, given before the referral.
        given = max(start, day - self.between(0, 14))
        consent = self.row(given, self.between(0, 3), by=staff_id)
        consent.update(
            survivor_id=survivor_id,
            scope=ConsentScope.SHARING.value,
            organization_id=partner.id,
            organization_name="",
            given_by=(ConsentGiver.GUARDIAN if minor else ConsentGiver.SURVIVOR).value,
            child_assent=True if minor else None,
            given_on=date.fromordinal(given),
            withdrawn_on=None,
            withdrawal_note="",
            notes="",
        )
        self.b.add("consents", consent)
        age = self.b.last - day
        if age < 14:
            status = ReferralStatus.PENDING
        elif age < 45:
            status = ReferralStatus.ACCEPTED if self.rnd() < 0.8 else ReferralStatus.REJECTED
        else:
            r = self.rnd()
            status = (
                ReferralStatus.COMPLETED
                if r < 0.8
                else ReferralStatus.REJECTED
                if r < 0.9
                else ReferralStatus.ACCEPTED
            )
        responded = (
            min(day + self.between(1, 10), self.b.last)
            if status is not ReferralStatus.PENDING
            else None
        )
        done = (
            min(responded + self.between(7, 90), self.b.last)
            if status is ReferralStatus.COMPLETED and responded is not None
            else None
        )
        giver = "guardian" if minor else "survivor"
        row = self.row(day, self.between(0, 3), by=staff_id)
        row.update(
            case_id=case_id,
            survivor_id=survivor_id,
            institution_id=partner.id,
            service=service.value,
            is_transfer=False,
            status=status.value,
            referred_on=date.fromordinal(day),
            responded_on=date.fromordinal(responded) if responded else None,
            completed_on=date.fromordinal(done) if done else None,
            referred_by=staff_id,
            consent_id=consent["id"],
            consent_summary=(
                f"Sharing with {partner.name}, given by the {giver} on "
                f"{date.fromordinal(given).isoformat()}"
            )[:200],
            reason=REFERRAL_REASONS[i],
            outcome_note=self.pick(REJECTIONS) if status is ReferralStatus.REJECTED else "",
        )
        self.b.add("referrals", row)
        self.b.counts["referrals"] += 1
        if done is not None:
            service_row = self.row(done, self.between(0, 5), by=staff_id)
            service_row.update(
                case_id=case_id,
                survivor_id=survivor_id,
                service=service.value,
                delivered_on=date.fromordinal(done),
                provider_institution_id=partner.id,
                goal_id=None,
                referral_id=row["id"],
                staff_user_id=staff_id,
                notes="",
            )
            self.b.add("services_delivered", service_row)


def _cum(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out: list[float] = []
    for w in weights:
        total += w
        out.append(total)
    return out
