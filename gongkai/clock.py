"""Today's date where the agency is: every date a page or a check depends on (overdue flags, the
date of an empty list, update cycles) is Taiwan's, whatever the server's own time zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TAIWAN = ZoneInfo("Asia/Taipei")


def today() -> dt.date:
    return dt.datetime.now(TAIWAN).date()
