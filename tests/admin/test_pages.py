"""The pages themselves: one h1, a skip link, every field labelled, the error summary pattern
with typed values kept, no 500 for bad input, typed text shown back on an error page, private
caching, and no sign-in anywhere on the public site."""

from __future__ import annotations

import pytest
from lxml import html

from tests.admin.support import csrf_token, make_account, sign_in

NASTY = ["", "x" * 5000, "\x00\x01", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "%00", "１２３", "𠮷" * 70]


@pytest.fixture
def webmaster(app, office):
    account = make_account(office, "webmaster", "webmaster", ("it",))
    client = app.test_client()
    sign_in(client, account)
    return client


def structure_problems(page: str) -> list[str]:
    tree = html.fromstring(page)
    problems = []
    if tree.get("lang") != "zh-Hant-TW":
        problems.append("html lang is not zh-Hant-TW")
    if len(tree.xpath("//h1")) != 1:
        problems.append(f"{len(tree.xpath('//h1'))} h1 elements")
    if tree.xpath("(//a)[1]/@href") != ["#main"] or not tree.xpath("//main[@id='main']"):
        problems.append("no skip link first to main#main")
    for field in tree.xpath("//input[not(@type='hidden')] | //select | //textarea"):
        if not tree.xpath(f"//label[@for='{field.get('id')}']"):
            problems.append(f"field {field.get('name')} has no label")
    return problems


def test_every_page_has_one_h1_a_skip_link_and_labels(app, webmaster, office):
    author = make_account(office, "author", "author")
    pages = ["/admin/", "/admin/accounts/", f"/admin/accounts/{author.id}", "/admin/audit/", "/admin/units/sec4/",
             "/admin/second-factor", "/admin/no-such-page"]
    for path in pages:
        assert structure_problems(webmaster.get(path).get_data(as_text=True)) == [], path
    anonymous = app.test_client()
    assert structure_problems(anonymous.get("/admin/sign-in").get_data(as_text=True)) == []


def test_the_error_summary_links_to_each_field_and_keeps_what_was_typed(app):
    client = app.test_client()
    page = client.post("/admin/sign-in", data={"name": "x" * 70, "password": "", "csrf_token": csrf_token(client, "/admin/sign-in")})
    tree = html.fromstring(page.get_data(as_text=True))
    summary = tree.xpath("//div[@class='error-summary' and @role='alert']")[0]
    assert summary.xpath(".//a/@href") == ["#name", "#password"]
    assert [" ".join(a.text_content().split()) for a in summary.xpath(".//a")] == ["帳號名稱最多 64 個字元", "請輸入密碼"]
    assert tree.xpath("//input[@id='name']/@value") == ["x" * 70]
    assert tree.xpath("//input[@id='name']/@aria-describedby") == ["name-error"]
    assert tree.xpath("//input[@id='name']/@aria-invalid") == ["true"]
    assert tree.xpath("string(//p[@id='name-error'])").strip() == "錯誤：帳號名稱最多 64 個字元"
    assert tree.xpath("string(//title)").startswith("錯誤：")


def test_an_expired_form_shows_what_was_typed_but_never_the_password(app):
    client = app.test_client()
    response = client.post("/admin/sign-in", data={"name": "我打的名字", "password": "my secret words"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "表單已逾時" in page and "我打的名字" in page and "my secret words" not in page


def test_a_body_too_large_is_refused_plainly(app):
    response = app.test_client().post("/admin/sign-in", data={"name": "x" * (2 << 20)})
    assert response.status_code == 413 and "<h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize("value", NASTY)
def test_bad_input_is_never_a_500(app, webmaster, office, value):
    author = make_account(office, f"author{abs(hash(value)) % 1000}", "author")
    token = csrf_token(webmaster, "/admin/")
    for path in ["/admin/audit/", "/admin/audit/export.csv", "/admin/audit/export.ods"]:
        for name in ("person", "action", "since", "until", "target", "page"):
            assert webmaster.get(path, query_string={name: value}).status_code in (200, 400), (path, name)
    for path in (f"/admin/units/{value}/", f"/admin/accounts/{value}"):
        assert webmaster.get(path).status_code in (200, 308, 400, 403, 404), path
    response = webmaster.post(f"/admin/accounts/{author.id}", data={"role": value, "units": [value], "csrf_token": token})
    assert response.status_code == 422
    anonymous = app.test_client()
    for data in ({"name": value, "password": value}, {"name": value}, {}):
        data["csrf_token"] = csrf_token(anonymous, "/admin/sign-in")
        assert anonymous.post("/admin/sign-in", data=data).status_code == 200
    assert webmaster.post("/admin/sign-in/code", data={"code": value, "csrf_token": token}).status_code in (200, 302)


def test_pages_are_private_and_carry_the_security_headers(app, webmaster):
    response = webmaster.get("/admin/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert app.test_client().get("/admin/sign-in", headers={"Host": "evil.example"}).status_code == 400


def test_the_public_site_has_no_sign_in():
    from gongkai.app import create_app

    public = create_app({"TESTING": True})
    rules = [rule.rule for rule in public.url_map.iter_rules()]
    assert not [rule for rule in rules if "admin" in rule or "sign-in" in rule]
    assert public.test_client().get("/admin/sign-in").status_code == 404


def test_a_server_error_keeps_what_was_typed_and_shows_no_traceback(settings):
    from flask import Blueprint

    from gongkai.admin import create_app
    from gongkai.admin.views.guard import public

    app = create_app(settings)
    failing = Blueprint("failing", __name__)

    @failing.route("/failing", methods=["POST"])
    @public
    def fail():
        raise RuntimeError("a bug deep inside")

    app.register_blueprint(failing, url_prefix="/admin")
    client = app.test_client()
    token = csrf_token(client, "/admin/sign-in")
    response = client.post("/admin/failing", data={"csrf_token": token, "body": "一段很長的陳情內容\n第二行", "password": "hunter2-secret"})
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "一段很長的陳情內容\n第二行" in page and "hunter2-secret" not in page
    assert "Traceback" not in page and "a bug deep inside" not in page
    app.extensions["gongkai.admin"].engine.dispose()
