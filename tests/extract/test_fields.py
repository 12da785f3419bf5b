"""Field reading on label/value shapes met in real materials (positioned text built line by line)."""
from __future__ import annotations

import pytest

from xinyong_desktop.extract.fields import read_fields
from xinyong_desktop.extract.layout import Glyph, PageText, build_lines


def page(*rows: str, source: str = "text") -> PageText:
    """Rows of text; "|" separates cells (a wide gap), as a table or a label/value form would."""
    glyphs = []
    for r, row in enumerate(rows):
        x = 60.0
        for cell in row.split("|"):
            for ch in cell:
                if ch != " ":
                    glyphs.append(Glyph(ch, x, 80 + 24 * r, x + 12, 92 + 24 * r))
                x += 12
            x += 60
    return PageText(595, 842, build_lines(glyphs), source)


def read(kind: str, pt: PageText, rules) -> dict[str, str]:
    return {str(k): v.value for k, v in read_fields([(1, pt)], rules.kinds[kind], rules).items()}


@pytest.mark.parametrize("rows,field,want", [
    (["付款人名称：常州市青枫物流有限公司", "交易时间：2024-01-02 10:22:33", "金额：¥12,000.00"], "payer_name", "常州市青枫物流有限公司"),
    (["付款人名称：常州市青枫物流有限公司", "交易时间：2024-01-02 10:22:33", "金额：¥12,000.00"], "payment_date", "2024-01-02"),
    (["付款人名称：常州市青枫物流有限公司", "交易时间：2024-01-02 10:22:33", "金额：¥12,000.00"], "paid_amount", "12000.00"),
    (["缴款人|常州市青枫物流有限公司", "人民币（大写）|壹万贰仟元整"], "paid_amount", "12000.00"),
])
def test_payment_variants(rules, rows, field, want):
    assert read("payment_proof", page(*rows), rules)[field] == want


@pytest.mark.parametrize("rows,field,want", [
    (["授权委托书", "受托人（经办人）：张三", "身份证号码：320413197807043678"], "agent_name", "张三"),
    (["授权委托书", "被委托人姓名|李四", "身份证号码|320413197807043678"], "agent_name", "李四"),
])
def test_authorization_variants(rules, rows, field, want):
    assert read("authorization_letter", page(*rows), rules)[field] == want


def test_decision_variants(rules):
    pt = page("常州市生态环境局", "行政处罚决定书", "常环行罚〔2024〕12号", "被处罚单位：常州市恒达化工有限公司",
              "统一社会信用代码（注册号）：91320481NM02FXLW73",
              "决定没收违法所得5000元，并处罚款人民币贰万元整。", "2024年5月6日")
    got = read("penalty_decision", pt, rules)
    assert got["enterprise_name"] == "常州市恒达化工有限公司"
    assert got["uscc"] == "91320481NM02FXLW73"
    assert got["fine_amount"] == "20000.00"  # the confiscated income is not the fine
    assert got["penalty_authority"] == "常州市生态环境局"
    assert got["decision_date"] == "2024-05-06"
    assert got["decision_number"] == "常环行罚〔2024〕12号"


def test_application_form_of_the_portal(rules):
    pt = page("信用修复申请表", "申请主体名称|常州市恒达化工有限公司", "统一社会信用代码|91320481NM02FXLW73",
              "决定文书号|常环行罚【2024】12号", "处罚日期|2024.5.6", "申请单位（盖章）：", "2024年9月1日")
    got = read("application_form", pt, rules)
    assert got["enterprise_name"] == "常州市恒达化工有限公司"
    assert got["decision_number"] == "常环行罚〔2024〕12号"
    assert got["decision_date"] == "2024-05-06"
    assert got["signed_date"] == "2024-09-01"


def test_value_glued_to_label_in_ocr_text(rules):
    pt = page("姓名贾立新", "性别男民族汉", "公民身份号码320413198905148793", source="ocr")
    got = read("id_card", pt, rules)
    assert got == {"id_name": "贾立新", "id_number": "320413198905148793"}


def test_label_inside_a_word_is_not_a_label(rules):
    pt = page("法定代表人身份证明书", "尹振华（身份证号码：320413197807043678）在我单位任职，系常州市青枫物流有限公司的法定代表人。")
    got = read("legal_rep_certificate", pt, rules)
    assert got["legal_representative"] == "尹振华"
    assert got["enterprise_name"] == "常州市青枫物流有限公司"


def read_conf(kind: str, pt: PageText, rules) -> dict[str, tuple[str, float]]:
    return {str(k): (v.value, v.confidence) for k, v in read_fields([(1, pt)], rules.kinds[kind], rules).items()}


# ---------------------------------------------------------------- values are never labels or sentences (issue 23)
@pytest.mark.parametrize("rows", [
    # ICBC 网上银行电子回单: 付款人 is a merged cell, 户名 / 账号 / 开户行 its sub-labels
    ["网上银行电子回单", "付款人|户名|常州市青枫物流有限公司|收款人|户名|常州市财政局",
     "|账号|6222020405001234567||账号|32001628736050000123", "|开户行|中国工商银行常州分行||开户行|中国银行常州分行",
     "金额|¥12,000.00"],
    # 非税收入一般缴款书: 付款人 | 全称 | …
    ["非税收入一般缴款书", "付款人|全称|常州市青枫物流有限公司|收款人|全称|常州市财政局", "|账号|6222020405001234567"],
    # the sub-label opening the value's own cell
    ["电子回单", "付款人|户名：常州市青枫物流有限公司", "金额|12000.00元"],
])
def test_a_sub_label_is_not_the_payer(rules, rows):
    assert read("payment_proof", page(*rows), rules)["payer_name"] == "常州市青枫物流有限公司"


def test_a_lone_sub_label_is_never_a_value(rules):
    got = read("payment_proof", page("电子回单", "付款人|户名", "金额|12000.00元"), rules)
    assert "payer_name" not in got


def test_the_bidding_document_authorization_names_its_agent_in_prose(rules):
    pt = page("授权委托书",
              "本人 张建国 系 常州市青枫物流有限公司 的法定代表人，现委托 李明 为我方代理人。代理人根据",
              "授权，以我方名义签署、澄清、说明、补正、递交、撤回、修改信用修复申请文件。",
              "法定代表人身份证号码：320413197807043678",
              "代理人：李明 性别：男 身份证号码：320413198905148793")
    got = read("authorization_letter", pt, rules)
    assert got["agent_name"] == "李明"
    assert got["id_number"] == "320413198905148793"  # the number beside the agent's role, not the first one


def test_clause_words_after_a_label_are_not_a_name(rules):
    pt = page("授权委托书", "代理人根据授权，以我方名义办理信用修复事宜。")
    assert "agent_name" not in read("authorization_letter", pt, rules)


# ---------------------------------------------------------------- the party of a decision in its real forms
def _decision(*party_rows: str) -> PageText:
    return page("常州市市场监督管理局", "行政处罚决定书", "常市监处罚〔2024〕12号", *party_rows,
                "经查，当事人于2024年1月2日销售过期食品。", "当事人不服本处罚决定的，可在收到本决定书之日起六十日内",
                "申请行政复议。", "常州市市场监督管理局", "2024年5月6日")


@pytest.mark.parametrize("rows,name", [
    (["当事人：常州市恒达化工有限公司；统一社会信用代码：91320481NM02FXLW73；住所：常州市钟楼区"], "常州市恒达化工有限公司"),
    (["常州市恒达化工有限公司（纳税人识别号：91320481NM02FXLW73）："], "常州市恒达化工有限公司"),
    (["常州市恒达化工有限公司，法定代表人为：王建国，住所：常州市钟楼区"], "常州市恒达化工有限公司"),
    (["当 事 人：常州市钟楼区老王面馆（经营者：王建国）"], "常州市钟楼区老王面馆"),
])
def test_the_party_of_a_decision(rules, rows, name):
    got = read("penalty_decision", _decision(*rows), rules)
    assert got["enterprise_name"] == name


def test_the_operator_in_brackets_is_the_legal_representative(rules):
    got = read("penalty_decision", _decision("当 事 人：牟定县众乐便利店（刘威）"), rules)
    assert got["enterprise_name"] == "牟定县众乐便利店"
    assert got["legal_representative"] == "刘威"


def test_the_word_party_inside_running_text_is_not_its_label(rules):
    pt = page("行政处罚决定书", "经查，当事人于2024年1月2日销售过期食品，依法应予处罚。",
              "当事人不服本处罚决定的，可在2015年5月21日起六十日内向玉林市工商行",
              "政管理局申请行政复议。", "当事人可在收到本决定书之日起六十日内申请行政复议。")
    got = read_conf("penalty_decision", pt, rules)
    assert got.get("enterprise_name", ("", 0.0))[1] < 0.9, got


def test_a_declaration_number_in_the_facts_is_not_the_party_code(rules):
    pt = page("中华人民共和国文锦渡海关", "行政处罚决定书", "文关检罚字〔2021〕0100号",
              "宜昌天钻农业开发有限公司，法定代表人为：詹剑华。",
              "当事人委托报关公司申报出口货物一批，报关单：532020210200109509。")
    got = read("penalty_decision", pt, rules)
    assert "uscc" not in got
    assert got["enterprise_name"] == "宜昌天钻农业开发有限公司"
    assert got["legal_representative"] == "詹剑华"
    assert got["penalty_authority"] == "中华人民共和国文锦渡海关"


# ---------------------------------------------------------------- fines and dates as decisions write them
@pytest.mark.parametrize("body,want", [
    (["一、对未标明价格的行为罚款0.3万元；", "二、对未建立台账的行为罚款0.4万元。", "以上合计罚款0.7万元。"], "7000.00"),
    (["决定处以罚款2000元、补缴税款53648.73元，以上应缴款项共计55648.73元。"], "55648.73"),
    (["决定对当事人作出如下行政处罚：罚款金额为人民币9880元整。"], "9880.00"),
    (["上述未申报货物价值总计1465621.49元人民币。", "科处罚款人民币3万元。"], "30000.00"),
    (["没收违法所得682元，并处罚款人民币贰万元整（20000元）。"], "20000.00"),
])
def test_the_fine_of_a_decision(rules, body, want):
    pt = page("行政处罚决定书", "常市监处罚〔2024〕12号", "当事人：常州市恒达化工有限公司", *body,
              "常州市市场监督管理局", "2024年5月6日")
    assert read("penalty_decision", pt, rules)["fine_amount"] == want


def test_confiscation_alone_is_no_fine(rules):
    pt = page("行政处罚决定书", "常市监处罚〔2024〕12号", "当事人：常州市恒达化工有限公司", "决定没收违法所得682元。",
              "常州市市场监督管理局", "2024年5月6日")
    assert "fine_amount" not in read("penalty_decision", pt, rules)


def test_a_date_in_chinese_numerals_closes_the_decision(rules):
    pt = page("中华人民共和国海沧海关", "行政处罚决定书", "海沧关缉违字〔2026〕32号", "当事人：福建省粮油食品进出口集团有限公司",
              "科处罚款人民币0.7万元。", "中华人民共和国海沧海关", "二〇二四年九月五日")
    got = read("penalty_decision", pt, rules)
    assert got["decision_date"] == "2024-09-05"
    assert got["penalty_authority"] == "中华人民共和国海沧海关"
    assert got["fine_amount"] == "7000.00"


def test_a_label_centred_on_its_merged_cell_reads_the_name_row(rules):
    # 付款人 sits on the middle row (账号) of its merged cell; the name is on the 户名 row above
    rows = ["网上银行电子回单", "   |户名|常州市青枫物流有限公司", "付款人|账号|6222020405001234567",
            "   |开户行|中国工商银行常州分行", "金额|¥12,000.00"]
    assert read("payment_proof", page(*rows), rules)["payer_name"] == "常州市青枫物流有限公司"


def test_a_licence_name_run_into_the_next_column_and_wrapped_below(rules):
    pt = page("营业执照", "名称 常州市天宁区金宇机械制造有限 注册资本 1000万元人民币", "    公司",
              "类型 有限责任公司 成立日期 2003年8月5日", "法定代表人|郑莉欣")
    assert read("business_license", pt, rules)["enterprise_name"] == "常州市天宁区金宇机械制造有限公司"


def test_a_payer_label_printed_down_its_merged_cell(rules):
    # 付 / 款 / 人 one character a row: no line holds the word, the two sides still say who pays
    rows = ["江苏省非税收入一般缴款书（电子）", "执收单位名称：常州市生态环境局",
            "全称 常州市天宁区金宇机械制造有限公司|全称|常州市财政局",
            "款人 账号|6228269078297645|收款人 账号|11050161696100004", "金额合计（小写）|¥20,000.00"]
    got = read_conf("payment_proof", page(*rows), rules)
    assert got["payer_name"][0] == "常州市天宁区金宇机械制造有限公司" and got["payer_name"][1] < 0.9


def test_the_agent_on_the_underlined_blank_of_the_template(rules):
    pt = page("授权委托书", "本人 ＿张建国＿ 系 ＿常州市青枫物流有限公司＿ 的法定代表人，现授权委托 ＿李明＿（姓名）为我公司的代理人。")
    assert read("authorization_letter", pt, rules)["agent_name"] == "李明"


def test_the_signing_date_is_not_the_end_of_a_term(rules):
    pt = page("授权委托书", "受托人：李明", "委托期限：自2026年11月3日起至2027年5月3日止。", "委托人（盖章）：",
              "日期：2026年11月3日")
    assert read("authorization_letter", pt, rules)["signed_date"] == "2026-11-03"
    # the signing date lost under the seal: the term's end is no sure signing date
    pt = page("授权委托书", "受托人：李明", "委托期限：自2026年11月3日起至2027年5月3日止。", "委托人（盖章）：", "日期：  年1 月3日")
    got = read_conf("authorization_letter", pt, rules)
    assert got["signed_date"][1] < 0.9


def test_a_decision_number_after_the_words_that_address_the_authority(rules):
    pt = page("整改报告", "贵局常环行罚〔2025〕767号行政处罚决定书收悉，我单位高度重视，整改如下。",
              "贵单位以常城管罚〔2023〕782号决定书对我公司作出处罚。")
    assert read("rectification_report", pt, rules)["decision_number"] == "常环行罚〔2025〕767号"


def test_a_decision_number_named_in_running_text_is_read_in_its_role(rules):
    pt = page("信用修复申请书", "申请单位：江苏博远光伏科技有限公司",
              "本单位因违法行为受到常州市生态环境局行政处罚（处罚决定书文号为常环行罚〔2022〕835号），现申请信用修复。")
    got = read_conf("application_form", pt, rules)
    assert got["decision_number"] == ("常环行罚〔2022〕835号", pytest.approx(0.95))


def test_what_a_name_looks_like():
    from xinyong_desktop.extract.patterns import (
        is_label_word,
        looks_like_person,
        parse_party,
        parse_person,
        starts_clause,
    )

    for name in ("郭*西", "黄某某", "肖**", "李明", "欧阳春晓", "詹剑华"):
        assert looks_like_person(name), name
    for word in ("根据授权", "户名", "不服本处"):
        assert not looks_like_person(word), word
    assert is_label_word("户名") and is_label_word(" 全称：") and not is_label_word("常州市财政局")
    assert starts_clause("不服本处罚决定的") and starts_clause("可在2015年5月21日起六十日内向玉林市工商行")
    assert not starts_clause("常州市恒达化工有限公司")
    assert parse_person("户名") is None and parse_person("根据授权，以我方名义") is None and parse_person("代理人") is None
    assert parse_party("不服本处罚决定的，可以申请行政复议") is None
    assert parse_party("可在2015年5月21日起六十日内向玉林市工商行") is None
    assert parse_party("安宁明立卤味坊") == "安宁明立卤味坊" and parse_party("三河市乐客网吧") == "三河市乐客网吧"


def test_the_agents_id_on_a_line_shared_with_the_representative(rules):
    pt = page("授权委托书", "委托单位：常州市青枫物流有限公司",
              "法定代表人：李华 身份证号码：320413197807043678 受托人：李明 身份证号码：320413198905148793")
    got = read("authorization_letter", pt, rules)
    assert got["agent_name"] == "李明" and got["id_number"] == "320413198905148793"


def test_a_scanned_party_label_without_its_colon(rules):
    got = read("penalty_decision", page("行政处罚决定书", "常市监处罚〔2024〕12号", "当事人常州市恒达化工有限公司",
                                        "当事人在常州市钟楼区检查场所经营", source="ocr"), rules)
    assert got["enterprise_name"] == "常州市恒达化工有限公司"
    got = read_conf("penalty_decision", page("行政处罚决定书", "经查明，当事人存在违法行为。",
                                             "当事人在大东港区集装箱进出口查验场地接受检查。", source="ocr"), rules)
    assert got.get("enterprise_name", ("", 0.0))[1] < 0.9


@pytest.mark.parametrize("row", ["处罚决定书文号|（津保）应急罚〔2025〕k-57号", "处罚决定书文号：（津保）应急罚〔2025〕k-57号"])
def test_a_bracketed_prefix_belongs_to_the_number(rules, row):
    pt = page("信用修复申请表", "申请单位名称|天津奥港汽车部件科技发展有限公司", row)
    assert read("application_form", pt, rules)["decision_number"] == "（津保）应急罚〔2025〕k-57号"


def test_a_bracketed_prefix_in_running_text(rules):
    pt = page("授权委托书", "受托人：李明", "代为办理我单位（津保）应急罚〔2025〕k-57号行政处罚信息的信用修复申请事宜。")
    assert read("authorization_letter", pt, rules)["decision_number"] == "（津保）应急罚〔2025〕k-57号"


def test_the_representative_of_a_transport_decision(rules):
    got = read("penalty_decision", _decision("企业名称:常州市恒达物流有限公司,统一社会信用代码:91320481NM02FXLW73",
                                             "法定代表人或负责人姓名:彭建华"), rules)
    assert got["legal_representative"] == "彭建华"


def test_the_applicants_signing_date_not_the_offices(rules):
    pt = page("失信行为纠正后的信用信息修复申请表", "申请主体名称|天津瑞恒达汽车零部件有限公司", "决定日期|2025年9月5日",
              "申请主体意见|申请主体（盖章）：", "法定代表人（签字）：", "2026年2月2日", "决定机关意见",
              "经核实，同意修复。", "（盖章）", "2026年2月4日")
    assert read("application_form", pt, rules)["signed_date"] == "2026-02-02"


def test_the_agents_id_under_the_agents_role_label(rules):
    pt = page("授权委托书", "本人 赵国栋（姓名）系 天津瑞恒达汽车零部件有限公司（单位名称）的法定代表",
              "人，现委托 孙晓燕（姓名）为我方代理人。代理人根据授权，以我方名义签署。",
              "委托单位：天津瑞恒达汽车零部件有限公司（盖单位章）", "法定代表人：|（签字）", "身份证号码：120116197711168615",
              "委托代理人：|（签字）", "身份证号码：120116199104075045", "2026 年 2 月 2 日")
    got = read("authorization_letter", pt, rules)
    assert got["agent_name"] == "孙晓燕" and got["id_number"] == "120116199104075045"


def test_a_name_wrapped_at_the_end_of_a_paragraph_line(rules):
    got = read("penalty_decision", _decision("企业名称:株洲顺联物流有限公司,统一社会信用代码:9143021103P62JYK56",
                                             "经营许可证:湘交运管许可株字430211001287号,法定代表人或负责人姓名:彭",
                                             "建华", "公司地址:湖南省株洲市天元区黄河北路301号"), rules)
    assert got["legal_representative"] == "彭建华"


def test_an_application_letter_restates_the_penalty_in_sentences(rules):
    # the letter form of a 申请书: authority and fine inside the sentence, the fine with ¥ and no 元
    pt = page("信用修复申请书", "信用中国（江苏常州）网站运行管理单位：",
              "我单位常州市恒达化工有限公司（社会信用代码：91320481NM02FXLW73，法定代表人：顾宁健）于2024年2月8日被",
              "常州市市场监督管理局作出行政处罚，处罚决定书文号为常市监处罚〔2024〕123号，处罚内容为罚款¥35,000.00。",
              "处罚决定作出后，我单位已于2024年2月25日全额缴清罚款。", "联系人：赵阳", "委托经办人：姜志成")
    got = read("application_form", pt, rules)
    assert got["fine_amount"] == "35000.00"
    assert got["penalty_authority"] == "常州市市场监督管理局"
    assert got["decision_number"] == "常市监处罚〔2024〕123号"
    assert got["agent_name"] == "姜志成"


def test_a_form_with_the_fine_in_capitals_and_the_agent_labelled(rules):
    pt = page("信用信息修复申请表", "申请单位名称：|常州市恒达化工有限公司", "作出处罚机关：|常州市应急管理局",
              "罚款金额：|叁万元整", "经办人姓名：|庄栋飞")
    got = read("application_form", pt, rules)
    assert (got["fine_amount"], got["agent_name"], got["penalty_authority"]) == ("30000.00", "庄栋飞", "常州市应急管理局")


def test_the_collecting_unit_of_a_receipt_is_the_penalty_authority(rules):
    pt = page("江苏省非税收入一般缴款书（电子）", "执收单位名称：常州市市场监督管理局", "缴款人全称|常州市恒达化工有限公司",
              "金额合计|（大写）叁万伍仟元整|（小写）¥35,000.00", "执收单位（盖章）|复核人：")
    got = read("payment_proof", pt, rules)
    assert got["penalty_authority"] == "常州市市场监督管理局"
    assert got["paid_amount"] == "35000.00"


def test_a_fine_in_a_form_row_without_a_full_stop(rules):
    pt = page("信用修复申请书", "申请主体名称|江苏蓝拓精密模具有限责任公司", "处罚内容|罚款 ¥30,000.00",
              "履行情况|已于2022年12月15日足额缴纳罚款，并按要求完成整改。")
    assert read("application_form", pt, rules)["fine_amount"] == "30000.00"


@pytest.mark.parametrize("operative, want", [
    ("决定对你单位作出如下行政处罚：给予警告，并责令立即改正违法行为。", "0.00"),
    ("决定对你单位作出如下行政处罚：1. 责令改正违法行为；2. 罚款人民币捌仟元整（¥8,000.00）。", "8000.00"),
    ("决定对你单位作出如下行政处罚：警告、没收违法所得。", None),  # a confiscation: not "no fine"
])
def test_a_decision_that_imposes_no_fine(rules, operative, want):
    pt = page("常州市应急管理局", "行政处罚决定书", "常应急罚〔2025〕12号", "当事人：常州市恒达化工有限公司",
              operative, "你单位如不服本处罚决定，可以在收到本决定书之日起六十日内申请行政复议。",
              "常州市应急管理局", "二〇二五年二月二十八日")
    assert read("penalty_decision", pt, rules).get("fine_amount") == want
