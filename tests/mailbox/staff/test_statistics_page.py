"""/admin/cases/statistics/ on SQLite and PostgreSQL: the counts of known cases per month, category
and unit; the chart (gongkai.opendata.chart's SVG) with its text alternative and the table of the
same figures; a bad ?year= → 422 naming the parameter with the typed text kept; counts only."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from lxml import etree, html

from gongkai.mailbox.states import CaseState
from tests.mailbox.staff.conftest import client_of, make_case
from tests.mailbox.test_statistics import case

D = dt.date
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="session")
def content_dir(mailbox_content):
    """The back office on a content tree with the real mailbox data (categories, office calendar)."""
    return mailbox_content


@pytest.fixture
def known(office):
    with office.sessions() as db:
        db.add_all([
            case(D(2026, 2, 13), D(2026, 2, 24), category="complaint", unit="secretariat", state=CaseState.ANSWERED,
                 answered_on=D(2026, 2, 24), satisfaction=5),  # on time: 16–20 February are days off
            case(D(2026, 2, 13), D(2026, 2, 24), category="complaint", unit="secretariat", state=CaseState.ANSWERED,
                 answered_on=D(2026, 2, 25), satisfaction=2),  # a day late
            case(D(2026, 2, 20), D(2026, 3, 2), category="complaint", unit="secretariat"),  # open past its deadline
            case(D(2026, 2, 11), D(2026, 2, 25), category="complaint", unit="secretariat", state=CaseState.MERGED),
            case(D(2026, 3, 2), D(2026, 3, 5), category="question", unit="sec4", state=CaseState.ANSWERED, answered_on=D(2026, 3, 3)),
            case(D(2025, 12, 30), D(2026, 1, 6), category="question", unit="sec4"),  # another year
        ])
        db.commit()
    make_case(office, number="1151203-000009", state=CaseState.ASSIGNED, unit="sec4")  # subject 路燈不亮, from 王小明


def table(tree, caption_start: str) -> dict[str, list[str]]:
    """A table's rows by their heading, found by the start of its caption."""
    found = tree.xpath(f"//table[starts-with(normalize-space(caption), '{caption_start}')]")
    assert len(found) == 1, caption_start
    return {row.xpath("th")[0].text_content().strip(): [td.text_content().strip() for td in row.xpath("td")]
            for row in found[0].xpath("tbody/tr") if row.xpath("th")}


def test_the_page_shows_the_counts_of_known_cases(app, office, staff, known):
    client = client_of(app, staff["author"])  # any signed-in person: counts only
    response = client.get("/admin/cases/statistics/?year=2026")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    tree = html.fromstring(body)
    months = table(tree, "2026 年每月統計")
    # received, answered, on time, overdue, mean working days, satisfaction
    assert months["2 月"] == ["4", "2", "1", "2", "2.5", "3.5（2 人填答）"]
    assert months["3 月"] == ["1", "1", "1", "0", "1.0", "—"]
    assert months["1 月"] == ["0", "0", "0", "0", "—", "—"]  # a month without cases is shown, as zeros
    categories = table(tree, "依案件類別")
    assert categories["申訴"][:4] == ["4", "2", "1", "2"] and categories["詢問"][:2] == ["1", "1"]
    units = table(tree, "依承辦單位")
    this_year = dt.date.today().year == 2026  # make_case's case is received today
    assert units["秘書室"][0] == "4" and units["第四課"][0] == ("2" if this_year else "1")
    assert "2025" in tree.xpath("//p[@id='stats-year-hint']")[0].text_content()
    assert "王小明" not in body and "路燈不亮" not in body and "citizen@example.com" not in body


def test_the_chart_has_a_text_alternative_and_the_table_beside_it(app, office, staff, known):
    client = client_of(app, staff["reviewer"])
    tree = html.fromstring(client.get("/admin/cases/statistics/?year=2026").get_data(as_text=True))
    figure = tree.xpath("//figure[@class='stats-chart']")[0]
    image = figure.xpath("img")[0]
    alt = image.get("alt")
    assert alt.startswith("收件數長條圖，共 12 項。最高：2 月（4）") and "同下方表格" in alt
    following = figure.xpath("following-sibling::*[1]//table/caption")
    assert following and following[0].text_content().startswith("2026 年每月統計")  # the figures, right after the chart
    svg = client.get(image.get("src"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    root = etree.fromstring(svg.data)
    assert root.get("role") == "img" and root.find(f"{SVG}desc").text == alt
    assert root.find(f"{SVG}title").text == "2026 年每月收件數"
    bars = [text.text for text in root.iter(f"{SVG}text")]
    assert bars[:2] == ["1 月", "0"] and "2 月" in bars and b"style=" not in svg.data


@pytest.mark.parametrize(("typed", "message"), [("20x6", "4 位數的西元年"), ("1999", "須介於 2000 與"), ("2999", "須介於 2000 與"),
                                                ("<b>26</b>", "4 位數的西元年")])
def test_a_bad_year_is_422_naming_the_parameter_with_the_text_kept(app, office, staff, typed, message):
    client = client_of(app, staff["author"])
    response = client.get("/admin/cases/statistics/", query_string={"year": typed})
    assert response.status_code == 422
    tree = html.fromstring(response.get_data(as_text=True))
    summary = tree.xpath("//div[@class='error-summary']//a")
    assert summary and summary[0].get("href") == "#stats-year" and "年份（year）" in summary[0].text_content()
    assert message in summary[0].text_content()
    field = tree.xpath("//input[@id='stats-year']")[0]
    assert field.get("value") == typed[:8] and field.get("aria-invalid") == "true"
    assert "stats-year-error" in field.get("aria-describedby")
    assert not tree.xpath("//table")
    assert client.get("/admin/cases/statistics/chart.svg", query_string={"year": typed}).status_code == 422


def test_the_queue_links_to_the_statistics(app, office, staff):
    tree = html.fromstring(client_of(app, staff["stranger"]).get("/admin/cases/").get_data(as_text=True))
    assert tree.xpath("//a[@href='/admin/cases/statistics/']")
    assert app.test_client().get("/admin/cases/statistics/").status_code == 302  # signed in only


def test_a_missing_calendar_year_is_said_on_the_page_instead_of_a_500(database_url, mailbox_content, tmp_path):
    """Answered cases of a year without content/mailbox/calendar/YYYY.yaml: the working days cannot be counted."""
    from gongkai.admin import create_app
    from tests.mailbox.staff.conftest import _account

    content = tmp_path / "content"
    shutil.copytree(mailbox_content, content)
    (content / "mailbox" / "calendar" / "2026.yaml").unlink()
    app = create_app({"DATABASE_URL": database_url, "CONTENT_DIR": str(content), "VAR_DIR": str(tmp_path / "var"),
                      "CONTENT_RELOAD_SECONDS": 0, "TESTING": True})
    office = app.extensions["gongkai.admin"]
    try:
        with office.sessions() as db:
            db.add(case(D(2026, 3, 2), D(2026, 3, 5), category="question", unit="sec4", state=CaseState.ANSWERED, answered_on=D(2026, 3, 3)))
            db.commit()
        client = client_of(app, _account(office, "lin", "author", ("sec4",)))
        response = client.get("/admin/cases/statistics/?year=2026")
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and "無法計算處理工作天數" in body and "calendar/2026.yaml" in body
        assert client.get("/admin/cases/statistics/chart.svg?year=2026").status_code == 404
    finally:
        office.engine.dispose()
