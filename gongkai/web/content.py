"""The content a running site serves: reloaded when files change, swapped in only when valid.

A build with problems never replaces the last good build, so an editor's typo cannot take
the site down; the problems are logged (and `gongkai check` prints them) — never dropped silently.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from flask import current_app

from gongkai.model import Corpus, Report, load_content
from gongkai.model.loader import content_version

log = logging.getLogger("gongkai.content")


class ContentStore:
    def __init__(self, content_dir: Path, reload_seconds: float) -> None:
        self.content_dir = content_dir
        self.reload_seconds = reload_seconds
        self.report: Report | None = None
        self._corpus: Corpus | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()
        self.reload()
        if self._corpus is None:
            raise RuntimeError("content cannot be loaded:\n" + "\n".join(self.report.lines() if self.report else []))

    @property
    def corpus(self) -> Corpus:
        if self.reload_seconds and time.monotonic() - self._checked_at > self.reload_seconds:
            self._checked_at = time.monotonic()
            if content_version(self.content_dir) != self._corpus.version:
                self.reload()
        return self._corpus

    def reload(self) -> Report:
        with self._lock:
            corpus, report = load_content(self.content_dir)
            self.report = report
            self._checked_at = time.monotonic()
            for line in report.lines():
                log.error("content problem: %s", line)
            if corpus is not None and (report.valid or self._corpus is None):
                self._corpus = corpus
                log.info("serving content build %s (%d published documents)", corpus.version, len(corpus))
            elif self._corpus is not None:
                log.error("content has problems: still serving the last good build %s", self._corpus.version)
            return report


def current_corpus() -> Corpus:
    """The corpus of the running app (for views of every package)."""
    return current_app.extensions["gongkai.content"].corpus


def document_or_404(kind: str, doc_id: str) -> Any:
    """The published document of ``kind`` with this id in the request's language, or a 404."""
    from flask import abort

    from gongkai.web.i18n import lang

    doc = current_corpus().get(lang(), doc_id, kind)
    if doc is None:
        abort(404)
    return doc
