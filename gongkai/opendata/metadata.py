"""Catalog metadata in three vocabularies, from the same packages:

- data.gov.tw: the platform's JSON field names (identifier, categoryCode, fieldDescription …);
- DCAT-AP 3: a JSON-LD catalog with catalog, datasets, distributions, the API as a data
  service, the publisher and catalog records — every property DCAT-AP makes mandatory;
- schema.org ``Dataset``: JSON-LD for each dataset page (search engines).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gongkai.model.codes import Code
from gongkai.opendata.exports import FORMATS, file_name
from gongkai.opendata.packages import LICENCE, LICENCE_URL, Dataset
from gongkai.opendata.vocabularies import PUBLIC_INFORMATION, Terms

ZH = "zh-Hant-TW"
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#", "dcatap": "http://data.europa.eu/r5r/",
    "dcat:accessURL": {"@type": "@id"}, "dcat:downloadURL": {"@type": "@id"}, "dcat:endpointURL": {"@type": "@id"},
    "dcat:endpointDescription": {"@type": "@id"}, "dcat:landingPage": {"@type": "@id"}, "foaf:homepage": {"@type": "@id"},
    "foaf:primaryTopic": {"@type": "@id"}, "dct:license": {"@type": "@id"}, "dct:accrualPeriodicity": {"@type": "@id"},
    "dct:language": {"@type": "@id"}, "dct:format": {"@type": "@id"}, "dcat:mediaType": {"@type": "@id"},
    "dct:issued": {"@type": "xsd:date"}, "dct:modified": {"@type": "xsd:date"}, "dcat:startDate": {"@type": "xsd:date"},
    "dcat:endDate": {"@type": "xsd:date"}, "dcat:byteSize": {"@type": "xsd:nonNegativeInteger"},
    "vcard:hasEmail": {"@type": "@id"}, "vcard:hasTelephone": {"@type": "@id"}, "dct:conformsTo": {"@type": "@id"},
}
LICENCE_EN = "Open Government Data License, version 1.0"


def _zh(text: str) -> dict[str, str]:
    return {"@value": text, "@language": ZH}


def _en(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "en"}


def field_description(dataset: Dataset) -> str:
    """主要欄位說明 as data.gov.tw writes it: 欄位(說明)、…"""
    return "、".join(f"{f.title or f.name}（{f.name}）：{f.description}" for f in dataset.fields)


def datagovtw(dataset: Dataset, rows: int, urls: Callable[[str], str], sizes: dict[str, int]) -> dict[str, Any]:
    """The data.gov.tw metadata record of one dataset. ``urls(kind)`` gives absolute URLs:
    'page', 'api', or an export format key."""
    meta = dataset.meta
    distribution = [{
        "resourceID": f"{dataset.identifier}-{index:03d}",
        "resourceDescription": f"{dataset.title()}（{fmt.label_zh}）",
        "format": fmt.label,
        "characterSetCode": "UTF-8",
        "resourceModified": meta.get("modified"),
        "downloadURL": urls(fmt.key),
        "resourceSize": sizes.get(fmt.key),
    } for index, fmt in enumerate(FORMATS, start=1)]
    distribution.append({"resourceID": f"{dataset.identifier}-{len(FORMATS) + 1:03d}", "resourceDescription": f"{dataset.title()}（API）",
                         "format": "JSON", "characterSetCode": "UTF-8", "resourceModified": meta.get("modified"), "downloadURL": urls("api")})
    return {
        "identifier": dataset.identifier, "title": dataset.title(), "description": dataset.description(),
        "fieldDescription": field_description(dataset), "type": meta.get("type", "rawdata"), "categoryCode": dataset.category,
        "publisher": meta.get("publisher"), "publisherOID": meta.get("publisherOID"),
        "publisherContactName": meta.get("publisherContactName"), "publisherContactPhone": meta.get("publisherContactPhone"),
        "publisherContactEmail": meta.get("publisherContactEmail"), "organization": meta.get("organization"),
        "organizationContactName": meta.get("organizationContactName"), "organizationContactPhone": meta.get("organizationContactPhone"),
        "organizationContactEmail": meta.get("organizationContactEmail"), "accrualPeriodicity": dataset.frequency,
        "license": meta.get("license"), "licenseURL": meta.get("licenseURL"), "cost": meta.get("cost"),
        "keyword": dataset.keywords, "temporalCoverageFrom": meta.get("temporalCoverageFrom"),
        "temporalCoverageTo": meta.get("temporalCoverageTo"), "issued": meta.get("issued"), "modified": meta.get("modified"),
        "spatial": meta.get("spatial"), "language": meta.get("language", "zh-TW"), "landingPage": urls("page"),
        "numberOfData": rows, "notes": "部分數值為示範資料，見資料集描述。" if dataset.sample else "",
        "distribution": distribution,
    }


def dcat_catalog(datasets: list[tuple[Dataset, dict[str, int]]], agency: Any, urls: Callable[[Dataset | None, str], str],
                 modified: str, services: Mapping[str, Code]) -> dict[str, Any]:
    """A DCAT-AP 3 catalog as JSON-LD. ``urls(dataset, kind)`` gives absolute URLs; kind is
    'page', 'api', an export format key, or for dataset None: 'catalog', 'home', 'openapi', 'api'.
    ``services`` is the 服務分類 code list, the datasets' own themes."""
    publisher = agency.base_url + "#organization"
    catalog_id = urls(None, "catalog")
    service_id = urls(None, "api") + "#service"
    terms = Terms(agency.base_url, services)
    licence = terms.licence(LICENCE_URL, LICENCE, LICENCE_EN)
    graph: list[dict[str, Any]] = [{
        "@id": publisher, "@type": ["foaf:Agent", "foaf:Organization"],
        "foaf:name": [_zh(agency.name_zh), _en(agency.name_en)], "dct:identifier": agency.oid,
        "foaf:homepage": terms.document(agency.base_url), "dct:type": terms.publisher_type(),
    }, {
        "@id": service_id, "@type": "dcat:DataService",
        "dct:title": [_zh(f"{agency.name_zh}開放資料 API"), _en(f"{agency.name_en} open data API")],
        "dcat:endpointURL": urls(None, "api"), "dcat:endpointDescription": urls(None, "openapi"),
        "dct:publisher": {"@id": publisher}, "dct:license": licence,
        "dcat:contactPoint": _contact(agency.name_zh, agency.email, agency.phone),
        "dcat:keyword": [_zh("開放資料"), _zh("API"), _en("open data")], "dcat:theme": terms.themes(PUBLIC_INFORMATION),
        "dcat:servesDataset": [{"@id": _dataset_id(urls, d)} for d, _ in datasets],
    }]
    for dataset, sizes in datasets:
        graph += _dcat_dataset(dataset, sizes, urls, terms, publisher, service_id)
    graph.insert(0, {
        "@id": catalog_id, "@type": "dcat:Catalog",
        "dct:title": [_zh(f"{agency.name_zh}開放資料目錄"), _en(f"{agency.name_en} open data catalogue")],
        "dct:description": [_zh(f"{agency.name_zh}依政府資料開放授權條款提供之資料集，含 CSV、ODS、JSON 及 API。"),
                            _en(f"Datasets published by the {agency.name_en} under the Open Government Data License, as CSV, ODS, JSON and an API.")],
        "dct:publisher": {"@id": publisher}, "foaf:homepage": terms.document(urls(None, "home")),
        "dct:issued": min((d.meta["issued"] for d, _ in datasets if d.meta.get("issued")), default=None), "dct:modified": modified,
        "dct:language": [terms.language("zh"), terms.language("en")], "dct:license": licence,
        "dct:spatial": terms.country(), "dcat:themeTaxonomy": terms.schemes(),
        "dcat:dataset": [{"@id": _dataset_id(urls, d)} for d, _ in datasets], "dcat:service": [{"@id": service_id}],
        "dcat:record": [{"@id": _dataset_id(urls, d) + "-record"} for d, _ in datasets],
    })
    return {"@context": DCAT_CONTEXT, "@graph": graph + terms.nodes()}


def _dataset_id(urls: Callable[[Dataset | None, str], str], dataset: Dataset) -> str:
    return urls(dataset, "page") + "#dataset"


def _contact(name: str, email: str, phone: str) -> dict[str, Any]:
    # vcard:Kind stated as well: the range shapes ask for it, and the graph holds no vCard ontology to infer it
    return {"@type": ["vcard:Kind", "vcard:Organization"], "vcard:fn": name, "vcard:hasEmail": "mailto:" + email,
            "vcard:hasTelephone": "tel:+886-" + phone.lstrip("0")}


def _dcat_dataset(dataset: Dataset, sizes: dict[str, int], urls, terms: Terms, publisher: str, service_id: str) -> list[dict[str, Any]]:
    meta, dataset_id = dataset.meta, _dataset_id(urls, dataset)
    licence = terms.licence(meta.get("licenseURL", LICENCE_URL), meta.get("license", LICENCE), LICENCE_EN)
    distributions = []
    for fmt in FORMATS:
        distributions.append({
            "@id": f"{dataset_id}-{fmt.key}", "@type": "dcat:Distribution",
            "dct:title": [_zh(f"{dataset.title()}（{fmt.label_zh}）"), _en(f"{dataset.title('en')} ({fmt.label_en})")],
            "dct:description": [_zh(f"{dataset.title()}之全部資料，格式為 {fmt.label_zh}。"),
                                _en(f"All records of {dataset.title('en')}, as {fmt.label_en}.")],
            "dcat:accessURL": urls(dataset, fmt.key), "dcat:downloadURL": urls(dataset, fmt.key),
            "dct:format": terms.file_type(fmt.label), "dcat:mediaType": terms.media_type(fmt.label),
            "dcat:byteSize": sizes.get(fmt.key, 0), "dct:license": licence, "dct:modified": meta.get("modified"),
            "dcatap:availability": terms.availability(),
        })
    distributions.append({
        "@id": f"{dataset_id}-api", "@type": "dcat:Distribution",
        "dct:title": [_zh(f"{dataset.title()}（API）"), _en(f"{dataset.title('en')} (API)")],
        "dct:description": [_zh(f"{dataset.title()}之 JSON API，可篩選、排序及分頁。"),
                            _en(f"The JSON API of {dataset.title('en')}, with filters, sorting and paging.")],
        "dcat:accessURL": urls(dataset, "api"), "dcat:accessService": {"@id": service_id},
        "dct:format": terms.file_type("JSON"), "dcat:mediaType": terms.media_type("JSON"), "dct:license": licence,
        "dcatap:availability": terms.availability(),
    })
    contact = _contact(meta.get("organizationContactName", ""), meta.get("organizationContactEmail", ""),
                       meta.get("organizationContactPhone", ""))
    record = {"@id": dataset_id + "-record", "@type": "dcat:CatalogRecord", "foaf:primaryTopic": dataset_id,
              "dct:modified": meta.get("modified"), "dct:issued": meta.get("issued"), "dct:conformsTo": terms.standard(),
              "adms:status": terms.record_status(meta.get("issued"), meta.get("modified"))}
    node = {
        "@id": dataset_id, "@type": "dcat:Dataset",
        "dct:title": [_zh(dataset.title()), _en(dataset.title("en"))],
        "dct:description": [_zh(dataset.description()), _en(dataset.description("en"))],
        "dct:identifier": dataset.identifier, "dcat:keyword": [_zh(k) for k in dataset.keywords],
        "dct:publisher": {"@id": publisher}, "dcat:contactPoint": contact,
        "dct:issued": meta.get("issued"), "dct:modified": meta.get("modified"),
        "dct:accrualPeriodicity": terms.frequency(dataset.frequency),
        "dct:temporal": {"@type": "dct:PeriodOfTime", "dcat:startDate": meta.get("temporalCoverageFrom"),
                         "dcat:endDate": meta.get("temporalCoverageTo")},
        "dct:language": terms.language("zh"), "dcat:landingPage": terms.document(urls(dataset, "page")),
        "dct:spatial": {"@type": "dct:Location", "rdfs:label": _zh(meta.get("spatial", ""))},
        "dcat:theme": terms.themes(dataset.category),
        "dcat:distribution": [{"@id": d["@id"]} for d in distributions],
    }
    return [node, *distributions, record]


def schema_org(dataset: Dataset, lang: str, urls: Callable[[str], str], sizes: dict[str, int], agency: Any) -> dict[str, Any]:
    """schema.org Dataset for the dataset page's JSON-LD."""
    meta = dataset.meta
    return {
        "@type": "Dataset", "@id": urls("page") + "#dataset", "name": dataset.title(lang), "description": dataset.description(lang),
        "identifier": dataset.identifier, "url": urls("page"), "keywords": dataset.keywords, "inLanguage": "zh-Hant-TW",
        "license": meta.get("licenseURL"), "isAccessibleForFree": True,
        "creator": {"@id": agency.base_url + "#organization"}, "publisher": {"@id": agency.base_url + "#organization"},
        "datePublished": meta.get("issued"), "dateModified": meta.get("modified"),
        "temporalCoverage": f"{meta.get('temporalCoverageFrom')}/{meta.get('temporalCoverageTo')}",
        "spatialCoverage": meta.get("spatial"),
        "variableMeasured": [{"@type": "PropertyValue", "name": f.name, "alternateName": f.title, "description": f.description}
                             for f in dataset.fields],
        "distribution": [{"@type": "DataDownload", "name": file_name(dataset.id, fmt), "encodingFormat": fmt.mimetype.split(";")[0],
                          "contentUrl": urls(fmt.key), "contentSize": f"{sizes.get(fmt.key, 0)} B"} for fmt in FORMATS],
    }
