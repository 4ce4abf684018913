"""A survivor's record: the facts shown with the code, who they are, their
photo, and their cases.

Opened from a case's People tab or the People view. *About* shows the
facts safe to show with the code, which staff who may change one of the
survivor's cases can correct. *Identifying details* stays closed until the
user asks: *Show identifying details* reads the identity (and the photo)
through the service, which checks the identity rule and writes the look to
the audit trail; a user who may not see it is told why, and nothing is
read. Once shown, the details can be corrected (a change someone else made
meanwhile is refused, not overwritten) and a photo set or removed; *Hide*
empties the fields and the picture. *Cases* lists the survivor's cases the
user may see; Enter opens one.

Every read and write runs on the worker; errors appear in the tab they
belong to, next to the field where there is one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import AttachmentOwner, PartyKind, Stage
from ijmcase.domain.errors import IjmcaseError, ValidationError
from ijmcase.services.attachments import AttachmentView, Owner
from ijmcase.services.cases import CaseRow
from ijmcase.services.context import Changes, Outcome
from ijmcase.services.people import IdentityView, PeopleService, SurvivorView
from ijmcase.services.people_records import PeopleRecordsService
from ijmcase.services.survivor_photos import Photo, SurvivorPhotoService
from ijmcase.ui.documents_tab import DocumentsTab
from ijmcase.ui.operations import error_text
from ijmcase.ui.survivor_forms import (
    IdentityForm,
    SurvivorFactsForm,
    facts_draft,
    identity_draft,
)
from ijmcase.ui.view_context import ViewContext

__all__ = ["SurvivorRecordDialog"]

PHOTO_SIZE = (180, 220)
CASE_ROLE = Qt.ItemDataRole.UserRole
IMAGE_FILTER = "Photos (*.jpg *.jpeg *.png *.webp *.heic *.bmp *.gif *.tif *.tiff);;All files (*)"
MUTED = "color: palette(dark);"
ERROR = "color: #b00020;"


@dataclass(frozen=True)
class _Record:
    survivor: SurvivorView
    may_see_identity: bool
    may_edit: bool
    cases: list[CaseRow]


@dataclass(frozen=True)
class _Shown:
    identity: IdentityView
    photo: Photo | None
    photo_problem: str  # why the photo could not be shown ("" if it could)


class SurvivorRecordDialog(QDialog):
    def __init__(
        self,
        ctx: ViewContext,
        survivor_id: uuid.UUID,
        *,
        label: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.survivor_id = survivor_id
        self.record: _Record | None = None
        self.identity: IdentityView | None = None
        self.photo: Photo | None = None
        self.documents: DocumentsTab | None = None
        self._people = ctx.services.get(PeopleService)
        self._photos = ctx.services.get(SurvivorPhotoService)
        self._records = ctx.services.get(PeopleRecordsService)
        self.setWindowTitle(self.tr("Survivor %s") % label if label else self.tr("Survivor"))
        self.setMinimumSize(720, 520)

        self.heading = QLabel(label)
        self.heading.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.summary = QLabel()
        self.summary.setStyleSheet(MUTED)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_about(), self.tr("&About"))
        self.tabs.addTab(self._build_identity(), self.tr("&Identifying details"))
        self.tabs.addTab(self._build_cases(), self.tr("Ca&ses"))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self.reload()

    # -- building ---------------------------------------------------------

    def _build_about(self) -> QWidget:
        page = QWidget()
        self.facts = SurvivorFactsForm("", country_fixed=True)
        self.facts.set_editable(False)
        self.save_facts_button = QPushButton(self.tr("Save &changes"))
        self.save_facts_button.setEnabled(False)
        self.save_facts_button.clicked.connect(self.save_facts)
        self.facts_note = QLabel()
        self.facts_note.setWordWrap(True)
        self.facts_note.setStyleSheet(MUTED)
        row = QHBoxLayout()
        row.addWidget(self.facts_note, 1)
        row.addWidget(self.save_facts_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.facts)
        layout.addStretch(1)
        layout.addLayout(row)
        return page

    def _build_identity(self) -> QWidget:
        self.identity_stack = QStackedWidget()
        # Closed: nothing identifying has been read.
        closed = QWidget()
        self.closed_text = QLabel()
        self.closed_text.setWordWrap(True)
        self.closed_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.show_button = QPushButton(self.tr("&Show identifying details"))
        self.show_button.setToolTip(self.tr("Your look is recorded in the audit trail"))
        self.show_button.clicked.connect(self.show_identity)
        self.show_button.setEnabled(False)
        column = QVBoxLayout(closed)
        column.addStretch(1)
        column.addWidget(self.closed_text)
        column.addWidget(self.show_button, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch(2)
        self.identity_stack.addWidget(closed)

        # Open: the details, the photo, and what can be done with them.
        shown = QWidget()
        self.identity_form = IdentityForm()
        self.photo_label = QLabel()
        self.photo_label.setFixedSize(*PHOTO_SIZE)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setWordWrap(True)
        self.photo_label.setStyleSheet("border: 1px solid palette(mid); color: palette(dark);")
        self.photo_label.setAccessibleName(self.tr("Photo"))
        self.set_photo_button = QPushButton(self.tr("Set p&hoto…"))
        self.set_photo_button.setToolTip(
            self.tr("Location and camera details are removed; the photo is stored encrypted")
        )
        self.set_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = QPushButton(self.tr("Remove photo…"))
        self.remove_photo_button.clicked.connect(self.ask_remove_photo)
        self.photo_message = QLabel()
        self.photo_message.setWordWrap(True)
        self.photo_message.setMaximumWidth(PHOTO_SIZE[0])
        self.photo_message.setStyleSheet(ERROR)
        self.photo_message.hide()
        photo_column = QVBoxLayout()
        photo_column.addWidget(self.photo_label)
        photo_column.addWidget(self.set_photo_button)
        photo_column.addWidget(self.remove_photo_button)
        photo_column.addWidget(self.photo_message)
        photo_column.addStretch(1)
        form_column = QVBoxLayout()
        form_column.addWidget(self.identity_form)
        form_column.addStretch(1)  # rows keep their height; the space goes below
        top = QHBoxLayout()
        top.addLayout(form_column, 1)
        top.addLayout(photo_column)
        self.save_identity_button = QPushButton(self.tr("Save identifying &details"))
        self.save_identity_button.clicked.connect(self.save_identity)
        self.hide_button = QPushButton(self.tr("Hi&de"))
        self.hide_button.setToolTip(self.tr("Empty the fields and the photo on this screen"))
        self.hide_button.clicked.connect(self.hide_identity)
        self.identity_note = QLabel()
        self.identity_note.setWordWrap(True)
        self.identity_note.setStyleSheet(MUTED)
        bottom = QHBoxLayout()
        bottom.addWidget(self.identity_note, 1)
        bottom.addWidget(self.hide_button)
        bottom.addWidget(self.save_identity_button)
        layout = QVBoxLayout(shown)
        layout.addLayout(top, 1)
        layout.addLayout(bottom)
        self.identity_stack.addWidget(shown)
        return self.identity_stack

    def _build_cases(self) -> QWidget:
        self.cases = QTreeWidget()
        self.cases.setAccessibleName(self.tr("The survivor's cases"))
        self.cases.setRootIsDecorated(False)
        self.cases.setHeaderLabels(
            [self.tr("Case"), self.tr("Title"), self.tr("Opened"), self.tr("Stage")]
        )
        header = self.cases.header()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.cases.itemActivated.connect(self._open_case)
        return self.cases

    # -- loading ----------------------------------------------------------

    @property
    def identity_shown(self) -> bool:
        return self.identity_stack.currentIndex() == 1

    def reload(self) -> None:
        people, records, survivor_id = self._people, self._records, self.survivor_id

        def fetch() -> _Record:
            return _Record(
                people.survivor(survivor_id),
                people.can_see_identity(survivor_id),
                people.may_edit_survivor(survivor_id),
                records.cases_of(PartyKind.SURVIVOR, survivor_id),
            )

        self._ctx.ops.read(fetch, self._on_loaded, on_error=self._on_load_failed)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.summary.setText(error_text(exc))
        self.summary.setStyleSheet(ERROR)

    def _on_loaded(self, record: _Record) -> None:
        self.record = record
        s = record.survivor
        self.heading.setText(f"{s.code}  {s.alias}".strip())
        self.setWindowTitle(self.tr("Survivor %s") % s.code)
        facts = [s.sex.label, s.age_band.label]
        if s.minor_at_rescue:
            facts.append(self.tr("minor at rescue"))
        self.summary.setText("  ·  ".join(facts))
        self.facts.set_value(facts_draft(s))
        self.facts.set_editable(record.may_edit)
        self.save_facts_button.setEnabled(record.may_edit)
        self.facts_note.setText(
            ""
            if record.may_edit
            else self.tr("Only staff assigned to one of this survivor's cases can correct this.")
        )
        if record.may_see_identity:
            self.closed_text.setText(
                self.tr(
                    "Identifying details are hidden.\n"
                    "Showing them is recorded in the audit trail with your name."
                )
            )
        else:
            self.closed_text.setText(
                self.tr(
                    "Only staff assigned to this survivor's case, and roles the organization "
                    "has granted it, can see who they are."
                )
            )
        self.show_button.setVisible(record.may_see_identity)
        self.show_button.setEnabled(record.may_see_identity)
        self._fill_cases(record.cases)

    def _fill_cases(self, rows: list[CaseRow]) -> None:
        self.cases.clear()
        for row in rows:
            active = [stage.label for stage in Stage if row.status_of(stage).value == "active"]
            item = QTreeWidgetItem(
                [
                    row.code,
                    row.title,
                    row.opened_on.isoformat(),
                    ", ".join(active) or (self.tr("closed") if row.closed_on else ""),
                ]
            )
            item.setData(0, CASE_ROLE, row.id)
            self.cases.addTopLevelItem(item)
        if not rows:
            empty = QTreeWidgetItem([self.tr("No case you can see")])
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.cases.addTopLevelItem(empty)

    def _open_case(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        case_id = item.data(0, CASE_ROLE)
        if isinstance(case_id, uuid.UUID):
            self._ctx.open_case(case_id)

    # -- the facts shown with the code ------------------------------------------

    def save_facts(self) -> None:
        record = self.record
        if record is None or not record.may_edit:
            return
        draft = self.facts.value()
        problems = draft.problems()
        if self.facts.show_problems(problems):
            return
        people, survivor_id, version = self._people, self.survivor_id, record.survivor.version
        self.save_facts_button.setEnabled(False)
        self._ctx.ops.write(
            lambda: people.update_survivor(survivor_id, draft, expected_version=version),
            self._on_facts_saved,
            parent=self,
            on_error=self._on_facts_failed,
        )

    def _on_facts_saved(self, view: SurvivorView) -> None:
        self.facts.clear_problems()
        self.facts_note.setText(self.tr("Saved."))
        self.save_facts_button.setEnabled(True)
        if self.record is not None:
            self._on_loaded(
                _Record(view, self.record.may_see_identity, self.record.may_edit, self.record.cases)
            )
            self.facts_note.setText(self.tr("Saved."))

    def _on_facts_failed(self, exc: BaseException) -> None:
        self.save_facts_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.facts.show_problems(exc.problems)
        else:
            self.facts.clear_problems()
            self.facts.show_message(error_text(exc))

    # -- who they are -----------------------------------------------------

    def show_identity(self) -> None:
        """Read the identity and the photo (both audited) and show them."""
        people, photos, survivor_id = self._people, self._photos, self.survivor_id

        def fetch() -> _Shown:
            identity = people.identity(survivor_id)
            photo, problem = None, ""
            if identity.has_photo:
                try:
                    photo = photos.photo(survivor_id)
                except IjmcaseError as exc:  # the details still show without it
                    problem = error_text(exc)
            return _Shown(identity, photo, problem)

        self.show_button.setEnabled(False)
        self._ctx.ops.read(fetch, self._on_identity_shown, on_error=self._on_identity_refused)

    def _on_identity_refused(self, exc: BaseException) -> None:
        self.show_button.setEnabled(bool(self.record and self.record.may_see_identity))
        self.closed_text.setText(error_text(exc))
        self.closed_text.setStyleSheet(ERROR)

    def _on_identity_shown(self, shown: _Shown) -> None:
        self.closed_text.setStyleSheet("")
        self.show_button.setEnabled(True)
        self.identity = shown.identity
        self.identity_form.clear_problems()
        self.identity_form.set_value(identity_draft(shown.identity))
        editable = bool(self.record and self.record.may_edit)
        self.identity_form.set_editable(editable)
        self.save_identity_button.setEnabled(editable)
        self.set_photo_button.setEnabled(editable and shown.identity.recorded)
        self.identity_note.setText(
            ""
            if shown.identity.recorded
            else self.tr("Nothing recorded yet. Enter at least the legal name and save.")
        )
        self._show_photo(shown.photo, shown.photo_problem)
        self.identity_stack.setCurrentIndex(1)
        self._open_documents()
        self.identity_form.legal_name.setFocus()

    def _show_photo(self, photo: Photo | None, problem: str = "") -> None:
        self.photo = photo
        self.photo_label.clear()
        self.photo_message.setVisible(bool(problem))
        self.photo_message.setText(problem)
        if photo is None:
            self.photo_label.setText(self.tr("No photo"))
        else:
            pixmap = QPixmap()
            if pixmap.loadFromData(photo.data):
                self.photo_label.setPixmap(
                    pixmap.scaled(
                        *PHOTO_SIZE,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
            else:
                self.photo_label.setText(self.tr("The photo cannot be shown"))
        editable = bool(self.record and self.record.may_edit)
        self.remove_photo_button.setEnabled(editable and photo is not None)

    def hide_identity(self) -> None:
        """Empty the fields and the picture; showing them again is a new look."""
        self.identity = None
        self.identity_form.clear()
        self._show_photo(None)
        self._close_documents()
        self.identity_stack.setCurrentIndex(0)
        self.show_button.setFocus()

    def save_identity(self) -> None:
        if self.identity is None:
            return
        draft = self.identity_form.value()
        assert draft is not None  # this form has no "not known yet"
        if self.identity_form.show_problems(draft.problems()):
            return
        people, survivor_id, version = self._people, self.survivor_id, self.identity.version
        self.save_identity_button.setEnabled(False)
        self._ctx.ops.write(
            lambda: people.set_identity(survivor_id, draft, expected_version=version),
            self._on_identity_saved,
            parent=self,
            on_error=self._on_identity_failed,
        )

    def _on_identity_saved(self, identity: IdentityView) -> None:
        self.identity = identity
        self.identity_form.clear_problems()
        self.save_identity_button.setEnabled(True)
        self.set_photo_button.setEnabled(True)
        self.identity_note.setText(self.tr("Saved."))

    def _on_identity_failed(self, exc: BaseException) -> None:
        self.save_identity_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.identity_form.show_problems(exc.problems)
        else:
            self.identity_form.clear_problems()
            self.identity_form.show_message(error_text(exc))

    # -- documents (identifying too: listed only while the details are shown) --

    def _open_documents(self) -> None:
        if self.documents is not None:
            return
        self.documents = DocumentsTab(
            self._ctx, None, owner=Owner(AttachmentOwner.SURVIVOR, self.survivor_id)
        )
        self.documents.attach_button.setEnabled(bool(self.record and self.record.may_edit))
        self.tabs.addTab(self.documents, self.tr("&Documents"))

    def _close_documents(self) -> None:
        documents, self.documents = self.documents, None
        if documents is not None:
            self.tabs.removeTab(self.tabs.indexOf(documents))
            documents.close_copies()
            documents.deleteLater()

    # -- the photo --------------------------------------------------------------

    def choose_photo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo of the survivor"), "", self.tr(IMAGE_FILTER)
        )
        if path:
            self.set_photo_from(Path(path))

    def set_photo_from(self, path: Path) -> None:
        """Re-encode, seal and show the picture at ``path`` (on the worker)."""
        photos, survivor_id = self._photos, self.survivor_id

        def put() -> Outcome[AttachmentView]:
            # Read on the worker, and no more than the service's limit.
            with path.open("rb") as data:
                return photos.set_photo(survivor_id, path.name, data)

        self.photo_message.hide()
        self._ctx.ops.write(
            put,
            lambda _view: self._reload_photo(),
            parent=self,
            on_error=self._on_photo_failed,
            label=self.tr("Storing the photo…"),
        )

    def _reload_photo(self) -> None:
        photos, survivor_id = self._photos, self.survivor_id
        self._ctx.ops.read(
            lambda: photos.photo(survivor_id),
            lambda photo: self._show_photo(photo),
            on_error=self._on_photo_failed,
        )

    def _on_photo_failed(self, exc: BaseException) -> None:
        self.photo_message.setText(error_text(exc))
        self.photo_message.show()

    def ask_remove_photo(self) -> None:
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Remove photo"),
            self.tr("Say why the photo is removed (kept in the audit trail):"),
            QLineEdit.EchoMode.Normal,
        )
        if ok and reason.strip():
            self.remove_photo(reason.strip())

    def remove_photo(self, reason: str) -> None:
        photos, survivor_id = self._photos, self.survivor_id
        self._ctx.ops.write(
            lambda: photos.clear_photo(survivor_id, reason),
            lambda _none: self._show_photo(None),
            parent=self,
            on_error=self._on_photo_failed,
        )

    # -- changes from elsewhere -----------------------------------------------

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & {"people", "parties", "cases"}:
            self.reload()
