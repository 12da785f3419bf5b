"""The desk's business steps without Qt: one stored verdict read by export and the review record."""
from __future__ import annotations

import datetime as dt
import json

import pdfplumber
import pytest

from tests.packetgen import Facts, Spec, write_packet
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import check_packet
from xinyong_desktop.services.export_packets import export_cases
from xinyong_desktop.services.review import finding_key
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import AuditEvent, Case

AS_OF = dt.date(2024, 9, 1)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "desk.sqlite3")


def _checked_case(db, tmp_path, rules, pool, specs=None, platform_file=None):
    facts = Facts.random(61, decision_date=dt.date(2024, 1, 15), signed_date=dt.date(2024, 8, 25))
    folder = write_packet(tmp_path / "packet", facts, specs=specs or {})
    if platform_file:
        data = json.loads((folder / "case.json").read_text(encoding="utf-8"))
        # a NECIPS fine needs the province's small-fine standard (Jiangsu's is not known: review)
        (folder / "case.json").write_text(json.dumps({**data, "platform": platform_file, "province": "贵州"}),
                                          encoding="utf-8")
    from xinyong_desktop.services.check_packet import read_case_file

    cf = read_case_file(folder)
    with db() as s, s.begin():
        tc = repo.create_class(s, "第1期", AS_OF, instructors="张老师")
        cid = desk.attach_packet(s, tc.id, None, folder, "张老师", str(cf.record_severity), str(cf.applicant),
                                 cf.platform, facts=cf)
    with db() as s:
        result = check_packet(folder, as_of=AS_OF, rules=rules, pool=pool, facts=desk.case_facts(s.get(Case, cid)))
    with db() as s, s.begin():
        desk.record_check(s, s.get(Case, cid), result, "张老师", rules)
    return cid, facts, folder


def _confirm_queue(db, cid, rules, who="李老师"):
    with db() as s, s.begin():
        c = s.get(Case, cid)
        for item in desk.case_verdict(s, c).pending:
            desk.decide(s, c, "confirm", item.target, who, rules, value="")


def test_a_clean_check_is_not_ready_until_the_key_facts_are_confirmed(db, tmp_path, rules, pool):
    cid, facts, _ = _checked_case(db, tmp_path, rules, pool)
    with db() as s:
        c = s.get(Case, cid)
        v = desk.case_verdict(s, c)
        assert c.status == "审核中" and not v.open and not v.ready
        fields = {i.field for i in v.pending}
        assert set(desk.KEY_FACTS) <= fields, fields
        assert all(i.path and i.page for i in v.pending)
    out = export_cases(db, [cid], tmp_path / "usb", rules, "张老师")
    assert not out.exported
    _confirm_queue(db, cid, rules, "张老师")
    with db() as s, s.begin():
        v = desk.mark_ready(s, s.get(Case, cid), "张老师")
        assert v.ready and all(i.resolved_by.instructor == "张老师" for i in v.queue)
    with db() as s, s.begin():  # undoing one confirmation opens that item again
        desk.undo_last(s, s.get(Case, cid), "张老师", rules)
        assert len(desk.case_verdict(s, s.get(Case, cid)).pending) == 1


def test_override_a_missing_seal_then_ready_then_exported_with_the_override_in_the_review_record(
        db, tmp_path, rules, pool):
    cid, facts, _folder = _checked_case(db, tmp_path, rules, pool,
                                        specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    with db() as s:
        c = s.get(Case, cid)
        v = desk.case_verdict(s, c)
        seal = next(f for f in v.open if f.code == "SEAL_MISSING")
        assert not v.ready and c.status == "需补正"
        key = finding_key(seal.code, seal.kind, seal.field, seal.path)
    with db() as s, s.begin(), pytest.raises(desk.DeskError):
        desk.mark_ready(s, s.get(Case, cid), "张老师")
    with db() as s, s.begin():
        desk.decide(s, s.get(Case, cid), "override", key, "李老师", rules, reason="原件已盖章，扫描漏扫")
    with db() as s, s.begin(), pytest.raises(desk.DeskError, match="待核对"):
        desk.mark_ready(s, s.get(Case, cid), "李老师")  # the key facts are not confirmed yet
    _confirm_queue(db, cid, rules)
    with db() as s, s.begin():
        v = desk.mark_ready(s, s.get(Case, cid), "李老师")
        assert v.ready and set(v.overrides) == {key}
    out = export_cases(db, [cid], tmp_path / "usb", rules, "李老师")
    assert len(out.exported) == 1 and not out.skipped, out.skipped
    folder = out.exported[0]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["ready"] is True
    record = next(folder.glob("*审核意见表*.pdf"))
    with pdfplumber.open(record) as pdf:
        text = "".join((pg.extract_text() or "") for pg in pdf.pages).replace("\n", "")
        rows = [[(c or "").replace("\n", "") for c in row] for pg in pdf.pages for t in pg.extract_tables() for row in t]
    override_row = next(r for r in rows if any("已忽略" in c for c in r))
    assert "公章" in override_row[1] and override_row[2] == "已忽略：原件已盖章，扫描漏扫（李老师）", override_row
    assert "审核结论：可以提交" in text and "审核人：李老师" in text
    with db() as s:
        c = s.get(Case, cid)
        assert c.status == "已导出" and c.exported_at is not None
        assert s.query(AuditEvent).filter_by(case_id=cid, action="export").count() == 1


def test_a_case_not_ready_is_not_exported_and_says_why(db, tmp_path, rules, pool):
    cid, _facts, _ = _checked_case(db, tmp_path, rules, pool,
                                   specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    out = export_cases(db, [cid], tmp_path / "usb", rules, "张老师")
    assert not out.exported and "公章" in out.skipped[0][1]


def test_a_recheck_keeps_the_platform_and_decisions_survive_it(db, tmp_path, rules, pool):
    cid, facts, folder = _checked_case(db, tmp_path, rules, pool, platform_file="necips")
    with db() as s:
        c = s.get(Case, cid)
        assert c.platform == "necips" and desk.case_facts(c).platform == "necips"
        target = next(f"field:{m.path}#{','.join(map(str, m.pages))}/enterprise_name" for m in c.materials
                      if m.kind == "application_form")
    with db() as s, s.begin():
        desk.decide(s, s.get(Case, cid), "correct", target, "张老师", rules, value=facts.name + "X")
    with db() as s:
        v = desk.case_verdict(s, s.get(Case, cid))
        assert v.result.facts.platform == "necips"
        assert any(f.code == "NAME_MISMATCH" for f in v.open), [f.code for f in v.open]
        result = check_packet(folder, as_of=AS_OF, rules=rules, pool=pool, facts=desk.case_facts(s.get(Case, cid)))
        assert result.facts.platform == "necips"
    with db() as s, s.begin():
        desk.record_check(s, s.get(Case, cid), result, "张老师", rules)
    with db() as s:
        v = desk.case_verdict(s, s.get(Case, cid))
        assert any(f.code == "NAME_MISMATCH" for f in v.open)  # the correction applies to the new reading
    with db() as s, s.begin():
        desk.undo_last(s, s.get(Case, cid), "张老师", rules)
    with db() as s:
        assert not desk.case_verdict(s, s.get(Case, cid)).open


def test_remove_case_is_audited(db, tmp_path, rules, pool):
    cid, facts, _ = _checked_case(db, tmp_path, rules, pool)
    with db() as s, s.begin():
        desk.remove_case(s, s.get(Case, cid), "张老师")
    with db() as s:
        assert s.get(Case, cid) is None
        ev = s.query(AuditEvent).filter_by(action="remove_case").one()
        assert facts.name in ev.detail and ev.instructor == "张老师"
