"""Business steps of the review desk, without Qt: attach a packet, record a check, decide, recompute the
status, mark ready, export.  A case's verdict is one thing: its stored check plus the instructor's stored
decisions (``case_verdict``); export, forms, the review record and the notice all read it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from xinyong_desktop.checks.engine import CaseFacts
from xinyong_desktop.domain.model import Applicant, Code, FieldId, Finding, Kind, RecordSeverity, Severity
from xinyong_desktop.rules.loader import RuleBook
from xinyong_desktop.services.classes import set_status
from xinyong_desktop.services.review import (
    apply_decisions,
    blocking,
    field_target,
    finding_key,
    materials_from_rows,
)
from xinyong_desktop.store import repo
from xinyong_desktop.store.models import Case, Decision
from xinyong_desktop.store.repo import audit


class DeskError(ValueError):
    """A step the desk refuses; the message is Chinese and says why."""


DATA_PROBLEM = "数据异常"  # the list's status of a case holding a value this version does not know


def unknown_values(c: Case) -> list[str]:
    """The values of a case this version of the program does not know (written by a newer version, imported from
    an older bundle, edited by hand), in words; [] when it knows them all.  Such a case is marked, not opened
    for decisions: the desk itself keeps working."""
    from xinyong_desktop.rules.loader import PLATFORMS
    from xinyong_desktop.store.status import STATUSES

    out: list[str] = []

    def known(enum, value) -> bool:
        try:
            enum(value)
        except ValueError:
            return False
        return True
    if c.status not in STATUSES:
        out.append(f"状态“{c.status}”")
    if not known(RecordSeverity, c.record_severity):
        out.append(f"失信程度“{c.record_severity}”")
    if not known(Applicant, c.applicant):
        out.append(f"办理人“{c.applicant}”")
    if (c.platform or "creditchina") not in PLATFORMS:
        out.append(f"平台“{c.platform}”")
    for k in (c.facts or {}).get("extra_required") or ():
        if not known(Kind, k):
            out.append(f"补充材料“{k}”")
    for f in c.findings:
        if not known(Code, f.code):
            out.append(f"问题代码“{f.code}”")
        if not known(Severity, f.severity):
            out.append(f"问题级别“{f.severity}”")
        if f.kind and not known(Kind, f.kind):
            out.append(f"材料类型“{f.kind}”")
        if f.field and not known(FieldId, f.field):
            out.append(f"字段“{f.field}”")
    return list(dict.fromkeys(out))


def unknown_values_text(problems: list[str]) -> str:
    return (f"{DATA_PROBLEM}：本案件的数据含有本程序不认识的值（{'、'.join(problems[:4])}"
            f"{'等' if len(problems) > 4 else ''}），暂不能核对。请用较新版本的程序打开，或删除该案件后重新导入材料。")


def case_name(c: Case) -> str:
    if c.enterprise is not None:
        return c.enterprise.name
    for m in c.materials:
        for f in m.fields:
            if f.field == "enterprise_name":
                return f.value
    return Path(c.source_dir or c.packet_dir or "").name or f"案件 {c.id}"


def case_number(c: Case) -> str:
    """The case's record (decision number): the roster's, else the one stored at intake, else as read."""
    from sqlalchemy.orm import object_session

    if c.record_id is not None:
        from xinyong_desktop.store.models import PenaltyRecord

        s = object_session(c)
        record = s.get(PenaltyRecord, c.record_id) if s is not None else None
        if record is not None and record.decision_number:
            return record.decision_number
    stored = (c.facts or {}).get("decision_number")
    if stored:
        return stored
    for m in c.materials:
        if m.kind == "penalty_decision":
            for f in m.fields:
                if f.field == "decision_number":
                    return f.value
    return ""


def case_label(c: Case) -> str:
    """The enterprise's name with its record beside it, so several records of one enterprise are told apart."""
    number = case_number(c)
    return f"{case_name(c)}（{number}）" if number else case_name(c)


def case_facts(c: Case) -> CaseFacts:
    """The one place a case's facts are built, from what is stored on the case (store_facts, at intake): severity,
    applicant and platform (columns), the office's additional materials, publication date, penalty types and
    the decision number (the roster record's when the case came from one).  No file is read."""
    stored = c.facts or {}
    number = stored.get("decision_number") or None
    if c.record_id is not None:
        from sqlalchemy.orm import object_session

        from xinyong_desktop.store.models import PenaltyRecord

        s = object_session(c)
        record = s.get(PenaltyRecord, c.record_id) if s is not None else None
        number = record.decision_number if record is not None else number
    published = stored.get("published_on")
    return CaseFacts(RecordSeverity(c.record_severity), Applicant(c.applicant), c.platform or "creditchina",
                     tuple(Kind(k) for k in stored.get("extra_required") or ()),
                     dt.date.fromisoformat(published) if published else None,
                     tuple(stored.get("penalty_types") or ()), number,
                     assumed=tuple(stored.get("assumed") or ()), penalty_text=stored.get("penalty_text") or "",
                     art14=tuple(stored.get("art14") or ()), natural_person=bool(stored.get("natural_person")),
                     province=stored.get("province") or "")


def store_facts(c: Case, facts: CaseFacts, fine_amount: str | None = None,
                extra_from_packet: bool | None = None) -> None:
    """Store the case's facts once (at intake, or when the instructor changes one); case_facts reads them back.
    `extra_from_packet`: the additional materials are the packet's own (its case.json named them), so the class's
    setting does not replace them (None: as stored)."""
    c.record_severity, c.applicant, c.platform = str(facts.record_severity), str(facts.applicant), facts.platform
    old = dict(c.facts or {})
    own = old.get("extra_from_packet") if extra_from_packet is None else extra_from_packet
    new = {"extra_required": [str(k) for k in facts.extra_required], "extra_from_packet": True if own else None,
           "published_on": facts.published_on.isoformat() if facts.published_on else None,
           "penalty_types": list(facts.penalty_types),
           "decision_number": facts.decision_number if c.record_id is None else None,
           "fine_amount": fine_amount if fine_amount is not None else old.get("fine_amount"),
           # the rule facts of the case (rules helper's CaseFacts fields): kept so a re-check decides the same way
           "assumed": list(facts.assumed), "penalty_text": facts.penalty_text, "art14": list(facts.art14),
           "natural_person": facts.natural_person or None, "province": facts.province}
    c.facts = {k: v for k, v in new.items() if v not in (None, [], "")}


def change_facts(s: Session, c: Case, instructor: str, rules: RuleBook, severity: str | None = None,
                 applicant: str | None = None, platform: str | None = None,
                 extra_required: tuple[str, ...] | None = None) -> CaseFacts:
    """The instructor changes a stored fact of the case (audited); the verdict is computed again from the stored
    reading — no file is read."""
    from dataclasses import replace

    if unknown_values(c):
        raise DeskError(unknown_values_text(unknown_values(c)))
    old = case_facts(c)
    if extra_required is None and severity and severity != str(old.record_severity) \
            and not (c.facts or {}).get("extra_from_packet"):  # another severity: the class's materials for it
        from xinyong_desktop.services.classes import class_extra

        extra_required = tuple(str(k) for k in class_extra(s, c.class_id, rules, severity))
    new = replace(old,
                  record_severity=RecordSeverity(severity) if severity else old.record_severity,
                  applicant=Applicant(applicant) if applicant else old.applicant,
                  platform=platform or old.platform,
                  extra_required=tuple(Kind(k) for k in extra_required) if extra_required is not None
                  else old.extra_required)
    if new != old:
        store_facts(c, new)
        audit(s, instructor, "case_facts", f"{_facts_text(old)} → {_facts_text(new)}", c.id)
        recompute(s, c, instructor, rules)
    return new


def _facts_text(f: CaseFacts) -> str:
    extra = "+".join(str(k) for k in f.extra_required)
    return f"{f.record_severity}/{f.applicant}/{f.platform}{('/' + extra) if extra else ''}"


def intake_findings(c: Case) -> list[Finding]:
    """What the check reported about the case's files (unreadable, skipped as a link or special file, not OCR'd),
    exactly as reported: a warning stays a warning.  (Rows stored before findings had an origin: the findings
    the engine never makes.)"""
    out = []
    for f in c.findings:
        intake = f.origin == "intake" if f.origin else (
            f.code == "FILE_UNREADABLE" or (f.code == "FIELD_MISSING" and not f.kind))
        if intake:
            out.append(_finding(f))
    return out


def _finding(f) -> Finding:
    return Finding(Code(f.code), Severity(f.severity), f.message, Kind(f.kind) if f.kind else None,
                   FieldId(f.field) if f.field else None, f.path, f.page)


# ---------------------------------------------------------------- the review queue
KEY_FACTS = ("enterprise_name", "uscc", "decision_number", "decision_date", "fine_amount")
LOW_CONFIDENCE = 0.8  # a value read with less confidence waits for the instructor


@dataclass
class ReviewItem:
    """One thing the instructor must look at before the case can be ready: a `review` finding, a key fact, or a
    value read with low confidence.  Resolved by confirming or correcting its field (or, for a finding without a
    field, ignoring it with a reason)."""

    target: str  # the field's decision target, or the finding's key
    why: str  # Chinese: what to check
    path: str | None
    page: int | None
    field: str | None
    finding_key: str | None = None
    resolved_by: Decision | None = None

    @property
    def resolved(self) -> bool:
        return self.resolved_by is not None


def _field_targets(materials) -> dict[tuple[str, str], list[tuple[str, object]]]:
    out: dict[tuple[str, str], list[tuple[str, object]]] = {}
    for m in materials:
        for fid, fv in m.fields.items():
            out.setdefault((m.path, str(fid)), []).append((field_target(m.path, m.pages, str(fid)), fv))
    return out


def review_queue(materials, findings, decisions: list[Decision]) -> list[ReviewItem]:
    """Review findings first, then the key facts (from their most authoritative material), then low-confidence
    values; each once."""
    from xinyong_desktop.checks.messages import FIELD_NAMES
    from xinyong_desktop.documents.forms import SOURCES

    by_target = {d.target: d for d in decisions if d.action in ("confirm", "correct", "override")}
    targets = _field_targets(materials)
    items: dict[str, ReviewItem] = {}
    for f in findings:
        if str(f.severity) != "review":
            continue
        key = finding_key(str(f.code), str(f.kind) if f.kind else None, str(f.field) if f.field else None, f.path)
        hit = targets.get((f.path or "", str(f.field))) if f.field else None
        target = hit[0][0] if hit else key
        item = ReviewItem(target, f.message, f.path, f.page, str(f.field) if f.field else None, key)
        item.resolved_by = by_target.get(target) or by_target.get(key)
        items.setdefault(target, item)
    for fact in KEY_FACTS:
        for kind, fid in SOURCES[fact]:
            m = next((m for m in materials if m.kind == kind and fid in m.fields), None)
            if m is None:
                continue
            target = field_target(m.path, m.pages, str(fid))
            fv = m.fields[fid]
            items.setdefault(target, ReviewItem(target, f"关键信息：{FIELD_NAMES.get(fid, str(fid))}，请对照原件确认",
                                                m.path, fv.page, str(fid), None, by_target.get(target)))
            break
    for m in materials:
        for fid, fv in m.fields.items():
            if fv.confidence >= LOW_CONFIDENCE:
                continue
            target = field_target(m.path, m.pages, str(fid))
            items.setdefault(target, ReviewItem(
                target, f"识别可信度 {fv.confidence:.0%}：{FIELD_NAMES.get(fid, str(fid))}，请核对",
                m.path, fv.page, str(fid), None, by_target.get(target)))
    return list(items.values())


# ---------------------------------------------------------------- the verdict
@dataclass
class CaseVerdict:
    result: object  # a CheckResult rebuilt from the store, corrections applied
    decisions: list[Decision]
    overrides: dict[str, Decision]  # finding key → the override decision
    open: list  # findings that still block: errors no override covers, review findings not resolved
    status: str
    checked: bool = True
    queue: list[ReviewItem] = field(default_factory=list)

    @property
    def pending(self) -> list[ReviewItem]:
        return [i for i in self.queue if not i.resolved]

    @property
    def open_errors(self) -> list:
        return [f for f in self.open if f.severity == "error"]

    @property
    def ready(self) -> bool:
        return self.checked and not self.open and not self.pending

    @property
    def overridden(self) -> set[str]:
        return set(self.overrides) | {i.finding_key for i in self.queue if i.finding_key and i.resolved}


def stored_result(c: Case, decisions: list[Decision]):
    """The case's last check as a CheckResult: the stored reading with the instructor's corrections, and the
    stored findings (recomputed after every decision)."""
    from xinyong_desktop.services.check_packet import CheckResult

    materials = apply_decisions(materials_from_rows(c.materials), decisions)
    findings = [_finding(f) for f in c.findings]
    return CheckResult(c.as_of or dt.date.today(), case_facts(c), materials, findings, c.eligible_from,
                       intake=intake_findings(c))


def case_verdict(s: Session, c: Case) -> CaseVerdict:
    decisions = repo.active_decisions(s, c.id)
    overrides = {d.target: d for d in decisions if d.action == "override"}
    result = stored_result(c, decisions)
    queue = review_queue(result.materials, c.findings, decisions) if c.checked_at is not None else []
    resolved = {i.finding_key for i in queue if i.finding_key and i.resolved}
    open_ = [f for f in blocking(c.findings, set(overrides))
             if finding_key(f.code, f.kind, f.field, f.path) not in resolved]
    return CaseVerdict(result, decisions, overrides, open_, c.status, c.checked_at is not None, queue)


def class_counts(s: Session, class_id: int) -> list[tuple[Case, int, int]]:
    """(case, open errors, open review items) for every case of a class, as the case list shows them: the same
    verdict as case_verdict, read in a few queries (materials, fields, findings and decisions loaded together)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from xinyong_desktop.store.models import MaterialRow

    cases = list(s.scalars(select(Case).where(Case.class_id == class_id).order_by(Case.id).options(
        selectinload(Case.materials).selectinload(MaterialRow.fields), selectinload(Case.findings),
        selectinload(Case.enterprise))))
    from xinyong_desktop.store.models import PenaltyRecord

    list(s.scalars(select(PenaltyRecord).where(PenaltyRecord.id.in_([c.record_id for c in cases if c.record_id]))))
    decisions: dict[int, list[Decision]] = {}  # (the records above are now in the session: case_label reads them)
    for d in s.scalars(select(Decision).where(Decision.case_id.in_([c.id for c in cases]),
                                              Decision.undone_at.is_(None)).order_by(Decision.id)):
        decisions.setdefault(d.case_id, []).append(d)
    out = []
    for c in cases:
        if c.checked_at is None or unknown_values(c):  # a case with an unknown value is marked, not counted
            out.append((c, 0, 0))
            continue
        ds = decisions.get(c.id, [])
        overrides = {d.target for d in ds if d.action == "override"}
        queue = review_queue(apply_decisions(materials_from_rows(c.materials), ds), c.findings, ds)
        errors = [f for f in blocking(c.findings, overrides) if f.severity == "error"]
        out.append((c, len(errors), sum(1 for i in queue if not i.resolved)))
    return out


# ---------------------------------------------------------------- steps
def attach_packet(s: Session, class_id: int, case_id: int | None, folder: Path, instructor: str,
                  severity: str = "general", applicant: str = "legal_representative",
                  platform: str = "creditchina", facts: CaseFacts | None = None,
                  store_root: Path | None = None, rules: RuleBook | None = None, extra_given: bool = False) -> int:
    """Give a roster case waiting for its packet the folder, or open a new case for it; returns the case id.
    The case's facts are stored on it once (`facts`, e.g. from the packet's case.json, else severity, applicant
    and platform); a roster case keeps its record's severity and platform.  The additional materials are the
    class's setting for the case's severity (with `rules`), unless the packet's case.json named them
    (`extra_given`: its own win).  With `store_root` (the data folder's "packets"), the packet's files are copied
    in (services/intake.copy_packet) and the case works from the copy."""
    from dataclasses import replace

    def with_class_extra(f: CaseFacts) -> CaseFacts:
        if extra_given or rules is None:
            return f
        from xinyong_desktop.services.classes import class_extra

        return replace(f, extra_required=class_extra(s, class_id, rules, f.record_severity))

    facts = facts or CaseFacts(RecordSeverity(severity), Applicant(applicant), platform)
    case = s.get(Case, case_id) if case_id is not None else None
    if case is not None and not case.packet_dir and case.class_id == class_id:
        if case.record_id is not None:
            from xinyong_desktop.store.models import PenaltyRecord

            record = s.get(PenaltyRecord, case.record_id)
            known = case_facts(case)  # what the roster said (penalty types, publication date)
            facts = replace(facts, record_severity=RecordSeverity(case.record_severity),
                            platform=(record.platform if record is not None else None) or facts.platform,
                            penalty_types=known.penalty_types or facts.penalty_types,
                            published_on=known.published_on or facts.published_on)
        store_facts(case, with_class_extra(facts), extra_from_packet=extra_given)
        case.packet_dir = str(folder)
        set_status(s, case, "审核中", instructor, "添加材料")
        audit(s, instructor, "attach_packet", str(folder), case.id)
    else:
        case = Case(class_id=class_id, packet_dir=str(folder), status="审核中")
        store_facts(case, with_class_extra(facts), extra_from_packet=extra_given)
        s.add(case)
        s.flush()
        audit(s, instructor, "add_case", str(folder), case.id)
    if store_root is not None:
        from xinyong_desktop.services.intake import copy_packet

        copy_packet(s, case, folder, store_root)
    return case.id


def record_check(s: Session, c: Case, result, instructor: str, rules: RuleBook) -> None:
    """Store a fresh reading; decisions made earlier still apply to it."""
    repo.save_check(s, c, result, instructor)
    recompute(s, c, instructor, rules)


def recompute(s: Session, c: Case, instructor: str, rules: RuleBook, as_of: dt.date | None = None) -> None:
    """The verdict again (check_packet.verdict_findings, the check's own function) from the stored reading with
    the instructor's corrections, the stored facts and the stored intake findings; no file is read.  A ready case
    that now blocks needs correcting."""
    if c.checked_at is None or unknown_values(c):  # a case with a value this version does not know stays as it is
        return
    from xinyong_desktop.services.check_packet import verdict_findings

    decisions = repo.active_decisions(s, c.id)
    materials = apply_decisions(materials_from_rows(c.materials), decisions)
    intake = intake_findings(c)
    findings, eligible_from = verdict_findings(materials, case_facts(c), as_of or c.as_of or dt.date.today(), rules,
                                               intake)
    repo.replace_findings(s, c, findings, eligible_from, intake)
    if as_of is not None:
        c.as_of = as_of
    errors = [f for f in blocking(c.findings, {d.target for d in decisions if d.action == "override"})
              if f.severity == "error"]
    if c.status in ("已就绪", "审核中") and errors:  # the enterprise must correct something
        set_status(s, c, "需补正", instructor)
    elif c.status == "需补正" and not errors and not c.portal_reason:
        set_status(s, c, "审核中", instructor, "问题已处理")
    elif c.status == "已就绪" and case_verdict(s, c).pending:  # a confirmation undone: back to review
        set_status(s, c, "审核中", instructor, "待核对项重新打开")


def decide(s: Session, c: Case, action: str, target: str, instructor: str, rules: RuleBook,
           value: str | None = None, reason: str = "") -> Decision:
    d = repo.record_decision(s, c, action, target, instructor, value=value, reason=reason)
    recompute(s, c, instructor, rules)
    return d


def undo_last(s: Session, c: Case, instructor: str, rules: RuleBook) -> Decision | None:
    active = repo.active_decisions(s, c.id)
    if not active:
        return None
    repo.undo_decision(s, active[-1], instructor)
    recompute(s, c, instructor, rules)
    return active[-1]


def mark_ready(s: Session, c: Case, instructor: str) -> CaseVerdict:
    v = case_verdict(s, c)
    if not v.checked:
        raise DeskError("该企业的材料尚未检查")
    if v.open:
        raise DeskError(f"还有 {len(v.open)} 个问题需要处理")
    if v.pending:
        raise DeskError(f"还有 {len(v.pending)} 项待核对（关键信息需逐项确认）")
    set_status(s, c, "已就绪", instructor, "审核员确认就绪")
    return v


def remove_case(s: Session, case: Case, instructor: str, store_root: Path | None = None) -> None:
    """Delete a case with its reading and decisions; the audit trail keeps who removed what and when.  With
    `store_root`, the copy of its packet the desk made in the data folder is deleted too (the instructor's own
    folder never is)."""
    where = case.source_dir or case.packet_dir or "无材料"
    audit(s, instructor, "remove_case", f"{case_name(case)}（{where}，状态 {case.status}）", case.id)
    copy = Path(case.packet_dir) if case.packet_dir else None
    s.flush()
    s.delete(case)
    if copy is not None and store_root is not None:
        from xinyong_desktop.services.intake import drop_copy

        s.flush()
        drop_copy(copy, store_root)


def review_findings_key(f) -> str:
    return finding_key(str(f.code), str(f.kind) if f.kind else None, str(f.field) if f.field else None, f.path)
