"""Each contract is written once, in gongkai: the site, the product's audits and the CI gate all
follow the one copy, so they cannot disagree."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from lxml import html

from gongkai.app import create_app
from gongkai.audits.accessibility.conventions import convention_findings
from gongkai.cli import main

REPO = Path(__file__).resolve().parent.parent
# Written here from the rule itself (行政機關電子資料流通詮釋資料及分類檢索規範 and MyEGov practice),
# not imported from the code: the 15 Dublin Core elements, the three classifications, the keywords.
SPEC_TAGS = {"DC.Title", "DC.Creator", "DC.Subject", "DC.Description", "DC.Contributor", "DC.Type", "DC.Format", "DC.Source",
             "DC.Language", "DC.coverage.t.min", "DC.coverage.t.max", "DC.Publisher", "DC.Date", "DC.Identifier",
             "DC.Relation", "DC.Rights", "Category.Theme", "Category.Cake", "Category.Service", "Keywords"}
SPEC_KEYS = {"U", "C", "Z", "S"}


def home_page() -> str:
    return create_app({"TESTING": True}).test_client().get("/").get_data(as_text=True)


def test_the_site_writes_every_tag_and_key() -> None:
    page = html.fromstring(home_page())
    assert {m.get("name") for m in page.iter("meta") if m.get("name") in SPEC_TAGS} == SPEC_TAGS
    assert {a.get("accesskey") for a in page.xpath("//*[@accesskey]")} == SPEC_KEYS


def test_the_product_audit_checks_every_tag_and_key_the_site_writes() -> None:
    """The audit missed Keywords and the S key while the site and the gate had them."""
    source = home_page()
    assert convention_findings("http://x/", source) == []
    without_keywords = source.replace('name="Keywords"', 'name="keywords-removed"')
    assert any("Keywords" in f.message for f in convention_findings("http://x/", without_keywords))
    without_s = source.replace('accesskey="S"', "")
    assert any("“S”" in f.message for f in convention_findings("http://x/", without_s))


def test_the_tag_list_and_the_open_formats_are_written_once() -> None:
    """No second copy of the lists anywhere in the package (a copy is how they came to disagree)."""
    holders = {path.relative_to(REPO).as_posix() for path in (REPO / "gongkai").rglob("*.py")
               if "DC.coverage.t.min" in path.read_text(encoding="utf-8")}
    assert holders == {"gongkai/conventions.py"}
    literal_list = re.compile(r"^\s*(OPEN_FORMATS|OPEN_EXTENSIONS|CLOSED_FORMATS|ACCESS_KEYS|META_\w+)\s*(:[^=]*)?=\s*[{(\[]\s*['\"]", re.M)
    holders = {path.relative_to(REPO).as_posix() for path in [*(REPO / "gongkai").rglob("*.py"), *(REPO / "a11y_tests").rglob("*.py")]
               if literal_list.search(path.read_text(encoding="utf-8"))}
    assert holders == {"gongkai/conventions.py"}


def test_browser_paths_are_settings() -> None:
    listed = CliRunner().invoke(main, ["settings"]).output
    for name in ("GONGKAI_CHROMIUM=", "GONGKAI_CHROMEDRIVER=", "GONGKAI_NODE_MODULES=", "GONGKAI_TRUSTED_HOSTS="):
        assert name in listed
    assert not (REPO / "a11y_tests" / "pa11yci.json").exists(), "pa11y-ci's configuration comes from the product's settings"
