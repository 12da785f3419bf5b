"""build_lines groups glyphs exactly as the straightforward per-row median does, for any layout.

(Its speed on 40,000 glyphs in one line is measured by benchmarks/bench_hostile.py, not here.)
"""
from __future__ import annotations

import random
import statistics

from xinyong_desktop.extract.layout import Glyph, build_lines


def _reference_rows(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """The grouping rule written plainly: a glyph joins the last row when its middle lies within that row's
    median top/bottom (±10 % of its height)."""
    glyphs = sorted((g for g in glyphs if g.text.strip() and g.x1 > g.x0 and g.bottom > g.top),
                    key=lambda g: (g.top + g.bottom) / 2)
    rows: list[list[Glyph]] = []
    for g in glyphs:
        mid = (g.top + g.bottom) / 2
        if rows:
            rtop = statistics.median(x.top for x in rows[-1])
            rbot = statistics.median(x.bottom for x in rows[-1])
            if rtop - 0.1 * (rbot - rtop) <= mid <= rbot + 0.1 * (rbot - rtop):
                rows[-1].append(g)
                continue
        rows.append([g])
    return rows


def _random_page(rng: random.Random, lines: int, per_line: int) -> list[Glyph]:
    out = []
    for i in range(lines):
        base = 40 + i * rng.uniform(11, 30)
        size = rng.uniform(8, 16)
        x = 50.0
        for _ in range(per_line):
            jitter = rng.uniform(-0.3, 0.3) * size  # baseline noise, superscripts, OCR boxes
            w = size * rng.uniform(0.4, 1.1)
            out.append(Glyph(rng.choice("信用修复承诺书0123456789ab "), x, base + jitter, x + w, base + jitter + size,
                             rng.uniform(0.5, 1.0)))
            x += w + rng.choice([0.0, 0.5, size * 0.3, size * 2.0])
    rng.shuffle(out)
    return out


def test_grouping_equals_the_plain_rule_on_random_pages():
    rng = random.Random(15)
    for _ in range(60):
        glyphs = _random_page(rng, rng.randint(1, 25), rng.randint(1, 40))
        expected = _reference_rows(glyphs)
        got = build_lines(glyphs)
        assert len(got) == len(expected)
        for line, row in zip(got, expected, strict=True):
            assert line.text.replace("\t", "").replace(" ", "") == "".join(
                g.text for g in sorted(row, key=lambda g: g.x0)).replace(" ", "")
            assert line.height == statistics.median(g.height for g in row)


def test_one_very_long_line_is_one_line_with_every_glyph_boxed():
    glyphs = [Glyph("字", 10.0 + i * 5, 100.0 + (i % 3) * 0.5, 14.0 + i * 5, 110.0 + (i % 3) * 0.5) for i in range(40_000)]
    lines = build_lines(list(reversed(glyphs)))
    assert len(lines) == 1
    assert lines[0].text == "字" * 40_000
    assert lines[0].boxes[0] == (10.0, 100.0, 14.0, 110.0)
    assert lines[0].boxes[-1][0] == 10.0 + 39_999 * 5


def _row(text: str, y: float) -> list[Glyph]:
    return [Glyph(ch, 50 + 12 * i, y, 62 + 12 * i, y + 12) for i, ch in enumerate(text)]


def test_a_page_in_traditional_characters_is_read_as_simplified_with_its_boxes():
    glyphs = _row("中華人民共和國文錦渡海關", 40) + _row("行政處罰決定書", 70) + _row("當事人：宜昌天鉆農業開發有限公司", 100)
    lines = build_lines(glyphs)
    assert [ln.text for ln in lines] == ["中华人民共和国文锦渡海关", "行政处罚决定书", "当事人：宜昌天钻农业开发有限公司"]
    assert all(len(ln.boxes) == len(ln.text) for ln in lines)
    assert lines[1].boxes[2] == (74.0, 70.0, 86.0, 82.0)  # 處 → 处 keeps its place


def test_a_simplified_page_keeps_a_traditional_form_in_a_name():
    glyphs = _row("常州市乾隆食品有限公司", 40) + _row("行政处罚决定书", 70) + _row("当事人违反了有关规定依法处罚", 100)
    assert build_lines(glyphs)[0].text == "常州市乾隆食品有限公司"
