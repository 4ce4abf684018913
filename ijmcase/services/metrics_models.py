"""The read models of the directors' figures: frozen values for a dashboard or a report.

Every count carries the ``key`` that ``MetricsService.cases_behind`` takes to
list the cases behind it, so a dashboard number clicks through. Counts are
exact; hiding small ones (small-cell suppression) is the report's business,
so the dashboard and the report start from the same numbers.

A section says whether it has anything to show (``availability``): ``ready``;
``empty`` when its records exist but none fall in the filter; or
``not_recorded`` when this database has no such records at all yet (the
court or aftercare records of later releases), with a ``note`` a person can
read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ijmcase.services.metrics_scope import MetricFilter

__all__ = [
    "AccountabilitySection",
    "AftercareSection",
    "Availability",
    "Breakdown",
    "CasesSection",
    "Count",
    "CourtOutcomes",
    "CrossTab",
    "Dashboard",
    "DomainChange",
    "HearingsSection",
    "InterventionsSection",
    "Median",
    "PreventionSection",
    "Ratio",
    "ReferralsSection",
    "RestorationFigures",
    "SurvivorsSection",
    "availability_of",
]


class Availability(StrEnum):
    READY = "ready"
    EMPTY = "empty"
    NOT_RECORDED = "not_recorded"


@dataclass(frozen=True)
class Count:
    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator, e.g. the conviction rate; None with no denominator."""

    key: str
    label: str
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None


@dataclass(frozen=True)
class Median:
    key: str
    label: str
    value: float | None
    observations: int
    unit: str


@dataclass(frozen=True)
class Breakdown:
    """One figure split by one dimension; ``items`` in display order, zeros included."""

    key: str
    label: str
    dimension: str
    total: Count
    items: tuple[Count, ...]


@dataclass(frozen=True)
class CrossTab:
    """A figure split two ways; totals are the sums of their cells."""

    key: str
    label: str
    row_dimension: str
    column_dimension: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[Count, ...], ...]
    row_totals: tuple[Count, ...]
    column_totals: tuple[Count, ...]
    total: Count


def availability_of(has_records: bool, anything: bool) -> Availability:
    """``not_recorded`` without the records, ``empty`` with none in scope, else ``ready``."""
    if not has_records:
        return Availability.NOT_RECORDED
    return Availability.READY if anything else Availability.EMPTY


@dataclass(frozen=True)
class CasesSection:
    availability: Availability
    note: str
    as_of: date
    active: Count
    opened: Count
    closed: Count
    open_on_as_of: Count
    by_stage: CrossTab  # open cases on as_of: stage by track status
    by_country_violence: CrossTab  # cases active in the period


@dataclass(frozen=True)
class SurvivorsSection:
    """Survivors brought to safety: victims in cases whose rescue was completed
    in the period."""

    availability: Availability
    note: str
    brought_to_safety: Count
    minors: Count
    adults: Count
    age_unknown: Count
    by_violence: Breakdown
    by_age_violence: CrossTab
    by_country_violence: CrossTab


@dataclass(frozen=True)
class CourtOutcomes:
    """From the court records (proceedings), when this database has them."""

    charged: Count
    convicted: Count
    acquitted: Count
    dismissed: Count
    conviction_rate: Ratio  # convictions / (convictions + acquittals + dismissals)
    median_sentence_months: Median
    days_report_to_charge: Median
    days_charge_to_verdict: Median
    survivors_protected: Count
    compensation_applied: Count
    compensation_awarded: Count
    compensation_paid: Count


@dataclass(frozen=True)
class AccountabilitySection:
    availability: Availability
    note: str
    accused: Count  # accused persons in cases active in the period
    arrested: Count
    by_custody: Breakdown
    court: CourtOutcomes | None
    court_note: str


@dataclass(frozen=True)
class HearingsSection:
    availability: Availability
    note: str
    hearings: Count
    by_outcome: Breakdown
    adjournment_rate: Ratio  # adjourned / hearings with an outcome recorded


@dataclass(frozen=True)
class InterventionsSection:
    availability: Availability
    note: str
    total: Count
    by_type: Breakdown
    survivors_testified: Count
    compensation_applicants: Count


@dataclass(frozen=True)
class DomainChange:
    key: str  # the survivors' cases behind every domain's change
    domain: str
    label: str
    mean_change: float | None
    survivors: int


@dataclass(frozen=True)
class RestorationFigures:
    """From the outcome assessments, when this database has them."""

    assessments: Count
    on_time: Ratio
    change_by_domain: tuple[DomainChange, ...]
    restored: Ratio
    median_months_to_restoration: Median


@dataclass(frozen=True)
class AftercareSection:
    availability: Availability
    note: str
    in_aftercare: Count  # survivors whose case's aftercare track is active on as_of
    completed: Count  # cases whose aftercare track was completed in the period
    restoration: RestorationFigures | None
    restoration_note: str


@dataclass(frozen=True)
class ReferralsSection:
    availability: Availability
    note: str
    made: Count | None
    completed: Count | None


@dataclass(frozen=True)
class PreventionSection:
    availability: Availability
    note: str
    officials_trained: Count | None
    by_role: Breakdown | None
    trainings: Count | None
    government_led: Count | None


@dataclass(frozen=True)
class Dashboard:
    """Every section for one filter, and the settings that shape how they are shown."""

    filter: MetricFilter
    as_of: date
    small_cell_threshold: int
    cases: CasesSection
    survivors: SurvivorsSection
    accountability: AccountabilitySection
    hearings: HearingsSection
    interventions: InterventionsSection
    aftercare: AftercareSection
    referrals: ReferralsSection
    prevention: PreventionSection

    @property
    def is_empty(self) -> bool:
        """No case in scope at all: nothing to report for this filter."""
        return self.cases.active.value == 0
