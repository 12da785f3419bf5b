"""Recognise each page's material kind by content (titles, then supporting words) and split files."""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from xinyong_desktop.extract.layout import PageText
from xinyong_desktop.rules.loader import RuleBook

_TRAILING = re.compile(r"(?:[（(][^）)]{0,8}[）)]|[\s:：,，。.、\-—_])+$")


@dataclass(frozen=True)
class PageKind:
    kind: str  # a reading kind (id_card is split into legal_rep_id / agent_id later) or "other"
    score: float
    has_title: bool
    outdated_title: str | None = None
    notes: tuple[str, ...] = ()


def _squash(s: str) -> str:
    return re.sub(r"[\s\t]+", "", s)


def _title_lines(page: PageText) -> list[tuple[str, bool]]:
    """(squashed text, is in the title zone) for the short lines that could be a title — and, on a line of
    several cells (the licence's top row: its code, the title spaced out, 副本), each cell on its own."""
    if not page.lines:
        return []
    heights = sorted(ln.height for ln in page.lines)
    median = heights[len(heights) // 2]
    out = []
    for i, ln in enumerate(page.lines):
        zone = i < 4 or ln.height >= 1.3 * median
        for cell in [ln.text, *_title_cells(ln), *_big_runs(ln)]:
            t = _TRAILING.sub("", _squash(cell))
            # a title is short; a report's "关于……的报告" names its subject and may run long
            if not t or len(t) > (48 if t.startswith("关于") and i < 3 else 26):
                continue
            out.append((t, zone))
    return out


def _big_runs(ln) -> list[str]:
    """Runs of characters printed much larger than the rest of their line: a title the recogniser grouped with
    small print beside it (the licence's 营业执照 next to the QR code's caption)."""
    hs = [(b[3] - b[1]) if b else 0.0 for b in ln.boxes]
    real = [h for h in hs if h > 0]
    if len(real) < 3 or max(real) < 1.6 * min(real):
        return []
    tall = 0.8 * max(real)
    out, run = [], ""
    for ch, h in zip(ln.text, hs, strict=False):
        if h >= tall or (run and h == 0):  # a space inside the run keeps it
            run += ch
        else:
            if run.strip():
                out.append(run.strip())
            run = ""
    if run.strip():
        out.append(run.strip())
    return [r for r in out if len(r.replace(" ", "")) >= 2 and r != ln.text.strip()]


def _title_cells(ln) -> list[str]:
    """The cells of a line of several that stand out as a title: printed larger than the rest of the line, or
    letter-spaced (营 业 执 照 between the licence's code and 副本).  A plain cell of a table row (关联的处罚决定书 |
    常市监…) is no title."""
    if "\t" not in ln.text.strip():
        return []
    out, pos = [], 0
    cells = ln.text.split("\t")
    heights = [b[3] - b[1] for b in ln.boxes if b]
    row_h = sorted(heights)[len(heights) // 2] if heights else 0.0
    for cell in cells:
        start, pos = pos, pos + len(cell) + 1
        chars = cell.strip()
        if len(chars.replace(" ", "")) < 2:
            continue
        hs = [b[3] - b[1] for b in ln.boxes[start:start + len(cell)] if b]
        big = bool(hs) and sorted(hs)[len(hs) // 2] >= 1.25 * row_h
        spaced = chars.count(" ") >= len(chars.replace(" ", "")) - 1
        if big or spaced:
            out.append(cell)
    return out


# sentence punctuation: a line holding it is running text, not a title
_SENTENCE = re.compile(r"[，,。；;：:、！？!?]")


def title_similarity(line: str, title: str) -> float:
    """How much the end of a title-zone line looks like a known title (1.0: it ends with it).  The line's tail
    of about the title's length is compared, so an authority's name or a qualifier before the title
    (失信行为纠正后的…, 醴陵市应急管理局…) does not count against it; an OCR slip in one character does
    little."""
    if line.endswith(title):
        return 1.0
    n = len(title)
    return max((SequenceMatcher(None, line[-k:], title, autojunk=False).ratio()
                for k in (n - 1, n, n + 1) if 0 < k <= len(line)), default=0.0)


_SHAPES = {"{ID}": re.compile(r"(?<![0-9A-Z])\d{17}[\dXx](?![0-9A-Z])"),
           "{DATE}": re.compile(r"(?:19|20)\d{2}\s*[年.\-/]\s*\d{1,2}")}


def _shows_structure(text: str, groups: tuple[tuple[str, ...], ...]) -> bool:
    def has(word: str) -> bool:
        shape = _SHAPES.get(word)
        return bool(shape.search(text)) if shape else word in text

    return not groups or any(all(has(w) for w in g) for g in groups)


def _ends_with_title(line: str, title: str) -> bool:
    """The line ends with the title, or with it less its last 书 (法定代表人资格证明 for …证明书)."""
    return line.endswith(title) or (len(title) >= 7 and title.endswith("书") and line.endswith(title[:-1]))


def outdated_title(titles: list[tuple[str, bool]], outdated: tuple[str, ...]) -> str | None:
    """An outdated template's title when a title-zone line *is* that title (a word in the text is not): the
    line ends with it, after a few characters or after a qualifier that is no sentence
    (涉及一般失信行为的行政处罚信息信用修复表)."""
    return next((o for t, zone in titles if zone for o in outdated
                 if t.endswith(o) and (len(t) - len(o) <= 4 or not _SENTENCE.search(t))), None)


# a known title matched only by likeness (an OCR slip, a variant wording): the kind is recognised but the
# instructor confirms it (KIND_UNCERTAIN); shorter titles are too easily like other words to be matched so
FUZZY_TITLE = 0.85
FUZZY_MIN_LEN = 5


def classify_page(page: PageText, rules: RuleBook) -> PageKind:
    text = _squash(page.text)
    if len(text) < 4:
        return PageKind("other", 0.0, False)
    titles = _title_lines(page)
    best = PageKind("other", 0.0, False)
    zone_kinds: set[str] = set()
    lookalike = None
    fuzzy: dict[str, float] = {}
    for name, kr in rules.kinds.items():
        title_score = 0.0
        for t, zone in titles:
            if any(t.endswith(nt) for nt in kr.not_titles):
                lookalike = lookalike or t
                title_score = -100.0  # a 不予处罚决定书 or a 告知书 is not a decision, whatever its words
                break
            for title in kr.titles:
                if _ends_with_title(t, title) and (len(t) - len(title) <= 20 or t.startswith("关于")):
                    title_score = max(title_score, (10.0 if zone else 6.0) + len(title) / 4)
                    if zone:
                        zone_kinds.add(name)
                elif (zone and len(title) >= FUZZY_MIN_LEN and not _SENTENCE.search(t)
                      and (sim := title_similarity(t, title)) >= FUZZY_TITLE):
                    fuzzy[name] = max(fuzzy.get(name, 0.0), sim)
        if not _shows_structure(text, kr.structure):
            fuzzy.pop(name, None)
            continue
        if title_score < 0:
            fuzzy.pop(name, None)
        kw = sum(1 for k in kr.keywords if k in text)
        score = title_score + kw
        if score > best.score:
            best = PageKind(name, score, title_score > 0)
    like_title = not best.has_title and bool(fuzzy) and not lookalike
    if like_title:
        # no known title is printed, but a title-zone line is very like one: that kind, to be confirmed
        name = max(fuzzy, key=lambda k: fuzzy[k])
        kw = sum(1 for k in rules.kinds[name].keywords if k in text)
        best = PageKind(name, 6.0 + kw, False)
    outdated = outdated_title(titles, rules.outdated_titles)
    notes: tuple[str, ...] = ()
    if not best.has_title and not like_title:
        own = _own_title(page, rules)
        if own:  # the page says what it is, and it is none of our materials (案件基本信息, 行政处罚信息公示)
            return PageKind("other", best.score, False, outdated, (f"title:{own}",))
    if len(zone_kinds) >= 3:  # the titles of several documents on one picture
        notes = ("several_documents",)
    if lookalike and best.kind == "other":
        notes += (f"lookalike:{lookalike}",)
    if best.score < 3:
        return PageKind("other", best.score, False, outdated, notes)
    return PageKind(best.kind, best.score, best.has_title, outdated, notes)


def _own_title(page: PageText, rules: RuleBook) -> str | None:
    """A heading printed larger than the text near the top that names no known material (not a letterhead)."""
    from xinyong_desktop.extract.patterns import parse_authority

    if len(page.lines) < 3:
        return None
    heights = sorted(ln.height for ln in page.lines)
    median = heights[len(heights) // 2]
    known = [t for kr in rules.kinds.values() for t in (*kr.titles, *kr.not_titles)] + list(rules.outdated_titles)
    for ln in page.lines[:3]:
        t = _TRAILING.sub("", _squash(ln.text))
        bb = ln.bbox
        centred = abs((bb[0] + bb[2]) / 2 - page.width / 2) < 0.12 * page.width
        if not (ln.height >= 1.6 * median or (centred and ln.height >= 1.3 * median)):
            continue
        if not (4 <= len(t) <= 20) or not re.fullmatch(r"[\u4e00-\u9fff]+", t) or "\t" in ln.text.strip():
            continue
        if parse_authority(t) == t or any(k in t for k in known):
            continue
        return t
    return None


# materials whose pages run on (a decision's last page holds its 落款): an untitled page of one of them just before
# its titled first page is that material's rest, scanned in reverse order
_MULTI_PAGE = ("penalty_decision",)


def group_pages(kinds: list[PageKind]) -> list[tuple[str, list[int]]]:
    """Runs of pages (0-based) forming one material: a titled page starts one; untitled pages continue it."""
    groups: list[tuple[str, list[int]]] = []
    for i, pk in enumerate(kinds):
        if (groups and pk.has_title and pk.kind in _MULTI_PAGE and groups[-1][0] == pk.kind
                and not any(kinds[j].has_title for j in groups[-1][1])):
            groups[-1] = (pk.kind, [i, *groups[-1][1]])  # a scan in reverse order: the first page comes after its rest
        elif groups and not pk.has_title and (pk.kind in (groups[-1][0], "other") or pk.score < 4):
            groups[-1][1].append(i)  # an untitled page continues the material before it…
        elif groups and pk.has_title and pk.kind == groups[-1][0] and pk.kind == "id_card" and len(groups[-1][1]) == 1:
            groups[-1][1].append(i)  # front and back of one ID card on two pages
        else:  # …unless its own content clearly says it is something else (an ID card front has no title)
            groups.append((pk.kind, [i]))
    return groups
