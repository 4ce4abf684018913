"""A realistic, deterministic synthetic organization for demos and load tests.

``populate_demo`` fills a freshly initialized database (schema, settings and
the ``admin`` user already made by ``auth.initialize``) with staff, offices in
ten countries, the police stations, courts, prosecutors, child welfare
committees and shelters they work with, and ``cases`` cases, each with its
four stage tracks and their history, survivors (with their identities kept
apart), accused persons, interventions and court hearings.

Every random choice comes from one ``random.Random(seed)``, so the same seed
and ``today`` give the same content; only the time-based UUIDs and the
audit event's clock differ between two builds. Place names are real so the
data reads naturally; every person, case and story is invented.

Scale shapes the code: 100,000 cases are about four million rows, so rows
are plain dicts holding every column, written with Core ``executemany`` in
chunks of a few thousand cases (one transaction each); days are handled as
ordinals, names and texts come from pools built once, and notes are joined
from sentence templates rather than generated word by word.

The reference tables it draws from (name pools, countries, offices, staff,
text templates and weights) are in ``demo_data``; ``demo_rows`` writes the
rows.
"""

from __future__ import annotations

import random
import time
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ijmcase.domain.codes import COUNTRIES, accused_code, case_code, survivor_code
from ijmcase.domain.drafts import UserDraft, age_band_for, age_on
from ijmcase.domain.enums import (
    AccusedRole,
    AssignmentRole,
    CaseClosureReason,
    CustodyStatus,
    HearingOutcome,
    InstitutionKind,
    InterventionType,
    OfficialRole,
    PartyKind,
    PartyRole,
    Role,
    Sensitivity,
    Sex,
    Stage,
    TrackStatus,
    ViolenceType,
)
from ijmcase.domain.errors import ConflictError, NotFound
from ijmcase.persistence.audit import append_event
from ijmcase.persistence.base import new_id
from ijmcase.persistence.database import (
    SETTING_DEMO,
    SETTING_ORGANIZATION,
    Database,
    remove_failed_creation,
    set_setting,
)
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.keystore import KdfParams, Keystore
from ijmcase.persistence.models import Case, User
from ijmcase.services.auth import InitResult, hasher_for, initialize
from ijmcase.services.demo_care import CareDemo
from ijmcase.services.demo_court import add_court_records
from ijmcase.services.demo_data import (
    ACCUSED_COUNTS,
    ACCUSED_NOTES,
    ACCUSED_ROLES,
    AFTERCARE_TYPES,
    ALIASES,
    COUNTRY_DEFS,
    COURT_TIMES,
    CUSTODY,
    CUSTODY_BEFORE_TRIAL,
    CUSTODY_PHRASE,
    DEMO_LOGIN_SHARE,
    DISABILITIES,
    EARLY_CLOSURE,
    EXTRA_COUNTS,
    EXTRAS,
    HANDLES,
    HELD_NOTES,
    IDEFS,
    IN_RESCUE_OUTCOME,
    JUDGMENT_NOTES,
    NA_REASONS,
    NUMBER_WORDS,
    OFFICES,
    OUTCOMES,
    POOLS,
    REOPEN,
    RISK,
    RISK_DEFAULT,
    RISK_WEIGHTS,
    SIBLINGS,
    SOCIAL_COURT_WORK,
    STAFF,
    SUMMARY_FIRST,
    SURVIVORS,
    TITLES,
    TITLES_BY_COUNTRY,
    CountryDef,
    InstDef,
    OfficeDef,
    Pair,
    Pool,
)
from ijmcase.services.demo_field import add_field_records
from ijmcase.services.demo_rows import Row, Writer

__all__ = ["DEMO_ORGANIZATION", "DemoBuild", "DemoSummary", "create_demo_database", "populate_demo"]

DEMO_ORGANIZATION = "Demo Justice Mission (synthetic data)"

# Cases per transaction: big enough that executemany amortizes its set-up,
# small enough that a chunk's rows (about 80,000) stay a few tens of MB.
CHUNK = 2000

_V = ViolenceType
_I = InterventionType
_K = InstitutionKind
_O = OfficialRole
_S = TrackStatus
_A = AccusedRole

T = TypeVar("T")


@dataclass(frozen=True)
class DemoSummary:
    cases: int
    survivors: int
    accused: int
    officials: int
    institutions: int
    interventions: int
    hearings: int
    users: list[tuple[str, str]]  # (username, role)
    seconds: float


# ---------------------------------------------------------------------------
# Reference data built once per run.


@dataclass
class _Inst:
    id: uuid.UUID
    name: str
    kind: InstitutionKind
    officials: list[tuple[uuid.UUID, OfficialRole]] = field(default_factory=list)


@dataclass
class _District:
    office: OfficeDef
    office_id: uuid.UUID
    country: CountryDef
    name: str
    region: str
    localities: tuple[str, ...]
    tz: str
    utc_offset_min: int
    by_kind: dict[InstitutionKind, list[_Inst]] = field(default_factory=dict)

    def first(self, *kinds: InstitutionKind) -> list[_Inst]:
        for kind in kinds:
            found = self.by_kind.get(kind)
            if found:
                return found
        return []


@dataclass(frozen=True)
class _Staff:
    id: uuid.UUID
    username: str
    role: Role
    countries: tuple[str, ...]
    investigator: bool


@dataclass(frozen=True)
class _CaseStaff:
    lead_cw: _Staff
    extra_cw: _Staff | None
    lead_law: _Staff
    extra_law: _Staff | None
    investigator: _Staff | None


@dataclass
class _Plan:
    opened: int  # ordinal
    office: int
    district: int
    violence: ViolenceType
    code: str = ""


@dataclass
class _Track:
    stage: Stage
    status: TrackStatus = TrackStatus.NOT_STARTED
    started: int | None = None
    completed: int | None = None
    outcome: str = ""
    moves: list[tuple[TrackStatus, TrackStatus, int, str]] = field(default_factory=list)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORD = date(1970, 1, 1).toordinal()
_HOUR = timedelta(hours=1)


def _instant(day: int, minute: int) -> datetime:
    """An aware UTC datetime from a day ordinal and minutes past its midnight."""
    return _EPOCH + timedelta(days=day - _EPOCH_ORD, minutes=minute)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == ".")


def _cum(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out: list[float] = []
    for w in weights:
        total += w
        out.append(total)
    return out


_RISK_CUM = {v: _cum(w) for v, w in RISK_WEIGHTS.items()}
_RISK_DEFAULT_CUM = _cum(RISK_DEFAULT)
_SURVIVOR_COUNT_CUM = {v: _cum(m.counts) for v, m in SURVIVORS.items()}
_ACCUSED_COUNT_CUM = {v: _cum(c) for v, c in ACCUSED_COUNTS.items()}


class _Builder:
    """Holds the random stream, the reference data and the rows of one chunk."""

    def __init__(self, rng: random.Random, today: date, admin_id: uuid.UUID) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.admin_id = admin_id
        self.today = today.toordinal()
        # Events are dated up to yesterday, so no instant lies in the future
        # whatever the local time zone of the machine is; the hour's margin
        # leaves room to keep a track's history in order (see track_rows).
        self.last = self.today - 1
        self.latest = _instant(self.today, 0) - timedelta(hours=1)
        self.start = date(today.year - 10, 1, 1).toordinal()
        self.districts: list[list[_District]] = []
        self.caseworkers: dict[str, list[_Staff]] = {}
        self.lawyers: dict[str, list[_Staff]] = {}
        self.investigators: dict[str, list[_Staff]] = {}
        self.demo_caseworker: _Staff | None = None
        self.demo_lawyer: _Staff | None = None
        self.survivor_numbers: dict[str, int] = {}
        self.accused_numbers: dict[str, int] = {}
        self.zones: dict[str, ZoneInfo] = {}
        # Minutes east of UTC of the district being built: times are drawn
        # in local office hours.
        self.offset = 0
        self.rows: dict[str, list[Row]] = {}
        self.counts = {
            "cases": 0,
            "survivors": 0,
            "accused": 0,
            "interventions": 0,
            "hearings": 0,
            "officials": 0,
            "institutions": 0,
        }
        self._violence_cum: dict[str, tuple[list[ViolenceType], list[float]]] = {}
        for code, country in COUNTRY_DEFS.items():
            kinds = [v for v, _ in country.violence]
            self._violence_cum[code] = (kinds, _cum([w for _, w in country.violence]))
        self._aftercare_types = [t for t, _ in AFTERCARE_TYPES]
        self._aftercare_cum = _cum([w for _, w in AFTERCARE_TYPES])
        self._accused_cum = {v: _cum([w for *_, w in roles]) for v, roles in ACCUSED_ROLES.items()}
        self._closure_cum = _cum([w for *_, w in EARLY_CLOSURE])
        self.care = CareDemo(self)

    # -- small helpers ----------------------------------------------------

    def pick(self, seq: Sequence[T]) -> T:
        return seq[int(self.rnd() * len(seq))]

    def between(self, lo: int, hi: int) -> int:
        """A whole number in [lo, hi]; cheaper than randint in the hot loop."""
        return lo + int(self.rnd() * (hi - lo + 1))

    def weighted(self, cum: list[float]) -> int:
        """Index drawn by cumulative weights."""
        x = self.rnd() * cum[-1]
        for i, c in enumerate(cum):
            if x < c:
                return i
        return len(cum) - 1

    def phone(self, pattern: str) -> str:
        digits = iter(f"{self.rng.randrange(10**12):012d}")
        return "".join(next(digits) if ch == "#" else ch for ch in pattern)

    def name(self, pool: Pool, female: bool, family: Pair | None = None) -> tuple[str, str, Pair]:
        """(Latin spelling, local-script spelling or "", the family name a
        relative would share). ``family`` gives a relative's family name:
        a mother's own first surname is her child's second one in Spanish."""
        given: Pair = self.pick(pool.female if female else pool.male)
        if pool.family_female:
            # Luganda and Acholi names are personal and differ by sex.
            family = None
        families = pool.family_female if (female and pool.family_female) else pool.family
        if not families:
            return given[0], given[1], ("", "")
        fam: Pair = family or self.pick(families)
        if pool.surnames == 2:
            second: Pair = self.pick(families)
            while second == fam:
                second = self.pick(families)
            return f"{given[0]} {fam[0]} {second[0]}", "", second
        first, last = (fam, given) if pool.family_first else (given, fam)
        script = f"{first[1]} {last[1]}" if first[1] and last[1] else ""
        return f"{first[0]} {last[0]}", script, fam

    def record(self, created: datetime, updated: datetime | None = None) -> Row:
        return {
            "id": new_id(),
            "created_at": created,
            "updated_at": updated or created,
            "created_by": self.admin_id,
            "updated_by": self.admin_id,
            "version": 1,
            "deleted_at": None,
        }

    def stamp(self, day: int, lag_days: int = 0) -> datetime:
        """When something dated ``day`` was typed in: office hours, some days
        later (field staff log in batches), never after ``latest``."""
        moment = _instant(day + lag_days, 540 + int(self.rnd() * 540) - self.offset)
        return moment if moment < self.latest else self.latest

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)

    # -- reference data -----------------------------------------------------

    def build_reference(self) -> None:
        for office_def in OFFICES:
            country = COUNTRY_DEFS[office_def.country]
            tz = COUNTRIES[office_def.country].timezone
            zone = self.zones.setdefault(tz, ZoneInfo(tz))
            offset = zone.utcoffset(datetime(self.start_year(), 1, 1))
            offset_min = int(offset.total_seconds() // 60) if offset else 0
            office_row = self.record(_instant(self.start - 30, 300))
            office_row.update(
                code=office_def.code,
                name=office_def.city,
                country=office_def.country,
                timezone=tz,
            )
            self.add("offices", office_row)
            districts = [
                _District(
                    office_def,
                    office_row["id"],
                    country,
                    name,
                    region,
                    localities,
                    tz,
                    offset_min,
                )
                for name, region, localities in office_def.districts
            ]
            self.districts.append(districts)
            pool = POOLS[office_def.pool]
            for inst_def in country.institutions:
                if inst_def.scope == "office":
                    inst = self.institution(inst_def, office_def, districts[0], "", pool)
                    for district in districts:
                        district.by_kind.setdefault(inst_def.kind, []).append(inst)
                    continue
                for district in districts:
                    places = district.localities[:2] if inst_def.scope == "locality" else ("",)
                    for locality in places:
                        inst = self.institution(inst_def, office_def, district, locality, pool)
                        district.by_kind.setdefault(inst_def.kind, []).append(inst)

    def start_year(self) -> int:
        return date.fromordinal(self.start).year

    def institution(
        self,
        inst_def: InstDef,
        office_def: OfficeDef,
        district: _District,
        locality: str,
        pool: Pool,
    ) -> _Inst:
        name = inst_def.template.format(
            district=district.name, locality=locality, city=office_def.city
        )
        jurisdiction = (
            f"{office_def.city} office area"
            if inst_def.scope == "office"
            else f"{district.name}, {district.region}"
        )
        row = self.record(_instant(self.start - 30, 300))
        row.update(name=name, kind=inst_def.kind.value, country=office_def.country)
        row["jurisdiction"] = jurisdiction
        self.add("institutions", row)
        self.counts["institutions"] += 1
        inst = _Inst(row["id"], name, inst_def.kind)
        country = COUNTRY_DEFS[office_def.country]
        for role, titles, count in inst_def.officials:
            for _ in range(count):
                female = self.rnd() < 0.35
                latin = self.name(pool, female)[0]
                email = ""
                if self.rnd() < 0.4:
                    email = f"{_ascii(latin.replace(' ', '.'))}@{country.email_domain}"
                official = self.record(_instant(self.start - 30, 300))
                official.update(
                    name=latin,
                    official_role=role.value,
                    institution_id=inst.id,
                    title=self.pick(titles),
                    phone=self.phone(country.phone) if self.rnd() < 0.7 else "",
                    email=email,
                    notes="",
                )
                self.add("partner_officials", official)
                self.counts["officials"] += 1
                inst.officials.append((official["id"], role))
        return inst

    # -- the case plan ------------------------------------------------------

    def plan_cases(self, total: int) -> list[_Plan]:
        """Where and when every case opens, sorted by date so that codes
        count up with time within each (country, year)."""
        office_cum = _cum([o.weight for o in OFFICES])
        span = self.last - self.start
        plans: list[_Plan] = []
        for _ in range(total):
            office = self.weighted(office_cum)
            # Skewed to recent years: the organization has grown.
            opened = self.start + int(span * self.rnd() ** 0.6)
            district = int(self.rnd() * len(self.districts[office]))
            kinds, cum = self._violence_cum[OFFICES[office].country]
            plans.append(_Plan(opened, office, district, kinds[self.weighted(cum)]))
        plans.sort(key=lambda p: (p.opened, p.office, p.district))
        numbers: dict[tuple[str, int], int] = {}
        for plan in plans:
            country = OFFICES[plan.office].country
            year = date.fromordinal(plan.opened).year
            n = numbers.get((country, year), 0) + 1
            numbers[(country, year)] = n
            plan.code = case_code(country, year, n)
        return plans

    # -- one case -----------------------------------------------------------

    def build_case(self, plan: _Plan) -> None:
        rnd = self.rnd
        district = self.districts[plan.office][plan.district]
        office_def = district.office
        country = district.country
        cc = office_def.country
        violence = plan.violence
        opened = plan.opened
        place = self.pick(district.localities)

        self.offset = district.utc_offset_min

        tracks, closed_on, closure = self.tracks(plan)
        rescue, accountability, aftercare, _prevention = tracks

        case_created = self.stamp(opened, self.between(0, 3))
        case_row = self.record(case_created)
        case_id: uuid.UUID = case_row["id"]
        staff = self.staff_for(cc)
        titles = TITLES_BY_COUNTRY.get((cc, violence)) or TITLES[violence]
        title = self.pick(titles).format(place=place)

        # Survivors and accused first: the summary talks about them.
        survivors = self.survivors(case_id, plan, district, place)
        acc_state = accountability.status
        accused = self.accused(case_id, plan, district, acc_state)

        people = NUMBER_WORDS[min(len(survivors), 8)]
        summary = self.pick(SUMMARY_FIRST[violence]).format(
            people=people,
            People=people[0].upper() + people[1:],
            were="was" if len(survivors) == 1 else "were",
            place=place,
        )
        if accused:
            summary += f" The main accused {CUSTODY_PHRASE[accused[0][1]]}."
        if aftercare.status is _S.ACTIVE:
            summary += " Aftercare continues with regular home visits."
        elif acc_state is _S.ACTIVE and rnd() < 0.5:
            summary += " The trial is under way."

        sensitivity = Sensitivity.STANDARD
        if rnd() < (0.08 if violence in (_V.OSEC, _V.POLICE_ABUSE) else 0.04):
            sensitivity = Sensitivity.RESTRICTED
        risk_cum = _RISK_CUM.get(violence, _RISK_DEFAULT_CUM)
        case_row.update(
            code=plan.code,
            title=title[:200],
            violence_type=violence.value,
            country=cc,
            jurisdiction=f"{district.name}, {district.region}",
            office_id=district.office_id,
            opened_on=date.fromordinal(opened),
            closed_on=date.fromordinal(closed_on) if closed_on is not None else None,
            closure_reason=closure.value if closure is not None else None,
            risk_level=RISK[self.weighted(risk_cum)].value,
            sensitivity=sensitivity.value,
            lead_caseworker_id=staff.lead_cw.id,
            lead_lawyer_id=staff.lead_law.id,
            summary=summary,
        )
        self.add("cases", case_row)
        self.counts["cases"] += 1

        for member, role in (
            (staff.lead_cw, AssignmentRole.LEAD_CASEWORKER),
            (staff.lead_law, AssignmentRole.LEAD_LAWYER),
            (staff.extra_cw, AssignmentRole.CASEWORKER),
            (staff.extra_law, AssignmentRole.LAWYER),
            (staff.investigator, AssignmentRole.INVESTIGATOR),
        ):
            if member is not None:
                row = self.record(self.stamp(opened, self.between(0, 5)))
                row.update(case_id=case_id, user_id=member.id, role_on_case=role.value)
                self.add("case_assignments", row)

        last_event = opened
        for track in tracks:
            last_event = max(last_event, self.track_rows(case_id, track, case_created))
        if closed_on is not None:
            last_event = max(last_event, closed_on)

        # The officials in the case, and the court where it is heard.
        police = district.first(_K.POLICE_STATION)
        if violence is _V.OSEC:
            units = district.first(_K.CYBERCRIME_UNIT) + district.first(_K.AHTU) + police
        elif violence is _V.SEX_TRAFFICKING:
            units = district.first(_K.AHTU) + police
        else:
            units = police
        court = self.pick(district.first(_K.COURT))
        shelters = district.first(_K.SHELTER)
        hospitals = district.first(_K.HEALTH_FACILITY)
        ctx = {
            "s": "",
            "place": place,
            "district": district.name,
            "office": office_def.city,
            "shelter": self.pick(shelters).name if shelters else "the shelter",
            "health": self.pick(hospitals).name if hospitals else "the hospital",
            "court": court.name,
            "police": self.pick(police).name,
            "placing": country.placing,
            "compensation": country.compensation,
            "id_docs": country.id_docs,
            "home": "",
        }
        if rescue.started is not None or accountability.started is not None:
            self.official_party(
                case_id, units, (_O.INVESTIGATING_OFFICER,), PartyRole.INVESTIGATING_OFFICER, opened
            )

        hearing_days: list[int] = []
        if accountability.started is not None and accused:
            hearing_days = self.hearings(case_id, district, court, accountability, accused, opened)
            if hearing_days:
                self.official_party(
                    case_id,
                    district.first(_K.PROSECUTION),
                    (_O.PROSECUTOR,),
                    PartyRole.PROSECUTOR,
                    accountability.started,
                )
                self.official_party(
                    case_id, [court], (_O.JUDGE, _O.MAGISTRATE), PartyRole.JUDGE, hearing_days[0]
                )
        add_court_records(self, case_id, plan, district, court, tracks, accused, survivors, staff)
        if cc == "IN" and rescue.started is not None and any(s[2] for s in survivors):
            self.official_party(
                case_id, district.first(_K.CWC), (_O.CWC_MEMBER,), PartyRole.WELFARE_OFFICER, opened
            )

        last_event = max(
            last_event,
            self.interventions(
                case_id, plan, tracks, survivors, staff, ctx, hearing_days, closed_on is not None
            ),
        )
        case_row["updated_at"] = max(case_created, self.stamp(min(last_event, self.last)))
        self.care.case(plan, case_row, tracks, survivors, staff, district)
        add_field_records(self, plan, case_id, tracks, survivors, closed_on is not None)

    def staff_for(self, country: str) -> _CaseStaff:
        rnd = self.rnd
        assert self.demo_caseworker is not None and self.demo_lawyer is not None
        local_cw: _Staff = self.pick(self.caseworkers[country])
        lead_cw, extra_cw = local_cw, None
        if rnd() < DEMO_LOGIN_SHARE:
            if rnd() < 0.7:
                lead_cw = self.demo_caseworker
            else:
                extra_cw = self.demo_caseworker
        else:
            others = [s for s in self.caseworkers[country] if s is not local_cw]
            if others and rnd() < 0.15:
                extra_cw = self.pick(others)
        lead_law: _Staff = self.pick(self.lawyers[country])
        extra_law = None
        if rnd() < DEMO_LOGIN_SHARE:
            if rnd() < 0.7:
                lead_law = self.demo_lawyer
            else:
                extra_law = self.demo_lawyer
        investigator = None
        pool = self.investigators.get(country)
        if pool and rnd() < 0.35:
            investigator = self.pick(pool)
        return _CaseStaff(lead_cw, extra_cw, lead_law, extra_law, investigator)

    def official_party(
        self,
        case_id: uuid.UUID,
        institutions: list[_Inst],
        roles: tuple[OfficialRole, ...],
        party_role: PartyRole,
        day: int,
    ) -> None:
        """Link an official of a fitting role. ``institutions`` come in order
        of preference by kind (a cybercrime unit before a police station)."""
        candidates = [i for i in institutions if any(r in roles for _, r in i.officials)]
        if not candidates:
            return
        kind = candidates[0].kind
        inst = self.pick([i for i in candidates if i.kind is kind])
        fitting = [o for o, r in inst.officials if r in roles]
        row = self.record(self.stamp(min(day, self.last), self.between(0, 7)))
        row.update(
            case_id=case_id,
            kind=PartyKind.OFFICIAL.value,
            role=party_role.value,
            survivor_id=None,
            accused_id=None,
            official_id=self.pick(fitting),
            notes="",
        )
        self.add("case_parties", row)

    # -- stage tracks -------------------------------------------------------

    def tracks(self, plan: _Plan) -> tuple[list[_Track], int | None, CaseClosureReason | None]:
        """The four tracks as of today, the closing day and reason if closed."""
        rnd = self.rnd
        last = self.last
        opened = plan.opened
        violence = plan.violence
        lognorm = self.rng.lognormvariate

        # Each track is either not applicable from a day, or runs from a start
        # to an end (None: still open) and may be reopened after it ended.
        specs: list[tuple[str, int, int | None, int | None]] = []  # kind, day, end, reopen
        no_rescue = (violence is _V.PROPERTY_GRABBING and rnd() < 0.75) or (
            violence in (_V.POLICE_ABUSE, _V.ILLEGAL_DETENTION) and rnd() < 0.4
        )
        if no_rescue:
            specs.append(("na", opened, None, None))
            care_from = opened + self.between(0, 30)
        else:
            specs.append(("run", opened, opened + 1 + int(self.rng.expovariate(1 / 20)), None))
            care_from = opened + self.between(0, 14)
        if rnd() < 0.10:
            specs.append(("na", opened + self.between(0, 60), None, None))
        else:
            start = opened + self.between(0, 30)
            duration = int(365 * 2.5 * lognorm(0, 0.6))
            end = start + min(max(duration, 60), 3650)
            reopen = end + self.between(30, 120) if rnd() < 0.06 else None
            specs.append(("run", start, end, reopen))
        if rnd() < (0.5 if violence in (_V.POLICE_ABUSE, _V.ILLEGAL_DETENTION) else 0.05):
            specs.append(("na", care_from, None, None))
        else:
            duration = int(365 * 2 * lognorm(0, 0.4))
            end = care_from + min(max(duration, 120), 2200)
            reopen = end + self.between(60, 400) if rnd() < 0.02 else None
            specs.append(("run", care_from, end, reopen))
        r = rnd()
        if r < 0.45:
            specs.append(("na", opened + self.between(0, 90), None, None))
        elif r < 0.80:
            specs.append(("wait", opened, None, None))
        else:
            start = opened + self.between(30, 700)
            specs.append(("run", start, start + self.between(90, 900), None))

        early: tuple[CaseClosureReason, str] | None = None
        horizon = last
        if rnd() < 0.05 and last - opened > 60:
            horizon = opened + self.between(30, last - opened)
            reason, text, _ = EARLY_CLOSURE[self.weighted(self._closure_cum)]
            early = (reason, text)

        tracks: list[_Track] = []
        for stage, (kind, day, until, reopen) in zip(Stage, specs, strict=True):
            track = _Track(stage)
            tracks.append(track)
            if kind == "wait":
                continue
            if kind == "na":
                day = min(day, horizon)
                track.status = _S.NOT_APPLICABLE
                track.moves.append(
                    (_S.NOT_STARTED, _S.NOT_APPLICABLE, day, self.pick(NA_REASONS[stage]))
                )
                continue
            if day > horizon:
                continue
            track.status = _S.ACTIVE
            track.started = day
            track.moves.append((_S.NOT_STARTED, _S.ACTIVE, day, ""))
            if until is None or until > horizon:
                continue
            track.status = _S.COMPLETED
            track.completed = until
            track.outcome = self.track_outcome(stage, plan)
            track.moves.append((_S.ACTIVE, _S.COMPLETED, until, track.outcome))
            if reopen is not None and reopen <= horizon and early is None:
                track.status = _S.ACTIVE
                track.completed = None
                track.moves.append((_S.COMPLETED, _S.ACTIVE, reopen, self.pick(REOPEN[stage])))

        if early is not None:
            reason, text = early
            for track in tracks:
                if track.status in (_S.ACTIVE, _S.NOT_STARTED):
                    track.moves.append((track.status, _S.NOT_APPLICABLE, horizon, text))
                    track.status = _S.NOT_APPLICABLE
            return tracks, horizon, reason

        if any(t.status is _S.ACTIVE for t in tracks):
            return tracks, None, None
        if any(t.status is _S.NOT_STARTED for t in tracks[:3]):
            return tracks, None, None
        ends = [t.completed for t in tracks if t.completed is not None]
        ends += [m[2] for t in tracks for m in t.moves]
        closed = max(ends) + self.between(0, 60)
        if closed > last:
            return tracks, None, None
        for track in tracks:
            if track.status is _S.NOT_STARTED:
                track.moves.append(
                    (_S.NOT_STARTED, _S.NOT_APPLICABLE, closed, "No structural work planned.")
                )
                track.status = _S.NOT_APPLICABLE
        return tracks, closed, CaseClosureReason.ALL_TRACKS_COMPLETED

    def track_outcome(self, stage: Stage, plan: _Plan) -> str:
        if stage is Stage.ACCOUNTABILITY:
            r = self.rnd()
            if r < 0.55:
                years = self.pick((3, 5, 7, 7, 10, 10, 14, 20))
                return f"Convicted: the accused sentenced to {years} years' imprisonment."
            if r < 0.65:
                return f"Guilty plea: the accused sentenced to {self.between(2, 8)} years."
            if r < 0.90:
                return "Acquitted: the court found the evidence insufficient."
            return "Dismissed: the prosecution did not produce its witnesses."
        if (
            stage is Stage.RESCUE
            and plan.violence is _V.FORCED_LABOUR
            and OFFICES[plan.office].country == "IN"
        ):
            return IN_RESCUE_OUTCOME
        return self.pick(OUTCOMES[stage])

    def track_rows(self, case_id: uuid.UUID, track: _Track, created: datetime) -> int:
        """Write a track and its moves; returns the day of its last move.
        Tracks are made with their case, as the case service does."""
        last_day = track.moves[-1][2] if track.moves else None
        updated = max(created, self.stamp(last_day)) if last_day is not None else None
        row = self.record(created, updated)
        row.update(
            case_id=case_id,
            stage=track.stage.value,
            status=track.status.value,
            started_on=date.fromordinal(track.started) if track.started is not None else None,
            completed_on=(
                date.fromordinal(track.completed) if track.completed is not None else None
            ),
            outcome_note=track.outcome,
        )
        self.add("stage_tracks", row)
        recorded = created
        for source, target, day, reason in track.moves:
            # The history is read in the order it was recorded.
            moment = self.stamp(day, self.between(0, 10))
            recorded = moment if moment > recorded else recorded + timedelta(minutes=1)
            move = self.record(recorded)
            move.update(
                case_id=case_id,
                track_id=row["id"],
                stage=track.stage.value,
                from_status=source.value,
                to_status=target.value,
                effective_on=date.fromordinal(day),
                recorded_at=recorded,
                reason=reason,
            )
            self.add("stage_transitions", move)
        return last_day or 0

    # -- people -------------------------------------------------------------

    def survivors(
        self, case_id: uuid.UUID, plan: _Plan, district: _District, place: str
    ) -> list[tuple[uuid.UUID, str, bool, str]]:
        """Rows for the survivors; returns (id, code, minor, home country)."""
        rnd = self.rnd
        violence = plan.violence
        mix = SURVIVORS[violence]
        office_def = district.office
        country = district.country
        cc = office_def.country
        count = 1 + self.weighted(_SURVIVOR_COUNT_CUM[violence])
        pool_key, nationality, languages, home = (
            office_def.pool,
            country.nationality,
            office_def.languages,
            "",
        )
        for migrant in office_def.migrants:
            if violence in migrant.violence and rnd() < migrant.share:
                pool_key, nationality = migrant.pool, migrant.nationality
                languages, home = migrant.languages, migrant.home
                break
        pool = POOLS[pool_key]
        opened = plan.opened
        opened_date = date.fromordinal(opened)
        widow = ""
        widow_family: Pair | None = None
        found: list[tuple[uuid.UUID, str, bool, str]] = []
        for i in range(count):
            if violence is _V.PROPERTY_GRABBING:
                female = i == 0 or rnd() < 0.5
                minor = i > 0
            else:
                female = rnd() < mix.female
                minor = rnd() < mix.minor
            lo, hi = mix.minor_ages if minor else mix.adult_ages
            age_years = self.between(lo, hi)
            birth = opened - int(age_years * 365.25) - int(rnd() * 365)
            birth_date = date.fromordinal(birth)
            age = age_on(birth_date, opened_date)
            number = self.survivor_numbers.get(cc, 0) + 1
            self.survivor_numbers[cc] = number
            code = survivor_code(cc, number)
            created = self.stamp(opened, self.between(0, 3))
            row = self.record(created)
            disability = self.pick(DISABILITIES) if rnd() < 0.03 else ""
            row.update(
                code=code,
                country=cc,
                alias="",
                sex=(Sex.FEMALE if female else Sex.MALE).value,
                age_at_intake=age,
                age_band=age_band_for(age).value,
                minor_at_rescue=age < 18,
                nationality=nationality,
                languages=languages,
                disability=disability,
                has_guardian=age < 18 and rnd() < 0.8,
            )
            self.add("survivors", row)
            self.counts["survivors"] += 1
            # A widow's children carry her family name, as do siblings found
            # together in family-run OSEC and at brick kilns.
            related = i > 0 and rnd() < SIBLINGS.get(violence, 0.0)
            latin, script, family = self.name(pool, female, widow_family if related else None)
            if i == 0:
                widow, widow_family = latin, family
            legal, other = latin, ""
            if script and rnd() < pool.script_share:
                legal, other = script, latin
            guardian = ""
            guardian_contact = ""
            if row["has_guardian"]:
                # The widow is her children's guardian; otherwise usually the mother.
                if i > 0 and violence is _V.PROPERTY_GRABBING:
                    guardian = widow
                else:
                    guardian = latin
                    while guardian == latin:
                        guardian = self.name(pool, True, family)[0]
                guardian_contact = self.phone(country.phone)
            ident = self.record(created)
            ident.update(
                survivor_id=row["id"],
                legal_name=legal,
                other_names=other,
                date_of_birth=birth_date if rnd() < 0.85 else None,
                phone=self.phone(country.phone) if age >= 16 and rnd() < 0.6 else "",
                address=country.address.format(
                    n=self.between(1, 300),
                    m=self.between(1, 20),
                    p=self.between(1, 12),
                    locality=place,
                    district=district.name,
                    region=district.region,
                ),
                contact_notes="Call the caregiver first." if row["has_guardian"] else "",
                photo_ref="",
                guardian_name=guardian,
                guardian_contact=guardian_contact,
            )
            self.add("survivor_identities", ident)
            party = self.record(created)
            party.update(
                case_id=case_id,
                kind=PartyKind.SURVIVOR.value,
                role=PartyRole.VICTIM.value,
                survivor_id=row["id"],
                accused_id=None,
                official_id=None,
                notes="",
            )
            self.add("case_parties", party)
            found.append((row["id"], code, age < 18, home))
        return found

    def accused(
        self,
        case_id: uuid.UUID,
        plan: _Plan,
        district: _District,
        accountability: TrackStatus,
    ) -> list[tuple[uuid.UUID, CustodyStatus]]:
        rnd = self.rnd
        violence = plan.violence
        cc = district.office.country
        count = self.weighted(_ACCUSED_COUNT_CUM[violence])
        roles = ACCUSED_ROLES[violence]
        pool = POOLS[district.office.pool]
        found: list[tuple[uuid.UUID, CustodyStatus]] = []
        for _ in range(count):
            role, relationship, female_share, _w = roles[self.weighted(self._accused_cum[violence])]
            female = rnd() < female_share
            alias = ""
            if role is _A.CUSTOMER and violence is _V.OSEC:
                if rnd() < 0.5:
                    name = "Unidentified online customer"
                    alias = f'user "{self.pick(HANDLES)}{self.between(10, 99)}"'
                else:
                    name = self.name(POOLS["west"], female)[0]
            else:
                name = self.name(pool, female)[0]
                if rnd() < 0.15:
                    alias = self.pick(ALIASES)
            custody = self.custody(accountability)
            number = self.accused_numbers.get(cc, 0) + 1
            self.accused_numbers[cc] = number
            created = self.stamp(plan.opened, self.between(0, 10))
            row = self.record(created)
            row.update(
                code=accused_code(cc, number),
                name=name,
                alias=alias,
                country=cc,
                sex=(Sex.FEMALE if female else Sex.MALE).value,
                age=self.between(20, 65) if rnd() < 0.85 else None,
                role_in_crime=role.value,
                relationship_to_victim=relationship,
                custody_status=custody.value,
                notes=self.pick(ACCUSED_NOTES) if rnd() < 0.3 else "",
            )
            self.add("accused", row)
            self.counts["accused"] += 1
            party = self.record(created)
            party.update(
                case_id=case_id,
                kind=PartyKind.ACCUSED.value,
                role=PartyRole.ACCUSED.value,
                survivor_id=None,
                accused_id=row["id"],
                official_id=None,
                notes="",
            )
            self.add("case_parties", party)
            found.append((row["id"], custody))
        return found

    def custody(self, accountability: TrackStatus) -> CustodyStatus:
        table, fallback = CUSTODY.get(accountability, CUSTODY_BEFORE_TRIAL)
        r = self.rnd()
        for status, bound in table:
            if r < bound:
                return status
        return fallback

    # -- hearings -----------------------------------------------------------

    def hearings(
        self,
        case_id: uuid.UUID,
        district: _District,
        court: _Inst,
        track: _Track,
        accused: list[tuple[uuid.UUID, CustodyStatus]],
        opened: int,
    ) -> list[int]:
        """Rows for the hearings; returns the days of the past ones.

        A trial that ended closes with the judgment on the day the track was
        completed (an appeal reopening it is heard elsewhere); an open trial
        usually has its next date set; a case closed early just stops."""
        rnd = self.rnd
        last = self.last
        assert track.started is not None
        judgment = next((m[2] for m in track.moves if m[1] is _S.COMPLETED), None)
        stopped = next((m[2] for m in track.moves if m[1] is _S.NOT_APPLICABLE), None)
        first = track.started + self.between(45, 300)
        upcoming = False
        if judgment is not None:
            if judgment - track.started < 60:
                return []
            first = min(first, judgment - self.between(20, 45))
            last_day = judgment
        elif track.status is _S.ACTIVE:
            upcoming = rnd() < 0.75
            last_day = last + self.between(3, 60) if upcoming else last - self.between(0, 45)
        elif stopped is not None:
            last_day = stopped
        else:
            return []
        if first > last_day:
            if not upcoming or first > last + 60:
                return []
            first = last_day
        completed = judgment is not None
        # Walk back from the judgment (or the next date) in the gaps courts
        # leave between hearings; only the last one may lie in the future.
        days = [last_day]
        day = last_day
        for _ in range(self.between(1, 7)):
            day = min(day - self.between(14, 100), last)
            if day < first:
                break
            days.append(day)
        ordered: list[int] = []
        for day in reversed(days):
            weekday = (day - 1) % 7  # 0 = Monday
            if weekday >= 5:
                # Courts sit on weekdays: past dates move back, future ones forward.
                day = day + (7 - weekday) if day > last else day - (weekday - 4)
            if not ordered or day > ordered[-1]:
                ordered.append(day)
        country = district.country
        zone = self.zones[district.tz]
        courtroom = country.courtroom.format(self.between(1, 12))
        hh, mm = self.pick(COURT_TIMES)
        purposes = country.purposes
        started = track.started
        trial_span = max(1, last_day - started)
        step = 0
        moved_on = True
        previous: Row | None = None
        past: list[int] = []
        for index, day in enumerate(ordered):
            is_last = index == len(ordered) - 1
            future = day > last
            d = date.fromordinal(day)
            if rnd() < 0.3:
                hh, mm = self.pick(COURT_TIMES)
            scheduled = datetime(d.year, d.month, d.day, hh, mm, tzinfo=zone).astimezone(UTC)
            outcome: HearingOutcome | None = None
            reason = ""
            notes = ""
            # The trial moves on only when a hearing is held; an adjourned
            # one is taken up again with the same purpose.
            if moved_on:
                at = (day - started) * len(purposes) // trial_span
                step = max(step, min(at, len(purposes) - 1))
            purpose = purposes[step]
            moved_on = True
            if future:
                pass
            elif is_last and completed:
                purpose = country.judgment
                outcome = HearingOutcome.HELD
                notes = self.pick(JUDGMENT_NOTES.get(track.outcome[:6], ("",)))
            elif is_last:
                outcome = HearingOutcome.HELD
                notes = self.pick(("Judgment reserved.", "Next date to be fixed by the court."))
            else:
                r = rnd()
                # About 40% of all past hearings adjourn, counting the final
                # ones that are always held.
                if r < 0.47:
                    outcome = HearingOutcome.ADJOURNED
                    reason = self.pick(country.adjournments)
                    moved_on = False
                elif r < 0.50:
                    outcome = HearingOutcome.VACATED
                    reason = "Court holiday declared"
                    moved_on = False
                else:
                    outcome = HearingOutcome.HELD
                    notes = self.pick(HELD_NOTES)
            created_day = ordered[index - 1] if index else max(opened, day - self.between(14, 40))
            row = self.record(
                self.stamp(min(created_day, last)),
                self.stamp(min(day, last), self.between(0, 3)) if not future else None,
            )
            row.update(
                case_id=case_id,
                accused_id=accused[0][0] if rnd() < 0.5 else None,
                court_id=court.id,
                court_name=court.name,
                courtroom=courtroom,
                scheduled_at=scheduled,
                timezone=district.tz,
                purpose=purpose,
                outcome=outcome.value if outcome else None,
                adjournment_reason=reason,
                next_date=None,
                previous_hearing_id=previous["id"] if previous else None,
                notes=notes,
            )
            if previous is not None:
                previous["next_date"] = d
            self.add("hearings", row)
            self.counts["hearings"] += 1
            previous = row
            if not future:
                past.append(day)
        return past

    # -- interventions --------------------------------------------------------

    def interventions(
        self,
        case_id: uuid.UUID,
        plan: _Plan,
        tracks: list[_Track],
        survivors: list[tuple[uuid.UUID, str, bool, str]],
        staff: _CaseStaff,
        ctx: dict[str, str],
        hearing_days: list[int],
        closed: bool,
    ) -> int:
        """Rows for the interventions; returns the day of the latest one."""
        rnd = self.rnd
        between = self.between
        last = self.last
        violence = plan.violence
        rescue, accountability, aftercare, prevention = tracks
        any_minor = any(s[2] for s in survivors)
        planned: list[tuple[InterventionType, Stage, int, int]] = []  # type, stage, day, who

        def span(track: _Track) -> tuple[int, int] | None:
            if track.started is None:
                return None
            end = track.completed
            if end is None:
                moves_end = [m[2] for m in track.moves if m[1] is _S.NOT_APPLICABLE]
                end = moves_end[0] if moves_end else last
            return track.started, min(end, last)

        n_surv = len(survivors)
        r_span = span(rescue)
        if r_span is not None:
            s0, s1 = r_span
            for i in range(min(n_surv, 3)):
                planned.append((_I.INTAKE_INTERVIEW, Stage.RESCUE, min(s0 + between(0, 2), s1), i))
            extras = (
                (_I.MEDICAL, 0.6),
                (
                    _I.FORENSIC_EXAM,
                    0.8
                    if violence is _V.SEXUAL_VIOLENCE
                    else 0.4
                    if violence in (_V.SEX_TRAFFICKING, _V.OSEC)
                    else 0.0,
                ),
                (
                    _I.SHELTER_PLACEMENT,
                    0.7 if violence in (_V.SEX_TRAFFICKING, _V.OSEC) else 0.15,
                ),
                (_I.FAMILY_TRACING, 0.25 if any_minor else 0.05),
                (_I.SAFETY_PLANNING, 0.3),
                (_I.IDENTITY_DOCUMENTS, 0.3 if violence is _V.FORCED_LABOUR else 0.0),
            )
            for itype, p in extras:
                if rnd() < p:
                    planned.append(
                        (itype, Stage.RESCUE, min(s0 + between(0, 7), s1), between(0, n_surv - 1))
                    )
            for i, s in enumerate(survivors):
                if s[3] and rnd() < 0.7:
                    day = min(s0 + between(20, 120), s1)
                    planned.append((_I.REPATRIATION, Stage.RESCUE, day, i))
        a_span = span(accountability)
        if a_span is not None:
            s0, s1 = a_span
            for _ in range(1 + (rnd() < 0.4)):
                day = between(s0, min(s0 + 60, s1))
                planned.append((_I.LEGAL_AID, Stage.ACCOUNTABILITY, day, between(0, n_surv - 1)))
            if hearing_days:
                witness = between(0, n_surv - 1)
                if rnd() < 0.6:
                    day = self.pick(hearing_days)
                    planned.append(
                        (_I.COURT_PREPARATION, Stage.ACCOUNTABILITY, max(s0, day - 3), witness)
                    )
                    planned.append((_I.TESTIMONY, Stage.ACCOUNTABILITY, day, witness))
                for day in hearing_days:
                    if rnd() < 0.2:
                        planned.append((_I.COURT_ACCOMPANIMENT, Stage.ACCOUNTABILITY, day, witness))
            if rnd() < 0.3:
                planned.append(
                    (
                        _I.COMPENSATION_APPLICATION,
                        Stage.ACCOUNTABILITY,
                        between(s0, s1),
                        between(0, n_surv - 1),
                    )
                )
        c_span = span(aftercare)
        if c_span is not None:
            s0, s1 = c_span
            # Roughly one contact a quarter, more at first (capped).
            k = min(10, 1 + int((s1 - s0) / 180 * (0.6 + rnd() * 0.8)))
            for _ in range(k):
                itype = self._aftercare_types[self.weighted(self._aftercare_cum)]
                who = between(0, n_surv - 1)
                minor = survivors[who][2]
                if itype is _I.SCHOOL_ENROLMENT and not minor:
                    itype = _I.LIVELIHOOD_TRAINING
                elif itype is _I.LIVELIHOOD_TRAINING and minor:
                    itype = _I.SCHOOL_ENROLMENT
                planned.append((itype, Stage.AFTERCARE, between(s0, s1), who))
        p_span = span(prevention)
        if p_span is not None and rnd() < 0.6:
            s0, s1 = p_span
            planned.append((_I.OTHER, Stage.PREVENTION, between(s0, s1), -1))

        planned.sort(key=lambda p: p[2])
        latest = 0
        rows = self.rows.setdefault("interventions", [])
        for itype, stage, day, who in planned:
            day = min(day, last)
            latest = max(latest, day)
            idef = IDEFS[itype]
            if who >= 0:
                survivor_id: uuid.UUID | None = survivors[who][0]
                ctx["s"] = survivors[who][1]
                ctx["home"] = survivors[who][3] or "the home country"
            else:
                survivor_id = None
            # Lawyers log the legal work; caseworkers prepare and accompany
            # survivors; investigators often do the first interview.
            if stage is Stage.ACCOUNTABILITY and itype not in SOCIAL_COURT_WORK:
                who_staff = staff.lead_law
                if staff.extra_law is not None and rnd() < 0.4:
                    who_staff = staff.extra_law
            elif itype is _I.INTAKE_INTERVIEW and staff.investigator is not None and rnd() < 0.5:
                who_staff = staff.investigator
            elif staff.extra_cw is not None and rnd() < 0.4:
                who_staff = staff.extra_cw
            else:
                who_staff = staff.lead_cw
            sentences = [self.pick(idef.openings)]
            more = self.pick(EXTRA_COUNTS)
            if more:
                sentences.extend(self.rng.sample(EXTRAS[stage], min(more, len(EXTRAS[stage]))))
            notes = " ".join(sentences).format_map(ctx)
            local_minute = 480 + int(rnd() * 570)  # 08:00 to 17:30 local
            occurred = _instant(day, local_minute - self.offset)
            follow_up = None
            # Open follow-ups cluster in recent work; a few old ones stay overdue.
            if not closed and rnd() < (0.35 if day >= last - 90 else 0.01):
                follow_up = date.fromordinal(day + between(7, 45))
            # Logged after it happened, often days later in a batch.
            created = min(max(self.stamp(day, between(0, 14)), occurred + _HOUR), self.latest)
            row = self.record(created)
            lo, hi = idef.minutes
            row.update(
                case_id=case_id,
                survivor_id=survivor_id,
                type=itype.value,
                stage=stage.value,
                occurred_at=occurred,
                duration_minutes=between(lo, hi) // 5 * 5 or 5,
                staff_user_id=who_staff.id,
                location=self.pick(idef.locations).format_map(ctx)[:200],
                outcome=self.pick(idef.outcomes).format_map(ctx),
                notes=notes,
                follow_up_on=follow_up,
                supersedes_id=None,
            )
            rows.append(row)
            self.counts["interventions"] += 1
            if rnd() < 0.02:
                # A correction is a new row naming the one it replaces.
                fix = dict(row)
                fix.update(self.record(min(created + timedelta(days=between(1, 20)), self.latest)))
                fix["supersedes_id"] = row["id"]
                if rnd() < 0.5:
                    fix["duration_minutes"] = row["duration_minutes"] + 5 * between(1, 12)
                    fix["notes"] = notes + " (Correction: the duration was recorded wrongly.)"
                else:
                    fix["outcome"] = self.pick(idef.outcomes).format_map(ctx)
                    fix["notes"] = notes + " (Correction: outcome updated after a team review.)"
                rows.append(fix)
                self.counts["interventions"] += 1
        return latest


def populate_demo(
    db: Database,
    *,
    cases: int,
    seed: int,
    password: str,
    admin_id: uuid.UUID,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Fill an initialized, empty database with a synthetic organization.

    ``admin_id`` is the admin made by ``auth.initialize``; every other staff
    account is made here with ``password``. ``today`` fixes the calendar
    (default: the real today); with the same ``seed`` and ``today`` the
    content is the same on every run. Each chunk of cases is committed on
    its own, so a failure part-way leaves a partial demo: the caller, which
    made the database for it, should remove it.
    """
    began = time.perf_counter()
    today = today or date.today()
    rng = random.Random(seed)
    builder = _Builder(rng, today, admin_id)

    password_hash = hasher_for(db.kdf).hash(password)
    users: list[tuple[str, str]] = []
    user_rows: list[Row] = []
    joined = _instant(builder.start - 60, 300)
    for username, display, role, countries, investigator in STAFF:
        row = builder.record(joined)
        row.update(
            username=username,
            display_name=display,
            role=role.value,
            active=True,
            password_hash=password_hash,
            last_login_at=None,
            failed_logins=0,
            locked_until=None,
        )
        user_rows.append(row)
        users.append((username, role.value))
        member = _Staff(row["id"], username, role, countries, investigator)
        if username == "caseworker":
            builder.demo_caseworker = member
        elif username == "lawyer":
            builder.demo_lawyer = member
        elif investigator:
            for c in countries:
                builder.investigators.setdefault(c, []).append(member)
        elif role is Role.CASEWORKER:
            for c in countries:
                builder.caseworkers.setdefault(c, []).append(member)
        elif role is Role.LAWYER:
            for c in countries:
                builder.lawyers.setdefault(c, []).append(member)

    builder.build_reference()
    builder.care.reference(user_rows)
    with db.transaction() as session:
        admin = session.get(User, admin_id)
        if admin is None:
            raise NotFound("The admin given to the demo builder does not exist.")
        if session.scalar(select(func.count()).select_from(User)) != 1 or session.scalar(
            select(func.count()).select_from(Case)
        ):
            raise ConflictError(
                "A demo organization can only be built in a new, empty database.",
                code="not_empty",
            )
        admin_name = admin.username
        users.insert(0, (admin_name, admin.role.value))
        set_setting(session, SETTING_DEMO, True, by=admin_id)
        set_setting(session, SETTING_ORGANIZATION, DEMO_ORGANIZATION, by=admin_id)
        writer = Writer(session.get_bind().dialect)
        writer.flush(session, {"users": user_rows, **builder.rows})
    builder.rows.clear()

    plans = builder.plan_cases(cases)
    done = 0
    for begin in range(0, len(plans), CHUNK):
        for plan in plans[begin : begin + CHUNK]:
            builder.build_case(plan)
        with db.transaction() as session:
            writer.flush(session, builder.rows)
        done = min(begin + CHUNK, len(plans))
        if progress is not None:
            progress(done, len(plans))

    counts = dict(builder.counts)
    with db.transaction() as session:
        append_event(
            session,
            actor_id=admin_id,
            actor_name=admin_name,
            action="demo.generate",
            entity_type="database",
            details={**counts, "users": len(users), "seed": seed, "today": today.isoformat()},
        )

    if db.keystore is not None and db.key is not None:
        secret = password.encode()
        for username, *_ in STAFF:
            db.keystore.wrap(Keystore.user_slot(username), secret, db.key, db.kdf)
        db.keystore.save()

    return DemoSummary(
        cases=counts["cases"],
        survivors=counts["survivors"],
        accused=counts["accused"],
        officials=counts["officials"],
        institutions=counts["institutions"],
        interventions=counts["interventions"],
        hearings=counts["hearings"],
        users=users,
        seconds=time.perf_counter() - began,
    )


@dataclass(frozen=True)
class DemoBuild:
    init: InitResult
    summary: DemoSummary


def create_demo_database(
    location: DatabaseLocation,
    *,
    cases: int,
    password: str,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    kdf: KdfParams | None = None,
    today: date | None = None,
) -> DemoBuild:
    """Create a new database at ``location`` and fill it with a synthetic
    organization (the command line's ``demo`` and the first-run dialog).

    Nothing half-made is left behind: if building fails or is cancelled
    (``progress`` may raise), the new database is removed. The database stays
    open in the result; the caller disposes of it.
    """
    init = initialize(
        location,
        UserDraft("admin", "Demo Admin", Role.ADMIN, password),
        organization=DEMO_ORGANIZATION,
        demo=True,
        kdf=kdf,
    )
    try:
        summary = populate_demo(
            init.db,
            cases=cases,
            seed=seed,
            password=password,
            admin_id=init.actor.user_id,
            progress=progress,
            today=today,
        )
    except BaseException:
        remove_failed_creation(init.db)
        raise
    return DemoBuild(init, summary)
