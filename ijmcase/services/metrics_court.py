"""Perpetrator-accountability figures: accused persons, hearings and, once the
lawyers' court records are in the database, charges, verdicts, sentences,
the time cases take, protection and compensation.

Definitions:

- *accused*: accused persons in cases active in the period, by their custody
  status today; *arrested or held*: arrested, on bail, in custody or
  released (custody that began with an arrest);
- *hearings*: hearings scheduled in the period, by outcome; the
  *adjournment rate* is adjourned hearings over hearings held or adjourned
  (vacated hearings and those with no outcome recorded yet are left out);

From the court records (``proceedings`` and their charges, custody events,
milestones, protection measures and compensation claims), per accused:

- *arrested* in the period: the first arrest or remand in custody;
- *charged*: the first charge filed in the period;
- *convicted* (including guilty pleas), *acquitted*, *dismissed*: the
  outcome recorded in the period; *conviction rate* = convicted /
  (convicted + acquitted + dismissed);
- *median sentence*: prison months of the convictions in the period (life
  sentences left out);
- *days report -> charge*: from the first "reported" milestone (FIR,
  complaint) to the first charge, for accused first charged in the period;
  *days charge -> verdict*: from the first charge to a conviction or
  acquittal recorded in the period; a negative duration (a date typed
  wrongly) is left out (``services.processing_times`` agrees);
- *survivors protected*: survivors with a protection measure (not a
  reported threat) starting in the period; *compensation* applied, awarded,
  paid: survivors with a claim applied for, awarded or paid in the period.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from ijmcase.domain.enums import (
    CompensationStatus,
    CustodyStatus,
    HearingOutcome,
    PartyKind,
    ProceedingOutcome,
    ProtectionKind,
    ReportingStage,
)
from ijmcase.persistence import models
from ijmcase.persistence.models import Accused, CaseParty, Hearing
from ijmcase.services.metrics_keys import Drill, breakdown, metric_key
from ijmcase.services.metrics_models import (
    AccountabilitySection,
    Count,
    CourtOutcomes,
    HearingsSection,
    Median,
    Ratio,
    availability_of,
)
from ijmcase.services.metrics_scope import (
    Scope,
    any_rows,
    median,
    optional_model,
    tally,
    text_of,
)

__all__ = ["ARRESTED_STATUSES", "DRILLS", "accountability_section", "hearings_section"]

# Custody that began with an arrest (RELEASED arrives with the court records).
ARRESTED_STATUSES = frozenset(
    s for s in CustodyStatus if s.value in {"arrested", "on_bail", "in_custody", "released"}
)
_CONVICTED = (ProceedingOutcome.CONVICTED, ProceedingOutcome.PLEA)
_RESULTS = (("convicted", "Convicted"), ("acquitted", "Acquitted"), ("dismissed", "Dismissed"))
_COURT = ("Proceeding", "Charge", "CustodyEvent", "MilestoneRecord")

NO_COURT_RECORDS = (
    "No court records yet: charges, verdicts, sentences, protection measures and "
    "compensation are counted once lawyers record proceedings."
)


def accused_rows(scope: Scope) -> Select[Any]:
    arrested = case((Accused.custody_status.in_(sorted(ARRESTED_STATUSES)), "yes"), else_="no")
    return (
        select(
            CaseParty.case_id.label("case_id"),
            Accused.id.label("unit"),
            text_of(Accused.custody_status).label("custody"),
            arrested.label("arrested"),
        )
        .join(Accused, and_(Accused.id == CaseParty.accused_id, Accused.deleted_at.is_(None)))
        .where(
            CaseParty.kind == PartyKind.ACCUSED,
            CaseParty.deleted_at.is_(None),
            CaseParty.case_id.in_(scope.case_ids(scope.active())),
        )
    )


def hearing_rows(scope: Scope) -> Select[Any]:
    return select(
        Hearing.case_id.label("case_id"),
        Hearing.id.label("unit"),
        func.coalesce(text_of(Hearing.outcome), "not_recorded").label("outcome"),
    ).where(
        Hearing.case_id.in_(scope.case_ids()),
        Hearing.deleted_at.is_(None),
        scope.at_instant(Hearing.scheduled_at),
    )


# -- court records -------------------------------------------------------------


def _m(name: str) -> Any:
    # Looked up when used, not imported: this module must load (and say "no
    # data yet") in a build or a database without the court records.
    return getattr(models, name)


def _proceedings(scope: Scope, *columns: Any) -> Select[Any]:
    p = _m("Proceeding")
    return select(p.case_id.label("case_id"), p.id.label("unit"), *columns).where(
        p.case_id.in_(scope.case_ids()), p.deleted_at.is_(None)
    )


def _first_charge() -> Any:
    c = _m("Charge")
    return (
        select(c.proceeding_id.label("proceeding_id"), func.min(c.filed_on).label("charged_on"))
        .where(c.deleted_at.is_(None))
        .group_by(c.proceeding_id)
        .subquery()
    )


def charged_rows(scope: Scope) -> Select[Any]:
    first = _first_charge()
    return (
        _proceedings(scope, first.c.charged_on.label("charged_on"))
        .join(first, first.c.proceeding_id == _m("Proceeding").id)
        .where(scope.on_day(first.c.charged_on))
    )


def arrest_rows(scope: Scope) -> Select[Any]:
    e = _m("CustodyEvent")
    first = (
        select(e.proceeding_id.label("proceeding_id"), func.min(e.on_date).label("arrested_on"))
        .where(
            e.deleted_at.is_(None),
            e.status.in_([CustodyStatus.ARRESTED, CustodyStatus.IN_CUSTODY]),
        )
        .group_by(e.proceeding_id)
        .subquery()
    )
    return (
        _proceedings(scope)
        .join(first, first.c.proceeding_id == _m("Proceeding").id)
        .where(scope.on_day(first.c.arrested_on))
    )


def verdict_rows(scope: Scope) -> Select[Any]:
    p = _m("Proceeding")
    result = case(
        (p.outcome.in_(_CONVICTED), "convicted"),
        (p.outcome == ProceedingOutcome.ACQUITTED, "acquitted"),
        else_="dismissed",
    )
    return _proceedings(scope, result.label("result")).where(
        p.outcome.in_([*_CONVICTED, ProceedingOutcome.ACQUITTED, ProceedingOutcome.DISMISSED]),
        scope.on_day(p.outcome_on),
    )


def sentence_rows(scope: Scope) -> Select[Any]:
    p = _m("Proceeding")
    return _proceedings(scope, p.prison_months.label("months")).where(
        p.outcome.in_(_CONVICTED),
        scope.on_day(p.outcome_on),
        p.prison_months.is_not(None),
        p.life_sentence.is_(False),
    )


def report_to_charge_rows(scope: Scope) -> Select[Any]:
    m = _m("MilestoneRecord")
    reported = (
        select(m.proceeding_id.label("proceeding_id"), func.min(m.on_date).label("reported_on"))
        .where(m.deleted_at.is_(None), m.stage == ReportingStage.REPORTED, m.skipped.is_(False))
        .group_by(m.proceeding_id)
        .subquery()
    )
    first = _first_charge()
    return (
        _proceedings(
            scope, scope.days_between(first.c.charged_on, reported.c.reported_on).label("days")
        )
        .join(first, first.c.proceeding_id == _m("Proceeding").id)
        .join(reported, reported.c.proceeding_id == _m("Proceeding").id)
        .where(
            scope.on_day(first.c.charged_on),
            # A charge before the report is a date typed wrongly: left out,
            # not allowed to pull the median down (as processing_times does).
            first.c.charged_on >= reported.c.reported_on,
        )
    )


def charge_to_verdict_rows(scope: Scope) -> Select[Any]:
    p = _m("Proceeding")
    first = _first_charge()
    return (
        _proceedings(scope, scope.days_between(p.outcome_on, first.c.charged_on).label("days"))
        .join(first, first.c.proceeding_id == p.id)
        .where(
            p.outcome.in_([*_CONVICTED, ProceedingOutcome.ACQUITTED]),
            scope.on_day(p.outcome_on),
            p.outcome_on >= first.c.charged_on,
        )
    )


def protection_rows(scope: Scope) -> Select[Any]:
    pm = _m("ProtectionMeasure")
    return select(pm.case_id.label("case_id"), pm.survivor_id.label("unit")).where(
        pm.case_id.in_(scope.case_ids()),
        pm.deleted_at.is_(None),
        pm.kind != ProtectionKind.THREATS_REPORTED,
        scope.on_day(pm.starts_on),
    )


def compensation_rows(scope: Scope) -> Select[Any]:
    claim = _m("CompensationClaim")
    awarded = [CompensationStatus.AWARDED, CompensationStatus.PARTLY_PAID, CompensationStatus.PAID]
    paid = [CompensationStatus.PARTLY_PAID, CompensationStatus.PAID]

    def part(stage: str, day: Any, *extra: Any) -> Select[Any]:
        return select(
            claim.case_id.label("case_id"),
            claim.survivor_id.label("unit"),
            literal(stage).label("stage"),
        ).where(
            claim.case_id.in_(scope.case_ids()),
            claim.deleted_at.is_(None),
            scope.on_day(day),
            *extra,
        )

    both = union_all(
        part("applied", claim.applied_on),
        part("awarded", claim.awarded_on, claim.status.in_(awarded)),
        part("paid", claim.paid_on, claim.status.in_(paid)),
    ).subquery()
    return select(both.c.case_id, both.c.unit, both.c.stage)


DRILLS: dict[str, Drill] = {
    "accused": Drill(accused_rows, frozenset({"custody", "arrested"})),
    "hearings": Drill(hearing_rows, frozenset({"outcome"})),
    "court.arrested": Drill(arrest_rows, frozenset(), _COURT),
    "court.charged": Drill(charged_rows, frozenset(), _COURT),
    "court.verdicts": Drill(verdict_rows, frozenset({"result"}), _COURT),
    "court.sentences": Drill(sentence_rows, frozenset(), _COURT),
    "court.report_to_charge": Drill(report_to_charge_rows, frozenset(), _COURT),
    "court.charge_to_verdict": Drill(charge_to_verdict_rows, frozenset(), _COURT),
    "court.protected": Drill(protection_rows, frozenset(), ("ProtectionMeasure",)),
    "court.compensation": Drill(compensation_rows, frozenset({"stage"}), ("CompensationClaim",)),
}


def _court_available(session: Session) -> bool:
    needed = [optional_model(session, name) for name in _COURT]
    return all(m is not None for m in needed) and any_rows(session, _m("Proceeding"))


def _court_outcomes(session: Session, scope: Scope) -> CourtOutcomes:
    verdicts = tally(
        session, verdict_rows(scope), ("result",), values={"result": [r for r, _ in _RESULTS]}
    )
    convicted = verdicts.get(("convicted",), 0)
    acquitted = verdicts.get(("acquitted",), 0)
    dismissed = verdicts.get(("dismissed",), 0)
    sentence, n_sentences = median(session, select(sentence_rows(scope).subquery().c.months))
    to_charge, n_charge = median(session, select(report_to_charge_rows(scope).subquery().c.days))
    to_verdict, n_verdict = median(session, select(charge_to_verdict_rows(scope).subquery().c.days))
    protected = 0
    if optional_model(session, "ProtectionMeasure") is not None:
        protected = tally(session, protection_rows(scope)).get((), 0)
    compensation: dict[tuple[str, ...], int] = {}
    if optional_model(session, "CompensationClaim") is not None:
        compensation = tally(session, compensation_rows(scope), ("stage",))

    def comp(stage: str, label: str) -> Count:
        return Count(
            metric_key("court.compensation", stage=stage), label, compensation.get((stage,), 0)
        )

    return CourtOutcomes(
        charged=Count(
            "court.charged", "Accused charged", tally(session, charged_rows(scope)).get((), 0)
        ),
        convicted=Count(metric_key("court.verdicts", result="convicted"), "Convicted", convicted),
        acquitted=Count(metric_key("court.verdicts", result="acquitted"), "Acquitted", acquitted),
        dismissed=Count(metric_key("court.verdicts", result="dismissed"), "Dismissed", dismissed),
        conviction_rate=Ratio(
            "court.verdicts", "Conviction rate", convicted, convicted + acquitted + dismissed
        ),
        median_sentence_months=Median(
            "court.sentences", "Median prison sentence", sentence, n_sentences, "months"
        ),
        days_report_to_charge=Median(
            "court.report_to_charge",
            "Median days from report to charge",
            to_charge,
            n_charge,
            "days",
        ),
        days_charge_to_verdict=Median(
            "court.charge_to_verdict",
            "Median days from charge to verdict",
            to_verdict,
            n_verdict,
            "days",
        ),
        survivors_protected=Count(
            "court.protected", "Survivors granted protection measures", protected
        ),
        compensation_applied=comp("applied", "Survivors who applied for compensation"),
        compensation_awarded=comp("awarded", "Survivors awarded compensation"),
        compensation_paid=comp("paid", "Survivors paid compensation"),
    )


def accountability_section(session: Session, scope: Scope) -> AccountabilitySection:
    by_custody = tally(
        session,
        accused_rows(scope),
        ("custody",),
        values={"custody": [c.value for c in CustodyStatus]},
    )
    counts = {custody: n for (custody,), n in by_custody.items()}
    total = sum(counts.values())
    court = _court_outcomes(session, scope) if _court_available(session) else None
    if court is not None:
        arrested = Count(
            "court.arrested",
            "Accused arrested in the period",
            tally(session, arrest_rows(scope)).get((), 0),
        )
    else:
        arrested = Count(
            metric_key("accused", arrested="yes"),
            "Accused arrested or held (custody status now)",
            sum(n for c, n in counts.items() if c in {s.value for s in ARRESTED_STATUSES}),
        )
    return AccountabilitySection(
        availability=availability_of(True, total > 0),
        note="" if total else "No accused persons are recorded in the cases of this period.",
        accused=Count("accused", "Accused persons", total),
        arrested=arrested,
        by_custody=breakdown(
            "accused",
            "Accused persons by custody status now",
            "custody",
            "Custody status",
            [(s.value, s.label) for s in CustodyStatus],
            counts,
        ),
        court=court,
        court_note="" if court is not None else NO_COURT_RECORDS,
    )


def hearings_section(session: Session, scope: Scope) -> HearingsSection:
    outcomes = [o.value for o in HearingOutcome] + ["not_recorded"]
    found = tally(
        session, hearing_rows(scope), ("outcome",), distinct=False, values={"outcome": outcomes}
    )
    by_outcome = {o: n for (o,), n in found.items()}
    total = sum(by_outcome.values())
    held = by_outcome.get(HearingOutcome.HELD.value, 0)
    adjourned = by_outcome.get(HearingOutcome.ADJOURNED.value, 0)
    items = [(o.value, o.label) for o in HearingOutcome] + [("not_recorded", "No outcome yet")]
    return HearingsSection(
        availability=availability_of(True, total > 0),
        note="" if total else "No hearings were scheduled in this period.",
        hearings=Count("hearings", "Hearings", total),
        by_outcome=breakdown("hearings", "Hearings", "outcome", "Outcome", items, by_outcome),
        adjournment_rate=Ratio(
            metric_key("hearings", outcome="adjourned"),
            "Adjournment rate",
            adjourned,
            held + adjourned,
        ),
    )
