"""Dialogs of the Legal section: open a proceeding, record a milestone (or
skip it with a reason), add a charge, record the outcome and sentence,
schedule a hearing and record what happened at it.

Each dialog builds a draft from ``domain.court_drafts``, shows the draft's
own problems next to the fields before anything is sent, then saves through
``ops.write`` (on the worker, announced with ``changes_applied``). What the
service refuses comes back the same way: a ``ValidationError`` next to its
fields, a rule the domain enforces (a milestone out of order, a verdict
without a charge) as the form's message, in the domain's words.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.court_drafts import ChargeDraft, HearingDraft, HearingResult, OutcomeDraft
from ijmcase.domain.enums import HearingOutcome, OfficialRole, ProceedingOutcome
from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.services.context import Outcome
from ijmcase.services.court_views import HearingRow, ProceedingView
from ijmcase.services.hearings import RecordedHearing
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text

__all__ = [
    "ChargeDialog",
    "HearingChoices",
    "HearingOutcomeDialog",
    "MilestoneDialog",
    "OpenProceedingDialog",
    "ProceedingOutcomeDialog",
    "ScheduleHearingDialog",
]

T = TypeVar("T")


def py_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _line(accessible_name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(accessible_name)
    return edit


def _notes(accessible_name: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setAccessibleName(accessible_name)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(60)
    return edit


class _CourtDialog(QDialog):
    """A form, Save/Cancel, and the save-on-the-worker plumbing every dialog shares."""

    def __init__(self, ops: Operations, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ops = ops
        self.saved: object | None = None
        self.setWindowTitle(title)
        self.form = FieldForm()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

    def _finish_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        # Extra height goes below the form, so each label stays beside its field.
        layout.addStretch(1)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:  # pragma: no cover - each dialog has its own
        raise NotImplementedError

    def _send(self, problems: Sequence[FieldProblem], save: Callable[[], Outcome[T]]) -> None:
        """Show the draft's problems, or save and close on success."""
        if self.form.show_problems(problems):
            return
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.form.show_problems(exc.problems)
            else:
                self.form.clear_problems()
                self.form.show_message(error_text(exc))

        def done(value: T) -> None:
            self.buttons.setEnabled(True)
            self.saved = value
            self.accept()

        self._ops.write(save, done, parent=self, on_error=failed)


# -- proceedings ---------------------------------------------------------------


class OpenProceedingDialog(_CourtDialog):
    """Start the proceeding against an accused who has none yet."""

    def __init__(
        self,
        ops: Operations,
        accused: Sequence[tuple[uuid.UUID, str]],
        templates: Sequence[tuple[str, str]],
        default_template: str,
        courts: Sequence[tuple[uuid.UUID, str, str]],
        save: Callable[[uuid.UUID, str, uuid.UUID | None, str], Outcome[ProceedingView]],
        parent: QWidget | None = None,
        *,
        accused_id: uuid.UUID | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Open proceeding"), parent)
        self._save = save
        self.accused = QComboBox()
        self.accused.setAccessibleName(self.tr("Accused"))
        for person_id, text in accused:
            self.accused.addItem(text, person_id)
        if accused_id is not None:
            self.accused.setCurrentIndex(max(0, self.accused.findData(accused_id)))
        self.template = QComboBox()
        self.template.setAccessibleName(self.tr("Legal-pathway template"))
        for key, name in templates:
            self.template.addItem(name, key)
        self.template.setCurrentIndex(max(0, self.template.findData(default_template)))
        self.court = _court_combo(courts, self.tr("Court"), self.tr("(not yet known)"))
        self.number = _line(self.tr("Court case number"))
        self.form.add_row("accused_id", self.tr("&Accused"), self.accused)
        self.form.add_row("template", self.tr("&Template"), self.template)
        self.form.add_row("court_id", self.tr("&Court"), self.court)
        self.form.add_row("court_case_number", self.tr("Case &number"), self.number)
        self._finish_layout()
        self.resize(520, 240)

    def _submit(self) -> None:
        accused = self.accused.currentData()
        problems = []
        if not isinstance(accused, uuid.UUID):
            problems.append(FieldProblem("accused_id", "required", self.tr("Choose the accused.")))
        template = str(self.template.currentData() or "")
        court = self.court.currentData()
        court_id = court if isinstance(court, uuid.UUID) else None
        number = self.number.text().strip()
        self._send(
            problems,
            lambda: self._save(accused, template, court_id, number),
        )


class MilestoneDialog(_CourtDialog):
    """Record a milestone of the proceeding's pathway, or skip it with a reason.

    Every milestone of the template is offered, the ones the order allows
    next first; the domain decides, and its refusal is shown here."""

    def __init__(
        self,
        ops: Operations,
        proceeding: ProceedingView,
        milestones: Sequence[tuple[str, str]],
        save: Callable[[str, date, bool, str], Outcome[ProceedingView]],
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Record milestone: %1 (%2)")
        super().__init__(
            ops,
            title.replace("%1", proceeding.accused_name).replace("%2", proceeding.accused_code),
            parent,
        )
        self._save = save
        self.milestone = QComboBox()
        self.milestone.setAccessibleName(self.tr("Milestone"))
        allowed = {s.key for s in proceeding.next_steps}
        for step in proceeding.next_steps:
            suffix = self.tr(" (optional)") if step.optional else ""
            self.milestone.addItem(self.tr("Next: %s") % step.label + suffix, step.key)
        if allowed and len(allowed) < len(milestones):
            self.milestone.insertSeparator(self.milestone.count())
        for key, label in milestones:
            if key not in allowed:
                self.milestone.addItem(label, key)
        self.on = date_edit(self.tr("Date reached"))
        self.on.setMaximumDate(QDate.currentDate())
        self.skip = QCheckBox(self.tr("&Skip this step (a reason is needed)"))
        self.reason = _line(self.tr("Reason for skipping"))
        self.reason.setPlaceholderText(self.tr("e.g. the accused pleaded guilty"))
        self.form.add_row("key", self.tr("&Milestone"), self.milestone)
        self.form.add_row("on", self.tr("&Date"), self.on)
        self.form.add_row("skipped", "", self.skip)
        self.form.add_row("reason", self.tr("&Reason"), self.reason)
        self.ok.setText(self.tr("Record"))
        self.skip.toggled.connect(
            lambda on: self.ok.setText(self.tr("Skip") if on else self.tr("Record"))
        )
        self._finish_layout()
        self.resize(560, 260)

    def choose(self, key: str) -> None:
        self.milestone.setCurrentIndex(self.milestone.findData(key))

    def _submit(self) -> None:
        key = str(self.milestone.currentData() or "")
        on = py_date(self.on.date())
        skipped = self.skip.isChecked()
        reason = self.reason.text().strip()
        problems = []
        if not key:
            problems.append(FieldProblem("key", "required", self.tr("Choose the milestone.")))
        self._send(problems, lambda: self._save(key, on, skipped, reason))


class ChargeDialog(_CourtDialog):
    """A charge against the accused: statute, section, description, filing date."""

    def __init__(
        self,
        ops: Operations,
        accused: str,
        save: Callable[[ChargeDraft], Outcome[ProceedingView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Add charge against %s") % accused, parent)
        self._save = save
        self.statute = _line(self.tr("Statute"))
        self.statute.setPlaceholderText(self.tr("e.g. RA 9208 as amended"))
        self.section = _line(self.tr("Section"))
        self.description = _line(self.tr("Description"))
        self.filed_on = date_edit(self.tr("Date filed"))
        self.filed_on.setMaximumDate(QDate.currentDate())
        self.form.add_row("statute", self.tr("&Statute"), self.statute)
        self.form.add_row("section", self.tr("S&ection"), self.section)
        self.form.add_row("description", self.tr("&Description"), self.description)
        self.form.add_row("filed_on", self.tr("&Filed on"), self.filed_on)
        self._finish_layout()
        self.resize(520, 260)

    def value(self) -> ChargeDraft:
        return ChargeDraft(
            statute=self.statute.text().strip(),
            filed_on=py_date(self.filed_on.date()),
            section=self.section.text().strip(),
            description=self.description.text().strip(),
        )

    def _submit(self) -> None:
        draft = self.value()
        self._send(draft.problems(today=date.today()), lambda: self._save(draft))


class ProceedingOutcomeDialog(_CourtDialog):
    """The outcome (convicted, acquitted, …) and, after a conviction, the sentence."""

    def __init__(
        self,
        ops: Operations,
        proceeding: ProceedingView,
        save: Callable[[OutcomeDraft], Outcome[ProceedingView]],
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Outcome and sentence: %1 (%2)")
        super().__init__(
            ops,
            title.replace("%1", proceeding.accused_name).replace("%2", proceeding.accused_code),
            parent,
        )
        self._save = save
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(self.tr("Outcome"))
        for o in ProceedingOutcome:
            self.outcome.addItem(o.label, o)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(proceeding.outcome)))
        self.on = date_edit(self.tr("Date of the outcome"))
        self.on.setMaximumDate(QDate.currentDate())
        if proceeding.outcome_on is not None:
            self.on.setDate(qdate(proceeding.outcome_on))
        self.months = QSpinBox()
        self.months.setAccessibleName(self.tr("Prison term in months"))
        self.months.setRange(0, 1200)
        self.months.setSpecialValueText(self.tr("none"))
        self.months.setValue(proceeding.prison_months or 0)
        self.life = QCheckBox(self.tr("&Life imprisonment"))
        self.life.setChecked(proceeding.life_sentence)
        self.fine = _line(self.tr("Fine amount"))
        self.fine.setPlaceholderText(self.tr("none"))
        if proceeding.fine_amount is not None:
            self.fine.setText(f"{proceeding.fine_amount}")
        self.currency = _line(self.tr("Fine currency"))
        self.currency.setMaxLength(3)
        self.currency.setText(proceeding.fine_currency)
        fine = QWidget()
        row = QHBoxLayout(fine)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.fine, 1)
        row.addWidget(self.currency)
        self.notes = _notes(self.tr("Notes"))
        self.form.add_row("outcome", self.tr("&Outcome"), self.outcome)
        self.form.add_row("on", self.tr("&Date"), self.on)
        self.form.add_row("prison_months", self.tr("&Prison (months)"), self.months)
        self.form.add_row("life_sentence", "", self.life)
        self.form.add_row("fine_amount", self.tr("&Fine"), fine)
        self.form.add_row("notes", self.tr("&Notes"), self.notes)
        self._finish_layout()
        self.resize(520, 360)

    def _submit(self) -> None:
        outcome = ProceedingOutcome(self.outcome.currentData())
        amount: Decimal | None = None
        problems: list[FieldProblem] = []
        text = self.fine.text().strip().replace(",", "")
        if text:
            try:
                amount = Decimal(text)
            except InvalidOperation:
                problems.append(
                    FieldProblem(
                        "fine_amount", "not_a_number", self.tr("Give the fine as a number.")
                    )
                )
        draft = OutcomeDraft(
            outcome=outcome,
            on=None if outcome is ProceedingOutcome.PENDING else py_date(self.on.date()),
            prison_months=self.months.value() or None,
            life_sentence=self.life.isChecked(),
            fine_amount=amount,
            fine_currency=self.currency.text().strip().upper(),
            notes=self.notes.toPlainText().strip(),
        )
        self._send(problems or draft.problems(today=date.today()), lambda: self._save(draft))


# -- hearings ------------------------------------------------------------------


@dataclass(frozen=True)
class HearingChoices:
    """What the schedule dialog offers, read on the worker by the Legal tab."""

    timezone: str
    courts: tuple[tuple[uuid.UUID, str, str], ...]
    proceedings: tuple[ProceedingView, ...]
    staff: tuple[tuple[uuid.UUID, str], ...]
    survivors: tuple[tuple[uuid.UUID, str], ...]
    # (measure id, survivor id, label) of the protection measures in force
    measures: tuple[tuple[uuid.UUID, uuid.UUID, str], ...]
    me: uuid.UUID | None = None


def _court_combo(courts: Sequence[tuple[uuid.UUID, str, str]], name: str, empty: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(empty, None)
    for court_id, court_name, country in courts:
        combo.addItem(f"{court_name} ({country})", court_id)
    return combo


class ScheduleHearingDialog(_CourtDialog):
    """A new court date: when (court-local), where, before whom, for what, who."""

    def __init__(
        self,
        ops: Operations,
        choices: HearingChoices,
        judges: Callable[[uuid.UUID], list[tuple[uuid.UUID, str, OfficialRole]]],
        save: Callable[[HearingDraft], Outcome[HearingRow]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, self.tr("Schedule hearing"), parent)
        self._save = save
        self._judges = judges
        self._choices = choices
        self.on = date_edit(self.tr("Hearing date"))
        self.at = QTimeEdit(QTime(9, 0))
        self.at.setAccessibleName(self.tr("Start time, court-local"))
        self.at.setDisplayFormat("HH:mm")
        self.zone = _line(self.tr("Time zone of the court"))
        self.zone.setText(choices.timezone)
        when = QWidget()
        w = QHBoxLayout(when)
        w.setContentsMargins(0, 0, 0, 0)
        w.addWidget(self.on, 1)
        w.addWidget(self.at)
        w.addWidget(self.zone, 1)
        self.court = _court_combo(choices.courts, self.tr("Court"), self.tr("Choose a court…"))
        self.courtroom = _line(self.tr("Courtroom"))
        self.judge = QComboBox()
        self.judge.setAccessibleName(self.tr("Judge or magistrate"))
        self.judge.addItem(self.tr("(not known)"), None)
        self.purpose = _line(self.tr("Purpose"))
        self.purpose.setPlaceholderText(self.tr("e.g. Arraignment; Trial: prosecution evidence"))
        self.accused = QComboBox()
        self.accused.setAccessibleName(self.tr("Accused (proceeding)"))
        self.accused.addItem(self.tr("(the case as a whole)"), None)
        for p in choices.proceedings:
            self.accused.addItem(f"{p.accused_name} ({p.accused_code})", p.id)
        self.staff = QListWidget()
        self.staff.setAccessibleName(self.tr("Attending staff"))
        self.staff.setFixedHeight(90)
        for user_id, name in choices.staff:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, user_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if user_id == choices.me else Qt.CheckState.Unchecked
            )
            self.staff.addItem(item)
        self.testifies = QCheckBox(self.tr("The survivor &testifies"))
        self.survivor = QComboBox()
        self.survivor.setAccessibleName(self.tr("Survivor who testifies (by code)"))
        for survivor_id, code in choices.survivors:
            self.survivor.addItem(code, survivor_id)
        self.protection = QComboBox()
        self.protection.setAccessibleName(self.tr("Protection measure for the testimony"))
        testimony = QWidget()
        t = QHBoxLayout(testimony)
        t.setContentsMargins(0, 0, 0, 0)
        t.addWidget(self.testifies)
        t.addWidget(self.survivor, 1)
        self.preparation = _notes(self.tr("What must be prepared"))
        self.form.add_row("hearing_on", self.tr("&When"), when)
        self.form.add_row("court_id", self.tr("&Court"), self.court)
        self.form.add_row("courtroom", self.tr("Court&room"), self.courtroom)
        self.form.add_row("judge_id", self.tr("&Judge"), self.judge)
        self.form.add_row("purpose", self.tr("&Purpose"), self.purpose)
        self.form.add_row("proceeding_id", self.tr("&Accused"), self.accused)
        self.form.add_row("staff_ids", self.tr("Attending &staff"), self.staff)
        self.form.add_row("testifying_survivor_id", self.tr("Sur&vivor"), testimony)
        self.form.add_row("protection_measure_id", self.tr("Pr&otection"), self.protection)
        self.form.add_row("preparation", self.tr("Pr&epare"), self.preparation)
        # A zone problem belongs with the time.
        self.form.add_row("timezone", "", QWidget())
        self.court.currentIndexChanged.connect(lambda _i: self._load_judges())
        self.testifies.toggled.connect(lambda _on: self._update_testimony())
        self.survivor.currentIndexChanged.connect(lambda _i: self._update_testimony())
        self._update_testimony()
        self._finish_layout()
        self.resize(640, 560)

    def _update_testimony(self) -> None:
        on = self.testifies.isChecked()
        self.survivor.setEnabled(on)
        survivor = self.survivor.currentData()
        self.protection.clear()
        self.protection.addItem(self.tr("(none)"), None)
        for measure_id, survivor_id, label in self._choices.measures:
            if survivor_id == survivor:
                self.protection.addItem(label, measure_id)
        self.protection.setEnabled(on)

    def _load_judges(self) -> None:
        self.judge.clear()
        self.judge.addItem(self.tr("(not known)"), None)
        court = self.court.currentData()
        if not isinstance(court, uuid.UUID):
            return
        wanted = court

        def shown(found: list[tuple[uuid.UUID, str, OfficialRole]]) -> None:
            if self.court.currentData() != wanted:
                return
            for judge_id, name, _role in found:
                self.judge.addItem(name, judge_id)

        self._ops.read(lambda: self._judges(wanted), shown)

    def value(self) -> HearingDraft:
        court = self.court.currentData()
        judge = self.judge.currentData()
        proceeding = self.accused.currentData()
        staff: list[uuid.UUID] = []
        for i in range(self.staff.count()):
            item = self.staff.item(i)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                staff.append(item.data(Qt.ItemDataRole.UserRole))
        testifies = self.testifies.isChecked()
        survivor = self.survivor.currentData() if testifies else None
        measure = self.protection.currentData() if testifies else None
        t = self.at.time()
        return HearingDraft(
            starts_at=datetime.combine(py_date(self.on.date()), time(t.hour(), t.minute())),
            timezone=self.zone.text().strip(),
            purpose=self.purpose.text().strip(),
            proceeding_id=proceeding if isinstance(proceeding, uuid.UUID) else None,
            court_id=court if isinstance(court, uuid.UUID) else None,
            courtroom=self.courtroom.text().strip(),
            judge_id=judge if isinstance(judge, uuid.UUID) else None,
            staff_ids=tuple(staff),
            survivor_testifies=testifies,
            testifying_survivor_id=survivor if isinstance(survivor, uuid.UUID) else None,
            protection_measure_id=measure if isinstance(measure, uuid.UUID) else None,
            preparation=self.preparation.toPlainText().strip(),
        )

    def _submit(self) -> None:
        draft = self.value()
        self._send(draft.problems(), lambda: self._save(draft))


class HearingOutcomeDialog(_CourtDialog):
    """Held, adjourned (why) or vacated; a next date creates the next hearing."""

    def __init__(
        self,
        ops: Operations,
        hearing: HearingRow,
        save: Callable[[HearingResult], Outcome[RecordedHearing]],
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Outcome of the hearing on %1 (%2)")
        super().__init__(
            ops,
            title.replace("%1", f"{hearing.starts_at:%Y-%m-%d %H:%M}").replace(
                "%2", hearing.purpose
            ),
            parent,
        )
        self._save = save
        self.hearing = hearing
        self.outcome = QComboBox()
        self.outcome.setAccessibleName(self.tr("Outcome"))
        for o in HearingOutcome:
            self.outcome.addItem(o.label, o)
        self.reason = _line(self.tr("Reason for the adjournment"))
        self.reason.setPlaceholderText(self.tr("e.g. the judge was on leave"))
        self.has_next = QCheckBox(self.tr("The court sits &again on"))
        self.next_on = date_edit(self.tr("Next date"))
        self.next_on.setDate(qdate(hearing.local_date).addDays(14))
        self.next_at = QTimeEdit(QTime(hearing.starts_at.hour, hearing.starts_at.minute))
        self.next_at.setAccessibleName(self.tr("Next time, court-local"))
        self.next_at.setDisplayFormat("HH:mm")
        self.has_next.toggled.connect(self.next_on.setEnabled)
        self.has_next.toggled.connect(self.next_at.setEnabled)
        self.has_next.setChecked(True)
        nxt = QWidget()
        n = QHBoxLayout(nxt)
        n.setContentsMargins(0, 0, 0, 0)
        n.addWidget(self.has_next)
        n.addWidget(self.next_on, 1)
        n.addWidget(self.next_at)
        self.next_purpose = _line(self.tr("Purpose of the next hearing"))
        self.next_purpose.setPlaceholderText(hearing.purpose)
        self.notes = _notes(self.tr("Notes"))
        self.form.add_row("outcome", self.tr("&Outcome"), self.outcome)
        self.form.add_row("reason", self.tr("&Reason"), self.reason)
        self.form.add_row("next_on", self.tr("&Next date"), nxt)
        self.form.add_row("next_purpose", self.tr("Next &purpose"), self.next_purpose)
        self.form.add_row("notes", self.tr("No&tes"), self.notes)
        self.outcome.currentIndexChanged.connect(lambda _i: self._update())
        self._update()
        self._finish_layout()
        self.resize(580, 320)

    def _update(self) -> None:
        held = self.outcome.currentData() is HearingOutcome.HELD
        self.reason.setPlaceholderText(
            self.tr("optional") if held else self.tr("e.g. the judge was on leave")
        )

    def value(self) -> HearingResult:
        has_next = self.has_next.isChecked()
        t = self.next_at.time()
        return HearingResult(
            outcome=HearingOutcome(self.outcome.currentData()),
            reason=self.reason.text().strip(),
            next_on=py_date(self.next_on.date()) if has_next else None,
            next_time=time(t.hour(), t.minute()) if has_next else None,
            next_purpose=self.next_purpose.text().strip(),
            notes=self.notes.toPlainText().strip(),
        )

    def _submit(self) -> None:
        result = self.value()
        problems = result.problems(hearing_on=self.hearing.local_date, today=None)
        self._send(problems, lambda: self._save(result))
