"""The site for the accessibility gate, in its own process (python -m a11y_tests.serve).

    python -m a11y_tests.serve            serve on 127.0.0.1 at a free port; first line 'PORT <n>'
    python -m a11y_tests.serve --paths    print the path of every page in /sitemap.xml as JSON
    python -m a11y_tests.serve --gone     print the path of every withdrawn document's page (410) as JSON

Its own process, not the test process: the tests' app is then created once, whatever other
tests in the same pytest run did to module-level state, and serving pages does not compete with
the tests for the GIL.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from urllib.parse import urlsplit

from lxml import etree

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def make_app():
    from gongkai.app import create_app

    # Content reloading off: the gate checks one build of the content from start to end.
    return create_app({"CONTENT_RELOAD_SECONDS": 0})


def sitemap_locs(xml_bytes: bytes) -> list[str]:
    """The <loc> of every <url> in a sitemap (namespaced or not), in document order."""
    root = etree.fromstring(xml_bytes)
    locs = root.xpath("//sm:url/sm:loc/text()", namespaces=SITEMAP_NS) or root.xpath("//url/loc/text()")
    return [loc.strip() for loc in locs if loc.strip()]


def path_of(url: str) -> str:
    """'/en/news/?page=2' from 'http://host:port/en/news/?page=2'."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def sitemap_paths(app) -> list[str]:
    response = app.test_client().get("/sitemap.xml")
    if response.status_code != 200:
        raise SystemExit(f"/sitemap.xml answered {response.status_code}, expected 200")
    paths = list(dict.fromkeys(path_of(loc) for loc in sitemap_locs(response.data)))
    if not paths:
        raise SystemExit("/sitemap.xml lists no <url><loc>: nothing to check")
    return paths


def gone_paths(app) -> list[str]:
    """The pages of withdrawn documents: no list names them, and each answers 410 with a notice."""
    from gongkai.web import doc_url

    corpus = app.extensions["gongkai.content"].corpus
    with app.test_request_context():
        return [doc_url(doc) for doc in corpus.all_documents if doc.is_withdrawn]


def serve(app) -> None:
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietRequestHandler(WSGIRequestHandler):
        """No access-log line per request: thousands of them would bury a failure's report."""

        def log_request(self, code="-", size="-") -> None:
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietRequestHandler)
    print(f"PORT {server.server_port}", flush=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", action="store_true", help="print the sitemap's paths as JSON and exit")
    parser.add_argument("--gone", action="store_true", help="print the withdrawn documents' paths as JSON and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    app = make_app()
    if args.paths:
        json.dump(sitemap_paths(app), sys.stdout)
        return
    if args.gone:
        json.dump(gone_paths(app), sys.stdout)
        return
    serve(app)


if __name__ == "__main__":
    main()
