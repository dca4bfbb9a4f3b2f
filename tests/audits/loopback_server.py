"""A loopback test server with every case a link checker gets wrong, a second one that plays
"another site" (robots.txt, HEAD-hostile server, bot challenge), and a third that plays another
agency on its own host name, 127.0.0.2 where it binds (soft 404s and #fragments on someone else's
pages). The expected verdict of each case is in expected_results.json beside this file.

Run it by hand to look at it:  python tests/audits/loopback_server.py
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import Counter
from contextlib import contextmanager
from urllib.parse import unquote

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

HUGE_BYTES = 40 * 1024 * 1024
SLOW_SECONDS = 4.0
LONG_PAGE_BYTES = 600 * 1024  # longer than the part of another site's page the checker reads


def page(title: str, body: str) -> str:
    return f'<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>{title}</title>' \
           f'<meta name="DC.Contributor" content="資訊小組"></head><body><h1>{title}</h1>{body}</body></html>'


class CaseServer:
    """One WSGI app; `role` is "site" (the audited site), "other" or "agency" (someone else's)."""

    def __init__(self, role: str) -> None:
        self.role = role
        self.hits: Counter = Counter()  # (method, path) -> count
        self.lock = threading.Lock()
        self.other_base = ""  # set by serve_pair so the site can link the other servers
        self.agency_base = ""
        self.agency: CaseServer | None = None  # the agency's app, for its hit counts
        self.extra_links: list[str] = []  # added to the home page by a test, e.g. a new #fragment between two runs
        self.more_links: list[str] = []  # when set, on /more, linked last from the home page: found late in a run
        self.user_agents: set[str] = set()
        self.starts: list[float] = []  # when each request arrived, to show the politeness interval
        self.in_flight = self.peak_in_flight = 0

    def count(self, method: str, path: str) -> int:
        with self.lock:
            self.hits[(method, path)] += 1
            return self.hits[(method, path)]

    def __call__(self, environ, start_response):
        request = Request(environ)
        path = unquote(request.path)
        n = self.count(request.method, path)
        with self.lock:
            self.user_agents.add(request.headers.get("User-Agent", ""))
            self.starts.append(time.monotonic())
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            handler = getattr(self, f"{self.role}_app")
            return handler(request, path, n)(environ, start_response)
        finally:
            with self.lock:
                self.in_flight -= 1

    # ------------------------------------------------------------------ the audited site
    def site_app(self, request: Request, path: str, n: int):
        o, a = self.other_base, self.agency_base
        html = lambda title, body, status=200: Response(page(title, body), status, content_type="text/html; charset=utf-8")  # noqa: E731
        if path == "/":
            links = "".join(f'<li><a href="{href}">{href}</a></li>' for href in [
                "/gone-404", "/gone-410", "/flaky", "/rate-limited", "/chain/1", "/loop/a", "/slow", "/soft-404",
                "/huge", "/anchors#missing", "/anchors#%E9%8C%A8%E9%BB%9E", "/anchors#plain", "/fifty",
                f"{o}/challenge", f"{o}/head-hostile", f"{o}/files/report.pdf", f"{o}/private/secret", f"{o}/public",
                f"{a}/soft-404", f"{a}/fine", f"{a}/sections#contact", f"{a}/sections#no-such-section",
                f"{a}/sections#%E6%A5%AD%E5%8B%99", f"{a}/sections#沒有這節", f"{a}/long#early", f"{a}/long#deep",
                f"{a}/report.pdf#page=2", *self.extra_links, *(["/more"] if self.more_links else []),
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
        if path == "/more":
            return html("更多連結", "".join(f'<p><a href="{href}">{href}</a></p>' for href in self.more_links))
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
        if path == "/files/report.pdf":  # a file on a server that refuses HEAD: GET is the fallback
            if request.method == "HEAD":
                return Response("", 405)
            return Response(b"%PDF-1.4\n", 200, content_type="application/pdf")
        if path == "/public":
            return Response(page("公開", "<p>ok</p>"), 200, content_type="text/html; charset=utf-8")
        return Response("nope", 404, content_type="text/plain")

    # ------------------------------------------------------------------ another agency, on its own host
    def agency_app(self, request: Request, path: str, n: int):
        html = lambda title, body: Response(page(title, body), 200, content_type="text/html; charset=utf-8")  # noqa: E731
        if path == "/soft-404":  # a missing page that answers 200
            return html("找不到網頁 - 某某部", "<p>您要找的網頁不存在，請回首頁。</p>")
        if path == "/fine":
            return html("業務簡介", '<p>ok</p><p><a href="/not-followed">another page of theirs</a></p>')
        if path == "/sections":
            return html("組織與業務", '<h2 id="業務">業務</h2><h2 id="contact">聯絡我們</h2>'
                                      '<p><a href="/not-followed">another page of theirs</a></p>')
        if path == "/long":  # an id past the part of the page that is read
            filler = "".join(f"<p>第 {i} 段：{'說明文字' * 50}</p>" for i in range(LONG_PAGE_BYTES // 620))
            return html("很長的公告", f'<h2 id="early">前言</h2>{filler}<h2 id="deep">附錄</h2>')
        if path == "/report.pdf":
            return Response(b"%PDF-1.4\n", 200, content_type="application/pdf")
        if path == "/not-followed":
            return html("不該被讀到", "<p>the checker follows no link on another site's page</p>")
        return Response("nope", 404, content_type="text/plain")


def second_loopback_host() -> str:
    """127.0.0.2 where the machine routes all of 127.0.0.0/8 to loopback (Linux does), else 127.0.0.1:
    on another port it is still another host to the checker, which keys politeness by host:port."""
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.2", 0))
    except OSError:
        return "127.0.0.1"
    return "127.0.0.2"


@contextmanager
def serve(app, host: str = "127.0.0.1"):
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server(host, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@contextmanager
def serve_pair():
    """(site app, site base, other app, other base), both on 127.0.0.1 at free ports; the agency
    server runs beside them as site.agency (its base in site.agency_base)."""
    site, other, agency = CaseServer("site"), CaseServer("other"), CaseServer("agency")
    with serve(other) as other_base, serve(agency, second_loopback_host()) as agency_base, serve(site) as site_base:
        site.other_base, site.agency_base, site.agency = other_base, agency_base, agency
        yield site, site_base, other, other_base


if __name__ == "__main__":
    with serve_pair() as (site, site_base, _, other_base):
        print(f"site: {site_base}/   other: {other_base}/   agency: {site.agency_base}/   (Ctrl+C to stop)")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
