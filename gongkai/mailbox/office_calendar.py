"""The government office calendar (政府行政機關辦公日曆表) and "N working days after a date".

The calendar is data the agency keeps, one file a year in ``content/mailbox/calendar/YYYY.yaml``:
the days off that fall on weekdays (holidays, observed holidays) and the Saturdays that are
make-up workdays (補行上班日). The counting itself is the ``holidays`` package's
(``HolidayBase.get_nth_working_day``: weekends off unless listed as workdays, holidays off), fed
from those files rather than from the package's own rules, so that a date the DGPA announces late
(a typhoon day is not one of them; a changed observance is) is one line the agency edits.

``draft_year`` writes a new year's file from the package's Taiwan calendar, for the webmaster to
check against the DGPA's published calendar before saving it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import holidays
import yaml

CALENDAR_FOLDER = Path("mailbox") / "calendar"


class CalendarError(ValueError):
    """A calendar file that cannot be used, with the file and the fix in its message."""


class OutsideCalendar(LookupError):
    """A count reached a year whose calendar file is missing: guessing would give a wrong deadline."""


@dataclass(frozen=True)
class YearCalendar:
    year: int
    days_off: dict[dt.date, str]  # weekday holidays (a holiday on a weekend changes nothing)
    workdays: dict[dt.date, str]  # make-up workdays on a weekend
    source: str


class _Office(holidays.HolidayBase):
    """The holidays package's working-day arithmetic over dates read from our files."""

    def __init__(self, years: Iterable[YearCalendar]) -> None:
        super().__init__(expand=False)
        self.weekend_workdays = set()
        for year in years:
            self.update(year.days_off)
            self.weekend_workdays |= set(year.workdays)


class OfficeCalendar:
    """The years the agency has calendar files for; counts working days within them only."""

    def __init__(self, years: Iterable[YearCalendar]) -> None:
        self.years = {year.year: year for year in years}
        self._office = _Office(self.years.values())

    @classmethod
    def load(cls, content_dir: Path) -> OfficeCalendar:
        folder = content_dir / CALENDAR_FOLDER
        return cls(read_year(path) for path in sorted(folder.glob("[0-9][0-9][0-9][0-9].yaml")))

    def is_working_day(self, day: dt.date) -> bool:
        self._known(day)
        return self._office.is_working_day(day)

    def working_days_after(self, start: dt.date, count: int) -> dt.date:
        """The day ``count`` working days after ``start`` (the day of receipt is not counted, as
        行政程序法 §48 does not count the first day)."""
        if count < 1:
            raise ValueError("a deadline is at least one working day")
        end = self._office.get_nth_working_day(start, count)
        for year in range(start.year, end.year + 1):
            self._known(dt.date(year, 1, 1))
        return end

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
        if end <= start:
            return 0
        self._known(start)
        self._known(end)
        return self._office.get_working_days_count(start + dt.timedelta(days=1), end)

    def _known(self, day: dt.date) -> None:
        if day.year not in self.years:
            raise OutsideCalendar(f"no office calendar for {day.year}: add content/mailbox/calendar/{day.year}.yaml "
                                  f"(`gongkai cases calendar-draft {day.year}` writes a draft to check against the DGPA's calendar)")


def read_year(path: Path) -> YearCalendar:
    """One year's file; CalendarError names the file, the entry and the fix."""
    where = f"{CALENDAR_FOLDER / path.name}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CalendarError(f"{where}: cannot be read ({error}) — write it as UTF-8 YAML like the other years' files") from None
    if not isinstance(data, dict) or data.get("year") != int(path.stem):
        raise CalendarError(f"{where}: its 'year:' must be {path.stem}, the year in the file's name")
    if not str(data.get("source") or "").strip():
        raise CalendarError(f"{where}: 'source:' is empty — name the DGPA calendar (or other source) the dates come from")
    days_off = _dates(data.get("days_off"), where, "days_off", int(path.stem))
    workdays = _dates(data.get("make_up_workdays"), where, "make_up_workdays", int(path.stem))
    for day in workdays:
        if day.weekday() < 5:
            raise CalendarError(f"{where}: make_up_workdays: {day} is a weekday — list only the Saturdays or Sundays worked (補行上班日)")
    for day in set(days_off) & set(workdays):
        raise CalendarError(f"{where}: {day} is both a day off and a make-up workday — keep it in one list")
    return YearCalendar(int(path.stem), days_off, workdays, str(data["source"]).strip())


def _dates(entries: object, where: str, key: str, year: int) -> dict[dt.date, str]:
    if entries is None:
        return {}
    if not isinstance(entries, list):
        raise CalendarError(f"{where}: '{key}:' must be a list of {{date: YYYY-MM-DD, name: …}} entries")
    found: dict[dt.date, str] = {}
    for number, entry in enumerate(entries, 1):
        day = entry.get("date") if isinstance(entry, dict) else None
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise CalendarError(f"{where}: {key} entry {number}: 'date:' must be a date written YYYY-MM-DD")
        if day.year != year:
            raise CalendarError(f"{where}: {key} entry {number}: {day} is not in {year} — move it to {day.year}.yaml")
        if day in found:
            raise CalendarError(f"{where}: {key}: {day} is listed twice — keep one entry")
        found[day] = str(entry.get("name") or "").strip() or key
    return found


def draft_year(year: int) -> str:
    """A calendar file for ``year`` from the holidays package's Taiwan calendar (government offices),
    to be checked against the DGPA's 政府行政機關辦公日曆表 before it is saved."""
    taiwan = holidays.TW(years=year, language="zh_TW")
    days_off = sorted((day, name) for day, name in taiwan.items() if day.weekday() < 5)
    workdays = sorted(day for day in taiwan.weekend_workdays if day.year == year)
    lines = [f"# 政府行政機關辦公日曆表 {year}（民國 {year - 1911} 年）: weekday days off and make-up workdays.",
             f"# Drafted by `gongkai cases calendar-draft {year}` from the holidays package {holidays.__version__} (Taiwan);",
             "# check every date against the DGPA's published calendar before relying on it.",
             f"year: {year}",
             f"source: holidays {holidays.__version__} (Taiwan, government offices) — to be checked against the DGPA calendar",
             "days_off:"]
    lines += [f"  - {{date: {day.isoformat()}, name: {json.dumps(name, ensure_ascii=False)}}}" for day, name in days_off]
    lines.append("make_up_workdays:" + ("" if workdays else " []"))
    lines += [f"  - {{date: {day.isoformat()}, name: 補行上班日}}" for day in workdays]
    return "\n".join(lines) + "\n"
