"""One positioned-text model for PDF text layers and OCR output: glyphs → lines → segments.

Every character of a line's text keeps its box (PDF points from the page's top-left), so any
matched span can be turned back into evidence on the page.
"""
from __future__ import annotations

import heapq
import statistics
from dataclasses import dataclass, field

from xinyong_desktop.domain.glyph import Glyph, char_width
from xinyong_desktop.domain.model import Box


@dataclass
class Line:
    text: str  # segments joined by "\t", spaced glyphs by " "
    boxes: list[Box | None]  # one per character of text
    conf: list[float]
    height: float

    @property
    def bbox(self) -> Box:
        bs = [b for b in self.boxes if b]
        return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))

    def span_bbox(self, start: int, end: int) -> Box | None:
        return union([b for b in self.boxes[start:end] if b])

    def span_conf(self, start: int, end: int) -> float:
        """The confidence of a span: its least sure character that matters (brackets, colons and commas are
        read as any of their variants alike, so an unsure one changes nothing)."""
        return span_conf(self.text, self.conf, start, end)

    @property
    def sure(self) -> float:
        """The confidence of the whole line (its least sure character that matters)."""
        return span_conf(self.text, self.conf, 0, len(self.text)) if self.conf else 1.0


_NEUTRAL = frozenset(" \t\n（）()[]［］【】〔〕{}：:，,、；;")


def span_conf(text: str, conf: list[float], start: int, end: int) -> float:
    cs = [c for ch, c in zip(text[start:end], conf[start:end], strict=False) if ch not in _NEUTRAL]
    return min(cs) if cs else (min(conf[start:end]) if conf[start:end] else 0.0)


def union(boxes: list[Box]) -> Box | None:
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@dataclass
class PageText:
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    source: str = "text"  # "text" | "ocr" | "none"
    to_page: list[list[float]] | None = None  # 3x3 from these (upright) points to the file's page points

    def page_box(self, box: Box) -> Box:
        """A box of this text model on the page as the file shows it (scans may have been turned)."""
        if self.to_page is None:
            return box
        m = self.to_page
        xs, ys = [], []
        for x, y in ((box[0], box[1]), (box[2], box[1]), (box[2], box[3]), (box[0], box[3])):
            w = m[2][0] * x + m[2][1] * y + m[2][2]
            xs.append((m[0][0] * x + m[0][1] * y + m[0][2]) / w)
            ys.append((m[1][0] * x + m[1][1] * y + m[1][2]) / w)
        return (min(xs), min(ys), max(xs), max(ys))

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    def flow(self) -> tuple[str, list[Box | None], list[float]]:
        """The page as one string without line breaks (for prose that wraps), with boxes per char."""
        text, boxes, conf = [], [], []
        for ln in self.lines:
            text.append(ln.text.replace("\t", " "))
            boxes.extend(ln.boxes)
            conf.extend(ln.conf)
            text.append("\n")
            boxes.append(None)
            conf.append(1.0)
        return "".join(text), boxes, conf


class _RunningMedian:
    """Median of a growing multiset in O(log n) per value (two heaps), equal to statistics.median."""

    def __init__(self) -> None:
        self._low: list[float] = []  # max-heap (negated): the smaller half
        self._high: list[float] = []  # min-heap: the larger half

    def add(self, x: float) -> None:
        if self._low and x > -self._low[0]:
            heapq.heappush(self._high, x)
        else:
            heapq.heappush(self._low, -x)
        if len(self._low) > len(self._high) + 1:
            heapq.heappush(self._high, -heapq.heappop(self._low))
        elif len(self._high) > len(self._low):
            heapq.heappush(self._low, -heapq.heappop(self._high))

    def value(self) -> float:
        if len(self._low) > len(self._high):
            return -self._low[0]
        return (-self._low[0] + self._high[0]) / 2


def _stack_in_reading_order(row: list[Glyph]) -> None:
    """In a tall row (a table cell wrapped onto two lines beside a label centred on both), a scan's line
    pieces lie one above the other at the same left edge: the upper one reads first ("常州市…有限责任" then
    "公司"), whichever starts a hair further left.  Glyphs side by side keep their left-to-right order."""
    for i in range(1, len(row)):
        j = i
        while j > 0 and _stacked_above(row[j], row[j - 1]):
            row[j - 1], row[j] = row[j], row[j - 1]
            j -= 1


def _stacked_above(b: Glyph, a: Glyph) -> bool:
    if len(a.text) < 2 and len(b.text) < 2:
        return False  # characters of a text layer: side by side, in the order of their left edges
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    narrower = min(a.x1 - a.x0, b.x1 - b.x0)
    return narrower > 0 and overlap > 0.5 * narrower and b.bottom <= a.top + 0.3 * min(a.height, b.height)


def build_lines(glyphs: list[Glyph], seg_gap: float = 1.6, space_gap: float = 0.2) -> list[Line]:
    """Group glyphs into reading-order lines; split a line into segments at wide gaps.

    n·log n in the number of glyphs: a row's median top and bottom are kept incrementally, so one line of
    tens of thousands of glyphs (a hostile or machine-made PDF) costs no more than many short lines.
    """
    glyphs = [g for g in glyphs if g.text.strip() and g.x1 > g.x0 and g.bottom > g.top]
    if not glyphs:
        return []
    glyphs.sort(key=lambda g: (g.top + g.bottom) / 2)
    rows: list[list[Glyph]] = []
    tops = bots = _RunningMedian()
    for g in glyphs:
        mid = (g.top + g.bottom) / 2
        if rows:
            rtop, rbot = tops.value(), bots.value()
            if rtop - 0.1 * (rbot - rtop) <= mid <= rbot + 0.1 * (rbot - rtop):
                rows[-1].append(g)
                tops.add(g.top)
                bots.add(g.bottom)
                continue
        rows.append([g])
        tops, bots = _RunningMedian(), _RunningMedian()
        tops.add(g.top)
        bots.add(g.bottom)
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        _stack_in_reading_order(row)
        h = statistics.median(g.height for g in row)
        text: list[str] = []
        boxes: list[Box | None] = []
        conf: list[float] = []
        prev: Glyph | None = None
        for g in row:
            if prev is not None:
                gap = g.x0 - prev.x1
                if gap > seg_gap * h:
                    text.append("\t")
                    boxes.append(None)
                    conf.append(1.0)
                elif gap > space_gap * h:
                    text.append(" ")
                    boxes.append(None)
                    conf.append(1.0)
            if len(g.chars) == len(g.text):  # an OCR line with the recogniser's own character positions
                for ch, (cx0, cx1, cconf) in zip(g.text, g.chars, strict=True):
                    text.append(ch)
                    boxes.append((cx0, g.top, cx1, g.bottom))
                    conf.append(cconf)
                prev = g
                continue
            # an OCR line is one glyph: give each character its share of the box by its printed width
            # (a Han character or full-width mark is square, a digit or Latin letter about half as wide)
            widths = [char_width(ch) for ch in g.text]
            unit = (g.x1 - g.x0) / (sum(widths) or 1.0)
            x = g.x0
            for ch, cw in zip(g.text, widths, strict=False):
                text.append(ch)
                boxes.append((x, g.top, x + cw * unit, g.bottom))
                conf.append(g.conf)
                x += cw * unit
            prev = g
        lines.append(Line("".join(text), boxes, conf, h))
    return simplified(lines)


TRADITIONAL_PAGE = 0.05  # share of traditional forms among a page's Han characters that makes it a traditional page


def simplified(lines: list[Line]) -> list[Line]:
    """A page printed in traditional characters (a Hong Kong-style reprint of a decision) read as simplified,
    character for character, so its titles, labels and values are the ones the rules know.  A simplified page
    is left exactly as it is (a stray traditional form in a name is the name)."""
    from xinyong_desktop.domain.text import to_simplified, traditional_share

    text = "".join(ln.text for ln in lines)
    if traditional_share(text) < TRADITIONAL_PAGE or sum("\u4e00" <= c <= "\u9fff" for c in text) < 20:
        return lines
    return [Line(to_simplified(ln.text), ln.boxes, ln.conf, ln.height) for ln in lines]
