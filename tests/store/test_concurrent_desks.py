"""Two desks on one case — two laptops on the office database, or two windows on one SQLite file — racing.

Each test interleaves two sessions by hand and asserts the interleaving landed where aimed (the second desk
read the case before the first one's commit, and writes after it)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from xinyong_desktop.domain.model import Code, FieldId, Finding, Kind, Severity
from xinyong_desktop.errors import ConcurrentEditError, user_message
from xinyong_desktop.services.review import field_target
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import AuditEvent, Case, Decision, FindingRow
from xinyong_desktop.store.status import set_status

TARGET = field_target("决定书.pdf", [1], "fine_amount")


def _findings(n: int) -> list[Finding]:
    return [Finding(Code.FIELD_MISSING, Severity.REVIEW, f"第 {i} 项", Kind.PENALTY_DECISION, FieldId.FINE_AMOUNT,
                    "决定书.pdf", 1) for i in range(n)]


@pytest.fixture
def db(store_target):
    Session = open_db(store_target)
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第8期", None, "", "张老师")
        case = Case(class_id=tc.id, status="已提交", checked_at=dt.datetime(2026, 5, 1))
        s.add(case)
        s.flush()
        repo.replace_findings(s, case, _findings(5))
    yield Session
    Session.kw["bind"].dispose()


def _version(Session, case_id: int) -> int:
    with Session() as s:
        return s.get(Case, case_id).version


def test_a_stale_status_change_is_refused(db):
    """Was: 已修复 silently overwritten by 需补正, the audit showing both transitions out of 已提交."""
    a, b = db(), db()
    ca, cb = a.scalars(select(Case)).one(), b.scalars(select(Case)).one()
    v = cb.version
    assert ca.version == v and cb.status == "已提交"  # both desks see the case as submitted
    set_status(a, ca, "已修复", "张老师")
    a.commit()
    assert _version(db, ca.id) == v + 1 and cb.version == v  # desk B still works from the old version
    with pytest.raises(StaleDataError) as info:
        set_status(b, cb, "需补正", "李老师")
        b.commit()
    b.rollback()
    assert "另一台电脑" in user_message(info.value) and "未保存" in user_message(info.value)
    a.close()
    b.close()
    with db() as s:
        assert s.scalars(select(Case)).one().status == "已修复"
        moves = [e.detail for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "status"))]
        assert moves == ["已提交 → 已修复"]


def test_the_status_the_instructor_saw_is_checked(db):
    with db() as s:
        seen = s.scalars(select(Case)).one().version
    with db() as s, s.begin():
        set_status(s, s.scalars(select(Case)).one(), "已修复", "张老师")
    with db() as s, pytest.raises(ConcurrentEditError) as info:
        set_status(s, s.scalars(select(Case)).one(), "需补正", "李老师", seen_version=seen)
    assert "另一台电脑" in str(info.value)


@pytest.mark.parametrize("same_value", [True, False], ids=["same-correction", "different-corrections"])
def test_simultaneous_corrections_leave_no_duplicate(db, same_value):
    """Was: two simultaneous corrections left 10 findings where 5 belong (each desk re-adding its own)."""
    a, b = db(), db()
    ca, cb = a.scalars(select(Case)).one(), b.scalars(select(Case)).one()
    assert len(ca.findings) == len(cb.findings) == 5  # both loaded the old findings
    v = cb.version
    repo.record_decision(a, ca, "correct", TARGET, "张老师", value="12000")
    repo.replace_findings(a, ca, _findings(5))
    a.commit()
    assert _version(db, ca.id) > v and cb.version == v  # B's write comes after A's commit, from the old version
    with pytest.raises(StaleDataError):
        repo.record_decision(b, cb, "correct", TARGET, "李老师", value="12000" if same_value else "13000")
        repo.replace_findings(b, cb, _findings(5))
        b.commit()
    b.rollback()
    a.close()
    b.close()
    with db() as s:
        assert s.query(FindingRow).count() == 5
        assert [d.value for d in s.scalars(select(Decision))] == ["12000.00"]  # as typed, normalised


def test_the_same_decision_twice_is_recorded_once(db):
    with db() as s, s.begin():
        c = s.scalars(select(Case)).one()
        first = repo.record_decision(s, c, "correct", TARGET, "张老师", value="12000")
        again = repo.record_decision(s, c, "correct", TARGET, "张老师", value="12000")
        assert again is first
    with db() as s:
        assert s.query(Decision).count() == 1


@pytest.mark.parametrize("typed,stored", [("1.2万元", "12000.00"), ("壹万贰仟元", "12000.00"), ("12,000", "12000.00"),
                                          ("一万二千元", "12000.00"), ("12000", "12000.00")])
def test_an_amount_is_corrected_as_typed(db, typed, stored):
    """Was: "意外错误（InvalidOperation）" for 1.2万元, and nothing saved."""
    from xinyong_desktop.rules.loader import default_rules
    from xinyong_desktop.services import desk
    from xinyong_desktop.store.models import FieldRow, MaterialRow

    with db() as s, s.begin():
        c = s.scalars(select(Case)).one()
        c.status = "审核中"
        m = MaterialRow(path="决定书.pdf", kind="penalty_decision", pages=[1], text_source="text", notes=[])
        m.fields.append(FieldRow(field="fine_amount", value="10000.00", page=1, confidence=0.6))
        c.materials.append(m)
    with db() as s, s.begin():
        c = s.scalars(select(Case)).one()
        d = desk.decide(s, c, "correct", TARGET, "张老师", default_rules(), value=typed)
        assert d.value == stored
    with db() as s:
        assert s.scalars(select(Decision)).one().value == stored


@pytest.mark.parametrize("field,typed", [("fine_amount", "1.2.3万"), ("fine_amount", "-500"), ("paid_amount", "很多"),
                                         ("decision_date", "2024-13-45")])
def test_a_value_that_cannot_be_is_refused_in_chinese(db, field, typed):
    from xinyong_desktop.domain.corrections import CorrectionError

    with db() as s, pytest.raises(CorrectionError) as info:
        repo.record_decision(s, s.scalars(select(Case)).one(), "correct", field_target("a.pdf", [1], field), "张老师",
                             value=typed)
    assert "不是有效的" in str(info.value) and "请输入" in str(info.value)
