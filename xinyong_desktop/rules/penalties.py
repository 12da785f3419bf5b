"""Penalty types read from 处罚类别/处罚内容 text (resources/rules/penalties.toml) and what follows from them:
a proposed severity (marked 待确认), the NECIPS category, whether the authority's proof is needed."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from xinyong_desktop.domain.model import RecordSeverity
from xinyong_desktop.rules.reader import Reader, load_toml

NECIPS_CATEGORIES = ("not_published", "light", "standard", "special_sectors", "not_early")


@dataclass(frozen=True)
class PenaltyRules:
    types: dict[str, tuple[str, ...]]  # type id → words
    severity_order: tuple[tuple[RecordSeverity, frozenset[str]], ...]
    serious_fine_yuan: Decimal
    severity_source: str
    necips_not_early: frozenset[str]
    necips_not_published: frozenset[str]
    necips_light: frozenset[str]
    small_fine_below_yuan: Decimal
    special_sector_words: tuple[str, ...]
    necips_source: str
    proof_not_needed_for: frozenset[str]
    proof_source: str

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
        """A severity to *propose* (the instructor confirms it); None when the text names no known type."""
        if fine_yuan is not None and self.serious_fine_yuan > 0 and fine_yuan >= self.serious_fine_yuan:
            return RecordSeverity.SERIOUS
        for severity, ids in self.severity_order:
            if types & ids:
                return severity
        return None

    def necips_category(self, types: frozenset[str], fine_yuan: Decimal | None, text: str = "") -> str | None:
        """The NECIPS category of a record from its types; None when the types are unknown."""
        if not types:
            return None
        if types & self.necips_not_early:
            return "not_early"
        if types <= self.necips_not_published:
            return "not_published"
        rest = types - self.necips_not_published
        if rest <= self.necips_light and ("fine" not in rest or (
                fine_yuan is not None and fine_yuan < self.small_fine_below_yuan)):
            return "light"
        if any(w in (text or "") for w in self.special_sector_words):
            return "special_sectors"
        return "standard"

    def needs_authority_proof(self, types: frozenset[str]) -> bool:
        """The penalty includes a type beyond 罚款/没收/警告 (the routine 责令改正 does not count)."""
        return bool(types - self.proof_not_needed_for)


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
    pt = root.table("authority_proof")
    return PenaltyRules(
        types, order, Decimal(st.get("serious_fine_yuan", int, 0)), st.get("source", str, ""),
        ids(nt, "not_early"), ids(nt, "not_published"), ids(nt, "light"),
        Decimal(nt.get("small_fine_below_yuan", int)), nt.str_list("special_sectors"), nt.get("source", str, ""),
        ids(pt, "not_needed_for"), pt.get("source", str, ""))
