"""Structure of a 行政处罚决定书: the number line, the 当事人 block, and the 落款 (authority and date).

A decision's body is full of dates (inspection, 告知书, hearing, deadlines, a label's production date) and
names (witnesses, products, the authority's own units).  Only the structure says which is which: the
decision date is the date of the 落款 at the end; the enterprise is the party named at the start.
"""
from __future__ import annotations

import re

from xinyong_desktop.domain.model import Box
from xinyong_desktop.domain.text import find_dates, normalize_decision_number
from xinyong_desktop.extract.layout import Line, PageText
from xinyong_desktop.extract.patterns import looks_like_person, parse_authority, parse_org, parse_person

Hit = tuple[str, int, Box | None, float, str]  # value, page, box, confidence, raw

_DN_LINE = re.compile(r"^(?:(?:编号|文号|决定书文号|文书号)[：:]?)?(?P<v>.{4,40}?号)$")


def _squash(t: str) -> str:
    return re.sub(r"[\s\t]+", "", t)


def number_line(pages: list[tuple[int, PageText]]) -> Hit | None:
    """The decision's own number: a line near the top that holds nothing but a decision number
    (under or above the title, possibly spaced out)."""
    for pno, page in pages[:1]:
        for line in page.lines[:12]:
            t = _squash(line.text)
            m = _DN_LINE.match(t)
            if not m:
                continue
            v = normalize_decision_number(m["v"])
            if v:
                return v, pno, line.bbox, 0.97 * line.sure, line.text
    return None


def _date_line(line: Line) -> tuple[str, int, int] | None:
    """The date when the line is essentially just a date (a 落款 date, not a date inside a sentence)."""
    found = find_dates(line.text)
    if len(found) != 1:
        return None
    d, s, e = found[0]
    rest = _squash(line.text[:s] + line.text[e:])
    rest = re.sub(r"[（()）印章盖章签发日期：:年月日]", "", rest)
    if len(rest) > 2:
        return None
    return d.isoformat(), s, e


def signature_block(pages: list[tuple[int, PageText]]) -> tuple[Hit | None, Hit | None]:
    """(authority, date) of the 落款: the last stand-alone date on the material's last page, in the lower part
    of the text or right-aligned, and the authority line just above it.  (None, None) when the 落款 is not
    on these pages (a first page only): the date is then unknown, never guessed from the body."""
    if not pages:
        return None, None
    pno, page = pages[-1]
    if not page.lines:
        return None, None
    left = min(ln.bbox[0] for ln in page.lines)
    right = max(ln.bbox[2] for ln in page.lines)
    for i in range(len(page.lines) - 1, -1, -1):
        line = page.lines[i]
        dl = _date_line(line)
        if dl is None:
            continue
        bb = line.bbox
        # a 落款 sits to the right (or centred) under the body; a date at the left margin is a table cell
        if bb[0] < left + 0.3 * (right - left) and i < len(page.lines) - 3:
            continue
        value, s, e = dl
        # on a scan the authority's seal is stamped over its 落款: what OCR reads there is not sure
        sure = 0.95 if page.source != "ocr" else 0.8
        date: Hit = (value, pno, line.span_bbox(s, e), sure * line.span_conf(s, e), line.text[s:e])
        auth = None
        for j in range(i - 1, max(-1, i - 4), -1):
            t = _squash(page.lines[j].text)
            t = re.sub(r"[（(]?(?:印章|盖章|公章|章)[）)]?$", "", t)
            a = parse_authority(t)
            if a and a == t:
                auth = (a, pno, page.lines[j].bbox, (sure - 0.02) * page.lines[j].sure, page.lines[j].text)
                break
        return auth, date
    return None, None


def party_line(pages: list[tuple[int, PageText]]) -> Hit | None:
    """The party named without a label, in the forms decisions use: an addressee line opening the letter
    ("XX有限公司：", "XX有限公司（纳税人识别号：…）："), or the first line of the party block under the number
    that is the name alone or the name followed by its particulars ("宜昌…有限公司，法定代表人为：…";
    "XX公司；统一社会信用代码：…")."""
    for pno, page in pages[:1]:
        lines = page.lines[:14]
        num_at = next((i for i, ln in enumerate(lines) if _DN_LINE.match(_squash(ln.text))
                       and normalize_decision_number(_squash(ln.text))), None)
        for i, line in enumerate(lines):
            t = _squash(line.text).replace("(", "（").replace(")", "）")
            addressee = t.endswith(("：", ":")) and len(t) <= 60
            under_number = num_at is not None and i in (num_at + 1, num_at + 2)
            if not (addressee or under_number):
                continue
            body = t.rstrip("：:")
            v = parse_org(body)
            if not v:
                person = parse_person(body) if addressee and (under_number or num_at is None) else None
                if person and person == body and looks_like_person(person):
                    return person, pno, line.bbox, 0.85 * line.sure, line.text  # "刘学良：" — a person, to confirm
                continue
            rest = body[len(v):] if body.startswith(v) else None
            if rest is None:
                continue
            if rest == "" or _CODE_IN_BRACKETS.fullmatch(rest):
                return v, pno, line.bbox, 0.9 * line.sure, line.text
            if under_number and not addressee and re.match(r"[，,；;]\s*(?:法定代表人|负责人|经营者|统一社会信用代码|"
                                                           r"社会信用代码|住所|地址|联系地址|注册号)", rest):
                return v, pno, line.bbox, 0.9 * line.sure, line.text
    return None


# an addressee's code or tax number in brackets after its name: "XX有限公司（纳税人识别号：9132…）"
_CODE_IN_BRACKETS = re.compile(r"（(?:统一社会信用代码|社会信用代码|信用代码|纳税人识别号|税号|识别号)?[：:]?[0-9A-Z*]{15,20}）")


def party_code(pages: list[tuple[int, PageText]]) -> Hit | None:
    """A valid 统一社会信用代码 printed in the party block without its usual label (after a licence's name:
    "营业执照91430702MA4PLF1B97"): the checksum says it is a code, its place says it is the party's."""
    from xinyong_desktop.domain.identifiers import is_valid_uscc

    for pno, page in pages[:1]:
        for line in page.lines[:14]:
            for m in re.finditer(r"(?<![0-9A-Za-z])[0-9A-Z]{18}(?![0-9A-Za-z])", line.text):
                # a code in the party's role: after 执照 / 代码 / 识别号 … — a declaration, filing-list or licence
                # number (报关单号370920…, 手册编号, 许可证编号) that happens to pass the checksum is not the party's
                before = _squash(line.text[max(0, m.start() - 14):m.start()])
                if not _CODE_ROLE.search(before) or _OTHER_NUMBER.search(before):
                    continue
                if is_valid_uscc(m.group(0)):
                    return m.group(0), pno, line.span_bbox(m.start(), m.end()), 0.9 * line.span_conf(m.start(), m.end()), m.group(0)
    return None


_CODE_ROLE = re.compile(r"(?:执照|代码|编码|识别号|注册号)[）)]?[：:为]?$")
_OTHER_NUMBER = re.compile(r"报关单|单号|清单|手册|证书|许可证|备案|运单|提单|发票")
