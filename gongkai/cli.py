"""The one `gongkai` command a webmaster uses, with a sub-command per task."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gongkai.config import SETTINGS, load_settings, shown
from gongkai.problems import format_option, write_problems


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="gongkai")
def main() -> None:
    """gongkai (公開): the agency website, its search, open data and monthly audits.

    \b
    Typical use:
      gongkai check            validate content/ after editing
      gongkai serve            serve the site on http://127.0.0.1:5000
      gongkai freeze build/    write the whole site as static files
    Settings come from GONGKAI_* environment variables (see `gongkai settings`).
    """


@main.command()
@click.option("--content", "content_dir", type=click.Path(path_type=Path), default=None,
              help="Content folder to check (default: the configured CONTENT_DIR).")
@format_option
def check(content_dir: Path | None, output_format: str) -> None:
    """Validate every content file; print one line per problem and exit 1 if any.

    Each line reads  file:line: field: code: what is wrong — how to fix it
    (the codes are listed in docs/problem-codes.md).
    """
    from gongkai.model import load_content

    folder = content_dir or Path(load_settings()["CONTENT_DIR"])
    corpus, report = load_content(folder)
    write_problems(report.problems, output_format, sys.stdout)
    if report.valid and corpus is not None:
        drafts = len(corpus.all_documents) - len(corpus.documents)
        click.echo(f"OK: {len(corpus.documents)} published documents ({drafts} not yet published) in {folder}", err=True)
    else:
        click.echo(f"{len(report.problems)} problem(s) in {folder}", err=True)
    sys.exit(int(not report.valid))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes (one per core is right).")
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker.")
@click.option("--dev", is_flag=True, help="Use Flask's development server with reloading instead of gunicorn.")
def serve(host: str, port: int, workers: int, threads: int, dev: bool) -> None:
    """Serve the site (gunicorn; --dev for the development server).

    The app is loaded once before the workers fork (--preload), so content, search index
    and data store are built once and shared.
    """
    from gongkai.web.hosts import HostSettingError, trusted_hosts

    settings = load_settings()
    try:
        trusted_hosts(settings)
    except HostSettingError as error:
        raise click.ClickException(str(error)) from None
    warning = public_without_base_url(host, settings)
    if warning:
        click.secho(warning, fg="red", bold=True, err=True)
    if dev:
        from gongkai.app import create_app

        create_app().run(host=host, port=port, debug=True)
        return
    args = [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}", "--workers", str(workers),
            "--threads", str(threads), "--worker-class", "gthread", "--preload", "--access-logfile", "-", "gongkai.wsgi:app"]
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    os.execv(sys.executable, args)


def public_without_base_url(host: str, settings: dict) -> str:
    """The warning for a site served beyond this machine with no public address set ('' if none)."""
    from gongkai.web.hosts import is_loopback

    if is_loopback(host) or settings["BASE_URL"] or settings["TRUSTED_HOSTS"]:
        return ""
    return (f"WARNING: serving on {host} for other machines, but GONGKAI_BASE_URL is not set. Only requests for "
            "localhost / 127.0.0.1 / ::1 will be answered; every other host name gets 400, and links in the sitemap "
            "and metadata name the loopback address. Set GONGKAI_BASE_URL=https://www.example.gov.tw (the site's public "
            "address), and GONGKAI_TRUSTED_HOSTS for further names.")


@main.command()
@click.argument("destination", type=click.Path(path_type=Path), default=Path("build"))
@click.option("--base-url", default="", help="Public address to put in sitemap.xml and metadata (e.g. https://www.example.gov.tw).")
def freeze(destination: Path, base_url: str) -> None:
    """Write the whole site (pages, files, feeds, sitemap, metadata) as static files."""
    from gongkai.freeze import freeze_site

    try:
        count = freeze_site(destination, base_url)
    except (OSError, ValueError) as exc:  # Frozen-Flask reports a non-200 page as ValueError
        raise click.ClickException(f"freeze stopped: {exc} — fix the page or file named, then run it again") from None
    click.echo(f"Wrote {count} files to {destination}/", err=True)


@main.command()
def settings() -> None:
    """List every setting, its environment variable, current value and meaning."""
    values = load_settings()
    for setting in SETTINGS:
        click.echo(f"GONGKAI_{setting.name}={shown(setting, values[setting.name])}\n    {setting.help}")


@main.command("publish-due")
def publish_due() -> None:
    """Publish the approved documents whose publication time has come (run every minute by deploy/gongkai-publish-due.timer)."""
    from gongkai.admin.workflow.scheduled import publish_due_now

    published = publish_due_now()
    for path in published:
        click.echo(f"published {path}")
    click.echo(f"{len(published)} scheduled document(s) published", err=True)


def _register_commands() -> None:
    from gongkai.admin.cli import COMMANDS as ADMIN_COMMANDS
    from gongkai.audits.cli import COMMANDS as AUDIT_COMMANDS
    from gongkai.opendata.cli import COMMANDS as DATA_COMMANDS
    from gongkai.search_index.cli import COMMANDS as SEARCH_COMMANDS

    for command in (*SEARCH_COMMANDS, *DATA_COMMANDS, *AUDIT_COMMANDS, *ADMIN_COMMANDS):
        main.add_command(command)


_register_commands()
