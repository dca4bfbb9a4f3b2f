"""The personal-data gate and personal names: a name marked by a role word before it, a title
after it or a column of people is reported masked and blocks publication; unit names, place
names, ordinary words, titles of laws and masked names pass.

Only the gate's own entry points are used here (scan_cell, scan_dataset, validate_all), so the
false-alarm cases also hold for a gate that does not look for names at all."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gongkai.model import load_content
from gongkai.opendata.gate import Allowances, scan_cell, scan_dataset
from gongkai.opendata.packages import Dataset, Field
from gongkai.opendata.validate import validate_all


@pytest.fixture
def allow(corpus) -> Allowances:
    return Allowances.of_agency(corpus.agency)


def names_in(text: str, allow: Allowances) -> list[str]:
    return [found.message for found in scan_cell(text, allow) if found.code == "data.personal-name"]


# (cell, the masked name reported, the context word the message names, the name itself)
PLANTED = [
    ("承辦人 王小明", "王○明", "承辦人", "王小明"),
    ("聯絡 陳大文先生", "陳○文", "先生", "陳大文"),
    ("請洽林小姐", "林○", "小姐", "林小"),
    ("歐陽娜娜女士", "歐○○娜", "女士", "歐陽娜娜"),
    ("承辦人：李四", "李○", "承辦人", "李四"),
    ("承辦人\u3000李四", "李○", "承辦人", "李四"),  # a full-width space
    ("聯絡人王小明", "王○明", "聯絡人", "王小明"),
    ("承辦人為張家豪", "張○豪", "承辦人", "張家豪"),
    ("本案承辦人王小明負責", "王○明", "承辦人", "王小明"),
    ("技正 高志明 06-226-4111", "高○明", "技正", "高志明"),  # an office number passes, the name does not
    ("陳情人：林雅婷", "林○婷", "陳情人", "林雅婷"),
    ("檢舉人 吳淑芬", "吳○芬", "檢舉人", "吳淑芬"),
    ("申請人（黃國華）", "黃○華", "申請人", "黃國華"),
    ("負責人 韓國瑜", "韓○瑜", "負責人", "韓國瑜"),  # 韓國 is a word, 韓國瑜 a name
    ("經辦 司馬光", "司○光", "經辦", "司馬光"),
    ("聯絡人 張簡文華", "張○○華", "聯絡人", "張簡文華"),
    ("申請人 范姜小美", "范○○美", "申請人", "范姜小美"),
    ("洽詢專線 黃小姐", "黃○", "小姐", "黃小"),
    ("王先生來電詢問計程車計費表檢定", "王○", "先生", "王先"),
    ("本案由邱小姐陪同稽查", "邱○", "小姐", "邱小"),
    ("謝謝林小姐", "林○", "小姐", "林小"),
    ("高雄市張先生", "張○", "先生", "張先"),
    ("蔡技士", "蔡○", "技士", "蔡技"),
    ("陳怡君小姐", "陳○君", "小姐", "陳怡君"),
    ("陈大文先生", "陈○文", "先生", "陈大文"),  # written in Simplified
    ("記者 李大同 報導", "李○同", "記者", "李大同"),
]


@pytest.mark.parametrize("text, masked, mark, secret", PLANTED, ids=[p[0] for p in PLANTED])
def test_name_marked_by_its_context_is_found_and_masked(text, masked, mark, secret, allow) -> None:
    found = names_in(text, allow)
    assert len(found) == 1, (text, found)
    assert masked in found[0] and mark in found[0], found
    assert secret not in found[0], found  # the report itself leaks nothing


def test_each_name_of_a_list_after_one_role_word_is_found(allow) -> None:
    found = names_in("負責人 王大同、陳小美", allow)
    assert len(found) == 2 and "王○同" in found[0] and "陳○美" in found[1], found


def test_the_message_names_the_context_and_the_fix_is_actionable(allow) -> None:
    [(_, found, fix)] = [f for f in scan_cell("聯絡 陳大文先生", allow) if f.code == "data.personal-name"]
    assert found == "personal name 陳○文 (after the role word 聯絡 and before the title 先生)"
    assert "王○明" in fix and "unit" in fix


UNITS = ["第一課", "第六課", "秘書室", "人事室", "資訊小組", "臺南分局", "嘉義辦事處", "斗六辦事處", "標準檢驗局",
         "經濟部標準檢驗局臺南分局", "林業試驗所", "林務局", "陳列室", "高雄市政府", "管理處", "各縣市政府"]
PLACES = ["臺南市東區", "新營區", "高雄市", "雲嘉南", "柳營區", "官田區", "白河區", "林口區", "楊梅區", "馬祖",
          "金門", "臺南市中西區", "江翠里", "70004 臺南市中西區"]
WORDS = ["電動機車", "王水", "林業", "陳列", "高壓", "黃金", "方法", "周邊", "張貼", "李子", "何時", "計程車計費表", "安全帽",
         "電器", "高壓氣體", "石化業者", "黃金價格", "周邊商品", "方式", "許可", "康復", "卓越", "謝謝", "許多", "常用",
         "包括", "符合", "任何", "連同", "管理員", "溫度計", "馬達", "雷射", "曾經", "何處", "周一至周五", "孫子"]
LAWS = ["商品檢驗法", "度量衡法", "個人資料保護法", "政府資訊公開法", "行政程序法", "消費者保護法", "商品檢驗規費收費辦法",
        "度量衡器檢定檢查辦法", "高壓氣體勞工安全規則", "石油管理法", "依商品檢驗法第十條規定辦理"]
# role words and titles followed or preceded by something that is not a name
NOT_NAMES_IN_CONTEXT = [
    "承辦人 第一課", "聯絡 本分局", "聯絡人：秘書室", "請洽 臺南分局", "請洽本分局第一課", "聯絡方式", "聯絡方式如下",
    "聯絡 林業組", "承辦人 陳列室", "聯絡 高雄市政府", "聯絡 官田區公所", "聯絡 江翠里", "聯絡 林務局", "聯絡 高壓氣體",
    "請洽標準檢驗局", "經辦 林業試驗所", "聯絡 黃金店", "聯絡 周邊商品", "聯絡 黃金價格", "聯絡 石化業者", "聯絡 馬達製造商",
    "申請人向本局申請", "申請人應於收到通知後補件", "申請人於 30 日內", "申請人得向本局申請複查", "申請人符合資格",
    "申請人連同申請書", "申請人張貼公告", "申請人張貼於網站", "申請人包括公司", "申請人為自然人者", "申請人持身分證",
    "申請人應檢附商品型式認可證書", "陳情人陳述意見", "陳情人如不服", "陳情人之個人資料", "檢舉人身分保密",
    "檢舉人得匿名", "負責人簽章", "負責人姓名", "負責人任何時候", "經辦人員", "承辦人員將於7日內回覆",
    "本局承辦人員依規定辦理", "承辦人為何不回覆", "聯絡人及電話", "聯絡時間：週一至週五", "聯絡 周一至周五", "技士考試及格",
    "主任委員", "委員會", "記者會", "攝影機", "第二課課長", "本分局分局長", "秘書室主任", "許多先生", "管理員先生",
    "梁上君子", "英文老師", "歷史老師", "高中同學", "各位先生、女士", "先生們", "臨櫃時可與承辦人一起確認受理資訊",
    "依系統或承辦人告知之進度辦理補件", "業者臨櫃時由承辦人協助完成線上申辦", "延長並通知陳情人",
]
# names written masked pass
MASKED = ["承辦人 王○明", "王○明先生", "王○先生", "承辦人 王小○", "請洽陳○○先生", "承辦人：王Ｏ明", "承辦人：王OO",
          "聯絡人 林＊明", "歐陽○娜女士", "承辦人 ○小明"]


@pytest.mark.parametrize("text", UNITS + PLACES + WORDS + LAWS + NOT_NAMES_IN_CONTEXT + MASKED)
def test_units_places_words_laws_and_masked_names_pass(text, allow) -> None:
    assert list(scan_cell(text, allow)) == []


def _dataset(tmp_path: Path, title: str, personal: bool = False, name: str = "handler") -> Dataset:
    descriptor = {"name": "people", "resources": [{"path": "data.csv"}]}
    fields = (Field("case_no", "integer", "案件序號", "案件序號"), Field(name, "string", title, "說明", personal=personal),
              Field("note", "string", "說明", "補充說明"))
    return Dataset(id="people", folder=tmp_path, descriptor=descriptor, fields=fields)


COLUMN_NAMES = ["張三豐", "王小明", "陳大文", "歐陽娜娜", "李四", "林志玲", "黃國華"]
COLUMN_NOT_NAMES = UNITS + PLACES + ["電動機車", "王水", "林業", "陳列", "高壓", "黃金", "方法", "周邊", "張貼", "李子", "何時",
                                     "計程車計費表", "安全帽", "電器", "王○明", "林○", "歐陽○娜", "本人", "代理人", ""]


@pytest.mark.parametrize("title, name", [("承辦人", "handler"), ("姓名", "name_zh"), ("聯絡人", "contact"),
                                         ("處理人員", "officer"), ("申請人姓名", "applicant")])
def test_names_in_a_column_of_people_are_found(title, name, tmp_path, allow) -> None:
    dataset = _dataset(tmp_path, title, name=name)
    rows = [[str(n), value, ""] for n, value in enumerate(COLUMN_NAMES, start=1)]
    problems = scan_dataset(dataset, allow, rows)
    assert [p.row for p in problems] == list(range(2, 2 + len(COLUMN_NAMES))), [str(p) for p in problems]
    for problem, value in zip(problems, COLUMN_NAMES, strict=True):
        assert problem.code == "data.personal-name" and problem.column == name
        assert problem.message.startswith("personal name ") and value not in str(problem)
        assert "column of people" in problem.message and '"personal": true' in problem.fix
    assert "張○豐" in problems[0].message and "歐○○娜" in problems[3].message


def test_units_places_words_and_masked_names_in_a_column_of_people_pass(tmp_path, allow) -> None:
    dataset = _dataset(tmp_path, "承辦人")
    rows = [[str(n), value, value] for n, value in enumerate(COLUMN_NOT_NAMES, start=1)]
    assert [str(p) for p in scan_dataset(dataset, allow, rows)] == []


def test_a_column_of_other_things_is_not_a_column_of_people(tmp_path, allow) -> None:
    dataset = _dataset(tmp_path, "器具種類", name="instrument")
    rows = [["1", "王小明", ""], ["2", "張三豐", ""]]  # a bare name marked by nothing passes
    assert scan_dataset(dataset, allow, rows) == []


def test_several_names_in_one_cell_of_a_column_of_people(tmp_path, allow) -> None:
    dataset = _dataset(tmp_path, "承辦人")
    problems = scan_dataset(dataset, allow, [["1", "陳大文、林小華", ""], ["2", "王小明 / 第一課", ""]])
    assert [(p.row, p.message.split(" (")[0]) for p in problems] == [
        (2, "personal name 陳○文"), (2, "personal name 林○華"), (3, "personal name 王○明")]


def test_a_personal_column_reports_an_unmasked_value_once_and_checks_masked_lists(tmp_path, allow) -> None:
    dataset = _dataset(tmp_path, "承辦人", personal=True)
    problems = scan_dataset(dataset, allow, [["1", "王先生", ""], ["2", "王○明", ""], ["3", "王○明、陳大文", ""]])
    assert [(p.row, p.message.split(" (")[0]) for p in problems] == [
        (2, "unmasked value in personal column"), (4, "personal name 陳○文")], [str(p) for p in problems]


def test_planted_names_in_free_text_block_publication(content_copy) -> None:
    folder = content_copy / "datasets" / "complaints-petitions"
    with (folder / "data.csv").open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][2] = "民眾檢舉案件（承辦人 王小明）"
    rows[2][2] = "申訴案件，請洽林小姐"
    with (folder / "data.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    corpus, _ = load_content(content_copy)
    report = validate_all(content_copy / "datasets", corpus.agency, set(corpus.codes["services"]), structure=False)
    lines = [line for line in report.lines() if line.startswith("complaints-petitions / ")]
    assert lines == [
        "complaints-petitions / data.csv / row 2 / category_name: data.personal-name: personal name 王○明 (after the role word 承辦人) — "
        "mask the name like 王○明, or name the unit and its office number instead of the person",
        "complaints-petitions / data.csv / row 3 / category_name: data.personal-name: personal name 林○ (before the title 小姐) — "
        "mask the name like 王○明, or name the unit and its office number instead of the person",
    ], lines
    assert all(p.code == "data.personal-name" for p in report.problems if p.dataset == "complaints-petitions")
    assert "complaints-petitions" not in {d.id for d in report.publishable()}


def test_the_word_lists_are_data_and_consistent() -> None:
    """The surname list is data; its Simplified forms agree with OpenCC; an agency's added role
    word is used."""
    import tomllib

    import opencc

    from gongkai.opendata import names

    data = tomllib.loads(Path(names.__file__).with_name(names.DATA).read_text(encoding="utf-8"))
    single = [c for c in data["surnames"]["single"] if names.is_han(c)]
    assert len(single) == len(set(single)) >= 100
    assert {"歐陽", "司馬", "諸葛", "張簡", "范姜"} <= set(data["surnames"]["compound"])
    t2s = opencc.OpenCC("t2s")
    assert set(data["surnames"]["single_simplified"]) == {t2s.convert(c) for c in single} - set(single)
    assert set(data["surnames"]["compound_simplified"]) == {t2s.convert(s) for s in data["surnames"]["compound"]} - set(
        data["surnames"]["compound"])
    data["context"]["roles"].append("督導")
    extended = names.Words.parse(data)
    assert [n.masked() for n in names.find_names("督導 王小明", w=extended)] == ["王○明"]
    assert names.find_names("督導 王小明") == ()
