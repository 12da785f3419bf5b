"""What the rules require of a case: its checklist, its publicity periods, full performance of the fine.

Required materials (the platform's own list, the office's additions, the authority's proof), eligibility
(minimum / maximum publicity periods, NECIPS categories), late payment (加处罚款), outdated templates, and the
one-line verdict that never says "可以提交" about a record whose maximum period is over.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from xinyong_desktop.domain.model import Code, FieldId, Finding, Kind, Material, Severity
from xinyong_desktop.domain.periods import Eligibility, eligibility
from xinyong_desktop.domain.text import decision_number_key
from xinyong_desktop.rules.assess import Assessment, RecordFacts, assess
from xinyong_desktop.rules.loader import RuleBook

E, R, W = Severity.ERROR, Severity.REVIEW, Severity.WARNING

# 行政处罚法 art. 72: 3 % of the fine a day once the 15 days after service are over, capped at the fine
PAYMENT_DAYS = 15
SURCHARGE_PER_DAY = Decimal("0.03")
PORTAL_DISCLAIMER = "以“信用中国”网站显示为准"


def required_materials(by_kind: dict[Kind, list[Material]], facts, fine: Decimal | None,
                       rules: RuleBook) -> list[Finding]:
    """MATERIAL_MISSING for every material of the case's checklist that is not in the packet."""
    out = []
    fine_imposed = fine is None or fine > 0
    extra = frozenset(facts.extra_required)
    for rule in rules.checklist(facts.record_severity, facts.applicant, facts.platform, fine_imposed, extra):
        if by_kind.get(rule.kind):
            continue
        why = "（本培训班要求）" if facts.platform not in rule.platforms else ""
        out.append(Finding(Code.MATERIAL_MISSING, E, f"缺少{rule.name}{why}。{rule.advice}", rule.kind))
    types = frozenset(facts.penalty_types or ())
    proof = rules.authority_proof
    if types and rules.penalties.needs_authority_proof(types) and not by_kind.get(proof.kind):
        out.append(Finding(Code.MATERIAL_MISSING, E, f"缺少{proof.name}。{proof.advice}", proof.kind))
    return out


def record_number_findings(materials: list[Material], facts, rules: RuleBook) -> list[Finding]:
    """Each per-record material must name *this* case's decision number (one 承诺书 per penalty record)."""
    want = getattr(facts, "decision_number", None)
    key = decision_number_key(want) if want else None
    if not key:
        return []
    out = []
    for m in materials:
        got = m.value(FieldId.DECISION_NUMBER)
        if not got or m.kind == Kind.OTHER or rules.materials[m.kind].scope != "record":
            continue
        if (decision_number_key(got) or got) != key:
            fv = m.fields[FieldId.DECISION_NUMBER]
            out.append(Finding(Code.DECISION_NUMBER_MISMATCH, E,
                               f"{rules.materials[m.kind].name}中的文号“{got}”不是本案处罚记录的文号（{want}）。"
                               "每条处罚记录须单独提交材料，请使用写明本案文号的材料。",
                               m.kind, FieldId.DECISION_NUMBER, m.path, fv.page))
    return out


def record_facts(decision_date: dt.date, facts, rules: RuleBook, fine: Decimal | None = None,
                 authority: str = "") -> RecordFacts:
    """What the rules need to know about the case's record: severity only when it was given (never assumed)."""
    assumed = set(getattr(facts, "assumed", ()) or ())
    types = frozenset(getattr(facts, "penalty_types", None) or ())
    text = (getattr(facts, "penalty_text", "") or "") + " " + authority
    types |= rules.penalties.types_in(getattr(facts, "penalty_text", "") or "")
    if fine is not None and fine > 0:
        types |= {"fine"}
    platform = facts.platform
    if "platform" in assumed:
        platform = rules.penalties.propose_platform(authority, decision_date) or "creditchina"
    severity = None if "record_severity" in assumed else facts.record_severity
    return RecordFacts(decision_date, severity, "unknown" if severity is None else "given", platform, types, fine,
                       text, getattr(facts, "published_on", None), bool(getattr(facts, "natural_person", False)),
                       getattr(facts, "province", "") or None)


def case_eligibility(decision_date: dt.date, facts, as_of: dt.date, rules: RuleBook,
                     fine: Decimal | None = None, authority: str = "") -> Eligibility:
    return assess(rules, record_facts(decision_date, facts, rules, fine, authority), as_of).eligibility


def _authority(materials: list[Material] | None) -> str:
    for m in materials or []:
        if m.kind == Kind.PENALTY_DECISION and m.value(FieldId.PENALTY_AUTHORITY):
            return m.value(FieldId.PENALTY_AUTHORITY) or ""
    return ""


def eligibility_findings(decision_date: dt.date | None, facts, as_of: dt.date, rules: RuleBook,
                         fine: Decimal | None = None,
                         materials: list[Material] | None = None) -> tuple[list[Finding], dt.date | None]:
    """NOT_YET_ELIGIBLE / NOT_REPAIRABLE / NO_REPAIR_NEEDED for the case's record, and eligible_from.

    A fact the case does not give (severity, platform; the province's small-fine standard) is never assumed:
    when the candidates differ, the finding is ``review`` with every candidate's dates and no eligible_from."""
    if decision_date is None:
        return [], None
    authority = _authority(materials)
    rec = record_facts(decision_date, facts, rules, fine, authority)
    a = assess(rules, rec, as_of)
    el = a.eligibility
    note = f"（{el.note}）" if el.note else ""
    counted = {"decision": f"处罚决定日期 {decision_date.isoformat()}",
               "publication": f"公示日期 {el.start.isoformat()}",
               "estimated_publication": f"估算公示日期 {el.start.isoformat()}"}[el.start_basis]
    out = []
    if "platform" in (getattr(facts, "assumed", ()) or ()) and rec.platform == "necips":
        out.append(Finding(Code.NOT_YET_ELIGIBLE, R,
                           f"未提供公示平台：处罚机关“{authority}”为市场监管（药监）部门，处罚于2026年4月1日前作出，"
                           "建议按国家企业信用信息公示系统的规定办理（待确认），请在该系统查询。"))
    if rec.platform == "necips":
        out += _art14_findings(facts, rules, a)
    if not a.firm:
        out.append(Finding(Code.NOT_YET_ELIGIBLE, R,
                           "公示期取决于未确认的事实，请核对后确认：" + "；".join(a.notes) + note + "。"))
        return out, None
    status = a.status
    sector_guess = _sector_only_guessed(a, facts, as_of, rules)
    if status == "not_yet" and sector_guess is not None:
        assert el.eligible_from is not None
        out.append(Finding(Code.NOT_YET_ELIGIBLE, R,
                           f"{a.ruleset.title}对食品、药品、特种设备、安全生产、消防领域的行政处罚规定最短公示期1年："
                           f"属该领域的，{counted}，自 {el.eligible_from.isoformat()} 起方可申请信用修复；不属该领域的，"
                           f"自 {sector_guess.isoformat()} 起即可申请。处罚所属领域按处罚机关名称推断，请按处罚内容确认"
                           f"（{rules.portal_disclaimer}）{note}。"))
    elif status == "not_yet":
        assert el.eligible_from is not None  # "not yet" always has the date it ends
        out.append(Finding(Code.NOT_YET_ELIGIBLE, E,
                           f"最短公示期未满：{counted}，自 {el.eligible_from.isoformat()} 起方可申请信用修复{note}。"))
    elif status == "not_repairable":
        out.append(Finding(Code.NOT_REPAIRABLE, E,
                           f"该处罚信息按规定不得提前终止公示，将于 {el.last_published_day.isoformat()} 公示期满后"
                           f"自动停止公示，期满前无法申请信用修复{note}。"))
    elif status == "withdrawn":
        out.append(Finding(Code.NO_REPAIR_NEEDED, W, withdrawn_message(el, counted)))
    elif status == "not_published":
        out.append(Finding(Code.NO_REPAIR_NEEDED, W,
                           "按简易程序作出的行政处罚和警告不予公示（《市场监督管理行政处罚信息公示规定》第二条），"
                           "无需申请信用修复；请先在国家企业信用信息公示系统查询该信息是否公示。"))
    elif status == "minor_unpublished":
        out.append(Finding(Code.NO_REPAIR_NEEDED, W,
                           "轻微失信行为的行政处罚信息原则上不公示（第36号令）：请先在“信用中国”网站查询该信息是否公示；"
                           "已公示的，履行义务后即可申请信用修复。"))
    for n in a.notes:
        if a.differs or "待确认" in n:
            out.append(Finding(Code.NOT_YET_ELIGIBLE, W, n + "。"))
    return out, el.eligible_from if status in ("eligible", "not_yet") else None


def _sector_only_guessed(a: Assessment, facts, as_of: dt.date, rules: RuleBook) -> dt.date | None:
    """Order 58's longer minimum for five sectors, when the record's sector is only inferred from the authority's
    name (the instructor's 处罚内容 names no sector) and the ordinary minimum is already over: the date the record
    could be repaired outside those sectors.  "Not yet" then rests on a guess and the source's own article text
    is not confirmed (periods.toml): the instructor confirms, the portal decides.  None otherwise."""
    if a.category != "special_sectors" or "all" not in a.ruleset.periods:
        return None
    if a.ruleset.in_sector(getattr(facts, "penalty_text", "") or ""):
        return None  # the penalty's own text names the sector: not a guess
    el = a.eligibility
    plain = eligibility(el.start, a.ruleset.periods["all"], rules.day_counting, el.start_basis)
    if plain.status(as_of) != "eligible":
        return None
    # the record's given severity under the rules that class by severity (Order 36): a serious record waits a
    # year there too, so "not yet" then rests on no guess
    severity = None if "record_severity" in (getattr(facts, "assumed", ()) or ()) else facts.record_severity
    classed = [r for r in rules.rulesets if r.platform == a.ruleset.platform and r.by_severity]
    if severity is not None and classed:
        rs = max(classed, key=lambda r: r.valid_from)
        by_severity = eligibility(el.start, rs.periods[rs.category(severity)], rules.day_counting, el.start_basis)
        if by_severity.status(as_of) != "eligible":
            return None
    return plain.eligible_from


def _art14_findings(facts, rules: RuleBook, a: Assessment) -> list[Finding]:
    """NECIPS 第十四条: the conditions asked on the case — an answer "no" is an error, no answer a reminder."""
    if a.status not in ("eligible", "not_yet"):
        return []
    conds = rules.penalties.conditions
    answers = tuple(getattr(facts, "art14", ()) or ())
    out = []
    failed = [c for c, ans in zip(conds, answers, strict=False) if ans is False]
    unasked = [c for i, c in enumerate(conds) if i >= len(answers) or answers[i] is None]
    if failed:
        out.append(Finding(Code.NOT_REPAIRABLE, E, "不符合国家企业信用信息公示系统信用修复条件："
                           + "；".join(failed) + f"（{rules.penalties.conditions_source}）。"))
    if unasked:
        out.append(Finding(Code.NOT_REPAIRABLE, W, "请向企业确认并在案件中记录："
                           + "；".join(unasked) + f"（{rules.penalties.conditions_source}）。"))
    return out


def withdrawn_message(el: Eligibility, counted: str = "") -> str:
    """After the maximum period: publication should have ended — the portal's display decides."""
    since = f"（{counted}）" if counted else ""
    return (f"最长公示期已于 {el.last_published_day.isoformat()} 届满{since}，该行政处罚信息应已终止公示，"
            f"{PORTAL_DISCLAIMER}。失信行为未纠正或法定义务未履行完毕的，按行业主管部门的规定处理，"
            "请先在“信用中国”网站查询该信息是否仍在公示，再决定是否申请信用修复。")


def late_payment(by_kind: dict[Kind, list[Material]], decision_date: dt.date | None,
                 fine: Decimal | None) -> list[Finding]:
    """A fine paid more than 15 days after the decision (service date unknown) may owe 加处罚款."""
    proofs = [m for m in by_kind.get(Kind.PAYMENT_PROOF, []) if m.value(FieldId.PAYMENT_DATE)]
    if decision_date is None or not fine or fine <= 0 or not proofs:
        return []
    last = max(proofs, key=lambda m: m.value(FieldId.PAYMENT_DATE) or "")  # proofs all have a payment date
    paid_on = dt.date.fromisoformat(last.value(FieldId.PAYMENT_DATE) or "")
    late_days = (paid_on - (decision_date + dt.timedelta(days=PAYMENT_DAYS))).days
    if late_days <= 0:
        return []
    amount = surcharge(fine, late_days)
    fv = last.fields[FieldId.PAYMENT_DATE]
    return [Finding(Code.LATE_PAYMENT, W,
                    f"罚款缴纳日期 {paid_on.isoformat()} 距处罚决定日期 {decision_date.isoformat()} 已超过 {PAYMENT_DAYS} 日"
                    f"（送达日期不详，按决定日期计算，逾期 {late_days} 日）。依《行政处罚法》第七十二条，逾期缴纳罚款的每日按"
                    f"罚款数额的3%加处罚款，加处罚款不超过罚款数额，按此计算可能为 {amount:.2f} 元。请核实是否已缴纳加处罚款"
                    "（以送达日期为准）；未缴清的，法定义务尚未履行完毕。经处罚机关批准暂缓或者分期缴纳的，按批准的期限计算"
                    "（第六十六条第二款）；申请行政复议或者提起行政诉讼的，复议、诉讼期间不计算加处罚款（第七十三条第三款）。",
                    Kind.PAYMENT_PROOF, FieldId.PAYMENT_DATE, last.path, fv.page)]


def surcharge(fine: Decimal, late_days: int) -> Decimal:
    """加处罚款: 3 % of the fine per day late, never more than the fine itself."""
    if late_days <= 0:
        return Decimal("0.00")
    return min(fine, fine * SURCHARGE_PER_DAY * late_days).quantize(Decimal("0.01"), ROUND_HALF_UP)


def outdated_templates(materials: list[Material], rules: RuleBook) -> list[Finding]:
    """OUTDATED_TEMPLATE for every material whose title is a superseded template's (outdated.toml)."""
    out = []
    for m in materials:
        for note in m.notes:
            if note.startswith("outdated:"):
                what = "该文件" if m.kind == Kind.OTHER else rules.materials[m.kind].name
                out.append(Finding(Code.OUTDATED_TEMPLATE, W,
                                   f"{what}的标题为“{note[9:]}”，是旧规则下的材料或模板，现行规则不再要求，"
                                   "请改用“信用中国”网站现行模板。", m.kind, None, m.path, m.pages[0] if m.pages else None))
    return out


def verdict(ready: bool, findings: Iterable[Finding]) -> str:
    """The one-line result: never "可以提交" for a record whose maximum publicity period is over."""
    gone = [f for f in findings if str(f.code) == Code.NO_REPAIR_NEEDED]
    if any("不予公示" in f.message for f in gone):
        return "简易程序或警告的处罚不予公示，无需申请信用修复（请先在国家企业信用信息公示系统查询）"
    if any("原则上不公示" in f.message for f in gone):
        return f"轻微失信行为的处罚信息原则上不公示（{PORTAL_DISCLAIMER}），请先查询再决定是否申请"
    if gone:
        return f"已达最长公示期，该信息应已终止公示（{PORTAL_DISCLAIMER}），请先查询再决定是否申请"
    return "可以提交" if ready else "暂不能提交"
