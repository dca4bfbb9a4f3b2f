"""Labels of the editing forms and the workflow pages, registered as the ``editing.`` namespace.

Field labels are keyed by the front-matter path (``f.contact.phone``): a name for each field the
model defines, not a second list of fields — tests/admin/test_editing.py checks that every field
of every kind has one, so a field added to the model without a label fails there.
"""

from __future__ import annotations

from gongkai.web.labels import register

FIELDS: dict[str, tuple[str, str]] = {
    "f.id": ("文件代號（網址）", "Id"), "f.lang": ("語言", "Language"), "f.translation": ("另一語言版本的文件代號", "Translation"),
    "f.title": ("標題", "Title"), "f.summary": ("摘要", "Summary"), "f.unit": ("主管單位", "Unit"),
    "f.theme": ("主題分類", "Theme"), "f.policy": ("施政分類", "Policy"), "f.service": ("服務分類", "Service"),
    "f.keywords": ("關鍵詞（一行一個）", "Keywords"), "f.published": ("發布日期", "Published"), "f.updated": ("更新日期", "Updated"),
    "f.update_cycle": ("更新週期", "Update cycle"), "f.sources": ("資料來源", "Sources"), "f.sources.title": ("來源名稱", "Title"),
    "f.sources.url": ("來源網址", "URL"), "f.sample": ("含示範資料（服務計畫書未載明的內容）", "Sample data"),
    "f.eligibility": ("申請資格", "Eligibility"), "f.steps": ("申辦步驟（一行一步）", "Steps"), "f.documents": ("應備文件（一行一項）", "Documents"),
    "f.time_limit": ("處理時限", "Time limit"), "f.fee": ("費用", "Fee"), "f.channels": ("申辦方式", "Channels"),
    "f.forms": ("相關表單的文件代號（一行一個）", "Forms"), "f.attachments": ("附件", "Attachments"),
    "f.attachments.file": ("檔案（files/ 之下的路徑，例如 forms/申請書.odt）", "File"), "f.attachments.title": ("附件名稱", "Title"),
    "f.example": ("填寫範例", "Example"), "f.example.file": ("檔案（files/ 之下的路徑）", "File"), "f.example.title": ("範例名稱", "Title"),
    "f.procedure": ("所屬申辦業務的文件代號", "Procedure"), "f.category": ("資訊公開類別", "Category"),
    "f.duties": ("業務職掌（一行一項）", "Duties"), "f.contact": ("聯絡資訊", "Contact"), "f.contact.phone": ("電話", "Phone"),
    "f.contact.fax": ("傳真", "Fax"), "f.contact.email": ("電子郵件", "E-mail"), "f.contact.address": ("地址", "Address"),
    "f.contact.hours": ("服務時間", "Hours"), "f.period": ("統計期間", "Period"), "f.figures": ("統計數字", "Figures"),
    "f.figures.item": ("項目", "Item"), "f.figures.value": ("數值", "Value"), "f.figures.unit": ("計量單位", "Unit"),
    "f.figures.note": ("備註", "Note"), "f.body": ("內文（Markdown）", "Body (Markdown)"),
}
CHOICES: dict[str, tuple[str, str]] = {
    "c.zh-Hant-TW": ("中文", "Chinese"), "c.en": ("英文", "English"), "c.monthly": ("每月", "Monthly"), "c.quarterly": ("每季", "Quarterly"),
    "c.yearly": ("每年", "Yearly"), "c.as-needed": ("視需要", "As needed"), "c.counter": ("臨櫃", "Counter"), "c.online": ("線上", "Online"),
    "c.mail": ("郵寄", "Mail"),
}
LABELS: dict[str, tuple[str, str]] = {
    **FIELDS, **CHOICES,
    "documents": ("文件編修", "Documents"),
    "edit_title": ("編修：{title}", "Edit: {title}"),
    "preview_title": ("預覽：{title}", "Preview: {title}"),
    "revisions_title": ("版本紀錄：{title}", "Revisions: {title}"),
    "review_title": ("審稿：{title}", "Review: {title}"),
    "withdraw_title": ("下架：{title}", "Withdraw: {title}"),
    "edit": ("編修", "Edit"), "preview": ("預覽與檢查", "Preview and checks"), "revisions": ("版本紀錄", "Revisions"),
    "save": ("儲存為新版本", "Save as a new revision"), "note": ("這次修改的說明（選填）", "What changed (optional)"),
    "body_hint": ("用 Markdown 撰寫：## 小標題、**粗體**、[連結文字](https://…)、| 表格 |。不接受 HTML 標記。",
                  "Markdown; no HTML."),
    "lines_hint": ("一行寫一項。", "One per line."), "date_hint": ("格式：2026-12-02", "As 2026-12-02"),
    "row": ("第 {n} 筆", "Item {n}"), "new_row": ("新增一筆（不需要可留空）", "Add one (leave empty if not needed)"),
    "choose": ("請選擇", "Choose"), "none_chosen": ("（不指定）", "(none)"),
    "saved": ("已儲存為第 {n} 版。", "Saved as revision {n}."),
    "unchanged": ("內容沒有變動，未新增版本。", "Nothing changed."),
    "stale": ("{name} 已在您開啟這個頁面之後儲存了第 {n} 版，您的修改沒有儲存（仍保留在下方表單）。請對照下面的差異，把需要的修改合併後再儲存一次。",
              "Someone saved a newer revision; yours was not saved (it is still in the form)."),
    "stale_diff": ("對方的修改（第 {old} 版 → 第 {new} 版）", "Their change"),
    "stale_published": ("這份文件在您開啟這個頁面之後已經發布了新版本，您的修改沒有儲存（仍保留在下方表單）。請對照下面的差異合併後再儲存一次。",
                        "The published file changed since you opened this page; yours was not saved (it is still in the form)."),
    "stale_published_diff": ("已發布檔案的變動", "The change to the published file"),
    "new_title": ("新增文件：{kind}", "New document: {kind}"), "new": ("新增文件", "New document"), "create": ("建立", "Create"),
    "k.page": ("一般頁面", "Page"), "k.procedure": ("申辦業務", "Procedure"), "k.form": ("表單下載", "Form"), "k.news": ("最新消息", "News"),
    "k.faq": ("常見問答", "FAQ"), "k.disclosure": ("資訊公開", "Disclosure"), "k.unit": ("單位介紹", "Unit"), "k.statistics": ("統計資料", "Statistics"),
    "twin": ("另一語言版本：", "The other language: "),
    "history": ("上次發布的版本紀錄（可還原舊版本為新草稿）", "Revisions of the last publication"),
    "open_elsewhere": ("這份文件已有編修中的草稿，請到那份草稿的版本紀錄還原。", "An open draft exists: restore into it."),
    "locked": ("這份文件正在審稿或已核可，退回之後才能再修改。", "In review: it can change after it is sent back."),
    "fixed_field": ("{value}（已發布的文件不能改這一欄）", "{value} (fixed)"),
    "state": ("狀態", "State"), "revision": ("版本", "Revision"), "author": ("作者", "Author"), "saved_at": ("儲存時間（臺北）", "Saved (Taipei)"),
    "published_copy": ("已發布的版本", "The published file"),
    "compare": ("比較兩個版本", "Compare two revisions"), "from": ("舊版本", "From"), "to": ("新版本", "To"), "show_diff": ("顯示差異", "Show the differences"),
    "diff_caption": ("第 {old} 版與第 {new} 版的差異", "Differences"), "removed": ("刪除", "Removed"), "added": ("新增", "Added"),
    "unchanged_line": ("未變", "Unchanged"), "line_old": ("舊行號", "Old line"), "line_new": ("新行號", "New line"), "change": ("變動", "Change"),
    "text": ("內容", "Text"), "no_differences": ("兩個版本內容相同。", "No differences."),
    "restore": ("以這個版本建立新草稿", "Restore as a new revision"), "restored": ("已將第 {old} 版還原為第 {new} 版。", "Restored."),
    "checks": ("送審前檢查", "Pre-submit checks"), "checks_pass": ("沒有發現問題，可以送審。", "No problems: ready to submit."),
    "checks_fail": ("發現 {n} 個問題，修正後才能送審：", "{n} problems to fix before submitting:"),
    "validation": ("內容驗證", "Validation"), "accessibility": ("無障礙檢查", "Accessibility"), "fix": ("修正方式：", "Fix: "),
    "page_preview": ("網站頁面預覽（以正式網站的版型呈現）", "The page as the site will show it"),
    "submit": ("送審", "Submit for review"), "submitted": ("已送審，審稿人會收到通知。", "Submitted."),
    "files": ("附件檔案", "Attachment files"), "upload": ("上傳", "Upload"), "file": ("選擇檔案", "File"),
    "file_hint": ("最大 {mb} MB。請用開放格式（ODT、ODS、PDF、CSV）；.doc／.xls 須先上傳同名的 ODF 檔。",
                  "At most {mb} MB; open formats."),
    "folder": ("存放資料夾", "Folder"), "uploaded": ("已上傳 {name}。", "Uploaded {name}."), "size": ("大小", "Size"),
    "remove": ("移除", "Remove"), "file_removed": ("已移除 {name}。", "Removed {name}."),
    "no_files": ("還沒有上傳附件。", "No files yet."),
    "approve": ("核可並發布", "Approve and publish"), "publish_at": ("發布時間（選填，臺北時間）", "Publish at (optional)"),
    "publish_at_hint": ("留空則立即發布。格式：2026-12-24 09:00", "Empty: now. As 2026-12-24 09:00"),
    "reject": ("退回修改", "Send back"), "comment": ("退回意見（必填）", "Comment (required)"),
    "comment_hint": ("寫出要修改的地方，作者會在後台首頁與電子郵件看到。", "What to change."),
    "force_reason": ("未經審稿直接發布的理由（僅網站管理者，必填）", "Reason to publish without review"),
    "approved_now": ("已發布。內容庫提交：{commit}", "Published: {commit}"), "approved_later": ("已核可，將於 {when} 發布。", "Scheduled for {when}."),
    "rejected": ("已退回，作者會收到通知。", "Sent back."), "withdraw": ("下架", "Withdraw"), "reason": ("下架理由（必填，民眾會看到）", "Reason"),
    "withdrawn": ("已下架。內容庫提交：{commit}", "Withdrawn."), "bad_time": ("發布時間請寫成 2026-12-24 09:00", "Write the time as 2026-12-24 09:00"),
    "my_work": ("我的工作", "My work"), "my_drafts": ("我的草稿", "My drafts"), "to_review": ("等我審稿", "Waiting for my review"),
    "sent_back": ("退回給我的", "Sent back to me"), "nothing": ("目前沒有。", "Nothing."), "comment_from": ("{name} 的意見：", "{name} says:"),
    "open_drafts": ("編修中的文件", "Open drafts"), "published_documents": ("已發布的文件", "Published documents"), "kind": ("類型", "Kind"),
}

register("editing", LABELS)
