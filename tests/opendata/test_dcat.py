"""The DCAT-AP 3 catalogue (/api/v1/catalog.jsonld) against the official SEMIC DCAT-AP 3.0.1
shapes in dcat-ap-3.0.1/, run as a harvesting portal runs them: pyshacl with RDFS inference."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, Node, URIRef

# plain namespaces: pytest's collection probes module attributes, and rdflib's closed ones warn
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SHAPES = Path(__file__).with_name("dcat-ap-3.0.1")
BASE = ("shapes.ttl",)
BASE_AND_RANGE = ("shapes.ttl", "range.ttl")
RECOMMENDED = ("shapes_recommended.ttl",)
EU_THEMES = URIRef("http://publications.europa.eu/resource/authority/data-theme")
# Recommended properties left out on purpose, as (class of the focus node, property): a bounding
# box and centroid of each place (the service area 臺南市、嘉義縣市、雲林縣, Taiwan) would be
# geometry nobody here maintains, and the API follows no published standard that dct:conformsTo
# could name (its OpenAPI document is its dcat:endpointDescription).
ACCEPTED_WARNINGS = {(DCTERMS.Location, DCAT.bbox), (DCTERMS.Location, DCAT.centroid), (DCAT.DataService, DCTERMS.conformsTo)}


@pytest.fixture(scope="module")
def catalog_text(demo_app) -> str:
    response = demo_app.test_client().get("/api/v1/catalog.jsonld")
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    return response.get_data(as_text=True)


@pytest.fixture
def catalog(catalog_text) -> Graph:
    """A fresh graph per test: some tests break it on purpose."""
    return Graph().parse(data=catalog_text, format="json-ld")


@functools.cache
def _shapes(names: tuple[str, ...]) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(SHAPES / name)
    return graph


Result = tuple[Node, Node, Node | None, Node | None]  # focus node, path, value, message


def _results(data: Graph, names: tuple[str, ...], severity: URIRef = SH.Violation) -> list[Result]:
    """The SHACL results of that severity (sh:Violation, sh:Warning)."""
    _, report, _ = validate(data, shacl_graph=_shapes(names), inference="rdfs")
    return [tuple(report.value(r, p) for p in (SH.focusNode, SH.resultPath, SH.value, SH.resultMessage))
            for r in report.subjects(SH.resultSeverity, severity)]


def _explain(data: Graph, results: list[Result], names: tuple[str, ...]) -> str:
    """One line per result, for a person reading the failure: focus node, path = value: message."""

    def short(node: Node | None) -> str:
        return "-" if node is None else node.n3(data.namespace_manager)

    lines = sorted(f"{short(focus)} {short(path)} = {short(value)}: {message}" for focus, path, value, message in results)
    return f"{len(lines)} result(s) of {' + '.join(names)}:\n" + "\n".join(lines)


def _paths(results: list[Result]) -> set[Node]:
    return {path for _, path, _, _ in results}


def test_catalog_holds_every_published_dataset(catalog, client) -> None:
    count = client.get("/api/v1/datasets").get_json()["count"]
    assert len(list(catalog.subjects(RDF.type, DCAT.Catalog))) == 1
    assert len(list(catalog.subjects(RDF.type, DCAT.Dataset))) == count
    assert len(list(catalog.subjects(RDF.type, DCAT.Distribution))) == count * 5  # 4 files + the API
    assert len(list(catalog.subjects(RDF.type, DCAT.DataService))) == 1
    assert len(list(catalog.subjects(RDF.type, DCAT.CatalogRecord))) == count


def test_catalog_conforms_to_the_official_base_shapes(catalog) -> None:
    violations = _results(catalog, BASE)
    assert not violations, _explain(catalog, violations, BASE)


def test_catalog_conforms_to_the_official_base_and_range_shapes(catalog) -> None:
    violations = _results(catalog, BASE_AND_RANGE)
    assert not violations, _explain(catalog, violations, BASE_AND_RANGE)


def test_recommended_properties_are_given_but_the_accepted_few(catalog) -> None:
    warnings = _results(catalog, RECOMMENDED, SH.Warning)
    unexpected = [w for w in warnings if not any((cls, w[1]) in ACCEPTED_WARNINGS for cls in catalog.objects(w[0], RDF.type))]
    assert not unexpected, _explain(catalog, unexpected, RECOMMENDED)
    print(_explain(catalog, warnings, RECOMMENDED))  # shown with -s: what a portal would warn about


def test_each_dataset_has_an_eu_data_theme_and_its_service_classification_as_concepts(catalog, client) -> None:
    codes = {d["identifier"]: d["categoryCode"] for d in client.get("/api/v1/datasets").get_json()["datasets"]}
    schemes = set(catalog.objects(None, DCAT.themeTaxonomy))
    assert EU_THEMES in schemes and len(schemes) == 2
    for dataset in catalog.subjects(RDF.type, DCAT.Dataset):
        themes = list(catalog.objects(dataset, DCAT.theme))
        assert themes and all(isinstance(t, URIRef) for t in themes), (dataset, themes)
        for theme in themes:
            assert (theme, RDF.type, SKOS.Concept) in catalog and catalog.value(theme, SKOS.prefLabel), theme
            assert catalog.value(theme, SKOS.inScheme) in schemes, theme
        eu = [t for t in themes if catalog.value(t, SKOS.inScheme) == EU_THEMES]
        own = [t for t in themes if catalog.value(t, SKOS.inScheme) != EU_THEMES]
        assert len(eu) == 1 and len(own) == 1, themes
        assert str(catalog.value(own[0], SKOS.notation)) == codes[str(catalog.value(dataset, DCTERMS.identifier))]


def test_service_classification_concepts_name_the_sites_browse_pages(catalog, client, corpus) -> None:
    base = corpus.agency.base_url
    concepts = [c for c in catalog.subjects(RDF.type, SKOS.Concept) if str(c).startswith(base)]
    assert concepts
    for concept in concepts:
        page = str(concept).removeprefix(base).removesuffix("#concept")
        assert client.get(page).status_code == 200, page


def test_every_service_classification_code_has_an_eu_data_theme(corpus) -> None:
    # imported here, so that the shape tests above still run and list violations without this module
    from gongkai.opendata.vocabularies import EU_THEME_LABELS, SERVICE_THEMES

    assert set(SERVICE_THEMES) == set(corpus.codes["services"])
    assert set(SERVICE_THEMES.values()) <= set(EU_THEME_LABELS)


def test_the_base_shapes_catch_a_theme_given_as_text(catalog) -> None:
    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    catalog.remove((dataset, DCAT.theme, None))
    catalog.add((dataset, DCAT.theme, Literal("服務分類 I00", lang="zh-Hant-TW")))
    violations = _results(catalog, BASE)
    assert _paths(violations) == {DCAT.theme}, _explain(catalog, violations, BASE)


def test_the_range_shapes_catch_a_value_without_its_class(catalog) -> None:
    catalog.remove((None, RDF.type, DCTERMS.LicenseDocument))
    assert not _results(catalog, BASE)
    violations = _results(catalog, BASE_AND_RANGE)
    assert _paths(violations) == {DCTERMS.license}, _explain(catalog, violations, BASE_AND_RANGE)


def test_the_base_shapes_catch_a_missing_mandatory_property(catalog) -> None:
    dataset = next(catalog.subjects(RDF.type, DCAT.Dataset))
    catalog.remove((dataset, DCTERMS.title, None))
    distribution = next(catalog.subjects(RDF.type, DCAT.Distribution))
    catalog.remove((distribution, DCAT.accessURL, None))
    violations = _results(catalog, BASE)
    assert _paths(violations) == {DCTERMS.title, DCAT.accessURL}, _explain(catalog, violations, BASE)
