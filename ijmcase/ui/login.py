"""The login dialog: username and password, errors shown inline.

The key derivation behind a login takes a deliberate fraction of a second,
so the check runs on the worker and the dialog stays responsive; a wrong
password or a throttled account is a message under the fields, never a
crash and never an empty window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.errors import IjmcaseError
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.auth import LoginResult
from ijmcase.ui.worker import Worker

__all__ = ["LoginDialog"]

LoginFn = Callable[[DatabaseLocation, str, str], LoginResult]


class LoginDialog(QDialog):
    logged_in = Signal(object)  # LoginResult

    def __init__(
        self,
        location: DatabaseLocation,
        worker: Worker,
        login: LoginFn,
        *,
        username: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._location = location
        self._worker = worker
        self._login = login
        self.result_value: LoginResult | None = None
        self.setWindowTitle(self.tr("ijmcase: log in"))
        self.setMinimumWidth(380)

        heading = QLabel(self.tr("<b>Log in to ijmcase</b>"))
        where = QLabel(location.display)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setStyleSheet("color: #5f6368;")
        where.setWordWrap(True)

        self.username = QLineEdit(username)
        self.username.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        form = QFormLayout()
        form.addRow(self.tr("&Username"), self.username)
        form.addRow(self.tr("&Password"), self.password)

        self.message = QLabel()
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Log in"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()
        self._slow = QTimer(self)
        self._slow.setSingleShot(True)
        self._slow.setInterval(4000)
        self._slow.timeout.connect(self._on_slow)

    def _submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self._show(self.tr("Enter your username and password."))
            return
        self._set_busy(True)
        self._worker.submit(
            lambda: self._login(self._location, username, password),
            self._on_done,
            self._on_error,
        )

    def _set_busy(self, busy: bool) -> None:
        for w in (self.username, self.password, self.buttons):
            w.setEnabled(not busy)
        if busy:
            self._show(self.tr("Checking…"), error=False)
            self._slow.start()
        else:
            self._slow.stop()

    def _on_slow(self) -> None:
        # A login only takes this long when an older database is being backed up
        # and upgraded; say so rather than leave "Checking…" on screen for minutes.
        self._show(
            self.tr(
                "Still working. If this database was made by an older version of ijmcase, "
                "it is being backed up and upgraded; on a large database this takes a few "
                "minutes. Please wait."
            ),
            error=False,
        )

    def _show(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b00020;" if error else "color: palette(text);")
        self.message.show()

    def _on_done(self, result: LoginResult) -> None:
        self._set_busy(False)
        self.result_value = result
        self.logged_in.emit(result)
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, IjmcaseError):
            self._show(exc.message)
        else:
            self._show(self.tr("Something went wrong: %s") % exc)
        self.password.selectAll()
        self.password.setFocus()
