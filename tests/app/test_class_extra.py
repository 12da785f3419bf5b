"""培训班 → 本班要求的补充材料…: the dialog shows the class's setting (the rule book's default at first), the
instructor changes it, is asked whether the class's existing cases follow, and the cases' findings on screen
change accordingly; a packet whose case.json names its own additional materials keeps them.  At 1366×768."""
from __future__ import annotations

import datetime as dt
import json
import os

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402
from tests.packetgen import Facts, write_packet  # noqa: E402


def _facts(seed: int) -> Facts:
    return Facts.random(seed, decision_date=dt.date.today() - dt.timedelta(days=200),
                        signed_date=dt.date.today() - dt.timedelta(days=2))


def _missing(w, cid) -> set[str]:
    from xinyong_desktop.store.models import Case

    with w.db() as s:
        return {str(f.kind) for f in s.get(Case, cid).findings if f.code == "MATERIAL_MISSING"}


def _shown(w) -> str:
    return "\n".join(w.findings.item(i).text() for i in range(w.findings.count()))


def test_the_class_setting_through_its_dialog_changes_the_cases(window, qtbot, tmp_path):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QCheckBox, QLabel, QRadioButton

    from xinyong_desktop.store.models import AuditEvent, TrainingClass

    w = window
    w.showNormal()
    w.resize(1366, 768)
    do = Driver(w, qtbot)
    plain = write_packet(tmp_path / "U盘" / "甲", _facts(91), omit=("application_form",))
    own = write_packet(tmp_path / "U盘" / "乙", _facts(92), omit=("application_form",))
    case = own / "case.json"
    case.write_text(json.dumps({**json.loads(case.read_text(encoding="utf-8")), "extra_required": []}),
                    encoding="utf-8")
    do.answers.file(plain)
    do("添加企业材料文件夹…")
    qtbot.waitUntil(lambda: not w.checker.busy, timeout=90000)
    a = w.case_id
    do.answers.file(own)
    do("添加企业材料文件夹…")
    qtbot.waitUntil(lambda: not w.checker.busy, timeout=90000)
    b = w.case_id
    assert a != b
    # the rule book's default: 申请书 for every record — 甲 lacks it, 乙's case.json says nothing besides the platform
    assert "application_form" in _missing(w, a) and not _missing(w, b)

    seen: dict = {}
    shot = tmp_path / "class-extra-1366.png"

    def look_then_change(d):
        rows = {c.objectName(): c for c in d.findChildren(QCheckBox)}
        radios = {r.objectName(): r for r in d.findChildren(QRadioButton)}
        seen["before"] = {k: (c.isChecked(), radios[k + "_all"].isChecked(), radios[k + "_serious"].isChecked())
                          for k, c in rows.items()}
        seen["texts"] = [c.text() for c in rows.values()] + [r.text() for r in radios.values()]
        seen["labels"] = " ".join(lab.text() for lab in d.findChildren(QLabel))
        seen["size"] = (d.width(), d.height())
        d.grab().save(str(shot))
        w.grab().save(str(tmp_path / "window-1366.png"))
        rows["extra_application_form"].setChecked(False)  # this office wants no 申请书 …
        rows["extra_rectification_report"].setChecked(True)  # … and a 整改报告 for every record
        qtbot.mouseClick(radios["extra_rectification_report_all"], Qt.MouseButton.LeftButton)
        assert radios["extra_rectification_report_all"].isChecked()
    do.answers.form(look_then_change).yes()  # the class's existing cases follow: yes
    do("本班要求的补充材料…")
    do.check_dialogs()
    assert seen["before"] == {"extra_application_form": (True, True, False),
                              "extra_rectification_report": (True, False, True)}
    assert "信用修复申请书" in seen["texts"] and "整改报告" in seen["texts"] and "仅严重失信记录" in seen["texts"]
    assert "case.json" in seen["labels"]
    assert seen["size"][0] <= 1366 and seen["size"][1] <= 768
    question = [x for x in do.answers.seen if x.kind == "message"][-1]
    assert "1 家企业" in question.text, question.text  # 乙's own list is not the class's to change
    assert "并按新设置重新核对了 1 家企业" in w.statusBar().currentMessage()
    # 甲: the 申请书 is no longer asked for, the 整改报告 is — in the database and on the screen
    assert "application_form" not in _missing(w, a) and "rectification_report" in _missing(w, a)
    assert not _missing(w, b)
    w.ctl.select_case(a)
    qtbot.wait(50)
    assert "整改报告" in _shown(w) and "信用修复申请书" not in _shown(w)
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).extra_required == {
            "rectification_report": ["minor", "general", "serious"]}
        trail = [e.detail for e in s.query(AuditEvent).filter_by(action="class_extra")]
        assert trail == ["本班要求的补充材料：信用修复申请书（所有记录）、整改报告（严重） → 整改报告（所有记录）"]

    # a new case of the class takes the setting
    do.answers.file(write_packet(tmp_path / "U盘" / "丙", _facts(93)))
    do("添加企业材料文件夹…")
    qtbot.waitUntil(lambda: not w.checker.busy, timeout=90000)
    assert "rectification_report" in _missing(w, w.case_id)

    # back to the default with 恢复默认; the existing cases are not changed when the answer is no
    def reset(d):
        from PySide6.QtWidgets import QPushButton

        next(p for p in d.findChildren(QPushButton) if p.text() == "恢复默认").click()
    do.answers.form(reset).no()
    do("本班要求的补充材料…")
    do.check_dialogs()
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).extra_required is None
    assert "rectification_report" in _missing(w, a)
    do.answers.stop()
    if os.environ.get("XINYONG_SHOTS"):  # for looking at it: XINYONG_SHOTS=folder
        import shutil

        shutil.copy(shot, os.environ["XINYONG_SHOTS"])
        shutil.copy(tmp_path / "window-1366.png", os.environ["XINYONG_SHOTS"])
