"""gongkai/model/single.py: one document validated as `gongkai check` validates the folder — the same
verdict and codes on the demo's own files — plus the editing form's rule: no markup in titles,
summaries and bodies."""

from __future__ import annotations

from functools import cache

import pytest

from gongkai.model import load_content
from gongkai.model.single import validate_document
from tests.demo_content import DEMO_CONTENT

STATISTICS = "docs/zh/statistics/stats-111-complaints.md"


@cache
def demo():
    corpus, report = load_content(DEMO_CONTENT)
    assert corpus is not None and report.valid, report.lines()
    return corpus


def text_of(path: str) -> str:
    return (DEMO_CONTENT / path).read_text(encoding="utf-8")


def codes(text: str, path: str = STATISTICS) -> set[str]:
    return {problem.code for problem in validate_document(text, path, demo())[1]}


def test_every_demo_document_is_valid_on_its_own_as_in_the_folder():
    corpus = demo()
    for doc in corpus.all_documents[:400]:
        valid, problems = validate_document(text_of(doc.path), doc.path, corpus)
        assert valid is not None and not problems, (doc.path, [str(p) for p in problems])


@pytest.mark.parametrize(("old", "new", "code"), [
    ("unit: sec6", "unit: sec99", "content.unknown-code"),
    ("published: 2023-01-17", "published: 2023-13-17", "content.bad-date"),
    ("category: D07\n", "category: D07\ncolour: red\n", "content.unknown-field"),
    ("  reviewer: 鄭○○", "  reviewer: 許○○", "content.reviewer-is-author"),
    ("id: stats-111-complaints", "id: stats-111-online-services", "content.duplicate-id"),
])
def test_the_problems_are_gongkai_checks_own(old, new, code):
    assert code in codes(text_of(STATISTICS).replace(old, new))


def test_a_problem_between_documents_is_reported_on_its_line_not_raised():
    # cross_check's line_of was given a dict: every mistyped translation or form id crashed the save
    path = "docs/zh/page/security.md"
    valid, problems = validate_document(text_of(path).replace("translation: security", "translation: no-such-twin"), path, demo())
    assert valid is None and [(p.code, p.line) for p in problems] == [("content.missing-translation", 5)]


def test_sources_are_required_exactly_where_the_model_requires_them():
    """資料來源: the form's required marker and the refusal follow the model's own min_length."""
    from pydantic import Field
    from pydantic.fields import FieldInfo

    from gongkai.admin.editing.fields import form_fields, spec
    from gongkai.model.documents import KINDS, Source

    for kind in KINDS:  # no kind of documents.py requires them today
        assert next(s for s in form_fields(kind) if s.name == "sources").required is False
    required = FieldInfo.from_annotated_attribute(list[Source], Field(min_length=1))
    assert spec("sources", required).required is True
    text = text_of(STATISTICS)
    without = text[: text.index("sources:")] + text[text.index("review:"):]
    assert codes(without) == set()  # the model lets a statistics page of the agency's own figures go without


@pytest.mark.parametrize("text", ["<b>粗體</b>", "<!-- x -->", "javascript:alert(1)", "<svg onload=alert(1)>"])
def test_markup_is_refused_in_a_title(text):
    assert codes(text_of(STATISTICS).replace("title: 111年度民眾意見處理統計", f"title: '{text}'")) == {"content.markup-in-text"}


def test_plain_comparison_signs_are_not_markup():
    assert codes(text_of(STATISTICS).replace("title: 111年度民眾意見處理統計", "title: 件數 < 100 與 > 50 的比較")) == set()
