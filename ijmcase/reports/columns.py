"""Column specifications and typed cell values shared by the CSV, XLSX and PDF writers.

A service describes an export once, as a sequence of :class:`Column`, and
hands over rows; each writer turns the same typed values into its own
format (ISO text in CSV, real dates and numbers in XLSX, formatted and
right-aligned text in a PDF table).

A row may be a sequence aligned with the columns (a tuple), a mapping keyed
by column name, or any object with attributes of those names (the frozen
read-model dataclasses the services return).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

__all__ = [
    "Column",
    "ColumnType",
    "Row",
    "cell_values",
    "check_value",
    "display_text",
    "iso_text",
]

Row = object
"""A tuple aligned with the columns, a mapping by column name, or an object with attributes."""


class ColumnType(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"

    @property
    def numeric(self) -> bool:
        return self in (ColumnType.INT, ColumnType.DECIMAL)


@dataclass(frozen=True)
class Column:
    """One output column.

    ``name`` is the key (attribute or mapping key); ``label`` the header
    people read (defaults to the name). ``decimals`` is how DECIMAL values
    are shown in PDF and XLSX; CSV keeps the exact value. ``width`` is a
    relative weight for PDF table columns.
    """

    name: str
    label: str = ""
    type: ColumnType = ColumnType.TEXT
    decimals: int = 2
    width: float = 1.0

    @property
    def header(self) -> str:
        return self.label or self.name


def cell_values(columns: Sequence[Column], row: Row) -> list[object]:
    """The row's values in column order, whatever shape the row has."""
    if isinstance(row, Mapping):
        return [row.get(c.name) for c in columns]
    if isinstance(row, Sequence) and not isinstance(row, str | bytes):
        if len(row) != len(columns):
            raise ValueError(f"A row has {len(row)} values for {len(columns)} columns: {row!r}")
        return list(row)
    return [getattr(row, c.name) for c in columns]


def check_value(column: Column, value: object) -> object:
    """Normalise ``value`` for ``column`` or raise TypeError naming the column.

    A wrong type is a programming error in the calling service, so it fails
    loudly rather than writing a misleading cell. None is always allowed
    (an empty cell). A DATE column accepts a datetime and keeps its date;
    DATETIME values must be timezone-aware, as every time in ijmcase is.
    """
    if value is None:
        return None
    kind = column.type
    if kind is ColumnType.TEXT:
        return value if isinstance(value, str) else str(value)
    if kind is ColumnType.BOOL:
        if isinstance(value, bool):
            return value
    elif kind is ColumnType.INT:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind is ColumnType.DECIMAL:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return value
    elif kind is ColumnType.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
    elif kind is ColumnType.DATETIME and isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"Column {column.name!r}: naive datetime {value!r}; pass an aware one")
        return value
    raise TypeError(f"Column {column.name!r} ({kind.value}) cannot hold {type(value).__name__}")


def iso_text(column: Column, value: object) -> str:
    """Machine-readable text for CSV: ISO dates and times, exact numbers."""
    value = check_value(column, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # format "f" avoids scientific notation (Decimal("1E+3") -> "1000").
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display_text(column: Column, value: object) -> str:
    """Text for people (PDF tables): grouped numbers, fixed decimals, ISO dates."""
    value = check_value(column, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int):
        # Exact counts, never rounded; the separator only groups digits.
        return f"{value:,}"
    if isinstance(value, Decimal | float):
        return f"{value:,.{column.decimals}f}"
    if isinstance(value, dt.datetime):
        # Shown in its own offset (a hearing keeps its place's zone).
        return value.strftime("%Y-%m-%d %H:%M %Z").strip() or value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
