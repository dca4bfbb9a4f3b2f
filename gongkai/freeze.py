"""`gongkai freeze`: the whole site as static files, for any web server or CDN (Frozen-Flask).

Pages come from the sitemap's list (gongkai.site.urls); packages add their non-page files
through ``app.extensions["gongkai.freeze"]``: callables taking the corpus and yielding
(endpoint, values). Query-string APIs (search, dataset rows) stay dynamic by nature.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask_frozen import Freezer

from gongkai.app import create_app
from gongkai.site.urls import page_endpoints
from gongkai.web import EN, ZH
from gongkai.web.i18n import endpoint_for


def freeze_site(destination: Path, base_url: str = "") -> int:
    # Frozen-Flask asks for every page as http://localhost/, whatever the public address is
    hosts = ",".join(dict.fromkeys(["localhost", *([urlsplit(base_url).hostname or ""] if base_url else [])]))
    app = create_app({"BASE_URL": base_url, "CONTENT_RELOAD_SECONDS": 0, "TRUSTED_HOSTS": hosts.strip(",")})
    app.config.update(FREEZER_DESTINATION=str(destination.resolve()), FREEZER_REMOVE_EXTRA_FILES=True,
                      FREEZER_IGNORE_404_NOT_FOUND=False, FREEZER_DEFAULT_MIMETYPE="text/html")
    freezer = Freezer(app, with_no_argument_rules=False, log_url_for=False)
    corpus = app.extensions["gongkai.content"].corpus

    @freezer.register_generator
    def everything():
        for language in (ZH, EN):
            for endpoint, values in page_endpoints(corpus, language):
                yield endpoint_for(endpoint, language), values
            yield endpoint_for("news.rss", language), {}
            yield endpoint_for("news.atom", language), {}
        for name in sorted(corpus.public_files):
            yield "files.download", {"filename": name}
        for endpoint in ("harvest.sitemap", "harvest.robots", "harvest.favicon", "harvest.metadata_json", "harvest.metadata_xml"):
            yield endpoint, {}
        for path in sorted(Path(app.static_folder).rglob("*")):
            if path.is_file():
                yield "static", {"filename": str(path.relative_to(app.static_folder))}
        # downloads and machine-readable files of other packages (open data exports, API documents …)
        for extra in app.extensions.get("gongkai.freeze", []):
            yield from extra(corpus)

    with app.test_request_context(base_url=base_url or "http://localhost"):
        urls = freezer.freeze()
    # The not-found pages, for the web server's error_page / ErrorDocument (Frozen-Flask
    # only writes 200 responses, and letting it ignore 404s would hide real broken links).
    client = app.test_client()
    for path, target in (("/404.html", "404.html"), ("/en/404.html", "en/404.html")):
        (destination / target).write_bytes(client.get(path, base_url=base_url or "http://localhost").data)
    return len(urls) + 2
