"""The catalogue-type datasets, generated from the content corpus (`gongkai data build`):
forms, procedures with their processing time limits, units' public contacts, and the news list.

Statistics datasets are kept by hand as CSV (their figures come from the service plan); these
four follow the site's own documents, so they are regenerated whenever content changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gongkai.opendata.descriptor import Column, descriptor, write_package

CHANNELS = {"counter": "臨櫃", "online": "線上", "mail": "郵寄"}
PATHS = {"form": "forms", "procedure": "procedures", "news": "news", "unit": "units"}
ZH = "zh-Hant-TW"


@dataclass(frozen=True)
class CatalogueSpec:
    name: str
    number: int
    kind: str
    title: str
    title_en: str
    description: str
    description_en: str
    keywords: list[str]
    category: str
    columns: list[Column]
    row: Callable[[Any, Any], list[Any]]


def _url(corpus: Any, doc: Any) -> str:
    return f"{corpus.agency.base_url}/{PATHS[doc.kind]}/{doc.id}/"


def _unit(corpus: Any, doc: Any) -> str:
    return corpus.codes["units"][doc.unit].zh


def _file_url(corpus: Any, attachment: Any) -> str:
    return f"{corpus.agency.base_url}/files/{attachment.file}"


SPECS = (
    CatalogueSpec(
        "forms", 5, "form", "書表下載清單", "Forms catalogue",
        "本分局網站提供下載之各類申辦書表及其填寫範例（皆為 ODF 等開放格式）之清單，含檔案網址、主辦單位及更新日期。",
        "The application forms offered on the branch's website, with their filling examples (open formats), owner unit and update date.",
        ["書表", "表單下載", "填寫範例", "ODF"], "I00",
        [Column("form_id", "string", "書表代碼", "Form id", "書表在網站上的識別代碼（網址的一部分）", True),
         Column("title", "string", "書表名稱", "Title", "書表名稱", True),
         Column("unit", "string", "主辦單位", "Unit", "負責此書表的單位", True),
         Column("file_format", "string", "檔案格式", "File format", "空白書表的檔案格式（ODT、ODS 等開放格式）", True),
         Column("file_url", "string", "書表網址", "File URL", "空白書表的下載網址", True),
         Column("example_url", "string", "填寫範例網址", "Filling example URL", "填寫範例的下載網址"),
         Column("procedure_id", "string", "相關申辦業務代碼", "Related procedure id", "使用此書表的申辦業務代碼，無則空白"),
         Column("updated", "date", "更新日期", "Updated", "書表最近更新日期（西元年-月-日）", True)],
        lambda c, d: [d.id, d.title, _unit(c, d), d.attachments[0].format, _file_url(c, d.attachments[0]),
                      _file_url(c, d.example), d.procedure or "", d.updated.isoformat()],
    ),
    CatalogueSpec(
        "procedures", 6, "procedure", "申辦業務及處理時限", "Services and processing time limits",
        "本分局受理之申辦業務清單，含處理時限、規費、申辦管道及相關書表數；依服務效能計畫於網站揭露各類案件標準處理流程。",
        "The services the branch handles, with processing time limits, fees, channels and the number of related forms.",
        ["申辦業務", "處理時限", "規費", "線上申辦"], "600",
        [Column("procedure_id", "string", "申辦業務代碼", "Procedure id", "申辦業務在網站上的識別代碼", True),
         Column("title", "string", "申辦業務名稱", "Title", "申辦業務名稱", True),
         Column("unit", "string", "主辦單位", "Unit", "受理之主辦單位", True),
         Column("time_limit", "string", "處理時限", "Processing time limit", "自受理至完成之處理時限", True),
         Column("fee", "string", "規費", "Fee", "應繳規費說明", True),
         Column("channels", "string", "申辦管道", "Channels", "可申辦之管道，以「;」分隔（臨櫃、線上、郵寄）", True),
         Column("form_count", "integer", "相關書表數", "Number of forms", "辦理時使用之書表數量", True),
         Column("url", "string", "說明網址", "Page URL", "網站上的申辦說明網址", True),
         Column("updated", "date", "更新日期", "Updated", "說明最近更新日期", True)],
        lambda c, d: [d.id, d.title, _unit(c, d), d.time_limit, d.fee, ";".join(CHANNELS[x] for x in d.channels),
                      len(d.forms), _url(c, d), d.updated.isoformat()],
    ),
    CatalogueSpec(
        "unit-contacts", 7, "unit", "各單位業務職掌及聯絡方式", "Units' duties and public contacts",
        "各課室及辦事處之業務職掌與公開之辦公室聯絡方式（僅機關公布之辦公電話、傳真及單位電子郵件，不含個人資料）。",
        "Each unit's duties and its published office contacts (office numbers and unit mailboxes only, no personal data).",
        ["組織", "業務職掌", "聯絡方式", "電話"], "I00",
        [Column("unit_code", "string", "單位代碼", "Unit code", "單位代碼", True),
         Column("unit", "string", "單位名稱", "Unit", "單位名稱", True),
         Column("duties", "string", "業務職掌", "Duties", "主要業務職掌，以「；」分隔", True),
         Column("phone", "string", "電話", "Telephone", "單位辦公電話（機關公布之號碼）", True),
         Column("fax", "string", "傳真", "Fax", "單位傳真號碼"),
         Column("email", "string", "電子郵件", "E-mail", "單位公務信箱"),
         Column("address", "string", "地址", "Address", "辦公地址", True),
         Column("hours", "string", "服務時間", "Office hours", "服務時間")],
        lambda c, d: [d.unit, _unit(c, d), "；".join(d.duties), d.contact.phone, d.contact.fax, d.contact.email,
                      d.contact.address, d.contact.hours],
    ),
    CatalogueSpec(
        "news", 8, "news", "新聞稿清單", "News releases",
        "本分局發布之新聞稿清單，含發布日期、標題、摘要、發布單位及網址。",
        "The branch's news releases: date, title, summary, unit and address.",
        ["新聞稿", "最新消息", "機關活動"], "I00",
        [Column("date", "date", "發布日期", "Date", "新聞稿發布日期（西元年-月-日）", True),
         Column("news_id", "string", "新聞稿代碼", "News id", "新聞稿在網站上的識別代碼", True),
         Column("title", "string", "標題", "Title", "新聞稿標題", True),
         Column("summary", "string", "摘要", "Summary", "新聞稿摘要", True),
         Column("unit", "string", "發布單位", "Unit", "發布新聞稿的單位", True),
         Column("url", "string", "網址", "URL", "新聞稿網址", True)],
        lambda c, d: [d.published.isoformat(), d.id, d.title, d.summary, _unit(c, d), _url(c, d)],
    ),
)
# contact of the catalogue datasets: the web team (第六課 runs the site, per the service plan)
CONTACT_UNIT = "sec6"


def build_catalogue(corpus: Any, root: Path) -> list[Path]:
    """(Re)write the four catalogue datasets under ``root`` from the corpus's Chinese documents."""
    written = []
    contact_doc = next((d for d in corpus.of_kind(ZH, "unit") if d.unit == CONTACT_UNIT), None)
    contact = {"name": corpus.codes["units"][CONTACT_UNIT].zh,
               "phone": contact_doc.contact.phone if contact_doc else corpus.agency.phone,
               "email": contact_doc.contact.email if contact_doc and contact_doc.contact.email else corpus.agency.email}
    for spec in SPECS:
        docs = corpus.of_kind(ZH, spec.kind)
        if spec.kind == "unit":
            order = list(corpus.codes["units"])
            docs = sorted(docs, key=lambda d: order.index(d.unit))
        rows = [spec.row(corpus, d) for d in docs]
        issued = min((d.published for d in docs), default=None)
        modified = max((d.updated for d in docs), default=None)
        if issued is None or modified is None:
            continue  # nothing of this kind is published yet
        package = descriptor(
            name=spec.name, identifier=f"{corpus.agency.oid}-{spec.number:06d}", title=spec.title, title_en=spec.title_en,
            description=spec.description, description_en=spec.description_en, keywords=spec.keywords, category=spec.category,
            frequency="不定期更新", issued=issued.isoformat(), modified=modified.isoformat(),
            temporal=(issued.isoformat(), modified.isoformat()), contact=contact, agency=corpus.agency,
            columns=spec.columns, primary_key=spec.columns[0].name if spec.kind != "news" else "news_id",
            sample=any(d.sample for d in docs),
        )
        if package["sample"]:
            package["description"] += "部分內容為示範網站之範例資料。"
            package["description_en"] += " Parts are sample data of the demo site."
        written.append(write_package(root / spec.name, package, rows))
    return written
