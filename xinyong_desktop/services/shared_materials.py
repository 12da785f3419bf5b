"""One enterprise, several penalty records: one case per record, the licence and identity documents shared.

A material whose rule has ``scope = "enterprise"`` (materials.toml: 营业执照, 法定代表人身份证明书, 身份证) is
attached once — to whichever of the enterprise's cases got it — and reused by its other cases; the
per-record materials (承诺书, 缴款凭证, 授权委托书 …) stay with their own case and are checked against that
case's decision number.  Qt-free.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.domain.model import Kind, Material
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services.check_packet import CheckResult, check_packet, verdict_findings
from xinyong_desktop.services.review import materials_from_rows
from xinyong_desktop.store.models import Case


def case_facts(case: Case, extra_required: tuple[Kind, ...] = ()) -> CaseFacts:
    """The desk's facts of a stored case (services/desk.case_facts: its record's decision number, platform …),
    plus materials the class adds."""
    from dataclasses import replace

    from xinyong_desktop.services.desk import case_facts as desk_facts

    facts = desk_facts(case)
    return replace(facts, extra_required=tuple(dict.fromkeys(facts.extra_required + tuple(extra_required))))


def enterprise_kinds(rules: RuleBook) -> set[Kind]:
    return {k for k, r in rules.materials.items() if r.scope == "enterprise" and k != Kind.OTHER}


def shared_from_other_cases(s: Session, case: Case, rules: RuleBook) -> list[Material]:
    """The enterprise-scope materials already checked in the enterprise's other cases, one per kind (newest
    check first).  Their path points at the file in the other case's packet folder."""
    if case.enterprise_id is None:
        return []
    kinds = {str(k) for k in enterprise_kinds(rules)}
    others = s.scalars(select(Case).where(Case.enterprise_id == case.enterprise_id, Case.id != case.id,
                                          Case.checked_at.is_not(None)).order_by(Case.checked_at.desc(), Case.id.desc()))
    out: dict[str, Material] = {}
    for other in others:
        for row in other.materials:
            if row.kind in kinds and row.kind not in out and row.pages:
                m = materials_from_rows([row])[0]
                m.path = (Path(other.packet_dir) / row.path).as_posix() if other.packet_dir else row.path
                m.notes.append(f"shared_from_case:{other.id}")
                out[row.kind] = m
    return list(out.values())


def with_shared(result: CheckResult, shared: list[Material], facts: CaseFacts, as_of: dt.date,
                rules: RuleBook) -> CheckResult:
    """The check again with the shared materials this packet lacks; file-level findings are kept."""
    have = {m.kind for m in result.materials}
    borrowed = [m for m in shared if m.kind not in have]
    if not borrowed:
        return result
    materials = result.materials + borrowed
    findings, eligible_from = verdict_findings(materials, facts, as_of, rules, result.intake)
    return CheckResult(as_of, facts, materials, findings, eligible_from, result.pages, result.intake,
                       result.applicant_known)


def check_case(s: Session, case: Case, rules: RuleBook, as_of: dt.date, extra_required: tuple[Kind, ...] = (),
               **kw) -> CheckResult:
    """Check a stored case's packet with its own record's facts, reusing the enterprise's shared materials."""
    facts = case_facts(case, extra_required)
    result = check_packet(Path(case.packet_dir), as_of=as_of, rules=rules, facts=facts, **kw)
    return with_shared(result, shared_from_other_cases(s, case, rules), facts, as_of, rules)
