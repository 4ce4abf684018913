"""Fixtures and helpers for the report tests: metadata, poppler tools."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ijmcase.reports.meta import ReportMeta

GENERATED_AT = dt.datetime(2026, 3, 31, 14, 5, tzinfo=ZoneInfo("Asia/Manila"))


@pytest.fixture
def meta() -> ReportMeta:
    return ReportMeta(
        title="Portfolio report",
        generated_by="d.reyes",
        generated_at=GENERATED_AT,
        organization="IJM Philippines",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 3, 31),
        filters=(("Country", "PH"),),
    )


def poppler(tool: str, *args: str | Path) -> str:
    """Run a poppler-utils tool and return its stdout (skip if poppler is not installed)."""
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} not found: install poppler-utils (scripts/run-tests does)")
    result = subprocess.run(
        [exe, *(str(a) for a in args)], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout
