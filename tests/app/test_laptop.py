"""The desk on a workshop laptop (issue 21 item 7): 1366×768, the window's size remembered, typed dates, the
correction beside the evidence, refusals said in the dialog, plain wording, remembered folders, names that do
not collide, the board's tabs and a repaired case's place.  Through the desk's actions, keys and dialogs."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6")
pytestmark = pytest.mark.gui

from tests.app.dialogs import Driver  # noqa: E402
from tests.packetgen import Facts, Spec, write_packet  # noqa: E402


def _facts(seed: int) -> Facts:
    return Facts.random(seed, decision_date=dt.date.today() - dt.timedelta(days=200),
                        signed_date=dt.date.today() - dt.timedelta(days=2))


def test_fits_1366_by_768_and_panels_fold(window, qtbot, tmp_path):
    w = window
    do = Driver(w, qtbot)
    w.showNormal()
    w.resize(1366, 768)
    do.answers.file(write_packet(tmp_path / "P", _facts(81)))
    do("添加企业材料文件夹…")
    do("下一个待核对项")
    qtbot.wait(100)
    assert w.minimumSizeHint().width() <= 1366 and w.minimumSizeHint().height() <= 768
    assert w.width() <= 1366 and w.height() <= 768
    longest = max(w.queue.fontMetrics().horizontalAdvance(w.queue.item(i).text().split("\n")[0])
                  for i in range(w.queue.count()))
    assert w.queue.width() >= min(longest, 420) and w.queue.width() >= 300  # never a 65 px column
    assert w.crop.isVisible() and w.correct_edit.isVisible()
    # the correction box is beside the evidence, not over it
    crop = w.crop.geometry().translated(w.crop.parentWidget().mapTo(w, w.crop.pos()) - w.crop.pos())
    edit = w.correct_edit.geometry().translated(
        w.correct_edit.parentWidget().mapTo(w, w.correct_edit.pos()) - w.correct_edit.pos())
    assert not crop.intersects(edit)
    do("显示/隐藏企业列表")  # F9: the page and the review get the room
    assert w.form.splitter.sizes()[0] == 0 and w.form.pageView.width() > 300
    do("显示/隐藏企业列表")
    do("查看培训班看板")
    tabs = w.board.tabs
    assert tabs.tabBar().width() <= tabs.width() and tabs.width() <= w.width()
    assert all(len(tabs.tabText(i)) <= 14 for i in range(tabs.count()))  # the full title is the tooltip
    do.check_dialogs()
    do.answers.stop()


def test_opens_maximised_the_first_time_then_where_it_was_left(qtbot, tmp_path, pool, rules):
    from PySide6.QtCore import Qt

    from xinyong_desktop.app.main import make_app
    from xinyong_desktop.app.main_window import MainWindow
    from xinyong_desktop.store.db import open_db

    make_app()
    from tests.app.settings import isolate_settings

    isolate_settings(tmp_path / "settings")
    db = open_db(tmp_path / "g.sqlite3")
    w = MainWindow(db, rules, "张老师", pool, db_path=tmp_path / "g.sqlite3")
    qtbot.addWidget(w)
    assert w.first_run
    w.open_window()
    assert w.windowState() & Qt.WindowState.WindowMaximized
    w.showNormal()
    qtbot.waitUntil(lambda: not w.isMaximized(), timeout=5000)
    w.move(20, 30)
    qtbot.wait(50)
    left = w.geometry()
    w.close()
    w2 = MainWindow(db, rules, "张老师", pool, db_path=tmp_path / "g.sqlite3")
    qtbot.addWidget(w2)
    assert not w2.first_run
    w2.open_window()
    assert not (w2.windowState() & Qt.WindowState.WindowMaximized)
    # where it was left (the offscreen screen is 800 px wide, narrower than the desk: x and width are clamped)
    assert (w2.geometry().y(), w2.height()) == (left.y(), left.height())
    w2.close()


def test_dates_are_taken_as_typed(window, qtbot):
    from PySide6.QtWidgets import QLineEdit

    from tests.app.date_fields import type_date
    from xinyong_desktop.store.models import TrainingClass

    w = window
    do = Driver(w, qtbot)

    def fill(d):
        d.findChildren(QLineEdit)[0].setText("第10期")
        type_date(qtbot, d, "2025-04-10")
    do.answers.form(fill)
    do("新建培训班…")
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).held_on == dt.date(2025, 4, 10)  # not 2025-12-04
    do("查看培训班看板")
    type_date(qtbot, w.board, "2025年5月6日")  # the board's class date, typed the Chinese way
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).held_on == dt.date(2025, 5, 6)
    assert w.board.as_of_edit.edit.text() == "2025-05-06"

    def wrong_date(d):  # not a date: said in the dialog, which stays open; then a date
        d.findChildren(QLineEdit)[0].setText("第11期")
        type_date(qtbot, d, "2025-13-45")
        from PySide6.QtWidgets import QDialogButtonBox, QLabel

        d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        assert d.isVisible() and any("无法识别的日期" in lab.text() for lab in d.findChildren(QLabel))
        type_date(qtbot, d, "2025-06-01")
    do.answers.form(wrong_date)
    do("新建培训班…")
    with w.db() as s:
        assert s.get(TrainingClass, w.training_class).held_on == dt.date(2025, 6, 1)
    do.check_dialogs()
    do.answers.stop()


def test_an_empty_override_reason_is_refused_in_the_dialog(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QDialogButtonBox, QLabel

    w = window
    do = Driver(w, qtbot)
    folder = write_packet(tmp_path / "P", _facts(82), specs={"commitment_letter": Spec("commitment_letter", seal=False)})
    do.answers.file(folder)
    do("添加企业材料文件夹…")
    do("下一个问题")
    seen = []

    def fill(d):
        ok = d.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        hint = [lab.text() for lab in d.findChildren(QLabel) if lab.isVisible()]
        seen.append((ok.isEnabled(), "必须填写理由" in "".join(hint)))
        d.setTextValue("   ")
        seen.append((ok.isEnabled(), None))
        d.setTextValue("原件已盖章，扫描时漏扫")
        seen.append((ok.isEnabled(), None))
    do.answers.form(fill)
    do("忽略此问题…")
    assert seen == [(False, True), (False, None), (True, None)]
    assert any("已忽略" in w.findings.item(i).text() for i in range(w.findings.count()))
    do.check_dialogs()
    do.answers.stop()


def test_wording_shortcuts_codes_and_roster_results(window, qtbot, tmp_path):
    from tests.rostergen import make_rows, write_csv
    from xinyong_desktop.checks.messages import CODE_TITLES
    from xinyong_desktop.domain.model import Code

    assert {c.value for c in Code} <= set(CODE_TITLES)  # the board and the 小结 never show a raw code
    w = window
    do = Driver(w, qtbot)
    do.answers.ok()
    do("快捷键一览")
    text = do.answers.seen[-1].text
    assert "退出" in text and "Ctrl+Q" in text and "&" not in text  # no raw mnemonic 退出(&X)
    # a roster with a row that cannot be imported: said plainly, as a partial import
    roster = write_csv(tmp_path / "名单.csv", make_rows(4, seed=6), extra=[["", "", "", "", "2024-01-01", "一般"]])
    do.answers.file(roster)
    do("导入处罚名单…")
    box = w.roster_errors_box
    assert box.windowTitle() == "名单部分导入" and box.icon() == box.Icon.Warning
    assert "已导入 4 行" in box.text() and "另有 1 行没有导入" in box.text()
    assert "没有导入的行" in box.detailedText() and "缺少企业名称" in box.detailedText()
    do.check_dialogs()
    do.answers.stop()


def test_folders_remembered_per_purpose_and_default_names_do_not_collide(window, qtbot, tmp_path):
    from pathlib import Path

    from tests.rostergen import make_rows, write_csv

    w = window
    do = Driver(w, qtbot)
    rosters = tmp_path / "名单们"
    rosters.mkdir()
    do.answers.file(write_csv(rosters / "名单.csv", make_rows(2, seed=7)))
    do("导入处罚名单…")
    do("回到材料审核")
    packets = tmp_path / "U盘"
    do.answers.file(write_packet(packets / "某企业", _facts(83)))
    do("添加企业材料文件夹…")
    where = {}

    def look(key):
        def fn(d):
            from PySide6.QtWidgets import QLineEdit

            where[key] = (Path(d.directory().absolutePath()), d.findChild(QLineEdit, "fileNameEdit").text())
        return fn
    do.answers.look(look("roster"))
    do("导入处罚名单…")
    do("回到材料审核")
    do.answers.look(look("packet"))
    do("添加企业材料文件夹…")
    assert where["roster"][0] == rosters and where["packet"][0] == packets  # each where it was last
    out = tmp_path / "告知单"
    out.mkdir()
    name = w.ctl.current.title.split("　")[0]
    from xinyong_desktop.export.names import safe_name

    do.answers.file(out / f"{safe_name(name)}_一次性补正告知单.pdf")
    do("生成一次性补正告知单…")
    do.answers.look(look("notice"))
    do("生成一次性补正告知单…")
    assert where["notice"][0] == out
    assert where["notice"][1] == f"{safe_name(name)}_一次性补正告知单（2）.pdf"  # the first one is not overwritten
    do.check_dialogs()
    do.answers.stop()


def test_a_repaired_case_leaves_may_apply_now(window, qtbot, tmp_path):
    from tests.rostergen import make_rows, write_csv
    from xinyong_desktop.services.classes import set_status
    from xinyong_desktop.store.models import Case

    w = window
    do = Driver(w, qtbot)
    rows = make_rows(5, seed=8, start=dt.date.today() - dt.timedelta(days=900), span_days=100)
    do.answers.file(write_csv(tmp_path / "名单.csv", rows))
    do("导入处罚名单…")
    eligible = w.board.tables["eligible"]
    assert eligible.rowCount() >= 1
    cid = eligible.item(0, 0).data(0x0100)
    name = eligible.item(0, 0).text()
    with w.db() as s, s.begin():
        c = s.get(Case, cid)
        for st in ("审核中", "已就绪", "已导出", "已提交", "已修复"):
            set_status(s, c, st, "张老师")
    do("回到材料审核")
    do("查看培训班看板")  # the board is drawn again when shown
    w.refresh_board()
    assert all(eligible.item(r, 8).text() != "已修复" for r in range(eligible.rowCount()))
    assert all(eligible.item(r, 0).data(0x0100) != cid for r in range(eligible.rowCount()))
    repaired = w.board.tables["repaired"]
    assert [repaired.item(r, 0).text() for r in range(repaired.rowCount())] == [name]
    assert w.board.tabs.tabText(w.board.tabs.count() - 1) == "已修复（1）"
    do.check_dialogs()
    do.answers.stop()


def test_the_file_dialog_is_in_chinese(qtbot, tmp_path):
    """Qt's own (non-native) file dialog, as the desk uses it on Linux: no English label, type or size left."""
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QLabel, QTreeView

    from xinyong_desktop.app.main import make_app

    make_app()
    (tmp_path / "材料").mkdir()
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    d = QFileDialog(None, "选择", str(tmp_path))
    d.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(d)
    d.show()
    labels = [lab.text() for lab in d.findChildren(QLabel) if lab.text()]
    assert labels and not any(re.search(r"[A-Za-z]{2}", t) for t in labels), labels
    view = d.findChild(QTreeView)

    def cells() -> list[str]:
        m = view.model()
        root = view.rootIndex()
        return [str(m.data(m.index(r, c, root), Qt.ItemDataRole.DisplayRole)) for r in range(m.rowCount(root))
                for c in (2,)]  # the type column (sizes are written in the system's locale, as elsewhere)
    qtbot.waitUntil(lambda: "文件夹" in cells(), timeout=5000)
    assert not any(re.search(r"\b(Folder|File)\b", t) for t in cells()), cells()
    d.reject()
