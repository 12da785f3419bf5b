"""One penalty record under the rules: which rule set gives its minimum and its maximum (Order 58 / Order 36 /
NECIPS), its dates, its status, and — when a fact is not known (severity, the province's small-fine threshold,
the penalty's types) — every candidate outcome instead of a guessed one.

Nothing here states a firm date from a guess: ``Assessment.firm`` is False whenever the candidates differ, and
letters then print each candidate with its condition.  Wherever the two regimes give other dates for a record
decided before 2026-04-01, ``notes`` say so and end with "以“信用中国”网站显示为准".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.domain.periods import Eligibility, Period, add_working_days, eligibility
from xinyong_desktop.rules.loader import RuleBook, RuleSet

SEVERITY_CN = {RecordSeverity.MINOR: "轻微", RecordSeverity.GENERAL: "一般", RecordSeverity.SERIOUS: "严重"}
NECIPS_CN = {"not_published": "不予公示", "light": "通报批评或较低数额罚款", "standard": "其他行政处罚",
             "special_sectors": "食品、药品、特种设备领域的行政处罚", "not_early": "不得提前停止公示的行政处罚"}
STATUS_CN = {"not_yet": "未到最短公示期", "eligible": "可申请修复", "withdrawn": "已达最长公示期",
             "not_repairable": "不得提前终止公示（期满自动停止公示）", "not_published": "不予公示",
             "minor_unpublished": "原则上不公示 — 先查询网站", "to_confirm": "待确认（公示期取决于未确认的事实）"}


@dataclass(frozen=True)
class RecordFacts:
    """What is known about one penalty record; ``severity`` None = not known (never assumed)."""

    decision_date: dt.date
    severity: RecordSeverity | None = None
    severity_source: str = "given"  # given | proposed (待确认) | unknown
    platform: str = "creditchina"
    penalty_types: frozenset[str] = frozenset()
    fine_yuan: Decimal | None = None
    text: str = ""  # 处罚类别 / 处罚内容 and the authority's name: sector words, restriction periods, province
    published_on: dt.date | None = None
    natural_person: bool = False
    province: str | None = None


@dataclass(frozen=True)
class Option:
    """One candidate outcome: its label (the fact it assumes), dates and status."""

    label: str
    eligibility: Eligibility
    status: str


@dataclass(frozen=True)
class Assessment:
    eligibility: Eligibility  # the dates counted with: the only option, or the latest of the candidates
    status: str  # not_yet | eligible | withdrawn | not_repairable | not_published | minor_unpublished | to_confirm
    ruleset: RuleSet  # the rule set of the minimum
    max_ruleset: RuleSet  # the rule set of the maximum
    category: str  # periods key (severity, all / special_sectors, a NECIPS category); "" when undecided
    options: tuple[Option, ...] = ()  # more than one: the dates depend on a fact not confirmed
    notes: tuple[str, ...] = ()
    differs: bool = False  # the regimes give other dates: the portal's display decides
    period: Period | None = None

    @property
    def firm(self) -> bool:
        return len(self.options) <= 1

    @property
    def eligible_from(self) -> dt.date | None:
        return self.eligibility.eligible_from

    @property
    def withdrawn_on(self) -> dt.date:
        return self.eligibility.withdrawn_on

    def candidates_text(self) -> str:
        """"如属一般失信行为，自…起可申请；如属严重失信行为，自…起可申请" — for a record not firm."""
        return "；".join(f"如属{o.label}，{option_sentence(o)}" for o in self.options)


def cn_date(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def option_sentence(o: Option) -> str:
    el = o.eligibility
    if o.status == "not_published":
        return "不予公示"
    if o.status == "minor_unpublished":
        return "原则上不公示（如已公示，履行义务后即可申请）"
    if el.eligible_from is None:
        return f"不得提前终止公示，{cn_date(el.last_published_day)}期满自动停止公示"
    return f"自{cn_date(el.eligible_from)}起可申请信用修复，最长公示至{cn_date(el.last_published_day)}"


def _status(el: Eligibility, as_of: dt.date, category: str, platform: str) -> str:
    if platform == "necips" and category == "not_published":
        return "not_published"
    if not el.published:  # Order 36 轻微: in principle not published — look on the portal first
        return "minor_unpublished"
    return el.status(as_of)


def _latest(options: list[Option], as_of: dt.date, category: str, platform: str) -> tuple[Eligibility, str]:
    """The conservative dates of several candidates: the latest start of repair, the latest end of publication."""
    if len(options) == 1:
        return options[0].eligibility, options[0].status
    els = [o.eligibility for o in options]
    never = [e for e in els if e.eligible_from is None]
    eligible = None if never else max(e.eligible_from for e in els if e.eligible_from)
    withdrawn = max(e.withdrawn_on for e in els)
    first = els[0]
    el = Eligibility(eligible, withdrawn, first.start, first.start_basis, all(e.published for e in els), first.note)
    if all(o.status == options[0].status for o in options):
        return el, options[0].status
    return el, "to_confirm"  # the status depends on the fact to confirm: never stated


def _short(rs: RuleSet) -> str:
    """"第58号令" / "第36号令" / "527号" from a rule set's title (its id when none is found)."""
    for key in ("第58号", "第36号", "527号", "第45号"):
        if key in rs.title:
            return key + ("令" if key.startswith("第") else "文")
    return rs.title


def assess(rules: RuleBook, rec: RecordFacts, as_of: dt.date) -> Assessment:
    if rec.platform == "necips":
        return _necips(rules, rec, as_of)
    return _creditchina(rules, rec, as_of)


def _creditchina(rules: RuleBook, rec: RecordFacts, as_of: dt.date) -> Assessment:
    rs_dec = rules.ruleset_for(rec.decision_date, rec.platform)
    rs_now = rules.ruleset_for(max(as_of, rec.decision_date), rec.platform)
    rs_min = rs_dec if rules.transition_minimum == "decision_date" else rs_now
    rs_max = rs_dec if rules.transition_maximum == "decision_date" else rs_now
    severities: list[RecordSeverity | None] = [rec.severity] if rec.severity is not None else (
        [RecordSeverity.GENERAL, RecordSeverity.SERIOUS] if rs_min.by_severity or rs_max.by_severity else [None])

    def dates(sev: RecordSeverity | None, lo: RuleSet, hi: RuleSet) -> Eligibility:
        a = rules.eligibility(rec.decision_date, sev or RecordSeverity.SERIOUS, as_of, rec.platform, text=rec.text,
                              ruleset=lo)
        if hi is lo:
            return a
        b = rules.eligibility(rec.decision_date, sev or RecordSeverity.SERIOUS, as_of, rec.platform, text=rec.text,
                              ruleset=hi)
        return Eligibility(a.eligible_from, b.withdrawn_on, a.start, a.start_basis, a.published)

    options: list[Option] = []
    for sev in severities:
        el = dates(sev, rs_min, rs_max)
        label = (f"{SEVERITY_CN[sev]}失信行为" if sev is not None and (rs_min.by_severity or rs_max.by_severity)
                 else "")
        options.append(Option(label, el, _status(el, as_of, "", rec.platform)))
    # candidates that give the same dates are one outcome (Order 58 has no severity classes)
    uniq: dict[tuple, Option] = {}
    for o in options:
        uniq.setdefault((o.eligibility.eligible_from, o.eligibility.withdrawn_on, o.eligibility.published), o)
    options = list(uniq.values())
    category = rs_min.category(severities[0] if len(severities) == 1 else None, None, rec.text) \
        if len(options) == 1 else ""
    el, status = _latest(options, as_of, category, rec.platform)
    notes: list[str] = []
    if len(options) > 1:
        notes.append("失信程度未确认，按各失信程度分别计算：" + "；".join(
            f"{o.label}{option_sentence(o)}" for o in options) + f"（失信程度{rules.portal_disclaimer}）")
    elif rec.severity_source == "proposed" and rec.severity is not None and (rs_min.by_severity or rs_max.by_severity):
        notes.append(f"失信程度按处罚种类和金额建议为“{SEVERITY_CN[rec.severity]}”，待确认（{rules.portal_disclaimer}）")
    # the other regime (a record decided before 2026-04-01 and checked after): where its dates differ, say so
    differs = False
    alt_lo = rs_now if rs_min is rs_dec else rs_dec
    alt_hi = rs_now if rs_max is rs_dec else rs_dec
    if alt_lo is not rs_min or alt_hi is not rs_max:
        alt_sevs = severities if (alt_lo.by_severity or alt_hi.by_severity) and rec.severity is not None else (
            [RecordSeverity.GENERAL, RecordSeverity.SERIOUS] if alt_lo.by_severity or alt_hi.by_severity else [None])
        bits = []
        for sev in alt_sevs:
            alt = dates(sev, alt_lo, alt_hi)
            who = f"{SEVERITY_CN[sev]}失信行为" if sev is not None and (alt_lo.by_severity or alt_hi.by_severity) else ""
            if alt.eligible_from != el.eligible_from and alt_lo is not rs_min:
                bits.append(f"按{_short(alt_lo)}，{who}" + (f"自{cn_date(alt.eligible_from)}起可申请" if alt.eligible_from
                                                         else "不得提前终止公示"))
            if alt.withdrawn_on != el.withdrawn_on and alt_hi is not rs_max:
                verb = "已于" if alt.withdrawn_on <= as_of else "将于"
                bits.append(f"按{_short(alt_hi)}，{who}最长公示期{verb}{cn_date(alt.last_published_day)}届满")
        if bits:
            differs = True
            notes.append(f"该处罚于{cn_date(rec.decision_date)}作出：" + "；".join(dict.fromkeys(bits))
                         + f"。两种规定结果不同，{rules.portal_disclaimer}")
    serious = _serious_as_shown(rules, rec, rs_min, el, as_of)
    if serious is not None:
        el = serious  # its note says both dates (the finding and the letters print it)
        status = _status(el, as_of, category, rec.platform)
        differs = True
    period = rs_min.periods[category] if category else None
    return Assessment(el, status, rs_min, rs_max, category, tuple(options), tuple(notes), differs, period)


def _serious_as_shown(rules: RuleBook, rec: RecordFacts, rs_min: RuleSet, el: Eligibility,
                      as_of: dt.date) -> Eligibility | None:
    """A record the instructor enters as 严重 (as the portal shows it) under a regime without severity classes
    (Order 58): the portal classes it serious, so it may hold it for the serious minimum of the rules that class by
    severity.  The later date is given — applying a day late costs nothing, a day early is refused — and the note
    says both.  None when the record is not such a case or the dates agree."""
    if rec.severity != RecordSeverity.SERIOUS or rec.severity_source != "given" or rs_min.by_severity:
        return None
    classed = [r for r in rules.rulesets if r.platform == rec.platform and r.by_severity and r.count_from == rs_min.count_from]
    if not classed or el.eligible_from is None:
        return None
    rs = max(classed, key=lambda r: r.valid_from)
    ser = rules.eligibility(rec.decision_date, RecordSeverity.SERIOUS, as_of, rec.platform, text=rec.text, ruleset=rs)
    if ser.eligible_from is None or ser.eligible_from <= el.eligible_from:
        return None
    note = (f"该处罚信息显示为严重失信行为：按严重失信行为的最短公示期（{_short(rs)}）自{cn_date(ser.eligible_from)}起"
            f"方可申请；{_short(rs_min)}不分失信程度，按该令自{cn_date(el.eligible_from)}起即可申请。"
            f"按较晚的日期办理，{rules.portal_disclaimer}")
    return Eligibility(ser.eligible_from, el.withdrawn_on, el.start, el.start_basis, el.published, note)


def _necips(rules: RuleBook, rec: RecordFacts, as_of: dt.date) -> Assessment:
    rs = rules.ruleset_for(as_of, "necips")
    pen = rules.penalties
    notes: list[str] = []
    types = rec.penalty_types
    if not types and rec.fine_yuan is not None and rec.fine_yuan > 0:
        types = frozenset({"fine"})
        notes.append("处罚种类未知，按罚款判断（待确认）")
    cat = pen.necips(types, rec.fine_yuan, rec.text, rec.natural_person, rec.province)
    if cat.category is not None:
        cats: tuple[str, ...] = (cat.category,)
    elif cat.candidates:
        cats = cat.candidates
    else:  # NECIPS has no severity classes: without the penalty's types its category is not known
        cats = ("light", "standard")
        notes.append("处罚种类未知，无法判断国家企业信用信息公示系统的公示期（待确认）")
    if cat.note:
        notes.append(cat.note)
    if rec.published_on is not None:
        start, basis, note = rec.published_on, "publication", ""
    else:
        start = add_working_days(rec.decision_date, rs.publication_lag_working_days)
        basis = "estimated_publication"
        note = (f"未提供公示日期，按处罚决定日期后 {rs.publication_lag_working_days} 个工作日（{start.isoformat()}）"
                "估算公示之日，以国家企业信用信息公示系统显示的公示日期为准")
    options = []
    period = None
    for c in cats:
        period = rs.periods[c]
        if c == "not_early" and cat.restriction_months and cat.restriction_months > period.max_months:
            period = Period(None, cat.restriction_months, True, pen.duration_source)
            notes.append(f"限制期限 {cat.restriction_months // 12} 年，长于3年，按实际期限公示（{pen.duration_source}）")
        el = eligibility(start, period, rules.day_counting, basis, note)
        options.append(Option(NECIPS_CN[c], el, _status(el, as_of, c, "necips")))
    category = cats[0] if len(cats) == 1 else ""
    el, status = _latest(options, as_of, category, "necips")
    if len(options) > 1:
        notes.append("按各类别分别计算：" + "；".join(f"{o.label}{option_sentence(o)}" for o in options))
    return Assessment(el, status, rs, rs, category, tuple(options), tuple(notes), False,
                      period if category else None)
