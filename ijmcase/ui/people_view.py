"""People: find anyone in the cases one may see, and search the notes.

*Find people* searches survivors (by code and alias, and by legal name only
for staff who may see that survivor's identity: whatever
``PeopleRecordsService.find`` returns, nothing more — names it did not
return are never shown), accused persons and partner officials as one
types (after a short pause). Selecting a person lists all their cases the
user may see; Enter on a case opens it. Enter on a survivor (or *Open
record…*) opens their record. An admin selects two records of one person
and merges them (*Merge…*), and can undo a merge from *Merge history…*,
which auditors may read.

*Search notes* is the full-text search over intervention notes and outcomes
and case titles and summaries (``SearchService.search``): ranked hits with
the case code, the date and a snippet whose matched words are bold.
Everything else in a snippet is escaped, so text in a note is never read as
markup, and whatever is typed (quotes, SQL, FTS operators) is only searched
for. Enter opens the hit's case.

Reads run on the worker; a reply to an older query than the one on screen
is dropped. The lists reload only when a write touched what they show.
"""

from __future__ import annotations

import html
import re
import uuid
from collections import Counter
from datetime import datetime

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import PartyKind
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.services.cases import CaseRow
from ijmcase.services.context import Changes
from ijmcase.services.people_records import PeopleRecordsService, PersonRow
from ijmcase.services.person_merges import PersonMergeService
from ijmcase.services.search import HitKind, SearchHit, SearchResults, SearchService
from ijmcase.ui.merge_dialogs import MergeDialog, MergeHistoryDialog
from ijmcase.ui.operations import error_text
from ijmcase.ui.survivor_record import SurvivorRecordDialog
from ijmcase.ui.view_context import ViewContext

__all__ = ["NoteSearchPanel", "PeoplePanel", "PeopleView", "marked_html"]

# Typing searches after this pause, not on every key.
DEBOUNCE_MS = 300
# At most this many people of each kind are listed.
FIND_LIMIT = 50
PERSON_ROLE = Qt.ItemDataRole.UserRole
CASE_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

# Writes that can change who is found or which cases they are in.
PEOPLE_WATCHED = {"people", "parties", "cases"}
# Writes that can change what the note search finds.
NOTES_WATCHED = {"interventions", "cases"}

_MARK = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)

KIND_LABELS = {
    PartyKind.SURVIVOR: "Survivor",
    PartyKind.ACCUSED: "Accused",
    PartyKind.OFFICIAL: "Official",
}


def marked_html(text: str) -> str:
    """``text`` as HTML: ``[[word]]`` marks become bold, all else is escaped."""
    parts: list[str] = []
    last = 0
    for match in _MARK.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f"<b>{html.escape(match.group(1))}</b>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts).replace("\n", " ")


def plain(text: str) -> str:
    """``text`` without the ``[[ ]]`` marks (for screen readers and tooltips)."""
    return _MARK.sub(r"\1", text).replace("\n", " ")


class HtmlDelegate(QStyledItemDelegate):
    """Draws the item's ``HTML_ROLE`` text (escaped HTML with bold marks)."""

    def _document(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if index.data(HTML_ROLE) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        doc = self._document(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(text_rect.topLeft())
        painter.setClipRect(QRectF(0, 0, text_rect.width(), text_rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        size = super().sizeHint(option, index)
        if index.data(HTML_ROLE) is None:
            return size
        doc = self._document(option, index)
        return QSize(size.width(), max(size.height(), int(doc.size().height())))


def _date(when: datetime | None) -> str:
    return when.strftime("%d %b %Y") if when is not None else ""


class PeoplePanel(QWidget):
    """Find a person; see all their cases."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._query = 0  # the newest find asked for
        self._answered = 0
        self._cases_query = 0
        self.people: list[PersonRow] = []
        self.cases: list[CaseRow] = []
        self.setAccessibleName(self.tr("Find people"))

        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Find people"))
        self.search.setPlaceholderText(
            self.tr("Survivor code (S-IN-0042), alias, accused or official name…")
        )
        self.search.setClearButtonEnabled(True)
        label = QLabel(self.tr("&Find:"))
        label.setBuddy(self.search)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.search, 1)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("People found"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(
            [self.tr("Kind"), self.tr("Person"), self.tr("Details"), self.tr("Cases")]
        )
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.currentItemChanged.connect(lambda *_: self._load_cases())
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemActivated.connect(lambda *_: self.open_record())

        actor = ctx.actor
        self.may_merge = has_permission(actor.role, Permission.PEOPLE_MERGE)
        may_see_merges = self.may_merge or has_permission(actor.role, Permission.AUDIT_READ)
        self.record_button = QPushButton(self.tr("Open &record…"))
        self.record_button.setToolTip(
            self.tr("The selected survivor's record: facts, identifying details, photo, cases")
        )
        self.record_button.clicked.connect(self.open_record)
        self.merge_button = QPushButton(self.tr("&Merge…"))
        self.merge_button.setToolTip(
            self.tr("Select two records of the same person (Ctrl+click) to merge them")
        )
        self.merge_button.clicked.connect(self.open_merge)
        self.merge_button.setVisible(self.may_merge)
        self.history_button = QPushButton(self.tr("Merge &history…"))
        self.history_button.clicked.connect(self.open_merge_history)
        self.history_button.setVisible(may_see_merges)
        self.dialog: QDialog | None = None  # the record or merge dialog last opened

        self.case_label = QLabel(self.tr("&Cases of the selected person:"))
        self.case_tree = QTreeWidget()
        self.case_tree.setAccessibleName(self.tr("Cases of the selected person"))
        self.case_label.setBuddy(self.case_tree)
        self.case_tree.setRootIsDecorated(False)
        self.case_tree.setAlternatingRowColors(True)
        self.case_tree.setHeaderLabels(
            [self.tr("Case"), self.tr("Title"), self.tr("Opened"), self.tr("Closed")]
        )
        case_header = self.case_tree.header()
        case_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        case_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        case_header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        case_header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.case_tree.itemActivated.connect(self._open_case)

        self.status = QLabel(self.tr("Type a code or a name to find people."))
        self.status.setStyleSheet("color: palette(dark);")
        self.status.setWordWrap(True)

        actions = QHBoxLayout()
        actions.addWidget(self.record_button)
        actions.addStretch(1)
        actions.addWidget(self.merge_button)
        actions.addWidget(self.history_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.tree, 1)
        upper_layout.addLayout(actions)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.case_label)
        lower_layout.addWidget(self.case_tree, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.find_people)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.find_people)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self._update_buttons()

    @property
    def loading(self) -> bool:
        return self._query != self._answered

    # -- actions on the people found --------------------------------------

    def selected_people(self) -> list[PersonRow]:
        rows = [item.data(0, PERSON_ROLE) for item in self.tree.selectedItems()]
        return [r for r in rows if isinstance(r, PersonRow)]

    def _update_buttons(self) -> None:
        chosen = self.selected_people()
        one_survivor = len(chosen) == 1 and chosen[0].kind is PartyKind.SURVIVOR
        self.record_button.setEnabled(one_survivor)
        pair = len(chosen) == 2 and chosen[0].kind is chosen[1].kind
        self.merge_button.setEnabled(self.may_merge and pair)

    def open_record(self) -> None:
        chosen = self.selected_people()
        if len(chosen) != 1 or chosen[0].kind is not PartyKind.SURVIVOR:
            return
        row = chosen[0]
        self.dialog = SurvivorRecordDialog(self._ctx, row.id, label=row.label, parent=self)
        self.dialog.open()

    def open_merge(self) -> None:
        chosen = self.selected_people()
        if not self.may_merge or len(chosen) != 2 or chosen[0].kind is not chosen[1].kind:
            return
        first, second = chosen
        records = self._ctx.services.get(PeopleRecordsService)
        merges = self._ctx.services.get(PersonMergeService)
        kind = first.kind
        self.dialog = MergeDialog(
            self._ctx.ops,
            first,
            second,
            compare=lambda: records.compare(kind, first.id, second.id),
            merge=lambda keep, merged, reason: merges.merge(kind, keep, merged, reason),
            parent=self,
        )
        self.dialog.open()

    def open_merge_history(self) -> None:
        merges = self._ctx.services.get(PersonMergeService)
        self.dialog = MergeHistoryDialog(
            self._ctx.ops,
            load=merges.merges,
            unmerge=merges.unmerge if self.may_merge else None,
            parent=self,
        )
        self.dialog.open()

    def find_people(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        self._query += 1
        query = self._query
        if not text:
            self._answered = query
            self._show_people([])
            self.status.setText(self.tr("Type a code or a name to find people."))
            return
        service = self._ctx.services.get(PeopleRecordsService)
        self._ctx.ops.read(
            lambda: service.find(text, limit=FIND_LIMIT),
            lambda rows: self._on_found(query, rows),
            on_error=lambda exc: self._on_failed(query, exc),
        )

    def _on_found(self, query: int, rows: list[PersonRow]) -> None:
        if query != self._query:
            return  # an older query; a newer one is on its way
        self._answered = query
        self._show_people(rows)
        if rows:
            text = self.tr("%n person(s) found", "", len(rows))
            per_kind = Counter(r.kind for r in rows)
            if per_kind and max(per_kind.values()) >= FIND_LIMIT:
                text += self.tr(" (the first %s of each kind; type more to narrow it)") % (
                    FIND_LIMIT
                )
            self.status.setText(text)
        else:
            self.status.setText(self.tr("No one found."))

    def _on_failed(self, query: int, exc: BaseException) -> None:
        if query != self._query:
            return
        self._answered = query
        self._show_people([])
        self.status.setText(error_text(exc))

    def _show_people(self, rows: list[PersonRow]) -> None:
        self.people = rows
        self.tree.clear()
        self.case_tree.clear()
        self.cases = []
        for row in rows:
            cases = ", ".join(row.case_codes)
            item = QTreeWidgetItem([self.tr(KIND_LABELS[row.kind]), row.label, row.detail, cases])
            item.setData(0, PERSON_ROLE, row)
            item.setToolTip(3, cases)
            self.tree.addTopLevelItem(item)
        if rows:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))  # type: ignore[arg-type]

    def _load_cases(self) -> None:
        item = self.tree.currentItem()
        row = item.data(0, PERSON_ROLE) if item is not None else None
        self._cases_query += 1
        query = self._cases_query
        self.case_tree.clear()
        self.cases = []
        if not isinstance(row, PersonRow):
            self.case_label.setText(self.tr("&Cases of the selected person:"))
            return
        self.case_label.setText(self.tr("&Cases of %s:") % row.label.replace("&", "&&"))
        service = self._ctx.services.get(PeopleRecordsService)
        kind, person_id = row.kind, row.id
        self._ctx.ops.read(
            lambda: service.cases_of(kind, person_id),
            lambda cases: self._on_cases(query, cases),
            on_error=lambda exc: self._on_cases_failed(query, exc),
        )

    def _on_cases(self, query: int, cases: list[CaseRow]) -> None:
        if query != self._cases_query:
            return
        self.cases = cases
        self.case_tree.clear()
        for case in cases:
            closed = case.closed_on.isoformat() if case.closed_on else ""
            item = QTreeWidgetItem([case.code, case.title, case.opened_on.isoformat(), closed])
            item.setData(0, CASE_ROLE, case.id)
            item.setToolTip(1, case.title)
            self.case_tree.addTopLevelItem(item)
        if cases:
            self.case_tree.setCurrentItem(self.case_tree.topLevelItem(0))  # type: ignore[arg-type]

    def _on_cases_failed(self, query: int, exc: BaseException) -> None:
        if query == self._cases_query:
            self.status.setText(error_text(exc))

    def _open_case(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ROLE)
        if isinstance(case_id, uuid.UUID):
            self._ctx.open_case(case_id)

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & PEOPLE_WATCHED and self.search.text().strip():
            self.find_people()


class NoteSearchPanel(QWidget):
    """Full-text search over notes and case summaries."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._query = 0
        self._answered = 0
        self.results: SearchResults | None = None
        self.setAccessibleName(self.tr("Search notes"))

        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Search notes"))
        self.search.setPlaceholderText(
            self.tr("Words in intervention notes and case summaries (school fee*)…")
        )
        self.search.setClearButtonEnabled(True)
        label = QLabel(self.tr("&Search:"))
        label.setBuddy(self.search)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.search, 1)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Matching notes, best first"))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setHeaderLabels(
            [self.tr("Case"), self.tr("Date"), self.tr("What"), self.tr("Match")]
        )
        header = self.tree.header()
        for column in (0, 1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.setItemDelegateForColumn(2, HtmlDelegate(self.tree))
        self.tree.setItemDelegateForColumn(3, HtmlDelegate(self.tree))
        self.tree.itemActivated.connect(self._open_case)

        self.status = QLabel(self.tr("Type words to search for."))
        self.status.setStyleSheet("color: palette(dark);")
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.run_search)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)

    @property
    def loading(self) -> bool:
        return self._query != self._answered

    def run_search(self) -> None:
        self._timer.stop()
        text = self.search.text()
        self._query += 1
        query = self._query
        if not text.strip():
            self._answered = query
            self._show(None)
            self.status.setText(self.tr("Type words to search for."))
            return
        service = self._ctx.services.get(SearchService)
        self._ctx.ops.read(
            lambda: service.search(text),
            lambda results: self._on_results(query, results),
            on_error=lambda exc: self._on_failed(query, exc),
        )

    def _on_results(self, query: int, results: SearchResults) -> None:
        if query != self._query:
            return
        self._answered = query
        self._show(results)
        if not results.searched:
            self.status.setText(self.tr("There are no words to search for in that."))
        elif not results.hits:
            self.status.setText(self.tr("Nothing found for: %s") % " ".join(results.terms))
        else:
            text = self.tr("%n match(es)", "", len(results.hits))
            if results.more:
                text += self.tr(" (the best shown; add words to narrow it)")
            self.status.setText(text)

    def _on_failed(self, query: int, exc: BaseException) -> None:
        if query != self._query:
            return
        self._answered = query
        self._show(None)
        self.status.setText(error_text(exc))

    def _show(self, results: SearchResults | None) -> None:
        self.results = results
        self.tree.clear()
        if results is None:
            return
        for hit in results.hits:
            self.tree.addTopLevelItem(self._item(hit))
        if results.hits:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))  # type: ignore[arg-type]

    def _item(self, hit: SearchHit) -> QTreeWidgetItem:
        if hit.kind is HitKind.CASE:
            what = self.tr("Case: ") + hit.title
        else:
            kind = hit.intervention_type.label if hit.intervention_type else ""
            what = f"{kind}: {hit.title}" if hit.title else kind
        snippet = hit.snippet or hit.title
        item = QTreeWidgetItem([hit.case_code, _date(hit.occurred_at), plain(what), plain(snippet)])
        item.setData(0, CASE_ROLE, hit.case_id)
        item.setData(2, HTML_ROLE, marked_html(what))
        item.setData(3, HTML_ROLE, marked_html(snippet))
        item.setToolTip(3, plain(snippet))
        return item

    def _open_case(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ROLE)
        if isinstance(case_id, uuid.UUID):
            self._ctx.open_case(case_id)

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & NOTES_WATCHED and self.search.text().strip():
            self.run_search()


class PeopleView(QWidget):
    """Navigation entry "People": *Find people* and *Search notes*."""

    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("People"))
        self.people = PeoplePanel(ctx)
        self.notes = NoteSearchPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("People and search"))
        self.tabs.addTab(self.people, self.tr("Find &people"))
        self.tabs.addTab(self.notes, self.tr("Search &notes"))
        self.tabs.currentChanged.connect(self._focus_search)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.setFocusProxy(self.people.search)

    def _focus_search(self, index: int) -> None:
        panel = self.tabs.widget(index)
        if isinstance(panel, (PeoplePanel, NoteSearchPanel)):
            panel.search.setFocus()
