"""One background thread for all database work (Anki's taskman).

The GUI thread never waits on the database: it hands a callable to
``Worker.submit`` and gets the result, or the error, back by signal on the
GUI thread. One thread only, so database work runs in the order it was asked
for and SQLite sees one connection at a time from the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

__all__ = ["Worker"]


class _Relay(QObject):
    """Carries a finished job's outcome back to the GUI thread."""

    finished = Signal(object, object)  # (on_done, result)
    failed = Signal(object, object)  # (on_error, exception)


class _Job(QRunnable):
    def __init__(
        self,
        fn: Callable[[], Any],
        relay: _Relay,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._on_done = on_done
        self._on_error = on_error

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the GUI, which shows it
            self._relay.failed.emit(self._on_error, exc)
        else:
            self._relay.finished.emit(self._on_done, result)


class Worker(QObject):
    """Runs callables off the GUI thread, one at a time."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self._pending = 0

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Job(fn, self._relay, on_done, on_error))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait(self, msecs: int = -1) -> bool:
        """Block until the queue is empty (for shutdown and tests)."""
        return bool(self._pool.waitForDone(msecs))

    def _settle(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)

    @Slot(object, object)
    def _on_finished(self, on_done: Callable[[Any], None], result: Any) -> None:
        self._settle()
        on_done(result)

    @Slot(object, object)
    def _on_failed(self, on_error: Callable[[BaseException], None], exc: BaseException) -> None:
        self._settle()
        on_error(exc)
