"""What `gongkai check` says about the mailbox's data: the categories file and the office calendar,
including a warning when next year's calendar is missing (deadlines of cases received late in
the year run into it)."""

from __future__ import annotations

from pathlib import Path

import yaml

from gongkai import clock
from gongkai.mailbox.office_calendar import CALENDAR_FOLDER, CalendarError, read_year
from gongkai.mailbox.rules import RULES_FILE, RulesError, load_rules
from gongkai.problems import Problem


def problems(content_dir: Path, year: int | None = None) -> list[Problem]:
    """The mailbox's problems in ``content_dir``; ``year``: this year (Taiwan's), for the calendar."""
    year = year or clock.today().year
    found: list[Problem] = []
    if not (content_dir / "mailbox").is_dir():
        return found  # a site without the mailbox (the test fixtures, a site that does not offer one)
    try:
        load_rules(content_dir, _units(content_dir))
    except RulesError as error:
        found.append(Problem(file=str(RULES_FILE), code="mailbox.rules-invalid", message=_what(error),
                             fix=_fix(error, "correct the entry as the comments at the top of the file describe")))
    folder = content_dir / CALENDAR_FOLDER
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9].yaml")):
        try:
            read_year(path)
        except CalendarError as error:
            found.append(Problem(file=str(CALENDAR_FOLDER / path.name), code="mailbox.calendar-invalid", message=_what(error),
                                 fix=_fix(error, "correct the entry from the DGPA's calendar")))
    for wanted, code in ((year, "mailbox.calendar-missing"), (year + 1, "mailbox.calendar-next-year-missing")):
        if not (folder / f"{wanted}.yaml").is_file():
            found.append(Problem(file=str(CALENDAR_FOLDER / f"{wanted}.yaml"), code=code,
                                 message=f"no office calendar for {wanted}: deadlines running into {wanted} cannot be counted",
                                 fix=f"run `gongkai cases calendar-draft {wanted} > content/{CALENDAR_FOLDER}/{wanted}.yaml`, "
                                     "then check every date against the DGPA's 政府行政機關辦公日曆表"))
    return found


def _units(content_dir: Path) -> frozenset[str] | None:
    """The unit codes, or None when codes/units.yaml is unreadable (gongkai check reports that itself)."""
    try:
        entries = yaml.safe_load((content_dir / "codes" / "units.yaml").read_text(encoding="utf-8"))
        return frozenset(str(entry["code"]) for entry in entries)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, TypeError, KeyError):
        return None


def _what(error: Exception) -> str:
    """The message without its file name (the Problem carries that) and without its fix."""
    text = str(error).split(": ", 1)[-1]
    return text.split(" — ", 1)[0]


def _fix(error: Exception, default: str) -> str:
    parts = str(error).split(" — ", 1)
    return parts[1] if len(parts) == 2 else default
