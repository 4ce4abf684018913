"""Small-cell suppression: no small count is shown, and none can be worked out
from a printed total by subtraction along a row or a column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ijmcase.domain.disclosure import (
    DEFAULT_SMALL_CELL_THRESHOLD,
    is_small,
    suppress,
    suppress_lines,
    suppress_table,
    threshold_from_setting,
)


def test_single_counts() -> None:
    assert [suppress(n, 5) for n in (0, 1, 4, 5, 123)] == [0, None, None, 5, 123]
    assert not is_small(0, 5) and is_small(4, 5) and not is_small(5, 5)
    assert suppress(1, 1) == 1  # a threshold of 1 turns suppression off


@pytest.mark.parametrize("value", [None, "5", 0, -3, True, 1000, 5.0])
def test_an_unusable_setting_means_the_default(value: object) -> None:
    assert threshold_from_setting(value) == DEFAULT_SMALL_CELL_THRESHOLD
    assert threshold_from_setting(7) == 7


def test_a_lone_small_cell_takes_its_smallest_neighbour_with_it() -> None:
    # minors 5, adults 3, unknown 0, total 8: "adults" alone would be 8 - 5 - 0.
    shown = suppress_lines(
        {"minors": 5, "adults": 3, "unknown": 0, "total": 8},
        [["minors", "adults", "unknown", "total"]],
        5,
    )
    assert shown == {"minors": None, "adults": None, "unknown": 0, "total": 8}


def test_table_rows_and_columns() -> None:
    cells, rows, cols, grand = suppress_table([[6, 2], [40, 30]], 5)
    assert cells == [[None, None], [None, None]]
    assert rows == [8, 70] and grand == 78
    assert cols == [46, 32]


def _lines(n_rows: int, n_cols: int) -> list[list[tuple[int, int]]]:
    rows = [[(r, c) for c in [*range(n_cols), -1]] for r in [*range(n_rows), -1]]
    cols = [[(r, c) for r in [*range(n_rows), -1]] for c in [*range(n_cols), -1]]
    return rows + cols


@given(
    st.integers(1, 5).flatmap(
        lambda w: st.lists(
            st.lists(st.integers(0, 30), min_size=w, max_size=w), min_size=1, max_size=5
        )
    ),
    st.integers(1, 10),
)
def test_no_line_gives_a_small_cell_away(cells: list[list[int]], threshold: int) -> None:
    shown, row_totals, col_totals, grand = suppress_table(cells, threshold)
    n_rows, n_cols = len(cells), len(cells[0])
    value = {(r, c): cells[r][c] for r in range(n_rows) for c in range(n_cols)}
    value.update({(r, -1): sum(cells[r]) for r in range(n_rows)})
    value.update({(-1, c): sum(row[c] for row in cells) for c in range(n_cols)})
    value[(-1, -1)] = sum(map(sum, cells))
    out = {(r, c): shown[r][c] for r in range(n_rows) for c in range(n_cols)}
    out.update({(r, -1): row_totals[r] for r in range(n_rows)})
    out.update({(-1, c): col_totals[c] for c in range(n_cols)})
    out[(-1, -1)] = grand
    for key, original in value.items():
        if is_small(original, threshold):
            assert out[key] is None  # every small cell is hidden
        elif out[key] is not None:
            assert out[key] == original  # and whatever is shown is exact
    for line in _lines(n_rows, n_cols):
        hidden = [k for k in line if out[k] is None]
        assert len(hidden) != 1, line  # never one hidden cell beside printed figures
