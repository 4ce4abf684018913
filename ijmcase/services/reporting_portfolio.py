"""The portfolio report's content: the dashboard's figures, as a board reads them.

Turns a :class:`~ijmcase.services.metrics_models.Dashboard` into a
:class:`~ijmcase.reports.portfolio.PortfolioReport`: which figures lead,
which charts and tables each section has, and every count passed through
small-cell suppression (``report_figures.Shown``). Nothing here reads the
database.
"""

from __future__ import annotations

from ijmcase.domain.enums import Stage, TrackStatus
from ijmcase.reports.portfolio import (
    ChartData,
    CountTable,
    Figure,
    PortfolioReport,
    PortfolioSection,
)
from ijmcase.services.metrics_cases import VIOLENCE_SHORT
from ijmcase.services.metrics_court import ARRESTED_STATUSES
from ijmcase.services.metrics_models import Availability, Count, Dashboard
from ijmcase.services.report_figures import Shown

__all__ = ["portfolio_content"]

_STAGE_SHORT = {
    Stage.RESCUE.label: "Rescue",
    Stage.ACCOUNTABILITY.label: "Accountability",
    Stage.AFTERCARE.label: "Aftercare",
    Stage.PREVENTION.label: "Prevention",
}
_VIOLENCE_BY_LABEL = {v.label: short for v, short in VIOLENCE_SHORT.items()}


def _figure(shown: Shown, count: Count, label: str = "") -> Figure:
    return Figure(label or count.label, shown.count(count))


def _cases(d: Dashboard, shown: Shown) -> PortfolioSection:
    c = d.cases
    stage = c.by_stage
    cells = shown.table_values(stage)[0]
    chart = ChartData(
        f"Open cases on {c.as_of.isoformat()} by stage and track status",
        tuple(_STAGE_SHORT.get(r, r) for r in stage.rows),
        tuple(
            (status, tuple(row[j] for row in cells))
            for j, status in enumerate(stage.columns)
            if status in (TrackStatus.ACTIVE.label, TrackStatus.COMPLETED.label)
        ),
        "Not-started and not-applicable tracks are in the table above.",
    )
    return PortfolioSection(
        "Cases",
        "Cases active in the period were open on at least one of its days. Track statuses are "
        f"those of {c.as_of.isoformat()}.",
        figures=(
            _figure(shown, c.active),
            _figure(shown, c.opened, "Cases opened in the period"),
            _figure(shown, c.closed, "Cases closed in the period"),
            _figure(shown, c.open_on_as_of, f"Cases open on {c.as_of.isoformat()}"),
        ),
        blocks=(
            shown.crosstab(
                stage,
                title=f"Open cases on {c.as_of.isoformat()}: stage by track status",
                total_row=False,
                note="Each open case has one track in each of the four stages.",
            ),
            chart,
            shown.crosstab(
                c.by_country_violence,
                title="Cases active in the period by country and violence type",
            ),
        )
        if c.active.value and c.open_on_as_of.value
        else (
            shown.crosstab(
                c.by_country_violence,
                title="Cases active in the period by country and violence type",
            ),
        )
        if c.active.value
        else (),
    )


def _survivors(d: Dashboard, shown: Shown) -> PortfolioSection:
    s = d.survivors
    if s.availability is not Availability.READY:
        return PortfolioSection("Survivors brought to safety", notes=(s.note,))
    by_age_violence = s.by_age_violence
    # One bar per violence type, minors and adults side by side, drawn from
    # the table's suppressed cells so the chart hides what the table hides.
    cells = shown.table_values(by_age_violence)[0]
    age_rows = dict(zip(by_age_violence.rows, cells, strict=True))
    series = [
        (label, tuple(age_rows[label])) for label in ("Minors", "Adults") if label in age_rows
    ]
    chart = ChartData(
        "Survivors brought to safety by violence type",
        tuple(by_age_violence.columns),
        tuple(series),
        f"Bars for cells marked [c] in the table below (fewer than {shown.threshold} "
        "survivors, or hidden so that such a count cannot be worked out) are not drawn.",
    )
    parts, total = shown.line([s.minors, s.adults, s.age_unknown], s.brought_to_safety)
    return PortfolioSection(
        "Survivors brought to safety",
        "Survivors recorded as victims in a case whose rescue was completed in the period. "
        "Minor or adult as at rescue.",
        figures=(
            Figure(s.brought_to_safety.label, total),
            Figure("Minors", parts[0]),
            Figure("Adults", parts[1]),
            Figure("Age not known", parts[2]),
        ),
        blocks=(
            *((chart,) if series else ()),
            shown.crosstab(by_age_violence, title="By age at rescue and violence type"),
            shown.crosstab(s.by_country_violence, title="By country and violence type"),
        ),
    )


def _custody_key(count: Count) -> str:
    return "custody:" + count.key.rsplit("=", 1)[1]  # "accused/custody=on_bail"


def _accountability_texts(d: Dashboard, shown: Shown) -> dict[str, str]:
    """Every accountability figure as printed, suppressed together: the accused
    by custody status add up to the accused, the arrested ones to "arrested or
    held", and the verdicts to the conviction rate's base, so hiding one small
    count means hiding what would give it back."""
    a = d.accountability
    values = {_custody_key(c): c.value for c in a.by_custody.items}
    values["accused"] = a.accused.value
    lines = [[*values]]
    if a.court is None:
        values["arrested"] = a.arrested.value
        held = {s.value for s in ARRESTED_STATUSES}
        lines.append([k for k in values if k.split(":")[-1] in held] + ["arrested"])
    else:
        court = a.court
        values |= {
            "convicted": court.convicted.value,
            "acquitted": court.acquitted.value,
            "dismissed": court.dismissed.value,
            "verdicts": court.conviction_rate.denominator,
        }
        lines.append(["convicted", "acquitted", "dismissed", "verdicts"])
    texts = shown.group(values, lines)
    if a.court is None:
        texts["arrested_figure"] = texts["arrested"]
    else:
        texts["arrested_figure"] = shown.count(a.arrested)
        rate, detail = shown.rate(texts["convicted"], texts["verdicts"], a.court.conviction_rate)
        texts["rate"], texts["rate_detail"] = rate, detail
    return texts


def _accountability(d: Dashboard, shown: Shown, texts: dict[str, str]) -> PortfolioSection:
    a = d.accountability
    figures = [
        Figure("Accused persons in the period's cases", texts["accused"]),
        Figure(a.arrested.label, texts["arrested_figure"]),
    ]
    notes: list[str] = []
    if a.court is not None:
        court = a.court
        sentence = shown.median(court.median_sentence_months)
        to_charge = shown.median(court.days_report_to_charge)
        to_verdict = shown.median(court.days_charge_to_verdict)
        figures += [
            _figure(shown, court.charged, "Accused charged"),
            Figure("Convicted (including guilty pleas)", texts["convicted"]),
            Figure(court.acquitted.label, texts["acquitted"]),
            Figure(court.dismissed.label, texts["dismissed"]),
            Figure("Conviction rate", texts["rate"], texts["rate_detail"]),
            Figure("Median prison sentence", *sentence),
            Figure("Median days from report to charge", *to_charge),
            Figure("Median days from charge to verdict", *to_verdict),
            _figure(shown, court.survivors_protected),
            _figure(shown, court.compensation_applied),
            _figure(shown, court.compensation_awarded),
            _figure(shown, court.compensation_paid),
        ]
    else:
        notes.append(a.court_note)
    if a.availability is not Availability.READY:
        notes.insert(0, a.note)
    custody = CountTable(
        "Accused persons by custody status today",
        ("Custody status", "Count"),
        tuple(
            (c.label, texts[f"custody:{c.key.rsplit('=', 1)[1]}"])
            for c in a.by_custody.items
            if c.value
        ),
        ("Total", texts["accused"]),
    )
    return PortfolioSection(
        "Perpetrator accountability",
        "Accused persons in the cases active in the period. Conviction rate = convictions / "
        "(convictions + acquittals + dismissals) recorded in the period.",
        figures=tuple(figures),
        notes=tuple(notes),
        blocks=(custody,) if a.accused.value else (),
    )


def _hearings(d: Dashboard) -> PortfolioSection:
    h = d.hearings
    if h.availability is not Availability.READY:
        return PortfolioSection("Hearings", notes=(h.note,))
    rate, detail = Shown.exact_ratio(h.adjournment_rate)
    return PortfolioSection(
        "Hearings",
        "Hearings scheduled in the period. Adjournment rate = adjourned / (held + adjourned). "
        "Hearings are court events, not people: their counts are shown exactly.",
        figures=(
            Figure("Hearings scheduled", f"{h.hearings.value:,}"),
            Figure("Adjournment rate", rate, detail),
        ),
        blocks=(Shown.exact_breakdown(h.by_outcome, title="Hearings by outcome"),),
    )


def _interventions(d: Dashboard, shown: Shown) -> PortfolioSection:
    i = d.interventions
    if i.availability is not Availability.READY:
        return PortfolioSection("Interventions", notes=(i.note,))
    return PortfolioSection(
        "Interventions",
        "Interventions logged by staff that took place in the period (corrections replace "
        "the record they correct).",
        figures=(
            _figure(shown, i.total, "Interventions"),
            _figure(shown, i.survivors_testified),
            _figure(shown, i.compensation_applicants),
        ),
        blocks=(
            shown.chart("Interventions by type", i.by_type),
            shown.breakdown(i.by_type, title="Interventions by type"),
        ),
    )


def _aftercare(d: Dashboard, shown: Shown) -> PortfolioSection:
    a = d.aftercare
    figures = [
        _figure(shown, a.in_aftercare, f"Survivors in aftercare on {d.as_of.isoformat()}"),
        _figure(shown, a.completed, "Cases whose aftercare was completed in the period"),
    ]
    notes = [a.note] if a.availability is not Availability.READY else []
    tables: list[CountTable] = []
    if a.restoration is not None:
        r = a.restoration
        figures += [
            _figure(shown, r.assessments, "Outcome assessments done"),
            Figure("Follow-up assessments on time", *shown.ratio(r.on_time)),
            Figure(
                "Restored, of survivors whose aftercare closed",
                *shown.ratio(r.restored),
            ),
            Figure("Median months to restoration", *shown.median(r.median_months_to_restoration)),
        ]
        if r.change_by_domain:
            rows = []
            for change in r.change_by_domain:
                if change.mean_change is None or change.survivors < shown.threshold:
                    value = "too few to report"
                else:
                    value = f"{change.mean_change:+.2f}"
                rows.append((change.label, value, shown.count(change.survivors)))
            tables.append(
                CountTable(
                    "Mean change per domain since intake (scores 1-4)",
                    ("Domain", "Mean change", "Survivors"),
                    tuple(rows),
                )
            )
    else:
        notes.append(a.restoration_note)
    return PortfolioSection(
        "Aftercare",
        "Survivors whose case's aftercare track is active; outcome assessments score six domains "
        "from 1 (most vulnerable) to 4.",
        figures=tuple(figures),
        notes=tuple(notes),
        blocks=tuple(tables),
    )


def _referrals_prevention(d: Dashboard, shown: Shown) -> PortfolioSection:
    r, p = d.referrals, d.prevention
    figures: list[Figure] = []
    notes: list[str] = []
    tables: list[CountTable] = []
    if r.made is not None and r.completed is not None:
        figures += [_figure(shown, r.made), _figure(shown, r.completed)]
    else:
        notes.append(r.note)
    if p.officials_trained is not None and p.by_role is not None and p.trainings is not None:
        # Officials are not survivors: their counts are shown as they are.
        figures += [
            Figure(p.trainings.label, f"{p.trainings.value:,}"),
            Figure("Officials trained", f"{p.officials_trained.value:,}"),
        ]
        if p.government_led is not None:
            figures.append(_figure(shown, p.government_led))
        if p.officials_trained.value:
            tables.append(
                CountTable(
                    "Officials trained by role",
                    ("Role", "Officials"),
                    tuple((i.label, f"{i.value:,}") for i in p.by_role.items if i.value),
                    ("Total", f"{p.officials_trained.value:,}"),
                )
            )
    else:
        notes.append(p.note)
    return PortfolioSection(
        "Referrals and structural prevention",
        "Referrals to partner organizations; trainings of officials held in the period.",
        figures=tuple(figures),
        notes=tuple(n for n in notes if n),
        blocks=tuple(tables),
    )


def _key_figures(d: Dashboard, shown: Shown, accused: dict[str, str]) -> tuple[Figure, ...]:
    figures = [
        Figure("Cases active", shown.count(d.cases.active)),
        Figure("Survivors brought to safety", shown.count(d.survivors.brought_to_safety)),
        Figure("Accused persons", accused["accused"]),
    ]
    if d.accountability.court is not None:
        figures.append(Figure("Conviction rate", accused["rate"], accused["rate_detail"]))
    else:
        figures.append(Figure("Arrested or held", accused["arrested_figure"]))
    figures += [
        Figure("Hearings", f"{d.hearings.hearings.value:,}"),
        Figure("Adjournment rate", *Shown.exact_ratio(d.hearings.adjournment_rate)),
        Figure("Interventions", shown.count(d.interventions.total)),
        Figure("Survivors in aftercare", shown.count(d.aftercare.in_aftercare)),
    ]
    return tuple(figures)


def portfolio_content(d: Dashboard, *, empty_message: str) -> PortfolioReport:
    """The report for ``d``; ``empty_message`` is all it says when nothing is in scope."""
    if d.is_empty:
        return PortfolioReport((), (), empty_message=empty_message)
    shown = Shown(d.small_cell_threshold)
    accused = _accountability_texts(d, shown)
    sections = (
        _cases(d, shown),
        _survivors(d, shown),
        _accountability(d, shown, accused),
        _hearings(d),
        _interventions(d, shown),
        _aftercare(d, shown),
        _referrals_prevention(d, shown),
    )
    key = _key_figures(d, shown, accused)
    threshold = d.small_cell_threshold
    method = [
        "Counts are exact and never rounded. Percentages are shown to one decimal place with "
        "the exact counts beside them.",
        (
            "Small cells are suppressed so that no one can be re-identified: in a table, a "
            f"count of fewer than {threshold} (but not zero) reads [c] (confidential), and "
            "so does any other "
            "cell from which such a count could be worked out by subtraction from a printed "
            f"total; a figure standing alone reads <{threshold}. A rate whose count, base or "
            f"remainder is fewer than {threshold}, and a median of fewer than {threshold} "
            'values, read "too few to report".'
            if threshold > 1
            else "Small-cell suppression is turned off for this organization."
        ),
        "Survivors appear in this report only as counts; no name, code or contact detail of "
        "any survivor is in it.",
        "Periods are inclusive. Events are counted on the day they happened; figures that "
        "describe a moment (open cases, survivors in aftercare) are those of "
        f"{d.as_of.isoformat()}.",
    ]
    if not shown.suppressed_any and threshold > 1:
        method.append("No figure in this report needed to be suppressed.")
    return PortfolioReport(key, sections, tuple(method))
