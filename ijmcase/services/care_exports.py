"""Exports of aftercare and prevention records: assessments, referrals and
trainings, as CSV or Excel.

Redacted by default: survivors and cases appear by code, never by name, and
no free text is included. A full export (directors, admins, auditors: the
roles that may report on the whole organization) adds the notes, with the
identifying values of the case's survivors (names, phone numbers) taken out
of them all the same, and the names of officials who attended a training.

Every export is audited after the file is written, with who, what, which
filter, the file and the number of rows; if the audit cannot be written the
file is removed, so no export exists that the log does not know about. The
file itself is written whole or not at all (``reports.atomic_output``).

Rows stream from SQL in chunks, so an export of every assessment of a large
organization runs in flat memory. Only current assessments (not superseded
by a correction) are exported; ``corrects_earlier`` says a row replaced one.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from ijmcase.domain.assessments import Instrument, RestorationThreshold, score_assessment
from ijmcase.domain.codes import country_problem
from ijmcase.domain.errors import ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.domain.redaction import REDACTED, identifying_patterns
from ijmcase.persistence.database import get_setting
from ijmcase.persistence.models import (
    Assessment,
    AssessmentScore,
    Case,
    CaseParty,
    Engagement,
    EngagementAttendee,
    EngagementInstitution,
    EngagementRoleCount,
    Institution,
    PartnerOfficial,
    Referral,
    Survivor,
    SurvivorIdentity,
    User,
)
from ijmcase.reports import Column, ColumnType, ReportMeta, atomic_output, write_csv, write_xlsx
from ijmcase.reports.progress import CancelCheck, ProgressCallback
from ijmcase.services.assessments import current_assessments
from ijmcase.services.care_settings import read_care_settings
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.instruments import current_instrument, find_instrument

__all__ = [
    "EXPORT_KINDS",
    "CareExportFilter",
    "CareExportService",
    "ExportKind",
    "ExportResult",
]

ExportKind = Literal["assessments", "referrals", "trainings"]
ExportFormat = Literal["csv", "xlsx"]
EXPORT_KINDS: tuple[ExportKind, ...] = ("assessments", "referrals", "trainings")

_CHUNK = 500
_SETTING_ORGANIZATION = "organization_name"
_TITLES: dict[ExportKind, str] = {
    "assessments": "Outcome assessments",
    "referrals": "Referrals",
    "trainings": "Trainings and engagements",
}
_FULL_STATEMENT = (
    "Full export: notes are included. Survivors appear by code, and their names and phone "
    "numbers are taken out of the notes, but free text may still point to a person. The "
    "export was logged; keep it encrypted and destroy it when no longer needed."
)


@dataclass(frozen=True)
class CareExportFilter:
    """Which records: by their date (assessed, referred, held) and country."""

    from_on: date | None = None
    to_on: date | None = None
    country: str | None = None

    def described(self) -> dict[str, str | None]:
        return {
            "from": self.from_on.isoformat() if self.from_on else None,
            "to": self.to_on.isoformat() if self.to_on else None,
            "country": self.country,
        }


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


class _Scrubber:
    """Survivors' identifying values taken out of free text, per case."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._patterns: dict[uuid.UUID, re.Pattern[str] | None] = {}

    def __call__(self, case_id: uuid.UUID | None, text: str) -> str:
        if not text or case_id is None:
            return text
        if case_id not in self._patterns:
            values = [
                v
                for row in self._session.execute(
                    select(
                        SurvivorIdentity.legal_name,
                        SurvivorIdentity.other_names,
                        SurvivorIdentity.phone,
                        SurvivorIdentity.guardian_name,
                        SurvivorIdentity.guardian_contact,
                    )
                    .join(CaseParty, CaseParty.survivor_id == SurvivorIdentity.survivor_id)
                    .where(CaseParty.case_id == case_id, CaseParty.deleted_at.is_(None))
                )
                for v in row
                if v
            ]
            patterns = identifying_patterns(values)
            self._patterns[case_id] = (
                re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
                if patterns
                else None
            )
        pattern = self._patterns[case_id]
        return pattern.sub(REDACTED, text) if pattern is not None else text


Rows = Callable[[Session, bool], tuple[list[Column], Iterator[dict[str, Any]]]]


class CareExportService(CaseAccess):
    def export(
        self,
        kind: ExportKind,
        path: Path,
        *,
        fmt: ExportFormat,
        flt: CareExportFilter | None = None,
        full: bool = False,
        progress: ProgressCallback | None = None,
        cancelled: CancelCheck | None = None,
    ) -> Outcome[ExportResult]:
        """Write ``kind`` to ``path`` as ``fmt``; audited; redacted unless ``full``."""
        self._require(Permission.CASE_READ, "export records")
        if full:
            self._require(Permission.REPORT_AGGREGATE, "make a full export (with notes)")
        if kind not in EXPORT_KINDS:
            raise ValidationError.single(
                "kind", "unknown_choice", f"'{kind}' is not one of {', '.join(EXPORT_KINDS)}."
            )
        if fmt not in ("csv", "xlsx"):
            raise ValidationError.single("format", "unknown_choice", "Choose csv or xlsx.")
        flt = self._checked(flt or CareExportFilter())
        path = Path(path)
        rows_of: dict[ExportKind, Rows] = {
            "assessments": lambda s, f: self._assessments(s, flt, f),
            "referrals": lambda s, f: self._referrals(s, flt, f),
            "trainings": lambda s, f: self._trainings(s, flt, f),
        }
        with self._read() as session:
            meta = self._meta(session, kind, flt, fmt, full)
            columns, rows = rows_of[kind](session, full)
            with atomic_output(path) as out:
                if fmt == "csv":
                    count = write_csv(out, columns, rows, progress=progress, cancelled=cancelled)
                else:
                    count = write_xlsx(
                        out,
                        columns,
                        rows,
                        meta,
                        sheet_title=_TITLES[kind],
                        progress=progress,
                        cancelled=cancelled,
                    )
        try:
            with self._write() as session:
                self._audit(
                    session,
                    f"export.{kind}",
                    "export",
                    details={
                        "format": fmt,
                        "filter": flt.described(),
                        "full": full,
                        "path": str(path),
                        "rows": count,
                    },
                )
        except BaseException:
            # No export the audit log does not know about.
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return Outcome(ExportResult(path, count), Changes.of("audit"))

    @staticmethod
    def _checked(flt: CareExportFilter) -> CareExportFilter:
        country = flt.country.strip().upper() if flt.country else None
        if country:
            problem = country_problem(country)
            if problem is not None:
                raise ValidationError(problem)
        if flt.from_on and flt.to_on and flt.from_on > flt.to_on:
            raise ValidationError.single(
                "to", "end_before_start", "The end of the period is before its start."
            )
        return CareExportFilter(flt.from_on, flt.to_on, country)

    def _meta(
        self, session: Session, kind: ExportKind, flt: CareExportFilter, fmt: str, full: bool
    ) -> ReportMeta:
        filters = [("Format", fmt.upper()), ("Country", flt.country or "All")]
        return ReportMeta(
            title=_TITLES[kind],
            generated_by=f"{self.actor.display_name} ({self.actor.username})",
            generated_at=datetime.now().astimezone(),
            organization=str(get_setting(session, _SETTING_ORGANIZATION, "") or ""),
            period_start=flt.from_on,
            period_end=flt.to_on,
            filters=tuple(filters),
            identifying=full,
            redaction=_FULL_STATEMENT if full else "",
        )

    def _cases(self, flt: CareExportFilter) -> ColumnElement[bool]:
        clause = self._visible_clause()
        if flt.country:
            clause = and_(clause, Case.country == flt.country)
        return clause

    @staticmethod
    def _period(column: Any, flt: CareExportFilter) -> list[ColumnElement[bool]]:
        found = []
        if flt.from_on is not None:
            found.append(column >= flt.from_on)
        if flt.to_on is not None:
            found.append(column <= flt.to_on)
        return found

    # -- assessments ------------------------------------------------------------

    def _assessments(
        self, session: Session, flt: CareExportFilter, full: bool
    ) -> tuple[list[Column], Iterator[dict[str, Any]]]:
        where = [
            current_assessments(),
            self._cases(flt),
            *self._period(Assessment.assessed_on, flt),
        ]
        instruments: dict[tuple[str, str], Instrument] = {}
        for key in session.execute(
            select(Assessment.instrument_id, Assessment.instrument_version)
            .join(Case, Case.id == Assessment.case_id)
            .where(*where)
            .distinct()
        ):
            instruments[(key[0], key[1])] = find_instrument(session, key[0], key[1])
        # Domains in the current version's order, then any only older versions had.
        domains: dict[str, str] = {d.key: d.label for d in current_instrument(session).domains}
        for inst in instruments.values():
            for d in inst.domains:
                domains.setdefault(d.key, d.label)
        threshold = read_care_settings(session).threshold
        columns = [
            Column("case", "Case"),
            Column("survivor", "Survivor"),
            Column("assessed_on", "Assessed", ColumnType.DATE),
            Column("type", "Type"),
            Column("basis", "Basis"),
            Column("instrument", "Instrument"),
            Column("instrument_version", "Version"),
            Column("assessor", "Assessor"),
            Column("corrects_earlier", "Corrects an earlier one", ColumnType.BOOL),
            *(Column(f"domain_{k}", label, ColumnType.DECIMAL) for k, label in domains.items()),
            Column("meets_threshold", "Meets restoration threshold", ColumnType.BOOL),
        ]
        if full:
            columns.append(Column("notes", "Notes", width=3.0))
        stmt = (
            select(Assessment, Case.code, Survivor.code, User.username)
            .join(Case, Case.id == Assessment.case_id)
            .join(Survivor, Survivor.id == Assessment.survivor_id)
            .outerjoin(User, User.id == Assessment.assessor_id)
            .where(*where)
            .order_by(Case.code, Survivor.code, Assessment.assessed_on, Assessment.created_at)
        )
        scrub = _Scrubber(session)

        def rows() -> Iterator[dict[str, Any]]:
            batch: list[tuple[Assessment, str, str, str | None]] = []
            for row in session.execute(stmt).yield_per(_CHUNK):
                batch.append((row[0], row[1], row[2], row[3]))
                if len(batch) >= _CHUNK:
                    yield from self._assessment_rows(
                        session, batch, instruments, threshold, full, scrub
                    )
                    batch = []
            yield from self._assessment_rows(session, batch, instruments, threshold, full, scrub)

        return columns, rows()

    def _assessment_rows(
        self,
        session: Session,
        batch: Sequence[tuple[Assessment, str, str, str | None]],
        instruments: dict[tuple[str, str], Instrument],
        threshold: RestorationThreshold,
        full: bool,
        scrub: _Scrubber,
    ) -> Iterator[dict[str, Any]]:
        if not batch:
            return
        scores: dict[uuid.UUID, dict[str, int | None]] = defaultdict(dict)
        for aid, key, value in session.execute(
            select(
                AssessmentScore.assessment_id, AssessmentScore.sub_domain_key, AssessmentScore.score
            ).where(
                AssessmentScore.assessment_id.in_([a.id for a, *_ in batch]),
                AssessmentScore.deleted_at.is_(None),
            )
        ):
            scores[aid][key] = value
        for a, case_code, survivor_code, assessor in batch:
            scored = score_assessment(
                instruments[(a.instrument_id, a.instrument_version)], scores[a.id]
            )
            out: dict[str, Any] = {
                "case": case_code,
                "survivor": survivor_code,
                "assessed_on": a.assessed_on,
                "type": a.type.value,
                "basis": a.basis.value,
                "instrument": a.instrument_id,
                "instrument_version": a.instrument_version,
                "assessor": assessor or "",
                "corrects_earlier": a.supersedes_id is not None,
                "meets_threshold": threshold.meets(scored)[0],
            }
            for d in scored.domains:
                out[f"domain_{d.key}"] = _decimal(d.mean)
            if full:
                out["notes"] = scrub(a.case_id, a.notes)
            yield out

    # -- referrals --------------------------------------------------------------

    def _referrals(
        self, session: Session, flt: CareExportFilter, full: bool
    ) -> tuple[list[Column], Iterator[dict[str, Any]]]:
        columns = [
            Column("case", "Case"),
            Column("survivor", "Survivor"),
            Column("institution", "Referred to", width=2.0),
            Column("institution_kind", "Kind of institution"),
            Column("service", "Service"),
            Column("transfer", "Transfer", ColumnType.BOOL),
            Column("status", "Status"),
            Column("referred_on", "Referred", ColumnType.DATE),
            Column("responded_on", "Responded", ColumnType.DATE),
            Column("completed_on", "Completed", ColumnType.DATE),
            Column("referred_by", "Referred by"),
            Column("consent", "Consent relied on", width=2.0),
        ]
        if full:
            columns += [Column("reason", "Reason", width=3.0), Column("outcome", "Outcome")]
        stmt = (
            select(
                Referral,
                Case.code,
                Survivor.code,
                Institution.name,
                Institution.kind,
                User.username,
            )
            .join(Case, Case.id == Referral.case_id)
            .join(Survivor, Survivor.id == Referral.survivor_id)
            .join(Institution, Institution.id == Referral.institution_id)
            .outerjoin(User, User.id == Referral.referred_by)
            .where(
                Referral.deleted_at.is_(None),
                self._cases(flt),
                *self._period(Referral.referred_on, flt),
            )
            .order_by(Case.code, Survivor.code, Referral.referred_on, Referral.created_at)
        )
        scrub = _Scrubber(session)

        def rows() -> Iterator[dict[str, Any]]:
            for r, case_code, survivor_code, inst, kind, by in session.execute(stmt).yield_per(
                _CHUNK
            ):
                out: dict[str, Any] = {
                    "case": case_code,
                    "survivor": survivor_code,
                    "institution": inst,
                    "institution_kind": kind.value,
                    "service": r.service.value,
                    "transfer": r.is_transfer,
                    "status": r.status.value,
                    "referred_on": r.referred_on,
                    "responded_on": r.responded_on,
                    "completed_on": r.completed_on,
                    "referred_by": by or "",
                    "consent": r.consent_summary,
                }
                if full:
                    out["reason"] = scrub(r.case_id, r.reason)
                    out["outcome"] = scrub(r.case_id, r.outcome_note)
                yield out

        return columns, rows()

    # -- trainings ----------------------------------------------------------------

    def _trainings(
        self, session: Session, flt: CareExportFilter, full: bool
    ) -> tuple[list[Column], Iterator[dict[str, Any]]]:
        columns = [
            Column("held_on", "Held", ColumnType.DATE),
            Column("kind", "Kind"),
            Column("topic", "Topic", width=2.5),
            Column("country", "Country"),
            Column("jurisdiction", "Jurisdiction", width=1.5),
            Column("institutions", "Institutions", width=2.5),
            Column("facilitators", "Facilitators", width=1.5),
            Column("materials", "Materials", width=1.5),
            Column("named_attendees", "Named attendees", ColumnType.INT),
            Column("counted_attendees", "Attendees counted by role", ColumnType.INT),
            Column("total_attendees", "Attendees", ColumnType.INT),
            Column("by_role", "Attendees by role", width=2.5),
            Column("case", "Case"),
        ]
        if full:
            columns += [
                Column("attendee_names", "Attendees' names", width=3.0),
                Column("notes", "Notes", width=3.0),
            ]
        where: list[ColumnElement[bool]] = [
            Engagement.deleted_at.is_(None),
            *self._period(Engagement.held_on, flt),
        ]
        if flt.country:
            where.append(Engagement.country == flt.country)
        stmt = (
            select(Engagement, Case.code)
            # An engagement names its case only if the reader may see that case.
            .outerjoin(Case, and_(Case.id == Engagement.case_id, self._visible_clause()))
            .where(*where)
            .order_by(Engagement.held_on, Engagement.created_at)
        )

        def rows() -> Iterator[dict[str, Any]]:
            batch: list[tuple[Engagement, str | None]] = []
            for row in session.execute(stmt).yield_per(_CHUNK):
                batch.append((row[0], row[1]))
                if len(batch) >= _CHUNK:
                    yield from self._training_rows(session, batch, full)
                    batch = []
            yield from self._training_rows(session, batch, full)

        return columns, rows()

    def _training_rows(
        self, session: Session, batch: Sequence[tuple[Engagement, str | None]], full: bool
    ) -> Iterator[dict[str, Any]]:
        if not batch:
            return
        ids = [e.id for e, _ in batch]
        places: dict[uuid.UUID, list[str]] = defaultdict(list)
        for eid, name in session.execute(
            select(EngagementInstitution.engagement_id, Institution.name)
            .join(Institution, Institution.id == EngagementInstitution.institution_id)
            .where(
                EngagementInstitution.engagement_id.in_(ids),
                EngagementInstitution.deleted_at.is_(None),
            )
            .order_by(Institution.name)
        ):
            places[eid].append(name)
        named: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
        for eid, name, role in session.execute(
            select(
                EngagementAttendee.engagement_id,
                PartnerOfficial.name,
                PartnerOfficial.official_role,
            )
            .join(PartnerOfficial, PartnerOfficial.id == EngagementAttendee.official_id)
            .where(
                EngagementAttendee.engagement_id.in_(ids), EngagementAttendee.deleted_at.is_(None)
            )
            .order_by(PartnerOfficial.name)
        ):
            named[eid].append((name, role.value))
        counted: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
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
            counted[eid][role.value] = n
        for e, case_code in batch:
            by_role: dict[str, int] = dict(counted[e.id])
            for _, role_name in named[e.id]:
                by_role[role_name] = by_role.get(role_name, 0) + 1
            out: dict[str, Any] = {
                "held_on": e.held_on,
                "kind": e.kind.value,
                "topic": e.topic,
                "country": e.country,
                "jurisdiction": e.jurisdiction,
                "institutions": "; ".join(places[e.id]),
                "facilitators": e.facilitators,
                "materials": e.materials,
                "named_attendees": len(named[e.id]),
                "counted_attendees": sum(counted[e.id].values()),
                "total_attendees": len(named[e.id]) + sum(counted[e.id].values()),
                "by_role": "; ".join(f"{r} {n}" for r, n in sorted(by_role.items())),
                "case": case_code or "",
            }
            if full:
                out["attendee_names"] = "; ".join(n for n, _ in named[e.id])
                out["notes"] = e.notes
            yield out


def _decimal(value: Fraction) -> Decimal:
    """A domain mean to two decimals, rounded half up (exact, no float)."""
    scaled = value * 100
    whole = (scaled + Fraction(1, 2)).__floor__()
    return Decimal(whole).scaleb(-2)
