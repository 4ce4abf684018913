"""The intervention entry dialog and the case timeline with real widgets,
offscreen: ten entries in a row by keyboard only (the key presses counted),
errors next to empty mandatory fields, a note of 100,000 characters and any
script kept whole, a future date warned and then saved, a correction that
becomes a second version, and My day's *Log follow-up…*."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDateTime, QSettings, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QTreeWidget, QWidget
from pytestqt.qtbot import QtBot

from ijmcase.domain.drafts import MAX_NOTE
from ijmcase.domain.enums import InterventionType, Stage
from ijmcase.services.auth import login
from ijmcase.services.interventions import InterventionService
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.intervention_form import InterventionDialog, draft_store_of
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.timeline_tab import TimelineTab
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import FieldCase, draft, follow_ups, interventions, make_case

WAIT = 10_000
MIXED = "गृह भेंट ठीक रही · ការសួរសុខទុក្ខ · เยี่ยมบ้าน · زيارة منزلية 👩‍👧‍👦🙏"


class Keys:
    """Presses keys on the focused widget and counts them (a chord such as
    Ctrl+Shift+Enter is one press; each character typed is one)."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def _focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.qtbot.keyClick(self._focus(), key, modifier)
        self.count += 1

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self._focus(), text)
        self.count += len(text)


def text_at(tree: QTreeWidget, row: int, column: int = 2) -> str:
    item = tree.topLevelItem(row)
    return item.text(column) if item is not None else ""


def closed(dialog: QWidget) -> bool:
    """Hidden, or already deleted (the dialog deletes itself on close)."""
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


@pytest.fixture
def field_case(file_org: Org) -> FieldCase:
    return make_case(file_org)


@pytest.fixture
def window(
    file_org: Org, field_case: FieldCase, qtbot: QtBot, tmp_path: Path
) -> Iterator[MainWindow]:
    worker = Worker()
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    win.show()
    yield win
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, InterventionDialog):
            dialog._store = None  # closing at teardown must not ask about drafts
            dialog.done(0)
    worker.wait()
    session.db.dispose()


def timeline_of(window: MainWindow, field_case: FieldCase, qtbot: QtBot) -> TimelineTab:
    workspace = window.open_case(field_case.id)
    assert isinstance(workspace, CaseWorkspace)
    qtbot.waitUntil(lambda: workspace.detail is not None, timeout=WAIT)
    workspace.tabs.setCurrentWidget(workspace.section_tabs["Interventions"])
    tab = workspace.section_tabs["Interventions"]
    assert isinstance(tab, TimelineTab)
    return tab


def open_dialog(tab: TimelineTab, qtbot: QtBot) -> InterventionDialog:
    tab.entry_dialog = None
    # Shortcuts reach only the active window (offscreen, closing a dialog
    # does not hand activation back by itself).
    tab.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is tab.window())
    tab.tree.setFocus()
    qtbot.keyClick(tab.tree, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tab.entry_dialog is not None, timeout=WAIT)
    dialog = tab.entry_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.type.setFocus()
    return dialog


def test_ten_interventions_in_a_row_by_keyboard_only(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    tab = timeline_of(window, field_case, qtbot)
    dialog = open_dialog(tab, qtbot)
    keys = Keys(qtbot)
    alt = Qt.KeyboardModifier.AltModifier
    save_next = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    # The first entry chooses everything: type, stage, the survivor, a location.
    keys.type("H")  # Type: Home visit (the combo's keyboard search)
    keys.press(Qt.Key.Key_G, alt)
    keys.type("Af")  # Stage: Aftercare
    keys.press(Qt.Key.Key_P, alt)
    keys.press(Qt.Key.Key_Space)  # tick the survivor
    keys.press(Qt.Key.Key_L, alt)
    keys.type("Howrah")
    keys.press(Qt.Key.Key_O, alt)
    first_entry_setup = keys.count
    for i in range(10):
        keys.type(f"Visit {i}")
        last = i == 9
        keys.press(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier if last else save_next)
        qtbot.waitUntil(lambda n=i: dialog.saved_count == n + 1, timeout=WAIT)  # type: ignore[misc]
        if not last:
            # The next entry starts from this one, with the cursor on the outcome.
            assert QApplication.focusWidget() is dialog.outcome
            assert dialog.type.currentData() == InterventionType.HOME_VISIT
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)

    saved = interventions(file_org).for_case(field_case.id)
    assert [v.outcome for v in saved] == [f"Visit {i}" for i in range(10)] or sorted(
        v.outcome for v in saved
    ) == [f"Visit {i}" for i in range(10)]
    assert all(v.type is InterventionType.HOME_VISIT for v in saved)
    assert all(v.stage is Stage.AFTERCARE for v in saved)
    assert all(v.location == "Howrah" for v in saved)
    assert all([p.id for p in v.people] == [field_case.survivor_id] for v in saved)
    # The number for the note (see the report): setup once, then the outcome
    # text and one chord per entry.
    per_entry_overhead = 10  # ten chords
    outcome_text = sum(len(f"Visit {i}") for i in range(10))
    assert keys.count == first_entry_setup + outcome_text + per_entry_overhead
    print(
        f"\nten interventions: {keys.count} key presses "
        f"({first_entry_setup} to set up the first, {outcome_text} typing the outcomes, "
        f"{per_entry_overhead} Ctrl+Shift+Enter/Ctrl+Enter)"
    )
    # The timeline follows.
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() >= 10, timeout=WAIT)
    # Nothing left in the draft store once everything is saved.
    store = draft_store_of(window.context)
    assert store is not None
    assert store.list() == []


def test_empty_mandatory_fields_are_shown_next_to_them(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    tab = timeline_of(window, field_case, qtbot)
    dialog = open_dialog(tab, qtbot)
    qtbot.keyClick(dialog.type, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.form.error_for("type") == "Choose the type of intervention."
    assert dialog.form.error_for("stage") == "Choose the stage it belongs to."
    assert "Write what happened" in dialog.form.error_for("outcome")
    assert dialog.isVisible()
    assert QApplication.focusWidget() is dialog.type  # the cursor goes to the first wrong one
    assert interventions(file_org).for_case(field_case.id) == []


def test_a_long_note_in_any_script_is_kept_whole(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    tab = timeline_of(window, field_case, qtbot)
    dialog = open_dialog(tab, qtbot)
    base = draft(field_case, notes="")
    dialog.set_value(base)
    dialog.notes.setFocus()
    # Typed as an input method delivers it (QTest can only type Latin-1 keys).
    for word in MIXED.split(" "):
        commit = QInputMethodEvent()
        commit.setCommitString(word + " ")
        QApplication.sendEvent(dialog.notes, commit)
    assert dialog.notes.toPlainText() == MIXED + " "
    dialog.notes.setPlainText(MIXED)
    long_note = (MIXED + "\n" + "x" * MAX_NOTE)[:MAX_NOTE]
    assert dialog.notes.toPlainText() == MIXED
    dialog.notes.setPlainText(long_note)
    assert "100,000" in dialog.note_count.text() or "100000" in dialog.note_count.text()
    # The draft keeps it exactly, too.
    assert dialog.save_draft()
    store = draft_store_of(window.context)
    assert store is not None
    payload = store.load(dialog.form_key)
    assert payload is not None and payload["notes"] == long_note
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    [saved] = interventions(file_org).for_case(field_case.id)
    assert saved.notes == long_note
    assert store.load(dialog.form_key) is None  # saved: the draft is gone


def test_one_character_too_many_is_refused_next_to_the_note(
    window: MainWindow, field_case: FieldCase, qtbot: QtBot
) -> None:
    tab = timeline_of(window, field_case, qtbot)
    dialog = open_dialog(tab, qtbot)
    dialog.set_value(draft(field_case, notes="n" * (MAX_NOTE + 1)))
    dialog.submit()
    assert "the limit is 100,000" in dialog.form.error_for("notes")
    assert dialog.isVisible()


def test_a_future_date_is_warned_then_saved_on_confirmation(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    tab = timeline_of(window, field_case, qtbot)
    dialog = open_dialog(tab, qtbot)
    dialog.set_value(draft(field_case))
    dialog.occurred_at.setDateTime(QDateTime.currentDateTime().addDays(3))
    qtbot.keyClick(dialog.type, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "in the future" in dialog.warning_for("occurred_at"), timeout=WAIT)
    assert dialog.isVisible()
    assert interventions(file_org).for_case(field_case.id) == []
    # Saving again is the confirmation.
    qtbot.keyClick(dialog.type, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    assert dialog.last_saved is not None
    assert [w.code for w in dialog.last_saved.warnings] == ["future_date"]


def test_correct_creates_a_version_and_the_timeline_shows_both(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    first = interventions(file_org).log(field_case.id, draft(field_case)).value.intervention
    tab = timeline_of(window, field_case, qtbot)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 1, timeout=WAIT)
    tab.tree.setCurrentItem(tab.tree.topLevelItem(0))  # type: ignore[arg-type]
    assert tab.correct_button.isEnabled()
    tab.entry_dialog = None
    qtbot.mouseClick(tab.correct_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.entry_dialog is not None, timeout=WAIT)
    dialog = tab.entry_dialog
    assert dialog is not None
    assert dialog.windowTitle().startswith("Correct intervention")
    assert dialog.outcome.text() == first.outcome
    assert dialog.save_new_button.isHidden()
    dialog.outcome.setText("Family supportive; fees paid by the shelter")
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    versions = interventions(file_org).versions(first.id)
    assert [v.outcome for v in versions] == [
        first.outcome,
        "Family supportive; fees paid by the shelter",
    ]
    qtbot.waitUntil(lambda: "version 2 of 2" in text_at(tab.tree, 0), timeout=WAIT)
    tab.versions.setChecked(True)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 2, timeout=WAIT)
    texts = [text_at(tab.tree, i) for i in range(2)]
    assert any("version 1 of 2" in t for t in texts)


def test_filters_by_stage_and_type(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    service: InterventionService = interventions(file_org)
    service.log(field_case.id, draft(field_case))
    service.log(
        field_case.id,
        draft(
            field_case,
            type=InterventionType.COURT_PREPARATION,
            stage=Stage.ACCOUNTABILITY,
            occurred_at=draft(field_case).occurred_at + timedelta(days=1),  # type: ignore[operator]
        ),
    )
    tab = timeline_of(window, field_case, qtbot)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 2, timeout=WAIT)
    tab.stage.setCurrentIndex(tab.stage.findData(Stage.ACCOUNTABILITY))
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 1, timeout=WAIT)
    assert text_at(tab.tree, 0).startswith(InterventionType.COURT_PREPARATION.label)
    tab.stage.setCurrentIndex(0)
    tab.type.setCurrentIndex(tab.type.findData(InterventionType.HOME_VISIT))
    qtbot.waitUntil(
        lambda: tab.tree.topLevelItemCount() == 1 and text_at(tab.tree, 0).startswith("Home visit"),
        timeout=WAIT,
    )


def test_global_shortcut_logs_in_the_case_on_screen(
    window: MainWindow, field_case: FieldCase, qtbot: QtBot
) -> None:
    timeline_of(window, field_case, qtbot)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    focus = QApplication.focusWidget()
    qtbot.keyClick(
        focus or window,
        Qt.Key.Key_I,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )

    def opened() -> InterventionDialog | None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, InterventionDialog) and w.isVisible():
                return w
        return None

    qtbot.waitUntil(lambda: opened() is not None, timeout=WAIT)
    dialog = opened()
    assert dialog is not None and dialog.case_id == field_case.id


def test_my_day_logs_a_follow_up_from_its_draft(
    window: MainWindow, field_case: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    from datetime import date

    from ijmcase.ui.my_day import MyDayView

    interventions(file_org).log(
        field_case.id, draft(field_case, follow_up_on=date.today() - timedelta(days=1))
    )
    view = window.show_view("My day")
    assert isinstance(view, MyDayView)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0, timeout=WAIT)
    overdue = view.tree.topLevelItem(0)
    assert overdue is not None
    assert overdue.childCount() == 1
    view.tree.setCurrentItem(overdue.child(0))  # type: ignore[arg-type]
    assert view.log_button.isEnabled()
    qtbot.mouseClick(view.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(view, "entry_dialog", None) is not None, timeout=WAIT)
    dialog = view.entry_dialog
    assert dialog is not None
    assert dialog.type.currentData() == InterventionType.PHONE_FOLLOW_UP
    dialog.outcome.setText("Called; all well at home")
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    assert follow_ups(file_org).my_day().overdue == ()

    def first_group_empty() -> bool:
        group = view.tree.topLevelItem(0)
        child = group.child(0) if group is not None else None
        return child is not None and group.childCount() == 1 and child.text(2) == "Nothing"  # type: ignore[union-attr]

    qtbot.waitUntil(first_group_empty, timeout=WAIT)
