"""The mailbox's categories and deadline tiers: data the agency edits, content/mailbox/categories.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

RULES_FILE = Path("mailbox") / "categories.yaml"
CODE_MAX = 32


class RulesError(ValueError):
    """The categories file cannot be used; the message names the entry and the fix."""


@dataclass(frozen=True)
class Tier:
    code: str
    working_days: int
    zh: str
    en: str


@dataclass(frozen=True)
class Category:
    code: str
    zh: str
    en: str
    tier: str
    unit: str

    def name(self, language: str) -> str:
        return self.en if language == "en" else self.zh


@dataclass(frozen=True)
class Rules:
    tiers: dict[str, Tier]
    categories: dict[str, Category]

    def deadline_days(self, category: str) -> int:
        return self.tiers[self.categories[category].tier].working_days


def load_rules(content_dir: Path, units: frozenset[str] | None = None) -> Rules:
    """Read and validate the file; ``units``: the unit codes a category may name (codes/units.yaml)."""
    path = content_dir / RULES_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"{RULES_FILE}: missing — the mailbox needs its categories and tiers (see docs/mailbox.md)") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RulesError(f"{RULES_FILE}: cannot be read ({error}) — write it as UTF-8 YAML") from None
    if not isinstance(data, dict):
        raise RulesError(f"{RULES_FILE}: must have 'tiers:' and 'categories:' lists")
    tiers = {}
    for number, entry in enumerate(_entries(data, "tiers"), 1):
        code = _code(entry, "tiers", number, tiers)
        days = entry.get("working_days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
            raise RulesError(f"{RULES_FILE}: tiers entry {number} ({code}): 'working_days:' must be a whole number from 1 to 60")
        tiers[code] = Tier(code, days, *_names(entry, "tiers", number))
    categories = {}
    for number, entry in enumerate(_entries(data, "categories"), 1):
        code = _code(entry, "categories", number, categories)
        tier, unit = str(entry.get("tier") or ""), str(entry.get("unit") or "")
        if tier not in tiers:
            raise RulesError(f"{RULES_FILE}: categories entry {number} ({code}): tier {tier!r} is not a tier — use one of {', '.join(tiers)}")
        if units is not None and unit not in units:
            raise RulesError(f"{RULES_FILE}: categories entry {number} ({code}): unit {unit!r} is not in codes/units.yaml — use a unit code listed there")
        categories[code] = Category(code, *_names(entry, "categories", number), tier=tier, unit=unit)
    return Rules(tiers, categories)


def _entries(data: dict, key: str) -> list[dict]:
    entries = data.get(key)
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise RulesError(f"{RULES_FILE}: '{key}:' must be a non-empty list of entries like {{code: …, zh: …, en: …}}")
    return entries


def _code(entry: dict, key: str, number: int, seen: dict) -> str:
    code = str(entry.get("code") or "")
    if not code or len(code) > CODE_MAX or not all(c.islower() or c.isdigit() or c == "-" for c in code) or not code.isascii():
        raise RulesError(f"{RULES_FILE}: {key} entry {number}: 'code:' must be lower-case letters, digits and '-' (at most {CODE_MAX})")
    if code in seen:
        raise RulesError(f"{RULES_FILE}: {key} entry {number}: code {code!r} is listed twice — give each entry its own code")
    return code


def _names(entry: dict, key: str, number: int) -> tuple[str, str]:
    zh, en = str(entry.get("zh") or "").strip(), str(entry.get("en") or "").strip()
    if not zh or not en:
        raise RulesError(f"{RULES_FILE}: {key} entry {number}: needs both 'zh:' and 'en:' names")
    return zh, en
