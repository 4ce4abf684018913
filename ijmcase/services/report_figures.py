"""Figures as a report prints them: exact counts, small cells suppressed.

The metrics service gives exact counts; this module decides how each reads
in a report that leaves the program team:

- in a table or a breakdown, a count of 1 to threshold-1 reads "[c]"
  (``domain.disclosure``), and so do the complementary cells that would give
  it back by subtraction from a printed total (each table is suppressed as a
  whole); a lone count with no total beside it reads "<5";
- a rate reads "38.9%" with its exact counts beside it, unless its
  denominator, its numerator or the remainder is a small number: "1 of 40"
  or "all but one" points at a person as surely as a count of 1, and the
  count beside the rate would be shown where it is hidden elsewhere;
- a median of fewer than threshold values is not printed ("too few to
  report"): a median of two sentences is nearly each of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ijmcase.domain.disclosure import (
    CONFIDENTIAL_MARK,
    is_small,
    suppress_lines,
    suppress_table,
    suppressed_text,
)
from ijmcase.reports.portfolio import ChartData, CountTable
from ijmcase.services.metrics_models import Breakdown, Count, CrossTab, Median, Ratio

__all__ = ["TOO_FEW", "Shown"]

TOO_FEW = "too few to report"
NONE_YET = "none"


class Shown:
    """Formatting and suppression for one report, at one threshold."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.suppressed_any = False

    def _text(self, value: int | None) -> str:
        if value is None:
            self.suppressed_any = True
            return CONFIDENTIAL_MARK
        return f"{value:,}"

    def count(self, count: Count | int) -> str:
        """A lone count (no total printed beside it): "<5" when small."""
        value = count.value if isinstance(count, Count) else count
        if is_small(value, self.threshold):
            self.suppressed_any = True
            return suppressed_text(self.threshold)
        return f"{value:,}"

    def line(self, parts: Sequence[Count], total: Count | int) -> tuple[list[str], str]:
        """Parts that add up to a printed total, suppressed together."""
        whole = total.value if isinstance(total, Count) else total
        values = {i: p.value for i, p in enumerate(parts)}
        values[-1] = whole
        shown = suppress_lines(values, [[*range(len(parts)), -1]], self.threshold)
        return [self._text(shown[i]) for i in range(len(parts))], self._text(shown[-1])

    def group(self, values: Mapping[str, int], lines: Sequence[Sequence[str]]) -> dict[str, str]:
        """Figures printed together, with every sum among them (``lines``, each
        ending in its total), suppressed so that none gives another away."""
        return {
            key: self._text(value)
            for key, value in suppress_lines(values, lines, self.threshold).items()
        }

    def rate(self, numerator: str, denominator: str, ratio: Ratio) -> tuple[str, str]:
        """A rate whose counts are printed elsewhere as ``numerator`` and
        ``denominator`` (texts from :meth:`group`): shown only when both are."""
        if CONFIDENTIAL_MARK in (numerator, denominator):
            self.suppressed_any = True
            return TOO_FEW, f"fewer than {self.threshold} either way"
        return self.ratio(ratio)

    @staticmethod
    def exact_ratio(ratio: Ratio) -> tuple[str, str]:
        """A rate about events, not people (hearings): never suppressed."""
        n, d = ratio.numerator, ratio.denominator
        if d == 0:
            return NONE_YET, ""
        return f"{100 * n / d:.1f}%", f"{n:,} of {d:,}"

    @staticmethod
    def exact_breakdown(breakdown: Breakdown, *, title: str = "") -> CountTable:
        """A breakdown of events, not people (hearings): exact counts."""
        return CountTable(
            title or breakdown.label,
            (breakdown.dimension, "Count"),
            tuple((i.label, f"{i.value:,}") for i in breakdown.items if i.value),
            ("Total", f"{breakdown.total.value:,}"),
        )

    def values(self, parts: Sequence[Count], total: Count | int) -> list[int | None]:
        """As :meth:`line`, as numbers for a chart (None where suppressed)."""
        whole = total.value if isinstance(total, Count) else total
        values = {i: p.value for i, p in enumerate(parts)}
        values[-1] = whole
        shown = suppress_lines(values, [[*range(len(parts)), -1]], self.threshold)
        if any(shown[i] is None for i in range(len(parts))):
            self.suppressed_any = True
        return [shown[i] for i in range(len(parts))]

    def ratio(self, ratio: Ratio) -> tuple[str, str]:
        """(rate, detail): "38.9%", "123 of 316"."""
        n, d = ratio.numerator, ratio.denominator
        if d == 0:
            return NONE_YET, ""
        if any(is_small(x, self.threshold) for x in (n, d, d - n)):
            self.suppressed_any = True
            return TOO_FEW, f"fewer than {self.threshold} either way"
        return f"{100 * n / d:.1f}%", f"{n:,} of {d:,}"

    def median(self, median: Median) -> tuple[str, str]:
        if median.observations == 0 or median.value is None:
            return NONE_YET, ""
        if is_small(median.observations, self.threshold):
            self.suppressed_any = True
            return TOO_FEW, f"fewer than {self.threshold} values"
        value = median.value
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return f"{text} {median.unit}", f"of {median.observations:,}"

    def breakdown(
        self, breakdown: Breakdown, *, title: str = "", drop_zeros: bool = True
    ) -> CountTable:
        texts, total = self.line(breakdown.items, breakdown.total)
        rows = tuple(
            (item.label, text)
            for item, text in zip(breakdown.items, texts, strict=True)
            if item.value or not drop_zeros
        )
        return CountTable(
            title or breakdown.label,
            (breakdown.dimension, breakdown.total.label if not title else "Count"),
            rows,
            ("Total", total),
        )

    def table_values(
        self, table: CrossTab
    ) -> tuple[list[list[int | None]], list[int | None], list[int | None], int | None]:
        """The table's cells and totals, suppressed as a whole (None where hidden).
        A chart of the table must draw these, not the raw counts, or it would
        show a cell the table hides."""
        cells = [[c.value for c in row] for row in table.cells]
        return suppress_table(cells, self.threshold)

    def crosstab(
        self, table: CrossTab, *, title: str = "", total_row: bool = True, note: str = ""
    ) -> CountTable:
        """The table with row totals and (unless ``total_row`` is False, for
        columns whose sum means nothing) a total row. Suppression always
        treats both totals as printed, so leaving one out hides nothing less."""
        shown, row_totals, col_totals, grand = self.table_values(table)
        rows = tuple(
            (label, *(self._text(v) for v in values), self._text(total))
            for label, values, total in zip(table.rows, shown, row_totals, strict=True)
        )
        return CountTable(
            title or table.label,
            (table.row_dimension, *table.columns, "Total"),
            rows,
            ("Total", *(self._text(v) for v in col_totals), self._text(grand))
            if total_row
            else None,
            note,
        )

    def chart(
        self, title: str, breakdown: Breakdown, *, drop_zeros: bool = True, top: int = 0
    ) -> ChartData:
        values = self.values(breakdown.items, breakdown.total)
        pairs = [
            (item.label, value)
            for item, value in zip(breakdown.items, values, strict=True)
            if item.value or not drop_zeros
        ]
        if top:
            pairs = pairs[:top]
        note = ""
        hidden = [label for label, value in pairs if value is None]
        if hidden:
            note = (
                f"Not drawn (fewer than {self.threshold}, or hidden so that a small count "
                f"cannot be worked out): {', '.join(hidden)}."
            )
        return ChartData(
            title,
            tuple(label for label, _ in pairs),
            ((breakdown.total.label, tuple(value for _, value in pairs)),),
            note,
        )
