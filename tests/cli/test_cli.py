"""The command-line contract, run in-process with the real (default-cost) key
derivation; one run goes through a real subprocess to see what a terminal sees."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ijmcase.cli import main
from ijmcase.persistence.engine import SQLITE_HEADER

ADMIN_PW = "correct-horse-battery"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "office.db"
    for var in (
        "IJMCASE_DB",
        "IJMCASE_USER",
        "IJMCASE_PASSWORD",
        "IJMCASE_NEW_PASSWORD",
        "IJMCASE_RECOVERY_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    return path


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    password: str | None = None,
    new_password: str | None = None,
    recovery: str | None = None,
) -> tuple[int, str, str]:
    for var, value in (
        ("IJMCASE_PASSWORD", password),
        ("IJMCASE_NEW_PASSWORD", new_password),
        ("IJMCASE_RECOVERY_KEY", recovery),
    ):
        if value is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, value)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _recovery_key(out: str) -> str:
    lines = [line.strip() for line in out.splitlines()]
    return lines[
        lines.index("RECOVERY KEY (shown once; it opens the database if every password is lost):")
        + 2
    ]


def test_init_users_verify_backup_restore(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    code, out, err = run(
        capsys, monkeypatch, "--db", str(db), "init", "--admin", "amina", password="short"
    )
    assert (code, err.strip()) == (1, "ijmcase: password: A password needs at least 10 characters.")
    assert not db.exists()

    code, out, _ = run(
        capsys,
        monkeypatch,
        "--db",
        str(db),
        "init",
        "--admin",
        "amina",
        "--name",
        "Amina Yusuf",
        password=ADMIN_PW,
    )
    assert code == 0
    recovery = _recovery_key(out)
    assert len(recovery.split("-")) == 13
    assert db.read_bytes()[:16] != SQLITE_HEADER

    code, _, err = run(
        capsys, monkeypatch, "--db", str(db), "init", "--admin", "x", password=ADMIN_PW
    )
    assert code == 1
    assert "already a database" in err

    as_admin = ("--db", str(db), "--user", "amina")
    code, out, _ = run(
        capsys,
        monkeypatch,
        *as_admin,
        "user",
        "add",
        "joseph",
        "--role",
        "lawyer",
        "--name",
        "Joseph Otieno",
        password=ADMIN_PW,
        new_password="lawyer-pass-123",
    )
    assert (code, out.strip()) == (0, "Added joseph (lawyer).")

    code, _, err = run(
        capsys,
        monkeypatch,
        "--db",
        str(db),
        "--user",
        "joseph",
        "user",
        "list",
        password="lawyer-pass-123",
    )
    # Logged in (the refusal is about the role, not the password).
    assert (code, err.strip()) == (1, "ijmcase: A lawyer cannot list user accounts.")
    code, out, _ = run(capsys, monkeypatch, *as_admin, "user", "list", password=ADMIN_PW)
    assert "joseph               lawyer      yes" in out

    code, _, err = run(
        capsys,
        monkeypatch,
        "--db",
        str(db),
        "--user",
        "joseph",
        "user",
        "add",
        "eve",
        "--role",
        "admin",
        "--name",
        "Eve",
        password="lawyer-pass-123",
        new_password="eve-password-1",
    )
    assert (code, err.strip()) == (1, "ijmcase: A lawyer cannot add users.")

    code, out, _ = run(capsys, monkeypatch, *as_admin, "db", "verify", password=ADMIN_PW)
    assert code == 0
    assert "storage: ok (encryption and structure)" in out
    assert "audit chain: ok" in out

    code, out, _ = run(capsys, monkeypatch, *as_admin, "db", "check", password=ADMIN_PW)
    assert code == 0
    assert "matches this version" in out

    backup = tmp_path / "b.ijmbackup"
    code, out, _ = run(
        capsys, monkeypatch, *as_admin, "db", "backup", str(backup), password=ADMIN_PW
    )
    assert code == 0
    assert backup.exists()

    code, out, _ = run(
        capsys, monkeypatch, *as_admin, "user", "disable", "joseph", password=ADMIN_PW
    )
    assert code == 0
    code, _, err = run(
        capsys,
        monkeypatch,
        "--db",
        str(db),
        "--user",
        "joseph",
        "user",
        "list",
        password="lawyer-pass-123",
    )
    assert (code, err.strip()) == (1, "ijmcase: Wrong username or password.")

    foreign = tmp_path / "notes.zip"
    foreign.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    code, _, err = run(
        capsys, monkeypatch, *as_admin, "db", "restore", str(foreign), password=ADMIN_PW
    )
    assert code == 1
    assert "is not an ijmcase backup" in err

    code, out, _ = run(
        capsys, monkeypatch, *as_admin, "db", "restore", str(backup), password=ADMIN_PW
    )
    assert code == 0
    assert "was kept as" in out
    # joseph was active when the backup was made: he logs in again (and is
    # refused the listing for his role, not for his password).
    code, _, err = run(
        capsys,
        monkeypatch,
        "--db",
        str(db),
        "--user",
        "joseph",
        "user",
        "list",
        password="lawyer-pass-123",
    )
    assert (code, err.strip()) == (1, "ijmcase: A lawyer cannot list user accounts.")

    code, out, _ = run(
        capsys,
        monkeypatch,
        "--db",
        str(db),
        "user",
        "passwd",
        "amina",
        "--recovery-key",
        recovery=recovery.lower(),
        new_password="after-recovery-pw",
    )
    assert code == 0
    code, _, _ = run(capsys, monkeypatch, *as_admin, "user", "list", password="after-recovery-pw")
    assert code == 0


def test_user_mistakes_get_one_clear_line(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run(
        capsys, monkeypatch, "--db", str(db), "--user", "a", "db", "verify", password="x"
    )
    assert code == 1
    assert err.count("\n") == 1
    assert "There is no database at" in err

    code, _, err = run(capsys, monkeypatch, "--db", str(db), "db", "verify", password="x")
    assert (code, err.strip()) == (
        1,
        "ijmcase: Say who you are with --user NAME (or IJMCASE_USER).",
    )

    with open(os.devnull) as no_terminal:
        monkeypatch.setattr(sys, "stdin", no_terminal)
        code, _, err = run(capsys, monkeypatch, "--db", str(db), "--user", "a", "db", "verify")
        assert code == 1
        assert "Set IJMCASE_PASSWORD" in err

    code, _, err = run(
        capsys, monkeypatch, "--db", "mysql://x/y", "--user", "a", "db", "verify", password="x"
    )
    assert code == 1
    assert "not 'mysql'" in err

    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--cases", "0"])
    assert exit_info.value.code == 2


def test_wrong_password_through_a_real_process(db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "IJMCASE_PASSWORD": ADMIN_PW, "IJMCASE_DB": str(db)}
    made = subprocess.run(
        [sys.executable, "-m", "ijmcase", "init", "--admin", "amina"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    env["IJMCASE_PASSWORD"] = "wrong-password"
    bad = subprocess.run(
        [sys.executable, "-m", "ijmcase", "--user", "amina", "db", "verify"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1
    assert bad.stderr == "ijmcase: Wrong username or password.\n"
    assert "Traceback" not in bad.stderr
    assert "hmac" not in bad.stderr


def test_demo_then_verify(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "--db", str(db), "demo", "--cases", "40", "--seed", "3")
    assert code == 0, out
    for role in ("admin", "director", "lawyer", "caseworker", "auditor"):
        assert f"  {role:<12} {role}" in out
    code, out, _ = run(
        capsys, monkeypatch, "--db", str(db), "--user", "auditor", "db", "verify", password="demo"
    )
    assert code == 0
    assert "audit chain: ok" in out
    code, _, err = run(capsys, monkeypatch, "--db", str(db), "demo", "--cases", "5")
    assert code == 1
    assert "already a database" in err
