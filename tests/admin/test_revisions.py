"""Revisions on both engines: two signed-in editors on one document — the second save is refused,
shows the first one's change, and keeps what the second typed; every save kept; diff between any
two; restore as a new revision; no revision for a save that changes nothing (no autosave flood)."""

from __future__ import annotations

from sqlalchemy import select

from gongkai.admin.editing.drafts import diff
from gongkai.admin.models import Revision
from tests.admin import editing_support
from tests.admin.editing_support import EDIT, form_of, post_form, signed_in

repo, editing_app, team = editing_support.repo, editing_support.editing_app, editing_support.team  # the shared fixtures


def numbers(app) -> list[int]:
    with app.extensions["gongkai.admin"].sessions() as db:
        return list(db.scalars(select(Revision.number).order_by(Revision.number)))


def test_two_editors_at_once_the_second_save_is_refused_with_the_first_change_shown(editing_app, team):
    first, second = signed_in(editing_app, team["author"]), signed_in(editing_app, team["author2"])
    first_form, second_form = form_of(first, EDIT), form_of(second, EDIT)  # both open the same published file
    first_form["fee"] = "每具新臺幣 100 元"
    assert post_form(first, EDIT, first_form).status_code == 302
    second_form["time_limit"] = "5 個工作天（第二位編輯）"
    refused = post_form(second, EDIT, second_form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "wang" not in page.split("已在您開啟")[0][-40:]  # it names the other person
    assert "lin 已在您開啟這個頁面之後儲存了第 2 版" in page
    assert "<ins>fee: 每具新臺幣 100 元</ins>" in page  # the first change, as a diff
    assert 'value="5 個工作天（第二位編輯）"' in page  # nothing lost
    assert numbers(editing_app) == [1, 2]
    # saved again from the refused page (now based on revision 2): accepted, the first change kept
    again = form_of(second, EDIT) | {"time_limit": "5 個工作天（第二位編輯）"}
    assert post_form(second, EDIT, again).status_code == 302
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        latest = db.scalars(select(Revision).order_by(Revision.number.desc())).first()
        assert "每具新臺幣 100 元" in latest.text and "第二位編輯" in latest.text


def test_a_save_that_changes_nothing_adds_no_revision(editing_app, team):
    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT) | {"fee": "免費"}
    assert post_form(client, EDIT, data).status_code == 302
    assert post_form(client, EDIT, form_of(client, EDIT)).status_code == 302
    assert numbers(editing_app) == [1, 2]


def test_diff_between_any_two_revisions_and_restore_as_a_new_revision(editing_app, team):
    client = signed_in(editing_app, team["author"])
    for fee in ("一百元", "兩百元"):
        assert post_form(client, EDIT, form_of(client, EDIT) | {"fee": fee}).status_code == 302
    page = client.get("/admin/drafts/1/revisions?from=2&to=3").get_data(as_text=True)
    assert "<del>fee: 一百元</del>" in page and "<ins>fee: 兩百元</ins>" in page and "<caption>" in page
    assert client.get("/admin/drafts/1/revisions?from=1&to=9").status_code == 404
    assert post_form(client, "/admin/drafts/1/revisions/2/restore", {}).status_code == 302
    assert numbers(editing_app) == [1, 2, 3, 4]
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        texts = {r.number: r.text for r in db.scalars(select(Revision))}
    assert texts[4] == texts[2]


def test_diff_lines_say_what_changed():
    lines = diff("a\nb\nc\n", "a\nB\nc\n")
    assert [(line.kind, line.text) for line in lines] == [("same", "a"), ("removed", "b"), ("added", "B"), ("same", "c")]
    assert diff("same\n", "same\n") == []


def test_a_form_opened_before_a_publication_is_refused_with_the_published_change(editing_app, team, repo):
    from gongkai.content_repo import Person
    from tests.admin.editing_support import PATH

    client = signed_in(editing_app, team["author"])
    data = form_of(client, EDIT) | {"fee": "我的修改"}
    changed = (repo.path / PATH).read_text(encoding="utf-8").replace("fee: 依規費標準", "fee: 別人發布的收費")
    repo.publish({PATH: changed.encode("utf-8")}, subject="別人的發布", author=Person("chen"))
    refused = post_form(client, EDIT, data)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "已經發布了新版本" in page
    assert "<ins>fee: 別人發布的收費</ins>" in page and 'value="我的修改"' in page
    assert numbers(editing_app) == []
    assert post_form(client, EDIT, form_of(client, EDIT) | {"fee": "我的修改"}).status_code == 302
    assert numbers(editing_app) == [1, 2]


def test_the_translation_twin_is_linked_from_the_form(database_url, repo, tmp_path):
    from gongkai.admin import create_app
    from gongkai.content_repo import Person
    from tests.admin.editing_support import PATH
    from tests.admin.support import make_account

    zh_text = (repo.path / PATH).read_text(encoding="utf-8").replace("lang: zh-Hant-TW\n", "lang: zh-Hant-TW\ntranslation: water-meter\n")
    en_text = (zh_text.replace("lang: zh-Hant-TW", "lang: en").replace("translation: water-meter", "translation: water-meter")
               .replace("title: 水量計檢定", "title: Water meter verification").replace("forms: [water-meter-form]\n", ""))
    repo.publish({PATH: zh_text.encode(), "docs/en/water-meter.md": en_text.encode()}, subject="twins", author=Person("chen"))
    app = create_app({"DATABASE_URL": database_url, "CONTENT_DIR": str(repo.path), "VAR_DIR": str(tmp_path / "var"), "CONTENT_RELOAD_SECONDS": 0})
    try:
        client = signed_in(app, make_account(app.extensions["gongkai.admin"], "lin", "author", ("sec4",)))
        page = client.get(EDIT).get_data(as_text=True)
        assert '<a href="/admin/documents/en/water-meter/edit" lang="en">Water meter verification</a>' in page
        assert '<button type="submit">儲存為新版本</button>' in page
    finally:
        app.extensions["gongkai.admin"].engine.dispose()


def test_after_publication_an_old_revision_is_restored_as_a_new_draft(editing_app, team, repo):
    from gongkai.admin.models import Draft
    from tests.admin.editing_support import PATH

    author = signed_in(editing_app, team["author"])
    for fee in ("一百元", "兩百元"):
        assert post_form(author, EDIT, form_of(author, EDIT) | {"fee": fee}).status_code == 302
    assert post_form(author, "/admin/drafts/1/submit", {}).status_code == 302
    reviewer = signed_in(editing_app, team["reviewer"])
    assert post_form(reviewer, "/admin/drafts/1/approve", {"publish_at": ""}).status_code == 302
    assert "fee: 兩百元" in (repo.path / PATH).read_text(encoding="utf-8")
    page = author.get(EDIT).get_data(as_text=True)
    assert "/admin/drafts/1/revisions" in page  # the last publication's history, from the form
    response = post_form(author, "/admin/drafts/1/revisions/2/restore", {})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/drafts/2/revisions"
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        fresh = db.get(Draft, 2)
        assert fresh.state == "draft" and [r.author_id is None for r in fresh.revisions] == [True, False]
        assert "fee: 兩百元" in fresh.revisions[0].text and "fee: 一百元" in fresh.revisions[1].text
    assert "fee: 兩百元" in (repo.path / PATH).read_text(encoding="utf-8")  # nothing published by a restore
    assert post_form(author, "/admin/drafts/1/revisions/3/restore", {}).status_code == 302  # an open draft exists now
    with editing_app.extensions["gongkai.admin"].sessions() as db:
        assert db.query(Draft).count() == 2
