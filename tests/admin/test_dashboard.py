"""The dashboard and the unit page: per unit, the documents past their update cycle (most
overdue first, Taiwan's date) and the latest monthly audits' findings on that unit's pages, read
from the audit history; each person sees their own units, the webmaster all."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from lxml import html

from gongkai import clock
from gongkai.admin.findings import latest_findings
from gongkai.admin.overdue import overdue_documents
from gongkai.model import load_content
from tests.admin.dashboard_content import SITE, page, record_audits, write_content
from tests.admin.support import make_account, sign_in


@pytest.fixture
def content_dir(tmp_path):
    """Overrides the shared content: documents with update cycles (see dashboard_content)."""
    return write_content(tmp_path / "content")


@pytest.fixture
def settings(settings, tmp_path):
    history = tmp_path / "audits.sqlite"
    record_audits(history)
    return settings | {"LINKS_DB": str(history)}


def table(page_html: str, caption_starts: str) -> list[list[str]]:
    tree = html.fromstring(page_html)
    found = [t for t in tree.xpath("//table") if t.xpath("string(caption)").strip().startswith(caption_starts)]
    assert found, f"no table captioned {caption_starts!r}"
    # each overdue document's title is followed by its editing link, 「（編修 title）」: the title alone is compared
    return [[re.sub(r"（編修[^）]*）", "", " ".join(cell.text_content().split())) for cell in row.xpath("th|td")]
            for row in found[0].xpath("tbody/tr")]


def test_overdue_documents_are_sorted_by_how_overdue(content_dir):
    corpus, _ = load_content(content_dir)
    found = overdue_documents(corpus, ["sec4"])
    assert [(item.doc.id, item.days) for item in found] == [("meter-monthly", 69), ("taxi-yearly", 14)]
    assert [item.doc.id for item in overdue_documents(corpus)] == ["meter-monthly", "taxi-yearly", "sec1-monthly"]


def test_the_day_is_taiwans(content_dir):
    """At 01:00 in Taipei the UTC date is still yesterday: a document due yesterday (Taipei) is overdue."""
    from freezegun import freeze_time

    corpus, _ = load_content(content_dir)
    due = next(item.due for item in overdue_documents(corpus) if item.doc.id == "sec1-monthly")
    taipei_day_after = dt.datetime.combine(due + dt.timedelta(days=1), dt.time(1, 0), clock.TAIWAN)
    assert taipei_day_after.astimezone(dt.UTC).date() == due  # what a UTC clock would call today: not overdue yet
    with freeze_time(taipei_day_after):
        assert clock.today() == due + dt.timedelta(days=1)
        assert [(item.doc.id, item.days) for item in overdue_documents(corpus) if item.doc.unit == "sec1"] == [("sec1-monthly", 1)]
    with freeze_time(taipei_day_after - dt.timedelta(hours=2)):  # 23:00 in Taipei on the due day itself
        assert [item.doc.id for item in overdue_documents(corpus) if item.doc.unit == "sec1"] == []


def test_findings_come_from_the_latest_run_and_go_to_the_unit_of_each_page(content_dir, settings):
    corpus, _ = load_content(content_dir)
    findings = latest_findings(Path(settings["LINKS_DB"]), corpus)
    assert [item.finding.target for item in findings.of("sec4", "links")] == ["https://gone.example/x", "http://moved.example/"]
    assert [doc.id for doc in findings.of("sec4", "links")[0].documents] == ["meter-monthly"]  # sec4's page only
    assert [doc.id for doc in findings.of("sec1", "links")[0].documents] == ["sec1-monthly"]
    assert (findings.broken_links("sec4"), findings.accessibility_problems("sec4"), findings.broken_links("sec1")) == (1, 1, 1)
    assert findings.on_other_pages == 1  # the list page's
    assert "https://old.example/" not in str([item.finding.target for unit in findings.by_unit.values() for items in unit.values() for item in items])
    other_site = latest_findings(Path(settings["LINKS_DB"]), corpus, site="https://www.example.gov.tw")
    assert other_site.runs == {}


def test_no_audit_history_yet(content_dir, tmp_path):
    corpus, _ = load_content(content_dir)
    missing = tmp_path / "none" / "audits.sqlite"
    assert latest_findings(missing, corpus).runs == {}
    assert not missing.exists()  # reading did not create an empty history


def test_the_dashboard_counts_per_unit_for_a_member(app, office):
    author = make_account(office, "author", "author", ("sec4",))
    client = app.test_client()
    sign_in(client, author)
    rows = table(client.get("/admin/").get_data(as_text=True), "各單位待處理事項")
    assert rows == [["第四課", "2", "1", "1"]]  # only the author's unit


def test_the_webmaster_sees_every_unit(app, office):
    webmaster = make_account(office, "webmaster", "webmaster", ("it",))
    client = app.test_client()
    sign_in(client, webmaster)
    page_html = client.get("/admin/").get_data(as_text=True)
    rows = {row[0]: row[1:] for row in table(page_html, "各單位待處理事項")}
    assert rows["第四課"] == ["2", "1", "1"] and rows["第一課"] == ["1", "1", "0"]
    assert len(rows) == len(load_content(app.config["CONTENT_DIR"])[0].codes["units"])
    assert "另有 1 項問題" in page_html
    sec1 = client.get("/admin/units/sec1/").get_data(as_text=True)
    assert [row[0] for row in table(sec1, "第一課逾期未更新的文件")] == ["第一課月報"]


def test_the_unit_page_lists_overdue_documents_and_findings(app, office):
    author = make_account(office, "author", "author", ("sec4",))
    client = app.test_client()
    sign_in(client, author)
    page_html = client.get("/admin/units/sec4/").get_data(as_text=True)
    assert [row[:2] + row[3:] for row in table(page_html, "第四課逾期未更新的文件")] == [
        ["水量計檢定月報", "每月（月報）", (clock.today() - dt.timedelta(days=69)).isoformat(), "69 天"],
        ["計程車計費表年報", "每年（年報）", (clock.today() - dt.timedelta(days=14)).isoformat(), "14 天"]]
    tree = html.fromstring(page_html)
    assert tree.xpath("//a[normalize-space()='水量計檢定月報']/@href")[0] == page("meter-monthly")
    links = table(page_html, "第四課頁面上的連結問題")
    assert [row[:3] for row in links] == [["https://gone.example/x", "失效", "水量計檢定月報"],
                                          ["http://moved.example/", "警告", "計程車計費表年報"]]
    assert [row[:3] for row in table(page_html, "第四課頁面上的無障礙問題")] == [["p.note", "1.4.3", "計程車計費表年報"]]
    for caption in tree.xpath("//table/caption"):
        headers = caption.getparent().xpath("thead/tr/th")
        assert headers and all(th.get("scope") == "col" for th in headers)
        assert all(th.get("scope") == "row" for th in caption.getparent().xpath("tbody/tr/th"))
    assert tree.xpath("//td[@lang='en']")  # the audit tools' English text is marked as such
    assert "sec1-monthly" not in page_html and "第一課月報" not in page_html


def test_a_member_cannot_see_another_units_page(app, office):
    author = make_account(office, "author", "author", ("sec4",))
    client = app.test_client()
    sign_in(client, author)
    assert client.get("/admin/units/sec1/").status_code == 403


def test_public_links_name_the_public_address(app, office, settings):
    from gongkai.admin import create_app

    public = create_app(settings | {"BASE_URL": "https://www.example.gov.tw"})
    account = make_account(public.extensions["gongkai.admin"], "author2", "author", ("sec4",))
    client = public.test_client()
    sign_in(client, account)
    page_html = client.get("/admin/units/sec4/").get_data(as_text=True)
    assert 'href="https://www.example.gov.tw/news/meter-monthly/"' in page_html
    assert "尚未執行連結檢查" in page_html  # the stored runs are of another site (127.0.0.1:5000)
    assert SITE not in page_html
    public.extensions["gongkai.admin"].engine.dispose()


def test_a_new_audit_run_shows_without_a_restart(content_dir, settings):
    """The findings are cached per history file state: the next run replaces them at once."""
    from gongkai.audits.store import AuditStore, now_iso

    corpus, _ = load_content(content_dir)
    history = Path(settings["LINKS_DB"])
    assert latest_findings(history, corpus).broken_links("sec4") == 1
    store = AuditStore(history)
    try:
        store.record_run("links", SITE, [], 50, now_iso())  # everything fixed
    finally:
        store.close()
    assert latest_findings(history, corpus).broken_links("sec4") == 0


def test_each_overdue_document_links_to_its_editing_form(settings):
    from gongkai.admin import create_app

    app = create_app(settings)
    author = make_account(app.extensions["gongkai.admin"], "author", "author", ("sec4",))
    client = app.test_client()
    sign_in(client, author)
    tree = html.fromstring(client.get("/admin/units/sec4/").get_data(as_text=True))
    edits = tree.xpath("//table[starts-with(normalize-space(caption), '第四課逾期')]//a[starts-with(normalize-space(), '編修')]/@href")
    assert edits == ["/admin/documents/zh-Hant-TW/meter-monthly/edit", "/admin/documents/zh-Hant-TW/taxi-yearly/edit"]
    assert client.get(edits[0]).status_code == 200
    app.extensions["gongkai.admin"].engine.dispose()
