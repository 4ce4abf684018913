"""Locking the window after a quiet spell, and unlocking it with the password.

Field laptops are left on tables and seized; after the idle time set in the
preferences the window hides every case and asks for the password again.
Nothing is closed or lost: the database stays open and a half-typed dialog
is hidden with the window and shown again after the unlock. Wrong passwords
are throttled exactly like a login.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ijmcase.ui.operations import error_text
from ijmcase.ui.worker import Worker

__all__ = ["IdleWatcher", "LockDialog"]

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits ``idle`` when no key, click or mouse movement reached the app
    for ``minutes`` (0 switches it off)."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self._minutes = minutes
        if minutes > 0:
            self._timer.start(minutes * 60_000)
        else:
            self._timer.stop()

    def pause(self) -> None:
        self._timer.stop()

    def resume(self) -> None:
        self.set_minutes(self._minutes)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._minutes > 0 and self._timer.isActive():
            self._timer.start()
        return False


UnlockFn = Callable[[str], None]


class LockDialog(QDialog):
    """Asks the logged-in person for their password; cannot be dismissed."""

    unlocked = Signal()

    def __init__(
        self, who: str, worker: Worker, unlock: UnlockFn, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._unlock = unlock
        self.setWindowTitle(self.tr("ijmcase is locked"))
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        heading = QLabel(self.tr("<h3>Locked</h3>"))
        text = QLabel(
            self.tr("ijmcase locked itself after a quiet spell. Enter the password of %s.") % who
        )
        text.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Unlock"))
        self.buttons.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        for w in (heading, text, self.password, self.message, self.buttons):
            layout.addWidget(w)
        self.password.setFocus()

    def _submit(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText(self.tr("Enter your password."))
            return
        self.buttons.setEnabled(False)
        self._worker.submit(lambda: self._unlock(password), self._on_done, self._on_error)

    def _on_done(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.password.clear()
        self.unlocked.emit()
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.message.setText(error_text(exc))
        self.password.selectAll()
        self.password.setFocus()

    def reject(self) -> None:
        """Escape does not unlock."""
