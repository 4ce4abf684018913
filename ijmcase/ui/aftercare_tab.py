"""The Aftercare section of a case: how each survivor is doing, and the care
around them.

Per survivor (chosen by code; names never appear here): their assessments,
the domain scores of the chosen one (the latest by default), and a progress
chart with the restoration threshold (and the same numbers as a table for
screen readers). From here an assessment is recorded or corrected, aftercare
is closed (the dialog says what is still missing before anything is sent),
a director approves or declines a pending closing as restored, and care-plan
goals and referrals are listed and added. A referral the consent records do
not cover is refused by the service; the refusal is shown in the dialog, word
for word, so the caseworker knows which consent to record.

Everything is read on the worker; the tab reloads only when a write names
this case and an area it shows.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.aftercare import ClosureDraft, GoalDraft, ReferralDraft
from ijmcase.domain.assessments import ClosureGap, Instrument
from ijmcase.domain.enums import (
    AftercareClosureReason,
    CareService,
    ClosureStatus,
    GoalStatus,
    PartyKind,
    Role,
)
from ijmcase.domain.errors import ValidationError
from ijmcase.services.aftercare_closure import AftercareClosureService, ClosureView
from ijmcase.services.assessments import AssessmentService, AssessmentView, SurvivorProgress
from ijmcase.services.careplans import CarePlanService, GoalView
from ijmcase.services.cases import CaseDetail, CaseService
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.instruments import InstrumentService
from ijmcase.services.people import InstitutionView, PeopleService
from ijmcase.services.referrals import ReferralService, ReferralView
from ijmcase.ui.assessment_dialog import AssessmentDialog, combo_index
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text
from ijmcase.ui.progress_chart import ProgressChart
from ijmcase.ui.view_context import ViewContext

__all__ = ["AftercareTab", "CloseAftercareDialog", "GoalDialog", "ReferralDialog"]

# Areas whose changes can alter what this tab shows.
WATCHED = {"assessments", "aftercare", "careplans", "services", "referrals", "cases", "parties"}
ID_ROLE = Qt.ItemDataRole.UserRole


def _date(d: date | None) -> str:
    if d is None:
        return ""
    return QLocale().toString(QDate(d.year, d.month, d.day), "d MMM yyyy")


def _py_date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


@dataclass(frozen=True)
class _Loaded:
    detail: CaseDetail
    instrument: Instrument
    survivors: tuple[tuple[uuid.UUID, str], ...]
    survivor_id: uuid.UUID | None
    assessments: tuple[AssessmentView, ...] = ()
    progress: SurvivorProgress | None = None
    closures: tuple[ClosureView, ...] = ()
    goals: tuple[GoalView, ...] = ()
    referrals: tuple[ReferralView, ...] = ()
    institutions: tuple[InstitutionView, ...] = field(default=())


class AftercareTab(QWidget):
    """Case workspace section "Aftercare"."""

    def __init__(self, ctx: ViewContext, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = case_id
        # Made here, on the GUI thread, and captured by the jobs that run on the worker.
        get = ctx.services.get
        self._cases = get(CaseService)
        self._assessments = get(AssessmentService)
        self._closures = get(AftercareClosureService)
        self._careplans = get(CarePlanService)
        self._referrals = get(ReferralService)
        self._instruments = get(InstrumentService)
        self._people = get(PeopleService)
        self.loaded: _Loaded | None = None
        self._loading = False
        self._again = False
        self._wanted: uuid.UUID | None = None
        self.setAccessibleName(self.tr("Aftercare"))
        self._build()
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self.reload()

    # -- building ------------------------------------------------------------

    def _build(self) -> None:
        self.survivor = QComboBox()
        self.survivor.setAccessibleName(self.tr("Survivor (by code)"))
        self.survivor.setMinimumContentsLength(12)
        self.survivor.activated.connect(self._on_survivor_chosen)
        survivor_label = QLabel(self.tr("&Survivor:"))
        survivor_label.setBuddy(self.survivor)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Restoration status"))
        top = QHBoxLayout()
        top.addWidget(survivor_label)
        top.addWidget(self.survivor)
        top.addWidget(self.status, 1)

        self.assessment_list = QTreeWidget()
        self.assessment_list.setAccessibleName(self.tr("Assessments of the survivor"))
        self.assessment_list.setRootIsDecorated(False)
        self.assessment_list.setHeaderLabels(
            [self.tr("Date"), self.tr("Type"), self.tr("Scored against"), self.tr("Restored?")]
        )
        self.assessment_list.currentItemChanged.connect(lambda *_: self._show_chosen())
        self.scores = QTreeWidget()
        self.scores.setAccessibleName(self.tr("Domain scores of the chosen assessment"))
        self.scores.setHeaderLabels([self.tr("Domain / sub-domain"), self.tr("Score"), ""])
        self.scores.setAlternatingRowColors(True)
        header = self.scores.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.scores_title = QLabel()
        self.scores_title.setStyleSheet("font-weight: 600;")
        left = QWidget()
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addWidget(self.assessment_list, 1)
        left_column.addWidget(self.scores_title)
        left_column.addWidget(self.scores, 2)

        self.chart = ProgressChart()
        self.table = QTableWidget()
        self.table.setAccessibleName(self.tr("Domain scores over time, as a table"))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.chart_tabs = QTabWidget()
        self.chart_tabs.setAccessibleName(self.tr("Progress"))
        self.chart_tabs.addTab(self.chart, self.tr("Chart"))
        self.chart_tabs.addTab(self.table, self.tr("Table"))

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.chart_tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        # Room for the sub-domain labels and the four assessment columns.
        split.setSizes([520, 780])

        self.new_button = QPushButton(self.tr("&New assessment…"))
        self.new_button.clicked.connect(self._on_new)
        self.correct_button = QPushButton(self.tr("&Correct…"))
        self.correct_button.setToolTip(self.tr("Correct the chosen assessment (kept as it was)"))
        self.correct_button.clicked.connect(self._on_correct)
        self.close_button = QPushButton(self.tr("Close a&ftercare…"))
        self.close_button.clicked.connect(self._on_close)
        self.approve_button = QPushButton(self.tr("Appro&ve closing"))
        self.approve_button.clicked.connect(self._on_approve)
        self.decline_button = QPushButton(self.tr("Decli&ne closing…"))
        self.decline_button.clicked.connect(self._on_decline)
        self.closure_state = QLabel()
        self.closure_state.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.correct_button, self.close_button):
            buttons.addWidget(b)
        buttons.addWidget(self.closure_state, 1)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.decline_button)

        self.goals = QTreeWidget()
        self.goals.setAccessibleName(self.tr("Care-plan goals"))
        self.goals.setRootIsDecorated(False)
        self.goals.setHeaderLabels(
            [self.tr("Domain"), self.tr("Goal"), self.tr("Target"), self.tr("Status")]
        )
        self.add_goal_button = QPushButton(self.tr("Add &goal…"))
        self.add_goal_button.clicked.connect(self._on_add_goal)
        goal_box = QGroupBox(self.tr("Care-plan goals"))
        g = QVBoxLayout(goal_box)
        g.addWidget(self.goals)
        g.addWidget(self.add_goal_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.referrals = QTreeWidget()
        self.referrals.setAccessibleName(self.tr("Referrals"))
        self.referrals.setRootIsDecorated(False)
        self.referrals.setHeaderLabels(
            [self.tr("Date"), self.tr("To"), self.tr("Service"), self.tr("Status")]
        )
        self.refer_button = QPushButton(self.tr("&Refer…"))
        self.refer_button.clicked.connect(self._on_refer)
        referral_box = QGroupBox(self.tr("Referrals"))
        r = QVBoxLayout(referral_box)
        r.addWidget(self.referrals)
        r.addWidget(self.refer_button, 0, Qt.AlignmentFlag.AlignLeft)
        care = QHBoxLayout()
        care.addWidget(goal_box)
        care.addWidget(referral_box)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(split, 3)
        layout.addLayout(buttons)
        layout.addLayout(care, 2)
        self._update_buttons()

    # -- loading ---------------------------------------------------------------

    def reload(self) -> None:
        if self._loading:
            # A change arrived mid-read: read once more when this one is done.
            self._again = True
            return
        self._loading = True
        case_id, wanted = self.case_id, self._wanted
        cases, assessments, closures = self._cases, self._assessments, self._closures
        careplans, referrals, instruments = self._careplans, self._referrals, self._instruments
        people = self._people

        def fetch() -> _Loaded:
            detail = cases.get(case_id)
            survivors = tuple(
                (p.person_id, p.label) for p in detail.parties if p.kind is PartyKind.SURVIVOR
            )
            ids = [s for s, _ in survivors]
            chosen = wanted if wanted in ids else (ids[0] if ids else None)
            instrument = instruments.current()
            if chosen is None:
                return _Loaded(detail, instrument, survivors, None)
            return _Loaded(
                detail,
                instrument,
                survivors,
                chosen,
                tuple(assessments.for_case(case_id, chosen)),
                assessments.progress(case_id, chosen),
                tuple(c for c in closures.closures(case_id) if c.survivor_id == chosen),
                tuple(careplans.goals(case_id, chosen)),
                tuple(referrals.for_case(case_id, chosen)),
                tuple(people.institutions(detail.country)),
            )

        self._ctx.ops.read(fetch, self._on_loaded, on_error=self._on_failed)

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.message.setText(error_text(exc))
        self.message.show()

    def _on_loaded(self, loaded: _Loaded) -> None:
        self._loading = False
        self.loaded = loaded
        self.message.hide()
        self._wanted = loaded.survivor_id
        self.survivor.clear()
        for sid, code in loaded.survivors:
            self.survivor.addItem(code, sid)
        self.survivor.setCurrentIndex(combo_index(self.survivor, loaded.survivor_id))
        self._fill_status(loaded)
        self._fill_assessments(loaded)
        self._fill_chart(loaded.progress)
        self._fill_closure(loaded)
        self._fill_goals(loaded.goals)
        self._fill_referrals(loaded.referrals)
        self._update_buttons()
        if self._again:
            self._again = False
            self.reload()

    def _fill_status(self, loaded: _Loaded) -> None:
        p = loaded.progress
        if loaded.survivor_id is None:
            text = self.tr("No survivors are recorded in this case.")
        elif p is None or p.latest_meets_threshold is None:
            text = self.tr("No assessments yet.")
        elif p.latest_meets_threshold:
            text = self.tr("Latest assessment meets the restoration threshold.")
        else:
            text = self.tr("Below the threshold: %s") % "; ".join(p.latest_shortfalls)
        self.status.setText(text)

    def _fill_assessments(self, loaded: _Loaded) -> None:
        self.assessment_list.blockSignals(True)
        self.assessment_list.clear()
        for a in loaded.assessments:
            item = QTreeWidgetItem(
                [
                    _date(a.assessed_on),
                    a.type.label,
                    a.basis.label,
                    self.tr("Yes") if a.meets_threshold else self.tr("No"),
                ]
            )
            item.setData(0, ID_ROLE, a.id)
            tip = self.tr("Assessed by %s") % a.assessor_name
            if a.supersedes_id is not None:
                tip += "\n" + self.tr("A correction of an earlier record.")
            item.setToolTip(0, tip)
            self.assessment_list.addTopLevelItem(item)
        for column in range(4):
            self.assessment_list.resizeColumnToContents(column)
        last = self.assessment_list.topLevelItem(self.assessment_list.topLevelItemCount() - 1)
        if last is not None:
            self.assessment_list.setCurrentItem(last)
        self.assessment_list.blockSignals(False)
        self._show_chosen()

    def chosen_assessment(self) -> AssessmentView | None:
        item = self.assessment_list.currentItem()
        if item is None or self.loaded is None:
            return None
        wanted = item.data(0, ID_ROLE)
        return next((a for a in self.loaded.assessments if a.id == wanted), None)

    def _show_chosen(self) -> None:
        a = self.chosen_assessment()
        self.scores.clear()
        self._update_buttons()
        if a is None:
            self.scores_title.setText(self.tr("No assessment chosen"))
            return
        latest = self.loaded is not None and self.loaded.assessments[-1].id == a.id
        self.scores_title.setText(
            (self.tr("Latest: %s, %s") if latest else self.tr("%s, %s"))
            % (_date(a.assessed_on), a.type.label.lower())
        )
        minimums = (
            {d.key: d.minimum for d in self.loaded.progress.domains}
            if self.loaded is not None and self.loaded.progress is not None
            else {}
        )
        for d in a.domains:
            below = d.key in minimums and d.mean < minimums[d.key]
            item = QTreeWidgetItem(
                [d.label, d.display, self.tr("below threshold") if below else ""]
            )
            font = item.font(0)
            font.setBold(True)
            item.setFont(0, font)
            item.setFont(1, font)
            if below:
                item.setForeground(2, Qt.GlobalColor.darkRed)
            for s in d.sub_scores:
                child = QTreeWidgetItem([s.label, str(s.score), ""])
                if s.note:
                    child.setText(2, self.tr("note"))
                    child.setToolTip(0, s.note)
                    child.setToolTip(2, s.note)
                item.addChild(child)
            self.scores.addTopLevelItem(item)
        # Domains open: the sub-domain scores are what a caseworker acts on.
        self.scores.expandAll()

    def _fill_chart(self, progress: SurvivorProgress | None) -> None:
        self.chart.set_progress(progress)
        rows = self.chart.table_rows()
        self.table.clear()
        self.table.setColumnCount(len(rows[0]))
        self.table.setRowCount(len(rows) - 1)
        self.table.setHorizontalHeaderLabels(rows[0])
        for r, row in enumerate(rows[1:]):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def pending_closure(self) -> ClosureView | None:
        if self.loaded is None:
            return None
        return next(
            (c for c in self.loaded.closures if c.status is ClosureStatus.PENDING_APPROVAL), None
        )

    def _fill_closure(self, loaded: _Loaded) -> None:
        live = next(
            (
                c
                for c in loaded.closures
                if c.status in (ClosureStatus.PENDING_APPROVAL, ClosureStatus.CLOSED)
            ),
            None,
        )
        if live is None:
            self.closure_state.setText("")
        elif live.status is ClosureStatus.PENDING_APPROVAL:
            self.closure_state.setText(
                self.tr("Closing as %s on %s waits for a director's approval (asked by %s).")
                % (live.reason.label.lower(), _date(live.closed_on), live.requested_by_name)
            )
        else:
            self.closure_state.setText(
                self.tr("Aftercare closed on %s: %s.")
                % (_date(live.closed_on), live.reason.label.lower())
            )

    def _fill_goals(self, goals: tuple[GoalView, ...]) -> None:
        self.goals.clear()
        today = date.today()
        for g in goals:
            status = g.status.label
            if g.overdue(today):
                status += self.tr(" (overdue)")
            item = QTreeWidgetItem([g.domain_label, g.goal, _date(g.target_on), status])
            item.setToolTip(1, g.notes or g.goal)
            self.goals.addTopLevelItem(item)
        if not goals:
            empty = QTreeWidgetItem(["", self.tr("No goals yet"), "", ""])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.goals.addTopLevelItem(empty)
        self.goals.resizeColumnToContents(0)

    def _fill_referrals(self, referrals: tuple[ReferralView, ...]) -> None:
        self.referrals.clear()
        for ref in referrals:
            to = ref.institution_name + (self.tr(" (transfer)") if ref.is_transfer else "")
            item = QTreeWidgetItem(
                [_date(ref.referred_on), to, ref.service.label, ref.status.label]
            )
            item.setToolTip(1, ref.consent_summary)
            self.referrals.addTopLevelItem(item)
        if not referrals:
            empty = QTreeWidgetItem(["", self.tr("No referrals yet"), "", ""])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.referrals.addTopLevelItem(empty)
        self.referrals.resizeColumnToContents(0)

    def _update_buttons(self) -> None:
        loaded = self.loaded
        can_edit = loaded is not None and loaded.detail.can_edit
        has_survivor = loaded is not None and loaded.survivor_id is not None
        for b in (self.new_button, self.close_button, self.add_goal_button, self.refer_button):
            b.setEnabled(can_edit and has_survivor)
        self.correct_button.setEnabled(can_edit and self.chosen_assessment() is not None)
        director = self._ctx.actor.role is Role.DIRECTOR
        pending = self.pending_closure() is not None
        self.approve_button.setVisible(director and pending)
        self.decline_button.setVisible(director and pending)

    # -- changes ---------------------------------------------------------------

    def _on_changes_applied(self, changes: Changes) -> None:
        if self.case_id in changes.case_ids and changes.areas & WATCHED:
            self.reload()

    def _on_survivor_chosen(self, index: int) -> None:
        sid = self.survivor.itemData(index)
        if isinstance(sid, uuid.UUID) and sid != self._wanted:
            self._wanted = sid
            self.reload()

    # -- actions -----------------------------------------------------------------

    @property
    def ops(self) -> Operations:
        return self._ctx.ops

    def _on_new(self) -> None:
        loaded = self.loaded
        if loaded is None or loaded.survivor_id is None:
            return
        service, case_id = self._assessments, self.case_id
        dialog = AssessmentDialog(
            self.ops,
            loaded.instrument,
            loaded.survivors,
            lambda draft, _reason: service.record(case_id, draft),
            self,
        )
        dialog.survivor.setCurrentIndex(max(0, combo_index(dialog.survivor, loaded.survivor_id)))
        self.assessment_dialog = dialog
        dialog.open()

    def _on_correct(self) -> None:
        loaded, chosen = self.loaded, self.chosen_assessment()
        if loaded is None or chosen is None:
            return
        service = self._assessments
        instruments = self._instruments

        def opened(instrument: Instrument) -> None:
            dialog = AssessmentDialog(
                self.ops,
                instrument,
                loaded.survivors,
                lambda draft, reason: service.correct(chosen.id, draft, reason=reason),
                self,
                correcting=chosen,
            )
            self.assessment_dialog = dialog
            dialog.open()

        # A correction is scored on the version the original was made with.
        self.ops.read(
            lambda: instruments.get(chosen.instrument_id, chosen.instrument_version),
            opened,
            on_error=lambda exc: self.ops.show_error(self, exc),
        )

    def _on_close(self) -> None:
        loaded = self.loaded
        if loaded is None or loaded.survivor_id is None:
            return
        sid, code, case_id = loaded.survivor_id, self.survivor.currentText(), self.case_id
        closures = self._closures
        dialog = CloseAftercareDialog(
            self.ops,
            code,
            lambda reason: closures.check(case_id, sid, reason),
            lambda reason, on, note: closures.close(case_id, ClosureDraft(sid, reason, on, note)),
            self,
        )
        self.close_dialog = dialog
        dialog.open()

    def _on_approve(self) -> None:
        pending = self.pending_closure()
        if pending is None:
            return
        closures = self._closures
        self.ops.write(lambda: closures.approve(pending.id), parent=self)

    def _on_decline(self) -> None:
        pending = self.pending_closure()
        if pending is None:
            return
        note, ok = QInputDialog.getText(
            self,
            self.tr("Decline closing %s") % pending.survivor_code,
            self.tr("Why is closing as restored declined?"),
        )
        if ok and note.strip():
            closures = self._closures
            self.ops.write(lambda: closures.decline(pending.id, note.strip()), parent=self)

    def _on_add_goal(self) -> None:
        loaded = self.loaded
        if loaded is None or loaded.survivor_id is None:
            return
        sid, case_id, careplans = loaded.survivor_id, self.case_id, self._careplans
        dialog = GoalDialog(
            self.ops,
            loaded.instrument,
            lambda draft: careplans.add_goal(case_id, sid, draft),
            self,
        )
        self.goal_dialog = dialog
        dialog.open()

    def _on_refer(self) -> None:
        loaded = self.loaded
        if loaded is None or loaded.survivor_id is None:
            return
        sid, case_id, referrals = loaded.survivor_id, self.case_id, self._referrals
        dialog = ReferralDialog(
            self.ops,
            self.survivor.currentText(),
            loaded.institutions,
            lambda draft: referrals.refer(case_id, sid, draft),
            self,
        )
        self.referral_dialog = dialog
        dialog.open()


class CloseAftercareDialog(QDialog):
    """Close one survivor's aftercare; shows what is missing before it is sent."""

    def __init__(
        self,
        ops: Operations,
        survivor_code: str,
        check: Callable[[AftercareClosureReason], list[ClosureGap]],
        save: Callable[[AftercareClosureReason, date, str], Outcome[ClosureView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._check = check
        self._save = save
        self.gaps: list[ClosureGap] | None = None
        self.setWindowTitle(self.tr("Close aftercare of %s") % survivor_code)
        self.form = FieldForm()
        self.reason = QComboBox()
        self.reason.setAccessibleName(self.tr("Reason for closing"))
        for r in AftercareClosureReason:
            self.reason.addItem(r.label, r)
        self.reason.currentIndexChanged.connect(lambda _i: self._recheck())
        self.closed_on = date_edit(self.tr("Closed on"))
        self.closed_on.setMaximumDate(QDate.currentDate())
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(self.tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(64)
        self.form.add_row("reason", self.tr("&Reason"), self.reason)
        self.form.add_row("closed_on", self.tr("&Date"), self.closed_on)
        self.form.add_row("note", self.tr("&Note"), self.note)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setAccessibleName(self.tr("What is still missing"))
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Close aftercare"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.missing)
        layout.addWidget(self.buttons)
        self.resize(520, 320)
        self._recheck()

    def _reason(self) -> AftercareClosureReason:
        return AftercareClosureReason(self.reason.currentData())

    def _recheck(self) -> None:
        reason = self._reason()
        self.ok.setEnabled(False)
        self.missing.setText(self.tr("Checking…"))

        def shown(gaps: list[ClosureGap]) -> None:
            if reason is not self._reason():
                return  # the reason changed again meanwhile
            self._show_gaps(gaps)

        def failed(exc: BaseException) -> None:
            self.missing.setText(error_text(exc))

        self._ops.read(lambda: self._check(reason), shown, on_error=failed)

    def _show_gaps(self, gaps: list[ClosureGap]) -> None:
        self.gaps = gaps
        # Only a director's approval may be missing when a caseworker asks to close
        # as restored: sending the request is how that approval is asked for.
        blocking = [g for g in gaps if g.code != "approval_missing"]
        lines: list[str] = []
        if blocking:
            lines.append(self.tr("Still missing before aftercare can close:"))
            lines.extend(f"• {g.message}" for g in gaps)
            self.missing.setStyleSheet("color: #b00020;")
        elif gaps:
            lines.append(
                self.tr(
                    "Everything else is in place. Closing as restored then waits for a "
                    "director's approval:"
                )
            )
            lines.extend(f"• {g.message}" for g in gaps)
            self.missing.setStyleSheet("")
        else:
            lines.append(self.tr("Nothing is missing: aftercare can close."))
            self.missing.setStyleSheet("")
        self.missing.setText("\n".join(lines))
        self.ok.setText(
            self.tr("Ask for approval") if gaps and not blocking else self.tr("Close aftercare")
        )
        self.ok.setEnabled(not blocking)

    def _submit(self) -> None:
        if not self.ok.isEnabled():
            return
        reason, on = self._reason(), _py_date(self.closed_on.date())
        note = self.note.toPlainText().strip()
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.form.show_problems(exc.problems)
            else:
                self.form.show_message(error_text(exc))

        def done(_value: ClosureView) -> None:
            self.buttons.setEnabled(True)
            self.accept()

        self._ops.write(lambda: self._save(reason, on, note), done, parent=self, on_error=failed)


class GoalDialog(QDialog):
    """A care-plan goal in one domain of the instrument."""

    def __init__(
        self,
        ops: Operations,
        instrument: Instrument,
        save: Callable[[GoalDraft], Outcome[GoalView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._save = save
        self._domains = [d.key for d in instrument.domains]
        self.setWindowTitle(self.tr("Add care-plan goal"))
        self.form = FieldForm()
        self.domain = QComboBox()
        self.domain.setAccessibleName(self.tr("Domain"))
        for d in instrument.domains:
            self.domain.addItem(d.label, d.key)
        self.goal = QLineEdit()
        self.goal.setAccessibleName(self.tr("Goal"))
        self.has_target = QCheckBox(self.tr("Has a target date"))
        self.target_on = date_edit(self.tr("Target date"))
        self.target_on.setEnabled(False)
        self.has_target.toggled.connect(self.target_on.setEnabled)
        target = QWidget()
        t = QHBoxLayout(target)
        t.setContentsMargins(0, 0, 0, 0)
        t.addWidget(self.has_target)
        t.addWidget(self.target_on, 1)
        self.notes = QLineEdit()
        self.notes.setAccessibleName(self.tr("Notes"))
        self.form.add_row("domain_key", self.tr("&Domain"), self.domain)
        self.form.add_row("goal", self.tr("&Goal"), self.goal)
        self.form.add_row("target_on", self.tr("&Target"), target)
        self.form.add_row("notes", self.tr("&Notes"), self.notes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

    def value(self) -> GoalDraft:
        return GoalDraft(
            domain_key=str(self.domain.currentData()),
            goal=self.goal.text().strip(),
            target_on=_py_date(self.target_on.date()) if self.has_target.isChecked() else None,
            status=GoalStatus.ACTIVE,
            notes=self.notes.text().strip(),
        )

    def _submit(self) -> None:
        draft = self.value()
        if self.form.show_problems(draft.problems(self._domains)):
            return
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.form.show_problems(exc.problems)
            else:
                self.form.show_message(error_text(exc))

        def done(_value: GoalView) -> None:
            self.buttons.setEnabled(True)
            self.accept()

        self._ops.write(lambda: self._save(draft), done, parent=self, on_error=failed)


class ReferralDialog(QDialog):
    """Refer a survivor to a partner; a refusal (no consent) is shown here, inline."""

    def __init__(
        self,
        ops: Operations,
        survivor_code: str,
        institutions: tuple[InstitutionView, ...],
        save: Callable[[ReferralDraft], Outcome[ReferralView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._save = save
        self.saved: ReferralView | None = None
        self.setWindowTitle(self.tr("Refer %s") % survivor_code)
        self.form = FieldForm()
        self.institution = QComboBox()
        self.institution.setAccessibleName(self.tr("Partner institution"))
        for i in institutions:
            self.institution.addItem(f"{i.name} ({i.kind.label.lower()})", i.id)
        self.service = QComboBox()
        self.service.setAccessibleName(self.tr("Service"))
        for s in CareService:
            self.service.addItem(s.label, s)
        self.referred_on = date_edit(self.tr("Referral date"))
        self.referred_on.setMaximumDate(QDate.currentDate())
        self.transfer = QCheckBox(self.tr("This is a &transfer of care"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.form.add_row("institution_id", self.tr("&Institution"), self.institution)
        self.form.add_row("service", self.tr("&Service"), self.service)
        self.form.add_row("referred_on", self.tr("&Date"), self.referred_on)
        self.form.add_row("is_transfer", "", self.transfer)
        self.form.add_row("reason", self.tr("&Reason"), self.reason)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Refer"))
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        if not institutions:
            self.form.show_message(
                self.tr("No partner institutions are recorded in this country yet.")
            )
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.resize(520, 280)

    def value(self) -> ReferralDraft:
        chosen = self.institution.currentData()
        return ReferralDraft(
            institution_id=chosen if isinstance(chosen, uuid.UUID) else uuid.UUID(int=0),
            service=CareService(self.service.currentData()),
            referred_on=_py_date(self.referred_on.date()),
            reason=self.reason.text().strip(),
            is_transfer=self.transfer.isChecked(),
        )

    def _submit(self) -> None:
        draft = self.value()
        if self.form.show_problems(draft.problems(today=date.today())):
            return
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.form.show_problems(exc.problems)
            else:
                # The refusal names the consent that is missing: show it as it is.
                self.form.show_message(error_text(exc))

        def done(value: ReferralView) -> None:
            self.buttons.setEnabled(True)
            self.saved = value
            self.accept()

        self._ops.write(lambda: self._save(draft), done, parent=self, on_error=failed)
