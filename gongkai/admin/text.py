"""Typed text that goes where a line break or a control character cannot: a commit's trailer,
a page's one-line reason. A NUL stops git's command line and PostgreSQL alike."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Runs of white space as one space, control and other unprintable characters dropped."""
    return " ".join("".join(c for c in text if c.isprintable() or c.isspace()).split())
