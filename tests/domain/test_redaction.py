"""Scrubbing survivors' identifying values out of free text."""

from __future__ import annotations

from ijmcase.domain.redaction import REDACTED, scrub


def test_names_parts_and_numbers_are_replaced() -> None:
    values = ["Priya Sharma", "+91 98401 11111", "प्रिया वर्मा"]
    text = (
        "Met priya at home; Sharma family worried. Call 98401-11111 or +919840111111. प्रिया ठीक है"
    )
    out = scrub(text, values)
    for gone in ("priya", "Sharma", "98401", "प्रिया"):
        assert gone not in out
    assert out.count(REDACTED) == 5
    assert "home" in out and "family worried" in out


def test_words_that_merely_contain_a_name_part_stay() -> None:
    assert (
        scrub("Anna went to the Annapurna office", ["Anna"])
        == f"{REDACTED} went to the Annapurna office"
    )
    assert scrub("", ["Anna"]) == ""
    assert scrub("Nothing to hide", ["", "  "]) == "Nothing to hide"
