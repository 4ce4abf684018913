"""Which views and case sections the main window offers.

Each area's views live in their own modules; this is the one place that
plugs them into the window: navigation entries (My day, Calendar, People,
Reports, Dashboard) and sections of the case workspace (Interventions,
Legal, Aftercare, Prevention, Documents). ``app.py`` calls
``install_views`` once after making the window; tests that want a view
call it too.
"""

from __future__ import annotations

from ijmcase.ui.aftercare_tab import AftercareTab
from ijmcase.ui.calendar_view import CalendarView
from ijmcase.ui.dashboard_view import DashboardView
from ijmcase.ui.documents_tab import DocumentsTab
from ijmcase.ui.intervention_form import install_entry_action
from ijmcase.ui.legal_tab import LegalTab
from ijmcase.ui.main_window import MainWindow
from ijmcase.ui.my_day import MyDayView
from ijmcase.ui.people_view import PeopleView
from ijmcase.ui.prevention_tab import PreventionTab
from ijmcase.ui.reports_view import ReportsView
from ijmcase.ui.timeline_tab import TimelineTab

__all__ = ["install_views"]


def install_views(window: MainWindow) -> None:
    """Register every view this build has with ``window``."""
    window.register_view("My day", MyDayView)
    window.register_view("Calendar", CalendarView)
    window.register_view("People", PeopleView)
    window.register_view("Reports", ReportsView)
    window.register_view("Dashboard", DashboardView)
    window.case_tabs["Aftercare"] = AftercareTab
    window.case_tabs["Prevention"] = PreventionTab
    window.case_tabs["Interventions"] = TimelineTab
    window.case_tabs["Legal"] = LegalTab
    window.case_tabs["Documents"] = DocumentsTab
    install_entry_action(window)
