"""Tests for the throwaway PostgreSQL server harness (tests/pgserver.py).

These start real servers. Without PostgreSQL binaries they skip with a reason
that says how to get them; CI installs them, so there they always run.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from tests import pgserver
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.postgres

SKIP_REASON = (
    "PostgreSQL binaries not found: install Debian package postgresql (scripts/run-tests does)"
)


@pytest.fixture(scope="module")
def bindir() -> Path:
    found = PostgresServer.find_binaries()
    if found is None:
        pytest.skip(SKIP_REASON)
    return found


@pytest.fixture(scope="module")
def server(bindir: Path) -> Iterator[PostgresServer]:
    with PostgresServer(bindir) as running:
        yield running


@pytest.fixture
def engine(server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[Engine]:
    name = f"t_{request.node.name}".lower()[:63]
    url = server.create_database(name)
    eng = create_engine(url)
    try:
        yield eng
    finally:
        eng.dispose()
        server.drop_database(name)


def _database_names(server: PostgresServer) -> set[str]:
    with psycopg.connect(server.url_for("postgres").replace("+psycopg", "")) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_find_binaries_returns_a_folder_with_initdb_and_pg_ctl(bindir: Path) -> None:
    assert (bindir / "initdb").is_file()
    assert (bindir / "pg_ctl").is_file()


def test_url_names_the_loopback_port_and_database(server: PostgresServer) -> None:
    assert server.url_for("cases") == f"postgresql+psycopg://postgres@127.0.0.1:{server.port}/cases"


def test_select_one(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SELECT 1")).scalar_one() == 1


def test_table_round_trip_keeps_non_ascii_text(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL)"))
        conn.execute(
            text("INSERT INTO person (id, name) VALUES (:id, :name)"),
            [{"id": 1, "name": "Amaka Ọ̀kọ́"}, {"id": 2, "name": "Nguyễn Thị Hà"}],
        )
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, name FROM person ORDER BY id")).all()
        encoding = conn.execute(text("SHOW server_encoding")).scalar_one()
    assert [tuple(row) for row in rows] == [(1, "Amaka Ọ̀kọ́"), (2, "Nguyễn Thị Hà")]
    assert encoding == "UTF8"


def test_server_listens_only_on_loopback(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("SHOW listen_addresses")).scalar_one() == "127.0.0.1"
        assert conn.execute(text("SHOW fsync")).scalar_one() == "off"


def test_drop_database_removes_it_even_with_a_session_open(server: PostgresServer) -> None:
    url = server.create_database("dropme")
    assert "dropme" in _database_names(server)
    eng = create_engine(url)
    try:
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
            # WITH (FORCE): a session a test forgot must not make the drop fail.
            server.drop_database("dropme")
            with pytest.raises(OperationalError, match="terminating connection"):
                conn.execute(text("SELECT 1"))
    finally:
        eng.dispose()
    assert "dropme" not in _database_names(server)


def test_stop_removes_the_folder_frees_the_port_and_can_run_twice(bindir: Path) -> None:
    own = PostgresServer(bindir)
    own.start()
    base, port = own.base_dir, own.port
    assert own.running
    assert (base / "data" / "PG_VERSION").is_file()

    own.stop()
    own.stop()

    assert not own.running
    assert not base.exists()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0


def test_url_before_start_is_an_error(bindir: Path) -> None:
    with pytest.raises(RuntimeError, match="not been started"):
        PostgresServer(bindir).url_for("x")


def test_start_failure_reports_the_server_log(
    bindir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        taken: int = blocker.getsockname()[1]
        # Every attempt gets the taken port, so the retries run out too.
        monkeypatch.setattr(pgserver, "_free_port", lambda: taken)
        doomed = PostgresServer(bindir)

        with pytest.raises(RuntimeError, match="could not bind") as failure:
            doomed.start()

    assert "did not start" in str(failure.value)
    assert "last lines of" in str(failure.value)
    assert not doomed.running
    with pytest.raises(RuntimeError):
        doomed.base_dir  # noqa: B018 - the property raises once the folder is gone
