"""The audit chain catches an edited or removed row and survives concurrent
writers, on both engines."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import func, select, text

from ijmcase.domain.drafts import CaseDraft
from ijmcase.domain.enums import ViolenceType
from ijmcase.persistence.audit import verify_chain
from ijmcase.persistence.models import AuditEvent
from tests.conftest import Org


def _some_history(org: Org, n: int = 4) -> None:
    cases = org.cases("caseworker")
    for i in range(n):
        cases.create(CaseDraft(f"Case {i}", ViolenceType.SEXUAL_VIOLENCE, "KE", date(2025, 1, 9)))


def _verify(org: Org) -> tuple[bool, int | None, str | None]:
    with org.db.transaction(write=False) as session:
        report = verify_chain(session)
    return report.ok, report.first_broken_seq, report.problem


def test_intact_chain_verifies(org: Org) -> None:
    _some_history(org)
    assert _verify(org) == (True, None, None)


def test_an_edited_row_is_named(org: Org) -> None:
    _some_history(org)
    with org.db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor_name = 'someone' WHERE seq = 5"))
    ok, seq, problem = _verify(org)
    assert (ok, seq) == (False, 5)
    assert problem == "event 5 was altered after it was written"


def test_a_removed_row_is_named(org: Org) -> None:
    _some_history(org)
    with org.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 3"))
    ok, seq, problem = _verify(org)
    assert (ok, seq) == (False, 4)
    assert problem == "event 3 is missing (the next event is number 4)"


def test_concurrent_writers_keep_one_chain(org: Org) -> None:
    errors: list[BaseException] = []

    def work(who: str) -> None:
        try:
            _some_history_as(org, who, 8)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in ("caseworker", "lawyer")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _verify(org)[0]
    with org.db.transaction(write=False) as session:
        count = session.scalar(select(func.count()).select_from(AuditEvent))
        top = session.scalar(select(func.max(AuditEvent.seq)))
    assert count == top


def _some_history_as(org: Org, who: str, n: int) -> None:
    cases = org.cases(who)
    for i in range(n):
        cases.create(CaseDraft(f"{who} {i}", ViolenceType.OSEC, "PH", date(2025, 2, 1)))
