"""Normalisation of the values met in materials: widths, names, decision numbers, amounts, dates."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def to_halfwidth(s: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ：…) to half-width; CJK text unchanged."""
    return s.translate(_FULLWIDTH)


def squash_spaces(s: str) -> str:
    return re.sub(r"[\s\u3000\u00a0]+", "", s)


# ---------------------------------------------------------------- names
_OPEN = "(（[［【〔"
_CLOSE = ")）]］】〕"


def normalize_name(s: str) -> str:
    """Enterprise or person name: spaces dropped, brackets full-width （）, ASCII letters half-width.

    有限公司 and 有限责任公司 stay different: they are different names.
    """
    s = squash_spaces(s)
    s = "".join("（" if c in "(（" else "）" if c in ")）" else c for c in s)
    out = []
    for c in s:
        if "\uff21" <= c <= "\uff5a" or "\uff10" <= c <= "\uff19":
            c = chr(ord(c) - 0xFEE0)
        out.append(c)
    return "".join(out).strip("：:，,。；;")


# ---------------------------------------------------------------- decision numbers
DECISION_NUMBER_RE = re.compile(
    r"(?P<prefix>(?:[\u4e00-\u9fa5A-Za-z0-9]|[（(][\u4e00-\u9fa5]{1,6}[）)]){0,20}?[\u4e00-\u9fa5A-Za-z])\s*"
    r"[〔\[［【(（{]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］】)）}]"
    r"\s*(?P<pre2>[第]?)\s*(?P<serial>[0-9A-Za-z\-]{1,12})\s*号"
)


# words that precede a decision number in running text and are not part of its prefix
_DN_CONTEXT = re.compile(r"^(?:办理|关于|对于|对|就|根据|依据|按照|处罚决定书|决定书|文书号|文号|编号|号为|为|是|即|经|下达|被|因|已|将|见|详见|原)+")
_DN_CUT = re.compile(r".*(?:的|作出|收到|受到|办理|文号|编号|决定书|罚款|罚没款|缴纳|用途|摘要|附言|备注|事由|缴款|申请|网站|涉及|所涉|"
                     r"关于|就|对|因|依据|根据|按照|[0-9]{1,2}月[0-9]{1,2}日|年|元|号)(?=.)")


def normalize_decision_number(s: str) -> str | None:
    """常市监罚字[2024]第123号 → 常市监罚字〔2024〕第123号.  None when it is not a decision number."""
    # OCR drops a closing bracket where the number wraps: "〔2025⏎659号"
    s = re.sub(r"([〔\[［【(（{]\s*(?:19|20)\d{2})[ \t]*\n\s*(?=第?\s*\d)", r"\1〕", to_halfwidth(s))
    # spaces next to brackets and digits are noise; a space before the prefix ends it ("罚款 常市监…")
    s = re.sub(r"\s*([〔\[［【(（{〕\]］】)）}第号])\s*", r"\1", s)
    s = re.sub(r"(\d)\s+(?=[\d号])", r"\1", s)
    opening = re.search(r"[〔\[［【(（{]\s*(?:19|20)\d{2}", s.strip())
    head, br, tail = s.strip().partition(opening[0][0]) if opening else (s.strip(), "", "")
    pieces = head.split()
    if len(pieces) > 1 and not all(len(p) <= 4 for p in pieces[-3:]):
        head = pieces[-1]  # a space before the prefix ends it ("罚款 常市监…")
    s = re.sub(r"\s+", "", head) + br + tail
    s = squash_spaces(s)
    m = DECISION_NUMBER_RE.search(s)
    if not m:
        return None
    prefix = _DN_CUT.sub("", m["prefix"]) or m["prefix"]
    prefix = _DN_CONTEXT.sub("", prefix) or prefix
    prefix = prefix.replace("(", "（").replace(")", "）")
    return f"{prefix}〔{m['year']}〕{m['pre2']}{m['serial']}号"


def decision_number_parts(s: str) -> tuple[str, str, str] | None:
    """(prefix, year, serial without leading zeros) of a decision number, upper-case."""
    n = normalize_decision_number(s)
    if n is None:
        return None
    m = DECISION_NUMBER_RE.search(n)
    if m is None:
        return None
    return m["prefix"].upper(), m["year"], m["serial"].upper().lstrip("0") or "0"


def same_decision_number(a: str, b: str) -> bool | None:
    """True when a and b are one number as printed differently (a lost or extra lead-in before the prefix
    counts as the same: 豫0923环罚决字 vs 环罚决字); False when year, serial or prefix differ; None when either
    is not a decision number."""
    pa, pb = decision_number_parts(a), decision_number_parts(b)
    if pa is None or pb is None:
        return None
    if pa[1:] != pb[1:]:
        return False
    short, long_ = sorted((pa[0], pb[0]), key=len)
    return long_.endswith(short) and len(short) >= 2


def decision_number_key(s: str) -> str | None:
    """Comparison key: equal keys are the same number (第, leading zeros ignored)."""
    n = normalize_decision_number(s)
    if n is None:
        return None
    m = DECISION_NUMBER_RE.search(n)
    assert m
    serial = m["serial"].lstrip("0") or "0"
    return f"{m['prefix']}〔{m['year']}〕{serial}"


# ---------------------------------------------------------------- amounts
_CN_DIGITS = {"零": 0, "〇": 0, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
              "柒": 7, "捌": 8, "玖": 9, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_CN_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}

AMOUNT_NUM_RE = re.compile(r"[¥￥]?\s*(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,2})?)\s*(?P<wan>万)?\s*(?P<yuan>元|圆)?")
AMOUNT_CN_RE = re.compile(r"[零〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億元圆角分整正]{2,}")


def _cn_integer(s: str) -> int:
    total, section, digit = 0, 0, 0
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            section += (digit or 1) * _CN_UNITS[c]
            digit = 0
        elif c in _CN_BIG:
            total = (total + section + digit) * _CN_BIG[c] if c in "亿億" else total + (section + digit) * _CN_BIG[c]
            section, digit = 0, 0
        else:
            raise ValueError(c)
    return total + section + digit


def parse_cn_amount(s: str) -> Decimal | None:
    """人民币壹拾万零伍佰元整 → Decimal('100500.00')."""
    s = squash_spaces(s).replace("人民币", "").replace("圆", "元").rstrip("整正")
    if not s or not any(c in _CN_DIGITS or c in _CN_UNITS for c in s):
        return None
    yuan_part, rest = (s.split("元", 1) + [""])[:2] if "元" in s else (s, "")
    try:
        value = Decimal(_cn_integer(yuan_part)) if yuan_part else Decimal(0)
        m = re.match(r"(?:([零〇壹贰貳叁參肆伍陆陸柒捌玖])角)?(?:零?([壹贰貳叁參肆伍陆陸柒捌玖])分)?$", rest)
        if rest and not m:
            return None
        if m:
            if m[1]:
                value += Decimal(_CN_DIGITS[m[1]]) / 10
            if m[2]:
                value += Decimal(_CN_DIGITS[m[2]]) / 100
    except ValueError:
        return None
    return value.quantize(Decimal("0.01"))


def parse_amount(s: str) -> Decimal | None:
    """5,000.00元 / 5000元 / ¥5,000 / 3万元 / 伍仟元整 → Decimal with two places."""
    s = to_halfwidth(s).replace("人民币", "").strip()
    m = AMOUNT_NUM_RE.search(s)
    if m and (m["yuan"] or m["wan"] or "¥" in s or "￥" in s or re.fullmatch(r"\s*[¥￥]?\s*[\d,，.]+\s*", s)):
        try:
            v = Decimal(m["num"].replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None
        if m["wan"]:
            v *= 10_000
        return v.quantize(Decimal("0.01"))
    m2 = AMOUNT_CN_RE.search(s)
    if m2:
        return parse_cn_amount(m2.group(0))
    return None


def format_amount(v: Decimal) -> str:
    return f"{v:.2f}"


# ---------------------------------------------------------------- dates
_CN_DATE_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
                   "六": 6, "七": 7, "八": 8, "九": 9}

DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|[-./／](?P<m2>\d{1,2})[-./／](?P<d2>\d{1,2}))(?!\d)"
)
CN_DATE_RE = re.compile(r"(?P<y>[〇零○一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,3})月(?P<d>[一二三四五六七八九十]{1,3})日")


def _cn_small(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DATE_DIGITS[s[1]]
    if len(s) == 3 and s[1] == "十":
        return _CN_DATE_DIGITS[s[0]] * 10 + _CN_DATE_DIGITS[s[2]]
    if len(s) == 2 and s[1] == "十":
        return _CN_DATE_DIGITS[s[0]] * 10
    return _CN_DATE_DIGITS[s]


def find_dates(s: str) -> list[tuple[dt.date, int, int]]:
    """Every valid date in s with its span (on the half-width, space-preserving text)."""
    s = to_halfwidth(s)
    out = []
    for m in DATE_RE.finditer(s):
        mo, d = (m["m1"], m["d1"]) if m["m1"] else (m["m2"], m["d2"])
        try:
            out.append((dt.date(int(m["y"]), int(mo), int(d)), m.start(), m.end()))
        except ValueError:
            continue
    for m in CN_DATE_RE.finditer(s):
        try:
            y = int("".join(str(_CN_DATE_DIGITS[c]) for c in m["y"]))
            out.append((dt.date(y, _cn_small(m["m"]), _cn_small(m["d"])), m.start(), m.end()))
        except (KeyError, ValueError):
            continue
    return sorted(out, key=lambda t: t[1])


def parse_date(s: str) -> dt.date | None:
    found = find_dates(s)
    return found[0][0] if found else None


# ---------------------------------------------------------------- misc
def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)
