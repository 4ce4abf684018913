"""The Prevention section of a case: whether the authorities led it, and the
trainings and engagements with officials in the case's jurisdiction.

Marking a case government-led (the authorities acted without the
organization starting it) counts in the jurisdiction's prevention figures,
so the toggle asks before it changes anything, and removing the mark asks
why. Engagements are listed for the case's country and jurisdiction, newest
first; *Record training…* opens a form for a training or other engagement:
date, institutions, topic, facilitators, materials and who attended, given
as head counts by official role when names were not taken (the domain
refuses an engagement with no one attending, and says so next to the counts).

Reads run on the worker; the tab reloads when a write names this case with
``prevention``/``cases``, or any engagement changes (engagements are not
tied to one case).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import EngagementKind, OfficialRole
from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.domain.prevention import MAX_ROLE_COUNT, EngagementDraft, count_field
from ijmcase.services.cases import CaseDetail, CaseService
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.people import InstitutionView, PeopleService
from ijmcase.services.prevention import EngagementView, GovernmentLedView, PreventionService
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["PreventionTab", "TrainingDialog"]

ID_ROLE = Qt.ItemDataRole.UserRole


def _date(d: date | None) -> str:
    if d is None:
        return ""
    return QLocale().toString(QDate(d.year, d.month, d.day), "d MMM yyyy")


@dataclass(frozen=True)
class _Loaded:
    detail: CaseDetail
    government_led: GovernmentLedView | None
    engagements: tuple[EngagementView, ...]
    institutions: tuple[InstitutionView, ...]


class PreventionTab(QWidget):
    """Case workspace section "Prevention"."""

    def __init__(self, ctx: ViewContext, case_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = case_id
        self._cases = ctx.services.get(CaseService)
        self._prevention = ctx.services.get(PreventionService)
        self._people = ctx.services.get(PeopleService)
        self.loaded: _Loaded | None = None
        self._loading = False
        self._again = False
        self.setAccessibleName(self.tr("Prevention"))

        self.government = QCheckBox(self.tr("&Government-led: the authorities acted on their own"))
        self.government.setAccessibleName(self.tr("Government-led case"))
        # Clicked, not toggled: setting it from the database must not ask anything.
        self.government.clicked.connect(self._on_government_clicked)
        self.government_detail = QLabel()
        self.government_detail.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()

        self.place = QLabel()
        self.place.setStyleSheet("font-weight: 600;")
        self.engagements = QTreeWidget()
        self.engagements.setAccessibleName(self.tr("Engagements in this jurisdiction"))
        self.engagements.setRootIsDecorated(False)
        self.engagements.setAlternatingRowColors(True)
        self.engagements.setHeaderLabels(
            [
                self.tr("Date"),
                self.tr("Kind"),
                self.tr("Topic"),
                self.tr("Institutions"),
                self.tr("Attended"),
                self.tr("Case"),
            ]
        )
        header = self.engagements.header()
        # Topic and institutions share the spare width: both are long names.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.record_button = QPushButton(self.tr("Record &training…"))
        self.record_button.clicked.connect(self._on_record)

        mark_box = QGroupBox(self.tr("Who led the case"))
        m = QVBoxLayout(mark_box)
        m.addWidget(self.government)
        m.addWidget(self.government_detail)
        list_box = QGroupBox(self.tr("Trainings and engagements"))
        e = QVBoxLayout(list_box)
        e.addWidget(self.place)
        e.addWidget(self.engagements, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        e.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(mark_box)
        layout.addWidget(list_box, 1)
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self.reload()

    # -- loading ---------------------------------------------------------------

    def reload(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        case_id, cases, prevention, people = (
            self.case_id,
            self._cases,
            self._prevention,
            self._people,
        )

        def fetch() -> _Loaded:
            detail = cases.get(case_id)
            return _Loaded(
                detail,
                prevention.government_led(case_id),
                tuple(
                    prevention.engagements(
                        country=detail.country, jurisdiction=detail.jurisdiction or None
                    )
                ),
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
        d = loaded.detail
        g = loaded.government_led
        self.government.setChecked(g is not None)
        self.government.setEnabled(d.can_edit)
        if g is None:
            self.government_detail.setText(
                self.tr("Not marked: the organization brought this case to the authorities.")
            )
        else:
            text = self.tr("Marked on %s.") % _date(g.marked_on)
            if g.lead_institution:
                text += " " + self.tr("Led by %s.") % g.lead_institution
            if g.note:
                text += " " + g.note
            self.government_detail.setText(text)
        place = d.jurisdiction or self.tr("all jurisdictions")
        self.place.setText(
            self.tr("%s (%s): %s engagement(s), newest first")
            % (place, d.country, len(loaded.engagements))
        )
        self.engagements.clear()
        for e in loaded.engagements:
            item = QTreeWidgetItem(
                [
                    _date(e.held_on),
                    e.kind.label,
                    e.topic,
                    ", ".join(name for _, name in e.institutions),
                    str(e.total_attendees),
                    e.case_code,
                ]
            )
            item.setData(0, ID_ROLE, e.id)
            counts = ", ".join(f"{n} {role.label.lower()}" for role, n in e.role_counts if n)
            named = ", ".join(f"{a.name} ({a.role.label.lower()})" for a in e.attendees)
            tip = "\n".join(
                t
                for t in (
                    self.tr("Facilitators: %s") % e.facilitators if e.facilitators else "",
                    self.tr("Attended: %s") % "; ".join(x for x in (named, counts) if x),
                    self.tr("Materials: %s") % e.materials if e.materials else "",
                )
                if t
            )
            item.setToolTip(2, tip)
            item.setToolTip(4, tip)
            self.engagements.addTopLevelItem(item)
        if not loaded.engagements:
            empty = QTreeWidgetItem(["", "", self.tr("No engagements recorded here yet.")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.engagements.addTopLevelItem(empty)
        for column in (0, 1, 4, 5):
            self.engagements.resizeColumnToContents(column)
        if self._again:
            self._again = False
            self.reload()

    def _on_changes_applied(self, changes: Changes) -> None:
        if "engagements" in changes.areas or (
            self.case_id in changes.case_ids and changes.areas & {"prevention", "cases"}
        ):
            self.reload()

    # -- actions -----------------------------------------------------------------

    def confirm(self, title: str, text: str) -> bool:
        """Ask before changing the mark (a seam tests replace)."""
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def ask_reason(self) -> str | None:
        """Why the mark is removed, or None when the user cancels (a seam tests replace)."""
        text, ok = QInputDialog.getText(
            self,
            self.tr("Remove the government-led mark"),
            self.tr("Why is the mark removed?"),
        )
        return text.strip() if ok and text.strip() else None

    def _on_government_clicked(self, checked: bool) -> None:
        loaded = self.loaded
        # The box shows the database until the write comes back.
        self.government.setChecked(not checked)
        if loaded is None:
            return
        prevention, case_id, code = self._prevention, self.case_id, loaded.detail.code
        if checked:
            if not self.confirm(
                self.tr("Mark case as government-led"),
                self.tr(
                    "Mark case %s as led by the authorities without the organization "
                    "starting it? It then counts in this jurisdiction's prevention figures."
                )
                % code,
            ):
                return
            self._ctx.ops.write(lambda: prevention.mark_government_led(case_id), parent=self)
        else:
            reason = self.ask_reason()
            if reason is None:
                return
            self._ctx.ops.write(
                lambda: prevention.unmark_government_led(case_id, reason), parent=self
            )

    def _on_record(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        prevention = self._prevention
        dialog = TrainingDialog(
            self._ctx.ops,
            loaded.detail,
            loaded.institutions,
            prevention.record_engagement,
            self,
        )
        self.training_dialog = dialog
        dialog.open()


class TrainingDialog(QDialog):
    """Record a training (or other engagement) with officials."""

    def __init__(
        self,
        ops: Operations,
        detail: CaseDetail,
        institutions: tuple[InstitutionView, ...],
        save: Callable[[EngagementDraft], Outcome[EngagementView]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._save = save
        self._detail = detail
        self.saved: EngagementView | None = None
        self.setWindowTitle(self.tr("Record training"))
        self.form = FieldForm()
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind of engagement"))
        for k in EngagementKind:
            self.kind.addItem(k.label, k)
        self.held_on = date_edit(self.tr("Date held"))
        self.held_on.setMaximumDate(QDate.currentDate())
        self.topic = QLineEdit()
        self.topic.setAccessibleName(self.tr("Topic"))
        self.jurisdiction = QLineEdit(detail.jurisdiction)
        self.jurisdiction.setAccessibleName(self.tr("Jurisdiction"))
        self.institutions = QListWidget()
        self.institutions.setAccessibleName(self.tr("Institutions (check those that took part)"))
        self.institutions.setFixedHeight(90)
        for i in institutions:
            item = QListWidgetItem(f"{i.name} ({i.kind.label.lower()})")
            item.setData(ID_ROLE, i.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.institutions.addItem(item)
        self.facilitators = QLineEdit()
        self.facilitators.setAccessibleName(self.tr("Facilitators"))
        self.materials = QLineEdit()
        self.materials.setAccessibleName(self.tr("Materials"))
        self.link_case = QCheckBox(self.tr("Linked to case %s") % detail.code)
        self.link_case.setChecked(True)
        self.notes = QLineEdit()
        self.notes.setAccessibleName(self.tr("Notes"))

        self.form.add_row("kind", self.tr("&Kind"), self.kind)
        self.form.add_row("held_on", self.tr("&Date"), self.held_on)
        self.form.add_row("topic", self.tr("&Topic"), self.topic)
        self.form.add_row("jurisdiction", self.tr("&Jurisdiction"), self.jurisdiction)
        self.form.add_row("institution_ids", self.tr("&Institutions"), self.institutions)
        self.form.add_row("facilitators", self.tr("&Facilitators"), self.facilitators)
        self.form.add_row("materials", self.tr("&Materials"), self.materials)
        self.form.add_row("case_id", "", self.link_case)
        self.form.add_row("notes", self.tr("&Notes"), self.notes)

        # Attending officials counted by role (names are often not taken).
        self.counts: dict[OfficialRole, QSpinBox] = {}
        self.count_form = FieldForm()
        grid_box = QWidget()
        grid = QGridLayout(grid_box)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, role in enumerate(OfficialRole):
            spin = QSpinBox()
            spin.setRange(0, MAX_ROLE_COUNT)
            spin.setAccessibleName(self.tr("Number of %s attending") % role.label.lower())
            self.counts[role] = spin
            label = QLabel(role.label)
            label.setBuddy(spin)
            grid.addWidget(label, index // 2, (index % 2) * 2)
            grid.addWidget(spin, index // 2, (index % 2) * 2 + 1)
        self.count_form.add_row("attendees", self.tr("Attending officials"), grid_box)
        counts_box = QGroupBox(self.tr("Attending officials, counted by role"))
        QVBoxLayout(counts_box).addWidget(self.count_form)

        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.form)
        column.addWidget(counts_box)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(640, 680)

    def value(self) -> EngagementDraft:
        q = self.held_on.date()
        chosen = []
        for row in range(self.institutions.count()):
            item = self.institutions.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                chosen.append(item.data(ID_ROLE))
        return EngagementDraft(
            kind=EngagementKind(self.kind.currentData()),
            held_on=date(q.year(), q.month(), q.day()),
            topic=self.topic.text().strip(),
            country=self._detail.country,
            jurisdiction=self.jurisdiction.text().strip(),
            institution_ids=tuple(chosen),
            facilitators=self.facilitators.text().strip(),
            materials=self.materials.text().strip(),
            role_counts={role: spin.value() for role, spin in self.counts.items() if spin.value()},
            case_id=self._detail.id if self.link_case.isChecked() else None,
            notes=self.notes.text().strip(),
        )

    def show_problems(self, problems: Iterable[FieldProblem]) -> bool:
        """Attendance problems go next to the counts; the rest next to their fields."""
        counted = {"attendees", "attendee_ids"} | {count_field(r) for r in OfficialRole}
        found = list(problems)
        mine = [p for p in found if p.field not in counted]
        # One place for every attendance problem: the grid of counts.
        theirs = [FieldProblem("attendees", p.code, p.message) for p in found if p.field in counted]
        shown_counts = self.count_form.show_problems(theirs)
        shown = self.form.show_problems(mine)
        return shown or shown_counts

    def _submit(self) -> None:
        draft = self.value()
        if self.show_problems(draft.problems(today=date.today())):
            return
        self.buttons.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            if isinstance(exc, ValidationError):
                self.show_problems(exc.problems)
            else:
                self.form.show_message(error_text(exc))

        def done(value: EngagementView) -> None:
            self.buttons.setEnabled(True)
            self.saved = value
            self.accept()

        self._ops.write(lambda: self._save(draft), done, parent=self, on_error=failed)
