"""Value patterns and parsers per field type: raw text → normalised contract value."""
from __future__ import annotations

import re

from xinyong_desktop.domain import identifiers as ids
from xinyong_desktop.domain.text import (
    find_dates,
    format_amount,
    normalize_decision_number,
    normalize_name,
    parse_amount,
    to_halfwidth,
)

_HAN = r"\u4e00-\u9fa5\u3400-\u4dbf"
ORG_STRONG = r"(?:有限责任公司|股份有限公司|有限公司|公司|合作社|事务所)"
ORG_WEAK = (r"(?:总厂|厂|商行|经营部|门市部|商店|超市|店|中心|工作室|医院|诊所|药房|学校|幼儿园|酒店|宾馆|饭店|餐厅|"
            r"研究院|研究所|协会|加工部|部|馆|场|站)")
ORG_SUFFIX = rf"(?:{ORG_STRONG}|{ORG_WEAK})"
_ORG_CHARS = r"[\u4e00-\u9fa5\u3400-\u4dbfA-Za-z0-9（）()·]"
PATTERNS = {
    "ORG": rf"(?:{_ORG_CHARS}{{2,40}}?{ORG_STRONG}(?:[{_HAN}]{{1,10}}分公司)?|{_ORG_CHARS}{{2,40}}?{ORG_WEAK})",
    "PERSON": rf"[{_HAN}][{_HAN}·]{{1,5}}",
    # hand-filled or OCR'd codes carry stray single spaces ("11DMGH6 Q AD 31"); parse_uscc drops them
    "USCC": r"[0-9A-Za-z](?:[ ]?[0-9A-Za-z]){17}(?![0-9A-Za-z])",
    "ID": r"[0-9](?:[ ]?[0-9]){16}[ ]?[0-9Xx](?![0-9A-Za-z])",
    "DN": r"[\u4e00-\u9fa5A-Za-z]{1,20}?\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*(?:[〕\]］】)）]|\n)\s*第?\s*[0-9A-Za-z\-]{1,12}\s*号",
    "DATE": r"(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-./]\d{1,2}[-./]\d{1,2})|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)",
    "AMOUNT": r"(?:[¥￥]\s*)?(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d{1,2})?\s*万?\s*元|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]{2,}",
    "AUTH": rf"[{_HAN}]{{2,30}}?(?:局|支队|大队|中队|委员会|厅|署|办公室|管理处|管理所|中心|政府|分局|执法局|管理委员会)",
}

AUTHORITY_RE = re.compile(rf"^{PATTERNS['AUTH']}$")
ORG_RE = re.compile(rf"{PATTERNS['ORG']}")
PERSON_STOP = ("身份", "签字", "签名", "签章", "盖章", "姓名", "性别", "民族", "住址", "出生", "职务", "电话",
               "代码", "日期", "公司", "单位", "委托", "本人", "法定代表人", "证明")


def expand(pattern: str) -> re.Pattern:
    for k, v in PATTERNS.items():
        pattern = pattern.replace("{" + k + "}", f"(?:{v})")
    return re.compile(pattern)


def _strip(s: str) -> str:
    return s.strip(" \t：:;；，,。、")


def parse_org(text: str) -> str | None:
    """A whole cell that is an organisation name (a trailing note in brackets is dropped)."""
    t = re.sub(r"\s+", "", to_halfwidth(_strip(text)).replace("(", "（").replace(")", "）"))
    form = re.search(r"（(?:普通合伙|有限合伙|特殊普通合伙|个人独资)）$", t)  # part of a partnership's name
    t = re.sub(r"（[^）]{0,12}）$", "", t) if not re.search(ORG_SUFFIX + "$", t) else t
    if form and not t.endswith(form.group(0)):
        t += form.group(0)
    m = re.match(rf"{_ORG_CHARS}{{2,40}}{ORG_SUFFIX}(?:（(?:普通合伙|有限合伙|特殊普通合伙|个人独资)）)?(?=$|[，,。；;：:\s])", t)
    if not m:
        m = re.match(PATTERNS["ORG"], t)
    if not m:
        return None
    return strip_lead_in(normalize_name(m.group(0)))


# words of running text that introduce a name and are not part of it ("代表我单位江苏…有限公司")
_LEAD_IN = re.compile(r"^.*?(?:我单位|本单位|我公司|本公司|兹有|兹证明)(?=.{4,})")


def strip_lead_in(name: str) -> str:
    """The name without the prose before it; a name that still parses whole is kept as it is."""
    if "（" in name and re.search(r"（[^）]*\d{6,}[^）]*）", name):  # an ID number or code in brackets is prose
        name = re.sub(r"^.*（[^）]*\d{6,}[^）]*）", "", name)
    cut = _LEAD_IN.sub("", name)
    if cut != name and re.search(ORG_SUFFIX + "$", cut) and len(cut) >= 4:
        return cut
    return name


def parse_person(text: str) -> str | None:
    t = _strip(text)
    # a wide space ends the name (段亚君  电话:…); a label word glued to it too (张三电话…)
    t = re.split(r"\s{2,}|\t", t)[0]
    t = re.sub(r"\s+", "", t)
    stop = re.search(r"(?:电话|手机|性别|职务|身份证|住址|地址|联系)", t)
    if stop and stop.start() >= 2:
        t = t[: stop.start()]
    t = re.sub(r"(?:同志|先生|女士)(?=$|[，,。；;（(])", "", t, count=1)
    m = re.match(rf"[{_HAN}][{_HAN}·]{{1,5}}", t)
    if not m:
        return None
    name = m.group(0)
    # a name is short and stands alone in its cell (or is followed by punctuation/brackets)
    rest = t[m.end():]
    if len(name) > 4 and "·" not in name:
        return None
    if rest and not re.match(r"[（(，,；;。\s:：]|\d", rest):
        return None
    if any(w in name for w in PERSON_STOP):
        return None
    return name


def parse_name(text: str) -> str | None:
    return parse_org(text) or parse_person(text)


def parse_party(text: str) -> str | None:
    """A party's name under its label (当事人：安宁明立卤味坊): an organisation, a trade name without the usual
    suffix (个体工商户 choose any name), or a person."""
    v = parse_org(text) or parse_person(text)
    if v:
        return v
    t = re.sub(r"\s+", "", to_halfwidth(_strip(text))).replace("(", "（").replace(")", "）")
    t = re.split(r"[，,。；;]", t)[0]
    if 4 <= len(t) <= 30 and re.fullmatch(rf"[{_HAN}（）·]+", t) and not any(w in t for w in PERSON_STOP):
        return t
    return None


def parse_uscc(text: str) -> tuple[str, float] | None:
    t = re.sub(r"[\s\-]", "", to_halfwidth(text)).upper().replace("×", "*")
    m = re.search(r"(?<![0-9A-Z*])[0-9A-Z*]{18}(?![0-9A-Z*])", t)
    if not m:
        return None
    return m.group(0), 1.0


def parse_id(text: str) -> tuple[str, float] | None:
    t = re.sub(r"\s", "", to_halfwidth(text)).upper().replace("×", "*")
    m = re.search(r"(?<![0-9A-Z*])[0-9A-Z*]{17}[0-9X*](?![0-9A-Z*])", t)
    digits = sum(c.isdigit() for c in m.group(0)) if m else 0
    if not m or not (digits >= 14 or ("*" in m.group(0) and digits >= 6)):
        return None
    return m.group(0), 1.0


def parse_dn(text: str) -> str | None:
    return normalize_decision_number(text)


def parse_date_iso(text: str) -> str | None:
    found = find_dates(text)
    return found[0][0].isoformat() if found else None


def parse_amount_str(text: str) -> str | None:
    v = parse_amount(text)
    return format_amount(v) if v is not None and v > 0 else None


def parse_phone(text: str) -> str | None:
    t = re.sub(r"[\s]", "", to_halfwidth(text))
    m = re.search(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)", t)
    return m.group(1) if m else None


def parse_authority(text: str) -> str | None:
    t = re.sub(r"\s+", "", _strip(text))
    m = re.match(rf"[{_HAN}（）]{{2,40}}(?:局|支队|大队|中队|委员会|厅|署|办公室|管理处|管理所|中心|政府)(?=$|[，,。；;])", t)
    if not m:
        m = re.match(PATTERNS["AUTH"], t)
    return m.group(0) if m else None


def parse_value(ftype: str, text: str) -> tuple[str, float] | None:
    """Parse raw text as a value of ftype; returns (normalised value, confidence factor)."""
    if ftype == "uscc":
        return parse_uscc(text)
    if ftype == "id_number":
        return parse_id(text)
    if ftype == "party":
        v = parse_party(text)
        if not v:
            return None
        return v, 1.0 if (parse_org(text) or parse_person(text)) else 0.92
    if ftype in ("org", "name"):
        v = parse_name(text) if ftype == "name" else parse_org(text)
        if not v:
            return None
        # a name cut out of running text is less sure than a name standing alone in its cell
        whole = re.sub(r"\s+", "", to_halfwidth(_strip(text))).replace("(", "（").replace(")", "）")
        return v, 1.0 if whole == v else 0.9
    fn = {"org": parse_org, "person": parse_person, "name": parse_name, "decision_number": parse_dn,
          "date": parse_date_iso, "amount": parse_amount_str, "phone": parse_phone, "authority": parse_authority}[ftype]
    v = fn(text)
    return (v, 1.0) if v else None


UNREPAIRED = 0.4  # confidence factor of an OCR'd identifier whose checksum fails and no look-alike fixes
# an OCR'd identifier repaired by look-alikes: the checksum passes, but with a few candidate characters a
# wrong variant passes it too often to call the repair sure — it stays under 0.9 until a fact confirms it
REPAIRED = 0.85


def repair_identifier(ftype: str, value: str, from_ocr: bool) -> tuple[str, float]:
    """Identifiers read by OCR: fix look-alikes only where the checksum confirms; else lower confidence."""
    if ids.is_masked(value):
        return value, 0.5  # hidden digits: nothing to confirm
    if ftype == "uscc":
        if ids.is_valid_uscc(value):
            return value, 1.0
        if from_ocr:
            fixed, ok = ids.repair_uscc(value)
            return (fixed, REPAIRED) if ok else (value, UNREPAIRED)
        return value, 1.0
    if ftype == "id_number":
        if ids.is_valid_id_number(value):
            return value, 1.0
        if from_ocr:
            fixed, ok = ids.repair_id_number(value)
            return (fixed, REPAIRED) if ok else (value, UNREPAIRED)
        return value, 1.0
    return value, 1.0
