"""Reports and exports: data in, bytes out; no Session, no Qt.

Services gather plain rows and aggregates (and decide what a person may
see); this package turns them into files:

* PDF reports (:mod:`.pdf_base`, :mod:`.pdf_tables`, :mod:`.pdf_charts`,
  :mod:`.pdf_styles`, fonts in :mod:`.fonts`): one look for every report,
  with cover block, confidentiality marking on every page, "Page N of M".
* CSV and XLSX exports from one column spec (:mod:`.columns`, :mod:`.tabular`).
* iCalendar exports (:mod:`.ics`).
* :func:`atomic_output`: every file is written whole or not at all.

Writers take optional ``progress(done, total)`` and ``cancelled()``
callables and raise :class:`ReportCancelled` when asked to stop.
"""

from ijmcase.reports.atomic import atomic_output, save_atomically
from ijmcase.reports.columns import Column, ColumnType
from ijmcase.reports.ics import CalendarEvent, build_ics, write_ics
from ijmcase.reports.meta import ReportMeta
from ijmcase.reports.progress import ReportCancelled
from ijmcase.reports.tabular import write_csv, write_xlsx

__all__ = [
    "CalendarEvent",
    "Column",
    "ColumnType",
    "ReportCancelled",
    "ReportMeta",
    "atomic_output",
    "build_ics",
    "save_atomically",
    "write_csv",
    "write_ics",
    "write_xlsx",
]
