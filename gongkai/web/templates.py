"""Template globals and filters shared by every page."""

from __future__ import annotations

from typing import Any

from flask import Flask
from markupsafe import Markup

from gongkai.clock import local_date, local_minute, local_time
from gongkai.model.corpus import file_size as _bytes
from gongkai.model.markdown import render_markdown
from gongkai.web.content import current_corpus
from gongkai.web.i18n import html_lang, lang, lurl
from gongkai.web.labels import t
from gongkai.web.render import doc_url


def markdown(text: str) -> Markup:
    return Markup(render_markdown(text))  # sanitised by nh3 in render_markdown


def format_bytes(size: float | None) -> str:
    """A file size as people read it on a download link: 812 B, 3.2 KB, 1.4 MB."""
    if size is None:
        return "—"
    for unit in ("B", "KB", "MB"):
        if size < 1024 or unit == "MB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def human_size(attachment: Any) -> str:
    return format_bytes(_bytes(current_corpus(), attachment))


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(doc_url=doc_url, markdown=markdown, file_size=human_size, number=number, t=t, lurl=lurl,
                                 local_time=local_time, local_minute=local_minute, local_date=local_date)  # stored UTC, shown in Taipei time
    app.jinja_env.filters["attach_pair"] = lambda attachment: (attachment, False)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def language() -> dict[str, Any]:
        return {"lang": lang(), "html_lang": html_lang(lang())}
