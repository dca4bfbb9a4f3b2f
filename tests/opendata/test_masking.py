"""The maskers beside the gate's detectors (mask_name, mask_phone, mask_text), used by the case
exports: each keeps only what the issue allows, and what they leave passes the gate itself."""

from __future__ import annotations

import pytest

from gongkai.opendata.gate import Allowances, mask_name, mask_phone, mask_text, scan_cell
from tests.opendata.test_gate import NATIONAL_ID, RESIDENT_NEW, RESIDENT_OLD

NOBODY = Allowances(frozenset(), "example.gov.tw")


@pytest.mark.parametrize(("name", "masked"), [("王小明", "王○○"), ("歐陽小明", "歐陽○○"), ("張三", "張○"), ("林", "林"), (" 陳大文 ", "陳○○"),
                                              ("John Smith", "J*** S****"), ("Mary-Ann O'Neil", "M******* O*****"), ("", "")])
def test_a_name_keeps_its_surname_only(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(("number", "masked"), [("0912-345-678", "0912-***-678"), ("0912345678", "0912***678"),
                                                ("(02)2345-6789", "(02)23**-*789"), ("+886 912 345 678", "+886 9** *** 678"),
                                                ("2345-678", "****-*78"), ("110", "***"), ("", "")])
def test_a_phone_keeps_the_first_four_and_last_three_digits_of_a_full_number(number, masked):
    assert mask_phone(number) == masked


def test_free_text_loses_every_address_id_phone_and_name_and_then_passes_the_gate():
    text = (f"承辦人 陳大文 說，王小明（{NATIONAL_ID}、{RESIDENT_NEW.lower()}、{RESIDENT_OLD}）可用 wang.ming@gmail.com、"
            "0912-345-678、(02)2345-6789 或 02 2345 6789 聯絡，辦公室 2345678 分機 12。")
    masked = mask_text(text, names=["王小明"], phones=["2345678"])
    for personal in ("陳大文", "王小明", NATIONAL_ID, RESIDENT_NEW.lower(), RESIDENT_OLD, "wang.ming", "345-678", "2345-6789", "2345 6789", "2345678"):
        assert personal not in masked, personal
    assert "承辦人 陳○○ 說，王○○（" in masked and "w***@gmail.com" in masked and "0912-***-678" in masked and "(02)23**-*789" in masked
    assert list(scan_cell(masked, NOBODY)) == []
    assert len(list(scan_cell(text, NOBODY))) >= 7  # the same text unmasked: the gate finds them all


def test_what_is_no_personal_data_stays():
    text = "案件 1151202-482913 於 2026-12-03 受理，共 3 頁；編號 A123456780 的校驗碼不對，不是身分證號。John 來信。"
    assert mask_text(text) == text
    assert mask_text("John Smith wrote", names=["john smith"]) == "J*** S**** wrote"  # a known name whatever its case


def test_a_short_latin_name_is_masked_as_a_word_only():
    assert mask_text("Li wrote to the public library; li again.", names=["Li"]) == "L* wrote to the public library; l* again."


def test_an_internationalised_address_and_the_writers_own_are_masked_in_text():
    # the mailbox accepts SMTPUTF8 addresses (email_validator gives 例子.台灣, not punycode)
    masked = mask_text("回信請寄 wang@例子.台灣 或 小明@gmail.com，也可寄 WANG@Example.com", emails=["wang@example.com"])
    assert "wang@例子" not in masked and "小明@" not in masked and "WANG@" not in masked
    assert "w***@例子.台灣" in masked and "W***@Example.com" in masked
