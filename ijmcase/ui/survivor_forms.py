"""The two halves of a survivor's record as forms, shared by the dialog that
adds a survivor and the one that shows and corrects a survivor's record.

``SurvivorFactsForm`` holds what is safe to show with the code (sex, alias,
age, minor at rescue, nationality, languages, disability, guardian);
``IdentityForm`` holds who they are (legal name, other names, date and
place of birth, contacts, guardian). Each turns into its domain draft with
``value()`` and back with ``set_value()``; the rules stay in the drafts,
and a ``FieldForm`` shows their problems next to the fields.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.drafts import SurvivorDraft, SurvivorIdentityDraft, age_on
from ijmcase.domain.enums import Sex
from ijmcase.services.people import IdentityView, SurvivorView
from ijmcase.ui.forms import FieldForm, date_edit

__all__ = [
    "SURVIVOR_FIELDS",
    "UNKNOWN_AGE",
    "IdentityForm",
    "SurvivorFactsForm",
    "country_combo",
    "facts_draft",
    "identity_draft",
    "select_data",
]

# The fields of ``SurvivorDraft``: a problem with one of these belongs on the facts form.
SURVIVOR_FIELDS = frozenset(
    {
        "country",
        "sex",
        "alias",
        "age_at_intake",
        "minor_at_rescue",
        "nationality",
        "languages",
        "disability",
        "has_guardian",
    }
)
UNKNOWN_AGE = -1


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(edit: QDateEdit) -> date:
    q = edit.date()
    return date(q.year(), q.month(), q.day())


def select_data(combo: QComboBox, data: object) -> None:
    """Choose the item carrying ``data`` (the first item if none does)."""
    combo.setCurrentIndex(max(combo.findData(data), 0))


def country_combo(name: str, country: str) -> QComboBox:
    """Countries by name, each carrying its ISO code."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    for code, c in sorted(COUNTRIES.items(), key=lambda kv: kv[1].name):
        combo.addItem(f"{c.name} ({code})", code)
    select_data(combo, country)
    return combo


def age_spin(name: str, low: int) -> QSpinBox:
    """An age in years, with "Unknown" below ``low``."""
    spin = QSpinBox()
    spin.setAccessibleName(name)
    spin.setRange(low - 1, 120)
    spin.setSpecialValueText(QCoreApplication.translate("survivor_forms", "Unknown"))
    spin.setValue(low - 1)
    return spin


def facts_draft(view: SurvivorView) -> SurvivorDraft:
    return SurvivorDraft(
        country=view.country,
        sex=view.sex,
        alias=view.alias,
        age_at_intake=view.age_at_intake,
        minor_at_rescue=view.minor_at_rescue,
        nationality=view.nationality,
        languages=view.languages,
        disability=view.disability,
        has_guardian=view.has_guardian,
    )


def identity_draft(view: IdentityView) -> SurvivorIdentityDraft:
    return SurvivorIdentityDraft(
        legal_name=view.legal_name,
        other_names=view.other_names,
        date_of_birth=view.date_of_birth,
        phone=view.phone,
        address=view.address,
        contact_notes=view.contact_notes,
        guardian_name=view.guardian_name,
        guardian_contact=view.guardian_contact,
        place_of_birth=view.place_of_birth,
    )


class SurvivorFactsForm(FieldForm):
    """What may be shown beside the survivor's code.

    ``rescued_on`` and ``born`` (a callable giving the date of birth entered
    elsewhere, if any) let the form say whether the survivor was a minor at
    rescue while the user types."""

    def __init__(
        self,
        country: str,
        *,
        rescued_on: date | None = None,
        born: Callable[[], date | None] | None = None,
        country_fixed: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._rescued_on = rescued_on
        self._born = born or (lambda: None)
        self.country = country_combo(self.tr("Country"), country)
        self.country.setEnabled(not country_fixed)
        if country_fixed:
            self.country.setToolTip(self.tr("The country is part of the survivor's code."))
        self.sex = QComboBox()
        self.sex.setAccessibleName(self.tr("Sex"))
        for s in Sex:
            self.sex.addItem(s.label, s)
        select_data(self.sex, Sex.UNKNOWN)
        self.alias = QLineEdit()
        self.alias.setAccessibleName(self.tr("Alias"))
        self.alias.setPlaceholderText(self.tr("A name safe to use in notes"))
        self.age = age_spin(self.tr("Age at intake"), 0)
        self.minor = QComboBox()
        self.minor.setAccessibleName(self.tr("Minor at rescue"))
        self.minor.addItem(self.tr("Work it out from the age or date of birth"), None)
        self.minor.addItem(self.tr("Yes"), True)
        self.minor.addItem(self.tr("No"), False)
        self.minor_hint = QLabel()
        self.minor_hint.setStyleSheet("color: palette(dark);")
        self.nationality = QLineEdit()
        self.nationality.setAccessibleName(self.tr("Nationality"))
        self.languages = QLineEdit()
        self.languages.setAccessibleName(self.tr("Languages"))
        self.languages.setPlaceholderText(self.tr("e.g. Bengali, Hindi"))
        self.disability = QLineEdit()
        self.disability.setAccessibleName(self.tr("Disability"))
        self.has_guardian = QCheckBox(self.tr("Has a guardian (for a child)"))
        self.add_row("country", self.tr("&Country"), self.country)
        self.add_row("sex", self.tr("&Sex"), self.sex)
        self.add_row("alias", self.tr("&Alias"), self.alias)
        self.add_row("age_at_intake", self.tr("A&ge at intake"), self.age)
        self.add_row("minor_at_rescue", self.tr("&Minor at rescue"), self.minor)
        self.add_row("minor_hint", "", self.minor_hint)
        self.add_row("nationality", self.tr("&Nationality"), self.nationality)
        self.add_row("languages", self.tr("&Languages"), self.languages)
        self.add_row("disability", self.tr("&Disability"), self.disability)
        self.add_row("has_guardian", self.tr("G&uardian"), self.has_guardian)
        self.age.valueChanged.connect(self.update_minor_hint)
        self.minor.currentIndexChanged.connect(self.update_minor_hint)
        self.update_minor_hint()

    def minor_at_rescue(self) -> bool | None:
        """Whether the survivor was a child at rescue, as the form stands."""
        chosen = self.minor.currentData()
        if chosen is not None:
            return bool(chosen)
        born = self._born()
        if born is not None and self._rescued_on is not None:
            return age_on(born, self._rescued_on) < 18
        if self.age.value() != UNKNOWN_AGE:
            return self.age.value() < 18
        return None

    def update_minor_hint(self) -> None:
        minor = self.minor_at_rescue()
        if minor is None:
            self.minor_hint.setText(self.tr("Minor at rescue: not known yet"))
        else:
            self.minor_hint.setText(
                self.tr("Minor at rescue: yes") if minor else self.tr("Minor at rescue: no")
            )
        self.has_guardian.setEnabled(
            self.isEnabled() and (minor is not False or self.has_guardian.isChecked())
        )

    def set_editable(self, editable: bool) -> None:
        for widget in (
            self.sex,
            self.alias,
            self.age,
            self.minor,
            self.nationality,
            self.languages,
            self.disability,
            self.has_guardian,
        ):
            widget.setEnabled(editable)
        if editable:
            self.update_minor_hint()

    def value(self) -> SurvivorDraft:
        age = self.age.value()
        minor = self.minor.currentData()
        return SurvivorDraft(
            country=str(self.country.currentData()),
            sex=Sex(self.sex.currentData()),
            alias=self.alias.text(),
            age_at_intake=None if age == UNKNOWN_AGE else age,
            minor_at_rescue=None if minor is None else bool(minor),
            nationality=self.nationality.text(),
            languages=self.languages.text(),
            disability=self.disability.text(),
            has_guardian=self.has_guardian.isChecked(),
        )

    def set_value(self, draft: SurvivorDraft) -> None:
        select_data(self.country, draft.country)
        select_data(self.sex, draft.sex)
        self.alias.setText(draft.alias)
        self.age.setValue(UNKNOWN_AGE if draft.age_at_intake is None else draft.age_at_intake)
        select_data(self.minor, draft.minor_at_rescue)
        self.nationality.setText(draft.nationality)
        self.languages.setText(draft.languages)
        self.disability.setText(draft.disability)
        self.has_guardian.setChecked(draft.has_guardian)
        self.update_minor_hint()


class IdentityForm(FieldForm):
    """Who the survivor is. ``allow_unknown`` adds "Identity not known yet"
    (when adding a survivor whose name is not known)."""

    def __init__(self, *, allow_unknown: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.no_identity = QCheckBox(self.tr("Identity not known yet (record it later)"))
        self.legal_name = QLineEdit()
        self.legal_name.setAccessibleName(self.tr("Legal name"))
        self.other_names = QLineEdit()
        self.other_names.setAccessibleName(self.tr("Other names"))
        self.other_names.setPlaceholderText(self.tr("Separated by commas"))
        self.born_known = QCheckBox(self.tr("Known"))
        self.date_of_birth = date_edit(self.tr("Date of birth"))
        self.date_of_birth.setMaximumDate(QDate.currentDate())
        self.date_of_birth.setEnabled(False)
        self.born_row = QWidget()
        born_layout = QHBoxLayout(self.born_row)
        born_layout.setContentsMargins(0, 0, 0, 0)
        born_layout.addWidget(self.born_known)
        born_layout.addWidget(self.date_of_birth, 1)
        self.place_of_birth = QLineEdit()
        self.place_of_birth.setAccessibleName(self.tr("Place of birth"))
        self.phone = QLineEdit()
        self.phone.setAccessibleName(self.tr("Phone"))
        self.address = QLineEdit()
        self.address.setAccessibleName(self.tr("Address"))
        self.contact_notes = QPlainTextEdit()
        self.contact_notes.setAccessibleName(self.tr("Contact notes"))
        self.contact_notes.setTabChangesFocus(True)
        self.contact_notes.setFixedHeight(60)
        self.guardian_name = QLineEdit()
        self.guardian_name.setAccessibleName(self.tr("Guardian's name"))
        self.guardian_contact = QLineEdit()
        self.guardian_contact.setAccessibleName(self.tr("Guardian's contact"))
        if allow_unknown:
            self.add_row("no_identity", "", self.no_identity)
        self.add_row("legal_name", self.tr("Legal &name"), self.legal_name)
        self.add_row("other_names", self.tr("&Other names"), self.other_names)
        self.add_row("date_of_birth", self.tr("Date of &birth"), self.born_row)
        self.add_row("place_of_birth", self.tr("&Place of birth"), self.place_of_birth)
        self.add_row("phone", self.tr("P&hone"), self.phone)
        self.add_row("address", self.tr("Addr&ess"), self.address)
        self.add_row("contact_notes", self.tr("Contact no&tes"), self.contact_notes)
        self.add_row("guardian_name", self.tr("Guardian's na&me"), self.guardian_name)
        self.add_row("guardian_contact", self.tr("Guardian's con&tact"), self.guardian_contact)
        self.fields: list[QWidget] = [
            self.legal_name,
            self.other_names,
            self.born_row,
            self.place_of_birth,
            self.phone,
            self.address,
            self.contact_notes,
            self.guardian_name,
            self.guardian_contact,
        ]
        self.born_known.toggled.connect(self.date_of_birth.setEnabled)
        self.no_identity.toggled.connect(lambda checked: self.set_editable(not checked))

    def set_editable(self, editable: bool) -> None:
        for widget in self.fields:
            widget.setEnabled(editable)
        if editable:
            self.date_of_birth.setEnabled(self.born_known.isChecked())

    def date_of_birth_value(self) -> date | None:
        if self.no_identity.isChecked() or not self.born_known.isChecked():
            return None
        return _pydate(self.date_of_birth)

    def value(self) -> SurvivorIdentityDraft | None:
        """The draft, or None when "Identity not known yet" is ticked."""
        if self.no_identity.isChecked():
            return None
        return SurvivorIdentityDraft(
            legal_name=self.legal_name.text(),
            other_names=self.other_names.text(),
            date_of_birth=self.date_of_birth_value(),
            phone=self.phone.text(),
            address=self.address.text(),
            contact_notes=self.contact_notes.toPlainText(),
            guardian_name=self.guardian_name.text(),
            guardian_contact=self.guardian_contact.text(),
            place_of_birth=self.place_of_birth.text(),
        )

    def set_value(self, identity: SurvivorIdentityDraft | None) -> None:
        self.no_identity.setChecked(identity is None)
        if identity is None:
            return
        self.legal_name.setText(identity.legal_name)
        self.other_names.setText(identity.other_names)
        self.born_known.setChecked(identity.date_of_birth is not None)
        if identity.date_of_birth is not None:
            self.date_of_birth.setDate(_qdate(identity.date_of_birth))
        self.place_of_birth.setText(identity.place_of_birth)
        self.phone.setText(identity.phone)
        self.address.setText(identity.address)
        self.contact_notes.setPlainText(identity.contact_notes)
        self.guardian_name.setText(identity.guardian_name)
        self.guardian_contact.setText(identity.guardian_contact)

    def clear(self) -> None:
        """Empty every field (when the details are hidden again)."""
        self.set_value(SurvivorIdentityDraft(""))
        self.born_known.setChecked(False)
        self.clear_problems()
