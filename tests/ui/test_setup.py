"""First start with no database: the set-up dialog makes the organization's
encrypted database (showing the recovery key once) or a demo database, and
a cancelled demo leaves nothing behind."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ijmcase.domain.enums import Role
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.persistence.keystore import RecoveryKey, keystore_path
from ijmcase.services.auth import initialize, login
from ijmcase.services.demo import create_demo_database
from ijmcase.ui.operations import Progress
from ijmcase.ui.setup_dialog import DEMO_PASSWORD, SetupDialog
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF

WAIT = 30_000


def _dialog(qtbot: QtBot, location: DatabaseLocation, worker: Worker, **kw: object) -> SetupDialog:
    dialog = SetupDialog(
        location,
        worker,
        init=partial(initialize, kdf=FAST_KDF),
        make_demo=partial(create_demo_database, kdf=FAST_KDF),
        **kw,  # type: ignore[arg-type]
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_creates_the_database_and_shows_the_recovery_key_once(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "org.db"
    location = DatabaseLocation("sqlcipher", path=path)
    worker = Worker()
    dialog = _dialog(qtbot, location, worker)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentIndex() == 1

    qtbot.keyClicks(dialog.organization, "Justice Mission Kolkata")
    dialog.admin_username.setText("amina")
    qtbot.keyClicks(dialog.admin_name, "Amina Khatun")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.confirm, "different")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "at least 10 characters" in dialog.form.error_for("password")
    assert "not the same" in dialog.form.error_for("confirm")
    assert not path.exists()

    for field in (dialog.password, dialog.confirm):
        field.setText("a long enough passphrase")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.stack.currentIndex() == 2, timeout=WAIT)
    key_text = dialog.recovery_key.text()
    RecoveryKey.parse(key_text)  # a real recovery key, in its printed form
    # Nothing goes on until the person says the key is written down.
    assert not dialog.continue_button.isEnabled()
    dialog.reject()
    assert dialog.isVisible()
    dialog.written_down.setChecked(True)
    with qtbot.waitSignal(dialog.created, timeout=WAIT) as created:
        qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    session = created.args[0]
    assert session.actor.username == "amina"
    assert session.actor.role is Role.ADMIN
    session.db.dispose()
    worker.wait()
    # The database is encrypted and opens with the new password.
    assert path.exists() and keystore_path(path).exists()
    assert not path.read_bytes().startswith(b"SQLite format 3")
    again = login(location, "amina", "a long enough passphrase", kdf=FAST_KDF)
    again.db.dispose()


def test_demo_database_is_built_with_progress(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    location = DatabaseLocation("sqlcipher", path=path)
    worker = Worker()
    dialog = _dialog(qtbot, location, worker)
    dialog.choose_demo.setChecked(True)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.stack.currentIndex() == 3
    dialog.demo_cases.setValue(60)
    with qtbot.waitSignal(dialog.created, timeout=120_000) as created:
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    session = created.args[0]
    assert session.actor.username == "admin"
    session.db.dispose()
    worker.wait()
    caseworker = login(location, "caseworker", DEMO_PASSWORD, kdf=FAST_KDF)
    caseworker.db.dispose()


def test_cancelled_demo_leaves_nothing_behind(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    location = DatabaseLocation("sqlcipher", path=path)
    worker = Worker()

    def cancelling_demo(location: DatabaseLocation, **kw: object) -> object:
        update = kw.pop("progress")

        def on_progress(done: int, total: int) -> None:
            # As if the person pressed Cancel once building got going (the
            # Progress is thread-safe: the dialog's button calls the same cancel).
            update.__self__.cancel()  # type: ignore[attr-defined]
            update(done, total)  # type: ignore[operator]

        return create_demo_database(
            location,
            progress=on_progress,
            kdf=FAST_KDF,
            **kw,  # type: ignore[arg-type]
        )

    dialog = SetupDialog(location, worker, make_demo=cancelling_demo)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.choose_demo.setChecked(True)
    dialog._on_choice()
    dialog.demo_cases.setValue(2000)
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cancelled" in dialog.demo_message.text(), timeout=120_000)
    worker.wait()
    assert dialog.result_value is None
    assert not path.exists()
    assert not keystore_path(path).exists()
    assert dialog.demo_button.isEnabled()


def test_progress_raises_once_cancelled() -> None:
    progress = Progress()
    progress.update(1, 10)
    progress.cancel()
    try:
        progress.update(2, 10)
    except Exception as exc:
        assert type(exc).__name__ == "Cancelled"
    else:
        raise AssertionError("a cancelled job must stop at its next progress report")
