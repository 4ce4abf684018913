"""Is this person already on file? Likely matches for a person being entered.

A pure function over candidates: the people service fetches the candidates
the user may see (a name prefix, a place, a birth year) and shows what this
returns before the new person is saved. Nothing here touches the database.

The score (0–100) starts from how alike the names are, then moves with the
other facts:

- Names are compared after normalising (case folded, accents stripped,
  punctuation dropped, spaces collapsed) and token by token, in any order:
  "Sharma Priya" is "Priya Sharma". Tokens are paired so as to maximise
  the result, and the weakest pair weighs most, so a shared surname does not
  make "Ramesh Kumar" and "Suresh Kumar" one person. A token may also match
  by a rough transliteration key ("Mohammed" ~ "Muhammad", "Lakshmi" ~
  "Laxmi", "Catherine" ~ "Katherine"), worth 92; an initial matches a name
  it begins (80); "Mohd." and "Md." are read as "Mohammad". Tokens only
  one side has (a middle name, a name left out) cost a little each. Every
  name and alias of one person is compared with every name and alias of
  the other; the best pair counts.
- Date of birth: the same date is strong evidence (+15); day and month
  swapped, the same or an adjacent year when one side only knows the year,
  or dates within a year, weak (+2 to +5); dates more than two years apart
  count strongly against (−25).
- The same place adds a little (+5); different places count for nothing,
  since people move. When dates of birth cannot be compared, the same age
  band adds a little and bands two or more apart count against (adjacent
  bands count for nothing: a band is taken at intake, and the same person
  met years later may have crossed into the next).

Reasons are plain sentences for the person deciding ("name 'Priya Sharma'
sounds like 'Prya Sharma' (94)", "name 'Rosa Perez' ≈ 'Rosa Peres' (84)", "same date
of birth"). They quote names, so the
service must pass only candidates whose names the user may see.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from rapidfuzz import fuzz

from ijmcase.domain.enums import AgeBand

__all__ = [
    "DEFAULT_THRESHOLD",
    "Match",
    "PersonCandidate",
    "likely_matches",
    "name_similarity",
    "normalise_name",
    "score_pair",
]

DEFAULT_THRESHOLD = 80
# Exhaustive token pairing up to this many tokens (720 pairings at most);
# longer names are paired greedily.
_EXHAUSTIVE_TOKENS = 6
_MIN_WEIGHT = 0.6  # how much the weakest token pair counts against the mean
_PHONETIC_SCORE = 92.0
_INITIAL_SCORE = 80.0
_MISSING_TOKEN_PENALTY = 0.10
_MISSING_INITIAL_PENALTY = 0.03
_SPACING_ONLY = 98.0

_SAME_DOB = 15
_SWAPPED_DOB = 5
_CLOSE_DOB = 4
_SAME_YEAR = 4
_ADJACENT_YEAR = 2
_DIFFERENT_DOB = -25
_SAME_PLACE = 5
_SAME_AGE_BAND = 2
_DIFFERENT_AGE_BAND = -10

PersonId = UUID | str


@dataclass(frozen=True)
class PersonCandidate:
    """A person as matching sees them. ``names`` is the name first, then
    aliases. ``birth_year`` is for an estimated year of birth when no full
    date is known (a full ``birth_date`` wins)."""

    id: PersonId | None
    names: Sequence[str]
    birth_date: date | None = None
    age_band: AgeBand | None = None
    place: str | None = None
    birth_year: int | None = None


@dataclass(frozen=True)
class Match:
    candidate_id: PersonId
    score: int
    reasons: list[str] = field(default_factory=list)


# -- names -------------------------------------------------------------------


# Abbreviations written for a whole name in records from the region.
_ABBREVIATIONS = {"md": "mohammad", "mohd": "mohammad", "muhd": "muhammad"}


def normalise_name(text: str) -> str:
    """Case folded, accents stripped, punctuation to spaces, spaces collapsed,
    a few abbreviations ("Mohd.") written out."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # ß and similar casefold to letters already; anything not a letter or
    # digit ("Mohd.", "O'Brien", "Jean-Luc") separates tokens.
    spaced = "".join(ch if ch.isalnum() else " " for ch in stripped)
    return " ".join(_ABBREVIATIONS.get(token, token) for token in spaced.split())


_DIGRAPHS = [
    ("x", "ks"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("ee", "i"),
    ("oo", "u"),
    ("w", "v"),
]
_SOFT_C = re.compile(r"c(?![eiy])")
_AFTER_CONSONANT_H = re.compile(r"([bcdgkpst])h")
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = re.compile(r"[aeiou]+")


def _phonetic(token: str) -> str:
    """A rough transliteration key: spellings of one spoken name often share
    it. Interior vowels are merged (Mohammed/Muhammad) but the final vowel
    is kept, since it often tells names apart (Maria/Mario)."""
    key = token
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    key = _SOFT_C.sub("k", key)
    key = _AFTER_CONSONANT_H.sub(r"\1", key)
    key = key[:1] + key[1:].replace("y", "i")
    key = _DOUBLES.sub(r"\1", key)
    ending = ""
    tail = re.search(r"[aeiou]+$", key)
    if tail and tail.start() > 0:
        ending, key = tail.group(), key[: tail.start()]
    return _VOWELS.sub("a", key) + ending


def _token_similarity(a: str, b: str) -> tuple[float, str]:
    """Similarity of two tokens (0–100) and how they matched."""
    if a == b:
        return 100.0, "same"
    if len(a) == 1 or len(b) == 1:
        short, long = (a, b) if len(a) <= len(b) else (b, a)
        if len(short) == 1 and long.startswith(short):
            return _INITIAL_SCORE, "initial"
        return 0.0, "different"
    spelled = fuzz.ratio(a, b)
    # Only an equal key counts: near keys of short names are mostly
    # different names (Rahul, Rohit).
    if spelled < _PHONETIC_SCORE and _phonetic(a) == _phonetic(b):
        return _PHONETIC_SCORE, "sounds"
    return spelled, "spelled"


def _combine(pairs: Sequence[float]) -> float:
    mean = sum(pairs) / len(pairs)
    low = min(pairs)
    return low + (mean - low) * (1.0 - _MIN_WEIGHT)


def _pairing_score(a: Sequence[str], b: Sequence[str]) -> tuple[float, bool]:
    """Best pairing of the tokens of ``a`` and ``b``: (score before the
    penalty for unpaired tokens, whether a pair matched by sound)."""
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    sims = [[_token_similarity(s, t) for t in long] for s in short]
    best: tuple[float, bool] = (-1.0, False)
    if len(long) <= _EXHAUSTIVE_TOKENS:
        for chosen in itertools.permutations(range(len(long)), len(short)):
            picked = [sims[i][j] for i, j in enumerate(chosen)]
            score = _combine([p[0] for p in picked])
            if score > best[0]:
                best = (score, any(p[1] == "sounds" for p in picked))
        return best
    # Greedy for long names: best remaining pair first.
    free_s, free_l = set(range(len(short))), set(range(len(long)))
    picked = []
    for _ in range(len(short)):
        i, j = max(
            ((i, j) for i in free_s for j in free_l),
            key=lambda ij: (sims[ij[0]][ij[1]][0], -ij[0], -ij[1]),
        )
        picked.append(sims[i][j])
        free_s.discard(i)
        free_l.discard(j)
    return _combine([p[0] for p in picked]), any(p[1] == "sounds" for p in picked)


def _unpaired_penalty(a: Sequence[str], b: Sequence[str]) -> float:
    # Unpaired tokens are the longer name's extra ones; an initial left over
    # ("Priya K Sharma") says less than a whole name left over.
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    extra = len(long) - len(short)
    if extra <= 0:
        return 1.0
    initials = sum(1 for t in long if len(t) == 1)
    initials = min(initials, extra)
    factor = 1.0 - _MISSING_TOKEN_PENALTY * (extra - initials)
    factor -= _MISSING_INITIAL_PENALTY * initials
    return max(factor, 0.5)


def name_similarity(a: str, b: str) -> tuple[float, str]:
    """How alike two names are (0–100), and how: "same", "reordered",
    "spacing", "sounds" or "spelled"."""
    ta, tb = normalise_name(a).split(), normalise_name(b).split()
    if not ta or not tb:
        return 0.0, "different"
    if ta == tb:
        return 100.0, "same"
    if sorted(ta) == sorted(tb):
        return 100.0, "reordered"
    if "".join(ta) == "".join(tb):
        # "Dela Cruz" / "De la Cruz": the same letters, split differently.
        return _SPACING_ONLY, "spacing"
    paired, by_sound = _pairing_score(ta, tb)
    score = paired * _unpaired_penalty(ta, tb)
    return score, ("sounds" if by_sound else "spelled")


def _best_names(
    entered: Sequence[str], candidate: Sequence[str]
) -> tuple[float, str, str, str] | None:
    best: tuple[float, str, str, str] | None = None
    for a in entered:
        for b in candidate:
            score, how = name_similarity(a, b)
            # Ties go to the first name, then the first alias, either side.
            if best is None or score > best[0]:
                best = (score, how, a, b)
    return best


def _name_reason(score: float, how: str, a: str, b: str) -> str:
    shown = round(score)
    if how == "same":
        # Equal once normalised; say so plainly when they are written alike.
        if " ".join(a.split()) == " ".join(b.split()):
            return f"same name '{b}'"
        return f"name '{a}' = '{b}'"
    if how == "reordered":
        return f"name '{a}' = '{b}' in another order"
    if how == "spacing":
        return f"name '{a}' = '{b}' spaced differently ({shown})"
    if how == "sounds":
        return f"name '{a}' sounds like '{b}' ({shown})"
    return f"name '{a}' ≈ '{b}' ({shown})"


# -- other facts -------------------------------------------------------------


def _year(person: PersonCandidate) -> int | None:
    if person.birth_date is not None:
        return person.birth_date.year
    return person.birth_year


def _birth_evidence(a: PersonCandidate, b: PersonCandidate) -> tuple[int, str] | None:
    """(points, reason) from the dates of birth, or None if not comparable."""
    if a.birth_date is not None and b.birth_date is not None:
        da, db = a.birth_date, b.birth_date
        if da == db:
            return _SAME_DOB, "same date of birth"
        if da.year == db.year and da.month == db.day and da.day == db.month:
            return _SWAPPED_DOB, "same date of birth with day and month swapped"
        days = abs((da - db).days)
        if days <= 366:
            return _CLOSE_DOB, f"dates of birth within a year ({da} and {db})"
        if days > 2 * 366:
            return _DIFFERENT_DOB, f"different date of birth ({da} and {db})"
        return None
    ya, yb = _year(a), _year(b)
    if ya is None or yb is None:
        return None
    if ya == yb:
        return _SAME_YEAR, f"same year of birth ({ya})"
    if abs(ya - yb) == 1:
        return _ADJACENT_YEAR, f"year of birth one apart ({ya} and {yb})"
    if abs(ya - yb) > 2:
        return _DIFFERENT_DOB, f"different year of birth ({ya} and {yb})"
    return None


_BAND_ORDER = [
    AgeBand.UNDER_18,
    AgeBand.AGE_18_24,
    AgeBand.AGE_25_34,
    AgeBand.AGE_35_49,
    AgeBand.AGE_50_PLUS,
]


def _age_band_evidence(a: PersonCandidate, b: PersonCandidate) -> tuple[int, str] | None:
    if a.age_band not in _BAND_ORDER or b.age_band not in _BAND_ORDER:
        return None
    assert a.age_band is not None and b.age_band is not None
    gap = abs(_BAND_ORDER.index(a.age_band) - _BAND_ORDER.index(b.age_band))
    if gap == 0:
        return _SAME_AGE_BAND, f"same age band ({a.age_band.value})"
    if gap == 1:
        # Bands are taken at intake; the same person met years apart can
        # cross into the next one.
        return None
    return _DIFFERENT_AGE_BAND, f"different age band ({a.age_band.value} and {b.age_band.value})"


def _same_place(a: PersonCandidate, b: PersonCandidate) -> bool:
    if not a.place or not b.place:
        return False
    pa, pb = normalise_name(a.place), normalise_name(b.place)
    if not pa or not pb:
        return False
    return pa == pb or fuzz.token_sort_ratio(pa, pb) >= 90


# -- the match ---------------------------------------------------------------


def score_pair(entered: PersonCandidate, candidate: PersonCandidate) -> tuple[int, list[str]]:
    """The score (0–100) and reasons for one pair. Symmetric up to wording."""
    best = _best_names(entered.names, candidate.names)
    if best is None:
        return 0, []
    name_score, how, a, b = best
    total = name_score
    reasons = [_name_reason(name_score, how, a, b)]
    birth = _birth_evidence(entered, candidate)
    if birth is None and (entered.birth_date is None or candidate.birth_date is None):
        birth = _age_band_evidence(entered, candidate)
    if birth is not None:
        total += birth[0]
        reasons.append(birth[1])
    if _same_place(entered, candidate):
        total += _SAME_PLACE
        reasons.append(f"same place ('{candidate.place}')")
    return max(0, min(100, round(total))), reasons


def likely_matches(
    entered: PersonCandidate,
    candidates: Iterable[PersonCandidate],
    limit: int = 5,
    threshold: int = DEFAULT_THRESHOLD,
) -> list[Match]:
    """The candidates most likely to be ``entered``, best first: at most
    ``limit``, each scoring at least ``threshold``. A candidate with the
    entered person's own id (when editing) is left out."""
    if limit <= 0:
        return []
    found: list[tuple[int, str, Match]] = []
    for candidate in candidates:
        if candidate.id is None:
            raise ValueError("a candidate needs an id")
        if entered.id is not None and candidate.id == entered.id:
            continue
        score, reasons = score_pair(entered, candidate)
        if score >= threshold:
            found.append((score, str(candidate.id), Match(candidate.id, score, reasons)))
    # Ties by id, so the same input always lists in the same order.
    found.sort(key=lambda item: (-item[0], item[1]))
    return [match for _, _, match in found[:limit]]
