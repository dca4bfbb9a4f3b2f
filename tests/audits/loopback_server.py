"""A loopback test server with every case a link checker gets wrong, and a second one that plays
"another site" (robots.txt, HEAD-hostile server, bot challenge). The expected verdict of each case
is in expected_results.json beside this file.

Run it by hand to look at it:  python tests/audits/loopback_server.py
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from contextlib import contextmanager
from urllib.parse import unquote

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

HUGE_BYTES = 40 * 1024 * 1024
SLOW_SECONDS = 4.0


def page(title: str, body: str) -> str:
    return f'<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>{title}</title>' \
           f'<meta name="DC.Contributor" content="資訊小組"></head><body><h1>{title}</h1>{body}</body></html>'


class CaseServer:
    """One WSGI app; `role` is "site" (the audited site) or "other" (someone else's)."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.hits: Counter = Counter()  # (method, path) -> count
        self.lock = threading.Lock()
        self.other_base = ""  # set by serve_pair so the site can link the other server
        self.user_agents: set[str] = set()

    def count(self, method: str, path: str) -> int:
        with self.lock:
            self.hits[(method, path)] += 1
            return self.hits[(method, path)]

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = unquote(request.path)
        n = self.count(request.method, path)
        self.user_agents.add(request.headers.get("User-Agent", ""))
        handler = getattr(self, f"{self.role}_app")
        return handler(request, path, n)(environ, start_response)

    # ------------------------------------------------------------------ the audited site
    def site_app(self, request: Request, path: str, n: int):
        o = self.other_base
        html = lambda title, body, status=200: Response(page(title, body), status, content_type="text/html; charset=utf-8")  # noqa: E731
        if path == "/":
            links = "".join(f'<li><a href="{href}">{href}</a></li>' for href in [
                "/gone-404", "/gone-410", "/flaky", "/rate-limited", "/chain/1", "/loop/a", "/slow", "/soft-404",
                "/huge", "/anchors#missing", "/anchors#%E9%8C%A8%E9%BB%9E", "/anchors#plain", "/fifty",
                f"{o}/challenge", f"{o}/head-hostile", f"{o}/private/secret", f"{o}/public",
                "mailto:webmaster@example.gov.tw", "mailto:bad@@example", "tel:+886-2-2345-6789", "tel:call-us",
                "javascript:void(0)",
            ])
            return html("測試首頁", f'<ul>{links}</ul><img src="/logo.png" alt="標誌">')
        if path == "/gone-404":
            return html("找不到網頁", "<p>404</p>", 404)
        if path == "/gone-410":
            return html("已移除", "<p>410</p>", 410)
        if path == "/flaky":
            return html("暫時錯誤", "", 500) if n == 1 else html("恢復正常", "<p>ok</p>")
        if path == "/rate-limited":
            if n == 1:
                return Response("slow down", 429, headers={"Retry-After": "1"}, content_type="text/plain")
            return html("限流後成功", "<p>ok</p>")
        if path == "/chain/1":
            return Response("", 302, headers={"Location": "/chain/2"})
        if path == "/chain/2":
            return Response("", 301, headers={"Location": "/chain/3"})
        if path == "/chain/3":
            return html("轉址終點", "<p>ok</p>")
        if path == "/loop/a":
            return Response("", 302, headers={"Location": "/loop/b"})
        if path == "/loop/b":
            return Response("", 302, headers={"Location": "/loop/a"})
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return html("很慢", "<p>late</p>")
        if path == "/soft-404":
            return html("找不到網頁", "<p>您要找的網頁不存在。</p>")
        if path == "/huge":
            def chunks():
                yield b"<!doctype html><html><head><title>huge</title></head><body><h1>huge</h1>"
                block = b"<p>" + b"x" * 65530 + b"</p>"
                for _ in range(HUGE_BYTES // len(block)):
                    yield block
            return Response(chunks(), 200, content_type="text/html; charset=utf-8", direct_passthrough=True)
        if path == "/anchors":
            return html("錨點頁", '<h2 id="錨點">中文錨點</h2><p><a name="plain">plain</a></p>')
        if path == "/fifty":
            return html("五十個連結", "".join(f'<p><a href="/target-50">同一個連結 {i}</a></p>' for i in range(50)))
        if path == "/target-50":
            return html("被連五十次", "<p>ok</p>")
        if path == "/logo.png":
            return Response(b"\x89PNG\r\n\x1a\n", 200, content_type="image/png")
        return html("找不到網頁", "<p>not here</p>", 404)

    # ------------------------------------------------------------------ someone else's site
    def other_app(self, request: Request, path: str, n: int):
        if path == "/robots.txt":
            return Response("User-agent: *\nDisallow: /private/\n", 200, content_type="text/plain")
        if path == "/challenge":
            return Response("<html><title>Just a moment...</title></html>", 403, content_type="text/html",
                            headers={"cf-mitigated": "challenge", "Server": "cloudflare"})
        if path == "/head-hostile":
            if request.method == "HEAD":
                return Response("", 405)
            return Response(page("HEAD 不友善", "<p>ok</p>"), 200, content_type="text/html; charset=utf-8")
        if path == "/private/secret":
            return Response("should never be fetched", 200, content_type="text/plain")
        if path == "/public":
            return Response(page("公開", "<p>ok</p>"), 200, content_type="text/html; charset=utf-8")
        return Response("nope", 404, content_type="text/plain")


@contextmanager
def serve(app):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def serve_pair():
    """(site app, site base, other app, other base), both on 127.0.0.1 at free ports."""
    site, other = CaseServer("site"), CaseServer("other")
    with serve(other) as other_base, serve(site) as site_base:
        site.other_base = other_base
        yield site, site_base, other, other_base


if __name__ == "__main__":
    with serve_pair() as (_, site_base, _, other_base):
        print(f"site: {site_base}/   other: {other_base}/   (Ctrl+C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
