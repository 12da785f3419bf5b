"""The review desk on the offscreen platform: check a packet, override with/without reason, gating, undo, restart."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.packetgen import Facts, Spec, write_packet  # noqa: E402


@pytest.fixture
def desk(qtbot, tmp_path, pool, rules, monkeypatch):
    monkeypatch.setenv("XINYONG_DB", str(tmp_path / "desk.sqlite3"))
    from PySide6.QtCore import QCoreApplication, QSettings

    QCoreApplication.setOrganizationName("xinyong-test")
    QSettings().clear()
    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store.db import open_db

    make_app()

    def build():
        w = MainWindow(open_db(tmp_path / "desk.sqlite3"), rules, "张老师", pool)
        qtbot.addWidget(w)
        w.show()
        return w

    return build


def _packet(tmp_path, **kw):
    f = Facts.random(41, decision_date=dt.date.today() - dt.timedelta(days=200),
                     signed_date=dt.date.today() - dt.timedelta(days=2))
    return write_packet(tmp_path / "packet", f, **kw)


def test_review_flow(desk, qtbot, tmp_path):
    w = desk()
    folder = _packet(tmp_path, specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    w.add_packet(folder)
    qtbot.waitUntil(lambda: w.running is None and w.findings.count() > 0, timeout=60000)
    texts = [w.findings.item(i).text() for i in range(w.findings.count())]
    assert any("公章" in t for t in texts)
    assert not w.form.readyButton.isEnabled()
    assert "公章" in w.form.blockLabel.text()
    assert w.tree.topLevelItemCount() >= 7
    # personal data is masked until revealed
    values = [w.tree.topLevelItem(i).child(j).text(1) for i in range(w.tree.topLevelItemCount())
              for j in range(w.tree.topLevelItem(i).childCount())]
    assert any("**********" in v for v in values)
    # keyboard: step through the checklist and the findings
    w._step_tree(1)
    w._step_tree(1)
    assert w.tree.currentItem() is not None
    row = next(i for i in range(w.findings.count()) if "公章" in w.findings.item(i).text())
    w.findings.setCurrentRow(row)
    assert w.override_current("") is False  # a reason is required
    assert not w.form.readyButton.isEnabled()
    assert w.override_current("原件已盖章，扫描时漏扫") is True
    assert w.form.readyButton.isEnabled()
    w.undo()
    assert not w.form.readyButton.isEnabled()
    w.findings.setCurrentRow(row)
    w.override_current("原件已盖章，扫描时漏扫")
    assert w.mark_ready()
    case_id = w.case_id
    w.close()
    # restart: everything is restored from the database
    w2 = desk()
    assert w2.cases.rowCount() == 1
    assert w2.cases.item(0, 1).text() == "已就绪"
    w2.cases.selectRow(0)
    assert w2.case_id == case_id
    assert any("已忽略" in w2.findings.item(i).text() for i in range(w2.findings.count()))


def test_clean_packet_can_be_marked_ready(desk, qtbot, tmp_path):
    w = desk()
    w.add_packet(_packet(tmp_path))
    qtbot.waitUntil(lambda: w.running is None and w.form.verdictLabel.text() != "尚未检查", timeout=60000)
    assert w.form.readyButton.isEnabled(), w.form.blockLabel.text()
    # selecting a field shows its page with the evidence box
    w._step_tree(1)
    w._step_tree(1)
    assert w.view.scene().items()


def test_forms_from_the_case(desk, qtbot, tmp_path):
    w = desk()
    w.headless = True
    w.add_packet(_packet(tmp_path))
    qtbot.waitUntil(lambda: w.running is None and w.last_result is not None, timeout=60000)
    w.make_forms(tmp_path / "forms")
    qtbot.waitUntil(lambda: w.running is None and bool(getattr(w, "last_forms", None)), timeout=60000)
    assert (tmp_path / "forms" / "00_审核意见表.pdf").exists()
    w.last_forms = None
    w.make_notice(tmp_path / "forms" / "告知单.pdf")
    qtbot.waitUntil(lambda: w.running is None and bool(getattr(w, "last_forms", None)), timeout=60000)
    assert (tmp_path / "forms" / "告知单.pdf").exists()


def _select_field(w, kind_name: str, field_label: str):
    root = w.tree.invisibleRootItem()
    for i in range(root.childCount()):
        top = root.child(i)
        if top.text(0) == kind_name:
            for j in range(top.childCount()):
                if top.child(j).text(0) == field_label:
                    w.tree.setCurrentItem(top.child(j))
                    return top.child(j)
    raise AssertionError(f"{kind_name}/{field_label} not in the checklist")


def test_correct_a_value_and_the_finding_disappears(desk, qtbot, tmp_path):
    from dataclasses import replace

    f = Facts.random(41, decision_date=dt.date.today() - dt.timedelta(days=200),
                     signed_date=dt.date.today() - dt.timedelta(days=2))
    other = Facts.random(42).uscc
    folder = write_packet(tmp_path / "packet", f,
                          specs={"commitment_letter": Spec("commitment_letter", facts=replace(f, uscc=other))})
    w = desk()
    w.add_packet(folder)
    qtbot.waitUntil(lambda: w.running is None and w.last_result is not None, timeout=60000)
    assert not w.form.readyButton.isEnabled()
    assert "统一社会信用代码" in w.form.blockLabel.text()
    _select_field(w, "信用修复承诺书", "统一社会信用代码")
    assert w.correct_field(f.uscc)
    assert w.form.readyButton.isEnabled(), w.form.blockLabel.text()
    assert "已更正" in _select_field(w, "信用修复承诺书", "统一社会信用代码").text(1)
    w.undo()
    assert not w.form.readyButton.isEnabled()
    # confirming a value is recorded and shown, and changes no verdict
    _select_field(w, "信用修复申请书", "单位名称")
    assert w.confirm_field()
    assert "✓" in _select_field(w, "信用修复申请书", "单位名称").text(1)
    # marking a seal as seen
    _select_field(w, "信用修复申请书", "公章")
    assert w.mark_seen()
    # calling the application something else makes it missing
    _select_field(w, "信用修复申请书", "单位名称")
    assert w.change_kind("other")
    assert any("缺少信用修复申请书" in w.findings.item(i).text() for i in range(w.findings.count()))


def test_export_ready_cases_and_verify(desk, qtbot, tmp_path):
    w = desk()
    w.headless = True
    w.add_packet(_packet(tmp_path))
    qtbot.waitUntil(lambda: w.running is None and w.form.readyButton.isEnabled(), timeout=60000)
    assert w.mark_ready()
    w.export_ready(tmp_path / "usb")
    qtbot.waitUntil(lambda: w.running is None and getattr(w, "last_export", None) is not None, timeout=60000)
    assert len(w.last_export.exported) == 1
    assert w.cases.item(0, 1).text() == "已导出"
    reports = w.verify_export(tmp_path / "usb")
    assert reports and all(r.ok for r in reports)
