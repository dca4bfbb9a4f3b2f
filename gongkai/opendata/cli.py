"""`gongkai data …`: validate, export, regenerate the catalogue datasets, list overdue ones."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gongkai import clock
from gongkai.config import load_settings
from gongkai.problems import format_option, write_problems


def _content(content_dir: Path | None):
    from gongkai.model import load_content

    folder = content_dir or Path(load_settings()["CONTENT_DIR"])
    corpus, report = load_content(folder)
    if corpus is None:
        write_problems(report.problems, "text", sys.stdout)
        click.echo(f"cannot read {folder}: fix the problems above first", err=True)
        sys.exit(2)
    return folder, corpus


CONTENT_OPTION = click.option("--content", "content_dir", type=click.Path(path_type=Path), default=None,
                              help="Content folder (default: the configured CONTENT_DIR); datasets are in its datasets/ folder.")


@click.group("data")
def data() -> None:
    """Open data: validate the data packages, export them, keep the catalogue datasets current."""


@data.command()
@CONTENT_OPTION
@format_option
def validate(content_dir: Path | None, output_format: str) -> None:
    """Validate every dataset: frictionless, the personal-data gate, metadata completeness.

    \b
    Prints one line per problem and exits 1 if there is any:
      dataset / file / row / column: code: what was found (masked) — how to fix it
    (the codes are listed in docs/problem-codes.md). A dataset with a problem is never
    published by the site.
    """
    from gongkai.opendata.validate import validate_all

    folder, corpus = _content(content_dir)
    report = validate_all(folder / "datasets", corpus.agency, set(corpus.codes["services"]))
    write_problems(report.problems, output_format, sys.stdout)
    count = len(report.datasets)
    if report.valid:
        click.echo(f"OK: {count} datasets valid, no personal data found, metadata complete", err=True)
    else:
        click.echo(f"{len(report.problems)} problem(s) in {len(report.failing())} of {count} datasets: those are not published", err=True)
    sys.exit(int(not report.valid))


@data.command()
@click.argument("destination", type=click.Path(path_type=Path), default=Path("build/opendata"))
@CONTENT_OPTION
@click.option("--format", "formats", multiple=True, type=click.Choice(["csv", "csv-bom", "ods", "json"]),
              help="Formats to write (default: all).")
def export(destination: Path, content_dir: Path | None, formats: tuple[str, ...]) -> None:
    """Write every publishable dataset as CSV, CSV with BOM, ODS and JSON into DESTINATION.

    Datasets that fail validation or the personal-data gate are refused (exit 1).
    """
    from gongkai.opendata.exports import FORMAT_BY_KEY, FORMATS, export_dataset
    from gongkai.opendata.validate import validate_all

    folder, corpus = _content(content_dir)
    report = validate_all(folder / "datasets", corpus.agency, set(corpus.codes["services"]))
    chosen = [FORMAT_BY_KEY[k] for k in formats] or list(FORMATS)
    for dataset in report.publishable():
        written = export_dataset(dataset, destination, chosen)
        click.echo(f"{dataset.id}: " + ", ".join(p.name for p in written.values()))
    for line in report.lines():
        click.echo(f"refused: {line}", err=True)
    sys.exit(int(not report.valid))


@data.command("build")
@CONTENT_OPTION
def build_catalogue_command(content_dir: Path | None) -> None:
    """Regenerate the catalogue datasets (forms, procedures, units' contacts, news) from content."""
    from gongkai.opendata.catalogue import build_catalogue

    folder, corpus = _content(content_dir)
    for path in build_catalogue(corpus, folder / "datasets"):
        click.echo(f"wrote {path}")


@data.command()
@CONTENT_OPTION
def overdue(content_dir: Path | None) -> None:
    """List datasets past their update frequency (更新頻率), for the webmaster; exit 1 if any."""
    from gongkai.opendata.packages import load_datasets

    folder, _ = _content(content_dir)
    datasets, _ = load_datasets(folder / "datasets")
    late = [d for d in datasets if d.overdue()]
    for d in late:
        click.echo(f"{d.id}: {d.title()} — {d.frequency}, last updated {d.modified}, due {d.next_update_due} "
                   f"({(clock.today() - d.next_update_due).days} days overdue) — update the CSV and datagovtw.modified")
    click.echo(f"{len(late)} of {len(datasets)} datasets overdue", err=True)
    sys.exit(int(bool(late)))


COMMANDS = [data]
