"""The ``ijmcase`` command: the desktop app by default, and headless commands
over the same services (DESIGN.md, "Command line contract").

Global options come before the command: ``ijmcase [--db URL] [--user NAME]
COMMAND ...``. Errors a person can act on print one line to stderr and exit
with status 1; a mistake in the command's words exits with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ijmcase import __version__
from ijmcase.cli import care_cli, commands, court_cli, field_cli, program_cli
from ijmcase.cli.io import CliError, print_error
from ijmcase.domain.enums import Role
from ijmcase.domain.errors import IjmcaseError, ValidationError

__all__ = ["build_parser", "main"]

AREAS = (field_cli, court_cli, care_cli, program_cli)

EXAMPLES = """\
examples:
  ijmcase --db ~/cases.db init --admin amina
  ijmcase --db /tmp/demo.db demo --cases 500 --seed 1
  IJMCASE_PASSWORD=demo ijmcase --db /tmp/demo.db --user admin db verify
  ijmcase --db postgresql+psycopg://ijm@db.office/ijmcase --user amina user list

The password is read from IJMCASE_PASSWORD, or asked for on a terminal.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ijmcase",
        description="Casework for a public-justice organization: rescue, perpetrator "
        "accountability, aftercare and structural prevention.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ijmcase {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="database file (encrypted) or postgresql+psycopg:// URL; default: $IJMCASE_DB, "
        "else ijmcase.db in your user data folder",
    )
    parser.add_argument("--user", metavar="NAME", help="log in as NAME (default: $IJMCASE_USER)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="open the desktop app (the default)")
    gui.set_defaults(func=commands.gui)

    init = sub.add_parser("init", help="create a new encrypted database and its first admin")
    init.add_argument("--admin", required=True, metavar="NAME", help="the first admin's username")
    init.add_argument("--name", metavar="TEXT", help="the admin's full name (default: NAME)")
    init.add_argument(
        "--organization",
        metavar="TEXT",
        default="ijmcase",
        help="the organization's name, shown on reports",
    )
    init.set_defaults(func=commands.init)

    demo = sub.add_parser("demo", help="create a database filled with realistic synthetic cases")
    demo.add_argument("--cases", type=_positive, default=500, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--password", default="demo", help="password of every demo login (default: demo)"
    )
    demo.set_defaults(func=commands.demo)

    db = sub.add_parser("db", help="upgrade, check, verify, back up or restore the database")
    dbsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    dbsub.add_parser(
        "upgrade", help="upgrade an older database (a backup is kept first)"
    ).set_defaults(func=commands.db_upgrade)
    dbsub.add_parser(
        "check", help="show the schema version and any drift from this build"
    ).set_defaults(func=commands.db_check)
    dbsub.add_parser("verify", help="check storage integrity and the audit chain").set_defaults(
        func=commands.db_verify
    )
    backup = dbsub.add_parser("backup", help="write a consistent encrypted backup")
    backup.add_argument("path", metavar="PATH")
    backup.set_defaults(func=commands.db_backup)
    restore = dbsub.add_parser("restore", help="replace the database with a backup")
    restore.add_argument("path", metavar="PATH")
    restore.set_defaults(func=commands.db_restore)

    user = sub.add_parser("user", help="add, list, disable users or change a password")
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help="add a user (password from IJMCASE_NEW_PASSWORD or asked)")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--name", required=True, metavar="TEXT", help="the person's full name")
    add.set_defaults(func=commands.user_add)
    lst = usub.add_parser("list", help="list users")
    lst.set_defaults(func=commands.user_list)
    dis = usub.add_parser("disable", help="disable a user and remove their key")
    dis.add_argument("username")
    dis.set_defaults(func=commands.user_disable)
    pw = usub.add_parser("passwd", help="change a password")
    pw.add_argument("username")
    pw.add_argument(
        "--recovery-key",
        action="store_true",
        help="use the recovery key (IJMCASE_RECOVERY_KEY or asked) instead of a login",
    )
    pw.set_defaults(func=commands.user_passwd)

    # Reports, exports and the commands of each area register themselves, so
    # each area's module holds its own words and handlers.
    report = sub.add_parser("report", help="write a PDF report (redacted unless --full)")
    report_sub = report.add_subparsers(dest="report_kind", metavar="KIND", required=True)
    export = sub.add_parser("export", help="export records as CSV, Excel or iCalendar")
    export_sub = export.add_subparsers(dest="export_kind", metavar="KIND", required=True)
    for area in AREAS:
        area.register(sub, report_sub, export_sub)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = commands.gui
    try:
        result = args.func(args)
    except ValidationError as exc:
        for problem in exc.problems:
            print_error(f"{problem.field.replace('_', ' ')}: {problem.message}")
        return 1
    except (IjmcaseError, CliError) as exc:
        print_error(str(exc))
        return 1
    except KeyboardInterrupt:
        print_error("Interrupted; nothing more was done.")
        return 130
    return int(result or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
