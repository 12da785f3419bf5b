"""Seals and signatures on a material's pages, from the ink maps and the text the parser made.

A signature is whatever is in the signing zone that the form does not print: ink (strokes that are not text),
or, on a scan, characters the recogniser read there (a name written right after "法定代表人（签字）：" is taken
into that OCR line, and its strokes are then masked as text).  The zone is the rest of the label's line (the
cell beside included) and the line just below.  "Absent" is stated surely only when such a zone was found and
seen empty.  A seal is a red mark; a page without colour is a black-and-white copy only when its file shows no
colour either.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xinyong_desktop.domain.model import (
    MARK_AWAY,
    MARK_NEAR_LABEL,
    MARK_RING,
    NO_PLACE,
    SEEN_EMPTY,
    SIGNED_AS_TEXT,
    SIGNED_IN_TAIL,
    SIGNED_IN_ZONE,
    SIGNED_LOW,
    UNCONFIRMED,
    UNREAD,
    Box,
)
from xinyong_desktop.extract.layout import Line, PageText, union
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
            for i, j in _find_labels_loose(line, label):
                b = line.span_bbox(i, j)
                if not b:
                    continue
                colon = _colon_before(line.text, i)
                c = line.span_bbox(colon, colon + 1) if colon is not None else None
                # the label widened over the blank it closes: "法定代表人：      （签字）" is signed in that blank
                out.append((min(b[0], c[2]), b[1], b[2], b[3]) if c else b)
    return out


def _colon_before(text: str, i: int) -> int | None:
    """The colon of "法定代表人：____（签字）" when the label at `i` is the bracketed （签字） closing a blank after
    it (spaces, underscores or nothing but room on the page); None otherwise."""
    k = i - 1 if i > 0 and text[i - 1] in "（(" else i
    if text[k:k + 1] not in ("（", "("):
        return None
    while k > 0 and text[k - 1] in " \t\u3000_＿":
        k -= 1
    return k - 1 if k > 0 and text[k - 1] in "：:" else None


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


def find_seal(pages: list[tuple[int, PageText, InkMap]], labels: tuple[str, ...], in_colour: bool = False) -> Mark:
    """A red seal anywhere on the material's pages (near its seal label when there is one).

    `in_colour`: the file was scanned in colour (another of its pages shows colour), so a page without any
    coloured pixel is not a black-and-white copy: a seal would show red there."""
    best: Mark | None = None
    for pno, page, ink in pages:
        seals = seal_blobs(ink)
        if not seals:
            continue
        lbs = _label_boxes(page, labels)
        for s in seals:
            near = any(_near(s.bbox, lb, 300, 150, 150) for lb in lbs)
            conf = MARK_NEAR_LABEL if near or not lbs else MARK_AWAY
            if best is None or conf > best.confidence:
                best = Mark(True, pno, s.bbox, conf)
    if best:
        return best
    for pno, _page, ink in pages:
        if ink.colourless and ink.rings:
            return Mark(True, pno, ink.rings[0], MARK_RING)
    last = pages[-1]
    pno, where = _expected_place(pages, labels)
    if not in_colour and any(ink.colourless for _, _, ink in pages):
        # a black-and-white copy without a visible ring: presence cannot be confirmed either way
        return Mark(False, pno, where, UNCONFIRMED)
    return Mark(False, pno, where, SEEN_EMPTY if last[1].source != "none" else UNREAD)


# what a form prints in or next to its signing zone (not a signature): punctuation, blanks, other labels
_FORM_MARKS = re.compile(r"[\s_＿\-—–.·•:：;；,，、()（）\[\]［］【】〔〕]+")
_FORM_WORDS = re.compile(r"(?:盖章|公章|印章|签字|签名|签章|手签|日期|年|月|日|章|处|单位|本人|法定代表人|负责人|"
                         r"委托人|受托人|被委托人|代理人|经办人|申请人|承诺人|承诺主体|授权人|职务|身份证号码?|电话|"
                         r"联系电话|姓名|地址|此处|签署)")
_DATEISH = re.compile(r"[0-9０-９〇○零一二三四五六七八九十]+[年月日./\-]")
_ORG_TAIL = ("公司", "有限公司", "责任公司", "股份有限公司", "中心", "事务所", "合作社", "厂", "店")


def _handwritten_text(rest: str) -> str:
    """What is left of a zone's text once the form's own words, blanks and dates are taken out."""
    t = _DATEISH.sub("", rest)
    t = _FORM_WORDS.sub("", t)
    return _FORM_MARKS.sub("", t)


def _printed_name(t: str) -> bool:
    """An organisation's name printed in full (the unit after 申请人（签章）), not handwriting read with a seal's
    ring words ("R有限公司")."""
    return bool(re.fullmatch(r"[\u4e00-\u9fff（）()]{2,}", t)) and t.endswith(_ORG_TAIL) and len(t) >= 4


def _continues_name(above: list[Line], rest: str) -> bool:
    """A wrapped organisation name ("…有限公" / "司") that ends in the signing zone: printed, not signed."""
    t = _FORM_MARKS.sub("", rest)
    return bool(t) and len(t) <= 3 and any(
        (ln.text.rstrip()[-3:] + t).endswith(_ORG_TAIL) for ln in above)


def _zone_text(page: PageText, labels: tuple[str, ...]) -> tuple[bool, Box | None]:
    """(a zone was found, the box of characters read in it that the form does not print) on an OCR page."""
    found = False
    for i, line in enumerate(page.lines):
        for label in labels:
            for s, e in _find_labels_loose(line, label):
                found = True
                if page.source != "ocr":
                    continue
                if s > 0 and line.text[s - 1:s] in "（(" or label[:1] in "（(":
                    # "法定代表人：韩军 （签字）": a name written in the blank before the bracketed label
                    start = s - 1 if line.text[s - 1:s] in "（(" else s
                    colon = max(line.text.rfind("：", 0, start), line.text.rfind(":", 0, start))
                    between = line.text[colon + 1:start] if colon >= 0 else ""
                    hand = _handwritten_text(between)
                    if colon >= 0 and hand and not _printed_name(hand):
                        k = colon + 1 + next((j for j, ch in enumerate(between) if not _FORM_MARKS.fullmatch(ch)), 0)
                        return True, line.span_bbox(k, start)
                rest = line.text[e:]
                nxt = re.search(r"[\u4e00-\u9fff]{2,8}[（(]?(?:签字|签名|签章|盖章|日期)", rest)
                if nxt:
                    rest = rest[: nxt.start()]
                above = page.lines[max(0, i - 2) : i]
                hand = _handwritten_text(rest)
                if hand and not _printed_name(hand) and not _continues_name(above, rest):
                    k = e + next((j for j, ch in enumerate(rest) if not _FORM_MARKS.fullmatch(ch)), 0)
                    return True, line.span_bbox(k, e + len(rest.rstrip()))
                below = page.lines[i + 1] if i + 1 < len(page.lines) else None
                lb = line.span_bbox(s, e)
                if below is not None and lb is not None and _under(below.bbox, lb, line.height):
                    t = _handwritten_text(below.text)
                    if 2 <= len(t) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", t) and not _printed_name(t) \
                            and "：" not in below.text \
                            and ":" not in below.text:
                        return True, below.bbox
    return found, None


def _under(box: Box, label: Box, h: float) -> bool:
    return box[1] > label[1] and box[1] - label[3] < 1.6 * h and box[0] < label[2] + 200 and box[2] > label[0] - 20


def find_signature(pages: list[tuple[int, PageText, InkMap]], labels: tuple[str, ...]) -> Mark:
    """A signature in the signing zone of a label: strokes right of / under it, or handwriting the recogniser
    read as characters there; without a label, strokes in the sign-off block or the lower page half."""
    best: Mark | None = None
    seen = False
    for pno, page, ink in pages:
        zone, text_box = _zone_text(page, labels)
        seen = seen or zone
        if text_box is not None:
            mark = Mark(True, pno, text_box, SIGNED_AS_TEXT)
            if best is None or mark.confidence > best.confidence:
                best = mark
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
                conf = SIGNED_IN_ZONE
            elif any(_near(s.bbox, tb, 320, 45, 30) for tb in tail):
                ok, conf = True, SIGNED_IN_TAIL
            else:
                ok, conf = s.bbox[1] > page.height * 0.45, SIGNED_LOW
            if ok and (best is None or conf > best.confidence):
                best = Mark(True, pno, s.bbox, conf)
    if best:
        return best
    last = pages[-1]
    if last[1].source == "none":
        return Mark(False, last[0], None, UNREAD)
    # the signing zone seen empty: missing; no place to sign found at all: unsure
    pno, where = _expected_place(pages, labels)
    return Mark(False, pno, where, SEEN_EMPTY if seen else NO_PLACE)


_BLANK_DATE = re.compile(r"年[ \t]+月[ \t]+日[ \t]*$")
_DATE_LABEL = re.compile(r"^[ \t]*(?:[\u4e00-\u9fa5]{0,6}日期|时间)?[ \t]*[:：]?[ \t]*$")


def blank_date(pages: list[tuple[int, PageText, InkMap]]) -> tuple[int, Box] | None:
    """The signing date printed as a blank to fill in — "年　月　日" with nothing before 年 and nothing between —
    seen empty: no figure read on the line and no stroke in its blanks (a date written by hand and not read
    leaves strokes there, and then nothing is said).  The last such line of the material, where it signs off."""
    for pno, page, ink in reversed(pages):
        strokes = stroke_blobs(ink)
        for line in reversed(page.lines):
            m = _BLANK_DATE.search(line.text)
            if not m or not _DATE_LABEL.match(line.text[:m.start()]):
                continue
            box = line.span_bbox(m.start(), m.end())
            if box is None:
                continue
            h = max(line.height, 6.0)
            zone = (box[0] - 4.5 * h, box[1] - 0.3 * h, box[2], box[3] + 0.3 * h)
            if any(b.bbox[0] < zone[2] and b.bbox[2] > zone[0] and b.bbox[1] < zone[3] and b.bbox[3] > zone[1]
                   for b in strokes):
                return None
            return pno, zone
    return None


__all__ = ["Mark", "blank_date", "find_seal", "find_signature"]
