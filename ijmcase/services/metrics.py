"""Program directors' figures (DOMAIN.md, "What a program director reports").

``MetricsService`` answers each section of the dashboard for a filter
(period, country, office), counting only the cases the actor may see, and
lists the cases behind any figure (``cases_behind``). Each section is an
aggregate in SQL over its own base query (``metrics_cases``,
``metrics_court``, ``metrics_care``), so the work does not grow in Python
with the number of cases and memory stays flat.

Sections whose records do not exist in this database yet (the court and
aftercare records of later releases) say so rather than show zeros.

The figures are exact. Small-cell suppression (``domain.disclosure``) is
applied where figures leave the program team: in reports and exports
(``services.reporting``). The threshold is the setting
``report.small_cell_threshold``, default 5.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.disclosure import (
    MAX_SMALL_CELL_THRESHOLD,
    SMALL_CELL_SETTING,
    threshold_from_setting,
)
from ijmcase.domain.errors import NotFound, ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.database import get_setting, set_setting
from ijmcase.persistence.models import Case, Office
from ijmcase.services import metrics_care, metrics_cases, metrics_court
from ijmcase.services.case_access import CaseAccess
from ijmcase.services.context import Changes, Outcome, today
from ijmcase.services.metrics_keys import Drill, parse_key
from ijmcase.services.metrics_models import (
    AccountabilitySection,
    AftercareSection,
    CasesSection,
    Dashboard,
    HearingsSection,
    InterventionsSection,
    PreventionSection,
    ReferralsSection,
    SurvivorsSection,
)
from ijmcase.services.metrics_scope import MetricFilter, Scope, optional_model

__all__ = ["DRILLS", "SECTION_COUNT", "MetricFilter", "MetricsService", "build_dashboard"]

DRILLS: dict[str, Drill] = {
    **metrics_cases.DRILLS,
    **metrics_court.DRILLS,
    **metrics_care.DRILLS,
}

T = TypeVar("T")
Step = Callable[[str], None]
SECTION_COUNT = 8


def build_dashboard(
    session: Session, scope: Scope, threshold: int, step: Step | None = None
) -> Dashboard:
    """Every section, one after the other; ``step(name)`` after each (progress
    and cancellation for a report built on the worker thread)."""

    def done(name: str) -> None:
        if step is not None:
            step(name)

    cases = metrics_cases.cases_section(session, scope)
    done("cases")
    survivors = metrics_cases.survivors_section(session, scope)
    done("survivors")
    accountability = metrics_court.accountability_section(session, scope)
    done("accountability")
    hearings = metrics_court.hearings_section(session, scope)
    done("hearings")
    interventions = metrics_cases.interventions_section(session, scope)
    done("interventions")
    aftercare = metrics_care.aftercare_section(session, scope)
    done("aftercare")
    referrals = metrics_care.referrals_section(session, scope)
    done("referrals")
    prevention = metrics_care.prevention_section(session, scope)
    done("prevention")
    return Dashboard(
        filter=scope.filter,
        as_of=scope.as_of,
        small_cell_threshold=threshold,
        cases=cases,
        survivors=survivors,
        accountability=accountability,
        hearings=hearings,
        interventions=interventions,
        aftercare=aftercare,
        referrals=referrals,
        prevention=prevention,
    )


class MetricsService(CaseAccess):
    """The dashboard's figures for the acting user's visible cases."""

    # -- plumbing shared with the reporting service ---------------------------

    def _scope(self, session: Session, flt: MetricFilter) -> Scope:
        return Scope(
            flt.normalized(), self._visible_clause(), today(), session.get_bind().dialect.name
        )

    def _threshold(self, session: Session) -> int:
        return threshold_from_setting(get_setting(session, SMALL_CELL_SETTING))

    def _section(self, flt: MetricFilter, build: Callable[[Session, Scope], T]) -> T:
        self._require(Permission.CASE_READ, "read cases")
        with self._read() as session:
            return build(session, self._scope(session, flt))

    # -- settings -----------------------------------------------------------

    def small_cell_threshold(self) -> int:
        with self._read() as session:
            return self._threshold(session)

    def set_small_cell_threshold(self, value: int) -> Outcome[int]:
        """Counts below this are suppressed in reports (1 turns suppression off)."""
        self._require(Permission.SETTINGS_EDIT, "change how reports protect small counts")
        if isinstance(value, bool) or not 1 <= value <= MAX_SMALL_CELL_THRESHOLD:
            raise ValidationError.single(
                "small_cell_threshold",
                "out_of_range",
                f"The small-cell threshold must be a whole number from 1 to "
                f"{MAX_SMALL_CELL_THRESHOLD}.",
            )
        with self._write() as session:
            before = self._threshold(session)
            set_setting(session, SMALL_CELL_SETTING, value, by=self.actor.user_id)
            self._audit(
                session,
                "settings.small_cell_threshold",
                "setting",
                SMALL_CELL_SETTING,
                details={"from": before, "to": value},
            )
        return Outcome(value, Changes.of("settings"))

    # -- filters --------------------------------------------------------------

    def office(self, code: str) -> tuple[uuid.UUID, str]:
        """An office's id and code from its code (for ``--office``)."""
        with self._read() as session:
            row = session.execute(
                select(Office.id, Office.code).where(
                    Office.code == code.strip().upper(), Office.deleted_at.is_(None)
                )
            ).first()
        if row is None:
            raise NotFound(f"There is no office {code.strip()}.", code="office_not_found")
        return row[0], row[1]

    # -- sections ---------------------------------------------------------------

    def dashboard(self, flt: MetricFilter) -> Dashboard:
        self._require(Permission.CASE_READ, "read cases")
        with self._read() as session:
            return build_dashboard(session, self._scope(session, flt), self._threshold(session))

    def cases(self, flt: MetricFilter) -> CasesSection:
        return self._section(flt, metrics_cases.cases_section)

    def survivors(self, flt: MetricFilter) -> SurvivorsSection:
        return self._section(flt, metrics_cases.survivors_section)

    def accountability(self, flt: MetricFilter) -> AccountabilitySection:
        return self._section(flt, metrics_court.accountability_section)

    def hearings(self, flt: MetricFilter) -> HearingsSection:
        return self._section(flt, metrics_court.hearings_section)

    def interventions(self, flt: MetricFilter) -> InterventionsSection:
        return self._section(flt, metrics_cases.interventions_section)

    def aftercare(self, flt: MetricFilter) -> AftercareSection:
        return self._section(flt, metrics_care.aftercare_section)

    def referrals(self, flt: MetricFilter) -> ReferralsSection:
        return self._section(flt, metrics_care.referrals_section)

    def prevention(self, flt: MetricFilter) -> PreventionSection:
        return self._section(flt, metrics_care.prevention_section)

    # -- drill-down -------------------------------------------------------------

    def cases_behind(self, metric_key: str, flt: MetricFilter) -> list[uuid.UUID]:
        """The ids of the cases behind a figure (its ``key``), by case code.

        Only cases the actor may see; none when the figure's records do not
        exist in this database yet.
        """
        self._require(Permission.CASE_READ, "read cases")
        name, dims = parse_key(metric_key)
        drill = DRILLS.get(name)
        if drill is None or not set(dims) <= drill.dimensions:
            raise ValidationError.single(
                "metric", "unknown_metric", f"'{metric_key}' is not a figure ijmcase reports."
            )
        with self._read() as session:
            if any(optional_model(session, model) is None for model in drill.needs):
                return []
            base = drill.rows(self._scope(session, flt)).subquery()
            behind = select(base.c.case_id).where(
                *[base.c[dim] == value for dim, value in dims.items()]
            )
            return list(
                session.scalars(select(Case.id).where(Case.id.in_(behind)).order_by(Case.code))
            )
