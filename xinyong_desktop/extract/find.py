"""Find a known value on a page, tolerant of how documents print it.

Checking a material against a case fact is a search, not a reading: the fact (a name, a code, a number)
is looked for in the page's running text and in its table cells, with spaces, line wraps, bracket and
width variants, "第" and hand-filled spacing folded away, and OCR look-alikes folded for identifiers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xinyong_desktop.domain.model import Box
from xinyong_desktop.domain.text import to_halfwidth
from xinyong_desktop.extract.cells import cells
from xinyong_desktop.extract.layout import PageText, span_conf, union

_OPEN = "(（[［【〔{"
_CLOSE = ")）]］】〕}"
# OCR look-alikes, folded on both sides when the value is an identifier
_LOOKALIKE = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5", "B": "8", "G": "6"})
_DROP = set(" \t\n\u3000_＿·•")


@dataclass(frozen=True)
class Found:
    page: int
    bbox: Box | None
    conf: float
    before: str  # the folded text just before the match (a few characters)
    after: str


def fold(text: str, ftype: str, lookalikes: bool = False) -> tuple[str, list[int]]:
    """The comparable form of text and, per folded character, its index in text.

    OCR look-alikes are folded only for identifiers read by OCR: on a text layer an O for a 0 is a typo."""
    out: list[str] = []
    idx: list[int] = []
    t = to_halfwidth(text)
    ident = ftype in ("uscc", "id_number")
    lookalikes = lookalikes and ident
    for i, c in enumerate(t):
        if c in _DROP:
            continue
        if c in _OPEN:
            c = "("
        elif c in _CLOSE:
            c = ")"
        elif ftype == "decision_number" and c == "第":
            continue
        if ident or ftype == "decision_number":
            c = c.upper()
        if lookalikes:
            c = c.translate(_LOOKALIKE)
        out.append(c)
        idx.append(i)
    return "".join(out), idx


def _sources(page: PageText):
    """Texts to search on one page, each with per-character boxes and confidences."""
    text, boxes, conf = page.flow()
    yield text, boxes, conf
    for cell in cells(page):
        if len(cell.parts) > 1:
            yield cell.text, cell.boxes, cell.conf


def find_value(pages: list[tuple[int, PageText]], ftype: str, value: str) -> Found | None:
    """Where `value` (a normalised contract value) is printed on the pages, or None."""
    for pno, page in pages:
        ocr = page.source == "ocr"
        want, _ = fold(value, ftype, ocr)
        if len(want) < 2:
            return None
        for text, boxes, conf in _sources(page):
            folded, idx = fold(text, ftype, ocr)
            start = 0
            while True:
                k = folded.find(want, start)
                if k < 0:
                    break
                start = k + 1
                before, after = folded[max(0, k - 4) : k], folded[k + len(want) : k + len(want) + 4]
                if not _boundary_ok(ftype, before, after):
                    continue
                i0, i1 = idx[k], idx[k + len(want) - 1] + 1
                bb = union([b for b in boxes[i0:i1] if b])
                return Found(pno, bb, span_conf(text, conf, i0, i1), before, after)
    return None


_ID_CHAR = re.compile(r"[0-9A-Z]")
_CODE_RUN = re.compile(r"[0-9A-Z*]+")


@dataclass(frozen=True)
class NearCode:
    """An identifier printed on a page that differs from a known one in a few places."""

    page: int
    bbox: Box | None
    read: str  # as the page shows it (spaces and wraps removed, no look-alike folded)
    diffs: tuple[tuple[str, str, float], ...]  # (read, known, confidence of the read character) per difference


def _valid(ftype: str, code: str) -> bool:
    from xinyong_desktop.domain import identifiers as ids

    return ids.is_valid_id_number(code) if ftype == "id_number" else ids.is_valid_uscc(code)


def near_codes(pages: list[tuple[int, PageText]], ftype: str, known: str, max_diff: int = 3,
               read: str | None = None) -> list[NearCode]:
    """Codes of `known`'s length on the pages that differ from it in 1..max_diff places — the same code
    printed (or read) with a few characters changed; another enterprise's code differs almost everywhere —
    and, however much it differs, the code `read` in the field's role (the applicant's code on a form) when
    it passes its check (a garbled reading differs everywhere too)."""
    want = fold(known, ftype)[0]
    also = fold(read, ftype)[0] if read else None
    out: list[NearCode] = []
    for pno, page in pages:
        for text, boxes, conf in _sources(page):
            folded, idx = fold(text, ftype)
            for m in _CODE_RUN.finditer(folded):
                if len(m.group(0)) != len(want):
                    continue
                diffs = tuple((a, b, conf[idx[m.start() + j]]) for j, (a, b) in enumerate(zip(m.group(0), want, strict=True))
                              if a != b)
                if 0 < len(diffs) <= max_diff or (diffs and m.group(0) == also and _valid(ftype, also)):
                    bb = union([b for b in boxes[idx[m.start()] : idx[m.end() - 1] + 1] if b])
                    out.append(NearCode(pno, bb, m.group(0), diffs))
    return out


def _boundary_ok(ftype: str, before: str, after: str) -> bool:
    """A match must be the whole value, not part of a longer one."""
    if ftype in ("uscc", "id_number"):
        return not (before[-1:] and _ID_CHAR.match(before[-1:])) and not (after[:1] and _ID_CHAR.match(after[:1]))
    if ftype == "decision_number":
        return True
    if ftype in ("org", "name"):
        return not after.startswith(("分公司", "分厂", "分店"))
    if ftype == "person":
        # a person's name is not the start of a longer name: 王明 is not 王明华
        nxt = after[:1]
        return not nxt or not ("\u4e00" <= nxt <= "\u9fff") or after.startswith(
            ("同志", "先生", "女士", "身份", "系", "为", "是", "的", "性别", "男", "女", "职务", "签", "代表", "("))
    return True
