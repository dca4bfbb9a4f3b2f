"""`gongkai publish-due`: the back office's scheduled publications, outside a web request.

The pre-publication checks render the preview through the site's views, which need an
application and a request; the command builds the back office's own app for that."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gongkai.admin.editing.service import gate_text
from gongkai.admin.workflow.publishing import publish_due
from gongkai.web import current_corpus


def publish_due_now(config: Mapping[str, Any] | None = None) -> list[str]:
    from gongkai.admin import create_app

    app = create_app(config)
    office = app.extensions["gongkai.admin"]
    try:
        with app.test_request_context("/admin/"):
            return publish_due(office.sessions, Path(app.config["CONTENT_DIR"]), current_corpus(), gate_text)
    finally:
        office.engine.dispose()
