"""The host names the site answers for (Flask's TRUSTED_HOSTS).

A request whose Host header is not one of them gets a plain 400, before any page is rendered:
otherwise every new Host header would be a new cache entry and a new absolute URL in the
sitemap, which a caching proxy would then serve to everyone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

LOOPBACK = ("localhost", "127.0.0.1", "::1")
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[?[0-9a-f:.]+\]?")


class HostSettingError(ValueError):
    pass


def trusted_hosts(settings: Mapping[str, Any]) -> list[str]:
    """TRUSTED_HOSTS as a list; empty means BASE_URL's host, or the loopback names without BASE_URL."""
    names = [name.strip().lower() for name in str(settings.get("TRUSTED_HOSTS") or "").split(",") if name.strip()]
    for name in names:
        if name.startswith(".") or not HOST_NAME.fullmatch(name):
            raise HostSettingError(f"TRUSTED_HOSTS: {name!r} is not a host name — list exact names, comma-separated "
                                   "(e.g. www.example.gov.tw,example.gov.tw); a leading dot (every subdomain) is not allowed")
    if names:
        return names
    base = str(settings.get("BASE_URL") or "")
    if base:
        host = urlsplit(base).hostname
        if not host:
            raise HostSettingError(f"BASE_URL: {base!r} has no host name — write it as https://www.example.gov.tw")
        return [host]
    return list(LOOPBACK)


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


def untrusted_host_response() -> Response:
    """The answer to a Host header the site does not own: it names no host and renders nothing."""
    body = ("<!doctype html><html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><title>400 要求有誤 Bad Request</title></head>"
            "<body><main><h1>400 要求有誤（Bad Request）</h1><p>本網站不提供這個網址名稱的服務，請確認網址是否正確。</p>"
            "<p lang=\"en\">This site does not answer for that host name; check the address.</p></main></body></html>")
    return Response(body, status=400, mimetype="text/html", headers={"Cache-Control": "no-store"})


def trust_proxies(app: Flask, count: int) -> None:
    """Behind ``count`` reverse proxies, take the client's address and scheme from their
    X-Forwarded-For / -Proto: otherwise every request seems to come from the proxy, and limits
    counted per address (the mailbox's) would count all citizens as one. 0 trusts no header."""
    if count < 0:
        # ProxyFix with a negative count would take an entry the client itself wrote
        raise ValueError(f"PROXY_COUNT / ADMIN_PROXY_COUNT must be 0 or more (the number of reverse proxies in front), not {count}")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]
