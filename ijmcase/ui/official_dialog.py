"""Adding a partner official (police, prosecutor, CWC member, shelter
staff…) to a case.

Officials come back case after case, so the dialog opens on *On file*:
typing finds officials already recorded (by name, with their role and
institution), and the one chosen is added to the case in the role picked
below. *New official* records someone not yet on file: name, role, title,
contacts, and their institution, either one on file in the case's country
or a new one entered on the spot; the official, the new institution and
the link to the case are saved together. Before a new official is saved,
likely existing records are offered (``DuplicatesDialog``), as for the
other people.

The dialog is handed plain callables (find, institutions, link, add,
check), so a test can drive it with the real services and no main window.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.drafts import InstitutionDraft, OfficialDraft
from ijmcase.domain.enums import InstitutionKind, OfficialRole, PartyKind, PartyRole
from ijmcase.domain.errors import FieldProblem
from ijmcase.services.context import Outcome
from ijmcase.services.people import InstitutionView, OfficialView
from ijmcase.services.people_records import PersonEntry, PersonRow
from ijmcase.ui.forms import FieldForm
from ijmcase.ui.operations import Operations, error_text
from ijmcase.ui.person_dialogs import CheckedSaveDialog, CheckFn
from ijmcase.ui.survivor_forms import select_data

__all__ = ["NEW_INSTITUTION", "OfficialDialog", "case_role_for"]

FindFn = Callable[[str], list[PersonRow]]
InstitutionsFn = Callable[[], list[InstitutionView]]
LinkFn = Callable[[uuid.UUID, PartyRole], Outcome[None]]
AddFn = Callable[[OfficialDraft, PartyRole, InstitutionDraft | None], Outcome[OfficialView]]

DEBOUNCE_MS = 300
PERSON_ROLE = Qt.ItemDataRole.UserRole
NEW_INSTITUTION = "new"
# The roles an official takes in a case.
OFFICIAL_CASE_ROLES = (
    PartyRole.INVESTIGATING_OFFICER,
    PartyRole.PROSECUTOR,
    PartyRole.JUDGE,
    PartyRole.WELFARE_OFFICER,
    PartyRole.SERVICE_PROVIDER,
    PartyRole.WITNESS,
    PartyRole.OTHER,
)
_CASE_ROLE_FOR = {
    OfficialRole.POLICE_OFFICER: PartyRole.INVESTIGATING_OFFICER,
    OfficialRole.INVESTIGATING_OFFICER: PartyRole.INVESTIGATING_OFFICER,
    OfficialRole.PROSECUTOR: PartyRole.PROSECUTOR,
    OfficialRole.JUDGE: PartyRole.JUDGE,
    OfficialRole.MAGISTRATE: PartyRole.JUDGE,
    OfficialRole.LABOUR_OFFICER: PartyRole.WELFARE_OFFICER,
    OfficialRole.SDM: PartyRole.WELFARE_OFFICER,
    OfficialRole.CWC_MEMBER: PartyRole.WELFARE_OFFICER,
    OfficialRole.SOCIAL_WELFARE_OFFICER: PartyRole.WELFARE_OFFICER,
    OfficialRole.LEGAL_AID_OFFICER: PartyRole.SERVICE_PROVIDER,
    OfficialRole.SHELTER_STAFF: PartyRole.SERVICE_PROVIDER,
    OfficialRole.HEALTH_WORKER: PartyRole.SERVICE_PROVIDER,
}


def case_role_for(role: OfficialRole) -> PartyRole:
    """The role in a case an official of this kind usually takes (a default)."""
    return _CASE_ROLE_FOR.get(role, PartyRole.OTHER)


class OfficialDialog(CheckedSaveDialog):
    def __init__(
        self,
        ops: Operations,
        *,
        country: str,
        find: FindFn,
        institutions: InstitutionsFn,
        link: LinkFn,
        add: AddFn,
        check: CheckFn | None = None,
        code: str = "",
        in_case: Collection[uuid.UUID] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, check, parent)
        self._find, self._link, self._add = find, link, add
        self._in_case = frozenset(in_case)
        self._country = country
        self._query = 0
        self._answered = 0
        self.found: list[PersonRow] = []
        self.institutions: list[InstitutionView] = []
        self.added: OfficialView | None = None
        self.linked: uuid.UUID | None = None
        self.setWindowTitle(
            self.tr("Add official to %s") % code if code else self.tr("Add official")
        )
        self.setMinimumWidth(580)

        # -- on file ------------------------------------------------------------
        on_file = QWidget()
        self.search = QLineEdit()
        self.search.setAccessibleName(self.tr("Find an official on file"))
        self.search.setPlaceholderText(self.tr("Name of the officer, prosecutor, CWC member…"))
        self.search.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Officials on file"))
        self.results.itemActivated.connect(lambda _item: self._submit())
        self.results.currentItemChanged.connect(lambda *_: self._suggest_role_from_found())
        self.find_status = QLabel(self.tr("Type a name to find an official already on file."))
        self.find_status.setStyleSheet("color: palette(dark);")
        self.find_status.setWordWrap(True)
        column = QVBoxLayout(on_file)
        column.addWidget(self.search)
        column.addWidget(self.results, 1)
        column.addWidget(self.find_status)

        # -- new ----------------------------------------------------------------
        self.form = FieldForm()
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Name"))
        self.official_role = QComboBox()
        self.official_role.setAccessibleName(self.tr("Official's role"))
        for r in OfficialRole:
            self.official_role.addItem(r.label, r)
        self.official_role.currentIndexChanged.connect(lambda _i: self._suggest_role_from_new())
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title"))
        self.title.setPlaceholderText(self.tr("e.g. Sub-Inspector, Anti-Human Trafficking Unit"))
        self.institution = QComboBox()
        self.institution.setAccessibleName(self.tr("Institution"))
        self.institution.currentIndexChanged.connect(lambda _i: self._update_new_institution())
        self.institution_name = QLineEdit()
        self.institution_name.setAccessibleName(self.tr("New institution's name"))
        self.institution_kind = QComboBox()
        self.institution_kind.setAccessibleName(self.tr("New institution's kind"))
        for k in InstitutionKind:
            self.institution_kind.addItem(k.label, k)
        self.institution_place = QLineEdit()
        self.institution_place.setAccessibleName(self.tr("New institution's district or city"))
        self.phone = QLineEdit()
        self.phone.setAccessibleName(self.tr("Phone"))
        self.email = QLineEdit()
        self.email.setAccessibleName(self.tr("E-mail"))
        f = self.form
        f.add_row("name", self.tr("&Name"), self.name)
        f.add_row("official_role", self.tr("&Role"), self.official_role)
        f.add_row("title", self.tr("&Title"), self.title)
        f.add_row("institution_id", self.tr("&Institution"), self.institution)
        f.add_row("institution_name", self.tr("  Its na&me"), self.institution_name)
        f.add_row("institution_kind", self.tr("  Its &kind"), self.institution_kind)
        f.add_row("institution_jurisdiction", self.tr("  Dis&trict"), self.institution_place)
        f.add_row("phone", self.tr("P&hone"), self.phone)
        f.add_row("email", self.tr("&E-mail"), self.email)
        self._new_institution_fields: list[QWidget] = [
            self.institution_name,
            self.institution_kind,
            self.institution_place,
        ]

        self.tabs = QTabWidget()
        self.tabs.addTab(on_file, self.tr("&On file"))
        self.tabs.addTab(self.form, self.tr("Ne&w official"))
        self.tabs.currentChanged.connect(lambda _i: self._on_tab())
        self.case_form = FieldForm()
        self.case_role = QComboBox()
        self.case_role.setAccessibleName(self.tr("Role in this case"))
        for role in OFFICIAL_CASE_ROLES:
            self.case_role.addItem(role.label, role)
        self.case_form.add_row("role", self.tr("Role in this &case"), self.case_role)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.case_form)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Add to case"))

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.find_officials)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self._fill_institutions([])
        ops.read(institutions, self._fill_institutions, on_error=self._on_read_failed)
        self.search.setFocus()

    # -- on file ----------------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._timer.isActive() or self._query != self._answered

    def find_officials(self) -> None:
        self._timer.stop()
        text = self.search.text().strip()
        self._query += 1
        query = self._query
        if not text:
            self._answered = query
            self._show_found([])
            return
        find = self._find
        self._ops.read(
            lambda: find(text),
            lambda rows: self._on_found(query, rows),
            on_error=self._on_read_failed,
        )

    def _on_found(self, query: int, rows: list[PersonRow]) -> None:
        if query != self._query:
            return
        self._answered = query
        self._show_found(rows)

    def _show_found(self, rows: list[PersonRow]) -> None:
        self.found = rows
        self.results.clear()
        for row in rows:
            cases = ", ".join(row.case_codes[:4]) + ("…" if len(row.case_codes) > 4 else "")
            text = f"{row.label}  —  {row.detail}" + (f"  (cases: {cases})" if cases else "")
            item = QListWidgetItem(text)
            item.setData(PERSON_ROLE, row)
            if row.id in self._in_case:
                # Said first: a long line is cut at the right.
                item.setText(self.tr("Already in this case: %s") % text)
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        addable = [i for i, row in enumerate(rows) if row.id not in self._in_case]
        if addable:
            self.results.setCurrentRow(addable[0])
            self.find_status.setText(self.tr("%n official(s) on file", "", len(rows)))
        elif self.search.text().strip():
            self.find_status.setText(
                self.tr("No one on file by that name: add them under “New official”.")
            )
        else:
            self.find_status.setText(self.tr("Type a name to find an official already on file."))

    def chosen(self) -> PersonRow | None:
        item = self.results.currentItem()
        row = item.data(PERSON_ROLE) if item is not None else None
        return row if isinstance(row, PersonRow) else None

    def _suggest_role_from_found(self) -> None:
        row = self.chosen()
        if row is None:
            return
        for role in OfficialRole:
            if row.detail.startswith(role.label):
                select_data(self.case_role, case_role_for(role))
                return

    # -- new --------------------------------------------------------------------

    def _fill_institutions(self, rows: list[InstitutionView]) -> None:
        self.institutions = rows
        keep = self.institution.currentData()
        self.institution.clear()
        self.institution.addItem(self.tr("— none —"), None)
        for inst in rows:
            place = f", {inst.jurisdiction}" if inst.jurisdiction else ""
            self.institution.addItem(f"{inst.name} ({inst.kind.label}{place})", inst.id)
        self.institution.addItem(self.tr("New institution…"), NEW_INSTITUTION)
        select_data(self.institution, keep)
        self._update_new_institution()

    def _update_new_institution(self) -> None:
        new = self.institution.currentData() == NEW_INSTITUTION
        for widget in self._new_institution_fields:
            widget.setEnabled(new)

    def _suggest_role_from_new(self) -> None:
        select_data(self.case_role, case_role_for(OfficialRole(self.official_role.currentData())))

    def _on_tab(self) -> None:
        if self.tabs.currentIndex() == 1:
            self._suggest_role_from_new()
            self.name.setFocus()
        else:
            self._suggest_role_from_found()
            self.search.setFocus()

    def value(self) -> tuple[OfficialDraft, InstitutionDraft | None]:
        chosen = self.institution.currentData()
        new = chosen == NEW_INSTITUTION
        draft = OfficialDraft(
            name=self.name.text(),
            official_role=OfficialRole(self.official_role.currentData()),
            institution_id=chosen if isinstance(chosen, uuid.UUID) else None,
            title=self.title.text(),
            phone=self.phone.text(),
            email=self.email.text(),
        )
        institution = (
            InstitutionDraft(
                self.institution_name.text(),
                InstitutionKind(self.institution_kind.currentData()),
                self._country,
                self.institution_place.text(),
            )
            if new
            else None
        )
        return draft, institution

    def case_role_value(self) -> PartyRole:
        return PartyRole(self.case_role.currentData())

    # -- saving (CheckedSaveDialog) -----------------------------------------

    def _local_problems(self) -> bool:
        if self.tabs.currentIndex() == 0:
            if self.chosen() is None:
                self._show_message(self.tr("Choose an official from the list, or add a new one."))
                return True
            return False
        draft, institution = self.value()
        problems = draft.problems()
        if institution is not None:
            problems += [
                FieldProblem(f"institution_{p.field}", p.code, p.message)
                for p in institution.problems()
            ]
        if problems:
            self._show_problems(problems)
        else:
            self.form.clear_problems()
        return bool(problems)

    def _entry(self) -> PersonEntry | None:
        if self.tabs.currentIndex() == 0:
            return None  # an official on file: nothing new to check
        draft, institution = self.value()
        place = institution.jurisdiction.strip() if institution is not None else ""
        return PersonEntry(PartyKind.OFFICIAL, (draft.name.strip(),), place=place)

    def _save_now(self) -> None:
        role = self.case_role_value()
        self.buttons.setEnabled(False)
        if self.tabs.currentIndex() == 0:
            row = self.chosen()
            assert row is not None
            link, official_id = self._link, row.id
            self._ops.write(
                lambda: link(official_id, role),
                lambda _none: self._on_linked(official_id),
                parent=self,
                on_error=self._on_error,
            )
            return
        draft, institution = self.value()
        add = self._add
        self._ops.write(
            lambda: add(draft, role, institution),
            self._on_added,
            parent=self,
            on_error=self._on_error,
        )

    def _on_linked(self, official_id: uuid.UUID) -> None:
        self.buttons.setEnabled(True)
        self.linked = official_id
        self.accept()

    def _on_added(self, view: OfficialView) -> None:
        self.buttons.setEnabled(True)
        self.added = view
        self.linked = view.id
        self.accept()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.tabs.setCurrentIndex(1)
        self.form.show_problems(problems)

    def _show_message(self, text: str) -> None:
        self.case_form.clear_problems()
        self.case_form.show_message(text)

    def _on_read_failed(self, exc: BaseException) -> None:
        self._answered = self._query
        self.find_status.setText(error_text(exc))
