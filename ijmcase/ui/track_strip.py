"""The four stage tracks of a case as a strip of cards, and the dialog that
moves one.

Each card shows the track's status, its dates and its outcome. Its "Move"
menu offers the moves the rules allow; the ones they forbid are listed
too, disabled, with the reason from ``domain.stages`` as their tooltip, and
"Why not…?" shows every reason in words, so nobody is left guessing why a
move is missing (and a keyboard user can read it too).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import Stage, TrackStatus
from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.domain.stages import TRANSITIONS, TransitionRule
from ijmcase.services.cases import CaseDetail, TrackView
from ijmcase.services.context import Outcome
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text

__all__ = ["TrackCard", "TrackStrip", "TransitionDialog", "move_label"]

# Colours that read on light and dark palettes and are told apart without colour
# too: every status is also written out on the card.
STATUS_STYLE = {
    TrackStatus.NOT_STARTED: ("#5f6368", "#f1f3f4"),
    TrackStatus.ACTIVE: ("#ffffff", "#1a73e8"),
    TrackStatus.COMPLETED: ("#ffffff", "#188038"),
    TrackStatus.NOT_APPLICABLE: ("#5f6368", "#e8eaed"),
}


def move_label(source: TrackStatus, target: TrackStatus) -> str:
    """The verb a person would use for a move."""
    if target is TrackStatus.ACTIVE:
        return {
            TrackStatus.NOT_STARTED: "Start",
            TrackStatus.COMPLETED: "Reopen…",
            TrackStatus.NOT_APPLICABLE: "Start (was not applicable)…",
        }.get(source, "Make active")
    if target is TrackStatus.COMPLETED:
        return "Complete…"
    if target is TrackStatus.NOT_APPLICABLE:
        return "Mark not applicable…"
    return "Back to not started…"


def rule_for(source: TrackStatus, target: TrackStatus) -> TransitionRule | None:
    return next((r for r in TRANSITIONS if r.source is source and r.target is target), None)


Explain = Callable[[Stage, TrackStatus], str | None]


class TrackCard(QFrame):
    move_requested = Signal(object, object)  # Stage, TrackStatus

    def __init__(self, stage: Stage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"track_{stage.value}")
        self.setAccessibleName(self.tr("%s track") % stage.label)
        self.setMinimumWidth(200)

        self.title = QLabel(f"<b>{stage.label}</b>")
        self.status = QLabel()
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setMinimumHeight(24)
        self.dates = QLabel()
        self.dates.setStyleSheet("color: palette(dark);")
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setMaximumHeight(48)
        self.move_button = QToolButton()
        self.move_button.setText(self.tr("Move…"))
        self.move_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.move_button.setAccessibleName(self.tr("Move the %s track") % stage.label.lower())
        self.menu = QMenu(self)
        self.menu.setToolTipsVisible(True)
        self.move_button.setMenu(self.menu)
        self.refusals: dict[TrackStatus, str] = {}

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.dates)
        layout.addWidget(self.outcome, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.move_button)
        layout.addLayout(row)

    def set_track(self, track: TrackView, explain: Explain) -> None:
        fg, bg = STATUS_STYLE[track.status]
        self.status.setText(track.status.label)
        self.status.setStyleSheet(
            f"color: {fg}; background: {bg}; border-radius: 4px; padding: 2px 8px;"
        )
        parts = []
        if track.started_on:
            parts.append(self.tr("Started %s") % _show(track.started_on))
        if track.completed_on:
            parts.append(self.tr("Completed %s") % _show(track.completed_on))
        self.dates.setText("  ·  ".join(parts) or self.tr("No dates yet"))
        self.outcome.setText(track.outcome_note)
        self.outcome.setToolTip(track.outcome_note)
        self.setToolTip(f"{self.stage.label}: {track.status.label}")

        self.menu.clear()
        self.refusals = {}
        allowed: list[TrackStatus] = []
        for target in TrackStatus:
            if target is track.status:
                continue
            refusal = explain(self.stage, target)
            if refusal is None:
                allowed.append(target)
            else:
                self.refusals[target] = refusal
        for target in allowed:
            action = QAction(self.tr(move_label(track.status, target)), self.menu)
            action.triggered.connect(
                lambda _checked=False, t=target: self.move_requested.emit(self.stage, t)
            )
            self.menu.addAction(action)
        if self.refusals:
            self.menu.addSection(self.tr("Not possible now"))
            for target, reason in self.refusals.items():
                action = QAction(target.label, self.menu)
                action.setEnabled(False)
                action.setToolTip(reason)
                action.setStatusTip(reason)
                self.menu.addAction(action)
            why = QAction(self.tr("Why not…?"), self.menu)
            why.triggered.connect(self._explain)
            self.menu.addAction(why)

    def _explain(self) -> None:
        lines = [f"• {t.label}: {reason}" for t, reason in self.refusals.items()]
        QMessageBox.information(
            self,
            self.tr("%s track") % self.stage.label,
            self.tr("These moves are not possible now:") + "\n\n" + "\n\n".join(lines),
        )


def _show(d: date) -> str:
    return QLocale().toString(QDate(d.year, d.month, d.day), "d MMM yyyy")


class TrackStrip(QWidget):
    """Four cards side by side, in the order of the work."""

    move_requested = Signal(object, object)  # Stage, TrackStatus

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.cards: dict[Stage, TrackCard] = {}
        for stage in Stage:
            card = TrackCard(stage)
            card.move_requested.connect(self.move_requested)
            self.cards[stage] = card
            layout.addWidget(card, 1)

    def set_tracks(self, tracks: tuple[TrackView, ...], explain: Explain) -> None:
        for track in tracks:
            self.cards[track.stage].set_track(track, explain)


class TransitionDialog(QDialog):
    """Date and, where the rules ask for it, a reason or an outcome."""

    def __init__(
        self,
        ops: Operations,
        stage: Stage,
        source: TrackStatus,
        target: TrackStatus,
        save: Callable[[date, str, str], Outcome[CaseDetail]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.stage, self.source, self.target = stage, source, target
        self._ops = ops
        self._save = save
        self.saved: CaseDetail | None = None
        rule = rule_for(source, target)
        self.needs_reason = bool(rule and rule.needs_reason)
        self.needs_outcome = bool(rule and rule.needs_outcome)
        verb = move_label(source, target).rstrip("…")
        self.setWindowTitle(f"{stage.label}: {verb}")
        self.setMinimumWidth(440)

        self.form = FieldForm()
        self.on = date_edit(self.tr("Date"))
        self.on.setMaximumDate(QDate.currentDate())
        self.form.add_row("on", self.tr("&Date"), self.on)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(80)
        if self.needs_outcome:
            self.note.setAccessibleName(self.tr("Outcome"))
            self.note.setPlaceholderText(self.tr("What was achieved (required)"))
            self.form.add_row("outcome", self.tr("&Outcome"), self.note)
        else:
            self.note.setAccessibleName(self.tr("Reason"))
            self.note.setPlaceholderText(
                self.tr("Why (required)") if self.needs_reason else self.tr("Why (optional)")
            )
            self.form.add_row("reason", self.tr("&Reason"), self.note)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr(verb))
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("%(stage)s track: %(source)s → %(target)s")
                .replace("%(stage)s", stage.label)
                .replace("%(source)s", source.label.lower())
                .replace("%(target)s", target.label.lower())
            )
        )
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.note.setFocus()

    def value(self) -> tuple[date, str, str]:
        """(date, reason, outcome)."""
        q = self.on.date()
        text = self.note.toPlainText().strip()
        on = date(q.year(), q.month(), q.day())
        return (on, "", text) if self.needs_outcome else (on, text, "")

    def _check(self) -> None:
        on, reason, outcome = self.value()
        if self.needs_reason and not reason:
            self.form.show_problems([FieldProblem("reason", "required", self.tr("Give a reason."))])
            return
        if self.needs_outcome and not outcome:
            self.form.show_problems(
                [FieldProblem("outcome", "required", self.tr("Describe the outcome."))]
            )
            return
        self.buttons.setEnabled(False)
        self._ops.write(
            lambda: self._save(on, reason, outcome),
            self._on_saved,
            parent=self,
            on_error=self._on_refused,
        )

    def _on_saved(self, detail: CaseDetail) -> None:
        self.buttons.setEnabled(True)
        self.saved = detail
        self.accept()

    def _on_refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
        else:
            self.form.clear_problems()
            self.form.show_message(error_text(exc))
