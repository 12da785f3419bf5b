"""Classes, their rosters and cases: roster import into the store, follow-up, statistics.  The status flow
itself (STATUSES, NEXT, set_status, note_check) is in store.status — saving a check moves it — and is
re-exported here."""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong_desktop.roster.board import Roster, RosterRecord
from xinyong_desktop.store.models import Case, Enterprise, PenaltyRecord, TrainingClass
from xinyong_desktop.store.repo import audit
from xinyong_desktop.store.status import NEXT as NEXT  # re-exported (explicitly, "as")
from xinyong_desktop.store.status import STATUSES as STATUSES
from xinyong_desktop.store.status import StatusError as StatusError
from xinyong_desktop.store.status import note_check as note_check
from xinyong_desktop.store.status import set_status as set_status

OUTCOMES = ("待审核", "已通过", "未通过", "退回")


# ---------------------------------------------------------------- roster → class
@dataclass
class ImportSummary:
    records_added: int = 0
    cases_added: int = 0
    already_there: int = 0
    rejected: int = 0


def _record_row(s: Session, rec: RosterRecord) -> tuple[PenaltyRecord, bool]:
    code = rec.stored_code  # USCC, else 工商注册号, else a name hash: rows without a code are matched by name
    ent = s.scalar(select(Enterprise).where(Enterprise.uscc == code))
    if ent is None:
        ent = Enterprise(name=rec.enterprise_name, uscc=code, legal_representative=rec.legal_representative,
                         contact_phone=rec.phone)
        s.add(ent)
        s.flush()
    else:
        ent.legal_representative = ent.legal_representative or rec.legal_representative
        ent.contact_phone = ent.contact_phone or rec.phone
    row = s.scalar(select(PenaltyRecord).where(PenaltyRecord.enterprise_id == ent.id,
                                               PenaltyRecord.decision_number == rec.decision_number))
    if row is not None:
        return row, False
    row = PenaltyRecord(enterprise_id=ent.id, decision_number=rec.decision_number, authority=rec.authority,
                        decision_date=rec.decision_date, severity=rec.record_severity.value, platform=rec.platform,
                        source=f"{rec.file}#{rec.row}")
    s.add(row)
    s.flush()
    return row, True


def roster_facts(rec: RosterRecord) -> dict:
    """What the roster row says about the record beyond its columns, stored on the case (desk.case_facts)."""
    out = {"penalty_types": sorted(rec.penalty_types),
           "fine_amount": f"{rec.fine_yuan:.2f}" if rec.fine_yuan is not None else None,
           "published_on": rec.published_on.isoformat() if rec.published_on else None}
    return {k: v for k, v in out.items() if v not in (None, [])}


def import_roster(s: Session, class_id: int, roster: Roster, instructor: str) -> ImportSummary:
    """Add the roster's records and one case per record to the class; importing it again adds nothing."""
    out = ImportSummary(rejected=len(roster.errors))
    have = {c.record_id for c in s.scalars(select(Case).where(Case.class_id == class_id))}
    for rec in roster.records:
        if rec.listing:  # removal from a 严重失信主体名单 is applied for at the listing unit, not repaired here
            continue
        row, new = _record_row(s, rec)
        out.records_added += new
        if row.id in have:
            out.already_there += 1
            continue
        s.add(Case(class_id=class_id, enterprise_id=row.enterprise_id, record_id=row.id,
                   record_severity=row.severity, platform=row.platform or "creditchina", status="未开始",
                   eligible_from=rec.eligible_from, facts=roster_facts(rec)))
        have.add(row.id)
        out.cases_added += 1
    audit(s, instructor, "import_roster",
          f"新增记录 {out.records_added}，新增案件 {out.cases_added}，已存在 {out.already_there}，拒收行 {out.rejected}")
    return out


def class_records(s: Session, class_id: int) -> list[tuple[Case, PenaltyRecord, Enterprise]]:
    q = (select(Case, PenaltyRecord, Enterprise).join(PenaltyRecord, Case.record_id == PenaltyRecord.id)
         .join(Enterprise, PenaltyRecord.enterprise_id == Enterprise.id).where(Case.class_id == class_id)
         .order_by(Case.id))
    return [(c, r, e) for c, r, e in s.execute(q)]


def _roster_record(rec: PenaltyRecord, ent: Enterprise) -> RosterRecord:
    """A stored record as the board sees it; its source "file#row" gives back the roster row."""
    from xinyong_desktop.domain.model import RecordSeverity

    src, _, row = rec.source.rpartition("#")
    uscc, reg = RosterRecord.split_code(ent.uscc)
    try:
        severity, source = RecordSeverity(rec.severity), "roster"
    except ValueError:  # a value this version does not know: shown as unknown, the board still opens
        severity, source = RecordSeverity.SERIOUS, "unknown"
    return RosterRecord(src, "", int(row) if row.isdigit() else 0, ent.name, uscc, rec.decision_number,
                        rec.decision_date, severity, rec.platform, rec.authority,
                        ent.legal_representative, ent.contact_phone, registration_number=reg, severity_source=source)


def roster_of_class(s: Session, class_id: int, as_of: dt.date, rules) -> Roster:
    """The class's records as a Roster, so the board is computed by the same code as for files (flag counts
    every record of the enterprise known to the store, not only this class's)."""
    from xinyong_desktop.roster.board import compute_board

    roster = Roster(as_of)
    rows = class_records(s, class_id)
    usccs = {e.uscc for _, _, e in rows}
    others = s.execute(select(PenaltyRecord, Enterprise).join(Enterprise).where(Enterprise.uscc.in_(usccs)))
    mine = {r.id for _, r, _ in rows}
    extra: list[RosterRecord] = []
    for rec, ent in others:
        (roster.records if rec.id in mine else extra).append(_roster_record(rec, ent))
    roster.records.sort(key=lambda r: r.enterprise_name)
    all_records = roster.records + extra
    compute_board(Roster(as_of, all_records), rules)
    return roster


# ---------------------------------------------------------------- after a check, export, submission
def note_exported(s: Session, case: Case, instructor: str) -> None:
    case.exported_at = dt.datetime.now().replace(microsecond=0)
    set_status(s, case, "已导出", instructor)


def record_submission(s: Session, case: Case, submitted_on: dt.date, query_code: str, instructor: str) -> None:
    if case.status not in ("已导出", "已提交", "已就绪"):
        raise StatusError(f"该案件状态为“{case.status}”，尚未导出，不能登记提交")
    if case.status == "已就绪":
        set_status(s, case, "已导出", instructor, "登记提交时补记")
    case.submitted_on, case.query_code = submitted_on, query_code.strip()
    case.portal_outcome = "待审核"
    set_status(s, case, "已提交", instructor, f"查询码 {case.query_code}" if case.query_code else "")


def record_outcome(s: Session, case: Case, outcome: str, reason: str, instructor: str,
                   on: dt.date | None = None) -> None:
    """The portal's answer, given on `on` (stored: the 信用修复证明 says publication ended that day); a returned
    or refused case goes back to review with the portal's reason."""
    if outcome not in OUTCOMES:
        raise StatusError(f"未知的审核结果：{outcome}")
    if case.status != "已提交":
        raise StatusError("只有已提交的案件才能登记平台审核结果")
    if outcome in ("未通过", "退回") and not reason.strip():
        raise StatusError("退回或未通过时请填写平台给出的理由")
    if on is not None and case.submitted_on is not None and on < case.submitted_on:
        raise StatusError(f"审核结果日期 {on.isoformat()} 早于提交日期 {case.submitted_on.isoformat()}")
    case.portal_outcome, case.portal_reason = outcome, reason.strip()
    case.outcome_on = on or dt.date.today()
    if outcome != "待审核" and not case.portal_first_outcome:
        case.portal_first_outcome = outcome
    audit(s, instructor, "portal_outcome", f"{outcome}（{case.outcome_on.isoformat()}）{('：' + reason) if reason else ''}",
          case.id)
    if outcome == "已通过":
        set_status(s, case, "已修复", instructor)
    elif outcome in ("未通过", "退回"):
        set_status(s, case, "需补正", instructor, f"平台{outcome}：{reason.strip()}")


# ---------------------------------------------------------------- statistics
@dataclass
class ClassStats:
    classes: int = 0
    enterprises: int = 0
    cases: int = 0
    reviewed: int = 0
    ready_first: int = 0
    ready_after_correction: int = 0
    exported: int = 0
    submitted: int = 0
    passed_first: int = 0
    repaired: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    top_codes: list[tuple[str, int]] = field(default_factory=list)


def statistics(s: Session, class_id: int | None = None) -> ClassStats:
    """Per class (class_id) or over all classes."""
    q = select(Case)
    if class_id is not None:
        q = q.where(Case.class_id == class_id)
    cases = list(s.scalars(q))
    st = ClassStats()
    st.classes = 1 if class_id is not None else len(list(s.scalars(select(TrainingClass.id))))
    st.cases = len(cases)
    st.enterprises = len({c.enterprise_id or -c.id for c in cases})
    codes: Counter[str] = Counter()
    after = ("已就绪", "已导出", "已提交", "已修复")
    for c in cases:
        st.by_status[c.status] = st.by_status.get(c.status, 0) + 1
        if c.first_ready is not None:
            st.reviewed += 1
            codes.update(c.first_codes or [])
            if c.first_ready:
                st.ready_first += 1
            elif c.status in after:
                st.ready_after_correction += 1
        st.exported += c.exported_at is not None
        st.submitted += c.submitted_on is not None
        st.passed_first += c.portal_first_outcome == "已通过"
        st.repaired += c.status == "已修复"
    st.top_codes = codes.most_common(8)
    return st


def case_record(s: Session, case: Case, as_of: dt.date | None = None) -> RosterRecord | None:
    """The penalty record a case repairs: from the roster when it came from one, else from its checked decision;
    its dates (eligible from, publication ends) computed as of `as_of` (the class's date; default: the class's
    date, else today)."""
    from xinyong_desktop.domain.model import RecordSeverity
    from xinyong_desktop.rules.loader import default_rules

    if case.record_id is not None:
        rec = s.get(PenaltyRecord, case.record_id)
        ent = s.get(Enterprise, rec.enterprise_id) if rec is not None else None
        assert rec is not None and ent is not None  # foreign keys: a case's record and its enterprise exist
        out = _roster_record(rec, ent)
    else:
        facts: dict[str, str] = {}
        for kind in ("penalty_decision", "business_license", "application_form"):
            for m in case.materials:
                if m.kind == kind:
                    for f in m.fields:
                        facts.setdefault(f.field, f.value)
        if not facts.get("decision_number") or not facts.get("decision_date"):
            return None
        out = RosterRecord("", "", 0, facts.get("enterprise_name", ""), facts.get("uscc", ""),
                           facts["decision_number"], dt.date.fromisoformat(facts["decision_date"]),
                           RecordSeverity(case.record_severity), "creditchina", facts.get("penalty_authority", ""),
                           facts.get("legal_representative", ""))
    if as_of is None:
        tc = s.get(TrainingClass, case.class_id) if case.class_id is not None else None
        as_of = (tc.held_on if tc is not None else None) or dt.date.today()
    out.set_dates(default_rules(), as_of)
    return out


@dataclass
class RepairProof:
    """What the 信用修复证明 and the deletion letter say: the record, the day publication ended (the portal's
    outcome date, recorded), the query code, and the class's date the letter is dated."""

    record: RosterRecord
    ended_on: dt.date | None
    query_code: str
    as_of: dt.date


def repair_proof(s: Session, case: Case, as_of: dt.date | None = None) -> RepairProof | None:
    """For a 已修复 case (else None): the record as of the class date and the recorded outcome date."""
    if case.status != "已修复":
        return None
    if as_of is None:
        tc = s.get(TrainingClass, case.class_id) if case.class_id is not None else None
        as_of = (tc.held_on if tc is not None else None) or dt.date.today()
    rec = case_record(s, case, as_of)
    if rec is None:
        return None
    return RepairProof(rec, case.outcome_on or case.submitted_on, case.query_code, as_of)


# ---------------------------------------------------------------- the class's instructor
LOGIN_NAMES = frozenset({"root", "admin", "administrator", "user", "guest", "ubuntu", "pi"})


def is_login_name(name: str) -> bool:
    """A computer's login name, not a person's: never written on paper as the instructor."""
    import getpass

    n = name.strip()
    try:
        me = getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name known (a service account without one)
        me = ""
    return not n or n.lower() in LOGIN_NAMES or (bool(me) and n == me and n.isascii())


def class_instructor(s: Session, class_id: int | None) -> str:
    """The instructor who signs the class's papers (the first name of its 讲师), "" when not asked yet."""
    tc = s.get(TrainingClass, class_id) if class_id is not None else None
    return instructor_of(tc) if tc is not None else ""


def instructor_of(tc: TrainingClass) -> str:
    import re

    first = next((x for x in re.split(r"[、，,;；/\s]+", tc.instructors or "") if x), "")
    return "" if is_login_name(first) else first


def set_class_instructor(s: Session, class_id: int, name: str) -> str:
    """Store the class's instructor (asked once per class); a login name or an empty one is refused."""
    name = name.strip()
    if is_login_name(name):
        raise StatusError("请填写审核老师的姓名（将写入审核意见表、告知书、小结和导出清单），不能使用电脑的登录名")
    if len(name) > 50:
        raise StatusError("审核老师姓名过长（最多 50 个字）")
    tc = s.get(TrainingClass, class_id)
    if tc is None:
        raise StatusError("培训班不存在")
    old = tc.instructors or ""
    rest = [x for x in old.replace("，", "、").split("、") if x.strip() and x.strip() != name and not is_login_name(x)]
    tc.instructors = "、".join([name, *rest])
    audit(s, name, "class_instructor", f"{old or '未填'} → {tc.instructors}")
    return name


# ---------------------------------------------------------------- the class's additional materials
def extra_choices(rules) -> list:
    """The materials an office can require besides the platform's own list (materials.toml: those not on every
    platform's list), in the rule book's order."""
    from xinyong_desktop.domain.model import Kind
    from xinyong_desktop.rules.loader import PLATFORMS

    return [m for m in rules.materials.values() if m.kind != Kind.OTHER and not PLATFORMS <= set(m.platforms)]


def class_extra_setting(s: Session, class_id: int | None, rules) -> dict[str, list[str]]:
    """The class's additional materials, {kind: [severities]}: what the class stored, else the default of
    materials.toml (``class_default``).  A kind or severity this version does not know is left out."""
    from xinyong_desktop.domain.model import RecordSeverity

    tc = s.get(TrainingClass, class_id) if class_id is not None else None
    raw = tc.extra_required if tc is not None else None
    choices = {str(m.kind): m for m in extra_choices(rules)}
    if not isinstance(raw, dict):
        return {k: [str(x) for x in RecordSeverity if x in m.class_default]
                for k, m in choices.items() if m.class_default}
    known = {str(x) for x in RecordSeverity}
    out: dict[str, list[str]] = {}
    for k, sevs in raw.items():
        if k in choices and isinstance(sevs, list):
            kept = [str(x) for x in RecordSeverity if str(x) in sevs and str(x) in known]
            if kept:
                out[k] = kept
    return out


def class_extra(s: Session, class_id: int | None, rules, severity) -> tuple:
    """The kinds the class requires besides the platform's list for a record of this severity."""

    setting = class_extra_setting(s, class_id, rules)
    return tuple(m.kind for m in extra_choices(rules) if str(severity) in setting.get(str(m.kind), ()))


def extra_setting_text(setting: dict[str, list[str]], rules) -> str:
    """The setting in words, for the audit trail: 信用修复申请书（所有记录）、整改报告（严重）; 无 when empty."""
    from xinyong_desktop.domain.model import RecordSeverity

    names = {"minor": "轻微", "general": "一般", "serious": "严重"}
    parts = []
    for m in extra_choices(rules):
        sevs = setting.get(str(m.kind))
        if sevs:
            who = "所有记录" if len(sevs) == len(RecordSeverity) else "、".join(names[x] for x in sevs)
            parts.append(f"{m.name}（{who}）")
    return "、".join(parts) or "无"


def set_class_extra(s: Session, class_id: int, setting: dict[str, list[str]] | None, instructor: str, rules) -> bool:
    """Store the class's additional materials (None: back to the default of materials.toml); audited.  A kind
    that is not an additional material or an unknown severity is refused.  Returns whether it changed."""
    from xinyong_desktop.domain.model import RecordSeverity

    tc = s.get(TrainingClass, class_id)
    if tc is None:
        raise StatusError("培训班不存在")
    choices = {str(m.kind) for m in extra_choices(rules)}
    known = [str(x) for x in RecordSeverity]
    clean: dict[str, list[str]] | None = None
    if setting is not None:
        clean = {}
        for k, sevs in setting.items():
            if k not in choices:
                raise StatusError(f"“{k}”不是可由培训班另行要求的材料")
            bad = [x for x in sevs if x not in known]
            if bad:
                raise StatusError(f"未知的失信程度：{'、'.join(bad)}")
            if sevs:
                clean[k] = [x for x in known if x in sevs]
    old = class_extra_setting(s, class_id, rules)
    new = clean if clean is not None else class_extra_setting(s, None, rules)
    changed = old != new or (tc.extra_required is None) != (clean is None)
    tc.extra_required = clean
    if changed:
        audit(s, instructor, "class_extra", f"本班要求的补充材料：{extra_setting_text(old, rules)} → "
                                            f"{extra_setting_text(new, rules)}")
    return changed


def class_extra_pending(s: Session, class_id: int, rules) -> list[tuple[Case, tuple]]:
    """The class's cases whose additional materials differ from the class's setting, with what the setting
    wants; a case whose packet's case.json named its own is not among them."""
    from xinyong_desktop.services.desk import case_facts, unknown_values

    out = []
    for c in s.scalars(select(Case).where(Case.class_id == class_id).order_by(Case.id)):
        if (c.facts or {}).get("extra_from_packet") or unknown_values(c):
            continue
        want = class_extra(s, class_id, rules, c.record_severity)
        if tuple(case_facts(c).extra_required) != want:
            out.append((c, want))
    return out


def apply_class_extra(s: Session, class_id: int, instructor: str, rules) -> list[int]:
    """The class's setting applied to its existing cases (a case whose packet's case.json named its additional
    materials keeps them); each changed case's verdict is computed again from its stored reading
    (desk.change_facts, audited).  Returns the ids of the cases that changed."""
    from xinyong_desktop.services.desk import change_facts

    changed = []
    for c, want in class_extra_pending(s, class_id, rules):
        change_facts(s, c, instructor, rules, extra_required=tuple(str(k) for k in want))
        changed.append(c.id)
    return changed
