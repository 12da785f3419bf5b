"""A value hand-filled into a form in a Kai face sits a few degrees askew in the text layer: it is page text, not a
seal's ring (was: every tilted glyph went to the ring, so "91320404MAWHC1F04G" came through as "9 32 4 A H 1F G"
and its strokes were then taken for a signature).  A seal's ring — red, or turned further — stays the ring."""
from __future__ import annotations

import math

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from xinyong_desktop.intake.worker import parse_file
from xinyong_desktop.resources import font_path

VALUE = "91320404MAWHC1F04G"


def _tilted(c: canvas.Canvas, text: str, x: float, y: float, degrees: float, rgb: tuple[float, float, float]) -> None:
    c.setFillColorRGB(*rgb)
    for i, ch in enumerate(text):
        c.saveState()
        c.translate(x + i * 11, y + (i % 3) * 0.6)  # a hand does not keep a line either
        c.rotate(degrees * (1 if i % 2 else -1))
        c.drawString(0, 0, ch)
        c.restoreState()


def _form(path, hand_degrees: float) -> None:
    pdfmetrics.registerFont(TTFont("WQY", str(font_path())))
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("WQY", 12)
    c.drawString(72, 760, "统一社会信用代码：")
    _tilted(c, VALUE, 190, 760, hand_degrees, (0.1, 0.2, 0.7))  # blue ink, a few degrees askew
    # a seal: red ring text turned all the way round a circle
    c.setFillColorRGB(0.85, 0.1, 0.1)
    for i, ch in enumerate("常州市测试有限公司"):
        a = math.radians(200 - i * 20)
        c.saveState()
        c.translate(400 + 40 * math.cos(a), 600 + 40 * math.sin(a))
        c.rotate(math.degrees(a) - 90)
        c.drawString(0, 0, ch)
        c.restoreState()
    c.showPage()
    c.save()


def _text(res: dict) -> str:
    return "".join(g[0] for pg in res["pages"] for g in pg["glyphs"])


def test_a_value_filled_in_by_hand_a_few_degrees_askew_is_text(tmp_path):
    pdf = tmp_path / "申请表.pdf"
    _form(pdf, 4)
    res = parse_file(str(pdf), ocr=False)
    assert res["ok"], res
    assert VALUE in _text(res)
    ring = "".join(pg["ring"] for pg in res["pages"])
    assert "测试有限公司" in ring and "测试" not in _text(res)


def test_glyphs_turned_further_are_not_taken_for_text(tmp_path):
    pdf = tmp_path / "申请表.pdf"
    _form(pdf, 25)
    res = parse_file(str(pdf), ocr=False)
    assert VALUE not in _text(res)
