"""Every back-office route, asked for as someone not signed in, an author of another unit, an
author, a reviewer and the webmaster: only the allowed ones succeed. And every request that
changes anything is refused without a valid CSRF token."""

from __future__ import annotations

import pytest

from gongkai.admin.models import Draft, DraftFile, Revision
from gongkai.mailbox.states import CaseState
from tests.admin.conftest import DOCUMENT
from tests.admin.support import make_account, sign_in
from tests.mailbox.staff.conftest import make_case

DOC_PATH = "docs/meter-news.md"
ROLES = ("anonymous", "other_author", "author", "reviewer", "webmaster")
SIGNED_IN = {"other_author", "author", "reviewer", "webmaster"}
# endpoint → (method, who gets it)
EXPECTED = {
    "static": ("GET", set(ROLES)),
    "sign_in.form": ("GET", set(ROLES)),
    "sign_in.code": ("GET", set()),  # only between password and code: everyone else is sent on
    "second_factor.enrol": ("GET", SIGNED_IN),
    "password.change": ("GET", SIGNED_IN),
    "dashboard.index": ("GET", SIGNED_IN),
    "dashboard.unit": ("GET", {"author", "reviewer", "webmaster"}),  # sec4's page
    "accounts.index": ("GET", {"webmaster"}),
    "accounts.detail": ("GET", {"webmaster"}),
    "accounts.state": ("POST", {"webmaster"}),
    "audit_log.index": ("GET", {"webmaster"}),
    "audit_log.export": ("GET", {"webmaster"}),
    "editing.index": ("GET", SIGNED_IN),
    "editing.edit": ("GET", {"author", "reviewer", "webmaster"}),
    "editing.start_new": ("GET", SIGNED_IN),  # only a redirect to editing.new, which checks the unit
    "editing.new": ("GET", {"author", "reviewer", "webmaster"}),
    "editing.preview_page": ("GET", {"author", "reviewer", "webmaster"}),
    "editing.revisions": ("GET", {"author", "reviewer", "webmaster"}),
    "editing.restore": ("POST", {"author", "reviewer", "webmaster"}),
    "editing.upload": ("POST", {"author", "reviewer", "webmaster"}),  # no file: refused beside the field (422)
    "editing.remove_file": ("POST", {"author", "reviewer", "webmaster"}),
    "workflow.review": ("GET", {"reviewer", "webmaster"}),  # never the draft's own author (see test_workflow)
    # reached by the unit's members, so that a forged POST by the author is refused by the transition, with a reason
    "workflow.approve": ("POST", {"author", "reviewer", "webmaster"}),
    "workflow.reject": ("POST", {"author", "reviewer", "webmaster"}),
    "workflow.withdraw": ("GET", {"reviewer", "webmaster"}),
    "workflow.submit": ("POST", {"author", "webmaster"}),  # last: it sends the draft to review
    # 意見信箱 (gongkai.mailbox.staff), on a sec4 case whose reply someone else drafted
    "cases.queue": ("GET", SIGNED_IN),
    "case_statistics.page": ("GET", SIGNED_IN),  # counts only, as published in the open dataset
    "case_statistics.chart": ("GET", SIGNED_IN),
    "cases.case_page": ("GET", {"author", "reviewer", "webmaster"}),
    "cases.attachment": ("GET", {"author", "reviewer", "webmaster"}),
    "cases.assign": ("POST", {"webmaster"}),  # the secretariat's and the webmaster's
    "cases.draft": ("POST", {"author", "reviewer", "webmaster"}),  # reached; the empty reply is refused beside its field
    # reached by the unit's members so a forged POST is refused in the view; the author is no reviewer (403)
    "cases.send_back": ("POST", {"reviewer", "webmaster"}),
    "cases.approve": ("POST", {"reviewer", "webmaster"}),
    # tier, merge and §173 closure of a drafted case: reached, then refused with a reason (422 empty field, 409 not open)
    "cases.change_tier": ("POST", {"webmaster"}),  # the secretariat's and the webmaster's, like triage
    "cases.merge": ("POST", {"reviewer", "webmaster"}),  # and the secretariat
    "cases.close": ("POST", {"reviewer", "webmaster"}),  # a reviewer's decision: never the author
    # masked exports: the webmaster, the secretariat and reviewers (of their unit's cases); authors never
    "case_exports.export": ("GET", {"reviewer", "webmaster"}),
    "sign_in.sign_out": ("POST", SIGNED_IN),
}


@pytest.fixture
def people(office):
    found = {"other_author": make_account(office, "other-author", "author", ("sec1",)),
             "author": make_account(office, "author", "author", ("sec4",)),
             "reviewer": make_account(office, "reviewer", "reviewer", ("sec4",)),
             "webmaster": make_account(office, "webmaster", "webmaster", ("it",))}
    someone = make_account(office, "someone", "author", ("sec4",))
    with office.sessions() as db:  # a draft of sec4's document, written by someone else, for the draft routes
        draft = Draft(kind="news", lang="zh-Hant-TW", doc_id="meter-news", unit="sec4", path=DOC_PATH, open_path=DOC_PATH,
                      state="draft", author_id=someone.id)
        draft.revisions += [Revision(number=1, text=DOCUMENT), Revision(number=2, text=DOCUMENT.replace("本文。", "新本文。"), author_id=someone.id)]
        draft.files.append(DraftFile(name="forms/a.pdf", data=b"%PDF-1.7", size=8, media_type="application/pdf", uploaded_by=someone.id))
        db.add(draft)
        db.commit()
    make_case(office, number="1", state=CaseState.DRAFTED, unit="sec4", drafted_by=someone.id, draft_reply="已處理。")
    return found


def url_of(app, endpoint: str, people) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {"code": "sec4", "account_id": people["author"].id, "fmt": "csv", "filename": "admin.css", "draft_id": 1, "number": 1,
              "lang": "zh-Hant-TW", "doc_id": "meter-news", "unit": "sec4", "kind": "news", "file_id": 1}
    with app.test_request_context():
        from flask import url_for

        query = {"unit": "sec4", "kind": "news"} if endpoint == "editing.start_new" else {}
        return url_for(endpoint, **{name: values[name] for name in rule.arguments}, **query)


def client_for(app, role, people):
    client = app.test_client()
    if role != "anonymous":
        response = sign_in(client, people[role])
        assert response.status_code == 302 and "/sign-in" not in response.headers["Location"], role
    return client


def succeeded(client, response, role: str, endpoint: str) -> bool:
    if response.status_code in (200, 409, 422):  # shown, or reached the view and refused there with a reason
        return True
    if response.status_code != 302 or endpoint == "sign_in.code":  # the code page succeeds only by showing itself
        return False
    location = response.headers["Location"]
    if endpoint == "sign_in.sign_out":  # success: signed out, so the dashboard now sends to sign-in
        return role != "anonymous" and client.get("/admin/").status_code == 302
    return "/sign-in" not in location and "/second-factor" not in location


def test_every_route_is_in_the_table(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_role_and_route(app, people, role):
    from tests.admin.support import csrf_token

    outcomes = {}
    for endpoint, (method, _allowed) in EXPECTED.items():
        client = client_for(app, role, people)  # a fresh session each time: sign-out and disabling change it
        url = url_of(app, endpoint, people)
        if method == "GET":
            response = client.get(url)
        else:
            token = csrf_token(client, "/admin/sign-in")
            response = client.post(url, data={"csrf_token": token, "state-csrf_token": token})
            assert response.status_code != 500, (role, endpoint)
        outcomes[endpoint] = (succeeded(client, response, role, endpoint), response.status_code)
        if role != "anonymous" and not outcomes[endpoint][0] and response.status_code == 302:
            assert "/sign-in" not in response.headers["Location"] or endpoint in ("sign_in.code",), (endpoint, response.headers)
    wrong = {endpoint: outcome for endpoint, outcome in outcomes.items() if outcome[0] != (role in EXPECTED[endpoint][1])}
    assert not wrong, f"{role}: {wrong}"


def test_refusals_are_403_for_the_signed_in_and_sign_in_for_others(app, people):
    author = client_for(app, "author", people)
    assert author.get("/admin/accounts/").status_code == 403
    assert author.get("/admin/units/sec1/").status_code == 403
    page = author.get("/admin/audit/").get_data(as_text=True)
    assert "沒有權限" in page
    anonymous = app.test_client().get("/admin/accounts/")
    assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/admin/sign-in")


STATE_CHANGING = [("/admin/sign-in", "anonymous"), ("/admin/sign-in/code", "password stage"), ("/admin/second-factor", "webmaster"), ("/admin/password", "webmaster"),
                  ("/admin/accounts/{id}", "webmaster"), ("/admin/accounts/{id}/state", "webmaster"), ("/admin/sign-out", "webmaster"),
                  ("/admin/documents/zh-Hant-TW/meter-news/edit", "webmaster"), ("/admin/documents/zh-Hant-TW/meter-news/withdraw", "webmaster"),
                  ("/admin/drafts/1/files", "webmaster"), ("/admin/drafts/1/revisions/1/restore", "webmaster"), ("/admin/drafts/1/submit", "webmaster"),
                  ("/admin/drafts/1/approve", "webmaster"), ("/admin/drafts/1/reject", "webmaster"), ("/admin/units/sec4/new/news", "webmaster"),
                  ("/admin/drafts/1/files/1/remove", "webmaster")] + [(f"/admin/cases/1/{step}", "webmaster")
                                                                      for step in ("assign", "draft", "approve", "return", "tier", "merge", "close")]
RULE_OF = {"/admin/documents/zh-Hant-TW/meter-news/edit": "/admin/documents/<lang>/<doc_id>/edit",
           "/admin/documents/zh-Hant-TW/meter-news/withdraw": "/admin/documents/<lang>/<doc_id>/withdraw",
           "/admin/drafts/1/revisions/1/restore": "/admin/drafts/<int:draft_id>/revisions/<int:number>/restore",
           "/admin/units/sec4/new/news": "/admin/units/<unit>/new/<kind>",
           "/admin/drafts/1/files/1/remove": "/admin/drafts/<int:draft_id>/files/<int:file_id>/remove",
           **{f"/admin/cases/1/{step}": f"/admin/cases/<number>/{step}" for step in ("assign", "draft", "approve", "return", "tier", "merge", "close")}}


@pytest.mark.parametrize("token", ["missing", "wrong"])
def test_every_state_changing_request_needs_a_valid_csrf_token(app, people, office, token):
    from tests.admin.support import PASSWORD

    posts = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    assert {RULE_OF.get(path) or path.replace("{id}", "<int:account_id>").replace("/1/", "/<int:draft_id>/") for path, _ in STATE_CHANGING} == posts
    for path, who in STATE_CHANGING:
        client = app.test_client()
        if who == "webmaster":
            client_for_webmaster = client_for(app, "webmaster", people)
            client = client_for_webmaster
        elif who == "password stage":
            from tests.admin.support import csrf_token

            client.post("/admin/sign-in", data={"name": "webmaster", "password": PASSWORD, "csrf_token": csrf_token(client, "/admin/sign-in")})
        data = {"name": "author", "password": PASSWORD, "code": "123456", "role": "webmaster", "units": ["sec4"]}
        if token == "wrong":
            data |= {"csrf_token": "forged", "state-csrf_token": "forged"}
        response = client.post(path.format(id=people["author"].id), data=data)
        assert response.status_code == 400, (path, response.status_code)
        assert "表單已逾時或無法驗證" in response.get_data(as_text=True)
    with office.sessions() as db:
        from gongkai.admin.models import Account

        author = db.get(Account, people["author"].id)
        assert (author.role, author.disabled) == ("author", False)
    assert client_for(app, "webmaster", people).get("/admin/").status_code == 200  # sign-out without a token did not sign out


def test_a_view_that_declares_no_permission_is_refused(settings):
    """Deny by default: a route added without @public, @after_password or @requires answers 403."""
    from flask import Blueprint

    from gongkai.admin import create_app

    app = create_app(settings)
    forgotten = Blueprint("forgotten", __name__)
    forgotten.add_url_rule("/forgotten", "page", lambda: "secret page")
    app.register_blueprint(forgotten, url_prefix="/admin")
    people = {"webmaster": make_account(app.extensions["gongkai.admin"], "webmaster", "webmaster", ("it",))}
    client = client_for(app, "webmaster", people)
    response = client.get("/admin/forgotten")
    assert response.status_code == 403 and "secret page" not in response.get_data(as_text=True)
    app.extensions["gongkai.admin"].engine.dispose()


@pytest.mark.parametrize("role", ROLES)
def test_changing_an_account_is_the_webmasters_alone(app, people, office, role):
    """The POST of an account page, with a valid token: refused for everyone but the webmaster, and nothing changes."""
    from gongkai.admin.models import Account
    from tests.admin.support import csrf_token

    client = client_for(app, role, people)
    path = f"/admin/accounts/{people['author'].id}"
    response = client.post(path, data={"role": "webmaster", "units": ["it"], "csrf_token": csrf_token(client, "/admin/sign-in")})
    with office.sessions() as db:
        changed = db.get(Account, people["author"].id).role == "webmaster"
    assert changed is (role == "webmaster")
    assert response.status_code == (302 if role in ("webmaster", "anonymous") else 403)
