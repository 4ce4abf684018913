"""The organization's aftercare settings: restoration threshold, how recent a
closure assessment must be, and the assessment schedule.

They are database settings (one value for every laptop of a shared office),
read by everyone and changed only by an admin, every change audited with the
old and new value. Absent settings mean the domain's defaults: every domain at
3.0 or above (safety and legal protection in every sub-domain), a closure
assessment at most 90 days old, assessments at intake, six months later, then
yearly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ijmcase.domain.assessments import (
    DEFAULT_CLOSURE_MAX_AGE_DAYS,
    AssessmentSchedule,
    RestorationThreshold,
)
from ijmcase.domain.errors import ValidationError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.database import get_setting, set_setting
from ijmcase.services.context import Changes, Outcome, ServiceBase
from ijmcase.services.instruments import current_instrument

__all__ = [
    "MAX_CLOSURE_WINDOW_DAYS",
    "SETTING_CLOSURE_WINDOW",
    "SETTING_SCHEDULE",
    "SETTING_THRESHOLD",
    "AftercareSettings",
    "CareSettingsService",
    "read_care_settings",
]

SETTING_THRESHOLD = "aftercare.threshold"
SETTING_CLOSURE_WINDOW = "aftercare.closure_max_age_days"
SETTING_SCHEDULE = "aftercare.schedule"
MAX_CLOSURE_WINDOW_DAYS = 730


@dataclass(frozen=True)
class AftercareSettings:
    threshold: RestorationThreshold
    closure_max_age_days: int
    schedule: AssessmentSchedule


def _threshold_value(threshold: RestorationThreshold) -> dict[str, Any]:
    # Fractions as text ("3", "29/10"): exact, and readable in the settings table.
    return {
        "default": str(threshold.default_minimum),
        "per_domain": {k: str(v) for k, v in sorted(threshold.minimums.items())},
        "every_sub_domain": sorted(threshold.every_sub_domain),
    }


def _threshold_from(value: Any) -> RestorationThreshold:
    if not isinstance(value, dict):
        return RestorationThreshold()
    return RestorationThreshold.from_setting(
        value.get("default", "3"),
        value.get("per_domain") or {},
        value.get("every_sub_domain", sorted(RestorationThreshold().every_sub_domain)),
    )


def _schedule_value(schedule: AssessmentSchedule) -> dict[str, int]:
    return {
        "intake_offset_days": schedule.intake_offset_days,
        "first_followup_months": schedule.first_followup_months,
        "then_every_months": schedule.then_every_months,
    }


def read_care_settings(session: Session) -> AftercareSettings:
    schedule = get_setting(session, SETTING_SCHEDULE)
    return AftercareSettings(
        threshold=_threshold_from(get_setting(session, SETTING_THRESHOLD)),
        closure_max_age_days=int(
            get_setting(session, SETTING_CLOSURE_WINDOW, DEFAULT_CLOSURE_MAX_AGE_DAYS)
        ),
        schedule=AssessmentSchedule(**schedule)
        if isinstance(schedule, dict)
        else AssessmentSchedule(),
    )


class CareSettingsService(ServiceBase):
    def settings(self) -> AftercareSettings:
        self._require(Permission.CASE_READ, "see the aftercare settings")
        with self._read() as session:
            return read_care_settings(session)

    def set_threshold(self, threshold: RestorationThreshold) -> Outcome[AftercareSettings]:
        """The "restored" threshold. Domains the current instrument does not have are refused."""
        self._require(Permission.SETTINGS_EDIT, "change the restoration threshold")
        with self._write() as session:
            instrument = current_instrument(session)
            unknown = threshold.unknown_domains(instrument)
            if unknown:
                raise ValidationError.single(
                    "threshold",
                    "unknown_domain",
                    f"{', '.join(unknown)}: not a domain of {instrument.title} version "
                    f"{instrument.version}; the domains are "
                    f"{', '.join(d.key for d in instrument.domains)}.",
                )
            before = read_care_settings(session).threshold
            self._save(
                session,
                SETTING_THRESHOLD,
                _threshold_value(threshold),
                old=_threshold_value(before),
            )
            return Outcome(read_care_settings(session), Changes.of("settings", "aftercare"))

    def set_closure_window(self, days: int) -> Outcome[AftercareSettings]:
        """How many days old a closure assessment may be when aftercare closes as restored."""
        self._require(Permission.SETTINGS_EDIT, "change the aftercare closure window")
        if (
            isinstance(days, bool)
            or not isinstance(days, int)
            or not 1 <= days <= MAX_CLOSURE_WINDOW_DAYS
        ):
            raise ValidationError.single(
                "closure_max_age_days",
                "out_of_range",
                f"The closure window must be a whole number of days from 1 to "
                f"{MAX_CLOSURE_WINDOW_DAYS}; {days!r} is not.",
            )
        with self._write() as session:
            before = read_care_settings(session).closure_max_age_days
            self._save(session, SETTING_CLOSURE_WINDOW, days, old=before)
            return Outcome(read_care_settings(session), Changes.of("settings", "aftercare"))

    def set_schedule(self, schedule: AssessmentSchedule) -> Outcome[AftercareSettings]:
        """When assessments fall due (validated by ``AssessmentSchedule`` itself)."""
        self._require(Permission.SETTINGS_EDIT, "change the assessment schedule")
        with self._write() as session:
            before = read_care_settings(session).schedule
            self._save(
                session, SETTING_SCHEDULE, _schedule_value(schedule), old=_schedule_value(before)
            )
            return Outcome(read_care_settings(session), Changes.of("settings", "aftercare"))

    def _save(self, session: Session, key: str, value: Any, *, old: Any) -> None:
        set_setting(session, key, value, by=self.actor.user_id)
        self._audit(session, f"settings.{key}", "setting", key, details={"from": old, "to": value})
