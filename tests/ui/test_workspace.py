"""The case workspace and the dialogs around it, with real widgets offscreen:
open a case from the list, create one (errors shown next to the field),
move stage tracks (an allowed move, a move that needs a reason, a refused
move explained), edit with a stale version, and see the list follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import Stage, TrackStatus, ViolenceType
from ijmcase.services.auth import login
from ijmcase.ui.case_dialog import CaseDialog
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.track_strip import TransitionDialog
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org

WAIT = 10_000


@pytest.fixture
def window(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    cases = file_org.cases("caseworker")
    for i in range(3):
        cases.create(
            CaseDraft(
                f"Brick kiln bonded labour {i}",
                ViolenceType.FORCED_LABOUR,
                "IN",
                date.today() - timedelta(days=30 + i),
            )
        )
    worker = Worker()
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    # Closing at teardown must not stop on the "cases are open" question.
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.model.rowCount() == 3 and win.model.row_at(0) is not None)
    yield win
    worker.wait()
    session.db.dispose()


def _open_first(window: MainWindow, qtbot: QtBot) -> CaseWorkspace:
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    workspace = window.pages.currentWidget()
    assert isinstance(workspace, CaseWorkspace)
    qtbot.waitUntil(lambda: workspace.detail is not None, timeout=WAIT)
    return workspace


def _history(workspace: CaseWorkspace) -> list[str]:
    items = (
        workspace.history.topLevelItem(i) for i in range(workspace.history.topLevelItemCount())
    )
    return [item.text(2) for item in items if item is not None]


def test_enter_opens_the_case_with_its_tracks_and_history(window: MainWindow, qtbot: QtBot) -> None:
    row = window.model.row_at(0)
    assert row is not None
    workspace = _open_first(window, qtbot)
    assert workspace.code.text() == row.code
    assert window.pages.tabText(window.pages.currentIndex()) == row.code
    assert set(workspace.tracks.cards) == set(Stage)
    assert workspace.tracks.cards[Stage.RESCUE].status.text() == TrackStatus.NOT_STARTED.label
    # The history is the case's audit trail, newest first.
    summaries = _history(workspace)
    assert any(s.startswith("Case opened") for s in summaries)
    # Opening it again goes to the same tab.
    again = window.open_case(row.id)
    assert again is workspace
    assert window.pages.count() == 2


def test_allowed_move_updates_workspace_and_list(window: MainWindow, qtbot: QtBot) -> None:
    workspace = _open_first(window, qtbot)
    card = workspace.tracks.cards[Stage.RESCUE]
    labels = [a.text() for a in card.menu.actions() if a.isEnabled()]
    assert "Start" in labels
    start = next(a for a in card.menu.actions() if a.text() == "Start")
    start.trigger()  # starting needs no dialog
    qtbot.waitUntil(lambda: card.status.text() == TrackStatus.ACTIVE.label, timeout=WAIT)
    # The list redraws that row in place, without a reload of everything.
    qtbot.waitUntil(
        lambda: (
            (r := window.model.row_at(0)) is not None
            and r.status_of(Stage.RESCUE) is TrackStatus.ACTIVE
        ),
        timeout=WAIT,
    )
    history = _history(workspace)
    assert any("not started → active" in h for h in history)


def test_refused_move_is_disabled_and_explained(window: MainWindow, qtbot: QtBot) -> None:
    workspace = _open_first(window, qtbot)
    card = workspace.tracks.cards[Stage.AFTERCARE]
    completed = [a for a in card.menu.actions() if a.text() == TrackStatus.COMPLETED.label]
    assert len(completed) == 1
    assert not completed[0].isEnabled()
    assert "only a track that is active can" in completed[0].toolTip()
    assert TrackStatus.COMPLETED in card.refusals


def test_move_that_needs_a_reason_asks_for_it(window: MainWindow, qtbot: QtBot) -> None:
    workspace = _open_first(window, qtbot)
    card = workspace.tracks.cards[Stage.PREVENTION]
    action = next(a for a in card.menu.actions() if a.text() == "Mark not applicable…")
    action.trigger()
    dialog = workspace.transition_dialog
    assert isinstance(dialog, TransitionDialog)
    assert dialog.needs_reason
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.form.error_for("reason") == "Give a reason."
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.note, "No systemic issue in this district")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: card.status.text() == TrackStatus.NOT_APPLICABLE.label, timeout=WAIT)


def test_new_case_dialog_shows_errors_next_to_fields_then_saves(
    window: MainWindow, qtbot: QtBot
) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "case_dialog", None), CaseDialog))
    dialog = window.case_dialog
    qtbot.waitUntil(dialog.isVisible)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert "title" in dialog.form.error_for("title").lower()
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.title, "Sugar cane bonded labour, Mandya")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not dialog.isVisible() or dialog.form.message.isVisibleTo(dialog), timeout=WAIT
    )
    assert not dialog.isVisible(), dialog.form.message.text()
    assert dialog.saved is not None
    # The new case opens in its own tab and joins the list.
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=WAIT)
    current = window.pages.currentWidget()
    assert isinstance(current, CaseWorkspace)
    assert current.case_id == dialog.saved.id


def test_edit_with_a_stale_version_is_refused_in_the_dialog(
    window: MainWindow, qtbot: QtBot, file_org: Org
) -> None:
    workspace = _open_first(window, qtbot)
    detail = workspace.detail
    assert detail is not None
    qtbot.keyClick(workspace, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(window, "case_dialog", None), CaseDialog))
    dialog = window.case_dialog
    qtbot.waitUntil(dialog.isVisible)
    # Someone else changes the case meanwhile.
    file_org.cases("director").update(
        detail.id,
        detail.draft().__class__(**{**detail.draft().__dict__, "summary": "x"}),
        expected_version=detail.version,
    )
    dialog.title.setText(detail.title + " (edited)")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: "changed by someone else" in dialog.form.message.text(), timeout=WAIT)
    assert dialog.isVisible()
