"""Published documents past their update cycle (月報 / 季報 / 年報), most overdue first.

A document is due ``UPDATE_CYCLES[update_cycle]`` days after its ``updated`` date
(``next_update_due``); 'as-needed' documents are never due. Today is Taiwan's date
(gongkai.clock), so a page is not overdue a day early or late on a server running in UTC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gongkai import clock

CYCLE_NAMES = {"monthly": "每月（月報）", "quarterly": "每季（季報）", "yearly": "每年（年報）"}


@dataclass(frozen=True)
class OverdueDocument:
    doc: Any
    due: dt.date  # the day it should have been updated by
    days: int  # days past due on the day it was found

    @property
    def key(self) -> str:
        """The document across languages and kinds: what a reminder is recorded against."""
        return f"{self.doc.lang}:{self.doc.kind}:{self.doc.id}"

    @property
    def cycle_name(self) -> str:
        return CYCLE_NAMES.get(self.doc.update_cycle, self.doc.update_cycle)


def overdue_documents(corpus: Any, units: Iterable[str] | None = None, today: dt.date | None = None) -> list[OverdueDocument]:
    """The published documents of ``units`` (all units when None) past their update cycle on
    ``today`` (Taiwan's today by default), the most overdue first, then by title."""
    today = today or clock.today()
    wanted = None if units is None else set(units)
    found = []
    for doc in corpus.documents:
        due = doc.next_update_due
        if due is None or due >= today or (wanted is not None and doc.unit not in wanted):
            continue
        found.append(OverdueDocument(doc, due, (today - due).days))
    return sorted(found, key=lambda item: (-item.days, item.doc.title, item.doc.lang))
