"""The outcome-assessment instrument file, scoring, threshold, schedule and closure rules."""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.assessments import (
    AssessmentSchedule,
    AssessmentScores,
    Instrument,
    RestorationThreshold,
    add_months,
    aftercare_closure_gaps,
    check_aftercare_closure,
    load_instrument,
    load_instruments,
    next_due,
    parse_instrument,
    score_assessment,
)
from ijmcase.domain.enums import AftercareClosureReason, AssessmentType, Role
from ijmcase.domain.errors import ConflictError, NotFound, RuleViolation, ValidationError
from ijmcase.resources import resource_path

SHIPPED = resource_path("instruments", "outcome-v1.toml")

# A small but complete instrument; tests break it one line at a time.
SMALL = """\
format = 1
id = "small"
version = "1"
title = "Small instrument"

[[domain]]
key = "safety"
label = "Safety"

[[domain.sub_domain]]
key = "free_from_abuse"
label = "Free from abuse"
anchors.1 = "Abused now."
anchors.2 = "Abuser nearby."
anchors.3 = "Safe, small worries."
anchors.4 = "Safe."

[[domain.sub_domain]]
key = "free_from_threats"
label = "Free from threats"
anchors.1 = "Threatened."
anchors.2 = "Pressure."
anchors.3 = "Plan in place."
anchors.4 = "No threats."

[[domain]]
key = "social_support"
label = "Social support"

[[domain.sub_domain]]
key = "family_support"
label = "Family support"
anchors.1 = "Rejected."
anchors.2 = "Little support."
anchors.3 = "Supported."
anchors.4 = "Reliable support."

[[domain.sub_domain]]
key = "school"
label = "In school"
optional = true
anchors.1 = "Out of school."
anchors.2 = "Rarely attends."
anchors.3 = "Attends."
anchors.4 = "Progresses."
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


def problem_lines(err: ValidationError) -> list[int]:
    lines = []
    for problem in err.problems:
        match = re.search(r", line (\d+)", problem.message)
        assert match is not None, problem.message
        lines.append(int(match.group(1)))
    return lines


@pytest.fixture(scope="module")
def shipped() -> Instrument:
    return load_instrument(SHIPPED)


@pytest.fixture(scope="module")
def small() -> Instrument:
    return parse_instrument(SMALL, "small.toml")


def all_scores(instrument: Instrument, score: int) -> dict[str, int | None]:
    return {s.key: score for d in instrument.domains for s in d.sub_domains}


# ------------------------------------------------------------------- the shipped file


def test_shipped_instrument_loads_with_six_domains(shipped: Instrument) -> None:
    assert shipped.key == ("outcome", "1")
    assert [d.key for d in shipped.domains] == [
        "safety",
        "legal_protection",
        "mental_wellbeing",
        "economic_empowerment_education",
        "social_support",
        "physical_wellbeing",
    ]
    safety = shipped.domain("safety")
    assert [s.label for s in safety.sub_domains] == [
        "Free from abuse or neglect",
        "Free from threats by suspects or others",
        "Able to recognise and manage unsafe situations",
    ]
    for domain in shipped.domains:
        assert 3 <= len(domain.sub_domains) <= 4
        for sub in domain.sub_domains:
            assert [a.score for a in sub.anchors] == [1, 2, 3, 4]
            assert all(a.text for a in sub.anchors)
    assert len(shipped.digest) == 64


def test_load_instruments_default_directory_and_lookup(shipped: Instrument) -> None:
    found = load_instruments()
    assert found[("outcome", "1")] == shipped
    assert shipped.domain_of("housing").key == "physical_wellbeing"
    assert shipped.sub_domain("coping").anchor(4).score == 4
    with pytest.raises(NotFound):
        shipped.sub_domain("nope")


def test_an_organization_adds_a_version_and_old_one_stays(tmp_path: Path) -> None:
    (tmp_path / "outcome-v1.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "outcome-v2.toml").write_text(
        SMALL.replace('version = "1"', 'version = "2"').replace("Safe.", "Safe and free."),
        encoding="utf-8",
    )
    (tmp_path / "README.md").write_text("not an instrument", encoding="utf-8")
    found = load_instruments(tmp_path)
    assert set(found) == {("small", "1"), ("small", "2")}
    assert found["small", "1"].sub_domain("free_from_abuse").anchor(4).text == "Safe."
    assert found["small", "1"].digest != found["small", "2"].digest


def test_two_files_with_one_version_conflict(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "b.toml").write_text(SMALL, encoding="utf-8")
    with pytest.raises(ConflictError, match=r"b\.toml and .*a\.toml both define"):
        load_instruments(tmp_path)


def test_missing_or_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(NotFound):
        load_instruments(tmp_path / "absent")
    with pytest.raises(NotFound, match="no instrument"):
        load_instruments(tmp_path)


def test_byte_order_mark_tolerated_bad_encoding_named(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SMALL.encode("utf-8"))
    assert load_instrument(path).id == "small"
    path.write_bytes(SMALL.encode("utf-8").replace(b"Abused now.", b"Abus\xe9 now."))
    with pytest.raises(ValidationError) as err:
        load_instrument(path)
    assert err.value.message == (
        f"{path}, line {line_of(SMALL, 'Abused now.')}: the file is not UTF-8 text; "
        "save it as UTF-8."
    )


# ------------------------------------------------------------------ malformed files


def test_syntax_error_names_file_and_line() -> None:
    text = SMALL.replace('label = "Free from threats"', 'label = "Free from threats')
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "broken.toml")
    line = line_of(text, 'label = "Free from threats')
    assert err.value.message.startswith(f"broken.toml, line {line}, column ")
    assert "not valid TOML" in err.value.message
    assert err.value.code == "instrument_syntax"


def test_duplicate_key_is_a_syntax_error_with_its_line() -> None:
    text = SMALL.replace('anchors.4 = "No threats."', 'anchors.3 = "No threats."')
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    second = line_of(text, 'anchors.3 = "No threats."')
    assert err.value.message.startswith(f"x.toml, line {second}, column ")
    assert err.value.message.endswith("this is not valid TOML: Cannot overwrite a value.")


def test_unterminated_string_at_end_names_the_last_line() -> None:
    text = 'format = 1\nid = "x'
    with pytest.raises(ValidationError, match=r"line 2 \(the end of the file\)"):
        parse_instrument(text, "x.toml")


def test_three_anchors_names_the_sub_domain_line() -> None:
    text = SMALL.replace('anchors.4 = "Reliable support."\n', "")
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "three.toml")
    (problem,) = err.value.problems
    assert problem.code == "instrument_anchors"
    assert problem.field == "domain[1].sub_domain[0].anchors"
    assert problem.message == (
        f"three.toml, line {line_of(text, 'Rejected.')}: sub-domain 'family_support' has "
        "3 anchors; it needs exactly 4, one per score 1 to 4 (missing: 4)."
    )


def test_anchor_out_of_range_and_empty_anchor() -> None:
    text = SMALL.replace('anchors.4 = "Safe."', 'anchors.5 = "Safe."').replace(
        '"Pressure."', '"   "'
    )
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    assert problem_lines(err.value) == [
        line_of(text, "Abused now."),  # missing 4: the first anchor line
        line_of(text, "anchors.5"),
        line_of(text, "anchors.2", 2),
    ]
    assert "anchors.5 in sub-domain 'free_from_abuse' is not a score" in err.value.message
    assert "the 2 of sub-domain 'free_from_threats', anchor is empty" in err.value.message


def test_anchors_written_as_a_list_are_refused() -> None:
    text = SMALL.replace(
        'anchors.1 = "Rejected."\nanchors.2 = "Little support."\n'
        'anchors.3 = "Supported."\nanchors.4 = "Reliable support."',
        'anchors = [\n  "Rejected.",\n  "Little.",\n  "Supported.",\n  "Reliable.",\n]',
    )
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    assert err.value.message.startswith(
        f"x.toml, line {line_of(text, 'anchors = [')}: the anchors of sub-domain 'family_support'"
    )


def test_duplicate_sub_domain_names_the_second_one() -> None:
    text = SMALL.replace('key = "school"', 'key = "free_from_abuse"')
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "dup.toml")
    (problem,) = err.value.problems
    assert problem.code == "instrument_duplicate"
    second = line_of(text, 'key = "free_from_abuse"', 2)
    assert problem.message.startswith(
        f"dup.toml, line {second}: "
        "sub-domain 'free_from_abuse' is defined twice (first in domain 1, sub-domain 1)"
    )


def test_duplicate_domain_and_all_optional_domain() -> None:
    text = SMALL.replace('key = "social_support"', 'key = "safety"').replace(
        'key = "family_support"\n', 'key = "family_support"\noptional = true\n'
    )
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    assert {p.code for p in err.value.problems} == {
        "instrument_duplicate",
        "instrument_all_optional",
    }
    assert problem_lines(err.value) == [
        line_of(text, "[[domain]]", 2),  # all optional: the domain's header
        line_of(text, 'key = "safety"', 2),  # the duplicate: its key
    ]


def test_unknown_keys_are_named_with_their_lines() -> None:
    text = (
        SMALL.replace('title = "Small instrument"', 'title = "Small instrument"\nauthor = "me"')
        .replace('label = "Family support"', 'lable = "Family support"')
        .replace('anchors.3 = "Supported."', 'anchors.3 = "Supported."\nanchors.note = "?"')
    )
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "typo.toml")
    by_field = {p.field: p for p in err.value.problems}
    assert set(by_field) == {
        "author",
        "domain[1].sub_domain[0].lable",
        "domain[1].sub_domain[0]",  # and so it has no label
        "domain[1].sub_domain[0].anchors.note",
    }
    assert by_field["author"].message.startswith(
        f"typo.toml, line {line_of(text, 'author')}: unknown key 'author' in the file"
    )
    assert f"line {line_of(text, 'lable')}: unknown key 'lable'" in err.value.message
    assert f"line {line_of(text, 'anchors.note')}: anchors.note" in err.value.message
    assert by_field["domain[1].sub_domain[0]"].message == (
        f"typo.toml, line {line_of(text, '[[domain.sub_domain]]', 3)}: "
        "sub-domain 'family_support' has no label."
    )
    assert problem_lines(err.value) == sorted(problem_lines(err.value))


def test_unknown_key_in_a_quoted_or_dotted_key_table() -> None:
    # The line index follows quoted keys and header tables, not just the usual layout.
    text = SMALL.replace('key = "social_support"', '"key" = "social_support"').replace(
        'label = "Social support"', 'label = "Social support"\n\n[domain.extra]\nwhat = "x"'
    )
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    assert [p.message for p in err.value.problems] == [
        f"x.toml, line {line_of(text, '[domain.extra]')}: unknown key 'extra' in domain "
        "'social_support'; the keys allowed there are key, label, description, sub_domain."
    ]


def test_wrong_types_format_and_missing_top_keys() -> None:
    text = SMALL.replace("format = 1", "format = 2").replace('version = "1"', "version = 1")
    text = text.replace('title = "Small instrument"\n', "")
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    messages = [p.message for p in err.value.problems]
    assert messages[0] == (
        "x.toml, line 1: format 2 was written for a newer ijmcase; this ijmcase reads format 1."
    )
    assert messages[1] == "x.toml, line 1: the file has no title."
    assert messages[2].startswith("x.toml, line 3: the version of the file must be text")


def test_domain_without_sub_domains_and_bad_key() -> None:
    text = 'format = 1\nid = "x"\nversion = "1"\ntitle = "T"\n\n[[domain]]\nkey = "Bad Key"\n'
    with pytest.raises(ValidationError) as err:
        parse_instrument(text, "x.toml")
    assert [p.code for p in err.value.problems] == [
        "instrument_required",
        "instrument_required",
        "instrument_bad_key",
    ]
    assert "has no [[domain.sub_domain]]" in err.value.message


@given(st.text(max_size=300))
def test_any_text_parses_or_fails_with_a_line(text: str) -> None:
    try:
        parse_instrument(text, "fuzz.toml")
    except ValidationError as exc:
        assert all(p.message.startswith("fuzz.toml, line ") for p in exc.problems)


@given(st.integers(0, SMALL.count("\n") - 1))
def test_dropping_any_line_is_reported_at_a_real_line(drop: int) -> None:
    lines = SMALL.splitlines(keepends=True)
    text = "".join(lines[:drop] + lines[drop + 1 :])
    try:
        parse_instrument(text, "cut.toml")
    except ValidationError as exc:
        for line in problem_lines(exc):
            assert 1 <= line <= text.count("\n") + 1


# ---------------------------------------------------------------------------- scoring


def test_domain_scores_are_exact_means(small: Instrument) -> None:
    scores = score_assessment(
        small, {"free_from_abuse": 4, "free_from_threats": 3, "family_support": 2, "school": 3}
    )
    assert scores.means == {"safety": Fraction(7, 2), "social_support": Fraction(5, 2)}
    assert scores.domain("safety").display == "3.5"
    assert scores.sub_domain_scores["school"] == 3


def test_optional_sub_domain_left_out_is_not_counted(small: Instrument) -> None:
    scores = score_assessment(
        small, {"free_from_abuse": 1, "free_from_threats": 2, "family_support": 2, "school": None}
    )
    assert scores.means["social_support"] == 2
    assert "school" not in scores.sub_domain_scores


def test_thirds_round_half_up_for_display(shipped: Instrument) -> None:
    values = dict.fromkeys(shipped.sub_domain_keys, 3)
    values.update(free_from_abuse=4, free_from_threats=4)  # safety 11/3
    values.update(emotional_health=2)  # mental wellbeing 8/3
    values.update(identity_documents=4, understands_case=4, access_to_justice=4)  # 15/4
    scores = score_assessment(shipped, values)
    assert scores.domain("safety").mean == Fraction(11, 3)
    assert scores.domain("safety").display == "3.7"
    assert scores.domain("mental_wellbeing").display == "2.7"
    assert scores.domain("legal_protection").display == "3.8"  # 3.75 rounds up
    assert str(scores.domain("legal_protection").rounded(2)) == "3.75"


def test_bad_scores_are_each_named_for_the_dialog(small: Instrument) -> None:
    with pytest.raises(ValidationError) as err:
        score_assessment(
            small,
            # True is an int to Python and to mypy; it must still not count as a 1.
            {"free_from_abuse": 0, "free_from_threats": 5, "family_support": True, "ghost": 3},
        )
    assert [(p.field, p.code) for p in err.value.problems] == [
        ("scores.free_from_abuse", "score_out_of_range"),
        ("scores.free_from_threats", "score_out_of_range"),
        ("scores.family_support", "score_out_of_range"),
        ("scores.ghost", "unknown_sub_domain"),
    ]
    assert "'ghost' is not a sub-domain of Small instrument version 1" in err.value.message
    assert "'Free from threats' is 5; it must be a whole number from 1 to 4" in err.value.message


def test_required_sub_domain_missing(small: Instrument) -> None:
    with pytest.raises(ValidationError) as err:
        score_assessment(small, {"free_from_abuse": 3})
    assert [p.field for p in err.value.for_field("scores.free_from_threats")] == [
        "scores.free_from_threats"
    ]
    assert {p.field for p in err.value.problems} == {
        "scores.free_from_threats",
        "scores.family_support",
    }
    assert {p.code for p in err.value.problems} == {"required"}


@given(st.data())
def test_domain_mean_is_the_arithmetic_mean_within_range(data: st.DataObject) -> None:
    instrument = parse_instrument(SHIPPED.read_text(encoding="utf-8"), "outcome-v1.toml")
    values = {key: data.draw(st.integers(1, 4), label=key) for key in instrument.sub_domain_keys}
    scores = score_assessment(instrument, values)
    for domain in instrument.domains:
        mean = scores.domain(domain.key).mean
        subs = [values[s.key] for s in domain.sub_domains]
        assert 1 <= mean <= 4
        assert mean == Fraction(sum(subs), len(subs))
        assert abs(Fraction(scores.domain(domain.key).rounded(1)) - mean) <= Fraction(1, 20)


@given(st.integers(-10, 14), st.sampled_from(["free_from_abuse", "school", "family_support"]))
def test_any_int_outside_one_to_four_is_refused(value: int, key: str) -> None:
    small = parse_instrument(SMALL, "small.toml")
    values: dict[str, int | None] = {
        "free_from_abuse": 3,
        "free_from_threats": 3,
        "family_support": 3,
        key: value,
    }
    if 1 <= value <= 4:
        score_assessment(small, values)
    else:
        with pytest.raises(ValidationError) as err:
            score_assessment(small, values)
        assert [p.field for p in err.value.problems] == [f"scores.{key}"]


# -------------------------------------------------------------------------- threshold


def scored(instrument: Instrument, **overrides: int) -> AssessmentScores:
    values = all_scores(instrument, 3)
    values.update(overrides)
    return score_assessment(instrument, values)


def test_default_threshold_every_domain_at_three(shipped: Instrument) -> None:
    threshold = RestorationThreshold()
    assert threshold.meets(scored(shipped)) == (True, [])
    ok, below = threshold.meets(scored(shipped, income=2, money_management=2, coping=2))
    assert not ok
    assert [s.domain for s in below] == ["mental_wellbeing", "economic_empowerment_education"]
    assert below[1].describe() == "Economic empowerment and education 2.3 (needs 3.0)"


def test_mean_just_below_three_never_passes_on_rounding(shipped: Instrument) -> None:
    # Physical wellbeing 11/4 = 2.75 would display as 2.8, and is below 3.
    scores = scored(shipped, physical_health=2)
    assert scores.domain("physical_wellbeing").mean == Fraction(11, 4)
    ok, below = RestorationThreshold(default_minimum=Fraction(11, 4)).meets(scores)
    assert ok
    ok, below = RestorationThreshold().meets(scores)
    assert not ok
    assert below[0].describe() == "Physical wellbeing 2.75 (needs 3.0)"
    # Shown as "2.8", and still below a minimum of 2.8.
    assert scores.domain("physical_wellbeing").display == "2.8"
    ok, below = RestorationThreshold.from_setting("2.8").meets(scores)
    assert (ok, [s.domain for s in below]) == (False, ["physical_wellbeing"])


def test_safety_sub_domain_below_fails_even_with_a_good_mean(shipped: Instrument) -> None:
    scores = scored(shipped, free_from_abuse=2, free_from_threats=4, manages_unsafe_situations=4)
    assert scores.domain("safety").mean > 3
    ok, below = RestorationThreshold().meets(scores)
    assert not ok
    assert below[0].domain == "safety"
    assert below[0].describe() == (
        "Safety: 'Free from abuse or neglect' scored 2 (each safety sub-domain needs 3.0)"
    )
    # Social support has no such rule by default: a 2 is averaged away.
    ok, _ = RestorationThreshold().meets(
        scored(shipped, family_support=2, trusted_person=4, community_acceptance=4)
    )
    assert ok
    relaxed = RestorationThreshold(every_sub_domain=frozenset())
    assert relaxed.meets(scores) == (True, [])


def test_threshold_as_a_setting(shipped: Instrument) -> None:
    threshold = RestorationThreshold.from_setting("2.5", {"safety": 3.5, "income_x": "3"})
    assert threshold.minimum_for("safety") == Fraction(7, 2)
    assert threshold.minimum_for("social_support") == Fraction(5, 2)
    assert threshold.unknown_domains(shipped) == ["income_x"]
    safe = {"free_from_abuse": 4, "free_from_threats": 4, "manages_unsafe_situations": 4}
    ok, below = threshold.meets(scored(shipped, income=2, coping=2, **safe))  # 8/3 >= 2.5
    assert ok
    ok, below = threshold.meets(scored(shipped))
    assert [s.domain for s in below] == ["safety"]
    with pytest.raises(ValidationError, match="from 1 to 4") as err:
        RestorationThreshold.from_setting(4.5)
    assert err.value.problems[0].field == "threshold.default"
    with pytest.raises(ValidationError, match="not a number"):
        RestorationThreshold.from_setting(per_domain={"safety": "high"})


# --------------------------------------------------------------------------- schedule


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 10, 15), 3) == date(2026, 1, 15)
    assert add_months(date(2025, 12, 31), 12) == date(2026, 12, 31)


START = date(2025, 3, 10)
DEFAULT = AssessmentSchedule()
T = AssessmentType


def test_intake_is_due_when_aftercare_starts() -> None:
    due = next_due(DEFAULT, [], START, START)
    assert (due.kind, due.due_on, due.overdue) == (T.INTAKE, START, False)
    due = next_due(DEFAULT, [], START, START + timedelta(days=3))
    assert (due.overdue, due.days_overdue) == (True, 3)
    later = AssessmentSchedule(intake_offset_days=14)
    assert next_due(later, [], START, START).due_on == date(2025, 3, 24)


def test_six_months_after_intake_then_yearly() -> None:
    done = [(T.INTAKE, date(2025, 3, 12))]
    due = next_due(DEFAULT, done, START, date(2025, 6, 1))
    assert (due.kind, due.due_on, due.overdue) == (T.SIX_MONTH, date(2025, 9, 12), False)
    done.append((T.SIX_MONTH, date(2025, 9, 20)))
    due = next_due(DEFAULT, done, START, date(2026, 10, 1))
    assert (due.kind, due.due_on, due.overdue) == (T.ANNUAL, date(2026, 9, 20), True)
    assert due.days_overdue == 11
    done.append((T.ANNUAL, date(2026, 9, 25)))
    assert next_due(DEFAULT, done, START, date(2026, 10, 1)).due_on == date(2027, 9, 25)


def test_schedule_end_of_month_intake() -> None:
    done = [(T.INTAKE, date(2025, 8, 31))]
    assert next_due(DEFAULT, done, date(2025, 8, 31), date(2025, 9, 1)).due_on == date(2026, 2, 28)


def test_ad_hoc_assessment_restarts_the_clock_but_not_the_kind() -> None:
    done = [(T.INTAKE, date(2025, 1, 5)), (T.AD_HOC, date(2025, 4, 1))]
    due = next_due(DEFAULT, done, date(2025, 1, 5), date(2025, 7, 6))
    assert (due.kind, due.due_on, due.overdue) == (T.SIX_MONTH, date(2025, 10, 1), False)


def test_configured_schedule() -> None:
    quarterly = AssessmentSchedule(first_followup_months=3, then_every_months=6)
    done = [(T.INTAKE, date(2025, 1, 5)), (T.SIX_MONTH, date(2025, 4, 5))]
    assert next_due(quarterly, done, date(2025, 1, 5), date(2025, 5, 1)).due_on == date(2025, 10, 5)
    with pytest.raises(ValidationError) as err:
        AssessmentSchedule(intake_offset_days=-1, then_every_months=0)
    assert {p.field for p in err.value.problems} == {"intake_offset_days", "then_every_months"}


@given(
    st.lists(
        st.tuples(st.sampled_from(AssessmentType), st.dates(date(2015, 1, 1), date(2035, 12, 31))),
        max_size=8,
    ),
    st.dates(date(2015, 1, 1), date(2035, 12, 31)),
    st.dates(date(2015, 1, 1), date(2035, 12, 31)),
    st.integers(0, 60),
    st.integers(1, 24),
    st.integers(1, 24),
)
def test_next_due_never_before_the_last_assessment(
    done: list[tuple[AssessmentType, date]],
    started: date,
    today: date,
    offset: int,
    first: int,
    every: int,
) -> None:
    schedule = AssessmentSchedule(offset, first, every)
    due = next_due(schedule, done, started, today)
    if done:
        assert due.due_on > max(d for _, d in done)
        assert due.kind in (T.SIX_MONTH, T.ANNUAL)
    else:
        assert (due.kind, due.due_on) == (T.INTAKE, started + timedelta(days=offset))
    assert due.overdue == (today > due.due_on)
    assert due.days_overdue == max(0, (today - due.due_on).days)


# ---------------------------------------------------------------------------- closure

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    "reason",
    [r for r in AftercareClosureReason if r is not AftercareClosureReason.RESTORED],
)
def test_other_reasons_need_only_the_reason(reason: AftercareClosureReason) -> None:
    check_aftercare_closure(reason, None, None, TODAY)
    assert aftercare_closure_gaps(reason.value, None, Role.CASEWORKER, TODAY) == []


def test_restored_with_recent_assessment_and_director_approval(shipped: Instrument) -> None:
    recent = (TODAY - timedelta(days=90), scored(shipped))
    check_aftercare_closure(AftercareClosureReason.RESTORED, recent, Role.DIRECTOR, TODAY)
    check_aftercare_closure("restored", (TODAY, scored(shipped)), Role.DIRECTOR, TODAY)


def test_restored_with_nothing_names_everything_missing() -> None:
    with pytest.raises(RuleViolation) as err:
        check_aftercare_closure(AftercareClosureReason.RESTORED, None, None, TODAY)
    assert err.value.code == "closure_assessment_missing"
    assert err.value.message == (
        "Aftercare cannot be closed as restored. There is no closure assessment; record one "
        "(it must be at most 90 days old). A director has not approved closing aftercare "
        "as restored."
    )


def test_restored_with_an_old_assessment_says_by_how_much(shipped: Instrument) -> None:
    old = (TODAY - timedelta(days=91), scored(shipped))
    with pytest.raises(RuleViolation) as err:
        check_aftercare_closure(AftercareClosureReason.RESTORED, old, Role.DIRECTOR, TODAY)
    assert err.value.code == "closure_assessment_too_old"
    assert "is 91 days old, 1 day more than the 90 allowed" in err.value.message
    older = (TODAY - timedelta(days=150), scored(shipped))
    gaps = aftercare_closure_gaps("restored", older, Role.DIRECTOR, TODAY, max_age_days=120)
    assert [g.code for g in gaps] == ["closure_assessment_too_old"]
    assert "30 days more than the 120 allowed" in gaps[0].message


def test_restored_below_threshold_names_the_domains(shipped: Instrument) -> None:
    low = (TODAY, scored(shipped, income=2, money_management=1, free_from_threats=2))
    with pytest.raises(RuleViolation) as err:
        check_aftercare_closure(AftercareClosureReason.RESTORED, low, Role.DIRECTOR, TODAY)
    assert err.value.code == "below_threshold"
    assert err.value.message == (
        "Aftercare cannot be closed as restored. The closure assessment is below the "
        "restoration threshold: Safety 2.7 (needs 3.0); Safety: 'Free from threats by suspects "
        "or others' scored 2 (each safety sub-domain needs 3.0); Economic empowerment and "
        "education 2.0 (needs 3.0)."
    )
    relaxed = RestorationThreshold.from_setting(2, every_sub_domain=())
    check_aftercare_closure("restored", low, Role.DIRECTOR, TODAY, threshold=relaxed)


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.DIRECTOR])
def test_restored_needs_a_director_not_another_role(shipped: Instrument, role: Role) -> None:
    with pytest.raises(RuleViolation, match="only a director can approve") as err:
        check_aftercare_closure("restored", (TODAY, scored(shipped)), role, TODAY)
    assert err.value.code == "approval_not_director"
    assert f"given by a {role.label.lower()};" in err.value.message


def test_future_dated_closure_assessment(shipped: Instrument) -> None:
    ahead = (TODAY + timedelta(days=1), scored(shipped))
    gaps = aftercare_closure_gaps("restored", ahead, Role.DIRECTOR, TODAY)
    assert [g.code for g in gaps] == ["closure_assessment_in_future"]


def test_unknown_reason_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="choose one of: restored"):
        check_aftercare_closure("graduated", None, None, TODAY)


@given(st.integers(-5, 200), st.sampled_from([None, *Role]))
def test_restored_closes_iff_recent_and_director(age: int, role: Role | None) -> None:
    shipped = load_instrument(SHIPPED)
    latest = (TODAY - timedelta(days=age), scored(shipped))
    gaps = aftercare_closure_gaps("restored", latest, role, TODAY)
    assert (not gaps) == (0 <= age <= 90 and role is Role.DIRECTOR)
