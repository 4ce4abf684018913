"""The portfolio PDF over a whole demo database: time, and memory while it builds.

Run by ``benchmarks/run.py`` in a fresh process as ``portfolio_pdf.py DB USER
REPEAT`` with the password in ``IJMCASE_PASSWORD``; prints one JSON object.
No Qt: the report is what the GUI's worker thread runs, called directly.

After the login, the process's peak-memory mark (VmHWM) is reset to what it
holds now (writing 5 to ``/proc/self/clear_refs``), so the peak measured is
that of building reports, not the 64 MiB the login's Argon2id takes for a
moment. Then one untimed warm-up build (fonts registered, the file cache
warm), then ``REPEAT`` timed builds of the portfolio for every case the user
may see (no period, no country: the largest report there is). Each build
writes its PDF to a temporary folder and appends its audit event, as a
director's would.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ijmcase.persistence.engine import locate
from ijmcase.services.auth import login
from ijmcase.services.metrics import MetricFilter
from ijmcase.services.reporting import ReportingService

__all__ = ["measure"]


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False if not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return True


def measure(database: str, user: str, password: str, repeat: int) -> dict[str, Any]:
    began = time.perf_counter()
    session = login(locate(database), user, password)
    login_seconds = time.perf_counter() - began
    try:
        service = ReportingService(session.db, session.actor)
        with tempfile.TemporaryDirectory() as tmp:
            rss_before = _status_mb("VmRSS")
            peak_reset = _reset_peak()
            runs: list[float] = []
            pages = 0
            for i in range(repeat + 1):
                out = Path(tmp) / f"portfolio-{i}.pdf"
                start = time.perf_counter()
                result = service.portfolio_pdf(out, MetricFilter()).value
                seconds = time.perf_counter() - start
                pages = result.pages
                if i:  # the first build is the warm-up
                    runs.append(seconds)
                else:
                    warm_up = seconds
                out.unlink()
            return {
                "seconds": statistics.median(runs),
                "seconds_runs": runs,
                "warm_up_seconds": warm_up,
                "pages": pages,
                "login_seconds": login_seconds,
                "rss_before_mb": rss_before,
                "peak_rss_mb": _status_mb("VmHWM"),
                "rss_after_mb": _status_mb("VmRSS"),
                "peak_reset_after_login": peak_reset,
            }
    finally:
        session.db.dispose()


def main() -> None:
    database, user, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        result = measure(database, user, os.environ.get("IJMCASE_PASSWORD", "demo"), repeat)
    except Exception as exc:  # reported to the runner, which fails with it
        result = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
