"""New case and edit case: one dialog, validated by the domain's ``CaseDraft``.

The dialog checks the draft before it asks the service (so a mistake is
shown at once, next to its field), then saves on the worker; a refusal
from the service (a stale version, a country the user does not work in)
is shown in the same place. ``value()`` and ``set_value()`` carry a
``CaseDraft``, so a test or another screen can fill it without clicks.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import RiskLevel, Sensitivity, ViolenceType
from ijmcase.domain.errors import ValidationError
from ijmcase.services.cases import CaseDetail
from ijmcase.services.context import Outcome
from ijmcase.ui.forms import FieldForm, date_edit
from ijmcase.ui.operations import Operations, error_text

__all__ = ["CaseChoices", "CaseDialog", "Person"]


@dataclass(frozen=True)
class Person:
    id: uuid.UUID
    name: str


@dataclass(frozen=True)
class CaseChoices:
    """What the choosers offer, loaded once before the dialog opens."""

    offices: Sequence[tuple[uuid.UUID, str, str, str]]  # id, code, name, country
    caseworkers: Sequence[Person]
    lawyers: Sequence[Person]


SaveFn = Callable[[CaseDraft], Outcome[CaseDetail]]


class CaseDialog(QDialog):
    def __init__(
        self,
        ops: Operations,
        choices: CaseChoices,
        save: SaveFn,
        *,
        draft: CaseDraft | None = None,
        code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._choices = choices
        self._save = save
        self.saved: CaseDetail | None = None
        self.setWindowTitle(self.tr("Edit case %s") % code if code else self.tr("New case"))
        self.setMinimumWidth(560)

        self.form = FieldForm()
        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Title"))
        self.title.setPlaceholderText(self.tr("Short, without survivor names"))
        self.violence = QComboBox()
        self.violence.setAccessibleName(self.tr("Type of violence"))
        for v in ViolenceType:
            self.violence.addItem(v.label, v)
        self.country = QComboBox()
        self.country.setAccessibleName(self.tr("Country"))
        for code_, c in sorted(COUNTRIES.items(), key=lambda kv: kv[1].name):
            self.country.addItem(f"{c.name} ({code_})", code_)
        self.jurisdiction = QLineEdit()
        self.jurisdiction.setAccessibleName(self.tr("Jurisdiction"))
        self.jurisdiction.setPlaceholderText(self.tr("State, province or district"))
        self.office = QComboBox()
        self.office.setAccessibleName(self.tr("Office"))
        self.opened_on = date_edit(self.tr("Opened on"))
        self.opened_on.setMaximumDate(QDate.currentDate())
        self.risk = QComboBox()
        self.risk.setAccessibleName(self.tr("Risk"))
        for r in RiskLevel:
            self.risk.addItem(r.label, r)
        self.sensitivity = QComboBox()
        self.sensitivity.setAccessibleName(self.tr("Sensitivity"))
        for s in Sensitivity:
            self.sensitivity.addItem(s.label, s)
        self.sensitivity.setToolTip(
            self.tr("Restricted cases are hidden from staff who are not assigned to them.")
        )
        self.lead_caseworker = self._people_combo(self.tr("Lead caseworker"), choices.caseworkers)
        self.lead_lawyer = self._people_combo(self.tr("Lead lawyer"), choices.lawyers)
        self.summary = QPlainTextEdit()
        self.summary.setAccessibleName(self.tr("Summary"))
        self.summary.setTabChangesFocus(True)
        self.summary.setFixedHeight(90)

        f = self.form
        f.add_row("title", self.tr("&Title"), self.title)
        f.add_row("violence_type", self.tr("T&ype of violence"), self.violence)
        f.add_row("country", self.tr("&Country"), self.country)
        f.add_row("jurisdiction", self.tr("&Jurisdiction"), self.jurisdiction)
        f.add_row("office_id", self.tr("O&ffice"), self.office)
        f.add_row("opened_on", self.tr("&Opened on"), self.opened_on)
        f.add_row("risk_level", self.tr("&Risk"), self.risk)
        f.add_row("sensitivity", self.tr("&Sensitivity"), self.sensitivity)
        f.add_row("lead_caseworker_id", self.tr("Lead &caseworker"), self.lead_caseworker)
        f.add_row("lead_lawyer_id", self.tr("Lead &lawyer"), self.lead_lawyer)
        f.add_row("summary", self.tr("Su&mmary"), self.summary)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.buttons)

        self.country.currentIndexChanged.connect(self._fill_offices)
        self._fill_offices()
        if draft is not None:
            self.set_value(draft)
        self.title.setFocus()

    def _people_combo(self, name: str, people: Sequence[Person]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.addItem(self.tr("(none)"), None)
        for p in people:
            combo.addItem(p.name, p.id)
        return combo

    def _fill_offices(self) -> None:
        country = self.country.currentData()
        keep = self.office.currentData()
        self.office.blockSignals(True)
        self.office.clear()
        self.office.addItem(self.tr("(none)"), None)
        for oid, code, name, office_country in self._choices.offices:
            if office_country == country:
                self.office.addItem(f"{name} ({code})", oid)
        self._select(self.office, keep)
        self.office.blockSignals(False)

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        combo.setCurrentIndex(max(index, 0))

    # -- value ------------------------------------------------------------

    def value(self) -> CaseDraft:
        q = self.opened_on.date()
        # Qt hands a StrEnum stored as item data back as a plain str.
        return CaseDraft(
            title=self.title.text(),
            violence_type=ViolenceType(self.violence.currentData()),
            country=self.country.currentData(),
            opened_on=date(q.year(), q.month(), q.day()),
            jurisdiction=self.jurisdiction.text(),
            office_id=self.office.currentData(),
            risk_level=RiskLevel(self.risk.currentData()),
            sensitivity=Sensitivity(self.sensitivity.currentData()),
            summary=self.summary.toPlainText(),
            lead_caseworker_id=self.lead_caseworker.currentData(),
            lead_lawyer_id=self.lead_lawyer.currentData(),
        )

    def set_value(self, draft: CaseDraft) -> None:
        self.title.setText(draft.title)
        self._select(self.violence, draft.violence_type)
        self._select(self.country, draft.country)
        self._fill_offices()
        self._select(self.office, draft.office_id)
        self.jurisdiction.setText(draft.jurisdiction)
        d = draft.opened_on
        self.opened_on.setDate(QDate(d.year, d.month, d.day))
        self._select(self.risk, draft.risk_level)
        self._select(self.sensitivity, draft.sensitivity)
        self._select(self.lead_caseworker, draft.lead_caseworker_id)
        self._select(self.lead_lawyer, draft.lead_lawyer_id)
        self.summary.setPlainText(draft.summary)

    # -- saving -----------------------------------------------------------

    def _submit(self) -> None:
        draft = self.value()
        if self.form.show_problems(draft.problems(today=date.today())):
            return
        self.buttons.setEnabled(False)
        self._ops.write(
            lambda: self._save(draft),
            self._on_saved,
            parent=self,
            on_error=self._on_error,
        )

    def _on_saved(self, detail: CaseDetail) -> None:
        self.buttons.setEnabled(True)
        self.saved = detail
        self.accept()

    def _on_error(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
        else:
            self.form.clear_problems()
            self.form.show_message(error_text(exc))
