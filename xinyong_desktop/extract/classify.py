"""Recognise each page's material kind by content (titles, then supporting words) and split files."""
from __future__ import annotations

import re
from dataclasses import dataclass

from xinyong_desktop.extract.layout import PageText
from xinyong_desktop.rules.loader import RuleBook

_TRAILING = re.compile(r"(?:[（(][^）)]{0,8}[）)]|[\s:：,，。.、\-—_])+$")


@dataclass(frozen=True)
class PageKind:
    kind: str  # a reading kind (id_card is split into legal_rep_id / agent_id later) or "other"
    score: float
    has_title: bool
    outdated_title: str | None = None


def _squash(s: str) -> str:
    return re.sub(r"[\s\t]+", "", s)


def _title_lines(page: PageText) -> list[tuple[str, bool]]:
    """(squashed line, is in the title zone) for the short lines that could be a title."""
    if not page.lines:
        return []
    heights = sorted(ln.height for ln in page.lines)
    median = heights[len(heights) // 2]
    out = []
    for i, ln in enumerate(page.lines):
        t = _TRAILING.sub("", _squash(ln.text))
        if not t or len(t) > 26:
            continue
        out.append((t, i < 4 or ln.height >= 1.3 * median))
    return out


def outdated_title(titles: list[tuple[str, bool]], outdated: tuple[str, ...]) -> str | None:
    """An outdated template's title when a title-zone line *is* that title (a word in the text is not)."""
    return next((o for t, zone in titles if zone for o in outdated
                 if t.endswith(o) and len(t) - len(o) <= 4), None)


def classify_page(page: PageText, rules: RuleBook) -> PageKind:
    text = _squash(page.text)
    if len(text) < 4:
        return PageKind("other", 0.0, False)
    titles = _title_lines(page)
    best = PageKind("other", 0.0, False)
    for name, kr in rules.kinds.items():
        title_score = 0.0
        for t, zone in titles:
            for title in kr.titles:
                if t.endswith(title) and len(t) - len(title) <= 20:
                    title_score = max(title_score, (10.0 if zone else 6.0) + len(title) / 4)
        kw = sum(1 for k in kr.keywords if k in text)
        score = title_score + kw
        if score > best.score:
            best = PageKind(name, score, title_score > 0)
    outdated = outdated_title(titles, rules.outdated_titles)
    if best.score < 3:
        return PageKind("other", best.score, False, outdated)
    return PageKind(best.kind, best.score, best.has_title, outdated)


def group_pages(kinds: list[PageKind]) -> list[tuple[str, list[int]]]:
    """Runs of pages (0-based) forming one material: a titled page starts one; untitled pages continue it."""
    groups: list[tuple[str, list[int]]] = []
    for i, pk in enumerate(kinds):
        if groups and not pk.has_title and (pk.kind in (groups[-1][0], "other") or pk.score < 4):
            groups[-1][1].append(i)  # an untitled page continues the material before it…
        elif groups and pk.has_title and pk.kind == groups[-1][0] and pk.kind == "id_card" and len(groups[-1][1]) == 1:
            groups[-1][1].append(i)  # front and back of one ID card on two pages
        else:  # …unless its own content clearly says it is something else (an ID card front has no title)
            groups.append((pk.kind, [i]))
    return groups
