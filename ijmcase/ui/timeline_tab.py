"""The Interventions section of a case: its timeline and the entry dialog.

Interventions, stage changes and hearings in one chronological list (the
``TimelineService`` read model), filtered by stage and intervention type;
*Show earlier versions* adds the superseded versions of corrected entries,
greyed, so what a note said before a correction stays visible. *Log
intervention…* (Ctrl+I) opens the quick-entry dialog for this case;
*Correct…* opens it prefilled from the current version and saves a new
version (interventions are append-only). The list reloads only when a write
touched interventions, stage tracks or hearings of this case.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import InterventionType, Stage
from ijmcase.services.context import Changes
from ijmcase.services.timeline import EntryKind, TimelineEntry, TimelineService
from ijmcase.ui.intervention_form import InterventionDialog, open_entry_dialog
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["TimelineTab"]

ENTRY_ROLE = Qt.ItemDataRole.UserRole
# Areas whose writes can add or change an entry of the timeline.
WATCHED = {"interventions", "cases", "tracks", "hearings", "proceedings"}

KIND_LABELS = {
    EntryKind.INTERVENTION: "Intervention",
    EntryKind.STAGE_CHANGE: "Stage change",
    EntryKind.HEARING: "Hearing",
}


class TimelineTab(QWidget):
    """Case section "Interventions"; a ``CaseTabFactory``."""

    def __init__(self, ctx: ViewContext, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = case_id
        self._loading = False
        self._again = False
        self.entries: list[TimelineEntry] = []
        self.entry_dialog: InterventionDialog | None = None
        self.setAccessibleName(self.tr("Case timeline"))

        self.stage = QComboBox()
        self.stage.setAccessibleName(self.tr("Filter by stage"))
        self.stage.addItem(self.tr("All stages"), None)
        for s in Stage:
            self.stage.addItem(s.label, s)
        self.type = QComboBox()
        self.type.setAccessibleName(self.tr("Filter by type"))
        self.type.addItem(self.tr("All types"), None)
        for t in InterventionType:
            self.type.addItem(t.label, t)
        self.versions = QCheckBox(self.tr("Show earlier &versions"))
        stage_label = QLabel(self.tr("S&tage:"))
        stage_label.setBuddy(self.stage)
        type_label = QLabel(self.tr("T&ype:"))
        type_label.setBuddy(self.type)
        self.log_button = QPushButton(self.tr("&Log intervention…"))
        self.log_button.setToolTip(self.tr("Log an intervention in this case (Ctrl+I)"))
        self.log_button.clicked.connect(self.log_intervention)
        self.correct_button = QPushButton(self.tr("&Correct…"))
        self.correct_button.setToolTip(
            self.tr("Correct the selected intervention; the earlier version is kept")
        )
        self.correct_button.clicked.connect(self.correct_current)

        filters = QHBoxLayout()
        filters.addWidget(stage_label)
        filters.addWidget(self.stage)
        filters.addWidget(type_label)
        filters.addWidget(self.type)
        filters.addWidget(self.versions)
        filters.addStretch(1)
        filters.addWidget(self.correct_button)
        filters.addWidget(self.log_button)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Timeline entries, earliest first"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(
            [self.tr("When"), self.tr("Stage"), self.tr("What"), self.tr("Outcome"), self.tr("By")]
        )
        header = self.tree.header()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemActivated.connect(lambda *_: self.correct_current())
        self.count = QLabel()
        self.count.setStyleSheet("color: gray;")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count)

        shortcut = QShortcut(QKeySequence(self.tr("Ctrl+I")), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.log_intervention)
        self.stage.currentIndexChanged.connect(self.reload)
        self.type.currentIndexChanged.connect(self.reload)
        self.versions.toggled.connect(self.reload)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self._update_buttons()
        self.reload()

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        if self._loading:
            self._again = True  # a filter changed while reading: read once more after
            return
        self._loading = True
        service = self._ctx.services.get(TimelineService)
        case_id = self.case_id
        stage = self.stage.currentData()
        kind = self.type.currentData()
        stages = {Stage(str(stage))} if stage else None
        types = {InterventionType(str(kind))} if kind else None
        # A type filter means "these interventions": stage changes and hearings have no type.
        kinds = {EntryKind.INTERVENTION} if types else None
        include = self.versions.isChecked()
        self._ctx.ops.read(
            lambda: service.timeline(
                case_id, stages=stages, types=types, kinds=kinds, include_versions=include
            ),
            self._on_loaded,
            on_error=self._on_failed,
        )

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.count.setText(error_text(exc))

    def _on_loaded(self, entries: list[TimelineEntry]) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()
            return
        selected = self._current()
        keep = selected.ref_id if selected is not None else None
        self.entries = entries
        self.tree.clear()
        for e in entries:
            local = e.at.astimezone() if e.has_time else e.at
            when = local.strftime("%Y-%m-%d %H:%M") if e.has_time else local.strftime("%Y-%m-%d")
            what = self.tr(e.title)
            if e.kind is EntryKind.INTERVENTION and e.versions > 1:
                what += (
                    self.tr("  (version %1 of %2)")
                    .replace("%1", str(e.version_number))
                    .replace("%2", str(e.versions))
                )
            item = QTreeWidgetItem([when, e.stage.label, what, e.detail, e.by])
            item.setData(0, ENTRY_ROLE, e)
            tip = e.intervention.notes if e.intervention is not None else e.detail
            item.setToolTip(3, tip[:2000])
            if e.superseded:
                for column in range(5):
                    item.setForeground(column, Qt.GlobalColor.gray)
                item.setToolTip(2, self.tr("Superseded by a later correction"))
            if e.kind is not EntryKind.INTERVENTION:
                font = item.font(2)
                font.setItalic(True)
                item.setFont(2, font)
            self.tree.addTopLevelItem(item)
            if e.ref_id == keep:
                self.tree.setCurrentItem(item)
        self.count.setText(
            self.tr("%n entry(ies)", "", len(entries))
            if entries
            else self.tr("Nothing logged yet. Press Ctrl+I to log an intervention.")
        )
        self._update_buttons()

    # -- actions ----------------------------------------------------------

    def _current(self) -> TimelineEntry | None:
        item = self.tree.currentItem()
        entry = item.data(0, ENTRY_ROLE) if item is not None else None
        return entry if isinstance(entry, TimelineEntry) else None

    def _update_buttons(self) -> None:
        entry = self._current()
        ok = (
            entry is not None
            and entry.kind is EntryKind.INTERVENTION
            and not entry.superseded
            and entry.intervention is not None
        )
        self.correct_button.setEnabled(ok)

    def _keep(self, dialog: InterventionDialog) -> None:
        self.entry_dialog = dialog

    def log_intervention(self) -> None:
        open_entry_dialog(self._ctx, self.case_id, self, on_open=self._keep)

    def correct_current(self) -> None:
        entry = self._current()
        if (
            entry is None
            or entry.kind is not EntryKind.INTERVENTION
            or entry.superseded
            or entry.intervention is None
        ):
            return
        open_entry_dialog(
            self._ctx, self.case_id, self, revises=entry.intervention, on_open=self._keep
        )

    def _on_changes_applied(self, changes: Changes) -> None:
        if self.case_id in changes.case_ids and changes.areas & WATCHED:
            self.reload()
