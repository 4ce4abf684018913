"""Structural prevention: trainings and engagements with officials, cases the
government led, and the prevention view per jurisdiction.

The view puts side by side, for each (country, jurisdiction):

- engagements held, by kind, and the officials *trained*: attendees of
  trainings, named officials by their role (each counted once however many
  trainings they attended) plus head counts by role where names were not
  taken (the directors' figure uses the same definition);
- cases marked as government-led;
- the case-processing times of its courts from the lawyers' records
  (``processing_times``), or ``None`` when there are none yet.

A jurisdiction is the text cases and engagements carry ("Tiruvallur, Tamil
Nadu"), matched exactly after trimming. A period filters engagements by the
day they were held and cases by the day they were opened.

Who: recording engagements needs the right to record people and officials
(``PEOPLE_EDIT``); marking a case needs the right to edit it; reading needs
the right to read cases, and only visible cases are counted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from ijmcase.domain.enums import EngagementKind, OfficialRole
from ijmcase.domain.errors import ConflictError, NotFound, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.domain.prevention import EngagementDraft
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.models import (
    Case,
    Engagement,
    EngagementAttendee,
    EngagementInstitution,
    EngagementRoleCount,
    GovernmentLedCase,
    Institution,
    PartnerOfficial,
)
from ijmcase.services.care_common import institution, not_found, user_names
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.processing_times import ProcessingTimes, processing_times

__all__ = [
    "NO_COURT_DATA",
    "AttendeeView",
    "EngagementView",
    "GovernmentLedView",
    "JurisdictionPrevention",
    "PreventionService",
    "RoleCount",
]

NO_COURT_DATA = "No data yet: no court records (charges, milestones, verdicts) in these cases."


@dataclass(frozen=True)
class AttendeeView:
    official_id: uuid.UUID
    name: str
    role: OfficialRole
    institution: str


@dataclass(frozen=True)
class EngagementView:
    id: uuid.UUID
    kind: EngagementKind
    held_on: date
    topic: str
    country: str
    jurisdiction: str
    institutions: tuple[tuple[uuid.UUID, str], ...]
    facilitators: str
    materials: str
    notes: str
    case_id: uuid.UUID | None
    case_code: str
    attendees: tuple[AttendeeView, ...]
    role_counts: tuple[tuple[OfficialRole, int], ...]
    recorded_by: str

    @property
    def total_attendees(self) -> int:
        return len(self.attendees) + sum(n for _, n in self.role_counts)


@dataclass(frozen=True)
class RoleCount:
    role: OfficialRole
    named: int
    counted: int

    @property
    def total(self) -> int:
        return self.named + self.counted


@dataclass(frozen=True)
class GovernmentLedView:
    case_id: uuid.UUID
    case_code: str
    lead_institution_id: uuid.UUID | None
    lead_institution: str
    marked_on: date
    note: str


@dataclass(frozen=True)
class JurisdictionPrevention:
    country: str
    jurisdiction: str
    engagements: int
    by_kind: tuple[tuple[EngagementKind, int], ...]
    officials_trained: tuple[RoleCount, ...]
    government_led_cases: int
    processing: ProcessingTimes | None

    @property
    def officials_trained_total(self) -> int:
        return sum(r.total for r in self.officials_trained)

    @property
    def processing_note(self) -> str:
        return NO_COURT_DATA if self.processing is None else ""


Place = tuple[str, str]


class PreventionService(CaseAccess):
    # -- engagements ----------------------------------------------------------

    def record_engagement(self, draft: EngagementDraft) -> Outcome[EngagementView]:
        """A training or other engagement; it needs at least one attendee."""
        self._require(Permission.PEOPLE_EDIT, "record trainings and engagements")
        draft = replace(
            draft,
            topic=draft.topic.strip(),
            country=draft.country.strip().upper(),
            jurisdiction=draft.jurisdiction.strip(),
            facilitators=draft.facilitators.strip(),
            materials=draft.materials.strip(),
            notes=draft.notes.strip(),
        )
        draft.validate(today=today())
        with self._write() as session:
            for inst_id in draft.institution_ids:
                institution(session, inst_id, "institution_ids")
            officials = {
                o.id
                for o in session.scalars(
                    select(PartnerOfficial).where(
                        PartnerOfficial.id.in_(draft.attendee_ids),
                        PartnerOfficial.deleted_at.is_(None),
                    )
                )
            }
            if len(officials) != len(draft.attendee_ids):
                raise ValidationError.single(
                    "attendee_ids", "unknown_official", "Choose officials who are on file."
                )
            if draft.case_id is not None:
                self._load(session, draft.case_id)
            row = Engagement(
                kind=draft.kind,
                held_on=draft.held_on,
                topic=draft.topic,
                country=draft.country,
                jurisdiction=draft.jurisdiction,
                facilitators=draft.facilitators,
                materials=draft.materials,
                notes=draft.notes,
                case_id=draft.case_id,
            )
            self._stamp(row, new=True)
            session.add(row)
            session.flush()
            links: list[EngagementInstitution | EngagementAttendee | EngagementRoleCount] = [
                EngagementInstitution(engagement_id=row.id, institution_id=i)
                for i in draft.institution_ids
            ]
            links += [
                EngagementAttendee(engagement_id=row.id, official_id=o) for o in draft.attendee_ids
            ]
            links += [
                EngagementRoleCount(engagement_id=row.id, official_role=role, attendees=n)
                for role, n in sorted(draft.role_counts.items())
                if n > 0
            ]
            for link in links:
                self._stamp(link, new=True)
                session.add(link)
            session.flush()
            self._audit(
                session,
                "engagement.record",
                "engagement",
                row.id,
                case_id=draft.case_id,
                details={
                    "kind": draft.kind.value,
                    "on": draft.held_on.isoformat(),
                    "country": draft.country,
                    "jurisdiction": draft.jurisdiction,
                    "attendees": draft.total_attendees,
                },
            )
            view = self._views(session, [row])[0]
        return Outcome(view, Changes.of("engagements"))

    def retire_engagement(self, engagement_id: uuid.UUID, reason: str) -> Outcome[None]:
        """Retire an engagement recorded by mistake (it stays in the audit trail)."""
        self._require(Permission.PEOPLE_EDIT, "record trainings and engagements")
        if not reason.strip():
            raise ValidationError.single("reason", "required", "Say why it is retired.")
        with self._write() as session:
            row = session.get(Engagement, engagement_id)
            if row is None or row.deleted_at is not None:
                raise not_found("engagement", "engagement_not_found")
            row.deleted_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "engagement.retire",
                "engagement",
                row.id,
                case_id=row.case_id,
                details={"reason": reason.strip()},
            )
        return Outcome(None, Changes.of("engagements"))

    def engagement(self, engagement_id: uuid.UUID) -> EngagementView:
        self._require(Permission.CASE_READ, "see trainings and engagements")
        with self._read() as session:
            row = session.get(Engagement, engagement_id)
            if row is None or row.deleted_at is not None:
                raise not_found("engagement", "engagement_not_found")
            return self._views(session, [row])[0]

    def engagements(
        self,
        *,
        country: str | None = None,
        jurisdiction: str | None = None,
        from_on: date | None = None,
        to_on: date | None = None,
    ) -> list[EngagementView]:
        """Engagements, newest first."""
        self._require(Permission.CASE_READ, "see trainings and engagements")
        with self._read() as session:
            stmt = select(Engagement).where(
                self._engagement_filter(country, jurisdiction, from_on, to_on)
            )
            rows = list(
                session.scalars(stmt.order_by(Engagement.held_on.desc(), Engagement.created_at))
            )
            return self._views(session, rows)

    @staticmethod
    def _engagement_filter(
        country: str | None, jurisdiction: str | None, from_on: date | None, to_on: date | None
    ) -> ColumnElement[bool]:
        clause: ColumnElement[bool] = Engagement.deleted_at.is_(None)
        if country:
            clause = and_(clause, Engagement.country == country.strip().upper())
        if jurisdiction:
            clause = and_(clause, Engagement.jurisdiction == jurisdiction.strip())
        if from_on is not None:
            clause = and_(clause, Engagement.held_on >= from_on)
        if to_on is not None:
            clause = and_(clause, Engagement.held_on <= to_on)
        return clause

    def _views(self, session: Session, rows: list[Engagement]) -> list[EngagementView]:
        if not rows:
            return []
        ids = [r.id for r in rows]
        places: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = defaultdict(list)
        for eid, iid, name in session.execute(
            select(EngagementInstitution.engagement_id, Institution.id, Institution.name)
            .join(Institution, Institution.id == EngagementInstitution.institution_id)
            .where(
                EngagementInstitution.engagement_id.in_(ids),
                EngagementInstitution.deleted_at.is_(None),
            )
            .order_by(Institution.name)
        ):
            places[eid].append((iid, name))
        people: dict[uuid.UUID, list[AttendeeView]] = defaultdict(list)
        for eid, official, inst_name in session.execute(
            select(EngagementAttendee.engagement_id, PartnerOfficial, Institution.name)
            .join(PartnerOfficial, PartnerOfficial.id == EngagementAttendee.official_id)
            .outerjoin(Institution, Institution.id == PartnerOfficial.institution_id)
            .where(
                EngagementAttendee.engagement_id.in_(ids),
                EngagementAttendee.deleted_at.is_(None),
            )
            .order_by(PartnerOfficial.name)
        ):
            people[eid].append(
                AttendeeView(official.id, official.name, official.official_role, inst_name or "")
            )
        counts: dict[uuid.UUID, list[tuple[OfficialRole, int]]] = defaultdict(list)
        for eid, role, n in session.execute(
            select(
                EngagementRoleCount.engagement_id,
                EngagementRoleCount.official_role,
                EngagementRoleCount.attendees,
            ).where(
                EngagementRoleCount.engagement_id.in_(ids),
                EngagementRoleCount.deleted_at.is_(None),
            )
        ):
            counts[eid].append((role, n))
        case_codes = {
            k: v
            for k, v in session.execute(
                select(Case.id, Case.code).where(
                    Case.id.in_({r.case_id for r in rows if r.case_id}), self._visible_clause()
                )
            )
        }
        names = user_names(session, [r.created_by for r in rows])
        return [
            EngagementView(
                id=r.id,
                kind=r.kind,
                held_on=r.held_on,
                topic=r.topic,
                country=r.country,
                jurisdiction=r.jurisdiction,
                institutions=tuple(places[r.id]),
                facilitators=r.facilitators,
                materials=r.materials,
                notes=r.notes,
                # A restricted case the reader may not see is not named.
                case_id=r.case_id if r.case_id in case_codes else None,
                case_code=case_codes.get(r.case_id, "") if r.case_id else "",
                attendees=tuple(people[r.id]),
                role_counts=tuple(sorted(counts[r.id])),
                recorded_by=names.get(r.created_by, "") if r.created_by else "",
            )
            for r in rows
        ]

    # -- government-led cases ---------------------------------------------------

    def mark_government_led(
        self,
        case_id: uuid.UUID,
        *,
        lead_institution_id: uuid.UUID | None = None,
        on: date | None = None,
        note: str = "",
    ) -> Outcome[GovernmentLedView]:
        """Mark a case the authorities led without the organization starting it."""
        day = on or today()
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            if day > today():
                raise ValidationError.single("on", "future_date", "The date is in the future.")
            if day < case.opened_on:
                raise ValidationError.single(
                    "on",
                    "before_case",
                    f"The date {day.isoformat()} is before case {case.code} was opened.",
                )
            if lead_institution_id is not None:
                institution(session, lead_institution_id, "lead_institution_id")
            row = session.scalar(
                select(GovernmentLedCase).where(GovernmentLedCase.case_id == case.id)
            )
            if row is not None and row.deleted_at is None:
                raise ConflictError(
                    f"Case {case.code} is already marked as government-led.",
                    code="already_marked",
                )
            if row is None:
                row = GovernmentLedCase(case_id=case.id, marked_on=day)
                self._stamp(row, new=True)
                session.add(row)
            else:
                row.deleted_at = None
                self._stamp(row, new=False)
            row.lead_institution_id = lead_institution_id
            row.marked_on = day
            row.note = note.strip()
            session.flush()
            self._audit(
                session,
                "case.government_led",
                "case",
                case.id,
                case_id=case.id,
                details={"on": day.isoformat(), "institution_id": str(lead_institution_id or "")},
            )
            view = self._government_view(session, case, row)
        return Outcome(view, Changes.of("cases", "prevention", case_id=case_id))

    def unmark_government_led(self, case_id: uuid.UUID, reason: str) -> Outcome[None]:
        if not reason.strip():
            raise ValidationError.single("reason", "required", "Say why the mark is removed.")
        with self._write() as session:
            case = self._load(session, case_id, for_edit=True)
            row = session.scalar(
                select(GovernmentLedCase).where(
                    GovernmentLedCase.case_id == case.id, GovernmentLedCase.deleted_at.is_(None)
                )
            )
            if row is None:
                raise NotFound(
                    f"Case {case.code} is not marked as government-led.", code="not_marked"
                )
            row.deleted_at = utcnow()
            self._stamp(row, new=False)
            session.flush()
            self._audit(
                session,
                "case.government_led_removed",
                "case",
                case.id,
                case_id=case.id,
                details={"reason": reason.strip()},
            )
        return Outcome(None, Changes.of("cases", "prevention", case_id=case_id))

    def government_led(self, case_id: uuid.UUID) -> GovernmentLedView | None:
        with self._read() as session:
            case = self._load(session, case_id)
            row = session.scalar(
                select(GovernmentLedCase).where(
                    GovernmentLedCase.case_id == case.id, GovernmentLedCase.deleted_at.is_(None)
                )
            )
            return None if row is None else self._government_view(session, case, row)

    @staticmethod
    def _government_view(session: Session, case: Case, row: GovernmentLedCase) -> GovernmentLedView:
        lead = (
            session.get(Institution, row.lead_institution_id) if row.lead_institution_id else None
        )
        return GovernmentLedView(
            case.id,
            case.code,
            row.lead_institution_id,
            lead.name if lead is not None else "",
            row.marked_on,
            row.note,
        )

    # -- the view per jurisdiction ------------------------------------------------

    def view(
        self,
        *,
        country: str | None = None,
        jurisdiction: str | None = None,
        from_on: date | None = None,
        to_on: date | None = None,
    ) -> list[JurisdictionPrevention]:
        """The prevention figures per (country, jurisdiction), sorted by place."""
        self._require(Permission.CASE_READ, "see the prevention view")
        engagements = self._engagement_filter(country, jurisdiction, from_on, to_on)
        cases: ColumnElement[bool] = self._visible_clause()
        if country:
            cases = and_(cases, Case.country == country.strip().upper())
        if jurisdiction:
            cases = and_(cases, Case.jurisdiction == jurisdiction.strip())
        if from_on is not None:
            cases = and_(cases, Case.opened_on >= from_on)
        if to_on is not None:
            cases = and_(cases, Case.opened_on <= to_on)
        with self._read() as session:
            kinds: dict[Place, dict[EngagementKind, int]] = defaultdict(dict)
            for c, j, kind, n in session.execute(
                select(Engagement.country, Engagement.jurisdiction, Engagement.kind, func.count())
                .where(engagements)
                .group_by(Engagement.country, Engagement.jurisdiction, Engagement.kind)
            ):
                kinds[(c, j)][kind] = n
            trainings = and_(engagements, Engagement.kind == EngagementKind.TRAINING)
            named: dict[Place, dict[OfficialRole, int]] = defaultdict(dict)
            for c, j, role, n in session.execute(
                select(
                    Engagement.country,
                    Engagement.jurisdiction,
                    PartnerOfficial.official_role,
                    func.count(func.distinct(PartnerOfficial.id)),
                )
                .join(EngagementAttendee, EngagementAttendee.engagement_id == Engagement.id)
                .join(PartnerOfficial, PartnerOfficial.id == EngagementAttendee.official_id)
                .where(trainings, EngagementAttendee.deleted_at.is_(None))
                .group_by(
                    Engagement.country, Engagement.jurisdiction, PartnerOfficial.official_role
                )
            ):
                named[(c, j)][role] = n
            counted: dict[Place, dict[OfficialRole, int]] = defaultdict(dict)
            for c, j, role, n in session.execute(
                select(
                    Engagement.country,
                    Engagement.jurisdiction,
                    EngagementRoleCount.official_role,
                    func.sum(EngagementRoleCount.attendees),
                )
                .join(EngagementRoleCount, EngagementRoleCount.engagement_id == Engagement.id)
                .where(trainings, EngagementRoleCount.deleted_at.is_(None))
                .group_by(
                    Engagement.country, Engagement.jurisdiction, EngagementRoleCount.official_role
                )
            ):
                counted[(c, j)][role] = int(n or 0)
            led = {
                (c, j): n
                for c, j, n in session.execute(
                    select(Case.country, Case.jurisdiction, func.count())
                    .join(GovernmentLedCase, GovernmentLedCase.case_id == Case.id)
                    .where(cases, GovernmentLedCase.deleted_at.is_(None))
                    .group_by(Case.country, Case.jurisdiction)
                )
            }
            times = processing_times(session, cases)
        places = set(kinds) | set(named) | set(counted) | set(led) | set(times)
        if jurisdiction and country:
            places.add((country.strip().upper(), jurisdiction.strip()))
        out = []
        for place in sorted(places):
            roles = sorted(set(named[place]) | set(counted[place]))
            out.append(
                JurisdictionPrevention(
                    country=place[0],
                    jurisdiction=place[1],
                    engagements=sum(kinds[place].values()),
                    by_kind=tuple(sorted(kinds[place].items())),
                    officials_trained=tuple(
                        RoleCount(r, named[place].get(r, 0), counted[place].get(r, 0))
                        for r in roles
                    ),
                    government_led_cases=led.get(place, 0),
                    processing=times.get(place),
                )
            )
        return out
