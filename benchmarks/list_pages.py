"""Case list pages through the app's model against the raw SQL for the same page.

Run by ``benchmarks/run.py`` in a fresh process as ``list_pages.py DB USER
REPEAT`` with the password in ``IJMCASE_PASSWORD``; prints one JSON object.
(A process of its own because PySide6 6.12 on Python 3.11 drops a reference
to ``None`` on every call of a void Qt method, which can abort the process
when it exits; see README.md.)

Three operations, each timed through a ``CaseTableModel`` on the app's
``Worker``, from the request until the model signals that the rows are there,
exactly as the case table drives it:

- ``first_page``: the list as the main window opens it (open cases, newest
  first): the ids query, then the first page's rows;
- ``filtered_page``: the same after a search text, a type of violence and a
  country are chosen;
- ``last_row``: in the loaded list, a jump to the last row: that page's rows.

Against each, the one raw SQL SELECT (on the same engine, so the same
SQLCipher connection and page cache) that returns the same page: same WHERE,
ORDER BY, LIMIT and OFFSET, same columns. One untimed warm-up of each side,
then ``REPEAT`` timed runs of each in alternating order; the codes of the
rows each side returned are compared. The service's ``ids`` and ``rows``
calls are timed too, so the JSON shows where the app's time goes.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QTimer,
)

from ijmcase.domain.enums import ViolenceType
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.persistence.database import Database
from ijmcase.persistence.engine import locate
from ijmcase.services.auth import LoginResult, login
from ijmcase.services.cases import CaseFilter, CaseService
from ijmcase.ui import case_model
from ijmcase.ui.worker import Worker

__all__ = ["FILTERED", "OPEN_NEWEST", "ModelProbe", "measure", "raw_page_query"]

# The list as the main window first shows it: open cases, newest first.
OPEN_NEWEST = CaseFilter(is_open=True, sort="opened_on", descending=True)
# What someone looking for one kind of case types and picks.
FILTERED = CaseFilter(
    text="brick",
    violence_type=ViolenceType.FORCED_LABOUR,
    country="IN",
    is_open=True,
    sort="opened_on",
    descending=True,
)

Index = QModelIndex | QPersistentModelIndex
Timed = tuple[float, list[str]]  # seconds, and the codes of the rows it gave
F = TypeVar("F", bound=Callable[..., Any])


def raw_page_query(
    flt: CaseFilter, session: LoginResult, *, offset: int, limit: int
) -> tuple[str, dict[str, Any]]:
    """The raw SQL (SQLite) that returns the page the model shows: the same
    WHERE (``CaseService._filtered`` and its visibility rule), ORDER BY,
    LIMIT and OFFSET, and the same columns (``CaseRow``: the case's own, its
    office's code, its stage tracks' statuses).

    The page's ids are picked in a derived table and the wide columns joined
    afterwards, so SQLite sorts narrow rows and runs the tracks subquery for
    the page's rows only: the fastest plain form, which is the honest floor.
    """
    where = ["c.deleted_at IS NULL"]
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if not has_permission(session.actor.role, Permission.CASE_READ_RESTRICTED):
        params["me"] = session.actor.user_id.hex
        where.append(
            "(c.sensitivity != 'restricted' OR c.lead_caseworker_id = :me"
            " OR c.lead_lawyer_id = :me OR EXISTS (SELECT 1 FROM case_assignments a"
            " WHERE a.case_id = c.id AND a.user_id = :me AND a.deleted_at IS NULL))"
        )
    text = flt.text.strip()
    if text:
        escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["pattern"] = f"%{escaped}%"
        where.append(
            "(lower(c.code) LIKE :pattern ESCAPE '\\' OR lower(c.title) LIKE :pattern ESCAPE '\\')"
        )
    if flt.violence_type is not None:
        params["violence_type"] = flt.violence_type.value
        where.append("c.violence_type = :violence_type")
    if flt.country:
        params["country"] = flt.country.upper()
        where.append("c.country = :country")
    if flt.is_open is True:
        where.append("c.closed_on IS NULL")
    elif flt.is_open is False:
        where.append("c.closed_on IS NOT NULL")
    if flt.office_id is not None or flt.stage is not None or flt.assigned_to_me or flt.extra:
        raise ValueError("raw_page_query knows text, type, country and open/closed only")
    direction = "DESC" if flt.descending else "ASC"
    order = f"c.{flt.sort} {direction}, c.code {direction}"
    sql = (
        "SELECT c.id, c.code, c.title, c.violence_type, c.country, c.jurisdiction,"
        " o.code AS office_code, c.opened_on, c.closed_on, c.risk_level, c.sensitivity,"
        " (SELECT group_concat(t.stage || ':' || t.status) FROM stage_tracks t"
        " WHERE t.case_id = c.id) AS statuses"
        f" FROM (SELECT c.id FROM cases c WHERE {' AND '.join(where)}"
        f" ORDER BY {order} LIMIT :limit OFFSET :offset) AS page"
        " JOIN cases c ON c.id = page.id"
        " LEFT OUTER JOIN offices o ON o.id = c.office_id"
        f" ORDER BY {order}"
    )
    return sql, params


class ModelProbe(QObject):
    """Drives a ``CaseTableModel`` as the case table would (set a filter, ask
    for a visible cell) and waits, in a Qt event loop, for the model to say
    that what was asked for is there."""

    def __init__(self, model: case_model.CaseTableModel, timeout_ms: int = 300_000) -> None:
        super().__init__()
        self._model = model
        self._loop = QEventLoop(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._loop.quit)
        self._row: int | None = None
        self._awaiting_ids = False
        self._done = True
        self._error: str | None = None
        model.count_changed.connect(self._on_count)
        model.dataChanged.connect(self._on_data)
        # The model shows its first page with the first query (a reset that
        # already carries rows), before the full id list arrives: that is the
        # moment a person sees the page.
        model.modelReset.connect(self._on_reset)
        model.load_failed.connect(self._on_failed)

    def load(self, flt: CaseFilter, *, fetch_row: int | None) -> None:
        """Set the filter; wait for the ids and then, unless ``fetch_row`` is
        None, for the rows of the page holding that row."""
        self._begin(fetch_row)
        self._awaiting_ids = True
        self._model.set_filter(flt)
        self._wait()

    def fetch(self, row: int) -> None:
        """Ask for a cell of ``row`` (a jump); wait for its page's rows."""
        self._begin(row)
        self._ask(row)
        self._wait()

    def _begin(self, row: int | None) -> None:
        self._row, self._done, self._error = row, False, None

    def _ask(self, row: int) -> None:
        if self._model.row_at(row) is not None:
            self._finish()
        else:
            self._model.data(self._model.index(row, 0))  # a placeholder now, the page queued

    def _wait(self) -> None:
        if not self._done:
            self._timer.start()
            self._loop.exec()
            self._timer.stop()
        if self._error is not None:
            raise RuntimeError(f"the case list failed to load: {self._error}")
        if not self._done:
            raise TimeoutError("the case list did not load in time")

    def _finish(self) -> None:
        self._done = True
        self._loop.quit()

    def _on_count(self, count: int) -> None:
        if not self._awaiting_ids:
            return
        self._awaiting_ids = False
        if self._row is None or count == 0:
            self._finish()
        else:
            self._row = min(self._row, count - 1)
            self._ask(self._row)

    def _on_reset(self) -> None:
        row = self._row
        if self._awaiting_ids and row is not None and self._model.row_at(row) is not None:
            self._awaiting_ids = False
            self._finish()

    def _on_data(self, top_left: Index, bottom_right: Index) -> None:
        row = self._row
        if (
            not self._awaiting_ids
            and row is not None
            and top_left.row() <= row <= bottom_right.row()
        ):
            self._finish()

    def _on_failed(self, message: str) -> None:
        self._error = message
        self._finish()


class _ServiceClock:
    """Seconds spent in the service's ``ids`` and ``rows`` since ``reset``
    (they run on the worker thread; the GUI thread waits meanwhile)."""

    def __init__(self, service: CaseService) -> None:
        self.spent: dict[str, float] = {"ids": 0.0, "rows": 0.0}
        for name in self.spent:
            setattr(service, name, self._timed(name, getattr(service, name)))

    def _timed(self, name: str, fn: F) -> F:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - began

        return timed  # type: ignore[return-value]

    def reset(self) -> None:
        self.spent = dict.fromkeys(self.spent, 0.0)


def _raw_page(db: Database, sql: str, params: dict[str, Any]) -> Timed:
    began = time.perf_counter()
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(sql, params).all()
    seconds = time.perf_counter() - began
    return seconds, [r.code for r in rows]


def _compare(
    app_side: Callable[[], Timed],
    raw_side: Callable[[], Timed],
    repeat: int,
    clock: _ServiceClock,
) -> dict[str, Any]:
    """One warm-up of each, then ``repeat`` timed runs of each, alternating
    which goes first. ``app_side`` resets ``clock`` when its timing starts."""
    app_side()
    raw_side()
    out: dict[str, Any] = {
        "app_seconds_runs": [],
        "raw_seconds_runs": [],
        "service_ids_seconds_runs": [],
        "service_rows_seconds_runs": [],
        "same_rows": True,
    }
    for i in range(repeat):
        raw_first = i % 2 == 1
        raw = raw_side() if raw_first else None
        app_seconds, app_rows = app_side()
        spent = dict(clock.spent)
        raw_seconds, raw_rows = raw if raw is not None else raw_side()
        out["app_seconds_runs"].append(app_seconds)
        out["raw_seconds_runs"].append(raw_seconds)
        out["service_ids_seconds_runs"].append(spent["ids"])
        out["service_rows_seconds_runs"].append(spent["rows"])
        out["same_rows"] = out["same_rows"] and app_rows == raw_rows
        out["rows"] = len(app_rows)
    return out


def measure(database: str, user: str, password: str, repeat: int) -> dict[str, Any]:
    """The three operations, app against raw SQL; raw runs, not yet reduced."""
    if QCoreApplication.instance() is None:
        raise RuntimeError("measure() needs a Qt application object for the model's worker")
    session = login(locate(database), user, password)
    worker = Worker()
    try:
        service = CaseService(session.db, session.actor)
        clock = _ServiceClock(service)
        model = case_model.CaseTableModel(service, worker)
        probe = ModelProbe(model)
        page = case_model.PAGE

        def codes(first: int) -> list[str]:
            last = min(first + page, model.rowCount())
            return [r.code for r in map(model.row_at, range(first, last)) if r is not None]

        def page_of(flt: CaseFilter) -> Callable[[], Timed]:
            def run() -> Timed:
                clock.reset()
                began = time.perf_counter()
                probe.load(flt, fetch_row=0)
                return time.perf_counter() - began, codes(0)

            return run

        probe.load(OPEN_NEWEST, fetch_row=None)
        last = model.rowCount() - 1
        last_offset = max(last, 0) // page * page

        def last_row() -> Timed:
            probe.load(OPEN_NEWEST, fetch_row=None)  # a freshly loaded list: not timed
            clock.reset()
            began = time.perf_counter()
            probe.fetch(last)
            return time.perf_counter() - began, codes(last_offset)

        scenarios: list[tuple[str, Callable[[], Timed], CaseFilter, int]] = [
            ("first_page", page_of(OPEN_NEWEST), OPEN_NEWEST, 0),
            ("filtered_page", page_of(FILTERED), FILTERED, 0),
            ("last_row", last_row, OPEN_NEWEST, last_offset),
        ]
        results: dict[str, Any] = {"page_size": page, "open_cases": last + 1}
        for name, app_side, flt, offset in scenarios:
            sql, params = raw_page_query(flt, session, offset=offset, limit=page)

            def raw_side(sql: str = sql, params: dict[str, Any] = params) -> Timed:
                return _raw_page(session.db, sql, params)

            results[name] = _compare(app_side, raw_side, repeat, clock)
            results[name]["raw_sql"] = sql
        return results
    finally:
        worker.wait()
        session.db.dispose()


def main() -> None:
    database, user, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
    app = QCoreApplication(sys.argv[:1])  # noqa: F841  (kept alive until exit)
    result = measure(database, user, os.environ.get("IJMCASE_PASSWORD", "demo"), repeat)
    print(json.dumps(result), flush=True)
    # Leave without tearing Qt's objects down: see the module docstring.
    os._exit(0)


if __name__ == "__main__":
    main()
