"""The Calendar view with real widgets offscreen: a hearing this week is
listed under its day in the court's own time, the month grid marks its
date, Enter opens its case, and *Export calendar* writes an .ics that
``icalendar`` parses (with nothing to export, the service's message)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import icalendar
import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from ijmcase.services.auth import LoginResult, login
from ijmcase.ui.calendar_view import CalendarView
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.court_setup import CourtCase, court_case

WAIT = 10_000
TODAY = date.today()
# A day of the current week (Monday to Sunday) that is not yet over.
DAY = TODAY + timedelta(days=1) if TODAY.weekday() < 6 else TODAY


@dataclass
class Setup:
    window: MainWindow
    cc: CourtCase | None


def _window(org: Org, qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, Worker, LoginResult]:
    worker = Worker()
    session = login(org.location, "lawyer", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    win.show()
    return win, worker, session


@pytest.fixture
def with_hearing(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[Setup]:
    cc = court_case(file_org)
    proceeding = cc.charged(0, filed=TODAY - timedelta(days=60))
    cc.hearings().schedule(
        cc.case.id,
        cc.hearing_draft(DAY, at=time(23, 15), proceeding_id=proceeding, purpose="Arraignment"),
    )
    win, worker, session = _window(file_org, qtbot, tmp_path)
    yield Setup(win, cc)
    worker.wait()
    session.db.dispose()


@pytest.fixture
def empty(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[Setup]:
    win, worker, session = _window(file_org, qtbot, tmp_path)
    yield Setup(win, None)
    worker.wait()
    session.db.dispose()


def _calendar(window: MainWindow, qtbot: QtBot) -> CalendarView:
    view = window.show_view("Calendar")
    assert isinstance(view, CalendarView)
    qtbot.waitUntil(lambda: view.status.text() not in ("", "Loading…"), timeout=WAIT)
    return view


def _rows(view: CalendarView) -> list[QTreeWidgetItem]:
    items = (view.list.topLevelItem(i) for i in range(view.list.topLevelItemCount()))
    return [i for i in items if i is not None]


def test_a_hearing_this_week_is_listed_marked_and_opens_its_case(
    with_hearing: Setup, qtbot: QtBot
) -> None:
    assert with_hearing.cc is not None
    view = _calendar(with_hearing.window, qtbot)
    assert view.mode.currentData() == 7  # the week
    rows = _rows(view)
    hearing = next(
        i for i in rows if i.text(1) == with_hearing.cc.case.code and "Arraignment" in i.text(2)
    )
    above = rows[rows.index(hearing) - 1]
    # Under its day's heading, in the court's time and zone.
    assert str(DAY.year) in above.text(0) and str(DAY.day) in above.text(0)
    assert above.data(0, Qt.ItemDataRole.UserRole) is None
    assert hearing.text(0) == "23:15 (Asia/Manila)"
    assert "Regional Trial Court" in hearing.text(3)
    # The month grid marks the date.
    fmt = view.month.dateTextFormat(QDate(DAY.year, DAY.month, DAY.day))
    assert fmt.fontWeight() == 700
    # Enter on it opens the case.
    view.list.setFocus()
    view.list.setCurrentItem(hearing)
    qtbot.keyClick(view.list, Qt.Key.Key_Return)
    current = with_hearing.window.pages.currentWidget()
    assert isinstance(current, CaseWorkspace)
    assert current.case_id == with_hearing.cc.case.id


def test_export_calendar_writes_an_ics_icalendar_parses(
    with_hearing: Setup, qtbot: QtBot, tmp_path: Path
) -> None:
    view = _calendar(with_hearing.window, qtbot)
    path = tmp_path / "hearings.ics"
    view.export_to(path)
    qtbot.waitUntil(lambda: view.status.text().startswith("Written"), timeout=WAIT)
    parsed = icalendar.Calendar.from_ical(path.read_bytes())
    events = [c for c in parsed.walk("VEVENT")]
    assert any("Arraignment" in str(e.get("SUMMARY")) for e in events)
    # No survivor names in the file.
    assert b"Maricel" not in path.read_bytes()


def test_export_with_no_events_shows_the_services_message(
    empty: Setup, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: boxes.append(text))
    view = _calendar(empty.window, qtbot)
    path = tmp_path / "none.ics"
    view.export_to(path)
    qtbot.waitUntil(lambda: bool(boxes) or "no calendar file" in view.status.text(), timeout=WAIT)
    assert not path.exists()
    assert "no calendar file was written" in view.status.text()
