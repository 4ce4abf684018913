"""An admin's repair of duplicate records: merge two, and undo a merge.

``MergeDialog`` shows the two records side by side (label, details, their
cases) with how alike the service finds them (for survivors whose identity
the admin may not see, the score only), asks which record to keep and why,
and then merges. ``MergeHistoryDialog`` lists every merge with who made it,
why, how many references moved, and whether it was undone; *Undo merge…*
brings the merged record back with exactly the references that moved.

Both are handed plain callables (compare, merge, load, unmerge), so a test
can drive them with the real services and no main window.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.services.context import Outcome
from ijmcase.services.people_records import PairComparison, PersonRow
from ijmcase.services.person_merges import MergeView
from ijmcase.ui.forms import FieldForm
from ijmcase.ui.operations import Operations, error_text

__all__ = ["MergeDialog", "MergeHistoryDialog"]

CompareFn = Callable[[], PairComparison]
MergeFn = Callable[[uuid.UUID, uuid.UUID, str], Outcome[MergeView]]
LoadFn = Callable[[], list[MergeView]]
UnmergeFn = Callable[[uuid.UUID, str], Outcome[MergeView]]
MERGE_ROLE = Qt.ItemDataRole.UserRole


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment is not None else ""


class MergeDialog(QDialog):
    """Merge one of two records of the same person into the other."""

    def __init__(
        self,
        ops: Operations,
        first: PersonRow,
        second: PersonRow,
        *,
        compare: CompareFn,
        merge: MergeFn,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if first.kind is not second.kind:
            raise ValueError("only records of one kind can be merged")
        self._ops = ops
        self._merge = merge
        self.first, self.second = first, second
        self.comparison: PairComparison | None = None
        self.merged: MergeView | None = None
        kind = first.kind.label.lower()
        self.setWindowTitle(self.tr("Merge two %s records") % kind)
        self.setMinimumWidth(640)

        intro = QLabel(
            self.tr(
                "Merge only records of one and the same person. Everything linked to the "
                "record that goes (its cases, interventions, proceedings, consents and "
                "documents) moves to the record that is kept. The merge is recorded with "
                "your reason and can be undone from Merge history."
            )
        )
        intro.setWordWrap(True)
        self.keep_first = QRadioButton(self.tr("&Keep this record"))
        self.keep_second = QRadioButton(self.tr("K&eep this record"))
        self.keep_first.setChecked(True)
        sides = QGridLayout()
        for column, (row, radio) in enumerate(
            [(first, self.keep_first), (second, self.keep_second)]
        ):
            box = QGroupBox(row.label)
            inner = QVBoxLayout(box)
            detail = QLabel(row.detail or "—")
            detail.setWordWrap(True)
            cases = QLabel(self.tr("Cases: %s") % (", ".join(row.case_codes) or self.tr("none")))
            cases.setWordWrap(True)
            inner.addWidget(detail)
            inner.addWidget(cases)
            inner.addWidget(radio)
            sides.addWidget(box, 0, column)
        self.likeness = QLabel(self.tr("Comparing the two records…"))
        self.likeness.setWordWrap(True)
        self.likeness.setAccessibleName(self.tr("How alike the records are"))
        self.form = FieldForm()
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for the merge"))
        self.reason.setPlaceholderText(
            self.tr("e.g. Same girl, entered twice: confirmed by her caseworker on 12 May")
        )
        self.form.add_row("reason", self.tr("&Why:"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton(
            self.tr("&Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sides)
        layout.addWidget(self.likeness)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.reason.setFocus()
        ops.read(compare, self._on_compared, on_error=self._on_compare_failed)

    def _on_compared(self, comparison: PairComparison) -> None:
        self.comparison = comparison
        text = self.tr("Likeness: %d of 100.") % comparison.score
        if comparison.reasons:
            text += " " + "; ".join(comparison.reasons) + "."
        if comparison.names_hidden:
            text += " " + self.tr(
                "Names, dates and places were compared but are not shown to you; ask the "
                "survivor's caseworker to confirm before merging."
            )
        if comparison.score < 60:
            text += " " + self.tr("These records look like different people.")
            self.likeness.setStyleSheet("color: #b00020;")
        self.likeness.setText(text)

    def _on_compare_failed(self, exc: BaseException) -> None:
        self.likeness.setText(self.tr("The records could not be compared: %s") % error_text(exc))

    def kept_and_merged(self) -> tuple[PersonRow, PersonRow]:
        if self.keep_first.isChecked():
            return self.first, self.second
        return self.second, self.first

    def submit(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.form.show_problems(
                [FieldProblem("reason", "required", self.tr("Say why these are the same person."))]
            )
            return
        kept, merged = self.kept_and_merged()
        merge = self._merge
        self.merge_button.setEnabled(False)
        self._ops.write(
            lambda: merge(kept.id, merged.id, reason),
            self._on_merged,
            parent=self,
            on_error=self._on_failed,
        )

    def _on_merged(self, view: MergeView) -> None:
        self.merged = view
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.merge_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
        else:
            self.form.clear_problems()
            self.form.show_message(error_text(exc))


class MergeHistoryDialog(QDialog):
    """Every merge of people's records; an admin can undo one."""

    def __init__(
        self,
        ops: Operations,
        *,
        load: LoadFn,
        unmerge: UnmergeFn | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._load = load
        self._unmerge = unmerge
        self.merges: list[MergeView] = []
        self.setWindowTitle(self.tr("Merge history"))
        self.setMinimumSize(820, 380)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Merges of people's records"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(
            [
                self.tr("When"),
                self.tr("By"),
                self.tr("Kind"),
                self.tr("Kept"),
                self.tr("Merged into it"),
                self.tr("Moved"),
                self.tr("Why"),
                self.tr("Undone"),
            ]
        )
        header = self.tree.header()
        for column in range(8):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("&Undo merge…"))
        self.undo_button.setToolTip(
            self.tr("Bring the merged record back with everything that was moved from it")
        )
        self.undo_button.clicked.connect(self.ask_undo)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.undo_button, QDialogButtonBox.ButtonRole.ActionRole)
        # After adding: the box shows every button it is given.
        self.undo_button.setVisible(unmerge is not None)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._update_buttons()
        self.reload()

    def reload(self) -> None:
        self._ops.read(self._load, self._on_loaded, on_error=self._on_failed)

    def _on_loaded(self, merges: list[MergeView]) -> None:
        current = self.current()
        keep = current.id if current is not None else None
        self.merges = merges
        self.tree.clear()
        for m in merges:
            undone = (
                self.tr("%s by %s: %s") % (_when(m.undone_at), m.undone_by, m.undo_reason)
                if m.undone_at
                else ""
            )
            item = QTreeWidgetItem(
                [
                    _when(m.merged_at),
                    m.merged_by,
                    m.kind.label,
                    m.kept_label,
                    m.merged_label,
                    str(m.moved),
                    m.reason,
                    undone,
                ]
            )
            item.setData(0, MERGE_ROLE, m)
            item.setToolTip(6, m.reason)
            item.setToolTip(7, undone)
            self.tree.addTopLevelItem(item)
            if m.id == keep:
                self.tree.setCurrentItem(item)
        self.status.setText(
            self.tr("%n merge(s)", "", len(merges)) if merges else self.tr("No merges yet.")
        )
        self._update_buttons()

    def _on_failed(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    def current(self) -> MergeView | None:
        item = self.tree.currentItem()
        value = item.data(0, MERGE_ROLE) if item is not None else None
        return value if isinstance(value, MergeView) else None

    def _update_buttons(self) -> None:
        chosen = self.current()
        self.undo_button.setEnabled(chosen is not None and chosen.undone_at is None)

    def ask_undo(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Undo merge"),
            self.tr("Bring %s back as its own record? Say why (kept in the audit trail):")
            % chosen.merged_label,
            QLineEdit.EchoMode.Normal,
        )
        if ok and reason.strip():
            self.undo(chosen.id, reason.strip())

    def undo(self, merge_id: uuid.UUID, reason: str) -> None:
        unmerge = self._unmerge
        if unmerge is None:
            return
        self._ops.write(
            lambda: unmerge(merge_id, reason),
            lambda _view: self.reload(),
            parent=self,
            on_error=self._on_failed,
        )
