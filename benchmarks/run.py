"""Scale and speed of the desktop app against the floor on the same machine.

    python benchmarks/run.py [--cases 10000,100000] [--repeat 5] [--workdir DIR]

For each size it reuses (or builds, with ``ijmcase demo``) a demo database
and measures, in this one run:

- **start-up**: a fresh process from spawn to a shown, filled case list
  (``start_app.py``) against a fresh process showing a bare PySide6 window
  with an empty table (``start_floor.py``); the login's deliberate Argon2id
  key derivation is timed apart, reported on its own line and left out of
  the app's figure. Best (minimum) of ``--repeat`` runs of each, after one
  untimed warm-up of each, app and floor runs interleaved.
- **list pages**: the first page, a filtered page and a jump to the last row
  through the app's ``CaseTableModel`` (ids query, then the page's rows, on
  the app's worker thread, until the model says the rows are there) against
  the one raw SQL query that returns the same page on the same engine.
  Median of ``--repeat`` runs each, after one untimed warm-up, in
  alternating order; the rows are checked to be the same.
- **memory**: peak resident memory (VmHWM) of the start-up process, and of
  the floor.
- **portfolio PDF**: the program summary over every case of the database
  (``portfolio_pdf.py``, a fresh process, no Qt): median seconds of
  ``--repeat`` builds after one warm-up, and the peak resident memory while
  building (the peak mark is reset after the login). DESIGN.md's budget:
  seconds, not minutes, with memory flat as the data grows.

It prints a short table for people and, as its last line, one JSON object
(``startup_ratio``, ``list_page_ratio``, ``rss_mb``, ``login_kdf_seconds``,
``portfolio_pdf_seconds``, ``portfolio_peak_rss_mb`` and every raw figure).
See benchmarks/README.md for how to read it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ijmcase.domain.errors import IjmcaseError
from ijmcase.persistence.engine import locate
from ijmcase.services.auth import login
from ijmcase.services.cases import CaseFilter, CaseService

__all__ = [
    "BUDGET",
    "PORTFOLIO_BUDGET_SECONDS",
    "PORTFOLIO_RSS_GROWTH_BUDGET",
    "PageFigures",
    "PortfolioFigures",
    "StartupFigures",
    "database_path",
    "ensure_database",
    "main",
    "measure_list_pages",
    "measure_portfolio",
    "measure_startup",
]

HERE = Path(__file__).resolve().parent
DEFAULT_WORKDIR = HERE / ".data"
DEFAULT_SIZES = (10_000, 100_000)
BUDGET = 2.0  # DESIGN.md, "Performance budgets": within 2x of the floor
# DESIGN.md: the portfolio PDF for 100,000 cases in "seconds, not minutes",
# "with memory flat as the data grows": under a minute, and the largest
# database's peak at most this many times the smallest's.
PORTFOLIO_BUDGET_SECONDS = 60.0
PORTFOLIO_RSS_GROWTH_BUDGET = 1.25
SEED = 1
CHILD_TIMEOUT = 600.0

LIST_OPERATIONS = {
    "first_page": "first page",
    "filtered_page": "filtered page",
    "last_row": "jump to last row",
}

Log = Callable[[str], None]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- demo databases ------------------------------------------------------------


def database_path(workdir: Path, cases: int) -> Path:
    return workdir / f"demo-{cases}.db"


def _count_cases(path: Path, user: str, password: str) -> int:
    session = login(locate(str(path)), user, password)
    try:
        return CaseService(session.db, session.actor).count(CaseFilter())
    finally:
        session.db.dispose()


def ensure_database(
    workdir: Path, cases: int, *, user: str, password: str, log: Log = _log
) -> Path:
    """The demo database of ``cases`` cases in ``workdir``: reused when it is
    there and holds that many cases, otherwise (re)built with ``ijmcase demo``
    in a subprocess."""
    path = database_path(workdir, cases)
    if path.exists():
        found = _count_cases(path, user, password)
        if found == cases:
            log(f"reusing {path} ({cases:,} cases)")
            return path
        log(f"{path} holds {found:,} cases, not {cases:,}: building it again")
        for suffix in ("", "-wal", "-shm", ".keys"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"building {path} with {cases:,} demo cases (about {cases / 40_000:.1f} min) ...")
    began = time.perf_counter()
    command = [sys.executable, "-m", "ijmcase", "--db", str(path), "demo"]
    command += ["--cases", str(cases), "--seed", str(SEED), "--password", password]
    # The CLI's own progress goes to stderr; its summary too, off our stdout.
    done = subprocess.run(command, stdout=sys.stderr, check=False)
    if done.returncode != 0:
        raise SystemExit(f"building the demo database failed: {' '.join(command)}")
    log(f"built {path} in {time.perf_counter() - began:.0f} s")
    return path


# -- start-up ------------------------------------------------------------------


@dataclass(frozen=True)
class StartupFigures:
    """Seconds from spawn to a painted window, per run, and what they cost."""

    app_runs: list[dict[str, Any]]
    floor_runs: list[dict[str, Any]]

    def _values(self, key: str, *, floor: bool = False) -> list[float]:
        return [float(r[key]) for r in (self.floor_runs if floor else self.app_runs)]

    @property
    def app_seconds(self) -> float:
        """Best run of the app, the key derivation left out."""
        kdf = self._values("kdf_seconds")
        return min(s - k for s, k in zip(self._values("seconds"), kdf, strict=True))

    @property
    def floor_seconds(self) -> float:
        return min(self._values("seconds", floor=True))

    @property
    def ratio(self) -> float:
        return self.app_seconds / self.floor_seconds

    @property
    def kdf_seconds(self) -> float:
        return statistics.median(self._values("kdf_seconds"))

    @property
    def login_seconds(self) -> float:
        return statistics.median(self._values("login_seconds"))

    @property
    def rss_mb(self) -> float:
        return statistics.median(self._values("rss_mb"))

    @property
    def rss_now_mb(self) -> float:
        return statistics.median(self._values("rss_now_mb"))

    @property
    def floor_rss_mb(self) -> float:
        return statistics.median(self._values("rss_mb", floor=True))

    def phases(self) -> dict[str, float]:
        """Where the best app run's time went (seconds, the KDF left out)."""
        best = min(self.app_runs, key=lambda r: float(r["seconds"]) - float(r["kdf_seconds"]))
        at = {k: float(v) for k, v in best["at"].items()}
        return {
            "interpreter": at["interpreter"],
            "imports": at["imported"] - at["interpreter"],
            "login_without_kdf": at["logged_in"] - at["qapplication"] - float(best["kdf_seconds"]),
            "window": at["shown"] - at["logged_in"],
            "ids_and_first_page": at["first_page"] - at["shown"],
            "paint": at["painted"] - at["first_page"],
        }

    def as_json(self) -> dict[str, Any]:
        best = min(self.app_runs, key=lambda r: r["seconds"] - r["kdf_seconds"])
        return {
            "ratio": self.ratio,
            "app_seconds_excluding_kdf": self.app_seconds,
            "floor_seconds": self.floor_seconds,
            "app_seconds_runs": [r["seconds"] for r in self.app_runs],
            "app_kdf_seconds_runs": [r["kdf_seconds"] for r in self.app_runs],
            "floor_seconds_runs": [r["seconds"] for r in self.floor_runs],
            "kdf_seconds": self.kdf_seconds,
            "login_seconds": self.login_seconds,
            "rss_mb": self.rss_mb,
            "rss_now_mb": self.rss_now_mb,
            "floor_rss_mb": self.floor_rss_mb,
            "rows": best["rows"],
            "milestones_of_best_run": best["at"],
            "phases_of_best_run": self.phases(),
        }


def _run_child(script: str, args: Sequence[str], password: str) -> dict[str, Any]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IJMCASE_PASSWORD=password)
    env["IJMCASE_BENCH_T0"] = str(time.monotonic_ns())
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    if done.returncode != 0 or "error" in result or not result:
        detail = result.get("error") or done.stderr.strip()[-2000:]
        raise RuntimeError(f"{script} failed (exit {done.returncode}): {detail}")
    return result


def measure_startup(
    path: Path, *, user: str, password: str, repeat: int, log: Log = _log
) -> StartupFigures:
    """Fresh processes, app and floor interleaved (their order swapped every
    other round so neither always runs on the other's warm caches)."""

    def app() -> dict[str, Any]:
        return _run_child("start_app.py", [str(path), user], password)

    def floor() -> dict[str, Any]:
        return _run_child("start_floor.py", [], password)

    floor()
    app()  # warm-ups: the file cache, .pyc files, fontconfig's cache
    app_runs: list[dict[str, Any]] = []
    floor_runs: list[dict[str, Any]] = []
    for i in range(repeat):
        if i % 2:
            app_runs.append(app())
            floor_runs.append(floor())
        else:
            floor_runs.append(floor())
            app_runs.append(app())
        a, f = app_runs[-1], floor_runs[-1]
        log(
            f"  start-up {i + 1}/{repeat}: app {a['seconds']:.3f} s "
            f"(key derivation {a['kdf_seconds']:.3f} s), floor {f['seconds']:.3f} s"
        )
    return StartupFigures(app_runs, floor_runs)


# -- list pages ----------------------------------------------------------------


@dataclass(frozen=True)
class PageFigures:
    """One list operation: seconds through the app's model and by raw SQL."""

    app_runs: list[float]
    raw_runs: list[float]
    rows: int
    same_rows: bool
    ids_runs: list[float]  # of each app run, seconds in CaseService.ids
    rows_runs: list[float]  # and in CaseService.rows
    raw_sql: str

    @property
    def app_seconds(self) -> float:
        return statistics.median(self.app_runs)

    @property
    def raw_seconds(self) -> float:
        return statistics.median(self.raw_runs)

    @property
    def ratio(self) -> float:
        return self.app_seconds / self.raw_seconds

    @property
    def ids_seconds(self) -> float:
        return statistics.median(self.ids_runs)

    @property
    def rows_seconds(self) -> float:
        return statistics.median(self.rows_runs)

    def as_json(self) -> dict[str, Any]:
        return {
            "ratio": self.ratio,
            "app_seconds": self.app_seconds,
            "raw_seconds": self.raw_seconds,
            "app_service_ids_seconds": self.ids_seconds,
            "app_service_rows_seconds": self.rows_seconds,
            "app_seconds_runs": self.app_runs,
            "raw_seconds_runs": self.raw_runs,
            "rows": self.rows,
            "same_rows": self.same_rows,
            "raw_sql": self.raw_sql,
        }


def measure_list_pages(
    path: Path, *, user: str, password: str, repeat: int, log: Log = _log
) -> dict[str, PageFigures]:
    """First page, filtered page and a jump to the last row, app against raw
    SQL, measured in a fresh process (``list_pages.py``)."""
    result = _run_child("list_pages.py", [str(path), user, str(repeat)], password)
    figures: dict[str, PageFigures] = {}
    for name in LIST_OPERATIONS:
        r = result[name]
        figures[name] = f = PageFigures(
            app_runs=[float(x) for x in r["app_seconds_runs"]],
            raw_runs=[float(x) for x in r["raw_seconds_runs"]],
            rows=int(r["rows"]),
            same_rows=bool(r["same_rows"]),
            ids_runs=[float(x) for x in r["service_ids_seconds_runs"]],
            rows_runs=[float(x) for x in r["service_rows_seconds_runs"]],
            raw_sql=str(r["raw_sql"]),
        )
        log(
            f"  {LIST_OPERATIONS[name]}: app {f.app_seconds * 1000:.1f} ms "
            f"(service ids {f.ids_seconds * 1000:.1f} ms, rows {f.rows_seconds * 1000:.1f} ms),"
            f" raw SQL {f.raw_seconds * 1000:.1f} ms, {f.rows} rows"
            + ("" if f.same_rows else ", NOT THE SAME ROWS")
        )
    return figures


# -- portfolio PDF -----------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioFigures:
    """Building the portfolio PDF over the whole database in a fresh process."""

    runs: list[float]
    warm_up_seconds: float
    pages: int
    peak_rss_mb: float  # while building (the peak mark reset after the login)
    rss_before_mb: float  # after the login, before the first build
    peak_reset: bool

    @property
    def seconds(self) -> float:
        return statistics.median(self.runs)

    def as_json(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "seconds_runs": self.runs,
            "warm_up_seconds": self.warm_up_seconds,
            "pages": self.pages,
            "peak_rss_mb": self.peak_rss_mb,
            "rss_before_mb": self.rss_before_mb,
            "peak_reset_after_login": self.peak_reset,
        }


def measure_portfolio(
    path: Path, *, user: str, password: str, repeat: int, log: Log = _log
) -> PortfolioFigures:
    """``repeat`` builds after a warm-up, in a fresh process (``portfolio_pdf.py``)."""
    r = _run_child("portfolio_pdf.py", [str(path), user, str(repeat)], password)
    figures = PortfolioFigures(
        runs=[float(x) for x in r["seconds_runs"]],
        warm_up_seconds=float(r["warm_up_seconds"]),
        pages=int(r["pages"]),
        peak_rss_mb=float(r["peak_rss_mb"]),
        rss_before_mb=float(r["rss_before_mb"]),
        peak_reset=bool(r["peak_reset_after_login"]),
    )
    log(
        f"  portfolio PDF: {figures.seconds:.2f} s ({figures.pages} pages; warm-up "
        f"{figures.warm_up_seconds:.2f} s), peak RSS {figures.peak_rss_mb:.0f} MB "
        f"(before {figures.rss_before_mb:.0f} MB)"
    )
    return figures


# -- report ----------------------------------------------------------------------


def _verdict(ratio: float) -> str:
    return "ok" if ratio <= BUDGET else "OVER"


def summarize(
    sizes: Sequence[int],
    startup: dict[int, StartupFigures],
    pages: dict[int, dict[str, PageFigures]],
    portfolio: dict[int, PortfolioFigures],
    *,
    repeat: int,
    user: str,
) -> tuple[str, dict[str, Any]]:
    """The table for people and the JSON object for machines."""
    startup_ratio = max(startup[n].ratio for n in sizes)
    list_page_ratio = max(f.ratio for n in sizes for f in pages[n].values())
    largest = max(sizes)
    rss_ratio = startup[largest].rss_mb / startup[largest].floor_rss_mb
    kdf = statistics.median(startup[n].kdf_seconds for n in sizes)

    header = ["metric", *(f"{n:,}" for n in sizes), "ratio", "budget", "verdict"]
    rows: list[list[str]] = [header]

    def add(metric: str, cells: list[str], ratio: str = "", budget: str = "", v: str = "") -> None:
        rows.append([metric, *cells, ratio, budget, v])

    add(
        "start-up s: app (no KDF) / bare window",
        [f"{startup[n].app_seconds:.3f} / {startup[n].floor_seconds:.3f}" for n in sizes],
        f"{startup_ratio:.2f}x",
        f"{BUDGET:g}x",
        _verdict(startup_ratio),
    )
    add(
        "  of which imports / list loading s",
        [
            f"{startup[n].phases()['imports']:.3f} / "
            f"{startup[n].phases()['ids_and_first_page']:.3f}"
            for n in sizes
        ],
    )
    add(
        "login key derivation s (not counted)",
        [f"{startup[n].kdf_seconds:.3f}" for n in sizes],
    )
    for key, label in LIST_OPERATIONS.items():
        worst = max(pages[n][key].ratio for n in sizes)
        add(
            f"{label} ms: app / raw SQL",
            [
                f"{pages[n][key].app_seconds * 1000:.1f} / {pages[n][key].raw_seconds * 1000:.1f}"
                for n in sizes
            ],
            f"{worst:.2f}x",
            f"{BUDGET:g}x",
            _verdict(worst),
        )
    add(
        "peak RSS MB: app / bare window",
        [f"{startup[n].rss_mb:.0f} / {startup[n].floor_rss_mb:.0f}" for n in sizes],
        f"{rss_ratio:.2f}x",
        f"{BUDGET:g}x",
        _verdict(rss_ratio),
    )
    add("RSS MB with the list shown", [f"{startup[n].rss_now_mb:.0f}" for n in sizes])
    portfolio_seconds = max(portfolio[n].seconds for n in sizes)
    portfolio_growth = portfolio[largest].peak_rss_mb / portfolio[min(sizes)].peak_rss_mb
    add(
        "portfolio PDF s (every case)",
        [f"{portfolio[n].seconds:.2f}" for n in sizes],
        f"{portfolio_seconds:.1f} s",
        f"<{PORTFOLIO_BUDGET_SECONDS:g} s",
        "ok" if portfolio_seconds < PORTFOLIO_BUDGET_SECONDS else "OVER",
    )
    add(
        "portfolio peak RSS MB (growth)",
        [f"{portfolio[n].peak_rss_mb:.0f}" for n in sizes],
        f"{portfolio_growth:.2f}x",
        f"{PORTFOLIO_RSS_GROWTH_BUDGET:g}x",
        "ok" if portfolio_growth <= PORTFOLIO_RSS_GROWTH_BUDGET else "OVER",
    )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    mismatched = [
        f"{LIST_OPERATIONS[k]} at {n:,}"
        for n in sizes
        for k, f in pages[n].items()
        if not f.same_rows
    ]
    if mismatched:
        lines.append(
            "WARNING: the app and the raw SQL returned different rows: " + ", ".join(mismatched)
        )

    figures: dict[str, Any] = {
        "startup_ratio": startup_ratio,
        "list_page_ratio": list_page_ratio,
        "rss_mb": {str(n): startup[n].rss_mb for n in sizes},
        "login_kdf_seconds": kdf,
        "rss_ratio": rss_ratio,
        "rss_growth": startup[largest].rss_mb / startup[min(sizes)].rss_mb,
        "floor_rss_mb": startup[largest].floor_rss_mb,
        "portfolio_pdf_seconds": {str(n): portfolio[n].seconds for n in sizes},
        "portfolio_peak_rss_mb": {str(n): portfolio[n].peak_rss_mb for n in sizes},
        "portfolio_rss_growth": portfolio_growth,
        "budget": BUDGET,
        "portfolio_budget_seconds": PORTFOLIO_BUDGET_SECONDS,
        "within_budget": {
            "startup": startup_ratio <= BUDGET,
            "list_page": list_page_ratio <= BUDGET,
            "rss": rss_ratio <= BUDGET,
            "portfolio_seconds": portfolio_seconds < PORTFOLIO_BUDGET_SECONDS,
            "portfolio_rss": portfolio_growth <= PORTFOLIO_RSS_GROWTH_BUDGET,
        },
        "sizes": {
            str(n): {
                "startup": startup[n].as_json(),
                "list_pages": {k: f.as_json() for k, f in pages[n].items()},
                "list_page_ratio": max(f.ratio for f in pages[n].values()),
                "portfolio": portfolio[n].as_json(),
            }
            for n in sizes
        },
        "repeat": repeat,
        "user": user,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
    }
    return "\n".join(lines), figures


# -- command line ------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("give one or more positive case counts")
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="benchmarks/run.py",
        description="Measure ijmcase against the floor on this machine (DESIGN.md budgets).",
    )
    parser.add_argument(
        "--cases",
        type=_sizes,
        default=list(DEFAULT_SIZES),
        metavar="N,N",
        help="sizes of the demo databases (default: 10000,100000)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, metavar="R", help="timed runs of each (default: 5)"
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        help="where demo-N.db databases are kept and reused (default: benchmarks/.data)",
    )
    parser.add_argument("--user", default="admin", help="who logs in (default: admin)")
    parser.add_argument(
        "--password",
        default=os.environ.get("IJMCASE_PASSWORD", "demo"),
        help="the demo password (default: IJMCASE_PASSWORD or 'demo')",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.repeat < 1:
        raise SystemExit("--repeat must be at least 1")
    sizes: list[int] = args.cases
    startup: dict[int, StartupFigures] = {}
    pages: dict[int, dict[str, PageFigures]] = {}
    portfolio: dict[int, PortfolioFigures] = {}
    try:
        for n in sizes:
            path = ensure_database(args.workdir, n, user=args.user, password=args.password)
            _log(f"{n:,} cases: start-up, {args.repeat} runs each of app and bare window")
            startup[n] = measure_startup(
                path, user=args.user, password=args.password, repeat=args.repeat
            )
            _log(f"{n:,} cases: list pages, {args.repeat} runs each of app and raw SQL")
            pages[n] = measure_list_pages(
                path, user=args.user, password=args.password, repeat=args.repeat
            )
            _log(f"{n:,} cases: portfolio PDF, {args.repeat} builds after a warm-up")
            portfolio[n] = measure_portfolio(
                path, user=args.user, password=args.password, repeat=args.repeat
            )
    except IjmcaseError as exc:
        raise SystemExit(f"benchmark: {exc.message}") from None
    table, figures = summarize(sizes, startup, pages, portfolio, repeat=args.repeat, user=args.user)
    print(table)
    print(json.dumps(figures, sort_keys=True), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
