"""All mapped tables; importing this package registers them on Base.metadata."""

from ijmcase.persistence.models.accounts import AuditEvent, Setting, User
from ijmcase.persistence.models.activity import Hearing, Intervention
from ijmcase.persistence.models.aftercare import (
    AftercareClosure,
    Assessment,
    AssessmentInstrument,
    AssessmentScore,
    CarePlanGoal,
    Referral,
    ServiceDelivered,
)
from ijmcase.persistence.models.cases import (
    Case,
    CaseAssignment,
    Office,
    StageTrack,
    StageTransition,
)
from ijmcase.persistence.models.court import (
    Charge,
    CompensationClaim,
    CustodyEvent,
    MilestoneRecord,
    Proceeding,
    ProtectionMeasure,
    hearing_staff,
)
from ijmcase.persistence.models.field import (
    Attachment,
    Consent,
    FollowUp,
    InterventionPerson,
    PersonMerge,
)
from ijmcase.persistence.models.people import (
    Accused,
    CaseParty,
    Institution,
    PartnerOfficial,
    Survivor,
    SurvivorIdentity,
)
from ijmcase.persistence.models.prevention import (
    Engagement,
    EngagementAttendee,
    EngagementInstitution,
    EngagementRoleCount,
    GovernmentLedCase,
)

__all__ = [
    "Accused",
    "AftercareClosure",
    "Assessment",
    "AssessmentInstrument",
    "AssessmentScore",
    "Attachment",
    "AuditEvent",
    "CarePlanGoal",
    "Case",
    "CaseAssignment",
    "CaseParty",
    "Charge",
    "CompensationClaim",
    "Consent",
    "CustodyEvent",
    "Engagement",
    "EngagementAttendee",
    "EngagementInstitution",
    "EngagementRoleCount",
    "FollowUp",
    "GovernmentLedCase",
    "Hearing",
    "Institution",
    "Intervention",
    "InterventionPerson",
    "MilestoneRecord",
    "Office",
    "PartnerOfficial",
    "PersonMerge",
    "Proceeding",
    "ProtectionMeasure",
    "Referral",
    "ServiceDelivered",
    "Setting",
    "StageTrack",
    "StageTransition",
    "Survivor",
    "SurvivorIdentity",
    "User",
    "hearing_staff",
]
