"""Read a material's fields from its positioned text: labels with values beside or below, then prose.

The same reader serves text-layer PDFs and OCR output; confidence travels from the glyphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from xinyong_desktop.domain.model import Box, FieldId, FieldValue
from xinyong_desktop.domain.text import find_dates, warm_up
from xinyong_desktop.extract import decision
from xinyong_desktop.extract.layout import Line, PageText, union
from xinyong_desktop.extract.patterns import (
    LABEL_WORDS,
    expand,
    is_label_word,
    operator_in_brackets,
    parse_org,
    parse_value,
    repair_identifier,
)
from xinyong_desktop.rules.loader import FieldReading, KindReading, RuleBook

warm_up()  # the converters of numerals in words and traditional characters load while the files are parsed

_SEP = " \t：:;；"
PROSE = 0.85  # a value cut out of running text by a pattern: likely, not sure
GUESS = 0.6  # a value taken for want of a better one (the first date on a receipt)


@dataclass
class _Hit:
    value: str
    page: int
    bbox: Box | None
    conf: float
    raw: str


def _label_regex(label: str) -> re.Pattern:
    parts = [re.escape(c) if c not in "（）()" else "[（(]" if c in "（(" else "[）)]" for c in label]
    return re.compile(r"[ \t]*".join(parts))


_LABEL_CACHE: dict[str, re.Pattern] = {}


def label_re(label: str) -> re.Pattern:
    if label not in _LABEL_CACHE:
        _LABEL_CACHE[label] = _label_regex(label)
    return _LABEL_CACHE[label]


def _is_han(c: str) -> bool:
    return "\u3400" <= c <= "\u9fff"


def _find_labels(line: Line, label: str, separated: bool = False):
    """Label occurrences that really are labels: not inside a longer word, followed by a separator.
    `separated`: only a label followed by a colon, a space or the next cell — a word that is also used in running
    text (当事人不服本处罚决定的…) is a label only so."""
    for m in label_re(label).finditer(line.text):
        before = line.text[m.start() - 1] if m.start() > 0 else ""
        after = line.text[m.end()] if m.end() < len(line.text) else ""
        if before and _is_han(before) and not _label_cell(line, m):
            continue
        if re.match(r"为[ \t]*[：:]", line.text[m.end():]):
            after = "："  # 法定代表人为：詹剑华
        # a value glued to its label (common in OCR output) only counts at the start of a cell
        if after and _is_han(after) and (before not in ("", "\t", " ") or separated):
            continue
        if separated and after and after not in " \t：:（()）" and not _is_han(after):
            continue
        yield m


def _label_cell(line: Line, m: re.Match) -> bool:
    """A label with a few words before it that opens its own cell: filling it (作出决定日期 | 2025年5月22日),
    or with its value after a space or a colon (作出决定日期 2024-04-09, as a scan's recogniser joins them)."""
    start = line.text.rfind("\t", 0, m.start()) + 1
    end = line.text.find("\t", m.end())
    end = len(line.text) if end < 0 else end
    head, tail = line.text[start:m.start()].strip(), line.text[m.end():end].strip(" ：:")
    if not (0 < len(head) <= 4 and all(_is_han(c) for c in head)):
        return False
    if tail == "":
        return end < len(line.text)
    return line.text[m.end()] in " ：:"


def _segment_after(line: Line, pos: int) -> tuple[int, int]:
    """The span of the value text after a label: the rest of its segment, or the next segment."""
    i = pos
    # a bracketed qualifier after the label belongs to it: 受托人（经办人）：, 信用代码（注册号）：
    q = re.match(r"[ \t]*[（(][^）)\t]{0,10}[）)]", line.text[i:])
    if q and not _NUMBER_AFTER_BRACKET.match(line.text[i:]):  # （津保）应急罚〔2025〕… is the number's own prefix
        i += q.end()
    if re.match(r"[ \t]*为[ \t]*[：:]", line.text[i:]):  # 法定代表人为：詹剑华
        i = line.text.index("为", i) + 1
    while i < len(line.text) and line.text[i] in " ：:）)":
        i += 1
    end = line.text.find("\t", i)
    end = len(line.text) if end < 0 else end
    if i == end or line.text[i:end].strip(_SEP) == "":
        # the value sits in the next cell of the line
        i = end
        while i < len(line.text) and line.text[i] in _SEP:
            i += 1
        end = line.text.find("\t", i)
        end = len(line.text) if end < 0 else end
    return i, end


_NUMBER_AFTER_BRACKET = re.compile(r"[ \t：:]*[（(][\u4e00-\u9fa5]{1,6}[）)][ \t]*[\u4e00-\u9fa5A-Za-z]{1,16}[ \t]*"
                                   r"[〔\[［【(（{][ \t]*(?:19|20)\d{2}")


def _cells_below(page: PageText, li: int, box: Box) -> list[tuple[Line, int, int]]:
    """Segments under a label (same column), nearest first, within a few line heights."""
    line = page.lines[li]
    out = []
    for below in page.lines[li + 1 : li + 4]:
        bb = below.bbox
        if bb[1] - line.bbox[3] > 3.0 * max(line.height, 8):
            break
        start = 0
        for seg in below.text.split("\t"):
            end = start + len(seg)
            sb = below.span_bbox(start, end)
            if sb and seg.strip() and sb[0] < box[2] + 5 and sb[2] > box[0] - 5:
                out.append((below, start, end))
            start = end + 1
    return out


def _continuation(page: PageText, line: Line, start: int, end: int) -> tuple[Line, int, int] | None:
    """The wrapped rest of a cell: the segment right under [start, end) starting at about the same x."""
    sb = line.span_bbox(start, end)
    if not sb:
        return None
    li = page.lines.index(line)
    for below in page.lines[li + 1 : li + 3]:
        if below.bbox[1] - line.bbox[3] > 2.5 * max(line.height, 8):
            return None
        pos = 0
        for seg in below.text.split("\t"):
            b = below.span_bbox(pos, pos + len(seg))
            if b and seg.strip() and abs(b[0] - sb[0]) < 3 * line.height and b[0] < sb[2]:
                return below, pos, pos + len(seg)
            pos += len(seg) + 1
    return None


def _wrapped_rest(page: PageText, line: Line, end: int) -> tuple[Line, int] | None:
    """The words a paragraph carries onto its next line when a value ends the line at the right margin: the next
    line's text up to its first punctuation."""
    if end < len(line.text.rstrip()) or not page.lines:
        return None
    right = max(ln.bbox[2] for ln in page.lines)
    if line.bbox[2] < right - 2.5 * max(line.height, 6):
        return None
    li = page.lines.index(line)
    if li + 1 >= len(page.lines):
        return None
    nxt = page.lines[li + 1]
    m = re.match(r"[^，,。；;：:\t ]{1,6}", nxt.text)
    return (nxt, m.end()) if m else None


def _name_end(seg: str) -> bool:
    """The wrapped end of a name in its cell: short, and no label of its own (公司, 有限公司, 股份有限公司)."""
    t = re.sub(r"\s+", "", seg)
    return 0 < len(t) <= 8 and not _COLUMN_LABEL.match(t) and not is_label_word(t) and not t.endswith(("：", ":"))


_NAME_SUBLABELS = ("户名", "全称", "名称", "单位名称")
# the labels of a form's second column, where a two-column row is read as one line
_COLUMN_LABEL = re.compile(r"[ \t]*(?:注册资本|成立日期|营业期限|登记机关|经营范围|住所|类型|统一社会信用代码|法定代表人|"
                           r"联系电话|身份证号码|职务)")


def _past_sublabel(line: Line, start: int, end: int) -> tuple[Line, int, int]:
    """The value after the sub-label of a merged cell: 付款人 | 户名 | 常州市…有限公司 (the cell beside 付款人 holds
    户名, the value is the next cell) or 付款人 | 全称：常州市… (the sub-label opens the value's cell)."""
    raw = line.text[start:end]
    if is_label_word(raw):
        s, e = _segment_after(line, end)
        return (line, s, e) if s < e else (line, end, end)
    for w in sorted(LABEL_WORDS, key=len, reverse=True):
        m = re.match(rf"[ \t]*{re.escape(w)}[ \t]*[：:]?[ \t]*(?=\S)", raw)
        # glued to its value (a scan's recogniser joins them), only when the rest is a name by itself
        if m and (raw[m.end() - 1] in " \t：:" or not _is_han(raw[m.end()])
                  or (w in _NAME_SUBLABELS and parse_org(raw[m.end():]))):
            return line, start + m.end(), end
    return line, start, end


def _name_row(page: PageText, line: Line, start: int, end: int) -> tuple[Line, int, int]:
    """A label centred on a merged cell (付款人 beside the rows 户名 / 账号 / 开户行) stands on the row of whichever
    sub-label is in the middle: the name is on the row whose sub-label, at the same place, is 户名 / 全称 / 名称."""
    if re.sub(r"[\s:：]+", "", line.text[start:end]) in _NAME_SUBLABELS:
        return line, start, end
    sb = line.span_bbox(start, end)
    li = page.lines.index(line)
    if sb is None:
        return line, start, end
    for other in page.lines[max(0, li - 2) : li + 3]:
        if other is line or abs(other.bbox[1] - line.bbox[1]) > 3.5 * max(line.height, 8):
            continue
        pos = 0
        for seg in other.text.split("\t"):
            b = other.span_bbox(pos, pos + len(seg))
            w = re.sub(r"[\s:：]+", "", seg)
            if b and abs(b[0] - sb[0]) < 2 * line.height and (w in _NAME_SUBLABELS or seg.strip().startswith(_NAME_SUBLABELS)):
                return other, pos, pos + len(seg)
            pos += len(seg) + 1
    return line, start, end


def _payer_by_sides(pages: list[tuple[int, PageText]]) -> _Hit | None:
    """A receipt whose 付款人 label is printed down its merged cell (付 / 款 / 人, one character a row, so no line
    holds the word) still has two sides: the row of two 全称 / 户名 sub-labels names the payer on the left, the
    收款人 on the right.  Read so only when a nearby row shows 收款人 to the right: not sure (0.85)."""
    for pno, page in pages:
        for li, line in enumerate(page.lines):
            starts = [m for m in re.finditer(r"(?:全称|户名)[ \t]*[：:]?", line.text)]
            if len(starts) != 2:
                continue
            near = page.lines[max(0, li - 2) : li + 3]
            payee = [ln for ln in near if "收款人" in ln.text.replace(" ", "")]
            if not payee:
                continue
            pb = payee[0].span_bbox(*_span_of(payee[0].text, "收"))
            lb = line.span_bbox(starts[1].start(), starts[1].end())
            if pb is None or lb is None or pb[0] < line.span_bbox(starts[0].start(), starts[0].end())[2]:  # type: ignore[index]
                continue
            s0 = starts[0].end()
            e0 = line.text.find("\t", s0)
            e0 = starts[1].start() if e0 < 0 or e0 > starts[1].start() else e0
            while s0 < e0 and line.text[s0] in " \t":
                s0 += 1
            raw = line.text[s0:e0].strip()
            parsed = parse_value("name", raw)
            if parsed:
                return _Hit(parsed[0], pno, line.span_bbox(s0, e0), 0.85 * line.span_conf(s0, e0), raw)
    return None


def _span_of(text: str, ch: str) -> tuple[int, int]:
    i = text.find(ch)
    return (i, i + 1) if i >= 0 else (0, 0)


def _glued_org(text: str) -> bool:
    """A value run into its label that is an organisation's name, not running text (在…场, 对…, 因…)."""
    return bool(parse_org(text)) and text[:1] not in "在对因自从由将把被与和及或向于经"


def _read_by_label(pages: list[tuple[int, PageText]], labels: tuple[str, ...], ftype: str,
                   separated: bool = False) -> _Hit | None:
    for label in labels:
        for pno, page in pages:
            for li, line in enumerate(page.lines):
                # a scan's recogniser may drop the colon after a label (当事人常州市…有限公司): there a value glued to
                # the label counts when it is an organisation's name that opens no clause
                ocr_glue = separated and page.source == "ocr"
                for m in _find_labels(line, label, separated and not ocr_glue):
                    s, e = _segment_after(line, m.end())
                    if (ocr_glue and m.end() < len(line.text) and _is_han(line.text[m.end()])
                            and not _glued_org(line.text[m.end():e])):
                        continue
                    cands = []
                    if s < e:
                        cands.append((line, s, e))
                    else:
                        lb = line.span_bbox(m.start(), m.end())
                        if lb:
                            cands.extend(_cells_below(page, li, lb))
                    for ln, cs, ce in cands:
                        if ftype in ("name", "org") and is_label_word(ln.text[cs:ce]):
                            ln, cs, ce = _name_row(page, ln, cs, ce)
                        ln, cs, ce = _past_sublabel(ln, cs, ce)
                        raw = ln.text[cs:ce]
                        parsed = parse_value(ftype, raw)
                        if parsed is None and ftype in ("org", "name", "party"):
                            # two columns run together by a scan's recogniser ("名称 常州市…有限 注册资本 1000万元"),
                            # the name's end wrapped onto the line below ("公司"): cut at the next column's label
                            cut = _COLUMN_LABEL.search(raw, 4)
                            if cut:
                                ce = cs + len(raw[:cut.start()].rstrip())
                                raw = ln.text[cs:ce]
                                parsed = parse_value(ftype, raw)
                        if parsed is None and ftype in ("person", "org", "name", "party"):
                            wrapped = _wrapped_rest(page, ln, ce)
                            if wrapped:  # 法定代表人或负责人姓名:彭⏎建华 — running text wrapped inside the value
                                wl, w1 = wrapped
                                joined = raw + wl.text[:w1]
                                jp = parse_value(ftype, joined)
                                if jp:
                                    bbox = union([b for b in (ln.span_bbox(cs, ce), wl.span_bbox(0, w1)) if b])
                                    return _Hit(jp[0], pno, bbox, min(ln.span_conf(cs, ce), wl.span_conf(0, w1)) * jp[1],
                                                joined)
                        if parsed is None and ftype in ("decision_number", "org", "name", "party"):
                            cont = _continuation(page, ln, cs, ce)
                            if cont and ftype != "decision_number" and not _name_end(cont[0].text[cont[1]:cont[2]]):
                                cont = None
                            if cont:
                                cl, c0, c1 = cont
                                parsed = parse_value(ftype, raw + cl.text[c0:c1])
                                if parsed:
                                    bbox = union([b for b in (ln.span_bbox(cs, ce), cl.span_bbox(c0, c1)) if b])
                                    return _Hit(parsed[0], pno, bbox, min(ln.span_conf(cs, ce), cl.span_conf(c0, c1)),
                                                raw + cl.text[c0:c1])
                        if parsed:
                            return _Hit(parsed[0], pno, ln.span_bbox(cs, ce), ln.span_conf(cs, ce) * parsed[1], raw)
    return None


def _read_by_prose(pages: list[tuple[int, PageText]], patterns: tuple[str, ...], ftype: str) -> _Hit | None:
    for pat in patterns:
        rx = expand(pat)
        for pno, page in pages:
            for text, boxes, conf in _flows(page):
                for m in rx.finditer(text):
                    raw = m.group("v")
                    parsed = parse_value(ftype, raw)
                    if parsed:
                        s, e = m.span("v")
                        return _Hit(parsed[0], pno, union([b for b in boxes[s:e] if b]),
                                    min(conf[s:e] or [1.0]) * parsed[1], raw)
    return None


def _flows(page: PageText):
    """Running text twice: paragraphs re-joined (wrapped prose), then line by line."""
    text, boxes, conf = page.flow()
    # a line that reaches the right margin continues on the next one; a short line ends its paragraph
    right = max((ln.bbox[2] for ln in page.lines), default=0.0)
    full = [ln.bbox[2] >= right - 2.5 * max(ln.height, 6) for ln in page.lines]
    keep, li = [], 0
    for i, c in enumerate(text):
        if c == "\n":
            if not full[li]:
                keep.append(i)
            li += 1
        else:
            keep.append(i)
    yield "".join(text[i] for i in keep), [boxes[i] for i in keep], [conf[i] for i in keep]
    yield text, boxes, conf


def _dates(pages: list[tuple[int, PageText]]):
    for pno, page in pages:
        for line in page.lines:
            for d, s, e in find_dates(line.text):
                yield pno, line, d, s, e


def _last_date(pages: list[tuple[int, PageText]]) -> _Hit | None:
    """The signing date: the last date in reading order that stands on a line of its own or after a date label
    (forms put it under the signature).  A date inside a sentence (委托期限：自…起至2027年5月3日止) is only the
    signing date for want of another, and not sure."""
    found = list(_dates(pages))
    # the office's own part of a form (决定机关意见 … （盖章） date) comes after the applicant's signature
    office = next(((pno, li) for pno, page in pages for li, ln in enumerate(page.lines) if _OFFICE_PART.search(ln.text)),
                  None)
    if office is not None:
        def place(f) -> tuple[int, int]:
            return f[0], dict(pages)[f[0]].lines.index(f[1])
        found = [f for f in found if place(f) < office] or found
    if not found:
        return None
    for pno, line, d, s, e in reversed(found):
        if _signing_date_line(line.text, s, e):
            return _Hit(d.isoformat(), pno, line.span_bbox(s, e), line.span_conf(s, e), line.text[s:e])
    pno, line, d, s, e = found[-1]
    return _Hit(d.isoformat(), pno, line.span_bbox(s, e), min(GUESS, line.span_conf(s, e)), line.text[s:e])


_OFFICE_PART = re.compile(r"(?:决定机关|处罚机关|作出处罚决定的?机关|行政机关|主管部门|审核部门|受理部门|受理单位|信用修复机构)"
                          r"[（(]?[^）)\t]{0,6}[）)]?意见|以下由.{0,12}填写|审核意见|审批意见")


def _signing_date_line(text: str, s: int, e: int) -> bool:
    rest = re.sub(r"[\s（()）:：年月日_＿\-—.]", "", text[:s] + text[e:])
    rest = re.sub(r"签署日期|签发日期|落款日期|填表日期|申请日期|日期|时间|签字|签名|盖章|公章|印章|（章）", "", rest)
    return len(rest) <= 24 and not re.search(r"至|起|止|期限|有效期|之日", text[:s] + text[e:])


def _first_date(pages: list[tuple[int, PageText]]) -> _Hit | None:
    for pno, line, d, s, e in _dates(pages):
        return _Hit(d.isoformat(), pno, line.span_bbox(s, e), line.span_conf(s, e), line.text[s:e])
    return None


_FINE_ITEM = expand(r"(?:处以|并处|科处|处)?罚款(?:金额)?(?:为|计|共)?(?:人民币)?\s*(?P<v>{AMOUNT})(?!\s*(?:以上|以下|至|到|－|-|~|～))")
_FINE_TOTAL = expand(r"(?:合计|共计|总计|合共|总额为?)[^。；;，,]{0,20}?(?:人民币)?\s*(?P<v>{AMOUNT})")
_FINE_WORDS = re.compile(r"罚款|罚没")


def _fine_amount(pages: list[tuple[int, PageText]]) -> _Hit | None:
    """The fine the decision imposes: its total line when it has one (以上合计…0.7万元, 以上应缴款项共计55648.73元:
    the total wins and is never added to its items), else the sum of its fines (罚款…元; an amount written twice
    in one sentence counts once).  Confiscations (没收违法所得…) and the value of goods are not the fine."""
    from decimal import Decimal

    items: list[tuple[Decimal, int, list, str, float]] = []
    total: tuple[Decimal, int, list, str, float] | None = None
    for pno, page in pages:
        text, bxs, conf = next(iter(_flows(page)))
        # a sentence ends at its full stop, or at the end of its line (a form's row: "处罚内容　罚款 ¥30,000.00")
        for sentence in re.finditer(r"[^。；;\n]+(?:[。；;]|(?=\n)|$)", text):
            sent_items: list[Decimal] = []
            for m in _FINE_ITEM.finditer(sentence.group()):
                parsed = parse_value("amount", m.group("v"))
                if not parsed:
                    continue
                v = Decimal(parsed[0])
                s0, e0 = sentence.start() + m.start("v"), sentence.start() + m.end("v")
                if v not in sent_items:
                    sent_items.append(v)
                    items.append((v, pno, [b for b in bxs[s0:e0] if b], m.group("v"), min(conf[s0:e0] or [1.0])))
            for m in _FINE_TOTAL.finditer(sentence.group()):
                parsed = parse_value("amount", m.group("v"))
                if not parsed or not (items or _FINE_WORDS.search(sentence.group())):
                    continue  # 货物价值总计…: a total of something else
                if items and Decimal(parsed[0]) < max(i[0] for i in items):
                    continue  # a total is never less than one of its items
                s0, e0 = sentence.start() + m.start("v"), sentence.start() + m.end("v")
                total = (Decimal(parsed[0]), pno, [b for b in bxs[s0:e0] if b], m.group("v"), min(conf[s0:e0] or [1.0]))
    if total is not None:
        v, pno, boxes, raw, c = total
        return _Hit(f"{v:.2f}", pno, union(boxes), c, raw)
    if not items:
        return None
    value = sum((i[0] for i in items), Decimal(0))
    boxes = [b for i in items for b in i[2]]
    return _Hit(f"{value:.2f}", items[0][1], union(boxes[:40]), min(i[4] for i in items), "+".join(i[3] for i in items))


_OPERATIVE = re.compile(r"(?:作出|给予|决定)(?:如下|以下)(?:的)?行政处罚(?:决定)?[:：](?P<v>.{2,160}?)(?=[^。]{0,12}(?:不服|行政复议))",
                        re.S)
_OTHER_PENALTY = re.compile(r"警告|通报批评|责令|暂扣|吊销|降低资质|限制|停产停业|关闭|拘留")


def _no_fine(pages: list[tuple[int, PageText]]) -> _Hit | None:
    """A decision whose operative part ("作出如下行政处罚：给予警告，并责令立即改正违法行为。"), read whole up to its
    notice of appeal, names penalties and no fine, no confiscation and no sum: it imposes no fine (0.00)."""
    for pno, page in pages:
        text, bxs, conf = next(iter(_flows(page)))
        for m in _OPERATIVE.finditer(text):
            part = m.group("v")
            bare = re.sub(r"行政处罚|处罚决定", "", part)
            if not _OTHER_PENALTY.search(part) or re.search(r"罚|没收|[0-9０-９]|元|[壹贰叁肆伍陆柒捌玖拾佰仟]", bare):
                continue
            s0, e0 = m.start("v"), m.end("v")
            return _Hit("0.00", pno, union([b for b in bxs[s0:e0] if b][:40]), min(conf[s0:e0] or [1.0]), part)
    return None


def _decision_date(pages: list[tuple[int, PageText]], rules: RuleBook) -> _Hit | None:
    """A decision's date is the date of its 落款; a labelled date (on a form-like decision) also counts."""
    hit = _read_by_label(pages, rules.fields[FieldId.DECISION_DATE].labels, "date")
    if hit:
        return hit
    _, date = decision.signature_block(pages)
    return _Hit(*date) if date else None


def _scaled(hit: _Hit | None, factor: float) -> _Hit | None:
    if hit is None:
        return None
    return _Hit(hit.value, hit.page, hit.bbox, hit.conf * factor, hit.raw)


def _decision_field(fid: FieldId, pages: list[tuple[int, PageText]], labels: tuple[str, ...], fr: FieldReading,
                    rules: RuleBook) -> _Hit | None:
    """The fields of a 行政处罚决定书, read from its structure before its wording."""
    if fid == FieldId.DECISION_DATE:
        return _decision_date(pages, rules)
    if fid == FieldId.DECISION_NUMBER:
        line = decision.number_line(pages)
        return _Hit(*line) if line else (_read_by_label(pages, labels, fr.type)
                                         or _scaled(_read_by_prose(pages, fr.prose, fr.type), PROSE))
    if fid == FieldId.PENALTY_AUTHORITY:
        auth, _ = decision.signature_block(pages)
        return (_read_by_label(pages, labels, fr.type) or _authority_from_header(pages)
                or (_Hit(*auth) if auth else None) or _scaled(_read_by_prose(pages, fr.prose, fr.type), PROSE))
    if fid == FieldId.USCC:
        return (_read_by_label(pages, labels, fr.type) or _scaled(_read_by_prose(pages, fr.strong_prose, fr.type), 0.95)
                or (_Hit(*code) if (code := decision.party_code(pages)) else None))
    if fid == FieldId.ENTERPRISE_NAME:
        party = decision.party_line(pages)
        return (_read_by_label(pages, labels, "party", separated=True) or (_Hit(*party) if party else None)
                or _scaled(_read_by_prose(pages, fr.prose, fr.type), PROSE))
    return None


_ID_ANY = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ ]?[0-9]){16}[ ]?[0-9Xx*](?![0-9A-Za-z])")
_OTHER_ROLE = re.compile(r"法定代表人|委托人|授权人|本人")


def _id_of_agent(pages: list[tuple[int, PageText]], agent: FieldValue | None, hit: _Hit | None) -> _Hit | None:
    """The agent's ID number is the one beside the agent's role: the first after the agent's name, on its line or
    the next few, before another person's role begins (法定代表人 … 身份证号码 is the representative's).  Without
    the agent's place, a number read by its label alone is not sure when the page carries several."""
    ids_on_page = {re.sub(r"\s", "", m.group(0)) for _, page in pages for m in _ID_ANY.finditer(page.text)}
    if agent is not None and agent.bbox is not None:
        for pno, page in pages:
            if pno != agent.page:
                continue
            cy = (agent.bbox[1] + agent.bbox[3]) / 2
            for li, line in enumerate(page.lines):
                bb = line.bbox
                if not (bb[1] - 1 <= cy <= bb[3] + 1) or agent.value not in line.text.replace(" ", ""):
                    continue
                start = next((k for k, b in enumerate(line.boxes) if b and b[0] >= agent.bbox[0] - 1), 0)
                for ln in page.lines[li : li + 4]:
                    text = ln.text[start:] if ln is line else ln.text
                    off = start if ln is line else 0
                    m = _ID_ANY.search(text)
                    role = _OTHER_ROLE.search(text)
                    if role and (m is None or role.start() < m.start()) and ln is not line:
                        break
                    if m:
                        s0, e0 = off + m.start(), off + m.end()
                        v = parse_value("id_number", ln.text[s0:e0])
                        if v:
                            return _Hit(v[0], pno, ln.span_bbox(s0, e0), ln.span_conf(s0, e0), ln.text[s0:e0])
                break
    # the agent's role label without the name (委托代理人：（签字）), its ID number on the next line
    for pno, page in pages:
        for li, line in enumerate(page.lines):
            for rm in _AGENT_ROLE.finditer(line.text):
                for ln in page.lines[li : li + 3]:
                    off = rm.end() if ln is line else 0
                    text = ln.text[off:]
                    m = _ID_ANY.search(text)
                    role = _OTHER_ROLE.search(text)
                    if role and (m is None or role.start() < m.start()):
                        break
                    if m:
                        s0, e0 = off + m.start(), off + m.end()
                        v = parse_value("id_number", ln.text[s0:e0])
                        if v:
                            return _Hit(v[0], pno, ln.span_bbox(s0, e0), ln.span_conf(s0, e0), ln.text[s0:e0])
                        break
    if hit is not None and len(ids_on_page) > 1:
        return _scaled(hit, 0.85)
    return hit


_AGENT_ROLE = re.compile(r"(?:委托代理人|受托人|被委托人|受委托人|代理人|经办人)(?:姓名)?[ \t]*[：:]")


def _authority_from_header(pages: list[tuple[int, PageText]]) -> _Hit | None:
    """A decision names its authority in the first lines (letterhead) or above the date at the end."""
    from xinyong_desktop.extract.patterns import parse_authority

    for pno, page in pages[:1]:
        for line in page.lines[:3]:
            t = line.text.replace("\t", "").replace(" ", "")
            t = re.sub(r"行政处罚决定书$", "", t)
            v = parse_authority(t)
            if v and v == t:
                return _Hit(v, pno, line.bbox, (0.85 if page.source == "ocr" else 0.97) * line.sure,
                            line.text)
    return None


def read_fields(pages: list[tuple[int, PageText]], kind: KindReading, rules: RuleBook) -> dict[FieldId, FieldValue]:
    """Every field this kind carries that can be read; absent fields are simply not in the result."""
    from_ocr = any(p.source == "ocr" for _, p in pages)
    out: dict[FieldId, FieldValue] = {}
    for fid in kind.fields:
        if fid in (FieldId.SEAL, FieldId.SIGNATURE):
            continue
        fr: FieldReading = rules.fields[fid]
        hit: _Hit | None = None
        labels = kind.labels.get(fid, ()) + fr.labels
        if fid == FieldId.SIGNED_DATE:
            hit = _scaled(_last_date(pages), 0.95)
        elif kind.kind == "penalty_decision" and fid in (FieldId.DECISION_DATE, FieldId.DECISION_NUMBER, FieldId.USCC,
                                                          FieldId.PENALTY_AUTHORITY, FieldId.ENTERPRISE_NAME):
            hit = _decision_field(fid, pages, labels, fr, rules)
        elif fid == FieldId.FINE_AMOUNT:
            hit = _read_by_label(pages, fr.labels, fr.type) or _scaled(_fine_amount(pages), 0.95)
            if hit is None and kind.kind == "penalty_decision":
                hit = _scaled(_no_fine(pages), 0.95)
            if hit and kind.kind == "penalty_decision" and decision.signature_block(pages)[1] is None:
                hit = _scaled(hit, 0.7)  # the decision's end is not in the packet: more penalties may follow
        else:
            hit = (_read_by_label(pages, labels, fr.type) or _scaled(_read_by_prose(pages, fr.strong_prose, fr.type), 0.95)
                   or _scaled(_read_by_prose(pages, fr.prose, fr.type), PROSE))
            if hit is None and fid == FieldId.PAYER_NAME:
                hit = _payer_by_sides(pages)
            if hit is None and fid == FieldId.PAID_AMOUNT:
                hit = _read_by_label(pages, ("金额（大写）", "大写金额", "（大写）", "大写"), "amount")
            if hit is None and fid == FieldId.PAYMENT_DATE:
                hit = _scaled(_first_date(pages), GUESS)
            if fid == FieldId.ID_NUMBER and kind.kind == "authorization_letter":
                hit = _id_of_agent(pages, out.get(FieldId.AGENT_NAME), hit)
        if hit is None and fid == FieldId.LEGAL_REPRESENTATIVE and FieldId.ENTERPRISE_NAME in out:
            party = out[FieldId.ENTERPRISE_NAME]
            op = operator_in_brackets(party.raw)
            if op:  # 牟定县众乐便利店(刘威): the operator of a shop is its 经营者
                hit = _Hit(op, party.page, party.bbox, party.confidence * 0.95, party.raw)
        if hit is None:
            continue
        value, conf = hit.value, hit.conf
        if fr.type in ("uscc", "id_number"):
            value, factor = repair_identifier(fr.type, value, from_ocr, conf)
            conf *= factor
        out[fid] = FieldValue(value, hit.page, hit.bbox, conf, hit.raw)
    return out


# ---------------------------------------------------------------- blanks the page shows
_BLANK_FILL = re.compile(r"^[\s_＿\-—.·…：:（）()\[\]【】/]*$")


def _all_labels(rules: RuleBook) -> tuple[str, ...]:
    labels: set[str] = set()
    for fr in rules.fields.values():
        labels.update(fr.labels)
    for kr in rules.kinds.values():
        for ls in kr.labels.values():
            labels.update(ls)
    return tuple(sorted(labels, key=len, reverse=True))


def _is_label_text(text: str, labels: tuple[str, ...]) -> bool:
    """A cell that opens with a label (作出决定机关：…, 处罚日期): the start of the next field, not a value."""
    t = re.sub(r"\s+", "", text)
    for lb in labels:
        k = t.find(lb)
        if 0 <= k <= 4 and (k + len(lb) == len(t) or t[k + len(lb)] in "：:（("):
            return True
        # a scan's recogniser runs a label and its value together (作出决定机关常州市…): a cell that opens
        # with a label of four characters or more (after at most two, as 作出…) is a label, not a value
        if 0 <= k <= 2 and len(lb) >= 4:
            return True
    return False


def blank_fields(pages: list[tuple[int, PageText]], kind: KindReading, rules: RuleBook,
                 read: dict[FieldId, FieldValue]) -> set[FieldId]:
    """Fields whose label is printed with nothing after it (an empty cell, an underline, a bracket closed
    at once): the blank is seen, so the field is surely not filled in.  A label that is simply not found
    says nothing — the field may be printed in a way the reader does not know."""
    from xinyong_desktop.extract.cells import segments

    labels = _all_labels(rules)
    out: set[FieldId] = set()
    flows = [page.flow()[0].replace("\n", "") for _, page in pages]
    for fid in kind.fields:
        if fid in read or fid in (FieldId.SEAL, FieldId.SIGNATURE, FieldId.SIGNED_DATE):
            continue
        fr = rules.fields[fid]
        for label in kind.labels.get(fid, ()) + fr.labels:
            if any(_label_blank(page, segments(page), li, m, labels)
                   for _, page in pages for li, line in enumerate(page.lines) for m in _find_labels(line, label)):
                out.add(fid)
                break
            # inside running text: "（决定书文号：），处以…" — the bracket closes right after the label
            if any(re.search(label_re(label).pattern + r"[ \t]*[：:][ \t]*[）)，,。；;]", flow) for flow in flows):
                out.add(fid)
                break
    return out


def _label_blank(page: PageText, segs, li: int, m: re.Match, labels: tuple[str, ...]) -> bool:
    line = page.lines[li]
    lb = line.span_bbox(m.start(), m.end())
    if lb is None:
        return False
    h = max(line.height, 6.0)
    seg_end = line.text.find("\t", m.end())
    seg_end = len(line.text) if seg_end < 0 else seg_end
    rest = line.text[m.end():seg_end]
    q = re.match(r"[ \t]*[（(][^）)\t]{0,10}[）)]", rest)  # a qualifier such as （盖章） belongs to the label
    if q and re.search(r"[签章印]", q.group()):
        return False  # 法定代表人（签字）：— a place to sign, not a value to fill in
    if q and not _BLANK_FILL.match(rest):
        rest = rest[q.end():]
    if not _BLANK_FILL.match(rest):
        return False
    # a bracket closed at once ("文号：）") is a blank inside prose; otherwise look around the label
    right, below = [], []
    for s in segs:
        sb = s.bbox
        if sb is None or (s.line_no == li and s.end <= seg_end):
            continue
        if sb[0] >= lb[2] - 1 and sb[1] < lb[3] + 0.8 * h and sb[3] > lb[1] - 0.8 * h:
            right.append((sb[0], s))
        elif s.line_no > li and 0 <= sb[1] - lb[3] < 1.5 * h and sb[0] < lb[2] and sb[2] > lb[0]:
            below.append(s)
    if right:
        # the next thing on the row is the next label: this cell is empty
        return _is_label_text(min(right, key=lambda t: t[0])[1].text, labels)
    return all(_is_label_text(s.text, labels) for s in below)
