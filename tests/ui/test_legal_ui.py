"""The Legal section of a case with real widgets offscreen: the proceeding of
each accused and the hearings are shown; recording a hearing as adjourned
with a next date shows the new hearing (the tab hears changes_applied); a
next date before the hearing is refused next to its field; a milestone out
of order is refused with the domain's own message."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ijmcase.domain.court_drafts import HearingDraft
from ijmcase.domain.enums import HearingOutcome
from ijmcase.services.auth import login
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.hearing_dialogs import HearingOutcomeDialog, MilestoneDialog
from ijmcase.ui.legal_tab import LegalTab
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.court_setup import CourtCase, court_case

WAIT = 10_000
TODAY = date.today()


@dataclass
class Setup:
    window: MainWindow
    cc: CourtCase
    hearing_day: date


@pytest.fixture
def setup(file_org: Org, qtbot: QtBot, tmp_path: Path) -> Iterator[Setup]:
    cc = court_case(file_org)
    proceeding = cc.charged(0, filed=TODAY - timedelta(days=60))
    cc.court().record_milestone(proceeding, "complaint", TODAY - timedelta(days=90))
    day = TODAY - timedelta(days=3)
    draft: HearingDraft = cc.hearing_draft(day, proceeding_id=proceeding, purpose="Arraignment")
    cc.hearings().schedule(cc.case.id, draft)
    worker = Worker()
    session = login(file_org.location, "lawyer", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    win.show()
    yield Setup(win, cc, day)
    worker.wait()
    session.db.dispose()


def _legal(s: Setup, qtbot: QtBot) -> LegalTab:
    workspace = s.window.open_case(s.cc.case.id)
    assert isinstance(workspace, CaseWorkspace)
    tab = workspace.section_tabs["Legal"]
    assert isinstance(tab, LegalTab)
    workspace.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.data is not None and not tab.loading, timeout=WAIT)
    return tab


def test_the_tab_shows_each_accused_and_the_hearings(setup: Setup, qtbot: QtBot) -> None:
    tab = _legal(setup, qtbot)
    assert set(tab.cards) == {"A-PH-0001", "A-PH-0002"}
    card = tab.cards["A-PH-0001"]
    assert card.proceeding is not None
    assert "Rodel Manalo" in card.title()
    facts = card.facts.text()
    assert "Philippines" in facts and "Custody:" in facts and "Outcome: Pending" in facts
    assert "RA 9208" in card.charges.text()
    milestones = [
        card.milestones.topLevelItem(i).text(0)  # type: ignore[union-attr]
        for i in range(card.milestones.topLevelItemCount())
    ]
    assert milestones[0] == "Complaint filed"
    assert any(m.startswith("Next:") for m in milestones)
    # The second accused has no proceeding yet: it can be opened.
    other = tab.cards["A-PH-0002"]
    assert other.proceeding is None and other.open_button.isEnabled()
    [row] = tab.hearing_items()
    assert "(Asia/Manila)" in row.text(0) and "10:00" in row.text(0)
    assert "Rodel Manalo" in row.text(1) and row.text(2) == "Arraignment"
    assert row.text(5) == "outcome not recorded"


def test_adjourned_with_a_next_date_shows_the_next_hearing(setup: Setup, qtbot: QtBot) -> None:
    tab = _legal(setup, qtbot)
    [row] = tab.hearing_items()
    tab.hearings.setCurrentItem(row)
    assert tab.outcome_button.isEnabled()
    tab.outcome_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, HearingOutcomeDialog)
    dialog.outcome.setCurrentIndex(dialog.outcome.findData(HearingOutcome.ADJOURNED))

    # A next date before the hearing is refused next to the field, nothing sent.
    before = setup.hearing_day - timedelta(days=1)
    dialog.next_on.setDate(QDate(before.year, before.month, before.day))
    dialog.reason.setText("The judge was on leave")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "before this hearing" in dialog.form.error_for("next_on")
    assert dialog.isVisible()

    nxt = TODAY + timedelta(days=21)
    dialog.next_on.setDate(QDate(nxt.year, nxt.month, nxt.day))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    qtbot.waitUntil(lambda: len(tab.hearing_items()) == 2 and not tab.loading, timeout=WAIT)
    texts = {item.text(0): item for item in tab.hearing_items()}
    upcoming = [t for t in texts if str(nxt.day) in t and "10:00" in t]
    assert upcoming, texts.keys()
    past = next(i for i in tab.hearing_items() if i.text(5).startswith("Adjourned"))
    assert "judge was on leave" in past.text(5)
    assert "1 adjourned" in tab.adjourned.text()


def test_a_milestone_out_of_order_is_refused_in_the_domains_words(
    setup: Setup, qtbot: QtBot
) -> None:
    tab = _legal(setup, qtbot)
    card = tab.cards["A-PH-0001"]
    card.milestone_button.click()
    dialog = tab.dialog
    assert isinstance(dialog, MilestoneDialog)
    assert dialog.milestone.currentData() in card.next_step_keys()
    dialog.choose("trial")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: dialog.form.message.isVisible(), timeout=WAIT)
    message = dialog.form.message.text()
    assert "first, or skip it with a reason" in message
    assert "Trial" in message or "trial" in message
    assert dialog.isVisible()
