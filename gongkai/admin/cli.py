"""`gongkai admin …`: the back office's commands (serve, migrate, accounts, mail).

Passwords come from a prompt, or from standard input when it is not a terminal — never from an
argument, where the shell's history and `ps` would show them."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from gongkai.config import load_settings


def _actor() -> str:
    return f"命令列（{getpass.getuser()}）"


@contextmanager
def _database() -> Iterator[tuple[Session, dict]]:
    from gongkai.admin import migrate
    from gongkai.admin.db import database_url, make_engine, session_factory

    settings = load_settings()
    engine = make_engine(database_url(settings))
    migrate.upgrade(engine)
    with session_factory(engine)() as db:
        yield db, settings
    engine.dispose()


def _known_units(settings: dict) -> dict:
    from gongkai.admin.accounts import AccountError, load_units

    try:
        return load_units(settings["CONTENT_DIR"])
    except AccountError as error:
        raise click.ClickException(str(error)) from None


def _read_password(prompt: str = "新密碼（new password）") -> str:
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt="再輸入一次（again）")
    line = sys.stdin.readline()
    if not line:
        raise click.ClickException("no password on standard input — pipe one line in, or run this in a terminal to be asked")
    return line.rstrip("\r\n")


def _account(db: Session, name: str):
    from gongkai.admin import accounts

    account = accounts.find(db, name)
    if account is None:
        raise click.ClickException(f"沒有名為 {name[:64]!r} 的帳號（no such account）— 'gongkai admin list-users' 列出全部")
    return account


@click.group("admin")
def admin() -> None:
    """The back office (網站後台): serve it, migrate its database, manage accounts, send its mail."""


@admin.command()
def migrate() -> None:
    """Bring the back office's database to the newest schema (also done at every start)."""
    from gongkai.admin import migrate as migrations

    with _database():
        pass
    click.echo(f"database at revision {migrations.head_revision()}", err=True)


@admin.command("create-user")
@click.argument("name")
@click.option("--role", required=True, help="author (上稿), reviewer (審稿) or webmaster (網站管理).")
@click.option("--unit", "units", multiple=True, required=True, help="A unit code of content/codes/units.yaml; repeat for more.")
@click.option("--email", default=None, help="Where notices about the account are mailed.")
@click.option("--head-of", "heads", multiple=True, metavar="UNIT",
              help="Make the account the head (主管) of this unit, one of its --unit codes; repeat for more. "
                   "A unit's heads are told of its overdue 意見信箱 cases.")
def create_user(name: str, role: str, units: tuple[str, ...], email: str | None, heads: tuple[str, ...]) -> None:
    """Create an account; the password is asked for (or read from standard input)."""
    from gongkai.admin import accounts
    from gongkai.admin.roles import parse_role

    with _database() as (db, settings):
        known = _known_units(settings)
        try:  # the cheap checks first, so no one types a password for an account that cannot be made
            parse_role(role)
            accounts.clean_name(name)
            accounts.clean_heads(heads, accounts.clean_units(units, known), known)
            accounts.clean_email(email)
        except (ValueError, accounts.AccountError) as error:
            raise click.ClickException(str(error)) from None
        password = _read_password()
        try:
            account = accounts.create(db, name=name, role=role, units=units, password=password, known_units=known, email=email,
                                      actor=_actor(), heads=heads)
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.commit()
        click.echo(f"created {account.name}: {account.role}, units {', '.join(sorted(account.units))}"
                   + (f", head of {', '.join(sorted(account.head_of))}" if account.head_of else ""), err=True)


@admin.command("set-role")
@click.argument("name")
@click.argument("role")
def set_role(name: str, role: str) -> None:
    """Change an account's role (author, reviewer, webmaster)."""
    from gongkai.admin import accounts

    with _database() as (db, _settings):
        account = _account(db, name)
        try:
            accounts.set_role(db, account, role, actor=_actor())
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.commit()
        click.echo(f"{account.name} is now {account.role}", err=True)


@admin.command("set-password")
@click.argument("name")
def set_password(name: str) -> None:
    """Set an account's password (asked for, or read from standard input); its sessions end."""
    from gongkai.admin import accounts

    with _database() as (db, _settings):
        account = _account(db, name)
        try:
            accounts.set_password(db, account, _read_password(), actor=_actor())
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.commit()
        click.echo(f"password of {account.name} set", err=True)


@admin.command()
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
def disable(name: str, enable: bool) -> None:
    """Disable an account (it is signed out at once and can no longer sign in); --enable undoes it."""
    from gongkai.admin import accounts

    with _database() as (db, _settings):
        account = _account(db, name)
        try:
            accounts.set_disabled(db, account, not enable, actor=_actor())
        except accounts.AccountError as error:
            raise click.ClickException(str(error)) from None
        db.commit()
        click.echo(f"{account.name} {'enabled' if enable else 'disabled'}", err=True)


@admin.command("reset-second-factor")
@click.argument("name")
def reset_second_factor(name: str) -> None:
    """Remove an account's second factor (a lost or replaced phone); its sessions end, and it sets one up again."""
    from gongkai.admin import accounts

    with _database() as (db, _settings):
        account = _account(db, name)
        accounts.reset_second_factor(db, account, actor=_actor())
        db.commit()
        click.echo(f"second factor of {account.name} removed: it is set up again at the next sign-in"
                   + (" (required for a webmaster)" if account.role == "webmaster" else ""), err=True)


@admin.command("list-users")
def list_users() -> None:
    """List the accounts: name, role, units, state."""
    from sqlalchemy import select

    from gongkai.admin.models import Account

    with _database() as (db, _settings):
        for account in db.scalars(select(Account).order_by(Account.name)):
            state = "disabled" if account.disabled else "enabled"
            units = ",".join(unit + ("(head)" if unit in account.head_of else "") for unit in sorted(account.units))
            click.echo(f"{account.name}\t{account.role}\t{units}\t{state}"
                       f"\t{'totp' if account.totp_enabled else 'no totp'}")


@admin.command("send-mail")
@click.option("--requeue", "requeue_id", type=int, default=None,
              help="Queue a failed or uncertain message again (after its Message-ID was checked in the mail server's log).")
def send_mail(requeue_id: int | None) -> None:
    """Send the outbox's due messages (run it every few minutes from cron or a systemd timer)."""
    from sqlalchemy import select

    from gongkai.admin.db import session_factory
    from gongkai.admin.mail import MailSettings, send_pending
    from gongkai.admin.mail.sender import requeue
    from gongkai.admin.models import OutboxMessage

    with _database() as (db, settings):
        if requeue_id is not None:
            if not requeue(db, requeue_id):
                raise click.ClickException(f"message {requeue_id} is not failed or uncertain")
            db.commit()
        mail = MailSettings.from_config(settings)
        if not mail.host:
            raise click.ClickException("MAIL_HOST is not set: messages stay queued (see 'gongkai settings')")
        report = send_pending(session_factory(db.get_bind()), mail)
        click.echo(f"sent {report.sent}, to retry {report.retrying}, failed {report.failed}, uncertain {report.uncertain}", err=True)
        for line in report.errors:
            click.echo(f"  {line}", err=True)
        for message in db.scalars(select(OutboxMessage).where(OutboxMessage.state == "uncertain")):
            click.echo(f"  uncertain: #{message.id} {message.message_id} to {message.recipient} — check the mail server's log, "
                       f"then 'gongkai admin send-mail --requeue {message.id}' if it never arrived", err=True)


@admin.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5001, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option("--demo", is_flag=True, help="(Re)create the demo accounts and print their passwords (refused on an https address).")
def serve(host: str, port: int, workers: int, demo: bool) -> None:
    """Serve the back office with gunicorn at http://HOST:PORT/admin/ (apart from the public site)."""
    from gongkai.admin.demo import DemoRefused, reset_demo_accounts
    from gongkai.mailbox.staff.demo import add_demo_cases
    from gongkai.web.hosts import HostSettingError, is_loopback, trusted_hosts

    settings = load_settings()
    try:
        trusted_hosts({"TRUSTED_HOSTS": settings["ADMIN_TRUSTED_HOSTS"], "BASE_URL": settings["ADMIN_BASE_URL"]})
    except HostSettingError as error:
        raise click.ClickException(str(error).replace("BASE_URL", "ADMIN_BASE_URL")) from None
    if not is_loopback(host) and not settings["ADMIN_BASE_URL"]:
        click.secho(f"WARNING: serving the back office on {host} without GONGKAI_ADMIN_BASE_URL: only loopback host names are "
                    "answered. Put it behind https and set GONGKAI_ADMIN_BASE_URL=https://admin.example.gov.tw.", fg="red", err=True)
    with _database() as (db, settings):
        if demo:
            try:
                made = reset_demo_accounts(db, _known_units(settings), settings)
                add_demo_cases(db)
            except DemoRefused as error:
                raise click.ClickException(str(error)) from None
            db.commit()
            click.echo("Demo accounts (new passwords at every start):", err=True)
            for account in made:
                extra = f"  second factor (TOTP) secret {account.totp_secret}" if account.totp_secret else ""
                click.echo(f"  {account.name:<16} {account.role.value:<10} {','.join(account.units):<6} password {account.password}{extra}",
                           err=True)
    if demo:  # the demo publishes into VAR_DIR/content, the repository the site serves too
        from gongkai.content_repo import ContentRepositoryError, serve_from_repository

        try:
            repository = serve_from_repository(settings)
        except ContentRepositoryError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Content repository: {repository}", err=True)
        os.environ["GONGKAI_CONTENT_REPO"] = str(repository)  # for the server that replaces this process
    args = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
            "--worker-class", "gthread", "--preload", "--access-logfile", "-", "gongkai.admin.wsgi:app"]
    click.echo(f"Back office on http://{host}:{port}/admin/ (Ctrl+C to stop)", err=True)
    os.execv(sys.executable, args)


COMMANDS = (admin,)
