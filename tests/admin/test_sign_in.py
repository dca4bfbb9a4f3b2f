"""Signing in and out: cookies, new sessions, the idle timeout, throttling without telling which
accounts exist, the second factor (required for the webmaster, codes good once), rehashing."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from gongkai.admin import passwords
from gongkai.admin.models import Account, AuditEntry, SignInSession
from tests.admin.support import CSRF, PASSWORD, code_for, csrf_token, forget_used_codes, make_account, sign_in


def post_sign_in(client, name, password):
    return client.post("/admin/sign-in", data={"name": name, "password": password, "csrf_token": csrf_token(client, "/admin/sign-in")})


def message_of(response) -> str:
    from lxml import html

    page = html.fromstring(response.get_data(as_text=True))
    return " ".join(page.xpath("string(//p[@class='field-error'])").split())


def test_cookie_is_httponly_samesite_and_scoped(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    response = sign_in(client, author)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # this back office is on loopback only, reached over plain http


def test_cookie_is_secure_on_a_public_address(settings):
    from gongkai.admin import create_app

    app = create_app(settings | {"ADMIN_BASE_URL": "https://admin.example.gov.tw"})
    client = app.test_client()
    response = client.get("/admin/sign-in", base_url="https://admin.example.gov.tw")
    assert response.status_code == 200
    assert "Secure" in response.headers["Set-Cookie"]
    assert client.get("/admin/sign-in", base_url="http://127.0.0.1").status_code == 400  # not one of its host names
    app.extensions["gongkai.admin"].engine.dispose()


def test_signing_in_starts_a_new_session_and_signing_out_ends_it_on_the_server(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    client.get("/admin/sign-in")
    before = client.get_cookie("gongkai_admin", path="/admin").value
    sign_in(client, author)
    after = client.get_cookie("gongkai_admin", path="/admin").value
    assert after != before
    assert client.get("/admin/").status_code == 200
    client.post("/admin/sign-out", data={"csrf_token": csrf_token(client, "/admin/")})
    client.set_cookie("gongkai_admin", after, path="/admin")  # a copy of the old cookie is worth nothing now
    assert client.get("/admin/").status_code == 302
    with office.sessions() as db:
        assert db.scalars(select(SignInSession)).all() == []


def test_an_idle_session_ends(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    sign_in(client, author)
    with office.sessions() as db:
        db.execute(update(SignInSession).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)))
        db.commit()
    response = client.get("/admin/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "閒置超過 30 分鐘" in page


def test_a_wrong_name_and_a_wrong_password_get_the_same_answer(app, office):
    make_account(office, "author", "author")
    client = app.test_client()
    wrong_password = post_sign_in(client, "author", "not the password at all")
    no_such_account = post_sign_in(client, "nobody-here", "not the password at all")
    assert wrong_password.status_code == no_such_account.status_code == 200
    assert message_of(wrong_password) == message_of(no_such_account) == "錯誤：帳號名稱或密碼不正確"
    assert 'value="nobody-here"' in no_such_account.get_data(as_text=True)  # the typed name is kept
    assert "not the password" not in no_such_account.get_data(as_text=True)  # the password never


def test_failures_are_throttled_per_account_with_the_time_to_try_again(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    for _ in range(4):
        post_sign_in(client, "author", "wrong wrong wrong")
    post_sign_in(client, "ａｕｔｈｏｒ", "wrong wrong wrong")  # the same name, written in full-width letters
    refused = post_sign_in(client, "author", PASSWORD)  # even the right password, now
    post_sign_in(client, "author", PASSWORD)
    assert "登入失敗次數過多，請於" in message_of(refused) and "之後再試" in message_of(refused)
    assert client.get("/admin/").status_code == 302
    # an unknown name is throttled the same way: throttling does not tell which accounts exist
    for _ in range(5):
        post_sign_in(client, "ghost", "wrong wrong wrong")
    assert message_of(post_sign_in(client, "ghost", "x")) [:12] == message_of(refused)[:12]
    with office.sessions() as db:
        actions = [entry.action for entry in db.scalars(select(AuditEntry).where(AuditEntry.target == "account:author"))]
    assert actions.count("sign_in_failed") == 5 and actions.count("sign_in_throttled") == 1  # refusals do not flood the log
    assert author.name == "author"


def test_failures_are_throttled_per_address(app, office):
    make_account(office, "author", "author")
    client = app.test_client()
    for number in range(20):
        post_sign_in(client, f"guess-{number}", "wrong wrong wrong")
    assert "登入失敗次數過多" in message_of(post_sign_in(client, "author", PASSWORD))
    other_address = app.test_client()
    response = other_address.post("/admin/sign-in", environ_overrides={"REMOTE_ADDR": "192.0.2.7"},
                                  data={"name": "author", "password": PASSWORD, "csrf_token": csrf_token(other_address, "/admin/sign-in")})
    assert response.status_code == 302


def test_every_sign_in_and_failure_is_audited_with_its_address(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    post_sign_in(client, "author", "wrong wrong wrong")
    sign_in(client, author)
    with office.sessions() as db:
        entries = [(e.action, e.target, e.address) for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert ("sign_in_failed", "account:author", "127.0.0.1") in entries
    assert entries[-1] == ("sign_in", "account:author", "127.0.0.1")


def test_the_webmaster_must_enrol_a_second_factor_first(app, office):
    webmaster = make_account(office, "webmaster", "webmaster", ("it",), totp=False)
    client = app.test_client()
    response = post_sign_in(client, "webmaster", PASSWORD)
    assert response.headers["Location"].startswith("/admin/second-factor")
    assert client.get("/admin/accounts/").headers["Location"].startswith("/admin/second-factor")
    page = client.get("/admin/second-factor").get_data(as_text=True)
    uri = page.split("otpauth://", 1)[1].split("<", 1)[0]
    secret = pyotp.parse_uri("otpauth://" + uri.replace("&amp;", "&")).secret
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page  # the secret as text, to type in
    wrong = client.post("/admin/second-factor", data={"code": "000000", "csrf_token": csrf_token(client, "/admin/second-factor")})
    assert "驗證碼不正確" in wrong.get_data(as_text=True)
    right = client.post("/admin/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, "/admin/second-factor")})
    assert right.status_code == 302
    assert client.get("/admin/accounts/").status_code == 200
    with office.sessions() as db:
        assert db.get(Account, webmaster.id).totp_enabled


def test_a_second_factor_is_offered_to_everyone(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    sign_in(client, author)
    assert client.get("/admin/").status_code == 200  # not required of an author
    assert "步驟一" in client.get("/admin/second-factor").get_data(as_text=True)


def test_a_code_is_good_once_and_only_near_now(app, office):
    webmaster = make_account(office, "webmaster", "webmaster", ("it",))
    client = app.test_client()
    post_sign_in(client, "webmaster", PASSWORD)
    old = client.post("/admin/sign-in/code", data={"code": code_for(webmaster.totp_secret, -3),
                                                    "csrf_token": csrf_token(client, "/admin/sign-in/code")})
    assert "驗證碼不正確" in old.get_data(as_text=True)
    code = code_for(webmaster.totp_secret)
    assert client.post("/admin/sign-in/code", data={"code": code, "csrf_token": csrf_token(client, "/admin/sign-in/code")}).status_code == 302
    again = app.test_client()
    post_sign_in(again, "webmaster", PASSWORD)
    replay = again.post("/admin/sign-in/code", data={"code": code, "csrf_token": csrf_token(again, "/admin/sign-in/code")})
    assert "驗證碼不正確或已使用過" in replay.get_data(as_text=True)
    assert again.get("/admin/").status_code == 302
    forget_used_codes(office, webmaster)


def test_a_hash_made_with_other_parameters_is_replaced_at_sign_in(app, office):
    author = make_account(office, "author", "author")
    with office.sessions() as db:
        db.get(Account, author.id).password_hash = PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1).hash(PASSWORD)
        db.commit()
    sign_in(app.test_client(), author)
    with office.sessions() as db:
        new_hash = db.get(Account, author.id).password_hash
    assert not passwords.HASHER.check_needs_rehash(new_hash)
    assert passwords.verify_password(new_hash, PASSWORD)[0]


def test_a_disabled_account_cannot_sign_in_and_is_signed_out(app, office):
    from gongkai.admin import accounts

    author = make_account(office, "author", "author")
    make_account(office, "webmaster", "webmaster", ("it",))
    client = app.test_client()
    sign_in(client, author)
    with office.sessions() as db:
        accounts.set_disabled(db, db.get(Account, author.id), True, actor="test")
        db.commit()
    assert client.get("/admin/").status_code == 302
    assert "已停用" in message_of(post_sign_in(app.test_client(), "author", PASSWORD))


@pytest.mark.parametrize("setting", ["BASE_URL", "ADMIN_BASE_URL"])
def test_demo_accounts_are_refused_on_an_https_address(settings, setting):
    from gongkai.admin import create_app
    from gongkai.admin.accounts import load_units
    from gongkai.admin.demo import DemoRefused, reset_demo_accounts

    plain = create_app(settings)
    with plain.extensions["gongkai.admin"].sessions() as db:
        made = reset_demo_accounts(db, load_units(settings["CONTENT_DIR"]), plain.config)
        db.commit()
    assert [a.name for a in made] == ["demo-author", "demo-reviewer", "demo-webmaster", "demo-secretary"]
    with plain.extensions["gongkai.admin"].sessions() as db:
        heads = {account.name: account.head_of for account in db.scalars(select(Account).where(Account.demo.is_(True)))}
    assert heads == {"demo-author": frozenset(), "demo-reviewer": {"sec4"}, "demo-webmaster": frozenset(), "demo-secretary": {"secretariat"}}
    client = plain.test_client()
    assert post_sign_in(client, "demo-author", made[0].password).status_code == 302
    plain.extensions["gongkai.admin"].engine.dispose()

    public = create_app(settings | {setting: "https://www.example.gov.tw", "TRUSTED_HOSTS": "localhost", "ADMIN_TRUSTED_HOSTS": "localhost"})
    with public.extensions["gongkai.admin"].sessions() as db, pytest.raises(DemoRefused):
        reset_demo_accounts(db, load_units(settings["CONTENT_DIR"]), public.config)
    client = public.test_client()
    page = client.get("/admin/sign-in", base_url="https://localhost").get_data(as_text=True)
    token = CSRF.search(page).group(1)
    response = client.post("/admin/sign-in", base_url="https://localhost", headers={"Referer": "https://localhost/admin/sign-in"},
                           data={"name": "demo-author", "password": made[0].password, "csrf_token": token})
    assert "示範帳號不能在正式網址" in message_of(response)
    public.extensions["gongkai.admin"].engine.dispose()


def test_abandoned_sessions_are_removed(app, office):
    author = make_account(office, "author", "author")
    reviewer = make_account(office, "reviewer", "reviewer")
    sign_in(app.test_client(), author)  # and never comes back
    with office.sessions() as db:
        db.execute(update(SignInSession).values(last_seen_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2)))
        db.commit()
    sign_in(app.test_client(), reviewer)
    with office.sessions() as db:
        assert [s.account_id for s in db.scalars(select(SignInSession))] == [reviewer.id]


def test_the_signing_key_is_kept_private_and_shared_by_every_process(settings):
    import stat
    from pathlib import Path

    from gongkai.admin import create_app

    first, second = create_app(settings), create_app(settings)
    key_file = Path(settings["VAR_DIR"]) / "admin-secret-key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert first.secret_key == second.secret_key == key_file.read_text().strip() and len(first.secret_key) == 64
    assert create_app(settings | {"ADMIN_SECRET_KEY": "from-the-environment"}).secret_key == "from-the-environment"


def test_changing_ones_own_password(app, office):
    author = make_account(office, "author", "author")
    client, elsewhere = app.test_client(), app.test_client()
    sign_in(client, author)
    sign_in(elsewhere, author)

    def change(current, new, again):
        return client.post("/admin/password", data={"current": current, "new": new, "again": again,
                                                    "csrf_token": csrf_token(client, "/admin/password")})

    assert "目前的密碼不正確" in change("not it at all", "a brand new pass phrase", "a brand new pass phrase").get_data(as_text=True)
    assert "兩次輸入的新密碼不一樣" in change(PASSWORD, "a brand new pass phrase", "another").get_data(as_text=True)
    assert "密碼至少要 12 個字元" in change(PASSWORD, "short", "short").get_data(as_text=True)
    response = change(PASSWORD, "a brand new pass phrase", "a brand new pass phrase")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200  # still signed in here
    assert elsewhere.get("/admin/").status_code == 302  # signed out everywhere else
    assert post_sign_in(app.test_client(), "author", PASSWORD).status_code == 200  # the old one is refused
    assert sign_in(app.test_client(), author, "a brand new pass phrase").status_code == 302
    with office.sessions() as db:
        actions = [e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.target == "account:author"))]
    assert "password_set" in actions and actions.count("sign_in_failed") == 2  # the wrong current one, and the old one


@pytest.mark.parametrize("target", ["/admin/%0D%0AX:%20y", "//elsewhere.example/admin/", "https://elsewhere.example/admin/"])
def test_a_next_address_that_is_not_a_plain_back_office_path_leads_to_the_dashboard(app, office, target):
    account = make_account(office, "lin", "author", ("sec4",))
    client = app.test_client()
    response = client.post(f"/admin/sign-in?next={target}", data={"name": account.name, "password": PASSWORD,
                                                                 "csrf_token": csrf_token(client, "/admin/sign-in")})
    assert response.status_code == 302 and response.headers["Location"] in ("/admin/", "http://localhost/admin/")
