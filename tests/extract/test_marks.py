"""Signatures and seals as ink (or handwriting read as text) in a zone, on pages built the way the parser hands
them over: OCR lines with their characters, text-layer glyphs, and the ink blobs found on the page."""
from __future__ import annotations

from xinyong_desktop.domain.model import NO_PLACE, SEEN_EMPTY, UNCONFIRMED
from xinyong_desktop.extract.layout import Glyph, PageText, build_lines
from xinyong_desktop.extract.marks import blank_date, find_seal, find_signature
from xinyong_desktop.intake.ink import Blob, InkMap
from xinyong_desktop.rules.loader import default_rules

RULES = default_rules()
SIG, SEAL = RULES.signature_labels, RULES.seal_labels
W = 12.0


def ocr_line(text: str, x: float, y: float, conf: float = 0.95) -> Glyph:
    """One OCR line with the recogniser's own character positions."""
    chars = tuple((x + i * W, x + (i + 1) * W, conf) for i in range(len(text)))
    return Glyph(text, x, y, x + len(text) * W, y + W, conf, chars)


def text_glyphs(text: str, x: float, y: float) -> list[Glyph]:
    return [Glyph(ch, x + i * W, y, x + (i + 1) * W, y + W) for i, ch in enumerate(text) if ch != " "]


def ocr_page(*lines: tuple[str, float, float]) -> PageText:
    body = [ocr_line("本单位郑重承诺：以上所填内容真实有效，如有不实，愿承担相应责任。", 60, 100)]
    return PageText(595, 842, build_lines(body + [ocr_line(t, x, y) for t, x, y in lines]), "ocr")


def ink(strokes=(), seals=(), colourless=False, rings=()) -> InkMap:
    import numpy as np

    none = np.zeros((0, 0), dtype=bool)
    return InkMap(2.0, none, none, colourless, list(rings), [Blob(b, 400, 0.3) for b in seals],
                  [Blob(b, 200, 0.2) for b in strokes])


def test_a_signature_read_as_characters_after_its_label_is_a_signature():
    page = ocr_page(("承诺主体（盖章）：", 300, 400), ("法定代表人（签字）：王建国", 300, 430), ("2024年3月5日", 300, 460))
    mark = find_signature([(1, page, ink())], SIG)
    assert mark.present and mark.bbox is not None and mark.bbox[0] >= 300 + 10 * W - 1  # the name's own box


def test_a_signature_read_as_characters_on_the_line_below_its_label():
    page = ocr_page(("法定代表人（签字）：", 300, 430), ("王建国", 330, 448), ("2024年3月5日", 300, 480))
    assert find_signature([(1, page, ink())], SIG).present


def test_an_empty_signing_zone_is_seen_empty():
    page = ocr_page(("承诺主体（盖章）：", 300, 400), ("法定代表人（签字）：", 300, 430), ("2024年3月5日", 300, 460))
    mark = find_signature([(1, page, ink())], SIG)
    assert (mark.present, mark.confidence) == (False, SEEN_EMPTY)
    assert mark.bbox is not None and 425 <= mark.bbox[1] <= 435  # pointing at the place to sign


def test_form_words_dates_and_a_wrapped_name_in_the_zone_are_not_a_signature():
    page = ocr_page(("申请人（签章）：", 300, 400), ("常州市钟楼区恒昌食品有限公", 300, 415),
                    ("法定代表人（签名）： 司", 300, 430), ("签字日期：2024年3月5日", 300, 460))
    mark = find_signature([(1, page, ink())], SIG)
    assert (mark.present, mark.confidence) == (False, SEEN_EMPTY)


def test_the_units_name_printed_after_a_signing_label_is_not_a_signature():
    page = ocr_page(("申请人（签章）：常州市钟楼区恒昌食品有限公司", 300, 400), ("法定代表人（签名）：", 300, 430))
    assert not find_signature([(1, page, ink())], SIG).present


def test_ink_beside_the_label_of_a_text_layer_is_a_signature_and_typed_text_is_not():
    gs = text_glyphs("法定代表人（签字）：", 300, 430)
    page = PageText(595, 842, build_lines(gs), "text")
    assert find_signature([(1, page, ink(strokes=[(425, 425, 470, 445)]))], SIG).present
    typed = PageText(595, 842, build_lines(gs + text_glyphs("王建国", 425, 430)), "text")
    assert not find_signature([(1, typed, ink())], SIG).present


def test_no_place_to_sign_found_is_not_seen_empty():
    page = ocr_page(("2024年3月5日", 300, 460))
    assert find_signature([(1, page, ink())], SIG).confidence == NO_PLACE


def test_a_colourless_page_is_a_black_and_white_copy_only_when_its_file_shows_no_colour():
    page = ocr_page(("承诺主体（盖章）：", 300, 400))
    bw = ink(colourless=True)
    assert find_seal([(1, page, bw)], SEAL).confidence == UNCONFIRMED
    mark = find_seal([(1, page, bw)], SEAL, in_colour=True)
    assert (mark.present, mark.confidence) == (False, SEEN_EMPTY)
    assert find_seal([(1, page, ink(seals=[(320, 380, 420, 470)]))], SEAL).present


def test_handwriting_read_together_with_the_seals_words_is_a_signature():
    """A signature and the seal stamped over it read as one line: "法定代表人签字：R有限公司"."""
    page = ocr_page(("法定代表人签字：R有限公司", 300, 430), ("2025年4月3日", 300, 470))
    assert find_signature([(1, page, ink())], SIG).present


def test_a_signature_in_the_blank_before_a_bracketed_label_is_a_signature():
    """"法定代表人：<name>（签字）": people sign in the blank the printed （签字） closes, left of it."""
    glyphs = text_glyphs("法定代表人：", 100, 430) + text_glyphs("（签字）", 100 + 6 * W + 90, 430)
    page = PageText(595, 842, build_lines(glyphs), "text")
    stroke = (100 + 6 * W + 8, 426, 100 + 6 * W + 70, 446)  # the name, written in the blank
    mark = find_signature([(1, page, ink(strokes=[stroke]))], SIG)
    assert mark.present and mark.bbox == stroke


def test_strokes_left_of_a_role_label_are_not_its_signature():
    glyphs = text_glyphs("经办人签字：", 300, 430)
    page = PageText(595, 842, build_lines(glyphs), "text")
    far_left = (40, 426, 90, 446)  # something drawn in the margin, well left of the label
    assert not find_signature([(1, page, ink(strokes=[far_left]))], SIG).present


def test_a_signing_date_printed_as_blanks_is_seen_empty():
    page = ocr_page(("承诺主体（盖章）", 284, 412), ("法定代表人（签字）", 286, 441), ("年    月    日", 316, 470))
    got = blank_date([(1, page, ink())])
    assert got is not None and got[0] == 1
    # a date written by hand and not read leaves strokes in the blanks: nothing is said
    assert blank_date([(1, page, ink(strokes=[(270, 468, 312, 484)]))]) is None
    # a signature above the line does not fill the date
    assert blank_date([(1, page, ink(strokes=[(400, 425, 470, 455)]))]) is not None


def test_a_filled_or_partly_filled_date_is_not_blank():
    for text in ("2024年  3月  5日", "2024 年    月    日", "二〇二四年 三月 五日", "有效期至    年    月    日止"):
        page = ocr_page(("法定代表人（签字）", 286, 441), (text, 316, 470))
        assert blank_date([(1, page, ink())]) is None, text
    page = ocr_page(("日期：    年    月    日", 316, 470))
    assert blank_date([(1, page, ink())]) is not None


def test_a_name_written_in_the_blank_before_a_bracketed_signing_label_is_a_signature():
    # the 标准施工招标文件 授权委托书: "法定代表人：________（签字）", signed in the blank and read as characters
    page = ocr_page(("委托单位：天津滨海鼎盛包装材料有限公司（盖单位章）", 424, 630), ("法定代表人：韩军 （签字）", 424, 674),
                    ("身份证号码：12011619691107941X", 424, 745))
    mark = find_signature([(1, page, ink())], SIG)
    assert mark.present and mark.bbox is not None and mark.bbox[0] >= 424 + 6 * W - 1
    # the blank left empty: no signature read there
    empty = ocr_page(("法定代表人：          （签字）", 424, 674), ("身份证号码：12011619691107941X", 424, 745))
    assert not find_signature([(1, empty, ink())], SIG).present
