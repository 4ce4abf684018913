"""Metric keys, the drill-down registry, and building breakdowns from counts.

A key names a metric and, optionally, one value of each of its dimensions:
``survivors.safe``, ``survivors.safe/age=minor``,
``cases.open/stage=rescue/status=active``. Every ``Count`` in a read model
carries its key; ``MetricsService.cases_behind(key, filter)`` lists the
cases behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from ijmcase.domain.errors import ValidationError
from ijmcase.services.metrics_models import Breakdown, Count, CrossTab
from ijmcase.services.metrics_scope import Scope

__all__ = [
    "Drill",
    "breakdown",
    "crosstab",
    "metric_key",
    "parse_key",
]


@dataclass(frozen=True)
class Drill:
    """A metric's base query, the dimensions a key may fix, and the mapped
    classes (by name) it needs; without them the metric has no cases behind it."""

    rows: Callable[[Scope], Select[Any]]
    dimensions: frozenset[str]
    needs: tuple[str, ...] = ()


def metric_key(name: str, **dims: str) -> str:
    return name + "".join(f"/{dim}={value}" for dim, value in dims.items())


def parse_key(key: str) -> tuple[str, dict[str, str]]:
    name, *parts = key.strip().split("/")
    dims: dict[str, str] = {}
    for part in parts:
        dim, sep, value = part.partition("=")
        if not sep or not dim or dim in dims:
            raise ValidationError.single(
                "metric", "bad_metric_key", f"'{key}' is not a metric key ijmcase knows."
            )
        dims[dim] = value
    return name, dims


def breakdown(
    name: str,
    label: str,
    dimension: str,
    dimension_label: str,
    items: Sequence[tuple[str, str]],
    counts: Mapping[str, int],
    *,
    total: int | None = None,
    fixed: Mapping[str, str] | None = None,
) -> Breakdown:
    """A breakdown over ``items`` (value, label); ``total`` defaults to the sum."""
    fixed = dict(fixed or {})
    shown = tuple(
        Count(metric_key(name, **fixed, **{dimension: value}), text, counts.get(value, 0))
        for value, text in items
    )
    whole = sum(c.value for c in shown) if total is None else total
    return Breakdown(
        metric_key(name, **fixed),
        label,
        dimension_label,
        Count(metric_key(name, **fixed), label, whole),
        shown,
    )


def crosstab(
    name: str,
    label: str,
    rows: tuple[str, str, Sequence[tuple[str, str]]],
    columns: tuple[str, str, Sequence[tuple[str, str]]],
    counts: Mapping[tuple[str, str], int],
    *,
    drop_empty: bool = True,
) -> CrossTab:
    """A table of counts by (row value, column value); rows and columns with
    nothing in them are left out when ``drop_empty``. Totals are the sums."""
    row_dim, row_label, row_items = rows
    col_dim, col_label, col_items = columns
    row_list = list(row_items)
    col_list = list(col_items)
    if drop_empty:
        row_list = [r for r in row_list if any(counts.get((r[0], c[0]), 0) for c in col_list)]
        col_list = [c for c in col_list if any(counts.get((r[0], c[0]), 0) for r in row_list)]
    cells = tuple(
        tuple(
            Count(
                metric_key(name, **{row_dim: r, col_dim: c}),
                f"{r_text} / {c_text}",
                counts.get((r, c), 0),
            )
            for c, c_text in col_list
        )
        for r, r_text in row_list
    )
    row_totals = tuple(
        Count(metric_key(name, **{row_dim: r}), r_text, sum(x.value for x in cells[i]))
        for i, (r, r_text) in enumerate(row_list)
    )
    column_totals = tuple(
        Count(
            metric_key(name, **{col_dim: c}),
            c_text,
            sum(row[j].value for row in cells),
        )
        for j, (c, c_text) in enumerate(col_list)
    )
    return CrossTab(
        key=metric_key(name),
        label=label,
        row_dimension=row_label,
        column_dimension=col_label,
        rows=tuple(text for _, text in row_list),
        columns=tuple(text for _, text in col_list),
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        total=Count(metric_key(name), label, sum(t.value for t in row_totals)),
    )
