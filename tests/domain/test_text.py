import datetime as dt
from decimal import Decimal

import pytest

from xinyong_desktop.domain.text import (
    decision_number_key,
    find_dates,
    normalize_decision_number,
    normalize_name,
    parse_amount,
    parse_cn_amount,
    parse_date,
    to_halfwidth,
    to_simplified,
    traditional_share,
)


@pytest.mark.parametrize("raw,want", [
    ("5,000.00元", "5000.00"), ("5000元", "5000.00"), ("¥5,000", "5000.00"), ("￥5000", "5000.00"),
    ("人民币伍仟元整", "5000.00"), ("伍仟元正", "5000.00"), ("壹拾万元整", "100000.00"), ("100,000.00", "100000.00"),
    ("叁万元整", "30000.00"), ("壹万贰仟元整", "12000.00"), ("壹拾万零伍佰元整", "100500.00"),
    ("伍佰元伍角", "500.50"), ("伍佰元零伍分", "500.05"), ("3万元", "30000.00"), ("罚款１２，０００元", "12000.00"),
    ("壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分", "1234567.89"), ("壹亿元整", "100000000.00"),
])
def test_amounts(raw, want):
    assert parse_amount(raw) == Decimal(want)


@pytest.mark.parametrize("raw", ["", "元", "无", "整"])
def test_not_amounts(raw):
    assert parse_amount(raw) is None and parse_cn_amount(raw) is None


@pytest.mark.parametrize("raw,want", [
    ("2024年3月5日", "2024-03-05"), ("2024-03-05", "2024-03-05"), ("2024.3.5", "2024-03-05"), ("2024/03/05", "2024-03-05"),
    ("二〇二四年三月五日", "2024-03-05"), ("二零二四年十二月二十一日", "2024-12-21"), ("二〇二五年十月三十日", "2025-10-30"),
    ("２０２４年３月５日", "2024-03-05"), ("2024 年 3 月 5 日", "2024-03-05"), ("于2023-12-04受到", "2023-12-04"),
])
def test_dates(raw, want):
    assert parse_date(raw) == dt.date.fromisoformat(want)


@pytest.mark.parametrize("raw", ["2024年2月30日", "2024-13-01", "电话 13812345678"])
def test_not_dates(raw):
    assert parse_date(raw) is None


def test_dates_in_order():
    got = [d for d, _, _ in find_dates("有效期限 2015.03.12-2035.03.12")]
    assert got == [dt.date(2015, 3, 12), dt.date(2035, 3, 12)]


@pytest.mark.parametrize("raw", [
    "常市监处罚〔2024〕123号", "常市监处罚[2024]123号", "常市监处罚【2024】123号", "常市监处罚（2024）123号",
    "常市监处罚(2024)123号", "常市监处罚 〔2024〕 123 号", "常市监处罚［２０２４］１２３号",
])
def test_decision_number_bracket_variants_are_one_number(raw):
    assert normalize_decision_number(raw) == "常市监处罚〔2024〕123号"
    assert decision_number_key(raw) == decision_number_key("常市监处罚〔2024〕123号")


def test_decision_number_with_zi_and_di():
    assert normalize_decision_number("常市监罚字[2024]第123号") == "常市监罚字〔2024〕第123号"
    assert decision_number_key("常市监罚字〔2024〕第123号") == decision_number_key("常市监罚字〔2024〕123号")
    assert decision_number_key("常市监处罚〔2024〕123号") != decision_number_key("常市监处罚〔2024〕124号")
    assert decision_number_key("常市监处罚〔2024〕123号") != decision_number_key("常市监处罚〔2023〕123号")


def test_decision_number_in_prose_loses_its_context():
    assert normalize_decision_number("日收到贵单位作出的常应急罚（2024)28号") == "常应急罚〔2024〕28号"
    assert normalize_decision_number("办理常应急罚〔2023〕27号") == "常应急罚〔2023〕27号"
    assert normalize_decision_number("常市监处罚〔2025\n659号") == "常市监处罚〔2025〕659号"
    assert normalize_decision_number("罚款100元") is None


@pytest.mark.parametrize("raw,want", [
    ("常州市某某(集团)有限公司", "常州市某某（集团）有限公司"),
    ("常州市 青枫物流 有限公司", "常州市青枫物流有限公司"),
    ("常州市某某（集团）有限公司", "常州市某某（集团）有限公司"),
])
def test_names(raw, want):
    assert normalize_name(raw) == want


def test_limited_company_forms_stay_different():
    assert normalize_name("常州市青枫物流有限公司") != normalize_name("常州市青枫物流有限责任公司")


def test_halfwidth():
    assert to_halfwidth("ＡＢＣ１２３：") == "ABC123:"


# ---------------------------------------------------------------- real wordings (issue 23): cn2an and OpenCC
@pytest.mark.parametrize("raw,want", [
    ("0.7万元", "7000.00"), ("1.2万元", "12000.00"), ("处罚款人民币0.26万元整", "2600.00"), ("科处罚款人民币3万元", "30000.00"),
    ("罚款金额为人民币9880元整", "9880.00"), ("玖仟捌佰捌拾元整", "9880.00"), ("壹万贰仟伍佰元整", "12500.00"),
    ("伍万伍仟陆佰肆拾捌元柒角叁分", "55648.73"), ("以上应缴款项共计55648.73元", "55648.73"), ("貳萬元整", "20000.00"),
    ("人民幣壹仟元整", "1000.00"), ("贰拾元零伍角", "20.50"),
])
def test_real_amount_wordings(raw, want):
    assert parse_amount(raw) == Decimal(want)


@pytest.mark.parametrize("raw", ["1.2345元", "零元", "元整"])
def test_not_real_amounts(raw):
    assert parse_amount(raw) is None


@pytest.mark.parametrize("raw,want", [
    ("二〇二四年九月五日", "2024-09-05"), ("二○二三年十月十日", "2023-10-10"), ("二〇二四年十二月三十一日", "2024-12-31"),
    ("二〇二五年 一 月 二十 日", "2025-01-20"), ("（印章）二〇二四年九月五日", "2024-09-05"),
])
def test_chinese_numeral_dates(raw, want):
    assert parse_date(raw) == dt.date.fromisoformat(want)


@pytest.mark.parametrize("raw", ["二〇二四年二月三十日", "二〇二四年十三月一日"])
def test_impossible_chinese_numeral_dates(raw):
    assert parse_date(raw) is None


def test_traditional_text_is_read_as_simplified_character_for_character():
    printed = "中華人民共和國文錦渡海關 行政處罰決定書 當事人：宜昌天鉆農業開發有限公司"
    got = to_simplified(printed)
    assert got == "中华人民共和国文锦渡海关 行政处罚决定书 当事人：宜昌天钻农业开发有限公司"
    assert len(got) == len(printed)  # every character keeps its box
    assert traditional_share(printed) > 0.3
    assert traditional_share(got) == 0.0
    assert to_simplified("常州市青枫物流有限公司 2024年") == "常州市青枫物流有限公司 2024年"


@pytest.mark.parametrize("raw", ["贵局常环行罚〔2025〕767号", "贵单位以常环行罚〔2025〕767号", "你局常环行罚〔2025〕767号"])
def test_the_words_addressing_the_authority_are_no_part_of_the_number(raw):
    assert normalize_decision_number(raw) == "常环行罚〔2025〕767号"
