"""Interface labels of the search pages, registered as the ``search.`` namespace."""

from __future__ import annotations

from gongkai.web.labels import register, t

LABELS: dict[str, tuple[str, str]] = {
    "results_for": ("「{q}」的搜尋結果", "Search results for “{q}”"),
    "results": ("搜尋結果", "Search results"),
    "section_results": ("{section}搜尋結果", "Search results in {section}"),
    "advanced": ("進階搜尋", "Advanced search"),
    "advanced_intro": ("不必記任何語法：在下列欄位填入字詞並選擇範圍即可。", "No syntax needed: fill in any of the fields below and choose where to look."),
    "search_terms": ("搜尋字詞", "Search terms"),
    "all_words": ("包含以下全部字詞", "All of these words"),
    "exact_phrase": ("包含以下完整詞句", "This exact phrase"),
    "any_words": ("包含以下任一字詞", "Any of these words"),
    "none_words": ("不包含以下字詞", "None of these words"),
    "words_hint": ("多個字詞請以空白分隔。", "Separate words with spaces."),
    "section": ("搜尋範圍", "Look in"),
    "whole_site": ("全站", "The whole site"),
    "unit": ("單位", "Unit"),
    "year": ("更新年度", "Year updated"),
    "any": ("不限", "Any"),
    "sort": ("排序", "Sort by"),
    "relevance": ("相關程度", "Relevance"),
    "date": ("日期（新到舊）", "Date (newest first)"),
    "exact_only": ("只找完全相同的字（不含同音、容錯）", "Exact words only (no same-sound or typo matches)"),
    "count": ("共 {n} 筆", "{n} results"),
    "showing": ("第 {a}–{b} 筆，共 {n} 筆", "Results {a}–{b} of {n}"),
    "also_searched": ("也搜尋了：", "Also searched:"),
    "kind_synonym": ("同義詞", "synonyms"),
    "kind_sound": ("同音字詞", "same sound"),
    "kind_typo": ("相近字詞", "similar spelling"),
    "did_you_mean": ("您是不是要找：", "Did you mean:"),
    "relaxed": ("沒有同時包含所有字詞的資料，以下列出包含部分字詞的結果。", "Nothing contains all of your words; these results contain some of them."),
    "forgiving_note": ("以下結果為同音或相近字詞的比對結果。", "The results below match words that sound or look alike."),
    "no_results": ("找不到符合「{q}」的資料。", "Nothing matches “{q}”."),
    "no_results_title": ("查無資料", "No results"),
    "try_instead": ("您可以試試：", "You could:"),
    "tip_fewer": ("減少或更換字詞，或改用較常見的說法。", "Use fewer or different words, or a more common term."),
    "tip_scope": ("移除篩選條件，搜尋全站。", "Remove the filters and search the whole site."),
    "tip_browse": ("依分類瀏覽：", "Browse by classification:"),
    "tip_sitemap": ("查看網站導覽", "See the site map"),
    "refine": ("篩選結果", "Refine results"),
    "remove_filter": ("移除篩選：{name}", "Remove filter: {name}"),
    "active_filters": ("目前篩選條件", "Active filters"),
    "facet_kind": ("資料類型", "Type"),
    "facet_unit": ("單位", "Unit"),
    "facet_theme": ("主題分類", "By topic"),
    "facet_policy": ("施政分類", "By policy"),
    "facet_service": ("服務分類", "By service"),
    "facet_year": ("更新年度", "Year updated"),
    "bad_query": ("搜尋條件有誤", "There is a problem with the search"),
    "fix_and_retry": ("請修正後再搜尋一次。", "Please correct it and search again."),
    "result_list": ("搜尋結果清單", "List of results"),
    "updated": ("更新", "Updated"),
    "unavailable": ("搜尋服務暫時無法使用", "Search is not available right now"),
    "unavailable_text": ("搜尋索引正在建立，請稍候一分鐘再試。", "The search index is being built; please try again in a minute."),
    "pagination": ("搜尋結果分頁", "Result pages"),
    "search_in_section": ("在{section}中搜尋", "Search in {section}"),
    "search_submit": ("搜尋", "Search"),
    "opensearch_description": ("搜尋{agency}網站", "Search the {agency} website"),
}
# each kind of document is named as its section of the site
KIND_KEYS = {"procedure": "site.procedures", "form": "site.forms", "news": "site.news", "faq": "site.faq",
             "disclosure": "site.disclosure", "statistics": "site.statistics", "unit": "site.units", "page": "site.about"}

register("search", LABELS)


def kind_label(kind: str) -> str:
    return t(KIND_KEYS[kind]) if kind in KIND_KEYS else kind
