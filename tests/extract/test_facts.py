"""Facts first: finding a known value on a page, blanks the page shows, decision structure, look-alikes.

Pages are built from positioned glyphs the way the parser hands them over (a text layer or OCR lines), in the
shapes met in real materials: wrapped table cells, hand-filled spacing, prose, 落款, addressee lines.
"""
from __future__ import annotations

import pytest

from xinyong_desktop.domain.model import FieldId, FieldValue, Kind, Material, TextSource
from xinyong_desktop.extract.classify import classify_page
from xinyong_desktop.extract.facts import CONFLICT, Fact, reconcile
from xinyong_desktop.extract.fields import blank_fields, read_fields
from xinyong_desktop.extract.find import find_value
from xinyong_desktop.extract.layout import Glyph, PageText, build_lines

W = 12.0


def glyphs_at(text: str, x: float, y: float, size: float = W) -> list[Glyph]:
    out = []
    for ch in text:
        if ch != " ":
            out.append(Glyph(ch, x, y, x + size, y + size))
        x += size
    return out


def page(*rows, source: str = "text", gap: float = 24) -> PageText:
    """Rows of text; "|" separates cells (a wide gap); a row may be (x, y, text) to place it exactly."""
    gs: list[Glyph] = []
    y = 80.0
    for row in rows:
        if isinstance(row, tuple):
            x, yy, text = row[:3]
            size = row[3] if len(row) > 3 else W
            gs += glyphs_at(text, x, yy, size)
            continue
        x = 60.0
        for cell in row.split("|"):
            gs += glyphs_at(cell, x, y)
            x += W * len(cell) + 60
        y += gap
    return PageText(595, 842, build_lines(gs), source)


NAME = "常州市锦程电子科技有限责任公司"


def test_a_name_wrapped_inside_its_table_cell_is_found():
    # the label sits between the two lines of its value's cell, as a word processor lays out a tall row
    pt = page((60, 129, "申请主体"), (150, 121, "常州市锦程电子科技有限责任"), (150, 137, "公司"),
              (330, 129, "信用代码"), (420, 129, "9132040291E461TY7Q"))
    found = find_value([(1, pt)], "org", NAME)
    assert found is not None and found.bbox[1] < 125 < 140 < found.bbox[3]


@pytest.mark.parametrize("printed", ["常 州 市 锦 程 电 子 科 技 有 限 责 任 公 司", "我单位常州市锦程电子科技有限责任公司（盖章）"])
def test_spacing_and_lead_in_do_not_hide_a_name(printed):
    assert find_value([(1, page(printed))], "org", NAME) is not None


def test_a_longer_name_is_not_the_fact():
    assert find_value([(1, page("承诺单位：常州市锦程电子科技有限责任公司分公司"))], "org", NAME) is None
    assert find_value([(1, page("承诺单位：常州市锦程电子科技有限公司"))], "org", NAME) is None


def test_ocr_look_alikes_are_folded_only_for_ocr_pages():
    uscc = "9132040291E461TY7Q"
    misread = "913204O291E461TY7Q"  # O for 0
    assert find_value([(1, page(f"信用代码：{misread}", source="ocr"))], "uscc", uscc) is not None
    assert find_value([(1, page(f"信用代码：{misread}", source="text"))], "uscc", uscc) is None


def test_decision_number_variants_are_one_number():
    pt = page("就常消行罚决字[2025]第 109 号行政处罚决定申请信用修复")
    assert find_value([(1, pt)], "decision_number", "常消行罚决字〔2025〕109号") is not None


def _material(kind: Kind, **values: tuple[str, float]) -> Material:
    m = Material("x.pdf", kind, [1], TextSource.TEXT)
    for k, (v, c) in values.items():
        m.fields[FieldId(k)] = FieldValue(v, 1, None, c)
    return m


def test_reconcile_replaces_an_over_captured_value_and_keeps_a_different_one():
    lic = _material(Kind.BUSINESS_LICENSE, enterprise_name=(NAME, 1.0))
    facts = {FieldId.ENTERPRISE_NAME: Fact(FieldId.ENTERPRISE_NAME, NAME, lic)}
    pt = page(f"兹委托蔡静怡（公民身份号码320482196805018151）代表我单位{NAME}办理")
    m = _material(Kind.AUTHORIZATION_LETTER, enterprise_name=(f"（公民身份号码320482196805018151）代表我单位{NAME}", 1.0))
    reconcile(m, [(1, pt)], facts, {FieldId.ENTERPRISE_NAME})
    assert m.value(FieldId.ENTERPRISE_NAME) == NAME and m.fields[FieldId.ENTERPRISE_NAME].bbox is not None

    other = "常州市锦程电子科技有限公司"
    pt2 = page(f"承诺单位：{other}")
    m2 = _material(Kind.COMMITMENT_LETTER, enterprise_name=(other, 1.0))
    reconcile(m2, [(1, pt2)], facts, {FieldId.ENTERPRISE_NAME})
    assert m2.value(FieldId.ENTERPRISE_NAME) == other and not m2.notes  # evidence of another name: a mismatch

    pt3 = page(f"承诺单位：{other}", f"本单位{NAME}郑重承诺")  # the fact is printed too: the instructor decides
    m3 = _material(Kind.COMMITMENT_LETTER, enterprise_name=(other, 1.0))
    reconcile(m3, [(1, pt3)], facts, {FieldId.ENTERPRISE_NAME})
    assert f"{CONFLICT}enterprise_name" in m3.notes


def _blanks(rules, kind, *rows):
    pages = [(1, page(*rows))]
    kr = rules.kinds[kind]
    return blank_fields(pages, kr, rules, read_fields(pages, kr, rules))


def test_a_blank_is_seen_only_where_the_label_stands_empty(rules):
    assert FieldId.DECISION_NUMBER in _blanks(rules, "application_form", "申请单位名称|" + NAME, "决定文书号|",
                                              "处罚日期|2024.5.6")
    assert FieldId.DECISION_NUMBER in _blanks(rules, "application_form", "决定文书号：|作出决定机关：常州市应急管理局")
    # a scan's recogniser runs the next label and its value together: still the next label
    assert FieldId.DECISION_NUMBER in _blanks(rules, "application_form", "决定文书号|作出决定机关常州市消防救援支队")
    # a value that merely contains label words further on is a value (the field is filled in)
    assert FieldId.DECISION_NUMBER not in _blanks(rules, "application_form", "决定文书号|常消行罚决字〔2024〕0035号")
    assert FieldId.DECISION_NUMBER in _blanks(rules, "application_form",
                                              "我单位于2023.4.28被作出行政处罚（决定书文号：），处以罚款")
    # no label at all: nothing was seen, the field may be printed in a way the reader does not know
    assert FieldId.DECISION_NUMBER not in _blanks(rules, "application_form", "申请单位名称|" + NAME)
    # a place to sign is not a value to fill in
    assert FieldId.LEGAL_REPRESENTATIVE not in _blanks(rules, "application_form", "法定代表人（签字）：")


def test_decision_structure(rules):
    pt = page((230, 60, "常环行罚〔2024〕12号"),
              (200, 90, "行政处罚决定书", 20),
              (60, 130, "常州市恒达化工有限公司："),
              (60, 160, "统一社会信用代码：91320481NM02FXLW73"),
              (60, 190, "本机关于2024年3月1日对你单位进行检查，2024年4月2日送达行政处罚告知书。"),
              (60, 220, "决定处以罚款人民币贰万元整。"),
              (360, 300, "常州市生态环境局"), (360, 330, "2024年5月6日"))
    got = {str(k): v for k, v in read_fields([(1, pt)], rules.kinds["penalty_decision"], rules).items()}
    assert got["decision_number"].value == "常环行罚〔2024〕12号"
    assert got["enterprise_name"].value == "常州市恒达化工有限公司"
    assert got["decision_date"].value == "2024-05-06" and got["decision_date"].confidence >= 0.9
    assert got["penalty_authority"].value == "常州市生态环境局"
    assert got["fine_amount"].value == "20000.00" and got["fine_amount"].confidence >= 0.9


def test_a_first_page_only_decision_has_no_date_and_an_unsure_fine(rules):
    pt = page((200, 60, "行政处罚决定书", 20), (230, 90, "豫 0923 环罚决字〔 2024 〕7 号"),
              (60, 130, "当事人：南乐县某某食品厂"),
              (60, 160, "2024年5月10日，我局执法人员对你单位进行现场检查，"),
              (60, 184, "发现你单位存在违法行为，2024年6月3日向你单位送达告知书。决定处罚款5000元，"))
    got = {str(k): v for k, v in read_fields([(1, pt)], rules.kinds["penalty_decision"], rules).items()}
    assert "decision_date" not in got  # never a body date
    assert got["decision_number"].value == "豫0923环罚决字〔2024〕7号"
    assert got["enterprise_name"].value == "南乐县某某食品厂"
    assert got["fine_amount"].confidence < 0.9


@pytest.mark.parametrize("title", ["不予行政处罚决定书", "行政处罚告知书", "责令改正通知书", "信用修复告知书"])
def test_look_alikes_are_not_penalty_decisions(rules, title):
    pt = page((200, 20, title, 20), "当事人：常州市恒达化工有限公司", "你单位违反了《大气污染防治法》的规定，依据该法作出如下决定，",
              "如不服，可申请行政复议或者提起行政诉讼。罚款")
    assert classify_page(pt, rules).kind != "penalty_decision"


def test_a_blank_form_with_card_words_is_not_an_id_card(rules):
    form = page("姓名|    |性别|    |民族|", "出生|        |住址|", "公民身份号码|")
    card = page("姓名 贾立新", "性别 男 民族 汉", "出生 1989 年 5 月 14 日", "住址 江苏省常州市", "公民身份号码 320413198905148793")
    assert classify_page(form, rules).kind != "id_card"
    assert classify_page(card, rules).kind == "id_card"


def test_a_page_titled_as_something_else_is_other(rules):
    pt = page((230, 20, "案件基本信息", 24), "案名：某某农资店经营过期农药案", "行政处罚决定书文号：罗农（农药）罚〔2025〕5号",
              "当事人：某某农资店", "处罚依据：依据《农药管理条例》罚款")
    assert classify_page(pt, rules).kind == "other"


# ---------------------------------------------------------------- a code printed differently, seen on a scan
USCC = "91320411DMGH6QAD3U"  # valid


def ocr_line(text: str, y: float, weak: dict[int, float] | None = None) -> Glyph:
    """One OCR'd line as RapidOCR hands it over: the line's box and each character's (x0, x1, confidence)."""
    weak = weak or {}
    chars = tuple((60 + 7.0 * i, 66 + 7.0 * i, weak.get(i, 0.999)) for i in range(len(text)))
    return Glyph(text, 60, y, 60 + 7.0 * len(text), y + 12, min(c for _, _, c in chars), chars)


def ocr_page(*lines: Glyph) -> PageText:
    return PageText(595, 842, build_lines(list(lines)), "ocr")


def test_ocr_lines_keep_each_characters_position_and_confidence():
    pt = ocr_page(ocr_line("代码：91320411DMGH6QAD3U", 100, {12: 0.5}))
    line = pt.lines[0]
    assert line.conf[12] == 0.5 and line.conf[11] == 0.999
    assert line.boxes[3][0] == 60 + 7.0 * 3  # the recogniser's own position, not a share of the line box


def test_a_sure_different_character_is_what_is_printed():
    from xinyong_desktop.extract.facts import printed_differently

    # wrapped over two lines, the last character read surely as 1 where the licence has U
    pt = ocr_page(ocr_line("统一社会信用代码：913204", 100), ocr_line("11DMGH6 QAD 31）于2024年", 124, {7: 0.7, 10: 0.55}))
    near = printed_differently([(1, pt)], "uscc", USCC)
    assert near is not None and near.read == "91320411DMGH6QAD31"


@pytest.mark.parametrize("printed, weak", [
    ("91320411DMGH60AD3U", {}),  # a 0 for a Q: a look-alike, maybe a misreading, however sure
    ("91320411DMGH6QAD31", {17: 0.55}),  # a 1 for a U, but the recogniser was unsure of it
    ("91320411DMGH6QAD8U", {}),  # an 8 for a 3: they differ by a gap on a poor scan, however sure
])
def test_a_look_alike_or_an_unsure_character_is_not_proof(printed, weak):
    from xinyong_desktop.extract.facts import printed_differently

    pt = ocr_page(ocr_line(f"统一社会信用代码：{printed}", 100, {9 + k: v for k, v in weak.items()}))
    assert printed_differently([(1, pt)], "uscc", USCC, read=printed) is None


def test_the_known_code_printed_as_it_is_or_another_code_is_no_misprint():
    from xinyong_desktop.extract.facts import printed_differently

    right = ocr_page(ocr_line(f"信用代码：{USCC}", 100))
    other = ocr_page(ocr_line("信用代码：913204127H5K2LQW9X", 100))  # another enterprise's code
    assert printed_differently([(1, right)], "uscc", USCC) is None
    assert printed_differently([(1, other)], "uscc", USCC) is None


def test_another_valid_code_read_in_the_role_is_printed_so():
    from xinyong_desktop.extract.facts import printed_differently

    other = "913204817FMGRXQX3B"  # valid, another enterprise's
    pt = ocr_page(ocr_line(f"我单位（统一社会信用代码：{other}）于", 100, {14: 0.5}))
    assert printed_differently([(1, pt)], "uscc", USCC, read=other).read == other
    garbled = "913204817FMGRXQX3C"  # fails its check: a misreading as likely as a misprint
    pt = ocr_page(ocr_line(f"我单位（统一社会信用代码：{garbled}）于", 100))
    assert printed_differently([(1, pt)], "uscc", USCC, read=garbled) is None


def test_an_id_number_printed_with_a_digit_changed_is_seen():
    from xinyong_desktop.extract.facts import printed_differently

    card = "320404196606278787"  # valid
    pt = ocr_page(ocr_line("身份证件号码：320404196606278784", 100))  # the form's last digit, read surely
    near = printed_differently([(1, pt)], "id_number", card)
    assert near is not None and near.read == "320404196606278784" and near.diffs == (("4", "7", 0.999),)


@pytest.mark.parametrize("row", ["作出决定日期|2024年4月9日", "作出决定日期 2024-04-09|罚款金额 20,000元",
                                 "作出决定日期：2024.4.9|罚款金额 20,000元"])
def test_a_label_with_words_before_it_opens_its_cell(rules, row):
    """作出决定日期 holds the label 决定日期 after two words; its value in the next cell or after a space
    (as a scan's recogniser joins them) is the decision date."""
    for source in ("text", "ocr"):
        pages = [(1, page(row, source=source))]
        got = read_fields(pages, rules.kinds["application_form"], rules)
        assert got[FieldId.DECISION_DATE].value == "2024-04-09"


def test_a_label_inside_prose_is_not_a_label_cell(rules):
    pages = [(1, page("本单位于作出决定日期后十五日内缴纳了罚款"))]
    assert FieldId.DECISION_DATE not in read_fields(pages, rules.kinds["application_form"], rules)


@pytest.mark.parametrize("form_date, want", [("2025-05-14", 0.97), ("2025-05-24", 0.78)])
def test_two_unsure_readings_that_agree_confirm_the_decision_date(form_date, want):
    """A 落款 read under its seal (0.78) and the same date in a form's prose (0.85): independent readings that
    agree; a form saying another date confirms nothing."""
    from xinyong_desktop.extract.facts import corroborate

    dec = Material("决定书.pdf", Kind.PENALTY_DECISION, [1], TextSource.OCR)
    dec.fields[FieldId.DECISION_DATE] = FieldValue("2025-05-14", 1, (400, 700, 500, 715), 0.78)
    form = Material("申请书.pdf", Kind.APPLICATION_FORM, [1], TextSource.TEXT)
    form.fields[FieldId.DECISION_DATE] = FieldValue(form_date, 1, (100, 200, 180, 212), 0.85)
    corroborate(dec, [(1, page("二〇二五年五月十四日"))], [form])
    assert dec.fields[FieldId.DECISION_DATE].value == "2025-05-14"
    assert dec.fields[FieldId.DECISION_DATE].confidence == pytest.approx(want)


def test_a_wrapped_cell_on_a_scan_reads_top_line_first():
    """A tall row: the label centred on a value wrapped onto two lines; the recogniser's second piece ("公司")
    starts a hair left of the first — it still reads after it."""
    pt = ocr_page(Glyph("申请主体", 72.5, 123.5, 121.0, 142.0, 0.99),  # as RapidOCR boxed them on a scan
                  Glyph("常州市嘉禾电子科技有限责任", 155.0, 119.0, 293.5, 132.5, 0.99),
                  Glyph("信用代码", 306.5, 126.0, 353.0, 142.0, 0.99),
                  Glyph("91320402ULA6MXB33R", 377.0, 127.0, 477.5, 141.0, 0.99),
                  Glyph("公司", 153.5, 133.5, 179.4, 150.5, 0.99))
    assert pt.lines[0].text.startswith("申请主体\t常州市嘉禾电子科技有限责任公司\t信用代码"), pt.lines[0].text


@pytest.mark.parametrize("form_code, sure", [(USCC, True), ("91320411DMGH6QAD3X", False)])
def test_a_licence_read_unsure_is_a_fact_when_a_form_reads_the_same_code(form_code, sure):
    """A scanned licence's code at 0.84 (one character under 0.9) is no fact alone; the same code read on a
    form by its own reading makes it one (two independent readings agree)."""
    from xinyong_desktop.extract.facts import establish, fact_sources

    lic = Material("执照.pdf", Kind.BUSINESS_LICENSE, [1], TextSource.OCR)
    lic.fields[FieldId.USCC] = FieldValue(USCC, 1, (100, 100, 300, 115), 0.84)
    form = Material("申请书.pdf", Kind.APPLICATION_FORM, [1], TextSource.OCR)
    form.fields[FieldId.USCC] = FieldValue(form_code, 1, (100, 100, 300, 115), 0.7)
    from xinyong_desktop.rules.loader import default_rules

    facts = establish([lic, form], fact_sources(default_rules().consistency))
    assert (FieldId.USCC in facts) is sure
    assert lic.fields[FieldId.USCC].confidence == (0.97 if sure else 0.84)


def test_a_number_read_with_words_around_it_is_the_number():
    """"贵局常新市监罚字〔2025〕第972号" in a report's prose is the decision's number, not a longer one."""
    dn = "常新市监罚字〔2025〕第972号"
    dec = Material("决定书.pdf", Kind.PENALTY_DECISION, [1], TextSource.TEXT)
    dec.fields[FieldId.DECISION_NUMBER] = FieldValue(dn, 1, None, 0.97)
    rep = Material("整改报告.pdf", Kind.RECTIFICATION_REPORT, [1], TextSource.TEXT)
    rep.fields[FieldId.DECISION_NUMBER] = FieldValue("贵局" + dn, 1, None, 0.85)
    pages = [(1, page("针对贵局常新市监罚字〔2025〕第972号行政处罚决定书，我单位整改如下："))]
    reconcile(rep, pages, {FieldId.DECISION_NUMBER: Fact(FieldId.DECISION_NUMBER, dn, dec)}, {FieldId.DECISION_NUMBER})
    assert rep.fields[FieldId.DECISION_NUMBER].value == dn


@pytest.mark.parametrize("garbled, form_date, taken", [
    ("国三0二年九月七日", "2022-09-07", True),  # 二〇二二年 misread under the seal
    ("二三年一十四日", "2023-01-14", True),  # characters lost under the seal
    ("二〇四年七月十一日", "2024-07-21", True),
    ("二〇二四年七月十一日", "2024-07-21", False),  # read whole, and it says the 11th: not the form's date
    ("二三年一十四日", "2023-05-14", False),  # the month the form gives is not there
    ("常州市生态环境局", "2023-01-14", False),
    ("重20年8月12日", "2020-08-12", True),  # in figures, a digit of the year lost under the seal
    ("重20年8月12日", "2020-08-13", False),
])
def test_a_date_partly_hidden_by_the_seal_agrees_with_the_form(garbled, form_date, taken):
    """The decision's 落款 date under its seal, partly unreadable: it is the date a form restates surely when it
    shows most of that date's characters in order and its day ends the same way — never from the form alone."""
    from xinyong_desktop.extract.facts import corroborate

    dec = Material("决定书.pdf", Kind.PENALTY_DECISION, [1], TextSource.OCR)
    form = Material("申请书.pdf", Kind.APPLICATION_FORM, [1], TextSource.TEXT)
    form.fields[FieldId.DECISION_DATE] = FieldValue(form_date, 1, (100, 200, 180, 212), 1.0)
    corroborate(dec, [(1, page("本行政处罚决定信息将依法公示。", "常州市生态环境局", garbled))], [form])
    got = dec.fields.get(FieldId.DECISION_DATE)
    assert (got is not None and got.value == form_date) == taken
