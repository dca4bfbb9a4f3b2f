"""The content a running site serves: reloaded when files change, swapped in only when valid.

A build with problems never replaces the last good build, so an editor's typo cannot take
the site down; the problems are logged (and `gongkai check` prints them) — never dropped silently.

A content repository (a folder with .git, see gongkai.content_repo) is followed by its HEAD: a
new commit is noticed by reading two small files under .git (no git process per request), and
only the files the commits changed are read again (``load_changes``). A plain folder is
fingerprinted and read in full when it changes, as before.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

from flask import current_app
from werkzeug import exceptions

from gongkai.content_repo import ContentRepository, ContentRepositoryError, is_repository, read_head
from gongkai.model import Corpus, Report, load_content
from gongkai.model.loader import content_version, load_changes

log = logging.getLogger("gongkai.content")
REPOSITORY_POLL_SECONDS = 0.5  # reading .git/HEAD and one ref costs microseconds: a publication shows at once


class ContentStore:
    def __init__(self, content_dir: Path, reload_seconds: float) -> None:
        self.content_dir = content_dir
        self.reload_seconds = reload_seconds
        self.is_repository = is_repository(content_dir)
        self.report: Report | None = None
        self._corpus: Corpus | None = None
        self._checked_at = 0.0
        self._tried: str | None = None  # the last commit read, good or not: a bad one is read once
        self._lock = threading.Lock()
        self.reload()
        if self._corpus is None:
            raise RuntimeError("content cannot be loaded:\n" + "\n".join(self.report.lines() if self.report else []))

    @property
    def corpus(self) -> Corpus:
        interval = min(self.reload_seconds, REPOSITORY_POLL_SECONDS) if self.is_repository else self.reload_seconds
        if interval and time.monotonic() - self._checked_at > interval:
            self._checked_at = time.monotonic()
            if self.is_repository:
                head = read_head(self.content_dir)
                # one thread reads the change; the others go on serving the current build meanwhile
                if head is not None and head != self._tried and self._lock.acquire(blocking=False):
                    try:
                        self._follow(head)
                    finally:
                        self._lock.release()
            elif content_version(self.content_dir) != self._corpus.version:
                self.reload()
        return self._corpus

    def is_current(self, corpus: Corpus) -> bool:
        """``corpus`` is the newest content there is (the search index asks before an update)."""
        if self.is_repository:
            return corpus.commit == read_head(self.content_dir)
        return corpus.version == content_version(self.content_dir)

    def reload(self) -> Report:
        """Read the whole content folder again (at start, and for a plain folder's changes)."""
        with self._lock:
            head = read_head(self.content_dir) if self.is_repository else None
            corpus, report = load_content(self.content_dir, head[:12] if head else None)
            if corpus is not None:
                corpus.commit = head
            self._tried = head
            return self._offer(corpus, report)

    def follow(self, head: str) -> Report | None:
        """Take in the commits up to ``head``: only the files changed since the build being served."""
        with self._lock:
            return self._follow(head)

    def _follow(self, head: str) -> Report | None:
        if head == self._tried:  # another thread took it in while this one waited
            return self.report
        self._tried = head  # a commit is read once, good or not: a bad one is logged once, not per request
        since = getattr(self._corpus, "commit", None)
        started = time.perf_counter()
        try:
            changed = ContentRepository(self.content_dir).changed_paths(since, head) if since else None
        except ContentRepositoryError as error:
            log.error("content repository: %s; reading the whole folder", error)
            changed = None
        try:
            if changed is None:
                corpus, report = load_content(self.content_dir, head[:12])
            else:
                corpus, report = load_changes(self._corpus, changed, head[:12])
        except OSError:  # a file vanished while being read (a later commit): the next commit is read again
            log.exception("content commit %s could not be read; still serving %s", head[:12], self._corpus.version)
            return self.report
        if corpus is not None:
            corpus.commit = head
        report = self._offer(corpus, report)
        log.info("content commit %s: %s changed file(s) read in %.0f ms", head[:12],
                 "all" if changed is None else len(changed), 1000 * (time.perf_counter() - started))
        return report

    def _offer(self, corpus: Corpus | None, report: Report) -> Report:
        """Swap in ``corpus`` if it is valid (or if nothing is served yet). Holds the lock."""
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
    """The published document of ``kind`` with this id in the request's language; a 410 Gone with
    its withdrawal notice when it was withdrawn (gongkai.site renders it); otherwise a 404."""
    from flask import abort

    from gongkai.web.i18n import lang

    corpus = current_corpus()
    doc = corpus.get(lang(), doc_id, kind)
    if doc is None:
        withdrawn = corpus.withdrawn(lang(), doc_id, kind)
        if withdrawn is not None:
            raise Gone(withdrawn)
        abort(404)
    return doc


class Gone(exceptions.Gone):
    """A withdrawn document was asked for: the site answers 410 with its notice (an app without
    a handler of its own still answers 410, through the one error handler)."""

    def __init__(self, doc: Any) -> None:
        super().__init__(f"{doc.kind} {doc.id} was withdrawn on {doc.withdrawal.date}")
        self.doc = doc
