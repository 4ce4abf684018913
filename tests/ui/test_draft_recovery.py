"""Never lose a note: kill the app while a note is being typed and find the
draft offered back on the next start.

The first "run" is a real process (``draft_crash_script``) that opens the
entry dialog offscreen, types, waits for the draft store to have the text
and then kills itself with SIGKILL, as a crash or a power cut would: no
clean-up runs. The next start is this test: the main window offers the
draft back by itself, and the case's entry dialog offers it too; what
lies on disk meanwhile is sealed, not the note in plain text.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.auth import login
from ijmcase.ui.intervention_form import InterventionDialog, draft_store_of
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import FieldCase, interventions, make_case
from tests.ui.draft_crash_script import COMMITTED, NOTE
from tests.ui.test_interventions_ui import closed, open_dialog, timeline_of

WAIT = 10_000
ROOT = Path(__file__).resolve().parents[2]


def crash_while_typing(location: DatabaseLocation, fc: FieldCase, tmp_path: Path) -> None:
    assert location.path is not None
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.ui.draft_crash_script",
            str(location.path),
            str(fc.id),
            str(tmp_path / "crashed.ini"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    assert "draft kept; killing" in done.stdout


@pytest.fixture
def crashed(file_org: Org, tmp_path: Path) -> FieldCase:
    fc = make_case(file_org)
    crash_while_typing(file_org.location, fc, tmp_path)
    return fc


@pytest.fixture
def restarted(
    file_org: Org, crashed: FieldCase, qtbot: QtBot, tmp_path: Path
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
            dialog._store = None
            dialog.done(0)
    worker.wait()
    session.db.dispose()


def entry_dialogs() -> list[InterventionDialog]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, InterventionDialog) and w.isVisible()
    ]


def test_the_draft_on_disk_is_sealed(file_org: Org, crashed: FieldCase) -> None:
    assert file_org.location.path is not None
    folder = file_org.location.path.with_name(file_org.location.path.name + ".drafts")
    files = list(folder.glob("*.draft"))
    assert len(files) == 1
    raw = files[0].read_bytes()
    assert b"shelter gate" not in raw
    assert COMMITTED.encode() not in raw


def test_next_start_offers_the_killed_note_back(
    restarted: MainWindow, crashed: FieldCase, file_org: Org, qtbot: QtBot
) -> None:
    # Start-up opens the entry dialog of that case with the note restored.
    qtbot.waitUntil(lambda: len(entry_dialogs()) == 1, timeout=WAIT)
    [dialog] = entry_dialogs()
    assert dialog.case_id == crashed.id
    assert dialog.notes.toPlainText() == NOTE
    # Finish it and save: the note reaches the database, the draft goes.
    dialog.type.setCurrentIndex(1)
    dialog.stage.setCurrentIndex(1)
    qtbot.keyClick(dialog.notes, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: closed(dialog), timeout=WAIT)
    [saved] = interventions(file_org).for_case(crashed.id)
    assert saved.notes == NOTE
    store = draft_store_of(restarted.context)
    assert store is not None and store.list() == []


def test_the_case_entry_dialog_offers_it_too(
    restarted: MainWindow, crashed: FieldCase, qtbot: QtBot
) -> None:
    qtbot.waitUntil(lambda: len(entry_dialogs()) == 1, timeout=WAIT)
    # Put the start-up offer away without answering ("keep it for later").
    first = entry_dialogs()[0]
    first.save_draft()
    first._store = None
    first.done(0)
    tab = timeline_of(restarted, crashed, qtbot)
    dialog = open_dialog(tab, qtbot)
    assert dialog.restore_bar.isVisibleTo(dialog)
    assert "Met the family" in dialog.restore_label.text()
    assert dialog.notes.toPlainText() == ""
    qtbot.keyClick(dialog.type, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    # A mnemonic "animates" the click: it lands a moment later.
    qtbot.waitUntil(lambda: dialog.notes.toPlainText() == NOTE, timeout=WAIT)
    assert not dialog.restore_bar.isVisibleTo(dialog)
