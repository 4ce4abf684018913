"""Human-readable codes and the countries they are built from.

Records are keyed by UUIDs so laptops working offline never collide; people
read codes: ``IN-2026-0042`` for a case (country, year opened, number),
``S-IN-0042`` for a survivor, ``A-IN-0042`` for an accused person. A
survivor is known by that code everywhere outside the protected record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ijmcase.domain.errors import FieldProblem

__all__ = [
    "COUNTRIES",
    "Country",
    "accused_code",
    "case_code",
    "case_code_prefix",
    "country_problem",
    "parse_case_code",
    "survivor_code",
]


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    timezone: str


# Countries the organization works in (DOMAIN.md) and their neighbours where
# cross-border cases lead. Adding one is a one-line change.
COUNTRIES: dict[str, Country] = {
    c.code: c
    for c in (
        Country("IN", "India", "Asia/Kolkata"),
        Country("PH", "Philippines", "Asia/Manila"),
        Country("KH", "Cambodia", "Asia/Phnom_Penh"),
        Country("TH", "Thailand", "Asia/Bangkok"),
        Country("KE", "Kenya", "Africa/Nairobi"),
        Country("UG", "Uganda", "Africa/Kampala"),
        Country("GH", "Ghana", "Africa/Accra"),
        Country("GT", "Guatemala", "America/Guatemala"),
        Country("BO", "Bolivia", "America/La_Paz"),
        Country("DO", "Dominican Republic", "America/Santo_Domingo"),
        Country("BD", "Bangladesh", "Asia/Dhaka"),
        Country("NP", "Nepal", "Asia/Kathmandu"),
        Country("MM", "Myanmar", "Asia/Yangon"),
        Country("LA", "Laos", "Asia/Vientiane"),
        Country("VN", "Vietnam", "Asia/Ho_Chi_Minh"),
        Country("TZ", "Tanzania", "Africa/Dar_es_Salaam"),
        Country("RW", "Rwanda", "Africa/Kigali"),
        Country("HN", "Honduras", "America/Tegucigalpa"),
        Country("SV", "El Salvador", "America/El_Salvador"),
        Country("MX", "Mexico", "America/Mexico_City"),
    )
}

_CASE_CODE = re.compile(r"^(?P<country>[A-Z]{2})-(?P<year>\d{4})-(?P<number>\d{4,})$")


def country_problem(value: str | None, field: str = "country") -> FieldProblem | None:
    if not value:
        return FieldProblem(field, "required", "Choose a country.")
    if value.upper() not in COUNTRIES:
        known = ", ".join(sorted(COUNTRIES))
        return FieldProblem(
            field, "unknown_country", f"'{value}' is not a country ijmcase knows ({known})."
        )
    return None


def case_code_prefix(country: str, year: int) -> str:
    return f"{country.upper()}-{year:04d}-"


def case_code(country: str, year: int, number: int) -> str:
    return f"{case_code_prefix(country, year)}{number:04d}"


def survivor_code(country: str, number: int) -> str:
    return f"S-{country.upper()}-{number:04d}"


def accused_code(country: str, number: int) -> str:
    return f"A-{country.upper()}-{number:04d}"


def parse_case_code(code: str) -> tuple[str, int, int] | None:
    """(country, year, number) of a well-formed case code, else None."""
    m = _CASE_CODE.match(code.strip().upper())
    if not m:
        return None
    return m["country"], int(m["year"]), int(m["number"])
