"""Table-like structure of a page: segments (runs of a line between wide gaps) and cells (segments that
wrap onto the lines below at the same left edge).

A form typed in a word processor puts a label in one cell and its value in the next; a long value wraps
inside its cell, so its pieces sit on different text lines with the label's line between them.  Cells put
those pieces back together, with the box of every character, whatever the template's wording.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from xinyong_desktop.domain.model import Box
from xinyong_desktop.extract.layout import Line, PageText, span_conf, union


@dataclass
class Segment:
    line_no: int
    start: int  # character offsets into the line's text
    end: int
    line: Line

    @property
    def text(self) -> str:
        return self.line.text[self.start : self.end]

    @property
    def bbox(self) -> Box | None:
        return self.line.span_bbox(self.start, self.end)


@dataclass
class Cell:
    """One or more segments stacked at the same left edge: the text of one table cell or paragraph."""

    parts: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.parts)

    @property
    def boxes(self) -> list[Box | None]:
        out: list[Box | None] = []
        for p in self.parts:
            out.extend(p.line.boxes[p.start : p.end])
        return out

    @property
    def conf(self) -> list[float]:
        out: list[float] = []
        for p in self.parts:
            out.extend(p.line.conf[p.start : p.end])
        return out

    @property
    def bbox(self) -> Box | None:
        return union([b for b in (p.bbox for p in self.parts) if b])

    def span_bbox(self, start: int, end: int) -> Box | None:
        return union([b for b in self.boxes[start:end] if b])

    def span_conf(self, start: int, end: int) -> float:
        return span_conf(self.text, self.conf, start, end)


def segments(page: PageText) -> list[Segment]:
    out = []
    for li, line in enumerate(page.lines):
        pos = 0
        for piece in line.text.split("\t"):
            end = pos + len(piece)
            # trim spaces so boxes and offsets are those of ink
            s, e = pos, end
            while s < e and line.text[s] == " ":
                s += 1
            while e > s and line.text[e - 1] == " ":
                e -= 1
            if s < e:
                out.append(Segment(li, s, e, line))
            pos = end + 1
    return out


_END_PUNCT = "。；;！!？?：:"


def cells(page: PageText) -> list[Cell]:
    """Segments joined downwards into cells: the next piece starts at the same x, close below, and the
    piece above does not end a sentence or a label."""
    segs = segments(page)
    boxes = [s.bbox for s in segs]
    taken = [False] * len(segs)
    out: list[Cell] = []
    for i, seg in enumerate(segs):
        if taken[i] or boxes[i] is None:
            continue
        cell = Cell([seg])
        taken[i] = True
        cur, cb = seg, boxes[i]
        while True:
            assert cb is not None  # boxes[i] and boxes[nxt] are never None here
            h = max(cur.line.height, 6.0)
            nxt = None
            for j in range(i + 1, len(segs)):
                bj = boxes[j]
                if taken[j] or bj is None or segs[j].line_no <= cur.line_no:
                    continue
                if bj[1] - cb[3] > 0.8 * h:  # wrapped lines of one cell sit closer than rows of a table
                    if segs[j].line_no > cur.line_no + 3:
                        break
                    continue
                if abs(bj[0] - cb[0]) < 1.2 * h and bj[1] >= cb[1] + 0.5 * h:
                    nxt = j
                    break
            if nxt is None or cur.text.rstrip()[-1:] in _END_PUNCT:
                break
            cell.parts.append(segs[nxt])
            taken[nxt] = True
            cur, cb = segs[nxt], boxes[nxt]
        out.append(cell)
    return out
