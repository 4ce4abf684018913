"""The case report's content, read in the caller's transaction.

What a redacted report shows: survivors by code with their non-identifying
facts (sex, age, minor at rescue); accused persons and officials by name
(they are not survivors, DOMAIN.md); staff by name; and free text (the
case title, track outcomes, reasons, intervention outcomes, hearing
purposes and reasons) passed through ``domain.redaction.scrub`` with the
identifying values of the case's survivors, in case a name or a phone
number slipped into a note. The case summary and intervention notes are
left out: long free text is where names hide.

A full report adds each survivor's identifying record and the summary, and
leaves the free text as written. Whether the actor may have one is
decided, and audited, by ``ReportingService.case_pdf``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from ijmcase.domain.enums import (
    HearingOutcome,
    InterventionType,
    PartyKind,
    ProceedingOutcome,
    ReportingStage,
    Stage,
)
from ijmcase.domain.redaction import identifying_patterns, scrub
from ijmcase.persistence.database import get_setting
from ijmcase.persistence.models import (
    Accused,
    CaseParty,
    Hearing,
    Intervention,
    StageTransition,
    Survivor,
    SurvivorIdentity,
    User,
)
from ijmcase.reports.case_report import (
    AftercareProgress,
    CaseReport,
    HearingLine,
    IdentityLine,
    PartyLine,
    ProceedingLine,
    TimelineLine,
    TrackLine,
)
from ijmcase.reports.pdf_charts import RESTORATION_THRESHOLD
from ijmcase.services.cases import CaseDetail
from ijmcase.services.metrics_care import domain_labels
from ijmcase.services.metrics_scope import any_rows, optional_model

__all__ = ["CaseContent", "case_content", "identifying_values", "survivor_ids"]

Step = Callable[[str], None]


@dataclass(frozen=True)
class CaseContent:
    report: CaseReport
    survivors: int
    timeline_entries: int


def survivor_ids(session: Session, case_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(id, code) of the survivors in the case."""
    return [
        (sid, code)
        for sid, code in session.execute(
            select(Survivor.id, Survivor.code)
            .join(CaseParty, CaseParty.survivor_id == Survivor.id)
            .where(
                CaseParty.case_id == case_id,
                CaseParty.kind == PartyKind.SURVIVOR,
                CaseParty.deleted_at.is_(None),
                Survivor.deleted_at.is_(None),
            )
            .order_by(Survivor.code)
        )
    ]


def _identities(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    if not ids:
        return {}
    rows = session.execute(
        select(
            SurvivorIdentity.survivor_id,
            SurvivorIdentity.legal_name,
            SurvivorIdentity.other_names,
            SurvivorIdentity.date_of_birth,
            SurvivorIdentity.phone,
            SurvivorIdentity.address,
            SurvivorIdentity.guardian_name,
            SurvivorIdentity.guardian_contact,
        ).where(SurvivorIdentity.survivor_id.in_(ids), SurvivorIdentity.deleted_at.is_(None))
    )
    return {row[0]: row for row in rows}


def identifying_values(session: Session, ids: list[uuid.UUID]) -> list[str]:
    """The survivors' names, phone numbers, guardians and dates of birth: what free
    text in a redacted report is scrubbed of."""
    values: list[str] = []
    for row in _identities(session, ids).values():
        _, name, other, born, phone, _address, guardian, contact = row
        # The address is left out of the scrub list: its words are place names
        # the report shows anyway (the case's jurisdiction); it appears only
        # in a full report's identity table.
        values += [name, other, phone, guardian, contact]
        if born is not None:
            values.append(born.isoformat())
    return [v for v in values if v]


class _Text:
    """Free text as the report may show it."""

    def __init__(self, values: list[str], *, full: bool) -> None:
        self._full = full
        self._values = values if identifying_patterns(values) else []

    def __call__(self, text: str) -> str:
        text = (text or "").strip()
        return text if self._full or not self._values else scrub(text, self._values)


def _local(moment: datetime, zone: str) -> str:
    try:
        local = moment.astimezone(ZoneInfo(zone))
        return f"{local:%Y-%m-%d %H:%M} {zone}"
    except (ZoneInfoNotFoundError, ValueError):
        return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def _header(detail: CaseDetail, text: _Text) -> tuple[tuple[str, str], ...]:
    closed = "still open"
    if detail.closed_on is not None:
        reason = f" ({detail.closure_reason.label.lower()})" if detail.closure_reason else ""
        closed = f"{detail.closed_on.isoformat()}{reason}"
    return (
        ("Case", f"{detail.code} — {text(detail.title)}"),
        ("Violence type", detail.violence_type.label),
        ("Country and place", ", ".join(p for p in (detail.country, detail.jurisdiction) if p)),
        ("Office", detail.office_name or "—"),
        ("Opened", detail.opened_on.isoformat()),
        ("Closed", closed),
        ("Risk level", detail.risk_level.label),
        ("Sensitivity", detail.sensitivity.label),
        ("Lead caseworker", detail.lead_caseworker_name or "—"),
        ("Lead lawyer", detail.lead_lawyer_name or "—"),
    )


def _tracks(detail: CaseDetail, text: _Text) -> tuple[TrackLine, ...]:
    return tuple(
        TrackLine(t.stage.label, t.status.label, t.started_on, t.completed_on, text(t.outcome_note))
        for t in detail.tracks
    )


def _parties(detail: CaseDetail) -> tuple[PartyLine, ...]:
    return tuple(PartyLine(p.kind.label, p.label, p.role.label, p.detail) for p in detail.parties)


def _timeline(
    session: Session, case_id: uuid.UUID, text: _Text, codes: dict[uuid.UUID, str]
) -> list[TimelineLine]:
    lines: list[TimelineLine] = []
    moves = session.execute(
        select(StageTransition, User.display_name)
        .outerjoin(User, User.id == StageTransition.created_by)
        .where(StageTransition.case_id == case_id, StageTransition.deleted_at.is_(None))
    ).all()
    for move, by in moves:
        # Words, not an arrow: the arrow is not in the embedded font.
        what = f"{move.from_status.label} to {move.to_status.label.lower()}"
        lines.append(
            TimelineLine(
                move.effective_on,
                move.effective_on.isoformat(),
                _short(move.stage),
                "Stage change",
                what,
                text(move.reason),
                by or "",
            )
        )
    newer = aliased(Intervention)
    rows = session.execute(
        select(
            Intervention.occurred_at,
            Intervention.type,
            Intervention.stage,
            Intervention.survivor_id,
            Intervention.outcome,
            Intervention.duration_minutes,
            User.display_name,
        )
        .outerjoin(User, User.id == Intervention.staff_user_id)
        .where(
            Intervention.case_id == case_id,
            Intervention.deleted_at.is_(None),
            ~exists().where(newer.supersedes_id == Intervention.id, newer.deleted_at.is_(None)),
        )
    ).all()
    for at, kind, stage, survivor, outcome, minutes, by in rows:
        who = f" with {codes[survivor]}" if survivor in codes else ""
        length = f" ({minutes} min)" if minutes else ""
        lines.append(
            TimelineLine(
                at.astimezone(UTC).date(),
                f"{at.astimezone(UTC):%Y-%m-%d %H:%M}",
                _short(stage),
                "Intervention",
                f"{kind.label}{who}{length}",
                text(outcome),
                by or "",
            )
        )
    for h in session.execute(
        select(
            Hearing.scheduled_at,
            Hearing.purpose,
            Hearing.outcome,
            Hearing.court_name,
            Hearing.adjournment_reason,
        ).where(Hearing.case_id == case_id, Hearing.deleted_at.is_(None))
    ):
        at, purpose, heard, court, reason = h
        result = heard.label if heard else "no outcome yet"
        why = f": {text(reason)}" if heard is HearingOutcome.ADJOURNED and reason else ""
        lines.append(
            TimelineLine(
                at.astimezone(UTC).date(),
                f"{at.astimezone(UTC):%Y-%m-%d %H:%M}",
                _short(Stage.ACCOUNTABILITY),
                "Hearing",
                text(purpose) or "Hearing",
                f"{court}; {result}{why}".strip("; "),
                "",
            )
        )
    order = {"Stage change": 0, "Hearing": 1, "Intervention": 2}
    lines.sort(key=lambda t: (t.on, t.when, order[t.kind]))
    return lines


_STAGE_SHORT = {
    Stage.RESCUE: "Rescue",
    Stage.ACCOUNTABILITY: "Accountability",
    Stage.AFTERCARE: "Aftercare",
    Stage.PREVENTION: "Prevention",
}


def _short(stage: Stage) -> str:
    return _STAGE_SHORT[stage]


def _hearings(session: Session, case_id: uuid.UUID, text: _Text) -> tuple[HearingLine, ...]:
    rows = session.execute(
        select(
            Hearing.scheduled_at,
            Hearing.timezone,
            Hearing.court_name,
            Hearing.courtroom,
            Hearing.purpose,
            Hearing.outcome,
            Hearing.next_date,
            Hearing.adjournment_reason,
        )
        .where(Hearing.case_id == case_id, Hearing.deleted_at.is_(None))
        .order_by(Hearing.scheduled_at)
    )
    return tuple(
        HearingLine(
            _local(at, zone),
            ", ".join(p for p in (court, room) if p),
            text(purpose),
            outcome.label if outcome else "—",
            next_date,
            text(reason),
        )
        for at, zone, court, room, purpose, outcome, next_date, reason in rows
    )


def _proceedings(session: Session, case_id: uuid.UUID) -> tuple[tuple[ProceedingLine, ...], str]:
    proceeding = optional_model(session, "Proceeding")
    charge = optional_model(session, "Charge")
    if proceeding is None or charge is None or not any_rows(session, proceeding):
        return (), "This database has no court records (proceedings) yet."
    rows = session.execute(
        select(proceeding, Accused.name, Accused.code)
        .join(Accused, Accused.id == proceeding.accused_id)
        .where(proceeding.case_id == case_id, proceeding.deleted_at.is_(None))
        .order_by(Accused.code)
    ).all()
    lines = []
    for p, name, code in rows:
        charges = session.execute(
            select(charge.statute, charge.section, charge.filed_on, charge.status)
            .where(charge.proceeding_id == p.id, charge.deleted_at.is_(None))
            .order_by(charge.filed_on)
        ).all()
        lines.append(
            ProceedingLine(
                accused=f"{name} ({code})",
                pathway=p.pathway_name,
                stage=ReportingStage(p.reporting_stage).label
                if p.reporting_stage
                else "Not started",
                outcome=ProceedingOutcome(p.outcome).label,
                outcome_on=p.outcome_on,
                sentence=_sentence(p),
                charges="; ".join(
                    f"{' '.join(x for x in (statute, section) if x)} ({filed.isoformat()}, "
                    f"{status.label.lower()})"
                    for statute, section, filed, status in charges
                ),
            )
        )
    note = "" if lines else "No proceedings recorded in this case yet."
    return tuple(lines), note


def _sentence(p: Any) -> str:
    parts = []
    if p.life_sentence:
        parts.append("life imprisonment")
    elif p.prison_months:
        years, months = divmod(int(p.prison_months), 12)
        parts.append(
            " ".join(
                x
                for x in (
                    f"{years} year{'s' if years != 1 else ''}" if years else "",
                    f"{months} month{'s' if months != 1 else ''}" if months else "",
                )
                if x
            )
        )
    if p.fine_amount is not None:
        parts.append(f"fine {p.fine_amount:,} {p.fine_currency}".strip())
    return ", ".join(parts)


def _threshold(session: Session) -> float:
    # The aftercare settings keep the default minimum as a fraction's text ("3", "29/10").
    value = get_setting(session, "aftercare.threshold", None)
    try:
        return float(Fraction(str(value["default"]))) if value else RESTORATION_THRESHOLD
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return RESTORATION_THRESHOLD


def _aftercare(
    session: Session, case_id: uuid.UUID, codes: dict[uuid.UUID, str]
) -> tuple[tuple[AftercareProgress, ...], str]:
    assessment = optional_model(session, "Assessment")
    score = optional_model(session, "AssessmentScore")
    if assessment is None or score is None:
        return (), "This database has no outcome assessments yet."
    newer = aliased(assessment)
    rows = session.execute(
        select(
            assessment.survivor_id,
            assessment.id,
            assessment.assessed_on,
            assessment.type,
            score.domain_key,
            func.avg(score.score),
        )
        .join(score, and_(score.assessment_id == assessment.id, score.deleted_at.is_(None)))
        .where(
            assessment.case_id == case_id,
            assessment.deleted_at.is_(None),
            ~exists().where(newer.supersedes_id == assessment.id, newer.deleted_at.is_(None)),
        )
        .group_by(
            assessment.survivor_id,
            assessment.id,
            assessment.assessed_on,
            assessment.type,
            score.domain_key,
        )
        .order_by(assessment.survivor_id, assessment.assessed_on, assessment.id)
    ).all()
    if not rows:
        return (), "No outcome assessments recorded in this case yet."
    threshold = _threshold(session)
    labels = domain_labels()
    by_survivor: dict[uuid.UUID, dict[uuid.UUID, tuple[str, dict[str, float]]]] = {}
    for survivor, aid, on, kind, domain, mean in rows:
        rounds = by_survivor.setdefault(survivor, {})
        label = f"{on.isoformat()} {kind.label if hasattr(kind, 'label') else kind}"
        rounds.setdefault(aid, (label, {}))[1][domain] = float(mean)
    out = []
    for survivor, rounds in sorted(by_survivor.items(), key=lambda i: codes.get(i[0], "")):
        domains = sorted({d for _, scores in rounds.values() for d in scores})
        out.append(
            AftercareProgress(
                survivor=codes.get(survivor, "a survivor"),
                rounds=tuple(label for label, _ in rounds.values()),
                domains=tuple(
                    (
                        labels.get(d, d.replace("_", " ").capitalize()),
                        tuple(scores.get(d) for _, scores in rounds.values()),
                    )
                    for d in domains
                ),
                threshold=threshold,
            )
        )
    return tuple(out), ""


def _by_type(session: Session, case_id: uuid.UUID) -> tuple[tuple[str, int], ...]:
    newer = aliased(Intervention)
    rows = session.execute(
        select(Intervention.type, func.count())
        .where(
            Intervention.case_id == case_id,
            Intervention.deleted_at.is_(None),
            ~exists().where(newer.supersedes_id == Intervention.id, newer.deleted_at.is_(None)),
        )
        .group_by(Intervention.type)
    ).all()
    counts = {InterventionType(k): int(n) for k, n in rows}
    return tuple((k.label, n) for k, n in sorted(counts.items(), key=lambda i: (-i[1], i[0].label)))


def case_content(
    session: Session,
    detail: CaseDetail,
    *,
    full: bool,
    step: Step,
) -> CaseContent:
    """Everything the case report shows, read in ``session``."""
    survivors = survivor_ids(session, detail.id)
    ids = [sid for sid, _ in survivors]
    codes = dict(survivors)
    text = _Text(identifying_values(session, ids), full=full)
    identities: tuple[IdentityLine, ...] = ()
    if full:
        found = _identities(session, ids)
        identities = tuple(
            IdentityLine(
                code,
                found[sid][1] if sid in found else "",
                found[sid][2] if sid in found else "",
                found[sid][3] if sid in found else None,
                found[sid][4] if sid in found else "",
                found[sid][5] if sid in found else "",
                " ".join(x for x in (found[sid][6], found[sid][7]) if x) if sid in found else "",
            )
            for sid, code in survivors
        )
    step("case")
    timeline = _timeline(session, detail.id, text, codes)
    step("timeline")
    proceedings, proceedings_note = _proceedings(session, detail.id)
    hearings = _hearings(session, detail.id, text)
    step("court")
    aftercare, aftercare_note = _aftercare(session, detail.id, codes)
    by_type = _by_type(session, detail.id)
    step("aftercare")
    report = CaseReport(
        header=_header(detail, text),
        tracks=_tracks(detail, text),
        parties=_parties(detail),
        identities=identities,
        summary=detail.summary if full else "",
        proceedings=proceedings,
        proceedings_note=proceedings_note,
        hearings=hearings,
        interventions_by_type=by_type,
        aftercare=aftercare,
        aftercare_note=aftercare_note,
        timeline=tuple(timeline),
    )
    return CaseContent(report, len(ids), len(timeline))
