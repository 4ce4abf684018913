"""People view and Documents tab with real widgets: finding a survivor by code
lists their case and Enter opens it; note search shows the matched word in
bold and takes SQL or FTS syntax as plain words; attaching a file lists it,
seals it (the plaintext is not in the blob file), opens a temporary copy
that closing removes, and removing it hides it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from pytestqt.qtbot import QtBot

from ijmcase.domain.errors import StorageError
from ijmcase.persistence.blobs import BlobStore, blobs_folder
from ijmcase.services.attachments import AttachmentService
from ijmcase.services.auth import login
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.documents_tab import DocumentsTab
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.people_view import HTML_ROLE, PeopleView, marked_html
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import FieldCase, draft, interventions, make_case

WAIT = 10_000
SECRET = b"Statement of the survivor: held at the kiln in Howrah"


@pytest.fixture
def setup(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, FieldCase]]:
    fc = make_case(file_org, summary="Families held at a brick kiln.")
    interventions(file_org).log(
        fc.id,
        draft(fc, outcome="Home visit", notes="The kiln owner came again <b>twice</b> & left."),
    )
    worker = Worker()
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    win.show()
    yield win, fc
    worker.wait()
    session.db.dispose()


def _people_view(window: MainWindow) -> PeopleView:
    view = window.show_view("People")
    assert isinstance(view, PeopleView)
    return view


def test_marked_html_bolds_marks_and_escapes_the_rest() -> None:
    assert marked_html("a <i>[[kiln]]</i> & b") == "a &lt;i&gt;<b>kiln</b>&lt;/i&gt; &amp; b"


def test_find_survivor_by_code_lists_case_and_opens_it(
    setup: tuple[MainWindow, FieldCase], qtbot: QtBot
) -> None:
    window, fc = setup
    panel = _people_view(window).people
    qtbot.keyClicks(panel.search, fc.survivor_code)  # debounced: one search after typing
    qtbot.waitUntil(lambda: bool(panel.people) and not panel.loading, timeout=WAIT)
    first = panel.tree.topLevelItem(0)
    assert first is not None
    assert first.text(0) == "Survivor" and first.text(1) == fc.survivor_code
    # The survivor's legal name is nowhere in the list.
    shown = [
        item.text(c)
        for i in range(panel.tree.topLevelItemCount())
        if (item := panel.tree.topLevelItem(i)) is not None
        for c in range(4)
    ]
    assert not any("Priya" in text for text in shown)
    qtbot.waitUntil(lambda: panel.case_tree.topLevelItemCount() == 1, timeout=WAIT)
    case_item = panel.case_tree.topLevelItem(0)
    assert case_item is not None and case_item.text(0) == fc.code
    panel.case_tree.setCurrentItem(case_item)
    qtbot.keyClick(panel.case_tree, Qt.Key.Key_Return)
    current = window.pages.currentWidget()
    assert isinstance(current, CaseWorkspace) and current.case_id == fc.id


def test_note_search_bolds_the_word_and_takes_sql_and_fts_syntax(
    setup: tuple[MainWindow, FieldCase], qtbot: QtBot
) -> None:
    window, fc = setup
    view = _people_view(window)
    view.tabs.setCurrentWidget(view.notes)
    notes = view.notes
    notes.search.setText("kiln")
    notes.run_search()
    qtbot.waitUntil(lambda: not notes.loading and notes.tree.topLevelItemCount() > 0, timeout=WAIT)
    items = [notes.tree.topLevelItem(i) for i in range(notes.tree.topLevelItemCount())]
    assert all(item is not None and item.text(0) == fc.code for item in items)
    snippets = [str(item.data(3, HTML_ROLE)) for item in items if item is not None]
    assert any("<b>kiln</b>" in s for s in snippets)
    # The note's own markup is shown as text, not read as HTML.
    assert any("&lt;b&gt;twice&lt;/b&gt; &amp; left" in s for s in snippets)
    note_item = next(i for i in items if i is not None and "twice" in i.text(3))
    assert note_item.text(1)  # the intervention's date

    for hostile in ['"; DROP TABLE cases; --', "NEAR(", "kiln OR *", "'", "))"]:
        notes.search.setText(hostile)
        notes.run_search()
        qtbot.waitUntil(lambda: not notes.loading, timeout=WAIT)
        assert notes.results is not None, hostile
        assert "error" not in notes.status.text().lower(), hostile

    notes.search.setText("kiln")
    notes.run_search()
    qtbot.waitUntil(lambda: not notes.loading and notes.tree.topLevelItemCount() > 0, timeout=WAIT)
    first = notes.tree.topLevelItem(0)
    assert first is not None
    notes.tree.setCurrentItem(first)
    qtbot.keyClick(notes.tree, Qt.Key.Key_Return)
    current = window.pages.currentWidget()
    assert isinstance(current, CaseWorkspace) and current.case_id == fc.id


def test_documents_attach_seal_open_and_remove(
    setup: tuple[MainWindow, FieldCase],
    file_org: Org,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window, fc = setup
    workspace = window.open_case(fc.id)
    tab = workspace.section_tabs["Documents"]
    assert isinstance(tab, DocumentsTab)
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.available is True, timeout=WAIT)
    assert tab.buttons.isVisible() and not tab.message.isVisible()

    source = tmp_path / "statement.txt"
    source.write_bytes(SECRET)
    tab.attach_path(source)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 1, timeout=WAIT)
    item = tab.tree.topLevelItem(0)
    assert item is not None
    assert item.text(0) == "statement.txt" and item.text(1) == "text/plain"
    assert item.text(3)  # added by
    assert len(item.text(5)) == 12
    blobs = list(blobs_folder(file_org.location).glob("*.blob"))
    assert len(blobs) == 1
    raw = blobs[0].read_bytes()
    assert SECRET not in raw and b"kiln" not in raw

    opened: list[QUrl] = []

    def fake_open(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", fake_open)
    tab.tree.setCurrentItem(item)
    tab.open_current()
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT)
    copy = Path(opened[0].toLocalFile())
    assert copy.read_bytes() == SECRET
    assert tab.close_copies_button.isEnabled()
    tab.close_copies()
    assert not copy.exists()

    attachment = tab.attachments[0]
    tab.remove(attachment.id, "Attached to the wrong case")
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() == 0 and not tab._loading, timeout=WAIT)
    assert tab.attachments == []


def test_documents_show_the_services_refusal_instead_of_buttons(
    setup: tuple[MainWindow, FieldCase], qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the service refuses blob storage; the tab says so."""
    window, fc = setup

    def refuse(_self: AttachmentService) -> BlobStore:
        raise StorageError("Attachments are not available here yet.", code="blobs_unavailable")

    monkeypatch.setattr(AttachmentService, "blobs", property(refuse))
    workspace = window.open_case(fc.id)
    tab = workspace.section_tabs["Documents"]
    assert isinstance(tab, DocumentsTab)
    qtbot.waitUntil(lambda: tab.available is False, timeout=WAIT)
    assert tab.buttons.isHidden() and not tab.message.isHidden()
    assert tab.message.text() == "Attachments are not available here yet."
