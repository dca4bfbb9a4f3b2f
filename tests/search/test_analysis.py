"""Analysis and query-layer units: folding, query syntax, sound keys, Zhuyin, typo map, synonyms."""

from __future__ import annotations

from collections import Counter

from gongkai.search_index.lexicon import Lexicon
from gongkai.search_index.normalize import clean, fold, units
from gongkai.search_index.params import MAX_QUERY, ParamError, parse_params
from gongkai.search_index.parse import Item, parse
from gongkai.search_index.pinyin import sound_keys, zhuyin_to_key
from gongkai.search_index.synonyms import Synonyms


def test_fold_simplified_fullwidth_and_case():
    assert fold("检定") == "檢定"
    assert fold("ＣＮＳ") == "cns"
    assert fold("台灣") == fold("臺灣")


def test_clean_removes_control_and_invisible_characters():
    assert clean("水\x00表\u200b  檢定\n") == "水 表 檢定"


def test_units_are_characters_and_latin_runs():
    assert units("CNS 標記 dn13") == ["cns", "標", "記", "dn13"]


def test_query_syntax_never_fails():
    assert parse('"水量計 檢定" -加油站 +cns') == [Item("水量計 檢定", phrase=True), Item("加油站", negated=True), Item("cns")]
    assert parse('"unclosed') == [Item("unclosed", phrase=True)]
    assert parse("「正字標記」") == [Item("正字標記", phrase=True)]
    assert parse("- + \"\" ") == []
    assert len(parse("字 " * 500)) == 12


def test_sound_keys_use_the_phrase_reading():
    assert sound_keys("會計") == ("kuai4 ji4",)  # not hui4 ji4
    assert sound_keys("檢定") == ("jian3 ding4",)
    assert "dian4 zi3" in sound_keys("電子")  # neutral tone typed with its full tone


def test_zhuyin_to_toned_pinyin():
    assert zhuyin_to_key("ㄐㄧㄢˇ ㄉㄧㄥˋ") == "jian3 ding4"
    assert zhuyin_to_key("ㄐㄧㄢˇㄉㄧㄥˋ") == "jian3 ding4"
    assert zhuyin_to_key("ㄐㄧˋ ㄔㄥˊ ㄔㄜ") == "ji4 cheng2 che1"
    assert zhuyin_to_key("ㄅㄅㄅㄅㄅˇ") is None


def _lexicon(*words: str) -> Lexicon:
    return Lexicon.build(Counter({w: 10 - i for i, w in enumerate(words)}), {})


def test_typo_map_finds_one_edit_without_scanning():
    lexicon = _lexicon("計費表", "水量計", "檢定", "metrology", "電子秤")
    assert lexicon.corrections("計費錶") == ["計費表"]  # wrong character
    assert lexicon.corrections("計表") == ["計費表"]  # missing character
    assert lexicon.corrections("水量量計") == ["水量計"]  # extra character
    assert lexicon.corrections("定檢") == ["檢定"]  # swapped
    assert lexicon.corrections("metrolgy") == ["metrology"]
    assert lexicon.corrections("檢訂") == []  # no substitution in 2-character words: it matches almost anything


def test_homophones_are_toned_and_same_length():
    lexicon = _lexicon("檢定", "鑑定", "簡定", "會計")
    assert "簡定" in lexicon.homophones("減定")
    assert "鑑定" not in lexicon.homophones("減定")  # jian4 ≠ jian3
    assert lexicon.homophones("快計") == ["會計"]


def test_synonym_file(tmp_path):
    path = tmp_path / "synonyms.txt"
    path.write_text("# comment\n計量, 度量衡\n報驗、申請檢驗\n孤單\n", encoding="utf-8")
    synonyms = Synonyms.load(path)
    assert synonyms.of("計量") == ["度量衡"]
    assert synonyms.of("申請檢驗") == ["報驗"]
    assert synonyms.problems and "synonyms.txt:4" in synonyms.problems[0]


def test_parameters_are_validated_with_the_parameter_named():
    codes = {"themes": {"110": 1}, "policies": {"P20": 1}, "services": {"E00": 1}, "units": {"sec4": 1}}
    params = parse_params({"q": " 水表 ", "section": "form", "page": "2"}, "zh-Hant-TW", codes)
    assert (params.q, params.section, params.page) == ("水表", "form", 2)
    for args, name in (({"q": "字" * (MAX_QUERY + 1)}, "q"), ({"page": "0"}, "page"), ({"page": "x"}, "page"),
                       ({"theme": "999"}, "theme"), ({"section": "<x>"}, "section"), ({"sort": "random"}, "sort"),
                       ({"year": "20x4"}, "year"), ({"kind": "cat"}, "kind")):
        try:
            parse_params(args, "zh-Hant-TW", codes)
        except ParamError as error:
            assert error.parameter == name and name in error.message
        else:
            raise AssertionError(f"{args} was accepted")


def test_zhuyin_spellings_with_two_readings_take_the_common_one_in_every_process() -> None:
    # ㄇㄨˋ is also pypinyin's spelling of the interjection m̀; the table was built from a set,
    # so which reading won changed with the process's hash seed
    assert zhuyin_to_key("ㄇㄨˋ") == "mu4"
    assert zhuyin_to_key("ㄇㄨˊ") == "mu2"
    assert zhuyin_to_key("ㄨㄥˋ") == "weng4"
