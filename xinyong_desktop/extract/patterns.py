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
    "DN": r"(?:[（(][\u4e00-\u9fa5]{1,6}[）)])?[\u4e00-\u9fa5A-Za-z]{1,20}?\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*(?:[〕\]］】)）]|\n)\s*第?\s*[0-9A-Za-z\-]{1,12}\s*号",
    "DATE": r"(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-./]\d{1,2}[-./]\d{1,2})|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)",
    # a figure with 元 after it, or with ¥ before it (then 元 may be missing: "罚款¥35,000.00。"), or in capitals
    "AMOUNT": r"(?:[¥￥]\s*)(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d{1,2})?(?:\s*万?\s*元)?|(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d{1,2})?\s*万?\s*元|[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]{2,}",
    "AUTH": rf"[{_HAN}]{{2,30}}?(?:局|支队|大队|中队|委员会|厅|署|办公室|管理处|管理所|中心|政府|分局|执法局|管理委员会|海关)",
}

AUTHORITY_RE = re.compile(rf"^{PATTERNS['AUTH']}$")
ORG_RE = re.compile(rf"{PATTERNS['ORG']}")
PERSON_STOP = ("身份", "签字", "签名", "签章", "盖章", "姓名", "性别", "民族", "住址", "出生", "职务", "电话",
               "代码", "日期", "公司", "单位", "委托", "本人", "法定代表人", "证明")


# Words that are labels of a form's cells, never a name that fills one: the sub-label of a merged cell
# (付款人 | 户名 | 常州市…) is read past, not taken as the payer.
LABEL_WORDS = frozenset(("户名", "全称", "名称", "账号", "帐号", "账户", "帐户", "开户行", "开户银行", "开户机构",
                         "姓名", "单位", "单位名称", "地址", "住所", "住址", "日期", "金额", "币种", "用途", "摘要",
                         "附言", "备注", "电话", "联系电话", "职务", "性别", "民族", "证件号码", "身份证号码",
                         "统一社会信用代码", "法定代表人", "负责人", "经营者", "委托人", "受托人", "代理人",
                         "收款人", "付款人", "缴款人", "执收单位", "签字", "签名", "盖章", "印章"))
# How a clause of running text begins: what follows such a word is a sentence, never a name
# ("当事人不服本处罚决定的", "当事人可在…", "代理人根据授权…", "现委托…").  Single characters that are
# also surnames (于 向 应 经) are not listed.
CLAUSE_STARTS = ("不服", "如不服", "如对", "如有", "如未", "如逾期", "逾期", "可在", "可以", "可自", "可于", "可向",
                 "应当", "应于", "应在", "须", "必须", "未取得", "未按", "未经", "未依法", "根据", "依据", "依照",
                 "按照", "对于", "对其", "对本", "对上述", "经查", "经调查", "因其", "自本", "自收到", "自即日",
                 "本人", "本单位", "本机关", "本局", "我局", "我单位", "我公司", "上述", "以上", "违反", "涉嫌", "存在",
                 "拒不", "现委托", "委托", "授权", "特此", "兹", "系", "为我方", "在本", "有权", "享有", "已于", "已经",
                 "提出", "申请", "送达", "缴纳", "履行", "处以", "罚款", "没收", "责令", "给予", "决定", "作出")


def is_label_word(text: str) -> bool:
    """A cell that holds only a label word (户名, 全称, 账号…), with or without its colon."""
    return re.sub(r"[\s:：]+", "", text) in LABEL_WORDS


def starts_clause(text: str) -> bool:
    t = re.sub(r"\s+", "", text)
    return t.startswith(CLAUSE_STARTS)


# the commonest surnames (百家姓 and the national household register's most frequent ones): a person's name
# begins with one of them; a name that does not is read with less confidence, never refused
SURNAMES_2 = frozenset("万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 太叔 申屠 公孙 "
                       "仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 端木 上官 呼延 东郭 南宫 西门 第五 欧阳".split())
SURNAMES_1 = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗凤花方"
    "俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧"
    "计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫"
    "经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓"
    "牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙"
    "池乔阴郁胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰"
    "巢关蒯相查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福"
    "肖付覃邝粟揭谌兰苑冼麦眭敬邸练禤植展原靖占代母门仝郇迟苟茆旷隋卿雒芦帖衣底宇来修奉母尧缪习银库达"
)


def looks_like_person(name: str) -> bool:
    """A person's name as printed: a known surname and one to three more characters, or a name the publisher
    masked (郭*西, 黄某某, 肖**)."""
    if re.fullmatch(r"[\u4e00-\u9fa5][\u4e00-\u9fa5*＊×]{1,3}", name) and re.search(r"[*＊×]|某", name):
        return True
    if name[:2] in SURNAMES_2 and 3 <= len(name) <= 5:
        return True
    return name[:1] in SURNAMES_1 and 2 <= len(name) <= 4


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
    name = strip_lead_in(normalize_name(m.group(0)))
    return None if starts_clause(name) or is_label_word(name) else name


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
    if any(w in name for w in PERSON_STOP) or is_label_word(name) or starts_clause(t):
        return None
    return name


def parse_name(text: str) -> str | None:
    return parse_org(text) or parse_person(text)


def parse_party(text: str) -> str | None:
    """A party's name under its label (当事人：安宁明立卤味坊): an organisation, a trade name without the usual
    suffix (个体工商户 choose any name), or a person."""
    if starts_clause(text):
        return None  # 当事人不服本处罚决定的… / 当事人可在…: the word 当事人 in running text, not its label
    v = parse_org(text) or parse_person(text)
    if v:
        return v
    t = re.sub(r"\s+", "", to_halfwidth(_strip(text))).replace("(", "（").replace(")", "）")
    t = re.split(r"[，,。；;]", t)[0]
    t = re.sub(r"（[^）]{1,12}）$", "", t)  # the operator in brackets after a shop's name
    if (4 <= len(t) <= 30 and re.fullmatch(rf"[{_HAN}（）·]+", t) and not any(w in t for w in PERSON_STOP)
            and t.endswith(TRADE_NAME_ENDS)):
        return t
    return None


# how the names of 个体工商户 end when they carry none of the usual suffixes (安宁明立卤味坊, 乐客网吧)
TRADE_NAME_ENDS = ("坊", "吧", "咖", "铺", "屋", "阁", "轩", "居", "堂", "楼", "舍", "苑", "庄", "园", "档", "摊", "廊",
                   "社", "所", "行", "号", "记", "斋", "肆", "室", "厅", "院", "城", "汇", "栈", "亭")


def operator_in_brackets(text: str) -> str | None:
    """The operator of a shop named after it in brackets: 牟定县众乐便利店(刘威) → 刘威."""
    t = re.sub(r"\s+", "", to_halfwidth(_strip(text))).replace("(", "（").replace(")", "）")
    m = re.search(r"（(?:经营者|负责人|投资人|业主)?[：:]?([^）：:]{2,5})）(?:$|[，,。；;])", t)
    if not m or not re.search(ORG_SUFFIX + "$|" + "(?:" + "|".join(TRADE_NAME_ENDS) + ")$", t[:m.start()]):
        return None
    name = m.group(1)
    return name if looks_like_person(name) else None


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
    m = re.match(rf"[{_HAN}（）]{{2,40}}(?:局|支队|大队|中队|委员会|厅|署|办公室|管理处|管理所|中心|政府|海关)(?=$|[，,。；;])", t)
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
    if ftype == "person":
        v = parse_person(text)
        if not v:
            return None
        return v, 1.0 if looks_like_person(v) else 0.85  # not shaped like a name: to be confirmed
    if ftype in ("org", "name"):
        v = parse_name(text) if ftype == "name" else parse_org(text)
        if not v:
            return None
        if ftype == "name" and not parse_org(text) and not looks_like_person(v):
            return v, 0.85  # neither an organisation's ending nor a person's name: to be confirmed
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


# every character of an OCR'd identifier read at least this surely, and no look-alike makes it valid: it is
# read as printed, and what is printed is invalid (a person sees the impossible date on the page)
SURE_CHARS = 0.98
AS_PRINTED = 0.95


def repair_identifier(ftype: str, value: str, from_ocr: bool, read_conf: float = 0.0) -> tuple[str, float]:
    """Identifiers read by OCR: fix look-alikes only where the checksum confirms; else lower confidence — unless
    every character was read surely and no look-alike repairs it (then it is what the page shows)."""
    unrepaired = AS_PRINTED if read_conf >= SURE_CHARS else UNREPAIRED
    if ids.is_masked(value):
        return value, 0.5  # hidden digits: nothing to confirm
    if ftype == "uscc":
        if ids.is_valid_uscc(value):
            return value, 1.0
        if from_ocr:
            fixed, ok = ids.repair_uscc(value)
            return (fixed, REPAIRED) if ok else (value, unrepaired)
        return value, 1.0
    if ftype == "id_number":
        if ids.is_valid_id_number(value):
            return value, 1.0
        if from_ocr:
            fixed, ok = ids.repair_id_number(value)
            return (fixed, REPAIRED) if ok else (value, unrepaired)
        return value, 1.0
    return value, 1.0
