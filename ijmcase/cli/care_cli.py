"""Aftercare and prevention commands: the assessments, referrals and trainings
exports, and an admin's ``instrument`` commands (list, load, use).

Exports are redacted unless ``--full`` (survivors by code, no free text) and
audited by the service; a refusal or a mistake prints one line and exits
with status 1, and no partial file is left behind.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ijmcase.cli.commands import _session
from ijmcase.cli.io import say
from ijmcase.services.care_exports import EXPORT_KINDS, CareExportFilter, CareExportService
from ijmcase.services.instruments import InstrumentService

__all__ = ["register"]

if TYPE_CHECKING:
    # Subscriptable only to the type checker (not at run time on Python 3.11).
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]

_EXPORT_HELP = {
    "assessments": "outcome assessments with domain scores, as CSV or Excel (redacted)",
    "referrals": "referrals and transfers to partner institutions, as CSV or Excel (redacted)",
    "trainings": "trainings and engagements with officials, as CSV or Excel (redacted)",
}
_FULL_HELP = {
    "assessments": "with the assessors' notes (survivors' names taken out)",
    "referrals": "with the reasons and outcomes (survivors' names taken out)",
    "trainings": "with the attending officials' names and the notes",
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def export(args: argparse.Namespace) -> int:
    with _session(args) as s:
        result = (
            CareExportService(s.db, s.actor)
            .export(
                args.export_kind,
                Path(args.output),
                fmt=args.format,
                flt=CareExportFilter(args.since, args.until, args.country),
                full=args.full,
            )
            .value
        )
    say(f"Wrote {result.path} ({result.rows:,} {args.export_kind}).")
    return 0


def instrument_list(args: argparse.Namespace) -> int:
    with _session(args) as s:
        rows = InstrumentService(s.db, s.actor).versions()
    say(f"{'INSTRUMENT':<16} {'VERSION':<10} {'ORIGIN':<8} {'DOMAINS':>7} {'USED':>7}  TITLE")
    for r in rows:
        mark = "  (current)" if r.current else ""
        say(
            f"{r.instrument_id:<16} {r.version:<10} {r.origin:<8} {r.domains:>7} "
            f"{r.assessments:>7,}  {r.title}{mark}"
        )
    return 0


def instrument_load(args: argparse.Namespace) -> int:
    with _session(args) as s:
        row = (
            InstrumentService(s.db, s.actor)
            .load(Path(args.file), make_current=not args.keep_current)
            .value
        )
    say(
        f"Loaded '{row.instrument_id}' version {row.version} ({row.domains} domains, "
        f"{row.sub_domains} sub-domains)." + (" New assessments use it." if row.current else "")
    )
    return 0


def instrument_use(args: argparse.Namespace) -> int:
    with _session(args) as s:
        row = InstrumentService(s.db, s.actor).set_current(args.instrument, args.version).value
    say(
        f"New assessments use '{row.instrument_id}' version {row.version}; earlier "
        "assessments keep theirs."
    )
    return 0


def register(commands: Sub, reports: Sub, exports: Sub) -> None:
    """Add this area's commands to the top level, ``report`` and ``export``."""
    for kind in EXPORT_KINDS:
        p = exports.add_parser(kind, help=_EXPORT_HELP[kind])
        p.add_argument("--format", required=True, choices=("csv", "xlsx"))
        p.add_argument("-o", "--output", required=True, metavar="OUT")
        p.add_argument("--from", dest="since", type=_day, metavar="DATE")
        p.add_argument("--to", dest="until", type=_day, metavar="DATE")
        p.add_argument("--country", metavar="CC", help="two-letter country code, e.g. IN")
        p.add_argument("--full", action="store_true", help=_FULL_HELP[kind])
        p.set_defaults(func=export)

    instrument = commands.add_parser(
        "instrument", help="list, load or choose outcome-assessment instrument versions"
    )
    isub = instrument.add_subparsers(dest="instrument_command", metavar="ACTION", required=True)
    isub.add_parser(
        "list", help="the versions known and how many assessments use each"
    ).set_defaults(func=instrument_list)
    load = isub.add_parser(
        "load", help="check an instrument file and keep it in the database (admins)"
    )
    load.add_argument("file", metavar="FILE", help="a .toml instrument file")
    load.add_argument(
        "--keep-current",
        action="store_true",
        help="load it without making it the version new assessments use",
    )
    load.set_defaults(func=instrument_load)
    use = isub.add_parser("use", help="choose the version new assessments use (admins)")
    use.add_argument("instrument", metavar="ID")
    use.add_argument("version", metavar="VERSION")
    use.set_defaults(func=instrument_use)
