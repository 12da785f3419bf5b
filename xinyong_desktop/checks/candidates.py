"""Which materials an unrecognised document could be, so that "missing" is not stated while it lies in the packet.

Not a classifier: a document the classifier did not recognise is a *candidate* for a material when its words
are that material's (at least two of its keywords) or a heading near its top resembles one of that material's
titles (most of the title's characters, in a short line: "信用信息修复申请表", "法定代表人资格证明",
"罚没款缴纳回执").  A candidate turns MATERIAL_MISSING into a review naming the file.
"""
from __future__ import annotations

import re
from collections import Counter

from xinyong_desktop.extract.layout import PageText
from xinyong_desktop.rules.loader import RuleBook

KEYWORDS_NEEDED = 2
TITLE_SHARE = 0.6  # share of a known title's characters a heading must have (in any order)
# the last characters of titles name the document's form (书/表/证明/回执/凭证…): one of them must be shared
_FORM_ENDINGS = ("书", "表", "证明", "回执", "凭证", "回单", "收据", "报告", "说明", "执照", "身份证", "委托")


def _heading_lines(page: PageText) -> list[str]:
    out = []
    for ln in page.lines[:5]:
        t = re.sub(r"[\s\t（）()：:]+", "", ln.text)
        if 3 <= len(t) <= 26:
            out.append(t)
    return out


def _resembles(heading: str, title: str) -> bool:
    have, want = Counter(heading), Counter(title)
    shared = sum(min(n, have[c]) for c, n in want.items())
    if shared < TITLE_SHARE * len(title) or len(title) < 3:
        return False
    return any(heading.endswith(e) or e in heading for e in _FORM_ENDINGS if title.endswith(e)) or shared == len(title)


def could_be(pages: list[PageText], rules: RuleBook) -> list[str]:
    """The reading kinds (materials.toml kinds, `id_card` for either ID card) these pages could be."""
    text = "".join(re.sub(r"\s+", "", p.text) for p in pages)
    if len(text) < 4:
        return []
    headings = [h for p in pages[:1] for h in _heading_lines(p)]
    out = []
    for name, kr in rules.kinds.items():
        words = sum(1 for k in kr.keywords if k in text)
        titled = any(_resembles(h, t) for h in headings for t in kr.titles)
        if words >= KEYWORDS_NEEDED or titled:
            out.append(name)
    return out
