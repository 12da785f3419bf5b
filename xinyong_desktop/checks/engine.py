"""Cross-check a packet's materials against the rules and each other; every problem is one Finding.

The checks are the declared list `checks.rules.RULES`, run over one `Context`; each states claims with the
evidence they rest on, and `checks.policy` alone decides error / review / warning.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from xinyong_desktop.checks.context import CaseFacts, Context, decision_evidence
from xinyong_desktop.checks.rules import RULES
from xinyong_desktop.domain.model import Finding, Material
from xinyong_desktop.domain.text import normalize_name
from xinyong_desktop.rules.loader import RuleBook

__all__ = ["CaseFacts", "decision_evidence", "run_checks", "seal_name_mismatch"]


def run_checks(materials: list[Material], facts: CaseFacts, as_of: dt.date, rules: RuleBook,
               unreadable: list[tuple[str, str]] | None = None) -> tuple[list[Finding], dt.date | None]:
    ctx = Context(materials, facts, as_of, rules, list(unreadable or []))
    out = [claim.finding() for rule in RULES for claim in rule.run(ctx)]
    return out, ctx.eligible_from


def seal_name_mismatch(ring_text: str, enterprise: str | None) -> str | None:
    """The seal's ring text when it clearly names another unit; None when it matches or is unreadable."""
    ring = "".join(c for c in ring_text if "\u4e00" <= c <= "\u9fff")
    if not enterprise or len(ring) < 6:
        return None
    want = Counter(c for c in normalize_name(enterprise) if "\u4e00" <= c <= "\u9fff")
    have = Counter(ring)
    covered = sum(min(n, have[c]) for c, n in want.items()) / max(sum(want.values()), 1)
    return None if covered >= 0.8 else ring
