"""Adding people to a case, and a survivor's consent records.

``SurvivorDialog`` keeps what is safe to show with the survivor's code on
one tab and the identifying part (legal name, contacts, date and place of
birth) on its own tab. ``AccusedDialog`` takes an accused person. Both check
their draft before asking the service (errors next to the field), then ask
``duplicate_candidates`` on the worker; likely matches are listed with the
service's reasons (and only the labels it returned) in ``DuplicatesDialog``,
where the user chooses *Save as new* or *Cancel*. ``ConsentDialog`` lists a
survivor's consents, records a new one and withdraws one.

Every dialog is handed plain callables (save, check, load), so a test or
another screen can drive it without the services; ``value()`` and
``set_value()`` carry the drafts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.consent import ConsentDraft
from ijmcase.domain.drafts import AccusedDraft, SurvivorDraft, SurvivorIdentityDraft
from ijmcase.domain.enums import (
    AccusedRole,
    ConsentGiver,
    ConsentScope,
    CustodyStatus,
    PartyKind,
    Sex,
)
from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.services.consent import ConsentView
from ijmcase.services.context import Outcome
from ijmcase.services.people import AccusedView, SurvivorView
from ijmcase.services.people_records import DuplicateCandidate, PersonEntry
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text
from ijmcase.ui.survivor_forms import (
    SURVIVOR_FIELDS,
    IdentityForm,
    SurvivorFactsForm,
    age_spin,
    country_combo,
    select_data,
)

__all__ = [
    "AccusedDialog",
    "CheckedSaveDialog",
    "ConsentDialog",
    "DuplicatesDialog",
    "SurvivorDialog",
    "SurvivorValue",
]

SurvivorValue = tuple[SurvivorDraft, SurvivorIdentityDraft | None]
SaveSurvivorFn = Callable[[SurvivorDraft, SurvivorIdentityDraft | None], Outcome[SurvivorView]]
SaveAccusedFn = Callable[[AccusedDraft], Outcome[AccusedView]]
CheckFn = Callable[[PersonEntry], list[DuplicateCandidate]]


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def _names(*values: str) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        out.extend(p.strip() for p in value.replace(";", ",").split(",") if p.strip())
    return tuple(out)


class DuplicatesDialog(QDialog):
    """Likely existing records of the person being entered, with the reasons
    the service gave; *Save as new* accepts, *Cancel* rejects."""

    def __init__(self, candidates: Sequence[DuplicateCandidate], parent: QWidget | None = None):
        super().__init__(parent)
        self.candidates = list(candidates)
        self.setWindowTitle(self.tr("Possible duplicates"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "This person may already be on file. Check these records before saving a new one."
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Likely matches"))
        for c in self.candidates:
            cases = ", ".join(c.case_codes) or self.tr("no case you can see")
            text = self.tr("%s  —  %d%% alike: %s  (cases: %s)") % (
                c.label,
                c.score,
                "; ".join(c.reasons),
                cases,
            )
            self.list.addItem(text)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_new = self.buttons.addButton(
            self.tr("Save as &new"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setFocus()

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class CheckedSaveDialog(QDialog):
    """Shared by the person dialogs: check, offer duplicates, then save."""

    def __init__(self, ops: Operations, check: CheckFn | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ops = ops
        self._check = check
        self.duplicates_dialog: DuplicatesDialog | None = None
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

    # Subclasses: validate locally, say who is entered, save, and show errors.
    def _local_problems(self) -> bool:
        raise NotImplementedError

    def _entry(self) -> PersonEntry | None:
        raise NotImplementedError

    def _save_now(self) -> None:
        raise NotImplementedError

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        raise NotImplementedError

    def _show_message(self, text: str) -> None:
        raise NotImplementedError

    def _submit(self) -> None:
        if self._local_problems():
            return
        entry = self._entry()
        self.buttons.setEnabled(False)
        check = self._check
        if check is None or entry is None or not entry.names:
            self._save_now()
            return
        self._ops.read(lambda: check(entry), self._on_checked, on_error=self._on_error)

    def _on_checked(self, candidates: list[DuplicateCandidate]) -> None:
        if not candidates:
            self._save_now()
            return
        dialog = DuplicatesDialog(candidates, self)
        dialog.accepted.connect(self._save_now)
        dialog.rejected.connect(lambda: self.buttons.setEnabled(True))
        self.duplicates_dialog = dialog
        dialog.open()

    def _on_error(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self._show_problems(exc.problems)
        else:
            self._show_message(error_text(exc))


class SurvivorDialog(CheckedSaveDialog):
    """A new survivor: safe facts on the first tab, who they are on the second."""

    def __init__(
        self,
        ops: Operations,
        save: SaveSurvivorFn,
        *,
        country: str,
        rescued_on: date,
        check: CheckFn | None = None,
        code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, check, parent)
        self._save = save
        self.saved: SurvivorView | None = None
        self.setWindowTitle(
            self.tr("Add survivor to %s") % code if code else self.tr("Add survivor")
        )
        self.setMinimumWidth(560)
        self.identity_form = IdentityForm(allow_unknown=True)
        self.form = SurvivorFactsForm(
            country, rescued_on=rescued_on, born=self.identity_form.date_of_birth_value
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, self.tr("About (shown with the code)"))
        self.tabs.addTab(self.identity_form, self.tr("&Identifying details"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        ident = self.identity_form
        for signal in (
            ident.born_known.toggled,
            ident.date_of_birth.dateChanged,
            ident.no_identity.toggled,
        ):
            signal.connect(self.form.update_minor_hint)
        self.form.alias.setFocus()

    def minor_at_rescue(self) -> bool | None:
        """Whether the survivor was a child at rescue, as the form stands."""
        return self.form.minor_at_rescue()

    def value(self) -> SurvivorValue:
        return self.form.value(), self.identity_form.value()

    def set_value(self, draft: SurvivorDraft, identity: SurvivorIdentityDraft | None) -> None:
        self.form.set_value(draft)
        self.identity_form.set_value(identity)
        self.form.update_minor_hint()

    # -- saving -----------------------------------------------------------

    def _local_problems(self) -> bool:
        draft, identity = self.value()
        problems = draft.problems()
        if identity is not None:
            problems += identity.problems(today=date.today())
        if problems:
            self._show_problems(problems)
        else:
            self.form.clear_problems()
            self.identity_form.clear_problems()
        return bool(problems)

    def _entry(self) -> PersonEntry | None:
        draft, identity = self.value()
        if identity is None:
            return None
        return PersonEntry(
            PartyKind.SURVIVOR,
            _names(identity.legal_name, identity.other_names, draft.alias),
            date_of_birth=identity.date_of_birth,
            age=draft.age_at_intake,
            place=identity.place_of_birth.strip(),
        )

    def _save_now(self) -> None:
        draft, identity = self.value()
        self.buttons.setEnabled(False)
        self._ops.write(
            lambda: self._save(draft, identity),
            self._on_saved,
            parent=self,
            on_error=self._on_error,
        )

    def _on_saved(self, view: SurvivorView) -> None:
        self.buttons.setEnabled(True)
        self.saved = view
        self.accept()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        safe = [p for p in problems if p.field in SURVIVOR_FIELDS]
        identifying = [p for p in problems if p.field not in SURVIVOR_FIELDS]
        self.form.show_problems(safe)
        self.identity_form.show_problems(identifying)
        self.tabs.setCurrentWidget(self.form if safe else self.identity_form)

    def _show_message(self, text: str) -> None:
        self.identity_form.clear_problems()
        self.form.clear_problems()
        self.form.show_message(text)
        self.tabs.setCurrentWidget(self.form)


class AccusedDialog(CheckedSaveDialog):
    """A new accused person in the case."""

    def __init__(
        self,
        ops: Operations,
        save: SaveAccusedFn,
        *,
        country: str,
        check: CheckFn | None = None,
        code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ops, check, parent)
        self._save = save
        self.saved: AccusedView | None = None
        self.setWindowTitle(self.tr("Add accused to %s") % code if code else self.tr("Add accused"))
        self.setMinimumWidth(520)
        self.form = FieldForm()
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Name"))
        self.name.setPlaceholderText(self.tr("Full name, or 'Unknown'"))
        self.alias = QLineEdit()
        self.alias.setAccessibleName(self.tr("Alias"))
        self.country = country_combo(self.tr("Country"), country)
        self.sex = QComboBox()
        self.sex.setAccessibleName(self.tr("Sex"))
        for s in Sex:
            self.sex.addItem(s.label, s)
        select_data(self.sex, Sex.UNKNOWN)
        self.age = age_spin(self.tr("Age"), 10)
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Role in the crime"))
        for r in AccusedRole:
            self.role.addItem(r.label, r)
        select_data(self.role, AccusedRole.OTHER)
        self.relationship = QLineEdit()
        self.relationship.setAccessibleName(self.tr("Relationship to the survivor"))
        self.custody = QComboBox()
        self.custody.setAccessibleName(self.tr("Custody"))
        for c in CustodyStatus:
            self.custody.addItem(c.label, c)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Notes"))
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(70)
        f = self.form
        f.add_row("name", self.tr("&Name"), self.name)
        f.add_row("alias", self.tr("&Alias"), self.alias)
        f.add_row("country", self.tr("&Country"), self.country)
        f.add_row("sex", self.tr("&Sex"), self.sex)
        f.add_row("age", self.tr("A&ge"), self.age)
        f.add_row("role_in_crime", self.tr("&Role in the crime"), self.role)
        f.add_row("relationship_to_victim", self.tr("Re&lationship"), self.relationship)
        f.add_row("custody_status", self.tr("C&ustody"), self.custody)
        f.add_row("notes", self.tr("No&tes"), self.notes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)
        self.name.setFocus()

    def value(self) -> AccusedDraft:
        age = self.age.value()
        return AccusedDraft(
            name=self.name.text(),
            country=str(self.country.currentData()),
            role_in_crime=AccusedRole(self.role.currentData()),
            alias=self.alias.text(),
            sex=Sex(self.sex.currentData()),
            age=None if age == self.age.minimum() else age,
            relationship_to_victim=self.relationship.text(),
            custody_status=CustodyStatus(self.custody.currentData()),
            notes=self.notes.toPlainText(),
        )

    def set_value(self, draft: AccusedDraft) -> None:
        self.name.setText(draft.name)
        self.alias.setText(draft.alias)
        select_data(self.country, draft.country)
        select_data(self.sex, draft.sex)
        self.age.setValue(self.age.minimum() if draft.age is None else draft.age)
        select_data(self.role, draft.role_in_crime)
        self.relationship.setText(draft.relationship_to_victim)
        select_data(self.custody, draft.custody_status)
        self.notes.setPlainText(draft.notes)

    def _local_problems(self) -> bool:
        return self.form.show_problems(self.value().problems())

    def _entry(self) -> PersonEntry | None:
        draft = self.value()
        return PersonEntry(PartyKind.ACCUSED, _names(draft.name, draft.alias), age=draft.age)

    def _save_now(self) -> None:
        draft = self.value()
        self.buttons.setEnabled(False)
        self._ops.write(
            lambda: self._save(draft), self._on_saved, parent=self, on_error=self._on_error
        )

    def _on_saved(self, view: AccusedView) -> None:
        self.buttons.setEnabled(True)
        self.saved = view
        self.accept()

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.form.show_problems(problems)

    def _show_message(self, text: str) -> None:
        self.form.clear_problems()
        self.form.show_message(text)


class ConsentDialog(QDialog):
    """A survivor's consents (newest first): record one, withdraw one."""

    def __init__(
        self,
        ops: Operations,
        survivor_code: str,
        *,
        load: Callable[[], list[ConsentView]],
        record: Callable[[ConsentDraft], Outcome[ConsentView]],
        withdraw: Callable[[uuid.UUID, date], Outcome[ConsentView]],
        can_edit: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._load = load
        self._record = record
        self._withdraw = withdraw
        self.consents: list[ConsentView] = []
        self.setWindowTitle(self.tr("Consent of %s") % survivor_code)
        self.setMinimumWidth(620)

        self.list = QTreeWidget()
        self.list.setAccessibleName(self.tr("Consent records"))
        self.list.setRootIsDecorated(False)
        self.list.setHeaderLabels(
            [
                self.tr("Scope"),
                self.tr("Organization"),
                self.tr("Given by"),
                self.tr("Given on"),
                self.tr("Withdrawn on"),
            ]
        )
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.withdraw_on = date_edit(self.tr("Withdrawn on"))
        self.withdraw_on.setMaximumDate(QDate.currentDate())
        self.withdraw_button = QPushButton(self.tr("&Withdraw selected"))
        self.withdraw_button.setEnabled(False)
        self.withdraw_message = QLabel()
        self.withdraw_message.setWordWrap(True)
        self.withdraw_message.setStyleSheet("color: #b00020;")
        self.withdraw_message.hide()
        withdraw_row = QHBoxLayout()
        withdraw_row.addWidget(QLabel(self.tr("Withdrawn on")))
        withdraw_row.addWidget(self.withdraw_on)
        withdraw_row.addStretch(1)
        withdraw_row.addWidget(self.withdraw_button)

        self.form = FieldForm()
        self.scope = QComboBox()
        self.scope.setAccessibleName(self.tr("Scope"))
        self.scope.addItem(self.tr("(choose)"), None)
        for s in ConsentScope:
            self.scope.addItem(s.label, s)
        self.organization = QLineEdit()
        self.organization.setAccessibleName(self.tr("Organization"))
        self.organization.setPlaceholderText(self.tr("Only for sharing: who it is shared with"))
        self.given_by = QComboBox()
        self.given_by.setAccessibleName(self.tr("Given by"))
        for g in ConsentGiver:
            self.given_by.addItem(g.label, g)
        self.child_assent = QComboBox()
        self.child_assent.setAccessibleName(self.tr("Child assent"))
        self.child_assent.addItem(self.tr("Not applicable"), None)
        self.child_assent.addItem(self.tr("The child assented"), True)
        self.child_assent.addItem(self.tr("The child did not assent"), False)
        self.given_on = date_edit(self.tr("Given on"))
        self.given_on.setMaximumDate(QDate.currentDate())
        self.notes = QLineEdit()
        self.notes.setAccessibleName(self.tr("Notes"))
        f = self.form
        f.add_row("scope", self.tr("&Scope"), self.scope)
        f.add_row("organization", self.tr("&Organization"), self.organization)
        f.add_row("given_by", self.tr("Given &by"), self.given_by)
        f.add_row("child_assent", self.tr("Child &assent"), self.child_assent)
        f.add_row("given_on", self.tr("&Date given"), self.given_on)
        f.add_row("notes", self.tr("&Notes"), self.notes)
        self.record_button = QPushButton(self.tr("&Record consent"))
        record_row = QHBoxLayout()
        record_row.addStretch(1)
        record_row.addWidget(self.record_button)
        self.record_box = QWidget()
        box_layout = QVBoxLayout(self.record_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(QLabel(self.tr("<b>New consent</b>")))
        box_layout.addWidget(self.form)
        box_layout.addLayout(record_row)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(withdraw_row)
        layout.addWidget(self.withdraw_message)
        layout.addWidget(self.record_box)
        layout.addWidget(close)

        self._can_edit = can_edit
        self.record_box.setEnabled(can_edit)
        self.withdraw_on.setEnabled(can_edit)
        self.record_button.clicked.connect(self._submit)
        self.withdraw_button.clicked.connect(self._on_withdraw)
        self.list.currentItemChanged.connect(self._update_withdraw)
        self.scope.currentIndexChanged.connect(self._update_organization)
        self._update_organization()
        self.reload()

    # -- list ---------------------------------------------------------------

    def reload(self) -> None:
        self._ops.read(self._load, self._on_loaded, on_error=self._on_load_failed)

    def _on_loaded(self, consents: list[ConsentView]) -> None:
        self.consents = consents
        self.list.clear()
        for c in consents:
            assent = ""
            if c.child_assent is not None:
                assent = self.tr(" (child assented)") if c.child_assent else self.tr(" (no assent)")
            item = QTreeWidgetItem(
                [
                    c.scope.label,
                    c.organization,
                    c.given_by.label + assent,
                    c.given_on.isoformat(),
                    c.withdrawn_on.isoformat() if c.withdrawn_on else "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, c.id)
            self.list.addTopLevelItem(item)
        if not consents:
            empty = QTreeWidgetItem([self.tr("No consent recorded")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addTopLevelItem(empty)
        self._update_withdraw()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.form.show_message(error_text(exc))

    def texts(self) -> list[list[str]]:
        rows: list[list[str]] = []
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None:
                rows.append([item.text(c) for c in range(self.list.columnCount())])
        return rows

    def _selected(self) -> ConsentView | None:
        item = self.list.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((c for c in self.consents if c.id == wanted), None)

    def _update_withdraw(self) -> None:
        chosen = self._selected()
        self.withdraw_button.setEnabled(
            self._can_edit and chosen is not None and chosen.withdrawn_on is None
        )

    def _update_organization(self) -> None:
        sharing = self.scope.currentData() == ConsentScope.SHARING
        self.organization.setEnabled(sharing)

    # -- recording ------------------------------------------------------------

    def value(self) -> ConsentDraft:
        scope = self.scope.currentData()
        assent = self.child_assent.currentData()
        return ConsentDraft(
            scope=None if scope is None else ConsentScope(scope),
            given_on=_pydate(self.given_on),
            given_by=ConsentGiver(self.given_by.currentData()),
            organization_name=self.organization.text() if scope == ConsentScope.SHARING else "",
            child_assent=None if assent is None else bool(assent),
            notes=self.notes.text(),
        )

    def set_value(self, draft: ConsentDraft) -> None:
        select_data(self.scope, draft.scope)
        if draft.given_on is not None:
            self.given_on.setDate(_qdate(draft.given_on))
        select_data(self.given_by, draft.given_by)
        self.organization.setText(draft.organization_name)
        select_data(self.child_assent, draft.child_assent)
        self.notes.setText(draft.notes)

    def _submit(self) -> None:
        draft = self.value()
        # Whether the survivor was a child is the service's to decide.
        if self.form.show_problems(draft.problems(today=date.today(), minor=None)):
            return
        self.record_button.setEnabled(False)
        self._ops.write(
            lambda: self._record(draft), self._on_recorded, parent=self, on_error=self._on_error
        )

    def _on_recorded(self, _view: ConsentView) -> None:
        self.record_button.setEnabled(True)
        self.form.clear_problems()
        self.scope.setCurrentIndex(0)
        self.organization.clear()
        self.child_assent.setCurrentIndex(0)
        self.notes.clear()
        self.reload()

    def _on_error(self, exc: BaseException) -> None:
        self.record_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
        else:
            self.form.clear_problems()
            self.form.show_message(error_text(exc))

    def _on_withdraw(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        on = _pydate(self.withdraw_on)
        self.withdraw_button.setEnabled(False)
        self.withdraw_message.hide()

        def failed(exc: BaseException) -> None:
            self.withdraw_message.setText(error_text(exc))
            self.withdraw_message.show()
            self._update_withdraw()

        self._ops.write(
            lambda: self._withdraw(chosen.id, on),
            lambda _view: self.reload(),
            parent=self,
            on_error=failed,
        )
