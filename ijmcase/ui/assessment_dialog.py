"""The outcome-assessment form, built from the instrument it scores against.

Each domain of the instrument is a section; each sub-domain is one row of
four radio buttons (1 most vulnerable … 4 least) whose tooltips are the
instrument's anchor texts, with the chosen anchor's text shown beside them so
the assessor reads what the score means, plus an optional note. The row, not
its buttons, takes the keyboard focus: digits 1–4 choose the score of the
focused row, Delete clears it, and Tab moves on to the note and the next row
(so twenty sub-domains are twenty Tab stops, not eighty). Domain means are
shown live as scores are chosen.

Validation is the domain's (``AssessmentDraft.problems``): it runs before
anything is sent, and every problem appears next to its row; the service's
own refusals (a second intake, a date before the case) land the same way.
The dialog exposes ``value()`` and ``set_value()``; a correction also asks
for the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.aftercare import AssessmentDraft, note_field
from ijmcase.domain.assessments import AssessmentDomain, Instrument, SubDomain, score_field
from ijmcase.domain.enums import AssessmentBasis, AssessmentType
from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.services.assessments import AssessmentView
from ijmcase.services.context import Outcome
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text

__all__ = ["AssessmentDialog", "ScoreRow", "combo_index"]

# The save callback: the draft and (for a correction) the reason.
SaveAssessment = Callable[[AssessmentDraft, str], Outcome[AssessmentView]]

FOCUS_STYLE = (
    "QFrame#scoreRow { border: 1px solid transparent; border-radius: 3px; }"
    "QFrame#scoreRow:focus { border: 2px solid palette(highlight); }"
)


def combo_index(combo: QComboBox, value: object) -> int:
    """The row of ``combo`` whose data equals ``value`` (-1: none).

    ``findData()`` compares QVariants and misses a ``uuid.UUID`` kept as a
    Python object, so compare the Python values instead."""
    for i in range(combo.count()):
        if combo.itemData(i) == value:
            return i
    return -1


def _display(mean: Fraction) -> str:
    # One decimal rounded half up, as the domain's own DomainScore.display does.
    value = Decimal(mean.numerator) / Decimal(mean.denominator)
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class ScoreRow(QFrame):
    """One sub-domain's score: four radio buttons, keyboard digits 1–4."""

    changed = Signal()

    def __init__(self, sub: SubDomain, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sub = sub
        self.setObjectName("scoreRow")
        self.setStyleSheet(FOCUS_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(sub.label)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[int, QRadioButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        for anchor in sub.anchors:
            button = QRadioButton(str(anchor.score))
            # The row owns the focus: Tab must not walk through eighty buttons.
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(f"{anchor.score}: {anchor.text}")
            button.setAccessibleName(f"{sub.label}: {anchor.score}")
            button.setAccessibleDescription(anchor.text)
            self.group.addButton(button, anchor.score)
            self.buttons[anchor.score] = button
            row.addWidget(button)
        self.anchor = QLabel()
        self.anchor.setWordWrap(True)
        self.anchor.setMinimumWidth(320)
        self.anchor.setStyleSheet("color: palette(dark);")
        row.addWidget(self.anchor, 1)
        self.group.idToggled.connect(self._on_toggled)
        self._show_anchor()

    def score(self) -> int | None:
        chosen = self.group.checkedId()
        return None if chosen < 0 else chosen

    def set_score(self, score: int | None) -> None:
        if score is None:
            # An exclusive group will not let its last checked button go.
            self.group.setExclusive(False)
            for button in self.buttons.values():
                button.setChecked(False)
            self.group.setExclusive(True)
            self._show_anchor()
            self.changed.emit()
        elif score in self.buttons:
            self.buttons[score].setChecked(True)

    def _on_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._show_anchor()
            self.changed.emit()

    def _show_anchor(self) -> None:
        score = self.score()
        if score is None:
            text = self.tr("Not scored (press 1–4)")
        else:
            text = f"{score}: {self.sub.anchor(score).text}"
        self.anchor.setText(text)
        self.setAccessibleDescription(text)
        self.setToolTip(
            "\n".join(f"{a.score}: {a.text}" for a in self.sub.anchors)
            + "\n"
            + self.tr("Keys 1–4 choose a score; Delete clears it.")
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        digits = {
            Qt.Key.Key_1: 1,
            Qt.Key.Key_2: 2,
            Qt.Key.Key_3: 3,
            Qt.Key.Key_4: 4,
        }
        if key in digits:
            self.set_score(digits[Qt.Key(key)])
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_score(None)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            now = self.score() or (0 if key == Qt.Key.Key_Right else 5)
            step = 1 if key == Qt.Key.Key_Right else -1
            self.set_score(min(4, max(1, now + step)))
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()


class _DomainSection(QGroupBox):
    """One domain: its sub-domain rows and a live mean."""

    def __init__(self, domain: AssessmentDomain, parent: QWidget | None = None) -> None:
        super().__init__(domain.label, parent)
        self.domain = domain
        self.setAccessibleName(domain.label)
        self.form = FieldForm()
        self.rows: dict[str, ScoreRow] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.mean = QLabel()
        self.mean.setStyleSheet("font-weight: 600;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.mean)
        layout.addWidget(self.form)
        for sub in domain.sub_domains:
            row = ScoreRow(sub)
            row.changed.connect(self._update_mean)
            label = sub.label + ("" if not sub.optional else self.tr(" (optional)"))
            self.form.add_row(score_field(sub.key), label, row)
            note = QLineEdit()
            note.setPlaceholderText(self.tr("Optional note"))
            note.setAccessibleName(self.tr("Note on %s") % sub.label)
            self.form.add_row(note_field(sub.key), "", note)
            self.rows[sub.key] = row
            self.notes[sub.key] = note
        self._update_mean()

    def mean_text(self) -> str:
        scored = [s for s in (r.score() for r in self.rows.values()) if s is not None]
        if not scored:
            return self.tr("Domain mean: –")
        mean = Fraction(sum(scored), len(scored))
        text = self.tr("Domain mean: %s") % _display(mean)
        if len(scored) < len(self.rows):
            text += (
                self.tr(" (%1 of %2 scored)")
                .replace("%1", str(len(scored)))
                .replace("%2", str(len(self.rows)))
            )
        return text

    def _update_mean(self) -> None:
        text = self.mean_text()
        self.mean.setText(text)
        self.mean.setAccessibleName(f"{self.domain.label}: {text}")


class AssessmentDialog(QDialog):
    """Record (or correct) one outcome assessment of a survivor."""

    def __init__(
        self,
        ops: Operations,
        instrument: Instrument,
        survivors: Sequence[tuple[uuid.UUID, str]],
        save: SaveAssessment,
        parent: QWidget | None = None,
        *,
        correcting: AssessmentView | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._save = save
        self.instrument = instrument
        self.correcting = correcting
        self.saved: AssessmentView | None = None
        self.setWindowTitle(
            self.tr("Correct assessment of %s") % correcting.survivor_code
            if correcting is not None
            else self.tr("New outcome assessment")
        )
        self.resize(860, 720)

        self.form = FieldForm()
        self.survivor = QComboBox()
        self.survivor.setAccessibleName(self.tr("Survivor"))
        for sid, code in survivors:
            self.survivor.addItem(code, sid)
        self.type = QComboBox()
        self.type.setAccessibleName(self.tr("Assessment type"))
        for t in AssessmentType:
            self.type.addItem(t.label, t)
        self.basis = QComboBox()
        self.basis.setAccessibleName(self.tr("Scored against"))
        for b in AssessmentBasis:
            self.basis.addItem(b.label, b)
        self.assessed_on = date_edit(self.tr("Assessment date"))
        self.assessed_on.setMaximumDate(QDate.currentDate())
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Notes on the assessment"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(54)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Why it is corrected"))
        self.form.add_row("survivor_id", self.tr("&Survivor"), self.survivor)
        self.form.add_row("type", self.tr("&Type"), self.type)
        self.form.add_row("basis", self.tr("Scored &against"), self.basis)
        self.form.add_row("assessed_on", self.tr("&Date"), self.assessed_on)
        self.form.add_row("notes", self.tr("&Notes"), self.notes)
        if correcting is not None:
            self.form.add_row("reason", self.tr("&Reason for correction"), self.reason)
            # A correction is about the same person.
            self.survivor.setEnabled(False)

        hint = QLabel(
            self.tr(
                "Score each sub-domain from 1 (most vulnerable) to 4 (least). With a row "
                "focused, press 1–4 to choose its score; Tab moves on."
            )
        )
        hint.setWordWrap(True)
        self.sections: dict[str, _DomainSection] = {}
        self.rows: dict[str, ScoreRow] = {}
        self.score_notes: dict[str, QLineEdit] = {}
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.form)
        column.addWidget(hint)
        for domain in instrument.domains:
            section = _DomainSection(domain)
            self.sections[domain.key] = section
            self.rows.update(section.rows)
            self.score_notes.update(section.notes)
            column.addWidget(section)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area = scroll

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        save_shortcut = QShortcut(QKeySequence(self.tr("Ctrl+S")), self)
        save_shortcut.activated.connect(self._submit)
        self.instrument_label = QLabel(
            self.tr("Instrument: %s, version %s") % (instrument.title, instrument.version)
        )
        self.instrument_label.setStyleSheet("color: palette(dark);")
        layout = QVBoxLayout(self)
        layout.addWidget(self.instrument_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)

        if correcting is not None:
            if combo_index(self.survivor, correcting.survivor_id) < 0:
                self.survivor.addItem(correcting.survivor_code, correcting.survivor_id)
            self.set_value(
                AssessmentDraft(
                    survivor_id=correcting.survivor_id,
                    assessed_on=correcting.assessed_on,
                    type=correcting.type,
                    basis=correcting.basis,
                    scores={s.key: s.score for d in correcting.domains for s in d.sub_scores},
                    score_notes={
                        s.key: s.note for d in correcting.domains for s in d.sub_scores if s.note
                    },
                    notes=correcting.notes,
                )
            )

    # -- value ----------------------------------------------------------------

    def value(self) -> AssessmentDraft:
        q = self.assessed_on.date()
        survivor = self.survivor.currentData()
        return AssessmentDraft(
            survivor_id=survivor if isinstance(survivor, uuid.UUID) else uuid.UUID(int=0),
            assessed_on=date(q.year(), q.month(), q.day()),
            type=AssessmentType(self.type.currentData()),
            basis=AssessmentBasis(self.basis.currentData()),
            scores={key: row.score() for key, row in self.rows.items()},
            score_notes={
                key: edit.text().strip() for key, edit in self.score_notes.items() if edit.text()
            },
            notes=self.notes.toPlainText().strip(),
        )

    def set_value(self, draft: AssessmentDraft) -> None:
        idx = combo_index(self.survivor, draft.survivor_id)
        if idx >= 0:
            self.survivor.setCurrentIndex(idx)
        self.type.setCurrentIndex(max(0, combo_index(self.type, draft.type)))
        self.basis.setCurrentIndex(max(0, combo_index(self.basis, draft.basis)))
        d = draft.assessed_on
        self.assessed_on.setDate(QDate(d.year, d.month, d.day))
        self.notes.setPlainText(draft.notes)
        for key, row in self.rows.items():
            row.set_score(draft.scores.get(key))
        for key, edit in self.score_notes.items():
            edit.setText(draft.score_notes.get(key, ""))

    # -- errors -----------------------------------------------------------------

    def error_for(self, field: str) -> str:
        """The message shown next to ``field`` (a top field or ``scores.<key>``)."""
        for form in self._forms_for(field):
            return form.error_for(field)
        return ""

    def _forms_for(self, field: str) -> list[FieldForm]:
        key = field.split(".", 1)[1] if "." in field else ""
        if key in self.rows:
            return [self.sections[self.instrument.domain_of(key).key].form]
        if field in ("survivor_id", "type", "basis", "assessed_on", "notes") or (
            field == "reason" and self.correcting is not None
        ):
            return [self.form]
        return []

    def show_problems(self, problems: Iterable[FieldProblem]) -> None:
        """Each problem next to its field; one the form does not show goes on top."""
        by_form: dict[int, tuple[FieldForm, list[FieldProblem]]] = {id(self.form): (self.form, [])}
        for section in self.sections.values():
            by_form[id(section.form)] = (section.form, [])
        for problem in problems:
            forms = self._forms_for(problem.field) or [self.form]
            by_form[id(forms[0])][1].append(problem)
        first: QWidget | None = None
        # Sections first, then the top form, so the cursor ends on the first wrong
        # field from the top of the dialog.
        for form, found in reversed(list(by_form.values())):
            if form.show_problems(found) and found:
                first = form
        if first is not None:
            focused = self.focusWidget()
            if focused is not None:
                self.scroll_area.ensureWidgetVisible(focused)

    # -- saving -----------------------------------------------------------------

    def _submit(self) -> None:
        draft = self.value()
        reason = self.reason.text().strip()
        problems = draft.problems(self.instrument, today=date.today())
        if self.correcting is not None and not reason:
            problems.append(
                FieldProblem("reason", "required", self.tr("Say what was wrong with it."))
            )
        if problems:
            self.show_problems(problems)
            return
        self.show_problems([])
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.show_problems(exc.problems)
            else:
                self.form.show_message(error_text(exc))
                self.scroll_area.ensureVisible(0, 0)

        def done(view: AssessmentView) -> None:
            self.buttons.setEnabled(True)
            self.saved = view
            self.accept()

        self._ops.write(lambda: self._save(draft, reason), done, parent=self, on_error=failed)
