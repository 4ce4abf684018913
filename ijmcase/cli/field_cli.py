"""Caseworkers' commands: ``ijmcase search TEXT`` and ``ijmcase export
interventions``.

Search prints one line per hit: the case code, what was found, its date
and type, and the matched words marked ``[[like this]]``. Results are only
from cases the user may see, people appear by code, and the survivors'
names and phone numbers are taken out of the snippets before they reach
the terminal (a terminal's scroll-back and logs are not the application).

The export is redacted unless ``--full`` (see
``services.field_exports`` for exactly what each contains); it is audited
and written whole or not at all. A mistake or a refusal prints one line and
exits with status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ijmcase.cli.commands import _session
from ijmcase.cli.io import CliError, say
from ijmcase.domain.periods import Period
from ijmcase.services.field_exports import (
    ExportFormat,
    InterventionExportFilter,
    InterventionExportService,
)
from ijmcase.services.search import HitKind, SearchService

__all__ = ["register"]

if TYPE_CHECKING:
    # Subscriptable only to the type checker (not at run time on Python 3.11).
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]

_FORMATS = ("csv", "xlsx")


def _limit(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= 500:
        raise argparse.ArgumentTypeError("must be between 1 and 500")
    return value


def _one_line(text: str) -> str:
    return " ".join(text.split())


def search(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    kinds = {HitKind(args.kind)} if args.kind else None
    with _session(args) as s:
        result = SearchService(s.db, s.actor).search(
            text, limit=args.limit, kinds=kinds, scrub=True
        )
    if not result.searched:
        raise CliError(
            f"Nothing to search for in '{text}': type one or more words (letters or digits)."
        )
    if not result.hits:
        say(f"No matches for {' '.join(result.terms)}.")
        return 0
    for hit in result.hits:
        if hit.kind is HitKind.INTERVENTION:
            when = hit.occurred_at.date().isoformat() if hit.occurred_at else ""
            what = hit.intervention_type.value if hit.intervention_type else ""
            found = _one_line(" · ".join(p for p in (hit.title, hit.snippet) if p))
        else:
            when, what = "", "case"
            found = _one_line(" · ".join(p for p in (hit.title, hit.snippet) if p))
        say(f"{hit.case_code:<13} {when:<10} {what:<24} {found}")
    more = " (more: add words or raise --limit)" if result.more else ""
    shown = len(result.hits)
    say(f"{shown:,} match{'es' if shown != 1 else ''}{more}.")
    return 0


def _format(args: argparse.Namespace) -> ExportFormat:
    chosen = args.format or Path(args.output).suffix.lower().lstrip(".")
    if chosen == "csv":
        return "csv"
    if chosen == "xlsx":
        return "xlsx"
    raise CliError("Say --format csv or --format xlsx (or name the file .csv or .xlsx).")


def export_interventions(args: argparse.Namespace) -> int:
    fmt = _format(args)
    period = Period.parse(args.since, args.until)
    flt = InterventionExportFilter(period.start, period.end, args.case, args.country)
    with _session(args) as s:
        result = (
            InterventionExportService(s.db, s.actor)
            .export(Path(args.output), fmt=fmt, flt=flt, full=args.full)
            .value
        )
    kind = "full" if result.full else "redacted"
    say(f"Wrote {result.path} ({result.rows:,} interventions, {kind}).")
    return 0


def register(commands: Sub, reports: Sub, exports: Sub) -> None:
    """Add this area's commands to the top level, ``report`` and ``export``."""
    find = commands.add_parser(
        "search",
        help="search intervention notes and case summaries (codes only, no names)",
        description="Full-text search over intervention notes and outcomes and case titles "
        "and summaries, in the cases you may see, best matches first. Every word must "
        "appear; end a word with * to match its beginning (counsel*). Quotes and other "
        "symbols are read as plain text.",
    )
    find.add_argument("text", nargs="+", metavar="TEXT", help="the words to find")
    find.add_argument("--limit", type=_limit, default=20, metavar="N", help="at most N (20)")
    find.add_argument(
        "--kind", choices=[k.value for k in HitKind], help="only interventions, or only cases"
    )
    find.set_defaults(func=search)

    export = exports.add_parser(
        "interventions",
        help="interventions as CSV or Excel (redacted: codes, no notes)",
        description="Export the interventions of the cases you may see. Redacted by default: "
        "survivors and accused by code, no notes or locations, outcomes with survivors' names "
        "and phone numbers taken out. --full (directors, admins, auditors) adds locations, "
        "notes and officials' names, with the same values taken out. Audited.",
    )
    export.add_argument("--format", choices=_FORMATS, help="csv or xlsx (default: from OUT)")
    export.add_argument("-o", "--output", required=True, metavar="OUT")
    export.add_argument("--from", dest="since", metavar="DATE", help="first day, YYYY-MM-DD")
    export.add_argument("--to", dest="until", metavar="DATE", help="last day, YYYY-MM-DD")
    export.add_argument("--case", metavar="CODE", help="one case, e.g. IN-2026-0042")
    export.add_argument("--country", metavar="CC", help="two-letter country code, e.g. IN")
    export.add_argument(
        "--full", action="store_true", help="with locations and notes (names taken out)"
    )
    export.set_defaults(func=export_interventions)
