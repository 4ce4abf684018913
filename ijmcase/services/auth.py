"""Logging in, creating a database with its first admin, and recovery.

On an encrypted file the password is checked by unwrapping the database key
from the key store (nothing else can open the file); on a PostgreSQL server
by the Argon2id hash in the users table. Both throttle repeated failures and
both say only "wrong username or password", never which of the two.

Failed logins on a file cannot be written to its audit log (the file is
locked without the key), so they are counted in the key store and written to
the audit log with the next successful login.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.drafts import UserDraft
from ijmcase.domain.enums import Role
from ijmcase.domain.errors import (
    AccountDisabled,
    InvalidCredentials,
    LoginThrottled,
    StorageError,
    ValidationError,
)
from ijmcase.persistence.audit import append_event
from ijmcase.persistence.backup import BACKUP_SUFFIX, write_backup
from ijmcase.persistence.base import utcnow
from ijmcase.persistence.database import (
    Database,
    create_database,
    open_postgres,
    open_sqlcipher,
    refuse_existing_file,
    remove_failed_creation,
    timestamp_slug,
)
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.keystore import (
    RECOVERY_SLOT,
    KdfParams,
    Keystore,
    RecoveryKey,
    keystore_path,
    throttle_delay,
)
from ijmcase.persistence.models import User
from ijmcase.services.context import Actor

__all__ = [
    "InitResult",
    "LoginResult",
    "hasher_for",
    "initialize",
    "login",
    "reset_password_with_recovery_key",
    "unlock",
]

WRONG = "Wrong username or password."


def hasher_for(kdf: KdfParams) -> PasswordHasher:
    return PasswordHasher(
        time_cost=kdf.time_cost, memory_cost=kdf.memory_cost, parallelism=kdf.parallelism
    )


@dataclass(frozen=True)
class LoginResult:
    db: Database
    actor: Actor
    failed_attempts_before: int


@dataclass(frozen=True)
class InitResult:
    db: Database
    actor: Actor
    recovery_key: RecoveryKey | None


def _actor(user: User) -> Actor:
    return Actor(user.id, user.username, user.display_name, user.role)


def _record_login(session: Session, user: User, earlier: int, kind: str) -> Actor:
    """A successful login: stamp it and audit it (with the failures before it)."""
    user.last_login_at = utcnow()
    append_event(
        session,
        actor_id=user.id,
        actor_name=user.username,
        action="auth.login",
        entity_type="user",
        entity_id=user.id,
        details={"failed_attempts_before": earlier, "database": kind},
    )
    return _actor(user)


def pre_upgrade_backup(db: Database, revision: str | None) -> Path | None:
    """Before the schema of a file is upgraded, keep a backup beside it."""
    if db.location.path is None:
        return None
    path = db.location.path
    dest = path.with_name(
        f"{path.name}.pre-upgrade-{revision or 'none'}-{timestamp_slug()}{BACKUP_SUFFIX}"
    )
    write_backup(db, dest)
    return dest


def login(
    location: DatabaseLocation, username: str, password: str, *, kdf: KdfParams | None = None
) -> LoginResult:
    """Open the database as ``username``, or raise an AuthenticationError."""
    username = username.strip().lower()
    if location.kind == "sqlcipher":
        return _login_file(location, username, password, kdf or KdfParams())
    return _login_server(location, username, password, kdf or KdfParams())


def _login_file(
    location: DatabaseLocation, username: str, password: str, kdf: KdfParams
) -> LoginResult:
    assert location.path is not None
    from ijmcase.persistence.database import probe_file

    probe_file(location.path)
    keystore = Keystore.load(keystore_path(location.path))
    slot = Keystore.user_slot(username)
    key = keystore.with_key(slot, password.encode())
    db = open_sqlcipher(location, key, keystore, backup=pre_upgrade_backup)
    db.kdf = kdf
    try:
        earlier = keystore.clear_failures(slot)
        with db.transaction() as session:
            user = session.scalars(select(User).where(User.username == username)).one_or_none()
            if user is None or not user.active:
                raise AccountDisabled(f"The account '{username}' is disabled.")
            actor = _record_login(session, user, earlier, "file")
        # A full disk must not stop a login; the counter is only a throttle.
        with contextlib.suppress(StorageError):
            keystore.save()
    except BaseException:
        db.dispose()
        raise
    return LoginResult(db, actor, earlier)


def _login_server(
    location: DatabaseLocation, username: str, password: str, kdf: KdfParams
) -> LoginResult:
    db = open_postgres(location)
    db.kdf = kdf
    hasher = hasher_for(kdf)
    try:
        failure: Exception | None = None
        with db.transaction() as session:
            user = session.scalars(
                select(User).where(User.username == username).with_for_update()
            ).one_or_none()
            now = utcnow()
            if user is None:
                # Spend the same time as a real check, so usernames cannot be probed.
                with contextlib.suppress(VerificationError):
                    hasher.verify(hasher.hash("x"), password + "-")
                failure = InvalidCredentials(WRONG)
            elif user.locked_until is not None and user.locked_until > now:
                failure = LoginThrottled((user.locked_until - now).total_seconds())
            else:
                try:
                    hasher.verify(user.password_hash, password)
                    ok = True
                except (VerificationError, InvalidHashError):
                    ok = False
                if not ok:
                    user.failed_logins += 1
                    delay = throttle_delay(user.failed_logins)
                    user.locked_until = now + timedelta(seconds=delay) if delay else None
                    append_event(
                        session,
                        actor_id=None,
                        actor_name=username,
                        action="auth.login_failed",
                        entity_type="user",
                        entity_id=user.id,
                        details={"failed_logins": user.failed_logins},
                    )
                    failure = InvalidCredentials(WRONG)
                elif not user.active:
                    failure = AccountDisabled(f"The account '{username}' is disabled.")
                else:
                    earlier = user.failed_logins
                    user.failed_logins = 0
                    user.locked_until = None
                    actor = _record_login(session, user, earlier, "server")
        if failure is not None:
            raise failure
    except BaseException:
        db.dispose()
        raise
    return LoginResult(db, actor, earlier)


def initialize(
    location: DatabaseLocation,
    admin: UserDraft,
    *,
    organization: str = "ijmcase",
    kdf: KdfParams | None = None,
    demo: bool = False,
) -> InitResult:
    """Create a new database with its first admin; for a file, also the
    recovery key, which the caller must show once and never store."""
    if admin.role is not Role.ADMIN:
        raise ValidationError.single("role", "admin_required", "The first user must be an admin.")
    refuse_existing_file(location)
    admin.validate(demo=demo)
    kdf = kdf or KdfParams()
    db = create_database(location, organization=organization)
    db.kdf = kdf
    recovery: RecoveryKey | None = None
    try:
        with db.transaction() as session:
            user = User(
                username=admin.username,
                display_name=admin.display_name.strip(),
                role=Role.ADMIN,
                active=True,
                password_hash=hasher_for(kdf).hash(admin.password),
            )
            session.add(user)
            session.flush()
            user.created_by = user.updated_by = user.id
            append_event(
                session,
                actor_id=user.id,
                actor_name=user.username,
                action="database.init",
                entity_type="database",
                details={"organization": organization, "kind": location.kind},
            )
            append_event(
                session,
                actor_id=user.id,
                actor_name=user.username,
                action="user.create",
                entity_type="user",
                entity_id=user.id,
                details={"username": user.username, "role": user.role.value},
            )
            actor = _actor(user)
        if db.keystore is not None and db.key is not None:
            recovery = RecoveryKey.generate()
            db.keystore.wrap(
                Keystore.user_slot(admin.username), admin.password.encode(), db.key, kdf
            )
            db.keystore.wrap(RECOVERY_SLOT, recovery.raw, db.key, kdf)
            db.keystore.save()
    except BaseException:
        remove_failed_creation(db)
        raise
    return InitResult(db, actor, recovery)


def reset_password_with_recovery_key(
    location: DatabaseLocation,
    recovery_text: str,
    username: str,
    new_password: str,
    *,
    kdf: KdfParams | None = None,
) -> None:
    """Set a new password for ``username`` using the recovery key: the way
    back in when every admin password is lost."""
    from ijmcase.domain.drafts import password_problems
    from ijmcase.domain.errors import raise_if_problems
    from ijmcase.persistence.database import SETTING_DEMO, get_setting, probe_file

    if location.kind != "sqlcipher" or location.path is None:
        raise StorageError(
            "A server database has no recovery key; an admin resets passwords there."
        )
    kdf = kdf or KdfParams()
    probe_file(location.path)
    keystore = Keystore.load(keystore_path(location.path))
    recovery = RecoveryKey.parse(recovery_text)
    keystore.check_throttle(RECOVERY_SLOT)
    key = keystore.unwrap(RECOVERY_SLOT, recovery.raw)
    if key is None:
        keystore.record_failure(RECOVERY_SLOT)
        keystore.save()
        raise InvalidCredentials("That recovery key does not open this database.")
    keystore.clear_failures(RECOVERY_SLOT)
    db = open_sqlcipher(location, key, keystore, backup=pre_upgrade_backup)
    try:
        with db.transaction() as session:
            demo = bool(get_setting(session, SETTING_DEMO, False))
            raise_if_problems(password_problems(new_password, username=username, demo=demo))
            user = session.scalars(select(User).where(User.username == username)).one_or_none()
            if user is None:
                raise InvalidCredentials(f"There is no user '{username}' in this database.")
            user.password_hash = hasher_for(kdf).hash(new_password)
            user.active = True
            user.failed_logins = 0
            user.locked_until = None
            append_event(
                session,
                actor_id=None,
                actor_name="recovery-key",
                action="user.password_reset_by_recovery",
                entity_type="user",
                entity_id=user.id,
                details={"username": username},
            )
        keystore.wrap(Keystore.user_slot(username), new_password.encode(), key, kdf)
        keystore.clear_failures(Keystore.user_slot(username))
        keystore.save()
    finally:
        db.dispose()


def unlock(db: Database, actor: Actor, password: str) -> None:
    """Check the logged-in user's password to end an idle lock.

    The same throttle as a login applies (a lost laptop left unlocked must not
    be open to guessing), and each unlock is audited. The database stays open
    throughout: a lock hides the window, it does not lose what was typed.
    """
    if db.keystore is not None:
        slot = Keystore.user_slot(actor.username)
        key = db.keystore.with_key(slot, password.encode())
        if key != db.key:
            raise InvalidCredentials(WRONG)
        db.keystore.clear_failures(slot)
        with contextlib.suppress(StorageError):
            db.keystore.save()
    else:
        hasher = hasher_for(db.kdf)
        with db.transaction() as session:
            user = session.get(User, actor.user_id)
            now = utcnow()
            if user is None or not user.active:
                raise AccountDisabled(f"The account '{actor.username}' is disabled.")
            if user.locked_until is not None and user.locked_until > now:
                raise LoginThrottled((user.locked_until - now).total_seconds())
            try:
                hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                user.failed_logins += 1
                delay = throttle_delay(user.failed_logins)
                user.locked_until = now + timedelta(seconds=delay) if delay else None
                failed = True
            else:
                user.failed_logins = 0
                user.locked_until = None
                failed = False
        if failed:
            raise InvalidCredentials(WRONG)
    with db.transaction() as session:
        append_event(
            session,
            actor_id=actor.user_id,
            actor_name=actor.username,
            action="auth.unlock",
            entity_type="user",
            entity_id=actor.user_id,
        )
