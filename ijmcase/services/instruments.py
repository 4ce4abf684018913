"""Assessment instruments: the versions ijmcase ships, those an organization
loads, and which one new assessments use.

Where a version is found: first in the database (``assessment_instruments``:
every version an admin loaded, and every shipped version from the moment an
assessment first used it), then among the files in ``resources/instruments``.
Keeping the text of every version in use means an old assessment keeps its
meaning even if a laptop's files change or a shared office's laptops differ.

Loading refuses a file that is malformed (the domain's message names the file
and line), and a file that reuses an (id, version) already known with other
text: a changed instrument must be a new version.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ijmcase.domain.assessments import (
    Instrument,
    default_instrument_dir,
    load_instrument,
    load_instruments,
    parse_instrument,
)
from ijmcase.domain.errors import ConflictError, NotFound, StorageError
from ijmcase.domain.permissions import Permission
from ijmcase.persistence.database import get_setting, set_setting
from ijmcase.persistence.models import Assessment, AssessmentInstrument
from ijmcase.services.context import Changes, Outcome, ServiceBase

__all__ = [
    "DEFAULT_INSTRUMENT",
    "SETTING_CURRENT_INSTRUMENT",
    "InstrumentRow",
    "InstrumentService",
    "current_instrument",
    "find_instrument",
    "keep_instrument",
    "shipped_instruments",
]

SETTING_CURRENT_INSTRUMENT = "aftercare.instrument"
DEFAULT_INSTRUMENT = ("outcome", "1")

ORIGIN_LOADED = "loaded"
ORIGIN_SHIPPED = "shipped"


@functools.lru_cache(maxsize=4)
def _shipped_in(directory: str) -> dict[tuple[str, str], Instrument]:
    return load_instruments(Path(directory))


def shipped_instruments() -> dict[tuple[str, str], Instrument]:
    """The instrument files in the resources folder, read once per process."""
    return _shipped_in(str(default_instrument_dir()))


@functools.lru_cache(maxsize=64)
def _parsed(text: str, source: str) -> Instrument:
    return parse_instrument(text, source)


def _stored(session: Session, key: tuple[str, str]) -> AssessmentInstrument | None:
    return session.scalar(
        select(AssessmentInstrument).where(
            AssessmentInstrument.instrument_id == key[0],
            AssessmentInstrument.instrument_version == key[1],
            AssessmentInstrument.deleted_at.is_(None),
        )
    )


def find_instrument(session: Session, instrument_id: str, version: str) -> Instrument:
    """The instrument version an assessment names: the stored text first, then the files."""
    row = _stored(session, (instrument_id, version))
    if row is not None:
        return _parsed(row.text, row.source_name or f"{instrument_id}-v{version}")
    found = shipped_instruments().get((instrument_id, version))
    if found is None:
        raise NotFound(
            f"The assessment instrument '{instrument_id}' version {version} is not known to "
            "this database or this installation of ijmcase.",
            code="instrument_unknown",
        )
    return found


def current_instrument(session: Session) -> Instrument:
    """The version new assessments are made with (a setting; the shipped one by default)."""
    key = get_setting(session, SETTING_CURRENT_INSTRUMENT, list(DEFAULT_INSTRUMENT))
    return find_instrument(session, str(key[0]), str(key[1]))


def keep_instrument(session: Session, instrument: Instrument) -> None:
    """Store a shipped version's text the first time an assessment uses it."""
    if _stored(session, instrument.key) is not None:
        return
    try:
        text = Path(instrument.source).read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(
            f"The instrument file {instrument.source} can no longer be read: {exc}.",
            code="instrument_unreadable",
        ) from exc
    if parse_instrument(text, instrument.source).digest != instrument.digest:
        raise ConflictError(
            f"The instrument file {instrument.source} changed while ijmcase was running; "
            "restart ijmcase before recording assessments.",
            code="instrument_changed",
        )
    session.add(
        AssessmentInstrument(
            instrument_id=instrument.id,
            instrument_version=instrument.version,
            title=instrument.title,
            digest=instrument.digest,
            origin=ORIGIN_SHIPPED,
            source_name=Path(instrument.source).name,
            text=text,
        )
    )


@dataclass(frozen=True)
class InstrumentRow:
    instrument_id: str
    version: str
    title: str
    origin: str  # "loaded" by the organization, or "shipped" with ijmcase
    digest: str
    domains: int
    sub_domains: int
    assessments: int
    current: bool


class InstrumentService(ServiceBase):
    """Which instrument versions exist, loading an organization's own, choosing the current one."""

    def versions(self) -> list[InstrumentRow]:
        self._require(Permission.CASE_READ, "see assessment instruments")
        with self._read() as session:
            return self._rows(session)

    def _rows(self, session: Session) -> list[InstrumentRow]:
        current = tuple(get_setting(session, SETTING_CURRENT_INSTRUMENT, list(DEFAULT_INSTRUMENT)))
        used = {
            (i, v): n
            for i, v, n in session.execute(
                select(Assessment.instrument_id, Assessment.instrument_version, func.count())
                .where(Assessment.deleted_at.is_(None))
                .group_by(Assessment.instrument_id, Assessment.instrument_version)
            )
        }
        found: dict[tuple[str, str], tuple[Instrument, str]] = {
            key: (inst, ORIGIN_SHIPPED) for key, inst in shipped_instruments().items()
        }
        for row in session.scalars(
            select(AssessmentInstrument).where(AssessmentInstrument.deleted_at.is_(None))
        ):
            found[(row.instrument_id, row.instrument_version)] = (
                _parsed(row.text, row.source_name),
                row.origin,
            )
        return [
            InstrumentRow(
                inst.id,
                inst.version,
                inst.title,
                origin,
                inst.digest,
                len(inst.domains),
                len(inst.sub_domain_keys),
                used.get(key, 0),
                key == current,
            )
            for key, (inst, origin) in sorted(found.items())
        ]

    def current(self) -> Instrument:
        """The version a new assessment form is built from."""
        self._require(Permission.CASE_READ, "see assessment instruments")
        with self._read() as session:
            return current_instrument(session)

    def get(self, instrument_id: str, version: str) -> Instrument:
        self._require(Permission.CASE_READ, "see assessment instruments")
        with self._read() as session:
            return find_instrument(session, instrument_id, version)

    def load(self, path: Path, *, make_current: bool = True) -> Outcome[InstrumentRow]:
        """Check an instrument file and keep it in the database (an admin's task)."""
        self._require(Permission.SETTINGS_EDIT, "load assessment instruments")
        try:
            instrument = load_instrument(path)
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:  # a folder, no permission: load_instrument names only "missing"
            raise StorageError(
                f"The instrument file {path} cannot be read: {exc.strerror or exc}.",
                code="instrument_unreadable",
            ) from exc
        return self._load(instrument, text, path.name, make_current=make_current)

    def load_text(
        self, text: str, source_name: str, *, make_current: bool = True
    ) -> Outcome[InstrumentRow]:
        self._require(Permission.SETTINGS_EDIT, "load assessment instruments")
        return self._load(
            parse_instrument(text, source_name), text, source_name, make_current=make_current
        )

    def _load(
        self, instrument: Instrument, text: str, source_name: str, *, make_current: bool
    ) -> Outcome[InstrumentRow]:
        what = f"'{instrument.id}' version {instrument.version}"
        with self._write() as session:
            stored = _stored(session, instrument.key)
            shipped = shipped_instruments().get(instrument.key)
            earlier = stored.digest if stored is not None else None
            if earlier is None and shipped is not None:
                earlier = shipped.digest
            if earlier == instrument.digest:
                raise ConflictError(
                    f"Instrument {what} is already known with exactly this text; nothing to load.",
                    code="instrument_already_loaded",
                )
            if earlier is not None:
                raise ConflictError(
                    f"Instrument {what} already exists with different text, and assessments "
                    "may have been made with it. Give your file a new version (for example "
                    f'version = "{instrument.version}.1") and load it again.',
                    code="instrument_duplicate_version",
                )
            row = AssessmentInstrument(
                instrument_id=instrument.id,
                instrument_version=instrument.version,
                title=instrument.title,
                digest=instrument.digest,
                origin=ORIGIN_LOADED,
                source_name=source_name[:200],
                text=text,
            )
            self._stamp(row, new=True)
            session.add(row)
            if make_current:
                self._set_current(session, instrument)
            session.flush()
            self._audit(
                session,
                "instrument.load",
                "instrument",
                row.id,
                details={
                    "instrument": instrument.id,
                    "version": instrument.version,
                    "digest": instrument.digest,
                    "file": source_name,
                    "current": make_current,
                },
            )
            view = next(
                r for r in self._rows(session) if (r.instrument_id, r.version) == instrument.key
            )
        return Outcome(view, Changes.of("instruments", "settings"))

    def set_current(self, instrument_id: str, version: str) -> Outcome[InstrumentRow]:
        """Choose the version new assessments use; earlier assessments keep theirs."""
        self._require(Permission.SETTINGS_EDIT, "choose the assessment instrument")
        with self._write() as session:
            instrument = find_instrument(session, instrument_id, version)
            self._set_current(session, instrument)
            self._audit(
                session,
                "settings.instrument",
                "setting",
                SETTING_CURRENT_INSTRUMENT,
                details={"instrument": instrument.id, "version": instrument.version},
            )
            session.flush()
            view = next(
                r for r in self._rows(session) if (r.instrument_id, r.version) == instrument.key
            )
        return Outcome(view, Changes.of("instruments", "settings"))

    def _set_current(self, session: Session, instrument: Instrument) -> None:
        set_setting(
            session,
            SETTING_CURRENT_INSTRUMENT,
            [instrument.id, instrument.version],
            by=self.actor.user_id,
        )
