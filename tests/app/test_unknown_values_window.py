"""The desk starts when its database holds a status, severity, applicant or kind it does not know (written by a
newer version, an older bundle, a hand edit): each such case is marked 数据异常 in the list and says why when
selected; actions on it are refused with that reason; every other case, the board and the class work as usual."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402

ODD = {  # name → (status, severity, applicant, a finding's kind)
    "甲公司": ("已归档", "general", "legal_representative", "penalty_decision"),
    "乙公司": ("审核中", "grave", "legal_representative", "penalty_decision"),
    "丙公司": ("审核中", "general", "robot", "penalty_decision"),
    "丁公司": ("需补正", "general", "legal_representative", "passport"),
}


def test_the_desk_starts_and_marks_cases_holding_unknown_values(qtbot, tmp_path, pool, rules):
    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store import repo
    from xinyong_desktop.store.db import open_db
    from xinyong_desktop.store.models import Case, Enterprise, FindingRow, PenaltyRecord

    db_path = tmp_path / "desk.sqlite3"
    Session = open_db(db_path)
    with Session() as s, s.begin():
        tc = repo.create_class(s, "第7期", dt.date(2026, 5, 1), "", "张老师")
        ids = {}
        for i, (name, (status, sev, applicant, kind)) in enumerate(ODD.items()):
            ent = Enterprise(name=name, uscc=f"91320400MA1XY{i:04d}X")
            s.add(ent)
            s.flush()
            rec = PenaltyRecord(enterprise_id=ent.id, decision_number=f"常罚〔2026〕{i + 1}号",
                                decision_date=dt.date(2025, 9, 1), severity=sev, platform="creditchina",
                                authority="常州市某局", source="名单.xlsx#2")
            s.add(rec)
            s.flush()
            c = Case(class_id=tc.id, enterprise_id=ent.id, record_id=rec.id, status=status, record_severity=sev,
                     applicant=applicant, checked_at=dt.datetime(2026, 5, 1), as_of=dt.date(2026, 5, 1))
            s.add(c)
            s.flush()
            c.findings.append(FindingRow(code="MATERIAL_MISSING", severity="error", message="缺少某材料",
                                         kind=kind, field=None, path=None, page=None))
            ids[name] = c.id
        good = Enterprise(name="戊公司", uscc="91320400MA1XY9999X")
        s.add(good)
        s.flush()
        ok = Case(class_id=tc.id, enterprise_id=good.id, status="未开始")
        s.add(ok)
        s.flush()
        ids["戊公司"] = ok.id
    make_app()
    from tests.app.settings import isolate_settings

    isolate_settings(tmp_path / "settings")
    w = MainWindow(Session, rules, "张老师", pool, db_path=db_path)  # was: 程序内部错误（ValueError） at start
    qtbot.addWidget(w)
    w.show()
    do = Driver(w, qtbot)
    shown = {w.cases.item(r, 0).text().split("\n")[0]: w.cases.item(r, 1).text() for r in range(w.cases.rowCount())}
    assert {n: shown[n] for n in ODD} == {n: "数据异常" for n in ODD}
    assert shown["戊公司"] != "数据异常"
    for name, odd in zip(ODD, ("状态“已归档”", "失信程度“grave”", "办理人“robot”", "材料类型“passport”"), strict=True):
        w.open_case(ids[name])
        header = w.ctl.current.header
        assert header.startswith("数据异常") and "不认识" in header and odd in header, header
        assert w.form.verdictLabel.text().startswith("数据异常")
        assert not w.ctl.current.can_decide and not w.form.readyButton.isEnabled()
    # an action on such a case says why, and nothing breaks
    w.open_case(ids["丁公司"])
    ans = do.answers
    ans.text("CX2026050100001").text("2026-05-02")
    do("登记已提交“信用中国”…")
    assert "数据异常" in w.statusBar().currentMessage()
    do("重新检查")
    do("查看培训班看板")  # the board opens; a record whose severity is unknown says so
    board = w.board.tables["eligible"]
    do("回到材料审核")
    w.open_case(ids["戊公司"])
    assert w.ctl.current.case_id == ids["戊公司"] and not w.ctl.current.header.startswith("数据异常")
    do.check_dialogs()  # no error dialog on the way
    ans.stop()
    assert board is not None
    w.close()
