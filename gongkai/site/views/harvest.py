"""For machines: sitemap.xml, robots.txt, favicon.ico and the one-request metadata listing for MyEGov.

The sitemap is the canonical page list (gongkai.site.urls) itself, so a page that stops
rendering cannot drop out of it, nor out of every check that starts from it. The metadata
listing is read from the rendered pages, so it cannot drift from them; a page that fails to
render is named in its ``failed`` list and logged, never left out silently.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, current_app, send_from_directory
from lxml import html as lxml_html

from gongkai import clock
from gongkai.conventions import META_TAGS
from gongkai.site.urls import page_paths, sitemap_entries
from gongkai.web import absolute, current_corpus

bp = Blueprint("harvest", __name__)
LISTINGS_KEPT = 4  # content builds × days × configured hosts kept at once, per app


class _Listings:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.built: OrderedDict[tuple[str, str, str], dict] = OrderedDict()


@bp.get("/sitemap.xml")
def sitemap():
    urls = "".join(f"<url><loc>{escape(absolute(path))}</loc>{f'<lastmod>{updated}</lastmod>' if updated else ''}</url>"
                   for path, updated in sitemap_entries(current_corpus()))
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    return Response(body, mimetype="application/xml")


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask every site for /favicon.ico; answering it keeps a 404 out of every page's log."""
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.get("/robots.txt")
def robots():
    body = f"User-agent: *\nAllow: /\nDisallow: /api/v1/datasets/*/rows\n\nSitemap: {absolute('/sitemap.xml')}\n"
    return Response(body, mimetype="text/plain")


@bp.get("/metadata.json")
def metadata_json():
    listing = metadata_listing()
    return Response(json.dumps({"publisher": current_corpus().agency.name_zh, "count": len(listing["pages"]), **listing},
                               ensure_ascii=False, indent=1), mimetype="application/json")


@bp.get("/metadata.xml")
def metadata_xml():
    listing = metadata_listing()
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<pages>']
    for record in listing["pages"]:
        parts.append(f"<page url={quoteattr(record['url'])} lang={quoteattr(record['lang'])}>")
        parts.extend(f"<meta name={quoteattr(name)}>{escape(value)}</meta>" for name, value in record["meta"].items())
        parts.append("</page>")
    parts.extend(f"<failed url={quoteattr(failure['url'])} status={quoteattr(str(failure['status']))}/>" for failure in listing["failed"])
    parts.append("</pages>\n")
    return Response("".join(parts), mimetype="application/xml")


def metadata_listing() -> dict:
    """{"pages": [{url, lang, meta}], "failed": [{url, status}]} for every page of the canonical list.

    Built once per content build, day and host — the host being one of TRUSTED_HOSTS, never a
    value the client chose — through the app's own test client.
    """
    corpus = current_corpus()
    base = absolute("")
    key = (corpus.version, clock.today().isoformat(), base)
    listings = current_app.extensions.setdefault("gongkai.listings", _Listings())
    with listings.lock:
        if key not in listings.built:
            listings.built[key] = _harvest(page_paths(corpus), base)
            while len(listings.built) > LISTINGS_KEPT:
                listings.built.popitem(last=False)
        return listings.built[key]


def _harvest(paths: list[str], base: str) -> dict:
    client = current_app.test_client()
    pages, failed = [], []
    for path in paths:
        response = client.get(path, base_url=base)
        if response.status_code != 200:
            current_app.logger.error("metadata listing: %s answered %s", path, response.status_code)
            failed.append({"url": base + path, "status": response.status_code})
            continue
        tree = lxml_html.fromstring(response.get_data())
        meta = {m.get("name"): m.get("content", "") for m in tree.iter("meta") if m.get("name") in META_TAGS}
        pages.append({"url": base + path, "lang": tree.get("lang", ""), "meta": meta})
    return {"pages": pages, "failed": failed}
