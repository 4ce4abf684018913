"""What every report and export says about itself: who, when, what, and how redacted.

The same :class:`ReportMeta` fills a PDF's cover block and running header,
and an XLSX file's "About" sheet. Whether a report may contain identifying
survivor data is decided by the service (role, assignment, audit); the
reports layer only labels it honestly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "CONFIDENTIAL_IDENTIFYING",
    "CONFIDENTIAL_REDACTED",
    "CONTENT_IDENTIFYING",
    "CONTENT_REDACTED",
    "ReportMeta",
    "format_period",
]

CONTENT_REDACTED = "contains no survivor-identifying data"
CONTENT_IDENTIFYING = "CONTAINS IDENTIFYING DATA"
CONFIDENTIAL_REDACTED = f"CONFIDENTIAL — {CONTENT_REDACTED}"
CONFIDENTIAL_IDENTIFYING = f"CONFIDENTIAL — {CONTENT_IDENTIFYING}"

_DEFAULT_REDACTED = (
    "Survivors appear by code only; names, contact details and photos are left out. "
    "Small counts may be suppressed so that no one can be re-identified."
)
_DEFAULT_IDENTIFYING = (
    "This report contains names and other details that identify survivors. "
    "It was produced for a person authorised to see them and the export was "
    "logged. Keep it encrypted, do not forward it, and destroy it when no "
    "longer needed."
)


def format_period(start: dt.date | None, end: dt.date | None) -> str:
    """A reporting period as people read it: "2026-01-01 to 2026-03-31"."""
    if start is None and end is None:
        return "All dates"
    if start is None:
        assert end is not None
        return f"Up to {end.isoformat()}"
    if end is None:
        return f"From {start.isoformat()}"
    return f"{start.isoformat()} to {end.isoformat()}"


@dataclass(frozen=True)
class ReportMeta:
    """Metadata of one report or export.

    ``generated_at`` must be timezone-aware (it is printed with its offset).
    ``filters`` are (name, value) pairs as the person chose them, e.g.
    ("Country", "IN"). ``redaction`` overrides the default statement, e.g.
    to name the small-cell threshold in force.
    """

    title: str
    generated_by: str
    generated_at: dt.datetime
    organization: str = ""
    subtitle: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    filters: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    identifying: bool = False
    redaction: str = ""

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None or self.generated_at.utcoffset() is None:
            raise ValueError("ReportMeta.generated_at must be timezone-aware")

    @property
    def confidentiality_line(self) -> str:
        return CONFIDENTIAL_IDENTIFYING if self.identifying else CONFIDENTIAL_REDACTED

    @property
    def content_statement(self) -> str:
        """What the report may contain, as a sentence start: "Contains no ..." or "CONTAINS ..."."""
        return CONTENT_IDENTIFYING if self.identifying else CONTENT_REDACTED.capitalize()

    @property
    def redaction_statement(self) -> str:
        if self.redaction:
            return self.redaction
        return _DEFAULT_IDENTIFYING if self.identifying else _DEFAULT_REDACTED

    @property
    def generated_at_text(self) -> str:
        # ISO-like with the offset, so a reader in another country knows the instant.
        stamp = self.generated_at.replace(microsecond=0)
        raw = stamp.strftime("%z")  # "+0530"
        if raw in ("+0000", "-0000"):
            return stamp.strftime("%Y-%m-%d %H:%M") + " (UTC)"
        offset = f"UTC{raw[:3]}:{raw[3:]}"
        zone = stamp.tzname() or ""
        label = f"{zone}, {offset}" if zone.isalpha() else offset
        return stamp.strftime("%Y-%m-%d %H:%M") + f" ({label})"

    @property
    def period_text(self) -> str:
        return format_period(self.period_start, self.period_end)
