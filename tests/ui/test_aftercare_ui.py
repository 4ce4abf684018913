"""The Aftercare and Prevention sections of a case with real widgets offscreen:
a survivor's assessments and a chart that paints, the assessment form (a
missing score refused next to its row, a full one saved and the tab
following), closing as restored with what is missing shown first, a
referral refused for want of consent, and marking a case government-led."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from ijmcase.domain.assessments import score_field
from ijmcase.domain.enums import AftercareClosureReason, AssessmentType
from ijmcase.services.assessments import AssessmentService
from ijmcase.services.auth import login
from ijmcase.ui.aftercare_tab import AftercareTab, CloseAftercareDialog, ReferralDialog
from ijmcase.ui.assessment_dialog import AssessmentDialog, combo_index
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.preferences import Preferences
from ijmcase.ui.prevention_tab import PreventionTab
from ijmcase.ui.registry import install_views
from ijmcase.ui.worker import Worker
from tests.conftest import FAST_KDF, STAFF_PASSWORD, Org
from tests.services.care_setup import CARE_FROM, CareCase, assessment, care_case, institution

WAIT = 10_000


@pytest.fixture
def care(file_org: Org) -> CareCase:
    return care_case(file_org)


@pytest.fixture
def window(file_org: Org, care: CareCase, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    worker = Worker()
    session = login(file_org.location, "caseworker", STAFF_PASSWORD, kdf=FAST_KDF)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(session, worker, is_demo=False, settings=settings)
    win.prefs = Preferences(confirm_quit_with_open_cases=False)
    install_views(win)
    qtbot.addWidget(win)
    yield win
    worker.wait()
    session.db.dispose()


def _aftercare(window: MainWindow, care: CareCase, qtbot: QtBot) -> AftercareTab:
    workspace = window.open_case(care.case_id)
    tab = workspace.section_tabs["Aftercare"]
    assert isinstance(tab, AftercareTab)
    workspace.tabs.setCurrentWidget(tab)
    window.resize(1300, 900)
    window.show()
    qtbot.waitUntil(lambda: tab.loaded is not None and not tab._loading, timeout=WAIT)
    return tab


def test_tab_shows_assessments_and_the_chart_paints(
    window: MainWindow, care: CareCase, file_org: Org, qtbot: QtBot
) -> None:
    service = AssessmentService(file_org.db, file_org.actors["caseworker"])
    service.record(care.case_id, assessment(care.survivor_id, CARE_FROM, value=2))
    service.record(
        care.case_id,
        assessment(care.survivor_id, CARE_FROM + timedelta(days=183), AssessmentType.SIX_MONTH, 3),
    )
    tab = _aftercare(window, care, qtbot)
    assert tab.survivor.currentText() == care.codes[0]
    assert tab.assessment_list.topLevelItemCount() == 2
    # The latest is chosen, with every domain of the instrument and its mean.
    assert tab.scores_title.text().startswith("Latest:")
    assert tab.scores.topLevelItemCount() == 6
    assert tab.scores.topLevelItem(0).text(1) == "3.0"  # type: ignore[union-attr]
    assert "meets the restoration threshold" in tab.status.text()
    # The chart has both rounds, a line per domain, and the numbers as text too.
    assert len(tab.chart.data.rounds) == 2
    assert len(tab.chart.data.series) == 6
    assert "2.0, 3.0" in tab.chart.accessibleDescription()
    assert tab.table.rowCount() == 6 and tab.table.columnCount() == 3
    image = tab.chart.grab().toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert len(colours) > 20, "the chart painted next to nothing"
    # Survivors appear by code only.
    assert all(tab.survivor.itemText(i).startswith("S-") for i in range(tab.survivor.count()))


def test_assessment_dialog_refuses_a_missing_score_then_saves(
    window: MainWindow, care: CareCase, qtbot: QtBot
) -> None:
    tab = _aftercare(window, care, qtbot)
    assert tab.assessment_list.topLevelItemCount() == 0
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = tab.assessment_dialog
    assert isinstance(dialog, AssessmentDialog)
    qtbot.waitUntil(dialog.isVisible)
    keys = list(dialog.rows)
    # The keyboard: focus a row, press a digit.
    first = dialog.rows[keys[0]]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_2)
    assert first.score() == 2
    for key in keys[1:-1]:
        dialog.rows[key].set_score(3)
    safety = dialog.sections["safety"]
    assert "Domain mean: 2.7" in safety.mean.text()
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    missing = keys[-1]
    assert dialog.error_for(score_field(missing)), "the missing score is not flagged"
    assert dialog.error_for(score_field(keys[0])) == ""
    assert dialog.isVisible()
    last = dialog.rows[missing]
    last.setFocus()
    qtbot.keyClick(last, Qt.Key.Key_4)
    dialog.score_notes[missing].setText("Eats twice a day now")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    assert dialog.saved is not None
    # The tab follows through changes_applied.
    qtbot.waitUntil(lambda: tab.assessment_list.topLevelItemCount() == 1, timeout=WAIT)
    qtbot.waitUntil(lambda: len(tab.chart.data.rounds) == 1, timeout=WAIT)
    # value()/set_value() round-trip on a fresh dialog.
    loaded = tab.loaded
    assert loaded is not None
    again = AssessmentDialog(
        tab.ops, loaded.instrument, loaded.survivors, lambda d, r: tab_never_saves()
    )
    qtbot.addWidget(again)
    value = dialog.value()
    again.set_value(value)
    assert again.value() == value


def tab_never_saves() -> NoReturn:
    raise AssertionError("the round-trip dialog must not save")


def test_closing_as_restored_without_approval_shows_what_is_missing(
    window: MainWindow, care: CareCase, qtbot: QtBot
) -> None:
    tab = _aftercare(window, care, qtbot)
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    dialog = tab.close_dialog
    assert isinstance(dialog, CloseAftercareDialog)
    dialog.reason.setCurrentIndex(combo_index(dialog.reason, AftercareClosureReason.RESTORED))
    qtbot.waitUntil(lambda: dialog.gaps is not None and len(dialog.gaps) == 2, timeout=WAIT)
    text = dialog.missing.text()
    assert "no closure assessment" in text
    assert "director has not approved" in text
    assert not dialog.ok.isEnabled()
    # Another reason needs only itself.
    dialog.reason.setCurrentIndex(combo_index(dialog.reason, AftercareClosureReason.LOST_CONTACT))
    qtbot.waitUntil(lambda: dialog.ok.isEnabled(), timeout=WAIT)
    assert "Nothing is missing" in dialog.missing.text()


def test_a_referral_without_consent_shows_the_refusal(
    window: MainWindow, care: CareCase, file_org: Org, qtbot: QtBot
) -> None:
    institution(file_org)
    tab = _aftercare(window, care, qtbot)
    qtbot.mouseClick(tab.refer_button, Qt.MouseButton.LeftButton)
    dialog = tab.referral_dialog
    assert isinstance(dialog, ReferralDialog)
    assert dialog.institution.count() == 1
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.form.message.isVisibleTo(dialog), timeout=WAIT)
    message = dialog.form.message.text()
    assert message.startswith("The referral is refused:"), message
    assert "consent" in message.lower()
    assert dialog.isVisible()
    assert dialog.saved is None


def test_prevention_tab_marks_the_case_government_led(
    window: MainWindow, care: CareCase, qtbot: QtBot
) -> None:
    workspace = window.open_case(care.case_id)
    tab = workspace.section_tabs["Prevention"]
    assert isinstance(tab, PreventionTab)
    window.show()
    qtbot.waitUntil(lambda: tab.loaded is not None, timeout=WAIT)
    assert not tab.government.isChecked()
    asked: list[str] = []

    def confirm(title: str, text: str) -> bool:
        asked.append(text)
        return True

    tab.confirm = confirm  # type: ignore[method-assign]
    tab.government.click()
    assert asked and care.code in asked[0]
    qtbot.waitUntil(lambda: tab.government.isChecked(), timeout=WAIT)
    qtbot.waitUntil(lambda: "Marked on" in tab.government_detail.text(), timeout=WAIT)
    assert tab.loaded is not None and tab.loaded.government_led is not None
