"""The assessments, referrals and trainings exports on both engines: redacted
by default, full only for the roles that may, filtered, audited, and never
half written."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from ijmcase.domain.errors import AccessDenied, StorageError, ValidationError
from ijmcase.persistence.models import AuditEvent
from ijmcase.services.care_exports import CareExportFilter, CareExportService
from tests.conftest import Org
from tests.services.care_setup import CARE_FROM, TODAY, CareData, build_care


@pytest.fixture
def data(org: Org) -> CareData:
    return build_care(org)


def exporter(org: Org, who: str = "caseworker") -> CareExportService:
    return CareExportService(org.db, org.actors[who])


def read_csv(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def events(org: Org, action: str) -> list[dict[str, Any]]:
    with org.db.read_session() as session:
        return [
            json.loads(e.details)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)
            )
        ]


def test_assessments_redacted_by_default(org: Org, data: CareData, tmp_path: Path) -> None:
    out = tmp_path / "assessments.csv"
    result = exporter(org).export("assessments", out, fmt="csv").value
    rows = read_csv(out)
    assert result.rows == len(rows) == 3  # the corrected original is left out
    text = out.read_bytes().decode("utf-8-sig")
    assert data.legal_name not in text and "Kumari" not in text and "12345" not in text
    assert "Notes" not in rows[0]
    first = next(r for r in rows if r["Survivor"] == data.case.codes[0])
    assert first["Case"] == data.case.code and first["Assessed"] == CARE_FROM.isoformat()
    assert first["Corrects an earlier one"] == "true"
    assert first["Basis"] == "return_home" and first["Type"] == "intake"
    assert first["Safety"] == "1.67"  # (1 + 2 + 2) / 3, rounded half up
    assert first["Meets restoration threshold"] == "false"
    kenya = next(r for r in rows if r["Survivor"] == data.other.codes[0])
    assert kenya["Meets restoration threshold"] == "true" and kenya["Safety"] == "4.00"
    assert [e["rows"] for e in events(org, "export.assessments")] == [3]
    detail = events(org, "export.assessments")[0]
    assert detail["format"] == "csv" and detail["full"] is False
    assert detail["filter"] == {"from": None, "to": None, "country": None}


def test_full_export_needs_the_role_and_scrubs_names(
    org: Org, data: CareData, tmp_path: Path
) -> None:
    out = tmp_path / "full.csv"
    with pytest.raises(AccessDenied, match="full export"):
        exporter(org).export("assessments", out, fmt="csv", full=True)
    assert not out.exists()
    exporter(org, "director").export("assessments", out, fmt="csv", full=True)
    rows = read_csv(out)
    note = next(r["Notes"] for r in rows if r["Survivor"] == data.case.codes[0])
    assert note == "[redacted] (call [redacted]) is afraid of the kiln owner."
    exporter(org, "director").export("referrals", out, fmt="csv", full=True)
    assert read_csv(out)[0]["Reason"] == "[redacted] needs a bed"
    assert events(org, "export.referrals")[0]["full"] is True


def test_filters_by_date_and_country(org: Org, data: CareData, tmp_path: Path) -> None:
    out = tmp_path / "ke.csv"
    service = exporter(org)
    service.export("assessments", out, fmt="csv", flt=CareExportFilter(country="ke"))
    assert [r["Survivor"] for r in read_csv(out)] == [data.other.codes[0]]
    service.export(
        "assessments",
        out,
        fmt="csv",
        flt=CareExportFilter(from_on=CARE_FROM + timedelta(days=1)),
    )
    assert [r["Survivor"] for r in read_csv(out)] == [data.case.codes[1]]
    assert (
        events(org, "export.assessments")[-1]["filter"]["from"]
        == (CARE_FROM + timedelta(days=1)).isoformat()
    )
    with pytest.raises(ValidationError, match="country"):
        service.export("assessments", out, fmt="csv", flt=CareExportFilter(country="XX"))
    with pytest.raises(ValidationError, match="before its start"):
        service.export(
            "assessments",
            out,
            fmt="csv",
            flt=CareExportFilter(from_on=TODAY, to_on=TODAY - timedelta(days=1)),
        )


def test_referrals_and_trainings(org: Org, data: CareData, tmp_path: Path) -> None:
    out = tmp_path / "referrals.xlsx"
    exporter(org).export("referrals", out, fmt="xlsx")
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[-1] == "About"
    rows = list(book[book.sheetnames[0]].iter_rows(values_only=True))
    header = rows[0]
    referral = dict(zip(header, rows[1], strict=True))
    assert referral["Survivor"] == data.case.codes[0] and referral["Status"] == "pending"
    assert referral["Referred to"] == "Bethany Shelter"
    assert str(referral["Consent relied on"]).startswith("Sharing with Bethany Shelter")
    assert "Reason" not in header
    book.close()
    trainings = tmp_path / "trainings.csv"
    exporter(org).export("trainings", trainings, fmt="csv", flt=CareExportFilter(country="IN"))
    (row,) = read_csv(trainings)
    assert row["Attendees"] == "16" and row["Named attendees"] == "1"
    assert row["Attendees by role"] == "police_officer 13; prosecutor 3"
    assert row["Case"] == data.case.code and row["Institutions"] == "Bethany Shelter"
    assert "Inspector Ravi" not in trainings.read_text(encoding="utf-8-sig")
    exporter(org, "director").export("trainings", trainings, fmt="csv", full=True)
    full = read_csv(trainings)
    assert [r["Attendees' names"] for r in full] == ["", "Inspector Ravi"]
    assert [Decimal(r["Attendees"]) for r in full] == [8, 16]


def test_a_restricted_case_is_not_named_to_those_who_cannot_see_it(
    org: Org, data: CareData, tmp_path: Path
) -> None:
    out = tmp_path / "t.csv"
    exporter(org, "caseworker2").export("assessments", out, fmt="csv")
    assert len(read_csv(out)) == 3  # standard cases: visible to every caseworker
    exporter(org, "auditor").export("trainings", out, fmt="csv")
    assert read_csv(out)[1]["Case"] == data.case.code


def test_no_file_without_its_audit_and_no_partial_file(
    org: Org, data: CareData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        exporter(org).export("assessments", tmp_path / "missing" / "a.csv", fmt="csv")
    assert events(org, "export.assessments") == []
    service = exporter(org)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(service, "_audit", broken)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "a.csv"
    with pytest.raises(RuntimeError):
        service.export("assessments", out, fmt="csv")
    assert list(folder.iterdir()) == []  # neither the file nor a temporary part of it
    with pytest.raises(ValidationError):
        service.export("everything", out, fmt="csv")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        service.export("assessments", out, fmt="pdf")  # type: ignore[arg-type]


def test_rows_stream_in_chunks_with_their_scores(
    org: Org, data: CareData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of one row: the per-chunk queries run while the main query streams."""
    monkeypatch.setattr("ijmcase.services.care_exports._CHUNK", 1)
    out = tmp_path / "chunked.csv"
    assert exporter(org).export("assessments", out, fmt="csv").value.rows == 3
    assert {r["Survivor"] for r in read_csv(out)} == {*data.case.codes, *data.other.codes}
    assert exporter(org).export("trainings", out, fmt="csv").value.rows == 2
    assert exporter(org).export("referrals", out, fmt="csv").value.rows == 1
