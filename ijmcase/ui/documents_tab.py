"""The Documents section of a case: its attachments.

Lists the case's attachments (name, type, size, who added it and when, the
start of its SHA-256). *Attach…* picks a file; the service seals it (the
bytes are encrypted into a blob file, never stored as a plain file).
*Open* asks the service for a decrypted temporary copy and hands it to the
system's viewer. The copy lives as long as the service's ``open_temporary``
context: this tab keeps each context open while the viewer may still read
the file, and closes them (removing the copies) on *Close opened copies*,
when the tab goes away, or when the application quits — a crash leaves
them to the store's start-up sweep. *Remove* retires an attachment after
confirmation (the record is marked, the sealed file kept, both audited).

A PostgreSQL office database keeps no attachment files yet: there the tab
shows the service's message instead of the buttons. The list reloads only
when a write touched attachments of this case.
"""

from __future__ import annotations

import contextlib
import uuid
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.enums import AttachmentOwner
from ijmcase.domain.errors import StorageError
from ijmcase.services.attachments import AttachmentService, AttachmentView, Owner
from ijmcase.services.context import Changes, Outcome
from ijmcase.ui.operations import error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["DocumentsTab"]

ATTACHMENT_ROLE = Qt.ItemDataRole.UserRole
WATCHED = {"attachments"}
HASH_PREFIX = 12


def _size(n: int) -> str:
    return QLocale().formattedDataSize(n)


class DocumentsTab(QWidget):
    """Case section "Documents"; a ``CaseTabFactory``."""

    def __init__(
        self,
        ctx: ViewContext,
        case_id: uuid.UUID | None,
        parent: QWidget | None = None,
        *,
        owner: Owner | None = None,
    ) -> None:
        """A case's documents; or, with ``owner``, a person's (``case_id`` None)."""
        super().__init__(parent)
        self._ctx = ctx
        self.case_id = case_id
        if owner is None:
            assert case_id is not None
            owner = Owner(AttachmentOwner.CASE, case_id)
        self.owner = owner
        where = (
            self.tr("this case") if owner.kind is AttachmentOwner.CASE else self.tr("this person")
        )
        self._loading = False
        self._again = False
        self.available: bool | None = None  # None until the first read
        self.attachments: list[AttachmentView] = []
        self.opened: list[Path] = []  # temporary copies handed to a viewer
        # The open_temporary contexts of those copies; closing removes them.
        self._copies = contextlib.ExitStack()
        self.setAccessibleName(self.tr("Documents of %s") % where)

        self.attach_button = QPushButton(self.tr("&Attach…"))
        self.attach_button.setToolTip(self.tr("Attach a document or photo (stored encrypted)"))
        self.attach_button.clicked.connect(self.choose_file)
        self.open_button = QPushButton(self.tr("&Open"))
        self.open_button.setToolTip(
            self.tr("Open a decrypted temporary copy; it is removed when you close the copies")
        )
        self.open_button.clicked.connect(self.open_current)
        self.remove_button = QPushButton(self.tr("&Remove…"))
        self.remove_button.clicked.connect(self.remove_current)
        self.close_copies_button = QPushButton(self.tr("C&lose opened copies"))
        self.close_copies_button.setToolTip(
            self.tr("Remove the decrypted temporary copies opened from here")
        )
        self.close_copies_button.clicked.connect(self.close_copies)
        self.buttons = QWidget()
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_copies_button)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Attachments of %s") % where)
        self._where = where
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Type"),
                self.tr("Size"),
                self.tr("Added by"),
                self.tr("Added"),
                self.tr("SHA-256"),
            ]
        )
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 6):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.tree.itemActivated.connect(lambda *_: self.open_current())
        self.count = QLabel()
        self.count.setStyleSheet("color: palette(dark);")

        layout = QVBoxLayout(self)
        layout.addWidget(self.buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.count)

        # The copies go when the application quits or this tab is deleted;
        # neither slot holds the tab, only the stack of contexts.
        copies = self._copies
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(copies.close)
        self.destroyed.connect(lambda *_: copies.close())
        ctx.ops.bus.changes_applied.connect(self._on_changes_applied)
        self._update_buttons()
        self.reload()

    # -- loading ----------------------------------------------------------

    def reload(self) -> None:
        if self._loading:
            self._again = True
            return
        self._loading = True
        service = self._ctx.services.get(AttachmentService)
        owner = self.owner

        def fetch() -> tuple[str, list[AttachmentView]]:
            try:
                service.blobs  # noqa: B018 - raises where attachments are not kept
            except StorageError as exc:
                return str(exc), service.attachments_of(owner)
            return "", service.attachments_of(owner)

        self._ctx.ops.read(fetch, self._on_loaded, on_error=self._on_failed)

    def _finish_loading(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()

    def _on_failed(self, exc: BaseException) -> None:
        self.count.setText(error_text(exc))
        self._finish_loading()

    def _on_loaded(self, loaded: tuple[str, list[AttachmentView]]) -> None:
        refusal, rows = loaded
        self.available = not refusal
        self.buttons.setVisible(self.available)
        self.message.setText(refusal)
        self.message.setVisible(bool(refusal))
        current = self._current()
        keep = current.id if current is not None else None
        self.attachments = rows
        self.tree.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [
                    row.file_name,
                    row.media_type,
                    _size(row.size),
                    row.added_by,
                    row.added_at.strftime("%Y-%m-%d %H:%M"),
                    row.sha256[:HASH_PREFIX],
                ]
            )
            item.setData(0, ATTACHMENT_ROLE, row)
            item.setToolTip(0, row.description or row.file_name)
            item.setToolTip(5, row.sha256)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
            if row.id == keep:
                self.tree.setCurrentItem(item)
        self.count.setText(
            self.tr("%n document(s)", "", len(rows)) if rows else self.tr("No documents yet.")
        )
        self._update_buttons()
        self._finish_loading()

    # -- actions ----------------------------------------------------------

    def _current(self) -> AttachmentView | None:
        item = self.tree.currentItem()
        value = item.data(0, ATTACHMENT_ROLE) if item is not None else None
        return value if isinstance(value, AttachmentView) else None

    def _update_buttons(self) -> None:
        chosen = self._current() is not None
        self.open_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)
        self.close_copies_button.setEnabled(bool(self.opened))

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Attach a file to %s") % self._where
        )
        if path:
            self.attach_path(Path(path))

    def attach_path(self, path: Path, description: str = "") -> None:
        """Seal ``path`` into an attachment of this case (the file is read on
        the worker, in segments)."""
        service = self._ctx.services.get(AttachmentService)
        owner = self.owner

        def add() -> Outcome[AttachmentView]:
            with path.open("rb") as data:
                return service.add(owner, path.name, data, description=description)

        self._ctx.ops.write(
            add,
            None,
            parent=self,
            label=self.tr("Encrypting %s…") % path.name,
        )

    def open_current(self) -> None:
        row = self._current()
        if row is not None:
            self.open_attachment(row.id)

    def open_attachment(self, attachment_id: uuid.UUID) -> None:
        """Decrypt a temporary copy on the worker and show it in the system viewer."""
        service = self._ctx.services.get(AttachmentService)

        def decrypt() -> tuple[contextlib.ExitStack, Path]:
            stack = contextlib.ExitStack()
            path = stack.enter_context(service.open_temporary(attachment_id))
            return stack, path

        def opened(result: tuple[contextlib.ExitStack, Path]) -> None:
            stack, path = result
            self._copies.push(stack)
            self.opened.append(path)
            self._update_buttons()
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

        self._ctx.ops.read(
            decrypt, opened, on_error=lambda exc: self._ctx.ops.show_error(self, exc)
        )

    def close_copies(self) -> None:
        """Remove every temporary copy opened from this tab."""
        self._copies.close()  # an ExitStack is empty and reusable after close
        self.opened = []
        self._update_buttons()

    def remove_current(self) -> None:
        row = self._current()
        if row is None:
            return
        reason, ok = QInputDialog.getText(
            self,
            self.tr("Remove document"),
            self.tr("Remove “%s” from %s? Say why (kept in the audit trail):")
            % (row.file_name, self._where),
            QLineEdit.EchoMode.Normal,
        )
        if ok and reason.strip():
            self.remove(row.id, reason.strip())

    def remove(self, attachment_id: uuid.UUID, reason: str) -> None:
        service = self._ctx.services.get(AttachmentService)
        self._ctx.ops.write(lambda: service.retire(attachment_id, reason), None, parent=self)

    def _on_changes_applied(self, changes: Changes) -> None:
        if changes.areas & WATCHED and (
            not changes.case_ids or self.case_id is None or self.case_id in changes.case_ids
        ):
            self.reload()
