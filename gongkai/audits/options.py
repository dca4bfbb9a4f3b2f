"""What `gongkai links` and `gongkai a11y` share: the history database, the report options,
the history listing and the exit status."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import click

from gongkai.config import load_settings

FORMATS = ("html", "json", "csv", "ods", "junit")


def audit_db() -> Path:
    settings = load_settings()
    return Path(settings["LINKS_DB"] or Path(settings["VAR_DIR"]) / "audits.sqlite")


def default_reports_dir() -> Path:
    return Path(load_settings()["VAR_DIR"]) / "reports"


def show_progress(quiet: bool) -> bool:
    """A progress bar on a terminal; nothing in CI or when piped."""
    return not quiet and sys.stderr.isatty() and not os.environ.get("CI")


def validate_since(ctx, param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date — write it as YYYY-MM-DD, e.g. --since 2026-01-01") from None


def print_history(audit: str, since: str, site: str | None) -> None:
    from gongkai.audits.store import AuditStore

    db = audit_db()
    if not db.exists():
        click.echo(f"No audit history yet in {db} — run 'gongkai {audit} URL' first.", err=True)
        return
    store = AuditStore(db)
    try:
        runs = store.runs_since(audit, since, site)
        click.echo(f"{audit} runs since {since}:")
        for run in runs:
            click.echo(f"  #{run['id']} {run['started']} {run['site']}: {run['broken']} broken, {run['warnings']} warnings, "
                       f"{run['checked']} checked")
        click.echo("problems (first seen / fixed since then, or still open):")
        for item in store.problems_since(audit, since, site):
            state = f"fixed {item['fixed_at'][:10]}" if item["fixed_at"] else f"open, {item['consecutive_failures']} run(s) in a row"
            kind = "broken" if item["broken"] else "warning"
            click.echo(f"  [{kind}] {item['key']} — first seen {item['first_seen'][:10]}, {state}; "
                       f"units: {', '.join(item['units']) or '-'}")
    finally:
        store.close()


def require_site_url(url: str | None, example: str) -> str:
    """The audited site's address, or a usage error that shows an example of one."""
    if not url:
        raise click.UsageError(f"give the site's address, e.g. '{example}' (or --since DATE for the history)")
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not an http(s) address — write it as http://host:port/", param_hint="URL")
    return url


def common_report_options(function):
    function = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                            help="Folder for the reports (default: VAR_DIR/reports).")(function)
    function = click.option("--report", "formats", multiple=True, type=click.Choice(FORMATS), default=FORMATS, show_default=True,
                            help="Report files to write (repeat the option for several).")(function)
    function = click.option("--since", callback=validate_since, default=None,
                            help="Show the history since YYYY-MM-DD (runs, problems first seen or fixed) instead of auditing.")(function)
    function = click.option("--site-name", default="", help="Name of the site in the history (default: the URL's origin).")(function)
    function = click.option("--quiet", is_flag=True, help="No progress bar (it is off anyway when not on a terminal or when CI is set).")(function)
    return function


def report_and_exit(result_view, out_dir: Path | None, formats: tuple[str, ...]) -> None:
    """Write the report files, say what changed since the previous run, exit 1 if anything is broken."""
    from gongkai.audits.reports import write_reports

    written = write_reports(result_view, out_dir or default_reports_dir(), list(formats))
    view = result_view
    click.echo(f"{len(view.broken)} broken, {len(view.warnings)} warning(s) — {view.count('new')} new, {view.count('still')} still, "
               f"{len(view.fixed)} fixed since the previous run. {view.note}", err=True)
    for path in written:
        click.echo(f"report: {path}", err=True)
    sys.exit(1 if view.broken else 0)
