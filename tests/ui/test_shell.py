"""The desktop shell with real widgets offscreen: login, the paged case list,
filtering and sorting, and a GUI thread that never waits on the database."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import ViolenceType
from ijmcase.persistence import interrupt
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.auth import LoginResult, login
from ijmcase.services.cases import CaseFilter, CaseService
from ijmcase.ui import case_model
from ijmcase.ui.case_model import CaseTableModel
from ijmcase.ui.login import LoginDialog
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org


@pytest.fixture
def worker(qtbot: QtBot) -> Iterator[Worker]:
    w = Worker()
    yield w
    w.wait()


def _fill(org: Org, n: int) -> None:
    cases = org.cases("caseworker")
    for i in range(n):
        kind = ViolenceType.OSEC if i % 3 == 0 else ViolenceType.FORCED_LABOUR
        country = "PH" if kind is ViolenceType.OSEC else "IN"
        cases.create(
            CaseDraft(f"Case number {i:03d}", kind, country, date(2025, 1, 1) + timedelta(days=i))
        )


def _login_fn(location: DatabaseLocation, username: str, password: str) -> LoginResult:
    return login(location, username, password, kdf=FAST_KDF)


def test_login_wrong_then_right(file_org: Org, qtbot: QtBot, worker: Worker) -> None:
    dialog = LoginDialog(file_org.location, worker, _login_fn)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.username, "caseworker")
    qtbot.keyClicks(dialog.password, "not-my-password")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message.text() == "Wrong username or password.")
    assert dialog.result_value is None
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, STAFF_PASSWORD)
    with qtbot.waitSignal(dialog.logged_in, timeout=10_000) as blocker:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    result = blocker.args[0]
    assert result.actor.username == "caseworker"
    result.db.dispose()


def test_case_model_pages_filters_and_sorts(
    file_org: Org,
    qtbot: QtBot,
    worker: Worker,
    qtmodeltester: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(case_model, "PAGE", 10)
    _fill(file_org, 25)
    model = CaseTableModel(file_org.cases("director"), worker)
    with qtbot.waitSignal(model.count_changed, timeout=10_000):
        model.reload()
    assert model.rowCount() == 25
    # The first page comes with the first query, before the full id list.
    assert model.row_at(0) is not None
    assert model.row_at(9) is not None
    # Later rows: the first look returns a placeholder and fetches their page.
    assert model.data(model.index(24, 0)) == "…"
    qtbot.waitUntil(lambda: model.row_at(24) is not None)
    assert model.row_at(20) is not None  # the whole page came
    assert model.row_at(12) is None  # pages nobody looked at were not fetched
    qtmodeltester.check(model)  # type: ignore[attr-defined]

    with qtbot.waitSignal(model.count_changed, timeout=10_000) as counted:
        model.set_filter(CaseFilter(country="PH"))
    assert counted.args == [9]
    with qtbot.waitSignal(model.modelReset, timeout=10_000):
        model.sort(0, Qt.SortOrder.AscendingOrder)
    model.data(model.index(0, 0))  # as a view would: asks for the first page
    qtbot.waitUntil(lambda: model.row_at(0) is not None)
    first = model.row_at(0)
    assert first is not None
    assert first.code == "PH-2025-0001"


def test_main_window_filters_by_typing(
    file_org: Org, qtbot: QtBot, worker: Worker, tmp_path: Path
) -> None:
    _fill(file_org, 12)
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(session, worker, is_demo=True, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() == 12, timeout=10_000)
    assert "DEMO" in window.windowTitle()
    qtbot.keyClicks(window.search, "number 00")
    qtbot.waitUntil(lambda: window.model.rowCount() == 10, timeout=10_000)
    window.close()
    assert settings.value("main/geometry") is not None
    session.db.dispose()


def test_gui_thread_is_not_blocked_by_a_slow_query(
    file_org: Org, qtbot: QtBot, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    service = file_org.cases("director")
    real_ids = CaseService.ids

    def slow_ids(self: CaseService, flt: CaseFilter | None = None, **kw: object) -> object:
        release.wait(10)
        return real_ids(self, flt)

    monkeypatch.setattr(CaseService, "ids", slow_ids)
    model = CaseTableModel(service, worker)
    ticks = 0

    def tick() -> None:
        nonlocal ticks
        ticks += 1

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(10)
    model.reload()
    # While the query is held on the worker, the GUI's event loop keeps running.
    qtbot.waitUntil(lambda: ticks > 5, timeout=5000)
    assert worker.busy
    assert model.rowCount() == 0
    release.set()
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)
    timer.stop()


class _HeldFullList:
    """Wraps ``CaseService.ids``: the first full-list query run after ``arm()``
    is held inside SQLite (at its first progress-handler look) until
    ``release()``, so a test can ask for a new filter while it is surely running.
    Records each cancellable call's filter and result (None: stopped)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Few cases: let SQLite ask "still wanted?" often, so the query is caught.
        monkeypatch.setattr(interrupt, "PROGRESS_STEPS", 20)
        self.running, self._go, self._armed = threading.Event(), threading.Event(), False
        self.full_lists: list[tuple[CaseFilter | None, list[uuid.UUID] | None]] = []
        real_ids = CaseService.ids

        def spy_ids(service: CaseService, flt: CaseFilter | None = None, **kw: Any) -> Any:
            cancelled = kw.pop("cancelled", None)
            if cancelled is None:
                return real_ids(service, flt, **kw)
            held = self._armed and not self.running.is_set()

            def asked() -> bool:
                if held and not self.running.is_set():
                    self.running.set()
                    self._go.wait(10)
                return bool(cancelled())

            result = real_ids(service, flt, cancelled=asked, **kw)
            self.full_lists.append((flt, result))
            return result

        monkeypatch.setattr(CaseService, "ids", spy_ids)

    def arm(self) -> None:
        self._armed = True

    def release(self) -> None:
        self._go.set()


class _Heard:
    """What a model said: errors, counts and replaced lists."""

    def __init__(self, model: CaseTableModel) -> None:
        self.failures: list[str] = []
        self.counts: list[int] = []
        self.replaced: list[object] = []
        model.load_failed.connect(self.failures.append)
        model.count_changed.connect(self.counts.append)
        model.rows_replaced.connect(self.replaced.append)


FORCED_LABOUR = CaseFilter(violence_type=ViolenceType.FORCED_LABOUR)
IN_PH = CaseFilter(country="PH")


def _shows_only_ph(model: CaseTableModel, n: int) -> bool:
    rows = [model.row_at(i) for i in range(model.rowCount())]
    return len(rows) == n and all(r is not None and r.country == "PH" for r in rows)


def test_new_filter_stops_the_running_full_list_quietly(
    file_org: Org, qtbot: QtBot, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(file_org, 25)
    hold = _HeldFullList(monkeypatch)
    model = CaseTableModel(file_org.cases("director"), worker)
    heard = _Heard(model)

    hold.arm()
    model.set_filter(FORCED_LABOUR)
    qtbot.waitUntil(hold.running.is_set, timeout=10_000)
    model.set_filter(IN_PH)  # while the first filter's full list is running
    hold.release()
    qtbot.waitUntil(lambda: heard.counts == [9], timeout=10_000)
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)

    # The first filter's list was stopped (no answer), the second's ran through.
    assert [(flt, ids is None) for flt, ids in hold.full_lists] == [
        (FORCED_LABOUR, True),
        (IN_PH, False),
    ]
    assert heard.failures == [] and heard.replaced == []
    assert heard.counts == [9]
    assert _shows_only_ph(model, 9)


def test_new_filter_stops_the_full_list_checked_after_a_write(
    file_org: Org, qtbot: QtBot, worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fill(file_org, 25)
    hold = _HeldFullList(monkeypatch)
    model = CaseTableModel(file_org.cases("director"), worker)
    heard = _Heard(model)
    model.set_filter(FORCED_LABOUR)
    qtbot.waitUntil(lambda: heard.counts == [16], timeout=10_000)
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)

    hold.arm()
    written = file_org.cases("caseworker").create(
        CaseDraft("Livestream abuse, Cebu", ViolenceType.OSEC, "PH", date(2026, 3, 2))
    )
    model.apply_changes(written.changes)  # checks the full list on the worker
    qtbot.waitUntil(hold.running.is_set, timeout=10_000)
    model.set_filter(IN_PH)
    hold.release()
    qtbot.waitUntil(lambda: heard.counts == [16, 10], timeout=10_000)
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)

    assert [(flt, ids is None) for flt, ids in hold.full_lists] == [
        (FORCED_LABOUR, False),
        (FORCED_LABOUR, True),  # the check after the write, stopped
        (IN_PH, False),
    ]
    assert heard.failures == [] and heard.replaced == []
    assert _shows_only_ph(model, 10)  # with the case just written
