"""Interface labels of the data pages, registered as the ``opendata.`` namespace."""

from __future__ import annotations

from gongkai.web.labels import register

LABELS: dict[str, tuple[str, str]] = {
    "open_data": ("開放資料", "Open Data"),
    "catalogue_intro": ("本分局依「政府資料開放授權條款-第1版」提供下列資料集，可下載 CSV、ODS、JSON 或經 API 取用；資料於發布前均經去個人資料識別化檢查。",
                        "Datasets of the branch under the Open Government Data License, version 1: download CSV, ODS or JSON, or use the API. "
                        "Every dataset is checked for personal data before it is published."),
    "filters": ("篩選資料集", "Filter datasets"),
    "category": ("服務分類", "Service classification"),
    "format": ("檔案格式", "File format"),
    "frequency": ("更新頻率", "Update frequency"),
    "title_search": ("搜尋資料集名稱", "Search in titles"),
    "overdue_only": ("僅列逾期未更新", "Overdue only"),
    "apply": ("套用篩選", "Apply filters"),
    "all": ("全部", "All"),
    "found": ("共 {n} 個資料集", "{n} datasets"),
    "none_found": ("沒有符合條件的資料集。", "No dataset matches these filters."),
    "overdue": ("逾期未更新", "Overdue for update"),
    "overdue_text": ("本資料集已超過更新頻率（{frequency}）未更新，應於 {due} 前更新。", "This dataset is past its update frequency ({frequency}); it was due by {due}."),
    "sample_text": ("本資料集部分數值為示範資料，詳見資料集描述。", "Parts of this dataset are sample data; see the description."),
    "metadata": ("詮釋資料", "Metadata"),
    "identifier": ("資料集識別碼", "Identifier"),
    "description": ("資料集描述", "Description"),
    "publisher": ("提供機關", "Publisher"),
    "contact": ("提供機關聯絡人", "Contact"),
    "licence": ("授權方式", "Licence"),
    "cost": ("計費方式", "Cost"),
    "issued": ("上架日期", "Issued"),
    "modified": ("詮釋資料更新時間", "Modified"),
    "temporal": ("資料涵蓋期間", "Temporal coverage"),
    "keywords": ("關鍵字", "Keywords"),
    "rows": ("資料量", "Rows"),
    "encoding": ("編碼格式", "Encoding"),
    "fields": ("主要欄位說明", "Fields"),
    "field_name": ("欄位名稱", "Field"),
    "field_title": ("中文名稱", "Title"),
    "field_type": ("資料型態", "Type"),
    "field_description": ("說明", "Description"),
    "preview": ("資料預覽（前 {n} 筆）", "Preview (first {n} rows)"),
    "downloads": ("檔案下載", "Downloads"),
    "file": ("檔案", "File"),
    "size": ("大小", "Size"),
    "api": ("API 取用範例", "Using the API"),
    "api_intro": ("以下網址可直接在瀏覽器或程式中使用；完整說明見 OpenAPI 文件。", "Use these addresses in a browser or a program; the OpenAPI document describes them all."),
    "api_rows": ("前 10 筆資料（JSON）", "First 10 rows (JSON)"),
    "api_filter": ("篩選後的資料（JSON）", "Filtered rows (JSON)"),
    "api_csv": ("全部資料（CSV 串流）", "All rows (streamed CSV)"),
    "api_meta": ("data.gov.tw 詮釋資料（JSON）", "data.gov.tw metadata (JSON)"),
    "openapi": ("OpenAPI 文件", "OpenAPI document"),
    "dcat": ("DCAT-AP 資料目錄（JSON-LD）", "DCAT-AP catalogue (JSON-LD)"),
    "chart": ("統計圖", "Chart"),
    "chart_table": ("統計圖數值", "Figures of the chart"),
    "item": ("項目", "Item"),
    "value": ("數值", "Value"),
    "machine": ("機器可讀資料", "Machine-readable data"),
    "due": ("應更新日期", "Due"),
}


register("opendata", LABELS)
