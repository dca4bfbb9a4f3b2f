"""The data pages: the catalogue (filters work as a plain GET form, no JavaScript) and one
page per dataset (metadata, fields, preview, downloads, API examples, chart for statistics),
plus the download route for the export files.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, url_for

from gongkai.opendata.api import built, sizes_of, urls_of
from gongkai.opendata.chart import bar_chart, chart_items
from gongkai.opendata.exports import FORMATS, file_name
from gongkai.opendata.metadata import schema_org
from gongkai.opendata.packages import FREQUENCIES, FREQUENCY_EN, Dataset
from gongkai.opendata.store import Query
from gongkai.web import EN, absolute, current_corpus, format_bytes, lang, listing_info, lurl, render_page, t

bp = Blueprint("opendata", __name__, template_folder="templates", static_folder="static", static_url_path="/opendata/static")
files_bp = Blueprint("opendata_files", __name__)
PREVIEW_ROWS = 10
FORMAT_CHOICES = ("CSV", "ODS", "JSON", "API")


def frequency_label(value: str) -> str:
    return FREQUENCY_EN.get(value, value) if lang() == EN else value


def _service_name(code: str) -> str:
    entry = current_corpus().code("services", code)
    return entry.name(lang()) if entry else code


def _matches(dataset: Dataset, category: str, fmt: str, frequency: str, words: str, overdue: bool) -> bool:
    if category and dataset.category != category:
        return False
    if fmt and fmt not in FORMAT_CHOICES:
        return False
    if frequency and dataset.frequency != frequency:
        return False
    if overdue and not dataset.overdue():
        return False
    title = f"{dataset.title()} {dataset.title('en')}".lower()
    return all(word in title for word in words.lower().split())


@bp.get("/opendata/")
def index():
    state = built()
    everything = state.ordered()
    chosen = {key: request.args.get(key, "").strip()[:100] for key in ("category", "format", "frequency", "q")}
    overdue = request.args.get("overdue") == "1"
    shown = [d for d in everything if _matches(d, chosen["category"], chosen["format"], chosen["frequency"], chosen["q"], overdue)]
    categories = sorted({d.category for d in everything})
    frequencies = [f for f in FREQUENCIES if any(d.frequency == f for d in everything)]
    title = t("opendata.open_data")
    info = listing_info(title, t("opendata.catalogue_intro"), [], keywords=("開放資料", "open data", "資料集"),
                        when=max((d.modified for d in everything), default=None))
    return render_page("opendata/index.html", info, datasets=shown, total=len(everything), chosen=chosen, overdue=overdue,
                       categories=[(c, _service_name(c)) for c in categories], formats=FORMAT_CHOICES,
                       frequencies=[(f, frequency_label(f)) for f in frequencies], service_name=_service_name,
                       frequency_label=frequency_label)


@bp.get("/opendata/<dataset_id>/")
def dataset(dataset_id: str):
    state = built()
    found = state.datasets.get(dataset_id)
    if found is None:
        abort(404)
    number, count = state.tables[found.id]
    preview, _, _ = state.store.page(number, Query(limit=PREVIEW_ROWS), found.fields)
    chart = _chart(state, found) if found.is_statistics else None
    sizes = sizes_of(state, found)
    urls = urls_of(found)
    downloads = [(fmt, url_for("opendata_files.download", filename=file_name(found.id, fmt)), format_bytes(sizes.get(fmt.key)))
                 for fmt in FORMATS]
    example_field = next((f for f in found.fields if f.type == "string"), found.fields[0])
    example_value = str(preview[0][found.fields.index(example_field)]) if preview else ""
    api = {
        "rows": absolute(url_for("opendata_api.rows", dataset_id=found.id, _limit=10)),
        "filter": absolute(url_for("opendata_api.rows", dataset_id=found.id, **{f"{example_field.name}__contains": example_value[:4]})),
        "csv": absolute(url_for("opendata_api.rows_csv", dataset_id=found.id)),
        "meta": absolute(url_for("opendata_api.datagovtw_record", dataset_id=found.id)),
        "openapi": absolute(url_for("opendata_api.openapi")),
        "dcat": absolute(url_for("opendata_api.catalog")),
    }
    info = listing_info(found.title(lang()), found.description(lang()), [], keywords=tuple(found.keywords), when=found.modified)
    jsonld = [schema_org(found, lang(), urls, sizes, current_corpus().agency)]
    return render_page("opendata/dataset.html", info, breadcrumbs=[(t("opendata.open_data"), lurl("opendata.index"))], jsonld=jsonld,
                       dataset=found, rows=count, preview=preview, chart=chart, downloads=downloads, api=api,
                       service_name=_service_name, frequency_label=frequency_label, cell=_cell)


def _chart(state: Any, found: Dataset) -> Any:
    number, _ = state.tables[found.id]
    every, _, _ = state.store.page(number, Query(limit=500), found.fields)
    value_field = found.field(found.descriptor["chart"].get("value", ""))
    label = value_field.label(lang()) if value_field else ""
    return bar_chart(found.title(lang()), label, chart_items(found, [list(r) for r in every]), lang())


@bp.get("/opendata/<dataset_id>/chart.svg")
def chart(dataset_id: str):
    """The chart as an SVG file (shown with <img alt>; the page has the same figures as a table)."""
    state = built()
    found = state.datasets.get(dataset_id)
    drawn = _chart(state, found) if found is not None and found.is_statistics else None
    if drawn is None:
        abort(404)
    return Response(render_template("opendata/chart.svg", chart=drawn), mimetype="image/svg+xml")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


@files_bp.get("/opendata/files/<filename>")
def download(filename: str):
    """Only the exports of published datasets, from the current build."""
    state = built()
    known = {file_name(d.id, fmt) for d in state.datasets.values() for fmt in FORMATS}
    if filename not in known or not (state.exports / filename).is_file():
        abort(404)
    fmt = next(f for f in FORMATS if filename.endswith(f.suffix) and filename[: -len(f.suffix)] in state.datasets)
    response = send_from_directory(state.exports, filename, as_attachment=True, mimetype=fmt.mimetype.split(";")[0], max_age=3600)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def sitemap_urls(corpus: Any, language: str):
    yield "opendata.index", {}
    for dataset_id in sorted(current_app.extensions["gongkai.opendata"].current().datasets):
        yield "opendata.dataset", {"dataset_id": dataset_id}


def frozen_files(corpus: Any):
    """What `gongkai freeze` writes besides the pages: exports, charts and the API's fixed documents."""
    state = built()
    for dataset_id, found in sorted(state.datasets.items()):
        for fmt in FORMATS:
            if (state.exports / file_name(dataset_id, fmt)).is_file():
                yield "opendata_files.download", {"filename": file_name(dataset_id, fmt)}
        if found.is_statistics:
            for language_endpoint in ("opendata.chart", "opendata_en.chart"):
                yield language_endpoint, {"dataset_id": dataset_id}
    # /api/v1/datasets and /api/v1/datasets/<id> would need a file and a folder of one name: the
    # per-dataset API stays dynamic; the catalog holds the same metadata as one file
    for endpoint in ("opendata_api.catalog", "opendata_api.openapi"):
        yield endpoint, {}
