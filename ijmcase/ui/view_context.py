"""What every view of the main window is given: the session's services, the
operations runner (worker, ``changes_applied``), and a way to open a case.

Views (My day, Calendar, People, Reports, Dashboard, and the tabs of the case
workspace) take a ``ViewContext`` in their constructor and nothing global.
They read through ``ctx.ops.read`` (off the GUI thread), write through
``ctx.ops.write`` (which announces the changes), and redraw only when
``ctx.ops.bus.changes_applied`` says something they show has changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings

from ijmcase.services.context import Actor
from ijmcase.ui.app_services import AppServices
from ijmcase.ui.operations import Operations

__all__ = ["ViewContext"]


@dataclass(frozen=True)
class ViewContext:
    services: AppServices
    ops: Operations
    open_case: Callable[[uuid.UUID], object]
    settings: QSettings
    is_demo: bool = False

    @property
    def actor(self) -> Actor:
        return self.services.actor
