"""The rows of a masked case export, and the files made of them, without Flask.

The masks are the personal-data gate's (gongkai.opendata.gate); the files are written by the
open data's writers (UTF-8 CSV with a BOM, the streaming ODS writer), so a circulated export
reads like the agency's open data. Which cases: the queue's query (staff.visibility)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, load_only

from gongkai.admin.audit import no_formula
from gongkai.admin.models import Account
from gongkai.mailbox.models import Case
from gongkai.mailbox.staff.visibility import visible_cases
from gongkai.mailbox.states import CaseState
from gongkai.opendata.exports import write_csv
from gongkai.opendata.gate import mask, mask_email, mask_name, mask_phone, mask_text
from gongkai.opendata.ods import write_ods
from gongkai.opendata.packages import Field

# (column, 中文名稱, Table Schema type): the header row is the column names, as in the open data;
# the ODS file's 欄位說明 sheet gives each one's Chinese name. A coded column has its name beside
# it: the code for sorting and filtering, the name for the colleague who reads the circulated file.
COLUMNS = (("number", "案件編號", "string"), ("category", "案件類別代碼", "string"), ("category_name", "案件類別", "string"),
           ("tier", "處理時限類別代碼", "string"), ("tier_name", "處理時限類別", "string"), ("unit", "承辦單位代碼", "string"),
           ("unit_name", "承辦單位", "string"), ("state", "處理狀態代碼", "string"), ("state_name", "處理狀態", "string"),
           ("received_on", "受理日期", "date"),
           ("deadline", "答復期限", "date"), ("answered_on", "答復日期", "date"), ("name", "姓名（遮罩）", "string"),
           ("email", "電子郵件（遮罩）", "string"), ("phone", "電話（遮罩）", "string"), ("subject", "主旨（個資遮罩）", "string"),
           ("message", "陳情內容（個資遮罩）", "string"))
FIELDS = tuple(Field(name=name, type=kind, title=title, description=title) for name, title, kind in COLUMNS)
# only what a row needs: never the attachment (up to 5 MB a case), the reply or the password hash
LOADED = (Case.number, Case.category, Case.tier, Case.unit, Case.state, Case.received_on, Case.deadline, Case.answered_on,
          Case.name, Case.email, Case.phone, Case.subject, Case.message)
TYPED_MAX = 32  # what is shown back of a refused filter value
MONTH = re.compile(r"(\d{4})-(\d{2})")
FIRST_YEAR, LAST_YEAR = 1912, 2999  # 民國元年 …; a month outside names no case


@dataclass(frozen=True)
class Filters:
    """The export's optional filters: a state, and a month of the day a case was received."""

    state: CaseState | None = None
    month: dt.date | None = None  # the first day of the month

    def describe(self) -> str:
        """For the audit entry: the filters, never a case's data."""
        return f"狀態 {self.state.value if self.state else '全部'}；受理月份 {self.month.strftime('%Y-%m') if self.month else '全部'}"

    def file_name(self, fmt: str, today: dt.date) -> str:
        """ASCII only, built from validated values, so the Content-Disposition header is safe."""
        parts = ["cases", today.strftime("%Y%m%d")]
        if self.month:
            parts.append("received-" + self.month.strftime("%Y-%m"))
        if self.state:
            parts.append(self.state.value.replace("_", "-"))
        return "-".join(parts) + "." + fmt


@dataclass(frozen=True)
class Names:
    """The zh-TW names of the codes an export holds; a code without one is shown as itself."""

    categories: Mapping[str, str]
    tiers: Mapping[str, str]
    units: Mapping[str, str]
    states: Mapping[str, str]


class FilterErrors(ValueError):
    """Refused filters: parameter → a zh-TW message naming it and the fix."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def parse_filters(args: Mapping[str, str]) -> Filters:
    """``state`` and ``month`` (YYYY-MM) from a query string; empty means no filter."""
    errors: dict[str, str] = {}
    state_text, month_text = args.get("state", "").strip(), args.get("month", "").strip()
    state = None
    if state_text:
        try:
            state = CaseState(state_text)
        except ValueError:
            errors["state"] = (f"參數 state（處理狀態）的值「{state_text[:TYPED_MAX]}」不是案件的處理狀態："
                               "請從清單選擇一種狀態，或選「全部狀態」。")
    month = None
    if month_text:
        found = MONTH.fullmatch(month_text)
        if found and FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR and 1 <= int(found.group(2)) <= 12:
            month = dt.date(int(found.group(1)), int(found.group(2)), 1)
        else:
            errors["month"] = (f"參數 month（受理月份）的值「{month_text[:TYPED_MAX]}」不是月份："
                               "請寫成西元年-月，例如 2026-12，或留空匯出全部月份。")
    if errors:
        raise FilterErrors(errors)
    return Filters(state, month)


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def masked_row(case: Case, code_names: Names) -> list[Any]:
    """One case as a row: dates typed, every text masked, each code with its name."""
    names, phones = [case.name], [case.phone]
    email = case.email or ""
    emails = [email]
    return [case.number, case.category, code_names.categories.get(case.category, case.category), case.tier,
            code_names.tiers.get(case.tier, case.tier), case.unit, code_names.units.get(case.unit, case.unit), case.state.value,
            code_names.states.get(case.state.value, case.state.value), case.received_on, case.deadline, case.answered_on,
            mask_name(case.name or ""), mask_email(email) if "@" in email else (mask(email, 1) if email else ""),
            mask_phone(case.phone or ""), mask_text(case.subject or "", names, phones, emails),
            mask_text(case.message or "", names, phones, emails)]


def export_rows(db: Session, account: Account, filters: Filters, names: Names) -> list[list[Any]]:
    """The masked rows of the cases ``account`` sees in the queue, filtered, soonest deadline first."""
    query = visible_cases(account, filters.state).options(load_only(*LOADED))
    if filters.month:
        query = query.where(Case.received_on >= filters.month, Case.received_on < _next_month(filters.month))
    return [masked_row(case, names) for case in db.scalars(query.execution_options(yield_per=500))]


def to_csv(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM and CRLF, as the open data's spreadsheet CSV: Excel on Taiwanese Windows reads
    it right. A text starting with = + - @ gets an apostrophe, as in the audit log's export: a
    spreadsheet would run it (the ODS cells are typed text, which never runs, so they stay as typed)."""
    out = io.StringIO()
    write_csv(out, FIELDS, ([no_formula(v) if isinstance(v, str) else v for v in row] for row in rows), bom=True)
    return out.getvalue().encode("utf-8")


def to_ods(rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.BytesIO()
    write_ods(out, FIELDS, rows, title="意見信箱案件（個資已遮罩）", sheet="意見信箱案件", creator="gongkai")
    return out.getvalue()
