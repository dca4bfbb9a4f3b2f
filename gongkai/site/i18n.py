"""The two languages: interface labels, and URLs in the current or the other language.

Chinese pages live at /, English at /en/: every page blueprint is registered twice, the
English copy named ``<blueprint>_en``. ``lurl`` picks the copy for the language wanted.
"""

from __future__ import annotations

from typing import Any

from flask import g, url_for

ZH, EN = "zh-Hant-TW", "en"
EN_SUFFIX = "_en"

LABELS: dict[str, tuple[str, str]] = {
    "skip": ("跳到主要內容", "Skip to main content"),
    "top_block": ("上方功能區塊", "Top block"),
    "main_block": ("中央內容區塊", "Main content"),
    "bottom_block": ("下方功能區塊", "Bottom block"),
    "noscript": ("您的瀏覽器未啟用 JavaScript；本網站所有功能（瀏覽、搜尋、下載）不需 JavaScript 亦可使用。",
                 "JavaScript is off in your browser; every part of this site (browsing, search, downloads) works without it."),
    "home": ("首頁", "Home"),
    "menu": ("主選單", "Main menu"),
    "procedures": ("申辦業務", "Services"),
    "forms": ("書表下載", "Forms"),
    "news": ("新聞稿", "News"),
    "faq": ("常見問答", "FAQ"),
    "disclosure": ("資訊公開", "Information Disclosure"),
    "units": ("組織與聯絡", "Units and Contacts"),
    "statistics": ("業務統計", "Statistics"),
    "browse": ("分類檢索", "Browse by Classification"),
    "open_data_menu": ("開放資料", "Open Data"),
    "theme": ("主題分類", "By Topic"),
    "policy": ("施政分類", "By Policy"),
    "service": ("服務分類", "By Service"),
    "site_guide": ("網站導覽", "Site Map"),
    "privacy": ("隱私權保護政策", "Privacy Policy"),
    "security": ("資訊安全政策", "Information Security Policy"),
    "open_data": ("政府網站資料開放宣告", "Open Data Declaration"),
    "accessibility": ("無障礙聲明", "Accessibility Statement"),
    "search": ("搜尋", "Search"),
    "search_site": ("全站搜尋", "Search this site"),
    "search_label": ("搜尋關鍵字", "Search terms"),
    "breadcrumb": ("目前位置", "You are here"),
    "updated": ("更新日期", "Updated"),
    "published": ("發布日期", "Published"),
    "owner_unit": ("維護單位", "Maintained by"),
    "sources": ("資料來源", "Sources"),
    "language": ("語言", "Language"),
    "other_language": ("English", "中文"),
    "eligibility": ("申請資格", "Who may apply"),
    "steps": ("辦理步驟", "Steps"),
    "documents": ("應備文件", "Documents required"),
    "time_limit": ("處理時限", "Processing time"),
    "fee": ("規費", "Fee"),
    "channels": ("申辦管道", "How to apply"),
    "counter": ("臨櫃", "At the counter"),
    "online": ("線上", "Online"),
    "mail": ("郵寄", "By mail"),
    "related_forms": ("相關表單", "Related forms"),
    "related_procedure": ("相關申辦業務", "Related services"),
    "forms_in_chinese": ("以下表單僅有中文版。", "These forms are available in Chinese only."),
    "downloads": ("檔案下載", "Downloads"),
    "example": ("填寫範例", "Filling example"),
    "file_format": ("格式", "Format"),
    "file_size": ("大小", "Size"),
    "filter_unit": ("依單位篩選", "Filter by unit"),
    "filter_service": ("依服務分類篩選", "Filter by service classification"),
    "all": ("全部", "All"),
    "count": ("筆", "items"),
    "page_n": ("第 {n} 頁", "Page {n}"),
    "pagination": ("分頁", "Pagination"),
    "previous": ("上一頁", "Previous"),
    "next": ("下一頁", "Next"),
    "rss": ("RSS 訂閱", "RSS feed"),
    "atom": ("Atom 訂閱", "Atom feed"),
    "duties": ("業務職掌", "Duties"),
    "contact": ("聯絡方式", "Contact"),
    "phone": ("電話", "Telephone"),
    "fax": ("傳真", "Fax"),
    "email": ("電子郵件", "E-mail"),
    "address": ("地址", "Address"),
    "hours": ("服務時間", "Office hours"),
    "law": ("法源依據", "Legal basis"),
    "period": ("統計期間", "Period"),
    "item": ("項目", "Item"),
    "value": ("數值", "Value"),
    "unit_of_measure": ("單位", "Unit"),
    "note": ("說明", "Note"),
    "sample_notice": ("本頁部分內容為示範資料（非取自服務效能計畫）。", "Parts of this page are sample data for the demo site."),
    "not_found": ("找不到網頁", "Page not found"),
    "not_found_text": ("您要找的網頁不存在，可能已移除或網址有誤。", "The page you asked for does not exist; it may have moved or the address may be wrong."),
    "server_error": ("系統發生錯誤", "Something went wrong"),
    "server_error_text": ("很抱歉，系統暫時無法處理您的要求，請稍後再試。", "Sorry, we could not handle your request. Please try again later."),
    "bad_request": ("要求有誤", "Bad request"),
    "try": ("您可以：", "You can:"),
    "agency_address": ("地址", "Address"),
    "a11y_mark": ("通過AA無障礙網頁檢測", "Accessibility AA mark"),
    "items_in": ("共 {n} 筆", "{n} items"),
    "no_items": ("目前沒有資料。", "Nothing here yet."),
    "latest_news": ("最新消息", "Latest news"),
    "popular_services": ("常用申辦業務", "Popular services"),
    "code": ("代碼", "Code"),
    "name": ("名稱", "Name"),
    "documents_count": ("文件數", "Documents"),
    "sample_code": ("（範例分類）", "(sample classification)"),
    "category": ("類別", "Category"),
    "metadata_listing": ("詮釋資料清單", "Metadata listing"),
    "access_keys": ("快速鍵", "Access keys"),
    "forms_of_unit": ("本單位書表", "Forms of this unit"),
    "procedures_of_unit": ("本單位申辦業務", "Services of this unit"),
}


def lang() -> str:
    return getattr(g, "lang", ZH)


def t(key: str, **values: Any) -> str:
    """The label in the current language."""
    zh, en = LABELS[key]
    text = en if lang() == EN else zh
    return text.format(**values) if values else text


def endpoint_for(endpoint: str, language: str) -> str:
    if language != EN or "." not in endpoint:
        return endpoint
    blueprint, view = endpoint.split(".", 1)
    return f"{blueprint}{EN_SUFFIX}.{view}"


def lurl(endpoint: str, _lang: str | None = None, **values: Any) -> str:
    """url_for in the current language (or ``_lang``)."""
    return url_for(endpoint_for(endpoint, _lang or lang()), **values)


def language_of_path(path: str) -> str:
    """For requests no blueprint answers (404s): English under /en/, Chinese elsewhere."""
    return EN if path == "/en" or path.startswith("/en/") else ZH


def html_lang(language: str) -> str:
    return "zh-Hant-TW" if language == ZH else "en"
