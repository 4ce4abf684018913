"""The main window: navigation, the case list with its filters, open cases
as tabs, menus and shortcuts, and a status bar that says who is logged in,
to which database, and whether it is working.

Views that later work adds (My day, Calendar, People, Reports, Dashboard)
have their place in the navigation already, disabled until they exist.
After every write the window hears ``changes_applied`` once and passes it
on: the case list redraws the rows that changed, an open case redraws
itself if it was touched, nothing else reloads.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import shiboken6
from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import Role, Stage, TrackStatus, ViolenceType
from ijmcase.domain.errors import DatabaseUnavailable
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.services.auth import LoginResult, unlock
from ijmcase.services.cases import CaseDetail, CaseFilter, CaseService
from ijmcase.services.context import Changes
from ijmcase.services.history import HistoryService
from ijmcase.services.users import UserService
from ijmcase.ui.app_services import AppServices
from ijmcase.ui.case_dialog import CaseChoices, CaseDialog, Person
from ijmcase.ui.case_model import CaseTableModel
from ijmcase.ui.case_workspace import CaseTabFactory, CaseWorkspace, WorkspaceServices
from ijmcase.ui.idle_lock import IdleWatcher, LockDialog
from ijmcase.ui.operations import ChangeBus, Operations, error_text
from ijmcase.ui.preferences import Preferences, PreferencesDialog
from ijmcase.ui.view_context import ViewContext
from ijmcase.ui.worker import Worker

__all__ = ["MainWindow"]

NAVIGATION = ["Cases", "My day", "Calendar", "People", "Reports", "Dashboard"]

STATUS_FILTERS: list[tuple[str, Stage | None, TrackStatus | None]] = [
    ("Any stage", None, None),
    *[(f"{stage.label}: active", stage, TrackStatus.ACTIVE) for stage in Stage],
    *[(f"{stage.label}: not started", stage, TrackStatus.NOT_STARTED) for stage in Stage],
    *[(f"{stage.label}: completed", stage, TrackStatus.COMPLETED) for stage in Stage],
]


class MainWindow(QMainWindow):
    def __init__(
        self,
        session: LoginResult,
        worker: Worker,
        *,
        is_demo: bool,
        settings: QSettings,
        bus: ChangeBus | None = None,
    ) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        self._settings = settings
        self.prefs = Preferences.load(settings)
        self.bus = bus or ChangeBus(self)
        self.ops = Operations(worker, self.bus, self)
        self.services = AppServices(session)
        self.cases = self.services.get(CaseService)
        self.users = self.services.get(UserService)
        self.workspace_services = WorkspaceServices(self.cases, self.services.get(HistoryService))
        self.context = ViewContext(self.services, self.ops, self.open_case, settings, is_demo)
        # Views beyond the case list, by navigation name: made on first use.
        self._view_factories: dict[str, Callable[[ViewContext], QWidget]] = {}
        # Sections of the case workspace by tab name (Interventions, Legal, …).
        self.case_tabs: dict[str, CaseTabFactory] = {}
        title = self.tr("ijmcase")
        if is_demo:
            title += self.tr(" — DEMO DATABASE (synthetic data)")
        self.setWindowTitle(title)

        self.model = CaseTableModel(self.cases, worker, self)
        self._build_navigation()
        self._build_case_list()
        self.pages = QTabWidget()
        self.pages.setAccessibleName(self.tr("Open views"))
        self.pages.setDocumentMode(True)
        self.pages.setTabsClosable(True)
        self.pages.addTab(self._case_page, self.tr("Cases"))
        # The case list is always there: hide its close button.
        self.pages.tabBar().setTabButton(0, self.pages.tabBar().ButtonPosition.RightSide, None)
        self.pages.tabCloseRequested.connect(self.close_tab)
        self.pages.currentChanged.connect(self._on_page_changed)
        self._build_menus()
        self._build_status(is_demo)

        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([160, 1000])
        self.setCentralWidget(splitter)
        self.navigation.setVisible(self.prefs.show_navigation)

        # Typing in the search box filters after a short pause, not per key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_filter)

        self.model.count_changed.connect(self._on_count_changed)
        self.model.load_failed.connect(self._on_load_failed)
        self.model.rows_replaced.connect(self._on_rows_replaced)
        self.bus.changes_applied.connect(self._on_changes_applied)
        self.ops.failed.connect(self.note_failure)
        worker.busy_changed.connect(self._on_busy_changed)
        self.mine.setChecked(self.prefs.start_with_my_cases)
        self.idle = IdleWatcher(self.prefs.lock_after_minutes, self)
        self.idle.idle.connect(self.lock)
        self.lock_dialog: LockDialog | None = None
        self._hidden_while_locked: list[QWidget] = []
        self._restore_layout()
        self._apply_filter()

    # -- building ---------------------------------------------------------

    def _build_navigation(self) -> None:
        self.navigation = QListWidget()
        self.navigation.setAccessibleName(self.tr("Navigation"))
        for i, name in enumerate(NAVIGATION):
            item = QListWidgetItem(self.tr(name))
            if i > 0:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Not available yet"))
            self.navigation.addItem(item)
        self.navigation.setCurrentRow(0)
        self.navigation.setMaximumWidth(200)
        self.navigation.currentRowChanged.connect(self._on_navigate)

    def _build_case_list(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Find a case by code or title (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("Find cases"))
        self.search.textChanged.connect(lambda _t: self._search_timer.start())

        self.violence = QComboBox()
        self.violence.setAccessibleName(self.tr("Type of violence"))
        self.violence.addItem(self.tr("All types"), None)
        for v in ViolenceType:
            self.violence.addItem(v.label, v)
        self.country = QComboBox()
        self.country.setAccessibleName(self.tr("Country"))
        self.country.addItem(self.tr("All countries"), None)
        for code, c in sorted(COUNTRIES.items(), key=lambda kv: kv[1].name):
            self.country.addItem(f"{c.name} ({code})", code)
        self.office = QComboBox()
        self.office.setAccessibleName(self.tr("Office"))
        self.office.addItem(self.tr("All offices"), None)
        self.stage_status = QComboBox()
        self.stage_status.setAccessibleName(self.tr("Stage status"))
        for label, stage, status in STATUS_FILTERS:
            self.stage_status.addItem(self.tr(label), (stage, status))
        self.state = QComboBox()
        self.state.setAccessibleName(self.tr("Open or closed"))
        self.state.addItem(self.tr("Open cases"), True)
        self.state.addItem(self.tr("Closed cases"), False)
        self.state.addItem(self.tr("Open and closed"), None)
        self.mine = QCheckBox(self.tr("&Assigned to me"))
        for combo in (self.violence, self.country, self.office, self.stage_status, self.state):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.mine.toggled.connect(self._apply_filter)
        self.new_button = QPushButton(self.tr("&New case…"))
        self.new_button.setToolTip(self.tr("Open a new case (Ctrl+N)"))
        self.new_button.clicked.connect(self.new_case)
        self.new_button.setEnabled(has_permission(self._session.actor.role, Permission.CASE_CREATE))

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.mine)
        top.addWidget(self.new_button)
        filters = QHBoxLayout()
        filters.addWidget(self.violence, 2)
        filters.addWidget(self.country, 1)
        filters.addWidget(self.office, 1)
        filters.addWidget(self.stage_status, 2)
        filters.addWidget(self.state, 1)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Cases"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Newest first until the user (or the saved layout) says otherwise; sorting
        # is switched on only after the layout is restored (see _restore_layout).
        self.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((110, 320, 200, 70, 80, 95, 80, 80, 80, 80, 80)):
            self.table.setColumnWidth(column, width)
        # Enter or a double click opens the case (activated covers both).
        self.table.activated.connect(self._on_row_activated)

        self.count_label = QLabel()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self._case_page: QWidget = page
        self._load_offices()

    def _load_offices(self) -> None:
        def fill(offices: list[tuple[uuid.UUID, str, str, str]]) -> None:
            for oid, code, name, _country in offices:
                self.office.addItem(f"{name} ({code})", oid)

        self.ops.read(self.cases.offices, fill)

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(self.tr(text), self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_action = self._action("&New case…", self.new_case, "Ctrl+N")
        self.new_action.setEnabled(self.new_button.isEnabled())
        file_menu.addAction(self.new_action)
        file_menu.addAction(self._action("&Go to case…", self.go_to_case, "Ctrl+G"))
        file_menu.addAction(self._action("&Close tab", self._close_current_tab, "Ctrl+W"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Preferences…", self.edit_preferences, "Ctrl+,"))
        file_menu.addAction(self._action("&Lock now", self.lock, "Ctrl+L"))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu(self.tr("&Edit"))
        edit_menu.addAction(
            self._action("&Find case…", self._focus_search, QKeySequence.StandardKey.Find)
        )
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(self._action("&Cases", self.show_case_list, "Ctrl+1"))
        view_menu.addAction(
            self._action("&Refresh", self.refresh, QKeySequence.StandardKey.Refresh)
        )
        view_menu.addAction(self._action("Next tab", self._next_tab, "Ctrl+Tab"))
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self._action("&Keyboard shortcuts", self._show_shortcuts))

    def _build_status(self, is_demo: bool) -> None:
        actor, db = self._session.actor, self._session.db
        kind = self.tr("encrypted file") if db.kind == "sqlcipher" else self.tr("server")
        parts = [
            f"{actor.display_name} ({actor.role.label})",
            f"{kind}: {db.display}",
        ]
        if is_demo:
            parts.append(self.tr("DEMO"))
        self.who = QLabel("   ·   ".join(parts))
        self.connection = QLabel()
        self.connection.setAccessibleName(self.tr("Database state"))
        widest = max(
            self.connection.fontMetrics().horizontalAdvance(f"● {t}")
            for t in (self.tr("Connected"), self.tr("Working…"), self.tr("Not connected"))
        )
        self.connection.setMinimumWidth(widest + 12)
        self._set_connection(self.tr("Connected"), ok=True)
        self.statusBar().addPermanentWidget(self.connection)
        self.statusBar().addPermanentWidget(self.who)

    # -- navigation and tabs ----------------------------------------------

    def register_view(self, name: str, factory: Callable[[ViewContext], QWidget]) -> None:
        """Make a navigation entry (My day, Calendar, …) live."""
        self._view_factories[name] = factory
        row = NAVIGATION.index(name)
        item = self.navigation.item(row)
        if item is not None:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip("")

    def _on_navigate(self, row: int) -> None:
        if row == 0:
            self.show_case_list()
        elif 0 < row < len(NAVIGATION):
            self.show_view(NAVIGATION[row])

    def _on_page_changed(self, index: int) -> None:
        """Keep the navigation's highlight on the view being shown."""
        widget = self.pages.widget(index)
        name = widget.property("view_name") if widget is not None else None
        row = NAVIGATION.index(name) if name in NAVIGATION else (0 if index == 0 else -1)
        if row >= 0:
            self.navigation.blockSignals(True)
            self.navigation.setCurrentRow(row)
            self.navigation.blockSignals(False)

    def show_view(self, name: str) -> QWidget | None:
        factory = self._view_factories.get(name)
        if factory is None:
            return None
        for i in range(1, self.pages.count()):
            if self.pages.widget(i).property("view_name") == name:  # type: ignore[union-attr]
                self.pages.setCurrentIndex(i)
                return self.pages.widget(i)
        view = factory(self.context)
        view.setProperty("view_name", name)
        index = self.pages.addTab(view, self.tr(name))
        self.pages.setCurrentIndex(index)
        return view

    def show_case_list(self) -> None:
        self.pages.setCurrentIndex(0)
        self.table.setFocus()

    def _next_tab(self) -> None:
        if self.pages.count():
            self.pages.setCurrentIndex((self.pages.currentIndex() + 1) % self.pages.count())

    def _close_current_tab(self) -> None:
        self.close_tab(self.pages.currentIndex())

    def close_tab(self, index: int) -> None:
        if index <= 0:
            return
        widget = self.pages.widget(index)
        self.pages.removeTab(index)
        if widget is not None:
            widget.deleteLater()

    def workspace_for(self, case_id: uuid.UUID) -> CaseWorkspace | None:
        for i in range(1, self.pages.count()):
            widget = self.pages.widget(i)
            if isinstance(widget, CaseWorkspace) and widget.case_id == case_id:
                return widget
        return None

    def open_case(self, case_id: uuid.UUID) -> CaseWorkspace:
        existing = self.workspace_for(case_id)
        if existing is not None:
            self.pages.setCurrentWidget(existing)
            return existing
        workspace = CaseWorkspace(
            case_id,
            self.workspace_services,
            self.ops,
            context=self.context,
            tabs=self.case_tabs,
        )
        row = self.model.row_of(case_id)
        known = self.model.row_at(row) if row is not None else None
        index = self.pages.addTab(workspace, known.code if known else self.tr("Case"))
        workspace.title_changed.connect(lambda text, w=workspace: self._retitle(w, text))
        workspace.edit_requested.connect(self.edit_case)
        self.pages.setCurrentIndex(index)
        return workspace

    def _retitle(self, workspace: CaseWorkspace, text: str) -> None:
        index = self.pages.indexOf(workspace)
        if index > 0:
            self.pages.setTabText(index, text)

    def _on_row_activated(self, index: QModelIndex) -> None:
        case_id = self.model.id_at(index.row())
        if case_id is not None:
            self.open_case(case_id)

    def go_to_case(self) -> None:
        code, ok = QInputDialog.getText(
            self, self.tr("Go to case"), self.tr("Case code (for example IN-2026-0042):")
        )
        if not ok or not code.strip():
            return
        self.ops.read(
            lambda: self.cases.find_by_code(code.strip()),
            lambda detail: self._open_found(detail),
            on_error=lambda exc: self.ops.show_error(self, exc),
        )

    def _open_found(self, detail: CaseDetail) -> None:
        self.open_case(detail.id)

    # -- new and edit -----------------------------------------------------

    def _choices(self) -> CaseChoices:
        directory = self.users.staff_directory()
        return CaseChoices(
            offices=self.cases.offices(),
            caseworkers=[
                Person(u.id, u.display_name)
                for u in directory
                if u.role in (Role.CASEWORKER, Role.DIRECTOR)
            ],
            lawyers=[Person(u.id, u.display_name) for u in directory if u.role is Role.LAWYER],
        )

    def new_case(self) -> None:
        if not self.new_action.isEnabled():
            return
        actor = self._session.actor

        def open_dialog(choices: CaseChoices) -> None:
            country = self.country.currentData() or "IN"
            lead = actor.user_id if actor.role is Role.CASEWORKER else None
            dialog = CaseDialog(
                self.ops,
                choices,
                self.cases.create,
                draft=CaseDraft(
                    "", ViolenceType.FORCED_LABOUR, country, date.today(), lead_caseworker_id=lead
                ),
                parent=self,
            )
            dialog.title.clear()
            dialog.accepted.connect(lambda: self._on_case_saved(dialog.saved))
            self.case_dialog = dialog
            dialog.open()

        self.ops.read(self._choices, open_dialog)

    def edit_case(self, detail: CaseDetail) -> None:
        def open_dialog(choices: CaseChoices) -> None:
            dialog = CaseDialog(
                self.ops,
                choices,
                lambda draft: self.cases.update(detail.id, draft, expected_version=detail.version),
                draft=detail.draft(),
                code=detail.code,
                parent=self,
            )
            self.case_dialog = dialog
            dialog.open()

        self.ops.read(self._choices, open_dialog)

    def _on_case_saved(self, detail: CaseDetail | None) -> None:
        if detail is not None:
            self.open_case(detail.id)

    # -- list behaviour ---------------------------------------------------

    def _focus_search(self) -> None:
        self.show_case_list()
        self.search.setFocus()
        self.search.selectAll()

    def current_filter(self) -> CaseFilter:
        base = self.model.case_filter
        stage, status = self.stage_status.currentData() or (None, None)
        violence = self.violence.currentData()
        # Qt hands a StrEnum stored as item data back as a plain str.
        return CaseFilter(
            text=self.search.text(),
            violence_type=ViolenceType(violence) if violence else None,
            country=self.country.currentData(),
            office_id=self.office.currentData(),
            is_open=self.state.currentData(),
            stage=Stage(stage) if stage else None,
            stage_status=TrackStatus(status) if status else None,
            assigned_to_me=self.mine.isChecked(),
            sort=base.sort,
            descending=base.descending,
        )

    def _apply_filter(self) -> None:
        self.count_label.setText(self.tr("Loading…"))
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        self._apply_filter()
        for i in range(1, self.pages.count()):
            widget = self.pages.widget(i)
            if isinstance(widget, CaseWorkspace):
                widget.reload()

    def _on_count_changed(self, count: int) -> None:
        self.count_label.setText(self.tr("%n case(s)", "", count))

    def _on_load_failed(self, message: str) -> None:
        self.count_label.setText(message)
        self.statusBar().showMessage(message, 10_000)

    def _on_changes_applied(self, changes: Changes) -> None:
        self.model.apply_changes(changes)

    def _on_rows_replaced(self, case_ids: list[uuid.UUID]) -> None:
        for case_id in case_ids:
            row = self.model.row_of(case_id)
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
                break

    # -- status -----------------------------------------------------------

    def _set_connection(self, text: str, *, ok: bool) -> None:
        colour = "#188038" if ok else "#c5221f"
        self.connection.setText(f"<span style='color:{colour}'>●</span> {text}")

    def _on_busy_changed(self, busy: bool) -> None:
        if busy:
            self._set_connection(self.tr("Working…"), ok=True)
        else:
            self._set_connection(self.tr("Connected"), ok=True)

    def note_failure(self, exc: BaseException) -> None:
        if isinstance(exc, DatabaseUnavailable):
            self._set_connection(self.tr("Not connected"), ok=False)
        else:
            self.statusBar().showMessage(error_text(exc), 10_000)

    # -- preferences and layout -------------------------------------------

    def edit_preferences(self) -> None:
        dialog = PreferencesDialog(self.prefs, self)
        if dialog.exec():
            self.prefs = dialog.value()
            self.prefs.save(self._settings)
            self.navigation.setVisible(self.prefs.show_navigation)
            self.idle.set_minutes(self.prefs.lock_after_minutes)

    # -- idle lock --------------------------------------------------------

    def lock(self) -> None:
        """Hide every case until the password is given again."""
        if self.lock_dialog is not None:
            return
        self.idle.pause()
        self._hidden_while_locked = [
            w
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and isinstance(w, QDialog) and self._owns(w)
        ]
        for w in self._hidden_while_locked:
            w.hide()
        central = self.centralWidget()
        if central is not None:
            central.hide()
        self.menuBar().setEnabled(False)
        session = self._session
        dialog = LockDialog(
            session.actor.display_name,
            self._worker,
            lambda password: unlock(session.db, session.actor, password),
            self,
        )
        dialog.unlocked.connect(self._on_unlocked)
        self.lock_dialog = dialog
        dialog.open()

    def _owns(self, widget: QWidget) -> bool:
        """Whether ``widget`` was opened from this window (its parent chain)."""
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self:
                return True
            parent = parent.parentWidget()
        return False

    def _on_unlocked(self) -> None:
        central = self.centralWidget()
        if central is not None:
            central.show()
        self.menuBar().setEnabled(True)
        for w in self._hidden_while_locked:
            # A dialog may have been closed and deleted while the window was locked.
            if shiboken6.isValid(w):
                w.show()
        self._hidden_while_locked = []
        self.lock_dialog = None
        self.idle.resume()

    def _show_shortcuts(self) -> None:
        rows = [
            ("Ctrl+N", "New case"),
            ("Ctrl+G", "Go to a case by its code"),
            ("Ctrl+F", "Find cases"),
            ("Enter", "Open the selected case"),
            ("Ctrl+E", "Edit the open case"),
            ("Ctrl+W", "Close the current tab"),
            ("Ctrl+Tab", "Next tab"),
            ("Ctrl+1", "Case list"),
            ("F5", "Refresh"),
            ("Ctrl+,", "Preferences"),
            ("Ctrl+L", "Lock the window now"),
            ("Ctrl+Q", "Quit"),
        ]
        text = "\n".join(f"{key:<10} {self.tr(what)}" for key, what in rows)
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Keyboard shortcuts"))
        box.setText(f"<pre>{text}</pre>")
        box.exec()

    def _restore_layout(self) -> None:
        geometry = self._settings.value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 760)
        state = self._settings.value("main/case_header")
        header = self.table.horizontalHeader()
        if state is not None:
            header.restoreState(state)
        # Take the order the header shows into the filter before sorting is
        # switched on, so start-up runs one query, not one per change.
        self.model.set_order(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.setSortingEnabled(True)

    def closeEvent(self, event: QCloseEvent) -> None:
        open_cases = self.pages.count() - 1
        if open_cases > 0 and self.prefs.confirm_quit_with_open_cases and self.isVisible():
            answer = QMessageBox.question(
                self,
                self.tr("Quit ijmcase"),
                self.tr("%n case(s) are open. Quit anyway?", "", open_cases),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/case_header", self.table.horizontalHeader().saveState())
        self._worker.wait(5000)
        super().closeEvent(event)
