"""The idle lock: the window hides every case until the password is given
again; wrong passwords are refused (and throttled like a login); what was
open comes back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ijmcase.services.auth import login
from ijmcase.ui.idle_lock import IdleWatcher
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org


@pytest.fixture
def window(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    worker = Worker()
    session = login(file_org.location, "lawyer", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    worker.wait()
    session.db.dispose()


def _submit(window: MainWindow, password: str) -> None:
    dialog = window.lock_dialog
    assert dialog is not None
    dialog.password.setText(password)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_lock_hides_cases_until_the_right_password(window: MainWindow, qtbot: QtBot) -> None:
    central = window.centralWidget()
    assert central is not None
    window.lock()
    dialog = window.lock_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert not central.isVisible()
    dialog.reject()  # Escape does not unlock
    assert dialog.isVisible()

    _submit(window, "not-my-password")
    qtbot.waitUntil(lambda: "Wrong" in dialog.message.text(), timeout=10_000)
    assert not central.isVisible()

    _submit(window, STAFF_PASSWORD)
    qtbot.waitUntil(lambda: window.lock_dialog is None, timeout=10_000)
    assert central.isVisible()


def test_repeated_wrong_passwords_are_throttled(window: MainWindow, qtbot: QtBot) -> None:
    window.lock()
    dialog = window.lock_dialog
    assert dialog is not None
    for _ in range(3):
        _submit(window, "guess")
        qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
    _submit(window, STAFF_PASSWORD)
    qtbot.waitUntil(lambda: dialog.buttons.isEnabled(), timeout=10_000)
    assert "wait" in dialog.message.text().lower() or "try again" in dialog.message.text().lower()
    assert window.lock_dialog is not None


def test_idle_watcher_fires_after_quiet_and_can_be_switched_off(qtbot: QtBot) -> None:
    watcher = IdleWatcher(1)
    watcher._timer.start(30)  # a minute is too long for a test
    with qtbot.waitSignal(watcher.idle, timeout=5_000):
        pass
    watcher.set_minutes(0)
    assert not watcher._timer.isActive()
