"""Every error ijmcase raises on purpose, in one tree.

Each error carries a stable ``code`` (for translation and for scripts) and an
English ``message`` written for the person at the keyboard, not for a
developer. The GUI and the command line show the same message because both
get it from the same service call.

::

    IjmcaseError
     ├── DomainError                     a rule of the domain says no
     │    ├── ValidationError            one or more fields are wrong (.problems)
     │    ├── RuleViolation              a transition or closing the rules forbid
     │    ├── NotFound                   no such case, person, user ...
     │    └── ConflictError              a duplicate code or username; changed by someone else
     ├── AccessDenied                    the user's role or assignment does not allow it
     ├── AuthenticationError
     │    ├── InvalidCredentials         wrong username or password / recovery key
     │    ├── AccountDisabled
     │    └── LoginThrottled             too many failures; .retry_after seconds
     └── StorageError                    the database file or server itself
          ├── DatabaseMissing            no database where one was expected
          ├── DatabaseExists             init over an existing database
          ├── NotAnIjmcaseDatabase       a foreign or plain file
          ├── DatabaseCorrupt            truncated or damaged
          ├── DatabaseTooNew             written by a newer ijmcase
          ├── DiskFull                   nothing was written
          ├── DatabaseUnavailable        server unreachable, file locked
          └── BackupError                not an ijmcase backup, or damaged
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "AccessDenied",
    "AccountDisabled",
    "AuthenticationError",
    "BackupError",
    "ConflictError",
    "DatabaseCorrupt",
    "DatabaseExists",
    "DatabaseMissing",
    "DatabaseTooNew",
    "DatabaseUnavailable",
    "DiskFull",
    "DomainError",
    "FieldProblem",
    "IjmcaseError",
    "InvalidCredentials",
    "LoginThrottled",
    "NotAnIjmcaseDatabase",
    "NotFound",
    "RuleViolation",
    "StorageError",
    "ValidationError",
    "raise_if_problems",
]


class IjmcaseError(Exception):
    """Base of every deliberate ijmcase error."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return self.message


class DomainError(IjmcaseError):
    code = "domain"


@dataclass(frozen=True)
class FieldProblem:
    """One wrong field: which field, a stable code, and what to do about it."""

    field: str
    code: str
    message: str


class ValidationError(DomainError):
    """One or more fields of a draft are wrong; ``problems`` lists each."""

    code = "invalid"

    def __init__(self, problems: Sequence[FieldProblem] | FieldProblem) -> None:
        if isinstance(problems, FieldProblem):
            problems = [problems]
        self.problems: tuple[FieldProblem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("ValidationError needs at least one problem")
        message = "; ".join(p.message for p in self.problems)
        super().__init__(message, code=self.problems[0].code)

    @classmethod
    def single(cls, field: str, code: str, message: str) -> ValidationError:
        return cls(FieldProblem(field, code, message))

    def for_field(self, field: str) -> list[FieldProblem]:
        return [p for p in self.problems if p.field == field]


def raise_if_problems(problems: Iterable[FieldProblem]) -> None:
    found = list(problems)
    if found:
        raise ValidationError(found)


class RuleViolation(DomainError):
    code = "rule"


class NotFound(DomainError):
    code = "not_found"


class ConflictError(DomainError):
    code = "conflict"


class AccessDenied(IjmcaseError):
    code = "access_denied"


class AuthenticationError(IjmcaseError):
    code = "auth"


class InvalidCredentials(AuthenticationError):
    code = "invalid_credentials"


class AccountDisabled(AuthenticationError):
    code = "account_disabled"


class LoginThrottled(AuthenticationError):
    code = "login_throttled"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(0.0, retry_after)
        seconds = max(1, round(self.retry_after))
        super().__init__(
            f"Too many failed attempts. Wait {seconds} second{'s' if seconds != 1 else ''} "
            "before trying again."
        )


class StorageError(IjmcaseError):
    code = "storage"


class DatabaseMissing(StorageError):
    code = "db_missing"


class DatabaseExists(StorageError):
    code = "db_exists"


class NotAnIjmcaseDatabase(StorageError):
    code = "db_foreign"


class DatabaseCorrupt(StorageError):
    code = "db_corrupt"


class DatabaseTooNew(StorageError):
    code = "db_too_new"


class DiskFull(StorageError):
    code = "disk_full"


class DatabaseUnavailable(StorageError):
    code = "db_unavailable"


class BackupError(StorageError):
    code = "backup"
