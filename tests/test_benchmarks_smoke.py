"""The benchmark runner (benchmarks/run.py) end to end on a tiny database.

It must run and end with the JSON line the performance budgets are read
from. Only the shape of the figures is checked, never a time: absolute
times on shared machines are noise, and the ratios are the benchmark's own
business (DESIGN.md, "Performance budgets").
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ijmcase.domain.drafts import UserDraft
from ijmcase.domain.enums import Role
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.auth import initialize
from ijmcase.services.demo import populate_demo
from tests.conftest import FAST_KDF

ROOT = Path(__file__).resolve().parent.parent
CASES = 300
PASSWORD = "demo"


def _tiny_demo(workdir: Path) -> None:
    """What the runner would build with ``ijmcase demo``, made with a cheap
    key derivation, under the name the runner looks for."""
    result = initialize(
        DatabaseLocation("sqlcipher", path=workdir / f"demo-{CASES}.db"),
        UserDraft("admin", "Demo Admin", Role.ADMIN, PASSWORD),
        organization="Benchmark smoke test",
        demo=True,
        kdf=FAST_KDF,
    )
    try:
        populate_demo(
            result.db, cases=CASES, seed=1, password=PASSWORD, admin_id=result.actor.user_id
        )
    finally:
        result.db.dispose()


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@pytest.mark.slow
def test_runner_ends_with_the_budget_figures(tmp_path: Path) -> None:
    _tiny_demo(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "IJMCASE_PASSWORD"}
    options = ["--cases", str(CASES), "--repeat", "1", "--workdir", str(tmp_path)]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *options, "--password", PASSWORD],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"reusing {tmp_path / f'demo-{CASES}.db'}" in done.stderr  # nothing was built
    lines = done.stdout.strip().splitlines()
    figures = json.loads(lines[-1])

    assert _positive(figures["startup_ratio"])
    assert _positive(figures["list_page_ratio"])
    assert _positive(figures["login_kdf_seconds"])
    assert set(figures["rss_mb"]) == {str(CASES)}
    assert _positive(figures["rss_mb"][str(CASES)])
    size = figures["sizes"][str(CASES)]
    assert _positive(size["startup"]["floor_seconds"])
    assert size["startup"]["rows"] > 0  # the list was filled before the clock stopped
    pages = size["list_pages"]
    assert set(pages) == {"first_page", "filtered_page", "last_row"}
    for page in pages.values():
        assert _positive(page["ratio"])
        assert page["same_rows"], page["raw_sql"]
    assert figures["list_page_ratio"] == max(p["ratio"] for p in pages.values())
    # The portfolio PDF over the whole database, and the memory it took.
    assert _positive(figures["portfolio_pdf_seconds"][str(CASES)])
    assert _positive(figures["portfolio_peak_rss_mb"][str(CASES)])
    assert size["portfolio"]["pages"] >= 1
    assert size["portfolio"]["peak_reset_after_login"] is True
    # The table for people comes before the JSON.
    assert lines[0].startswith("metric")
    assert any(line.startswith("start-up") for line in lines[:-1])
