"""The interventions export on both engines: redacted by default (no names,
no notes), full for directors (names still taken out), filters, audit, and
nothing left behind when it fails."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ijmcase.domain.drafts import SurvivorIdentityDraft
from ijmcase.domain.enums import Sensitivity
from ijmcase.domain.errors import AccessDenied, NotFound, StorageError, ValidationError
from ijmcase.persistence.models import AuditEvent
from ijmcase.reports import ReportCancelled
from ijmcase.services.field_exports import InterventionExportFilter, InterventionExportService
from tests.conftest import Org
from tests.services.field_setup import OPENED, at, draft, interventions, make_case

NAME = "Priya Sharma"


def exporter(org: Org, who: str = "caseworker") -> InterventionExportService:
    return InterventionExportService(org.db, org.actors[who])


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _logged(org: Org) -> tuple[str, str]:
    fc = make_case(org, legal_name=NAME)
    org.people("caseworker").set_identity(
        fc.survivor_id, SurvivorIdentityDraft(NAME, phone="+91 98300 11111")
    )
    service = interventions(org)
    first = service.log(
        fc.id,
        draft(
            fc,
            occurred_at=at(OPENED + timedelta(days=3)),
            outcome=f"{NAME} placed at the shelter; her phone (98300 11111) kept",
            notes="Long talk with Priya about her sister. Call Sharma family at noon.",
            location="Swadhar Greh shelter, Kolkata",
        ),
    ).value.intervention
    service.revise(first.id, replace(first.draft(), duration_minutes=75))
    service.log(fc.id, draft(fc, occurred_at=at(OPENED + timedelta(days=40)), outcome="Later"))
    return fc.code, fc.survivor_code


def test_redacted_csv_has_codes_no_names_no_notes(org: Org, tmp_path: Path) -> None:
    code, survivor_code = _logged(org)
    out = tmp_path / "interventions.csv"
    result = exporter(org).export(out, fmt="csv").value
    assert result.rows == 2 and not result.full
    raw = out.read_bytes().decode("utf-8-sig")
    assert "Priya" not in raw and "Sharma" not in raw and "98300" not in raw
    assert "Swadhar" not in raw and "sister" not in raw
    rows = read_csv(out)
    assert list(rows[0]) == [
        "Case",
        "Country",
        "Date and time (UTC)",
        "Type",
        "Stage",
        "Minutes",
        "Staff",
        "Survivors",
        "Accused",
        "Officials",
        "Outcome",
        "Follow-up",
        "Version",
        "Logged at (UTC)",
    ]
    first = rows[0]
    assert (first["Case"], first["Survivors"], first["Type"], first["Staff"]) == (
        code,
        survivor_code,
        "home_visit",
        "caseworker",
    )
    assert first["Minutes"] == "75" and first["Version"] == "2"
    assert first["Outcome"] == "[redacted] placed at the shelter; her phone ([redacted]) kept"
    with org.db.read_session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "export.interventions")
        ).one()
    details = json.loads(event.details)
    assert details["rows"] == 2 and details["full"] is False and details["format"] == "csv"
    assert event.actor_name == "caseworker"


def test_full_xlsx_for_directors_with_names_taken_out(org: Org, tmp_path: Path) -> None:
    _logged(org)
    out = tmp_path / "full.xlsx"
    with pytest.raises(AccessDenied, match="full export"):
        exporter(org).export(out, fmt="xlsx", full=True)
    assert not out.exists()
    result = exporter(org, "director").export(out, fmt="xlsx", full=True).value
    assert result.full and result.rows == 2
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["Interventions", "About"]
    sheet = book["Interventions"]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "Notes" in header and "Location" in header
    notes = rows[0][header.index("Notes")]
    assert notes == "Long talk with [redacted] about her sister. Call [redacted] family at noon."
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert "CONTAINS IDENTIFYING DATA" in str(about["Confidentiality"])
    assert all(NAME not in str(cell) for row in rows for cell in row)
    book.close()


def test_filters_by_date_case_and_country(org: Org, tmp_path: Path) -> None:
    code, _ = _logged(org)
    other = make_case(org, title="Other case")
    interventions(org).log(other.id, draft(other, occurred_at=at(OPENED + timedelta(days=3))))
    out = tmp_path / "x.csv"
    service = exporter(org)
    flt = InterventionExportFilter(from_on=OPENED + timedelta(days=30))
    assert service.export(out, fmt="csv", flt=flt).value.rows == 1
    flt = InterventionExportFilter(to_on=OPENED + timedelta(days=3), case_code=code.lower())
    assert service.export(out, fmt="csv", flt=flt).value.rows == 1
    assert (
        service.export(out, fmt="csv", flt=InterventionExportFilter(country="PH")).value.rows == 0
    )
    with pytest.raises(ValidationError, match="before it starts"):
        service.export(
            out,
            fmt="csv",
            flt=InterventionExportFilter(from_on=date(2025, 2, 1), to_on=date(2025, 1, 1)),
        )
    with pytest.raises(NotFound, match="no case XX-2025-0009"):
        service.export(out, fmt="csv", flt=InterventionExportFilter(case_code="XX-2025-0009"))


def test_hidden_cases_are_not_exported(org: Org, tmp_path: Path) -> None:
    secret = make_case(org, title="Restricted", sensitivity=Sensitivity.RESTRICTED)
    interventions(org).log(secret.id, draft(secret))
    out = tmp_path / "x.csv"
    assert exporter(org).export(out, fmt="csv").value.rows == 1
    assert exporter(org, "caseworker2").export(out, fmt="csv").value.rows == 0
    with pytest.raises(NotFound):
        exporter(org, "caseworker2").export(
            out, fmt="csv", flt=InterventionExportFilter(case_code=secret.code)
        )


def test_failures_leave_no_file_and_no_audit(org: Org, tmp_path: Path) -> None:
    _logged(org)
    with pytest.raises(StorageError, match="does not exist"):
        exporter(org).export(tmp_path / "missing" / "x.csv", fmt="csv")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "x.xlsx"

    def cancel() -> bool:
        return True

    with pytest.raises(ReportCancelled):
        exporter(org).export(target, fmt="xlsx", cancelled=cancel)
    assert not target.exists()
    assert list(folder.iterdir()) == []
    with org.db.read_session() as session:
        assert (
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == "export.interventions")
            ).first()
            is None
        )
