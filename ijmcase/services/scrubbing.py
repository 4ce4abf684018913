"""Taking survivors' identifying values out of free text before it leaves
the application (exports, the command line's search results).

``IdentityScrubber(session)(case_id, text)`` replaces, in ``text``, the names,
other names, phone numbers and guardian's name and phone of the survivors of
``case_id`` with ``[redacted]`` (``domain.redaction``). Patterns are built
once per case and kept for the scrubber's life (one export, one search).
The identities are read for this only; nothing identifying is returned.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from ijmcase.domain.redaction import REDACTED, identifying_patterns
from ijmcase.persistence.models import CaseParty, SurvivorIdentity

__all__ = ["IdentityScrubber"]


class IdentityScrubber:
    """Takes the identifying values of a case's survivors out of free text."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._patterns: dict[uuid.UUID, re.Pattern[str] | None] = {}

    def __call__(self, case_id: uuid.UUID, text: str) -> str:
        if not text:
            return text
        if case_id not in self._patterns:
            # The address is left out: its words are mostly place names, and
            # taking them out would blank the place of every visit.
            values = [
                value
                for row in self._session.execute(
                    select(
                        SurvivorIdentity.legal_name,
                        SurvivorIdentity.other_names,
                        SurvivorIdentity.phone,
                        SurvivorIdentity.guardian_name,
                        SurvivorIdentity.guardian_contact,
                    )
                    .join(CaseParty, CaseParty.survivor_id == SurvivorIdentity.survivor_id)
                    .where(CaseParty.case_id == case_id, CaseParty.deleted_at.is_(None))
                )
                for value in row
                if value
            ]
            patterns = identifying_patterns(values)
            self._patterns[case_id] = (
                re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
                if patterns
                else None
            )
        pattern = self._patterns[case_id]
        return pattern.sub(REDACTED, text) if pattern is not None else text
