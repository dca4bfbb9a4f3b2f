"""The controlled vocabularies the DCAT-AP catalogue refers to, described inside the catalogue.

DCAT-AP's range shapes check the class of every value — a licence is a dct:LicenseDocument, a
media type a dct:MediaType, a theme a skos:Concept with a label — in the harvested graph alone:
a harvester does not dereference the IRIs. So each value is an IRI of the authority that keeps
the list (IANA, the EU Publications Office, ADMS), and the catalogue states its class once.

Themes: a dataset gets two. The EU data theme is what European portals filter by and the one
vocabulary DCAT-AP names for dcat:theme; the 服務分類 code is data.gov.tw's own classification,
which publishes no IRIs, so it becomes a concept of the agency's scheme, whose IRIs name the
site's browse pages of that classification (``/browse/service/<code>/``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gongkai.model.codes import Code
from gongkai.opendata.packages import DCAT_FREQUENCY

ZH = "zh-Hant-TW"
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
ADMS = "http://purl.org/adms/"
MEDIA_TYPES = {"CSV": "text/csv", "ODS": "application/vnd.oasis.opendocument.spreadsheet", "JSON": "application/json"}
LANGUAGES = {"zh": "ZHO", "en": "ENG"}
EU_THEMES = EU + "data-theme"
EU_THEME_LABELS = {
    "ECON": "Economy and finance", "EDUC": "Education, culture and sport", "GOVE": "Government and public sector",
    "HEAL": "Health", "JUST": "Justice, legal system and public safety", "SOCI": "Population and society", "TRAN": "Transport",
}
# each 服務分類 (a citizen's life event) → the nearest of the EU's data themes (a policy domain)
SERVICE_THEMES = {
    "100": "HEAL", "200": "SOCI", "300": "EDUC", "400": "GOVE", "500": "SOCI", "600": "ECON", "700": "SOCI",
    "800": "ECON", "900": "EDUC", "A00": "TRAN", "B00": "HEAL", "C00": "SOCI", "D00": "GOVE", "E00": "JUST",
    "F00": "SOCI", "G00": "SOCI", "H00": "SOCI", "I00": "GOVE",
}
# the API's own 服務分類: 公共資訊, like the agency's other public information
PUBLIC_INFORMATION = "I00"
# a code the table does not know still gets a theme: everything the agency publishes is public-sector data
DEFAULT_THEME = "GOVE"
DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/"


def _zh(text: str) -> dict[str, str]:
    return {"@value": text, "@language": ZH}


def _en(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "en"}


class Terms:
    """The vocabulary resources one catalogue refers to. Each method returns a reference
    (``{"@id": iri}``) and remembers the resource, so ``nodes()`` describes each one once."""

    def __init__(self, base_url: str, services: Mapping[str, Code]) -> None:
        self._services = services
        self._scheme = f"{base_url}/browse/service/#scheme"
        self._concept_base = f"{base_url}/browse/service/"
        self._nodes: dict[str, dict[str, Any]] = {}

    def _ref(self, iri: str, node: dict[str, Any]) -> dict[str, str]:
        self._nodes.setdefault(iri, {"@id": iri, **node})
        return {"@id": iri}

    def _concept(self, iri: str, labels: list[dict[str, str]], scheme: str | None = None, notation: str | None = None) -> dict[str, str]:
        node = {"@type": "skos:Concept", "skos:prefLabel": labels, "skos:notation": notation,
                "skos:inScheme": {"@id": scheme} if scheme else None}
        return self._ref(iri, {k: v for k, v in node.items() if v is not None})

    def nodes(self) -> list[dict[str, Any]]:
        return list(self._nodes.values())

    def licence(self, url: str, title_zh: str, title_en: str) -> dict[str, str]:
        # 政府資料開放授權條款 lets anyone reuse the data on condition of attribution
        kind = self._concept(ADMS + "licencetype/Attribution", [_en("Attribution")])
        return self._ref(url, {"@type": "dct:LicenseDocument", "dct:title": [_zh(title_zh), _en(title_en)], "dct:type": kind})

    def media_type(self, label: str) -> dict[str, str]:
        return self._ref(IANA + MEDIA_TYPES[label], {"@type": "dct:MediaType"})

    def file_type(self, label: str) -> dict[str, str]:
        return self._ref(EU + "file-type/" + label, {"@type": "dct:MediaTypeOrExtent"})

    def language(self, lang: str) -> dict[str, str]:
        return self._ref(EU + "language/" + LANGUAGES[lang], {"@type": "dct:LinguisticSystem"})

    def frequency(self, frequency: str) -> dict[str, str]:
        """``frequency`` is data.gov.tw's 更新頻率 (每月, 不定期更新 …)."""
        return self._ref(EU + "frequency/" + DCAT_FREQUENCY.get(frequency, "IRREG"), {"@type": "dct:Frequency"})

    def document(self, url: str) -> dict[str, str]:
        return self._ref(url, {"@type": "foaf:Document"})

    def country(self) -> dict[str, str]:
        # the whole catalogue is about Taiwan; each dataset names its own area as text
        return self._ref(EU + "country/TWN", {"@type": "dct:Location"})

    def standard(self) -> dict[str, str]:
        return self._ref(DCAT_AP, {"@type": "dct:Standard", "dct:title": _en("DCAT-AP 3.0.1")})

    def availability(self) -> dict[str, str]:
        # the files and the API stay at their addresses; only their contents are refreshed
        return self._concept(EU + "planned-availability/STABLE", [_en("stable")])

    def publisher_type(self) -> dict[str, str]:
        # a branch office of a central-government bureau
        return self._concept(ADMS + "publishertype/NationalAuthority", [_en("National authority")])

    def record_status(self, issued: str | None, modified: str | None) -> dict[str, str]:
        change = "Updated" if issued and modified and modified > issued else "Created"
        return self._concept(ADMS + "changetype/" + change, [_en(change)])

    def schemes(self) -> list[dict[str, str]]:
        """The theme taxonomies of the catalogue."""
        return [self._ref(EU_THEMES, {"@type": "skos:ConceptScheme", "dct:title": _en("Data theme")}),
                self._ref(self._scheme, {"@type": "skos:ConceptScheme", "dct:title": [_zh("服務分類"), _en("Service classification")]})]

    def themes(self, code: str) -> list[dict[str, str]]:
        """The EU data theme and the 服務分類 concept of a data.gov.tw categoryCode."""
        self.schemes()
        eu = SERVICE_THEMES.get(code, DEFAULT_THEME)
        themes = [self._concept(f"{EU_THEMES}/{eu}", [_en(EU_THEME_LABELS[eu])], EU_THEMES)]
        service = self._services.get(code)
        if service is not None:  # publishing checks every categoryCode against the 服務分類 list
            themes.append(self._concept(f"{self._concept_base}{code}/#concept", [_zh(service.zh), _en(service.en)], self._scheme, code))
        return themes
