"""Small-cell suppression: aggregate figures that cannot re-identify anyone.

A count of 1 to ``threshold - 1`` people (or cases) in a cell of a published
table can point at a person: "the one OSEC survivor from Ghana this
quarter". Such a cell is *suppressed*: shown as "<5", never as its value.
Zero is shown (it identifies no one), and so is every count at or above the
threshold, exactly, never rounded (DOMAIN.md).

A cell hidden in a table reads :data:`CONFIDENTIAL_MARK` ("[c]", as
statistical offices print it), whether it is small itself or hidden to
protect one: a table that marked the two differently would say which is
small. A lone count with no total beside it may read "<5".

Suppressing a small cell is not enough when a total is printed beside it:
total minus the other cells gives it back. :func:`suppress_lines` therefore
also suppresses *complementary* cells: every line of figures that must add
up (a row with its total, a column with its total, a breakdown with its
headline) ends with either no suppressed member or at least two. It repeats
until no line gives a suppressed value away, choosing the smallest non-zero
cell each time so as little as possible is hidden. (This stops subtraction
along one line, the attack a reader can do with a pencil; it is the usual
practice of statistical offices for tables like these.)

The threshold is the organization's setting :data:`SMALL_CELL_SETTING`
(default :data:`DEFAULT_SMALL_CELL_THRESHOLD`); a threshold of 1 turns
suppression off.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeVar

__all__ = [
    "CONFIDENTIAL_MARK",
    "DEFAULT_SMALL_CELL_THRESHOLD",
    "SMALL_CELL_SETTING",
    "is_small",
    "suppress",
    "suppress_lines",
    "suppress_table",
    "suppressed_text",
    "threshold_from_setting",
]

SMALL_CELL_SETTING = "report.small_cell_threshold"
CONFIDENTIAL_MARK = "[c]"
DEFAULT_SMALL_CELL_THRESHOLD = 5
# A threshold above this would hide nearly every figure of a country office.
MAX_SMALL_CELL_THRESHOLD = 100

K = TypeVar("K", bound=Hashable)


def threshold_from_setting(value: object) -> int:
    """The threshold a stored setting means; anything unusable means the default."""
    if isinstance(value, bool) or not isinstance(value, int):
        return DEFAULT_SMALL_CELL_THRESHOLD
    return value if 1 <= value <= MAX_SMALL_CELL_THRESHOLD else DEFAULT_SMALL_CELL_THRESHOLD


def is_small(count: int, threshold: int) -> bool:
    """A count that must not be published: more than none, fewer than the threshold."""
    return 0 < count < threshold


def suppress(count: int, threshold: int) -> int | None:
    """``count``, or None when it is a small cell."""
    return None if is_small(count, threshold) else count


def suppressed_text(threshold: int) -> str:
    """How a suppressed cell reads: "<5"."""
    return f"<{threshold}"


def suppress_lines(
    values: Mapping[K, int], lines: Iterable[Sequence[K]], threshold: int
) -> dict[K, int | None]:
    """Suppress small cells, then complementary cells until no line leaks.

    ``values`` are the exact counts by cell key (totals included); ``lines``
    are groups of keys whose values add up (the total is one member of its
    line). Returns every value, None where suppressed.
    """
    hidden = {key for key, value in values.items() if is_small(value, threshold)}
    groups = [list(dict.fromkeys(line)) for line in lines]
    changed = True
    while changed:
        changed = False
        for line in groups:
            inside = [key for key in line if key in hidden]
            if len(inside) != 1:
                continue
            candidates = [key for key in line if key not in hidden]
            if not candidates:
                continue
            # The smallest non-zero cell hides the least; a zero only if nothing else.
            nonzero = [key for key in candidates if values[key] > 0]
            pool = nonzero or candidates
            pick = min(pool, key=lambda key: (values[key], candidates.index(key)))
            hidden.add(pick)
            changed = True
    return {key: (None if key in hidden else value) for key, value in values.items()}


def suppress_table(
    cells: Sequence[Sequence[int]], threshold: int
) -> tuple[list[list[int | None]], list[int | None], list[int | None], int | None]:
    """A table with row totals, column totals and a grand total, suppressed.

    Returns (cells, row totals, column totals, grand total), each value None
    where it must not be shown.
    """
    n_rows = len(cells)
    n_cols = len(cells[0]) if cells else 0
    values: dict[tuple[int, int], int] = {}
    for r, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError("every row of a table needs the same number of cells")
        for c, value in enumerate(row):
            values[(r, c)] = value
    # Totals sit at index -1 of their row or column.
    for r, row in enumerate(cells):
        values[(r, -1)] = sum(row)
    for c in range(n_cols):
        values[(-1, c)] = sum(row[c] for row in cells)
    values[(-1, -1)] = sum(sum(row) for row in cells)
    lines: list[list[tuple[int, int]]] = []
    for r in [*range(n_rows), -1]:
        lines.append([(r, c) for c in [*range(n_cols), -1]])
    for c in [*range(n_cols), -1]:
        lines.append([(r, c) for r in [*range(n_rows), -1]])
    shown = suppress_lines(values, lines, threshold)
    return (
        [[shown[(r, c)] for c in range(n_cols)] for r in range(n_rows)],
        [shown[(r, -1)] for r in range(n_rows)],
        [shown[(-1, c)] for c in range(n_cols)],
        shown[(-1, -1)],
    )
