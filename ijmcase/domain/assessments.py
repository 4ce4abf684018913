"""The survivor outcome-assessment instrument, scoring, schedule and aftercare closure.

The instrument is data: a TOML file under ``resources/instruments/`` (format in the
README there) with domains, their sub-domains and one anchor text per score 1..4.
An organization adds its own file with a new ``version``; every assessment stores
the ``(id, version)`` it was made with, so old assessments keep their meaning.

Decisions this module makes (the services and the GUI rely on them):

* Scores are keyed by sub-domain key alone, so sub-domain keys are unique across
  the whole instrument, not just within a domain.
* Every sub-domain must be scored unless the instrument marks it ``optional``
  (say, school attendance for an adult); a domain's score is the exact mean
  (``Fraction``) of the sub-domains that were scored. Each domain must have at
  least one required sub-domain, so every domain always has a score.
* The restoration threshold compares exact means, never the rounded display,
  so a 2.95 never passes as "3.0". In the domains named in
  ``RestorationThreshold.every_sub_domain`` (by default safety and legal
  protection) no single sub-domain may be below the minimum either: a mean of
  3.3 that hides "free from abuse" at 2 is not restored.
* The schedule rolls: the next assessment is due a fixed number of months after
  the most recent assessment of any type (an ad hoc or closure assessment is a
  full assessment too), so a late assessment moves the next one rather than
  making two due at once. Only when nothing has been recorded is an intake due.
* A problem in an instrument file is a ``ValidationError`` whose every message
  starts with the file and line; the ``field`` of each problem is its path in
  the file (``domain[2].sub_domain[0].anchors``).

Standard library only.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ijmcase.domain.enums import AftercareClosureReason, AssessmentType, Role, parse_enum
from ijmcase.domain.errors import (
    ConflictError,
    FieldProblem,
    NotFound,
    RuleViolation,
    ValidationError,
)
from ijmcase.resources import resource_path

__all__ = [
    "DEFAULT_CLOSURE_MAX_AGE_DAYS",
    "DEFAULT_STRICT_DOMAINS",
    "FORMAT_VERSION",
    "MAX_SCORE",
    "MIN_SCORE",
    "Anchor",
    "AssessmentDomain",
    "AssessmentSchedule",
    "AssessmentScores",
    "ClosureGap",
    "DomainScore",
    "DueAssessment",
    "Instrument",
    "RestorationThreshold",
    "Shortfall",
    "SubDomain",
    "SubScore",
    "add_months",
    "aftercare_closure_gaps",
    "check_aftercare_closure",
    "default_instrument_dir",
    "load_instrument",
    "load_instruments",
    "next_due",
    "parse_instrument",
    "score_assessment",
    "score_field",
]

FORMAT_VERSION = 1
MIN_SCORE = 1
MAX_SCORE = 4
SCORES = range(MIN_SCORE, MAX_SCORE + 1)
DEFAULT_CLOSURE_MAX_AGE_DAYS = 90

MAX_LABEL = 200
MAX_TEXT = 2000

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_INSTRUMENT_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


# --------------------------------------------------------------------- the instrument


@dataclass(frozen=True)
class Anchor:
    """What a score means for one sub-domain: 1 is most vulnerable, 4 least."""

    score: int
    text: str


@dataclass(frozen=True)
class SubDomain:
    key: str
    label: str
    anchors: tuple[Anchor, ...]
    optional: bool = False
    description: str = ""

    def anchor(self, score: int) -> Anchor:
        for anchor in self.anchors:
            if anchor.score == score:
                return anchor
        raise KeyError(score)


@dataclass(frozen=True)
class AssessmentDomain:
    key: str
    label: str
    sub_domains: tuple[SubDomain, ...]
    description: str = ""


@dataclass(frozen=True)
class Instrument:
    """One version of an assessment instrument, as loaded from its file."""

    id: str
    version: str
    title: str
    domains: tuple[AssessmentDomain, ...]
    description: str = ""
    format: int = FORMAT_VERSION
    # Where it came from and a digest of the exact text: a service can store the
    # digest with an assessment and notice when someone edited a version in place.
    source: str = field(default="", compare=False)
    digest: str = field(default="", compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @cached_property
    def _sub_domains(self) -> dict[str, tuple[AssessmentDomain, SubDomain]]:
        return {s.key: (d, s) for d in self.domains for s in d.sub_domains}

    @property
    def sub_domain_keys(self) -> list[str]:
        return list(self._sub_domains)

    def sub_domain(self, key: str) -> SubDomain:
        try:
            return self._sub_domains[key][1]
        except KeyError:
            raise NotFound(
                f"'{key}' is not a sub-domain of {self.title} version {self.version}.",
                code="unknown_sub_domain",
            ) from None

    def domain_of(self, sub_domain_key: str) -> AssessmentDomain:
        self.sub_domain(sub_domain_key)
        return self._sub_domains[sub_domain_key][0]

    def domain(self, key: str) -> AssessmentDomain:
        for domain in self.domains:
            if domain.key == key:
                return domain
        raise NotFound(
            f"'{key}' is not a domain of {self.title} version {self.version}.",
            code="unknown_domain",
        )


# ------------------------------------------------- where each key sits in the text


_Path = tuple[str | int, ...]
_WS = " \t"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class _LineIndex:
    """The line each table and key of a TOML document is written on.

    ``tomllib`` reports lines only for syntax errors; to name the line of a
    semantic problem (a missing anchor, an unknown key) this walks the text once
    and records the line of every table header and key, under the same path the
    parsed data uses (array-of-tables elements by index). It runs only on text
    ``tomllib`` has already accepted, so it need not diagnose anything; if it
    meets something it does not follow it stops, and lookups fall back to the
    nearest enclosing table.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines = [i for i, ch in enumerate(text) if ch == "\n"]
        self._lines: dict[_Path, int] = {}
        self._array_counts: dict[_Path, int] = {}
        with contextlib.suppress(IndexError, ValueError, tomllib.TOMLDecodeError):
            self._scan()

    def line_of(self, path: _Path) -> int:
        for end in range(len(path), 0, -1):
            line = self._lines.get(path[:end])
            if line is not None:
                return line
        return 1

    def _line_at(self, pos: int) -> int:
        return bisect.bisect_left(self._newlines, pos) + 1

    def _record(self, path: _Path, pos: int) -> None:
        # The first mention wins: that is where a reader starts looking.
        self._lines.setdefault(path, self._line_at(pos))

    def _skip_blank(self, pos: int, *, newlines: bool = True) -> int:
        text = self._text
        while pos < len(text):
            ch = text[pos]
            if ch in _WS or (newlines and ch in "\r\n"):
                pos += 1
            elif ch == "#":
                end = text.find("\n", pos)
                pos = len(text) if end < 0 else end
            else:
                break
        return pos

    def _scan(self) -> None:
        text = self._text
        table: _Path = ()
        pos = self._skip_blank(0)
        while pos < len(text):
            start = pos
            if text[pos] == "[":
                is_array = text.startswith("[[", pos)
                keys, pos = self._read_key(pos + (2 if is_array else 1))
                pos = self._skip_blank(pos, newlines=False) + (2 if is_array else 1)
                table = self._resolve_header(keys, is_array)
                if is_array:
                    self._record(table[:-1], start)
                self._record(table, start)
            else:
                keys, pos = self._read_key(pos)
                self._record_dotted(table, keys, start)
                pos = self._skip_blank(pos, newlines=False)
                if text[pos] != "=":
                    raise ValueError("expected '='")
                pos = self._skip_value(self._skip_blank(pos + 1, newlines=False), table + keys)
            pos = self._skip_blank(pos)

    def _resolve_header(self, keys: tuple[str, ...], is_array: bool) -> _Path:
        resolved: list[str | int] = []
        for i, key in enumerate(keys):
            resolved.append(key)
            here = tuple(resolved)
            if is_array and i == len(keys) - 1:
                self._array_counts[here] = self._array_counts.get(here, 0) + 1
                resolved.append(self._array_counts[here] - 1)
            elif here in self._array_counts:
                # [a.b] under [[a]] means "b of the last a".
                resolved.append(self._array_counts[here] - 1)
        return tuple(resolved)

    def _record_dotted(self, table: _Path, keys: tuple[str, ...], pos: int) -> None:
        for end in range(1, len(keys) + 1):
            self._record(table + keys[:end], pos)

    def _read_key(self, pos: int) -> tuple[tuple[str, ...], int]:
        text = self._text
        keys: list[str] = []
        while True:
            pos = self._skip_blank(pos, newlines=False)
            ch = text[pos]
            if ch == '"' or ch == "'":
                end = self._skip_string(pos)
                # Let tomllib undo the escapes, so the key matches the parsed one.
                keys.append(str(tomllib.loads("k = " + text[pos:end])["k"]))
                pos = end
            else:
                match = _BARE_KEY.match(text, pos)
                if match is None:
                    raise ValueError("expected a key")
                keys.append(match.group())
                pos = match.end()
            pos = self._skip_blank(pos, newlines=False)
            if pos < len(text) and text[pos] == ".":
                pos += 1
                continue
            return tuple(keys), pos

    def _skip_string(self, pos: int) -> int:
        text = self._text
        for quote in ('"""', "'''"):
            if text.startswith(quote, pos):
                i = pos + 3
                while not text.startswith(quote, i):
                    i += 2 if quote == '"""' and text[i] == "\\" else 1
                    if i >= len(text):
                        raise ValueError("unterminated string")
                i += 3
                # Up to two quotes may sit right before the closing three.
                extra = 0
                while extra < 2 and i < len(text) and text[i] == quote[0]:
                    i += 1
                    extra += 1
                return i
        quote = text[pos]
        i = pos + 1
        while text[i] != quote:
            i += 2 if quote == '"' and text[i] == "\\" else 1
        return i + 1

    def _skip_value(self, pos: int, path: _Path) -> int:
        text = self._text
        ch = text[pos]
        if ch in "\"'":
            return self._skip_string(pos)
        if ch == "[":
            pos += 1
            index = 0
            while True:
                pos = self._skip_blank(pos)
                if text[pos] == "]":
                    return pos + 1
                if text[pos] == ",":
                    pos += 1
                    continue
                self._record((*path, index), pos)
                pos = self._skip_value(pos, (*path, index))
                index += 1
        if ch == "{":
            pos += 1
            while True:
                pos = self._skip_blank(pos)
                if text[pos] == "}":
                    return pos + 1
                if text[pos] == ",":
                    pos += 1
                    continue
                start = pos
                keys, pos = self._read_key(pos)
                self._record_dotted(path, keys, start)
                pos = self._skip_blank(pos, newlines=False) + 1  # the '='
                pos = self._skip_value(self._skip_blank(pos, newlines=False), path + keys)
        # A number, boolean or date: it ends where the next token starts.
        while pos < len(text) and text[pos] not in ",]}#\r\n":
            pos += 1
        return pos


# ------------------------------------------------------------------- parsing a file


def _path_text(path: _Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "instrument"


class _Checker:
    """Collects every problem in a parsed instrument, each with its line."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.index = _LineIndex(text)
        self.found: list[tuple[int, FieldProblem]] = []

    def problem(self, path: _Path, code: str, message: str) -> None:
        line = self.index.line_of(path)
        self.found.append(
            (line, FieldProblem(_path_text(path), code, f"{self.source}, line {line}: {message}"))
        )

    def raise_if_any(self) -> None:
        if self.found:
            # Sorted by line: a person fixes a file from the top down.
            raise ValidationError([p for _, p in sorted(self.found, key=lambda f: f[0])])

    def unknown_keys(
        self, table: Mapping[str, Any], allowed: Iterable[str], path: _Path, what: str
    ) -> None:
        allowed = tuple(allowed)
        for key in table:
            if key not in allowed:
                self.problem(
                    (*path, key),
                    "instrument_unknown_key",
                    f"unknown key '{key}' in {what}; the keys allowed there are "
                    f"{', '.join(allowed)}.",
                )

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        path: _Path,
        what: str,
        *,
        required: bool = True,
        limit: int = MAX_LABEL,
    ) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(path, "instrument_required", f"{what} has no {key}.")
            return ""
        if not isinstance(value, str):
            self.problem(
                (*path, key),
                "instrument_type",
                f"the {key} of {what} must be text in quotes, not {_toml_type(value)}.",
            )
            return ""
        value = value.strip()
        if required and not value:
            self.problem((*path, key), "instrument_required", f"the {key} of {what} is empty.")
        elif len(value) > limit:
            self.problem(
                (*path, key),
                "instrument_too_long",
                f"the {key} of {what} is {len(value):,} characters; the limit is {limit:,}.",
            )
        return value

    def key(
        self, table: Mapping[str, Any], path: _Path, what: str, pattern: re.Pattern[str]
    ) -> str:
        value = self.text(table, "key", path, what)
        if value and not pattern.match(value):
            self.problem(
                (*path, "key"),
                "instrument_bad_key",
                f"the key '{value}' of {what} must be lower-case letters, digits and "
                "underscores, starting with a letter.",
            )
        return value

    def tables(self, table: Mapping[str, Any], key: str, path: _Path, what: str) -> list[Any]:
        value = table.get(key)
        if value is None:
            header = ".".join(p for p in (*path, key) if isinstance(p, str))
            self.problem(path, "instrument_required", f"{what} has no [[{header}]].")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(
                (*path, key),
                "instrument_type",
                f"'{key}' in {what} must be a list of tables, written [[...{key}]].",
            )
            return []
        if not value:
            self.problem((*path, key), "instrument_required", f"{what} has no {key} entries.")
        return value


def _toml_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return "a date or time"


def _syntax_problem(error: tomllib.TOMLDecodeError, text: str, source: str) -> ValidationError:
    message = str(error)
    match = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if match:
        where = f"line {match.group(1)}, column {match.group(2)}"
        message = message[: match.start()]
    elif message.endswith("(at end of document)"):
        where = f"line {text.count(chr(10)) + 1} (the end of the file)"
        message = message.removesuffix("(at end of document)").rstrip()
    else:
        where = "line 1"
    return ValidationError.single(
        "instrument",
        "instrument_syntax",
        f"{source}, {where}: this is not valid TOML: {message}.",
    )


def parse_instrument(text: str, source: str = "<instrument>") -> Instrument:
    """Read an instrument from TOML text, or raise a ValidationError naming each line.

    ``source`` names the file in messages (``outcome-v1.toml, line 12: ...``).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _syntax_problem(exc, text, source) from None

    check = _Checker(text, source)
    top: _Path = ()
    check.unknown_keys(
        data, ("format", "id", "version", "title", "description", "domain"), top, "the file"
    )
    fmt = data.get("format")
    if fmt is None:
        check.problem(top, "instrument_format", f"the file has no 'format = {FORMAT_VERSION}'.")
    elif isinstance(fmt, bool) or not isinstance(fmt, int):
        check.problem(("format",), "instrument_format", "format must be a whole number.")
    elif fmt != FORMAT_VERSION:
        newer = "a newer ijmcase" if fmt > FORMAT_VERSION else "an unknown tool"
        check.problem(
            ("format",),
            "instrument_format",
            f"format {fmt} was written for {newer}; this ijmcase reads format {FORMAT_VERSION}.",
        )
    instrument_id = check.text(data, "id", top, "the file")
    if instrument_id and not _INSTRUMENT_ID.match(instrument_id):
        check.problem(
            ("id",),
            "instrument_bad_key",
            f"the id '{instrument_id}' must be lower-case letters, digits, '-' and '_', "
            "starting with a letter.",
        )
    version = check.text(data, "version", top, "the file")
    if version and not _VERSION.match(version):
        check.problem(
            ("version",),
            "instrument_bad_version",
            f"the version '{version}' must be up to 32 letters, digits, '.', '-' or '_'.",
        )
    title = check.text(data, "title", top, "the file")
    description = check.text(data, "description", top, "the file", required=False, limit=MAX_TEXT)

    domains: list[AssessmentDomain] = []
    domain_keys: dict[str, int] = {}
    sub_keys: dict[str, tuple[int, int]] = {}
    for d, raw_domain in enumerate(check.tables(data, "domain", top, "the file")):
        path: _Path = ("domain", d)
        what = f"domain {d + 1}"
        key = check.key(raw_domain, path, what, _KEY)
        if key:
            what = f"domain '{key}'"
        check.unknown_keys(raw_domain, ("key", "label", "description", "sub_domain"), path, what)
        if key:
            if key in domain_keys:
                check.problem(
                    (*path, "key"),
                    "instrument_duplicate",
                    f"domain '{key}' is defined twice (first as domain {domain_keys[key] + 1}).",
                )
            domain_keys.setdefault(key, d)
        label = check.text(raw_domain, "label", path, what)
        domain_description = check.text(
            raw_domain, "description", path, what, required=False, limit=MAX_TEXT
        )
        subs: list[SubDomain] = []
        for s, raw_sub in enumerate(check.tables(raw_domain, "sub_domain", path, what)):
            sub = _parse_sub_domain(check, raw_sub, (*path, "sub_domain", s), what, s)
            if sub.key:
                first = sub_keys.get(sub.key)
                if first is not None:
                    check.problem(
                        (*path, "sub_domain", s, "key"),
                        "instrument_duplicate",
                        f"sub-domain '{sub.key}' is defined twice (first in domain "
                        f"{first[0] + 1}, sub-domain {first[1] + 1}); sub-domain keys must be "
                        "unique in the whole instrument.",
                    )
                sub_keys.setdefault(sub.key, (d, s))
            subs.append(sub)
        if subs and all(sub.optional for sub in subs):
            check.problem(
                path,
                "instrument_all_optional",
                f"every sub-domain of {what} is optional; at least one must be required so "
                "the domain always has a score.",
            )
        domains.append(AssessmentDomain(key, label, tuple(subs), domain_description))

    check.raise_if_any()
    return Instrument(
        id=instrument_id,
        version=version,
        title=title,
        domains=tuple(domains),
        description=description,
        format=FORMAT_VERSION,
        source=source,
        digest=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _parse_sub_domain(
    check: _Checker, raw: Mapping[str, Any], path: _Path, domain_what: str, index: int
) -> SubDomain:
    what = f"sub-domain {index + 1} of {domain_what}"
    key = check.key(raw, path, what, _KEY)
    if key:
        what = f"sub-domain '{key}'"
    check.unknown_keys(raw, ("key", "label", "description", "optional", "anchors"), path, what)
    label = check.text(raw, "label", path, what)
    description = check.text(raw, "description", path, what, required=False, limit=MAX_TEXT)
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        check.problem(
            (*path, "optional"), "instrument_type", f"optional in {what} must be true or false."
        )
        optional = False

    anchors: list[Anchor] = []
    raw_anchors = raw.get("anchors")
    wanted = [str(score) for score in SCORES]
    if raw_anchors is None:
        check.problem(
            path,
            "instrument_anchors",
            f"{what} has no anchors; write anchors.1 to anchors.{MAX_SCORE}, one text per score.",
        )
    elif not isinstance(raw_anchors, dict):
        check.problem(
            (*path, "anchors"),
            "instrument_anchors",
            f'the anchors of {what} must be written anchors.1 = "..." to '
            f'anchors.{MAX_SCORE} = "...", not as {_toml_type(raw_anchors)}.',
        )
    else:
        extra = [k for k in raw_anchors if k not in wanted]
        for k in extra:
            check.problem(
                (*path, "anchors", k),
                "instrument_anchors",
                f"anchors.{k} in {what} is not a score; scores are {MIN_SCORE} to {MAX_SCORE}.",
            )
        missing = [k for k in wanted if k not in raw_anchors]
        if missing:
            present = len(raw_anchors) - len(extra)
            check.problem(
                (*path, "anchors"),
                "instrument_anchors",
                f"{what} has {present} anchor{'s' if present != 1 else ''}; it needs exactly "
                f"{len(wanted)}, one per score {MIN_SCORE} to {MAX_SCORE} "
                f"(missing: {', '.join(missing)}).",
            )
        for k in wanted:
            if k in raw_anchors:
                text = check.text(
                    raw_anchors, k, (*path, "anchors"), f"{what}, anchor", limit=MAX_TEXT
                )
                anchors.append(Anchor(int(k), text))
    return SubDomain(key, label, tuple(anchors), optional, description)


def default_instrument_dir() -> Path:
    return resource_path("instruments")


def load_instrument(path: Path) -> Instrument:
    """Read one instrument file (UTF-8; a byte-order mark is tolerated)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NotFound(
            f"There is no instrument file at {path}.", code="instrument_missing"
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ValidationError.single(
            "instrument",
            "instrument_encoding",
            f"{path}, line {line}: the file is not UTF-8 text; save it as UTF-8.",
        ) from None
    return parse_instrument(text, str(path))


def load_instruments(directory: Path | None = None) -> dict[tuple[str, str], Instrument]:
    """Every ``*.toml`` instrument in a directory, keyed by ``(id, version)``.

    The default is ``resources/instruments``. Any malformed file stops the load:
    an organization should learn at once that its file is wrong, not find
    assessments missing a domain later.
    """
    directory = default_instrument_dir() if directory is None else directory
    if not directory.is_dir():
        raise NotFound(f"There is no instrument folder at {directory}.", code="instruments_missing")
    found: dict[tuple[str, str], Instrument] = {}
    for path in sorted(directory.glob("*.toml")):
        instrument = load_instrument(path)
        earlier = found.get(instrument.key)
        if earlier is not None:
            raise ConflictError(
                f"{path} and {earlier.source} both define instrument '{instrument.id}' "
                f"version {instrument.version}; give the newer file a new version.",
                code="instrument_duplicate_version",
            )
        found[instrument.key] = instrument
    if not found:
        raise NotFound(
            f"There is no instrument (*.toml) in {directory}.", code="instruments_missing"
        )
    return found


# ------------------------------------------------------------------------- scoring


def _round_half_up(value: Fraction, places: int) -> Decimal:
    # Exact: no float and no 28-digit Decimal division in between.
    scale = 10**places
    whole = (value * scale + Fraction(1, 2)).__floor__()
    return Decimal(whole).scaleb(-places)


def _show(value: Fraction) -> str:
    """A mean or minimum for a person: one decimal, or two when that is exact (2.75)."""
    two = _round_half_up(value, 2)
    if Fraction(two) == value and two != _round_half_up(value, 1):
        return f"{two:.2f}"
    return f"{_round_half_up(value, 1):.1f}"


@dataclass(frozen=True)
class SubScore:
    key: str
    label: str
    score: int


@dataclass(frozen=True)
class DomainScore:
    """A domain's exact mean over the sub-domains that were scored."""

    key: str
    label: str
    mean: Fraction
    sub_scores: tuple[SubScore, ...]

    def rounded(self, places: int = 1) -> Decimal:
        return _round_half_up(self.mean, places)

    @property
    def display(self) -> str:
        return f"{self.rounded(1):.1f}"


@dataclass(frozen=True)
class AssessmentScores:
    instrument_id: str
    instrument_version: str
    domains: tuple[DomainScore, ...]

    @property
    def sub_domain_scores(self) -> dict[str, int]:
        return {s.key: s.score for d in self.domains for s in d.sub_scores}

    @property
    def means(self) -> dict[str, Fraction]:
        return {d.key: d.mean for d in self.domains}

    def domain(self, key: str) -> DomainScore:
        for domain in self.domains:
            if domain.key == key:
                return domain
        raise NotFound(f"No score for the domain '{key}'.", code="unknown_domain")


def score_field(sub_domain_key: str) -> str:
    """The FieldProblem field for one sub-domain's score, as a dialog marks it."""
    return f"scores.{sub_domain_key}"


def score_assessment(instrument: Instrument, scores: Mapping[str, int | None]) -> AssessmentScores:
    """Domain means of one assessment, or a ValidationError listing every bad score.

    ``None`` means "not scored". Every problem's field is ``scores.<sub-domain key>``.
    """
    problems: list[FieldProblem] = []
    domains: list[DomainScore] = []
    for domain in instrument.domains:
        sub_scores: list[SubScore] = []
        for sub in domain.sub_domains:
            value = scores.get(sub.key)
            if value is None:
                if not sub.optional:
                    problems.append(
                        FieldProblem(
                            score_field(sub.key),
                            "required",
                            f"Score '{sub.label}' ({domain.label}).",
                        )
                    )
                continue
            # bool is an int to Python; True is not a score.
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCORES:
                problems.append(
                    FieldProblem(
                        score_field(sub.key),
                        "score_out_of_range",
                        f"The score for '{sub.label}' is {value!r}; it must be a whole number "
                        f"from {MIN_SCORE} to {MAX_SCORE}.",
                    )
                )
                continue
            sub_scores.append(SubScore(sub.key, sub.label, value))
        if sub_scores:
            mean = Fraction(sum(s.score for s in sub_scores), len(sub_scores))
            domains.append(DomainScore(domain.key, domain.label, mean, tuple(sub_scores)))
    known = set(instrument.sub_domain_keys)
    for key in scores:
        if key not in known:
            problems.append(
                FieldProblem(
                    score_field(key),
                    "unknown_sub_domain",
                    f"'{key}' is not a sub-domain of {instrument.title} "
                    f"version {instrument.version}.",
                )
            )
    if problems:
        raise ValidationError(problems)
    return AssessmentScores(instrument.id, instrument.version, tuple(domains))


# ---------------------------------------------------------------------- threshold

Number = Fraction | Decimal | int | float | str


def _fraction(value: Number, field_name: str) -> Fraction:
    try:
        # Through str for a float, so 3.1 is 31/10 and not its binary neighbour.
        result = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError, TypeError):
        raise ValidationError.single(
            field_name, "not_a_number", f"'{value}' is not a number."
        ) from None
    if not MIN_SCORE <= result <= MAX_SCORE:
        raise ValidationError.single(
            field_name,
            "out_of_range",
            f"A restoration minimum must be from {MIN_SCORE} to {MAX_SCORE}; "
            f"{_show(result)} is not.",
        )
    return result


@dataclass(frozen=True)
class Shortfall:
    """One domain below the restoration threshold, and why."""

    domain: str
    label: str
    mean: Fraction
    minimum: Fraction
    # For a domain where every sub-domain must reach the minimum: those that do not.
    sub_domains_below: tuple[SubScore, ...] = ()

    def describe(self) -> str:
        parts = []
        if self.mean < self.minimum:
            parts.append(f"{self.label} {_show(self.mean)} (needs {_show(self.minimum)})")
        for sub in self.sub_domains_below:
            parts.append(
                f"{self.label}: '{sub.label}' scored {sub.score} (each "
                f"{self.label.lower()} sub-domain needs {_show(self.minimum)})"
            )
        return "; ".join(parts)


DEFAULT_STRICT_DOMAINS = frozenset({"safety", "legal_protection"})


@dataclass(frozen=True)
class RestorationThreshold:
    """When an assessment counts as "restored": a minimum mean per domain.

    ``minimums`` overrides ``default_minimum`` for named domains; in the domains
    of ``every_sub_domain`` each sub-domain score must reach the minimum too.
    Domain keys the instrument does not have are ignored (an organization's own
    instrument may name its domains differently; ``unknown_domains`` finds them
    for a settings screen).
    """

    default_minimum: Fraction = Fraction(3)
    minimums: Mapping[str, Fraction] = field(default_factory=dict, hash=False)
    every_sub_domain: frozenset[str] = DEFAULT_STRICT_DOMAINS

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "default_minimum", _fraction(self.default_minimum, "threshold.default")
        )
        object.__setattr__(
            self,
            "minimums",
            MappingProxyType({k: _fraction(v, f"threshold.{k}") for k, v in self.minimums.items()}),
        )
        object.__setattr__(self, "every_sub_domain", frozenset(self.every_sub_domain))

    @classmethod
    def from_setting(
        cls,
        default: Number = 3,
        per_domain: Mapping[str, Number] | None = None,
        every_sub_domain: Iterable[str] = DEFAULT_STRICT_DOMAINS,
    ) -> RestorationThreshold:
        """From a stored setting, where numbers may be text, floats or decimals."""
        return cls(
            _fraction(default, "threshold.default"),
            {k: _fraction(v, f"threshold.{k}") for k, v in (per_domain or {}).items()},
            frozenset(every_sub_domain),
        )

    def minimum_for(self, domain: str) -> Fraction:
        return self.minimums.get(domain, self.default_minimum)

    def unknown_domains(self, instrument: Instrument) -> list[str]:
        known = {d.key for d in instrument.domains}
        named = set(self.minimums) | set(self.every_sub_domain)
        return sorted(named - known)

    def meets(self, scores: AssessmentScores) -> tuple[bool, list[Shortfall]]:
        """Whether every domain is at its minimum, and the domains that are not."""
        below: list[Shortfall] = []
        for domain in scores.domains:
            minimum = self.minimum_for(domain.key)
            subs_below: tuple[SubScore, ...] = ()
            if domain.key in self.every_sub_domain:
                subs_below = tuple(s for s in domain.sub_scores if s.score < minimum)
            if domain.mean < minimum or subs_below:
                below.append(Shortfall(domain.key, domain.label, domain.mean, minimum, subs_below))
        return (not below, below)


# ----------------------------------------------------------------------- schedule


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Aug + 6 = 28/29 Feb)."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class AssessmentSchedule:
    """When assessments fall due: intake, a first follow-up, then a steady rhythm."""

    intake_offset_days: int = 0
    first_followup_months: int = 6
    then_every_months: int = 12

    def __post_init__(self) -> None:
        problems = []
        if self.intake_offset_days < 0:
            problems.append(
                FieldProblem(
                    "intake_offset_days",
                    "out_of_range",
                    "The intake assessment cannot be due before aftercare starts.",
                )
            )
        for name in ("first_followup_months", "then_every_months"):
            if getattr(self, name) < 1:
                problems.append(
                    FieldProblem(
                        name, "out_of_range", "Assessments must be at least a month apart."
                    )
                )
        if problems:
            raise ValidationError(problems)


@dataclass(frozen=True)
class DueAssessment:
    kind: AssessmentType
    due_on: date
    overdue: bool
    days_overdue: int = 0


_FOLLOW_UPS = (AssessmentType.SIX_MONTH, AssessmentType.ANNUAL)


def next_due(
    schedule: AssessmentSchedule,
    assessments_done: Sequence[tuple[AssessmentType, date]],
    aftercare_started_on: date,
    today: date,
) -> DueAssessment:
    """The next assessment a survivor in aftercare should have, and whether it is late.

    Nothing recorded: the intake, ``intake_offset_days`` after aftercare started.
    Otherwise ``first_followup_months`` after the latest assessment until a
    six-month assessment is recorded, then ``then_every_months`` after the latest.
    """
    if not assessments_done:
        kind = AssessmentType.INTAKE
        due_on = date.fromordinal(aftercare_started_on.toordinal() + schedule.intake_offset_days)
    else:
        kinds = {k for k, _ in assessments_done}
        latest = max(d for _, d in assessments_done)
        if AssessmentType.SIX_MONTH in kinds or AssessmentType.ANNUAL in kinds:
            kind, months = AssessmentType.ANNUAL, schedule.then_every_months
        else:
            kind, months = AssessmentType.SIX_MONTH, schedule.first_followup_months
        due_on = add_months(latest, months)
    late = (today - due_on).days
    return DueAssessment(kind, due_on, late > 0, max(late, 0))


# ------------------------------------------------------------------------- closure


@dataclass(frozen=True)
class ClosureGap:
    """One thing missing before aftercare may close; ``code`` is stable for scripts."""

    code: str
    message: str


def aftercare_closure_gaps(
    reason: AftercareClosureReason | str,
    latest_closure_assessment: tuple[date, AssessmentScores] | None,
    approved_by_role: Role | None,
    today: date,
    max_age_days: int = DEFAULT_CLOSURE_MAX_AGE_DAYS,
    threshold: RestorationThreshold | None = None,
) -> list[ClosureGap]:
    """Everything still missing to close aftercare for this reason; empty when it may close.

    Only "restored" needs more than the reason: a closure assessment at most
    ``max_age_days`` old that meets the threshold, and a director's approval.
    """
    reason = parse_enum(AftercareClosureReason, reason, field="closure_reason")
    if reason is not AftercareClosureReason.RESTORED:
        return []
    threshold = RestorationThreshold() if threshold is None else threshold
    gaps: list[ClosureGap] = []
    if latest_closure_assessment is None:
        gaps.append(
            ClosureGap(
                "closure_assessment_missing",
                f"There is no closure assessment; record one (it must be at most "
                f"{max_age_days} days old).",
            )
        )
    else:
        assessed_on, scores = latest_closure_assessment
        age = (today - assessed_on).days
        if age < 0:
            gaps.append(
                ClosureGap(
                    "closure_assessment_in_future",
                    f"The closure assessment is dated {assessed_on.isoformat()}, after "
                    f"today ({today.isoformat()}); correct its date.",
                )
            )
        elif age > max_age_days:
            gaps.append(
                ClosureGap(
                    "closure_assessment_too_old",
                    f"The closure assessment of {assessed_on.isoformat()} is {age} days old, "
                    f"{age - max_age_days} day{'s' if age - max_age_days != 1 else ''} more "
                    f"than the {max_age_days} allowed; record a new one.",
                )
            )
        else:
            # Only a current assessment is worth judging against the threshold.
            ok, below = threshold.meets(scores)
            if not ok:
                gaps.append(
                    ClosureGap(
                        "below_threshold",
                        "The closure assessment is below the restoration threshold: "
                        + "; ".join(s.describe() for s in below)
                        + ".",
                    )
                )
    if approved_by_role is None:
        gaps.append(
            ClosureGap(
                "approval_missing",
                "A director has not approved closing aftercare as restored.",
            )
        )
    elif approved_by_role is not Role.DIRECTOR:
        gaps.append(
            ClosureGap(
                "approval_not_director",
                f"The approval was given by a {approved_by_role.label.lower()}; only a "
                "director can approve closing aftercare as restored.",
            )
        )
    return gaps


def check_aftercare_closure(
    reason: AftercareClosureReason | str,
    latest_closure_assessment: tuple[date, AssessmentScores] | None,
    approved_by_role: Role | None,
    today: date,
    max_age_days: int = DEFAULT_CLOSURE_MAX_AGE_DAYS,
    threshold: RestorationThreshold | None = None,
) -> None:
    """Raise RuleViolation naming everything missing, unless aftercare may close."""
    gaps = aftercare_closure_gaps(
        reason, latest_closure_assessment, approved_by_role, today, max_age_days, threshold
    )
    if gaps:
        raise RuleViolation(
            "Aftercare cannot be closed as restored. " + " ".join(g.message for g in gaps),
            code=gaps[0].code,
        )
