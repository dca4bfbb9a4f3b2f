"""Editing a document: the form comes from the model's fields, a save validates like `gongkai
check` and shows each problem beside its field (and in the summary), hostile text is refused,
and the preview is the site's own page with the pre-submit accessibility checks."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import clock
from gongkai.admin.editing.checks import check_page
from gongkai.admin.editing.fields import form_fields, model_of
from gongkai.admin.editing.labels import FIELDS
from gongkai.model.documents import KINDS
from tests.admin import editing_support
from tests.admin.editing_support import EDIT, PATH, form_of, post_form, signed_in

repo, editing_app, team = editing_support.repo, editing_support.editing_app, editing_support.team  # the shared fixtures


def test_every_field_of_every_kind_is_in_its_form_and_has_a_label():
    for kind in KINDS:
        model = model_of(kind)
        names = {spec.name for spec in form_fields(kind)}
        assert names == set(model.model_fields) - {"kind", "body", "path", "review", "withdrawal"}, kind
        for spec in form_fields(kind):
            assert f"f.{spec.name}" in FIELDS, (kind, spec.name)
            for child in spec.children:
                assert f"f.{spec.name}.{child.name}" in FIELDS, (kind, spec.name, child.name)


def test_widgets_follow_the_model_types():
    by_name = {spec.name: spec for spec in form_fields("procedure")}
    assert by_name["unit"].widget == "select" and by_name["unit"].code_list == "units"
    assert by_name["theme"].widget == "checkboxes" and by_name["theme"].code_list == "themes"
    assert by_name["channels"].widget == "checkboxes" and by_name["channels"].choices == ("counter", "online", "mail")
    assert by_name["steps"].widget == "lines" and by_name["published"].widget == "date"
    assert by_name["sources"].widget == "rows" and [c.name for c in by_name["sources"].children] == ["title", "url"]
    assert by_name["title"].max_length == 120
    assert {spec.name: spec.widget for spec in form_fields("unit")}["contact"] == "group"


@pytest.mark.parametrize("base", [None, "", "abc", "-1", "7"])
def test_a_form_naming_no_revision_it_was_opened_on_is_refused_with_the_text_kept(editing_app, team, base):
    # no draft yet: "7" names a revision of none, and the stale-revision answer had no draft to show (a 500)
    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT) | {"title": "水量計檢定（我的修改）"}
    data.pop("base_revision")
    response = post_form(client, EDIT, data if base is None else data | {"base_revision": base})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "沒有說明是從哪一版開始修改" in page and 'value="水量計檢定（我的修改）"' in page
    assert post_form(client, EDIT, form_of(client, EDIT)).status_code == 302  # the page's own form still saves


def test_the_form_shows_the_published_document_and_a_save_is_a_new_revision(editing_app, team, repo):
    client = signed_in(editing_app, team["author"])
    page = client.get(EDIT).get_data(as_text=True)
    assert 'value="水量計檢定"' in page and "水量計製造或修理業者" in page
    data = form_of(client, EDIT)
    assert data["base_revision"] == "0" and data["theme"] == ["220"] and data["channels"] == ["counter", "online"]
    data["title"] = "水量計檢定（新）"
    response = post_form(client, EDIT, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from gongkai.admin.models import Draft

    with editing_app.extensions["gongkai.admin"].sessions() as db:
        draft = db.query(Draft).one()
        assert [r.number for r in draft.revisions] == [1, 2]
        assert draft.revisions[0].author_id is None and "title: 水量計檢定\n" in draft.revisions[0].text
        assert "水量計檢定（新）" in draft.revisions[1].text and draft.author_id == team["author"].id
    assert "水量計檢定（新）" not in (repo.path / PATH).read_text(encoding="utf-8")  # a draft is not published


def test_a_problem_is_shown_beside_its_field_and_the_typed_text_is_kept(editing_app, team):
    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT)
    data.update(title="", body="我打的字都還在")
    data["sources.0.title"], data["sources.0.url"] = "度量衡法", "not-a-url"
    response = post_form(client, EDIT, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-title-error"' in page and 'href="#f-title"' in page  # beside the field and in the summary
    assert 'id="f-sources-0-url-error"' in page and "not a full web address" in page
    assert 'value="not-a-url"' in page and "我打的字都還在" in page


@pytest.mark.parametrize(("field", "value"), [("title", "<script>alert(1)</script>水量計"), ("body", "本文<script>alert(1)</script>"),
                                              ("body", "[按我](javascript:alert(1))"), ("summary", '<img src=x onerror="alert(1)">')])
def test_script_in_a_title_or_the_markdown_is_refused_beside_its_field(editing_app, team, repo, field, value):
    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT)
    data[field] = value
    response = post_form(client, EDIT, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in page and "HTML" in page
    assert "<script>alert" not in page  # shown back escaped, never run
    assert repo.log()[0].subject.startswith("內容初始化")  # nothing reached the content repository


def test_the_preview_is_the_sites_own_page_with_its_checks(editing_app, team):
    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT)
    data["body"] = "## 說明\n\n新的說明文字。\n\n#### 跳級\n\n[請點此](https://www.example.gov.tw/a.pdf)\n"
    assert post_form(client, EDIT, data).status_code == 302
    page = client.get("/admin/drafts/1/preview").get_data(as_text=True)
    assert "新的說明文字。" in page
    assert 'class="site-preview-page"' in page and "申辦" in page  # the site's procedure template, with its own headings
    assert "從第 2 層跳到第 4 層" in page and "請點此" in page and "沒有寫出檔案格式與大小" in page


def test_the_accessibility_checks_each_find_what_they_say():
    codes = lambda html, body="": {p.code for p in check_page(html, body)}  # noqa: E731
    assert codes("", "![](photo.jpg)") == {"atag.image-no-alt"}
    assert codes("", "![櫃台位置圖](photo.jpg)") == set()
    assert codes('<p><a href="https://x.gov.tw/"></a></p>') == {"atag.link-text"}
    assert codes('<p><a href="https://x.gov.tw/">click here</a></p>') == {"atag.link-text"}
    assert codes('<p><a href="https://x.gov.tw/">點此</a></p>') == {"atag.link-text"}
    assert codes('<p><a href="https://x.gov.tw/">計程車計費表檢定</a></p>') == set()
    assert codes("<h1>a</h1><h2>b</h2><h4>c</h4>") == {"atag.heading-skipped"}
    assert codes("<h1>a</h1><h2>b</h2><h3>c</h3><h2>d</h2>") == set()
    assert codes("<table><tr><td>1</td></tr></table>") == {"atag.table-no-header"}
    assert codes('<table><tr><th scope="col">a</th></tr></table>') == set()
    assert codes('<p><a href="/files/forms/a.odt">申請書</a></p>') == {"atag.download-no-format"}
    assert codes('<p><a href="/files/forms/a.odt">申請書（ODT，32 KB）</a></p>') == set()


def test_someone_of_another_unit_cannot_open_the_form(editing_app, team):
    client = signed_in(editing_app, team["other"])
    assert client.get(EDIT).status_code == 403
    assert post_form(client, EDIT, {"title": "x"}).status_code == 403


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_document_of_every_kind_gets_its_form(editing_app, team, kind):
    client = signed_in(editing_app, team["author"])
    response = client.get(f"/admin/documents/new?unit=sec4&kind={kind}")
    assert response.status_code == 302 and response.headers["Location"] == f"/admin/units/sec4/new/{kind}"
    page = client.get(f"/admin/units/sec4/new/{kind}").get_data(as_text=True)
    for spec in form_fields(kind):
        assert f'id="f-{spec.name}' in page or f'id="f-{spec.name}-0' in page, spec.name


def test_a_new_document_is_dated_the_agencys_day_not_the_servers(editing_app, team, monkeypatch):
    # gongkai.clock.today is Taipei's date (at 23:30 UTC the server's is a day behind): a date
    # neither clock has shows the form took it from there
    monkeypatch.setattr(clock, "today", lambda: dt.date(2031, 1, 15))
    page = signed_in(editing_app, team["author"]).get("/admin/units/sec4/new/news").get_data(as_text=True)
    for field in ("published", "updated"):
        assert f'id="f-{field}" name="{field}" type="text" class="width-10" value="2031-01-15"' in page, field


def test_a_new_news_item_is_created_as_a_draft_and_published_at_its_own_path(editing_app, team, repo):
    client = signed_in(editing_app, team["author"])
    path = "/admin/units/sec4/new/news"
    data = form_of(client, path) | {"id": "meter-night-service", "title": "夜間檢定服務開辦", "summary": "第四課開辦夜間檢定。",
                                    "theme": ["220"], "policy": ["P20"], "service": ["E00"], "keywords": "夜間\n檢定",
                                    "body": "## 說明\n\n每週二、四夜間受理。\n"}
    taken = post_form(client, path, data | {"id": "water-meter", "lang": "zh-Hant-TW"})
    assert taken.status_code == 422 and "已經有代號為 water-meter 的文件" in taken.get_data(as_text=True)
    assert post_form(client, path, data).status_code == 302
    page = client.get("/admin/documents/zh-Hant-TW/meter-night-service/edit").get_data(as_text=True)
    assert 'value="夜間檢定服務開辦"' in page
    assert post_form(client, "/admin/drafts/1/submit", {}).status_code == 302
    reviewer = signed_in(editing_app, team["reviewer"])
    assert post_form(reviewer, "/admin/drafts/1/approve", {"publish_at": ""}).status_code == 302
    assert "每週二、四夜間受理" in (repo.path / "docs/zh/news/meter-night-service.md").read_text(encoding="utf-8")


def test_a_new_documents_id_has_a_length_limit_said_beside_it(editing_app, team):
    # an id of 100,000 characters reached the file system as a file name: OSError, a 500
    client = signed_in(editing_app, team["author"])
    path = "/admin/units/sec4/new/news"
    for doc_id in ("a" * 101, "a" * 100_000):
        data = form_of(client, path) | {"id": doc_id, "title": "夜間檢定服務開辦", "summary": "第四課開辦夜間檢定。"}
        response = post_form(client, path, data)
        assert response.status_code == 422 and 'href="#f-id"' in response.get_data(as_text=True)


def test_a_new_document_only_in_ones_own_unit(editing_app, team):
    client = signed_in(editing_app, team["other"])
    assert client.get("/admin/units/sec4/new/news").status_code == 403


def test_a_preview_the_site_cannot_render_blocks_submission(editing_app, team, monkeypatch):
    from gongkai.admin.editing.preview import PreviewSite

    client = signed_in(editing_app, team["author"])
    assert post_form(client, EDIT, form_of(client, EDIT) | {"fee": "免費"}).status_code == 302
    monkeypatch.setattr(PreviewSite, "render", lambda self, doc, files: (500, "<html><main></main></html>"))
    page = client.get("/admin/drafts/1/preview").get_data(as_text=True)
    assert "無法產生這份文件的預覽頁" in page and "沒有發現問題" not in page
    post_form(client, "/admin/drafts/1/submit", {})
    from gongkai.admin.models import Draft

    with editing_app.extensions["gongkai.admin"].sessions() as db:
        assert db.get(Draft, 1).state == "draft"
