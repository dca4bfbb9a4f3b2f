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
    from gongkai.mailbox.check import problems as mailbox_problems
    from gongkai.model import load_content

    folder = content_dir or Path(load_settings()["CONTENT_DIR"])
    corpus, report = load_content(folder)
    mailbox = mailbox_problems(folder) if folder.is_dir() else []
    write_problems([*report.problems, *mailbox], output_format, sys.stdout)
    if any(problem.severity == "error" for problem in mailbox):
        click.echo(f"{len(mailbox)} problem(s) in the mailbox's data in {folder / 'mailbox'}", err=True)
        sys.exit(1)
    if report.valid and corpus is not None:
        withdrawn = sum(1 for d in corpus.all_documents if d.is_withdrawn)
        drafts = len(corpus.all_documents) - len(corpus.documents) - withdrawn
        click.echo(f"OK: {len(corpus.documents)} published documents ({drafts} not yet published, {withdrawn} withdrawn) in {folder}",
                   err=True)
    else:
        click.echo(f"{len(report.problems)} problem(s) in {folder}", err=True)
    sys.exit(int(not report.valid))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes (one per core is right).")
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker.")
@click.option("--dev", is_flag=True, help="Use Flask's development server with reloading instead of gunicorn.")
@click.option("--plain-folder", is_flag=True, help="Serve CONTENT_DIR as it is, with no content repository (for editing files by hand).")
def serve(host: str, port: int, workers: int, threads: int, dev: bool, plain_folder: bool) -> None:
    """Serve the site (gunicorn; --dev for the development server).

    The app is loaded once before the workers fork (--preload), so content, search index
    and data store are built once and shared. Content comes from the content repository
    CONTENT_REPO; when that is empty, from VAR_DIR/content, created from CONTENT_DIR on the
    first start (the back office publishes into it; `gongkai content init` makes one elsewhere).
    """
    from gongkai.content_repo import ContentRepositoryError, serve_from_repository
    from gongkai.web.hosts import HostSettingError, trusted_hosts

    settings = load_settings()
    try:
        trusted_hosts(settings)
    except HostSettingError as error:
        raise click.ClickException(str(error)) from None
    warning = public_without_base_url(host, settings)
    if warning:
        click.secho(warning, fg="red", bold=True, err=True)
    if not plain_folder:
        try:
            repository = serve_from_repository(settings)
        except ContentRepositoryError as error:
            raise click.ClickException(str(error)) from None
        click.echo(f"Content repository: {repository}", err=True)
        os.environ["GONGKAI_CONTENT_REPO"] = str(repository)  # for the server started next, in this process or after execv
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


@main.group()
def content() -> None:
    """The content repository: a git repository of its own where every publication is a commit."""


@content.command("init")
@click.argument("destination", type=click.Path(path_type=Path), required=False)
@click.option("--from", "source", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="Content to start from (default: the CONTENT_DIR setting, the shipped content/).")
def content_init(destination: Path | None, source: Path | None) -> None:
    """Create the content repository DESTINATION (default: CONTENT_REPO, else VAR_DIR/content)
    from a copy of the content, as its first commit; then set GONGKAI_CONTENT_REPO to it.

    An existing repository is left as it is; a folder that is not empty is refused.
    """
    from gongkai.content_repo import ContentRepository, ContentRepositoryError
    from gongkai.model import load_content

    seed_settings = load_settings({"CONTENT_REPO": ""})  # CONTENT_DIR as configured, not replaced by the repository
    settings = load_settings()
    destination = destination or Path(settings["CONTENT_REPO"] or Path(settings["VAR_DIR"]) / "content")
    source = source or Path(seed_settings["CONTENT_DIR"])
    existed = (destination / ".git").exists()
    if not existed:
        corpus, report = load_content(source)
        if corpus is None or not report.valid:
            for line in report.lines():
                click.echo(line, err=True)
            raise click.ClickException(f"{source} has problems (above): fix them before making it the content repository")
    try:
        repo = ContentRepository.ensure(destination, source)
    except ContentRepositoryError as error:
        raise click.ClickException(str(error)) from None
    state = "already a content repository" if existed else f"created from {source}"
    click.echo(f"{repo.path}: {state}, at commit {repo.head()[:12]}. Serve it with GONGKAI_CONTENT_REPO={repo.path}", err=True)


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


@main.command()
@click.option("--dry-run", is_flag=True, help="List who would be reminded of what; queue and record nothing.")
def remind(dry_run: bool) -> None:
    """Mail each author of a unit with documents past their update cycle (月報 / 季報 / 年報) one
    reminder listing them, once per document and cycle (run it daily: deploy/gongkai-remind.timer)."""
    from gongkai.admin.remind_command import run_reminders

    run_reminders(load_settings(), dry_run)


def _register_cases() -> None:
    from gongkai.mailbox.cli import cases_group

    main.add_command(cases_group)


_register_cases()
