"""The preview: a draft rendered by the public site's own views and templates, exactly as it would
be published, without publishing it.

The back office keeps one site application (the site's blueprints on the web layer, no search)
whose content store answers with a corpus that holds the draft in place of the published file,
for the duration of one request only (a context variable: concurrent previews never see each
other's draft). The page's <main> is what the back office shows and what the pre-submit
accessibility checks read.
"""

from __future__ import annotations

import contextvars
import os
import tempfile
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from lxml import html as lxml_html

from gongkai import site, web
from gongkai.model.corpus import Corpus, attachments
from gongkai.model.documents import Review

SITE_DIR = Path(site.__file__).resolve().parent
ID_PREFIX = "preview-"
_override: contextvars.ContextVar[Corpus | None] = contextvars.ContextVar("gongkai_preview_corpus", default=None)


class _PreviewStore:
    """The site's content store, or the request's preview corpus while one is set."""

    def __init__(self, store: Any) -> None:
        self._store = store

    @property
    def corpus(self) -> Corpus:
        return _override.get() or self._store.corpus

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class PreviewSite:
    def __init__(self, config: Mapping[str, Any]) -> None:
        self._config = dict(config)
        self._app: Flask | None = None
        self._lock = threading.Lock()

    def app(self) -> Flask:
        with self._lock:
            if self._app is None:
                app = Flask("gongkai.preview", template_folder=str(SITE_DIR / "templates"),
                            static_folder=str(SITE_DIR / "static"))
                app.config.update(self._config)
                app.config.update(PAGE_CACHE_SIZE=0, BASE_URL="", TRUSTED_HOSTS=None, TESTING=False)
                web.init_app(app)
                site.init_app(app)
                app.extensions["gongkai.content"] = _PreviewStore(app.extensions["gongkai.content"])
                self._app = app
            return self._app

    def corpus(self) -> Corpus:
        return self.app().extensions["gongkai.content"].corpus

    def render(self, doc: Any, files: Mapping[str, bytes]) -> tuple[int, str]:
        """The site's page of ``doc`` (a validated draft document) and its status; ``files``: the
        draft's uploaded attachments (relative to files/), so their sizes show as they will."""
        app = self.app()
        base = self.corpus()
        shown = doc.model_copy(update={"review": Review(author=doc.review.author, reviewer="（預覽）", date=doc.published, status="published")})
        documents = [d for d in base.all_documents if d.path != doc.path and (d.lang, d.id) != (doc.lang, doc.id)] + [shown]
        with tempfile.TemporaryDirectory(prefix="gongkai-preview-") as folder:
            corpus = Corpus(base.agency, base.codes, documents, base.root, version=f"preview-{uuid.uuid4().hex}")
            corpus.files_root = _files_overlay(Path(folder), base, corpus, files)
            token = _override.set(corpus)
            try:
                with app.test_request_context("/", headers={"Host": "localhost"}):
                    path = web.document_path(doc.kind, doc.lang, doc.id)
                response = app.test_client().get(path, headers={"Host": "localhost"})
                return response.status_code, response.get_data(as_text=True)
            finally:
                _override.reset(token)


def _files_overlay(folder: Path, base: Corpus, corpus: Corpus, uploads: Mapping[str, bytes]) -> Path:
    """files/ as the draft will see it: its uploads, and links to the published files its page names."""
    for name in {a.file for d in corpus.documents for a in attachments(d)}:
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in uploads:
            target.write_bytes(uploads[name])
        elif (base.files_root / name).is_file():
            os.symlink(base.files_root / name, target)
    return folder


def main_fragment(page: str) -> str:
    """The page's <main> content, its ids prefixed so they cannot clash with the back office's own."""
    tree = lxml_html.fromstring(page)
    main = tree.find(".//main")
    if main is None:
        return ""
    for element in main.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", ID_PREFIX + element.get("id"))
        for attribute in ("for", "aria-labelledby", "aria-describedby", "aria-controls"):
            if element.get(attribute):
                element.set(attribute, " ".join(ID_PREFIX + part for part in element.get(attribute).split()))
        href = element.get("href")
        if href and href.startswith("#") and len(href) > 1:
            element.set("href", "#" + ID_PREFIX + href[1:])
    main.attrib.pop("id", None)
    inner = (main.text or "") + "".join(lxml_html.tostring(child, encoding="unicode") for child in main)
    return inner
