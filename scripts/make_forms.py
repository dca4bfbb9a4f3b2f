"""Generate the branch's downloadable forms (申請書表) and their filling examples (填寫範例) as ODF.

Every form is one entry of FORMS below (data, not code): its title, the unit that handles it,
its labelled fields with the value shown in the filling example, its notes and its signature
line. Text forms become .odt (a two-column table of labels and blanks); forms that list many
instruments become .ods (a sheet with a header block and a table of rows).

Usage:
    python scripts/make_forms.py [OUTPUT_DIR]     # default: content/files/forms

For each form ``<id>`` it writes ``<id>.odt|ods`` (blank) and ``<id>-example.odt|ods`` (filled
with obviously fictitious values and marked 「填寫範例」). Output is deterministic: fixed
document dates in meta.xml and fixed timestamps inside the ZIP container, so re-running the
script on an unchanged FORMS list gives the same files.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from odf import dc, meta
from odf.opendocument import OpenDocumentSpreadsheet, OpenDocumentText
from odf.style import (
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TableRowProperties,
    TextProperties,
)
from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
from odf.text import H, P

AGENCY = "經濟部標準檢驗局臺南分局"
AGENCY_LINE = "經濟部標準檢驗局臺南分局　地址：70004 臺南市中西區示範路 1 號（範例地址）　總機：06-226-4101"
DOC_DATE = "2022-03-01T09:00:00"  # fixed, so the files are reproducible
ZIP_DATE = (2022, 3, 1, 9, 0, 0)
BLANK_DATE = "中華民國　　　年　　　月　　　日"
EXAMPLE_DATE = "中華民國 111 年 3 月 2 日"
EXAMPLE_BANNER = "填寫範例（本範例之人名、公司、號碼均為虛構，請勿照抄）"
PRIVACY_NOTE = ("個人資料告知：本分局蒐集之個人資料僅用於辦理本申請案及必要之聯繫，"
                "依個人資料保護法及本分局隱私權保護政策處理，不作其他用途。")
DEFAULT_SIGNATURE = "申請人簽章"


def field(label: str, example: str, blank: str = "") -> dict[str, str]:
    return {"label": label, "blank": blank, "example": example}


def choice(label: str, options: list[str], chosen: list[int]) -> dict[str, str]:
    """A check-box field: blank shows □ for every option, the example ticks ■ the chosen ones."""
    return {
        "label": label,
        "blank": "　".join("□" + o for o in options),
        "example": "　".join(("■" if i in chosen else "□") + o for i, o in enumerate(options)),
    }


APPLICANT = [
    field("申請人（公司）名稱", "範例股份有限公司"),
    field("統一編號", "00000000（範例）"),
    field("負責人", "王小明"),
    field("地址", "70099 臺南市中西區範例路 100 號"),
    field("聯絡人／電話", "陳小華／06-000-0000"),
    field("電子郵件", "sample@example.com"),
]

PERSON = [
    field("申請人姓名", "王小明"),
    field("聯絡電話", "0900-000-000"),
    field("通訊地址", "70099 臺南市中西區範例路 100 號"),
    field("電子郵件（選填）", "sample@example.com"),
]

FORMS: list[dict] = [
    {
        "id": "form-inspection-application",
        "title": "商品報驗申請書",
        "unit": "第六課（報驗發證櫃臺）",
        "type": "odt",
        "fields": APPLICANT + [
            choice("報驗類別", ["進口商品", "國內產製商品"], [0]),
            choice("檢驗方式", ["逐批檢驗", "監視查驗", "驗證登錄", "符合性聲明"], [0]),
            field("商品名稱", "電熱水瓶"),
            field("貨品分類號列（CCC Code）", "8516.10.00.00-0（範例）"),
            field("廠牌／型號", "範例牌／EX-100"),
            field("數量及單位", "200 台"),
            field("進口報單號碼", "AA/00/000/00000（範例）"),
            field("商品存放地點", "臺南市安南區範例倉庫 1 號"),
            choice("取件方式", ["臨櫃領取", "郵寄", "電子證書"], [2]),
        ],
        "notes": [
            "已申請線上申辦帳號者，請優先使用線上申辦，免附本申請書及公司基本資料。",
            "進口商品請檢附進口報單影本、商品型錄或照片；國內產製商品請檢附出廠證明。",
            "檢驗費依經濟部標準檢驗局規費收費標準計收，可臨櫃、虛擬帳號或行動支付繳納。",
        ],
    },
    {
        "id": "form-inspection-registration",
        "title": "報驗義務人基本資料登記表",
        "unit": "第六課（報驗發證櫃臺）",
        "type": "odt",
        "fields": APPLICANT + [
            choice("義務人類別", ["輸入人", "產製者", "其他"], [0]),
            field("營業項目", "家用電器批發及進口"),
            field("工廠登記編號（國內產製者）", "無（輸入人免填）"),
            field("主要報驗商品", "電熱水瓶、電暖器"),
            choice("申請線上申辦帳號", ["是", "否"], [0]),
        ],
        "notes": [
            "首次辦理報驗者填寫本表；登記資料變更時請重新填寫並註明變更項目。",
            "請附公司登記或商業登記證明文件影本；已可由跨機關電子查驗取得者免附。",
        ],
    },
    {
        "id": "form-rpc-application",
        "title": "商品驗證登錄申請書",
        "unit": "第一課",
        "type": "odt",
        "fields": APPLICANT + [
            field("商品名稱", "電熱水瓶"),
            field("主型式", "EX-100"),
            field("系列型式", "EX-100A、EX-100B"),
            field("檢驗標準", "CNS 0000（範例）"),
            choice("驗證模式", ["模式二＋模式三", "模式二＋模式四"], [0]),
            field("型式試驗報告編號", "RPT-0000-000（範例）"),
            field("生產廠場名稱及地址", "範例電器工廠，臺南市永康區範例路 1 號"),
        ],
        "notes": [
            "型式試驗報告應由本局認可之指定實驗室出具。",
            "驗證登錄證書有效期限 3 年，期滿前得申請延展；延展以一次為限，6 年期滿應重新申請。",
        ],
    },
    {
        "id": "form-type-approval-application",
        "title": "商品型式認可申請書",
        "unit": "第二課",
        "type": "odt",
        "fields": APPLICANT + [
            field("商品名稱", "騎乘機車用防護頭盔"),
            field("型式", "HM-200（範例）"),
            field("尺寸範圍", "M、L、XL"),
            field("檢驗標準", "CNS 0000（範例）"),
            field("指定實驗室及試驗報告編號", "範例檢驗實驗室／T-0000（範例）"),
            field("生產廠場", "範例安全帽工廠，臺南市仁德區範例路 2 號"),
        ],
        "notes": [
            "型式試驗應於本局指定之實驗室辦理。",
            "申請時請檢附型式試驗報告、商品照片及中文標示樣張。",
        ],
    },
    {
        "id": "form-cns-mark-application",
        "title": "正字標記使用申請書",
        "unit": "第三課",
        "type": "odt",
        "fields": APPLICANT + [
            field("工廠名稱", "範例股份有限公司臺南廠"),
            field("工廠地址", "臺南市新市區範例路 3 號"),
            field("產品名稱", "折合桌"),
            field("國家標準總號", "CNS 0000（範例）"),
            field("型號／規格", "FT-120（範例）"),
            field("品質管理系統驗證", "ISO 9001，證書號碼 QMS-0000（範例）"),
        ],
        "notes": [
            "本局受理後排定工廠品質管理系統評鑑及產品檢驗。",
            "核准後之收費函附報告驗證碼，可使用虛擬帳號繳費並自行列印報告。",
        ],
    },
    {
        "id": "form-voluntary-certification-application",
        "title": "自願性產品驗證申請書",
        "unit": "第三課",
        "type": "odt",
        "fields": APPLICANT + [
            field("產品名稱", "除濕機"),
            field("型號", "DH-16（範例）"),
            field("適用標準", "CNS 0000（範例）"),
            field("試驗報告編號", "VPC-0000（範例）"),
            field("生產廠場", "範例電器工廠，臺南市永康區範例路 1 號"),
        ],
        "notes": [
            "證書有效期限 3 年，期滿前得申請延展；6 年期滿應重新申請。",
        ],
    },
    {
        "id": "form-taxi-meter-verification",
        "title": "計程車計費表檢定申請書",
        "unit": "第四課（計程車檢定場）",
        "type": "odt",
        "fields": PERSON + [
            field("車牌號碼", "TST-0000（範例）"),
            choice("檢定類別", ["定期檢定", "裝置檢定", "修理後檢定"], [0]),
            field("計費表廠牌／型號", "範例牌／TM-01"),
            field("計費表器號", "000000（範例）"),
            field("輪胎規格", "205/65R15"),
            choice("行車執照", ["免附（本分局介接車籍資料查驗）"], [0]),
        ],
        "notes": [
            "本分局已介接公路主管機關車籍資料，辦理檢定免附行車執照影本。",
            "偏遠地區另有下鄉行走檢定場次，請改填「計程車計費表下鄉行走檢定報名表」。",
            "檢定合格後計費表加貼檢定合格單，有效期間屆滿前應再申請檢定。",
        ],
    },
    {
        "id": "form-taxi-rural-verification-registration",
        "title": "計程車計費表下鄉行走檢定報名表",
        "unit": "第四課",
        "type": "ods",
        "header": [
            field("場次地點", "臺南市範例區公所停車場（範例）"),
            field("聯繫窗口（車隊或駕駛代表）", "王小明／0900-000-000"),
        ],
        "columns": ["序號", "車牌號碼", "駕駛姓名", "計費表廠牌", "計費表器號", "聯絡電話", "檢定類別"],
        "rows": [
            ["1", "TST-0000", "王小明", "範例牌", "000001", "0900-000-000", "定期檢定"],
            ["2", "TST-0001", "李大同", "範例牌", "000002", "0900-000-001", "定期檢定"],
            ["3", "TST-0002", "陳小華", "測試牌", "000003", "0900-000-002", "修理後檢定"],
        ],
        "blank_rows": 10,
        "notes": [
            "每一場次需達一定車輛數始能成行，本分局將於場次前以電話通知。",
            "下鄉檢定免附行車執照；請駕駛攜帶身分證明文件備查。",
        ],
    },
    {
        "id": "form-fuel-dispenser-verification",
        "title": "油量計檢定申請書",
        "unit": "第四課／嘉義辦事處／斗六辦事處",
        "type": "ods",
        "header": [
            field("加油站名稱", "範例加油站（範例）"),
            field("加油站地址", "臺南市善化區範例路 8 號"),
            field("負責人／聯絡電話", "王小明／06-000-0000"),
            choice("優良油量計量管理加油站", ["是", "否"], [0]),
        ],
        "columns": ["序號", "加油機編號", "槍號", "油品別", "廠牌", "型號", "器號", "檢定類別"],
        "rows": [
            ["1", "1", "1", "92 無鉛汽油", "範例牌", "FD-01", "F00001", "定期檢定"],
            ["2", "1", "2", "95 無鉛汽油", "範例牌", "FD-01", "F00002", "定期檢定"],
            ["3", "2", "1", "超級柴油", "範例牌", "FD-02", "F00003", "修理後檢定"],
        ],
        "blank_rows": 12,
        "notes": [
            "嘉義縣市、雲林縣之加油站可向嘉義辦事處、斗六辦事處申請。",
            "檢定當日請準備足量油品並指派人員協助操作。",
        ],
    },
    {
        "id": "form-water-meter-verification",
        "title": "水量計檢定申請書",
        "unit": "第四課",
        "type": "odt",
        "fields": APPLICANT + [
            choice("檢定類別", ["新品檢定", "修理後檢定"], [0]),
            choice("口徑", ["DN13", "DN20", "DN25", "其他"], [0]),
            field("廠牌／型式", "範例牌／WM-13"),
            field("數量", "500 具"),
            field("器號起訖", "W000001～W000500（範例）"),
            field("送檢地點", "本分局水量計檢定室"),
        ],
        "notes": [
            "DN13 至 DN25 水量計以自動化檢測系統執行，系統自動調整流率。",
            "請以原包裝送件並附器號清冊（ODS 或 CSV 格式）。",
        ],
    },
    {
        "id": "form-measuring-tank-verification",
        "title": "量桶檢定申請書",
        "unit": "第四課",
        "type": "odt",
        "fields": APPLICANT + [
            field("量桶標稱容量", "20 公升"),
            field("材質", "不鏽鋼"),
            field("數量", "2 具"),
            field("器號", "T0001、T0002（範例）"),
            choice("檢定類別", ["定期檢定", "修理後檢定"], [0]),
        ],
        "notes": [
            "量桶檢定採自動控制及影像辨識設備，請於約定時間送達本分局量桶檢定室。",
            "量桶外觀應清潔、無凹損，刻度板清晰。",
        ],
    },
    {
        "id": "form-meter-dispute-examination",
        "title": "度量衡器糾紛鑑定申請書",
        "unit": "第四課／嘉義辦事處／斗六辦事處",
        "type": "odt",
        "fields": [
            field("申請人姓名", "王小明"),
            choice("申請人身分", ["用戶本人", "受用戶委託之人"], [1]),
            field("用戶名稱", "王大明"),
            field("聯絡電話", "0900-000-000"),
            field("裝設地址", "70099 臺南市中西區範例路 100 號"),
            choice("器具種類", ["水量計", "電度表", "氣量計", "其他"], [0]),
            field("用戶號碼（水號／電號）", "00-00000000-0（範例）"),
            field("器號", "W000123（範例）"),
            field("申請鑑定原因", "111 年 1 月份水費較平日高出約 2 倍，懷疑水表計量不準。"),
        ],
        "signature": "申請人簽名（免蓋章）",
        "notes": [
            "本申請書免蓋章，簽名即可。",
            "用戶本人或受託他人均可申請；申請人非用戶本人時，不需出具授權書。",
            "可臨櫃、郵寄或線上申辦；線上申辦說明懶人包置於本分局網站首頁。",
            "鑑定結果以書面通知申請人及器具所有人（自來水、電力或瓦斯事業）。",
        ],
    },
    {
        "id": "form-free-check-request",
        "title": "耳溫槍、血壓計、體重計免費檢測申請表",
        "unit": "第四課／嘉義辦事處／斗六辦事處",
        "type": "ods",
        "header": [
            field("申請單位（學校、醫院、社區或團體）", "範例國民小學"),
            field("聯絡人／電話", "陳小華／06-000-0000"),
            field("希望檢測日期", "111 年 4 月 20 日上午"),
            choice("服務方式", ["送至本分局", "到點服務（偏遠或交通不便地區）"], [1]),
        ],
        "columns": ["序號", "器具種類", "廠牌", "型號", "數量", "備註"],
        "rows": [
            ["1", "耳溫槍", "範例牌", "ET-1", "12", "保健室用"],
            ["2", "血壓計", "範例牌", "BP-2", "3", ""],
            ["3", "體重計", "測試牌", "BS-3", "2", "電子式"],
        ],
        "blank_rows": 10,
        "notes": [
            "本項服務免費；檢測結果僅供參考，不屬法定檢定。",
            "到點服務優先提供特殊或弱勢族群、偏遠或交通不便地區、學校及醫院。",
        ],
    },
    {
        "id": "form-education-center-booking",
        "title": "安全商品教育中心參訪預約表",
        "unit": "第五課",
        "type": "odt",
        "fields": [
            field("團體名稱", "範例國民中學"),
            field("參訪日期", "111 年 5 月 10 日"),
            choice("時段", ["上午 9:30–11:30", "下午 14:00–16:00"], [0]),
            field("參訪人數", "35 人"),
            choice("參訪對象", ["國小", "國中", "高中職", "大專", "社區團體", "其他"], [1]),
            field("聯絡人／電話", "陳小華／06-000-0000"),
            field("電子郵件", "sample@example.com"),
            field("特殊需求（無障礙、導覽重點）", "1 位同學使用輪椅；希望介紹玩具及電器安全。"),
        ],
        "signature": "聯絡人簽名",
        "notes": [
            "請於參訪日 14 日前預約，亦可使用線上參訪預約服務。",
            "參訪免費；本分局將以電話或電子郵件確認預約。",
        ],
    },
    {
        "id": "form-weighing-instrument-inspection",
        "title": "衡器檢查申請書",
        "unit": "第四課／嘉義辦事處／斗六辦事處",
        "type": "odt",
        "fields": APPLICANT + [
            field("使用場所", "範例五金百貨，臺南市東區範例路 5 號"),
            choice("衡器種類", ["電子秤", "非自動衡器（台秤）", "地磅", "其他"], [0]),
            field("最大秤量／分度", "30 kg／10 g"),
            field("廠牌／型號", "範例牌／ES-30"),
            field("器號及數量", "S0001～S0003，共 3 台（範例）"),
        ],
        "notes": [
            "交易使用之衡器應依規定接受檢定、檢查；本分局亦於春節前會同地方政府辦理聯合稽查。",
        ],
    },
    {
        "id": "form-online-account-application",
        "title": "線上申辦帳號申請書",
        "unit": "第六課",
        "type": "odt",
        "fields": APPLICANT + [
            field("帳號使用人（職稱）", "報關專員"),
            field("使用人電子郵件", "sample@example.com"),
            choice("申辦業務", ["商品報驗", "度量衡器檢定", "驗證登錄", "糾紛鑑定"], [0, 1]),
            choice("繳費方式", ["虛擬帳號", "行動支付", "信用卡"], [1]),
        ],
        "notes": [
            "帳號啟用後，線上申辦免再附各類申請書及公司基本資料。",
            "帳號密碼請妥善保管；使用人異動時請重新申請。",
        ],
    },
    {
        "id": "form-certificate-renewal",
        "title": "驗證登錄／自願性產品驗證證書延展及重新申請書",
        "unit": "第一課",
        "type": "odt",
        "fields": APPLICANT + [
            choice("證書類別", ["商品驗證登錄證書", "自願性產品驗證證書"], [0]),
            field("證書字號", "R00000（範例）"),
            field("證書有效期限", "111 年 12 月 31 日"),
            choice("申請類別", ["延展（3 年到期）", "重新申請（6 年到期）"], [0]),
            field("商品名稱／型式", "電熱水瓶／EX-100"),
            choice("產品或標準有無變更", ["無變更", "有變更（請附說明）"], [0]),
        ],
        "notes": [
            "本分局於證書 3 年到期前寄發延展通知、6 年到期前寄發重新申請通知。",
            "延展申請請於有效期限屆滿前提出；逾期者應重新申請。",
        ],
    },
    {
        "id": "form-complaint",
        "title": "民眾申訴陳情書",
        "unit": "第六課（為民服務）",
        "type": "odt",
        "fields": [
            field("陳情人姓名", "王小明"),
            field("聯絡電話", "0900-000-000"),
            field("通訊地址或電子郵件", "sample@example.com"),
            choice("陳情類別", ["商品安全", "度量衡器", "服務態度", "案件處理", "其他"], [1]),
            field("事實經過", "於範例市場購買水果，家中秤重少 300 公克，懷疑攤商磅秤不準。"),
            field("希望處理方式", "請派員檢查該攤商之磅秤。"),
            field("附件", "購買收據照片 1 張"),
        ],
        "signature": "陳情人簽名",
        "notes": [
            "本分局依行政程序法及「申訴、抱怨及爭議處理作業程序」辦理，並依限回覆。",
            "陳情人姓名及聯絡方式請確實填寫，以便回覆；本分局對陳情人資料予以保密。",
        ],
    },
]


# --------------------------------------------------------------------------- styles


def _text_style(name: str, family: str, size: str, bold: bool = False, align: str | None = None,
                color: str | None = None, border: str | None = None) -> Style:
    style = Style(name=name, family=family)
    text = {"fontsize": size, "fontsizeasian": size}
    if bold:
        text.update(fontweight="bold", fontweightasian="bold")
    if color:
        text["color"] = color
    style.addElement(TextProperties(**text))
    para = {"margintop": "0.1cm", "marginbottom": "0.1cm"}
    if align:
        para["textalign"] = align
    if border:
        para.update(border=border, padding="0.1cm")
    style.addElement(ParagraphProperties(**para))
    return style


def _row_style() -> Style:
    """Rows tall enough to fill in by hand on a printed form."""
    style = Style(name="FieldRow", family="table-row")
    style.addElement(TableRowProperties(minrowheight="0.9cm", useoptimalrowheight="true"))
    return style


class _Styles:
    """The automatic styles of a text form, added once per document."""

    def __init__(self, doc) -> None:
        family = "paragraph"
        self.title = _text_style("FormTitle", family, "18pt", bold=True, align="center")
        self.agency = _text_style("Agency", family, "12pt", align="center")
        self.banner = _text_style("Banner", family, "12pt", bold=True, align="center",
                                  color="#b00000", border="0.06pt solid #b00000")
        self.heading = _text_style("Heading", family, "12pt", bold=True)
        self.body = _text_style("Body", family, "11pt")
        self.small = _text_style("Small", family, "10pt")
        self.label = _text_style("Label", family, "11pt", bold=True)
        self.label_cell = Style(name="LabelCell", family="table-cell")
        self.label_cell.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.12cm",
                                                       backgroundcolor="#eeeeee"))
        self.value_cell = Style(name="ValueCell", family="table-cell")
        self.value_cell.addElement(TableCellProperties(border="0.5pt solid #000000", padding="0.12cm"))
        self.table = Style(name="FormTable", family="table")
        self.table.addElement(TableProperties(width="17cm", align="center"))
        self.col_label = Style(name="ColLabel", family="table-column")
        self.col_label.addElement(TableColumnProperties(columnwidth="5cm"))
        self.col_value = Style(name="ColValue", family="table-column")
        self.col_value.addElement(TableColumnProperties(columnwidth="12cm"))
        self.row = _row_style()
        for style in (self.title, self.agency, self.banner, self.heading, self.body, self.small, self.label,
                      self.label_cell, self.value_cell, self.table, self.col_label, self.col_value, self.row):
            doc.automaticstyles.addElement(style)


# --------------------------------------------------------------------------- building


def _set_meta(doc, title: str) -> None:
    doc.meta.addElement(dc.Title(text=title))
    doc.meta.addElement(dc.Creator(text=AGENCY))
    doc.meta.addElement(meta.InitialCreator(text=AGENCY))
    doc.meta.addElement(dc.Language(text="zh-TW"))
    doc.meta.addElement(meta.CreationDate(text=DOC_DATE))
    doc.meta.addElement(dc.Date(text=DOC_DATE))


def _cell(text: str, style, para_style) -> TableCell:
    cell = TableCell(stylename=style, valuetype="string") if style else TableCell(valuetype="string")
    cell.addElement(P(stylename=para_style, text=text))
    return cell


def _value(item: dict[str, str], example: bool) -> str:
    return item["example"] if example else item["blank"]


def _preamble(form: dict, example: bool) -> list[tuple[str, str]]:
    """(style, text) lines printed above the field table."""
    lines = [("agency", AGENCY), ("title", form["title"])]
    if example:
        lines.append(("banner", EXAMPLE_BANNER))
    lines.append(("small", f"承辦單位：{form['unit']}　　收件編號：＿＿＿＿＿＿（由本分局填寫）"))
    return lines


def _closing(form: dict, example: bool) -> list[tuple[str, str]]:
    signature = form.get("signature", DEFAULT_SIGNATURE)
    signed = "王小明" if example else "＿＿＿＿＿＿＿＿"
    lines = [("body", f"{signature}：{signed}"), ("body", f"申請日期：{EXAMPLE_DATE if example else BLANK_DATE}"),
             ("heading", "注意事項")]
    lines += [("small", f"{n}. {note}") for n, note in enumerate(form["notes"] + [PRIVACY_NOTE], start=1)]
    lines.append(("small", AGENCY_LINE))
    return lines


def build_text(form: dict, example: bool) -> OpenDocumentText:
    doc = OpenDocumentText()
    styles = _Styles(doc)
    _set_meta(doc, form["title"] + ("（填寫範例）" if example else ""))
    for kind, text in _preamble(form, example):
        if kind == "title":
            doc.text.addElement(H(outlinelevel=1, stylename=styles.title, text=text))
        else:
            doc.text.addElement(P(stylename=getattr(styles, kind), text=text))
    table = Table(name="申請資料", stylename=styles.table)
    table.addElement(TableColumn(stylename=styles.col_label))
    table.addElement(TableColumn(stylename=styles.col_value))
    for item in form["fields"]:
        row = TableRow(stylename=styles.row)
        row.addElement(_cell(item["label"], styles.label_cell, styles.label))
        row.addElement(_cell(_value(item, example), styles.value_cell, styles.body))
        table.addElement(row)
    doc.text.addElement(table)
    for kind, text in _closing(form, example):
        doc.text.addElement(P(stylename=getattr(styles, kind), text=text))
    return doc


def _cell_style(doc, name: str, size: str, bold: bool = False, align: str = "start", color: str | None = None,
                border: str | None = None, background: str | None = None) -> Style:
    """A spreadsheet cell style: in ODS the cell style, not the paragraph, carries the font."""
    style = Style(name=name, family="table-cell")
    text = {"fontsize": size, "fontsizeasian": size}
    if bold:
        text.update(fontweight="bold", fontweightasian="bold")
    if color:
        text["color"] = color
    style.addElement(TextProperties(**text))
    cell = {"wrapoption": "wrap", "verticalalign": "middle", "padding": "0.08cm"}
    if border:
        cell["border"] = border
    if background:
        cell["backgroundcolor"] = background
    style.addElement(TableCellProperties(**cell))
    style.addElement(ParagraphProperties(textalign=align))
    doc.automaticstyles.addElement(style)
    return style


def build_sheet(form: dict, example: bool) -> OpenDocumentSpreadsheet:
    doc = OpenDocumentSpreadsheet()
    _set_meta(doc, form["title"] + ("（填寫範例）" if example else ""))
    line = "0.5pt solid #000000"
    cells = {
        "agency": _cell_style(doc, "CAgency", "12pt", align="center"),
        "title": _cell_style(doc, "CTitle", "16pt", bold=True, align="center"),
        "banner": _cell_style(doc, "CBanner", "12pt", bold=True, align="center", color="#b00000",
                              border="0.06pt solid #b00000"),
        "heading": _cell_style(doc, "CHeading", "12pt", bold=True),
        "body": _cell_style(doc, "CBody", "11pt"),
        "small": _cell_style(doc, "CSmall", "10pt"),
        "label": _cell_style(doc, "CLabel", "11pt", bold=True, border=line, background="#eeeeee"),
        "value": _cell_style(doc, "CValue", "11pt", border=line),
    }
    columns = form["columns"]
    width = len(columns)
    column_style = Style(name="CCol", family="table-column")
    column_style.addElement(TableColumnProperties(columnwidth=f"{17.0 / width:.2f}cm"))
    doc.automaticstyles.addElement(column_style)
    field_row = _row_style()
    entry_row = Style(name="EntryRow", family="table-row")  # Calc ignores min-row-height: fix it
    entry_row.addElement(TableRowProperties(rowheight="0.9cm", useoptimalrowheight="false"))
    for style in (field_row, entry_row):
        doc.automaticstyles.addElement(style)
    table = Table(name=form["title"][:31])
    table.addElement(TableColumn(stylename=column_style, numbercolumnsrepeated=width))

    def spanned(row: TableRow, text: str, style: Style, span: int) -> None:
        cell = TableCell(stylename=style, valuetype="string", numbercolumnsspanned=span)
        cell.addElement(P(text=text))
        row.addElement(cell)
        for _ in range(span - 1):
            row.addElement(CoveredTableCell())

    def full_line(kind: str, text: str) -> None:
        row = TableRow()
        spanned(row, text, cells[kind], width)
        table.addElement(row)

    for kind, text in _preamble(form, example):
        full_line(kind, text)
    label_span = 2 if width > 3 else 1
    for item in form["header"]:
        row = TableRow(stylename=field_row)
        spanned(row, item["label"], cells["label"], label_span)
        spanned(row, _value(item, example), cells["value"], width - label_span)
        table.addElement(row)
    header = TableRow()
    for name in columns:
        spanned(header, name, cells["label"], 1)
    table.addElement(header)
    rows = form["rows"] if example else [[str(n)] + [""] * (width - 1)
                                         for n in range(1, form["blank_rows"] + 1)]
    for values in rows:
        row = TableRow(stylename=entry_row)
        for value in values:
            spanned(row, value, cells["value"], 1)
        table.addElement(row)
    for kind, text in _closing(form, example):
        full_line(kind, text)
    doc.spreadsheet.addElement(table)
    return doc


def _fixed_zip(doc) -> bytes:
    """The document's ZIP with every entry stamped ZIP_DATE (odfpy stamps the current time)."""
    raw = io.BytesIO()
    doc.write(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():  # odfpy writes 'mimetype' first and stored, as ODF requires
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def file_names(form: dict) -> tuple[str, str]:
    """(blank form, filling example) file names for a form."""
    return f"{form['id']}.{form['type']}", f"{form['id']}-example.{form['type']}"


def write_forms(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    build = {"odt": build_text, "ods": build_sheet}
    for form in FORMS:
        for name, example in zip(file_names(form), (False, True), strict=True):
            path = out_dir / name
            path.write_bytes(_fixed_zip(build[form["type"]](form, example)))
            written.append(path)
    return written


def main(argv: list[str]) -> int:
    if len(argv) > 2 or (len(argv) == 2 and argv[1] in ("-h", "--help")):
        print(__doc__.strip())
        return 0 if len(argv) == 2 else 2
    default = Path(__file__).resolve().parent.parent / "content" / "files" / "forms"
    out_dir = Path(argv[1]) if len(argv) == 2 else default
    written = write_forms(out_dir)
    print(f"wrote {len(written)} files ({len(FORMS)} forms) to {out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
