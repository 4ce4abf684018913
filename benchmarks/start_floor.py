"""The start-up floor: a bare PySide6 window with an empty table, nothing else.

Run by ``benchmarks/run.py`` in a fresh process (``QT_QPA_PLATFORM=offscreen``),
never imported. The clock starts in the parent just before it spawns this
process (``IJMCASE_BENCH_T0``, ``time.monotonic_ns``, which Linux shares
between processes) and stops when the table's viewport has been painted for
the first time (on the turn of the event loop after its first paint event,
as in ``start_app.py``). Prints one JSON object: seconds and peak RSS.

It imports only the standard library and PySide6, so that what it measures
is what any PySide6 program pays: the interpreter, Qt, a window and a paint.
"""

from __future__ import annotations

import time

STARTED_NS = time.monotonic_ns()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer  # noqa: E402
from PySide6.QtGui import QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402

IMPORTED_NS = time.monotonic_ns()
COLUMNS = 11  # as many as the case list has


class _PaintWatch(QObject):
    """Quits ``loop`` once the watched widget has painted for the first time."""

    def __init__(self, loop: QEventLoop) -> None:
        super().__init__()
        self.loop = loop
        self.seen = False
        self.painted_ns = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self.seen:
            # The filter sees the event before the widget draws; stop on the
            # next turn of the loop, once it has (as start_app.py does).
            self.seen = True
            QTimer.singleShot(0, self._finish)
        return False

    def _finish(self) -> None:
        self.painted_ns = time.monotonic_ns()
        self.loop.quit()


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB. (Not
    ru_maxrss: across the parent's fork and exec it keeps the parent's peak.)"""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def main() -> int:
    t0 = int(os.environ.get("IJMCASE_BENCH_T0", STARTED_NS))
    app = QApplication(sys.argv[:1])  # noqa: F841  (kept alive until exit)
    window = QMainWindow()
    window.setWindowTitle("floor")
    table = QTableView()
    table.setModel(QStandardItemModel(0, COLUMNS, table))
    window.setCentralWidget(table)
    window.resize(1280, 760)
    loop = QEventLoop()
    watch = _PaintWatch(loop)
    table.viewport().installEventFilter(watch)
    QTimer.singleShot(30_000, loop.quit)
    window.show()
    if not watch.painted_ns:
        loop.exec()
    if not watch.painted_ns:
        print(json.dumps({"error": "the empty table was never painted"}))
        return 1
    result = {
        "seconds": (watch.painted_ns - t0) / 1e9,
        "interpreter_seconds": (STARTED_NS - t0) / 1e9,
        "import_seconds": (IMPORTED_NS - STARTED_NS) / 1e9,
        "rss_mb": _status_mb("VmHWM"),
    }
    window.close()
    print(json.dumps(result), flush=True)
    # Leave without tearing Qt's objects down (PySide6 6.12 on Python 3.11
    # can abort then; see README.md), as start_app.py does.
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
