"""How the case history (``services.history``) tells the field events:
interventions, follow-ups, consent, attachments and merges.

Each entry turns an audit event's details into one line. Details hold codes
and field names only (the services never write notes or names into the
audit log), so these lines are safe to show to anyone who sees the case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ijmcase.domain.enums import ConsentScope, InterventionType

__all__ = ["FIELD_DESCRIPTIONS"]


def _label(enum: Any, value: object) -> str:
    try:
        return str(enum(value).label)
    except ValueError:
        return str(value)


def _intervention(verb: str) -> Callable[[Mapping[str, Any]], str]:
    def describe(d: Mapping[str, Any]) -> str:
        # The stage's value ("aftercare"), not its long label, reads well in brackets.
        stage = str(d.get("stage", "")).replace("_", " ")
        when = f" on {d['on']}" if d.get("on") else ""
        text = f"{_label(InterventionType, d.get('type'))}{when} ({stage}) {verb}"
        changed = d.get("changed")
        if isinstance(changed, list) and changed:
            text += ": " + ", ".join(str(c).replace("_", " ") for c in changed)
        return text

    return describe


def _consent(verb: str) -> Callable[[Mapping[str, Any]], str]:
    def describe(d: Mapping[str, Any]) -> str:
        scope = d.get("scope")
        what = f" to {_label(ConsentScope, scope).lower()}" if scope else ""
        return f"Consent{what} of {d.get('code', 'a survivor')} {verb}"

    return describe


FIELD_DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "intervention.log": _intervention("logged"),
    "intervention.revise": _intervention("corrected"),
    "follow_up.done": lambda d: f"Follow-up due {d.get('due_on', '?')} done",
    "follow_up.reschedule": lambda d: (
        f"Follow-up moved from {d.get('from', '?')} to {d.get('to', '?')}"
    ),
    "follow_up.cancel": lambda d: f"Follow-up due {d.get('due_on', '?')} cancelled",
    "consent.record": _consent("recorded"),
    "consent.withdraw": _consent("withdrawn"),
    "consent.retire": _consent("retired as recorded by mistake"),
    "attachment.add": lambda d: f"Attachment added ({d.get('media_type', 'file')})",
    "attachment.read": lambda d: "Attachment read",
    "attachment.open": lambda d: "Attachment opened",
    "attachment.retire": lambda d: "Attachment removed",
    "person.merge": lambda d: (
        f"{d.get('merged', 'A record')} merged into {d.get('kept', 'another record')}"
    ),
    "person.unmerge": lambda d: (
        f"Merge of {d.get('merged', 'a record')} into {d.get('kept', 'another record')} undone"
    ),
}
