"""Reading secrets and writing messages for the command line.

Passwords come from the environment (for scripts) or a prompt on a terminal,
never from an argument, which other users of the machine could read in the
process list.
"""

from __future__ import annotations

import getpass
import os
import sys

__all__ = [
    "NEW_PASSWORD_ENV",
    "PASSWORD_ENV",
    "RECOVERY_ENV",
    "USER_ENV",
    "CliError",
    "ask_new_secret",
    "ask_secret",
    "print_error",
    "say",
]

PASSWORD_ENV = "IJMCASE_PASSWORD"
NEW_PASSWORD_ENV = "IJMCASE_NEW_PASSWORD"
RECOVERY_ENV = "IJMCASE_RECOVERY_KEY"
USER_ENV = "IJMCASE_USER"


class CliError(Exception):
    """A mistake in how the command was called that the services never see."""


def print_error(message: str) -> None:
    print(f"ijmcase: {message}", file=sys.stderr)


def say(message: str = "") -> None:
    print(message)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def ask_secret(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    if not _interactive():
        raise CliError(f"Set {env}, or run the command in a terminal to be asked.")
    return getpass.getpass(prompt)


def ask_new_secret(env: str, what: str) -> str:
    """A new password: from the environment, or typed twice on a terminal."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not _interactive():
        raise CliError(f"Set {env}, or run the command in a terminal to be asked.")
    first = getpass.getpass(f"New password for {what}: ")
    second = getpass.getpass("Type it again: ")
    if first != second:
        raise CliError("The two passwords differ; nothing was changed.")
    return first
