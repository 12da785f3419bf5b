"""The follow-up window, through its buttons: the record's reminder and urgings, the register, the month's
高频失信 notes, the contact list; the screenshots in the README come from scripts/screenshot_follow_up.py."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.roster.test_follow_up import AS_OF, store  # noqa: E402,F401  (the store fixture)


def _window(store, qtbot, rules):  # noqa: F811
    from xinyong_desktop.app.follow_up_window import FollowUpWindow
    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.services.classes import roster_of_class

    make_app()
    db, cid, _ = store

    def roster_at(day):
        with db() as s:
            return roster_of_class(s, cid, day, rules)

    w = FollowUpWindow(db, cid, roster_at, AS_OF, "张老师", ("两书同达", "短信", "政企通"))
    qtbot.addWidget(w)
    w.show()
    return w


def test_record_a_reminder_from_the_window(store, qtbot, rules, tmp_path):  # noqa: F811
    from PySide6.QtCore import QDate, Qt

    from xinyong_desktop.services import follow_up as fu

    w = _window(store, qtbot, rules)
    names = [w.steps.item(r, 1).text() for r in range(w.steps.rowCount())]
    row = names.index("常环罚〔2026〕1号")
    assert w.steps.item(row, 3).text() == "应于 2026-09-10（已到期）"
    qtbot.mouseClick(w.record_button, Qt.MouseButton.LeftButton)  # nothing selected: told, nothing stored
    assert "请先" in w.message.text()
    w.steps.selectRow(row)
    w.day.setDate(QDate(2026, 9, 12))
    w.channel.setCurrentText("两书同达")
    w.outcome.setText("已签收")
    qtbot.mouseClick(w.record_button, Qt.MouseButton.LeftButton)
    assert w.steps.item(row, 3).text() == "2026-09-12 · 两书同达 · 已签收"
    db, _cid, _ = store
    with db() as s:
        assert [(x.step, x.channel) for x in s.query(fu.FollowUpStep)] == [("reminder", "两书同达")]
    out = w.export_contacts(tmp_path / "c.csv")
    assert "常州甲有限公司" in out.read_text(encoding="utf-8-sig")


def test_register_and_high_frequency_tabs(store, qtbot, rules):  # noqa: F811
    from PySide6.QtCore import Qt

    from xinyong_desktop.services import follow_up as fu

    db, cid, _ = store
    w = _window(store, qtbot, rules)
    with db() as s, s.begin():
        rec = next(r for r in w.roster_at(AS_OF).records if r.decision_number == "常环罚〔2026〕2号")
        fu.register_document(s, "certificate", AS_OF, "常州乙有限公司", rec, "张老师")
    w.refresh()
    assert w.register.item(0, 0).text() == "常信修证〔2026〕001号" and w.register.item(0, 1).text() == "信用修复证明"
    w.as_of = dt.date(2025, 11, 30)  # the month the 本办预警 fired for 常州丁
    w.refresh()
    assert w.high.rowCount() == 1 and w.high.item(0, 0).text() == "常州丁有限公司"
    w.high.selectRow(0)
    w.hf_note.setText("法定代表人到场约谈")
    qtbot.mouseClick(w.hf_button, Qt.MouseButton.LeftButton)
    assert "约谈" in w.high.item(0, 3).text() and "法定代表人到场约谈" in w.high.item(0, 3).text()
