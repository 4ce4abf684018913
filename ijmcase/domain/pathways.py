"""Legal pathways: each country's criminal procedure as data, read from TOML.

A pathway is the ordered list of milestones a proceeding passes through in
one country (FIR, charge sheet, framing of charges ... in India; complaint,
information, arraignment ... in the Philippines), each mapped to a generic
``ReportingStage`` so a program director can compare countries. Some
milestones carry a statutory time limit ("within 10 days of the information
being filed"), which ``proceedings.deadlines`` turns into due dates.

The templates live in ``resources/pathways/`` (one ``.toml`` file per
country plus ``generic.toml``), so an organization adds a country by writing
a file, not code; the folder's README.md describes the format. Because the
people writing those files are lawyers rather than programmers, every
mistake is reported with the file name and line number, and all mistakes in
a file are reported at once.

Standard library only (``tomllib``).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ijmcase.domain.enums import ReportingStage
from ijmcase.domain.errors import FieldProblem, NotFound, ValidationError
from ijmcase.resources import resource_path

__all__ = [
    "FORMAT_VERSION",
    "GENERIC",
    "MAX_DAYS",
    "Milestone",
    "Pathway",
    "TimeLimit",
    "default_pathway_dir",
    "load_pathways",
    "parse_pathway",
    "pathway_for",
    "pathway_to_toml",
]

FORMAT_VERSION = 1
GENERIC = "generic"
# A hundred years: longer than any procedural limit, short enough that adding
# it to a real date never overflows ``datetime.date``.
MAX_DAYS = 36_500
MAX_LABEL = 200
MAX_TEXT = 4_000

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

_TOP_KEYS = ("format", "country", "name", "description", "milestone")
_MILESTONE_KEYS = ("key", "label", "stage", "optional", "note", "time_limit")
_LIMIT_KEYS = ("days", "after", "basis")


@dataclass(frozen=True)
class TimeLimit:
    """ "Within ``days`` calendar days of milestone ``after``", and the law that says so."""

    days: int
    after: str
    basis: str


@dataclass(frozen=True)
class Milestone:
    """One step of a pathway. ``optional`` steps may be passed over without a
    reason; any other step must be reached or skipped with a reason."""

    key: str
    label: str
    stage: ReportingStage
    optional: bool = False
    time_limit: TimeLimit | None = None
    note: str = ""


@dataclass(frozen=True)
class Pathway:
    """A country's milestones in order. ``country`` is a two-letter code, or
    ``generic`` for the template used where a country has none."""

    country: str
    name: str
    milestones: tuple[Milestone, ...]
    description: str = ""
    format: int = FORMAT_VERSION

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(m.key for m in self.milestones)

    def index(self, key: str) -> int:
        for i, milestone in enumerate(self.milestones):
            if milestone.key == key:
                return i
        raise NotFound(
            f"The {self.name} pathway has no milestone '{key}'.", code="unknown_milestone"
        )

    def milestone(self, key: str) -> Milestone:
        return self.milestones[self.index(key)]

    def has(self, key: str) -> bool:
        return any(m.key == key for m in self.milestones)


# --------------------------------------------------------------------------
# Finding the line of a key in the text
# --------------------------------------------------------------------------
#
# tomllib reports the line of a syntax error but hands back plain dicts, so
# for a mistake in the meaning ("no such stage") the line has to be found in
# the text again. A regular expression over lines would be fooled by a
# multi-line string that happens to contain "[[milestone]]" or "stage =", so
# this walks the text the way a TOML reader does, but only far enough to
# know, for each key written at the start of a line, its full dotted path,
# which [[milestone]] block it sits in, and its line number. It is only run on
# text tomllib has already accepted, so it need not diagnose bad TOML.

_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class _Entry:
    line: int
    block: int  # index of the [[milestone]] block, -1 before the first
    path: tuple[str, ...]


class _Locator:
    def __init__(self, text: str) -> None:
        self.entries: list[_Entry] = []
        self.blocks: list[int] = []  # line of each [[milestone]] header
        self._text = text
        # Finding a line must never hide the mistake itself: should some
        # valid but unusual TOML trip the scanner, the messages that follow
        # name the file without a line rather than fail.
        try:
            self._scan()
            self.complete = True
        except (IndexError, ValueError, tomllib.TOMLDecodeError):
            self.complete = False

    # -- queries ---------------------------------------------------------

    def top(self, key: str) -> int | None:
        for entry in self.entries:
            if entry.path[:1] == (key,):
                return entry.line
        return None

    def in_block(self, block: int, *path: str) -> int | None:
        """Line of ``milestone.<path>`` in a block: the exact key, else the
        nearest enclosing one (an inline table), else the first key inside it
        (dotted keys such as ``time_limit.days``), else the block header."""
        full = ("milestone", *path)
        best: tuple[int, int] | None = None  # (matched length, line)
        inside: int | None = None
        for entry in self.entries:
            if entry.block != block:
                continue
            length = _common_prefix(entry.path, full)
            if length == len(entry.path) and length > 1 and (best is None or length > best[0]):
                best = (length, entry.line)
            elif length == len(full) > 1 and inside is None:
                inside = entry.line
        if best is not None:
            return best[1]
        if inside is not None:
            return inside
        return self.blocks[block] if 0 <= block < len(self.blocks) else None

    # -- scanning ----------------------------------------------------------

    def _scan(self) -> None:
        text = self._text
        pos, line = 0, 1
        table: tuple[str, ...] = ()
        block = -1
        end = len(text)
        while pos < end:
            pos = _skip_blank(text, pos)
            if pos >= end:
                break
            char = text[pos]
            if char in "\r\n#":
                pos, line = _next_line(text, pos, line)
                continue
            if char == "[":
                is_array = text.startswith("[[", pos)
                path, _ = _key_path(text, pos + (2 if is_array else 1))
                table = path
                if is_array and path == ("milestone",):
                    block += 1
                    self.blocks.append(line)
                self.entries.append(_Entry(line, block, path))
                pos, line = _next_line(text, pos, line)
                continue
            path, pos = _key_path(text, pos)
            self.entries.append(_Entry(line, block, table + path))
            # pos is at '='; the value may run over several lines.
            pos, line = _skip_value(text, pos + 1, line)


def _common_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _next_line(text: str, pos: int, line: int) -> tuple[int, int]:
    newline = text.find("\n", pos)
    if newline == -1:
        return len(text), line
    return newline + 1, line + 1


def _key_path(text: str, pos: int) -> tuple[tuple[str, ...], int]:
    """Read a dotted key from ``pos``; return it and the position after it
    (at the '=' of a key/value pair, or the ']' of a table header)."""
    parts: list[str] = []
    while True:
        pos = _skip_blank(text, pos)
        if pos < len(text) and text[pos] in "\"'":
            quote = text[pos]
            close = pos + 1
            while text[close] != quote:
                close += 2 if quote == '"' and text[close] == "\\" else 1
            raw = text[pos : close + 1]
            # Let tomllib undo the escapes of a quoted key.
            parts.append(str(tomllib.loads(f"k = {raw}")["k"]))
            pos = close + 1
        else:
            start = pos
            while pos < len(text) and text[pos] in _BARE:
                pos += 1
            parts.append(text[start:pos])
        pos = _skip_blank(text, pos)
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def _skip_value(text: str, pos: int, line: int) -> tuple[int, int]:
    """Walk over one value (strings, arrays, inline tables, comments) to the
    start of the next line; return that position and its line number."""
    depth = 0
    end = len(text)
    while pos < end:
        char = text[pos]
        if char == "\n":
            line += 1
            pos += 1
            if depth == 0:
                return pos, line
            continue
        if char == "#":
            newline = text.find("\n", pos)
            pos = end if newline == -1 else newline
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif text.startswith('"""', pos) or text.startswith("'''", pos):
            quote = text[pos : pos + 3]
            pos += 3
            while not text.startswith(quote, pos):
                if quote == '"""' and text[pos] == "\\":
                    line += text[pos + 1] == "\n"
                    pos += 2
                    continue
                line += text[pos] == "\n"
                pos += 1
            pos += 3
            # A closing delimiter may be preceded by one or two more quotes
            # that belong to the string ('"""a""""' ends with 'a"').
            extra = 0
            while extra < 2 and pos < end and text[pos] == quote[0]:
                pos += 1
                extra += 1
            continue
        elif char in "\"'":
            pos += 1
            while text[pos] != char:
                pos += 2 if char == '"' and text[pos] == "\\" else 1
        pos += 1
    return pos, line


# --------------------------------------------------------------------------
# Parsing and checking
# --------------------------------------------------------------------------


class _Problems:
    """Collects every mistake in one file, each with its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[tuple[int, FieldProblem]] = []

    def add(self, line: int | None, field: str, code: str, message: str) -> None:
        where = f"{self.source}, line {line}" if line is not None else self.source
        self.found.append((line or 0, FieldProblem(field, code, f"{where}: {message}")))

    def raise_if_any(self) -> None:
        if self.found:
            # Stable sort: problems on one line keep the order they were found.
            raise ValidationError([p for _, p in sorted(self.found, key=lambda f: f[0])])


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


_SYNTAX_AT = re.compile(r"^(?P<what>.*?)\s*\(at line (?P<line>\d+), column (?P<col>\d+)\)$")

# tomllib's wording for the mistakes people make most often, and what to do.
_SYNTAX_HINTS: dict[str, str] = {
    "Cannot overwrite a value": "this setting is already given above; give each one once",
    "Cannot declare": "this table is already declared above",
    "Illegal character '\\n'": "a quoted text is not closed on this line",
    "Expected '=' after a key in a key/value pair": "a setting needs '=' and a value",
    "Invalid value": (
        "a value is not written correctly (text needs quotes, a list its closing ']')"
    ),
    "Unclosed array": "a list is not closed with ']'",
}


def _syntax_error(error: tomllib.TOMLDecodeError, text: str, source: str) -> ValidationError:
    message = str(error)
    found = _SYNTAX_AT.match(message)
    if found:
        where = f"{source}, line {found['line']}, column {found['col']}"
        what = found["what"]
    else:
        # "(at end of document)": the last line is where the reader gave up.
        where = f"{source}, line {text.count(chr(10)) + (not text.endswith(chr(10)))}"
        what = message.replace("(at end of document)", "").strip()
    hint = next((h for start, h in _SYNTAX_HINTS.items() if what.startswith(start)), None)
    advice = hint or "check the quotes, brackets and '=' on this line and the one before it"
    return ValidationError.single(
        "file",
        "template_syntax",
        f"{where}: this is not valid TOML ({what}): {advice}.",
    )


def parse_pathway(text: str, source: str) -> Pathway:
    """Read one template; raise ValidationError listing every mistake, each
    message starting with ``source`` and the line number."""
    # A byte-order mark (Windows Notepad) is not TOML but is harmless.
    text = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, text, source) from None
    where = _Locator(text)
    problems = _Problems(source)
    pathway = _read_pathway(data, where, problems)
    problems.raise_if_any()
    assert pathway is not None  # every path that returns None records a problem
    return pathway


def _read_pathway(
    data: Mapping[str, object], where: _Locator, problems: _Problems
) -> Pathway | None:
    for key in data:
        if key not in _TOP_KEYS:
            problems.add(
                where.top(key),
                key,
                "unknown_key",
                f"'{key}' is not a setting of a pathway template; the settings are "
                f"{', '.join(_TOP_KEYS[:-1])} and the [[milestone]] tables."
                + _suggest(key, _TOP_KEYS),
            )

    version = data.get("format")
    if version is None:
        problems.add(None, "format", "missing", f"add 'format = {FORMAT_VERSION}' at the top.")
    elif not isinstance(version, int) or isinstance(version, bool):
        problems.add(
            where.top("format"),
            "format",
            "wrong_type",
            f"'format' must be a whole number ({FORMAT_VERSION}), not {_type_name(version)}.",
        )
    elif version != FORMAT_VERSION:
        newer = " It was written for a newer ijmcase." if version > FORMAT_VERSION else ""
        problems.add(
            where.top("format"),
            "format",
            "unsupported_format",
            f"format {version} is not one this version reads (format {FORMAT_VERSION}).{newer}",
        )

    country = _text(data, "country", where.top("country"), problems, required=True, limit=20)
    if country is not None and country != GENERIC and not _COUNTRY.match(country):
        problems.add(
            where.top("country"),
            "country",
            "bad_country",
            f"'{country}' is not a country code: use two capital letters such as "
            f'"IN" or "PH", or "{GENERIC}".',
        )
    name = _text(data, "name", where.top("name"), problems, required=True, limit=MAX_LABEL)
    description = _text(
        data, "description", where.top("description"), problems, required=False, limit=MAX_TEXT
    )

    raw = data.get("milestone")
    milestones: list[Milestone] = []
    if raw is None:
        problems.add(
            None,
            "milestone",
            "missing",
            "the template has no milestones; add [[milestone]] tables.",
        )
    elif not isinstance(raw, list) or not all(isinstance(m, dict) for m in raw):
        problems.add(
            where.top("milestone"),
            "milestone",
            "wrong_type",
            "write each milestone as its own [[milestone]] table.",
        )
    elif where.complete and len(where.blocks) != len(raw):
        # An inline array of tables is valid TOML, but then no line can be
        # named for each milestone; the README asks for [[milestone]] tables.
        problems.add(
            where.top("milestone"),
            "milestone",
            "inline_milestones",
            "write each milestone as its own [[milestone]] table, not as a list "
            "(milestone = [...]).",
        )
    else:
        milestones = _read_milestones(raw, where, problems)

    if problems.found or country is None or name is None:
        return None
    return Pathway(
        country=country,
        name=name,
        milestones=tuple(milestones),
        description=description or "",
        format=FORMAT_VERSION,
    )


def _text(
    table: Mapping[str, object],
    key: str,
    line: int | None,
    problems: _Problems,
    *,
    required: bool,
    limit: int,
    field: str | None = None,
    missing_line: int | None = None,
    what: str = "the template ",
) -> str | None:
    field = field or key
    value = table.get(key)
    if value is None:
        if required:
            problems.add(
                missing_line, field, "missing", f"{what}has no '{key}'; add {key} = \"...\"."
            )
        return None
    if not isinstance(value, str):
        problems.add(
            line, field, "wrong_type", f"'{key}' must be text in quotes, not {_type_name(value)}."
        )
        return None
    if required and not value.strip():
        problems.add(line, field, "blank", f"'{key}' is empty.")
        return None
    if len(value) > limit:
        problems.add(
            line,
            field,
            "too_long",
            f"'{key}' is {len(value):,} characters; the limit is {limit:,}.",
        )
        return None
    return value


def _read_milestones(
    raw: list[dict[str, object]], where: _Locator, problems: _Problems
) -> list[Milestone]:
    milestones: list[Milestone] = []
    first_line: dict[str, int | None] = {}
    for i, table in enumerate(raw):

        def at(*path: str, _i: int = i) -> int | None:
            return where.in_block(_i, *path)

        field = f"milestone[{i + 1}]"
        header = f"the milestone starting on line {where.blocks[i]} "
        for setting in table:
            if setting not in _MILESTONE_KEYS:
                problems.add(
                    at(setting),
                    f"{field}.{setting}",
                    "unknown_key",
                    f"'{setting}' is not a setting of a milestone; the settings are "
                    f"{', '.join(_MILESTONE_KEYS)}." + _suggest(setting, _MILESTONE_KEYS),
                )

        key = _text(
            table,
            "key",
            at("key"),
            problems,
            required=True,
            limit=40,
            field=f"{field}.key",
            missing_line=at(),
            what=header,
        )
        if key is not None and not _KEY.match(key):
            problems.add(
                at("key"),
                f"{field}.key",
                "bad_key",
                f"the key '{key}' must start with a small letter and use only small "
                'letters, digits and underscores (at most 40), such as "charge_sheet".',
            )
            key = None
        if key is not None and key in first_line:
            problems.add(
                at("key"),
                f"{field}.key",
                "duplicate_key",
                f"the key '{key}' is already used by the milestone on line {first_line[key]}; "
                "each milestone needs its own key.",
            )

        label = _text(
            table,
            "label",
            at("label"),
            problems,
            required=True,
            limit=MAX_LABEL,
            field=f"{field}.label",
            missing_line=at(),
            what=header,
        )
        note = _text(
            table,
            "note",
            at("note"),
            problems,
            required=False,
            limit=MAX_TEXT,
            field=f"{field}.note",
        )

        stage: ReportingStage | None = None
        raw_stage = _text(
            table,
            "stage",
            at("stage"),
            problems,
            required=True,
            limit=40,
            field=f"{field}.stage",
            missing_line=at(),
            what=header,
        )
        if raw_stage is not None:
            try:
                stage = ReportingStage(raw_stage)
            except ValueError:
                choices = [s.value for s in ReportingStage]
                problems.add(
                    at("stage"),
                    f"{field}.stage",
                    "unknown_stage",
                    f"'{raw_stage}' is not a reporting stage; use one of: "
                    f"{', '.join(choices)}." + _suggest(raw_stage, choices),
                )

        optional = table.get("optional", False)
        if not isinstance(optional, bool):
            problems.add(
                at("optional"),
                f"{field}.optional",
                "wrong_type",
                f"'optional' must be true or false, not {_type_name(optional)}.",
            )
            optional = False

        # Read before this milestone's own key is registered: a time limit
        # may only count from a milestone above it.
        limit = _read_limit(
            table.get("time_limit"), i, field, key, first_line, raw, where, problems
        )
        if key is not None and key not in first_line:
            first_line[key] = at("key")

        if key is not None and label is not None and stage is not None:
            milestones.append(
                Milestone(key, label, stage, optional=optional, time_limit=limit, note=note or "")
            )

    if not raw:
        problems.add(None, "milestone", "missing", "the template has no milestones.")
    if raw and len(milestones) == len(raw):
        _check_stage_order(milestones, where, problems)
    return milestones


def _read_limit(
    value: object,
    i: int,
    field: str,
    own_key: str | None,
    earlier: Mapping[str, int | None],
    raw: list[dict[str, object]],
    where: _Locator,
    problems: _Problems,
) -> TimeLimit | None:
    if value is None:
        return None

    def at(*path: str) -> int | None:
        return where.in_block(i, "time_limit", *path)

    field = f"{field}.time_limit"
    if not isinstance(value, dict):
        problems.add(
            at(),
            field,
            "wrong_type",
            "'time_limit' must be a table with days, after and basis.",
        )
        return None
    ok = True
    for key in value:
        if key not in _LIMIT_KEYS:
            problems.add(
                at(key),
                f"{field}.{key}",
                "unknown_key",
                f"'{key}' is not a setting of a time limit; the settings are "
                f"{', '.join(_LIMIT_KEYS)}." + _suggest(key, _LIMIT_KEYS),
            )
            ok = False
    days = value.get("days")
    if days is None:
        problems.add(at(), f"{field}.days", "missing", "the time limit has no 'days'.")
        ok = False
    elif not isinstance(days, int) or isinstance(days, bool):
        problems.add(
            at("days"),
            f"{field}.days",
            "wrong_type",
            f"'days' must be a whole number of calendar days, not {_type_name(days)}.",
        )
        ok = False
    elif not 1 <= days <= MAX_DAYS:
        problems.add(
            at("days"),
            f"{field}.days",
            "out_of_range",
            f"'days' must be between 1 and {MAX_DAYS:,}; 24 hours is written as 1.",
        )
        ok = False

    after = _text(
        value,
        "after",
        at("after"),
        problems,
        required=True,
        limit=40,
        field=f"{field}.after",
        missing_line=at(),
        what="the time limit ",
    )
    if after is None:
        ok = False
    elif after not in earlier:
        later = [str(m.get("key")) for m in raw[i:]]
        if after == own_key:
            reason = "a time limit cannot count from its own milestone"
        elif after in later:
            reason = (
                f"'{after}' comes later in the file; a time limit counts from an earlier milestone"
            )
        else:
            reason = f"there is no milestone '{after}' before this one" + _suggest(after, earlier)
        problems.add(at("after"), f"{field}.after", "bad_reference", reason + ".")
        ok = False

    basis = _text(
        value,
        "basis",
        at("basis"),
        problems,
        required=True,
        limit=MAX_TEXT,
        field=f"{field}.basis",
        missing_line=at(),
        what="the time limit (which law sets it?) ",
    )
    if basis is None or not ok:
        return None
    assert isinstance(days, int) and after is not None
    return TimeLimit(days=days, after=after, basis=basis)


def _check_stage_order(milestones: list[Milestone], where: _Locator, problems: _Problems) -> None:
    """Reporting stages may not go backwards, so that "the furthest stage
    reached" means something. Arrests are left out: depending on the country
    and the case an accused is arrested before the charge (India, an inquest
    in the Philippines) or on a warrant after it."""
    previous: Milestone | None = None
    for i, milestone in enumerate(milestones):
        if milestone.stage is ReportingStage.ARRESTED:
            continue
        if previous is not None and milestone.stage.rank < previous.stage.rank:
            problems.add(
                where.in_block(i, "stage"),
                f"milestone[{i + 1}].stage",
                "stage_order",
                f"'{milestone.label}' reports as {milestone.stage.value} but comes after "
                f"'{previous.label}' ({previous.stage.value}); milestones must follow the "
                "reporting stages in order (only an arrest may come anywhere).",
            )
        previous = milestone


# --------------------------------------------------------------------------
# Loading a folder, choosing a pathway, writing one out
# --------------------------------------------------------------------------


def default_pathway_dir() -> Path:
    return resource_path("pathways")


def load_pathways(directory: Path | None = None) -> dict[str, Pathway]:
    """Every ``*.toml`` template in ``directory``, keyed by country code
    (``generic`` for the fallback). Raises ValidationError naming each file
    and line that is wrong, across all files, so one run shows every mistake."""
    directory = default_pathway_dir() if directory is None else directory
    if not directory.is_dir():
        raise NotFound(
            f"There is no folder of legal-pathway templates at {directory}.",
            code="pathways_missing",
        )
    pathways: dict[str, Pathway] = {}
    seen_in: dict[str, str] = {}
    problems: list[FieldProblem] = []
    for path in sorted(directory.glob("*.toml")):
        try:
            # utf-8-sig: Windows Notepad starts a UTF-8 file with a byte-order mark.
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = path.read_bytes()[: error.start].count(b"\n") + 1
            problems.append(
                FieldProblem(
                    "file",
                    "not_utf8",
                    f"{path.name}, line {line}: the file is not UTF-8 text; save it as UTF-8.",
                )
            )
            continue
        try:
            pathway = parse_pathway(text, path.name)
        except ValidationError as error:
            problems.extend(error.problems)
            continue
        if pathway.country in pathways:
            problems.append(
                FieldProblem(
                    "country",
                    "duplicate_country",
                    f"{path.name}, line {_Locator(text).top('country')}: country "
                    f"'{pathway.country}' already has a template in {seen_in[pathway.country]}; "
                    "keep one file per country.",
                )
            )
            continue
        pathways[pathway.country] = pathway
        seen_in[pathway.country] = path.name
    if problems:
        raise ValidationError(problems)
    return pathways


def pathway_for(country: str, pathways: Mapping[str, Pathway]) -> Pathway:
    """The template for a country, or the generic one when it has none."""
    found = pathways.get(country.strip().upper()) or pathways.get(GENERIC)
    if found is None:
        raise NotFound(
            f"There is no legal-pathway template for {country.upper()} and no generic "
            "template to fall back on.",
            code="pathway_missing",
        )
    return found


def _toml_string(value: str) -> str:
    out = ['"']
    for char in value:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04X}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def pathway_to_toml(pathway: Pathway) -> str:
    """Write a pathway in the template format; ``parse_pathway`` reads it back
    equal. Used to export a template for an organization to adapt."""
    lines = [
        f"format = {pathway.format}",
        f"country = {_toml_string(pathway.country)}",
        f"name = {_toml_string(pathway.name)}",
    ]
    if pathway.description:
        lines.append(f"description = {_toml_string(pathway.description)}")
    for milestone in pathway.milestones:
        lines += [
            "",
            "[[milestone]]",
            f"key = {_toml_string(milestone.key)}",
            f"label = {_toml_string(milestone.label)}",
            f"stage = {_toml_string(milestone.stage.value)}",
        ]
        if milestone.optional:
            lines.append("optional = true")
        if milestone.note:
            lines.append(f"note = {_toml_string(milestone.note)}")
        if milestone.time_limit is not None:
            limit = milestone.time_limit
            lines += [
                "",
                "[milestone.time_limit]",
                f"days = {limit.days}",
                f"after = {_toml_string(limit.after)}",
                f"basis = {_toml_string(limit.basis)}",
            ]
    return "\n".join(lines) + "\n"
