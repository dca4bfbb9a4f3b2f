"""The site answers only the host names it is configured for: any other Host header gets a plain
400 that renders no page, fills no cache and never echoes the host."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from flask import template_rendered

from gongkai.app import create_app
from gongkai.cli import main

PATHS = ("/", "/sitemap.xml", "/metadata.json", "/robots.txt", "/procedures/", "/en/", "/search/?q=x", "/api/v1/datasets")


@pytest.fixture(scope="module")
def app():
    return create_app({"TESTING": True})


def test_a_hundred_unknown_hosts_render_nothing_and_echo_nothing(app) -> None:
    rendered = []
    client = app.test_client()
    with template_rendered.connected_to(lambda sender, template, context, **extra: rendered.append(template.name), app):
        for number in range(100):
            host = f"attacker{number}.example"
            response = client.get(PATHS[number % len(PATHS)], headers={"Host": host})
            assert response.status_code == 400, host
            assert host.encode() not in response.data and b"attacker" not in response.data
            assert response.headers["Cache-Control"] == "no-store"
        assert rendered == []
        assert client.get("/faq/").status_code == 200 and rendered, "a page for a configured host renders (the count works)"


def test_the_configured_hosts_are_answered(app) -> None:
    client = app.test_client()
    for host in ("localhost", "127.0.0.1:5000", "localhost:8080"):
        assert client.get("/", headers={"Host": host}).status_code == 200, host
    public = create_app({"TESTING": True, "BASE_URL": "https://www.example.gov.tw"}).test_client()
    assert public.get("/", base_url="https://www.example.gov.tw").status_code == 200
    assert public.get("/", headers={"Host": "localhost"}).status_code == 400
    sitemap = public.get("/sitemap.xml", base_url="https://www.example.gov.tw").data.decode()
    assert "https://www.example.gov.tw/procedures/" in sitemap


def test_trusted_hosts_setting() -> None:
    from gongkai.web.hosts import HostSettingError, trusted_hosts

    assert trusted_hosts({"BASE_URL": "", "TRUSTED_HOSTS": ""}) == ["localhost", "127.0.0.1", "::1"]
    assert trusted_hosts({"BASE_URL": "https://www.example.gov.tw/", "TRUSTED_HOSTS": ""}) == ["www.example.gov.tw"]
    assert trusted_hosts({"BASE_URL": "", "TRUSTED_HOSTS": "www.example.gov.tw, Example.gov.tw"}) == ["www.example.gov.tw", "example.gov.tw"]
    for bad in (".example.gov.tw", "exa mple.tw", "*"):
        with pytest.raises(HostSettingError, match="TRUSTED_HOSTS"):
            trusted_hosts({"BASE_URL": "", "TRUSTED_HOSTS": bad})


def test_serve_warns_when_public_without_base_url(monkeypatch) -> None:
    from gongkai.cli import public_without_base_url

    settings = {"BASE_URL": "", "TRUSTED_HOSTS": ""}
    assert "GONGKAI_BASE_URL is not set" in public_without_base_url("0.0.0.0", settings)
    assert public_without_base_url("127.0.0.1", settings) == ""
    assert public_without_base_url("0.0.0.0", {**settings, "BASE_URL": "https://www.example.gov.tw"}) == ""
    monkeypatch.setenv("GONGKAI_TRUSTED_HOSTS", ".example.gov.tw")
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code != 0 and "TRUSTED_HOSTS" in result.output and "Traceback" not in result.output


def test_a_negative_proxy_count_is_refused_at_start_not_trusted() -> None:
    """ProxyFix with x_for=-1 would take an X-Forwarded-For entry the client wrote (the limits per address spoofed)."""
    with pytest.raises(ValueError, match="PROXY_COUNT"):
        create_app({"TESTING": True, "PROXY_COUNT": -1})
