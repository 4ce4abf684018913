"""My day with real widgets: a follow-up due today and one overdue appear
under their headings, Enter opens the case, and rescheduling one moves it
off today's list (the view hears changes_applied and reloads)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox, QTreeWidgetItem
from pytestqt.qtbot import QtBot

from ijmcase.services.auth import login
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.my_day import MyDayView, RescheduleDialog
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import FieldCase, at, draft, interventions, make_case

WAIT = 10_000


@pytest.fixture
def setup(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, FieldCase]]:
    fc = make_case(file_org)
    log = interventions(file_org)
    today = date.today()
    log.log(
        fc.id,
        draft(fc, occurred_at=at(today - timedelta(days=3)), follow_up_on=today),
    )
    log.log(
        fc.id,
        draft(
            fc,
            occurred_at=at(today - timedelta(days=20)),
            outcome="School visit planned",
            follow_up_on=today - timedelta(days=5),
        ),
    )
    worker = Worker()
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    win.show()
    yield win, fc
    worker.wait()
    session.db.dispose()


def _groups(view: MyDayView) -> dict[str, list[QTreeWidgetItem]]:
    out: dict[str, list[QTreeWidgetItem]] = {}
    for i in range(view.tree.topLevelItemCount()):
        group = view.tree.topLevelItem(i)
        assert group is not None
        children = [group.child(j) for j in range(group.childCount())]
        out[group.text(0).split(" (")[0]] = [c for c in children if c is not None and c.text(1)]
    return out


def test_my_day_lists_due_and_overdue_and_reschedules(
    setup: tuple[MainWindow, FieldCase], qtbot: QtBot
) -> None:
    window, fc = setup
    assert isinstance(fc, FieldCase)
    view = window.show_view("My day")
    assert isinstance(view, MyDayView)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0 and not view._loading, timeout=WAIT)
    groups = _groups(view)
    assert [i.text(1) for i in groups["Overdue follow-ups"]] == [fc.code]
    assert "5 day" in groups["Overdue follow-ups"][0].text(0)
    assert [i.text(1) for i in groups["Follow-ups due today"]] == [fc.code]
    # Survivors appear by code only.
    assert fc.survivor_code in groups["Follow-ups due today"][0].text(2)

    item = groups["Follow-ups due today"][0]
    view.tree.setCurrentItem(item)
    assert view.reschedule_button.isEnabled()
    view.reschedule_button.click()
    dialog = view.reschedule_dialog
    assert isinstance(dialog, RescheduleDialog)
    qtbot.waitUntil(dialog.isVisible)
    dialog.on.setDate(dialog.on.date().addDays(3))
    dialog.note.setText("Family away at a wedding")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(
        lambda: not view._loading and not _groups(view)["Follow-ups due today"], timeout=WAIT
    )
    assert [i.text(1) for i in _groups(view)["Follow-ups in the next 7 days"]] == [fc.code]

    # Enter on an item opens its case.
    overdue = _groups(view)["Overdue follow-ups"][0]
    view.tree.setCurrentItem(overdue)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    current = window.pages.currentWidget()
    assert isinstance(current, CaseWorkspace)
    assert current.case_id == fc.id
