"""Personal preferences, kept with QSettings on this computer.

Only things about how the window behaves for this person live here; what
the organization decides (roles granted identifying data, thresholds) are
database settings changed through the services, with an audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

__all__ = ["Preferences", "PreferencesDialog"]


@dataclass(frozen=True)
class Preferences:
    start_with_my_cases: bool = False
    show_navigation: bool = True
    confirm_quit_with_open_cases: bool = True

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
        )

    def save(self, settings: QSettings) -> None:
        settings.setValue("prefs/start_with_my_cases", self.start_with_my_cases)
        settings.setValue("prefs/show_navigation", self.show_navigation)
        settings.setValue("prefs/confirm_quit_with_open_cases", self.confirm_quit_with_open_cases)


class PreferencesDialog(QDialog):
    def __init__(self, prefs: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.start_mine = QCheckBox(self.tr("Start with only the cases &assigned to me"))
        self.navigation = QCheckBox(self.tr("Show the &navigation pane"))
        self.confirm_quit = QCheckBox(self.tr("Ask before quitting while cases are &open"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for box in (self.start_mine, self.navigation, self.confirm_quit):
            layout.addWidget(box)
        layout.addWidget(buttons)
        self.set_value(prefs)

    def value(self) -> Preferences:
        return Preferences(
            start_with_my_cases=self.start_mine.isChecked(),
            show_navigation=self.navigation.isChecked(),
            confirm_quit_with_open_cases=self.confirm_quit.isChecked(),
        )

    def set_value(self, prefs: Preferences) -> None:
        self.start_mine.setChecked(prefs.start_with_my_cases)
        self.navigation.setChecked(prefs.show_navigation)
        self.confirm_quit.setChecked(prefs.confirm_quit_with_open_cases)
