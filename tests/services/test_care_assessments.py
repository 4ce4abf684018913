"""Outcome assessments on both engines: recording, bad scores, corrections,
progress, the schedule ("My day"), the settings and loading an instrument."""

from __future__ import annotations

import json
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ijmcase.domain.assessments import AssessmentSchedule, RestorationThreshold
from ijmcase.domain.drafts import SurvivorDraft
from ijmcase.domain.enums import AssessmentType, AssignmentRole, CaseClosureReason
from ijmcase.domain.errors import (
    AccessDenied,
    ConflictError,
    NotFound,
    RuleViolation,
    ValidationError,
)
from ijmcase.persistence.audit import verify_chain
from ijmcase.persistence.models import (
    Assessment,
    AssessmentInstrument,
    AssessmentScore,
    AuditEvent,
)
from ijmcase.services.assessments import AssessmentService
from ijmcase.services.care_settings import CareSettingsService
from ijmcase.services.instruments import InstrumentService
from tests.conftest import Org
from tests.services.care_setup import (
    CARE_FROM,
    OPENED,
    TODAY,
    assessment,
    care_case,
    shipped,
)


def svc(org: Org, who: str = "caseworker") -> AssessmentService:
    return AssessmentService(org.db, org.actors[who])


def count(org: Org, model: type[Assessment] | type[AssessmentScore]) -> int:
    with org.db.read_session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_record_scores_domains_and_keeps_the_instrument_version(org: Org) -> None:
    case = care_case(org)
    draft = assessment(
        case.survivor_id,
        CARE_FROM,
        value=3,
        free_from_abuse=4,
        free_from_threats=2,
        manages_unsafe_situations=2,
        notes={"free_from_threats": "The recruiter phoned her mother twice."},
    )
    outcome = svc(org).record(case.case_id, draft)
    view = outcome.value
    assert outcome.changes.touches("assessments") and case.case_id in outcome.changes.case_ids
    safety = view.domain("safety")
    assert safety.mean == Fraction(8, 3) and safety.display == "2.7"
    assert [s.score for s in safety.sub_scores] == [4, 2, 2]
    assert safety.sub_scores[1].note == "The recruiter phoned her mother twice."
    assert view.domain("legal_protection").mean == 3
    assert (view.instrument_id, view.instrument_version) == ("outcome", "1")
    assert not view.instrument_changed and view.is_current
    assert view.survivor_code == case.codes[0] and view.case_code == case.code
    assert view.assessor_name == "Chitra Caseworker"
    # Safety is below 3 in its mean and in two sub-domains.
    assert not view.meets_threshold
    assert "Safety 2.7 (needs 3.0)" in view.shortfalls[0]
    with org.db.read_session() as session:
        row = session.get(Assessment, view.id)
        assert row is not None and row.instrument_digest == shipped().digest
        kept = session.scalars(select(AssessmentInstrument)).one()
        assert (kept.instrument_id, kept.instrument_version, kept.origin) == (
            "outcome",
            "1",
            "shipped",
        )
        assert session.scalar(select(func.count()).select_from(AssessmentScore)) == 20
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "assessment.record")
        ).one()
        details = json.loads(event.details)
        assert details["survivor"] == case.codes[0] and details["instrument"] == "outcome/1"
        assert event.case_id == case.case_id
        assert verify_chain(session).ok


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"free_from_abuse": 0}, "scores.free_from_abuse", "score_out_of_range"),
        ({"coping": 5}, "scores.coping", "score_out_of_range"),
        ({"housing": None}, "scores.housing", "required"),
        ({"happiness": 3}, "scores.happiness", "unknown_sub_domain"),
    ],
)
def test_bad_scores_are_refused_with_the_field_named_and_nothing_written(
    org: Org, overrides: dict[str, int | None], field: str, code: str
) -> None:
    case = care_case(org)
    with pytest.raises(ValidationError) as err:
        svc(org).record(case.case_id, assessment(case.survivor_id, CARE_FROM, overrides=overrides))
    assert [(p.field, p.code) for p in err.value.problems] == [(field, code)]
    assert count(org, Assessment) == 0 and count(org, AssessmentScore) == 0


def test_every_problem_at_once_and_dates_checked(org: Org) -> None:
    case = care_case(org)
    draft = assessment(
        case.survivor_id,
        TODAY + timedelta(days=1),
        free_from_abuse=0,
        coping=5,
        notes={"nonsense": "x"},
    )
    with pytest.raises(ValidationError) as err:
        svc(org).record(case.case_id, draft)
    assert {p.field for p in err.value.problems} == {
        "assessed_on",
        "scores.free_from_abuse",
        "scores.coping",
        "notes.nonsense",
    }
    with pytest.raises(ValidationError, match="before case"):
        svc(org).record(case.case_id, assessment(case.survivor_id, OPENED - timedelta(days=1)))


def test_one_intake_per_survivor_and_only_people_in_the_case(org: Org) -> None:
    case = care_case(org)
    other = care_case(org)
    service = svc(org)
    service.record(case.case_id, assessment(case.survivor_id, CARE_FROM))
    with pytest.raises(ValidationError, match="already has an intake") as err:
        service.record(case.case_id, assessment(case.survivor_id, CARE_FROM + timedelta(days=3)))
    assert err.value.problems[0].field == "type"
    with pytest.raises(ValidationError, match="Choose a survivor in case"):
        service.record(case.case_id, assessment(other.survivor_id, CARE_FROM))


def test_who_may_record(org: Org) -> None:
    case = care_case(org)
    draft = assessment(case.survivor_id, CARE_FROM)
    with pytest.raises(AccessDenied):
        svc(org, "auditor").record(case.case_id, draft)
    with pytest.raises(AccessDenied, match="Only staff assigned"):
        svc(org, "caseworker2").record(case.case_id, draft)
    org.cases("director").assign(
        case.case_id, org.actors["caseworker2"].user_id, AssignmentRole.CASEWORKER
    )
    assert svc(org, "caseworker2").record(case.case_id, draft).value.assessor_name == (
        "Kofi Caseworker"
    )
    # Reading needs only to see the case.
    assert len(svc(org, "auditor").for_case(case.case_id)) == 1


def test_a_correction_supersedes_and_the_original_stays(org: Org) -> None:
    case = care_case(org)
    service = svc(org)
    first = service.record(case.case_id, assessment(case.survivor_id, CARE_FROM, value=2)).value
    with pytest.raises(ValidationError, match="what was wrong"):
        service.correct(first.id, assessment(case.survivor_id, CARE_FROM, value=3), reason=" ")
    fixed = service.correct(
        first.id,
        assessment(case.survivor_id, CARE_FROM, value=3),
        reason="Scores typed in the wrong column",
    ).value
    assert fixed.supersedes_id == first.id and fixed.domain("safety").mean == 3
    assert [a.id for a in service.for_case(case.case_id)] == [fixed.id]
    both = service.for_case(case.case_id, include_superseded=True)
    assert {a.id for a in both} == {first.id, fixed.id}
    old = service.get(first.id)
    assert old.superseded_by_id == fixed.id and old.domain("safety").mean == 2
    with pytest.raises(ConflictError, match="already been corrected"):
        service.correct(first.id, assessment(case.survivor_id, CARE_FROM), reason="again")
    # The intake rule does not count the row being replaced.
    again = service.correct(fixed.id, assessment(case.survivor_id, CARE_FROM), reason="typo")
    assert again.value.supersedes_id == fixed.id
    other = org.people("caseworker").add_survivor(case.case_id, SurvivorDraft("IN")).value
    with pytest.raises(ValidationError, match="same survivor"):
        service.correct(again.value.id, assessment(other.id, CARE_FROM), reason="wrong person")
    with pytest.raises(NotFound):
        service.get(case.case_id)  # not an assessment id


def test_progress_per_domain_over_time_with_the_threshold(org: Org) -> None:
    case = care_case(org)
    service = svc(org)
    service.record(case.case_id, assessment(case.survivor_id, CARE_FROM, value=1))
    service.record(
        case.case_id,
        assessment(case.survivor_id, CARE_FROM + timedelta(days=180), AssessmentType.SIX_MONTH, 2),
    )
    service.record(
        case.case_id,
        assessment(
            case.survivor_id,
            CARE_FROM + timedelta(days=400),
            AssessmentType.ANNUAL,
            3,
            free_from_threats=2,
        ),
    )
    progress = service.progress(case.case_id, case.survivor_id)
    assert progress.survivor_code == case.codes[0]
    assert progress.rounds == [
        CARE_FROM.isoformat(),
        (CARE_FROM + timedelta(days=180)).isoformat(),
        (CARE_FROM + timedelta(days=400)).isoformat(),
    ]
    assert [d.key for d in progress.domains] == [d.key for d in shipped().domains]
    safety = progress.domains[0]
    assert list(safety.values) == [Fraction(1), Fraction(2), Fraction(8, 3)]
    assert safety.minimum == 3
    assert progress.threshold == 3
    assert progress.change_since_first["legal_protection"] == 2
    assert progress.latest_meets_threshold is False
    chart = progress.chart_series()
    assert chart["Safety"] == [1.0, 2.0, pytest.approx(8 / 3)]
    assert progress.points[1].label.endswith("six-month")
    empty = care_case(org)
    nothing = service.progress(empty.case_id, empty.survivor_id)
    assert nothing.points == () and nothing.latest_meets_threshold is None


def test_due_and_overdue_per_staff_member(org: Org) -> None:
    mine = care_case(org, survivors=2)
    service = svc(org)
    due = service.due()
    # Nothing recorded: both survivors' intakes are due since aftercare began, long ago.
    assert [(r.survivor_code, r.kind, r.overdue) for r in due] == [
        (mine.codes[0], AssessmentType.INTAKE, True),
        (mine.codes[1], AssessmentType.INTAKE, True),
    ]
    assert due[0].days_overdue == (TODAY - CARE_FROM).days
    assert due[0].lead_caseworker_name == "Chitra Caseworker"
    service.record(mine.case_id, assessment(mine.survivors[0], TODAY - timedelta(days=170)))
    service.record(mine.case_id, assessment(mine.survivors[1], TODAY - timedelta(days=200)))
    due = service.due(within_days=30)
    assert [(r.survivor_code, r.kind, r.overdue) for r in due] == [
        (mine.codes[1], AssessmentType.SIX_MONTH, True),
        (mine.codes[0], AssessmentType.SIX_MONTH, False),
    ]
    assert due[1].last_assessed_on == TODAY - timedelta(days=170)
    assert [r.survivor_code for r in service.due(within_days=0)] == [mine.codes[1]]
    # Another caseworker's day does not show them; a director may look at anyone's.
    assert svc(org, "caseworker2").due() == []
    assert len(svc(org, "director").due(everyone=True)) == 2
    cw_id = org.actors["caseworker"].user_id
    assert len(svc(org, "director").due(user_id=cw_id)) == 2
    with pytest.raises(AccessDenied):
        svc(org, "caseworker2").due(user_id=cw_id)
    with pytest.raises(AccessDenied):
        svc(org, "caseworker2").due(everyone=True)
    # A case without active aftercare has nothing due.
    care_case(org, aftercare=False)
    assert len(service.due()) == 2


def test_settings_admin_only_validated_and_audited(org: Org) -> None:
    settings = CareSettingsService(org.db, org.actors["admin"])
    initial = CareSettingsService(org.db, org.actors["caseworker"]).settings()
    assert initial.threshold == RestorationThreshold()
    assert initial.closure_max_age_days == 90
    assert initial.schedule == AssessmentSchedule()
    with pytest.raises(AccessDenied):
        CareSettingsService(org.db, org.actors["director"]).set_closure_window(60)
    with pytest.raises(ValidationError, match="from 1 to 730"):
        settings.set_closure_window(0)
    with pytest.raises(ValidationError, match="not a domain"):
        settings.set_threshold(RestorationThreshold(minimums={"happiness": Fraction(3)}))
    with pytest.raises(ValidationError):
        settings.set_schedule(AssessmentSchedule(then_every_months=0))
    settings.set_closure_window(60)
    settings.set_threshold(
        RestorationThreshold(Fraction(5, 2), {"safety": Fraction(3)}, frozenset({"safety"}))
    )
    after = settings.set_schedule(AssessmentSchedule(first_followup_months=3)).value
    assert after.closure_max_age_days == 60
    assert after.threshold.minimum_for("mental_wellbeing") == Fraction(5, 2)
    assert after.threshold.minimum_for("safety") == 3
    assert after.schedule.first_followup_months == 3
    with org.db.read_session() as session:
        events = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action.like("settings.aftercare.%"))
            .order_by(AuditEvent.seq)
        ).all()
        assert [e.action for e in events] == [
            "settings.aftercare.closure_max_age_days",
            "settings.aftercare.threshold",
            "settings.aftercare.schedule",
        ]
        assert json.loads(events[0].details) == {"from": 90, "to": 60}
    # The schedule setting moves what is due: three months after the intake.
    case = care_case(org)
    svc(org).record(case.case_id, assessment(case.survivor_id, TODAY - timedelta(days=100)))
    assert svc(org).due()[0].overdue


def _copy_instrument(tmp_path: Path, version: str, **replace: str) -> Path:
    text = Path(shipped().source).read_text(encoding="utf-8")
    text = text.replace('version = "1"', f'version = "{version}"')
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / f"outcome-v{version}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_organization_loads_its_own_version_and_old_assessments_keep_theirs(
    org: Org, tmp_path: Path
) -> None:
    case = care_case(org)
    first = svc(org).record(case.case_id, assessment(case.survivor_id, CARE_FROM)).value
    admin = InstrumentService(org.db, org.actors["admin"])
    v2 = _copy_instrument(
        tmp_path,
        "2",
        **{'label = "Safety"': 'label = "Safety and security"'},
    )
    with pytest.raises(AccessDenied):
        InstrumentService(org.db, org.actors["director"]).load(v2)
    row = admin.load(v2).value
    assert (row.instrument_id, row.version, row.origin, row.current) == (
        "outcome",
        "2",
        "loaded",
        True,
    )
    versions = {(r.instrument_id, r.version): r for r in admin.versions()}
    assert versions[("outcome", "1")].assessments == 1 and not versions[("outcome", "1")].current
    later = (
        svc(org)
        .record(
            case.case_id,
            assessment(case.survivor_id, CARE_FROM + timedelta(days=181), AssessmentType.SIX_MONTH),
        )
        .value
    )
    assert later.instrument_version == "2" and later.domain("safety").label == "Safety and security"
    assert svc(org).get(first.id).instrument_version == "1"
    assert svc(org).get(first.id).domain("safety").label == "Safety"
    # Correcting the old one keeps its version.
    fixed = (
        svc(org)
        .correct(first.id, assessment(case.survivor_id, CARE_FROM), reason="re-scored")
        .value
    )
    assert fixed.instrument_version == "1"
    with pytest.raises(ConflictError, match="already known with exactly this text"):
        admin.load(v2)
    changed = _copy_instrument(tmp_path / "..", "2", **{"Abused": "Hurt"})
    with pytest.raises(ConflictError, match="new version"):
        admin.load(changed)
    admin.set_current("outcome", "1")
    assert InstrumentService(org.db, org.actors["caseworker"]).current().version == "1"
    with pytest.raises(NotFound):
        admin.set_current("outcome", "9")


def test_a_malformed_instrument_file_names_its_line_and_changes_nothing(
    org: Org, tmp_path: Path
) -> None:
    bad = _copy_instrument(tmp_path, "3", **{'anchors.4 = "Manages daily life well': "# gone"})
    line = next(
        i
        for i, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith('anchors.1 = "Fear, sadness')
    )
    admin = InstrumentService(org.db, org.actors["admin"])
    with pytest.raises(ValidationError) as err:
        admin.load(bad)
    assert err.value.problems[0].message.startswith(f"{bad}, line {line}:")
    assert "missing: 4" in err.value.message
    with pytest.raises(NotFound):
        admin.load(tmp_path / "absent.toml")
    assert [r.version for r in admin.versions()] == ["1"]
    with org.db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(AssessmentInstrument)) == 0


def test_record_on_a_closed_case_is_refused(org: Org) -> None:
    case = care_case(org, aftercare=False)
    org.cases("director").close(case.case_id, reason=CaseClosureReason.TRANSFERRED, on=OPENED)
    with pytest.raises(RuleViolation, match="is closed"):
        svc(org).record(case.case_id, assessment(case.survivor_id, OPENED))


def test_the_database_refuses_a_score_outside_one_to_four(org: Org) -> None:
    """The CHECK constraint holds even for a writer that skips the service."""
    case = care_case(org)
    made = svc(org).record(case.case_id, assessment(case.survivor_id, CARE_FROM)).value

    def insert(score: int) -> None:
        with org.db.session_factory() as session:
            session.add(
                AssessmentScore(
                    assessment_id=made.id, domain_key="x", sub_domain_key="extra", score=score
                )
            )
            try:
                session.flush()
            finally:
                session.rollback()

    insert(4)  # the same row with a good score goes in
    for bad in (0, 5):
        with pytest.raises(IntegrityError, match="score_range"):
            insert(bad)
    assert count(org, AssessmentScore) == 20
