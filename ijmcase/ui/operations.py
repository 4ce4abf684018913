"""Running service calls from widgets: off the GUI thread, errors shown, and
every write announced once on the app-wide ``changes_applied`` signal.

This is Anki's ``CollectionOp``: a widget says what to run and what to do
with the result; the ``Operations`` object runs it on the one worker, shows
a progress dialog only when the work takes longer than about half a second,
and after a successful write emits ``ChangeBus.changes_applied`` with the
``Changes`` the service returned, so each view refreshes only what it shows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from ijmcase.domain.errors import IjmcaseError, ValidationError
from ijmcase.services.context import Changes, Outcome
from ijmcase.ui.worker import Worker

__all__ = ["Cancelled", "ChangeBus", "Operations", "Progress", "error_text"]

T = TypeVar("T")

PROGRESS_DELAY_MS = 500


class ChangeBus(QObject):
    """The one signal every view listens to after a write (Anki's
    ``operation_did_execute``)."""

    changes_applied = Signal(object)  # Changes


class Cancelled(Exception):
    """Raised inside a job by ``Progress.update`` when the user cancelled."""


class Progress:
    """Handed to long jobs: report progress (thread-safe) and learn of a cancel."""

    def __init__(self) -> None:
        self._cancelled = threading.Event()
        self._lock = threading.Lock()
        self._done = 0
        self._total = 0

    def update(self, done: int, total: int) -> None:
        with self._lock:
            self._done, self._total = done, total
        if self._cancelled.is_set():
            raise Cancelled

    def report(self, done: int, total: int) -> None:
        """Like ``update`` but never raises: for services that check
        ``is_cancelled`` themselves (reports, exports)."""
        with self._lock:
            self._done, self._total = done, total

    def is_cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def snapshot(self) -> tuple[int, int]:
        with self._lock:
            return self._done, self._total


def error_text(exc: BaseException) -> str:
    """What to tell a person about a failure: our errors carry a message;
    anything else is a bug, named as such rather than dressed up."""
    if isinstance(exc, ValidationError):
        return "\n".join(p.message for p in exc.problems) or exc.message
    if isinstance(exc, IjmcaseError):
        return exc.message
    return f"Something went wrong that ijmcase did not expect: {type(exc).__name__}: {exc}"


class _DelayedProgress(QObject):
    """A progress dialog that appears only if the job is still running after
    ``PROGRESS_DELAY_MS`` (quick jobs must not flash a dialog)."""

    def __init__(self, parent: QWidget | None, label: str, progress: Progress | None) -> None:
        super().__init__(parent)
        self._parent = parent
        self._label = label
        self._progress = progress
        self._dialog: QProgressDialog | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show)
        self._timer.start(PROGRESS_DELAY_MS)
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._refresh)

    @property
    def dialog(self) -> QProgressDialog | None:
        return self._dialog

    def _show(self) -> None:
        dialog = QProgressDialog(self._label, self.tr("Cancel"), 0, 0, self._parent)
        dialog.setWindowTitle(self.tr("ijmcase"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if self._progress is None:
            dialog.setCancelButton(None)
        else:
            dialog.canceled.connect(self._on_cancel)
        dialog.show()
        self._dialog = dialog
        self._poll.start()

    def _on_cancel(self) -> None:
        if self._progress is not None:
            self._progress.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText(self.tr("Cancelling…"))

    def _refresh(self) -> None:
        if self._dialog is None or self._progress is None:
            return
        done, total = self._progress.snapshot()
        if total > 0:
            self._dialog.setMaximum(total)
            self._dialog.setValue(done)

    def finish(self) -> None:
        self._timer.stop()
        self._poll.stop()
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        self.deleteLater()


class Operations(QObject):
    """Runs reads and writes for the widgets of one logged-in session."""

    # Every failure, for the status bar and the connection state; dialogs show
    # their own errors as well.
    failed = Signal(object)  # BaseException

    def __init__(self, worker: Worker, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.worker = worker
        self.bus = bus

    def read(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        *,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.worker.submit(fn, on_done, on_error or self._report)

    def write(
        self,
        fn: Callable[[], Outcome[T]],
        on_done: Callable[[T], None] | None = None,
        *,
        parent: QWidget | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        label: str = "",
    ) -> None:
        """Run a service write; on success announce its changes, then call
        ``on_done`` with its value. Errors go to ``on_error`` (a dialog that
        shows them next to its fields) or to a message box over ``parent``."""
        gate = _DelayedProgress(parent, label or self.tr("Saving…"), None)

        def done(outcome: Outcome[T]) -> None:
            gate.finish()
            self.bus.changes_applied.emit(outcome.changes)
            if on_done is not None:
                on_done(outcome.value)

        def failed(exc: BaseException) -> None:
            gate.finish()
            if on_error is not None:
                self.failed.emit(exc)
                on_error(exc)
            else:
                self.show_error(parent, exc)

        self.worker.submit(fn, done, failed)

    def long_job(
        self,
        fn: Callable[[Progress], T],
        on_done: Callable[[T], None],
        *,
        parent: QWidget | None,
        label: str,
        changes: Changes | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Progress:
        """A job that reports progress and can be cancelled (reports, imports)."""
        progress = Progress()
        gate = _DelayedProgress(parent, label, progress)

        def done(value: T) -> None:
            gate.finish()
            if changes is not None:
                self.bus.changes_applied.emit(changes)
            on_done(value)

        def failed(exc: BaseException) -> None:
            gate.finish()
            if isinstance(exc, Cancelled):
                return
            if on_error is not None:
                on_error(exc)
            else:
                self.show_error(parent, exc)

        self.worker.submit(lambda: fn(progress), done, failed)
        return progress

    def show_error(self, parent: QWidget | None, exc: BaseException) -> None:
        self.failed.emit(exc)
        QMessageBox.warning(parent, self.tr("ijmcase"), error_text(exc))

    def _report(self, exc: BaseException) -> None:
        self.failed.emit(exc)
