"""`gongkai links` and `gongkai a11y`: the webmaster's monthly audits, one command each."""

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
    from gongkai.link_checker.store import AuditStore

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


def common_report_options(function):
    function = click.option("--out", "out_dir", type=click.Path(path_type=Path), default=None,
                            help="Folder for the reports (default: VAR_DIR/reports).")(function)
    function = click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS), default=FORMATS, show_default=True,
                            help="Report formats to write (repeat the option for several).")(function)
    function = click.option("--since", callback=validate_since, default=None,
                            help="Show the history since YYYY-MM-DD (runs, problems first seen or fixed) instead of auditing.")(function)
    function = click.option("--site-name", default="", help="Name of the site in the history (default: the URL's origin).")(function)
    function = click.option("--quiet", is_flag=True, help="No progress bar (it is off anyway when not on a terminal or when CI is set).")(function)
    return function


def report_and_exit(result_view, broken_lines: list[str], out_dir: Path | None, formats: tuple[str, ...]) -> None:
    from gongkai.link_checker.reports import write_reports

    for line in broken_lines:
        click.echo(line)
    written = write_reports(result_view, out_dir or default_reports_dir(), list(formats))
    view = result_view
    click.echo(f"{len(view.broken)} broken, {len(view.warnings)} warning(s) — {view.count('new')} new, {view.count('still')} still, "
               f"{len(view.fixed)} fixed since the previous run. {view.note}", err=True)
    for path in written:
        click.echo(f"report: {path}", err=True)
    sys.exit(1 if view.broken else 0)


@click.command()
@click.argument("url", required=False)
@click.option("--sitemap", "sitemaps", multiple=True, help="Sitemap URL(s) to start from (default: URL's /sitemap.xml, if it has one).")
@click.option("--content", "content_dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also check content correctness against this content folder (e.g. content/): update cycles, sources, formats, orphans.")
@click.option("--no-external", is_flag=True, help="Check only the site's own addresses (no other hosts).")
@click.option("--silence", "silence_file", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File of 'TAG URL-PATTERN' lines: warnings to leave out (default: VAR_DIR/links-silence.txt if present).")
@click.option("--cache-max-age", default=24.0, show_default=True, type=click.FloatRange(min=0),
              help="Hours a definite result for another site's address is reused (0 = no cache). Failures that may pass are never cached.")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0.1), help="Seconds per request.")
@click.option("--run-timeout", default=3600.0, show_default=True, type=click.FloatRange(min=1), help="Seconds for the whole run.")
@click.option("--concurrency", default=32, show_default=True, type=click.IntRange(1, 512), help="Requests in flight over all hosts.")
@click.option("--host-concurrency", default=16, show_default=True, type=click.IntRange(1, 256),
              help="Requests in flight to the audited site itself (other sites: 2, one per second).")
@click.option("--contact-url", default="", help="Contact address named in the User-Agent (default: BASE_URL, else the audited site).")
@click.option("--max-pages", default=50_000, show_default=True, type=click.IntRange(min=1), help="Pages of the site read for links at most.")
@common_report_options
def links(url, sitemaps, content_dir, no_external, silence_file, cache_max_age, timeout, run_timeout, concurrency,
          host_concurrency, contact_url, max_pages, out_dir, formats, since, site_name, quiet) -> None:
    """Monthly link-validity and content-correctness audit of a site (e.g. http://127.0.0.1:5000/).

    \b
    Starts from the sitemap and the URL, follows the site's pages, checks every link target once,
    adds the content checks (--content), stores the run in the history (LINKS_DB), writes the
    reports and exits 1 when anything is broken.
    """
    if since:
        print_history("links", since, site_name or None)
        return
    if not url:
        raise click.UsageError("give the site's address, e.g. 'gongkai links http://127.0.0.1:5000/' (or --since DATE for the history)")
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not an http(s) address — write it as http://host:port/", param_hint="URL")
    if content_dir is not None and not (content_dir / "site.yaml").is_file():
        raise click.BadParameter(f"{content_dir} has no site.yaml — give the content folder (e.g. content/)", param_hint="--content")
    from gongkai.link_checker.runner import LinkAuditOptions, run_link_audit
    from gongkai.link_checker.silence import SilenceFileError, Silencer

    silence_path = silence_file or Path(load_settings()["VAR_DIR"]) / "links-silence.txt"
    try:
        silencer = Silencer.from_file(silence_path) if silence_path.is_file() else Silencer()
    except SilenceFileError as error:
        raise click.BadParameter(str(error), param_hint="--silence") from None
    options = LinkAuditOptions(
        url=url, db=audit_db(), sitemaps=list(sitemaps), content_dir=content_dir, check_external=not no_external, silence=silencer,
        cache_max_age=cache_max_age * 3600, timeout=timeout, run_timeout=run_timeout, concurrency=concurrency,
        internal_concurrency=host_concurrency, contact_url=contact_url or load_settings()["BASE_URL"], max_pages=max_pages, site_name=site_name, progress=show_progress(quiet),
    )
    result = run_link_audit(options)
    for problem in result.content_problems:
        click.echo(f"content: {problem}", err=True)
    lines = [f"BROKEN {f.target} — {f.message} Fix: {f.fix} (on {', '.join(f.pages[:3]) or 'the sitemap'}"
             f"{' …' if len(f.pages) > 3 else ''})" for f in result.findings if f.broken]
    report_and_exit(result.view, lines, out_dir, formats)


def _a11y_command():
    from gongkai.link_checker.a11y.command import a11y

    return a11y


COMMANDS = [links]
try:
    COMMANDS.append(_a11y_command())
except ModuleNotFoundError as error:  # the a11y sub-package is optional at import time only while it is being built
    if not (error.name or "").startswith("gongkai.link_checker.a11y"):
        raise
