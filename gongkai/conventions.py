"""The Taiwanese e-government conventions that several parts produce or check, each written once:
the site writes them, the content model enforces them, and the audits and the CI accessibility
gate check for them — all from these tables. Pure data: nothing here imports Flask.
"""

from __future__ import annotations

import posixpath

# The meta tags of every page, in this order (行政機關電子資料流通詮釋資料及分類檢索規範): the 15
# Dublin Core elements, all mandatory (DC.Coverage written as its two time bounds), then the three
# national classifications (主題 / 施政 / 服務) and the keywords, as agencies write them for MyEGov.
META_TAGS = (
    "DC.Title", "DC.Creator", "DC.Subject", "DC.Description", "DC.Contributor", "DC.Type", "DC.Format", "DC.Source",
    "DC.Language", "DC.coverage.t.min", "DC.coverage.t.max", "DC.Publisher", "DC.Date", "DC.Identifier", "DC.Relation",
    "DC.Rights", "Category.Theme", "Category.Cake", "Category.Service", "Keywords",
)

# The 導盲磚 access keys: each opens its block with a ":::" link; the 網站導覽 page explains them.
# key → (label of the site.* namespace naming the block, the block in English for audit messages)
ACCESS_KEYS: dict[str, tuple[str, str]] = {
    "U": ("site.top_block", "top block (上方功能區塊)"),
    "S": ("site.search_site", "site search (網站搜尋)"),
    "C": ("site.main_block", "main content (中央內容區塊)"),
    "Z": ("site.bottom_block", "footer (下方功能區塊)"),
}

# Files that are open formats (readable without specific software; Freego ME1320200C): suffix → name.
OPEN_FORMATS: dict[str, str] = {
    ".odt": "ODT", ".ods": "ODS", ".odp": "ODP", ".odg": "ODG", ".pdf": "PDF", ".html": "HTML", ".htm": "HTML",
    ".csv": "CSV", ".json": "JSON", ".jsonld": "JSON-LD", ".geojson": "GeoJSON", ".xml": "XML", ".rdf": "RDF",
    ".ttl": "Turtle", ".txt": "TXT",
}
# Office and other closed formats: offered only beside an open-format twin of the same name.
CLOSED_FORMATS = frozenset({".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".rtf", ".wpd", ".hwp"})


def open_twin_suffix(suffix: str) -> str:
    """The ODF suffix a closed-format file's open twin would have (.docx → .odt, .xlsx → .ods …)."""
    return {".xls": ".ods", ".xlsx": ".ods", ".ppt": ".odp", ".pptx": ".odp"}.get(suffix.lower(), ".odt")


def closed_without_open_twin(paths: list[str]) -> list[str]:
    """The paths among ``paths`` (URL paths or file names) in a closed format with no open-format
    file of the same name beside them, in order, each once: what a page must not offer alone."""
    suffixes: dict[str, set[str]] = {}
    for path in paths:
        stem, suffix = posixpath.splitext(path)
        suffixes.setdefault(stem, set()).add(suffix.lower())
    return [path for path in dict.fromkeys(paths)
            if posixpath.splitext(path)[1].lower() in CLOSED_FORMATS
            and not suffixes[posixpath.splitext(path)[0]] & OPEN_FORMATS.keys()]
