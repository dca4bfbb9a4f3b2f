"""`gongkai remind`: load the content and the database, queue the reminders, send the outbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click
from sqlalchemy.orm import Session, sessionmaker

from gongkai.admin import migrate
from gongkai.admin.db import database_url, make_engine, session_factory
from gongkai.admin.mail import MailSettings, send_pending
from gongkai.admin.overdue import overdue_documents
from gongkai.admin.reminders import authors, queue_reminders
from gongkai.model import load_content


def run_reminders(settings: Mapping[str, Any], dry_run: bool = False) -> None:
    corpus, report = load_content(settings["CONTENT_DIR"])
    if corpus is None:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(f"the content in {settings['CONTENT_DIR']} cannot be read — 'gongkai check' shows why")
    if not report.valid:
        click.echo(f"warning: {len(report.problems)} problem(s) in the content ('gongkai check'); reminding of the valid documents",
                   err=True)
    engine = make_engine(database_url(settings))
    try:
        migrate.upgrade(engine)
        sessions = session_factory(engine)
        with sessions() as db:
            if dry_run:
                _describe(db, corpus)
                return
            result = queue_reminders(db, corpus, settings)
        for name, count in result.queued:
            click.echo(f"reminder queued for {name}: {count} document(s)", err=True)
        click.echo(f"{len(result.queued)} reminder(s) queued; {result.already_reminded} overdue document(s) reminded of before in "
                   "this cycle", err=True)
        for name in result.without_email:
            click.echo(f"warning: {name} has overdue documents but no e-mail address, so no reminder — give the account one", err=True)
        for unit in result.units_without_author:
            click.echo(f"warning: unit {unit} has overdue documents and no enabled author account to remind", err=True)
        send_outbox(sessions, settings, bool(result.queued))
    finally:
        engine.dispose()


def _describe(db, corpus) -> None:
    overdue = overdue_documents(corpus)
    for person in authors(db):
        theirs = [item for item in overdue if item.doc.unit in person.units]
        if theirs:
            click.echo(f"{person.name} <{person.email or 'no e-mail'}>: " + ", ".join(f"{item.doc.title} ({item.days} days)" for item in theirs))
    if not overdue:
        click.echo("no document is past its update cycle", err=True)


def send_outbox(sessions: sessionmaker[Session], settings: Mapping[str, Any], queued: bool) -> None:
    """Send the outbox now when MAIL_HOST is set (else say the queued mail waits); shared by the reminder commands."""
    mail = MailSettings.from_config(settings)
    if not mail.host:
        if queued:
            click.echo("MAIL_HOST is not set: the reminders wait in the outbox for 'gongkai admin send-mail'", err=True)
        return
    sent = send_pending(sessions, mail)
    click.echo(f"mail: sent {sent.sent}, to retry {sent.retrying}, failed {sent.failed}, uncertain {sent.uncertain}", err=True)
    for line in sent.errors:
        click.echo(f"  {line}", err=True)
