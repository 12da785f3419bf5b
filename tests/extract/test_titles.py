"""Titles as real documents print them (issue 23): spaced out in a row of cells, long real titles containing a
known one, outdated templates under a qualifier, traditional characters, an OCR slip in the title."""
from __future__ import annotations

from xinyong_desktop.extract.classify import classify_page, title_similarity
from xinyong_desktop.extract.layout import Glyph, PageText, build_lines


def page(*rows: str, size: float = 12, title_size: float | None = None) -> PageText:
    """Rows of text; "|" separates cells (a wide gap); a space inside a cell is a wide letter-spacing."""
    glyphs = []
    y = 80.0
    for r, row in enumerate(rows):
        h = title_size if (title_size and r == 0) else size
        x = 60.0
        for cell in row.split("|"):
            for ch in cell:
                if ch != " ":
                    glyphs.append(Glyph(ch, x, y, x + h, y + h))
                x += h
            x += 60
        y += h * 2
    return PageText(595, 842, build_lines(glyphs), "text")


LICENCE = ["名称|常州市青枫物流有限公司", "类型|有限责任公司", "法定代表人|尹振华", "注册资本|伍佰万元整",
           "成立日期|2016年03月12日", "营业期限|长期", "住所|常州市钟楼区", "经营范围|普通货运", "登记机关|常州市市场监督管理局"]


def test_a_licence_title_spaced_out_in_the_row_of_its_code(rules):
    pt = page("统一社会信用代码|91320404MA1MFB6X2K|营 业 执 照|（副 本）", *LICENCE)
    got = classify_page(pt, rules)
    assert got.kind == "business_license" and got.has_title


def test_the_order_58_application_title_is_an_application_form(rules):
    for title in ("失信行为纠正后的信用信息修复申请表", "信用信息修复申请表"):
        pt = page(title, "申请主体名称|常州市青枫物流有限公司", "统一社会信用代码|91320404MA1MFB6X2K",
                  "申请修复事项|行政处罚信息", "申请单位（盖章）：", "2024年9月1日")
        got = classify_page(pt, rules)
        assert got.kind == "application_form" and got.has_title, title


def test_the_long_real_title_of_an_outdated_form_is_flagged(rules):
    pt = page("涉及一般失信行为的行政处罚信息信用修复表", "申请主体名称|常州市青枫物流有限公司",
              "统一社会信用代码|91320404MA1MFB6X2K", "申请单位（盖章）：", "2019年9月1日")
    assert classify_page(pt, rules).outdated_title == "信用修复表"
    # a sentence that merely names the old form is no title
    pt = page("关于办理的说明", "请勿再提交原信用修复表，改用现行模板。", "常州市信用办")
    assert classify_page(pt, rules).outdated_title is None


def test_a_decision_printed_in_traditional_characters(rules):
    pt = page("中華人民共和國文錦渡海關", "行政處罰決定書", "文關檢罰字〔2021〕0100號",
              "宜昌天鉆農業開發有限公司,法定代表人為:詹劍華。", "經查,當事人出口法定檢驗商品未向海關報檢,違反了有關規定。",
              "根據有關規定,決定對當事人作出如下行政處罰:科處罰款人民幣23300元整。",
              "當事人不服本處罰決定的,可以申請行政復議或者提起行政訴訟。")
    got = classify_page(pt, rules)
    assert got.kind == "penalty_decision" and got.has_title
    assert "行政处罚决定书" in pt.text


def test_a_customs_title_of_the_case_form(rules):
    pt = page("娄底海关关于湖南锡矿山闪星锑业进出口有限公司擅自处置边角料及", "未向海关申报内销的保税料件案的处罚决定",
              "娄关缉违字〔2024〕2号", "当事人:湖南锡矿山闪星锑业进出口有限公司,法定代表人:龚建军。",
              "经我关调查,当事人有以下违法行为:……", "依照有关规定,决定对当事人作出如下行政处罚:科处罚款人民币3万元。")
    assert classify_page(pt, rules).kind == "penalty_decision"


def test_a_title_with_an_ocr_slip_is_that_kind_to_be_confirmed(rules):
    pt = page("行政处罚快定书", "常市监处罚〔2024〕12号", "当事人：常州市恒达化工有限公司",
              "经查，当事人违反了有关规定，依据有关规定作出如下处罚：罚款人民币5000元。", "如不服本决定，可申请行政复议。")
    got = classify_page(pt, rules)
    assert got.kind == "penalty_decision" and not got.has_title  # → KIND_UNCERTAIN: the instructor confirms


def test_title_likeness():
    assert title_similarity("失信行为纠正后的信用信息修复申请表", "信用信息修复申请表") == 1.0
    assert title_similarity("行政处罚快定书", "行政处罚决定书") >= 0.85
    assert title_similarity("行政处罚事先告知书", "行政处罚决定书") < 0.85
    assert title_similarity("经营范围", "营业执照") < 0.85


def test_a_plain_cell_of_a_table_row_is_no_title(rules):
    pt = page("申请主体名称|常州市青枫物流有限公司", "关联的处罚决定书|常市监处罚〔2024〕12号",
              "统一社会信用代码|91320404MA1MFB6X2K", "申请信用修复|履行及整改情况", "申请单位（盖章）：", "2024年9月1日")
    assert classify_page(pt, rules).kind != "penalty_decision"


def test_a_big_title_grouped_with_the_small_print_beside_it(rules):
    """The recogniser put the licence's large 营业执照 and the QR code's small caption on one line, a narrow gap
    apart: the run printed much larger than the rest is still the title."""
    # as RapidOCR boxed them on corpus2 e05's scan: one line box each, with the recogniser's character positions
    title = [Glyph("营业执照", 182.5, 152.5, 415.0, 200.5, 0.998,
                   tuple((182.5 + 58 * i, 232.5 + 58 * i, 0.998) for i in range(4)))]
    cap = "信息公示系统了解更多登记信息"
    caption = [Glyph(cap, 446.5, 165.5, 539.0, 175.5, 0.996,
                     tuple((446.5 + 6.6 * i, 452.5 + 6.6 * i, 0.996) for i in range(len(cap))))]
    rows = [Glyph(ch, 72 + 12 * i, 250 + 24 * r, 84 + 12 * i, 262 + 24 * r) for r, row in enumerate(LICENCE)
            for i, ch in enumerate(row.replace("|", "  ")) if ch != " "]
    pt = PageText(596, 842, build_lines([Glyph("91320404MA1MFB6X2K", 70, 111, 207, 125, 0.99), *title, *caption,
                                         *rows]), "ocr")
    assert any("营业执照" in ln.text and "信息" in ln.text for ln in pt.lines)  # one line, as the recogniser made it
    got = classify_page(pt, rules)
    assert got.kind == "business_license" and got.has_title
