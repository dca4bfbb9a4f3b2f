"""The ``?page=`` of a long list (the audit log, the case queue): a positive number, anything
else the first page — a link's choice, not a person's typing, so it needs no error message."""

from __future__ import annotations

from collections.abc import Mapping

MAX_PAGE = 10_000


def page_number(args: Mapping[str, str]) -> int:
    text = args.get("page", "1")
    return min(int(text), MAX_PAGE) if text.isdigit() and 0 < len(text) < 6 and int(text) > 0 else 1
