"""Forms whose errors appear next to the field that is wrong.

Validation lives in ``domain`` (drafts list every ``FieldProblem`` at once);
a ``FieldForm`` only lays the fields out, shows each problem under its
field, marks the field for screen readers and puts the cursor on the first
wrong one. A problem for a field the form does not show goes to the
form-level message, so nothing the rules say is ever hidden.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QFormLayout, QLabel, QVBoxLayout, QWidget

from ijmcase.domain.errors import FieldProblem

__all__ = ["FieldForm", "date_edit"]

ERROR_STYLE = "color: #b00020;"


def date_edit(accessible_name: str) -> QDateEdit:
    """A date field with a calendar pop-up, shown in the user's locale."""
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setAccessibleName(accessible_name)
    edit.setDate(QDate.currentDate())
    return edit


class FieldForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self._layout = QFormLayout()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.message)
        outer.addLayout(self._layout)
        self._fields: dict[str, tuple[QWidget, QLabel, str]] = {}

    def add_row(self, field: str, label: str, widget: QWidget) -> QWidget:
        error = QLabel()
        error.setObjectName(f"error_{field}")
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        self._layout.addRow(label, box)
        self._fields[field] = (widget, error, widget.accessibleDescription())
        return widget

    def error_for(self, field: str) -> str:
        """The message shown under ``field`` ("" when it is fine)."""
        _widget, error, _desc = self._fields[field]
        return error.text() if not error.isHidden() else ""

    def clear_problems(self) -> None:
        self.message.hide()
        self.message.clear()
        for widget, error, description in self._fields.values():
            error.hide()
            error.clear()
            widget.setAccessibleDescription(description)
            widget.setProperty("invalid", False)
            widget.setStyleSheet("")

    def show_problems(self, problems: Iterable[FieldProblem]) -> bool:
        """Show each problem next to its field; True if there was any."""
        self.clear_problems()
        loose: list[str] = []
        first: QWidget | None = None
        for problem in problems:
            entry = self._fields.get(problem.field)
            if entry is None:
                loose.append(problem.message)
                continue
            widget, error, _desc = entry
            text = f"{error.text()}\n{problem.message}" if error.text() else problem.message
            error.setText(text)
            error.show()
            widget.setAccessibleDescription(text)
            widget.setProperty("invalid", True)
            widget.setStyleSheet("border: 1px solid #b00020;")
            if first is None:
                first = widget
        if loose:
            self.show_message("\n".join(loose))
        if first is not None:
            first.setFocus()
        return first is not None or bool(loose)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
