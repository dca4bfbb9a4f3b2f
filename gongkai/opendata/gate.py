"""The personal-data gate (去個資識別化): scan every cell before anything is published.

Blocks: Taiwan national ID numbers and resident certificate numbers with a valid checksum,
mobile and landline numbers other than the agency's published office numbers, e-mail
addresses outside the agency's own domain, unmasked values in columns the schema marks as
personal (a masked name looks like 王○明), and personal names where the context marks them
(承辦人 王小明, 陳大文先生, a column of people: see names.py). Findings are reported masked, so
the report itself leaks nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from gongkai.opendata.names import MASKS, find_names, is_han, people_column, words
from gongkai.opendata.packages import Dataset
from gongkai.opendata.problems import Problem, data_problem

# letter → two-digit code of the ID checksum (內政部 rule)
LETTER_CODES = dict(zip("ABCDEFGHJKLMNPQRSTUVXYWZIO", range(10, 36), strict=True))
WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
# national ID (1/2), new resident certificate (8/9) or old resident certificate (second letter A–D)
ID_PATTERN = re.compile(r"(?<![A-Za-z0-9])([A-Za-z])([1289ABCDabcd])(\d{8})(?!\d)")
MOBILE = re.compile(r"(?<![\d+])(?:\+886[-\s]?|0)9\d{2}[-\s]?\d{3}[-\s]?\d{3}(?!\d)")
LANDLINE = re.compile(r"(?<![\d+])(?:\+886[-\s]?|0)\(?[2-8]\d{0,3}\)?[-\s]?\d{3,4}[-\s]?\d{3,4}(?!\d)")
LANDLINE_PAREN = re.compile(r"\(0[2-8]\d{0,3}\)\s?\d{3,4}[-\s]?\d{3,4}(?!\d)")
# \w, not A-Z: the mailbox accepts internationalised addresses (王小明@例子.台灣, SMTPUTF8)
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
# Table Schema types whose values are never a name (frictionless checks the values are of the type)
NOT_TEXT = frozenset({"integer", "number", "boolean", "date", "time", "datetime", "year", "yearmonth", "duration"})


@dataclass(frozen=True)
class Allowances:
    """What the agency publishes on purpose: its office numbers and its e-mail domain."""

    office_phones: frozenset[str]  # digits only
    email_domain: str

    @classmethod
    def of_agency(cls, agency) -> Allowances:
        phones = {*agency.office_phones, agency.phone, agency.fax}
        return cls(frozenset(digits(p) for p in phones if p), agency.email.rsplit("@", 1)[-1].lower())


def digits(text: str) -> str:
    value = re.sub(r"\D", "", text)
    return "0" + value[3:] if value.startswith("886") else value


def valid_id_checksum(number: str) -> bool:
    """A Taiwan national ID or resident certificate number whose check digit is right."""
    number = number.upper()
    if len(number) != 10 or number[0] not in LETTER_CODES:
        return False
    second = number[1]
    if second.isalpha():  # old resident certificate: the second letter counts by its code's last digit
        if second not in "ABCD":
            return False
        second = str(LETTER_CODES[second] % 10)
    elif second not in "1289":  # 1/2 national ID, 8/9 resident certificate since 2021
        return False
    if not (second + number[2:]).isdigit():
        return False
    code = LETTER_CODES[number[0]]
    values = (code // 10, code % 10, int(second), *(int(c) for c in number[2:]))
    return sum(w * v for w, v in zip(WEIGHTS, values, strict=True)) % 10 == 0


def mask(text: str, keep: int = 2) -> str:
    """Show the ends only: A1******89, 09**-***-678."""
    if len(text) <= keep * 2:
        return text[0] + "*" * (len(text) - 1)
    return text[:keep] + "".join("*" if c.isalnum() else c for c in text[keep:-keep]) + text[-keep:]


def mask_email(address: str) -> str:
    local, domain = address.rsplit("@", 1)
    return f"{local[0]}***@{domain}"


def mask_name(name: str) -> str:
    """Keep the surname, mask the rest: 王小明 → 王○○, 歐陽小明 → 歐陽○○, John Smith → J*** S****.

    Stricter than the open data's 王○明 (Name.masked): a case export circulates among staff who
    may know the citizen, and the last character often tells them who it is."""
    name = name.strip()
    if not name:
        return ""
    if is_han(name[0]):
        keep = min(words().surname_at(name, 0) or 1, len(name))
        return name[:keep] + "".join(c if c.isspace() else "○" for c in name[keep:])
    return " ".join(part[0] + "*" * (len(part) - 1) for part in name.split())


def mask_phone(number: str) -> str:
    """0912-345-678 → 0912-***-678: the first four and the last three digits of a full number,
    only the last two of a shorter one; separators stay, so the shape still reads as a phone."""
    count = sum(c.isdigit() for c in number)
    head, tail = (4, 3) if count >= 9 else (0, 2 if count >= 6 else 0)
    seen, out = 0, []
    for c in number:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= head or seen > count - tail else "*")
        else:
            out.append(c)
    return "".join(out)


def _phone(match: re.Match[str]) -> str:
    # the gate's rule for what is a phone number: 9 or 10 digits (an extension or a date is not)
    return mask_phone(match.group(0)) if 9 <= len(digits(match.group(0))) <= 10 else match.group(0)


def mask_text(text: str, names: Iterable[str] = (), phones: Iterable[str] = (), emails: Iterable[str] = ()) -> str:
    """Free text with its personal data masked: e-mail addresses, valid ID numbers, phone
    numbers, the known ``names`` and ``phones`` wherever they appear (the writer's own name needs
    no role word, a number without its area code matches no pattern) and the names the gate
    finds by their context (承辦人 王小明, 陳大文先生)."""
    for address in sorted({e.strip() for e in emails if "@" in e}, key=len, reverse=True):  # the writer's own, however written
        text = re.sub(re.escape(address), lambda m: mask_email(m.group(0)), text, flags=re.IGNORECASE)
    # then any other address (a masked one no longer matches: * is no address character); before phones: its digits are none
    text = EMAIL.sub(lambda m: mask_email(m.group(0)), text)
    text = ID_PATTERN.sub(lambda m: mask(m.group(0)) if valid_id_checksum(m.group(0)) else m.group(0), text)
    for phone in sorted({p.strip() for p in phones if sum(c.isdigit() for c in p) >= 6}, key=len, reverse=True):
        text = text.replace(phone, mask_phone(phone))
    for pattern in (MOBILE, LANDLINE_PAREN, LANDLINE):
        text = pattern.sub(_phone, text)
    for known in sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True):
        # a Latin name as a whole word only (Li is not the li of "public"); Chinese has no spaces to mark one
        pattern = rf"(?<![A-Za-z]){re.escape(known)}(?![A-Za-z])" if known.isascii() else re.escape(known)
        text = re.sub(pattern, lambda m: mask_name(m.group(0)), text, flags=re.IGNORECASE)
    for name in reversed(find_names(text)):  # from the end, so the earlier spans stay where they were
        text = text[:name.start] + mask_name(name.text) + text[name.end:]
    return text


def is_masked_name(value: str) -> bool:
    return any(c in MASKS for c in value)


class Found(NamedTuple):
    """One piece of personal data in a cell: its problem code, what was found (masked), the fix."""

    code: str
    message: str
    fix: str


def scan_cell(value: str, allow: Allowances, people: str = "") -> Iterator[Found]:
    """Each piece of personal data in one cell. ``people``: the word that marks the cell's column
    as holding people (姓名, 承辦人), if any."""
    for name in find_names(value, people):
        yield Found("data.personal-name", name.message(), name.fix())
    yield from scan_numbers(value, allow)


def scan_numbers(value: str, allow: Allowances) -> Iterator[Found]:
    """Each ID number, phone number and e-mail address in one cell."""
    if "@" not in value and sum(c.isdigit() for c in value) < 8:
        return  # an ID number has 9 digits, a phone number 9 or 10, an e-mail address an @
    for match in ID_PATTERN.finditer(value):
        number = match.group(0)
        if valid_id_checksum(number):
            kind = "national ID number" if number[1] in "12" else "resident certificate number"
            yield Found("data.national-id", f"{kind} {mask(number.upper())}", "delete the column or replace the number with a masked form (A12****789) or a case number")
    found_phones = set()
    for pattern in (MOBILE, LANDLINE_PAREN, LANDLINE):
        for match in pattern.finditer(value):
            number = digits(match.group(0))
            if number in found_phones or number in allow.office_phones or not 9 <= len(number) <= 10:
                continue
            found_phones.add(number)
            kind = "mobile number" if number.startswith("09") else "telephone number"
            yield Found("data.personal-phone", f"{kind} {mask(match.group(0))}",
                        "remove it, or use one of the agency's published office numbers (content/site.yaml office_phones)")
    for match in EMAIL.finditer(value):
        domain = match.group(0).rsplit("@", 1)[1].lower()
        if domain == allow.email_domain or domain.endswith("." + allow.email_domain):
            continue
        yield Found("data.personal-email", f"e-mail address {mask_email(match.group(0))}", f"remove it, or use an agency address (…@{allow.email_domain})")


def scan_dataset(dataset: Dataset, allow: Allowances, rows: Iterable[list[str]] | None = None) -> list[Problem]:
    """Every personal-data finding of one dataset, in row order."""
    problems = []
    people = [field.title or field.name if field.personal else people_column(field.name, field.title) for field in dataset.fields]
    texts = [field.type not in NOT_TEXT for field in dataset.fields]
    for index, row in enumerate(dataset.raw_rows() if rows is None else rows, start=2):
        for field, column, text, value in zip(dataset.fields, people, texts, row, strict=False):
            if not value:
                continue
            if field.personal and not is_masked_name(value):
                problems.append(data_problem("data.unmasked-column", dataset.id, dataset.file_name, f"unmasked value in personal column ({mask(value, 1)})",
                                             "mask it like 王○明, or drop the column", index, field.name))
            elif text:  # (the names in an unmasked personal value are reported by the line above)
                for name in find_names(value, column):
                    problems.append(data_problem("data.personal-name", dataset.id, dataset.file_name, name.message(), name.fix(), index, field.name))
            for found in scan_numbers(value, allow):
                problems.append(data_problem(found.code, dataset.id, dataset.file_name, found.message, found.fix, index, field.name))
    return problems
