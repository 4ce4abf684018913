"""A survivor's record and the admin's merge screens, with real widgets
offscreen and a real encrypted database: the identifying details stay
closed until asked for (the look is audited), can be corrected, a stale
correction is refused in the dialog, a phone photo is shown without its
metadata and hidden again; staff not on the case are told why and read
nothing; an admin merges two records of one person and undoes it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ijmcase.domain.drafts import SurvivorIdentityDraft
from ijmcase.domain.enums import PartyKind
from ijmcase.persistence.models import AuditEvent
from ijmcase.services.auth import login
from ijmcase.services.person_merges import PersonMergeService
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.merge_dialogs import MergeDialog, MergeHistoryDialog
from ijmcase.ui.people_view import PeoplePanel, PeopleView
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.survivor_record import SurvivorRecordDialog
from ijmcase.ui.worker import Worker
from tests.conftest import ADMIN_PASSWORD, FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import FieldCase, make_case

WAIT = 10_000


class Session:
    """A logged-in main window for one user."""

    def __init__(self, org: Org, who: str, qtbot: QtBot, tmp_path: Path) -> None:
        password = ADMIN_PASSWORD if who == "admin" else STAFF_PASSWORD
        self.worker = Worker()
        self.login = login(org.location, who, password, kdf=FAST_KDF)
        settings = QSettings(str(tmp_path / f"{who}.ini"), QSettings.Format.IniFormat)
        self.window = MainWindow(self.login, self.worker, is_demo=False, settings=settings)
        self.window.prefs = Preferences(confirm_quit_with_open_cases=False)
        install_views(self.window)
        qtbot.addWidget(self.window)
        self.window.show()

    def close(self) -> None:
        self.worker.wait()
        self.login.db.dispose()


@pytest.fixture
def sessions(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[dict[str, Session]]:
    opened: dict[str, Session] = {}

    class Opener(dict[str, Session]):
        def __missing__(self, who: str) -> Session:
            made = Session(file_org, who, qtbot, tmp_path)
            opened[who] = made
            self[who] = made
            return made

    yield Opener()
    for s in opened.values():
        s.close()


def _phone_photo() -> bytes:
    image = Image.new("RGB", (300, 400), (30, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (22.0, 34.0, 10.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _actions(org: Org, action: str) -> int:
    with org.db.read_session() as session:
        return len(session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all())


def _record_from_case(
    session: Session, fc: FieldCase, qtbot: QtBot
) -> tuple[CaseWorkspace, SurvivorRecordDialog]:
    workspace = session.window.open_case(fc.id)
    qtbot.waitUntil(lambda: workspace.detail is not None, timeout=WAIT)
    workspace.survivors.setCurrentRow(0)
    assert workspace.record_button.isEnabled()
    workspace.record_button.click()
    dialog = workspace.record_dialog
    assert isinstance(dialog, SurvivorRecordDialog)
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=WAIT)
    return workspace, dialog


def test_identity_shown_on_request_corrected_with_photo_and_hidden(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot, tmp_path: Path
) -> None:
    fc = make_case(file_org, legal_name="प्रिया शर्मा", date_of_birth=date(2008, 2, 3))
    workspace, dialog = _record_from_case(sessions["caseworker"], fc, qtbot)
    looks = _actions(file_org, "survivor.identity.view")

    # Closed: no field holds the name, and nothing was read.
    assert not dialog.identity_shown and (not dialog.show_button.isHidden())
    assert dialog.identity_form.legal_name.text() == ""
    assert _actions(file_org, "survivor.identity.view") == looks

    # The facts shown with the code can be corrected; the case's list follows.
    dialog.facts.alias.setText("Meena")
    dialog.save_facts_button.click()
    qtbot.waitUntil(lambda: dialog.record is not None and dialog.record.survivor.alias == "Meena")
    qtbot.waitUntil(lambda: "Meena" in workspace.survivors.item(0).text(), timeout=WAIT)

    dialog.tabs.setCurrentIndex(1)
    dialog.show_button.click()
    qtbot.waitUntil(lambda: dialog.identity_shown, timeout=WAIT)
    assert dialog.identity_form.legal_name.text() == "प्रिया शर्मा"
    assert _actions(file_org, "survivor.identity.view") == looks + 1
    assert dialog.photo_label.text() == "No photo"

    # An empty legal name is refused next to the field; nothing is saved.
    dialog.identity_form.legal_name.clear()
    dialog.save_identity_button.click()
    assert "legal name" in dialog.identity_form.error_for("legal_name")
    dialog.identity_form.legal_name.setText("Priya Sharma")
    dialog.identity_form.phone.setText("+91 98300 22222")
    dialog.save_identity_button.click()
    qtbot.waitUntil(lambda: dialog.identity_note.text() == "Saved.", timeout=WAIT)
    seen = file_org.people("caseworker").identity(fc.survivor_id)
    assert seen.legal_name == "Priya Sharma" and seen.phone == "+91 98300 22222"

    # A phone photo: shown, and stored without its location.
    photo_file = tmp_path / "IMG_2041.jpg"
    photo_file.write_bytes(_phone_photo())
    dialog.set_photo_from(photo_file)
    qtbot.waitUntil(lambda: dialog.photo is not None, timeout=WAIT)
    pixmap = dialog.photo_label.pixmap()
    assert not pixmap.isNull() and pixmap.height() <= 220
    assert dialog.photo is not None and b"PhoneMaker" not in dialog.photo.data
    assert dialog.remove_photo_button.isEnabled()

    # Hide empties the fields and the picture.
    dialog.hide_button.click()
    assert not dialog.identity_shown and dialog.photo is None
    assert dialog.identity_form.legal_name.text() == ""
    assert dialog.photo_label.pixmap().isNull()

    # Showing again reads again (audited again), photo included.
    dialog.show_button.click()
    qtbot.waitUntil(lambda: dialog.identity_shown and dialog.photo is not None, timeout=WAIT)
    dialog.remove_photo("Survivor asked for it to be taken off")
    qtbot.waitUntil(lambda: dialog.photo is None, timeout=WAIT)
    assert dialog.photo_label.text() == "No photo"
    assert _actions(file_org, "survivor.photo.remove") == 1


def test_a_correction_made_meanwhile_is_not_overwritten(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot
) -> None:
    fc = make_case(file_org)
    _workspace, dialog = _record_from_case(sessions["caseworker"], fc, qtbot)
    dialog.tabs.setCurrentIndex(1)
    dialog.show_button.click()
    qtbot.waitUntil(lambda: dialog.identity_shown, timeout=WAIT)
    # The lead lawyer, say, corrects the name from another laptop.
    people = file_org.people("caseworker")
    people.set_identity(fc.survivor_id, SurvivorIdentityDraft("Priya S. Sharma"))
    dialog.identity_form.phone.setText("+91 1111")
    dialog.save_identity_button.click()
    qtbot.waitUntil(lambda: dialog.identity_form.message.isVisible(), timeout=WAIT)
    assert "changed by someone else" in dialog.identity_form.message.text()
    assert people.identity(fc.survivor_id).legal_name == "Priya S. Sharma"


def test_a_photo_that_is_not_a_picture_is_refused_in_the_dialog(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot, tmp_path: Path
) -> None:
    fc = make_case(file_org)
    _workspace, dialog = _record_from_case(sessions["caseworker"], fc, qtbot)
    dialog.show_identity()
    qtbot.waitUntil(lambda: dialog.identity_shown, timeout=WAIT)
    fake = tmp_path / "statement.jpg"
    fake.write_bytes(b"%PDF-1.7 this is a scanned statement, not a photo")
    dialog.set_photo_from(fake)
    qtbot.waitUntil(lambda: not dialog.photo_message.isHidden(), timeout=WAIT)
    assert "not a picture" in dialog.photo_message.text()
    assert (
        dialog.photo is None
        and not file_org.people("caseworker").identity(fc.survivor_id).has_photo
    )


def _find(panel: PeoplePanel, text: str, qtbot: QtBot) -> None:
    panel.search.setText(text)
    panel.find_people()
    qtbot.waitUntil(lambda: not panel.loading and bool(panel.people), timeout=WAIT)


def _people_panel(session: Session) -> PeoplePanel:
    view = session.window.show_view("People")
    assert isinstance(view, PeopleView)
    return view.people


def test_staff_not_on_the_case_see_why_and_read_nothing(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot
) -> None:
    fc = make_case(file_org)
    panel = _people_panel(sessions["caseworker2"])
    _find(panel, fc.survivor_code, qtbot)
    assert panel.merge_button.isHidden()
    first = panel.tree.topLevelItem(0)
    assert first is not None
    panel.tree.setCurrentItem(first)
    assert panel.record_button.isEnabled()
    panel.record_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, SurvivorRecordDialog)
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=WAIT)
    assert dialog.show_button.isHidden()
    assert "Only staff assigned" in dialog.closed_text.text()
    assert not dialog.save_facts_button.isEnabled() and not dialog.facts.alias.isEnabled()
    assert _actions(file_org, "survivor.identity.view") == 0


def test_admin_merges_two_records_and_undoes_it(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot
) -> None:
    first = make_case(file_org, legal_name="Priya Sharma", date_of_birth=date(2008, 2, 3))
    second = make_case(
        file_org, "caseworker2", legal_name="Prya Sharma", date_of_birth=date(2008, 2, 3)
    )
    panel = _people_panel(sessions["admin"])
    _find(panel, "S-IN-", qtbot)
    assert (not panel.merge_button.isHidden()) and not panel.merge_button.isEnabled()
    survivors = [
        panel.tree.topLevelItem(i)
        for i in range(panel.tree.topLevelItemCount())
        if panel.people[i].kind is PartyKind.SURVIVOR
    ]
    assert len(survivors) == 2
    for item in survivors:
        assert item is not None
        item.setSelected(True)
    assert panel.merge_button.isEnabled() and not panel.record_button.isEnabled()
    panel.merge_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, MergeDialog)
    qtbot.waitUntil(lambda: dialog.comparison is not None, timeout=WAIT)
    # The admin may not see who they are: a score, no names.
    assert dialog.comparison is not None and dialog.comparison.names_hidden
    assert "Sharma" not in dialog.likeness.text() and "Likeness" in dialog.likeness.text()
    dialog.submit()  # no reason yet
    assert "Say why" in dialog.form.error_for("reason")
    kept, merged = dialog.kept_and_merged()
    dialog.reason.setText("Same girl, entered by two offices; confirmed by both caseworkers")
    dialog.merge_button.click()
    qtbot.waitUntil(lambda: dialog.merged is not None, timeout=WAIT)
    assert {kept.id, merged.id} == {first.survivor_id, second.survivor_id}
    # The list follows: one survivor is left, holding both cases.
    qtbot.waitUntil(
        lambda: not panel.loading and [p.kind for p in panel.people].count(PartyKind.SURVIVOR) == 1,
        timeout=WAIT,
    )
    left = next(p for p in panel.people if p.kind is PartyKind.SURVIVOR)
    assert left.id == kept.id and set(left.case_codes) == {first.code, second.code}

    panel.history_button.click()
    history = panel.dialog
    assert isinstance(history, MergeHistoryDialog)
    qtbot.waitUntil(lambda: bool(history.merges), timeout=WAIT)
    row = history.tree.topLevelItem(0)
    assert row is not None and "confirmed by both" in row.text(6)
    history.tree.setCurrentItem(row)
    assert history.undo_button.isEnabled()
    history.undo(history.merges[0].id, "Two sisters after all: different dates on the papers")
    qtbot.waitUntil(
        lambda: bool(history.merges) and history.merges[0].undone_at is not None, timeout=WAIT
    )
    assert not history.undo_button.isEnabled()
    item = history.tree.topLevelItem(0)
    assert item is not None and "Two sisters" in item.text(7)
    merges = PersonMergeService(file_org.db, file_org.actors["admin"]).merges()
    assert merges[0].undone_at is not None
    qtbot.waitUntil(
        lambda: [p.kind for p in panel.people].count(PartyKind.SURVIVOR) == 2, timeout=WAIT
    )


def test_auditor_reads_merge_history_but_cannot_undo(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot
) -> None:
    first = make_case(file_org)
    second = make_case(file_org)
    PersonMergeService(file_org.db, file_org.actors["admin"]).merge(
        PartyKind.ACCUSED, first.accused_id, second.accused_id, "same man"
    )
    panel = _people_panel(sessions["auditor"])
    assert (not panel.history_button.isHidden()) and panel.merge_button.isHidden()
    panel.history_button.click()
    history = panel.dialog
    assert isinstance(history, MergeHistoryDialog)
    qtbot.waitUntil(lambda: bool(history.merges), timeout=WAIT)
    assert history.undo_button.isHidden()
    assert history.tree.topLevelItem(0) is not None


def test_record_opens_from_the_people_list_with_enter(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot
) -> None:
    fc = make_case(file_org)
    panel = _people_panel(sessions["caseworker"])
    _find(panel, fc.survivor_code, qtbot)
    panel.tree.setFocus()
    found = panel.tree.topLevelItem(0)
    assert found is not None
    panel.tree.setCurrentItem(found)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Return)
    dialog = panel.dialog
    assert isinstance(dialog, SurvivorRecordDialog)
    qtbot.waitUntil(lambda: dialog.record is not None, timeout=WAIT)
    assert dialog.record is not None and dialog.record.survivor.code == fc.survivor_code
    # The Cases tab lists the case; Enter opens it in the main window.
    assert dialog.cases.topLevelItem(0) is not None
    first_case = dialog.cases.topLevelItem(0)
    assert first_case is not None and first_case.text(0) == fc.code


def test_documents_are_listed_only_while_the_details_are_shown(
    file_org: Org, sessions: dict[str, Session], qtbot: QtBot, tmp_path: Path
) -> None:
    fc = make_case(file_org)
    _workspace, dialog = _record_from_case(sessions["caseworker"], fc, qtbot)
    assert dialog.documents is None and dialog.tabs.count() == 3
    dialog.show_identity()
    qtbot.waitUntil(lambda: dialog.identity_shown and dialog.documents is not None, timeout=WAIT)
    documents = dialog.documents
    assert documents is not None and dialog.tabs.count() == 4
    card = tmp_path / "aadhaar-card.pdf"
    card.write_bytes(b"%PDF-1.4 identity card of the survivor")
    documents.attach_path(card, "Identity card")
    qtbot.waitUntil(lambda: [a.file_name for a in documents.attachments] == [card.name])
    dialog.hide_button.click()
    assert dialog.documents is None and dialog.tabs.count() == 3
