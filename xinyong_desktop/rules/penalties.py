"""Penalty types read from 处罚类别/处罚内容 text (resources/rules/penalties.toml) and what follows from them:
a proposed severity (type *and* amount, marked 待确认), the NECIPS category with the province's small-fine
threshold, the platform proposed from the authority, whether the authority's proof is needed."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.rules.reader import Reader, load_toml

NECIPS_CATEGORIES = ("not_published", "light", "standard", "special_sectors", "not_early")
CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


@dataclass(frozen=True)
class SmallFine:
    """A province's 较低数额罚款: below these amounts (yuan, the amount itself not included); None = not known."""

    province: str
    organisation: Decimal | None
    natural_person: Decimal | None
    source: str

    def below(self, natural_person: bool) -> Decimal | None:
        return self.natural_person if natural_person else self.organisation


@dataclass(frozen=True)
class NecipsCategory:
    """The NECIPS category of a record, or the candidates when the province's threshold is unknown."""

    category: str | None  # None: undecided (candidates given)
    candidates: tuple[str, ...] = ()
    note: str = ""
    restriction_months: int | None = None  # a restriction longer than 3 years: published for its real period


def years_in(text: str) -> int | None:
    """The longest period in years a penalty text names (限制开展生产经营活动五年 → 5), or None."""
    best = None
    for m in re.finditer(r"(\d+|[一二两三四五六七八九十]+)年", text or ""):
        raw = m[1]
        if raw.isdigit():
            n = int(raw)
        elif raw.startswith("十"):
            n = 10 + CN_DIGITS.get(raw[1:], 0) if len(raw) > 1 else 10
        elif len(raw) == 2 and raw[1] == "十":
            n = CN_DIGITS.get(raw[0], 0) * 10
        else:
            n = CN_DIGITS.get(raw, 0)
        if 0 < n < 100 and not (raw.isdigit() and len(raw) == 4):  # a year like 2024年 is a date, not a period
            best = max(best or 0, n)
    return best


@dataclass(frozen=True)
class PenaltyRules:
    types: dict[str, tuple[str, ...]]  # type id → words
    severity_order: tuple[tuple[RecordSeverity, frozenset[str]], ...]
    serious_fine_yuan: Decimal
    severity_source: str
    necips_not_early: frozenset[str]
    necips_not_published: frozenset[str]
    necips_light: frozenset[str]
    small_fines: dict[str, SmallFine]
    special_sector_words: tuple[str, ...]
    necips_source: str
    proof_not_needed_for: frozenset[str]
    proof_source: str
    unsure_fine_yuan: Decimal = Decimal(0)
    amount_source: str = ""
    province: str = ""
    conditions: tuple[str, ...] = ()
    conditions_source: str = ""
    duration_source: str = ""
    necips_authorities: tuple[str, ...] = ()
    single_window_from: dt.date = dt.date(2026, 4, 1)
    platform_source: str = ""

    def types_in(self, text: str) -> frozenset[str]:
        """The penalty types a 处罚类别/处罚内容 text names ("警告；罚款" → {warning, fine})."""
        t = re.sub(r"\s", "", text or "")
        if not t:
            return frozenset()
        # "不予行政处罚" / "免予处罚" name no penalty; a negated word is not a type
        found = set()
        for tid, words in self.types.items():
            for w in words:
                i = t.find(w)
                while i >= 0 and (t[max(0, i - 2):i] in ("不予", "免予") or (i > 0 and t[i - 1] in "未无")):
                    i = t.find(w, i + 1)
                if i >= 0:
                    found.add(tid)
                    break
        return frozenset(found)

    def propose_severity(self, types: frozenset[str], fine_yuan: Decimal | None = None) -> RecordSeverity | None:
        """A severity to *propose* (the instructor confirms it) from the penalty's types and its amount; None when
        nothing can be proposed: no known type, or a fine too large to call 一般 and too small to call 严重."""
        serious_types = dict(self.severity_order).get(RecordSeverity.SERIOUS, frozenset())
        if types & serious_types:
            return RecordSeverity.SERIOUS
        if fine_yuan is not None and self.serious_fine_yuan > 0 and fine_yuan >= self.serious_fine_yuan:
            return RecordSeverity.SERIOUS
        if fine_yuan is not None and self.unsure_fine_yuan > 0 and fine_yuan >= self.unsure_fine_yuan:
            return None
        if "summary_procedure" in types:  # 简易程序: 轻微 (Order 36)
            return RecordSeverity.MINOR
        for severity, ids in self.severity_order:
            if types & ids:
                return severity
        return None

    def small_fine(self, province: str | None = None) -> SmallFine:
        p = province or self.province
        return self.small_fines.get(p) or SmallFine(p, None, None, f"{p}省较低数额罚款标准未收录（待确认）")

    def province_of(self, authority: str) -> str | None:
        """The province an authority's name starts with or contains (贵州省… / 湖北省…), when it is in the table."""
        for p in self.small_fines:
            if p in (authority or ""):
                return p
        return None

    def necips(self, types: frozenset[str], fine_yuan: Decimal | None, text: str = "", natural_person: bool = False,
               province: str | None = None) -> NecipsCategory:
        """The NECIPS category of a record from its types, amount, province and text."""
        if not types:
            return NecipsCategory(None)
        if types & self.necips_not_early:
            years = years_in(text)
            return NecipsCategory("not_early", restriction_months=years * 12 if years and years > 3 else None)
        if types <= self.necips_not_published or "summary_procedure" in types:
            return NecipsCategory("not_published")  # only 普通程序 penalties are published (第45号令 第二条)
        rest = types - self.necips_not_published
        special = any(w in (text or "") for w in self.special_sector_words)
        other = "special_sectors" if special else "standard"
        if not rest <= self.necips_light:
            return NecipsCategory(other)
        if "fine" not in rest:
            return NecipsCategory("light")  # 通报批评 only
        sf = self.small_fine(province or self.province_of(text))
        below = sf.below(natural_person)
        who = "自然人（个体工商户）" if natural_person else "法人或其他组织"
        if fine_yuan is None:
            return NecipsCategory(None, ("light", other), "罚款金额未知，无法判断是否属于较低数额罚款（待确认）")
        if below is None:
            return NecipsCategory(None, ("light", other),
                                  f"{sf.province}省{who}“较低数额罚款”标准未找到，无法判断罚款 {fine_yuan:.2f} 元是否属于"
                                  "较低数额罚款（待确认，以国家企业信用信息公示系统显示为准）")
        if fine_yuan < below:
            return NecipsCategory("light", note=f"罚款 {fine_yuan:.2f} 元低于{sf.province}省{who}较低数额罚款标准"
                                                f"（{below:.0f} 元）")
        return NecipsCategory(other)

    def necips_category(self, types: frozenset[str], fine_yuan: Decimal | None, text: str = "") -> str | None:
        """The NECIPS category, or None when it cannot be told (compatibility: see ``necips``)."""
        return self.necips(types, fine_yuan, text).category

    def propose_platform(self, authority: str, decision_date: dt.date | None) -> str | None:
        """necips for a market / drug regulation penalty decided before the single window opened; else None."""
        if any(w in (authority or "") for w in self.necips_authorities) and (
                decision_date is None or decision_date < self.single_window_from):
            return "necips"
        return None

    def needs_authority_proof(self, types: frozenset[str]) -> bool:
        """The penalty includes a type beyond 罚款/没收/警告 (the routine 责令改正 does not count)."""
        return bool(types - self.proof_not_needed_for)


def _amount(r: Reader, k: str) -> Decimal | None:
    v = r.get(k, (int, float), None)
    if v is None:
        return None
    if v < 0:
        raise r.fail(k, "金额不能为负数")
    return Decimal(str(v))


def load_penalty_rules(rules_dir: Path) -> PenaltyRules:
    fname = "penalties.toml"
    root = Reader(fname, load_toml(rules_dir / fname))
    tt = root.table("types")
    types = {k: tt.str_list(k) for k in tt.data}

    def ids(r: Reader, k: str) -> frozenset[str]:
        out = frozenset(r.str_list(k))
        bad = sorted(out - set(types))
        if bad:
            raise r.fail(k, f"未知的处罚种类 “{bad[0]}”（应为 [types] 中的一项）")
        return out

    st = root.table("severity")
    order = tuple((sev, ids(st, sev.value)) for sev in (RecordSeverity.SERIOUS, RecordSeverity.GENERAL,
                                                         RecordSeverity.MINOR))
    nt = root.table("necips")
    small = {}
    if "small_fine" in nt.data:
        sft = nt.table("small_fine")
        for prov in sft.data:
            r = sft.table(prov)
            small[prov] = SmallFine(prov, _amount(r, "organisation"), _amount(r, "natural_person"), r.get("source", str))
    pt = root.table("authority_proof")
    plat = root.table("platform")
    return PenaltyRules(
        types, order, Decimal(st.get("serious_fine_yuan", int, 0)), st.get("source", str, ""),
        ids(nt, "not_early"), ids(nt, "not_published"), ids(nt, "light"), small,
        nt.str_list("special_sectors"), nt.get("source", str, ""),
        ids(pt, "not_needed_for"), pt.get("source", str, ""),
        unsure_fine_yuan=Decimal(st.get("unsure_fine_yuan", int, 0)), amount_source=st.get("amount_source", str, ""),
        province=nt.get("province", str, ""), conditions=nt.str_list("conditions", ()),
        conditions_source=nt.get("conditions_source", str, ""), duration_source=nt.get("duration_source", str, ""),
        necips_authorities=plat.str_list("necips_authorities"), single_window_from=plat.date("single_window_from"),
        platform_source=plat.get("source", str, ""))
