"""The office's follow-up of the plan (常信用办〔2024〕4号): 一提醒三督促 per penalty record, applications waiting
past the platform's processing time, the register of 信用修复证明 / 删除函, the monthly 高频失信 list with its
约谈 / 督办 notes.  Pure core over the store; the window (app/follow_up*.py) and the tests call the same code."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong_desktop.domain.periods import add_working_days
from xinyong_desktop.roster.board import Roster, RosterRecord
from xinyong_desktop.rules.loader import RosterRules, default_roster_rules
from xinyong_desktop.store.models import (
    Case,
    Enterprise,
    FollowUpStep,
    HighFrequencyNote,
    IssuedDocument,
    PenaltyRecord,
)
from xinyong_desktop.store.repo import audit

STEPS = ("reminder", "urge1", "urge2", "urge3")
STEP_CN = {"reminder": "提醒函", "urge1": "第一次督促", "urge2": "第二次督促", "urge3": "第三次督促"}
DOC_KINDS = {"certificate": "信用修复证明", "deletion_letter": "删除函"}
NUMBER_FORMATS = {"certificate": "常信修证〔{year}〕{seq:03d}号", "deletion_letter": "常信删函〔{year}〕{seq:03d}号"}
HF_ACTIONS = ("约谈", "督办", "其他")


class FollowUpError(ValueError):
    """A follow-up entry that cannot be recorded; the message is Chinese."""


# ---------------------------------------------------------------- 一提醒三督促
@dataclass
class FollowUpRow:
    record_id: int
    record: RosterRecord
    done: dict[str, FollowUpStep] = field(default_factory=dict)
    planned: dict[str, dt.date | None] = field(default_factory=dict)
    due: list[str] = field(default_factory=list)  # steps whose date has come and that are not done

    def cells(self) -> list[str]:
        """One line of the follow-up list: the record, then each step (done: date · channel · outcome; else planned)."""
        r = self.record
        out = [r.enterprise_name, r.decision_number, r.eligible_from.isoformat() if r.eligible_from else "-"]
        for st in STEPS:
            d = self.done.get(st)
            if d is not None:
                out.append(f"{d.done_on.isoformat()} · {d.channel}" + (f" · {d.outcome}" if d.outcome else ""))
            else:
                plan = self.planned.get(st)
                out.append(("应于 " + plan.isoformat() + ("（已到期）" if st in self.due else "")) if plan else "-")
        return out


def planned_dates(rec: RosterRecord, rules: RosterRules) -> dict[str, dt.date | None]:
    """The reminder goes with the decision (两书同达); the urgings count from the day repair opens, only when that
    day is firm (a record that cannot end early, or whose date is to confirm, gets no urging dates)."""
    out: dict[str, dt.date | None] = {"reminder": rec.decision_date}
    firm = rec.assessment is not None and rec.assessment.firm and rec.eligible_from is not None
    for st, days in zip(STEPS[1:], rules.urge_days, strict=True):
        out[st] = rec.eligible_from + dt.timedelta(days=days) if firm and rec.eligible_from else None
    return out


def record_step(s: Session, record_id: int, step: str, done_on: dt.date, channel: str, outcome: str,
                instructor: str) -> FollowUpStep:
    """Record (or correct) one step of a record's follow-up; audited."""
    if step not in STEPS:
        raise FollowUpError(f"未知的跟进步骤：{step}（可选：{'、'.join(STEP_CN.values())}）")
    if s.get(PenaltyRecord, record_id) is None:
        raise FollowUpError("找不到该处罚记录")
    if not channel.strip():
        raise FollowUpError("请填写提醒或督促的方式（如 两书同达、短信、政企通、电话）")
    row = s.scalar(select(FollowUpStep).where(FollowUpStep.record_id == record_id, FollowUpStep.step == step))
    if row is None:
        row = FollowUpStep(record_id=record_id, step=step, done_on=done_on, channel=channel.strip(),
                           outcome=outcome.strip(), instructor=instructor)
        s.add(row)
    else:
        row.done_on, row.channel, row.outcome, row.instructor = done_on, channel.strip(), outcome.strip(), instructor
    s.flush()
    audit(s, instructor, "follow_up", f"{STEP_CN[step]} {done_on.isoformat()} {channel.strip()} {outcome.strip()}")
    return row


def _record_ids(s: Session, roster: Roster) -> dict[tuple[str, str], int]:
    rows = s.execute(select(PenaltyRecord.id, Enterprise.uscc, PenaltyRecord.decision_number)
                     .join(Enterprise, PenaltyRecord.enterprise_id == Enterprise.id))
    return {(code, number): rid for rid, code, number in rows}


def follow_up_list(s: Session, roster: Roster, rules: RosterRules | None = None) -> list[FollowUpRow]:
    """Every stored penalty record of the roster with its reminder and three urgings: done, planned, due."""
    rules = rules or default_roster_rules()
    ids = _record_ids(s, roster)
    out = []
    for rec in roster.records:
        rid = ids.get((rec.stored_code, rec.decision_number))
        if rid is None or rec.listing:
            continue
        row = FollowUpRow(rid, rec, {f.step: f for f in s.scalars(select(FollowUpStep)
                                                                    .where(FollowUpStep.record_id == rid))},
                          planned_dates(rec, rules))
        if rec.status in ("eligible", "not_yet", "to_confirm"):  # still something to apply for
            row.due = [st for st in STEPS if st not in row.done and (d := row.planned.get(st)) and d <= roster.as_of]
        out.append(row)
    return out


@dataclass
class Waiting:
    case: Case
    enterprise_name: str
    submitted_on: dt.date
    answer_due: dt.date  # the last working day the platform had
    working_days: int


def waiting_cases(s: Session, as_of: dt.date, class_id: int | None = None,
                  rules: RosterRules | None = None) -> list[Waiting]:
    """Submitted applications still without the platform's answer after its processing time (working days)."""
    rules = rules or default_roster_rules()
    q = select(Case, Enterprise.name).outerjoin(Enterprise, Case.enterprise_id == Enterprise.id).where(
        Case.status == "已提交", Case.submitted_on.is_not(None))
    if class_id is not None:
        q = q.where(Case.class_id == class_id)
    out = []
    for case, name in s.execute(q):
        sent: dt.date | None = case.submitted_on
        if sent is None:
            continue
        due = add_working_days(sent, rules.waiting_working_days)
        if as_of > due:
            days, d = 0, sent
            while d < as_of:
                d += dt.timedelta(days=1)
                days += d.weekday() < 5
            out.append(Waiting(case, name or "", sent, due, days))
    return sorted(out, key=lambda w: w.submitted_on)


# ---------------------------------------------------------------- the register of certificates and deletion letters
def next_number(s: Session, kind: str, day: dt.date) -> str:
    if kind not in DOC_KINDS:
        raise FollowUpError(f"未知的文书种类：{kind}")
    prefix = NUMBER_FORMATS[kind].split("〔")[0] + f"〔{day.year}〕"
    n = s.scalar(select(func.count()).select_from(IssuedDocument).where(IssuedDocument.kind == kind,
                                                                     IssuedDocument.number.like(prefix + "%")))
    seq = (n or 0) + 1
    while s.scalar(select(IssuedDocument.id).where(
            IssuedDocument.number == NUMBER_FORMATS[kind].format(year=day.year, seq=seq))) is not None:
        seq += 1
    return NUMBER_FORMATS[kind].format(year=day.year, seq=seq)


def register_document(s: Session, kind: str, issued_on: dt.date, requested_by: str, rec: RosterRecord,
                      instructor: str, case_id: int | None = None, third_party: str = "") -> IssuedDocument:
    """Give the next number of the year and register who asked, for which record; the number goes on the paper."""
    if not requested_by.strip():
        raise FollowUpError("请填写申请开具的单位或个人")
    rid = _record_ids(s, Roster(issued_on, [rec])).get((rec.stored_code, rec.decision_number))
    doc = IssuedDocument(number=next_number(s, kind, issued_on), kind=kind, issued_on=issued_on,
                         requested_by=requested_by.strip(), record_id=rid, case_id=case_id,
                         enterprise_name=rec.enterprise_name, decision_number=rec.decision_number,
                         third_party=third_party.strip(), instructor=instructor)
    s.add(doc)
    s.flush()
    audit(s, instructor, "issue_document", f"{DOC_KINDS[kind]} {doc.number}（{rec.decision_number}）", case_id)
    return doc


def register(s: Session, year: int | None = None) -> list[IssuedDocument]:
    q = select(IssuedDocument).order_by(IssuedDocument.issued_on, IssuedDocument.id)
    if year is not None:
        q = q.where(IssuedDocument.issued_on.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return list(s.scalars(q))


# ---------------------------------------------------------------- monthly 高频失信 list
@dataclass
class HighFrequencyRow:
    code: str
    name: str
    rules: list[str]
    records: int
    notes: list[HighFrequencyNote]


def month_end(month: str) -> dt.date:
    y, m = (int(x) for x in month.split("-"))
    return (dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)


def monthly_high_frequency(s: Session, roster: Roster, month: str) -> list[HighFrequencyRow]:
    """The enterprises flagged on the board (computed as of the month's end by the caller) with this month's
    约谈 / 督办 notes."""
    by: dict[str, HighFrequencyRow] = {}
    for r in roster.records:
        if not r.high_frequency:
            continue
        row = by.setdefault(r.stored_code, HighFrequencyRow(r.stored_code, r.enterprise_name,
                                                            list(r.high_frequency_rules), 0, []))
        row.records += 1
    for code, row in by.items():
        row.notes = list(s.scalars(select(HighFrequencyNote).where(HighFrequencyNote.enterprise_code == code,
                                                                   HighFrequencyNote.month == month)
                                   .order_by(HighFrequencyNote.id)))
    return sorted(by.values(), key=lambda r: (-r.records, r.name))


def note_high_frequency(s: Session, code: str, name: str, month: str, action: str, done_on: dt.date | None,
                        note: str, instructor: str) -> HighFrequencyNote:
    if action not in HF_ACTIONS:
        raise FollowUpError(f"应为{'、'.join(HF_ACTIONS)}之一")
    try:
        month_end(month)
    except ValueError:
        raise FollowUpError(f"月份应写作 YYYY-MM：{month!r}") from None
    row = HighFrequencyNote(enterprise_code=code, enterprise_name=name, month=month, action=action, done_on=done_on,
                            note=note.strip(), instructor=instructor)
    s.add(row)
    s.flush()
    audit(s, instructor, "high_frequency", f"{month} {name} {action} {note.strip()}")
    return row
