"""The plan's follow-up (常信用办〔2024〕4号) on a migrated store: 一提醒三督促 per record, applications waiting past
10 working days, the register of certificates and deletion letters (number on the paper), the monthly 高频失信
list with its notes, the CSV contact list of enterprises reaching their date."""
from __future__ import annotations

import csv
import datetime as dt

import pytest

from tests.documents.test_letters import text_of
from xinyong_desktop.documents import letters
from xinyong_desktop.roster.board import read_rosters
from xinyong_desktop.roster.export import reaching_date, write_contacts_csv
from xinyong_desktop.rules.loader import default_roster_rules
from xinyong_desktop.services import follow_up as fu
from xinyong_desktop.services.classes import import_roster, roster_of_class
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case

AS_OF = dt.date(2026, 12, 2)
HEADER = "企业名称,统一社会信用代码,处罚决定书文号,处罚日期,失信程度,处罚机关,联系电话,法定代表人,公示平台"
ROWS = [
    "常州甲有限公司,,常环罚〔2026〕1号,2026-09-10,一般,常州市生态环境局,13800001111,王甲,信用中国",  # from 2026-12-11
    "常州乙有限公司,,常环罚〔2026〕2号,2026-05-10,一般,常州市生态环境局,=cmd|'/C calc'!A0,李乙,信用中国",  # eligible
    "常州丙有限公司,,常环罚〔2026〕3号,2026-10-01,,常州市生态环境局,13800003333,赵丙,信用中国",  # severity unknown
    "常州丁有限公司,,常环罚〔2025〕4号,2025-01-05,一般,常州市生态环境局,13800004444,钱丁,信用中国",
    "常州丁有限公司,,常环罚〔2025〕5号,2025-04-05,一般,常州市生态环境局,13800004444,钱丁,信用中国",
    "常州丁有限公司,,常环罚〔2025〕6号,2025-08-05,一般,常州市生态环境局,13800004444,钱丁,信用中国",
]


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("\n".join([HEADER] + ROWS), encoding="utf-8")
    db = open_db(tmp_path / "f.sqlite3")
    with db() as s, s.begin():
        tc = repo.create_class(s, "第9期", AS_OF, "常州市信用服务中心")
        import_roster(s, tc.id, read_rosters([path], AS_OF), "张老师")
        cid = tc.id
    return db, cid, path


def test_one_reminder_three_urgings(store):
    db, cid, _ = store
    with db() as s:
        roster = roster_of_class(s, cid, AS_OF, letters_rules())
        rows = {r.record.decision_number: r for r in fu.follow_up_list(s, roster)}
    first = rows["常环罚〔2026〕1号"]
    assert first.planned == {"reminder": dt.date(2026, 9, 10), "urge1": dt.date(2026, 12, 11),
                             "urge2": dt.date(2027, 1, 10), "urge3": dt.date(2027, 2, 9)}
    assert first.due == ["reminder"]
    # a date still to confirm gets no urging date (read from the roster file: the store keeps no "unknown" yet)
    _db, _cid, path = store
    unknown = next(r for r in read_rosters([path], AS_OF).records if r.decision_number == "常环罚〔2026〕3号")
    assert unknown.severity_source == "unknown"
    assert fu.planned_dates(unknown, default_roster_rules())["urge1"] is None
    with db() as s, s.begin():
        fu.record_step(s, first.record_id, "reminder", dt.date(2026, 9, 12), "两书同达", "已签收", "张老师")
        with pytest.raises(fu.FollowUpError, match="方式"):
            fu.record_step(s, first.record_id, "urge1", dt.date(2026, 12, 11), " ", "", "张老师")
        with pytest.raises(fu.FollowUpError, match="未知的跟进步骤"):
            fu.record_step(s, first.record_id, "urge9", dt.date(2026, 12, 11), "短信", "", "张老师")
    with db() as s:
        roster = roster_of_class(s, cid, AS_OF, letters_rules())
        first = next(r for r in fu.follow_up_list(s, roster) if r.record.decision_number == "常环罚〔2026〕1号")
    assert first.due == [] and first.done["reminder"].channel == "两书同达"
    assert first.cells()[3] == "2026-09-12 · 两书同达 · 已签收" and first.cells()[4] == "应于 2026-12-11"


def test_cases_waiting_past_ten_working_days(store):
    db, cid, _ = store
    with db() as s, s.begin():
        cases = list(s.query(Case).filter(Case.class_id == cid).order_by(Case.id))
        cases[0].status, cases[0].submitted_on = "已提交", dt.date(2026, 11, 16)  # Monday: due Monday 11-30
        cases[1].status, cases[1].submitted_on = "已提交", dt.date(2026, 11, 20)  # Friday: due Friday 12-04
    with db() as s:
        waiting = fu.waiting_cases(s, AS_OF, cid)
    assert [(w.enterprise_name, w.answer_due, w.working_days) for w in waiting] == [
        ("常州甲有限公司", dt.date(2026, 11, 30), 12)]


def test_register_numbers_the_certificate(store, tmp_path):
    db, cid, _ = store
    with db() as s:
        roster = roster_of_class(s, cid, AS_OF, letters_rules())
    rec = next(r for r in roster.records if r.decision_number == "常环罚〔2026〕2号")
    with db() as s, s.begin():
        a = fu.register_document(s, "certificate", AS_OF, "常州乙有限公司（招投标用）", rec, "张老师")
        b = fu.register_document(s, "certificate", AS_OF, "常州乙有限公司", rec, "张老师")
        c = fu.register_document(s, "deletion_letter", AS_OF, "常州乙有限公司", rec, "张老师", third_party="某信用服务公司")
        with pytest.raises(fu.FollowUpError, match="申请开具"):
            fu.register_document(s, "certificate", AS_OF, "", rec, "张老师")
    assert (a.number, b.number, c.number) == ("常信修证〔2026〕001号", "常信修证〔2026〕002号", "常信删函〔2026〕001号")
    with db() as s:
        reg = fu.register(s, 2026)
    assert [(d.kind, d.requested_by, d.decision_number) for d in reg][0] == (
        "certificate", "常州乙有限公司（招投标用）", "常环罚〔2026〕2号")
    assert reg[0].record_id is not None
    t = text_of(letters.render_certificate(rec, letters_rules(), tmp_path / "c.pdf", AS_OF, dt.date(2026, 11, 20),
                                           "", a.number))
    assert "编号：常信修证〔2026〕001号" in t and "查询码" not in t  # no blank 查询码
    assert "国家发展改革委令2025年第36号" in t and "已于2026年11月20日终止公示" in t


def test_monthly_high_frequency_list_with_notes(store):
    db, cid, _ = store
    with db() as s:
        roster = roster_of_class(s, cid, fu.month_end("2025-11"), letters_rules())
        rows = fu.monthly_high_frequency(s, roster, "2025-11")
    assert [(r.name, r.records, r.rules) for r in rows] == [("常州丁有限公司", 3, ["本办预警"])]
    with db() as s, s.begin():
        fu.note_high_frequency(s, rows[0].code, rows[0].name, "2025-11", "约谈", dt.date(2025, 11, 20),
                               "法定代表人到场，承诺整改", "张老师")
        with pytest.raises(fu.FollowUpError):
            fu.note_high_frequency(s, rows[0].code, rows[0].name, "2025-11", "罚款", None, "", "张老师")
    with db() as s:
        (row,) = fu.monthly_high_frequency(s, roster, "2025-11")
        assert [(n.action, n.note) for n in row.notes] == [("约谈", "法定代表人到场，承诺整改")]
        assert fu.monthly_high_frequency(s, roster, "2025-12")[0].notes == []


def test_contact_csv_of_enterprises_reaching_their_date(store, tmp_path):
    _db, _cid, path = store
    roster = read_rosters([path], AS_OF)
    assert [r.decision_number for r in reaching_date(roster, 30)] == ["常环罚〔2026〕1号"]
    out = write_contacts_csv(roster, 30, tmp_path / "contacts.csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["企业名称", "统一社会信用代码", "法定代表人", "联系电话"]
    assert rows[1][0] == "常州甲有限公司" and rows[1][3] == "13800001111" and rows[1][6] == "2026-12-11"
    assert len(rows) == 2  # the record whose severity is still to confirm is not sent a date
    wide = list(csv.reader(write_contacts_csv(roster, 400, tmp_path / "w.csv").read_text(
        encoding="utf-8-sig").splitlines()))
    assert all(not c.startswith("=") for row in wide for c in row)  # a formula is written as text


def letters_rules():
    from xinyong_desktop.rules.loader import default_rules

    return default_rules()
