"""Seals and signatures on a material's pages, from the ink maps the parser made."""
from __future__ import annotations

from dataclasses import dataclass

from xinyong_desktop.domain.model import UNCONFIRMED, Box
from xinyong_desktop.extract.layout import PageText, union
from xinyong_desktop.intake.ink import InkMap, seal_blobs, stroke_blobs


@dataclass(frozen=True)
class Mark:
    present: bool
    page: int
    bbox: Box | None
    confidence: float


def _label_boxes(page: PageText, labels: tuple[str, ...]) -> list[Box]:
    out = []
    for line in page.lines:
        for label in labels:
            for m in _find_labels_loose(line, label):
                b = line.span_bbox(*m)
                if b:
                    out.append(b)
    return out


def _find_labels_loose(line, label):
    start = 0
    while True:
        i = line.text.find(label, start)
        if i < 0:
            return
        yield i, i + len(label)
        start = i + 1


def _expected_place(pages: list[tuple[int, PageText, InkMap]], labels: tuple[str, ...]) -> tuple[int, Box | None]:
    """Where a missing mark should be, for the instructor to look at: the last label asking for it (its page
    and box); without one, the sign-off block (the last lines of the last page that has text)."""
    for pno, page, _ in reversed(pages):
        lbs = _label_boxes(page, labels)
        if lbs:
            return pno, max(lbs, key=lambda b: (b[1], b[0]))
    for pno, page, _ in reversed(pages):
        if page.lines:
            return pno, union([ln.bbox for ln in page.lines[-3:]])
    return pages[-1][0], None


def _near(box: Box, label: Box, right: float, below: float, above: float) -> bool:
    return box[0] < label[2] + right and box[2] > label[0] - 20 and box[1] < label[3] + below and box[3] > label[1] - above


def find_seal(pages: list[tuple[int, PageText, InkMap]], labels: tuple[str, ...]) -> Mark:
    """A red seal anywhere on the material's pages (near its seal label when there is one)."""
    best: Mark | None = None
    for pno, page, ink in pages:
        seals = seal_blobs(ink)
        if not seals:
            continue
        lbs = _label_boxes(page, labels)
        for s in seals:
            near = any(_near(s.bbox, lb, 300, 150, 150) for lb in lbs)
            conf = 0.95 if near or not lbs else 0.75
            if best is None or conf > best.confidence:
                best = Mark(True, pno, s.bbox, conf)
    if best:
        return best
    for pno, _page, ink in pages:
        if ink.colourless and ink.rings:
            return Mark(True, pno, ink.rings[0], 0.6)
    last = pages[-1]
    pno, where = _expected_place(pages, labels)
    if any(ink.colourless for _, _, ink in pages):
        # a black-and-white copy without a visible ring: presence cannot be confirmed either way
        return Mark(False, pno, where, UNCONFIRMED)
    return Mark(False, pno, where, 0.8 if last[1].source != "none" else 0.5)


def find_signature(pages: list[tuple[int, PageText, InkMap]], labels: tuple[str, ...]) -> Mark:
    """Handwritten strokes right of / under a signature label; without a label, in the lower page half."""
    best: Mark | None = None
    for pno, page, ink in pages:
        strokes = stroke_blobs(ink)
        if not strokes:
            continue
        lbs = _label_boxes(page, labels)
        # a stamped seal may cover the label's words (法定代表人（签 ）): the sign-off block's last lines
        # are where a signature goes, wherever they are on the page
        tail = [ln.bbox for ln in page.lines[-4:]] if not lbs else []
        for s in strokes:
            if lbs:
                ok = any(_near(s.bbox, lb, 320, 45, 30) for lb in lbs)
                conf = 0.9
            elif any(_near(s.bbox, tb, 320, 45, 30) for tb in tail):
                ok, conf = True, 0.8
            else:
                ok, conf = s.bbox[1] > page.height * 0.45, 0.6
            if ok:
                if best is None or conf > best.confidence:
                    best = Mark(True, pno, s.bbox, conf)
    if best:
        return best
    last = pages[-1]
    if last[1].source == "none":
        return Mark(False, last[0], None, 0.5)
    # no strokes where the page asks for a signature: missing; no place to sign found at all: unsure
    seen = any(_label_boxes(page, labels) for _, page, _ in pages)
    pno, where = _expected_place(pages, labels)
    return Mark(False, pno, where, 0.8 if seen else 0.6)


__all__ = ["Mark", "find_seal", "find_signature"]
