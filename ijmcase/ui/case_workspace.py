"""One case on screen: its header, the four stage tracks, its people, and the
places the rest of the work lives (interventions, legal proceedings,
aftercare, prevention, documents, history).

The workspace reads the case on the worker and redraws itself only when a
write touched this case (``changes_applied`` names the cases it changed).
Every change goes through the services, so the rules and the audit trail
are the same as on the command line.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import CaseClosureReason, PartyKind, RiskLevel, Stage, TrackStatus
from ijmcase.services.cases import CaseDetail, CaseService, PartyView
from ijmcase.services.consent import ConsentService
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.history import HistoryEntry, HistoryService
from ijmcase.services.people import PeopleService
from ijmcase.services.people_records import PeopleRecordsService
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.official_dialog import OfficialDialog
from ijmcase.ui.operations import Operations, error_text
from ijmcase.ui.person_dialogs import AccusedDialog, ConsentDialog, SurvivorDialog
from ijmcase.ui.survivor_record import SurvivorRecordDialog
from ijmcase.ui.track_strip import TrackStrip, TransitionDialog
from ijmcase.ui.view_context import ViewContext

__all__ = ["CaseTabFactory", "CaseWorkspace", "WorkspaceServices"]

RISK_COLOURS = {
    RiskLevel.LOW: "#188038",
    RiskLevel.MEDIUM: "#b06000",
    RiskLevel.HIGH: "#c5221f",
    RiskLevel.CRITICAL: "#a50e0e",
}

# Places the later work fills; each says what will be there, not "TODO".
LATER_TABS = [
    ("Interventions", "Interventions logged for this case will be listed here."),
    ("Legal", "Proceedings, charges and hearings for each accused will be shown here."),
    ("Aftercare", "Outcome assessments, care plans and referrals will be shown here."),
    ("Prevention", "Trainings and engagements linked to this case will be shown here."),
    ("Documents", "Documents and photos attached to this case will be listed here."),
]


# A section of the workspace made by another area (interventions, legal, …):
# given the view context and the case id, it returns its widget.
CaseTabFactory = Callable[["ViewContext", uuid.UUID], QWidget]


@dataclass(frozen=True)
class WorkspaceServices:
    cases: CaseService
    history: HistoryService


@dataclass(frozen=True)
class _Loaded:
    detail: CaseDetail
    history: list[HistoryEntry]


def _date(d: date | None) -> str:
    if d is None:
        return ""
    # Day, month name, year: unambiguous in every locale (unlike 3/4/26).
    return QLocale().toString(QDate(d.year, d.month, d.day), "d MMM yyyy")


class CaseWorkspace(QWidget):
    loaded = Signal(object)  # CaseDetail
    edit_requested = Signal(object)  # CaseDetail
    title_changed = Signal(str)

    def __init__(
        self,
        case_id: uuid.UUID,
        services: WorkspaceServices,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        context: ViewContext | None = None,
        tabs: Mapping[str, CaseTabFactory] | None = None,
    ) -> None:
        super().__init__(parent)
        self.case_id = case_id
        self._services = services
        self._context = context
        self._ops = ops
        self.detail: CaseDetail | None = None
        self._loading = False
        self.setAccessibleName(self.tr("Case workspace"))

        self._build_header()
        self.tracks = TrackStrip()
        self.tracks.move_requested.connect(self._on_move_requested)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Case sections"))
        self._build_people_tab()
        self.section_tabs: dict[str, QWidget] = {}
        for name, text in LATER_TABS:
            factory = (tabs or {}).get(name)
            if factory is not None and context is not None:
                page = factory(context, case_id)
            else:
                label = QLabel(self.tr(text))
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setStyleSheet("color: palette(dark);")
                page = label
            self.section_tabs[name] = page
            self.tabs.addTab(page, self.tr(name))
        self._build_history_tab()

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tracks)
        layout.addWidget(self.tabs, 1)

        edit = QShortcut(QKeySequence(self.tr("Ctrl+E")), self)
        edit.activated.connect(self._on_edit)
        ops.bus.changes_applied.connect(self._on_changes_applied)
        self.reload()

    # -- building ---------------------------------------------------------

    def _build_header(self) -> None:
        self.header = QWidget()
        self.code = QLabel()
        self.code.setObjectName("caseCode")
        self.code.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 13pt;")
        self.title.setWordWrap(True)
        self.risk = QLabel()
        self.state = QLabel()
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.leads = QLabel()
        self.leads.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: palette(dark);")

        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.setToolTip(self.tr("Edit the case details (Ctrl+E)"))
        self.edit_button.clicked.connect(self._on_edit)
        self.close_button = QPushButton(self.tr("C&lose case…"))
        self.close_button.clicked.connect(self._on_close_or_reopen)

        top = QHBoxLayout()
        top.addWidget(self.code)
        top.addWidget(self.risk)
        top.addWidget(self.state)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self.header)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.leads)
        layout.addWidget(self.summary)

    def _build_people_tab(self) -> None:
        page = QWidget()
        grid = QGridLayout(page)
        self.survivors = QListWidget()
        self.survivors.setAccessibleName(self.tr("Survivors"))
        self.accused = QListWidget()
        self.accused.setAccessibleName(self.tr("Accused"))
        self.officials = QListWidget()
        self.officials.setAccessibleName(self.tr("Officials"))
        self.staff = QListWidget()
        self.staff.setAccessibleName(self.tr("Staff on the case"))
        for i, (title, widget) in enumerate(
            [
                (self.tr("Survivors (by code)"), self.survivors),
                (self.tr("Accused"), self.accused),
                (self.tr("Partner officials"), self.officials),
                (self.tr("Staff on the case"), self.staff),
            ]
        ):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(widget)
            grid.addWidget(box, i // 2, i % 2)
        self.add_survivor_button = QPushButton(self.tr("Add &survivor…"))
        self.add_survivor_button.clicked.connect(self._on_add_survivor)
        self.add_accused_button = QPushButton(self.tr("Add &accused…"))
        self.add_accused_button.clicked.connect(self._on_add_accused)
        self.add_official_button = QPushButton(self.tr("Add o&fficial…"))
        self.add_official_button.setToolTip(
            self.tr("A police officer, prosecutor, CWC member… on file or new")
        )
        self.add_official_button.clicked.connect(self._on_add_official)
        self.consent_button = QPushButton(self.tr("Co&nsent…"))
        self.consent_button.setToolTip(self.tr("The selected survivor's consent records"))
        self.consent_button.clicked.connect(self._on_consent)
        self.record_button = QPushButton(self.tr("Open &record…"))
        self.record_button.setToolTip(
            self.tr("The selected survivor's record: facts, identifying details, photo, cases")
        )
        self.record_button.clicked.connect(self._on_record)
        self.survivors.itemActivated.connect(lambda _item: self._on_record())
        self.survivors.currentItemChanged.connect(lambda *_: self._update_people_buttons())
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_survivor_button)
        buttons.addWidget(self.add_accused_button)
        buttons.addWidget(self.add_official_button)
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.consent_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 2)
        self._update_people_buttons()
        self.tabs.addTab(page, self.tr("&People"))

    def _build_history_tab(self) -> None:
        self.history = QTreeWidget()
        self.history.setAccessibleName(self.tr("Case history"))
        self.history.setRootIsDecorated(False)
        self.history.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What")])
        header = self.history.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tabs.addTab(self.history, self.tr("&History"))

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        if self._loading:
            return
        self._loading = True
        case_id, services = self.case_id, self._services

        def fetch() -> _Loaded:
            return _Loaded(services.cases.get(case_id), services.history.case_history(case_id))

        self._ops.read(fetch, self._on_loaded, on_error=self._on_load_failed)

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.code.setText(self.tr("Case unavailable"))
        self.title.setText(error_text(exc))
        self.setEnabled(True)

    def _on_loaded(self, loaded: _Loaded) -> None:
        self._loading = False
        d = loaded.detail
        self.detail = d
        self.code.setText(d.code)
        self.title.setText(d.title)
        self.title_changed.emit(d.code)
        colour = RISK_COLOURS[d.risk_level]
        self.risk.setText(self.tr("%s risk") % d.risk_level.label)
        self.risk.setStyleSheet(
            f"color: white; background: {colour}; border-radius: 4px; padding: 2px 8px;"
        )
        if d.closed_on is None:
            self.state.setText(self.tr("Open since %s") % _date(d.opened_on))
            self.close_button.setText(self.tr("C&lose case…"))
        else:
            reason = d.closure_reason.label.lower() if d.closure_reason else ""
            self.state.setText(self.tr("Closed %s (%s)") % (_date(d.closed_on), reason))
            self.close_button.setText(self.tr("Re&open case…"))
        place = d.country + (f" · {d.jurisdiction}" if d.jurisdiction else "")
        facts = [d.violence_type.label, place]
        if d.office_name:
            facts.append(self.tr("Office: %s") % d.office_name)
        if d.sensitivity.value == "restricted":
            facts.append(self.tr("RESTRICTED: hidden from staff not assigned"))
        self.facts.setText("  ·  ".join(facts))
        self.leads.setText(
            self.tr("Lead caseworker: %s    Lead lawyer: %s")
            % (d.lead_caseworker_name or self.tr("none"), d.lead_lawyer_name or self.tr("none"))
        )
        self.summary.setText(d.summary)
        self.summary.setVisible(bool(d.summary))
        for button in (self.edit_button, self.close_button):
            button.setEnabled(d.can_edit)
            button.setToolTip(
                "" if d.can_edit else self.tr("Only staff assigned to this case can change it.")
            )
        self.tracks.set_tracks(d.tracks, self._explain)
        self._fill_people(d)
        self._fill_history(loaded.history)
        self.loaded.emit(d)

    def _explain(self, stage: Stage, target: TrackStatus) -> str | None:
        assert self.detail is not None
        return self._services.cases.explain_track_refusal(self.detail, stage, target)

    def _fill_people(self, d: CaseDetail) -> None:
        lists = {
            PartyKind.SURVIVOR: self.survivors,
            PartyKind.ACCUSED: self.accused,
            PartyKind.OFFICIAL: self.officials,
        }
        for widget in (*lists.values(), self.staff):
            widget.clear()
        for p in d.parties:
            widget = lists[p.kind]
            widget.addItem(f"{p.label}  —  {p.detail}  ({p.role.label.lower()})")
            widget.item(widget.count() - 1).setData(Qt.ItemDataRole.UserRole, p)
        for a in d.assignments:
            self.staff.addItem(f"{a.display_name}  —  {a.role_on_case.label.lower()}")
        for kind, widget in lists.items():
            if widget.count() == 0:
                widget.addItem(self.tr("None recorded"))
                widget.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
            else:
                widget.setProperty("kind", kind.value)
        self._update_people_buttons()

    # -- people -------------------------------------------------------------

    def _selected_survivor(self) -> PartyView | None:
        item = self.survivors.currentItem()
        if item is None and self.survivors.count() == 1:
            item = self.survivors.item(0)
        party = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return party if isinstance(party, PartyView) else None

    def _update_people_buttons(self) -> None:
        editable = self._context is not None and self.detail is not None and self.detail.can_edit
        why = "" if editable else self.tr("Only staff assigned to this case can add people.")
        for button in (
            self.add_survivor_button,
            self.add_accused_button,
            self.add_official_button,
        ):
            button.setEnabled(editable)
            button.setToolTip(why)
        chosen = self._context is not None and self._selected_survivor() is not None
        self.consent_button.setEnabled(chosen)
        self.record_button.setEnabled(chosen)

    def _rescued_on(self, d: CaseDetail) -> date:
        started = next(
            (t.started_on for t in d.tracks if t.stage is Stage.RESCUE and t.started_on), None
        )
        return started or d.opened_on

    def _on_add_survivor(self) -> None:
        d, ctx = self.detail, self._context
        if d is None or ctx is None or not d.can_edit:
            return
        people = ctx.services.get(PeopleService)
        records = ctx.services.get(PeopleRecordsService)
        case_id = d.id
        dialog = SurvivorDialog(
            self._ops,
            lambda draft, identity: people.add_survivor(case_id, draft, identity),
            country=d.country,
            rescued_on=self._rescued_on(d),
            check=records.duplicate_candidates,
            code=d.code,
            parent=self,
        )
        self.person_dialog: QDialog = dialog
        dialog.open()

    def _on_add_accused(self) -> None:
        d, ctx = self.detail, self._context
        if d is None or ctx is None or not d.can_edit:
            return
        people = ctx.services.get(PeopleService)
        records = ctx.services.get(PeopleRecordsService)
        case_id = d.id
        dialog = AccusedDialog(
            self._ops,
            lambda draft: people.add_accused(case_id, draft),
            country=d.country,
            check=records.duplicate_candidates,
            code=d.code,
            parent=self,
        )
        self.person_dialog = dialog
        dialog.open()

    def _on_add_official(self) -> None:
        d, ctx = self.detail, self._context
        if d is None or ctx is None or not d.can_edit:
            return
        people = ctx.services.get(PeopleService)
        records = ctx.services.get(PeopleRecordsService)
        case_id, country = d.id, d.country
        dialog = OfficialDialog(
            self._ops,
            country=country,
            find=lambda text: records.find(text, kinds={PartyKind.OFFICIAL}, limit=30),
            institutions=lambda: people.institutions(country),
            link=lambda official_id, role: people.link_official(case_id, official_id, role),
            add=lambda draft, role, institution: people.add_official_to_case(
                case_id, draft, role, new_institution=institution
            ),
            check=records.duplicate_candidates,
            code=d.code,
            in_case={p.person_id for p in d.parties if p.kind is PartyKind.OFFICIAL},
            parent=self,
        )
        self.person_dialog = dialog
        dialog.open()

    def _on_consent(self) -> None:
        party, ctx, d = self._selected_survivor(), self._context, self.detail
        if party is None or ctx is None or d is None:
            return
        consent = ctx.services.get(ConsentService)
        survivor_id = party.person_id
        dialog = ConsentDialog(
            self._ops,
            party.label,
            load=lambda: consent.consents(survivor_id),
            record=lambda draft: consent.record(survivor_id, draft),
            withdraw=lambda consent_id, on: consent.withdraw(consent_id, on),
            can_edit=d.can_edit,
            parent=self,
        )
        self.consent_dialog = dialog
        dialog.open()

    def _on_record(self) -> None:
        party, ctx = self._selected_survivor(), self._context
        if party is None or ctx is None:
            return
        dialog = SurvivorRecordDialog(ctx, party.person_id, label=party.label, parent=self)
        self.record_dialog = dialog
        dialog.open()

    def _fill_history(self, entries: list[HistoryEntry]) -> None:
        self.history.clear()
        if not entries:
            empty = QTreeWidgetItem(["", "", self.tr("No changes recorded in this database yet.")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.history.addTopLevelItem(empty)
        for e in entries:
            when = e.occurred_at.astimezone()
            item = QTreeWidgetItem([when.strftime("%Y-%m-%d %H:%M"), e.actor_name, e.summary])
            item.setToolTip(2, f"{e.action} (#{e.seq})")
            self.history.addTopLevelItem(item)

    # -- changes ----------------------------------------------------------

    def _on_changes_applied(self, changes: Changes) -> None:
        if self.case_id in changes.case_ids:
            self.reload()

    def _on_edit(self) -> None:
        if self.detail is not None and self.detail.can_edit:
            self.edit_requested.emit(self.detail)

    def _on_move_requested(self, stage: Stage, target: TrackStatus) -> None:
        if self.detail is None:
            return
        source = self.detail.track(stage).status
        cases, case_id = self._services.cases, self.case_id
        if target is TrackStatus.ACTIVE and source is TrackStatus.NOT_STARTED:
            # Starting a track needs nothing but today's date: no dialog in the way.
            self._ops.write(lambda: cases.change_track(case_id, stage, target), parent=self)
            return
        dialog = TransitionDialog(
            self._ops,
            stage,
            source,
            target,
            lambda on, reason, outcome: cases.change_track(
                case_id, stage, target, on=on, reason=reason, outcome=outcome
            ),
            self,
        )
        dialog.open()
        self.transition_dialog = dialog

    def _on_close_or_reopen(self) -> None:
        d = self.detail
        if d is None:
            return
        cases = self._services.cases
        if d.closed_on is not None:
            reason, ok = QInputDialog.getText(
                self, self.tr("Reopen case %s") % d.code, self.tr("Why is the case reopened?")
            )
            if ok and reason.strip():
                self._ops.write(lambda: cases.reopen(d.id, reason.strip()), parent=self)
            return
        dialog = CloseCaseDialog(
            self._ops,
            d,
            lambda reason, on, note: cases.close(d.id, reason, on=on, note=note),
            self,
        )
        dialog.open()
        self.close_dialog = dialog


class CloseCaseDialog(QDialog):
    """Why and when a case closes; refusals (an active track) shown inline."""

    def __init__(
        self,
        ops: Operations,
        detail: CaseDetail,
        save: Callable[[CaseClosureReason, date, str], Outcome[CaseDetail]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._save = save
        self.setWindowTitle(self.tr("Close case %s") % detail.code)
        self.form = FieldForm()
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason for closing"))
        for r in CaseClosureReason:
            self.reason.addItem(r.label, r)
        self.on = date_edit(self.tr("Closed on"))
        self.on.setMaximumDate(QDate.currentDate())
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.form.add_row("reason", self.tr("&Reason"), self.reason)
        self.form.add_row("on", self.tr("&Date"), self.on)
        self.form.add_row("note", self.tr("&Note"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Close case"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        q = self.on.date()
        reason = CaseClosureReason(self.reason.currentData())
        on = date(q.year(), q.month(), q.day())
        note = self.note.toPlainText().strip()
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            self.form.show_message(error_text(exc))

        def done(_value: CaseDetail) -> None:
            self.buttons.setEnabled(True)
            self.accept()

        self._ops.write(lambda: self._save(reason, on, note), done, parent=self, on_error=failed)
