"""Starting the desktop app: locate the database, log in, open the window.

Everything is built once here and handed to the windows through their
constructors; no window or session is global.
"""

from __future__ import annotations

import argparse
import os
import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ijmcase.domain.errors import IjmcaseError
from ijmcase.persistence.database import read_is_demo
from ijmcase.persistence.engine import locate
from ijmcase.services.auth import LoginResult, login
from ijmcase.ui.login import LoginDialog
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.worker import Worker

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("ijmcase")
    app.setOrganizationName("ijmcase")
    try:
        location = locate(args.db)
    except IjmcaseError as exc:
        QMessageBox.critical(None, "ijmcase", exc.message)
        return 1
    if location.path is not None and not location.path.exists():
        QMessageBox.information(
            None,
            "ijmcase",
            f"There is no database at {location.path} yet.\n\n"
            "Create one with 'ijmcase init --admin NAME' (or a demo with "
            "'ijmcase demo'), then start ijmcase again.",
        )
        return 1
    worker = Worker()
    dialog = LoginDialog(
        location, worker, login, username=args.user or os.environ.get("IJMCASE_USER", "")
    )
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_value is None:
        worker.wait()
        return 0
    session: LoginResult = dialog.result_value
    window = MainWindow(session, worker, is_demo=read_is_demo(session.db), settings=QSettings())
    window.show()
    try:
        return int(app.exec())
    finally:
        worker.wait()
        session.db.dispose()
