"""A throwaway PostgreSQL server for the test run.

``initdb`` makes a cluster in a fresh temporary folder and ``pg_ctl`` starts it
on a free loopback port, with durability switched off because the data dies
with the run. Tests create one database each and drop it afterwards.

PostgreSQL refuses to run as root, and CI runs as root: then the folder is
handed to the ``postgres`` user and both programs run through
``runuser -u postgres --``. The folder must therefore be one that user can
reach, which rules out anything under ``/root``.

``stop()`` is registered with ``atexit`` so a crashed or interrupted test run
does not leave a server behind; it is safe to call more than once.

    server = PostgresServer(bindir)
    server.start()
    url = server.create_database("t1")  # postgresql+psycopg://postgres@127.0.0.1:PORT/t1
    ...
    server.drop_database("t1")
    server.stop()
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Final
from urllib.parse import quote

import psycopg
from psycopg import sql

__all__ = ["PostgresServer"]

SERVER_USER: Final = "postgres"
"""The OS user the server runs as when we are root (Debian's package makes it)."""

HOST: Final = "127.0.0.1"

_DEBIAN_BIN_GLOB: Final = "/usr/lib/postgresql/*/bin"
_LOG_TAIL_LINES: Final = 40
# A port picked as free can be taken by someone else before the server binds
# it (parallel pytest-xdist workers pick at the same moment): try a few.
_START_ATTEMPTS: Final = 3
_PG_CTL_TIMEOUT_S: Final = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _has_binaries(bindir: Path) -> bool:
    return all(os.access(bindir / name, os.X_OK) for name in ("initdb", "pg_ctl"))


def _major_version(bindir: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/<version>/bin; "9.6" must sort below "15".
    try:
        return tuple(int(part) for part in bindir.parent.name.split("."))
    except ValueError:
        return ()


def _others_can_enter(path: Path) -> bool:
    """Whether another user can reach ``path`` (every ancestor is o+x)."""
    for folder in (path, *path.parents):
        try:
            if not folder.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self._as_root = os.geteuid() == 0
        self._base: Path | None = None
        self._port: int | None = None
        self._running = False

    @classmethod
    def find_binaries(cls) -> Path | None:
        """The folder holding ``initdb`` and ``pg_ctl``, or ``None``.

        PATH wins, so a developer's own build is used; Debian keeps the
        binaries off PATH under ``/usr/lib/postgresql/<version>/bin``, of which
        the newest is taken.
        """
        initdb = shutil.which("initdb")
        if initdb is not None:
            # PATH may hold a lone symlink to initdb (no pg_ctl beside it);
            # the folder it points into is the real installation.
            for candidate in (Path(initdb).parent, Path(initdb).resolve().parent):
                if _has_binaries(candidate):
                    return candidate
        debian = [Path(p) for p in glob.glob(_DEBIAN_BIN_GLOB) if _has_binaries(Path(p))]
        if not debian:
            return None
        return max(debian, key=_major_version)

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("The PostgreSQL server has not been started.")
        return self._port

    @property
    def base_dir(self) -> Path:
        """The temporary folder: ``data/`` (the cluster), ``log``, the socket."""
        if self._base is None:
            raise RuntimeError("The PostgreSQL server has not been started.")
        return self._base

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "log"

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        """Make the cluster and start the server; RuntimeError with the log if it fails."""
        if self._running:
            return
        self._base = self._make_base_dir()
        # Registered before anything can fail so a half-made folder goes too.
        atexit.register(self.stop)
        try:
            self._initdb()
            self._start_server()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Kill the server at once and delete its folder; a no-op the second time."""
        atexit.unregister(self.stop)
        base, self._base = self._base, None
        self._port = None
        if base is None:
            return
        # A pid file without _running: pg_ctl gave up waiting (or we were
        # interrupted) while the server went on starting.
        if self._running or (base / "data" / "postmaster.pid").exists():
            self._running = False
            # "immediate" skips the shutdown checkpoint: nothing here is kept.
            # A server that already died makes pg_ctl fail, which is fine.
            pg_ctl = str(self.bindir / "pg_ctl")
            self._run(
                [pg_ctl, "-D", str(base / "data"), "-m", "immediate", "-w", "stop"],
                cwd=base,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)

    def url_for(self, name: str) -> str:
        """The SQLAlchemy URL of database ``name`` on this server."""
        return f"postgresql+psycopg://{SERVER_USER}@{HOST}:{self.port}/{quote(name, safe='')}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its SQLAlchemy URL."""
        self._admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        """Drop database ``name``, ending any sessions a test left open on it."""
        self._admin(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))

    def __enter__(self) -> PostgresServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- internals ---------------------------------------------------------

    def _make_base_dir(self) -> Path:
        parent: str | None = None
        if self._as_root and not _others_can_enter(Path(tempfile.gettempdir())):
            # TMPDIR may point under /root, which the postgres user cannot enter.
            parent = "/tmp"
        base = Path(tempfile.mkdtemp(prefix="ijmcase-pg-", dir=parent))
        if self._as_root:
            try:
                user = pwd.getpwnam(SERVER_USER)
            except KeyError:
                shutil.rmtree(base, ignore_errors=True)
                raise RuntimeError(
                    f"Running as root needs a {SERVER_USER!r} user to run PostgreSQL as "
                    "(Debian's postgresql package creates it)."
                ) from None
            os.chown(base, user.pw_uid, user.pw_gid)
        return base

    def _command(self, argv: list[str]) -> list[str]:
        if not self._as_root:
            return argv
        runuser = shutil.which("runuser") or "/usr/sbin/runuser"
        return [runuser, "-u", SERVER_USER, "--", *argv]

    def _run(
        self, argv: list[str], *, cwd: Path, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        # cwd matters: as the postgres user, a current folder under /root
        # cannot be entered and initdb complains.
        result = subprocess.run(
            self._command(argv),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{Path(argv[0]).name} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )
        return result

    def _initdb(self) -> None:
        base = self.base_dir
        # UTF8 with the C locale: the tests store non-ASCII names, and the
        # machine's locale (often plain C, giving SQL_ASCII) must not decide.
        self._run(
            [
                str(self.bindir / "initdb"),
                "--auth=trust",
                "--no-sync",
                f"--username={SERVER_USER}",
                "--encoding=UTF8",
                "--locale=C",
                f"--pgdata={base / 'data'}",
            ],
            cwd=base,
        )

    def _start_server(self) -> None:
        base = self.base_dir
        for attempt in range(1, _START_ATTEMPTS + 1):
            port = _free_port()
            log_offset = self._log_size()
            options = " ".join(
                [
                    f"-p {port}",
                    f"-k {shlex.quote(str(base))}",
                    f"-c listen_addresses={HOST}",
                    "-c fsync=off",
                    "-c full_page_writes=off",
                    "-c synchronous_commit=off",
                ]
            )
            argv = [str(self.bindir / "pg_ctl"), "-D", str(base / "data"), "-o", options]
            argv += ["-w", "-t", str(_PG_CTL_TIMEOUT_S), "-l", str(self.log_path), "start"]
            result = self._run(argv, cwd=base, check=False)
            if result.returncode == 0:
                self._port = port
                self._running = True
                return
            # Every attempt appends to the same log: judge this one by its own lines.
            port_taken = "could not bind" in self._log_text(since=log_offset)
            if not port_taken or attempt == _START_ATTEMPTS:
                raise RuntimeError(
                    f"PostgreSQL did not start (pg_ctl exit {result.returncode}):\n"
                    f"{result.stdout}{result.stderr}{self._log_tail()}"
                )

    def _log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def _log_text(self, since: int = 0) -> str:
        if self._base is None:
            return ""
        try:
            with self.log_path.open("rb") as log:
                log.seek(since)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def _log_tail(self) -> str:
        lines = self._log_text().splitlines()
        if not lines:
            return ""
        tail = "\n".join(lines[-_LOG_TAIL_LINES:])
        return f"--- last lines of {self.log_path} ---\n{tail}\n"

    def _admin(self, statement: sql.Composed) -> None:
        # CREATE/DROP DATABASE cannot run inside a transaction block.
        with psycopg.connect(
            host=HOST, port=self.port, user=SERVER_USER, dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(statement)
