"""`gongkai index`: build the search index from the content, then swap it in atomically."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from gongkai.config import load_settings


@click.command("index")
@click.option("--backend", type=click.Choice(["tantivy", "whoosh"]), default=None,
              help="Search backend (default: the SEARCH_BACKEND setting).")
@click.option("--content", "content_dir", type=click.Path(path_type=Path), default=None,
              help="Content folder (default: the CONTENT_DIR setting).")
@click.option("--index-dir", type=click.Path(path_type=Path), default=None,
              help="Index folder (default: SEARCH_INDEX_DIR, or VAR_DIR/index).")
def index_command(backend: str | None, content_dir: Path | None, index_dir: Path | None) -> None:
    """Build the search index into a new folder and make it current in one atomic step.

    A running site picks up the new index on its next search; a search never sees a
    half-built index. Shows a progress bar on a terminal, nothing but a summary otherwise.
    """
    from gongkai.content_repo import read_head
    from gongkai.model import load_content
    from gongkai.search_index.index import build_from_corpus, folder_size, index_root
    from gongkai.search_index.parallel import build_workers

    settings = load_settings()
    backend = backend or settings["SEARCH_BACKEND"]
    content_dir = content_dir or Path(settings["CONTENT_DIR"])
    root = index_dir or index_root(settings)
    head = read_head(content_dir)  # a content repository's build is named by its commit, as the site names it
    corpus, report = load_content(content_dir, head[:12] if head else None)
    if corpus is None:
        for line in report.lines():
            click.echo(line, err=True)
        click.echo(f"cannot index: the content in {content_dir} does not load (run `gongkai check`)", err=True)
        sys.exit(1)
    started = time.perf_counter()
    if sys.stderr.isatty():
        with click.progressbar(length=len(corpus.documents), label="Indexing", file=sys.stderr) as bar:
            folder = build_from_corpus(root, backend, corpus, content_dir, progress=bar.update, workers=build_workers())
    else:
        folder = build_from_corpus(root, backend, corpus, content_dir, workers=build_workers())
    seconds = time.perf_counter() - started
    click.echo(f"Indexed {len(corpus.documents)} documents with {backend} in {seconds:.1f} s "
               f"({folder_size(folder) / 1e6:.1f} MB) → {folder}; now current", err=True)


COMMANDS = [index_command]
