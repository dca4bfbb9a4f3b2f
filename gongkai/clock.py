"""Today's date where the agency is: every date a page or a check depends on (overdue flags, the
date of an empty list, update cycles) is Taiwan's, whatever the server's own time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TAIWAN = ZoneInfo("Asia/Taipei")


def today() -> dt.date:
    return dt.datetime.now(TAIWAN).date()


def local_time(moment: dt.datetime) -> str:
    """A stored (UTC) moment as Taipei's clock shows it, to the second: logs and histories."""
    return moment.astimezone(TAIWAN).strftime("%Y-%m-%d %H:%M:%S")


def local_minute(moment: dt.datetime) -> str:
    """The same to the minute: what a page or a mail tells a person."""
    return moment.astimezone(TAIWAN).strftime("%Y-%m-%d %H:%M")


def local_date(moment: dt.datetime) -> str:
    """The day it was in Taipei."""
    return moment.astimezone(TAIWAN).date().isoformat()
