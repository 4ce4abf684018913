"""First start: create the organization's encrypted database, or a demo.

When there is no database yet, this dialog makes one and logs its maker
in. A real database gets its first admin and a recovery key, which is
shown exactly once, with the instruction to keep it apart from the
computer; the dialog does not go on until the person says they have it.
A demo database is filled with synthetic cases on the worker, with a
progress bar and a Cancel that leaves nothing half-made behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.drafts import UserDraft
from ijmcase.domain.enums import Role
from ijmcase.domain.errors import FieldProblem, ValidationError
from ijmcase.persistence.engine import DatabaseLocation
from ijmcase.services.auth import InitResult, LoginResult, initialize
from ijmcase.ui.forms import FieldForm
from ijmcase.ui.operations import Cancelled, Progress, error_text
from ijmcase.ui.worker import Worker

if TYPE_CHECKING:
    from ijmcase.services.demo import DemoBuild

__all__ = ["DEMO_PASSWORD", "SetupDialog"]

DEMO_PASSWORD = "demo"

InitFn = Callable[..., InitResult]
DemoFn = Callable[..., "DemoBuild"]


def _create_demo(location: DatabaseLocation, **kw: Any) -> DemoBuild:
    # The demo generator carries large tables of names and places: load it only
    # when someone asks for a demo, not on every start of the app.
    from ijmcase.services.demo import create_demo_database

    return create_demo_database(location, **kw)


class SetupDialog(QDialog):
    created = Signal(object)  # LoginResult

    def __init__(
        self,
        location: DatabaseLocation,
        worker: Worker,
        *,
        init: InitFn = initialize,
        make_demo: DemoFn = _create_demo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._location = location
        self._worker = worker
        self._init = init
        self._make_demo = make_demo
        self._progress: Progress | None = None
        self.result_value: LoginResult | None = None
        self.setWindowTitle(self.tr("Welcome to ijmcase"))
        self.setMinimumWidth(560)

        self.stack = QStackedWidget()
        self.stack.addWidget(self._choice_page())
        self.stack.addWidget(self._create_page())
        self.stack.addWidget(self._recovery_page())
        self.stack.addWidget(self._demo_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)

        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._show_progress)

    # -- pages ------------------------------------------------------------

    def _choice_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel(self.tr("<h2>Welcome to ijmcase</h2>"))
        where = QLabel(
            self.tr("There is no database at <b>%s</b> yet. What would you like to do?")
            % self._location.display
        )
        where.setWordWrap(True)
        self.choose_real = QRadioButton(
            self.tr("&Create the database for my organization (encrypted, with a first admin)")
        )
        self.choose_real.setChecked(True)
        self.choose_demo = QRadioButton(
            self.tr("Create a &demo database with synthetic cases, to learn and try things out")
        )
        note = QLabel(
            self.tr(
                "A demo database holds invented people only and is marked DEMO everywhere. "
                "Never record real cases in it."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(dark);")
        self.next_button = QPushButton(self.tr("&Next"))
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self._on_choice)
        quit_button = QPushButton(self.tr("&Quit"))
        quit_button.clicked.connect(self.reject)
        layout = QVBoxLayout(page)
        for w in (heading, where, self.choose_real, self.choose_demo, note):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addLayout(_buttons(quit_button, self.next_button))
        return page

    def _create_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel(self.tr("<h3>Your organization and its first admin</h3>"))
        self.form = FieldForm()
        self.organization = QLineEdit()
        self.organization.setAccessibleName(self.tr("Organization name"))
        self.admin_username = QLineEdit("admin")
        self.admin_username.setAccessibleName(self.tr("Admin username"))
        self.admin_name = QLineEdit()
        self.admin_name.setAccessibleName(self.tr("Admin full name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName(self.tr("Password again"))
        f = self.form
        f.add_row("organization", self.tr("&Organization"), self.organization)
        f.add_row("username", self.tr("Admin &username"), self.admin_username)
        f.add_row("display_name", self.tr("Admin &full name"), self.admin_name)
        f.add_row("password", self.tr("&Password"), self.password)
        f.add_row("confirm", self.tr("Password &again"), self.confirm)
        hint = QLabel(
            self.tr(
                "The password protects the encryption key of every case: at least 10 "
                "characters; a short sentence is easier to remember than a code."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: palette(dark);")
        self.create_button = QPushButton(self.tr("C&reate database"))
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self._on_create)
        back = QPushButton(self.tr("&Back"))
        back.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(self.form)
        layout.addWidget(hint)
        layout.addStretch(1)
        layout.addLayout(_buttons(back, self.create_button))
        return page

    def _recovery_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel(self.tr("<h3>Your recovery key — shown only this once</h3>"))
        explain = QLabel(
            self.tr(
                "If every admin password is lost, this key is the only way to open the "
                "database. Write it on paper now and keep it apart from this computer, "
                "somewhere locked. Anyone with the key and a copy of the database can read "
                "every case, so do not photograph it, e-mail it or save it in a file here."
            )
        )
        explain.setWordWrap(True)
        self.recovery_key = QLabel()
        self.recovery_key.setObjectName("recoveryKey")
        self.recovery_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSize(15)
        mono.setWeight(QFont.Weight.DemiBold)
        self.recovery_key.setFont(mono)
        self.recovery_key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.recovery_key.setWordWrap(True)
        self.recovery_key.setStyleSheet(
            "border: 2px solid #b06000; border-radius: 6px; padding: 14px; background: #fff8e1;"
        )
        self.recovery_key.setAccessibleName(self.tr("Recovery key"))
        self.written_down = QCheckBox(
            self.tr(
                "I have &written the recovery key down and will keep it apart from this computer"
            )
        )
        self.continue_button = QPushButton(self.tr("&Start using ijmcase"))
        self.continue_button.setEnabled(False)
        self.written_down.toggled.connect(self.continue_button.setEnabled)
        self.continue_button.clicked.connect(self._finish)
        layout = QVBoxLayout(page)
        for w in (heading, explain, self.recovery_key, self.written_down):
            layout.addWidget(w)
        layout.addStretch(1)
        layout.addLayout(_buttons(None, self.continue_button))
        return page

    def _demo_page(self) -> QWidget:
        page = QWidget()
        heading = QLabel(self.tr("<h3>Demo database</h3>"))
        explain = QLabel(
            self.tr(
                "ijmcase will invent an organization with offices in several countries, "
                "staff, cases, survivors (by code), accused, officials, interventions and "
                "hearings. Every account's password is <b>%s</b>; log in as admin, director, "
                "lawyer, caseworker or auditor to see what each role sees."
            )
            % DEMO_PASSWORD
        )
        explain.setWordWrap(True)
        self.demo_cases = QSpinBox()
        self.demo_cases.setRange(50, 200_000)
        self.demo_cases.setSingleStep(500)
        self.demo_cases.setValue(2000)
        self.demo_cases.setAccessibleName(self.tr("Number of cases"))
        cases_row = QHBoxLayout()
        cases_row.addWidget(QLabel(self.tr("Number of &cases:")))
        cases_row.addWidget(self.demo_cases)
        cases_row.addStretch(1)
        self.demo_bar = QProgressBar()
        self.demo_bar.setAccessibleName(self.tr("Progress"))
        self.demo_bar.hide()
        self.demo_message = QLabel()
        self.demo_message.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("C&reate demo"))
        self.demo_button.setDefault(True)
        self.demo_button.clicked.connect(self._on_demo)
        self.demo_back = QPushButton(self.tr("&Back"))
        self.demo_back.clicked.connect(self._on_demo_back)
        layout = QVBoxLayout(page)
        for w in (heading, explain):
            layout.addWidget(w)
        layout.addLayout(cases_row)
        layout.addWidget(self.demo_bar)
        layout.addWidget(self.demo_message)
        layout.addStretch(1)
        layout.addLayout(_buttons(self.demo_back, self.demo_button))
        return page

    # -- behaviour --------------------------------------------------------

    def _on_choice(self) -> None:
        if self.choose_demo.isChecked():
            self.stack.setCurrentIndex(3)
            self.demo_button.setFocus()
        else:
            self.stack.setCurrentIndex(1)
            self.organization.setFocus()

    def draft(self) -> UserDraft:
        return UserDraft(
            self.admin_username.text().strip().lower(),
            self.admin_name.text().strip() or self.admin_username.text().strip(),
            Role.ADMIN,
            self.password.text(),
        )

    def _on_create(self) -> None:
        draft = self.draft()
        problems = list(draft.problems())
        organization = self.organization.text().strip()
        if not organization:
            problems.append(
                FieldProblem("organization", "required", self.tr("Enter your organization's name."))
            )
        if self.password.text() != self.confirm.text():
            problems.append(
                FieldProblem("confirm", "mismatch", self.tr("The two passwords are not the same."))
            )
        if self.form.show_problems(problems):
            return
        self.create_button.setEnabled(False)
        self.form.show_message(self.tr("Creating the encrypted database…"))
        location = self._location
        self._worker.submit(
            lambda: self._init(location, draft, organization=organization),
            self._on_created,
            self._on_create_failed,
        )

    def _on_created(self, result: InitResult) -> None:
        self.create_button.setEnabled(True)
        self.result_value = LoginResult(result.db, result.actor, 0)
        if result.recovery_key is None:
            self._finish()
            return
        self.recovery_key.setText(str(result.recovery_key))
        self.stack.setCurrentIndex(2)
        self.written_down.setFocus()

    def _on_create_failed(self, exc: BaseException) -> None:
        self.create_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.form.show_problems(exc.problems)
        else:
            self.form.clear_problems()
            self.form.show_message(error_text(exc))

    def _on_demo(self) -> None:
        cases = self.demo_cases.value()
        progress = Progress()
        self._progress = progress
        self.demo_button.setEnabled(False)
        self.demo_cases.setEnabled(False)
        self.demo_back.setText(self.tr("&Cancel"))
        self.demo_bar.setRange(0, 0)
        self.demo_bar.show()
        self.demo_message.setText(self.tr("Building the demo organization…"))
        self._poll.start()
        location = self._location
        self._worker.submit(
            lambda: self._make_demo(
                location, cases=cases, password=DEMO_PASSWORD, progress=progress.update
            ),
            self._on_demo_done,
            self._on_demo_failed,
        )

    def _show_progress(self) -> None:
        if self._progress is None:
            return
        done, total = self._progress.snapshot()
        if total:
            self.demo_bar.setRange(0, total)
            self.demo_bar.setValue(done)
            self.demo_message.setText(
                self.tr("Building cases: %1 of %2")
                .replace("%1", f"{done:,}")
                .replace("%2", f"{total:,}")
            )

    def _on_demo_back(self) -> None:
        if self._progress is not None:
            self._progress.cancel()
            self.demo_message.setText(self.tr("Cancelling and removing the partial database…"))
            return
        self.stack.setCurrentIndex(0)

    def _demo_idle(self) -> None:
        self._poll.stop()
        self._progress = None
        self.demo_button.setEnabled(True)
        self.demo_cases.setEnabled(True)
        self.demo_back.setText(self.tr("&Back"))
        self.demo_bar.hide()

    def _on_demo_done(self, build: DemoBuild) -> None:
        self._demo_idle()
        self.result_value = LoginResult(build.init.db, build.init.actor, 0)
        self._finish()

    def _on_demo_failed(self, exc: BaseException) -> None:
        self._demo_idle()
        if isinstance(exc, Cancelled):
            self.demo_message.setText(self.tr("Cancelled. Nothing was left behind."))
        else:
            self.demo_message.setText(error_text(exc))

    def _finish(self) -> None:
        if self.result_value is not None:
            self.created.emit(self.result_value)
            self.accept()

    def reject(self) -> None:
        if self._progress is not None:
            self._on_demo_back()
            return
        if self.result_value is not None and self.stack.currentIndex() == 2:
            # The database exists and the key is on screen: leaving now would lose
            # the only sight of it. Ask for the tick instead.
            self.written_down.setFocus()
            return
        super().reject()


def _buttons(left: QPushButton | None, right: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    if left is not None:
        row.addWidget(left)
    row.addStretch(1)
    row.addWidget(right)
    return row
