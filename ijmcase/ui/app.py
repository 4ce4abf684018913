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
from ijmcase.persistence.engine import DatabaseLocation, locate
from ijmcase.services.auth import LoginResult, login
from ijmcase.ui.login import LoginDialog
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.registry import install_views
from ijmcase.ui.setup_dialog import SetupDialog
from ijmcase.ui.worker import Worker

__all__ = ["run"]


def _is_first_run(location: DatabaseLocation) -> bool:
    return location.path is not None and not location.path.exists()


def _first_run(location: DatabaseLocation, worker: Worker) -> LoginResult | None:
    if location.path is not None:
        try:
            location.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            QMessageBox.critical(
                None, "ijmcase", f"Cannot create the folder {location.path.parent}: {exc}"
            )
            return None
    dialog = SetupDialog(location, worker)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.result_value


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
    worker = Worker()
    session: LoginResult | None = None
    if _is_first_run(location):
        session = _first_run(location, worker)
    else:
        dialog = LoginDialog(
            location, worker, login, username=args.user or os.environ.get("IJMCASE_USER", "")
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            session = dialog.result_value
    if session is None:
        worker.wait()
        return 0
    window = MainWindow(session, worker, is_demo=read_is_demo(session.db), settings=QSettings())
    install_views(window)
    window.show()
    try:
        return int(app.exec())
    finally:
        worker.wait()
        session.db.dispose()
