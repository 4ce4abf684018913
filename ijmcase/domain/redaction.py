"""Taking survivors' identifying values out of free text.

A redacted report shows survivors by code and leaves their identifying
record out. Free text (an intervention's outcome, a track's outcome note) is
written by staff in a hurry and may still hold a name or a phone number, so
before such text goes into a redacted report the service passes it through
:func:`scrub` with the identifying values of the survivors in the case:
each name and each part of a name (three letters or more) and each phone
number is replaced by a marker. Over-redacting a word that merely contains
a name is the safe mistake; leaking the name is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["REDACTED", "identifying_patterns", "scrub"]

REDACTED = "[redacted]"
_MIN_PART = 3
_MIN_PHONE_DIGITS = 6
# Between the digits of a phone number people write spaces, dashes, dots, brackets.
_PHONE_GAP = r"[\s\-.()/]*"


def _name_pattern(part: str) -> str:
    # Not inside a longer word (lookarounds, so names in any script work).
    return rf"(?<!\w){re.escape(part)}(?!\w)"


def identifying_patterns(values: Iterable[str]) -> list[str]:
    """Regular expressions for each value, its name parts and its digits."""
    patterns: set[str] = set()
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        digits = re.sub(r"\D", "", value, flags=re.ASCII)
        if len(digits) >= _MIN_PHONE_DIGITS:
            # The whole number, and its local part written without the country code.
            for tail in {digits, digits[-10:], digits[-7:]}:
                if len(tail) >= _MIN_PHONE_DIGITS:
                    patterns.add(r"\+?" + _PHONE_GAP.join(re.escape(d) for d in tail))
        patterns.add(_name_pattern(value))
        for part in re.split(r"[\s,;/]+", value):
            part = part.strip(".-'\"()")
            if len(part) >= _MIN_PART and not part.isdigit():
                patterns.add(_name_pattern(part))
    # Longest first, so a full name goes before its parts.
    return sorted(patterns, key=len, reverse=True)


def scrub(text: str, values: Iterable[str], *, marker: str = REDACTED) -> str:
    """``text`` with every identifying value (and name part) replaced by ``marker``."""
    if not text:
        return text
    patterns = identifying_patterns(values)
    if not patterns:
        return text
    combined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    return combined.sub(marker, text)
