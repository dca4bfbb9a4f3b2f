"""`gongkai cases …`: the mailbox's commands (purge and remind on a timer, a calendar year's draft)."""

from __future__ import annotations

import datetime as dt

import click

from gongkai.config import load_settings


@click.group("cases")
def cases_group() -> None:
    """The 意見信箱's cases: purge expired and retained data, remind of deadlines, draft a calendar year."""


@cases_group.command("purge")
def purge_command() -> None:
    """Delete unconfirmed messages older than 7 days, and the personal fields of cases closed
    longer than MAILBOX_RETENTION_DAYS (run daily from a timer)."""
    from gongkai.admin import migrate
    from gongkai.admin.db import database_url, make_engine, session_factory, utcnow
    from gongkai.mailbox.cases import purge

    settings = load_settings()
    engine = make_engine(database_url(settings))
    try:
        migrate.upgrade(engine)
        with session_factory(engine)() as db:
            done = purge(db, utcnow(), dt.timedelta(days=int(settings["MAILBOX_RETENTION_DAYS"])),
                         dt.timedelta(minutes=int(settings["MAILBOX_RATE_WINDOW_MINUTES"])))
            db.commit()
    finally:
        engine.dispose()
    click.echo(f"deleted {done.submissions} unconfirmed message(s) and {done.attempts} rate-limit count(s) past their window; "
               f"removed the personal fields of {done.cases} closed case(s)")


@cases_group.command("remind")
def remind_command() -> None:
    """Mail each unit's staff once when an open case's deadline is MAILBOX_REMIND_WORKING_DAYS working
    days away or fewer, and the unit's heads once when it has passed (run daily from a timer);
    then send the outbox when MAIL_HOST is set."""
    from pathlib import Path

    from gongkai.admin import migrate
    from gongkai.admin.accounts import AccountError, load_units
    from gongkai.admin.db import database_url, make_engine, session_factory, utcnow
    from gongkai.admin.remind_command import send_outbox
    from gongkai.mailbox.deadlines import remind
    from gongkai.mailbox.office_calendar import CalendarError, OfficeCalendar

    settings = load_settings()
    working_days = int(settings["MAILBOX_REMIND_WORKING_DAYS"])
    if working_days < 0:
        raise click.ClickException(f"MAILBOX_REMIND_WORKING_DAYS is {working_days}: set 0 (the deadline's day) or more working days")
    try:
        calendar = OfficeCalendar.load(Path(settings["CONTENT_DIR"]))
    except CalendarError as error:
        raise click.ClickException(f"{error} ('gongkai check' lists every problem)") from None
    try:
        units = load_units(settings["CONTENT_DIR"])
    except AccountError:  # the mails then name units by code; the deadlines matter more than the names
        units = {}
    engine = make_engine(database_url(settings))
    try:
        migrate.upgrade(engine)
        sessions = session_factory(engine)
        with sessions() as db:
            done = remind(db, utcnow(), calendar, working_days, units, str(settings.get("ADMIN_BASE_URL") or ""))
            db.commit()
        click.echo(f"reminded the staff of {len(done.reminded)} case(s) due within {working_days} working day(s); "
                   f"told the heads of {len(done.escalated)} overdue case(s)")
        for line in done.no_one:
            click.echo(f"warning: case {line} is due or overdue and no one there has an e-mail address — give the unit's "
                       "accounts one (or set a head)", err=True)
        send_outbox(sessions, settings, bool(done.reminded or done.escalated))
    finally:
        engine.dispose()


@cases_group.command("calendar-draft")
@click.argument("year", type=click.IntRange(1990, 2100))
def calendar_draft(year: int) -> None:
    """Print a draft office calendar for YEAR (from the holidays package's Taiwan calendar), to be
    checked against the DGPA's 政府行政機關辦公日曆表 and saved as content/mailbox/calendar/YEAR.yaml."""
    from gongkai.mailbox.office_calendar import draft_year

    click.echo(draft_year(year), nl=False)


@cases_group.command("publish-statistics")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="Recount only this year (the other years' published rows stay); default: every year with cases.")
def publish_statistics_command(year: int | None) -> None:
    """Publish the counts of statistics.py as datasets/complaints-petitions/ into the content
    repository, one commit, after frictionless validation and the personal-data gate (run on the
    first of each month by deploy/gongkai-cases-statistics.timer). Exits 1 when refused, with
    nothing committed; prints "unchanged" and commits nothing when the counts are the same."""
    from gongkai.mailbox.statistics_publish import run

    run(load_settings(), year)
