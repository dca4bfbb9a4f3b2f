"""The first TOTP enrolment: a webmaster made by `gongkai admin create-user --role webmaster` has no
second factor yet, so their first sign-in goes through enrolment (a QR code and the secret as
text, then a code to confirm) before any other page; everyone else is offered it, never made to."""

from __future__ import annotations

import pyotp
from click.testing import CliRunner
from lxml import html
from sqlalchemy import select

from gongkai.admin import second_factor
from gongkai.admin.models import Account, AuditEntry
from gongkai.cli import main
from tests.admin.support import PASSWORD, csrf_token, make_account, sign_in


def create_webmaster(settings) -> None:
    env = {f"GONGKAI_{name}": str(settings[name]) for name in ("DATABASE_URL", "CONTENT_DIR", "VAR_DIR")}
    result = CliRunner().invoke(main, ["admin", "create-user", "chief", "--role", "webmaster", "--unit", "it"], input=PASSWORD + "\n",
                                env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output


def post_sign_in(client):
    return client.post("/admin/sign-in", data={"name": "chief", "password": PASSWORD, "csrf_token": csrf_token(client, "/admin/sign-in")})


def secret_on(page: str) -> str:
    uri = html.fromstring(page).xpath("string(//p[@class='secret'][2]/code)")
    return pyotp.parse_uri(uri).secret


def test_a_new_webmaster_enrols_before_anything_else(app, office, settings):
    create_webmaster(settings)
    with office.sessions() as db:
        chief = db.scalar(select(Account).where(Account.name == "chief"))
        assert (chief.role, chief.totp_enabled, chief.totp_secret) == ("webmaster", False, None)
    client = app.test_client()
    first = post_sign_in(client)
    assert first.status_code == 302 and first.headers["Location"].startswith("/admin/second-factor")
    for path in ("/admin/", "/admin/accounts/", "/admin/audit/", "/admin/units/sec4/", "/admin/password"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/admin/second-factor"), path
    page = client.get("/admin/second-factor").get_data(as_text=True)
    assert "網站管理帳號必須啟用第二道驗證" in page
    secret = secret_on(page)
    assert secret_on(client.get("/admin/second-factor").get_data(as_text=True)) == secret  # a reload shows the same one
    assert " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)) in page
    token = csrf_token(client, "/admin/second-factor")
    wrong = client.post("/admin/second-factor", data={"code": "000000", "csrf_token": token})
    assert "驗證碼不正確" in wrong.get_data(as_text=True) and client.get("/admin/").status_code == 302
    right = client.post("/admin/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert right.status_code == 302 and right.headers["Location"] == "/admin/"
    assert client.get("/admin/accounts/").status_code == 200
    with office.sessions() as db:
        assert db.scalar(select(Account).where(Account.name == "chief")).totp_enabled
        actions = [e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.target == "account:chief").order_by(AuditEntry.id))]
    assert actions == ["account_created", "second_factor_failed", "second_factor_enrolled", "sign_in"]
    again = app.test_client()
    assert post_sign_in(again).headers["Location"].startswith("/admin/sign-in/code")  # from now on: the code


def test_the_enrolment_page_shows_a_qr_code_of_the_same_secret(app, office, settings):
    """No QR reader is installed, so the symbol is checked against the page's own otpauth:// address
    drawn again (segno is deterministic: the same text gives the same symbol), and against another
    secret's address, which must differ."""
    create_webmaster(settings)
    client = app.test_client()
    post_sign_in(client)
    tree = html.fromstring(client.get("/admin/second-factor").get_data(as_text=True))
    image = tree.xpath("//img[@class='qr-code']")
    assert image, "no QR code"
    assert "QR" in image[0].get("alt")
    uri = tree.xpath("string(//p[@class='secret'][2]/code)")
    assert uri.startswith("otpauth://totp/") and image[0].get("src") == second_factor.qr_code(uri)
    assert image[0].get("src").startswith("data:image/svg+xml")
    assert second_factor.qr_code(uri.replace(secret_on_uri(uri), "A" * 32)) != image[0].get("src")


def secret_on_uri(uri: str) -> str:
    return pyotp.parse_uri(uri).secret


def test_others_are_offered_a_second_factor_not_made_to(app, office):
    author = make_account(office, "author", "author")
    client = app.test_client()
    response = sign_in(client, author)
    assert response.headers["Location"] == "/admin/"  # straight in
    dashboard = html.fromstring(client.get("/admin/").get_data(as_text=True))
    offer = dashboard.xpath("//div[@class='notice']//a[@href='/admin/second-factor']")
    assert offer and "啟用第二道驗證" in offer[0].text_content()
    page = client.get("/admin/second-factor").get_data(as_text=True)
    assert "必須" not in page and "以後再說" in page
    secret = secret_on(page)
    client.post("/admin/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": csrf_token(client, "/admin/second-factor")})
    after = html.fromstring(client.get("/admin/").get_data(as_text=True))
    assert not after.xpath("//div[@class='notice']//a[@href='/admin/second-factor']")  # enrolled: no more offer


def test_a_code_typed_in_full_width_digits_is_the_same_code_and_other_digits_are_refused():
    secret, now = pyotp.random_base32(), 1_800_000_000.0
    code = pyotp.TOTP(secret).at(now)
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))  # a Chinese input method's full-width mode
    assert second_factor.matching_step(secret, full_width, 0, now) == second_factor.matching_step(secret, code, 0, now) is not None
    arabic_indic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))  # isdigit() says yes, compare_digest raised
    assert second_factor.matching_step(secret, arabic_indic, 0, now) is None
    assert second_factor.matching_step(secret, "¹²³⁴⁵⁶", 0, now) is None
