"""Proceedings on both engines: templates, charges, custody, milestone rules,
outcome and sentence, the accountability track, permissions and audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from ijmcase.domain.court_drafts import ChargeDraft, CustodyDraft, OutcomeDraft
from ijmcase.domain.drafts import AccusedDraft
from ijmcase.domain.enums import (
    ChargeStatus,
    CustodyStatus,
    ProceedingOutcome,
    ReportingStage,
    Stage,
    TrackStatus,
)
from ijmcase.domain.errors import (
    AccessDenied,
    ConflictError,
    NotFound,
    RuleViolation,
    ValidationError,
)
from ijmcase.persistence.audit import verify_chain
from ijmcase.persistence.models import AuditEvent, MilestoneRecord, StageTransition
from tests.conftest import Org
from tests.services.court_setup import OPENED, TODAY, court_case

D = OPENED  # the first milestone's day in these tests

PH_TO_TRIAL = (
    "complaint",
    "preliminary_investigation",
    "resolution",
    "information_filed",
    "probable_cause",
    "custody",
    "arraignment",
    "pre_trial",
    "trial",
)


def _walk(cc, proceeding, keys, start=D):  # type: ignore[no-untyped-def]
    court = cc.court()
    view = None
    for n, key in enumerate(keys):
        view = court.record_milestone(proceeding, key, start + timedelta(days=n)).value
    return view


def _actions(org: Org) -> list[str]:
    with org.db.transaction(write=False) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_template_by_country_generic_fallback_and_unknown_template(org: Org) -> None:
    ph = court_case(org)
    view = ph.court().add_proceeding(ph.case.id, ph.accused_ids[0]).value
    assert (view.pathway_key, view.outcome, view.reporting_stage) == (
        "PH",
        ProceedingOutcome.PENDING,
        None,
    )
    assert [s.key for s in view.next_steps] == ["complaint"]
    # Cambodia has no template of its own: the generic one.
    kh = court_case(org, country="KH", title="Forced labour, Kandal")
    generic = kh.court().add_proceeding(kh.case.id, kh.accused_ids[0]).value
    assert generic.pathway_key == "generic"
    with pytest.raises(NotFound) as err:
        kh.court().add_proceeding(kh.case.id, kh.accused_ids[1], template="ug")
    assert err.value.code == "unknown_template"
    assert "no legal-pathway template 'ug'" in err.value.message
    assert "IN, KE, PH, generic" in err.value.message
    chosen = kh.court().add_proceeding(kh.case.id, kh.accused_ids[1], template="ke").value
    assert chosen.pathway_key == "KE"


def test_one_proceeding_per_accused_of_the_case(org: Org) -> None:
    cc = court_case(org)
    cc.proceeding()
    with pytest.raises(ConflictError, match="already has a proceeding against A-PH-0001"):
        cc.proceeding()
    other = court_case(org, title="Another case")
    with pytest.raises(NotFound, match="not an accused in case"):
        cc.court().add_proceeding(cc.case.id, other.accused_ids[0])


def test_milestones_in_order_with_skip_reasons_and_the_track(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.proceeding()
    court = cc.court()
    first = court.record_milestone(proceeding, "complaint", D)
    # The first milestone starts the accountability track.
    assert first.changes.touches("tracks")
    track = org.cases("lawyer").get(cc.case.id).track(Stage.ACCOUNTABILITY)
    assert (track.status, track.started_on) == (TrackStatus.ACTIVE, D)
    with pytest.raises(RuleViolation) as err:
        court.record_milestone(proceeding, "arraignment", D + timedelta(days=1))
    assert err.value.code == "step_missing"
    with pytest.raises(RuleViolation) as err:
        court.record_milestone(proceeding, "complaint", D + timedelta(days=1))
    assert err.value.code == "out_of_order"
    with pytest.raises(ValidationError) as verr:
        court.record_milestone(
            proceeding, "preliminary_investigation", D + timedelta(days=1), skipped=True
        )
    assert verr.value.problems[0].code == "skip_reason_required"
    with pytest.raises(ValidationError) as verr:
        court.record_milestone(proceeding, "preliminary_investigation", D - timedelta(days=1))
    assert verr.value.problems[0].code == "date_before_previous"
    with pytest.raises(ValidationError, match="in the future"):
        court.record_milestone(proceeding, "preliminary_investigation", TODAY + timedelta(days=1))
    view = _walk(cc, proceeding, PH_TO_TRIAL[1:], start=D + timedelta(days=1))
    assert view.reporting_stage is ReportingStage.IN_TRIAL
    assert [m.key for m in view.milestones] == list(PH_TO_TRIAL)
    assert view.milestones[0].recorded_by == "Luis Lawyer"
    # A verdict needs a charge.
    with pytest.raises(RuleViolation) as err:
        court.record_milestone(proceeding, "promulgation", D + timedelta(days=20))
    assert err.value.code == "verdict_needs_charge"
    with org.db.transaction(write=False) as session:
        seqs = list(
            session.scalars(
                select(MilestoneRecord.seq)
                .where(MilestoneRecord.proceeding_id == proceeding)
                .order_by(MilestoneRecord.seq)
            )
        )
    assert seqs == list(range(1, len(PH_TO_TRIAL) + 1))


def test_verdict_sentence_final_and_appeal_move_the_track(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.charged()
    court = cc.court()
    _walk(cc, proceeding, PH_TO_TRIAL)
    verdict_day = D + timedelta(days=len(PH_TO_TRIAL))
    court.record_milestone(proceeding, "promulgation", verdict_day)
    # A sentence needs a conviction.
    with pytest.raises(RuleViolation) as err:
        court.record_milestone(proceeding, "sentence", verdict_day)
    assert err.value.code == "sentence_needs_conviction"
    view = court.record_outcome(
        proceeding,
        OutcomeDraft(
            ProceedingOutcome.CONVICTED,
            verdict_day,
            prison_months=240,
            fine_amount=Decimal("2000000"),
            fine_currency="php",
        ),
    ).value
    assert view.sentence_text == "20 years' imprisonment, fine PHP 2,000,000.00"
    court.record_milestone(proceeding, "sentence", verdict_day)
    # The second accused's proceeding is withdrawn: both concluded once final.
    other = cc.proceeding(1)
    court.record_outcome(other, OutcomeDraft(ProceedingOutcome.WITHDRAWN, verdict_day))
    final_day = verdict_day + timedelta(days=16)
    done = court.record_milestone(proceeding, "final", final_day)
    assert done.changes.touches("tracks")
    track = org.cases("lawyer").get(cc.case.id).track(Stage.ACCOUNTABILITY)
    assert (track.status, track.completed_on) == (TrackStatus.COMPLETED, final_day)
    assert "A-PH-0001: convicted, 20 years" in track.outcome_note
    assert "A-PH-0002: withdrawn" in track.outcome_note
    # An appeal reopens the track, even after the judgment became final.
    appeal_day = final_day + timedelta(days=3)
    reopened = court.record_milestone(proceeding, "appeal", appeal_day)
    assert reopened.value.appealed
    assert reopened.value.reporting_stage is ReportingStage.APPEAL
    assert reopened.value.is_open
    track = org.cases("lawyer").get(cc.case.id).track(Stage.ACCOUNTABILITY)
    assert track.status is TrackStatus.ACTIVE
    with org.db.transaction(write=False) as session:
        moves = [
            (m.from_status, m.to_status, m.reason)
            for m in session.scalars(
                select(StageTransition)
                .where(StageTransition.case_id == cc.case.id)
                .order_by(StageTransition.recorded_at)
            )
        ]
    assert [(a, b) for a, b, _ in moves] == [
        (TrackStatus.NOT_STARTED, TrackStatus.ACTIVE),
        (TrackStatus.ACTIVE, TrackStatus.COMPLETED),
        (TrackStatus.COMPLETED, TrackStatus.ACTIVE),
    ]
    assert moves[2][2].startswith("Notice of appeal filed on")
    actions = _actions(org)
    assert actions.count("track.change") == 3
    assert {"proceeding.create", "charge.create", "milestone.record", "proceeding.outcome"} <= set(
        actions
    )
    with org.db.transaction(write=False) as session:
        assert verify_chain(session).ok


def test_outcome_rules(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.proceeding()
    court = cc.court()
    # A verdict (here a guilty plea) needs a charge.
    with pytest.raises(RuleViolation) as err:
        court.record_outcome(proceeding, OutcomeDraft(ProceedingOutcome.PLEA, D))
    assert err.value.code == "verdict_needs_charge"
    court.add_charge(proceeding, ChargeDraft("RA 11930", D, section="s. 4"))
    # Convicted needs the judgment recorded first.
    with pytest.raises(RuleViolation) as err:
        court.record_outcome(proceeding, OutcomeDraft(ProceedingOutcome.CONVICTED, D))
    assert err.value.code == "outcome_needs_judgment"
    # A sentence needs a conviction; the draft says so before the database is asked.
    with pytest.raises(ValidationError) as verr:
        court.record_outcome(
            proceeding, OutcomeDraft(ProceedingOutcome.DISMISSED, D, prison_months=12)
        )
    assert verr.value.problems[0].code == "sentence_needs_conviction"
    with pytest.raises(ValidationError) as verr:
        court.record_outcome(
            proceeding,
            OutcomeDraft(ProceedingOutcome.PLEA, D, fine_amount=Decimal("-5"), fine_currency="X"),
        )
    assert {p.code for p in verr.value.problems} == {"out_of_range", "bad_currency"}
    plea = court.record_outcome(
        proceeding, OutcomeDraft(ProceedingOutcome.PLEA, D, life_sentence=True)
    ).value
    assert plea.sentence_text == "life imprisonment"
    with pytest.raises(ValidationError, match="Give the date of the outcome"):
        court.record_outcome(proceeding, OutcomeDraft(ProceedingOutcome.ACQUITTED))


def test_charges_amend_and_status(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.proceeding()
    court = cc.court()
    view = court.add_charge(
        proceeding, ChargeDraft(" RA 9208 ", D, section="s. 4(a)", description="Trafficking")
    ).value
    [charge] = view.charges
    assert (charge.statute, charge.citation) == ("RA 9208", "RA 9208, s. 4(a)")
    with pytest.raises(ValidationError) as err:
        court.add_charge(proceeding, ChargeDraft(" ", TODAY + timedelta(days=2)))
    assert {p.field for p in err.value.problems} == {"statute", "filed_on"}
    amended = court.amend_charge(
        charge.id, ChargeDraft("RA 9208", D + timedelta(days=5), section="s. 6(a) qualified")
    ).value
    old, new = amended.charges
    assert (old.status, new.status, new.amends_id) == (
        ChargeStatus.AMENDED,
        ChargeStatus.FILED,
        old.id,
    )
    with pytest.raises(RuleViolation, match="Only a pending charge"):
        court.amend_charge(old.id, ChargeDraft("RA 9208", D + timedelta(days=6)))
    with pytest.raises(RuleViolation, match="amend it instead"):
        court.set_charge_status(new.id, ChargeStatus.AMENDED)
    done = court.set_charge_status(new.id, ChargeStatus.CONVICTED).value
    assert done.charges[1].status is ChargeStatus.CONVICTED
    assert "charge.amend" in _actions(org)


def test_custody_over_time_sets_the_accused_status(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.proceeding()
    court = cc.court()
    court.record_custody(proceeding, CustodyDraft(CustodyStatus.ARRESTED, D, "Taguig PS"))
    court.record_custody(proceeding, CustodyDraft(CustodyStatus.IN_CUSTODY, D + timedelta(days=2)))
    # An event dated earlier than the latest is history, not the status now.
    view = court.record_custody(
        proceeding, CustodyDraft(CustodyStatus.AT_LARGE, D - timedelta(days=10))
    ).value
    assert view.custody_status is CustodyStatus.IN_CUSTODY
    assert [e.status for e in view.custody] == [
        CustodyStatus.AT_LARGE,
        CustodyStatus.ARRESTED,
        CustodyStatus.IN_CUSTODY,
    ]
    court.record_custody(proceeding, CustodyDraft(CustodyStatus.DECEASED, D + timedelta(days=9)))
    with pytest.raises(RuleViolation, match="recorded as deceased"):
        court.record_custody(
            proceeding, CustodyDraft(CustodyStatus.RELEASED, D + timedelta(days=10))
        )
    detail = org.cases("lawyer").get(cc.case.id)
    accused = next(p for p in detail.parties if p.person_id == cc.accused_ids[0])
    assert "Deceased" in accused.detail


def test_who_may_read_and_write_court_records(org: Org) -> None:
    cc = court_case(org)
    proceeding = cc.proceeding()
    # Caseworkers and auditors read the court record but do not write it.
    assert cc.court("caseworker").proceeding(proceeding).accused_code == "A-PH-0001"
    assert not cc.court("caseworker").proceeding(proceeding).can_edit
    assert cc.court("auditor").proceedings(cc.case.id)
    with pytest.raises(AccessDenied, match="caseworker cannot change court records"):
        cc.court("caseworker").record_milestone(proceeding, "complaint", D)
    with pytest.raises(AccessDenied):
        cc.court("auditor").add_charge(proceeding, ChargeDraft("RA 9208", D))
    # A director writes on any case.
    cc.court("director").record_milestone(proceeding, "complaint", D)
    # A lawyer writes only on the cases assigned to them.
    other = court_case(org, title="Not mine")
    director = org.cases("director")
    director.update(
        other.case.id,
        replace(other.case.draft(), lead_lawyer_id=None),
        expected_version=other.case.version,
    )
    director.unassign(other.case.id, org.actors["lawyer"].user_id)
    with pytest.raises(AccessDenied) as err:
        other.court().add_proceeding(other.case.id, other.accused_ids[0])
    assert err.value.code == "not_assigned"


def test_accused_must_be_a_party_and_court_must_be_a_court(org: Org) -> None:
    cc = court_case(org)
    stranger = (
        org.people("lawyer")
        .add_accused(court_case(org, title="Elsewhere").case.id, AccusedDraft("X Y", "PH"))
        .value
    )
    with pytest.raises(NotFound):
        cc.court().add_proceeding(cc.case.id, stranger.id)
    with pytest.raises(ValidationError, match="Choose a court"):
        cc.court().add_proceeding(cc.case.id, cc.accused_ids[0], court_id=cc.judge_id)
