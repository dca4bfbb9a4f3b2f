"""Labels of the dashboard, the unit pages and the reminders, registered as the ``dashboard.``
namespace of the web layer's label registry (zh-TW; the English column for the registry's shape)."""

from __future__ import annotations

from gongkai.web.labels import register

LABELS: dict[str, tuple[str, str]] = {
    "summary_caption": ("各單位待處理事項（逾期文件與最近一次檢測的問題）", "What each unit has to do"),
    "unit": ("單位", "Unit"),
    "overdue": ("逾期未更新的文件", "Documents past their update cycle"),
    "broken_links": ("失效連結", "Broken links"),
    "a11y_problems": ("無障礙問題", "Accessibility problems"),
    "overdue_caption": ("{unit}逾期未更新的文件，逾期最久的在前", "Documents of {unit} past their update cycle, most overdue first"),
    "document": ("文件", "Document"),
    "cycle": ("更新週期", "Update cycle"),
    "updated": ("上次更新", "Last updated"),
    "due": ("應更新日", "Due"),
    "days_overdue": ("逾期天數", "Days overdue"),
    "days": ("{days} 天", "{days} days"),
    "edit": ("編修", "Edit"),
    "none_overdue": ("沒有逾期未更新的文件。", "No document is past its update cycle."),
    "links_caption": ("{unit}頁面上的連結問題（{when} 的連結檢查）", "Link problems on the pages of {unit}"),
    "a11y_caption": ("{unit}頁面上的無障礙問題（{when} 的無障礙檢測）", "Accessibility problems on the pages of {unit}"),
    "problem": ("問題", "Problem"),
    "verdict": ("結果", "Verdict"),
    "broken": ("失效", "Broken"),
    "warning": ("警告", "Warning"),
    "criterion": ("WCAG 準則", "WCAG criterion"),
    "pages": ("出現在", "Found on"),
    "what": ("說明（檢測工具原文）", "What is wrong"),
    "fix": ("修正建議", "How to fix it"),
    "no_links_run": ("尚未執行連結檢查（gongkai links），還沒有結果。", "No link audit has run yet."),
    "no_a11y_run": ("尚未執行無障礙檢測（gongkai a11y），還沒有結果。", "No accessibility audit has run yet."),
    "no_link_problems": ("{when} 的連結檢查在本單位的頁面上沒有發現問題。", "The link audit found nothing on this unit's pages."),
    "no_a11y_problems": ("{when} 的無障礙檢測在本單位的頁面上沒有發現問題。", "The accessibility audit found nothing on this unit's pages."),
    "other_pages": ("另有 {count} 項問題在不屬於任何文件的頁面（列表頁、首頁等），由資訊小組處理，詳見檢測報告。",
                    "{count} more problems are on pages that are no document's."),
    "latest_runs": ("最近一次檢測：", "Latest audits: "),
    "offer_second_factor": ("您的帳號尚未啟用第二道驗證。啟用後，即使密碼外洩，別人沒有您的手機也無法登入。",
                            "Your account has no second factor yet."),
    "enrol_now": ("現在啟用第二道驗證", "Set up a second factor now"),
    "reminder_subject": ("【網站後台】{count} 份文件已超過更新週期，請更新", "{count} documents are past their update cycle"),
}

register("dashboard", LABELS)
