"""`gongkai admin` commands: accounts from the command line, with the password from standard
input (never an argument), and clear errors for a bad role, an unknown unit or a weak password."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from gongkai.admin.models import Account, AuditEntry
from gongkai.cli import main


@pytest.fixture
def run(settings):
    env = {f"GONGKAI_{name}": str(value) for name, value in settings.items() if name in ("DATABASE_URL", "CONTENT_DIR", "VAR_DIR")}

    def invoke(*args: str, password: str | None = None):
        return CliRunner().invoke(main, ["admin", *args], input=password, env=env, catch_exceptions=False)

    return invoke


def accounts_in(app):
    with app.extensions["gongkai.admin"].sessions() as db:
        return {a.name: (a.role, sorted(a.units), a.disabled, a.email) for a in db.scalars(select(Account))}


def test_create_user_reads_the_password_from_standard_input(run, app):
    result = run("create-user", "lin", "--role", "author", "--unit", "sec4", "--unit", "sec1", "--email", "lin@example.gov.tw",
                 password="a long enough pass phrase\n")
    assert result.exit_code == 0, result.output
    assert accounts_in(app) == {"lin": ("author", ["sec1", "sec4"], False, "lin@example.gov.tw")}
    with app.extensions["gongkai.admin"].sessions() as db:
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "account_created"))
    assert entry.target == "account:lin" and entry.actor_name.startswith("命令列")
    assert "pass phrase" not in entry.detail


def test_an_internationalized_domain_is_kept_in_the_ascii_form_mail_is_sent_to(run, app):
    result = run("create-user", "lin", "--role", "author", "--unit", "sec4", "--email", "lin@例子.台灣",
                 password="a long enough pass phrase\n")
    assert result.exit_code == 0, result.output
    assert accounts_in(app)["lin"][3] == "lin@xn--fsqu00a.xn--kpry57d"


def test_a_password_is_never_an_argument(run):
    result = CliRunner().invoke(main, ["admin", "create-user", "lin", "--role", "author", "--unit", "sec4", "--password", "x"])
    assert result.exit_code == 2 and "No such option" in result.output


@pytest.mark.parametrize(("args", "password", "message"), [
    (["--role", "editor", "--unit", "sec4"], "a long enough pass phrase\n", "unknown role 'editor' — use one of: author (上稿), reviewer (審稿), webmaster"),
    (["--role", "author", "--unit", "sec9"], "a long enough pass phrase\n", "沒有這個單位：sec9"),
    (["--role", "author", "--unit", "sec4"], "short\n", "密碼至少要 12 個字元"),
    (["--role", "author", "--unit", "sec4"], "aaaaaaaaaaaaaaaa\n", "密碼用的字元太少"),
    (["--role", "author", "--unit", "sec4"], "lin-lin-lin-lin-2026\n", "太容易猜到"),
    (["--role", "author", "--unit", "sec4"], "", "no password on standard input"),
    (["--role", "author", "--unit", "sec4", "--email", "lin@@example.gov.tw"], "a long enough pass phrase\n", "電子郵件地址格式不正確"),
    (["--role", "author", "--unit", "sec4", "--email", "林@example.gov.tw"], "a long enough pass phrase\n", "the part before the @ must be ASCII"),
])
def test_create_user_says_what_is_wrong(run, app, args, password, message):
    result = run("create-user", "lin", *args, password=password)
    assert result.exit_code == 1
    assert message in result.output
    assert accounts_in(app) == {}


def test_an_unknown_unit_lists_the_valid_ones(run):
    result = run("create-user", "lin", "--role", "author", "--unit", "nowhere", password="a long enough pass phrase\n")
    assert "sec4 第四課" in result.output and "it 資訊小組" in result.output


def test_create_user_head_of_one_of_its_units(run, app):
    result = run("create-user", "chief", "--role", "reviewer", "--unit", "sec4", "--unit", "sec1", "--head-of", "sec4",
                 password="a long enough pass phrase\n")
    assert result.exit_code == 0 and "head of sec4" in result.output
    with app.extensions["gongkai.admin"].sessions() as db:
        chief = db.scalar(select(Account).where(Account.name == "chief"))
        assert chief.head_of == {"sec4"} and chief.units == {"sec1", "sec4"}
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "account_created"))
    assert "head_of=sec4" in entry.detail
    assert "chief\treviewer\tsec1,sec4(head)\tenabled" in run("list-users").output


@pytest.mark.parametrize("head", ["sec1", "sec9"])
def test_create_user_head_of_a_unit_not_its_own_says_so(run, app, head):
    """--head-of a unit the account is not in (or no unit at all): refused before the password is asked."""
    result = run("create-user", "chief", "--role", "reviewer", "--unit", "sec4", "--head-of", head, password="")
    assert result.exit_code == 1
    assert f"{head}" in result.output and "不是這個帳號的單位" in result.output and "--head-of must be one of the account's" in result.output
    assert "no password on standard input" not in result.output  # the unit was checked first
    assert accounts_in(app) == {}


def test_set_role_and_disable(run, app):
    run("create-user", "boss", "--role", "webmaster", "--unit", "it", password="a long enough pass phrase\n")
    run("create-user", "lin", "--role", "author", "--unit", "sec4", password="a long enough pass phrase\n")
    assert run("set-role", "lin", "reviewer").exit_code == 0
    assert run("set-role", "lin", "chief").exit_code == 1
    assert run("disable", "lin").exit_code == 0
    assert accounts_in(app)["lin"][:3] == ("reviewer", ["sec4"], True)
    assert run("disable", "lin", "--enable").exit_code == 0
    assert accounts_in(app)["lin"][2] is False
    refused = run("disable", "boss")
    assert refused.exit_code == 1 and "最後一個啟用中的網站管理帳號" in refused.output
    missing = run("set-role", "nobody", "author")
    assert missing.exit_code == 1 and "沒有名為 'nobody' 的帳號" in missing.output
    listed = run("list-users").output
    assert "lin\treviewer\tsec4\tenabled" in listed


def test_set_password_replaces_the_password(run, app):
    run("create-user", "lin", "--role", "author", "--unit", "sec4", password="a long enough pass phrase\n")
    assert run("set-password", "lin", password="another long pass phrase\n").exit_code == 0
    from gongkai.admin.passwords import verify_password

    with app.extensions["gongkai.admin"].sessions() as db:
        assert verify_password(db.scalar(select(Account.password_hash)), "another long pass phrase")[0]


def test_send_mail_without_a_server_says_so(run):
    result = run("send-mail")
    assert result.exit_code == 1 and "MAIL_HOST is not set" in result.output


def test_demo_serve_is_refused_on_https(run, settings):
    env = {"GONGKAI_DATABASE_URL": settings["DATABASE_URL"], "GONGKAI_CONTENT_DIR": settings["CONTENT_DIR"],
           "GONGKAI_VAR_DIR": settings["VAR_DIR"], "GONGKAI_ADMIN_BASE_URL": "https://admin.example.gov.tw"}
    result = CliRunner().invoke(main, ["admin", "serve", "--demo"], env=env)
    assert result.exit_code == 1 and "demo accounts are refused" in result.output


def test_migrate(run):
    result = run("migrate")
    from gongkai.admin.migrate import head_revision

    assert result.exit_code == 0 and f"revision {head_revision()}" in result.output


def test_gongkai_settings_never_prints_a_secret():
    env = {"GONGKAI_MAIL_PASSWORD": "smtp-s3cret", "GONGKAI_ADMIN_SECRET_KEY": "signing-s3cret",
           "GONGKAI_DATABASE_URL": "postgresql+psycopg://gongkai:db-s3cret@db.example/gongkai"}
    output = CliRunner().invoke(main, ["settings"], env=env).output
    assert "s3cret" not in output
    assert "GONGKAI_MAIL_PASSWORD=(set, not shown)" in output
    assert "GONGKAI_DATABASE_URL=postgresql+psycopg://gongkai:***@db.example/gongkai" in output


def test_reset_second_factor(run, app):
    import pyotp

    run("create-user", "boss", "--role", "webmaster", "--unit", "it", password="a long enough pass phrase\n")
    with app.extensions["gongkai.admin"].sessions() as db:
        boss = db.scalar(select(Account))
        boss.totp_secret, boss.totp_enabled = pyotp.random_base32(), True
        db.commit()
    result = run("reset-second-factor", "boss")
    assert result.exit_code == 0 and "required for a webmaster" in result.output
    with app.extensions["gongkai.admin"].sessions() as db:
        boss = db.scalar(select(Account))
        assert (boss.totp_secret, boss.totp_enabled) == (None, False)
        assert db.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "second_factor_reset"
