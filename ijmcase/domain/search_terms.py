"""What a person typed into a search box, as terms no search engine can
misread.

Search text is words, never query syntax: quotes, ``OR``, ``NEAR``, column
filters, parentheses or SQL are read as the words they contain (``OR`` is
the word "or"). Each space-separated chunk is one term; a chunk that the
search engine would split further ("S-IN-0042", "e-mail") becomes a phrase
of its words in that order. A chunk ending in ``*`` matches words that
begin with it ("counsel*" finds "counselling").

A word is a run of letters, digits and combining marks in any script
(Devanagari vowel signs and Khmer subscripts are marks); everything else
separates words, which is how SQLite's ``unicode61`` tokenizer reads the
notes too. So emoji and punctuation alone search for nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_TERMS", "SearchTerm", "parse_search", "words_of"]

# More than this many terms is a paste, not a search; the rest are ignored.
MAX_TERMS = 16
# Longer words are not words (a pasted hash, a URL); FTS5 would index them
# whole, but nobody searches for them by typing.
_MAX_WORD = 100
_WORD_CATEGORIES = ("L", "N", "M")


def _is_word_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category[0] in _WORD_CATEGORIES or category == "Co"


def words_of(text: str) -> list[str]:
    """The words in ``text``, lower-cased, in order."""
    words: list[str] = []
    current: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return [w.lower()[:_MAX_WORD] for w in words]


@dataclass(frozen=True)
class SearchTerm:
    """Words that must appear together, in order; ``prefix``: the last may
    be the start of a longer word."""

    words: tuple[str, ...]
    prefix: bool = False

    @property
    def text(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


def _ends_with_star(chunk: str) -> bool:
    """``counsel*``, also inside quotes or brackets (``"counsel*"``)."""
    end = len(chunk)
    while end and chunk[end - 1] != "*" and not _is_word_char(chunk[end - 1]):
        end -= 1
    return end > 0 and chunk[end - 1] == "*"


def parse_search(text: str) -> tuple[SearchTerm, ...]:
    """The terms of a search, in the order typed, without repeats; empty
    when ``text`` holds no words."""
    terms: list[SearchTerm] = []
    for chunk in text.split():
        words = words_of(chunk)
        if not words:
            continue
        term = SearchTerm(tuple(words), prefix=_ends_with_star(chunk))
        if term not in terms:
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return tuple(terms)
