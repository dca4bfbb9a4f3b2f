"""The `gongkai a11y` command."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from gongkai.audits.options import audit_db, common_report_options, print_history, report_and_exit, require_site_url, show_progress
from gongkai.config import load_settings

ENGINES = ("axe", "htmlcs", "conventions")


def parse_engines(ctx, param, value: str) -> tuple[str, ...]:
    engines = tuple(e.strip() for e in value.split(",") if e.strip())
    unknown = [e for e in engines if e not in ENGINES]
    if unknown or not engines:
        raise click.BadParameter(f"unknown engine(s) {unknown} — choose from {', '.join(ENGINES)} (comma-separated)")
    return engines


@click.command()
@click.argument("url", required=False)
@click.option("--engines", default=",".join(ENGINES), show_default=True, callback=parse_engines,
              help="Engines to run, comma-separated: axe (axe-core 4.14, WCAG 2.2 AA tags), htmlcs (pa11y-ci), conventions (TW).")
@click.option("--only", default="", help="Check only pages whose URL matches this regular expression.")
@click.option("--max-pages", default=0, type=click.IntRange(min=0), help="Check at most this many pages (0 = every sitemap page).")
@click.option("--node-modules", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Folder with axe-core and pa11y-ci (default: the NODE_MODULES setting).")
@common_report_options
def a11y(url, engines, only, max_pages, node_modules, out_dir, formats, since, site_name, quiet) -> None:
    """Accessibility audit of every sitemap page of a site (any site: e.g. https://www.example.gov.tw/).

    \b
    axe-core (WCAG 2.2 AA) and HTML_CodeSniffer in headless Chromium, plus the Taiwanese
    conventions (access keys U/C/Z, skip link, noscript, metadata, open-format downloads).
    Each finding names the page, element, WCAG criterion, Freego code and the fix.
    Exits 1 when anything is found.
    """
    node_modules = node_modules or Path(load_settings()["NODE_MODULES"])
    if since:
        print_history("a11y", since, site_name or None)
        return
    require_site_url(url, "gongkai a11y http://127.0.0.1:5000/")
    from gongkai.audits.accessibility.audit import A11yOptions, SitemapError, run_a11y_audit
    from gongkai.audits.accessibility.browser import missing_browser
    from gongkai.audits.accessibility.engines import EngineError

    if ("axe" in engines or "conventions" in engines) and (reason := missing_browser()):
        raise click.ClickException(reason)
    if "axe" in engines and not (node_modules / "axe-core" / "axe.min.js").is_file():
        raise click.BadParameter(f"{node_modules}/axe-core/axe.min.js is missing — run 'npm ci --ignore-scripts'", param_hint="--node-modules")
    import re

    try:
        re.compile(only)
    except re.error as error:
        raise click.BadParameter(f"{only!r} is not a regular expression: {error}", param_hint="--only") from None
    # systemd stops a unit with SIGTERM: leave through `finally` so that Chromium and pa11y-ci are shut down too
    # (and put the previous handler back: a caller running this in-process keeps its own)
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    options = A11yOptions(url=url, db=audit_db(), node_modules=node_modules, engines=engines, only=only, max_pages=max_pages,
                          site_name=site_name, progress=show_progress(quiet))
    try:
        result = run_a11y_audit(options)
    except (SitemapError, EngineError) as error:
        raise click.ClickException(str(error)) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    for finding in result.findings:
        if finding.broken:
            click.echo(f"{finding.target} {finding.selector} — [{finding.criterion or '-'}{' / Freego ' + finding.freego if finding.freego else ''}] "
                       f"{finding.message} Fix: {finding.fix}")
    report_and_exit(result.view, out_dir, formats)
