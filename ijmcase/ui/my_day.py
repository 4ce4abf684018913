"""My day: what the logged-in person must do today and soon.

Follow-ups due and overdue (caseworkers), court items that must not slip
(lawyers: a past hearing with no outcome, hearings this week, statutory
deadlines, witness preparation, a proceeding with no next date), and
outcome assessments due (aftercare). One list, most pressing first; Enter
opens the case, and a follow-up can be logged (*Log follow-up…* opens the
entry dialog prefilled from it) or moved to another day from
here. The list reloads only when a write touched follow-ups, hearings,
proceedings or assessments.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.errors import ValidationError
from ijmcase.services.assessments import AssessmentService, DueRow
from ijmcase.services.calendar import AttentionItem, CalendarService
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.followups import FollowUpRow, FollowUpService, MyDay
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.intervention_form import InterventionDialog, open_entry_dialog
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["MyDayView", "RescheduleDialog"]

T = TypeVar("T")

# Areas whose changes can move something on or off this list.
WATCHED = {"interventions", "follow_ups", "hearings", "proceedings", "assessments", "cases"}

FOLLOW_UP_ROLE = Qt.ItemDataRole.UserRole + 1
CASE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class _Day:
    follow_ups: MyDay
    court: list[AttentionItem]
    assessments: list[DueRow]


def _short(d: date | None) -> str:
    if d is None:
        return ""
    return QLocale().toString(QDate(d.year, d.month, d.day), "ddd d MMM yyyy")


class MyDayView(QWidget):
    """Navigation entry "My day"."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._loading = False
        self.setAccessibleName(self.tr("My day"))
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.summary = QLabel()
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Things to do"))
        self.tree.setHeaderLabels([self.tr("When"), self.tr("Case"), self.tr("What")])
        self.tree.setColumnWidth(0, 240)
        self.tree.setColumnWidth(1, 130)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.open_button = QPushButton(self.tr("&Open case"))
        self.open_button.clicked.connect(self._open_current)
        self.log_button = QPushButton(self.tr("&Log follow-up…"))
        self.log_button.setToolTip(
            self.tr("Log the intervention that does this follow-up and mark it done")
        )
        self.log_button.clicked.connect(self._log_current)
        self.entry_dialog: InterventionDialog | None = None
        self.reschedule_button = QPushButton(self.tr("&Reschedule follow-up…"))
        self.reschedule_button.clicked.connect(self._reschedule_current)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.log_button)
        buttons.addWidget(self.reschedule_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self._update_buttons()
        self.reload()

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        if self._loading:
            return
        self._loading = True
        services = self._ctx.services

        def fetch() -> _Day:
            return _Day(
                services.get(FollowUpService).my_day(),
                services.get(CalendarService).attention(mine=True),
                services.get(AssessmentService).due(within_days=14),
            )

        self._ctx.ops.read(fetch, self._on_loaded, on_error=self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.summary.setText(error_text(exc))

    def _on_loaded(self, day: _Day) -> None:
        self._loading = False
        self.heading.setText(self.tr("My day — %s") % _short(day.follow_ups.on))
        self.tree.clear()
        fu = day.follow_ups
        self._group(self.tr("Overdue follow-ups"), fu.overdue, self._follow_up_item, urgent=True)
        self._group(self.tr("Follow-ups due today"), fu.due_today, self._follow_up_item)
        self._group(self.tr("Court: must not slip"), day.court, self._court_item)
        self._group(self.tr("Outcome assessments due"), day.assessments, self._assessment_item)
        self._group(self.tr("Follow-ups in the next 7 days"), fu.upcoming, self._follow_up_item)
        overdue_court = sum(1 for a in day.court if a.overdue)
        self.summary.setText(
            self.tr(
                "%1 follow-up(s) overdue, %2 due today, %3 court item(s) (%4 late), "
                "%5 assessment(s) due"
            )
            .replace("%1", str(len(fu.overdue)))
            .replace("%2", str(len(fu.due_today)))
            .replace("%3", str(len(day.court)))
            .replace("%4", str(overdue_court))
            .replace("%5", str(len(day.assessments)))
        )
        self._update_buttons()

    def _group(
        self,
        title: str,
        rows: tuple[T, ...] | list[T],
        make: Callable[[T], QTreeWidgetItem],
        *,
        urgent: bool = False,
    ) -> None:
        group = QTreeWidgetItem([f"{title} ({len(rows)})"])
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        if urgent and rows:
            group.setForeground(0, Qt.GlobalColor.darkRed)
        self.tree.addTopLevelItem(group)
        group.setFirstColumnSpanned(True)  # only takes once the item is in the tree
        for row in rows:
            group.addChild(make(row))
        if not rows:
            empty = QTreeWidgetItem(["", "", self.tr("Nothing")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            group.addChild(empty)
        group.setExpanded(True)

    def _follow_up_item(self, row: FollowUpRow) -> QTreeWidgetItem:
        when = _short(row.due_on)
        if row.days_overdue > 0:
            when += self.tr(" (%n day(s) late)", "", row.days_overdue)
        who = ", ".join(row.survivors)
        what = f"{row.intervention_type.label}: {row.asked_outcome or row.case_title}"
        if who:
            what += f"  [{who}]"
        item = QTreeWidgetItem([when, row.case_code, what])
        item.setData(0, CASE_ROLE, row.case_id)
        item.setData(0, FOLLOW_UP_ROLE, row)
        item.setToolTip(2, row.note or what)
        return item

    def _court_item(self, row: AttentionItem) -> QTreeWidgetItem:
        item = QTreeWidgetItem([_short(row.on), row.case_code, row.message])
        item.setData(0, CASE_ROLE, row.case_id)
        if row.overdue:
            item.setForeground(0, Qt.GlobalColor.darkRed)
        item.setToolTip(2, row.message)
        return item

    def _assessment_item(self, row: DueRow) -> QTreeWidgetItem:
        when = _short(row.due_on)
        if row.overdue:
            when += self.tr(" (%n day(s) late)", "", row.days_overdue)
        item = QTreeWidgetItem(
            [when, row.case_code, f"{row.kind.label} assessment of {row.survivor_code}"]
        )
        item.setData(0, CASE_ROLE, row.case_id)
        if row.overdue:
            item.setForeground(0, Qt.GlobalColor.darkRed)
        return item

    # -- actions ----------------------------------------------------------

    def _current(self) -> QTreeWidgetItem | None:
        item = self.tree.currentItem()
        return item if item is not None and item.data(0, CASE_ROLE) is not None else None

    def _update_buttons(self) -> None:
        item = self._current()
        self.open_button.setEnabled(item is not None)
        is_follow_up = item is not None and item.data(0, FOLLOW_UP_ROLE) is not None
        self.reschedule_button.setEnabled(is_follow_up)
        self.log_button.setEnabled(is_follow_up)

    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        case_id = item.data(0, CASE_ROLE)
        if isinstance(case_id, uuid.UUID):
            self._ctx.open_case(case_id)

    def _open_current(self) -> None:
        item = self._current()
        if item is not None:
            self._on_activated(item, 0)

    def _log_current(self) -> None:
        """The entry dialog, prefilled from the follow-up; saving marks it done."""
        item = self._current()
        row = item.data(0, FOLLOW_UP_ROLE) if item is not None else None
        if not isinstance(row, FollowUpRow):
            return
        open_entry_dialog(
            self._ctx, row.case_id, self, follow_up_id=row.id, on_open=self._keep_dialog
        )

    def _keep_dialog(self, dialog: InterventionDialog) -> None:
        self.entry_dialog = dialog

    def _reschedule_current(self) -> None:
        item = self._current()
        row = item.data(0, FOLLOW_UP_ROLE) if item is not None else None
        if not isinstance(row, FollowUpRow):
            return
        service = self._ctx.services.get(FollowUpService)
        dialog = RescheduleDialog(
            self._ctx,
            row,
            lambda on, note: service.reschedule(row.id, on, note=note),
            self,
        )
        self.reschedule_dialog = dialog
        dialog.open()

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & WATCHED:
            self.reload()


class RescheduleDialog(QDialog):
    """Move a follow-up to another day, with an optional note why."""

    def __init__(
        self,
        ctx: ViewContext,
        row: FollowUpRow,
        save: Callable[[date, str], Outcome[FollowUpRow]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._save = save
        self.setWindowTitle(self.tr("Reschedule follow-up in %s") % row.case_code)
        self.form = FieldForm()
        self.on = date_edit(self.tr("New date"))
        self.on.setMinimumDate(QDate.currentDate())
        self.note = QLineEdit()
        self.note.setAccessibleName(self.tr("Why"))
        self.form.add_row("due_on", self.tr("&New date"), self.on)
        self.form.add_row("note", self.tr("&Why"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{row.intervention_type.label}: {row.asked_outcome}"))
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        q = self.on.date()
        on = date(q.year(), q.month(), q.day())
        note = self.note.text().strip()
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.form.show_problems(exc.problems)
            else:
                self.form.show_message(error_text(exc))

        def done(_value: FollowUpRow) -> None:
            self.buttons.setEnabled(True)
            self.accept()

        self._ctx.ops.write(
            lambda: self._save(on, note),
            done,
            parent=self,
            on_error=failed,
        )
