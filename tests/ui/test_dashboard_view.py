"""The dashboard shows the program's figures as tiles and bars, and a click on
a figure lists the cases behind it (which open on Enter)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.dashboard_view import BarChart, DashboardView
from tests.conftest import Org
from tests.services.field_setup import make_case
from tests.ui.test_reports_view import _window


def test_figures_drill_down_to_cases(file_org: Org, qtbot: QtBot, tmp_path: Path) -> None:
    first = make_case(file_org)
    make_case(file_org, title="Forced labour, brick kiln")
    win, worker = _window(file_org, "director", qtbot, tmp_path)
    view = win.show_view("Dashboard")
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.dashboard is not None and bool(view.tiles), timeout=20_000)
    assert view.dashboard is not None
    assert view.dashboard.cases.active.value == 2
    opened = view.tiles[view.dashboard.cases.active.key]
    assert opened.text().startswith("<5")  # two cases: a small cell, not shown exactly
    assert view.findChildren(BarChart)
    opened.click()
    qtbot.waitUntil(lambda: view.drill.count() == 2, timeout=20_000)
    items = [it for it in (view.drill.item(i) for i in range(view.drill.count())) if it]
    assert first.code in sorted(it.text().split()[0] for it in items)
    item = next(it for it in items if it.text().startswith(first.code))
    view.drill.itemActivated.emit(item)
    current = win.pages.currentWidget()
    assert isinstance(current, CaseWorkspace)
    assert current.case_id == first.id
    worker.wait()
    win._session.db.dispose()
