"""What each role may do: the minimum each kind of work needs.

The services check these before every read and write, so a permission hidden
in the GUI is never the only guard. Identifying survivor data is not a role
permission at all: it is decided per case (``may_see_identity``), because a
caseworker needs the names of the survivors in their own cases and of no
others.
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

from ijmcase.domain.enums import Role, Sensitivity

__all__ = [
    "ROLE_PERMISSIONS",
    "Permission",
    "has_permission",
    "may_edit_case",
    "may_see_case",
    "may_see_identity",
]


class Permission(StrEnum):
    CASE_READ = "case.read"
    CASE_CREATE = "case.create"
    CASE_EDIT_ASSIGNED = "case.edit_assigned"
    CASE_EDIT_ANY = "case.edit_any"
    CASE_CLOSE = "case.close"
    CASE_ASSIGN = "case.assign"
    CASE_READ_RESTRICTED = "case.read_restricted"
    PEOPLE_EDIT = "people.edit"
    # Merging two records of one person (and undoing it): an admin's data repair.
    PEOPLE_MERGE = "people.merge"
    INTERVENTION_LOG = "intervention.log"
    HEARING_EDIT = "hearing.edit"
    USER_MANAGE = "user.manage"
    AUDIT_READ = "audit.read"
    DB_MAINTAIN = "db.maintain"
    REPORT_AGGREGATE = "report.aggregate"
    SETTINGS_EDIT = "settings.edit"


_P = Permission

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CASEWORKER: frozenset(
        {_P.CASE_READ, _P.CASE_CREATE, _P.CASE_EDIT_ASSIGNED, _P.PEOPLE_EDIT, _P.INTERVENTION_LOG}
    ),
    Role.LAWYER: frozenset(
        {
            _P.CASE_READ,
            _P.CASE_CREATE,
            _P.CASE_EDIT_ASSIGNED,
            _P.PEOPLE_EDIT,
            _P.INTERVENTION_LOG,
            _P.HEARING_EDIT,
        }
    ),
    Role.DIRECTOR: frozenset(
        {
            _P.CASE_READ,
            _P.CASE_CREATE,
            _P.CASE_EDIT_ANY,
            _P.CASE_CLOSE,
            _P.CASE_ASSIGN,
            _P.CASE_READ_RESTRICTED,
            _P.PEOPLE_EDIT,
            # Directors step in for a lawyer on leave: court records and hearings.
            _P.HEARING_EDIT,
            _P.REPORT_AGGREGATE,
        }
    ),
    Role.ADMIN: frozenset(
        {
            _P.CASE_READ,
            _P.CASE_CREATE,
            _P.CASE_EDIT_ANY,
            _P.CASE_CLOSE,
            _P.CASE_ASSIGN,
            _P.CASE_READ_RESTRICTED,
            _P.PEOPLE_EDIT,
            _P.PEOPLE_MERGE,
            _P.USER_MANAGE,
            _P.AUDIT_READ,
            _P.DB_MAINTAIN,
            _P.REPORT_AGGREGATE,
            _P.SETTINGS_EDIT,
        }
    ),
    Role.AUDITOR: frozenset(
        {_P.CASE_READ, _P.CASE_READ_RESTRICTED, _P.AUDIT_READ, _P.DB_MAINTAIN, _P.REPORT_AGGREGATE}
    ),
}


def has_permission(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def may_see_case(role: Role, sensitivity: Sensitivity, *, assigned: bool) -> bool:
    """A restricted case is visible only to its assigned staff and oversight roles."""
    if not has_permission(role, Permission.CASE_READ):
        return False
    if sensitivity is Sensitivity.RESTRICTED:
        return assigned or has_permission(role, Permission.CASE_READ_RESTRICTED)
    return True


def may_see_identity(role: Role, *, assigned: bool, granted_roles: Collection[Role]) -> bool:
    """Identifying survivor data: the case's assigned staff, and roles the
    organization has granted it (none by default; directors and auditors
    see codes)."""
    return assigned or role in granted_roles


def may_edit_case(role: Role, *, assigned: bool) -> bool:
    if has_permission(role, Permission.CASE_EDIT_ANY):
        return True
    return assigned and has_permission(role, Permission.CASE_EDIT_ASSIGNED)
