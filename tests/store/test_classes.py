"""Classes: roster import into the store, the audited status flow, portal follow-up, statistics."""
from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from tests.rostergen import make_rows, write_xlsx
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.rules.loader import default_rules
from xinyong_desktop.services import classes as cls
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import AuditEvent, Base, Case, PenaltyRecord

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture
def Session(store_target):
    maker = open_db(store_target)
    yield maker
    maker.kw["bind"].dispose()


def test_migrations_match_the_models(Session):
    with Session() as s:
        diffs = compare_metadata(MigrationContext.configure(s.connection()), Base.metadata)
    assert diffs == []


def test_roster_import_twice_adds_nothing(tmp_path, Session):
    rows = make_rows(30, seed=5)
    path = write_xlsx(tmp_path / "名单.xlsx", rows)
    roster = read_rosters([path], AS_OF)
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第1期", dt.date(2025, 6, 1), "常州", "张老师")
        first = cls.import_roster(s, tc.id, roster, "张老师")
        second = cls.import_roster(s, tc.id, read_rosters([path], AS_OF), "张老师")
        assert (first.records_added, first.cases_added) == (30, 30)
        assert (second.records_added, second.cases_added, second.already_there) == (0, 0, 30)
        assert s.scalar(select(func.count()).select_from(PenaltyRecord)) == 30
        # another class of the same office reuses the records but opens its own cases
        other = repo.create_class(s, "第2期", None, "", "李老师")
        third = cls.import_roster(s, other.id, roster, "李老师")
        assert (third.records_added, third.cases_added) == (0, 30)
        board = cls.roster_of_class(s, tc.id, AS_OF, default_rules())
    by_number = {r.decision_number: r for r in roster.records}
    assert len(board.records) == 30
    for r in board.records:  # the stored class gives the same board as the file
        f = by_number[r.decision_number]
        assert (r.eligible_from, r.withdrawn_on, r.status, r.high_frequency) == (
            f.eligible_from, f.withdrawn_on, f.status, f.high_frequency)
        assert r.row == f.row


def test_status_flow_is_enforced_and_audited(Session):
    with Session() as s, s.begin():
        case = Case(packet_dir="")
        s.add(case)
        s.flush()
        cls.note_check(s, case, False, ["SEAL_MISSING", "FINE_UNPAID"], "张老师")
        assert case.status == "需补正" and case.first_ready is False
        with pytest.raises(cls.StatusError):
            cls.set_status(s, case, "已导出", "张老师")  # not ready yet
        cls.note_check(s, case, True, [], "张老师")
        # a clean check is not ready by itself: the instructor confirms the key facts and marks it ready
        assert case.status == "审核中" and case.first_ready is False  # the first check is remembered
        with pytest.raises(cls.StatusError):
            cls.note_exported(s, case, "张老师")
        cls.set_status(s, case, "已就绪", "张老师", "审核员确认就绪")
        cls.note_exported(s, case, "张老师")
        cls.record_submission(s, case, dt.date(2025, 6, 3), " CX2025060300012 ", "张老师")
        assert (case.status, case.query_code, case.portal_outcome) == ("已提交", "CX2025060300012", "待审核")
        with pytest.raises(cls.StatusError):
            cls.record_outcome(s, case, "退回", "  ", "张老师")  # a return needs the portal's reason
        cls.record_outcome(s, case, "退回", "承诺书为旧版模板", "张老师")
        assert case.status == "需补正" and case.portal_reason == "承诺书为旧版模板"
        assert case.portal_first_outcome == "退回"
        cls.note_check(s, case, True, [], "张老师")
        cls.set_status(s, case, "已就绪", "张老师")
        cls.note_exported(s, case, "张老师")
        cls.record_submission(s, case, dt.date(2025, 6, 10), "CX2025061000001", "张老师")
        cls.record_outcome(s, case, "已通过", "", "张老师")
        assert case.status == "已修复" and case.portal_first_outcome == "退回"
        with pytest.raises(cls.StatusError):
            cls.set_status(s, case, "审核中", "张老师")
        details = [a.detail for a in s.scalars(select(AuditEvent).where(AuditEvent.action == "status"))]
    assert details[:4] == ["未开始 → 需补正", "需补正 → 审核中", "审核中 → 已就绪（审核员确认就绪）", "已就绪 → 已导出"]
    assert any("平台退回：承诺书为旧版模板" in d for d in details)
    assert details[-1] == "已提交 → 已修复"


def test_statistics_per_class_and_overall(Session):
    with Session() as s, s.begin():
        a = repo.create_class(s, "A", None, "", "张")
        b = repo.create_class(s, "B", None, "", "李")
        outcomes = [  # (class, first check ready, codes, then ready, exported)
            (a, True, [], True, True),
            (a, False, ["SEAL_MISSING", "NAME_MISMATCH"], True, True),
            (a, False, ["SEAL_MISSING"], False, False),
            (a, None, [], None, False),  # never checked
            (b, False, ["SEAL_MISSING", "FINE_UNPAID"], True, False),
        ]
        for i, (tc, first, codes, later, exported) in enumerate(outcomes):
            c = Case(class_id=tc.id, enterprise_id=None, packet_dir=f"p{i}")
            s.add(c)
            s.flush()
            if first is not None:
                cls.note_check(s, c, first, codes, "张")
                cls.note_check(s, c, later, [], "张")
                if later:
                    cls.set_status(s, c, "已就绪", "张")  # confirmed by the instructor
            if exported:
                cls.note_exported(s, c, "张")
        st = cls.statistics(s, a.id)
        assert (st.cases, st.reviewed, st.ready_first, st.ready_after_correction, st.exported) == (4, 3, 1, 1, 2)
        assert st.top_codes[0] == ("SEAL_MISSING", 2)
        everything = cls.statistics(s)
        assert (everything.classes, everything.cases, everything.reviewed) == (2, 5, 4)
        assert dict(everything.top_codes)["SEAL_MISSING"] == 3
