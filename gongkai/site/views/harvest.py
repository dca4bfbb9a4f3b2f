"""For machines: sitemap.xml, robots.txt and the one-request metadata listing for MyEGov."""

from __future__ import annotations

import json
import threading
from xml.sax.saxutils import escape, quoteattr

from flask import Blueprint, Response, current_app, request
from lxml import html as lxml_html

from gongkai.site.urls import page_paths
from gongkai.web import absolute, current_corpus

bp = Blueprint("harvest", __name__)
_listing_lock = threading.Lock()
_listing_cache: dict[tuple[str, str], list[dict]] = {}


@bp.get("/sitemap.xml")
def sitemap():
    records = metadata_records()
    urls = "".join(f"<url><loc>{escape(r['url'])}</loc><lastmod>{r['meta']['DC.Date']}</lastmod></url>" for r in records)
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    return Response(body, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    body = f"User-agent: *\nAllow: /\nDisallow: /api/v1/datasets/*/rows\n\nSitemap: {absolute('/sitemap.xml')}\n"
    return Response(body, mimetype="text/plain")


@bp.get("/metadata.json")
def metadata_json():
    records = metadata_records()
    return Response(json.dumps({"publisher": current_corpus().agency.name_zh, "count": len(records), "pages": records},
                               ensure_ascii=False, indent=1), mimetype="application/json")


@bp.get("/metadata.xml")
def metadata_xml():
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<pages>']
    for record in metadata_records():
        parts.append(f"<page url={quoteattr(record['url'])} lang={quoteattr(record['lang'])}>")
        parts.extend(f"<meta name={quoteattr(name)}>{escape(value)}</meta>" for name, value in record["meta"].items())
        parts.append("</page>")
    parts.append("</pages>\n")
    return Response("".join(parts), mimetype="application/xml")


def metadata_records() -> list[dict]:
    """The metadata of every page, read from the pages themselves so it cannot drift from them.

    Built once per content build and host, through the app's own test client.
    """
    corpus = current_corpus()
    base = current_app.config["BASE_URL"].rstrip("/") or request.url_root.rstrip("/")
    key = (corpus.version, base)
    with _listing_lock:
        if key not in _listing_cache:
            _listing_cache.clear()
            _listing_cache[key] = _harvest(page_paths(corpus), base)
        return _listing_cache[key]


def _harvest(paths: list[str], base: str) -> list[dict]:
    client = current_app.test_client()
    records = []
    for path in paths:
        response = client.get(path, base_url=base)
        if response.status_code != 200:
            current_app.logger.error("metadata listing: %s answered %s", path, response.status_code)
            continue
        tree = lxml_html.fromstring(response.get_data())
        meta = {m.get("name"): m.get("content", "") for m in tree.iter("meta") if m.get("name", "").startswith(("DC.", "Category.", "Keywords"))}
        records.append({"url": base + path, "lang": tree.get("lang", ""), "meta": meta})
    return records
