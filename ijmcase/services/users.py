"""Staff accounts: add, list, disable, change passwords.

On an encrypted file each account also holds a wrapped copy of the database
key. Adding a user wraps it for them; changing a password rewraps; disabling
a user removes their wrap, so a disabled account cannot open a copy of the
file either. The key store is written after the database commit: if that
write fails the account exists without a wrap, and setting its password
again repairs it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ijmcase.domain.drafts import UserDraft, password_problems
from ijmcase.domain.enums import Role
from ijmcase.domain.errors import (
    AccessDenied,
    ConflictError,
    NotFound,
    RuleViolation,
    raise_if_problems,
)
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.persistence.database import SETTING_DEMO, get_setting
from ijmcase.persistence.keystore import Keystore
from ijmcase.persistence.models import User
from ijmcase.services.auth import hasher_for
from ijmcase.services.context import Changes, Outcome, ServiceBase

__all__ = ["UserRow", "UserService"]


@dataclass(frozen=True)
class UserRow:
    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    active: bool
    last_login_at: datetime | None


def _row(user: User) -> UserRow:
    return UserRow(
        user.id, user.username, user.display_name, user.role, user.active, user.last_login_at
    )


class UserService(ServiceBase):
    def list_users(self, *, include_disabled: bool = True) -> list[UserRow]:
        """All accounts, with their state: for admins, and auditors checking them."""
        if not (self._may_manage() or has_permission(self.actor.role, Permission.AUDIT_READ)):
            raise AccessDenied(
                f"A {self.actor.role.label.lower()} cannot list user accounts.",
                code="access_denied",
            )
        return self._users(include_disabled=include_disabled)

    def _users(self, *, include_disabled: bool) -> list[UserRow]:
        with self._read() as session:
            stmt = select(User).order_by(User.username)
            if not include_disabled:
                stmt = stmt.where(User.active.is_(True))
            return [_row(u) for u in session.scalars(stmt)]

    def staff_directory(self) -> list[UserRow]:
        """Active staff, for choosing leads and assignees: any role may read it."""
        return self._users(include_disabled=False)

    def _is_demo(self) -> bool:
        with self._read() as session:
            return bool(get_setting(session, SETTING_DEMO, False))

    def add_user(self, draft: UserDraft) -> Outcome[UserRow]:
        self._require(Permission.USER_MANAGE, "add users")
        draft = UserDraft(
            draft.username.strip().lower(),
            draft.display_name.strip(),
            draft.role,
            draft.password,
        )
        draft.validate(demo=self._is_demo())
        with self._write() as session:
            if session.scalars(select(User.id).where(User.username == draft.username)).first():
                raise ConflictError(
                    f"There is already a user called '{draft.username}'.", code="duplicate_user"
                )
            user = User(
                username=draft.username,
                display_name=draft.display_name,
                role=draft.role,
                active=True,
                password_hash=hasher_for(self._db.kdf).hash(draft.password),
            )
            self._stamp(user, new=True)
            session.add(user)
            session.flush()
            self._audit(
                session,
                "user.create",
                "user",
                user.id,
                details={"username": user.username, "role": user.role.value},
            )
            row = _row(user)
        self._wrap(draft.username, draft.password)
        return Outcome(row, Changes.of("users"))

    def _wrap(self, username: str, password: str) -> None:
        ks, key = self._db.keystore, self._db.key
        if ks is None or key is None:
            return
        ks.wrap(Keystore.user_slot(username), password.encode(), key, self._db.kdf)
        ks.clear_failures(Keystore.user_slot(username))
        ks.save()

    def _get(self, session: Session, username: str) -> User:
        user = session.scalars(select(User).where(User.username == username.lower())).one_or_none()
        if user is None:
            raise NotFound(f"There is no user called '{username}'.", code="user_not_found")
        return user

    def disable_user(self, username: str) -> Outcome[UserRow]:
        self._require(Permission.USER_MANAGE, "disable users")
        with self._write() as session:
            user = self._get(session, username)
            if user.id == self.actor.user_id:
                raise RuleViolation("You cannot disable your own account.", code="disable_self")
            if user.role is Role.ADMIN and user.active:
                admins = session.scalar(
                    select(func.count())
                    .select_from(User)
                    .where(User.role == Role.ADMIN, User.active.is_(True))
                )
                if (admins or 0) <= 1:
                    raise RuleViolation(
                        "This is the last active admin; add another admin first.",
                        code="last_admin",
                    )
            user.active = False
            self._stamp(user, new=False)
            self._audit(
                session, "user.disable", "user", user.id, details={"username": user.username}
            )
            row = _row(user)
        ks = self._db.keystore
        if ks is not None:
            ks.remove(Keystore.user_slot(row.username))
            ks.save()
        return Outcome(row, Changes.of("users"))

    def set_password(
        self, username: str, new_password: str, *, current_password: str | None = None
    ) -> Outcome[UserRow]:
        """An admin sets anyone's password; anyone else only their own, and
        must give the current one."""
        own = username.lower() == self.actor.username
        if not own:
            self._require(Permission.USER_MANAGE, "change other users' passwords")
        demo = self._is_demo()
        with self._write() as session:
            user = self._get(session, username)
            if (
                own
                and not self._may_manage()
                and (current_password is None or not self._verify(user, current_password))
            ):
                raise AccessDenied("The current password is wrong.", code="wrong_password")
            raise_if_problems(password_problems(new_password, username=user.username, demo=demo))
            user.password_hash = hasher_for(self._db.kdf).hash(new_password)
            user.failed_logins = 0
            user.locked_until = None
            self._stamp(user, new=False)
            self._audit(
                session,
                "user.password_change",
                "user",
                user.id,
                details={"username": user.username, "by_self": own},
            )
            row = _row(user)
        if row.active:
            self._wrap(row.username, new_password)
        return Outcome(row, Changes.of("users"))

    def _may_manage(self) -> bool:
        return has_permission(self.actor.role, Permission.USER_MANAGE)

    def _verify(self, user: User, password: str) -> bool:
        try:
            return bool(hasher_for(self._db.kdf).verify(user.password_hash, password))
        except (VerificationError, InvalidHashError):
            return False
