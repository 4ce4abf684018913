"""The Reports view builds the same files as the command line, on the worker:
a program report that pdftotext reads back, and a refusal shown in words."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from ijmcase.services.auth import login
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.reports_view import ReportsView
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import make_case

WAIT = 60_000


def _window(org: Org, who: str, qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, Worker]:
    worker = Worker()
    session = login(org.location, who, STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / f"{who}.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    win.show()
    return win, worker


@pytest.fixture
def director(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[ReportsView]:
    make_case(file_org)
    win, worker = _window(file_org, "director", qtbot, tmp_path)
    view = win.show_view("Reports")
    assert isinstance(view, ReportsView)
    yield view
    worker.wait()
    win._session.db.dispose()


def test_program_report_is_written_and_reads_back(
    director: ReportsView, qtbot: QtBot, tmp_path: Path
) -> None:
    out = tmp_path / "program.pdf"
    director.portfolio_to(out)
    qtbot.waitUntil(lambda: director._job is None and out.exists(), timeout=WAIT)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "CONFIDENTIAL" in text
    # The survivor's legal name from make_case never reaches a program report.
    assert "Priya Sharma" not in text


def test_case_report_by_code_and_a_refused_export(
    file_org: Org, qtbot: QtBot, tmp_path: Path
) -> None:
    fc = make_case(file_org)
    win, worker = _window(file_org, "caseworker", qtbot, tmp_path)
    view = win.show_view("Reports")
    assert isinstance(view, ReportsView)
    out = tmp_path / "case.pdf"
    view.case_report_to(fc.code, out)
    qtbot.waitUntil(lambda: view._job is None and out.exists(), timeout=WAIT)
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert fc.code in text
    assert fc.survivor_code in text
    assert "Priya Sharma" not in text
    # A caseworker may not export the program's cases: the reason is shown, no file.
    refused = tmp_path / "cases.xlsx"
    view.export_to("cases", "xlsx", refused)
    qtbot.waitUntil(lambda: view._job is None and "cannot" in view.status.text(), timeout=WAIT)
    assert not refused.exists()
    worker.wait()
    win._session.db.dispose()
