"""A database holding a value this version does not know (a decision set_kind → "passport", a correction of an
unknown field, an unknown material kind — imported from an older bundle or written by a newer app) does not
stop the desk: the case list and the case open, and a recheck marks the material for the instructor."""
from __future__ import annotations

import datetime as dt

from xinyong_desktop.rules.loader import default_rules
from xinyong_desktop.services import desk
from xinyong_desktop.services.review import field_target, kind_target, recheck_case
from xinyong_desktop.store import repo
from xinyong_desktop.store.db import open_db
from xinyong_desktop.store.models import Case, Decision, FieldRow, MaterialRow


def test_the_desk_opens_a_case_holding_unknown_values(tmp_path):
    Session = open_db(tmp_path / "u.sqlite3")
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第7期", None, "", "张老师")
        case = Case(class_id=tc.id, status="审核中", checked_at=dt.datetime(2026, 5, 1), as_of=dt.date(2026, 5, 1))
        s.add(case)
        s.flush()
        card = MaterialRow(path="身份证.pdf", kind="legal_rep_id", pages=[1], text_source="text", notes=[])
        card.fields.append(FieldRow(field="id_name", value="田春梅", page=1, confidence=0.99))
        card.fields.append(FieldRow(field="shoe_size", value="42", page=1, confidence=0.99))
        odd = MaterialRow(path="护照.pdf", kind="passport", pages=[1], text_source="ocr", notes=[])
        case.materials.extend([card, odd])
        for action, target, value in (("set_kind", kind_target("身份证.pdf", [1]), "passport"),
                                      ("correct", field_target("身份证.pdf", [1], "shoe_size"), "43")):
            s.add(Decision(case_id=case.id, action=action, target=target, value=value, instructor="张老师"))
        class_id, case_id = tc.id, case.id
    with Session() as s:
        counts = desk.class_counts(s, class_id)  # was: ValueError('passport' is not a valid Kind) at every start
        assert [c.id for c, _e, _r in counts] == [case_id]
        c = s.get(Case, case_id)
        verdict = desk.case_verdict(s, c)
        assert {m.path: str(m.kind) for m in verdict.result.materials} == {"身份证.pdf": "legal_rep_id",
                                                                          "护照.pdf": "other"}
        _m, findings, _e = recheck_case(c, repo.active_decisions(s, case_id), default_rules(), dt.date(2026, 5, 1))
    marked = {f.path: f.message for f in findings if f.code == "KIND_UNCERTAIN" and "不认识" in f.message}
    assert set(marked) == {"身份证.pdf", "护照.pdf"}
    assert "passport" in marked["身份证.pdf"] and "shoe_size" in marked["身份证.pdf"]
