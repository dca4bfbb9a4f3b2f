"""The webmaster's audit log: filtered by person, action, dates and target, exported as CSV and
ODS with the same entries, and never changed by the export or anything else."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from sqlalchemy import select, update

from gongkai.admin import audit
from gongkai.admin.models import Account, AuditEntry
from tests.admin.support import make_account, sign_in


@pytest.fixture
def webmaster_client(app, office):
    webmaster = make_account(office, "webmaster", "webmaster", ("it",))
    client = app.test_client()
    sign_in(client, webmaster)
    with office.sessions() as db:
        for number, (actor, action, target) in enumerate([("lin", "role_changed", "account:chen"), ("chen", "sign_in", "account:chen"),
                                                           ("lin", "account_disabled", "account:lin")]):
            detail = "=cmd|' /C calc'!A0" if number == 2 else f"detail {number}"  # text a spreadsheet would run
            entry = audit.record(db, actor, action, target, "192.0.2.1", detail)
            entry.at = dt.datetime(2026, 11, 10 + number, 2, 0, tzinfo=dt.UTC)
        db.commit()
    return client


def rows_of(page: str) -> list[str]:
    from lxml import html

    return [" ".join(row.text_content().split()) for row in html.fromstring(page).xpath("//tbody/tr")]


@pytest.mark.parametrize(("query", "expected"), [
    ("person=lin", ["account_disabled", "role_changed"]),
    ("action=sign_in&person=chen", ["sign_in"]),
    ("since=2026-11-11&until=2026-11-11", ["sign_in"]),
    ("target=chen&since=2026-11-01&until=2026-11-30", ["sign_in", "role_changed"]),
    ("target=account:lin", ["account_disabled"]),
])
def test_filters(webmaster_client, query, expected):
    page = webmaster_client.get(f"/admin/audit/?{query}").get_data(as_text=True)
    names = [audit.ACTIONS[action] for action in expected]
    found = [row for row in rows_of(page) if "192.0.2.1" in row]
    assert len(found) == len(expected)
    for row, name in zip(found, names, strict=True):
        assert name in row


def test_the_day_is_taiwans(webmaster_client):
    """02:00 UTC on 11 November is 10:00 in Taipei: a filter for that Taipei day finds it."""
    page = webmaster_client.get("/admin/audit/?since=2026-11-10&until=2026-11-10").get_data(as_text=True)
    assert [row for row in rows_of(page) if "192.0.2.1" in row][0].startswith("2026-11-10 10:00:00")


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01"])
@pytest.mark.parametrize("path", ["/admin/audit/", "/admin/audit/export.csv", "/admin/audit/export.ods"])
def test_a_date_at_the_calendars_ends_is_refused_naming_the_field(webmaster_client, path, query):
    # the day after 9999-12-31, and Taipei's midnight of 0001-01-01 in UTC, do not exist: both were a 500
    response = webmaster_client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert "請寫 2000-01-01 到 2999-12-31 之間的日期" in response.get_data(as_text=True)


def test_bad_filters_come_back_with_messages_and_the_typed_values(webmaster_client):
    response = webmaster_client.get("/admin/audit/?since=2026-13-45&until=2026-01-01&person=" + "x" * 80)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "起日請寫成 年-月-日" in page and "人員最多 64 個字元" in page
    assert 'value="2026-13-45"' in page and 'href="#since"' in page and 'href="#person"' in page
    assert "<title>錯誤：" in page
    reversed_dates = webmaster_client.get("/admin/audit/?since=2026-02-01&until=2026-01-01").get_data(as_text=True)
    assert "迄日不能早於起日" in reversed_dates


def test_csv_and_ods_exports_hold_the_filtered_entries(webmaster_client):
    from pyexcel_ods3 import get_data

    response = webmaster_client.get("/admin/audit/export.csv?person=lin")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["時間（臺北）", "人員", "動作"]
    assert [row[2] for row in table[1:]] == ["account_disabled", "role_changed"]
    assert table[1][6] == "'=cmd|' /C calc'!A0"  # a formula-like text stays text
    ods = webmaster_client.get("/admin/audit/export.ods?person=lin")
    assert ods.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    sheet = get_data(io.BytesIO(ods.get_data()), file_type="ods")["稽核紀錄"]
    assert [row[2] for row in sheet[1:]] == ["account_disabled", "role_changed"]
    assert sheet[1][6] == "=cmd|' /C calc'!A0"  # a typed text cell in ODS is never a formula: kept as it was


def test_account_pages_change_role_and_units_with_an_audit_entry(app, office, webmaster_client):
    from tests.admin.support import csrf_token

    author = make_account(office, "author", "author", email="author@example.gov.tw")
    path = f"/admin/accounts/{author.id}"
    response = webmaster_client.post(path, data={"role": "reviewer", "units": ["sec1", "sec4"], "csrf_token": csrf_token(webmaster_client, path)})
    assert response.status_code == 302
    page = webmaster_client.get(path).get_data(as_text=True)
    assert "已儲存" in page
    listing = webmaster_client.get("/admin/accounts/").get_data(as_text=True)
    assert "第一課、第四課" in listing
    with office.sessions() as db:
        actions = [(e.action, e.actor_name, e.detail) for e in db.scalars(select(AuditEntry).where(AuditEntry.target == "account:author"))]
        from gongkai.admin.models import OutboxMessage

        assert [m.recipient for m in db.scalars(select(OutboxMessage))] == ["author@example.gov.tw"] * 2  # created, role changed
    assert ("role_changed", "webmaster", "author → reviewer") in actions
    assert ("units_changed", "webmaster", "sec4 → sec1,sec4") in actions
    empty = webmaster_client.post(path, data={"role": "nonsense", "csrf_token": csrf_token(webmaster_client, path)})
    assert empty.status_code == 422 and "請至少選一個單位" in empty.get_data(as_text=True) and "錯誤：" in empty.get_data(as_text=True)


def test_account_page_sets_and_unsets_the_head_of_a_unit_with_an_audit_entry(app, office, webmaster_client):
    from gongkai.admin.models import Account, OutboxMessage
    from tests.admin.support import csrf_token

    chief = make_account(office, "chief", "reviewer", ("sec1", "sec4"), email="chief@example.gov.tw")
    path = f"/admin/accounts/{chief.id}"
    assert 'name="heads"' in webmaster_client.get(path).get_data(as_text=True)
    response = webmaster_client.post(path, data={"role": "reviewer", "units": ["sec1", "sec4"], "heads": ["sec4"],
                                                 "csrf_token": csrf_token(webmaster_client, path)})
    assert response.status_code == 302
    assert "第一課、第四課（主管）" in webmaster_client.get("/admin/accounts/").get_data(as_text=True)
    with office.sessions() as db:
        assert db.get(Account, chief.id).head_of == {"sec4"}
        assert "chief@example.gov.tw" in [m.recipient for m in db.scalars(select(OutboxMessage).where(OutboxMessage.subject == "您已設為單位主管"))]
    response = webmaster_client.post(path, data={"role": "reviewer", "units": ["sec1", "sec4"], "csrf_token": csrf_token(webmaster_client, path)})
    assert response.status_code == 302
    with office.sessions() as db:
        assert db.get(Account, chief.id).head_of == frozenset()
        details = [e.detail for e in db.scalars(select(AuditEntry).where(AuditEntry.action == "unit_head_changed",
                                                                         AuditEntry.target == "account:chief").order_by(AuditEntry.id))]
    assert details == ["sec4 設為主管", "sec4 取消主管"]


def test_account_page_refuses_a_head_of_a_unit_not_chosen(app, office, webmaster_client):
    """Head of 第一課 while unticking 第一課 from the units: 422, the message beside the heads, nothing changed, the ticks kept."""
    from gongkai.admin.models import Account
    from tests.admin.support import csrf_token

    chief = make_account(office, "chief", "reviewer", ("sec1", "sec4"))
    path = f"/admin/accounts/{chief.id}"
    response = webmaster_client.post(path, data={"role": "author", "units": ["sec4"], "heads": ["sec1"],
                                                 "csrf_token": csrf_token(webmaster_client, path)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "單位主管須為所屬單位" in page and "第一課" in page and 'id="heads-error"' in page
    assert 'name="heads" type="checkbox" value="sec1" checked' in page and 'name="role" type="radio" value="author" checked' in page
    with office.sessions() as db:
        account = db.get(Account, chief.id)
        assert (account.role, account.units, account.head_of) == ("reviewer", {"sec1", "sec4"}, frozenset())


def test_the_last_webmaster_cannot_disable_themself(app, office, webmaster_client):
    from gongkai.admin.models import Account
    from tests.admin.support import csrf_token

    with office.sessions() as db:
        me = db.scalar(select(Account).where(Account.name == "webmaster"))
    path = f"/admin/accounts/{me.id}"
    response = webmaster_client.post(path + "/state", data={"state-csrf_token": csrf_token(webmaster_client, path)})
    assert response.status_code == 409 and "最後一個啟用中的網站管理帳號" in response.get_data(as_text=True)


def test_the_log_itself_cannot_be_changed_through_the_orm(office, webmaster_client):
    from sqlalchemy.exc import DBAPIError

    with office.sessions() as db, pytest.raises(DBAPIError):
        db.execute(update(AuditEntry).values(detail="rewritten"))
        db.commit()


def test_the_account_page_shows_the_day_the_account_was_made_in_taipei(office, webmaster_client):
    author = make_account(office, "author", "author")
    with office.sessions() as db:  # 20:30 UTC on 1 December is 04:30 on the 2nd in Taipei
        db.execute(update(Account).where(Account.id == author.id).values(created_at=dt.datetime(2026, 12, 1, 20, 30, tzinfo=dt.UTC)))
        db.commit()
    page = webmaster_client.get(f"/admin/accounts/{author.id}").get_data(as_text=True)
    assert "<dd>2026-12-02</dd>" in page and "2026-12-01" not in page
