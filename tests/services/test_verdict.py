"""The stored check is the verdict's only input: the desk, export and `check` give one verdict on the same files
and facts — warnings stay warnings, the office's additions stay required, and no file is read to decide."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil

import pdfplumber
import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.services import desk
from xinyong_desktop.services.check_packet import check_packet, read_case_file
from xinyong_desktop.services.export_packets import export_cases
from xinyong_desktop.services.review import finding_key
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case

AS_OF = dt.date(2024, 9, 1)


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "desk.sqlite3")


def _packet(tmp_path):
    """A clean general-severity packet whose office also asks for a 整改报告 it lacks, with a link in it."""
    # decided 2023-08-15: past even the 1-year minimum of Order 58's five sectors by the class day
    facts = Facts.random(73, decision_date=dt.date(2023, 8, 15), signed_date=dt.date(2024, 8, 25))
    folder = write_packet(tmp_path / "stick" / "packet", facts)
    (folder / "case.json").write_text(json.dumps({"record_severity": "general", "applicant": "legal_representative",
                                                  "extra_required": ["rectification_report"]}), encoding="utf-8")
    os.symlink(folder / "01申请书.pdf", folder / "快捷方式.pdf")
    return facts, folder


def _findings(result) -> list[dict]:
    return result.to_json()["findings"]


def _desk_case(db, folder, rules, pool):
    with db() as s, s.begin():
        tc = repo.create_class(s, "第1期", AS_OF, instructors="张老师")
        cid = desk.attach_packet(s, tc.id, None, folder, "张老师", facts=read_case_file(folder))
    with db() as s:
        result = check_packet(folder, as_of=AS_OF, rules=rules, pool=pool, facts=desk.case_facts(s.get(Case, cid)))
    with db() as s, s.begin():
        desk.record_check(s, s.get(Case, cid), result, "张老师", rules)
    return cid


def test_desk_export_and_check_give_one_verdict(db, tmp_path, rules, pool):
    _facts, folder = _packet(tmp_path)
    checked = check_packet(folder, as_of=AS_OF, rules=rules, pool=pool)
    codes = {(f["code"], f["severity"]) for f in _findings(checked)}
    assert ("FILE_UNREADABLE", "warning") in codes and ("MATERIAL_MISSING", "error") in codes, codes
    cid = _desk_case(db, folder, rules, pool)
    with db() as s:
        assert _findings(desk.case_verdict(s, s.get(Case, cid)).result) == _findings(checked)
        assert s.get(Case, cid).status == "需补正"
    # the packet leaves with its enterprise: deciding reads no file, the verdict is unchanged
    shutil.rmtree(folder.parent)
    with db() as s, s.begin():
        c = s.get(Case, cid)
        first = desk.case_verdict(s, c).pending[0]
        desk.decide(s, c, "confirm", first.target, "张老师", rules)
    with db() as s:
        c = s.get(Case, cid)
        v = desk.case_verdict(s, c)
        assert _findings(v.result) == _findings(checked)  # the link is still a warning, the 整改报告 still required
        assert c.status == "需补正" and [f.code for f in v.open] == ["MATERIAL_MISSING"]
        assert desk.case_facts(c) == checked.facts
        missing = v.open[0]
        key = finding_key(missing.code, missing.kind, missing.field, missing.path)
    with db() as s, s.begin():
        c = s.get(Case, cid)
        desk.decide(s, c, "override", key, "张老师", rules, reason="经办窗口同意后补")
        for item in desk.case_verdict(s, c).pending:
            desk.decide(s, c, "confirm", item.target, "张老师", rules)
        desk.mark_ready(s, c, "张老师")
    with db() as s:
        assert _findings(desk.case_verdict(s, s.get(Case, cid)).result) == _findings(checked)


def test_export_lists_the_verdict_of_check(db, tmp_path, rules, pool):
    _facts, folder = _packet(tmp_path)
    checked = check_packet(folder, as_of=AS_OF, rules=rules, pool=pool)
    cid = _desk_case(db, folder, rules, pool)
    with db() as s, s.begin():
        c = s.get(Case, cid)
        for f in desk.case_verdict(s, c).open:
            desk.decide(s, c, "override", finding_key(f.code, f.kind, f.field, f.path), "张老师", rules,
                        reason="经办窗口同意后补")
        for item in desk.case_verdict(s, c).pending:
            desk.decide(s, c, "confirm", item.target, "张老师", rules)
        desk.mark_ready(s, c, "张老师")
    out = export_cases(db, [cid], tmp_path / "usb", rules, "张老师")
    assert len(out.exported) == 1, out.skipped
    record = next(out.exported[0].glob("*审核意见表*.pdf"))
    with pdfplumber.open(record) as pdf:
        rows = [[(c or "").replace("\n", "") for c in row] for pg in pdf.pages for t in pg.extract_tables() for row in t]
    levels = {"错误": "error", "待核对": "review", "提示": "warning"}
    listed = [(levels[r[0]], r[1]) for r in rows if len(r) == 3 and r[0] in levels]
    assert listed == [(f["severity"], f["message"]) for f in _findings(checked)]


def test_a_changed_fact_is_stored_and_the_verdict_follows_it(db, tmp_path, rules, pool):
    _facts, folder = _packet(tmp_path)
    cid = _desk_case(db, folder, rules, pool)
    shutil.rmtree(folder.parent)
    with db() as s, s.begin():
        c = s.get(Case, cid)
        desk.change_facts(s, c, "张老师", rules, extra_required=())  # the office no longer asks for the report
    with db() as s:
        c = s.get(Case, cid)
        assert not desk.case_verdict(s, c).open and c.status == "审核中"
    with db() as s, s.begin():
        # an agent applies (Order 58 has no severity classes, so a changed severity would change nothing here)
        desk.change_facts(s, s.get(Case, cid), "张老师", rules, applicant="agent")
    with db() as s:
        c = s.get(Case, cid)
        missing = {f.kind for f in desk.case_verdict(s, c).open if f.code == "MATERIAL_MISSING"}
        assert "authorization_letter" in missing and c.status == "需补正", missing
        assert desk.case_facts(c).applicant == "agent"
