"""One enterprise with two penalty records in one class: two cases, the licence and ID documents attached
once and reused; each case's 承诺书 checked against its own record's decision number."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace

import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.rules.loader import default_rules
from xinyong_desktop.services.shared_materials import check_case
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case, Enterprise, PenaltyRecord

SHARED = ("business_license", "legal_rep_id", "legal_rep_certificate")


@pytest.fixture
def Session(store_target):
    maker = open_db(store_target)
    yield maker
    maker.kw["bind"].dispose()


def _case(s, tc, ent, f: Facts, folder) -> Case:
    rec = PenaltyRecord(enterprise_id=ent.id, decision_number=f.decision_number, authority=f.authority,
                        decision_date=f.decision_date, severity="general", platform="creditchina")
    s.add(rec)
    s.flush()
    case = Case(class_id=tc.id, enterprise_id=ent.id, record_id=rec.id, packet_dir=str(folder),
                record_severity="general", status="审核中")
    s.add(case)
    s.flush()
    return case


def test_second_record_reuses_licence_and_ids(tmp_path, Session, pool):
    rules = default_rules()
    a = replace(Facts.random(71, decision_date=dt.date(2024, 3, 5), signed_date=dt.date(2024, 9, 1)),
                authority="常州市生态环境局")  # not a fire penalty: Order 58's 3 months apply, not its 1 year
    b = replace(a, decision_number=a.decision_number.replace("号", "1号"), decision_date=dt.date(2024, 4, 8),
                fine=3000)
    first = write_packet(tmp_path / "第一条", a)
    second = write_packet(tmp_path / "第二条", b, omit=SHARED)  # only the per-record materials
    as_of = dt.date(2024, 9, 10)
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第3期", as_of, "常州", "张老师")
        ent = Enterprise(name=a.name, uscc=a.uscc, legal_representative=a.rep)
        s.add(ent)
        s.flush()
        ca, cb = _case(s, tc, ent, a, first), _case(s, tc, ent, b, second)
        # before the first case is checked there is nothing to share: the second lacks the licence and IDs
        alone = check_case(s, cb, rules, as_of, pool=pool)
        missing = {str(f.kind) for f in alone.findings if f.code == "MATERIAL_MISSING"}
        assert missing == set(SHARED)
        ra = check_case(s, ca, rules, as_of, pool=pool)
        assert ra.ready, [f.message for f in ra.findings]
        repo.save_check(s, ca, ra, "张老师")
        rb = check_case(s, cb, rules, as_of, pool=pool)
        assert rb.ready, [f.message for f in rb.findings]
        borrowed = [m for m in rb.materials if str(m.kind) in SHARED]
        assert sorted(str(m.kind) for m in borrowed) == sorted(SHARED)
        assert all(m.path.startswith(first.as_posix()) for m in borrowed)  # the files of the first case
        assert rb.facts.decision_number == b.decision_number
        repo.save_check(s, cb, rb, "张老师")
        assert {str(m.kind) for m in cb.materials} >= set(SHARED)  # stored with the case, pointing at case A's files


def test_commitment_letter_of_another_record_is_refused(tmp_path, Session, pool):
    rules = default_rules()
    a = Facts.random(72, decision_date=dt.date(2024, 3, 5), signed_date=dt.date(2024, 9, 1))
    b = replace(a, decision_number=a.decision_number.replace("号", "2号"))
    first = write_packet(tmp_path / "一", a)
    second = tmp_path / "二"
    shutil.copytree(first, second)  # the enterprise handed in the same letters for its second record
    as_of = dt.date(2024, 9, 10)
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第4期", as_of, "常州", "张老师")
        ent = Enterprise(name=a.name, uscc=a.uscc, legal_representative=a.rep)
        s.add(ent)
        s.flush()
        cb = _case(s, tc, ent, b, second)
        rb = check_case(s, cb, rules, as_of, pool=pool)
        wrong = {str(f.kind) for f in rb.findings if f.code == "DECISION_NUMBER_MISMATCH" and f.severity == "error"}
        assert "commitment_letter" in wrong and not rb.ready
