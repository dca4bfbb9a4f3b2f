"""WCAG success criteria and Freego codes of a rule, from the engines' own identifiers."""

from __future__ import annotations

import re

WCAG_TAG = re.compile(r"^wcag(\d)(\d)(\d+)$")  # axe: wcag143 -> 1.4.3
HTMLCS_CRITERION = re.compile(r"Guideline\d+_\d+\.(\d+)_(\d+)_(\d+)")  # WCAG2AA.Principle1.Guideline1_4.1_4_3.G18.Fail

# Freego detection codes (MODA 網站無障礙規範 110.07) per rule, gathered from public agency code and the PDIS Freego implementation report: [practice], not read in the official text. An agency may replace this file.
# Kept as data in Python so that it ships inside the package.
FREEGO_CODES: dict[str, dict[str, str]] = {
    "axe": {
        "image-alt": "HM1110100C",
        "input-image-alt": "HM1110100C",
        "area-alt": "HM1110100C",
        "role-img-alt": "HM1110100C",
        "svg-img-alt": "HM1110100C",
        "object-alt": "HM1110100C",
        "empty-heading": "HM1130100C",
        "label": "HM1130104C",
        "select-name": "HM1130104C",
        "aria-input-field-name": "HM1130104C",
        "document-title": "HM1240200C",
        "link-name": "HM1240401C",
        "html-has-lang": "HM1310100C",
        "html-lang-valid": "HM1310100C",
        "valid-lang": "HM2310200C",
        "button-name": "HM1410200C",
        "aria-command-name": "HM1410200C",
        "frame-title": "HM1410200C"
    },
    "htmlcs": {
        "H37": "HM1110100C",
        "H36": "HM1110100C",
        "H24": "HM1110100C",
        "H30.2": "HM1240401C",
        "H44.NonExistent": "HM1130104C",
        "F68": "HM1130104C",
        "H25.1.NoTitleEl": "HM1240200C",
        "H25.1.EmptyTitle": "HM1240200C",
        "H57.2": "HM1310100C",
        "H57.3.Lang": "HM1310100C",
        "H91": "HM1410200C",
        "H64.1": "HM1410200C"
    },
    "conventions": {
        "open-format-download": "ME1320200C"
    }
}


def axe_criteria(tags: list[str]) -> str:
    found = [".".join(m.groups()) for tag in tags if (m := WCAG_TAG.match(tag))]
    return ", ".join(dict.fromkeys(found))


def htmlcs_criterion(code: str) -> str:
    match = HTMLCS_CRITERION.search(code)
    return ".".join(match.groups()) if match else ""


def freego_for(engine: str, rule: str) -> str:
    table = FREEGO_CODES.get(engine, {})
    if engine == "htmlcs":
        technique = rule.split(".", 4)[-1] if rule.count(".") >= 4 else rule
        return next((code for key, code in table.items() if technique.startswith(key)), "")
    return table.get(rule, "")
