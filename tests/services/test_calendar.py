"""The calendar and "My day" on both engines: hearings and deadlines in a
range, mine or all visible, and the attention list."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from ijmcase.domain.court_drafts import HearingResult
from ijmcase.domain.enums import HearingOutcome, InterventionType, Stage
from ijmcase.persistence.models import Intervention
from ijmcase.services.calendar import AttentionKind, CalendarKind, deadline_uid, hearing_uid
from tests.conftest import Org
from tests.services.court_setup import TODAY, court_case


def test_calendar_range_holds_hearings_and_deadlines(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    court = cc.court()
    # Information filed three days ago: the judge rules on probable cause within 10 days.
    filed = TODAY - timedelta(days=3)
    for n, key in enumerate(
        ("complaint", "preliminary_investigation", "resolution", "information_filed")
    ):
        court.record_milestone(proceeding, key, filed - timedelta(days=3 - n))
    hearing = (
        cc.hearings()
        .schedule(cc.case.id, cc.hearing_draft(TODAY + timedelta(days=2), at=time(8, 30)))
        .value
    )
    cc.hearings().schedule(cc.case.id, cc.hearing_draft(TODAY + timedelta(days=40)))
    items = cc.calendar().items(TODAY, TODAY + timedelta(days=14))
    assert [(i.kind, i.on) for i in items] == [
        (CalendarKind.HEARING, TODAY + timedelta(days=2)),
        (CalendarKind.DEADLINE, filed + timedelta(days=10)),
    ]
    first, deadline = items
    assert first.uid == hearing_uid(hearing.id)
    assert first.starts_at is not None and first.starts_at.strftime("%H:%M") == "08:30"
    assert first.location == "Regional Trial Court, Taguig City, Branch 12"
    assert deadline.uid == deadline_uid(proceeding, "probable_cause")
    assert deadline.title == (f"Deadline {cc.case.code}: Judge rules on probable cause (A-PH-0001)")
    assert "Rule 112" in deadline.details
    # A range is in the courts' local days, both ends included.
    assert [i.on for i in cc.calendar().items(TODAY + timedelta(days=2), TODAY + timedelta(days=2))]
    # "Mine": a caseworker not assigned to the case sees it among all, not among hers.
    assert cc.calendar("caseworker2").items(TODAY, TODAY + timedelta(days=14))
    assert cc.calendar("caseworker2").items(TODAY, TODAY + timedelta(days=14), mine=True) == []
    assert len(cc.calendar().items(TODAY, TODAY + timedelta(days=14), mine=True)) == 2
    docket = cc.calendar().docket(60)
    assert [h.local_date for h in docket] == [TODAY + timedelta(days=2), TODAY + timedelta(days=40)]
    assert cc.calendar().docket(60, court="taguig") == docket
    assert cc.calendar().docket(60, court="Pasay") == []


def test_attention_lists_what_must_not_be_forgotten(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    hearings = cc.hearings()
    # A past hearing with no outcome.
    past = hearings.schedule(
        cc.case.id, cc.hearing_draft(TODAY - timedelta(days=4), proceeding_id=proceeding)
    ).value
    # A hearing in three days where the survivor testifies.
    soon = hearings.schedule(
        cc.case.id,
        cc.hearing_draft(
            TODAY + timedelta(days=3),
            proceeding_id=proceeding,
            survivor_testifies=True,
            testifying_survivor_id=cc.survivor_id,
        ),
    ).value
    # The second accused's proceeding is open with no date.
    cc.proceeding(1)
    items = cc.calendar().attention()
    kinds = [i.kind for i in items]
    assert kinds == [
        AttentionKind.OUTCOME_MISSING,
        AttentionKind.HEARING_SOON,
        AttentionKind.WITNESS_PREPARATION,
        AttentionKind.NO_NEXT_DATE,
    ]
    missing, upcoming, prepare, no_date = items
    assert missing.hearing_id == past.id and missing.overdue
    assert "record what happened" in missing.message
    assert upcoming.hearing_id == soon.id
    assert f"Prepare survivor {cc.survivor_code} to testify" in prepare.message
    assert "A-PH-0002" in no_date.message
    # Only my cases by default: a caseworker not on the case has nothing.
    assert cc.calendar("caseworker2").attention() == []
    assert len(cc.calendar("caseworker2").attention(mine=False)) == 4
    # A court-preparation session logged in the month before satisfies the suggestion,
    # and recording the past hearing's outcome clears the first item.
    with org.db.transaction() as session:
        session.add(
            Intervention(
                case_id=cc.case.id,
                survivor_id=cc.survivor_id,
                type=InterventionType.COURT_PREPARATION,
                stage=Stage.ACCOUNTABILITY,
                occurred_at=datetime.now(UTC) - timedelta(days=1),
                staff_user_id=org.actors["caseworker"].user_id,
            )
        )
    hearings.record_outcome(
        past.id,
        HearingResult(HearingOutcome.HELD, next_on=TODAY + timedelta(days=3)),
    )
    kinds = [i.kind for i in cc.calendar().attention()]
    assert AttentionKind.OUTCOME_MISSING not in kinds
    assert AttentionKind.WITNESS_PREPARATION not in kinds
    assert kinds.count(AttentionKind.HEARING_SOON) == 2


def test_deadlines_due_soon_or_overdue(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    court = cc.court()
    start = TODAY - timedelta(days=40)
    for n, key in enumerate(
        (
            "complaint",
            "preliminary_investigation",
            "resolution",
            "information_filed",
            "probable_cause",
            "custody",
        )
    ):
        court.record_milestone(proceeding, key, start + timedelta(days=n))
    # Arraignment was due 30 days after custody (start + 5), five days ago; a
    # hearing in the future keeps the proceeding from being flagged as dateless.
    cc.hearings().schedule(
        cc.case.id, cc.hearing_draft(TODAY + timedelta(days=20), proceeding_id=proceeding)
    )
    items = cc.calendar().attention()
    [deadline] = [i for i in items if i.kind is AttentionKind.DEADLINE]
    assert deadline.overdue
    assert deadline.on == start + timedelta(days=35)
    assert "Arraignment for A-PH-0001: 5 days overdue" in deadline.message
    assert [d.milestone_key for d in cc.calendar().deadlines()] == ["arraignment"]
    assert cc.court().proceeding(proceeding).deadlines[0].overdue
    court.record_milestone(proceeding, "arraignment", TODAY)
    assert cc.calendar().deadlines() == []
