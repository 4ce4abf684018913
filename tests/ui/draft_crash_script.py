"""Run by test_draft_recovery in a subprocess: open the entry dialog offscreen,
type a note, wait until the draft store has it, then die as a crash or a
power cut would (SIGKILL: no clean-up, no Qt shutdown, no atexit).

Usage: python -m tests.ui.draft_crash_script DB_PATH CASE_ID SETTINGS_PATH
"""

from __future__ import annotations

import os
import signal
import sys
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.auth import login
from ijmcase.ui.intervention_form import InterventionDialog, open_entry_dialog
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD

TYPED = "Met the family at the shelter gate; the mother asked about "
# Non-Latin text arrives from an input method, not as key presses.
COMMITTED = "स्कूल की फीस · ថ្លៃសាលា · ค่าเล่าเรียน · رسوم المدرسة 🎒"
NOTE = TYPED + COMMITTED


def main() -> None:
    db_path, case_id, settings_path = sys.argv[1:4]
    app = QApplication([])
    session = login(
        DatabaseLocation("sqlcipher", path=Path(db_path)),
        "caseworker",
        STAFF_PASSWORD,
        kdf=FAST_KDF,
    )
    window = MainWindow(
        session,
        Worker(),
        is_demo=False,
        settings=QSettings(settings_path, QSettings.Format.IniFormat),
    )
    install_views(window)
    window.show()

    def type_into(dialog: InterventionDialog) -> None:
        dialog.notes.setFocus()
        QTest.keyClicks(dialog.notes, TYPED)
        commit = QInputMethodEvent()
        commit.setCommitString(COMMITTED)
        QApplication.sendEvent(dialog.notes, commit)
        assert dialog.notes.toPlainText() == NOTE
        poll = QTimer(dialog)

        def crash_once_kept() -> None:
            # Die only after the debounced draft write has happened, while the
            # dialog is still open with nothing saved to the database.
            if dialog.draft_saved_at is not None and not dialog._draft_timer.isActive():
                print("draft kept; killing", flush=True)
                os.kill(os.getpid(), signal.SIGKILL)

        poll.timeout.connect(crash_once_kept)
        poll.start(50)

    open_entry_dialog(window.context, uuid.UUID(case_id), window, on_open=type_into)
    QTimer.singleShot(20_000, lambda: sys.exit(3))  # never hang the test run
    app.exec()


if __name__ == "__main__":
    main()
