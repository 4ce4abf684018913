"""The headless commands: each logs in, calls one service, prints a result.

Nothing here decides a rule or checks a permission; the services do, so the
desktop app and these commands say the same thing about the same mistake.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ijmcase.cli.io import (
    NEW_PASSWORD_ENV,
    PASSWORD_ENV,
    RECOVERY_ENV,
    USER_ENV,
    CliError,
    ask_new_secret,
    ask_secret,
    print_error,
    say,
)
from ijmcase.domain.drafts import UserDraft
from ijmcase.domain.enums import Role
from ijmcase.persistence.engine import locate
from ijmcase.services.auth import LoginResult, initialize, login, reset_password_with_recovery_key
from ijmcase.services.maintenance import MaintenanceService, restore
from ijmcase.services.users import UserService

__all__ = [
    "db_backup",
    "db_check",
    "db_restore",
    "db_upgrade",
    "db_verify",
    "demo",
    "gui",
    "init",
    "user_add",
    "user_disable",
    "user_list",
    "user_passwd",
]


def _username(args: argparse.Namespace) -> str:
    name = args.user or os.environ.get(USER_ENV)
    if not name:
        raise CliError(f"Say who you are with --user NAME (or {USER_ENV}).")
    return str(name)


@contextmanager
def _session(args: argparse.Namespace) -> Iterator[LoginResult]:
    location = locate(args.db)
    username = _username(args)
    password = ask_secret(PASSWORD_ENV, f"Password for {username}: ")
    result = login(location, username, password)
    # A person changing their own password has just proved the current one.
    args.login_password = password
    if result.db.upgraded is not None:
        up = result.db.upgraded
        kept = f"; the old version was backed up to {up.backup}" if up.backup else ""
        print_error(
            f"Upgraded the database from schema {up.from_revision} to {up.to_revision}{kept}."
        )
    if result.failed_attempts_before:
        print_error(
            f"Note: {result.failed_attempts_before} failed login attempt(s) for "
            f"{username} since the last login."
        )
    try:
        yield result
    finally:
        result.db.dispose()


def gui(args: argparse.Namespace) -> int:
    # Imported here so the headless commands never load Qt.
    from ijmcase.ui.app import run

    return int(run(args))


def init(args: argparse.Namespace) -> int:
    location = locate(args.db)
    admin = args.admin.strip().lower()
    password = ask_new_secret(PASSWORD_ENV, admin)
    draft = UserDraft(admin, args.name or admin, Role.ADMIN, password)
    result = initialize(location, draft, organization=args.organization)
    result.db.dispose()
    say(f"Created {location.display} with admin '{admin}'.")
    if result.recovery_key is not None:
        say()
        say("RECOVERY KEY (shown once; it opens the database if every password is lost):")
        say()
        say(f"    {result.recovery_key}")
        say()
        say("Write it down and keep it apart from this computer, somewhere safe. Anyone")
        say("with it and a copy of the database can read every case.")
    return 0


def demo(args: argparse.Namespace) -> int:
    from ijmcase.services.demo import create_demo_database

    location = locate(args.db)
    interactive = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if interactive:
            print(f"\rBuilding demo cases: {done:,} of {total:,}", end="", file=sys.stderr)

    try:
        build = create_demo_database(
            location, cases=args.cases, seed=args.seed, password=args.password, progress=progress
        )
    finally:
        if interactive:
            print(file=sys.stderr)
    result, summary = build.init, build.summary
    result.db.dispose()
    say(f"Created demo database {location.display} in {summary.seconds:.1f} s:")
    say(
        f"  {summary.cases:,} cases, {summary.survivors:,} survivors, {summary.accused:,} "
        f"accused, {summary.officials:,} officials, {summary.interventions:,} interventions, "
        f"{summary.hearings:,} hearings"
    )
    say()
    say(f"Logins (password '{args.password}'):")
    for username, role in summary.users:
        if username in {r.value for r in Role}:
            say(f"  {username:<12} {role}")
    if result.recovery_key is not None:
        say()
        say(f"Recovery key (demo only): {result.recovery_key}")
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    with _session(args) as s:
        if s.db.upgraded is None:
            say("The database is already at the current schema; nothing to do.")
    return 0


def db_check(args: argparse.Namespace) -> int:
    with _session(args) as s:
        report = MaintenanceService(s.db, s.actor).schema()
    say(f"schema: {report.current} (this version of ijmcase: {report.head})")
    if report.drift:
        say("differences between the database and this version's models:")
        for d in report.drift:
            say(f"  {d}")
        return 1
    say("The database matches this version of ijmcase.")
    return 0


def db_verify(args: argparse.Namespace) -> int:
    with _session(args) as s:
        report = MaintenanceService(s.db, s.actor).verify()
    for problem in report.storage_problems[:20]:
        say(f"storage problem: {problem}")
    if not report.storage_problems:
        say("storage: ok" + (" (encryption and structure)" if s.db.kind == "sqlcipher" else ""))
    chain = report.chain
    if chain.ok:
        say(f"audit chain: ok ({chain.events:,} events)")
    else:
        say(f"audit chain: BROKEN at event {chain.first_broken_seq}: {chain.problem}")
    if not report.ok:
        print_error(
            "The database failed verification; see above. Restore from a backup if "
            "the damage is real."
        )
        return 1
    return 0


def db_backup(args: argparse.Namespace) -> int:
    with _session(args) as s:
        manifest = MaintenanceService(s.db, s.actor).backup(Path(args.path))
    say(
        f"Backed up to {Path(args.path).expanduser().absolute()} ({manifest.size:,} bytes of "
        f"database, schema {manifest.schema_revision}; "
        f"{_files(manifest.blob_count, 'attachment file')}, {manifest.blob_size:,} bytes). "
        "It is encrypted with the same key; the same passwords open it."
    )
    return 0


def _files(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def db_restore(args: argparse.Namespace) -> int:
    location = locate(args.db)
    username = _username(args)
    password = ask_secret(PASSWORD_ENV, f"Password for {username} (in the backup): ")
    report = restore(location, Path(args.path), username, password)
    manifest = report.manifest
    if manifest.includes_blobs:
        say(
            f"Restored {location.display} from the backup made {manifest.created_at}, "
            f"with {_files(manifest.blob_count, 'attachment file')}."
        )
    else:
        say(
            f"Restored {location.display} from the backup made {manifest.created_at}. "
            "That backup is from an older ijmcase and holds no attachment files; the "
            "attachments folder beside the database was left as it was."
        )
    if report.previous_kept_at:
        say(f"The database it replaced was kept as {report.previous_kept_at}.")
    if report.previous_blobs_kept_at:
        say(f"The attachments folder it replaced was kept as {report.previous_blobs_kept_at}.")
    return 0


def user_add(args: argparse.Namespace) -> int:
    with _session(args) as s:
        password = ask_new_secret(NEW_PASSWORD_ENV, args.username)
        row = (
            UserService(s.db, s.actor)
            .add_user(UserDraft(args.username, args.name, Role(args.role), password))
            .value
        )
    say(f"Added {row.username} ({row.role.value}).")
    return 0


def user_list(args: argparse.Namespace) -> int:
    with _session(args) as s:
        rows = UserService(s.db, s.actor).list_users()
    say(f"{'USERNAME':<20} {'ROLE':<11} {'ACTIVE':<7} {'LAST LOGIN':<17} NAME")
    for r in rows:
        last = r.last_login_at.strftime("%Y-%m-%d %H:%M") if r.last_login_at else "never"
        say(
            f"{r.username:<20} {r.role.value:<11} {'yes' if r.active else 'no':<7} "
            f"{last:<17} {r.display_name}"
        )
    return 0


def user_disable(args: argparse.Namespace) -> int:
    with _session(args) as s:
        row = UserService(s.db, s.actor).disable_user(args.username).value
    say(f"Disabled {row.username}; their key was removed from the key store.")
    return 0


def user_passwd(args: argparse.Namespace) -> int:
    if args.recovery_key:
        location = locate(args.db)
        key_text = ask_secret(RECOVERY_ENV, "Recovery key: ")
        password = ask_new_secret(NEW_PASSWORD_ENV, args.username)
        reset_password_with_recovery_key(location, key_text, args.username.lower(), password)
        say(f"Set a new password for {args.username.lower()} with the recovery key.")
        return 0
    with _session(args) as s:
        password = ask_new_secret(NEW_PASSWORD_ENV, args.username)
        current = args.login_password if args.username.lower() == s.actor.username else None
        UserService(s.db, s.actor).set_password(args.username, password, current_password=current)
    say(f"Changed the password of {args.username.lower()}.")
    return 0
