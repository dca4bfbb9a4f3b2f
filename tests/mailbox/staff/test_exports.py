"""Masked exports of cases (/admin/cases/export.csv and .ods): no full name, phone number, e-mail
address or valid ID number of a case reaches the file, in its columns or inside its text; the
CSV and the ODS hold the same rows; the rows are the reader's queue; authors and strangers get
403; every export is in the audit log; a bad filter is a 422 page naming the parameter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pyexcel
import pytest
from sqlalchemy import select

from gongkai.admin.models import AuditEntry
from gongkai.mailbox.models import Case
from gongkai.mailbox.states import CaseState
from tests.mailbox.staff.conftest import _account, client_of, make_case
from tests.opendata.test_gate import with_check_digit

NATIONAL_ID = with_check_digit("F12345678")
RESIDENT_ID = with_check_digit("A80000001")
CHINESE = {"name": "王小明", "email": "wang.xiaoming@example.net", "phone": "0912-345-678", "subject": "王小明的陳情：路燈",
           "message": f"我是王小明，手機 0912345678，另一支 0987-654-321，信箱 wang.xiaoming@example.net 或 xm.wang@gmail.com，"
                      f"身分證 {NATIONAL_ID}，室話 (02)2345-6789。承辦人 陳大文 已來電。"}
ENGLISH = {"name": "John Smith", "email": "john.smith@example.org", "phone": "02-2345-6789", "subject": "=HYPERLINK(\"http://x\")",
           "message": f"Dear office, this is john smith; call me on 02 2345 6789 or +886 912 111 222. ARC {RESIDENT_ID.lower()}."}
# what must never be in an export, whatever its format
PERSONAL = ("王小明", "小明", "陳大文", "John Smith", "Smith", "wang.xiaoming", "xm.wang", "john.smith", NATIONAL_ID, RESIDENT_ID)
PHONES = ("0912345678", "0987654321", "0223456789", "886912111222")
HEADER = ["number", "category", "category_name", "tier", "tier_name", "unit", "unit_name", "state", "state_name", "received_on",
          "deadline", "answered_on", "name", "email", "phone", "subject", "message"]


@pytest.fixture(scope="session")
def content_dir(mailbox_content):
    """With the real content/mailbox, whose categories and tiers name the codes."""
    return mailbox_content


def _case(office, number: str, unit: str, state: CaseState = CaseState.ASSIGNED, received_on: dt.date | None = None, **fields) -> str:
    make_case(office, number, state=state, unit=unit)
    with office.sessions() as session:
        case = session.scalar(select(Case).where(Case.number == number))
        for name, value in fields.items():
            setattr(case, name, value)
        if received_on:
            case.received_on = received_on
        session.commit()
    return number


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv" and response.data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM
    return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))


def _ods(response) -> list[list[str]]:
    assert response.status_code == 200 and response.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    table = pyexcel.get_book(file_type="ods", file_content=response.data)["意見信箱案件"].to_array()
    width = len(HEADER)
    return [[v.isoformat() if isinstance(v, dt.date) else str(v) for v in (row + [""] * width)[:width]] for row in table]


def _exported_numbers(client, query: str = "") -> list[str]:
    return [row[0] for row in _csv(client.get("/admin/cases/export.csv" + query))[1:]]


def _leaks(text: str) -> list[str]:
    digits = re.sub(r"\D", "", text)
    return [p for p in PERSONAL if p.lower() in text.lower()] + [p for p in PHONES if p in digits]


@pytest.fixture
def cases(office):
    return [_case(office, "1151202-000001", "sec4", **CHINESE), _case(office, "1151202-000002", "sec4", **ENGLISH)]


def test_an_export_holds_no_name_phone_email_or_id_of_a_case_in_either_format(app, staff, cases):
    client = client_of(app, staff["reviewer"])
    for response in (client.get("/admin/cases/export.csv"), client.get("/admin/cases/export.ods")):
        body = response.get_data(as_text=True) if response.mimetype == "text/csv" else "\n".join("\t".join(r) for r in _ods(response))
        assert "1151202-000001" in body and "1151202-000002" in body
        assert _leaks(body) == [], response.mimetype
    rows = {row[0]: dict(zip(HEADER, row, strict=True)) for row in _csv(client.get("/admin/cases/export.csv"))[1:]}
    chinese, english = rows["1151202-000001"], rows["1151202-000002"]
    assert (chinese["name"], chinese["email"], chinese["phone"]) == ("王○○", "w***@example.net", "0912-***-678")
    assert (english["name"], english["email"], english["phone"]) == ("J*** S****", "j***@example.org", "02-23**-*789")
    assert chinese["subject"] == "王○○的陳情：路燈"
    assert "我是王○○，手機 0912***678，另一支 0987-***-321" in chinese["message"] and "承辦人 陳○○" in chinese["message"]
    assert "w***@example.net" in chinese["message"] and "x***@gmail.com" in chinese["message"]
    assert NATIONAL_ID[:2] + "******" + NATIONAL_ID[-2:] in chinese["message"]
    assert "this is j*** s****;" in english["message"] and "+886 9** *** 222" in english["message"]


def test_the_csv_and_the_ods_hold_the_same_rows_and_the_csv_keeps_formulas_text(app, staff, cases):
    client = client_of(app, staff["reviewer"])
    from_csv, from_ods = _csv(client.get("/admin/cases/export.csv")), _ods(client.get("/admin/cases/export.ods"))
    assert from_csv[0] == HEADER == from_ods[0]
    assert len(from_csv) == 3
    formula = HEADER.index("subject")
    assert [r[formula] for r in from_csv if r[0] == "1151202-000002"] == ["'=HYPERLINK(\"http://x\")"]  # a spreadsheet would run it
    assert [r[formula] for r in from_ods if r[0] == "1151202-000002"] == ["=HYPERLINK(\"http://x\")"]  # a typed text cell never runs
    unguarded = [[cell.removeprefix("'") if cell.startswith("'=") else cell for cell in row] for row in from_csv]
    assert unguarded == from_ods
    today = dt.datetime.now(dt.UTC).date()
    assert abs((dt.date.fromisoformat(from_ods[1][HEADER.index("received_on")]) - today).days) <= 1  # a date, not a number


def test_each_code_has_its_name_beside_it_for_the_colleague_who_reads_the_file(app, staff, office, cases):
    _case(office, "1151202-000003", "sec4", category="petition")
    rows = {row[0]: dict(zip(HEADER, row, strict=True)) for row in _csv(client_of(app, staff["reviewer"]).get("/admin/cases/export.csv"))[1:]}
    petition = rows["1151202-000003"]
    assert (petition["category"], petition["category_name"], petition["tier"], petition["tier_name"]) == ("petition", "陳情", "normal", "普通件")
    assert (petition["unit"], petition["unit_name"], petition["state"], petition["state_name"]) == ("sec4", "第四課", "assigned", "承辦中")
    assert rows["1151202-000001"]["category_name"] == "other"  # a code the content no longer names: shown as itself


def test_the_file_name_is_an_attachment_built_from_the_filters(app, staff, cases):
    response = client_of(app, staff["reviewer"]).get("/admin/cases/export.ods?state=assigned&month=2026-12")
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(r"attachment; filename=cases-\d{8}-received-2026-12-assigned\.ods", disposition), disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["Cache-Control"] == "no-store"


def test_a_units_reviewer_exports_their_units_cases_only_as_in_their_queue(app, office, staff):
    _case(office, "1151202-000001", "sec4")
    _case(office, "1151202-000002", "sec1")
    _case(office, "1151202-000003", "secretariat", state=CaseState.RECEIVED)
    sec1_reviewer = client_of(app, _account(office, "kao", "reviewer", ("sec1",)))
    assert _exported_numbers(client_of(app, staff["reviewer"])) == ["1151202-000001"]
    assert _exported_numbers(sec1_reviewer) == ["1151202-000002"]
    assert _exported_numbers(client_of(app, staff["secretary"])) == ["1151202-000003"]  # what waits for triage
    assert sorted(_exported_numbers(client_of(app, staff["webmaster"]))) == ["1151202-000001", "1151202-000002", "1151202-000003"]
    queue = sec1_reviewer.get("/admin/cases/").get_data(as_text=True)
    assert "1151202-000002" in queue and "1151202-000001" not in queue  # the same query as the export


def test_an_author_and_a_stranger_are_refused(app, staff, cases):
    for who in ("author", "stranger"):
        client = client_of(app, staff[who])
        for url in ("/admin/cases/export.csv", "/admin/cases/export.ods"):
            response = client.get(url)
            assert response.status_code == 403 and "1151202-000001" not in response.get_data(as_text=True), (who, url)
        assert "export.csv" not in client.get("/admin/cases/").get_data(as_text=True)  # no form they cannot use
    assert "/admin/cases/export.csv" in client_of(app, staff["reviewer"]).get("/admin/cases/").get_data(as_text=True)


def test_each_export_is_in_the_audit_log_with_filters_and_row_count_but_no_data(app, office, staff, cases):
    client = client_of(app, staff["reviewer"])
    client.get("/admin/cases/export.csv?state=assigned")
    client.get("/admin/cases/export.ods?month=2020-01")
    with office.sessions() as session:
        found = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "mailbox_cases_exported").order_by(AuditEntry.id)))
    assert [(e.actor_name, e.target) for e in found] == [("chen", "cases"), ("chen", "cases")]
    assert found[0].detail == "格式 CSV；狀態 assigned；受理月份 全部；筆數 2"
    assert found[1].detail == "格式 ODS；狀態 全部；受理月份 2020-01；筆數 0"
    assert not any(_leaks(e.detail) or "路燈" in e.detail for e in found)


def test_filters_by_state_and_month_received(app, office, staff):
    _case(office, "1151202-000001", "sec4", received_on=dt.date(2025, 1, 31))
    _case(office, "1151202-000002", "sec4", received_on=dt.date(2025, 2, 1))
    _case(office, "1151202-000003", "sec4", state=CaseState.DRAFTED, received_on=dt.date(2025, 12, 1))
    client = client_of(app, staff["reviewer"])
    assert _exported_numbers(client, "?month=2025-01") == ["1151202-000001"]
    assert _exported_numbers(client, "?month=2025-12") == ["1151202-000003"]
    assert sorted(_exported_numbers(client, "?state=assigned")) == ["1151202-000001", "1151202-000002"]
    assert _exported_numbers(client, "?state=drafted&month=2025-02") == []


@pytest.mark.parametrize(("query", "named", "kept"), [("month=2026-13", "month", 'value="2026-13"'), ("month=12%2F2026", "month", 'value="12/2026"'),
                                                      ("month=" + "9" * 5000, "month", 'value="' + "9" * 32 + '"'),
                                                      ("state=closed", "state", "「closed」")])
def test_a_bad_filter_is_a_422_page_naming_the_parameter_with_the_text_kept(app, office, staff, cases, query, named, kept):
    response = client_of(app, staff["reviewer"]).get("/admin/cases/export.csv?" + query)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert f"參數 {named}（" in page and f'href="#export-{named}"' in page and kept in page
    assert "<title>錯誤：" in page
    with office.sessions() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "mailbox_cases_exported")) is None
