"""Silenced warnings: a webmaster's list of (tag, URL pattern) pairs, e.g. in var/links-silence.txt

    # tag                URL pattern (fnmatch: * and ?)
    blocked              https://www.facebook.com/*
    permanent-redirect   https://data.gov.tw/*

Broken results are never silenced: they are binary and must be fixed.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from gongkai.audits.results import WARNING_TAGS


class SilenceFileError(ValueError):
    pass


class Silencer:
    def __init__(self, rules: list[tuple[str, str]] | None = None) -> None:
        self.rules = rules or []

    def silenced(self, tag: str, url: str) -> bool:
        return any((rule_tag in (tag, "*")) and fnmatch.fnmatchcase(url, pattern) for rule_tag, pattern in self.rules)

    @classmethod
    def from_file(cls, path: Path) -> Silencer:
        rules = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
            if not line:
                continue
            parts = line.split(None, 1)
            if len(parts) != 2:
                raise SilenceFileError(f"{path}:{number}: expected 'TAG URL-PATTERN', got {line!r}")
            tag, pattern = parts
            if tag != "*" and tag not in WARNING_TAGS:
                raise SilenceFileError(f"{path}:{number}: unknown warning tag {tag!r} — use one of: {', '.join(sorted(WARNING_TAGS))}")
            rules.append((tag, pattern.strip()))
        return cls(rules)
