"""Adding people from a case's People tab, with real widgets offscreen: a new
survivor appears by code; an empty legal name is refused next to the field;
a near-duplicate name lists the likely match with its reasons before
anything is saved; an accused person is added; a consent recorded is listed
and can be withdrawn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ijmcase.domain.consent import ConsentDraft
from ijmcase.domain.drafts import AccusedDraft, SurvivorDraft, SurvivorIdentityDraft
from ijmcase.domain.enums import (
    AccusedRole,
    ConsentGiver,
    ConsentScope,
    OfficialRole,
    PartyRole,
    Sex,
)
from ijmcase.services.auth import login
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.official_dialog import NEW_INSTITUTION, OfficialDialog
from ijmcase.ui.person_dialogs import AccusedDialog, ConsentDialog, SurvivorDialog
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.field_setup import FieldCase, make_case

WAIT = 10_000


@pytest.fixture
def opened(
    file_org: Org, qtbot: QtBot, tmp_path: Path
) -> Iterator[tuple[CaseWorkspace, FieldCase]]:
    fc = make_case(file_org, legal_name="Priya Sharma", date_of_birth=date(2008, 2, 3))
    worker = Worker()
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    qtbot.addWidget(win)
    win.show()
    workspace = win.open_case(fc.id)
    qtbot.waitUntil(lambda: workspace.detail is not None, timeout=WAIT)
    yield workspace, fc
    worker.wait()
    session.db.dispose()


def _survivor_dialog(workspace: CaseWorkspace) -> SurvivorDialog:
    assert workspace.add_survivor_button.isEnabled()
    workspace.add_survivor_button.click()
    dialog = workspace.person_dialog
    assert isinstance(dialog, SurvivorDialog)
    return dialog


def _labels(workspace: CaseWorkspace) -> list[str]:
    return [workspace.survivors.item(i).text() for i in range(workspace.survivors.count())]


def _save(dialog: SurvivorDialog | AccusedDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_added_survivor_is_listed_by_code(
    opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot
) -> None:
    workspace, _fc = opened
    dialog = _survivor_dialog(workspace)
    dialog.set_value(
        SurvivorDraft("IN", Sex.FEMALE, alias="Rani", languages="Bengali"),
        SurvivorIdentityDraft("Anjali Verma", date_of_birth=date(2010, 6, 1), phone="98300"),
    )
    assert dialog.minor_at_rescue() is True
    _save(dialog)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=WAIT)
    assert dialog.saved is not None
    code = dialog.saved.code
    assert dialog.saved.minor_at_rescue is True
    qtbot.waitUntil(lambda: any(t.startswith(code) for t in _labels(workspace)), timeout=WAIT)
    # The People tab shows codes, never the legal name.
    assert not any("Anjali" in t for t in _labels(workspace))


def test_empty_legal_name_is_refused_next_to_the_field(
    opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot
) -> None:
    workspace, _fc = opened
    dialog = _survivor_dialog(workspace)
    dialog.set_value(SurvivorDraft("IN", Sex.FEMALE), SurvivorIdentityDraft("  "))
    _save(dialog)
    assert "legal name" in dialog.identity_form.error_for("legal_name")
    assert dialog.tabs.currentWidget() is dialog.identity_form
    assert dialog.saved is None and dialog.duplicates_dialog is None
    assert dialog.isVisible()


def test_near_duplicate_offers_the_match_before_saving(
    opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot
) -> None:
    workspace, fc = opened
    before = len(_labels(workspace))
    dialog = _survivor_dialog(workspace)
    dialog.set_value(
        SurvivorDraft("IN", Sex.FEMALE),
        SurvivorIdentityDraft("Prya Sharma", date_of_birth=date(2008, 2, 3)),
    )
    _save(dialog)
    qtbot.waitUntil(lambda: dialog.duplicates_dialog is not None, timeout=WAIT)
    matches = dialog.duplicates_dialog
    assert matches is not None
    texts = matches.texts()
    assert len(texts) == 1
    assert texts[0].startswith(fc.survivor_code)
    assert "same date of birth" in texts[0] and fc.code in texts[0]
    # Cancel: nothing saved, the form stays open to change.
    matches.reject()
    assert dialog.saved is None and dialog.isVisible()
    assert dialog.buttons.isEnabled()
    # Save as new: saved after all.
    _save(dialog)
    qtbot.waitUntil(
        lambda: dialog.duplicates_dialog is not None and dialog.duplicates_dialog is not matches,
        timeout=WAIT,
    )
    again = dialog.duplicates_dialog
    assert again is not None
    again.save_new.click()
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: len(_labels(workspace)) == before + 1, timeout=WAIT)


def test_add_accused_lists_them(opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot) -> None:
    workspace, _fc = opened
    workspace.add_accused_button.click()
    dialog = workspace.person_dialog
    assert isinstance(dialog, AccusedDialog)
    _save(dialog)
    assert "name" in dialog.form.error_for("name")
    dialog.set_value(AccusedDraft("Mohan Das", "IN", role_in_crime=AccusedRole.RECRUITER))
    _save(dialog)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=WAIT)
    qtbot.waitUntil(
        lambda: any(
            "Mohan Das" in workspace.accused.item(i).text()
            for i in range(workspace.accused.count())
        ),
        timeout=WAIT,
    )


def test_recorded_consent_is_listed_and_can_be_withdrawn(
    opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot
) -> None:
    workspace, fc = opened
    workspace.survivors.setCurrentRow(0)
    assert workspace.consent_button.isEnabled()
    workspace.consent_button.click()
    dialog = workspace.consent_dialog
    assert isinstance(dialog, ConsentDialog)
    assert fc.survivor_code in dialog.windowTitle()
    qtbot.waitUntil(lambda: dialog.texts() == [["No consent recorded", "", "", "", ""]])
    # Sharing without an organization is refused next to the field.
    dialog.set_value(ConsentDraft(ConsentScope.SHARING, date.today()))
    dialog.record_button.click()
    assert "organization" in dialog.form.error_for("organization")
    # The survivor was a child then: a guardian's consent records child assent.
    dialog.set_value(
        ConsentDraft(
            ConsentScope.SHARING,
            date(2025, 6, 1),
            given_by=ConsentGiver.GUARDIAN,
            organization_name="Ashadeep Shelter",
            child_assent=True,
        )
    )
    dialog.record_button.click()
    qtbot.waitUntil(lambda: len(dialog.consents) == 1, timeout=WAIT)
    row = dialog.texts()[0]
    assert row[0] == ConsentScope.SHARING.label and row[1] == "Ashadeep Shelter"
    assert row[3] == "2025-06-01" and row[4] == ""
    item = dialog.list.topLevelItem(0)
    assert item is not None
    dialog.list.setCurrentItem(item)
    assert dialog.withdraw_button.isEnabled()
    dialog.withdraw_button.click()
    qtbot.waitUntil(
        lambda: bool(dialog.consents) and dialog.consents[0].withdrawn_on is not None,
        timeout=WAIT,
    )
    assert dialog.texts()[0][4] == date.today().isoformat()


def _officials(workspace: CaseWorkspace) -> list[str]:
    return [workspace.officials.item(i).text() for i in range(workspace.officials.count())]


def test_official_on_file_is_found_and_added_in_a_role(
    opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot, file_org: Org
) -> None:
    workspace, _fc = opened
    other = make_case(file_org)  # another "Officer Das", of another case, is on file
    workspace.add_official_button.click()
    dialog = workspace.person_dialog
    assert isinstance(dialog, OfficialDialog)
    qtbot.keyClicks(dialog.search, "das")
    qtbot.waitUntil(lambda: len(dialog.found) == 2 and not dialog.loading, timeout=WAIT)
    # The case's own Officer Das is listed but cannot be chosen again.
    texts = [dialog.results.item(i).text() for i in range(2)]
    assert sum(t.startswith("Already in this case") for t in texts) == 1
    chosen = dialog.chosen()
    assert chosen is not None and chosen.id == other.official_id
    # A shelter staff member is a service provider in the case, by default.
    assert dialog.case_role_value() is PartyRole.SERVICE_PROVIDER
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.linked is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: len(_officials(workspace)) == 2, timeout=WAIT)


def test_new_official_with_new_institution_and_problems_shown(
    opened: tuple[CaseWorkspace, FieldCase], qtbot: QtBot
) -> None:
    workspace, _fc = opened
    before = len(_officials(workspace))
    workspace.add_official_button.click()
    dialog = workspace.person_dialog
    assert isinstance(dialog, OfficialDialog)
    qtbot.waitUntil(lambda: dialog.institution.count() >= 3, timeout=WAIT)  # none, one, new
    dialog.tabs.setCurrentIndex(1)
    dialog.institution.setCurrentIndex(dialog.institution.findData(NEW_INSTITUTION))
    assert dialog.institution_name.isEnabled()
    dialog.email.setText("no-at-sign")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    save.click()
    assert "name" in dialog.form.error_for("name")
    assert "@" in dialog.form.error_for("email")
    assert dialog.form.error_for("institution_name")
    dialog.name.setText("Adv. Meera Sen")
    dialog.official_role.setCurrentIndex(dialog.official_role.findData(OfficialRole.PROSECUTOR))
    assert dialog.case_role_value() is PartyRole.PROSECUTOR
    dialog.email.setText("meera.sen@example.org")
    dialog.institution_name.setText("Office of the Public Prosecutor, Howrah")
    save.click()
    qtbot.waitUntil(lambda: dialog.added is not None, timeout=WAIT)
    assert dialog.added is not None
    assert dialog.added.institution_name == "Office of the Public Prosecutor, Howrah"
    qtbot.waitUntil(lambda: len(_officials(workspace)) == before + 1, timeout=WAIT)
    assert any("Meera Sen" in t for t in _officials(workspace))
