"""Shared fixtures: a database on each engine and a small organization in it.

``location`` is parametrized over an SQLCipher file and a real PostgreSQL
server started for the run (tests/pgserver.py), so every service test runs
on both. Key derivation is made cheap here (the real cost is tested in the
command-line tests, which use the defaults).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ijmcase.domain.drafts import UserDraft
from ijmcase.domain.enums import Role
from ijmcase.persistence.database import Database
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.keystore import KdfParams
from ijmcase.services.auth import initialize
from ijmcase.services.cases import CaseService
from ijmcase.services.context import Actor
from ijmcase.services.people import PeopleService
from ijmcase.services.users import UserService
from tests.pgserver import PostgresServer

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FAST_KDF = KdfParams(time_cost=1, memory_cost=8, parallelism=1)
ADMIN_PASSWORD = "admin-password-1"
STAFF_PASSWORD = "staff-password-1"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer | None]:
    bindir = PostgresServer.find_binaries()
    if bindir is None:
        yield None
        return
    server = PostgresServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


ENGINES = ["sqlcipher", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=ENGINES)
def location(
    request: pytest.FixtureRequest, tmp_path: Path, pg_server: PostgresServer | None
) -> Iterator[DatabaseLocation]:
    if request.param == "sqlcipher":
        yield DatabaseLocation("sqlcipher", path=tmp_path / "cases.db")
        return
    if pg_server is None:
        pytest.skip("PostgreSQL binaries not found: scripts/run-tests installs Debian postgresql")
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = pg_server.create_database(name)
    try:
        yield DatabaseLocation("postgresql", url=url)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def file_location(tmp_path: Path) -> DatabaseLocation:
    return DatabaseLocation("sqlcipher", path=tmp_path / "cases.db")


@dataclass
class Org:
    """A fresh database with one user per role (plus a second caseworker)."""

    location: DatabaseLocation
    db: Database
    actors: dict[str, Actor] = field(default_factory=dict)

    def cases(self, who: str) -> CaseService:
        return CaseService(self.db, self.actors[who])

    def people(self, who: str) -> PeopleService:
        return PeopleService(self.db, self.actors[who])

    def users(self, who: str = "admin") -> UserService:
        return UserService(self.db, self.actors[who])


def make_org(location: DatabaseLocation) -> Org:
    result = initialize(
        location,
        UserDraft("admin", "Ada Admin", Role.ADMIN, ADMIN_PASSWORD),
        organization="Test Org",
        kdf=FAST_KDF,
    )
    org = Org(location, result.db, {"admin": result.actor})
    users = org.users("admin")
    for username, name, role in [
        ("director", "Dina Director", Role.DIRECTOR),
        ("lawyer", "Luis Lawyer", Role.LAWYER),
        ("caseworker", "Chitra Caseworker", Role.CASEWORKER),
        ("caseworker2", "Kofi Caseworker", Role.CASEWORKER),
        ("auditor", "Aiko Auditor", Role.AUDITOR),
    ]:
        row = users.add_user(UserDraft(username, name, role, STAFF_PASSWORD)).value
        org.actors[username] = Actor(row.id, row.username, row.display_name, row.role)
    return org


@pytest.fixture
def org(location: DatabaseLocation) -> Iterator[Org]:
    made = make_org(location)
    try:
        yield made
    finally:
        made.db.dispose()


@pytest.fixture
def file_org(file_location: DatabaseLocation) -> Iterator[Org]:
    made = make_org(file_location)
    try:
        yield made
    finally:
        made.db.dispose()
