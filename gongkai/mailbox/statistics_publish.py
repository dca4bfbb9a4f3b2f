"""`gongkai cases publish-statistics` outside Flask: the settings' database and content
repository, the content's agency, units and categories, then statistics_dataset.publish — with
the outcome (published or refused) in the audit log, since it changes what the public sees."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from gongkai import clock
from gongkai.admin import audit, migrate
from gongkai.admin.db import database_url, make_engine, session_factory
from gongkai.content_repo import ContentRepository, ContentRepositoryError, serve_from_repository
from gongkai.mailbox.office_calendar import CalendarError, OfficeCalendar, OutsideCalendar
from gongkai.mailbox.rules import RulesError, load_rules
from gongkai.mailbox.statistics_dataset import DATASET, StatisticsRefused, publish

ACTOR = "gongkai cases publish-statistics"


def _names(folder: Path) -> tuple[Any, Mapping[str, str], Mapping[str, str]]:
    """The corpus (agency, service codes) and the zh names of units and categories."""
    from gongkai.model import load_content

    corpus, report = load_content(folder)
    if corpus is None:
        raise StatisticsRefused(f"the content repository {folder} cannot be read — fix it first (`gongkai check`)", report.lines())
    try:
        categories = {code: c.zh for code, c in load_rules(folder).categories.items()}
    except RulesError as error:
        raise StatisticsRefused(str(error)) from None
    return corpus, categories, {code: unit.zh for code, unit in corpus.codes["units"].items()}


def run(settings: Mapping[str, Any], year: int | None) -> None:
    """Publish; a refusal prints each problem and exits 1 (click.ClickException), nothing committed."""
    try:
        folder = serve_from_repository(settings)
        repo = ContentRepository(folder)
    except ContentRepositoryError as error:
        raise click.ClickException(str(error)) from None
    engine = make_engine(database_url(settings))
    try:
        migrate.upgrade(engine)
        with session_factory(engine)() as db:
            try:
                corpus, categories, units = _names(folder)
                outcome = publish(db, repo, OfficeCalendar.load(folder), agency=corpus.agency, service_codes=set(corpus.codes["services"]),
                                  categories=categories, units=units, today=clock.today(), year=year)
            except (StatisticsRefused, OutsideCalendar, CalendarError, ContentRepositoryError) as error:
                problems = getattr(error, "problems", [])
                audit.record(db, ACTOR, "mailbox_statistics_refused", f"dataset:{DATASET}", "", "; ".join([str(error), *problems]))
                db.commit()
                for line in problems:
                    click.echo(line)
                raise click.ClickException(f"{error}") from None
            if outcome.commit is None:
                click.echo(f"unchanged: {DATASET} already has these counts (up to {outcome.last_month}); nothing committed")
                return
            audit.record(db, ACTOR, "mailbox_statistics_published", f"dataset:{DATASET}", "",
                         f"{outcome.rows} 列，至 {outcome.last_month}，commit {outcome.commit[:12]}")
            db.commit()
    finally:
        engine.dispose()
    click.echo(f"published {DATASET}: {outcome.rows} row(s) up to {outcome.last_month}, commit {outcome.commit[:12]}")
