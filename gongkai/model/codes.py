"""The agency's code lists, kept as data: classifications, units, disclosure directory."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Code(BaseModel):
    """One entry of a code list, with its Chinese and English names."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    code: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)
    sample: bool = False  # demo entry, to be replaced by the agency's official table
    law: str = ""  # for disclosure categories: the clause it fulfils, e.g. 政府資訊公開法第7條第1項第5款
    description_zh: str = ""
    description_en: str = ""

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def description(self, lang: str) -> str:
        return self.description_en if lang == "en" else self.description_zh


class Agency(BaseModel):
    """Facts about the agency itself, used in metadata and the footer."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    oid: str = Field(min_length=1)
    name_zh: str
    name_en: str
    parent_zh: str
    parent_en: str
    address_zh: str
    address_en: str
    phone: str
    fax: str
    email: str
    base_url: str
    hours_zh: str
    hours_en: str
    accessibility_mark_url: str = ""
    webmaster_unit: str = Field(min_length=1)  # unit code that maintains listing pages (資訊小組)
    office_phones: list[str] = []  # published numbers that may appear in content and open data

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


# code-list file name (under content/codes/) → the attribute name on Corpus
CODE_LISTS = {
    "themes": "主題分類",
    "policies": "施政分類",
    "services": "服務分類",
    "units": "單位",
    "disclosure": "資訊公開類別",
}
