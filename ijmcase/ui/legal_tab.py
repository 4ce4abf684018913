"""The Legal section of a case: one proceeding per accused, and the hearings.

For each accused (by name and code; accused are not survivors) the card
shows the proceeding: court, court case number, the country template, the
milestones reached or skipped with their dates, the steps the order allows
next, the charges, the custody status, the outcome and sentence, and the
statutory deadlines running (overdue ones in red). *Record milestone…*,
*Add charge…* and *Outcome and sentence…* open the dialogs of
``hearing_dialogs``; an accused with no proceeding offers *Open
proceeding…* on the case's country template.

Below, the case's hearings, upcoming and past, in the court's own time and
zone, with the adjournment count; *Schedule hearing…* and *Record
outcome…* (a next date creates the next hearing). Everything is read on the
worker; the section reloads only when a write touched proceedings,
hearings, people or protection of this case.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.court_drafts import ChargeDraft, HearingDraft, HearingResult, OutcomeDraft
from ijmcase.domain.enums import PartyKind
from ijmcase.domain.pathways import pathway_for
from ijmcase.domain.permissions import Permission, has_permission
from ijmcase.services.cases import CaseDetail, CaseService
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.court import CourtService
from ijmcase.services.court_views import AdjournmentCount, HearingRow, ProceedingView
from ijmcase.services.hearings import HearingService, RecordedHearing
from ijmcase.services.victim_support import VictimSupportService
from ijmcase.ui.hearing_dialogs import (
    ChargeDialog,
    HearingChoices,
    HearingOutcomeDialog,
    MilestoneDialog,
    OpenProceedingDialog,
    ProceedingOutcomeDialog,
    ScheduleHearingDialog,
)
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["AccusedCard", "LegalTab"]

# Areas whose writes change what this section shows (court.py: proceedings,
# people for custody and accused; hearings.py: hearings; victim_support:
# protection, offered when scheduling; cases: the country and the staff).
WATCHED = {"proceedings", "hearings", "people", "protection", "cases"}
HEARING_ROLE = Qt.ItemDataRole.UserRole
OVERDUE = "#a50e0e"
MUTED = "color: palette(dark);"


@dataclass(frozen=True)
class Accused:
    id: uuid.UUID
    code: str
    name: str


@dataclass(frozen=True)
class _Loaded:
    detail: CaseDetail
    accused: tuple[Accused, ...]
    proceedings: tuple[ProceedingView, ...]
    hearings: tuple[HearingRow, ...]
    adjournments: AdjournmentCount
    milestones: dict[str, tuple[tuple[str, str], ...]]
    templates: tuple[tuple[str, str], ...]
    default_template: str
    choices: HearingChoices


def _date(d: date | None) -> str:
    if d is None:
        return ""
    return QLocale().toString(QDate(d.year, d.month, d.day), "d MMM yyyy")


def when_text(row: HearingRow) -> str:
    """A hearing's start in the court's own time, with its zone."""
    local = row.starts_at
    day = QLocale().toString(QDate(local.year, local.month, local.day), "ddd d MMM yyyy")
    return f"{day} {local:%H:%M} ({row.timezone})"


class AccusedCard(QGroupBox):
    """One accused and their proceeding (or the offer to open one)."""

    def __init__(self, tab: LegalTab, accused: Accused, proceeding: ProceedingView | None) -> None:
        super().__init__(f"{accused.name} · {accused.code}")
        self.accused = accused
        self.proceeding = proceeding
        self.setAccessibleName(self.tr("Accused %s") % accused.code)
        outer = QVBoxLayout(self)
        if proceeding is None:
            row = QHBoxLayout()
            none = QLabel(self.tr("No proceeding yet against this accused."))
            none.setStyleSheet(MUTED)
            self.open_button = QPushButton(self.tr("&Open proceeding…"))
            self.open_button.clicked.connect(lambda: tab.open_proceeding(accused.id))
            self.open_button.setEnabled(tab.can_edit)
            row.addWidget(none)
            row.addStretch(1)
            row.addWidget(self.open_button)
            outer.addLayout(row)
            return
        p = proceeding
        self.facts = QLabel(self._facts(p))
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAccessibleName(self.tr("Proceeding"))

        self.charges = QLabel(self._charges(p))
        self.charges.setWordWrap(True)
        self.charges.setAccessibleName(self.tr("Charges"))
        self.deadlines = QWidget()
        self.deadlines.setAccessibleName(self.tr("Statutory deadlines"))
        dl = QVBoxLayout(self.deadlines)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.setSpacing(1)
        self.deadline_labels: list[QLabel] = []
        for d in p.deadlines:
            text = (
                self.tr("%1 due %2 (%3 from %4)")
                .replace("%1", d.milestone_label)
                .replace("%2", _date(d.due_on))
                .replace("%3", d.basis)
                .replace("%4", d.counted_from_label)
            )
            label = QLabel(("⚠ " + self.tr("OVERDUE: ") if d.overdue else "") + text)
            label.setWordWrap(True)
            if d.overdue:
                label.setStyleSheet(f"color: {OVERDUE}; font-weight: 600;")
            dl.addWidget(label)
            self.deadline_labels.append(label)
        if not p.deadlines:
            dl.addWidget(QLabel(self.tr("No statutory deadline running.")))

        self.milestones = QTreeWidget()
        self.milestones.setAccessibleName(self.tr("Milestones reached, in order"))
        self.milestones.setRootIsDecorated(False)
        self.milestones.setHeaderLabels([self.tr("Milestone"), self.tr("Date"), self.tr("Note")])
        header = self.milestones.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for m in p.milestones:
            note = (self.tr("skipped: %s") % m.reason) if m.skipped else m.stage.label
            item = QTreeWidgetItem([m.label, _date(m.on), note])
            if m.skipped:
                for column in range(3):
                    item.setForeground(column, Qt.GlobalColor.gray)
            self.milestones.addTopLevelItem(item)
        for step in p.next_steps:
            item = QTreeWidgetItem(
                [
                    self.tr("Next: %s") % step.label,
                    "",
                    self.tr("optional") if step.optional else step.stage.label,
                ]
            )
            font = item.font(0)
            font.setItalic(True)
            for column in range(3):
                item.setFont(column, font)
                item.setForeground(column, QBrush(QColor("#1a73e8")))
            self.milestones.addTopLevelItem(item)
        if not p.milestones and not p.next_steps:
            self.milestones.addTopLevelItem(QTreeWidgetItem([self.tr("No milestone yet")]))
        rows = max(1, self.milestones.topLevelItemCount())
        self.milestones.setMinimumHeight(min(260, 30 + rows * 22))
        self.milestones.setMaximumHeight(min(260, 30 + rows * 22))

        self.milestone_button = QPushButton(self.tr("Record &milestone…"))
        self.milestone_button.setToolTip(
            self.tr("Record the next step of the pathway, or skip one with a reason")
        )
        self.milestone_button.clicked.connect(lambda: tab.record_milestone(p))
        self.charge_button = QPushButton(self.tr("Add c&harge…"))
        self.charge_button.clicked.connect(lambda: tab.add_charge(p))
        self.outcome_button = QPushButton(self.tr("Outcome and se&ntence…"))
        self.outcome_button.clicked.connect(lambda: tab.record_proceeding_outcome(p))
        for button in (self.milestone_button, self.charge_button, self.outcome_button):
            button.setEnabled(p.can_edit)

        left = QVBoxLayout()
        left.addWidget(self.facts)
        left.addWidget(_heading(self.tr("Charges")))
        left.addWidget(self.charges)
        left.addWidget(_heading(self.tr("Statutory deadlines")))
        left.addWidget(self.deadlines)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(_heading(self.tr("Milestones (%s)") % p.pathway_name))
        right.addWidget(self.milestones)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.charge_button)
        buttons.addWidget(self.outcome_button)
        buttons.addWidget(self.milestone_button)
        outer.addLayout(body)
        outer.addLayout(buttons)

    def _facts(self, p: ProceedingView) -> str:
        lines = [
            self.tr("Court: %s") % (p.court_name or self.tr("not yet known")),
            self.tr("Court case no.: %s") % (p.court_case_number or "—"),
            self.tr("Template: %s") % p.pathway_name,
            self.tr("Stage: %s") % (p.reporting_stage.label if p.reporting_stage else "—"),
            self.tr("Custody: %s") % p.custody_status.label,
        ]
        outcome = p.outcome.label
        if p.outcome_on is not None:
            outcome += " (" + _date(p.outcome_on) + ")"
        lines.append(self.tr("Outcome: %s") % outcome)
        if p.sentence_text:
            lines.append(self.tr("Sentence: %s") % p.sentence_text)
        if p.appealed:
            lines.append(self.tr("Appealed"))
        return "\n".join(lines)

    def _charges(self, p: ProceedingView) -> str:
        if not p.charges:
            return self.tr("No charge filed yet.")
        return "\n".join(
            f"• {c.citation}"
            + (f" — {c.description}" if c.description else "")
            + f" · {self.tr('filed')} {_date(c.filed_on)} · {c.status.label}"
            for c in p.charges
        )

    def next_step_keys(self) -> list[str]:
        return [s.key for s in self.proceeding.next_steps] if self.proceeding else []


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; margin-top: 4px;")
    return label


class LegalTab(QWidget):
    """Case section "Legal"; a ``CaseTabFactory``."""

    def __init__(self, ctx: ViewContext, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = case_id
        self._generation = 0
        self.loading = False
        self.data: _Loaded | None = None
        self.cards: dict[str, AccusedCard] = {}
        self.dialog: object | None = None
        self.can_edit = False
        self.setAccessibleName(self.tr("Legal proceedings and hearings"))

        self.summary = QLabel()
        self.summary.setAccessibleName(self.tr("Legal summary"))
        self.status = QLabel()
        self.status.setStyleSheet(MUTED)
        self.open_button = QPushButton(self.tr("Open &proceeding…"))
        self.open_button.clicked.connect(lambda: self.open_proceeding(None))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.status)
        top.addWidget(self.open_button)

        self.cards_box = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_box)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.cards_box)
        scroll.setAccessibleName(self.tr("Proceedings by accused"))

        self.hearings = QTreeWidget()
        self.hearings.setAccessibleName(self.tr("Hearings of the case"))
        self.hearings.setAlternatingRowColors(True)
        self.hearings.setMinimumHeight(160)
        self.hearings.setHeaderLabels(
            [
                self.tr("When (court time)"),
                self.tr("Accused"),
                self.tr("Purpose"),
                self.tr("Court"),
                self.tr("Judge"),
                self.tr("Outcome"),
                self.tr("Next date"),
                self.tr("Attending"),
            ]
        )
        header = self.hearings.header()
        for column in range(7):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.hearings.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.hearings.itemActivated.connect(lambda *_: self.record_hearing_outcome())
        self.adjourned = QLabel()
        self.adjourned.setAccessibleName(self.tr("Adjournments"))
        self.schedule_button = QPushButton(self.tr("&Schedule hearing…"))
        self.schedule_button.clicked.connect(self.schedule_hearing)
        self.outcome_button = QPushButton(self.tr("Record &outcome…"))
        self.outcome_button.setToolTip(
            self.tr("Held, adjourned or vacated; a next date creates the next hearing")
        )
        self.outcome_button.clicked.connect(self.record_hearing_outcome)
        hearing_bar = QHBoxLayout()
        title = _heading(self.tr("&Hearings"))
        title.setBuddy(self.hearings)
        hearing_bar.addWidget(title)
        hearing_bar.addWidget(self.adjourned, 1)
        hearing_bar.addWidget(self.outcome_button)
        hearing_bar.addWidget(self.schedule_button)
        bottom = QWidget()
        b = QVBoxLayout(bottom)
        b.setContentsMargins(0, 0, 0, 0)
        b.addLayout(hearing_bar)
        b.addWidget(self.hearings, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        # The proceedings are the larger part; the hearings list scrolls.
        split.setSizes([640, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self._update_buttons()
        self.reload()

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.status.setText(self.tr("Loading…"))
        case_id = self.case_id
        services = self._ctx.services
        me = self._ctx.actor.user_id

        def fetch() -> _Loaded:
            detail = services.get(CaseService).get(case_id)
            court = services.get(CourtService)
            hearings = services.get(HearingService)
            pathways = court.pathways()
            accused = tuple(
                Accused(p.person_id, p.detail.split(" · ")[0], p.label)
                for p in detail.parties
                if p.kind is PartyKind.ACCUSED
            )
            survivors = tuple(
                (p.person_id, p.label) for p in detail.parties if p.kind is PartyKind.SURVIVOR
            )
            proceedings = tuple(court.proceedings(case_id))
            courts = hearings.courts()
            # The case's own country first: that is where its court sits.
            courts.sort(key=lambda c: (c[2] != detail.country, c[1]))
            today = datetime.now(UTC).date()
            measures = tuple(
                (m.id, m.survivor_id, m.kind.label)
                for m in services.get(VictimSupportService).measures(case_id)
                if m.active_on(today)
            )
            staff = {a.user_id: a.display_name for a in detail.assignments}
            staff.setdefault(me, self._ctx.actor.display_name)
            return _Loaded(
                detail=detail,
                accused=accused,
                proceedings=proceedings,
                hearings=tuple(hearings.hearings(case_id)),
                adjournments=hearings.adjournments(case_id),
                milestones={
                    key: tuple((m.key, m.label) for m in pw.milestones)
                    for key, pw in pathways.items()
                },
                templates=tuple(court.template_names()),
                default_template=pathway_for(detail.country, pathways).country,
                choices=HearingChoices(
                    timezone=hearings.default_timezone(case_id),
                    courts=tuple(courts),
                    proceedings=proceedings,
                    staff=tuple(sorted(staff.items(), key=lambda s: s[1])),
                    survivors=survivors,
                    measures=measures,
                    me=me,
                ),
            )

        self._ctx.ops.read(
            fetch,
            lambda data: self._on_loaded(generation, data),
            on_error=lambda exc: self._on_failed(generation, exc),
        )

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.loading = False
            self.status.setText(error_text(exc))

    def _on_loaded(self, generation: int, data: _Loaded) -> None:
        if generation != self._generation:
            return
        self.data = data
        # Court records: the case's edit right and the role's (HEARING_EDIT).
        self.can_edit = data.detail.can_edit and has_permission(
            self._ctx.actor.role, Permission.HEARING_EDIT
        )
        self._show_cards(data)
        self._show_hearings(data)
        self.status.setText("")
        self.loading = False
        self._update_buttons()

    def _show_cards(self, data: _Loaded) -> None:
        for card in self.cards.values():
            self.cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = {}
        by_accused = {p.accused_id: p for p in data.proceedings}
        for accused in data.accused:
            card = AccusedCard(self, accused, by_accused.get(accused.id))
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards[accused.code] = card
        opened = sum(1 for a in data.accused if a.id in by_accused)
        if not data.accused:
            self.summary.setText(
                self.tr("No accused recorded in this case (add them under People).")
            )
        else:
            self.summary.setText(
                self.tr("%1 accused, %2 with a proceeding · template for %3: %4")
                .replace("%1", str(len(data.accused)))
                .replace("%2", str(opened))
                .replace("%3", data.detail.country)
                .replace("%4", dict(data.templates).get(data.default_template, ""))
            )

    def _show_hearings(self, data: _Loaded) -> None:
        keep = self.current_hearing()
        keep_id = keep.id if keep is not None else None
        self.hearings.clear()
        now = datetime.now(UTC)
        upcoming = sorted(
            (h for h in data.hearings if h.scheduled_at >= now), key=lambda h: h.scheduled_at
        )
        past = sorted(
            (h for h in data.hearings if h.scheduled_at < now),
            key=lambda h: h.scheduled_at,
            reverse=True,
        )
        for title, rows in ((self.tr("Upcoming"), upcoming), (self.tr("Past"), past)):
            group = QTreeWidgetItem([f"{title} ({len(rows)})"])
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.hearings.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)
            for h in rows:
                item = self._hearing_item(h, past=h.scheduled_at < now)
                group.addChild(item)
                if h.id == keep_id:
                    self.hearings.setCurrentItem(item)
            group.setExpanded(True)
        a = data.adjournments
        self.adjourned.setText(
            self.tr("%1 hearing(s) with an outcome: %2 held, %3 adjourned, %4 vacated")
            .replace("%1", str(a.hearings))
            .replace("%2", str(a.held))
            .replace("%3", str(a.adjourned))
            .replace("%4", str(a.vacated))
        )

    def _hearing_item(self, h: HearingRow, *, past: bool) -> QTreeWidgetItem:
        accused = f"{h.accused_name} ({h.accused_code})" if h.accused_code else self.tr("all")
        court = h.court_name + (f", {h.courtroom}" if h.courtroom else "")
        outcome = h.outcome_text
        if h.adjournment_reason:
            outcome += f": {h.adjournment_reason}"
        if past and h.outcome is None:
            outcome = self.tr("outcome not recorded")
        item = QTreeWidgetItem(
            [
                when_text(h),
                accused,
                h.purpose,
                court,
                h.judge_name,
                outcome,
                _date(h.next_date),
                h.staff_text,
            ]
        )
        item.setData(0, HEARING_ROLE, h)
        tip = h.to_prepare_text
        if tip:
            item.setToolTip(2, self.tr("To prepare: %s") % tip)
        if h.survivor_testifies:
            item.setText(
                2,
                h.purpose
                + " · "
                + (self.tr("%s testifies") % (h.survivor_code or self.tr("survivor")))
                + (f" ({h.protection_text.lower()})" if h.protection_text else ""),
            )
        if past and h.outcome is None:
            for column in range(8):
                item.setForeground(column, QBrush(QColor(OVERDUE)))
        return item

    # -- helpers ----------------------------------------------------------

    def current_hearing(self) -> HearingRow | None:
        item = self.hearings.currentItem()
        row = item.data(0, HEARING_ROLE) if item is not None else None
        return row if isinstance(row, HearingRow) else None

    def hearing_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        for i in range(self.hearings.topLevelItemCount()):
            group = self.hearings.topLevelItem(i)
            if group is None:
                continue
            for j in range(group.childCount()):
                child = group.child(j)
                if child is not None:
                    found.append(child)
        return found

    def _update_buttons(self) -> None:
        row = self.current_hearing()
        self.outcome_button.setEnabled(self.can_edit and row is not None and row.outcome is None)
        self.schedule_button.setEnabled(self.can_edit)
        data = self.data
        missing = data is not None and len(data.proceedings) < len(data.accused) and self.can_edit
        self.open_button.setEnabled(bool(missing))

    def _keep(self, dialog: object) -> None:
        self.dialog = dialog
        show = getattr(dialog, "open", None)
        if callable(show):
            show()

    # -- actions ----------------------------------------------------------

    def open_proceeding(self, accused_id: uuid.UUID | None) -> None:
        data = self.data
        if data is None:
            return
        have = {p.accused_id for p in data.proceedings}
        candidates = [(a.id, f"{a.name} ({a.code})") for a in data.accused if a.id not in have]
        court = self._ctx.services.get(CourtService)
        case_id = self.case_id

        def save(
            who: uuid.UUID, template: str, court_id: uuid.UUID | None, number: str
        ) -> Outcome[ProceedingView]:
            return court.add_proceeding(
                case_id, who, template=template, court_id=court_id, court_case_number=number
            )

        self._keep(
            OpenProceedingDialog(
                self._ctx.ops,
                candidates,
                data.templates,
                data.default_template,
                data.choices.courts,
                save,
                self,
                accused_id=accused_id,
            )
        )

    def record_milestone(self, proceeding: ProceedingView) -> None:
        data = self.data
        milestones = data.milestones.get(proceeding.pathway_key, ()) if data else ()
        court = self._ctx.services.get(CourtService)

        def save(key: str, on: date, skipped: bool, reason: str) -> Outcome[ProceedingView]:
            return court.record_milestone(proceeding.id, key, on, skipped=skipped, reason=reason)

        self._keep(MilestoneDialog(self._ctx.ops, proceeding, milestones, save, self))

    def add_charge(self, proceeding: ProceedingView) -> None:
        court = self._ctx.services.get(CourtService)

        def save(draft: ChargeDraft) -> Outcome[ProceedingView]:
            return court.add_charge(proceeding.id, draft)

        who = f"{proceeding.accused_name} ({proceeding.accused_code})"
        self._keep(ChargeDialog(self._ctx.ops, who, save, self))

    def record_proceeding_outcome(self, proceeding: ProceedingView) -> None:
        court = self._ctx.services.get(CourtService)

        def save(draft: OutcomeDraft) -> Outcome[ProceedingView]:
            return court.record_outcome(proceeding.id, draft)

        self._keep(ProceedingOutcomeDialog(self._ctx.ops, proceeding, save, self))

    def schedule_hearing(self) -> None:
        data = self.data
        if data is None or not self.can_edit:
            return
        service = self._ctx.services.get(HearingService)
        case_id = self.case_id

        def save(draft: HearingDraft) -> Outcome[HearingRow]:
            return service.schedule(case_id, draft)

        self._keep(ScheduleHearingDialog(self._ctx.ops, data.choices, service.judges, save, self))

    def record_hearing_outcome(self) -> None:
        row = self.current_hearing()
        if row is None or row.outcome is not None or not self.can_edit:
            return
        service = self._ctx.services.get(HearingService)

        def save(result: HearingResult) -> Outcome[RecordedHearing]:
            return service.record_outcome(row.id, result, expected_version=row.version)

        self._keep(HearingOutcomeDialog(self._ctx.ops, row, save, self))

    def _on_changes_applied(self, changes: Changes) -> None:
        if self.case_id in changes.case_ids and changes.areas & WATCHED:
            self.reload()
