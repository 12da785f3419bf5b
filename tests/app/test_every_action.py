"""Every menu action of the desk, from its menu item or its shortcut key, with its dialogs answered as a user
would, in a window with a class, a roster, a checked packet and a selected field: each one does what it says
and none ends in an error dialog.  A new action that this test does not exercise fails it."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.checklist_items import field_item, select_field  # noqa: E402
from tests.app.dialogs import Driver, actions  # noqa: E402
from tests.packetgen import Facts, Spec, write_packet  # noqa: E402


def _status(w) -> str:
    return w.statusBar().currentMessage()


def _findings(w) -> list[str]:
    return [w.findings.item(i).text() for i in range(w.findings.count())]


def test_every_action_from_its_menu_or_key(window, qtbot, tmp_path):
    import pdfplumber
    from PySide6.QtCore import Qt

    from tests.rostergen import make_rows, write_csv
    from xinyong_desktop.store.models import AuditEvent, Case, TrainingClass

    w = window
    do = Driver(w, qtbot)
    ans = do.answers
    facts = Facts.random(51, decision_date=dt.date.today() - dt.timedelta(days=200),
                         signed_date=dt.date.today() - dt.timedelta(days=2))
    packet = write_packet(tmp_path / "packet", facts, specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    roster = write_csv(tmp_path / "名单.csv", make_rows(3, seed=9, start=dt.date.today() - dt.timedelta(days=400),
                                                       span_days=200))

    # ---- a class, a packet, a roster
    def fill_class(d):
        from PySide6.QtWidgets import QLineEdit

        d.findChildren(QLineEdit)[0].setText("2026年第9期信用修复培训班")
    ans.form(fill_class)
    do("新建培训班…")
    assert "2026年第9期" in w.form.classLabel.text()
    ans.file(packet)
    do("添加企业材料文件夹…")
    assert any("公章" in t for t in _findings(w)), _findings(w)
    packet_case = w.case_id
    ans.cancel()
    do("导入U盘（多家企业）…")  # tests/app/test_stick_intake.py goes through it with a stick
    ans.file(roster)
    do("导入处罚名单…")
    assert w.cases.rowCount() == 4 and w.tabs.currentIndex() == 1
    do("回到材料审核")
    assert w.tabs.currentIndex() == 0
    do("查看培训班看板")
    assert w.tabs.currentIndex() == 1
    do("回到材料审核")
    assert w.case_id == packet_case

    # ---- moving around
    do("下一项")
    first = w.tree.currentItem()
    do("下一项")
    assert w.tree.currentItem() is not first
    do("上一项")
    assert w.tree.currentItem() is first
    do("下一个问题")
    do("下一个问题")
    row = w.findings.currentRow()
    do("上一个问题")
    assert w.findings.currentRow() == max(0, row - 1)

    # ---- field decisions on a selected field
    select_field(w, "信用修复申请书", "单位名称")
    do("确认此值")
    assert field_item(w, "信用修复申请书", "单位名称").text(3) == "✓ 已确认（张老师）"
    select_field(w, "信用修复申请书", "联系电话")
    do("更正此值…")  # the correction box beside the evidence takes the focus; the evidence stays in view
    assert w.correct_edit.hasFocus() and w.crop.isVisible()
    w.correct_edit.clear()
    qtbot.keyClicks(w.correct_edit, "13800001111")
    qtbot.keyClick(w.correct_edit, Qt.Key.Key_Return)
    assert field_item(w, "信用修复申请书", "联系电话").text(3) == "✎ 已更正（张老师）"
    assert field_item(w, "信用修复申请书", "联系电话").text(1) == "138****1111"  # masked until revealed
    do("撤销上一步")
    assert "已更正" not in field_item(w, "信用修复申请书", "联系电话").text(3)
    select_field(w, "信用修复承诺书", "公章")
    ans.item("未识别材料")
    do("更改材料类型…")
    assert any("缺少信用修复承诺书" in t for t in _findings(w)), _findings(w)
    do("撤销上一步")
    assert not any("缺少信用修复承诺书" in t for t in _findings(w))

    # ---- a finding overridden with a reason, undone, then the seal marked as seen
    w.findings.setCurrentRow(next(i for i, t in enumerate(_findings(w)) if "公章" in t))
    # selecting a finding selects its field and shows its page
    assert w.tree.currentItem().text(0) == "公章" and w.tree.currentItem().parent().text(0) == "信用修复承诺书"
    assert f"｜　{w.tree.currentItem().data(0, 0x0100)['path']} 第" in w.form.pageLabel.text()
    ans.text("原件已盖章，扫描时漏扫")
    do("忽略此问题…")
    assert any("已忽略" in t and "原件已盖章" in t for t in _findings(w))
    do("撤销上一步")
    assert not any("已忽略" in t for t in _findings(w))
    select_field(w, "信用修复承诺书", "公章")
    do("标记已见公章/签字")
    assert not any("公章" in t and "承诺书" in t for t in _findings(w)), _findings(w)
    do("重新检查")  # F5: read again; the decision still applies
    assert not any("公章" in t and "承诺书" in t for t in _findings(w)), _findings(w)
    assert not w.form.readyButton.isEnabled()  # the key facts are not confirmed yet
    assert w.cases.item(0, 3).text() and not w.cases.item(0, 2).text()  # open reviews, no open error
    do("下一个待核对项")
    assert w.queue.currentItem() is not None and w.tree.currentItem() is not None
    for _ in range(40):  # one key per item: accept and move on
        if w.form.readyButton.isEnabled():
            break
        do("确认此值")
    assert w.form.readyButton.isEnabled(), w.form.blockLabel.text()
    assert all(w.queue.item(i).text().startswith("✓") for i in range(w.queue.count()))
    assert w.queue_box.title() == "待核对项已全部处理"
    do("标记就绪")
    with w.db() as s:
        assert s.get(Case, packet_case).status == "已就绪"

    # ---- documents of the case
    ans.file(tmp_path / "forms")
    (tmp_path / "forms").mkdir()
    do("生成预填材料和审核意见表…")
    assert (tmp_path / "forms" / "00_审核意见表.pdf").exists() and w.opened
    ans.file(tmp_path / "告知单.pdf")
    do("生成一次性补正告知单…")
    assert (tmp_path / "告知单.pdf").exists()

    # ---- export onto a "stick" that already holds this enterprise's folder: asked before replacing it
    usb = tmp_path / "usb"
    folder = f"{facts.name}_{facts.decision_number}"  # one folder per penalty record
    (usb / folder).mkdir(parents=True)
    ans.file(usb).yes()
    do("导出已就绪的材料包…")
    assert (usb / folder / "manifest.json").exists()
    with w.db() as s:
        assert s.get(Case, packet_case).status == "已导出"
    ans.file(usb).ok()
    do("校验导出的文件夹…")
    assert any("完好" in s.text for s in ans.seen)

    # ---- follow-up
    submitted, passed = dt.date.today() - dt.timedelta(days=9), dt.date.today() - dt.timedelta(days=2)
    ans.text("CX2026120100001").text(submitted.isoformat())
    do("登记已提交“信用中国”…")
    ans.item("已通过").text(f"{passed.year}/{passed.month}/{passed.day}")
    do("登记平台审核结果…")
    with w.db() as s:
        c = s.get(Case, packet_case)
        assert c.status == "已修复" and (c.submitted_on, c.outcome_on) == (submitted, passed)
    ans.file(tmp_path / "证明.pdf")
    do("生成信用修复证明…")
    with pdfplumber.open(tmp_path / "证明.pdf") as pdf:
        text = pdf.pages[0].extract_text().replace("\n", "")
        assert "CX2026120100001" in text and f"已于{passed.year}年{passed.month}月{passed.day}日终止公示" in text, text
    ans.text("某信用服务公司").file(tmp_path / "删除函.pdf")
    do("生成删除失信信息的函…")
    assert (tmp_path / "删除函.pdf").exists()
    do("跟进清单与登记簿（一提醒三督促）")  # the register holds the certificate and the letter, numbered
    reg = w.follow_up_window.register
    assert reg.rowCount() == 2 and reg.item(0, 0).text().startswith("常信修证〔")

    # ---- the view
    t0 = w.view.transform().m11()
    do("放大")
    assert w.view.transform().m11() > t0
    do("缩小")
    do("适合宽度")
    do("整页显示")
    do("旋转页面")
    assert abs(w.view.transform().m12()) > 0
    do("显示/隐藏企业列表")
    assert w.form.splitter.sizes()[0] == 0
    do("显示/隐藏企业列表")
    assert w.form.splitter.sizes()[0] > 0
    do("显示个人信息")
    assert w.reveal
    do("显示个人信息", key=False)
    assert not w.reveal
    ans.ok()
    do("快捷键一览")
    assert any("Ctrl+J" in s.text or "Ctrl+J".replace("Ctrl", "Ctrl") in s.text for s in ans.seen)
    ans.ok()
    do("关于本软件")
    qtbot.waitUntil(ans.done, timeout=120_000)
    about = [s for s in ans.seen if s.title == "关于本软件"]
    engine = w.pool.call("xinyong_desktop.intake.ocr:backend_info")["value"]["label"]  # what the parsers use
    assert about and f"文字识别（OCR）引擎：{engine}" in about[-1].text, [s.text for s in about]

    # ---- other cases
    do("下一家企业")
    assert w.case_id != packet_case
    do("上一家企业")
    assert w.case_id == packet_case

    # ---- the class and its documents
    ans.file(tmp_path / "清单.xlsx")
    do("导出看板清单（Excel）…")
    assert (tmp_path / "清单.xlsx").exists()
    (tmp_path / "letters").mkdir()
    ans.file(tmp_path / "letters")
    do("生成信用修复提醒函（全班）…")
    assert list((tmp_path / "letters").glob("*.pdf"))
    (tmp_path / "guides").mkdir()
    ans.file(tmp_path / "guides")
    do("生成信用修复材料清单（全班）…")
    assert list((tmp_path / "guides").glob("*.pdf"))
    ans.file(tmp_path / "小结.pdf")
    do("生成培训班小结（PDF）…")
    assert (tmp_path / "小结.pdf").exists()
    ans.file(tmp_path / "班.xybundle").text("第9期 口令")  # the bundle encrypted with a passphrase
    do("导出本班数据包（给其他电脑）…")
    assert (tmp_path / "班.xybundle").read_bytes().startswith(b"XYBUNDLE-AES1")
    ans.file(tmp_path / "班.xybundle").item("合并到当前培训班").text("第9期 口令")
    do("导入其他电脑的培训班数据包…")
    assert "数据包已导入" in _status(w)
    this_class = w.training_class
    ans.item("默认培训班")
    do("切换培训班…")
    assert w.training_class != this_class and "默认培训班" in w.form.classLabel.text()
    ans.item("2026年第9期")
    do("切换培训班…")
    assert w.training_class == this_class

    # ---- the class's date: shown, and every check is made as of it
    ans.text("不是日期")
    do("设定班级日期…")
    assert "无法识别" in _status(w)
    ans.text("2026-12-20")
    do("设定班级日期…")
    assert "2026-12-20" in w.form.classLabel.text()
    with w.db() as s:
        assert s.get(Case, packet_case).as_of == dt.date(2026, 12, 20)
        assert s.get(TrainingClass, w.training_class).held_on == dt.date(2026, 12, 20)

    def no_application_form(d):  # tests/app/test_class_extra.py goes through the dialog and applying it
        from PySide6.QtWidgets import QCheckBox

        d.findChild(QCheckBox, "extra_application_form").setChecked(False)
    ans.form(no_application_form).no()
    do("本班要求的补充材料…")
    assert "已保存本班要求的补充材料" in _status(w)
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).extra_required == {"rectification_report": ["serious"]}

    # ---- data safety
    do("立即备份数据库")
    assert "已备份" in _status(w)
    ans.item("").yes()
    do("从备份恢复…")
    assert "已从备份恢复" in _status(w)
    with w.db() as s:
        this_class = w.training_class
        name = s.get(TrainingClass, this_class).name
    ans.text("别的名字")
    do("清除本班个人信息…")
    assert "不符" in _status(w)
    ans.text(name)
    do("清除本班个人信息…")
    assert "已清除个人信息" in _status(w)

    # ---- a case removed (asks, audited); a folder without documents is no case
    n = w.cases.rowCount()
    w.cases.selectRow(n - 1)
    gone = w.case_id
    ans.no()
    do("删除此企业案件…")
    assert w.cases.rowCount() == n
    ans.yes()
    do("删除此企业案件…")
    assert w.cases.rowCount() == n - 1
    with w.db() as s:
        assert s.get(Case, gone) is None
        assert s.query(AuditEvent).filter_by(action="remove_case").count() == 1
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    ans.file(empty).ok()
    do("从U盘打开…")
    assert w.cases.rowCount() == n - 1

    do.check_dialogs()
    # every PDF the desk made embeds the fonts it uses (no standard Helvetica left in a page's resources)
    from tests.app.pdf_fonts import unembedded

    made = [tmp_path / d for d in ("forms", "letters", "guides")]
    pdfs = [p for d in made for p in d.glob("*.pdf")] + [tmp_path / n for n in ("告知单.pdf", "证明.pdf", "删除函.pdf",
                                                                               "小结.pdf")]
    assert len(pdfs) >= 12
    assert {p.name: unembedded(p) for p in pdfs if unembedded(p)} == {}
    missing = set(do.acts) - do.used - {"退出(&X)"}
    assert not missing, f"actions this test does not exercise: {missing}"
    do("退出(&X)")
    assert not w.isVisible()
    ans.stop()


def test_every_shortcut_is_unique_and_every_menu_has_a_mnemonic(window):
    seen = {}
    for text, a in actions(window).items():
        key = a.shortcut().toString()
        if key:
            assert key not in seen, f"{key}: {seen.get(key)} and {text}"
            seen[key] = text
    assert seen["Ctrl+Q"] == "退出(&X)"
    for menu in window.menuBar().actions():
        assert "&" in menu.text(), menu.text()
