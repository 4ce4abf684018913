"""Property: recording milestones through the service accepts exactly what the
domain's order rules accept, and stores it in the order it was made.

Random sequences of attempts (mostly the next step of the Philippine
template, so that sequences get far, else any key of it or a made-up one;
reached or skipped, with or without a reason, dated forward or backward)
go to both the pure rule and the service; they must agree on
every attempt, and what the service stored must replay as the accepted list.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ijmcase.domain.court_drafts import ChargeDraft
from ijmcase.domain.drafts import AccusedDraft
from ijmcase.domain.errors import IjmcaseError
from ijmcase.domain.pathways import load_pathways
from ijmcase.domain.proceedings import Charge, MilestoneRecord, check_milestone, reporting_stage
from tests.conftest import Org
from tests.services.court_setup import TODAY, court_case

PH = load_pathways()["PH"]
KEYS = [*PH.keys, "verdict_by_acclamation"]


def _attempt(data: st.DataObject, accepted: list[MilestoneRecord]) -> tuple[str, bool, str, int]:
    """Mostly the next step of the pathway (so sequences get far), sometimes
    any key, a made-up one, a skip without a reason or a date going back."""
    position = max((PH.index(r.key) for r in accepted if PH.has(r.key)), default=-1)
    following = PH.keys[position + 1 : position + 2]
    if following and data.draw(st.integers(0, 9)) < 6:
        key = following[0]
    else:
        key = data.draw(st.sampled_from(KEYS))
    skipped = data.draw(st.integers(0, 9)) == 0
    reason = data.draw(st.sampled_from(["", "Pleaded guilty", "Pleaded guilty"]))
    step = data.draw(st.integers(min_value=-2, max_value=5))
    return key, skipped, reason, step


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), length=st.integers(1, 14), charged=st.booleans())
def test_service_agrees_with_the_rules(
    file_org: Org, data: st.DataObject, length: int, charged: bool
) -> None:
    cc = getattr(file_org, "_court_case", None)
    if cc is None:
        cc = court_case(file_org)
        file_org._court_case = cc  # type: ignore[attr-defined]
    accused = (
        file_org.people("lawyer").add_accused(cc.case.id, AccusedDraft("A. Person", "PH")).value
    )
    court = cc.court()
    proceeding = court.add_proceeding(cc.case.id, accused.id).value.id
    start = TODAY - timedelta(days=70)
    charges: list[Charge] = []
    if charged:
        court.add_charge(proceeding, ChargeDraft("RA 9208", start))
        charges.append(Charge(start))
    accepted: list[MilestoneRecord] = []
    day = start
    for _ in range(length):
        key, skipped, reason, step = _attempt(data, accepted)
        day = day + timedelta(days=step)
        record = MilestoneRecord(key, day, skipped, reason)
        expected: type[Exception] | None = None
        try:
            check_milestone(PH, accepted, record, charges=charges)
        except IjmcaseError as error:
            expected = type(error)
        try:
            court.record_milestone(proceeding, key, day, skipped=skipped, reason=reason)
        except IjmcaseError as error:
            assert expected is type(error), (record, error)
        else:
            assert expected is None, record
            accepted.append(record)
    view = court.proceeding(proceeding)
    stored = [MilestoneRecord(m.key, m.on, m.skipped, m.reason) for m in view.milestones]
    assert stored == accepted
    assert [m.seq for m in view.milestones] == list(range(1, len(accepted) + 1))
    assert view.reporting_stage is reporting_stage(PH, accepted)
    event(f"accepted {len(accepted) // 4 * 4}+")
