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
    assert got["fine_amount"] == "25000.00"
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
