"""The mailbox's counts per month (of received_on), category and unit — for the staff statistics
page and the open dataset. Flask-free. It reads only the columns a count needs: never a name, a
subject, a message or a day (rows are months), so nothing it returns can point at a person."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongkai.mailbox.models import Case
from gongkai.mailbox.office_calendar import OfficeCalendar
from gongkai.mailbox.states import CaseState

# Cases that ended without an answer: they are neither on time nor overdue.
_ENDED_UNANSWERED = frozenset({CaseState.MERGED, CaseState.NOT_HANDLED})


@dataclass
class Counts:
    """One month × category × unit (or a total over some of them)."""

    received: int = 0
    answered: int = 0
    answered_on_time: int = 0
    overdue: int = 0  # open past the deadline today, or answered after it
    not_handled: int = 0
    merged: int = 0
    working_days: list[int] = field(default_factory=list, repr=False)  # received → answered, one per answered case
    ratings: list[int] = field(default_factory=list, repr=False)

    @property
    def mean_working_days(self) -> float | None:
        return round(sum(self.working_days) / len(self.working_days), 1) if self.working_days else None

    @property
    def rating_count(self) -> int:
        return len(self.ratings)

    @property
    def satisfaction_mean(self) -> float | None:
        return round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None

    def add(self, other: Counts) -> None:
        self.received += other.received
        self.answered += other.answered
        self.answered_on_time += other.answered_on_time
        self.overdue += other.overdue
        self.not_handled += other.not_handled
        self.merged += other.merged
        self.working_days.extend(other.working_days)
        self.ratings.extend(other.ratings)


@dataclass(frozen=True)
class Key:
    month: str  # YYYY-MM of received_on
    category: str
    unit: str


def _case_counts(row: object, calendar: OfficeCalendar, today: dt.date) -> Counts:
    counts = Counts(received=1)
    state, deadline, answered_on = row.state, row.deadline, row.answered_on
    if answered_on is not None:
        counts.answered = 1
        if answered_on <= deadline:
            counts.answered_on_time = 1
        else:
            counts.overdue = 1
        counts.working_days.append(calendar.working_days_between(row.received_on, answered_on))
    elif state not in _ENDED_UNANSWERED and deadline < today:
        counts.overdue = 1
    counts.not_handled = int(state == CaseState.NOT_HANDLED)
    counts.merged = int(state == CaseState.MERGED)
    if row.satisfaction is not None:
        counts.ratings.append(row.satisfaction)
    return counts


def monthly(session: Session, calendar: OfficeCalendar, *, start: dt.date, end: dt.date, today: dt.date,
            unit: str | None = None) -> dict[Key, Counts]:
    """Counts of the cases received from ``start`` to ``end`` (inclusive), keyed by month, category and unit."""
    query = select(Case.received_on, Case.category, Case.unit, Case.state, Case.deadline, Case.answered_on,
                   Case.satisfaction).where(Case.received_on >= start, Case.received_on <= end)
    if unit is not None:
        query = query.where(Case.unit == unit)
    result: dict[Key, Counts] = defaultdict(Counts)
    for row in session.execute(query):
        key = Key(row.received_on.strftime("%Y-%m"), row.category, row.unit)
        result[key].add(_case_counts(row, calendar, today))
    return dict(sorted(result.items(), key=lambda item: (item[0].month, item[0].category, item[0].unit)))


def year(session: Session, calendar: OfficeCalendar, year_: int, *, today: dt.date,
         unit: str | None = None) -> dict[Key, Counts]:
    return monthly(session, calendar, start=dt.date(year_, 1, 1), end=dt.date(year_, 12, 31), today=today, unit=unit)


def totals(rows: dict[Key, Counts], by: str) -> dict[str, Counts]:
    """Sum the rows over everything but ``by`` ("month", "category" or "unit")."""
    result: dict[str, Counts] = defaultdict(Counts)
    for key, counts in rows.items():
        result[getattr(key, by)].add(counts)
    return dict(sorted(result.items()))


def grand_total(rows: Iterable[Counts]) -> Counts:
    total = Counts()
    for counts in rows:
        total.add(counts)
    return total


def years_with_cases(session: Session) -> list[int]:
    """The years any case was received in, newest first (the page's year choice)."""
    days = session.scalars(select(Case.received_on).distinct())
    return sorted({day.year for day in days}, reverse=True)
