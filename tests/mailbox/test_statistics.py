"""The statistics counts on hand-made cases, on SQLite and PostgreSQL: months, categories and units
kept apart, on time against late across the 2026 Lunar New Year days off (content/mailbox/calendar/2026.yaml),
open cases overdue today, not handled and merged, the satisfaction mean."""

from __future__ import annotations

import datetime as dt
import itertools

from gongkai.mailbox import statistics
from gongkai.mailbox.models import Case
from gongkai.mailbox.office_calendar import OfficeCalendar
from gongkai.mailbox.states import CaseState

_serial = itertools.count(1)
D = dt.date


def case(received_on: dt.date, deadline: dt.date, *, category: str = "traffic", unit: str = "u1",
         state: CaseState = CaseState.RECEIVED, answered_on: dt.date | None = None, satisfaction: int | None = None) -> Case:
    n = next(_serial)
    return Case(category=category, subject="s", message="m", name="n", email="a@example.org", language="zh-TW",
                address="127.0.0.1", number=f"T{n:06d}", password_hash="x", confirmation_hash=f"{n:064d}", tier="t",
                unit=unit, submitted_at=dt.datetime(received_on.year, received_on.month, received_on.day, tzinfo=dt.UTC),
                received_on=received_on, deadline=deadline, state=state, answered_on=answered_on, satisfaction=satisfaction)


def test_counts_per_month_category_and_unit(box, mailbox_content):
    calendar = OfficeCalendar.load(mailbox_content)
    with box.sessions() as session:
        session.add_all([
            # Friday before the Lunar New Year: 16–20 February are days off, so the 24th is 2 working days on
            case(D(2026, 2, 13), D(2026, 2, 24), state=CaseState.ANSWERED, answered_on=D(2026, 2, 24), satisfaction=5),
            case(D(2026, 2, 13), D(2026, 2, 24), state=CaseState.ANSWERED, answered_on=D(2026, 2, 25), satisfaction=2),
            case(D(2026, 2, 20), D(2026, 3, 2)),  # still open, deadline passed: overdue
            case(D(2026, 2, 27), D(2026, 3, 30)),  # open, not yet due
            case(D(2026, 2, 10), D(2026, 2, 24), state=CaseState.NOT_HANDLED),
            case(D(2026, 2, 11), D(2026, 2, 25), state=CaseState.MERGED),
            case(D(2026, 3, 2), D(2026, 3, 16), category="water", state=CaseState.ANSWERED, answered_on=D(2026, 3, 3),
                 satisfaction=4),
            case(D(2026, 3, 2), D(2026, 3, 16), unit="u2"),
            case(D(2025, 12, 31), D(2026, 1, 14)),  # another year: not in 2026's counts
        ])
        session.commit()
        rows = statistics.year(session, calendar, 2026, today=D(2026, 3, 10))
        only_u2 = statistics.year(session, calendar, 2026, today=D(2026, 3, 10), unit="u2")
        years = statistics.years_with_cases(session)

    assert list(rows) == [statistics.Key("2026-02", "traffic", "u1"), statistics.Key("2026-03", "traffic", "u2"),
                          statistics.Key("2026-03", "water", "u1")]
    february = rows[statistics.Key("2026-02", "traffic", "u1")]
    assert (february.received, february.answered, february.answered_on_time, february.overdue,
            february.not_handled, february.merged) == (6, 2, 1, 2, 1, 1)
    assert february.mean_working_days == 2.5  # 2 and 3 working days: the holiday week counts none
    assert (february.satisfaction_mean, february.rating_count) == (3.5, 2)
    water = rows[statistics.Key("2026-03", "water", "u1")]
    assert (water.answered_on_time, water.mean_working_days, water.satisfaction_mean) == (1, 1.0, 4.0)
    assert list(only_u2) == [statistics.Key("2026-03", "traffic", "u2")]
    assert only_u2[statistics.Key("2026-03", "traffic", "u2")].overdue == 0
    per_unit = statistics.totals(rows, "unit")
    assert (per_unit["u1"].received, per_unit["u2"].received) == (7, 1)
    assert statistics.grand_total(rows.values()).received == 8
    assert years == [2026, 2025]
