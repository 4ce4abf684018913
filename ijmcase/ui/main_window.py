"""The main window: navigation, the case list with its filters, status bar.

Views that later issues add (My day, Calendar, People, Reports, Dashboard)
have their place in the navigation already, disabled until they exist.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.enums import ViolenceType
from ijmcase.services.auth import LoginResult
from ijmcase.services.cases import CaseFilter, CaseService
from ijmcase.ui.case_model import CaseTableModel
from ijmcase.ui.worker import Worker

__all__ = ["MainWindow"]

NAVIGATION = ["Cases", "My day", "Calendar", "People", "Reports", "Dashboard"]


class MainWindow(QMainWindow):
    def __init__(
        self, session: LoginResult, worker: Worker, *, is_demo: bool, settings: QSettings
    ) -> None:
        super().__init__()
        self._session = session
        self._worker = worker
        self._settings = settings
        title = self.tr("ijmcase")
        if is_demo:
            title += self.tr(" — DEMO DATABASE (synthetic data)")
        self.setWindowTitle(title)

        self.model = CaseTableModel(CaseService(session.db, session.actor), worker, self)
        self._build_navigation()
        self._build_case_list()
        self._build_menus()
        self._build_status(is_demo)

        splitter = QSplitter()
        splitter.addWidget(self.navigation)
        splitter.addWidget(self._case_page)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([160, 1000])
        self.setCentralWidget(splitter)

        # Typing in the search box filters after a short pause, not per key.
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self._apply_filter)

        self.model.count_changed.connect(self._on_count_changed)
        self.model.load_failed.connect(self._on_load_failed)
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
        self.state = QComboBox()
        self.state.setAccessibleName(self.tr("Open or closed"))
        self.state.addItem(self.tr("Open cases"), True)
        self.state.addItem(self.tr("Closed cases"), False)
        self.state.addItem(self.tr("Open and closed"), None)
        self.mine = QCheckBox(self.tr("&Assigned to me"))
        for combo in (self.violence, self.country, self.state):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.mine.toggled.connect(self._apply_filter)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.violence, 2)
        filters.addWidget(self.country, 1)
        filters.addWidget(self.state, 1)
        filters.addWidget(self.mine)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Cases"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
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

        self.count_label = QLabel()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self._case_page: QWidget = page

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        find = QAction(self.tr("&Find case…"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        edit_menu.addAction(find)
        self.addAction(find)

    def _build_status(self, is_demo: bool) -> None:
        actor, db = self._session.actor, self._session.db
        kind = self.tr("encrypted file") if db.kind == "sqlcipher" else self.tr("server")
        parts = [
            f"{actor.display_name} ({actor.role.label})",
            f"{kind}: {db.display}",
        ]
        if is_demo:
            parts.append(self.tr("DEMO"))
        self.statusBar().addPermanentWidget(QLabel("   ·   ".join(parts)))

    # -- behaviour --------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_filter(self) -> CaseFilter:
        base = self.model.case_filter
        return CaseFilter(
            text=self.search.text(),
            violence_type=self.violence.currentData(),
            country=self.country.currentData(),
            is_open=self.state.currentData(),
            assigned_to_me=self.mine.isChecked(),
            sort=base.sort,
            descending=base.descending,
        )

    def _apply_filter(self) -> None:
        self.count_label.setText(self.tr("Loading…"))
        self.model.set_filter(self.current_filter())

    def _on_count_changed(self, count: int) -> None:
        self.count_label.setText(self.tr("%n case(s)", "", count))

    def _on_load_failed(self, message: str) -> None:
        self.count_label.setText(message)
        self.statusBar().showMessage(message, 10_000)

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
        self._settings.setValue("main/geometry", self.saveGeometry())
        self._settings.setValue("main/case_header", self.table.horizontalHeader().saveState())
        self._worker.wait(5000)
        super().closeEvent(event)
