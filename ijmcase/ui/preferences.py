"""Personal preferences, kept with QSettings on this computer.

Only things about how the window behaves for this person live here; what
the organization decides (roles granted identifying data, thresholds) are
database settings changed through the services, with an audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

__all__ = ["Preferences", "PreferencesDialog"]


@dataclass(frozen=True)
class Preferences:
    start_with_my_cases: bool = False
    show_navigation: bool = True
    confirm_quit_with_open_cases: bool = True
    lock_after_minutes: int = 10

    @classmethod
    def load(cls, settings: QSettings) -> Preferences:
        def flag(key: str, default: bool) -> bool:
            value = settings.value(f"prefs/{key}", default)
            # QSettings' INI backend hands booleans back as strings.
            return value in (True, "true", "1", 1)

        return cls(
            start_with_my_cases=flag("start_with_my_cases", cls.start_with_my_cases),
            show_navigation=flag("show_navigation", cls.show_navigation),
            confirm_quit_with_open_cases=flag(
                "confirm_quit_with_open_cases", cls.confirm_quit_with_open_cases
            ),
            lock_after_minutes=_minutes(settings.value("prefs/lock_after_minutes", 10)),
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue("prefs/start_with_my_cases", self.start_with_my_cases)
        settings.setValue("prefs/show_navigation", self.show_navigation)
        settings.setValue("prefs/confirm_quit_with_open_cases", self.confirm_quit_with_open_cases)
        settings.setValue("prefs/lock_after_minutes", self.lock_after_minutes)


def _minutes(value: object) -> int:
    try:
        return max(0, min(240, int(str(value))))
    except ValueError:
        return 10


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.start_mine = QCheckBox(self.tr("Start with only the cases &assigned to me"))
        self.navigation = QCheckBox(self.tr("Show the &navigation pane"))
        self.confirm_quit = QCheckBox(self.tr("Ask before quitting while cases are &open"))
        self.lock_after = QSpinBox()
        self.lock_after.setRange(0, 240)
        self.lock_after.setSuffix(self.tr(" min"))
        self.lock_after.setSpecialValueText(self.tr("never"))
        self.lock_after.setAccessibleName(self.tr("Lock after minutes without use"))
        lock_row = QHBoxLayout()
        lock_label = QLabel(self.tr("&Lock the window after"))
        lock_label.setBuddy(self.lock_after)
        lock_row.addWidget(lock_label)
        lock_row.addWidget(self.lock_after)
        lock_row.addWidget(QLabel(self.tr("without use")))
        lock_row.addStretch(1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (self.start_mine, self.navigation, self.confirm_quit):
            layout.addWidget(box)
        layout.addLayout(lock_row)
        layout.addWidget(buttons)
        self.set_value(prefs)

    def value(self) -> Preferences:
        return Preferences(
            start_with_my_cases=self.start_mine.isChecked(),
            show_navigation=self.navigation.isChecked(),
            confirm_quit_with_open_cases=self.confirm_quit.isChecked(),
            lock_after_minutes=self.lock_after.value(),
        )

    def set_value(self, prefs: Preferences) -> None:
        self.start_mine.setChecked(prefs.start_with_my_cases)
        self.navigation.setChecked(prefs.show_navigation)
        self.confirm_quit.setChecked(prefs.confirm_quit_with_open_cases)
        self.lock_after.setValue(prefs.lock_after_minutes)
