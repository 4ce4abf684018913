"""Aftercare and prevention commands: export assessments, referrals, trainings."""

from __future__ import annotations

import argparse

__all__ = ["register"]


def register(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    reports: argparse._SubParsersAction[argparse.ArgumentParser],
    exports: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add this area's commands to the top level, ``report`` and ``export``."""
