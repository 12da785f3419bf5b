"""Facts first: the case's facts come from their authoritative materials; every other material is checked by
finding each fact on its pages, not only by what a label reader made of them.

A value read under a label that agrees with the fact is confirmed; a fact found on the page replaces a
value the reader over- or under-captured ("我单位江苏…有限公司", "网站申请常…号"); a reader's value that
clearly differs while the fact is also printed elsewhere is a conflict for the instructor, not a defect.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from xinyong_desktop.domain import identifiers as ids
from xinyong_desktop.domain.model import (
    AGREEING,
    CONFIRMED,
    CORRECTED,
    STRONG,
    SURE_CHARACTER,
    FieldId,
    FieldValue,
    Kind,
    Material,
)
from xinyong_desktop.domain.text import normalize_name, same_decision_number
from xinyong_desktop.extract.find import NearCode, find_value, near_codes
from xinyong_desktop.extract.layout import PageText

# fact → the type used to search it
FACT_TYPES: dict[FieldId, str] = {
    FieldId.ENTERPRISE_NAME: "org",
    FieldId.USCC: "uscc",
    FieldId.LEGAL_REPRESENTATIVE: "person",
    FieldId.DECISION_NUMBER: "decision_number",
    FieldId.AGENT_NAME: "person",
}
# a fact also answers these fields of other materials (the payer of a fine is the enterprise)
ALSO: dict[FieldId, tuple[FieldId, ...]] = {FieldId.ENTERPRISE_NAME: (FieldId.PAYER_NAME,)}

CONFLICT = "conflict:"  # note: the page shows the fact and, in the field's role, another value


@dataclass(frozen=True)
class Fact:
    field: FieldId
    value: str
    source: Material


def same(fid: FieldId, a: str, b: str) -> bool:
    """Whether two readings of a field are one value (decision numbers as printed differently, codes by case)."""
    if fid == FieldId.DECISION_NUMBER:
        verdict = same_decision_number(a, b)
        return verdict if verdict is not None else normalize_name(a) == normalize_name(b)
    if fid in (FieldId.USCC, FieldId.ID_NUMBER):
        return a.upper() == b.upper()
    return normalize_name(a) == normalize_name(b)


def plausible(fid: FieldId, value: str) -> bool:
    """Whether a value looks like a value of its field at all — a name that ends like an organisation, a person
    named in 2–4 characters (or masked) — and not a label word or a fragment of a sentence.  A reading that does
    not is no evidence of a difference, however sure the recogniser was of its characters."""
    v = normalize_name(value)
    if v in _LABEL_WORDS or v.startswith(_CLAUSE_STARTS):
        return False
    if fid in (FieldId.ENTERPRISE_NAME, FieldId.PAYER_NAME):  # an organisation (a 个体户 may bear its operator's name)
        return (len(v) >= 4 and v.endswith(_ORG_ENDINGS)) or bool(_PERSON.fullmatch(v))
    if fid in (FieldId.LEGAL_REPRESENTATIVE, FieldId.ID_NAME, FieldId.AGENT_NAME):
        return bool(_PERSON.fullmatch(v))
    return True


# words a form prints as labels, and words that open a clause: a reading that is one is no value
_LABEL_WORDS = frozenset({"户名", "全称", "名称", "账号", "姓名", "单位", "付款人", "收款人", "缴款人", "开户行",
                          "开户银行", "当事人", "法定代表人", "负责人", "委托人", "受托人", "代理人", "申请人"})
_CLAUSE_STARTS = ("不服", "如不服", "可在", "应当", "未取得", "根据", "依据", "依照", "按照", "对于", "本机关", "本局")
_ORG_ENDINGS = ("公司", "厂", "店", "部", "中心", "合作社", "事务所", "所", "站", "场", "馆", "院", "社", "行", "室",
                "园", "会", "处", "局", "队", "校", "（普通合伙）", "（有限合伙）", "（个人独资）", "）")
_PERSON = re.compile(r"[\u4e00-\u9fff·]{2,5}|[\u4e00-\u9fff][*＊Xx×]{1,3}[\u4e00-\u9fff]?|[A-Za-z][A-Za-z .·-]{1,40}")


IMPLAUSIBLE = 0.5  # the confidence left to a reading that does not look like a value of its field


def doubt_implausible(materials: list[Material]) -> None:
    """A reading that is a label word, a clause or not shaped like its field ("账号" as the payer, "如不服本处罚
    决定" as the party) is kept for the instructor but never as a sure value: its confidence is lowered."""
    for m in materials:
        for fid, fv in list(m.fields.items()):
            if fv.confidence > IMPLAUSIBLE and fv.raw != CORRECTED and not plausible(fid, fv.value):
                m.fields[fid] = replace(fv, confidence=IMPLAUSIBLE)


def establish(materials: list[Material], sources: dict[FieldId, tuple[Kind, ...]]) -> dict[FieldId, Fact]:
    """Each fact from the first authoritative material that shows it surely (a valid code for the USCC)."""
    doubt_implausible(materials)
    facts: dict[FieldId, Fact] = {}
    for fid, kinds in sources.items():
        for kind in kinds:
            cands = [m for m in materials if m.kind == kind and m.value(fid)]
            cands = [m for m in cands if fid != FieldId.USCC or ids.is_valid_uscc(m.value(fid) or "")]
            cands.sort(key=lambda m: -m.fields[fid].confidence)
            if cands and (cands[0].fields[fid].confidence >= STRONG or _agreed(materials, cands[0], fid)):
                facts[fid] = Fact(fid, cands[0].value(fid) or "", cands[0])
                break
        else:
            continue
    return facts


def _agreed(materials: list[Material], m: Material, fid: FieldId) -> bool:
    """An unsure reading that another material's own reading repeats: two independent readings that agree
    (a licence scanned and a form; a decision's 落款 and a form's prose; each ≥ AGREEING) make it sure; its
    confidence is raised accordingly."""
    fv = m.fields[fid]
    if fv.confidence < AGREEING or not any(
            o is not m and fid in o.fields and o.fields[fid].confidence >= AGREEING
            and _same_value(fid, o.fields[fid].value, fv.value)
            for o in materials):
        return False
    m.fields[fid] = replace(fv, confidence=CONFIRMED)
    return True


def fact_sources(consistency: dict[FieldId, tuple[Kind, ...]]) -> dict[FieldId, tuple[Kind, ...]]:
    out = dict(consistency)
    out.setdefault(FieldId.AGENT_NAME, (Kind.AUTHORIZATION_LETTER,))
    return out


def reconcile(m: Material, pages: list[tuple[int, PageText]], facts: dict[FieldId, Fact],
              carried: set[FieldId]) -> None:
    """Check m's fields against the facts by finding them on its pages (m is changed in place).

    `carried` are the fields m's kind shows; only those are looked for.
    """
    for fid, fact in facts.items():
        if fact.source is m:
            continue
        for target in (fid, *ALSO.get(fid, ())):
            if target not in carried:
                continue
            _reconcile_one(m, pages, target, fact)


# characters a recogniser confuses on poor scans (shapes that differ by a stroke or a gap): a difference
# between such a pair may be a misreading however sure the recogniser is, so it never proves a misprint
_LOOKALIKE_PAIRS = {frozenset(p) for p in ("O0", "D0", "Q0", "I1", "L1", "Z2", "S5", "B8", "G6", "UV",
                                           "38", "17", "56", "CG", "EF", "MN", "PR")}




def printed_differently(pages: list[tuple[int, PageText]], ftype: str, known: str,
                        read: str | None = None) -> NearCode | None:
    """The case's code (or ID number) printed differently on an OCR'd page, surely: not found as it is, but
    found with a few characters changed (or, as `read` in the field's role, another code), at least one of
    which the recogniser is sure of and which is no look-alike of the known character (a 1 where the
    licence has a U is printed so; a 0 for a D may be a misreading)."""

    ocr = [(pno, pt) for pno, pt in pages if pt.source == "ocr"]
    if not ocr or find_value(pages, ftype, known) is not None:
        return None
    for near in near_codes(ocr, ftype, known, read=read):
        if any(conf >= SURE_CHARACTER and frozenset((a, b)) not in _LOOKALIKE_PAIRS for a, b, conf in near.diffs):
            return near
    return None


def _misprint(m: Material, pages: list[tuple[int, PageText]], target: FieldId, known: str) -> bool:
    """Put the code as printed on m (sure) when the page shows the case's code printed differently."""
    fv = m.fields.get(target)
    near = printed_differently(pages, "id_number" if target == FieldId.ID_NUMBER else FACT_TYPES[target], known,
                               fv.value if fv else None)
    if near is None:
        return False
    m.fields[target] = FieldValue(near.read, near.page, near.bbox, 0.92, near.read)
    return True


def _reconcile_one(m: Material, pages: list[tuple[int, PageText]], target: FieldId, fact: Fact) -> None:
    fv = m.fields.get(target)
    if fv is not None and same(fact.field, fv.value, fact.value):
        if fv.confidence < CONFIRMED:
            fv = m.fields[target] = replace(fv, confidence=max(fv.confidence, CONFIRMED if fv.confidence >= AGREEING
                                                               else STRONG))
        mine, known = _key(fact.field, fv.value), _key(fact.field, fact.value)
        if known in mine and known != mine:  # the same number read with words around it ("贵局常…号"): the number
            m.fields[target] = replace(fv, value=fact.value)
        return
    found = find_value(pages, FACT_TYPES[fact.field], fact.value)
    if found is None:
        if target == FieldId.USCC and m.text_source == "ocr":
            _misprint(m, pages, target, fact.value)  # the code not found as it is: printed differently?
        return
    overlaps = fv is not None and (_key(fact.field, fact.value) in _key(fact.field, fv.value)
                                   or _key(fact.field, fv.value) in _key(fact.field, fact.value))
    if fv is None or fv.confidence < STRONG or overlaps:
        # the payer is only the enterprise when the enterprise is what the receipt names: a name found
        # somewhere on a receipt (a memo "代…缴纳") is likely but not sure
        conf = CONFIRMED * found.conf if target == fact.field else 0.85 * found.conf
        m.fields[target] = FieldValue(fact.value, found.page, found.bbox, conf, "按案件事实在页面上找到")
        return
    m.notes.append(f"{CONFLICT}{target}")


def _key(fid: FieldId, v: str) -> str:
    from xinyong_desktop.extract.find import fold

    return fold(v, FACT_TYPES.get(fid, "org"))[0]


# ---------------------------------------------------------------- a decision's own facts, corroborated
_RESTATED = (FieldId.DECISION_DATE, FieldId.PENALTY_AUTHORITY, FieldId.DECISION_NUMBER, FieldId.FINE_AMOUNT)


def corroborate(decision: Material, pages: list[tuple[int, PageText]], restating: list[Material]) -> None:
    """The decision's date, authority, number and fine, checked against what the other materials restate (the
    forms, the letters, a receipt's reference to the decision).

    A value the decision's reader was unsure of (a 落款 under a seal, an OCR'd date) is confirmed when a form
    restates the same value; a value it could not read is taken from a form only when it is found printed on
    the decision itself — never from the form alone."""
    from xinyong_desktop.domain.text import find_dates

    for fid in _RESTATED:
        mine = decision.fields.get(fid)
        # a 落款 under its seal and the same date in a form's prose: two readings that agree
        if mine is not None and mine.confidence < CONFIRMED and _agreed([decision, *restating], decision, fid):
            continue
        claims = [m.fields[fid] for m in restating if fid in m.fields and m.fields[fid].confidence >= STRONG]
        if not claims:
            continue
        for claim in claims:
            if mine is not None and _same_value(fid, mine.value, claim.value):
                if mine.confidence < CONFIRMED:
                    decision.fields[fid] = replace(mine, confidence=CONFIRMED)
                break
            if mine is not None and mine.confidence >= STRONG:
                continue  # the decision says otherwise, surely: the engine's mismatch checks report it
            if fid == FieldId.DECISION_DATE:
                hit = None
                for pno, page in pages[-1:]:
                    for line in page.lines:
                        for d, s, e in find_dates(line.text):
                            if d.isoformat() == claim.value:
                                hit = FieldValue(claim.value, pno, line.span_bbox(s, e),
                                                 0.93 * line.span_conf(s, e), "按申请材料在决定书上找到")
                hit = hit or _date_under_seal(pages[-1:], claim.value)
                if hit:
                    decision.fields[fid] = hit
                    break
            elif fid in (FieldId.PENALTY_AUTHORITY, FieldId.DECISION_NUMBER):
                found = find_value(pages, "decision_number" if fid == FieldId.DECISION_NUMBER else "org", claim.value)
                if found:
                    decision.fields[fid] = FieldValue(claim.value, found.page, found.bbox, 0.93 * found.conf,
                                                      "按申请材料在决定书上找到")
                    break


_DIGITS_CN = str.maketrans("0123456789", "〇一二三四五六七八九")
UNDER_SEAL_SHARE = 0.7  # how much of the restated date a garbled 落款 date must show, in order


def _cn_date(iso: str) -> str:
    """2023-01-14 → 二〇二三年一月十四日, as decisions print their 落款 (cn2an for the month and the day)."""
    import cn2an

    y, m, d = iso.split("-")
    return f"{y.translate(_DIGITS_CN)}年{cn2an.an2cn(int(m))}月{cn2an.an2cn(int(d))}日"


def _date_under_seal(pages: list[tuple[int, PageText]], iso: str) -> FieldValue | None:
    """A 落款 date in Chinese numerals that the seal over it left partly unreadable ("二三年一十四日",
    "国三0二年九月七日") is the restated date when it shows most of that date's characters in their order and
    its day ends the same way: two readings that agree (the form's, sure, and the 落款's, partly seen), given at
    STRONG with the 落款 line as evidence — the form's restatement alone is never taken (see corroborate)."""
    from difflib import SequenceMatcher

    from xinyong_desktop.domain.text import find_dates

    y, mo, d = (int(x) for x in iso.split("-"))
    for pno, page in pages:
        for line in reversed(page.lines):
            raw = re.sub(r"\s", "", line.text)
            if not (5 <= len(raw) <= 14 and "年" in raw and raw.endswith("日")) or find_dates(line.text):
                continue  # not a date line, or a date read whole (then it says what it says)
            if re.search(r"[1-9]", raw):  # printed in figures: 2024年8月12日
                t, want = raw, f"{y}年{mo}月{d}日"
            else:
                t, want = raw.translate(str.maketrans("0OoО○零", "〇〇〇〇〇〇")), _cn_date(iso)
            day = want[want.index("月") + 1:]
            sm = SequenceMatcher(None, t, want, autojunk=False)
            shown = sum(b.size for b in sm.get_matching_blocks())
            if shown >= UNDER_SEAL_SHARE * len(want) and t.endswith(day[-2:]):
                return FieldValue(iso, pno, line.bbox, STRONG, "落款日期部分被印章遮挡，与申请材料所载日期相符")
    return None


def _same_value(fid: FieldId, a: str, b: str) -> bool:
    if fid == FieldId.FINE_AMOUNT:
        try:
            from decimal import Decimal

            return Decimal(a) == Decimal(b)
        except ArithmeticError:
            return False
    return same(fid, a, b)


def settle_id_numbers(materials: list[Material], page_texts: dict[str, list[PageText]]) -> None:
    """An OCR'd ID number that fails its check is compared with the ID cards' numbers: the page showing a
    card's number printed differently (`printed_differently`) means it is surely printed wrong."""
    cards = [c for m in materials if m.kind in (Kind.LEGAL_REP_ID, Kind.AGENT_ID)
             if (c := m.value(FieldId.ID_NUMBER)) and ids.is_valid_id_number(c)]
    for m in materials:
        fv = m.fields.get(FieldId.ID_NUMBER)
        if (fv is None or m.kind in (Kind.LEGAL_REP_ID, Kind.AGENT_ID) or m.text_source != "ocr"
                or ids.is_valid_id_number(fv.value) or m.path not in page_texts):
            continue
        texts = page_texts[m.path]
        pages = [(i, texts[i - 1]) for i in m.pages if 1 <= i <= len(texts)]
        for card in cards:
            if _misprint(m, pages, FieldId.ID_NUMBER, card):
                break
