"""The closed vocabularies of casework, stored as their string values.

Every enum here is a ``StrEnum`` whose value is what the database holds and
what exports write; ``label`` is the English text a person reads. Adding a
member is a data change (no migration: columns are plain strings), renaming a
value is not.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from ijmcase.domain.errors import ValidationError

__all__ = [
    "AccusedRole",
    "AftercareClosureReason",
    "AgeBand",
    "AssessmentBasis",
    "AssessmentType",
    "AssignmentRole",
    "CareService",
    "CaseClosureReason",
    "ChargeStatus",
    "ClosureStatus",
    "CompensationStatus",
    "CustodyStatus",
    "EngagementKind",
    "GoalStatus",
    "HearingOutcome",
    "InstitutionKind",
    "InterventionType",
    "OfficialRole",
    "PartyKind",
    "PartyRole",
    "ProceedingOutcome",
    "ProtectionKind",
    "ReferralStatus",
    "ReportingStage",
    "RiskLevel",
    "Role",
    "Sensitivity",
    "Sex",
    "Stage",
    "TrackStatus",
    "ViolenceType",
    "parse_enum",
]


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return _LABELS.get(self.value, self.value.replace("_", " ").capitalize())


# Labels that the default "snake case to sentence" would get wrong.
_LABELS: dict[str, str] = {
    "osec": "Online sexual exploitation of children (OSEC)",
    "forced_labour": "Forced or bonded labour",
    "accountability": "Perpetrator accountability",
    "rescue": "Rescue (victim relief)",
    "aftercare": "Aftercare (restoration)",
    "prevention": "Structural prevention",
    "not_applicable": "Not applicable",
    "sdm": "Sub-divisional magistrate",
    "cwc": "Child Welfare Committee",
    "ahtu": "Anti-human-trafficking unit",
    "under_18": "Under 18",
    "age_18_24": "18-24",
    "age_25_34": "25-34",
    "age_35_49": "35-49",
    "age_50_plus": "50 and over",
}


class Role(_Labelled):
    """A staff member's role; decides what the services let them do."""

    CASEWORKER = "caseworker"
    LAWYER = "lawyer"
    DIRECTOR = "director"
    ADMIN = "admin"
    AUDITOR = "auditor"


class Stage(_Labelled):
    RESCUE = "rescue"
    ACCOUNTABILITY = "accountability"
    AFTERCARE = "aftercare"
    PREVENTION = "prevention"


class TrackStatus(_Labelled):
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    COMPLETED = "completed"
    NOT_APPLICABLE = "not_applicable"


class ViolenceType(_Labelled):
    FORCED_LABOUR = "forced_labour"
    SEX_TRAFFICKING = "sex_trafficking"
    OSEC = "osec"
    SEXUAL_VIOLENCE = "sexual_violence"
    ILLEGAL_DETENTION = "illegal_detention"
    POLICE_ABUSE = "police_abuse"
    PROPERTY_GRABBING = "property_grabbing"
    OTHER = "other"


class RiskLevel(_Labelled):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Sensitivity(_Labelled):
    """How carefully a case is handled; ``restricted`` cases are hidden from
    staff who are not assigned to them."""

    STANDARD = "standard"
    RESTRICTED = "restricted"


class CaseClosureReason(_Labelled):
    ALL_TRACKS_COMPLETED = "all_tracks_completed"
    TRANSFERRED = "transferred"
    WITHDRAWN = "withdrawn"
    LOST_CONTACT = "lost_contact"
    DUPLICATE = "duplicate"
    OTHER = "other"


class AssignmentRole(_Labelled):
    LEAD_CASEWORKER = "lead_caseworker"
    LEAD_LAWYER = "lead_lawyer"
    CASEWORKER = "caseworker"
    LAWYER = "lawyer"
    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"


class Sex(_Labelled):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class AgeBand(_Labelled):
    UNDER_18 = "under_18"
    AGE_18_24 = "age_18_24"
    AGE_25_34 = "age_25_34"
    AGE_35_49 = "age_35_49"
    AGE_50_PLUS = "age_50_plus"
    UNKNOWN = "unknown"


class AccusedRole(_Labelled):
    TRAFFICKER = "trafficker"
    RECRUITER = "recruiter"
    BROTHEL_KEEPER = "brothel_keeper"
    EMPLOYER = "employer"
    FACILITATOR = "facilitator"
    CUSTOMER = "customer"
    OFFICIAL = "official"
    FAMILY_MEMBER = "family_member"
    OTHER = "other"


class CustodyStatus(_Labelled):
    AT_LARGE = "at_large"
    ARRESTED = "arrested"
    ON_BAIL = "on_bail"
    IN_CUSTODY = "in_custody"
    ABSCONDED = "absconded"
    DECEASED = "deceased"
    RELEASED = "released"


class InstitutionKind(_Labelled):
    POLICE_STATION = "police_station"
    AHTU = "ahtu"
    CYBERCRIME_UNIT = "cybercrime_unit"
    PROSECUTION = "prosecution"
    COURT = "court"
    LABOUR_DEPARTMENT = "labour_department"
    SDM_OFFICE = "sdm_office"
    CWC = "cwc"
    SOCIAL_WELFARE = "social_welfare"
    LEGAL_SERVICES_AUTHORITY = "legal_services_authority"
    SHELTER = "shelter"
    HEALTH_FACILITY = "health_facility"
    EMBASSY = "embassy"
    OTHER = "other"


class OfficialRole(_Labelled):
    POLICE_OFFICER = "police_officer"
    INVESTIGATING_OFFICER = "investigating_officer"
    PROSECUTOR = "prosecutor"
    JUDGE = "judge"
    MAGISTRATE = "magistrate"
    LABOUR_OFFICER = "labour_officer"
    SDM = "sdm"
    CWC_MEMBER = "cwc_member"
    SOCIAL_WELFARE_OFFICER = "social_welfare_officer"
    LEGAL_AID_OFFICER = "legal_aid_officer"
    SHELTER_STAFF = "shelter_staff"
    HEALTH_WORKER = "health_worker"
    EMBASSY_OFFICIAL = "embassy_official"
    OTHER = "other"


class PartyKind(_Labelled):
    SURVIVOR = "survivor"
    ACCUSED = "accused"
    OFFICIAL = "official"


class PartyRole(_Labelled):
    VICTIM = "victim"
    WITNESS = "witness"
    ACCUSED = "accused"
    INVESTIGATING_OFFICER = "investigating_officer"
    PROSECUTOR = "prosecutor"
    JUDGE = "judge"
    WELFARE_OFFICER = "welfare_officer"
    SERVICE_PROVIDER = "service_provider"
    OTHER = "other"


class InterventionType(_Labelled):
    INTAKE_INTERVIEW = "intake_interview"
    HOME_VISIT = "home_visit"
    COUNSELLING = "counselling"
    MEDICAL = "medical"
    FORENSIC_EXAM = "forensic_exam"
    SHELTER_PLACEMENT = "shelter_placement"
    FAMILY_TRACING = "family_tracing"
    REPATRIATION = "repatriation"
    COURT_PREPARATION = "court_preparation"
    COURT_ACCOMPANIMENT = "court_accompaniment"
    TESTIMONY = "testimony"
    LEGAL_AID = "legal_aid"
    COMPENSATION_APPLICATION = "compensation_application"
    LIVELIHOOD_TRAINING = "livelihood_training"
    SCHOOL_ENROLMENT = "school_enrolment"
    CASH_ASSISTANCE = "cash_assistance"
    IDENTITY_DOCUMENTS = "identity_documents"
    SAFETY_PLANNING = "safety_planning"
    PHONE_FOLLOW_UP = "phone_follow_up"
    OTHER = "other"


class HearingOutcome(_Labelled):
    HELD = "held"
    ADJOURNED = "adjourned"
    VACATED = "vacated"


class ReportingStage(_Labelled):
    """The generic stage a legal milestone reports as, the same in every country.

    Members are listed in the order a proceeding moves through them; compare
    with ``rank``, never with ``<`` (a StrEnum compares its text).
    """

    REPORTED = "reported"
    INVESTIGATED = "investigated"
    ARRESTED = "arrested"
    CHARGED = "charged"
    IN_TRIAL = "in_trial"
    VERDICT = "verdict"
    SENTENCED = "sentenced"
    APPEAL = "appeal"
    FINAL = "final"

    @property
    def rank(self) -> int:
        return _REPORTING_RANK[self]


_REPORTING_RANK: dict[ReportingStage, int] = {s: i for i, s in enumerate(ReportingStage)}


class ProceedingOutcome(_Labelled):
    """How one accused person's proceeding ended (or ``pending`` while it runs)."""

    PENDING = "pending"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    DISMISSED = "dismissed"
    WITHDRAWN = "withdrawn"
    PLEA = "plea"


class ChargeStatus(_Labelled):
    """Where one charge (one offence alleged against one accused) stands."""

    FILED = "filed"
    AMENDED = "amended"
    WITHDRAWN = "withdrawn"
    DISMISSED = "dismissed"
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"


# Appended here rather than edited into the table above, so the vocabularies
# of the legal track stay in one block.
_LABELS.update(
    {
        "appeal": "On appeal",
        "plea": "Convicted on a guilty plea",
        "filed": "Filed (pending)",
        "amended": "Replaced by an amended charge",
    }
)


class AssessmentType(_Labelled):
    """Why an outcome assessment was done: on the schedule, when needed, or to close."""

    INTAKE = "intake"
    SIX_MONTH = "six_month"
    ANNUAL = "annual"
    AD_HOC = "ad_hoc"
    CLOSURE = "closure"


class AssessmentBasis(_Labelled):
    """What the survivor was scored against: where they live now, or (in a shelter)
    the home they will return to."""

    CURRENT_PLACEMENT = "current_placement"
    RETURN_HOME = "return_home"


class AftercareClosureReason(_Labelled):
    """Why aftercare ended; only ``restored`` needs an assessment and an approval."""

    RESTORED = "restored"
    DECLINED_SERVICES = "declined_services"
    LOST_CONTACT = "lost_contact"
    TRANSFERRED = "transferred"
    RELOCATED = "relocated"
    DECEASED = "deceased"


# The aftercare vocabularies' labels, kept with them like the legal track's above.
_LABELS.update(
    {
        "six_month": "Six-month",
        "return_home": "Home they will return to",
        "declined_services": "Declined services",
    }
)


class ProtectionKind(_Labelled):
    """A measure that protects a survivor who is a witness, or a threat reported."""

    WITNESS_PROTECTION = "witness_protection"
    IN_CAMERA_TESTIMONY = "in_camera_testimony"
    VIDEO_LINK = "video_link"
    PROTECTION_ORDER = "protection_order"
    THREATS_REPORTED = "threats_reported"


class CompensationStatus(_Labelled):
    """Where a victim-compensation claim stands."""

    APPLIED = "applied"
    AWARDED = "awarded"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# The court-record vocabularies' labels (issue 5), kept with them.
_LABELS.update(
    {
        "in_camera_testimony": "In-camera testimony",
        "video_link": "Testimony by video link or from a screened room",
        "partly_paid": "Partly paid",
    }
)


class GoalStatus(_Labelled):
    """Where one care-plan goal stands."""

    ACTIVE = "active"
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    DISCONTINUED = "discontinued"


class CareService(_Labelled):
    """A service a survivor receives in aftercare, from the organization or by referral."""

    SHELTER = "shelter"
    COUNSELLING = "counselling"
    MEDICAL_CARE = "medical_care"
    MENTAL_HEALTH = "mental_health"
    LEGAL_AID = "legal_aid"
    EDUCATION = "education"
    VOCATIONAL_TRAINING = "vocational_training"
    LIVELIHOOD = "livelihood"
    CASH_ASSISTANCE = "cash_assistance"
    FAMILY_REINTEGRATION = "family_reintegration"
    IDENTITY_DOCUMENTS = "identity_documents"
    HOUSING = "housing"
    OTHER = "other"


class ReferralStatus(_Labelled):
    """Where a referral to a partner institution stands."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"


class ClosureStatus(_Labelled):
    """Where closing one survivor's aftercare stands: "restored" waits for a director."""

    PENDING_APPROVAL = "pending_approval"
    CLOSED = "closed"
    DECLINED = "declined"
    REOPENED = "reopened"


class EngagementKind(_Labelled):
    """A structural-prevention activity with officials and institutions."""

    TRAINING = "training"
    WORKSHOP = "workshop"
    MENTORING = "mentoring"
    CASE_CONFERENCE = "case_conference"
    POLICY_DIALOGUE = "policy_dialogue"
    OTHER = "other"


# The aftercare and prevention records' labels (issue 6), kept with them.
_LABELS.update(
    {
        "medical_care": "Medical care",
        "mental_health": "Mental-health care",
        "not_achieved": "Not achieved",
        "pending_approval": "Waiting for a director's approval",
        "case_conference": "Case conference",
        "policy_dialogue": "Policy dialogue",
    }
)


class ConsentScope(_Labelled):
    """What a survivor (or their guardian) agreed to; ``sharing`` names an organization."""

    SERVICES = "services"
    SHARING = "sharing"
    COURT_USE = "court_use"
    MEDIA = "media"
    RESEARCH = "research"


class ConsentGiver(_Labelled):
    SURVIVOR = "survivor"
    GUARDIAN = "guardian"


class FollowUpState(_Labelled):
    """A follow-up is open until it is done (a later intervention), moved to
    another day (a new follow-up replaces it) or cancelled."""

    OPEN = "open"
    DONE = "done"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


class AttachmentOwner(_Labelled):
    """The record a document or photo is attached to."""

    CASE = "case"
    SURVIVOR = "survivor"
    ACCUSED = "accused"
    OFFICIAL = "official"
    INTERVENTION = "intervention"


# The field vocabularies (issue 4), kept together with their labels.
_LABELS.update(
    {
        "sharing": "Sharing with a named organization",
        "court_use": "Use in court",
        "media": "Story or media",
    }
)
__all__ += ["AttachmentOwner", "ConsentGiver", "ConsentScope", "FollowUpState"]


E = TypeVar("E", bound=StrEnum)


def parse_enum(enum: type[E], value: str | E, *, field: str) -> E:
    """Turn outside text into a member, or raise a ValidationError naming the choices."""
    if isinstance(value, enum):
        return value
    text = str(value).strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return enum(text)
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise ValidationError.single(
            field,
            "unknown_choice",
            f"'{value}' is not a valid {field.replace('_', ' ')}; choose one of: {choices}.",
        ) from None
