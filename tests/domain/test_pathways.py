"""Legal-pathway templates: the shipped files, and the messages for bad ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.enums import ReportingStage
from ijmcase.domain.errors import NotFound, ValidationError
from ijmcase.domain.pathways import (
    GENERIC,
    MAX_DAYS,
    Milestone,
    Pathway,
    TimeLimit,
    default_pathway_dir,
    load_pathways,
    parse_pathway,
    pathway_for,
    pathway_to_toml,
)

SHIPPED = default_pathway_dir()

HEADER = 'format = 1\ncountry = "ZZ"\nname = "Test pathway"\n'


def milestone_toml(key: str, stage: str = "reported", **extra: str) -> str:
    lines = [
        "",
        "[[milestone]]",
        f'key = "{key}"',
        f'label = "{key.title()}"',
        f'stage = "{stage}"',
    ]
    lines += [f"{k} = {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def problems_of(text: str, source: str = "ZZ.toml") -> list[str]:
    with pytest.raises(ValidationError) as err:
        parse_pathway(text, source)
    return [p.message for p in err.value.problems]


def line_numbers(messages: list[str], source: str) -> list[int]:
    """The line each message names, for those that name one."""
    found = (re.match(rf"{re.escape(source)}, line (\d+)", m) for m in messages)
    return [int(m[1]) for m in found if m]


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return hits[occurrence - 1]


# --------------------------------------------------------------------------
# The shipped templates
# --------------------------------------------------------------------------


def test_every_shipped_template_loads() -> None:
    pathways = load_pathways()
    assert set(pathways) == {"IN", "PH", "KE", GENERIC}
    for path in SHIPPED.glob("*.toml"):
        # Each file parses alone too, and is named after its country.
        pathway = parse_pathway(path.read_text(encoding="utf-8"), path.name)
        assert pathway.country == path.stem
        assert pathway == pathways[path.stem]


@pytest.mark.parametrize("country", ["IN", "PH", "KE", GENERIC])
def test_shipped_templates_cover_the_court_stages(country: str) -> None:
    pathway = load_pathways()[country]
    stages = {m.stage for m in pathway.milestones}
    for needed in (
        ReportingStage.REPORTED,
        ReportingStage.CHARGED,
        ReportingStage.IN_TRIAL,
        ReportingStage.VERDICT,
        ReportingStage.SENTENCED,
        ReportingStage.APPEAL,
        ReportingStage.FINAL,
    ):
        assert needed in stages, (country, needed)
    assert pathway.milestones[-1].stage is ReportingStage.FINAL
    appeals = [m for m in pathway.milestones if m.stage is ReportingStage.APPEAL]
    assert all(m.optional for m in appeals), "not every case is appealed"
    # Every time limit has a legal basis and counts from an earlier milestone.
    for i, m in enumerate(pathway.milestones):
        if m.time_limit is not None:
            assert m.time_limit.basis.strip()
            assert pathway.index(m.time_limit.after) < i


def test_statutory_time_limits_of_the_shipped_templates() -> None:
    pathways = load_pathways()

    def limit(country: str, key: str) -> TimeLimit:
        found = pathways[country].milestone(key).time_limit
        assert found is not None, (country, key)
        return found

    assert (limit("PH", "probable_cause").days, limit("PH", "probable_cause").after) == (
        10,
        "information_filed",
    )
    assert limit("PH", "arraignment").days == 30
    assert (limit("PH", "appeal").days, limit("PH", "appeal").after) == (15, "promulgation")
    assert "Rule 122" in limit("PH", "appeal").basis
    assert (limit("IN", "production").days, limit("IN", "production").after) == (1, "arrest")
    assert "24 hours" in limit("IN", "production").basis
    assert (limit("KE", "appeal").days, limit("KE", "appeal").after) == (14, "sentence")
    assert "14" in limit("KE", "appeal").basis and "s. 349" in limit("KE", "appeal").basis
    assert all(m.time_limit is None for m in pathways[GENERIC].milestones)


def test_india_follows_the_code_of_criminal_procedure() -> None:
    keys = load_pathways()["IN"].keys
    assert keys[:3] == ("fir", "investigation", "arrest")
    # The accused is questioned after the prosecution evidence and before
    # the defence is called (CrPC s. 313(1)(b)).
    assert (
        keys.index("prosecution_evidence")
        < keys.index("statement_of_accused")
        < keys.index("defence_evidence")
        < keys.index("arguments")
        < keys.index("judgment")
        < keys.index("sentence")
        < keys.index("appeal")
    )


def test_kenya_amended_charge_is_optional() -> None:
    kenya = load_pathways()["KE"]
    assert kenya.milestone("amended_charge").optional
    assert kenya.index("charge") < kenya.index("plea") < kenya.index("trial")


def test_pathway_for_falls_back_to_generic() -> None:
    pathways = load_pathways()
    assert pathway_for("ph", pathways).country == "PH"
    assert pathway_for(" IN ", pathways).country == "IN"
    assert pathway_for("UG", pathways).country == GENERIC
    with pytest.raises(NotFound, match="no generic template"):
        pathway_for("UG", {"IN": pathways["IN"]})


def test_pathway_lookups() -> None:
    ph = load_pathways()["PH"]
    assert ph.milestone("arraignment").label == "Arraignment"
    assert ph.has("trial") and not ph.has("fir")
    with pytest.raises(NotFound, match="no milestone 'fir'"):
        ph.index("fir")


# --------------------------------------------------------------------------
# Malformed files: every message names the file and the line
# --------------------------------------------------------------------------


def test_syntax_error_names_line_and_column() -> None:
    text = HEADER + '\n[[milestone]]\nkey = "fir\nlabel = "FIR"\n'
    [message] = problems_of(text, "XX.toml")
    assert message.startswith("XX.toml, line 6, column")
    assert "not closed" in message


def test_syntax_error_at_end_of_file_names_last_line() -> None:
    text = HEADER + "extra = [1,\n2,\n"
    [message] = problems_of(text)
    assert message.startswith("ZZ.toml, line 5:")


def test_toml_duplicate_setting_is_a_syntax_error() -> None:
    text = HEADER + 'name = "again"\n'
    [message] = problems_of(text)
    assert message.startswith("ZZ.toml, line 4, column")
    assert "already given above" in message


def test_unknown_stage_names_its_line_and_suggests() -> None:
    text = HEADER + milestone_toml("fir") + milestone_toml("trial", "in trial")
    [message] = problems_of(text)
    assert message.startswith(f"ZZ.toml, line {line_of(text, 'in trial')}:")
    assert "'in trial' is not a reporting stage" in message
    assert "Did you mean 'in_trial'?" in message


def test_duplicate_milestone_key_names_both_lines() -> None:
    text = HEADER + milestone_toml("fir") + milestone_toml("arrest", "arrested")
    text += milestone_toml("fir", "charged")
    [message] = problems_of(text)
    first, second = line_of(text, 'key = "fir"', 1), line_of(text, 'key = "fir"', 2)
    assert message.startswith(f"ZZ.toml, line {second}:")
    assert f"already used by the milestone on line {first}" in message


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        ("later", "'later' comes later in the file"),
        ("second", "cannot count from its own milestone"),
        ("nowhere", "there is no milestone 'nowhere' before this one"),
        ("frist", "Did you mean 'first'?"),
    ],
)
def test_bad_time_limit_reference_names_its_line(after: str, expected: str) -> None:
    text = (
        HEADER
        + milestone_toml("first")
        + milestone_toml("second")
        + f'[milestone.time_limit]\ndays = 3\nafter = "{after}"\nbasis = "A law"\n'
        + milestone_toml("later")
    )
    [message] = problems_of(text)
    assert message.startswith(f"ZZ.toml, line {line_of(text, 'after =')}:")
    assert expected in message


def test_every_mistake_in_a_file_is_reported_in_line_order() -> None:
    text = (
        HEADER
        + "colour = 3\n"
        + milestone_toml("fir", optional='"yes"')
        + milestone_toml("Bad Key")
        + milestone_toml("trial", "in_trial", time_limit='{ days = 0, after = "fir", basis = "" }')
    )
    messages = problems_of(text)
    lines = line_numbers(messages, "ZZ.toml")
    assert len(lines) == len(messages)
    assert lines == sorted(lines)
    joined = "\n".join(messages)
    assert f"line {line_of(text, 'colour')}: 'colour' is not a setting" in joined
    assert f"line {line_of(text, 'optional')}: 'optional' must be true or false" in joined
    assert f"line {line_of(text, 'Bad Key')}: the key 'Bad Key' must start" in joined
    assert f"line {line_of(text, 'days = 0')}: 'days' must be between 1" in joined
    assert f"line {line_of(text, 'days = 0')}: 'basis' is empty" in joined


def test_missing_settings() -> None:
    text = '# nothing useful\ncountry = "india"\n\n[[milestone]]\nkey = "fir"\n'
    joined = "\n".join(problems_of(text))
    assert "ZZ.toml: add 'format = 1' at the top" in joined
    assert "ZZ.toml, line 2: 'india' is not a country code" in joined
    assert "ZZ.toml: the template has no 'name'" in joined
    assert "ZZ.toml, line 4: the milestone starting on line 4 has no 'label'" in joined
    assert "ZZ.toml, line 4: the milestone starting on line 4 has no 'stage'" in joined


def test_time_limit_needs_days_and_basis() -> None:
    text = HEADER + milestone_toml("a") + milestone_toml("b")
    text += '[milestone.time_limit]\nafter = "a"\nweeks = 2\n'
    header = line_of(text, "[milestone.time_limit]")
    joined = "\n".join(problems_of(text))
    assert f"line {header}: the time limit has no 'days'" in joined
    assert f"line {header}: the time limit (which law sets it?) has no 'basis'" in joined
    assert f"line {line_of(text, 'weeks')}: 'weeks' is not a setting of a time limit" in joined


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("format = 2", "line 1: format 2 is not one this version reads (format 1). It was written"),
        ('format = "1"', "line 1: 'format' must be a whole number (1), not text"),
        ("format = 1\nname = 7", "line 2: 'name' must be text in quotes, not a whole number"),
    ],
)
def test_top_level_types(setting: str, expected: str) -> None:
    text = setting + '\ncountry = "ZZ"\n' + ("" if "name" in setting else 'name = "n"\n')
    text += milestone_toml("a")
    assert any(expected in m for m in problems_of(text))


def test_milestones_on_one_line_are_refused() -> None:
    text = HEADER + 'milestone = [{ key = "a", label = "A", stage = "reported" }]\n'
    [message] = problems_of(text)
    assert message.startswith("ZZ.toml, line 4:")
    assert "its own [[milestone]] table, not as a list" in message


def test_reporting_stages_may_not_go_backwards_except_arrest() -> None:
    text = (
        HEADER
        + milestone_toml("charge", "charged")
        + milestone_toml("arrest", "arrested")  # an arrest on a warrant: allowed
        + milestone_toml("judgment", "verdict")
        + milestone_toml("trial", "in_trial")
    )
    [message] = problems_of(text)
    assert message.startswith(f"ZZ.toml, line {line_of(text, 'in_trial')}:")
    assert "'Trial' reports as in_trial but comes after 'Judgment' (verdict)" in message


def test_lines_are_found_past_tricky_text() -> None:
    """Multi-line strings that look like tables, quoted and dotted keys,
    comments with brackets: none of them may shift the line named."""
    text = (
        HEADER
        + 'description = """\n[[milestone]]\nstage = "nonsense"\n"""\n'
        + "# [[milestone]] in a comment\n"
        + "\n[[milestone]]\n"
        + '"key" = "a"  # [not a table]\n'
        + "label = '''\nA label\n[[milestone]]\nstage = \"x\"'''\n"
        + 'stage = "reported"\n'
        + "\n  [[ milestone ]]\n"
        + 'key = "b"\nlabel = "B \\" [[milestone]]"\nstage = "charged"\n'
        + 'time_limit.days = 2\ntime_limit.after = "zz"\ntime_limit.basis = """x\n"""\n'
        + "\n[[milestone]]\n"
        + 'key = "c"\nlabel = "C"\nstage = "verdikt"\n'
        + 'time_limit = { days = 1, after = "a", basis = "b", extra = [1,\n 2] }\n'
    )
    joined = "\n".join(problems_of(text))
    zz_line = line_of(text, 'after = "zz"')
    assert f"line {zz_line}: there is no milestone 'zz'" in joined
    assert f"line {line_of(text, 'verdikt')}: 'verdikt' is not a reporting stage" in joined
    extra_line = line_of(text, "extra = [1")
    assert f"line {extra_line}: 'extra' is not a setting of a time limit" in joined
    assert "nonsense" not in joined


def test_windows_line_endings_keep_line_numbers() -> None:
    text = HEADER + milestone_toml("a") + milestone_toml("b", "verdikt")
    [message] = problems_of(text.replace("\n", "\r\n"))
    assert message.startswith(f"ZZ.toml, line {line_of(text, 'verdikt')}:")


def test_a_missing_setting_of_a_dotted_time_limit_points_at_it() -> None:
    text = HEADER + milestone_toml("a") + milestone_toml("b")
    text += 'time_limit.after = "a"\ntime_limit.basis = "law"\n'
    [message] = problems_of(text)
    assert (
        message
        == f"ZZ.toml, line {line_of(text, 'time_limit.after')}: the time limit has no 'days'."
    )


# --------------------------------------------------------------------------
# Loading a folder
# --------------------------------------------------------------------------


def write(folder: Path, name: str, text: str) -> None:
    (folder / name).write_text(text, encoding="utf-8")


def test_load_reports_every_broken_file(tmp_path: Path) -> None:
    write(tmp_path, "AA.toml", HEADER.replace("ZZ", "AA") + milestone_toml("a", "bogus"))
    write(tmp_path, "BB.toml", HEADER.replace("ZZ", "BB") + 'milestone = "x\n')
    write(tmp_path, "CC.toml", HEADER.replace("ZZ", "CC") + milestone_toml("a"))
    with pytest.raises(ValidationError) as err:
        load_pathways(tmp_path)
    messages = [p.message for p in err.value.problems]
    assert messages[0].startswith("AA.toml, line 8:")
    assert messages[1].startswith("BB.toml, line 4, column")
    assert len(messages) == 2


def test_load_refuses_two_files_for_one_country(tmp_path: Path) -> None:
    write(tmp_path, "PH.toml", HEADER.replace("ZZ", "PH") + milestone_toml("a"))
    write(tmp_path, "PH-copy.toml", HEADER.replace("ZZ", "PH") + milestone_toml("a"))
    with pytest.raises(ValidationError, match=r"PH\.toml, line 2: country 'PH' already has a "):
        load_pathways(tmp_path)


def test_load_accepts_a_byte_order_mark_and_refuses_other_encodings(tmp_path: Path) -> None:
    (tmp_path / "AA.toml").write_bytes(
        b"\xef\xbb\xbf" + (HEADER.replace("ZZ", "AA") + milestone_toml("a")).encode()
    )
    assert load_pathways(tmp_path)["AA"].milestones[0].key == "a"
    (tmp_path / "BB.toml").write_bytes(
        (HEADER.replace("ZZ", "BB") + 'description = "Qu\xe9bec"\n').encode("latin-1")
    )
    with pytest.raises(ValidationError, match=r"BB\.toml, line 4: the file is not UTF-8"):
        load_pathways(tmp_path)


def test_load_from_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no folder of legal-pathway templates"):
        load_pathways(tmp_path / "nope")


def test_organization_folder_replaces_shipped_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pathways").mkdir()
    write(tmp_path / "pathways", "UG.toml", HEADER.replace("ZZ", "UG") + milestone_toml("a"))
    monkeypatch.setenv("IJMCASE_RESOURCES", str(tmp_path))
    assert set(load_pathways()) == {"UG"}


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

KEYS = st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)
TEXT = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=40).filter(str.strip)


@st.composite
def pathways(draw: st.DrawFn) -> Pathway:
    keys = draw(st.lists(KEYS, min_size=1, max_size=8, unique=True))
    # Stages in order, with arrests sprinkled anywhere (the one exception).
    ranks = sorted(draw(st.lists(st.integers(0, 8), min_size=len(keys), max_size=len(keys))))
    stages = list(ReportingStage)
    milestones: list[Milestone] = []
    for i, key in enumerate(keys):
        stage = ReportingStage.ARRESTED if draw(st.booleans()) else stages[ranks[i]]
        limit = None
        if i > 0 and draw(st.booleans()):
            limit = TimeLimit(
                days=draw(st.integers(1, MAX_DAYS)),
                after=keys[draw(st.integers(0, i - 1))],
                basis=draw(TEXT),
            )
        milestones.append(
            Milestone(
                key=key,
                label=draw(TEXT),
                stage=stage,
                optional=draw(st.booleans()),
                time_limit=limit,
                note=draw(st.one_of(st.just(""), TEXT)),
            )
        )
    return Pathway(
        country=draw(st.one_of(st.just(GENERIC), st.from_regex(r"[A-Z]{2}", fullmatch=True))),
        name=draw(TEXT),
        milestones=tuple(milestones),
        description=draw(st.one_of(st.just(""), TEXT)),
    )


@given(pathways())
def test_any_valid_template_round_trips(pathway: Pathway) -> None:
    assert parse_pathway(pathway_to_toml(pathway), "gen.toml") == pathway


@dataclass
class _Layout:
    text: str
    line: int


@st.composite
def broken_templates(draw: st.DrawFn) -> _Layout:
    """A template written with random blank lines, comments, multi-line notes
    that look like TOML, and time limits in each of TOML's three spellings,
    with one wrong value whose line is known."""
    count = draw(st.integers(1, 6))
    broken = draw(st.integers(0, count - 1))
    wrong = draw(st.sampled_from(["stage", "optional", "label", "days", "after"]))
    lines = ["format = 1", 'country = "ZZ"', 'name = "Layout"']
    expected = 0

    def emit(line: str, *, target: bool = False) -> None:
        nonlocal expected
        lines.append(line)
        if target:
            expected = len(lines)

    def noise() -> None:
        for _ in range(draw(st.integers(0, 2))):
            emit(draw(st.sampled_from(["", "# [[milestone]] note", "   ", "# stage = 'x'"])))

    for i in range(count):
        here = i == broken
        noise()
        emit(draw(st.sampled_from(["[[milestone]]", "[[ milestone ]]", "  [[milestone]]  # x"])))
        emit(f'key = "m{i}"')
        noise()
        if draw(st.booleans()):
            emit('note = """')
            emit("[[milestone]]")
            emit('stage = "not read"')
            emit('"""')
        emit(
            'label = ""' if here and wrong == "label" else f'label = "M {i}"',
            target=here and wrong == "label",
        )
        emit(
            'stage = "trial"' if here and wrong == "stage" else 'stage = "reported"',
            target=here and wrong == "stage",
        )
        emit(
            'optional = "no"' if here and wrong == "optional" else "optional = false",
            target=here and wrong == "optional",
        )
        if (here and wrong in ("days", "after")) or (i > 0 and draw(st.booleans())):
            days = "-1" if here and wrong == "days" else "5"
            after = '"later"' if here and wrong == "after" else '"m0"'
            # For m0 itself "m0" is wrong too (a limit counting from its own
            # milestone): a second problem, on the line of "after".
            spelling = draw(st.sampled_from(["table", "dotted", "inline"]))
            if spelling == "table":
                emit("[milestone.time_limit]")
                emit(f"days = {days}", target=here and wrong == "days")
                emit(f"after = {after}", target=here and wrong == "after")
                emit('basis = "law"')
            elif spelling == "dotted":
                emit(f"time_limit.days = {days}", target=here and wrong == "days")
                emit(f"time_limit.after = {after}", target=here and wrong == "after")
                emit('time_limit.basis = "law"')
            else:
                emit(
                    f'time_limit = {{ days = {days}, after = {after}, basis = "law" }}',
                    target=here and wrong in ("days", "after"),
                )
    return _Layout("\n".join(lines) + "\n", expected)


@given(broken_templates())
def test_semantic_errors_name_the_right_line(layout: _Layout) -> None:
    with pytest.raises(ValidationError) as err:
        parse_pathway(layout.text, "L.toml")
    lines = line_numbers([p.message for p in err.value.problems], "L.toml")
    assert layout.line in lines, (layout.text, [p.message for p in err.value.problems])
