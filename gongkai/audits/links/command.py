"""`gongkai links`: the webmaster's monthly link-validity and content-correctness audit."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai.audits.options import audit_db, common_report_options, print_history, report_and_exit, require_site_url, show_progress
from gongkai.audits.problems import finding_problem
from gongkai.config import load_settings
from gongkai.problems import format_option, write_problems


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
@format_option
def links(url, sitemaps, content_dir, no_external, silence_file, cache_max_age, timeout, run_timeout, concurrency,
          host_concurrency, contact_url, max_pages, out_dir, formats, since, site_name, quiet, output_format) -> None:
    """Monthly link-validity and content-correctness audit of a site (e.g. http://127.0.0.1:5000/).

    \b
    Starts from the sitemap and the URL, follows the site's pages, checks every link target once,
    adds the content checks (--content), stores the run in the history (LINKS_DB), writes the
    reports and exits 1 when anything is broken.
    """
    if since:
        print_history("links", since, site_name or None)
        return
    require_site_url(url, "gongkai links http://127.0.0.1:5000/")
    if content_dir is not None and not (content_dir / "site.yaml").is_file():
        raise click.BadParameter(f"{content_dir} has no site.yaml — give the content folder (e.g. content/)", param_hint="--content")
    from gongkai.audits.links.runner import LinkAuditOptions, run_link_audit
    from gongkai.audits.silence import SilenceFileError, Silencer

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
    # the problems of the content folder itself (--content), then each finding, in the one shape
    write_problems([*result.content_problems, *map(finding_problem, result.findings)], output_format, sys.stdout)
    report_and_exit(result.view, out_dir, formats)
