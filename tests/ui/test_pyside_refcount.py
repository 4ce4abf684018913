"""PySide6-Essentials 6.12.0 loses a reference to ``None`` on every call of a
Qt method that returns nothing; on Python 3.11 a long session then aborts
with "none_dealloc". pyproject.toml excludes that release; this test fails if
a release with the same fault is ever installed."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot


def test_void_qt_calls_keep_none_alive(qtbot: QtBot) -> None:
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(1000):
        timer.start(1000)
    timer.stop()
    # Other threads may touch None meanwhile; a leak would be about -1000.
    assert sys.getrefcount(None) - before > -100
