"""All mapped tables; importing this package registers them on Base.metadata."""

from ijmcase.persistence.models.accounts import AuditEvent, Setting, User
from ijmcase.persistence.models.activity import Hearing, Intervention
from ijmcase.persistence.models.cases import (
    Case,
    CaseAssignment,
    Office,
    StageTrack,
    StageTransition,
)
from ijmcase.persistence.models.people import (
    Accused,
    CaseParty,
    Institution,
    PartnerOfficial,
    Survivor,
    SurvivorIdentity,
)

__all__ = [
    "Accused",
    "AuditEvent",
    "Case",
    "CaseAssignment",
    "CaseParty",
    "Hearing",
    "Institution",
    "Intervention",
    "Office",
    "PartnerOfficial",
    "Setting",
    "StageTrack",
    "StageTransition",
    "Survivor",
    "SurvivorIdentity",
    "User",
]
