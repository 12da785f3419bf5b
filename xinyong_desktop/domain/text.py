"""Normalisation of the values met in materials: widths, names, decision numbers, amounts, dates."""
from __future__ import annotations

import datetime as dt
import re
import threading
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
_DN_CONTEXT = re.compile(r"^(?:办理|关于|对于|对|就|根据|依据|按照|处罚决定书|决定书|文书号|文号|编号|号为|为|是|即|经|下达|被|因|已|将|见|详见|原|"
                         r"贵局|贵单位|贵机关|贵委|贵厅|贵所|贵队|贵中心|你局|你单位|我局|本局|以)+")
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
# Chinese numerals (壹万贰仟伍佰元整, 二〇二四年九月五日, 0.7万) are converted by cn2an, imported on first use.
AMOUNT_NUM_RE = re.compile(r"[¥￥]?\s*(?P<num>\d{1,3}(?:[,，]\d{3})+(?:\.\d{1,2})?|\d+(?:\.\d{1,4})?)\s*(?P<wan>万)?\s*(?P<yuan>元|圆)?")
AMOUNT_CN_RE = re.compile(r"[零〇壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億元圆角分整正]{2,}")
_CN_NUMERAL = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"


_warming: threading.Thread | None = None


def warm_up() -> None:
    """Import the converters in the background (cn2an compiles its patterns on import: 0.2–0.5 s), so that a
    check overlaps it with the parsing of its files instead of waiting for it at the first 壹万贰仟元整."""
    global _warming
    if _warming is None:
        def load() -> None:
            import cn2an  # noqa: F401
            import opencc  # noqa: F401
        _warming = threading.Thread(target=load, name="cn2an-opencc-import", daemon=True)
        _warming.start()


def _cn2an(s: str, method: str = "smart"):
    import warnings

    import cn2an  # imported on first use (or in the background by warm_up)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cn2an.cn2an(s, method) if method != "transform" else cn2an.transform(s, "cn2an")


def parse_cn_amount(s: str) -> Decimal | None:
    """人民币壹拾万零伍佰元整 → Decimal('100500.00'); 伍万伍仟陆佰肆拾捌元柒角叁分 → 55648.73."""
    t = to_simplified(squash_spaces(s)).replace("人民币", "").replace("圆", "元").rstrip("整正")
    if not t or not any(c in _CN_NUMERAL for c in t):
        return None
    yuan, _, rest = t.replace("萬", "万").replace("億", "亿").partition("元")
    cents = re.fullmatch(r"零?(?:(?P<jiao>[^零角分])角)?零?(?:(?P<fen>[^零角分])分)?", rest)
    if cents is None:
        return None
    try:
        value = Decimal(str(_cn2an(yuan, "smart"))) if yuan else Decimal(0)
        for unit, part in ((Decimal("0.1"), cents["jiao"]), (Decimal("0.01"), cents["fen"])):
            if part:
                value += unit * Decimal(str(_cn2an(part, "smart")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None
    return value.quantize(Decimal("0.01")) if value > 0 else None


def parse_amount(s: str) -> Decimal | None:
    """5,000.00元 / 5000元 / ¥5,000 / 0.7万元 / 伍仟元整 / 壹万贰仟伍佰元整 → Decimal with two places."""
    s = to_halfwidth(s).replace("人民币", "").strip()
    m = AMOUNT_NUM_RE.search(s)
    if m and (m["yuan"] or m["wan"] or "¥" in s or "￥" in s or re.fullmatch(r"\s*[¥￥]?\s*[\d,，.]+\s*", s)):
        try:
            v = Decimal(m["num"].replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None
        if m["wan"]:
            v *= 10_000
        elif "." in m["num"] and len(m["num"].rsplit(".", 1)[1]) > 2:
            return None  # 1.2345元 is not an amount of money
        return v.quantize(Decimal("0.01"))
    m2 = AMOUNT_CN_RE.search(s)
    if m2:
        return parse_cn_amount(m2.group(0))
    return None


def format_amount(v: Decimal) -> str:
    return f"{v:.2f}"


# ---------------------------------------------------------------- dates
DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*日?"
    r"|[-./／](?P<m2>\d{1,2})[-./／](?P<d2>\d{1,2}))(?!\d)"
)
# 二〇二四年九月五日 (○ and О are printed for 〇 too); converted by cn2an
CN_DATE_RE = re.compile(r"(?P<y>[〇零○ОO一二三四五六七八九]{4})\s*年\s*(?P<m>[一二三四五六七八九十]{1,3})\s*月"
                        r"\s*(?P<d>[一二三四五六七八九十]{1,3})\s*日")


def _cn_date(m: re.Match) -> dt.date | None:
    year = re.sub("[零○ОO]", "〇", m["y"])
    try:
        arabic = _cn2an(f"{year}年{m['m']}月{m['d']}日", "transform")
    except (ValueError, KeyError, IndexError):
        return None
    d = DATE_RE.fullmatch(arabic)
    if not d or not d["m1"]:
        return None
    try:
        return dt.date(int(d["y"]), int(d["m1"]), int(d["d1"]))
    except ValueError:
        return None


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
        date = _cn_date(m)
        if date is not None:
            out.append((date, m.start(), m.end()))
    return sorted(out, key=lambda t: t[1])


def parse_date(s: str) -> dt.date | None:
    """The first date written in s: 2024年9月5日, 2024-09-05, 2024.9.5, 二〇二四年九月五日."""
    found = find_dates(s)
    return found[0][0] if found else None


# ---------------------------------------------------------------- traditional characters
_T2S = None


def _converter():
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return _T2S


def to_simplified(s: str) -> str:
    """Traditional characters as simplified (OpenCC t2s), character for character: the result has the same
    length as s, so every character keeps its box.  Text without traditional characters is returned as is."""
    if not s or all(ord(c) < 0x3400 for c in s):
        return s
    out = _converter().convert(s)
    if len(out) == len(s):
        return out
    conv = _converter()
    return "".join(c2 if len(c2 := conv.convert(c)) == 1 else c for c in s)


# the commonest traditional-only forms of administrative text: a page without a few of them is simplified, and
# is not sent through OpenCC at all (the converter decides only for the pages that pass this look)
_TRADITIONAL_HINT = re.compile("[國為處罰決書當關會與經發業們這對說時個來後應據違條規號區縣場東門車長開間電話務權義萬幣費數單證報記"
                               "實現項產標準貨議給覆審查環衛農醫藥營執負責傳訊認講購買賣廠廳辦歸檢驗總額雙層]")
_HAN = re.compile("[\u4e00-\u9fff]")


def traditional_share(s: str) -> float:
    """The share of Han characters in s that are traditional forms (0 for simplified text)."""
    hints = len(_TRADITIONAL_HINT.findall(s))
    if hints < 3 or hints < 0.02 * len(s):
        return 0.0
    han = _HAN.findall(s)
    if not han:
        return 0.0
    simp = to_simplified("".join(han))
    return sum(a != b for a, b in zip(han, simp, strict=True)) / len(han)


# ---------------------------------------------------------------- misc
def nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)
