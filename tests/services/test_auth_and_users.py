"""Logging in, throttling, accounts and passwords, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ijmcase.domain.drafts import UserDraft
from ijmcase.domain.enums import Role
from ijmcase.domain.errors import (
    AccessDenied,
    AccountDisabled,
    ConflictError,
    DatabaseExists,
    InvalidCredentials,
    LoginThrottled,
    RuleViolation,
    ValidationError,
)
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.keystore import FREE_FAILURES
from ijmcase.persistence.models import AuditEvent
from ijmcase.services.auth import initialize, login, reset_password_with_recovery_key
from ijmcase.services.context import Actor
from ijmcase.services.users import UserService
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, Org


def _login(org: Org, username: str, password: str) -> None:
    result = login(org.location, username, password, kdf=FAST_KDF)
    result.db.dispose()


def test_login_right_and_wrong(org: Org) -> None:
    result = login(org.location, "Caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    try:
        assert result.actor.role is Role.CASEWORKER
    finally:
        result.db.dispose()
    with pytest.raises(InvalidCredentials, match="Wrong username or password"):
        _login(org, "caseworker", "not-the-password")
    # An unknown user gets the very same answer.
    with pytest.raises(InvalidCredentials, match="Wrong username or password"):
        _login(org, "nobody", STAFF_PASSWORD)


def test_repeated_failures_are_throttled_then_counted_at_next_login(org: Org) -> None:
    for _ in range(FREE_FAILURES):
        with pytest.raises(InvalidCredentials):
            _login(org, "lawyer", "guess")
    with pytest.raises(LoginThrottled) as err:
        _login(org, "lawyer", STAFF_PASSWORD)  # even the right password waits
    assert err.value.retry_after > 0
    assert "Wait" in err.value.message
    # Another account is not affected.
    _login(org, "director", STAFF_PASSWORD)


def test_login_is_audited(org: Org) -> None:
    _login(org, "director", STAFF_PASSWORD)
    with org.db.transaction(write=False) as session:
        actions = session.scalars(
            select(AuditEvent.actor_name).where(AuditEvent.action == "auth.login")
        ).all()
    assert actions == ["director"]


def test_disabled_user_cannot_log_in_and_loses_their_key(org: Org) -> None:
    admin = org.users("admin")
    admin.disable_user("caseworker2")
    with pytest.raises((InvalidCredentials, AccountDisabled)):
        _login(org, "caseworker2", STAFF_PASSWORD)
    if org.db.keystore is not None:
        assert not org.db.keystore.has_slot("user:caseworker2")
    with pytest.raises(RuleViolation, match="your own account"):
        admin.disable_user("admin")
    second = admin.add_user(UserDraft("root2", "Second Admin", Role.ADMIN, "second-admin-pw"))
    as_second = UserService(org.db, Actor(second.value.id, "root2", "Second Admin", Role.ADMIN))
    as_second.disable_user("admin")
    with pytest.raises(RuleViolation, match="last active admin"):
        admin.disable_user("root2")


def test_user_management_rules(org: Org) -> None:
    with pytest.raises(AccessDenied):
        org.users("director").add_user(UserDraft("eve", "Eve", Role.ADMIN, "long-enough-pw"))
    with pytest.raises(ConflictError, match="already a user"):
        org.users().add_user(UserDraft("Lawyer", "Dup", Role.LAWYER, "long-enough-pw"))
    with pytest.raises(ValidationError) as err:
        org.users().add_user(UserDraft("9bad name", "", Role.LAWYER, "short"))
    assert {p.field for p in err.value.problems} == {"username", "display_name", "password"}


def test_password_change_rewraps(org: Org) -> None:
    org.users("admin").set_password("lawyer", "brand-new-password")
    with pytest.raises(InvalidCredentials):
        _login(org, "lawyer", STAFF_PASSWORD)
    _login(org, "lawyer", "brand-new-password")
    own = org.users("caseworker")
    with pytest.raises(AccessDenied, match="current password is wrong"):
        own.set_password("caseworker", "another-password-1", current_password="nope")
    own.set_password("caseworker", "another-password-1", current_password=STAFF_PASSWORD)
    _login(org, "caseworker", "another-password-1")
    with pytest.raises(AccessDenied):
        own.set_password("lawyer", "hijacked-password")


def test_init_twice_refused(org: Org) -> None:
    with pytest.raises(DatabaseExists):
        initialize(
            org.location, UserDraft("other", "Other", Role.ADMIN, ADMIN_PASSWORD), kdf=FAST_KDF
        )


def test_recovery_key_resets_a_lost_password(file_location: DatabaseLocation) -> None:
    result = initialize(
        file_location, UserDraft("admin", "Admin", Role.ADMIN, ADMIN_PASSWORD), kdf=FAST_KDF
    )
    result.db.dispose()
    assert result.recovery_key is not None
    key_text = str(result.recovery_key)
    with pytest.raises(InvalidCredentials, match="not a recovery key"):
        reset_password_with_recovery_key(
            file_location, "ABCD-EFGH", "admin", "x" * 12, kdf=FAST_KDF
        )
    wrong = str(type(result.recovery_key).generate())
    with pytest.raises(InvalidCredentials, match="does not open this database"):
        reset_password_with_recovery_key(file_location, wrong, "admin", "x" * 12, kdf=FAST_KDF)
    # Typed sloppily: lower case, spaces instead of dashes.
    reset_password_with_recovery_key(
        file_location,
        key_text.lower().replace("-", " "),
        "admin",
        "recovered-password",
        kdf=FAST_KDF,
    )
    again = login(file_location, "admin", "recovered-password", kdf=FAST_KDF)
    again.db.dispose()
    with pytest.raises(InvalidCredentials):
        login(file_location, "admin", ADMIN_PASSWORD, kdf=FAST_KDF)


def test_account_list_is_for_admins_and_auditors(org: Org) -> None:
    assert [r.username for r in org.users("auditor").list_users()][:2] == ["admin", "auditor"]
    with pytest.raises(AccessDenied, match="cannot list user accounts"):
        org.users("caseworker").list_users()
    # Everyone may see who is on staff, to choose leads.
    directory = org.users("caseworker").staff_directory()
    assert {r.role for r in directory} == set(Role)


def test_unlock_checks_the_password_throttles_and_audits(org: Org) -> None:
    from sqlalchemy import select

    from ijmcase.domain.errors import InvalidCredentials, LoginThrottled
    from ijmcase.persistence.models import AuditEvent
    from ijmcase.services.auth import unlock

    actor = org.actors["lawyer"]
    unlock(org.db, actor, STAFF_PASSWORD)
    with pytest.raises(InvalidCredentials):
        unlock(org.db, actor, "wrong guess")
    for _ in range(2):
        with pytest.raises((InvalidCredentials, LoginThrottled)):
            unlock(org.db, actor, "wrong guess")
    # After three failures even the right password must wait.
    with pytest.raises(LoginThrottled):
        unlock(org.db, actor, STAFF_PASSWORD)
    with org.db.transaction(write=False) as session:
        unlocks = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "auth.unlock")
        ).all()
    assert len(unlocks) == 1
