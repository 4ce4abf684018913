"""The quick-entry intervention dialog: log one (or ten in a row), correct one,
or log the follow-up a caseworker was asked for, without the mouse.

Keyboard first. Every field has a mnemonic and the tab order follows the
form from top to bottom; Ctrl+Enter saves and closes, Ctrl+Shift+Enter
saves and starts the next entry with the last one's type, stage, date,
people, staff, location and duration already filled in, with the cursor on
the outcome, so a batch typed days later costs a few keys per entry.

Never lose a note. Every change is written (after half a second of quiet)
to the encrypted draft store under ``entry_form_key``; a saved entry
discards its draft. When the dialog opens for a case that has a draft, a
bar at the top offers it back, and ``offer_saved_drafts`` offers the
drafts left by a crash when the main window starts. The draft is written
on the GUI thread on purpose: the one worker may be busy with a long
database read, and a note must be on disk before the laptop dies, not
when the queue gets to it (a sealed write of 100,000 characters takes
milliseconds).

Problems (no type, nothing written) are shown next to their fields before
anything is sent; warnings (a future date, a date before the case was
opened) are shown next to the field in amber and the first Save only
shows them: saving again saves anyway, because historic entry must stay
possible.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.drafts import MAX_NOTE
from ijmcase.domain.enums import InterventionType, Stage
from ijmcase.domain.errors import FieldProblem, IjmcaseError, StorageError, ValidationError
from ijmcase.domain.interventions import (
    MAX_DURATION_MINUTES,
    MAX_LOCATION,
    InterventionDraft,
    PersonRef,
    entry_form_key,
    from_payload,
    to_payload,
)
from ijmcase.persistence.drafts_store import DraftStore
from ijmcase.services.cases import CaseService
from ijmcase.services.context import Outcome
from ijmcase.services.followups import FollowUpService
from ijmcase.services.interventions import (
    EntryDefaults,
    InterventionService,
    InterventionView,
    Logged,
    PersonLabel,
    StaffChoice,
)
from ijmcase.ui.case_workspace import CaseWorkspace
from ijmcase.ui.forms import ERROR_STYLE, FieldForm
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = [
    "DRAFT_DELAY_MS",
    "EntryChoices",
    "InterventionDialog",
    "ask_case_and_open",
    "draft_store_of",
    "install_entry_action",
    "load_choices",
    "offer_saved_drafts",
    "open_entry_dialog",
]

# Quiet time after the last keystroke before the draft is written.
DRAFT_DELAY_MS = 500
WARNING_STYLE = "color: #8a5300;"
DRAFT_PREFIX = "intervention:"


@dataclass(frozen=True)
class EntryChoices:
    """What the dialog needs from the database, read on the worker first."""

    case_id: uuid.UUID
    case_code: str
    people: Sequence[PersonLabel]
    staff: Sequence[StaffChoice]
    defaults: EntryDefaults | None
    saved_draft: InterventionDraft | None = None  # found in the draft store
    draft_problem: str = ""  # a draft that could not be read


def draft_store_of(ctx: ViewContext) -> DraftStore | None:
    """The session's draft store, or None where drafts cannot be kept (a
    server database has no local key to seal them with)."""
    try:
        return DraftStore.for_database(ctx.services.session.db, ctx.actor.user_id)
    except StorageError:
        return None


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class InterventionDialog(QDialog):
    """Log, correct or follow up an intervention in one case.

    ``value()`` and ``set_value()`` carry an ``InterventionDraft``; ``saved``
    is emitted with each ``Logged`` (several times for a batch)."""

    saved = Signal(object)  # Logged

    def __init__(
        self,
        ctx: ViewContext,
        choices: EntryChoices,
        *,
        draft: InterventionDraft | None = None,
        revises: InterventionView | None = None,
        follow_up_id: uuid.UUID | None = None,
        store: DraftStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._choices = choices
        self.case_id = choices.case_id
        self._revises = revises
        self._follow_up_id = follow_up_id
        self._store = store
        self._confirmed: frozenset[str] = frozenset()  # warning codes the user saw
        self._saving = False
        self._filling = False
        self.last_saved: Logged | None = None
        self.draft_saved_at: datetime | None = None  # when the draft store last got it
        self.saved_count = 0
        self.setMinimumWidth(620)
        self.setAccessibleName(self.tr("Intervention entry"))
        self._set_title()

        self.restore_bar = self._build_restore_bar()
        self.form = FieldForm()
        self.type = QComboBox()
        self.type.setAccessibleName(self.tr("Type of intervention"))
        self.type.addItem(self.tr("(choose a type)"), None)
        for t in InterventionType:
            self.type.addItem(t.label, t)
        self.occurred_at = QDateTimeEdit()
        self.occurred_at.setCalendarPopup(True)
        # Year first: "03 04 2026" reads as two different days in different
        # countries, and the timeline shows dates the same way.
        self.occurred_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.occurred_at.setAccessibleName(self.tr("Date and time"))
        self.occurred_at.setDateTime(QDateTime.currentDateTime())
        self.duration = QSpinBox()
        self.duration.setAccessibleName(self.tr("Duration in minutes"))
        self.duration.setRange(0, MAX_DURATION_MINUTES)
        self.duration.setSingleStep(15)
        self.duration.setSuffix(self.tr(" min"))
        # 0 shows as "not known": most entries typed later have no exact duration.
        self.duration.setSpecialValueText(self.tr("not known"))
        self.stage = QComboBox()
        self.stage.setAccessibleName(self.tr("Stage"))
        self.stage.addItem(self.tr("(choose a stage)"), None)
        for s in Stage:
            self.stage.addItem(s.label, s)
        self.people = QListWidget()
        self.people.setAccessibleName(self.tr("People involved (space ticks one)"))
        self.people.setMaximumHeight(96)
        for person in choices.people:
            item = QListWidgetItem(f"{person.label}  ({person.kind.label.lower()})")
            item.setData(Qt.ItemDataRole.UserRole, person.ref)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.people.addItem(item)
        if self.people.count():
            self.people.setCurrentRow(0)
        self.staff = QComboBox()
        self.staff.setAccessibleName(self.tr("Staff who did the work"))
        self.staff.addItem(self.tr("Me (%s)") % ctx.actor.display_name, None)
        for choice in choices.staff:
            if choice.user_id != ctx.actor.user_id:
                self.staff.addItem(choice.display_name, choice.user_id)
        self.location = QLineEdit()
        self.location.setAccessibleName(self.tr("Location"))
        self.location.setMaxLength(MAX_LOCATION)
        self.outcome = QLineEdit()
        self.outcome.setAccessibleName(self.tr("Outcome"))
        self.outcome.setPlaceholderText(self.tr("What came of it, in a line"))
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName(self.tr("Notes"))
        # Tab moves on (a note rarely needs a tab character; the keyboard user
        # must be able to leave the field).
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(140)
        self.note_count = QLabel()
        self.note_count.setAccessibleName(self.tr("Characters in the note"))
        self.note_count.setStyleSheet("color: palette(dark);")
        self.follow_up = QCheckBox(self.tr("&Follow up on"))
        self.follow_up_on = QDateEdit()
        self.follow_up_on.setCalendarPopup(True)
        self.follow_up_on.setDisplayFormat("yyyy-MM-dd")
        self.follow_up_on.setAccessibleName(self.tr("Follow-up date"))
        self.follow_up_on.setDate(QDate.currentDate().addDays(7))
        self.follow_up_on.setEnabled(False)
        self.follow_up.toggled.connect(self.follow_up_on.setEnabled)
        follow_row = QWidget()
        follow_layout = QHBoxLayout(follow_row)
        follow_layout.setContentsMargins(0, 0, 0, 0)
        follow_layout.addWidget(self.follow_up)
        follow_layout.addWidget(self.follow_up_on)
        follow_layout.addStretch(1)
        notes_box = QWidget()
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.setSpacing(2)
        notes_layout.addWidget(self.notes)
        self.note_count.setAlignment(Qt.AlignmentFlag.AlignRight)
        notes_layout.addWidget(self.note_count)

        f = self.form
        f.add_row("type", self.tr("&Type"), self.type)
        f.add_row("occurred_at", self.tr("&Date and time"), self.occurred_at)
        f.add_row("duration_minutes", self.tr("D&uration"), self.duration)
        f.add_row("stage", self.tr("Sta&ge"), self.stage)
        f.add_row("people", self.tr("&People involved"), self.people)
        f.add_row("staff_user_id", self.tr("St&aff"), self.staff)
        f.add_row("location", self.tr("&Location"), self.location)
        f.add_row("outcome", self.tr("&Outcome"), self.outcome)
        f.add_row("notes", self.tr("&Notes"), notes_box)
        f.add_row("follow_up_on", self.tr("Follow-up"), follow_row)
        self._buddies()

        self.status = QLabel()
        self.status.setAccessibleName(self.tr("Entry status"))
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setToolTip(self.tr("Save and close (Ctrl+Enter)"))
        self.save_new_button = self.buttons.addButton(
            self.tr("Save && ne&xt"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.save_new_button.setToolTip(
            self.tr("Save and start the next entry from this one (Ctrl+Shift+Enter)")
        )
        self.save_new_button.setVisible(revises is None)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(lambda: self.submit(and_next=False))
        self.save_new_button.clicked.connect(lambda: self.submit(and_next=True))
        self.buttons.rejected.connect(self.reject)
        for keys, and_next in (
            ("Ctrl+Return", False),
            ("Ctrl+Enter", False),
            ("Ctrl+Shift+Return", True),
            ("Ctrl+Shift+Enter", True),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda n=and_next: self.submit(and_next=n))

        layout = QVBoxLayout(self)
        layout.addWidget(self.restore_bar)
        layout.addWidget(self.form, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._set_tab_order()

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(400)
        self._check_timer.timeout.connect(self._check_warnings)
        self._connect_changes()

        if draft is not None:
            self.set_value(draft)
        elif revises is None and choices.defaults is not None:
            self.apply_defaults(choices.defaults, keep_date=False)
        self._offer(choices)
        self._update_count()
        if store is None:
            self.status.setText(
                self.tr("Drafts cannot be kept for this database: save before you leave.")
            )
        self.type.setFocus()

    # -- building ---------------------------------------------------------

    def _set_title(self) -> None:
        code = self._choices.case_code
        if self._revises is not None:
            self.setWindowTitle(self.tr("Correct intervention in %s") % code)
        elif self._follow_up_id is not None:
            self.setWindowTitle(self.tr("Log follow-up in %s") % code)
        else:
            self.setWindowTitle(self.tr("Log intervention in %s") % code)

    def _build_restore_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("restoreBar")
        bar.setStyleSheet("#restoreBar { background: #fff4d6; border-radius: 4px; }")
        self.restore_label = QLabel()
        self.restore_label.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("&Restore it"))
        self.restore_button.clicked.connect(self.restore_saved_draft)
        self.discard_button = QPushButton(self.tr("Discard &it"))
        self.discard_button.clicked.connect(self._discard_saved_draft)
        row = QHBoxLayout(bar)
        row.addWidget(self.restore_label, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        bar.hide()
        return bar

    def _buddies(self) -> None:
        """Point each label's mnemonic at its field (FieldForm makes plain labels)."""
        layout = self.form._layout
        fields: dict[str, QWidget] = {
            "type": self.type,
            "occurred_at": self.occurred_at,
            "duration_minutes": self.duration,
            "stage": self.stage,
            "people": self.people,
            "staff_user_id": self.staff,
            "location": self.location,
            "outcome": self.outcome,
            "notes": self.notes,
        }
        for row, widget in enumerate(fields.values()):
            label = layout.itemAt(row, layout.ItemRole.LabelRole)
            if label is not None and isinstance(label.widget(), QLabel):
                label.widget().setBuddy(widget)  # type: ignore[union-attr]

    def _set_tab_order(self) -> None:
        order: list[QWidget] = [
            self.type,
            self.occurred_at,
            self.duration,
            self.stage,
            self.people,
            self.staff,
            self.location,
            self.outcome,
            self.notes,
            self.follow_up,
            self.follow_up_on,
            self.save_button,
            self.save_new_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect_changes(self) -> None:
        for combo in (self.type, self.stage, self.staff):
            combo.currentIndexChanged.connect(self._changed)
        self.occurred_at.dateTimeChanged.connect(self._date_changed)
        self.duration.valueChanged.connect(self._changed)
        self.people.itemChanged.connect(self._changed)
        self.location.textChanged.connect(self._changed)
        self.outcome.textChanged.connect(self._changed)
        self.notes.textChanged.connect(self._changed)
        self.notes.textChanged.connect(self._update_count)
        self.follow_up.toggled.connect(self._changed)
        self.follow_up_on.dateChanged.connect(self._changed)

    # -- value ------------------------------------------------------------

    def value(self) -> InterventionDraft:
        qdt = self.occurred_at.dateTime()
        local = datetime(
            qdt.date().year(),
            qdt.date().month(),
            qdt.date().day(),
            qdt.time().hour(),
            qdt.time().minute(),
        ).astimezone()  # the laptop's zone: what the person means by "10:30"
        people = tuple(
            ref
            for i in range(self.people.count())
            if (item := self.people.item(i)).checkState() == Qt.CheckState.Checked
            and isinstance(ref := item.data(Qt.ItemDataRole.UserRole), PersonRef)
        )
        staff = self.staff.currentData()
        return InterventionDraft(
            type=_type_of(self.type.currentData()),
            stage=_stage_of(self.stage.currentData()),
            occurred_at=local,
            duration_minutes=self.duration.value() or None,
            people=people,
            staff_user_id=staff if isinstance(staff, uuid.UUID) else None,
            location=self.location.text(),
            outcome=self.outcome.text(),
            notes=self.notes.toPlainText(),
            follow_up_on=_pydate(self.follow_up_on.date()) if self.follow_up.isChecked() else None,
        )

    def set_value(self, draft: InterventionDraft) -> None:
        self._filling = True
        try:
            self._select(self.type, draft.type)
            self._select(self.stage, draft.stage)
            if draft.occurred_at is not None:
                local = draft.occurred_at.astimezone()
                self.occurred_at.setDateTime(
                    QDateTime(
                        _qdate(local.date()),
                        QTime(local.hour, local.minute),
                    )
                )
            self.duration.setValue(draft.duration_minutes or 0)
            self._check_people(draft.people)
            index = self.staff.findData(draft.staff_user_id) if draft.staff_user_id else 0
            self.staff.setCurrentIndex(max(index, 0))
            self.location.setText(draft.location)
            self.outcome.setText(draft.outcome)
            self.notes.setPlainText(draft.notes)
            self.follow_up.setChecked(draft.follow_up_on is not None)
            if draft.follow_up_on is not None:
                self.follow_up_on.setDate(_qdate(draft.follow_up_on))
        finally:
            self._filling = False

    def apply_defaults(self, defaults: EntryDefaults, *, keep_date: bool) -> None:
        """Start a new entry from the last one: same kind of work, same people."""
        self._filling = True
        try:
            self._select(self.type, defaults.type)
            self._select(self.stage, defaults.stage)
            self.duration.setValue(defaults.duration_minutes or 0)
            if defaults.case_id == self.case_id:
                self._check_people(tuple(p.ref for p in defaults.people))
            index = self.staff.findData(defaults.staff_user_id) if defaults.staff_user_id else 0
            self.staff.setCurrentIndex(max(index, 0))
            self.location.setText(defaults.location)
            if not keep_date:
                self.occurred_at.setDateTime(QDateTime.currentDateTime())
        finally:
            self._filling = False

    def _select(self, combo: QComboBox, value: object) -> None:
        index = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def _check_people(self, refs: Sequence[PersonRef]) -> None:
        wanted = {(r.kind, r.id) for r in refs}
        for i in range(self.people.count()):
            item = self.people.item(i)
            ref = item.data(Qt.ItemDataRole.UserRole)
            on = isinstance(ref, PersonRef) and (ref.kind, ref.id) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    # -- drafts -----------------------------------------------------------

    @property
    def form_key(self) -> str:
        revises = self._revises.id if self._revises is not None else None
        return entry_form_key(self.case_id, revises=revises)

    def _changed(self, *_args: object) -> None:
        if self._filling:
            return
        self._confirmed = frozenset()
        if self._store is not None:
            self._draft_timer.start()

    def _date_changed(self, *_args: object) -> None:
        self._changed()
        if not self._filling:
            self._check_timer.start()

    def save_draft(self) -> bool:
        """Write what is on screen to the draft store now; False if it could not."""
        self._draft_timer.stop()
        if self._store is None:
            return False
        try:
            self._store.save(self.form_key, to_payload(self.value(), case_id=self.case_id))
        except IjmcaseError as exc:
            # A full disk must not take the typed text with it: say so and keep it on screen.
            self.status.setText(self.tr("The draft could not be kept: %s") % error_text(exc))
            return False
        self.draft_saved_at = datetime.now()
        return True

    def _discard_draft(self) -> None:
        self._draft_timer.stop()
        if self._store is not None:
            try:
                self._store.discard(self.form_key)
            except IjmcaseError as exc:
                self.status.setText(error_text(exc))

    def _offer(self, choices: EntryChoices) -> None:
        if choices.draft_problem:
            self.restore_label.setText(choices.draft_problem)
            self.restore_button.hide()
            self.discard_button.hide()
            self.restore_bar.show()
        elif choices.saved_draft is not None:
            note = choices.saved_draft.notes.strip().splitlines()
            first = note[0][:80] if note else choices.saved_draft.outcome[:80]
            self.restore_label.setText(
                self.tr("An entry you were typing was not saved: “%s”. Restore it?") % first
            )
            self.restore_bar.show()

    def restore_saved_draft(self) -> None:
        if self._choices.saved_draft is not None:
            self.set_value(self._choices.saved_draft)
        self.restore_bar.hide()
        self.notes.setFocus()
        self.notes.moveCursor(self.notes.textCursor().MoveOperation.End)

    def _discard_saved_draft(self) -> None:
        self._discard_draft()
        self.restore_bar.hide()
        self.type.setFocus()

    # -- warnings ---------------------------------------------------------

    def _check_warnings(self) -> None:
        service = self._ctx.services.get(InterventionService)
        case_id, draft = self.case_id, self.value()
        self._ctx.ops.read(
            lambda: service.check(case_id, draft),
            lambda check: self.show_warnings(check.warnings),
            on_error=lambda _exc: None,  # a failed preview is not worth a message
        )

    def show_warnings(self, warnings: Sequence[FieldProblem]) -> None:
        """Amber notes under their fields (problems, in red, replace them)."""
        by_field: dict[str, list[str]] = {}
        for w in warnings:
            by_field.setdefault(w.field, []).append(w.message)
        for field in ("occurred_at", "follow_up_on"):
            label = self.form.findChild(QLabel, f"error_{field}")
            if label is None or (self.form.error_for(field) and label.property("kind") != "warn"):
                continue
            messages = by_field.get(field)
            label.setProperty("kind", "warn" if messages else "")
            # Back to red when cleared: the same label shows problems too.
            label.setStyleSheet(WARNING_STYLE if messages else ERROR_STYLE)
            label.setText("\n".join(messages or []))
            label.setVisible(bool(messages))

    def _show_problems(self, problems: Sequence[FieldProblem]) -> None:
        self.show_warnings(())
        self.form.show_problems(problems)

    def warning_for(self, field: str) -> str:
        label = self.form.findChild(QLabel, f"error_{field}")
        if label is None or label.isHidden() or label.property("kind") != "warn":
            return ""
        return label.text()

    # -- saving -----------------------------------------------------------

    def submit(self, *, and_next: bool = False) -> None:
        """Check, then save; a first save with warnings only shows them."""
        if self._saving:
            return
        draft = self.value().normalized()
        problems = draft.problems()
        if problems:
            self._show_problems(problems)
            self.status.setText(self.tr("Correct the fields marked in red."))
            return
        self._saving = True
        self._set_busy(True)
        service = self._ctx.services.get(InterventionService)
        case_id = self.case_id
        self._ctx.ops.read(
            lambda: service.check(case_id, draft),
            lambda check: self._on_checked(draft, check.problems, check.warnings, and_next),
            on_error=self._on_failed,
        )

    def _on_checked(
        self,
        draft: InterventionDraft,
        problems: Sequence[FieldProblem],
        warnings: Sequence[FieldProblem],
        and_next: bool,
    ) -> None:
        if problems:
            self._saving = False
            self._set_busy(False)
            self._show_problems(problems)
            self.status.setText(self.tr("Correct the fields marked in red."))
            return
        codes = frozenset(w.code for w in warnings)
        if codes and not codes <= self._confirmed:
            # Shown once; the same warnings on the next Save mean "yes, I checked".
            self._saving = False
            self._set_busy(False)
            self.form.clear_problems()
            self.show_warnings(warnings)
            self._confirmed = codes
            self.status.setText(
                self.tr("Check the warnings above; save again to save it as it is.")
            )
            first = warnings[0].field
            (self.occurred_at if first == "occurred_at" else self.follow_up_on).setFocus()
            return
        save = self._save_function(draft)
        self._ctx.ops.write(
            save,
            lambda logged: self._on_saved(logged, and_next),
            parent=self,
            on_error=self._on_failed,
        )

    def _save_function(self, draft: InterventionDraft) -> Callable[[], Outcome[Logged]]:
        services = self._ctx.services
        case_id = self.case_id
        if self._revises is not None:
            revises = self._revises.id
            return lambda: services.get(InterventionService).revise(revises, draft)
        if self._follow_up_id is not None:
            follow_up = self._follow_up_id
            return lambda: services.get(FollowUpService).log_follow_up(follow_up, draft)
        return lambda: services.get(InterventionService).log(case_id, draft)

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def _on_failed(self, exc: BaseException) -> None:
        self._saving = False
        self._set_busy(False)
        if isinstance(exc, ValidationError):
            self._show_problems(exc.problems)
        else:
            self.form.show_message(error_text(exc))
        self.status.setText(self.tr("Not saved; what you typed is still here and in the draft."))

    def _on_saved(self, logged: Logged, and_next: bool) -> None:
        self._saving = False
        self._set_busy(False)
        self._discard_draft()
        self.last_saved = logged
        self.saved_count += 1
        self.saved.emit(logged)
        if not and_next:
            self.accept()
            return
        # The next entry: a new one in the same case, from the one just saved.
        was = logged.intervention
        self._revises = None
        self._follow_up_id = None
        self._set_title()
        self.form.clear_problems()
        self.show_warnings(())
        self._confirmed = frozenset()
        self._filling = True
        try:
            self.outcome.clear()
            self.notes.clear()
            self.follow_up.setChecked(False)
            self.follow_up_on.setDate(QDate.currentDate().addDays(7))
        finally:
            self._filling = False
        self.apply_defaults(
            EntryDefaults(
                case_id=was.case_id,
                case_code=was.case_code,
                type=was.type,
                stage=was.stage,
                location=was.location,
                duration_minutes=was.duration_minutes,
                staff_user_id=was.staff_user_id
                if was.staff_user_id != self._ctx.actor.user_id
                else None,
                people=was.people,
            ),
            keep_date=True,
        )
        self.status.setText(
            self.tr("Saved %n entry(ies) in this batch. Next one:", "", self.saved_count)
        )
        # Most entries of a batch differ in what happened, not in who or where.
        self.outcome.setFocus()

    def _update_count(self) -> None:
        n = len(self.notes.toPlainText())
        self.note_count.setText(
            self.tr("%1 of %2 characters").replace("%1", f"{n:,}").replace("%2", f"{MAX_NOTE:,}")
        )
        self.note_count.setStyleSheet("color: #b00020;" if n > MAX_NOTE else "color: gray;")

    def reject(self) -> None:
        """Cancel keeps nothing only when asked: typed text goes to the draft."""
        draft = self.value()
        typed = bool(draft.notes.strip() or draft.outcome.strip())
        if typed and self._store is not None:
            answer = self.ask_discard()
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Discard:
                self._discard_draft()
            else:
                self.save_draft()
        else:
            self._discard_draft()
        self._draft_timer.stop()
        super().reject()

    def ask_discard(self) -> QMessageBox.StandardButton:
        """Keep (as a draft offered back later), discard, or stay."""
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Close without saving"))
        box.setText(self.tr("This entry is not saved. Keep it as a draft to finish later?"))
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.button(QMessageBox.StandardButton.Save).setText(self.tr("&Keep draft"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())


# Qt hands a StrEnum stored as item data back as a plain str.
def _type_of(value: object) -> InterventionType | None:
    return InterventionType(str(value)) if value else None


def _stage_of(value: object) -> Stage | None:
    return Stage(str(value)) if value else None


# -- opening ---------------------------------------------------------------


def load_choices(
    ctx: ViewContext, case_id: uuid.UUID, store: DraftStore | None, form_key: str
) -> EntryChoices:
    """On the worker: the case's people and staff, the last entry, and a draft."""
    service = ctx.services.get(InterventionService)
    detail = ctx.services.get(CaseService).get(case_id)
    saved: InterventionDraft | None = None
    problem = ""
    if store is not None:
        try:
            payload = store.load(form_key)
        except IjmcaseError as exc:
            problem = exc.message
        else:
            if payload is not None:
                saved, _case = from_payload(payload)
    return EntryChoices(
        case_id=case_id,
        case_code=detail.code,
        people=service.people_choices(case_id),
        staff=service.staff_choices(case_id),
        defaults=service.last_entry_defaults(),
        saved_draft=saved,
        draft_problem=problem,
    )


def open_entry_dialog(
    ctx: ViewContext,
    case_id: uuid.UUID,
    parent: QWidget | None,
    *,
    revises: InterventionView | None = None,
    follow_up_id: uuid.UUID | None = None,
    on_open: Callable[[InterventionDialog], None] | None = None,
    restore: bool = False,
) -> None:
    """Read what the dialog needs on the worker, then show it (non-modal to
    the rest of the app's event loop, modal to its window)."""
    store = draft_store_of(ctx)
    key = entry_form_key(case_id, revises=revises.id if revises is not None else None)

    def fetch() -> tuple[EntryChoices, InterventionDraft | None]:
        draft: InterventionDraft | None = None
        if revises is not None:
            draft = revises.draft()
        elif follow_up_id is not None:
            draft = ctx.services.get(FollowUpService).follow_up_draft(follow_up_id)
        return load_choices(ctx, case_id, store, key), draft

    def show(loaded: tuple[EntryChoices, InterventionDraft | None]) -> None:
        choices, draft = loaded
        dialog = InterventionDialog(
            ctx,
            choices,
            draft=draft,
            revises=revises,
            follow_up_id=follow_up_id,
            store=store,
            parent=parent,
        )
        if restore:
            dialog.restore_saved_draft()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        if on_open is not None:
            on_open(dialog)

    ctx.ops.read(
        fetch,
        show,
        on_error=lambda exc: ctx.ops.show_error(parent, exc),
    )


def ask_case_and_open(ctx: ViewContext, parent: QWidget, current: uuid.UUID | None) -> None:
    """The global shortcut: the open case, or ask for a case code first."""
    if current is not None:
        open_entry_dialog(ctx, current, parent)
        return
    code, ok = QInputDialog.getText(
        parent,
        parent.tr("Log intervention"),
        parent.tr("Case code (for example IN-2026-0042):"),
    )
    if not ok or not code.strip():
        return
    cases = ctx.services.get(CaseService)
    ctx.ops.read(
        lambda: cases.find_by_code(code.strip()),
        lambda detail: open_entry_dialog(ctx, detail.id, parent),
        on_error=lambda exc: ctx.ops.show_error(parent, exc),
    )


def offer_saved_drafts(ctx: ViewContext, parent: QWidget) -> None:
    """At start-up: open the entry dialog for each unsaved intervention draft
    left behind (by a crash, a power cut or a lock), restored, for the
    person to finish or discard."""
    store = draft_store_of(ctx)
    if store is None:
        return

    def found() -> list[tuple[uuid.UUID, InterventionView | None]]:
        wanted: list[tuple[uuid.UUID, InterventionView | None]] = []
        for info in store.scan().drafts:
            if not info.form_key.startswith(DRAFT_PREFIX):
                continue
            try:
                payload = store.load(info.form_key)
            except IjmcaseError:
                continue
            if payload is None:
                continue
            _draft, case_id = from_payload(payload)
            if case_id is None:
                continue
            revises = None
            if info.form_key.startswith(DRAFT_PREFIX + "revise:"):
                try:
                    revises = ctx.services.get(InterventionService).get(
                        uuid.UUID(info.form_key.rsplit(":", 1)[1])
                    )
                except (ValueError, IjmcaseError):
                    continue
            wanted.append((case_id, revises))
        return wanted

    def offer(drafts: list[tuple[uuid.UUID, InterventionView | None]]) -> None:
        for case_id, revises in drafts[:3]:  # more would bury the window
            open_entry_dialog(ctx, case_id, parent, revises=revises, restore=True)

    ctx.ops.read(found, offer, on_error=lambda _exc: None)


def install_entry_action(window: MainWindow) -> QAction:
    """Ctrl+Shift+I anywhere in the window: log an intervention in the case
    on screen, or in a case asked for by code; and, once the window is up,
    offer back the entries a crash left unsaved."""

    def current_case() -> uuid.UUID | None:
        page = window.pages.currentWidget()
        return page.case_id if isinstance(page, CaseWorkspace) else None

    action = QAction(window.tr("Log &intervention…"), window)
    action.setShortcut(QKeySequence(window.tr("Ctrl+Shift+I")))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: ask_case_and_open(window.context, window, current_case()))
    window.addAction(action)
    QTimer.singleShot(0, lambda: offer_saved_drafts(window.context, window))
    return action
