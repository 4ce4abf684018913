"""Where the data files the application loads at run time live.

``resources/`` sits at the repository root (DESIGN.md layout): legal-pathway
templates, the outcome-assessment instrument, fonts for reports, icons.
A frozen bundle (PyInstaller) unpacks it beside the code; ``IJMCASE_RESOURCES``
points elsewhere, for an organization that keeps its own templates.
Standard library only, so every layer may use it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["resource_dir", "resource_path"]


def resource_dir() -> Path:
    override = os.environ.get("IJMCASE_RESOURCES")
    if override:
        return Path(override)
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)
