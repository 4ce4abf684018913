"""Lawyers' commands: the court record (``ijmcase court ...``), the docket
report, and the hearings and calendar exports.

People are named by code (case ``IN-2026-0042``, accused ``A-IN-0007``,
survivor ``S-IN-0042``) and hearings by their case and date, as a lawyer
reads them off a cause list. Every rule and permission is the services';
a refusal prints one line and exits with status 1.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from ijmcase.cli.commands import _session
from ijmcase.cli.io import CliError, say
from ijmcase.domain.court_drafts import (
    ChargeDraft,
    CompensationDraft,
    CustodyDraft,
    HearingDraft,
    HearingResult,
    OutcomeDraft,
    ProtectionDraft,
)
from ijmcase.domain.enums import (
    CustodyStatus,
    HearingOutcome,
    PartyKind,
    ProceedingOutcome,
    ProtectionKind,
    parse_enum,
)
from ijmcase.domain.errors import NotFound
from ijmcase.services.calendar import CalendarService
from ijmcase.services.cases import CaseDetail, CaseService
from ijmcase.services.court import CourtService
from ijmcase.services.court_outputs import DEFAULT_CALENDAR_DAYS, CourtOutputService
from ijmcase.services.court_views import ProceedingView
from ijmcase.services.hearings import HearingService
from ijmcase.services.victim_support import VictimSupportService

__all__ = ["register"]

if TYPE_CHECKING:
    Sub = argparse._SubParsersAction[argparse.ArgumentParser]


# -- parsing -----------------------------------------------------------------------


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write YYYY-MM-DD") from None


def _moment(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date and time; write 'YYYY-MM-DD HH:MM' (the court's time)"
        ) from None
    if value.tzinfo is not None:
        raise argparse.ArgumentTypeError(
            "give the court's wall-clock time without an offset; the zone goes in --zone"
        )
    return value


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a time; write HH:MM") from None


def _amount(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not an amount") from None
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _choices(enum: type[StrEnum]) -> str:
    return ", ".join(m.value for m in enum)


# -- lookups ------------------------------------------------------------------------


def _case(cases: CaseService, code: str) -> CaseDetail:
    return cases.find_by_code(code)


def _proceeding(court: CourtService, case: CaseDetail, accused: str) -> ProceedingView:
    return court.find_proceeding(case.id, accused)


def _survivor(case: CaseDetail, code: str) -> uuid.UUID:
    wanted = code.strip().upper()
    for party in case.parties:
        if party.kind is PartyKind.SURVIVOR and party.label == wanted:
            return party.person_id
    raise NotFound(f"There is no survivor {code.strip()} in case {case.code}.", code="no_survivor")


# -- the court record -------------------------------------------------------------


def templates(args: argparse.Namespace) -> int:
    with _session(args) as s:
        names = CourtService(s.db, s.actor).template_names()
    for key, name in names:
        say(f"{key:<8} {name}")
    return 0


def show(args: argparse.Namespace) -> int:
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        proceedings = CourtService(s.db, s.actor).proceedings(case.id)
        hearings = HearingService(s.db, s.actor).hearings(case.id)
    say(f"{case.code}  {case.title}")
    if not proceedings:
        say("  no proceedings yet")
    for p in proceedings:
        stage = p.reporting_stage.label if p.reporting_stage else "not started"
        say(f"  {p.accused_code} {p.accused_name}: {p.pathway_name}; {stage}; {p.outcome.label}")
        if p.sentence_text:
            say(f"    sentence: {p.sentence_text}")
        for c in p.charges:
            say(f"    charge {c.filed_on} {c.citation} [{c.status.value}]")
        for m in p.milestones:
            done = f"skipped: {m.reason}" if m.skipped else "reached"
            say(f"    {m.on} {m.label} ({done})")
        if p.next_steps:
            say("    next: " + "; ".join(f"{n.key} ({n.label})" for n in p.next_steps))
        for d in p.deadlines:
            flag = "OVERDUE " if d.overdue else ""
            say(f"    {flag}deadline {d.due_on}: {d.milestone_label}")
    for h in hearings:
        outcome = h.outcome.value if h.outcome else "no outcome yet"
        say(
            f"  hearing {h.local_date} {h.local_time_text} {h.timezone} {h.court_name} "
            f"({h.accused_code or 'all accused'}): {h.purpose} [{outcome}]"
        )
    return 0


def add_proceeding(args: argparse.Namespace) -> int:
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        court = CourtService(s.db, s.actor)
        court_id = None
        if args.court:
            court_id = HearingService(s.db, s.actor).court_named(args.court, case.country)
        view = court.add_proceeding(
            case.id,
            court.accused_id(case.id, args.accused),
            template=args.template,
            court_id=court_id,
            court_case_number=args.number or "",
        ).value
    say(
        f"Started the proceeding against {view.accused_code} in {view.case_code}: "
        f"{view.pathway_name}."
    )
    return 0


def add_charge(args: argparse.Namespace) -> int:
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        court = CourtService(s.db, s.actor)
        proceeding = _proceeding(court, case, args.accused)
        draft = ChargeDraft(
            statute=args.statute,
            section=args.section or "",
            description=args.description or "",
            filed_on=args.filed,
        )
        court.add_charge(proceeding.id, draft)
    cited = f"{args.statute} {args.section or ''}".strip()
    say(f"Recorded the charge against {proceeding.accused_code}: {cited}.")
    return 0


def record_custody(args: argparse.Namespace) -> int:
    status = parse_enum(CustodyStatus, args.status, field="custody_status")
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        court = CourtService(s.db, s.actor)
        proceeding = _proceeding(court, case, args.accused)
        court.record_custody(proceeding.id, CustodyDraft(status, args.on, args.place or ""))
    say(f"{proceeding.accused_code}: {status.label.lower()} from {args.on.isoformat()}.")
    return 0


def record_milestone(args: argparse.Namespace) -> int:
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        court = CourtService(s.db, s.actor)
        proceeding = _proceeding(court, case, args.accused)
        outcome = court.record_milestone(
            proceeding.id,
            args.milestone,
            args.on,
            skipped=args.skip is not None,
            reason=args.skip or "",
        )
    view = outcome.value
    last = view.milestones[-1]
    verb = "Skipped" if last.skipped else "Recorded"
    say(f"{verb} '{last.label}' for {view.accused_code} on {last.on.isoformat()}.")
    if outcome.changes.touches("tracks"):
        say("The case's accountability track moved with it.")
    return 0


def record_outcome(args: argparse.Namespace) -> int:
    result = parse_enum(ProceedingOutcome, args.outcome, field="outcome")
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        court = CourtService(s.db, s.actor)
        proceeding = _proceeding(court, case, args.accused)
        view = court.record_outcome(
            proceeding.id,
            OutcomeDraft(
                outcome=result,
                on=args.on,
                prison_months=args.prison_months,
                life_sentence=args.life,
                fine_amount=args.fine,
                fine_currency=args.currency or "",
            ),
        ).value
    extra = f"; sentence: {view.sentence_text}" if view.sentence_text else ""
    say(f"{view.accused_code}: {view.outcome.label.lower()}{extra}.")
    return 0


def schedule_hearing(args: argparse.Namespace) -> int:
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        hearings = HearingService(s.db, s.actor)
        proceeding_id = None
        if args.accused:
            proceeding_id = _proceeding(CourtService(s.db, s.actor), case, args.accused).id
        court_id = None
        if args.court:
            court_id = hearings.court_named(args.court, case.country)
        survivor_id = _survivor(case, args.testifies) if args.testifies else None
        measure_id = None
        if args.protection:
            kind = parse_enum(ProtectionKind, args.protection, field="protection")
            measures = [
                m
                for m in VictimSupportService(s.db, s.actor).measures(case.id)
                if m.survivor_id == survivor_id and m.kind is kind
            ]
            if not measures:
                raise CliError(
                    f"Record the {kind.label.lower()} for {args.testifies} first "
                    "(ijmcase court protection)."
                )
            measure_id = measures[-1].id
        draft = HearingDraft(
            starts_at=args.at,
            timezone=args.zone or "",
            purpose=args.purpose,
            proceeding_id=proceeding_id,
            court_id=court_id,
            court_name="" if court_id else (args.court_name or ""),
            courtroom=args.courtroom or "",
            staff_ids=tuple(hearings.staff_ids(args.attend or [])),
            survivor_testifies=survivor_id is not None,
            testifying_survivor_id=survivor_id,
            protection_measure_id=measure_id,
            preparation=args.prepare or "",
        )
        row = hearings.schedule(case.id, draft).value
    say(
        f"Scheduled a hearing in {row.case_code} on {row.local_date.isoformat()} at "
        f"{row.local_time_text} ({row.timezone}), {row.court_name}."
    )
    return 0


def hearing_result(args: argparse.Namespace) -> int:
    outcome = parse_enum(HearingOutcome, args.outcome, field="outcome")
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        hearings = HearingService(s.db, s.actor)
        hearing = hearings.find_hearing(case.id, args.date, accused_code=args.accused)
        recorded = hearings.record_outcome(
            hearing.id,
            HearingResult(
                outcome=outcome,
                reason=args.reason or "",
                next_on=args.next,
                next_time=args.next_time,
                next_purpose=args.next_purpose or "",
            ),
        ).value
    say(f"The hearing of {args.date.isoformat()} in {case.code} was {outcome.label.lower()}.")
    if recorded.next_hearing is not None:
        nxt = recorded.next_hearing
        say(
            f"Next hearing: {nxt.local_date.isoformat()} at {nxt.local_time_text} ({nxt.timezone})."
        )
    return 0


def add_protection(args: argparse.Namespace) -> int:
    kind = parse_enum(ProtectionKind, args.kind, field="kind")
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        VictimSupportService(s.db, s.actor).add_measure(
            case.id,
            ProtectionDraft(
                kind, _survivor(case, args.survivor), args.start, args.end, args.authority or ""
            ),
        )
    say(f"Recorded {kind.label.lower()} for {args.survivor.strip().upper()} in {case.code}.")
    return 0


def add_compensation(args: argparse.Namespace) -> int:
    with _session(args) as s:
        case = _case(CaseService(s.db, s.actor), args.case)
        view = (
            VictimSupportService(s.db, s.actor)
            .add_claim(
                case.id,
                CompensationDraft(
                    scheme=args.scheme,
                    applied_on=args.applied,
                    currency=args.currency,
                    survivor_id=_survivor(case, args.survivor),
                    applied_amount=args.amount,
                ),
            )
            .value
        )
    say(f"Recorded the claim of {view.survivor_code} under {view.scheme} ({view.status.label}).")
    return 0


def attention(args: argparse.Namespace) -> int:
    with _session(args) as s:
        items = CalendarService(s.db, s.actor).attention(mine=not args.all)
    if not items:
        say("Nothing needs attention.")
    for item in items:
        when = item.on.isoformat() if item.on else "          "
        say(f"{when}  {item.case_code:<13} {item.kind.value:<19} {item.message}")
    return 0


def adjournments(args: argparse.Namespace) -> int:
    with _session(args) as s:
        service = HearingService(s.db, s.actor)
        if args.case:
            case = _case(CaseService(s.db, s.actor), args.case)
            counts = [service.adjournments(case.id)]
        else:
            counts = service.adjournments_by_court(mine=args.mine)
    say(f"{'HEARINGS':>8} {'ADJOURNED':>9} {'VACATED':>7} {'SHARE':>6}  WHERE")
    for c in counts:
        say(
            f"{c.hearings:>8,} {c.adjourned:>9,} {c.vacated:>7,} {c.adjourned_share:>6.0%}  {c.key}"
        )
    return 0


# -- reports and exports ------------------------------------------------------------


def report_docket(args: argparse.Namespace) -> int:
    with _session(args) as s:
        result = (
            CourtOutputService(s.db, s.actor)
            .docket_report(
                Path(args.output),
                days=args.days,
                mine=args.mine,
                court=args.court or "",
                full=args.full,
                start=args.start,
            )
            .value
        )
    say(f"Wrote {result.path} ({result.count:,} hearings, {result.pages} pages).")
    return 0


def export_calendar(args: argparse.Namespace) -> int:
    with _session(args) as s:
        result = (
            CourtOutputService(s.db, s.actor)
            .export_calendar(Path(args.output), days=args.days, mine=args.mine)
            .value
        )
    say(f"Wrote {result.path} ({result.count:,} events).")
    return 0


def export_hearings(args: argparse.Namespace) -> int:
    with _session(args) as s:
        result = (
            CourtOutputService(s.db, s.actor)
            .export_hearings(
                Path(args.output),
                fmt=args.format,
                since=args.since,
                until=args.until,
                mine=args.mine,
                full=args.full,
            )
            .value
        )
    say(f"Wrote {result.path} ({result.count:,} hearings).")
    return 0


# -- registration -------------------------------------------------------------------


def _case_and_accused(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", help="case code, e.g. PH-2026-0042")
    p.add_argument("accused", metavar="ACCUSED", help="accused code, e.g. A-PH-0007")


def _register_court(commands: Sub) -> None:
    court = commands.add_parser(
        "court", help="the court record: proceedings, charges, milestones, hearings"
    )
    sub = court.add_subparsers(dest="court_command", metavar="ACTION", required=True)

    sub.add_parser("templates", help="list the legal-pathway templates").set_defaults(
        func=templates
    )

    p = sub.add_parser("show", help="a case's proceedings, deadlines and hearings")
    p.add_argument("case", metavar="CASE")
    p.set_defaults(func=show)

    p = sub.add_parser("proceeding", help="start the proceeding against an accused")
    _case_and_accused(p)
    p.add_argument("--template", help="pathway template (default: the case's country, or generic)")
    p.add_argument("--court", metavar="NAME", help="the court (part of its name)")
    p.add_argument("--number", metavar="TEXT", help="the court's case number")
    p.set_defaults(func=add_proceeding)

    p = sub.add_parser("charge", help="record a charge against an accused")
    _case_and_accused(p)
    p.add_argument("--statute", required=True, help="the law, e.g. 'RA 9208 as amended'")
    p.add_argument("--section", help="the section, e.g. 's. 4(a)'")
    p.add_argument("--description", help="what is alleged")
    p.add_argument("--filed", required=True, type=_day, metavar="DATE")
    p.set_defaults(func=add_charge)

    p = sub.add_parser("custody", help="record the accused's custody from a day on")
    _case_and_accused(p)
    p.add_argument("status", help=_choices(CustodyStatus))
    p.add_argument("--on", required=True, type=_day, metavar="DATE")
    p.add_argument("--place", help="where (police station, jail)")
    p.set_defaults(func=record_custody)

    p = sub.add_parser("milestone", help="record (or skip) a milestone of the proceeding")
    _case_and_accused(p)
    p.add_argument("milestone", metavar="KEY", help="the milestone's key (see 'court show')")
    p.add_argument("--on", required=True, type=_day, metavar="DATE")
    p.add_argument("--skip", metavar="REASON", help="skip the step, saying why")
    p.set_defaults(func=record_milestone)

    p = sub.add_parser("outcome", help="record the outcome and sentence")
    _case_and_accused(p)
    p.add_argument("outcome", help=_choices(ProceedingOutcome))
    p.add_argument("--on", required=True, type=_day, metavar="DATE")
    p.add_argument("--prison-months", type=_positive, metavar="N")
    p.add_argument("--life", action="store_true", help="life imprisonment")
    p.add_argument("--fine", type=_amount, metavar="AMOUNT")
    p.add_argument("--currency", metavar="CODE", help="currency of the fine, e.g. PHP")
    p.set_defaults(func=record_outcome)

    p = sub.add_parser("hearing", help="schedule a hearing")
    p.add_argument("case", metavar="CASE")
    p.add_argument(
        "--at", required=True, type=_moment, metavar="'YYYY-MM-DD HH:MM'", help="the court's time"
    )
    p.add_argument("--purpose", required=True)
    p.add_argument("--accused", metavar="CODE", help="the accused whose proceeding it is")
    p.add_argument("--zone", help="the court's IANA time zone (default: the case's country)")
    p.add_argument("--court", metavar="NAME", help="a court known to ijmcase (part of its name)")
    p.add_argument("--court-name", metavar="TEXT", help="a court not in ijmcase, by name")
    p.add_argument("--courtroom")
    p.add_argument("--attend", nargs="+", metavar="USER", help="staff who attend")
    p.add_argument("--testifies", metavar="SURVIVOR", help="code of the survivor who testifies")
    p.add_argument(
        "--protection",
        metavar="KIND",
        help=f"measure for the testimony: {_choices(ProtectionKind)}",
    )
    p.add_argument("--prepare", metavar="TEXT", help="what must be prepared")
    p.set_defaults(func=schedule_hearing)

    p = sub.add_parser("result", help="record what happened at a hearing, and the next date")
    p.add_argument("case", metavar="CASE")
    p.add_argument("outcome", help=_choices(HearingOutcome))
    p.add_argument("--date", required=True, type=_day, metavar="DATE", help="the hearing's date")
    p.add_argument("--accused", metavar="CODE", help="when the case has several hearings that day")
    p.add_argument("--reason", help="why it was adjourned or vacated")
    p.add_argument("--next", type=_day, metavar="DATE", help="the next date the court sits")
    p.add_argument("--next-time", type=_clock, metavar="HH:MM")
    p.add_argument("--next-purpose", metavar="TEXT")
    p.set_defaults(func=hearing_result)

    p = sub.add_parser("protection", help="record a protection measure or a threat reported")
    p.add_argument("case", metavar="CASE")
    p.add_argument("survivor", metavar="SURVIVOR", help="survivor code")
    p.add_argument("kind", help=_choices(ProtectionKind))
    p.add_argument("--from", dest="start", required=True, type=_day, metavar="DATE")
    p.add_argument("--to", dest="end", type=_day, metavar="DATE")
    p.add_argument("--authority", help="who granted it")
    p.set_defaults(func=add_protection)

    p = sub.add_parser("compensation", help="record a victim-compensation claim")
    p.add_argument("case", metavar="CASE")
    p.add_argument("survivor", metavar="SURVIVOR", help="survivor code")
    p.add_argument("--scheme", required=True)
    p.add_argument("--applied", required=True, type=_day, metavar="DATE")
    p.add_argument("--amount", type=_amount, metavar="AMOUNT")
    p.add_argument("--currency", required=True, metavar="CODE")
    p.set_defaults(func=add_compensation)

    p = sub.add_parser("attention", help="what needs attention (my cases; --all: every case)")
    p.add_argument("--all", action="store_true")
    p.set_defaults(func=attention)

    p = sub.add_parser("adjournments", help="adjournments per court, or in one case")
    p.add_argument("--case", metavar="CASE")
    p.add_argument("--mine", action="store_true", help="only my cases")
    p.set_defaults(func=adjournments)


def register(commands: Sub, reports: Sub, exports: Sub) -> None:
    """Add this area's commands to the top level, ``report`` and ``export``."""
    _register_court(commands)

    docket = reports.add_parser(
        "docket", help="hearings of the coming days by date and court (PDF)"
    )
    docket.add_argument("-o", "--output", required=True, metavar="OUT.pdf")
    docket.add_argument("--days", type=_positive, default=7, metavar="N", help="default 7")
    docket.add_argument("--from", dest="start", type=_day, metavar="DATE", help="default today")
    docket.add_argument("--mine", action="store_true", help="only the cases I am assigned to")
    docket.add_argument("--court", metavar="NAME", help="only courts whose name contains NAME")
    docket.add_argument("--full", action="store_true", help="with the accused persons' names")
    docket.set_defaults(func=report_docket)

    calendar = exports.add_parser(
        "calendar", help="upcoming hearings and deadlines as an iCalendar file"
    )
    calendar.add_argument("-o", "--output", required=True, metavar="OUT.ics")
    calendar.add_argument(
        "--days",
        type=_positive,
        default=DEFAULT_CALENDAR_DAYS,
        metavar="N",
        help=f"default {DEFAULT_CALENDAR_DAYS}",
    )
    calendar.add_argument("--mine", action="store_true", help="only the cases I am assigned to")
    calendar.set_defaults(func=export_calendar)

    hearings = exports.add_parser("hearings", help="every hearing as CSV or Excel (redacted)")
    hearings.add_argument("--format", required=True, choices=("csv", "xlsx"))
    hearings.add_argument("-o", "--output", required=True, metavar="OUT")
    hearings.add_argument("--from", dest="since", type=_day, metavar="DATE")
    hearings.add_argument("--to", dest="until", type=_day, metavar="DATE")
    hearings.add_argument("--mine", action="store_true", help="only the cases I am assigned to")
    hearings.add_argument("--full", action="store_true", help="with names of the accused and notes")
    hearings.set_defaults(func=export_hearings)
