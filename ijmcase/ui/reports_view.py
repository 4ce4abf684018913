"""Reports: the program report, a case report and every export, from the GUI.

The same services as ``ijmcase report`` and ``ijmcase export`` build the
files, with the same redaction, small-cell suppression and audit; here they
run on the worker with a progress bar that appears after half a second and
a Cancel that leaves no partial file. A case report with identifying data
is offered only as a tick box the service checks against the identity
rules; a refusal is shown as it comes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ijmcase.domain.codes import COUNTRIES
from ijmcase.domain.periods import Period
from ijmcase.services.care_exports import CareExportFilter, CareExportService, ExportKind
from ijmcase.services.court_outputs import CourtOutputService
from ijmcase.services.field_exports import InterventionExportFilter, InterventionExportService
from ijmcase.services.metrics_scope import MetricFilter
from ijmcase.services.reporting import ReportingService
from ijmcase.ui.forms import date_edit
from ijmcase.ui.operations import Progress, error_text
from ijmcase.ui.view_context import ViewContext

__all__ = ["ReportsView"]

EXPORT_KINDS = [
    ("cases", "Cases"),
    ("interventions", "Interventions"),
    ("hearings", "Hearings"),
    ("assessments", "Outcome assessments"),
    ("referrals", "Referrals"),
    ("trainings", "Trainings and engagements"),
]


EXPORT_CARE: dict[str, ExportKind] = {
    "assessments": "assessments",
    "referrals": "referrals",
    "trainings": "trainings",
}


def _day(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class ReportsView(QWidget):
    def __init__(self, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._job: Progress | None = None
        self.setAccessibleName(self.tr("Reports"))

        # The period and place every report and export is about.
        self.start = date_edit(self.tr("From"))
        self.start.setDate(QDate(QDate.currentDate().year(), 1, 1))
        self.end = date_edit(self.tr("To"))
        self.country = QComboBox()
        self.country.setAccessibleName(self.tr("Country"))
        self.country.addItem(self.tr("All countries"), None)
        for code, c in sorted(COUNTRIES.items(), key=lambda kv: kv[1].name):
            self.country.addItem(f"{c.name} ({code})", code)
        scope = QGroupBox(self.tr("Period and place"))
        scope_form = QFormLayout(scope)
        scope_form.addRow(self.tr("&From"), self.start)
        scope_form.addRow(self.tr("&To"), self.end)
        scope_form.addRow(self.tr("C&ountry"), self.country)

        self.portfolio_button = QPushButton(self.tr("&Program report (PDF)…"))
        self.portfolio_button.clicked.connect(self._portfolio)
        program = QGroupBox(self.tr("Program report"))
        program_layout = QVBoxLayout(program)
        note = QLabel(
            self.tr(
                "Figures for the period and country above: survivors, accountability, "
                "hearings, aftercare, prevention. Survivors appear by code only and cells "
                "smaller than the organization's threshold are suppressed."
            )
        )
        note.setWordWrap(True)
        program_layout.addWidget(note)
        program_layout.addWidget(self.portfolio_button)

        self.case_code = QLineEdit()
        self.case_code.setAccessibleName(self.tr("Case code"))
        self.case_code.setPlaceholderText(self.tr("for example IN-2026-0042"))
        self.case_full = QCheckBox(self.tr("Include survivors' &identifying data (audited)"))
        self.case_button = QPushButton(self.tr("&Case report (PDF)…"))
        self.case_button.clicked.connect(self._case_report)
        case_box = QGroupBox(self.tr("One case"))
        case_layout = QFormLayout(case_box)
        case_layout.addRow(self.tr("Case &code"), self.case_code)
        case_layout.addRow("", self.case_full)
        case_layout.addRow("", self.case_button)

        self.export_kind = QComboBox()
        self.export_kind.setAccessibleName(self.tr("What to export"))
        for key, label in EXPORT_KINDS:
            self.export_kind.addItem(self.tr(label), key)
        self.export_format = QComboBox()
        self.export_format.setAccessibleName(self.tr("Format"))
        self.export_format.addItem(self.tr("Excel (.xlsx)"), "xlsx")
        self.export_format.addItem(self.tr("CSV (.csv)"), "csv")
        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.clicked.connect(self._export)
        export_box = QGroupBox(self.tr("Export"))
        export_layout = QFormLayout(export_box)
        export_layout.addRow(self.tr("&Records"), self.export_kind)
        export_layout.addRow(self.tr("For&mat"), self.export_format)
        export_layout.addRow("", self.export_button)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Result"))

        top = QHBoxLayout()
        top.addWidget(scope)
        top.addWidget(program, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(case_box, 1)
        bottom.addWidget(export_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(bottom)
        layout.addWidget(self.status)
        layout.addStretch(1)

    # -- what and where ---------------------------------------------------

    def period(self) -> Period:
        return Period(_day(self.start.date()), _day(self.end.date()))

    def metric_filter(self) -> MetricFilter:
        return MetricFilter(period=self.period(), country=self.country.currentData())

    def _ask(self, title: str, name: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        return Path(path) if path else None

    # -- running ------------------------------------------------------------

    def run_job(self, label: str, job: Callable[[Progress], Any]) -> None:
        """Build on the worker with a delayed, cancellable progress dialog."""
        self.status.setText(label)
        self._job = self._ctx.ops.long_job(
            job, self._on_done, parent=self, label=label, on_error=self._on_failed
        )

    def _on_done(self, outcome: Any) -> None:
        self._job = None
        result = getattr(outcome, "value", outcome)
        message = getattr(result, "message", "") or self.tr("Written: %s") % getattr(
            result, "path", ""
        )
        self.status.setText(message)

    def _on_failed(self, exc: BaseException) -> None:
        self._job = None
        if type(exc).__name__ in {"ReportCancelled", "Cancelled"}:
            self.status.setText(self.tr("Cancelled. No file was written."))
        else:
            self.status.setText(error_text(exc))

    def _portfolio(self) -> None:
        path = self._ask(self.tr("Program report"), "program-report.pdf", "PDF (*.pdf)")
        if path is not None:
            self.portfolio_to(path)

    def portfolio_to(self, path: Path) -> None:
        service = self._ctx.services.get(ReportingService)
        flt = self.metric_filter()
        self.run_job(
            self.tr("Building the program report…"),
            lambda p: service.portfolio_pdf(path, flt, progress=p.report, cancelled=p.is_cancelled),
        )

    def _case_report(self) -> None:
        code = self.case_code.text().strip().upper()
        if not code:
            self.status.setText(self.tr("Enter a case code."))
            self.case_code.setFocus()
            return
        path = self._ask(self.tr("Case report"), f"{code}.pdf", "PDF (*.pdf)")
        if path is not None:
            self.case_report_to(code, path)

    def case_report_to(self, code: str, path: Path) -> None:
        service = self._ctx.services.get(ReportingService)
        full = self.case_full.isChecked()
        self.run_job(
            self.tr("Building the case report…"),
            lambda p: service.case_pdf(
                code, path, full=full, progress=p.report, cancelled=p.is_cancelled
            ),
        )

    def _export(self) -> None:
        kind = self.export_kind.currentData()
        fmt = self.export_format.currentData()
        path = self._ask(self.tr("Export"), f"{kind}.{fmt}", f"*.{fmt}")
        if path is not None:
            self.export_to(kind, fmt, path)

    def export_to(self, kind: str, fmt_text: str, path: Path) -> None:
        services = self._ctx.services
        fmt: Literal["csv", "xlsx"] = "xlsx" if fmt_text == "xlsx" else "csv"
        period = self.period()
        country = self.country.currentData()
        job: Callable[[Progress], Any]
        if kind == "cases":
            reporting = services.get(ReportingService)
            flt = self.metric_filter()
            job = lambda p: reporting.export_cases(  # noqa: E731
                path, fmt, flt, progress=p.report, cancelled=p.is_cancelled
            )
        elif kind == "interventions":
            field = services.get(InterventionExportService)
            ifl = InterventionExportFilter(from_on=period.start, to_on=period.end, country=country)
            job = lambda p: field.export(  # noqa: E731
                path, fmt=fmt, flt=ifl, progress=p.report, cancelled=p.is_cancelled
            )
        elif kind == "hearings":
            court = services.get(CourtOutputService)
            job = lambda p: court.export_hearings(  # noqa: E731
                path,
                fmt=fmt,
                since=period.start,
                until=period.end,
                progress=p.report,
                cancelled=p.is_cancelled,
            )
        elif kind in EXPORT_CARE:
            care_kind = EXPORT_CARE[kind]
            care = services.get(CareExportService)
            cfl = CareExportFilter(from_on=period.start, to_on=period.end, country=country)
            job = lambda p: care.export(  # noqa: E731
                care_kind,
                path,
                fmt=fmt,
                flt=cfl,
                progress=p.report,
                cancelled=p.is_cancelled,
            )
        else:
            raise ValueError(f"unknown export kind {kind!r}")
        self.run_job(self.tr("Exporting…"), job)
