"""The office's additional materials as a class setting: stored on the class (NULL = materials.toml's
class_default), taken by the class's new cases, applied to its existing ones on request (re-verdicted from their
stored reading), a packet's own case.json "extra_required" winning; every change audited."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.packetgen import Facts, write_packet
from xinyong_desktop.services import classes as cls
from xinyong_desktop.services import desk
from xinyong_desktop.services.intake import intake_stick
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import AuditEvent, Case, TrainingClass

AS_OF = dt.date(2024, 11, 20)


@pytest.fixture
def db(tmp_path):
    (tmp_path / "data").mkdir()
    return open_db(tmp_path / "data" / "desk.sqlite3")


def _facts(seed: int) -> Facts:
    return Facts.random(seed, decision_date=dt.date(2024, 1, 10 + seed % 10), signed_date=dt.date(2024, 11, 1))


def _missing(s, cid) -> set[str]:
    c = s.get(Case, cid)
    return {str(f.kind) for f in c.findings if f.code == "MATERIAL_MISSING"}


def _extra(s, cid) -> tuple[str, ...]:
    return tuple(str(k) for k in desk.case_facts(s.get(Case, cid)).extra_required)


def _add(tmp_path, name, facts, **kw):
    stick = tmp_path / f"stick-{name}"
    write_packet(stick / name, facts, **kw)
    return stick / name


def _intake(db, class_id, folder, tmp_path, rules, pool) -> int:
    out = intake_stick(db, class_id, folder.parent, tmp_path / "data" / "packets", "张老师", rules, AS_OF, pool)
    assert len(out.packets) == 1
    p = out.packets[0]
    if p.status != "placed":
        from xinyong_desktop.services.intake import place

        with db() as s, s.begin():
            place(s, class_id, p, None, tmp_path / "data" / "packets", "张老师", rules)
    assert p.case_id is not None
    return p.case_id


def test_the_class_setting_is_taken_by_new_cases_and_applied_to_existing_ones(db, tmp_path, rules, pool):
    with db() as s, s.begin():
        tc = repo.create_class(s, "第7期", AS_OF, instructors="张老师")
        class_id = tc.id
        # nothing stored: the default of materials.toml (申请书 for every record, 整改报告 for serious ones)
        assert tc.extra_required is None
        assert cls.class_extra_setting(s, class_id, rules) == {
            "application_form": ["minor", "general", "serious"], "rectification_report": ["serious"]}
        assert [str(m.kind) for m in cls.extra_choices(rules)] == ["application_form", "rectification_report"]
    # a general record without its 申请书 and a serious one without its 整改报告, neither case.json naming extras
    general = _add(tmp_path, "甲", _facts(21), omit=("application_form",))
    serious = _add(tmp_path, "乙", _facts(22), severity="serious",
                   omit=("rectification_report",))
    a = _intake(db, class_id, general, tmp_path, rules, pool)
    b = _intake(db, class_id, serious, tmp_path, rules, pool)
    with db() as s:
        assert _extra(s, a) == ("application_form",) and "application_form" in _missing(s, a)
        assert _extra(s, b) == ("application_form", "rectification_report")
        assert "rectification_report" in _missing(s, b)
    # the office of this class requires no 申请书 and a 整改报告 for every record
    with db() as s, s.begin():
        assert cls.set_class_extra(s, class_id, {"rectification_report": ["minor", "general", "serious"]}, "张老师",
                                   rules)
    with db() as s, s.begin():
        # existing cases are not changed by the setting alone
        assert _extra(s, a) == ("application_form",)
        changed = cls.apply_class_extra(s, class_id, "张老师", rules)
        assert sorted(changed) == sorted([a, b])
    with db() as s:
        # re-verdicted from the stored reading: 甲's missing 申请书 is no longer asked for, its 整改报告 is
        assert _extra(s, a) == ("rectification_report",)
        assert "application_form" not in _missing(s, a) and "rectification_report" in _missing(s, a)
        assert _extra(s, b) == ("rectification_report",) and "rectification_report" in _missing(s, b)
        trail = [x.detail for x in s.query(AuditEvent).filter(AuditEvent.action.in_(("class_extra", "case_facts")))]
        assert any("本班要求的补充材料：信用修复申请书（所有记录）、整改报告（严重） → 整改报告（所有记录）" in t for t in trail)
        assert sum(1 for x in s.query(AuditEvent).filter_by(action="case_facts")) == 2
    # a new case of the class takes the class's setting
    c = _intake(db, class_id, _add(tmp_path, "丙", _facts(23)), tmp_path, rules, pool)
    with db() as s:
        assert _extra(s, c) == ("rectification_report",) and "rectification_report" in _missing(s, c)
    # back to the default: stored as NULL
    with db() as s, s.begin():
        assert cls.set_class_extra(s, class_id, None, "张老师", rules)
        assert s.get(TrainingClass, class_id).extra_required is None
        assert cls.class_extra(s, class_id, rules, "general") == (rules.materials["application_form"].kind,)


def test_a_packets_own_extra_required_wins_and_is_kept(db, tmp_path, rules, pool):
    with db() as s, s.begin():
        class_id = repo.create_class(s, "第8期", AS_OF, instructors="张老师").id
        cls.set_class_extra(s, class_id, {"rectification_report": ["general", "serious"]}, "张老师", rules)
    folder = _add(tmp_path, "丁", _facts(24), omit=("application_form",))
    case = folder / "case.json"
    case.write_text(json.dumps({**json.loads(case.read_text(encoding="utf-8")), "extra_required": []}),
                    encoding="utf-8")
    own = _intake(db, class_id, folder, tmp_path, rules, pool)
    other = _intake(db, class_id, _add(tmp_path, "戊", _facts(25)), tmp_path, rules, pool)
    with db() as s:
        assert _extra(s, own) == () and not _missing(s, own)  # its case.json said: nothing besides the platform's
        assert _extra(s, other) == ("rectification_report",)
    with db() as s, s.begin():
        cls.set_class_extra(s, class_id, {"application_form": ["minor", "general", "serious"]}, "张老师", rules)
        assert cls.apply_class_extra(s, class_id, "张老师", rules) == [other]
    with db() as s:
        assert _extra(s, own) == () and _extra(s, other) == ("application_form",)


def test_a_bad_setting_is_refused_in_chinese(db, rules):
    with db() as s, s.begin():
        class_id = repo.create_class(s, "第9期", AS_OF, instructors="张老师").id
        with pytest.raises(cls.StatusError, match="不是可由培训班另行要求的材料"):
            cls.set_class_extra(s, class_id, {"business_license": ["general"]}, "张老师", rules)
        with pytest.raises(cls.StatusError, match="未知的失信程度"):
            cls.set_class_extra(s, class_id, {"application_form": ["grave"]}, "张老师", rules)
        # a value this version does not know, written by another one, is left out rather than stopping the desk
        s.get(TrainingClass, class_id).extra_required = {
            "passport": ["general"], "application_form": ["general", "odd"]}
        s.flush()
        assert cls.class_extra_setting(s, class_id, rules) == {"application_form": ["general"]}
