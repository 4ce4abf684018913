"""Hearings: scheduling a court date, recording what happened at it, and
counting adjournments per case and per court.

A hearing's time is kept as the UTC instant plus the court's IANA zone, so
it reads 10:00 in Manila on any laptop. Scheduling checks the dates with
``proceedings.check_hearing_dates`` (not before the proceeding's first
charge); recording the outcome (held, adjourned with a reason, vacated)
checks that the next date is not before the hearing, and the next date
creates the next hearing, linked to this one, with the same court, judge,
accused and attending staff.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, insert, select
from sqlalchemy.orm import Session

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.court_drafts import HearingDraft, HearingResult
from ijmcase.domain.enums import (
    HearingOutcome,
    InstitutionKind,
    OfficialRole,
    PartyKind,
    Role,
)
from ijmcase.domain.errors import ConflictError, NotFound, RuleViolation, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.domain.proceedings import first_charge_date
from ijmcase.persistence.models import (
    Case,
    CaseParty,
    Hearing,
    Institution,
    PartnerOfficial,
    Proceeding,
    ProtectionMeasure,
    User,
    hearing_staff,
)
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.court_access import CourtAccess
from ijmcase.services.court_views import AdjournmentCount, HearingRow, hearing_rows, local_time

__all__ = ["HearingService", "RecordedHearing"]

_CHANGES = ("hearings", "calendar")
_BENCH = (OfficialRole.JUDGE, OfficialRole.MAGISTRATE)
# Hearings with an outcome: all, held, adjourned, vacated.
_COUNTS = (
    func.count(Hearing.id),
    *(
        func.sum(case((Hearing.outcome == outcome, 1), else_=0))
        for outcome in (HearingOutcome.HELD, HearingOutcome.ADJOURNED, HearingOutcome.VACATED)
    ),
)


@dataclass(frozen=True)
class RecordedHearing:
    """A hearing with its outcome, and the next hearing its next date created."""

    hearing: HearingRow
    next_hearing: HearingRow | None


class HearingService(CourtAccess):
    # -- reading --------------------------------------------------------------

    def hearings(self, case_id: uuid.UUID) -> list[HearingRow]:
        with self._read() as session:
            case = self._load(session, case_id)
            found = session.scalars(
                select(Hearing)
                .where(Hearing.case_id == case.id, Hearing.deleted_at.is_(None))
                .order_by(Hearing.scheduled_at)
            ).all()
            return hearing_rows(session, found)

    def hearing(self, hearing_id: uuid.UUID) -> HearingRow:
        with self._read() as session:
            hearing, _ = self._hearing(session, hearing_id)
            return hearing_rows(session, [hearing])[0]

    def find_hearing(
        self, case_id: uuid.UUID, on: date, *, accused_code: str | None = None
    ) -> HearingRow:
        """The case's hearing on a day (the court's local date), for the
        command line; with several that day, ``accused_code`` chooses."""
        rows = [h for h in self.hearings(case_id) if h.local_date == on]
        if accused_code:
            rows = [h for h in rows if h.accused_code == accused_code.strip().upper()]
        if not rows:
            raise NotFound(
                f"There is no hearing in this case on {on.isoformat()}.", code="no_hearing"
            )
        if len(rows) > 1:
            listed = ", ".join(
                f"{h.local_time_text} {h.accused_code or 'all accused'}" for h in rows
            )
            raise ConflictError(
                f"There are {len(rows)} hearings on {on.isoformat()} ({listed}); name the "
                "accused to choose one.",
                code="several_hearings",
            )
        return rows[0]

    def courts(self, country: str | None = None) -> list[tuple[uuid.UUID, str, str]]:
        """(id, name, country) of every court, for choosers."""
        with self._read() as session:
            stmt = select(Institution.id, Institution.name, Institution.country).where(
                Institution.kind == InstitutionKind.COURT, Institution.deleted_at.is_(None)
            )
            if country:
                stmt = stmt.where(Institution.country == country.upper())
            return [(r[0], r[1], r[2]) for r in session.execute(stmt.order_by(Institution.name))]

    def judges(self, court_id: uuid.UUID) -> list[tuple[uuid.UUID, str, OfficialRole]]:
        """(id, name, role) of the judges and magistrates of a court."""
        with self._read() as session:
            return [
                (r[0], r[1], r[2])
                for r in session.execute(
                    select(PartnerOfficial.id, PartnerOfficial.name, PartnerOfficial.official_role)
                    .where(
                        PartnerOfficial.institution_id == court_id,
                        PartnerOfficial.official_role.in_(_BENCH),
                        PartnerOfficial.deleted_at.is_(None),
                    )
                    .order_by(PartnerOfficial.name)
                )
            ]

    def staff_ids(self, usernames: Sequence[str]) -> list[uuid.UUID]:
        """The ids of active staff by username, in the order given."""
        self._require_read()
        wanted = [u.strip().lower() for u in usernames if u.strip()]
        with self._read() as session:
            found = {
                name: user_id
                for name, user_id in session.execute(
                    select(User.username, User.id).where(
                        User.username.in_(wanted), User.active.is_(True)
                    )
                )
            }
        missing = [u for u in wanted if u not in found]
        if missing:
            raise NotFound(f"There is no active staff member '{missing[0]}'.", code="unknown_user")
        return [found[u] for u in wanted]

    def court_named(self, text: str, country: str | None = None) -> uuid.UUID:
        """The one court whose name contains ``text`` (case-insensitive)."""
        wanted = text.strip().lower()
        matches = [c for c in self.courts(country) if wanted in c[1].lower()]
        exact = [c for c in matches if c[1].lower() == wanted]
        if len(exact) == 1:
            return exact[0][0]
        if not matches:
            raise NotFound(f"There is no court named like '{text.strip()}'.", code="unknown_court")
        if len(matches) > 1:
            names = "; ".join(c[1] for c in matches[:5])
            raise ConflictError(
                f"'{text.strip()}' matches {len(matches)} courts ({names}); be more precise.",
                code="several_courts",
            )
        return matches[0][0]

    def default_timezone(self, case_id: uuid.UUID) -> str:
        """The zone a new hearing of the case is entered in: its country's."""
        with self._read() as session:
            case = self._load(session, case_id)
            return _country_zone(case.country)

    # -- adjournments ----------------------------------------------------------

    def adjournments(self, case_id: uuid.UUID) -> AdjournmentCount:
        """Hearings of the case with an outcome, and how many were adjourned."""
        with self._read() as session:
            case = self._load(session, case_id)
            row = session.execute(
                select(*_COUNTS).where(
                    Hearing.case_id == case.id,
                    Hearing.deleted_at.is_(None),
                    Hearing.outcome.is_not(None),
                )
            ).one()
            return AdjournmentCount(case.code, None, *(int(v or 0) for v in row))

    def adjournments_by_court(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        mine: bool = False,
    ) -> list[AdjournmentCount]:
        """Per court, over the cases the actor may see (``mine``: assigned to),
        hearings scheduled from ``since`` to ``until`` (inclusive, UTC days);
        most adjourned first."""
        self._require_read()
        name = func.coalesce(Institution.name, Hearing.court_name)
        stmt = (
            select(*_COUNTS, Hearing.court_id, name)
            .join(Case, Case.id == Hearing.case_id)
            .outerjoin(Institution, Institution.id == Hearing.court_id)
            .where(
                self._visible_clause(),
                Hearing.deleted_at.is_(None),
                Hearing.outcome.is_not(None),
            )
            .group_by(Hearing.court_id, name)
        )
        if mine:
            stmt = stmt.where(self._assigned_clause())
        if since is not None:
            stmt = stmt.where(Hearing.scheduled_at >= _day_start(since))
        if until is not None:
            stmt = stmt.where(Hearing.scheduled_at < _day_start(until + timedelta(days=1)))
        with self._read() as session:
            found = [
                AdjournmentCount(
                    str(r[5] or "(court not named)"),
                    r[4],
                    int(r[0] or 0),
                    int(r[1] or 0),
                    int(r[2] or 0),
                    int(r[3] or 0),
                )
                for r in session.execute(stmt)
            ]
        found.sort(key=lambda c: (-c.adjourned_share, -c.hearings, c.key))
        return found

    def _require_read(self) -> None:
        self._require(Permission.CASE_READ, "read cases")

    # -- scheduling ---------------------------------------------------------------

    def schedule(self, case_id: uuid.UUID, draft: HearingDraft) -> Outcome[HearingRow]:
        """A new court date in the case."""
        self._require_court_edit()
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            draft = self._checked(session, case, draft)
            hearing = Hearing(case_id=case.id)
            self._apply(session, hearing, case, draft)
            self._stamp(hearing, new=True)
            session.add(hearing)
            session.flush()
            self._set_staff(session, hearing.id, draft.staff_ids)
            self._audit(
                session,
                "hearing.schedule",
                "hearing",
                hearing.id,
                case_id=case.id,
                details=_hearing_details(hearing, draft),
            )
            row = hearing_rows(session, [hearing])[0]
        return Outcome(row, Changes.of(*_CHANGES, case_id=case.id))

    def update(
        self, hearing_id: uuid.UUID, draft: HearingDraft, *, expected_version: int
    ) -> Outcome[HearingRow]:
        """Change a hearing that has no outcome yet (moved, another judge,
        who attends, what to prepare)."""
        self._require_court_edit()
        with self._write() as session:
            hearing, case = self._hearing(session, hearing_id, for_edit=True)
            if hearing.version != expected_version:
                raise ConflictError(
                    "The hearing was changed by someone else while you edited it. Reload it "
                    "and make your change again.",
                    code="stale",
                )
            if hearing.outcome is not None:
                raise RuleViolation(
                    "The hearing's outcome is recorded; it can no longer be changed.",
                    code="hearing_has_outcome",
                )
            draft = self._checked(session, case, draft)
            self._apply(session, hearing, case, draft)
            self._stamp(hearing, new=False)
            session.flush()
            self._set_staff(session, hearing.id, draft.staff_ids)
            self._audit(
                session,
                "hearing.update",
                "hearing",
                hearing.id,
                case_id=case.id,
                details=_hearing_details(hearing, draft),
            )
            row = hearing_rows(session, [hearing])[0]
        return Outcome(row, Changes.of(*_CHANGES, case_id=case.id))

    def _checked(self, session: Session, case: Case, draft: HearingDraft) -> HearingDraft:
        """Normalize the draft, fill the court's zone, check it against the case."""
        draft = replace(
            draft,
            purpose=draft.purpose.strip(),
            court_name=draft.court_name.strip(),
            courtroom=draft.courtroom.strip(),
            preparation=draft.preparation.strip(),
            notes=draft.notes.strip(),
            timezone=draft.timezone.strip(),
        )
        court = None
        if draft.court_id is not None:
            court = session.get(Institution, draft.court_id)
            if court is None or court.deleted_at is not None:
                raise ValidationError.single("court_id", "unknown_court", "Choose a court.")
            if court.kind is not InstitutionKind.COURT:
                raise ValidationError.single(
                    "court_id", "not_a_court", f"{court.name} is not a court."
                )
            draft = replace(draft, court_name=court.name)
        if not draft.timezone:
            draft = replace(draft, timezone=_country_zone(court.country if court else case.country))
        first_charge = None
        if draft.proceeding_id is not None:
            proceeding = session.get(Proceeding, draft.proceeding_id)
            if proceeding is None or proceeding.case_id != case.id or proceeding.deleted_at:
                raise ValidationError.single(
                    "proceeding_id",
                    "unknown_proceeding",
                    f"Choose a proceeding of case {case.code}.",
                )
            first_charge = first_charge_date(self._charge_rules(session, proceeding.id))
        draft.validate(first_charge_on=first_charge)
        if draft.judge_id is not None:
            judge = session.get(PartnerOfficial, draft.judge_id)
            if judge is None or judge.official_role not in _BENCH:
                raise ValidationError.single(
                    "judge_id", "not_a_judge", "Choose a judge or magistrate."
                )
        for user_id in draft.staff_ids:
            user = session.get(User, user_id)
            if user is None or not user.active or user.role is Role.AUDITOR:
                raise ValidationError.single(
                    "staff_ids", "unknown_user", "Choose active staff members to attend."
                )
        if draft.testifying_survivor_id is not None:
            party = session.scalar(
                select(CaseParty.id).where(
                    CaseParty.case_id == case.id,
                    CaseParty.kind == PartyKind.SURVIVOR,
                    CaseParty.survivor_id == draft.testifying_survivor_id,
                    CaseParty.deleted_at.is_(None),
                )
            )
            if party is None:
                raise ValidationError.single(
                    "testifying_survivor_id",
                    "not_in_case",
                    f"That survivor is not in case {case.code}.",
                )
        if draft.protection_measure_id is not None:
            measure = session.get(ProtectionMeasure, draft.protection_measure_id)
            if (
                measure is None
                or measure.case_id != case.id
                or measure.survivor_id != draft.testifying_survivor_id
            ):
                raise ValidationError.single(
                    "protection_measure_id",
                    "not_for_survivor",
                    "Choose a protection measure of the survivor who testifies.",
                )
        return draft

    def _apply(self, session: Session, hearing: Hearing, case: Case, draft: HearingDraft) -> None:
        accused_id = None
        if draft.proceeding_id is not None:
            proceeding = session.get(Proceeding, draft.proceeding_id)
            accused_id = proceeding.accused_id if proceeding else None
        hearing.accused_id = accused_id
        hearing.proceeding_id = draft.proceeding_id
        hearing.court_id = draft.court_id
        hearing.court_name = draft.court_name
        hearing.courtroom = draft.courtroom
        hearing.scheduled_at = draft.local_start().astimezone(UTC)
        hearing.timezone = draft.timezone
        hearing.purpose = draft.purpose
        hearing.judge_id = draft.judge_id
        hearing.survivor_testifies = draft.survivor_testifies
        hearing.testifying_survivor_id = draft.testifying_survivor_id
        hearing.protection_measure_id = draft.protection_measure_id
        hearing.preparation = draft.preparation
        hearing.notes = draft.notes

    def _set_staff(
        self, session: Session, hearing_id: uuid.UUID, staff_ids: Sequence[uuid.UUID]
    ) -> None:
        session.execute(delete(hearing_staff).where(hearing_staff.c.hearing_id == hearing_id))
        if staff_ids:
            session.execute(
                insert(hearing_staff),
                [{"hearing_id": hearing_id, "user_id": u} for u in staff_ids],
            )

    # -- the outcome --------------------------------------------------------------

    def record_outcome(
        self,
        hearing_id: uuid.UUID,
        result: HearingResult,
        *,
        expected_version: int | None = None,
    ) -> Outcome[RecordedHearing]:
        """Held, adjourned (with a reason) or vacated; a next date creates the
        next hearing with the same court, judge, accused and attending staff."""
        self._require_court_edit()
        result = replace(
            result,
            reason=result.reason.strip(),
            next_purpose=result.next_purpose.strip(),
            notes=result.notes.strip(),
        )
        with self._write() as session:
            hearing, case = self._hearing(session, hearing_id, for_edit=True)
            if expected_version is not None and hearing.version != expected_version:
                raise ConflictError(
                    "The hearing was changed by someone else while you edited it. Reload it "
                    "and make your change again.",
                    code="stale",
                )
            if hearing.outcome is not None:
                raise RuleViolation(
                    "This hearing's outcome is already recorded "
                    f"({hearing.outcome.label.lower()}).",
                    code="outcome_recorded",
                )
            zone = ZoneInfo(hearing.timezone)
            local = local_time(hearing.scheduled_at, hearing.timezone)
            result.validate(hearing_on=local.date(), today=datetime.now(zone).date())
            hearing.outcome = result.outcome
            hearing.adjournment_reason = result.reason
            hearing.next_date = result.next_on
            if result.notes:
                hearing.notes = (
                    f"{hearing.notes}\n{result.notes}" if hearing.notes else result.notes
                )
            self._stamp(hearing, new=False)
            session.flush()
            following = None
            if result.next_on is not None:
                following = self._next_hearing(session, hearing, result, local)
            self._audit(
                session,
                "hearing.outcome",
                "hearing",
                hearing.id,
                case_id=case.id,
                details={
                    "outcome": result.outcome.value,
                    # Free text stays out of the log: a name may have been typed into it.
                    "reason_given": bool(result.reason),
                    "next_on": result.next_on.isoformat() if result.next_on else None,
                    "next_hearing_id": str(following.id) if following else None,
                },
            )
            rows = hearing_rows(session, [hearing, *([following] if following else [])])
        recorded = RecordedHearing(rows[0], rows[1] if len(rows) > 1 else None)
        return Outcome(recorded, Changes.of(*_CHANGES, case_id=case.id))

    def _next_hearing(
        self, session: Session, hearing: Hearing, result: HearingResult, local: datetime
    ) -> Hearing:
        assert result.next_on is not None
        at = result.next_time or local.time().replace(tzinfo=None)
        wall = datetime.combine(result.next_on, at, tzinfo=ZoneInfo(hearing.timezone))
        if wall.astimezone(UTC) <= hearing.scheduled_at:
            raise ValidationError.single(
                "next_time",
                "next_not_after",
                "The next hearing must be later than this one; give a later time.",
            )
        # A testimony that did not happen moves to the next date with its
        # protection; after a held hearing it is done.
        carried = result.outcome is not HearingOutcome.HELD
        following = Hearing(
            case_id=hearing.case_id,
            accused_id=hearing.accused_id,
            proceeding_id=hearing.proceeding_id,
            court_id=hearing.court_id,
            court_name=hearing.court_name,
            courtroom=hearing.courtroom,
            scheduled_at=wall.astimezone(UTC),
            timezone=hearing.timezone,
            purpose=result.next_purpose or hearing.purpose,
            judge_id=hearing.judge_id,
            survivor_testifies=hearing.survivor_testifies and carried,
            testifying_survivor_id=hearing.testifying_survivor_id if carried else None,
            protection_measure_id=hearing.protection_measure_id if carried else None,
            preparation=hearing.preparation if carried else "",
            previous_hearing_id=hearing.id,
            adjournment_reason="",
            notes="",
        )
        self._stamp(following, new=True)
        session.add(following)
        session.flush()
        staff = list(
            session.scalars(
                select(hearing_staff.c.user_id).where(hearing_staff.c.hearing_id == hearing.id)
            )
        )
        self._set_staff(session, following.id, staff)
        self._audit(
            session,
            "hearing.schedule",
            "hearing",
            following.id,
            case_id=hearing.case_id,
            details={
                "scheduled_at": following.scheduled_at.isoformat(),
                "timezone": following.timezone,
                "previous_hearing_id": str(hearing.id),
            },
        )
        return following


def _country_zone(country: str) -> str:
    found = COUNTRIES.get(country.upper())
    return found.timezone if found else "UTC"


def _day_start(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _hearing_details(hearing: Hearing, draft: HearingDraft) -> dict[str, object]:
    return {
        "scheduled_at": hearing.scheduled_at.isoformat(),
        "timezone": hearing.timezone,
        "court": hearing.court_name,
        "proceeding_id": str(hearing.proceeding_id) if hearing.proceeding_id else None,
        "survivor_testifies": hearing.survivor_testifies,
        "staff": len(draft.staff_ids),
    }
