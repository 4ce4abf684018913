"""Directors' commands: report case, report portfolio, export cases.

::

    ijmcase report portfolio -o OUT.pdf [--from DATE] [--to DATE] [--country CC] [--office CODE]
    ijmcase report case CODE -o OUT.pdf [--full]
    ijmcase export cases --format csv|xlsx -o OUT [--from DATE] [--to DATE]
                         [--country CC] [--office CODE] [--open | --closed]

Dates are ``YYYY-MM-DD``, both ends included; they are parsed here (not by
argparse) so that a wrong date is one clear line and exit status 1, like
every other mistake the services refuse. A period with no cases in it is
not an error: the report says so, the export has its header row only, and
the command says what it wrote.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ijmcase.cli.commands import _session
from ijmcase.cli.io import say
from ijmcase.domain.periods import Period, parse_date
from ijmcase.services.metrics import MetricFilter, MetricsService
from ijmcase.services.reporting import EXPORT_FORMATS, ReportingService

__all__ = ["register"]

if TYPE_CHECKING:
    # Subscripted only for the type checker: at run time (Python 3.11) it is not generic.
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


def _period(args: argparse.Namespace) -> Period:
    # One date at a time, so a mistake is one line.
    start = parse_date(args.start, field="from") if args.start is not None else None
    end = parse_date(args.end, field="to") if args.end is not None else None
    period = Period(start, end)
    period.validate(end_field="to")
    return period


def _progress(what: str) -> tuple[Callable[[int, int], None], bool]:
    interactive = sys.stderr.isatty()

    def show(done: int, total: int) -> None:
        if interactive and total:
            print(f"\r{what}: {100 * done // total}%", end="", file=sys.stderr)

    return show, interactive


def _filter(args: argparse.Namespace, metrics: MetricsService) -> MetricFilter:
    office_id = office_code = None
    if args.office:
        office_id, office_code = metrics.office(args.office)
    return MetricFilter(_period(args), args.country, office_id, office_code)


def report_portfolio(args: argparse.Namespace) -> int:
    _period(args)  # a wrong date is refused before the password is asked for
    with _session(args) as s:
        flt = _filter(args, MetricsService(s.db, s.actor))
        show, interactive = _progress("Building the portfolio report")
        try:
            result = (
                ReportingService(s.db, s.actor)
                .portfolio_pdf(Path(args.output), flt, progress=show)
                .value
            )
        finally:
            if interactive:
                print(file=sys.stderr)
    say(result.message)
    return 0


def report_case(args: argparse.Namespace) -> int:
    with _session(args) as s:
        result = (
            ReportingService(s.db, s.actor)
            .case_pdf(args.code, Path(args.output), full=args.full)
            .value
        )
    say(result.message)
    return 0


def export_cases(args: argparse.Namespace) -> int:
    _period(args)  # before the password is asked for
    state = "open" if args.open else "closed" if args.closed else None
    with _session(args) as s:
        flt = _filter(args, MetricsService(s.db, s.actor))
        result = (
            ReportingService(s.db, s.actor)
            .export_cases(Path(args.output), args.format, flt, state=state)
            .value
        )
    say(result.message)
    return 0


def _filters(p: argparse.ArgumentParser, *, what: str) -> None:
    p.add_argument(
        "--from", dest="start", metavar="DATE", help=f"{what} from this day (YYYY-MM-DD)"
    )
    p.add_argument("--to", dest="end", metavar="DATE", help="up to and including this day")
    p.add_argument("--country", metavar="CC", help="one country, e.g. IN or PH")
    p.add_argument("--office", metavar="CODE", help="one office, by its code")


def register(commands: Sub, reports: Sub, exports: Sub) -> None:
    """Add this area's commands to the top level, ``report`` and ``export``."""
    portfolio = reports.add_parser(
        "portfolio",
        help="the program summary for a period (PDF; small counts suppressed)",
        description="The program summary: key figures, charts, and tables by country and "
        "violence type, for the cases you may see. Counts of fewer than 5 (a setting) are "
        "suppressed; survivors appear only as counts. A period with no cases gives a short "
        "report that says so.",
    )
    portfolio.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    _filters(portfolio, what="cases open")
    portfolio.set_defaults(func=report_portfolio)

    case = reports.add_parser(
        "case",
        help="one case: stages, people, court, aftercare, timeline (PDF; redacted unless --full)",
        description="One case on paper. Redacted by default: survivors by code, free text "
        "cleaned of their names and numbers. --full adds the survivors' identifying records, "
        "for staff assigned to the case or a role granted them; it is logged as a view of "
        "each survivor's identity.",
    )
    case.add_argument("code", metavar="CODE", help="the case code, e.g. IN-2026-0042")
    case.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    case.add_argument(
        "--full", action="store_true", help="include survivors' identifying records (logged)"
    )
    case.set_defaults(func=report_case)

    cases = exports.add_parser(
        "cases",
        help="one row per case as CSV or Excel (redacted)",
        description="One row per case open during the period: code, title, place, dates, "
        "the four track statuses, and counts of survivors, accused, interventions and "
        "hearings; never a survivor's name or code. With no matching cases the file has "
        "its header row only.",
    )
    cases.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    cases.add_argument("-o", "--output", required=True, metavar="OUT")
    _filters(cases, what="cases open")
    state = cases.add_mutually_exclusive_group()
    state.add_argument("--open", action="store_true", help="only cases open at the period's end")
    state.add_argument(
        "--closed", action="store_true", help="only cases closed by the period's end"
    )
    cases.set_defaults(func=export_cases)
