"""Cold start of the app: log in, open the main window, show a filled case list.

Run by ``benchmarks/run.py`` in a fresh process (``QT_QPA_PLATFORM=offscreen``)
as ``start_app.py DB USER`` with the password in ``IJMCASE_PASSWORD``; never
imported. The clock starts in the parent just before it spawns this process
(``IJMCASE_BENCH_T0``, as for ``start_floor.py``) and stops at the first paint
of the case table after (a) the model has its ids and (b) the first page of
rows has arrived: the moment a person sees a filled list.

It does what ``ijmcase.ui.app.run`` does after the login dialog: ``login``
(here called directly, not through the dialog), ``read_is_demo``, a
``Worker``, ``MainWindow`` with fresh settings (a first start, no saved
layout), ``show``. The Argon2id key derivation inside the login is timed on
its own (by wrapping ``KdfParams.derive``) so the runner can leave it out of
the start-up figure, as DESIGN.md asks. Prints one JSON object.
"""

from __future__ import annotations

import time

STARTED_NS = time.monotonic_ns()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

from PySide6.QtCore import (  # noqa: E402
    QEvent,
    QEventLoop,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QTimer,
)
from PySide6.QtWidgets import QApplication  # noqa: E402

from ijmcase.persistence.database import read_is_demo  # noqa: E402
from ijmcase.persistence.engine import locate  # noqa: E402
from ijmcase.persistence.keystore import KdfParams  # noqa: E402
from ijmcase.services.auth import login  # noqa: E402
from ijmcase.ui.main_window import MainWindow  # noqa: E402
from ijmcase.ui.worker import Worker  # noqa: E402

IMPORTED_NS = time.monotonic_ns()
TIMEOUT_MS = 120_000

_kdf_ns = 0
_derive = KdfParams.derive


def _timed_derive(self: KdfParams, secret: bytes, salt: bytes) -> bytes:
    global _kdf_ns
    began = time.monotonic_ns()
    try:
        return _derive(self, secret, salt)
    finally:
        _kdf_ns += time.monotonic_ns() - began


KdfParams.derive = _timed_derive  # type: ignore[method-assign]

Index = QModelIndex | QPersistentModelIndex


class _Progress(QObject):
    """Watches the model and the table's viewport; quits ``loop`` when a
    filled first page has been painted."""

    def __init__(self, window: MainWindow, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.count: int | None = None
        self.ids_ns = 0
        self.rows_ns = 0
        self.first_paint_ns = 0
        self.done_ns = 0
        window.model.count_changed.connect(self._on_count)
        window.model.dataChanged.connect(self._on_data)
        # The model shows its first page with the first query (a reset that
        # already carries rows), before the full id list arrives.
        window.model.modelReset.connect(self._on_reset)
        self._model = window.model
        window.table.viewport().installEventFilter(self)

    def _on_reset(self) -> None:
        if self._model.row_at(0) is not None and not self.rows_ns:
            self.rows_ns = time.monotonic_ns()

    def _on_count(self, count: int) -> None:
        self.count = count
        self.ids_ns = time.monotonic_ns()
        if count == 0:
            self.rows_ns = self.ids_ns

    def _on_data(self, top_left: Index, _bottom_right: Index) -> None:
        if top_left.row() == 0 and not self.rows_ns:
            self.rows_ns = time.monotonic_ns()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            now = time.monotonic_ns()
            self.first_paint_ns = self.first_paint_ns or now
            if self.rows_ns and not self.done_ns:
                # The paint is delivered before the viewport draws it; the
                # draw itself is ours to wait for too, so stop on the next turn.
                QTimer.singleShot(0, self._finish)
        return False

    def _finish(self) -> None:
        if not self.done_ns:
            self.done_ns = time.monotonic_ns()
            self.loop.quit()


def _result(
    t0: int, progress: _Progress, window: MainWindow, rss_mb: float, *, app_ns: int, login_ns: int
) -> dict[str, Any]:
    def since(ns: int) -> float:
        return (ns - t0) / 1e9

    return {
        "seconds": since(progress.done_ns),
        "kdf_seconds": _kdf_ns / 1e9,
        "login_seconds": (login_ns - app_ns) / 1e9,
        "rss_mb": rss_mb,
        "rss_now_mb": _status_mb("VmRSS"),
        "rows": window.model.rowCount(),
        "first_cell": window.model.data(window.model.index(0, 0)),
        # Milestones, seconds since the parent's spawn: where the time goes.
        "at": {
            "interpreter": since(STARTED_NS),
            "imported": since(IMPORTED_NS),
            "qapplication": since(app_ns),
            "logged_in": since(login_ns),
            "first_paint": since(progress.first_paint_ns),
            "ids": since(progress.ids_ns),
            "first_page": since(progress.rows_ns),
            "painted": since(progress.done_ns),
        },
    }


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB: VmHWM
    is the peak (it includes the 64 MiB the login's Argon2id takes for a
    moment), VmRSS the memory now. (Not ru_maxrss: across the parent's fork
    and exec it keeps the parent's peak.)"""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> int:
    t0 = int(os.environ.get("IJMCASE_BENCH_T0", STARTED_NS))
    database, username = sys.argv[1], sys.argv[2]
    password = os.environ.get("IJMCASE_PASSWORD", "demo")
    app = QApplication(sys.argv[:1])  # noqa: F841  (kept alive until exit)
    app_ns = time.monotonic_ns()
    session = login(locate(database), username, password)
    login_ns = time.monotonic_ns()
    is_demo = read_is_demo(session.db)
    worker = Worker()
    with tempfile.TemporaryDirectory() as tmp:
        settings = QSettings(str(Path(tmp) / "ijmcase.ini"), QSettings.Format.IniFormat)
        window = MainWindow(session, worker, is_demo=is_demo, settings=settings)
        built_ns = time.monotonic_ns()
        loop = QEventLoop()
        progress = _Progress(window, loop)
        QTimer.singleShot(TIMEOUT_MS, loop.quit)
        window.show()
        shown_ns = time.monotonic_ns()
        loop.exec()
        if not progress.done_ns:
            print(json.dumps({"error": "the case list was not filled in time"}), flush=True)
            return 1
        rss_mb = _status_mb("VmHWM")
        result = _result(t0, progress, window, rss_mb, app_ns=app_ns, login_ns=login_ns)
        result["at"].update(window_built=(built_ns - t0) / 1e9, shown=(shown_ns - t0) / 1e9)
        window.close()
        worker.wait()
        session.db.dispose()
    print(json.dumps(result), flush=True)
    # Leave without Python tearing down Qt objects in an arbitrary order (that
    # can crash at exit); everything worth closing is closed above.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
