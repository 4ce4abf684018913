"""The directors' figures on both engines, against the hand-worked program in
``program_setup`` (its docstring has the table the numbers come from)."""

from __future__ import annotations

from datetime import date

import pytest

from ijmcase.domain.errors import AccessDenied, ValidationError
from ijmcase.domain.periods import Period
from ijmcase.services.metrics import MetricFilter, MetricsService
from ijmcase.services.metrics_models import Availability
from tests.conftest import Org
from tests.services.program_setup import (
    Q1_END,
    Q1_START,
    Program,
    add_care_records,
    add_court_records,
    build_program,
)

Q1 = MetricFilter(Period(Q1_START, Q1_END))


@pytest.fixture
def program(org: Org) -> Program:
    return build_program(org)


def metrics(p: Program, who: str = "director") -> MetricsService:
    return MetricsService(p.org.db, p.org.actors[who])


def test_cases_and_survivors_in_q1(program: Program) -> None:
    d = metrics(program).dashboard(Q1)
    assert (d.cases.active.value, d.cases.opened.value, d.cases.closed.value) == (3, 2, 0)
    assert d.cases.open_on_as_of.value == 3
    assert d.as_of == Q1_END
    s = d.survivors
    assert s.availability is Availability.READY
    assert (s.brought_to_safety.value, s.minors.value, s.adults.value) == (8, 5, 3)
    assert s.age_unknown.value == 0
    by_type = {c.label: c.value for c in s.by_violence.items}
    assert by_type["Forced or bonded labour"] == 6
    assert by_type["Sex trafficking"] == 2
    assert by_type["Online sexual exploitation of children (OSEC)"] == 0  # C rescued in April
    table = s.by_country_violence
    assert table.rows == ("IN",)
    assert [c.value for c in table.cells[0]] == [6, 2]
    assert table.total.value == 8


def test_caseworker_does_not_count_restricted_cases_they_cannot_see(program: Program) -> None:
    d = metrics(program, "caseworker").dashboard(Q1)
    assert d.cases.active.value == 2  # B is restricted and not theirs
    assert (d.survivors.brought_to_safety.value, d.survivors.minors.value) == (6, 4)
    assert d.interventions.total.value == 4
    assert d.interventions.survivors_testified.value == 1
    assert d.accountability.accused.value == 2
    # The caseworker assigned to B sees it.
    assert metrics(program, "caseworker2").survivors(Q1).brought_to_safety.value == 8


def test_period_country_and_office_filters(program: Program) -> None:
    m = metrics(program)
    ph = m.dashboard(MetricFilter(Q1.period, country="ph"))
    assert ph.cases.active.value == 1  # C; D closed before Q1
    assert ph.survivors.brought_to_safety.value == 0
    assert ph.survivors.availability is Availability.EMPTY
    april = m.survivors(MetricFilter(Period(date(2025, 4, 1), date(2025, 4, 30))))
    assert (april.brought_to_safety.value, april.minors.value) == (5, 5)
    office = m.cases(MetricFilter(Q1.period, office_id=program.offices["IN-DEL"]))
    assert office.active.value == 1
    whole = m.dashboard(MetricFilter())
    assert whole.cases.active.value == 4
    assert whole.survivors.brought_to_safety.value == 14
    assert m.dashboard(MetricFilter(Period(date(2030, 1, 1), None))).is_empty


def test_open_cases_by_stage_on_a_past_day_come_from_the_transitions(program: Program) -> None:
    m = metrics(program)
    early = m.cases(MetricFilter(Period(None, date(2025, 1, 5))))
    # On 5 January only A was open (C opened on the 15th), its rescue still active.
    assert early.open_on_as_of.value == 1
    stages = dict(zip(early.by_stage.rows, early.by_stage.cells, strict=True))
    rescue = {c.label.split(" / ")[1]: c.value for c in stages["Rescue (victim relief)"]}
    assert rescue["Active"] == 1
    assert m.aftercare(MetricFilter(Period(None, date(2025, 1, 5)))).in_aftercare.value == 0
    q1 = m.aftercare(Q1)
    assert q1.in_aftercare.value == 6  # A's survivors: aftercare active from 12 January
    assert m.cases_behind("cases.open/stage=aftercare/status=active", Q1) == [program.case_id("A")]


def test_interventions_hearings_and_custody(program: Program) -> None:
    d = metrics(program).dashboard(Q1)
    i = d.interventions
    assert i.total.value == 5  # the superseded one and April's are left out
    by_type = {c.key: c.value for c in i.by_type.items}
    assert by_type["interventions/type=counselling"] == 2
    assert by_type["interventions/type=testimony"] == 2
    assert by_type["interventions/type=home_visit"] == 1
    assert i.survivors_testified.value == 2
    h = d.hearings
    assert h.hearings.value == 3
    assert (h.adjournment_rate.numerator, h.adjournment_rate.denominator) == (2, 3)
    a = d.accountability
    assert a.accused.value == 3
    assert a.arrested.value == 2  # in custody, on bail
    assert a.court is None and "No court records yet" in a.court_note


def test_court_outcomes_from_the_proceedings(program: Program) -> None:
    add_court_records(program)
    court = metrics(program).accountability(Q1).court
    assert court is not None
    assert (court.charged.value, court.convicted.value) == (3, 1)
    assert (court.acquitted.value, court.dismissed.value) == (1, 1)
    rate = court.conviction_rate
    assert (rate.numerator, rate.denominator) == (1, 3)
    assert (court.median_sentence_months.value, court.median_sentence_months.observations) == (
        120.0,
        1,
    )
    assert court.days_report_to_charge.value == 20.0  # 10, 20, 30
    assert court.days_charge_to_verdict.value == 51.5  # 49, 54 (a dismissal is no verdict)
    assert court.survivors_protected.value == 1
    assert (court.compensation_applied.value, court.compensation_awarded.value) == (1, 2)
    assert court.compensation_paid.value == 1
    assert metrics(program).accountability(Q1).arrested.value == 2  # A1, B1 arrested in Q1
    # B is the caseworker's blind spot.
    mine = metrics(program, "caseworker").accountability(Q1).court
    assert mine is not None
    assert (mine.charged.value, mine.dismissed.value) == (2, 0)
    assert mine.days_report_to_charge.value == 25.0
    m = metrics(program)
    assert m.cases_behind("court.verdicts/result=convicted", Q1) == [program.case_id("A")]
    # By case code: A (IN-2024-0001) before B (IN-2025-0001).
    assert m.cases_behind("court.charged", Q1) == [program.case_id("A"), program.case_id("B")]


def test_aftercare_referrals_and_prevention(program: Program) -> None:
    add_care_records(program)
    m = metrics(program)
    r = m.aftercare(Q1).restoration
    assert r is not None
    assert r.assessments.value == 4
    assert (r.on_time.numerator, r.on_time.denominator) == (2, 3)
    change = {c.domain: c for c in r.change_by_domain}
    assert change["safety"].mean_change == pytest.approx(2.5 / 3)
    assert change["legal_protection"].mean_change == pytest.approx(4 / 3)
    assert change["safety"].survivors == 3
    assert (r.restored.numerator, r.restored.denominator) == (1, 2)
    assert r.median_months_to_restoration.value == pytest.approx(67 / 30.4375)
    referrals = m.referrals(Q1)
    assert referrals.made is not None and referrals.completed is not None
    assert (referrals.made.value, referrals.completed.value) == (1, 1)
    prevention = m.prevention(Q1)
    assert prevention.trainings is not None and prevention.trainings.value == 1
    assert prevention.officials_trained is not None
    assert prevention.officials_trained.value == 5
    assert prevention.by_role is not None
    roles = {c.label: c.value for c in prevention.by_role.items if c.value}
    assert roles == {"Police officer": 1, "Prosecutor": 1, "Judge": 3}
    assert prevention.government_led is not None and prevention.government_led.value == 1
    in_ph = m.prevention(MetricFilter(Q1.period, country="PH")).trainings
    assert in_ph is not None and in_ph.value == 0
    assert m.cases_behind("aftercare.closed/restored=yes", Q1) == [program.case_id("A")]
    assert m.cases_behind(change["safety"].key, Q1) == [program.case_id("A")]


def test_sections_without_records_say_so(program: Program) -> None:
    d = metrics(program).dashboard(Q1)
    # The tables exist but hold nothing yet: the figures say "no data yet", not zero.
    assert d.aftercare.restoration is None
    assert "No outcome assessments yet" in d.aftercare.restoration_note
    assert d.referrals.availability is Availability.EMPTY
    assert d.prevention.availability is Availability.EMPTY


def test_cases_behind_each_figure(program: Program) -> None:
    m = metrics(program)
    a, b, c = program.case_id("A"), program.case_id("B"), program.case_id("C")
    d = m.dashboard(Q1)
    assert set(m.cases_behind(d.survivors.brought_to_safety.key, Q1)) == {a, b}
    assert set(m.cases_behind(d.survivors.minors.key, Q1)) == {a, b}
    assert m.cases_behind("interventions/type=testimony", Q1) in ([a, b], [b, a])
    assert m.cases_behind(d.hearings.adjournment_rate.key, Q1) == [a]
    assert set(m.cases_behind(d.cases.active.key, Q1)) == {a, b, c}
    # Every count of every breakdown and table has a key that works.
    for table in (d.cases.by_country_violence, d.survivors.by_age_violence):
        for row in table.cells:
            for cell in row:
                assert len(m.cases_behind(cell.key, Q1)) <= cell.value
    assert set(metrics(program, "caseworker").cases_behind("survivors.safe", Q1)) == {a}
    # Records this database does not hold yet have no cases behind them.
    assert m.cases_behind("court.charged", Q1) == []
    with pytest.raises(ValidationError, match="not a figure"):
        m.cases_behind("survivors.safe/colour=blue", Q1)
    with pytest.raises(ValidationError, match="not a figure"):
        m.cases_behind("nonsense", Q1)


def test_bad_filters_are_refused(program: Program) -> None:
    m = metrics(program)
    with pytest.raises(ValidationError, match="ends on 2025-01-01, before it starts"):
        m.dashboard(MetricFilter(Period(date(2025, 3, 1), date(2025, 1, 1))))
    with pytest.raises(ValidationError, match="country"):
        m.dashboard(MetricFilter(country="XX"))


def test_small_cell_threshold_setting(program: Program) -> None:
    m = metrics(program)
    assert m.small_cell_threshold() == 5
    assert metrics(program, "admin").set_small_cell_threshold(3).value == 3
    assert m.small_cell_threshold() == 3
    with pytest.raises(AccessDenied):
        m.set_small_cell_threshold(10)
    with pytest.raises(ValidationError):
        metrics(program, "admin").set_small_cell_threshold(0)
