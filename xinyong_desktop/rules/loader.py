"""Load and validate resources/rules/*.toml; an edit that breaks them fails with the file and key named."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from xinyong_desktop.domain.model import Applicant, FieldId, Kind, RecordSeverity
from xinyong_desktop.domain.periods import DAY_COUNTINGS, Eligibility, Period, add_working_days, eligibility
from xinyong_desktop.resources import resource_path
from xinyong_desktop.rules.penalties import NECIPS_CATEGORIES, PenaltyRules, load_penalty_rules
from xinyong_desktop.rules.reader import Reader as _Reader
from xinyong_desktop.rules.reader import RuleError
from xinyong_desktop.rules.reader import load_toml as _load_toml

__all__ = ["RuleBook", "RuleError", "load_rules", "default_rules", "MaterialRule", "RuleSet"]

FIELD_TYPES = {"org", "person", "name", "uscc", "id_number", "decision_number", "date", "amount", "phone", "authority"}
PLATFORMS = {"creditchina", "necips"}
READ_KINDS = {k.value for k in Kind} - {"legal_rep_id", "agent_id", "other"} | {"id_card"}
WHENS = (None, "fine_imposed", "other_penalty_types")


@dataclass(frozen=True)
class RuleSet:
    id: str
    platform: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    periods: dict[str, Period]  # category (a severity for NDRC sets) → periods
    outdated: bool = False
    source: str = ""
    count_from: str = "decision"  # decision | publication
    publication_lag_working_days: int = 0
    publication_lag_source: str = ""
    severity_map: dict[str, str] = field(default_factory=dict)  # severity → category (NECIPS)
    classes: str = "severity"  # severity | sector (Order 58: no severity classes) | necips
    sector_words: tuple[str, ...] = ()
    sector_source: str = ""

    def category(self, severity: RecordSeverity | None, category: str | None = None, text: str = "") -> str:
        """The periods' key for a record: its NECIPS category, its sector (Order 58) or its severity."""
        if category and category in self.periods:
            return category
        if self.classes == "sector":
            return "special_sectors" if self.in_sector(text) else "all"
        sev = (severity or RecordSeverity.SERIOUS).value
        return self.severity_map.get(sev, sev)

    def in_sector(self, text: str) -> bool:
        return any(w in (text or "") for w in self.sector_words)

    @property
    def by_severity(self) -> bool:
        """The record's severity decides its periods (not under Order 58, not on NECIPS)."""
        return self.classes == "severity"


@dataclass(frozen=True)
class MaterialRule:
    kind: Kind
    name: str
    role: str  # submission | reference
    severities: frozenset[RecordSeverity]
    applicants: frozenset[Applicant]
    when: str | None
    required_fields: tuple[FieldId, ...]
    seal: bool
    signature: bool
    advice: str
    platforms: frozenset[str] = frozenset(PLATFORMS)
    scope: str = "record"  # record | enterprise
    source: str = ""
    class_default: frozenset[RecordSeverity] = frozenset()  # the office's default addition, for these severities
    class_default_source: str = ""

    @property
    def submission(self) -> bool:
        return self.role == "submission"

    def required_for(self, severity: RecordSeverity, applicant: Applicant, fine_imposed: bool,
                     platform: str = "creditchina", extra: frozenset[Kind] | tuple = ()) -> bool:
        """On the platform's own checklist for this case, or added by the office (``extra``)."""
        if severity not in self.severities or applicant not in self.applicants:
            return False
        if self.when == "fine_imposed" and not fine_imposed:
            return False
        return platform in self.platforms or self.kind in extra


@dataclass(frozen=True)
class AuthorityProof:
    """Proof from the penalty authority when the penalty includes types beyond 罚款/没收/警告."""

    kind: Kind
    name: str
    advice: str
    source: str


@dataclass(frozen=True)
class HighFrequencyRule:
    id: str
    name: str
    count: int
    window_months: int
    source: str
    counts_listings: bool = False  # listings in a dishonesty list count as records too (the national criterion)


@dataclass(frozen=True)
class KindReading:
    kind: str
    titles: tuple[str, ...]
    keywords: tuple[str, ...]
    fields: tuple[FieldId, ...]
    labels: dict[FieldId, tuple[str, ...]]
    outdated: tuple[str, ...]
    not_titles: tuple[str, ...] = ()  # look-alike titles: a page so titled is not this kind
    structure: tuple[tuple[str, ...], ...] = ()  # groups of words: a page of this kind shows all of one group


@dataclass(frozen=True)
class FieldReading:
    field: FieldId
    type: str
    labels: tuple[str, ...]
    prose: tuple[str, ...]
    strong_prose: tuple[str, ...] = ()  # patterns whose value is bounded on both sides by the text's structure


@dataclass(frozen=True)
class RuleBook:
    rulesets: tuple[RuleSet, ...]
    day_counting: str
    day_counting_source: str
    soon_days: int
    materials: dict[Kind, MaterialRule]
    consistency: dict[FieldId, tuple[Kind, ...]]
    authority_proof: AuthorityProof
    high_frequency: tuple[HighFrequencyRule, ...]
    penalties: PenaltyRules
    kinds: dict[str, KindReading]
    fields: dict[FieldId, FieldReading]
    outdated_titles: tuple[str, ...]
    seal_labels: tuple[str, ...]
    signature_labels: tuple[str, ...]
    source_dir: Path = field(default=Path("."))
    outdated_sources: tuple[tuple[str, str], ...] = ()
    transition_minimum: str = "decision_date"  # decision_date | current
    transition_maximum: str = "decision_date"
    transition_source: str = ""
    portal_disclaimer: str = "以“信用中国”网站显示为准"

    def ruleset_for(self, day: dt.date, platform: str = "creditchina") -> RuleSet:
        cands = [r for r in self.rulesets if r.platform == platform and r.valid_from <= day
                 and (r.valid_to is None or day <= r.valid_to)]
        if not cands:
            cands = [r for r in self.rulesets if r.platform == platform]
            if not cands:
                raise RuleError(f"periods.toml: 没有平台 {platform} 的规则集")
            # before the first rule set: use the earliest; after a gap: the latest that started
            earlier = [r for r in cands if r.valid_from <= day]
            return max(earlier, key=lambda r: r.valid_from) if earlier else min(cands, key=lambda r: r.valid_from)
        return max(cands, key=lambda r: r.valid_from)

    def eligibility(self, decision_date: dt.date, severity: RecordSeverity, as_of: dt.date,
                    platform: str = "creditchina", published_on: dt.date | None = None,
                    category: str | None = None, text: str = "", ruleset: RuleSet | None = None) -> Eligibility:
        """When a record may be repaired and when its publication ends under ONE rule set (by default the one in
        force on as_of; ``rules.assess`` chooses between the regimes and says where they differ).

        NECIPS counts from the publication date; without it, from decision date + the publication lag
        (working days), which is said in the note."""
        rs = ruleset or self.ruleset_for(as_of, platform)
        period = rs.periods[rs.category(severity, category, text)]
        if rs.count_from != "publication":
            return eligibility(decision_date, period, self.day_counting, "decision")
        if published_on is not None:
            return eligibility(published_on, period, self.day_counting, "publication")
        start = add_working_days(decision_date, rs.publication_lag_working_days)
        note = (f"未提供公示日期，按处罚决定日期后 {rs.publication_lag_working_days} 个工作日（{start.isoformat()}）"
                "估算公示之日，请以国家企业信用信息公示系统显示的公示日期为准")
        return eligibility(start, period, self.day_counting, "estimated_publication", note)

    def checklist(self, severity: RecordSeverity, applicant: Applicant, platform: str = "creditchina",
                  fine_imposed: bool = True, extra: frozenset[Kind] | tuple = ()) -> list[MaterialRule]:
        """The materials this case needs: the platform's own list plus the office's additions, in file order."""
        return [m for m in self.materials.values() if m.kind != Kind.OTHER
                and m.required_for(severity, applicant, fine_imposed, platform, frozenset(extra))]

    def class_default_extra(self, severity: RecordSeverity) -> tuple[Kind, ...]:
        """The materials a class requires besides the platform's list when nobody said otherwise (materials.toml
        ``class_default``): what the desk's class setting starts from and what case.json without
        ``extra_required`` gets."""
        return tuple(m.kind for m in self.materials.values() if severity in m.class_default)

    def sources(self) -> list[tuple[str, str, str]]:
        """(group, rule, source) for every rule that carries one: what the desk's rule view lists."""
        out = [("期限计算", "日期计算方法" + ("（民法典）" if self.day_counting == "civil_code" else "（周年日）"),
                self.day_counting_source),
               ("期限计算", "2026年4月1日前作出的处罚：最短公示期按"
                + ("决定日期时的规定" if self.transition_minimum == "decision_date" else "现行规定")
                + "，最长公示期按" + ("决定日期时的规定" if self.transition_maximum == "decision_date" else "现行规定")
                + f"（两者不同时{self.portal_disclaimer}）", self.transition_source)]
        for rs in self.rulesets:
            out.append(("公示期规则", rs.title, rs.source))
            if rs.classes == "sector":
                out.append(("公示期规则", f"{rs.id} · 不分失信程度；{'、'.join(rs.sector_words)}等领域最短1年",
                            rs.sector_source))
            for cat, p in rs.periods.items():
                lo = "不得提前修复" if p.min_months is None else f"最短{p.min_months}个月"
                out.append(("公示期规则", f"{rs.id} · {cat}：{lo}，最长{p.max_months}个月", p.source))
            if rs.publication_lag_working_days:
                out.append(("公示期规则", f"{rs.id} · 公示日期未知时按决定后{rs.publication_lag_working_days}个工作日",
                            rs.publication_lag_source))
        for m in self.materials.values():
            if m.kind != Kind.OTHER:
                out.append(("材料清单", f"{m.name}（{'提交材料' if m.submission else '核对材料'}）", m.source))
                if m.class_default:
                    who = "所有记录" if len(m.class_default) == len(RecordSeverity) else "、".join(
                        {"minor": "轻微", "general": "一般", "serious": "严重"}[str(x)] for x in sorted(m.class_default))
                    out.append(("材料清单", f"{m.name}：培训班默认要求（{who}）", m.class_default_source))
        out.append(("材料清单", self.authority_proof.name, self.authority_proof.source))
        for h in self.high_frequency:
            out.append(("高频失信", f"{h.name}：{h.window_months}个月内{h.count}条"
                        + ("（行政处罚与列入名单合计）" if h.counts_listings else "（行政处罚）"), h.source))
        pen = self.penalties
        out.append(("处罚种类", "按处罚类别/处罚内容建议失信程度（待确认）", pen.severity_source))
        out.append(("处罚种类", f"按罚款金额：{pen.serious_fine_yuan:.0f}元及以上建议严重，{pen.unsure_fine_yuan:.0f}元"
                    "及以上不作建议（待确认）", pen.amount_source))
        out.append(("处罚种类", "国家企业信用信息公示系统分类", pen.necips_source))
        for sf in pen.small_fines.values():
            amounts = ("、".join(f"{w}{v:.0f}元以下" for w, v in (("法人或其他组织", sf.organisation),
                                                                ("自然人", sf.natural_person)) if v is not None)
                       or "标准未找到")
            out.append(("较低数额罚款", f"{sf.province}：{amounts}", sf.source))
        out.append(("国家企业信用信息公示系统", "信用修复条件（第十四条）：" + "；".join(pen.conditions),
                    pen.conditions_source))
        out.append(("国家企业信用信息公示系统", "限制期限长于3年的按实际期限公示", pen.duration_source))
        out.append(("公示平台", "市场监管、药监部门的处罚：2026年4月1日前建议国家企业信用信息公示系统（待确认）",
                    pen.platform_source))
        out += [("旧版模板", f"“{t}”（按标题识别）", src) for t, src in self.outdated_sources]
        return out


CLASS_CATEGORIES = {"severity": {s.value for s in RecordSeverity}, "sector": {"all", "special_sectors"},
                    "necips": set(NECIPS_CATEGORIES)}


def _periods(fname: str, data: dict) -> tuple:
    root = _Reader(fname, data)
    settings = root.table("settings")
    day_counting = settings.get("day_counting", str)
    if day_counting not in DAY_COUNTINGS:
        raise settings.fail("day_counting", f"应为 {' 或 '.join(DAY_COUNTINGS)}")
    sets = []
    for i, raw in enumerate(root.get("ruleset", list)):
        r = _Reader(fname, raw, f"ruleset[{i}]")
        platform = r.get("platform", str)
        if platform not in PLATFORMS:
            raise r.fail("platform", f"应为 {' 或 '.join(sorted(PLATFORMS))}")
        count_from = r.get("count_from", str, "decision")
        if count_from not in ("decision", "publication"):
            raise r.fail("count_from", "应为 decision 或 publication")
        pt = r.table("periods")
        classes = r.get("classes", str, "severity" if platform == "creditchina" else "necips")
        allowed = CLASS_CATEGORIES.get(classes)
        if allowed is None:
            raise r.fail("classes", f"应为 {'、'.join(CLASS_CATEGORIES)}")
        periods = {}
        for cat in pt.data:
            if cat not in allowed:
                raise pt.fail(cat, f"不是此平台的类别（可选：{', '.join(sorted(allowed))}）")
            p = pt.table(cat)
            mn, mx = p.get("min_months", int, None), p.get("max_months", int)
            if mn is not None and not 0 <= mn <= mx:
                raise p.fail("min_months", "应满足 0 ≤ min_months ≤ max_months")
            periods[cat] = Period(mn, mx, p.get("published", bool, True), p.get("source", str, ""))
        smap = {}
        if "severity_map" in r.data:
            st = r.table("severity_map")
            for k, _sev in st.enum_keys(RecordSeverity, "应为 minor、general 或 serious"):
                smap[k] = st.get(k, str)
                if smap[k] not in periods:
                    raise st.fail(k, f"类别 “{smap[k]}” 未在 periods 中定义")
        for need in ((smap.get(s.value, s.value) for s in RecordSeverity) if classes != "sector"
                     else ("all", "special_sectors")):
            if need not in periods:
                raise pt.fail(need, "缺少此项")
        sets.append(RuleSet(r.get("id", str), platform, r.get("title", str), r.date("valid_from"),
                            r.date("valid_to", None), periods, r.get("outdated", bool, False), r.get("source", str, ""),
                            count_from, r.get("publication_lag_working_days", int, 0),
                            r.get("publication_lag_source", str, ""), smap, classes,
                            r.str_list("sector_words", ()), r.get("sector_source", str, "")))
    if not sets:
        raise root.fail("ruleset", "至少需要一个规则集")
    trans = {}
    for k in ("transition_minimum", "transition_maximum"):
        trans[k] = settings.get(k, str, "decision_date")
        if trans[k] not in ("decision_date", "current"):
            raise settings.fail(k, "应为 decision_date 或 current")
    return (tuple(sets), day_counting, settings.get("day_counting_source", str, ""),
            settings.get("soon_days", int), trans["transition_minimum"], trans["transition_maximum"],
            settings.get("transition_source", str, ""),
            settings.get("portal_disclaimer", str, "以“信用中国”网站显示为准"))


def _materials(fname: str, data: dict) -> tuple[dict, dict, AuthorityProof, tuple[HighFrequencyRule, ...]]:
    root = _Reader(fname, data)
    mt = root.table("materials")
    rules = {}
    for name, kind in mt.enum_keys(Kind, "不是已知的材料类型"):
        r = mt.table(name)
        when = r.get("when", str, None)
        if when not in WHENS:
            raise r.fail("when", "只能是 fine_imposed 或 other_penalty_types")
        role = r.get("role", str)
        if role not in ("submission", "reference"):
            raise r.fail("role", "应为 submission 或 reference")
        platforms = r.str_list("platforms")
        if set(platforms) - PLATFORMS:
            raise r.fail("platforms", f"应为 {' 或 '.join(sorted(PLATFORMS))} 的列表")
        scope = r.get("scope", str, "record")
        if scope not in ("record", "enterprise"):
            raise r.fail("scope", "应为 record 或 enterprise")
        rules[kind] = MaterialRule(
            kind, r.get("name", str), role,
            frozenset(r.enum_list("severities", RecordSeverity)), frozenset(r.enum_list("applicants", Applicant)),
            when, r.enum_list("required_fields", FieldId), r.get("seal", bool, False), r.get("signature", bool, False),
            r.get("advice", str, ""), frozenset(platforms), scope, r.get("source", str, ""),
            frozenset(r.enum_list("class_default", RecordSeverity, ())), r.get("class_default_source", str, ""),
        )
    missing = set(Kind) - set(rules)
    if missing:
        raise mt.fail(sorted(missing)[0], "缺少此材料类型的规则")
    cons = {}
    ct = root.table("consistency")
    for fname_, fid in ct.enum_keys(FieldId, "不是已知的字段"):
        cons[fid] = ct.enum_list(fname_, Kind)
    ap = root.table("authority_proof")
    try:
        ap_kind = Kind(ap.get("kind", str))
    except ValueError:
        raise ap.fail("kind", "不是已知的材料类型") from None
    proof = AuthorityProof(ap_kind, ap.get("name", str), ap.get("advice", str, ""), ap.get("source", str, ""))
    hf = []
    for i, raw in enumerate(root.get("high_frequency", list)):
        h = _Reader(fname, raw, f"high_frequency[{i}]")
        n, months = h.get("count", int), h.get("window_months", int)
        if n < 2 or months < 1:
            raise h.fail("count", "count 应不少于 2，window_months 应不少于 1")
        hf.append(HighFrequencyRule(h.get("id", str), h.get("name", str), n, months, h.get("source", str, ""),
                                    h.get("counts_listings", bool, False)))
    return rules, cons, proof, tuple(hf)


def _reading(fname: str, data: dict) -> tuple[dict, dict, tuple, tuple, tuple]:
    root = _Reader(fname, data)
    kt = root.table("kinds")
    kinds = {}
    for name in kt.data:
        if name not in READ_KINDS:
            raise kt.fail(name, f"不是可识别的材料类型（可选：{', '.join(sorted(READ_KINDS))}）")
        r = kt.table(name)
        labels = {}
        if "labels" in r.data:
            lt = r.table("labels")
            for f, fid in lt.enum_keys(FieldId, "不是已知的字段"):
                labels[fid] = lt.str_list(f)
        kinds[name] = KindReading(name, r.str_list("titles"), r.str_list("keywords"), r.enum_list("fields", FieldId),
                                  labels, r.str_list("outdated", ()), r.str_list("not_titles", ()),
                                  tuple(tuple(g.split("+")) for g in r.str_list("structure", ())))
    ft = root.table("fields")
    fields = {}
    for name, fid in ft.enum_keys(FieldId, "不是已知的字段"):
        r = ft.table(name)
        typ = r.get("type", str)
        if typ not in FIELD_TYPES:
            raise r.fail("type", f"未知类型 “{typ}”")
        prose, strong = r.str_list("prose"), r.str_list("strong_prose", ())
        for key, pats in (("prose", prose), ("strong_prose", strong)):
            for i, pat in enumerate(pats):
                try:
                    re.compile(pat.replace("{", "(").replace("}", ")"))
                except re.error as e:
                    raise r.fail(f"{key}[{i}]", f"正则表达式错误：{e}") from None
        fields[fid] = FieldReading(fid, typ, r.str_list("labels"), prose, strong)
    marks = root.table("marks")
    return (kinds, fields, (), marks.str_list("seal_labels"),
            marks.str_list("signature_labels"))


def load_rules(rules_dir: Path | None = None) -> RuleBook:
    rules_dir = rules_dir or resource_path("rules")
    (rulesets, day_counting, dc_source, soon, t_min, t_max, t_source,
     disclaimer) = _periods("periods.toml", _load_toml(rules_dir / "periods.toml"))
    materials, cons, proof, hf = _materials("materials.toml", _load_toml(rules_dir / "materials.toml"))
    kinds, fields, _, seal_l, sig_l = _reading("reading.toml", _load_toml(rules_dir / "reading.toml"))
    penalties = load_penalty_rules(rules_dir)
    templates = _outdated("outdated.toml", _load_toml(rules_dir / "outdated.toml"))
    return RuleBook(rulesets, day_counting, dc_source, soon, materials, cons, proof, hf, penalties, kinds, fields,
                    tuple(t for t, _ in templates), seal_l, sig_l, rules_dir, templates, t_min, t_max, t_source,
                    disclaimer)


def _outdated(fname: str, data: dict) -> tuple[tuple[str, str], ...]:
    root = _Reader(fname, data)
    out = []
    for i, raw in enumerate(root.get("template", list)):
        r = _Reader(fname, raw, f"template[{i}]")
        title = r.get("title", str)
        if len(title) < 2:
            raise r.fail("title", "标题过短")
        out.append((re.sub(r"\s", "", title), r.get("source", str, "")))
    return tuple(out)


@lru_cache(maxsize=1)
def default_rules() -> RuleBook:
    return load_rules()


@dataclass(frozen=True)
class RosterRules:
    """How roster spreadsheets are read (resources/rules/roster.toml)."""

    columns: dict[str, tuple[str, ...]]
    severity: dict[str, RecordSeverity]  # cell word → severity
    platform: dict[str, str]  # cell word → platform id
    note_prefixes: tuple[str, ...]
    listing_words: tuple[str, ...] = ()
    listing_route: str = ""
    listing_source: str = ""
    single_window_from: dt.date = dt.date(2026, 4, 1)
    route_single_window: str = ""
    single_window_source: str = ""
    samr_words: tuple[str, ...] = ()
    samr_units: tuple[str, ...] = ()
    samr_min_months: int = 12
    samr_max_months: int = 36
    samr_source: str = ""
    urge_days: tuple[int, ...] = (0, 30, 60)
    waiting_working_days: int = 10
    follow_up_source: str = ""
    channels: tuple[str, ...] = ()


ROSTER_COLUMNS = ("enterprise_name", "uscc", "registration_number", "decision_number", "decision_date", "case_closed",
                  "published_on", "record_severity", "list_name", "penalty_category", "penalty_content", "fine_amount",
                  "authority", "listing_unit", "listing_date", "legal_representative", "phone", "platform")


def load_roster_rules(rules_dir: Path | None = None) -> RosterRules:
    fname = "roster.toml"
    root = _Reader(fname, _load_toml((rules_dir or resource_path("rules")) / fname))
    cols = root.table("columns")
    columns = {}
    for name in cols.data:
        if name not in ROSTER_COLUMNS:
            raise cols.fail(name, f"不是已知的名单列（可选：{', '.join(ROSTER_COLUMNS)}）")
        columns[name] = cols.str_list(name)
    for need in ("enterprise_name", "uscc", "decision_number", "decision_date"):
        if need not in columns:
            raise cols.fail(need, "缺少此项")
    sev = root.table("severity")
    severity = {}
    for name, level in sev.enum_keys(RecordSeverity, "应为 minor、general 或 serious"):
        severity.update({w.lower(): level for w in sev.str_list(name)})
    plat = root.table("platform")
    platform = {}
    for name in plat.data:
        if name not in PLATFORMS:
            raise plat.fail(name, f"应为 {' 或 '.join(sorted(PLATFORMS))}")
        platform.update({w.lower(): name for w in plat.str_list(name)})
    lt = root.table("listing")
    return RosterRules(columns, severity, platform, root.table("notes").str_list("prefixes"), lt.str_list("words"),
                       lt.get("route", str), lt.get("source", str, ""), lt.date("single_window_from"),
                       lt.get("route_single_window", str), lt.get("single_window_source", str, ""),
                       lt.str_list("samr_words", ()), lt.str_list("samr_units", ()), lt.get("samr_min_months", int, 12),
                       lt.get("samr_max_months", int, 36), lt.get("samr_source", str, ""),
                       *_follow_up(root))


def _follow_up(root: _Reader) -> tuple:
    if "follow_up" not in root.data:
        return (0, 30, 60), 10, "", ()
    ft = root.table("follow_up")
    days = ft.get("urge_days", list)
    if len(days) != 3 or not all(isinstance(d, int) and d >= 0 for d in days) or days != sorted(days):
        raise ft.fail("urge_days", "应为三个从小到大的天数（一提醒三督促的三次督促）")
    return (tuple(days), ft.get("waiting_working_days", int), ft.get("source", str, ""),
            ft.str_list("channels", ()))


@lru_cache(maxsize=1)
def default_roster_rules() -> RosterRules:
    return load_roster_rules()
