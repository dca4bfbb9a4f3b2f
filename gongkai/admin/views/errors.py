"""The back office's error pages, for the web layer's one error handler. On a form that was
sent, what the person typed is shown back to them (never a password or code), so an expired
form or a server error does not lose their text."""

from __future__ import annotations

from flask import Response, g, make_response, request

from gongkai.admin.forms import zh
from gongkai.admin.views import pages

TEXTS = {400: ("admin.bad_request", "admin.bad_request_text"), 403: ("admin.forbidden", "admin.forbidden_text"),
         404: ("admin.not_found", "admin.not_found_text"), 405: ("admin.bad_request", "admin.bad_request_text"),
         413: ("admin.bad_request", "admin.too_large_text"), 500: ("admin.server_error", "admin.server_error_text")}
SECRET_FIELDS = ("password", "code", "csrf_token", "secret", "token")
SHOWN_MAX = 20


def typed_values() -> list[tuple[str, str]]:
    if request.method != "POST":
        return []
    try:
        form = request.form
    except Exception:  # noqa: BLE001 - a body too large or malformed to read: nothing to show
        return []
    values = [(name, value) for name, value in form.items(multi=True)
              if value.strip() and not any(secret in name.lower() for secret in SECRET_FIELDS)]
    return values[:SHOWN_MAX]


def render(status: int, detail: str | None) -> Response:
    # the texts are the back office's own (werkzeug's descriptions are English and technical)
    title_key, text_key = TEXTS.get(status, TEXTS[500] if status >= 500 else TEXTS[400])
    text = zh("admin.form_expired") if status == 400 and detail and "CSRF" in detail else zh(text_key)
    if (database := g.get("admin_db")) is not None:
        database.rollback()  # whatever failed is not committed, and the page can still read
    html, code = pages.render("admin/error.html", zh(title_key), status, text=text, typed=typed_values())
    return make_response(html, code)
